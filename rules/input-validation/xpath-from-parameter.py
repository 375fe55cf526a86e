import xml.etree.ElementTree as ET

from django.conf import settings
from lxml import etree

CATALOGUE = etree.parse(str(settings.BASE_DIR / "catalogue.xml"))
NS = "{http://www.w3.org/2005/Atom}"


def book_title(isbn):
    # ruleid: xpath-from-parameter
    nodes = CATALOGUE.xpath(f"//book[@isbn='{isbn}']/title/text()")
    return nodes[0] if nodes else None


def user_by_name(doc, name: str):
    expr = "//user[name='%s']" % name
    # ruleid: xpath-from-parameter
    return doc.xpath(expr)


def items_matching(root, term=None):
    # ruleid: xpath-from-parameter
    return root.findall(".//item[@title='" + term + "']")


def compiled(term):
    # ruleid: xpath-from-parameter
    find = etree.XPath("//entry[contains(title, '{}')]".format(term))
    return find(CATALOGUE)


# ---- safe ----
def book_title_ok(isbn):
    # ok: xpath-from-parameter
    nodes = CATALOGUE.xpath("//book[@isbn=$isbn]/title/text()", isbn=isbn)
    return nodes[0] if nodes else None


def entries(feed, tag):
    # a tag / namespace built from a parameter, not a value in a predicate
    # ok: xpath-from-parameter
    return feed.findall(f"{NS}{tag}")


def children(tree, path):
    # the expression itself is the parameter (a wrapper)
    # ok: xpath-from-parameter
    return tree.xpath(path)


def nth_book(n: int):
    # ok: xpath-from-parameter
    return CATALOGUE.xpath(f"//book[@pos={n}]")


def all_titles():
    # ok: xpath-from-parameter
    return CATALOGUE.xpath("//book/title/text()")
