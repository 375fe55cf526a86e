import ldap
import ldap3
from django.conf import settings
from ldap.filter import escape_filter_chars, filter_format


def find_people(name):
    conn = ldap.initialize(settings.LDAP_SERVER)
    # ruleid: ldap-filter-from-parameter
    results = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(cn=*{name}*)")
    return [dn for dn, _ in results[:50]]


def user_dn(conn, username: str):
    flt = "(&(objectClass=person)(uid=%s))" % username
    # ruleid: ldap-filter-from-parameter
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, flt)


def ldap3_lookup(conn: ldap3.Connection, mail=None):
    # ruleid: ldap-filter-from-parameter
    conn.search("dc=example,dc=com", "(mail=" + mail + ")", attributes=["cn"])
    return conn.entries


def groups_of(conn, member):
    # ruleid: ldap-filter-from-parameter
    conn.search(search_base="ou=groups,dc=example,dc=com", search_filter="(member={})".format(member))
    return conn.entries


# ---- safe ----
def find_people_ok(name):
    conn = ldap.initialize(settings.LDAP_SERVER)
    # ok: ldap-filter-from-parameter
    return conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(cn=*{escape_filter_chars(name)}*)")


def user_dn_ok(conn, username):
    # ok: ldap-filter-from-parameter
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, filter_format("(uid=%s)", [username]))


def all_people(conn):
    # ok: ldap-filter-from-parameter
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(objectClass=person)")


def by_uid_number(conn, uid: int):
    # ok: ldap-filter-from-parameter
    return conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uidNumber={uid})")


def with_filter(conn, base, search_filter):
    # the filter itself is the parameter (a wrapper): built elsewhere
    # ok: ldap-filter-from-parameter
    return conn.search_s(base, ldap.SCOPE_SUBTREE, search_filter)
