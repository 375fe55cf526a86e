import xml.etree.ElementTree as ET

import elementpath
import lxml.etree
from flask import Flask, request

app = Flask(__name__)


@app.route("/employee")
def employee():
    emp = request.args.get("id", "")
    root = lxml.etree.parse("employees.xml")
    # ruleid: xpath-injection
    nodes = root.xpath(f"/Employees/Employee[@id='{emp}']")
    return str(len(nodes))


@app.route("/employee-compiled")
def employee_compiled():
    query = "/Employees/Employee[@name='" + request.cookies.get("name", "") + "']"
    # ruleid: xpath-injection
    find = lxml.etree.XPath(query)
    return str(len(find(lxml.etree.parse("employees.xml"))))


@app.route("/employee-ep")
def employee_ep():
    root = ET.parse("employees.xml")
    # ruleid: xpath-injection
    nodes = elementpath.select(root, "//Employee[@id='%s']" % request.args["id"])
    return str(len(nodes))


@app.route("/employee-et")
def employee_et():
    tree = ET.parse("employees.xml")
    # ruleid: xpath-injection
    node = tree.find(".//Employee[@id='" + request.args["id"] + "']")
    return str(node)


# --- safe idioms -------------------------------------------------------------


@app.route("/employee-param")
def employee_param():
    root = lxml.etree.parse("employees.xml")
    # variables are bound by the XPath engine
    # ok: xpath-injection
    nodes = root.xpath("/Employees/Employee[@id=$emp]", emp=request.args.get("id", ""))
    return str(len(nodes))


@app.route("/employee-quoted")
def employee_quoted():
    emp = request.args.get("id", "").replace("'", "&apos;")
    root = lxml.etree.parse("employees.xml")
    # ok: xpath-injection
    nodes = root.xpath(f"/Employees/Employee[@id='{emp}']")
    return str(len(nodes))


@app.route("/employee-checked")
def employee_checked():
    emp = request.args.get("id", "")
    if "'" in emp:
        return "bad id", 400
    root = lxml.etree.parse("employees.xml")
    # ok: xpath-injection
    nodes = root.xpath(f"/Employees/Employee[@id='{emp}']")
    return str(len(nodes))


@app.route("/employee-int")
def employee_int():
    emp = int(request.args.get("id", "0"))
    root = lxml.etree.parse("employees.xml")
    # ok: xpath-injection
    nodes = root.xpath(f"/Employees/Employee[@id={emp}]")
    return str(len(nodes))


@app.route("/search")
def search_text():
    # str.find on request data is no XPath
    # ok: xpath-injection
    pos = "some text".find(request.args.get("q", ""))
    return str(pos)
