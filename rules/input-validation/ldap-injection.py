import ldap
import ldap.filter
import ldap3
from flask import Flask, request
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
server = ldap3.Server("ldap://directory")


@app.route("/user")
def find_user():
    uid = request.args.get("uid", "")
    conn = ldap3.Connection(server, auto_bind=True)
    # ruleid: ldap-injection
    conn.search("ou=users,dc=example,dc=com", f"(&(objectClass=person)(uid={uid}))")
    return str(conn.entries)


@app.route("/login", methods=["POST"])
def login():
    name = request.form["user"]
    conn = ldap.initialize("ldap://directory")
    flt = "(uid=" + name + ")"
    # ruleid: ldap-injection
    found = conn.search_s("ou=users,dc=example,dc=com", ldap.SCOPE_SUBTREE, flt)
    return "ok" if found else "no"


# --- safe idioms -------------------------------------------------------------


@app.route("/user-escaped")
def find_user_escaped():
    uid = escape_filter_chars(request.args.get("uid", ""))
    conn = ldap3.Connection(server, auto_bind=True)
    # ok: ldap-injection
    conn.search("ou=users,dc=example,dc=com", f"(&(objectClass=person)(uid={uid}))")
    return str(conn.entries)


@app.route("/login-format", methods=["POST"])
def login_format():
    conn = ldap.initialize("ldap://directory")
    flt = ldap.filter.filter_format("(uid=%s)", [request.form["user"]])
    # ok: ldap-injection
    found = conn.search_s("ou=users,dc=example,dc=com", ldap.SCOPE_SUBTREE, flt)
    return "ok" if found else "no"


@app.route("/groups")
def groups():
    conn = ldap3.Connection(server, auto_bind=True)
    # ok: ldap-injection
    conn.search("ou=groups,dc=example,dc=com", "(objectClass=groupOfNames)", attributes=[request.args.get("attr")])
    return str(conn.entries)
