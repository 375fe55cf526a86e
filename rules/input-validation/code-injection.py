import ast
import importlib
import json
import operator
import re
import sys

import jinja2
from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI
from flask import Flask, abort, render_template, render_template_string, request

import reports

app = Flask(__name__)
api = FastAPI()

OPERATORS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}
EXPORTERS = {"csv": reports.export_csv, "xlsx": reports.export_xlsx}
PLUGINS = {"stripe": "payments.stripe", "paypal": "payments.paypal"}


@app.post("/calc")
def calc():
    expr = request.form.get("expr", "")
    # ruleid: code-injection
    return {"result": eval(expr)}


@app.post("/hooks/run")
def run_hook():
    body = request.get_json()
    # ruleid: code-injection
    exec(body["code"], {"__builtins__": {}})
    return {"ok": True}


def compile_rule(request):
    # Django view
    src = request.POST["rule"]
    # ruleid: code-injection
    code = compile(src, "<rule>", "eval")
    return JsonResponse({"names": list(code.co_names)})


@app.get("/plugins/load")
def load_plugin():
    name = request.args["plugin"]
    # ruleid: code-injection
    module = importlib.import_module(name)
    return {"version": module.__version__}


@app.get("/legacy/load")
def load_legacy():
    # ruleid: code-injection
    module = __import__(request.args.get("module"))
    return {"file": module.__file__}


@app.get("/reports/<kind>")
def run_report(kind):
    # Flask route variable picks any function of the module
    # ruleid: code-injection
    exporter = getattr(sys.modules["reports"], "export_" + kind)
    return exporter()


@app.post("/dispatch")
def dispatch():
    action = request.form["action"]
    # ruleid: code-injection
    handler = globals()[action]
    return handler()


@app.get("/greet")
def greet():
    name = request.args.get("name", "")
    # server-side template injection: the value is the template source
    # ruleid: code-injection
    return render_template_string("<h1>Hello " + name + "</h1>")


@app.get("/banner")
def banner():
    # ruleid: code-injection
    return jinja2.Template(request.cookies.get("banner", "")).render()


@api.get("/score/{formula}")
def score(formula: str):
    # FastAPI path parameter
    # ruleid: code-injection
    return {"score": eval(formula, {"x": 3})}


@app.get("/q")
def raw_query():
    qs = request.query_string.decode("utf-8")
    value = qs[qs.find("=") + 1:]
    # ruleid: code-injection
    return {"v": eval(value)}


# ---- safe idioms ---------------------------------------------------------------------------


@app.post("/v2/calc")
def calc_safe():
    # literal_eval only builds literals (numbers, strings, lists, dicts)
    # ok: code-injection
    values = ast.literal_eval(request.form.get("values", "[]"))
    data = json.loads(request.get_data())
    return {"sum": sum(values), "keys": sorted(data)}


@app.get("/v2/op")
def op_allow_list():
    op = OPERATORS.get(request.args.get("op", "add"))
    if op is None:
        abort(400)
    # ok: code-injection
    return {"result": op(int(request.args["a"]), int(request.args["b"]))}


@app.get("/v2/reports/<kind>")
def run_report_safe(kind):
    # ok: code-injection
    exporter = EXPORTERS.get(kind)
    if exporter is None:
        abort(404)
    return exporter()


@app.get("/v2/plugins/load")
def load_plugin_safe():
    name = request.args["plugin"]
    if name not in PLUGINS:
        abort(404)
    # ok: code-injection
    module = importlib.import_module(name)
    return {"version": module.__version__}


@app.get("/v2/literal")
def eval_plain_string_literal():
    text = request.args.get("text", "")
    if not text.startswith("'") or not text.endswith("'") or "'" in text[1:-1]:
        return "Argument must be a plain string literal.", 400
    # ok: code-injection
    return {"value": eval(text)}


@app.get("/v2/field")
def field_by_identifier():
    field = request.args["field"]
    if not re.fullmatch(r"[a-z_]{1,32}", field):
        abort(400)
    # ok: code-injection
    return {"value": getattr(importlib.import_module("reports"), field)}


@app.get("/v2/page")
def page_safe():
    name = request.args.get("name", "")
    # the template is a constant; the value is passed as a variable and escaped
    # ok: code-injection
    html = render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    # ok: code-injection
    return html + render_template("page.html", name=name)


@app.get("/v2/limit")
def limit_number():
    limit = int(request.args.get("limit", "10"))
    # ok: code-injection
    return {"limit": eval(f"{limit} * 2")}


@app.get("/v2/dead")
def dead_branch():
    value = request.args.get("value", "")
    expr = "1 + 1" if 7 * 18 + 106 > 200 else value
    # ok: code-injection
    return {"v": eval(expr)}


def feature_flags(request):
    # the attribute name comes from the code, the request only supplies an id that is logged
    print("flags for", request.GET.get("request_id"))
    # ok: code-injection
    backend = getattr(sys.modules[__name__], "DEFAULT_BACKEND", None)
    # ok: code-injection
    handler = getattr(request.user, "is_staff")
    return HttpResponse(str((backend, handler)))


@app.get("/v2/serialize")
def serialize_attr():
    obj = reports.latest()
    # getattr on an ordinary object (not a module): an attribute read, not code lookup
    # ok: code-injection
    return {"v": getattr(obj, request.args.get("field", "id"), None)}


def load_settings_module(path: str):
    # not request data: the module name comes from deployment configuration
    # ok: code-injection
    return importlib.import_module(path)
