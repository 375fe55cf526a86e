import asyncio
import os
import shlex
import subprocess

from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
CONVERT_BIN = os.environ.get("CONVERT_BIN", "/usr/bin/convert")


@app.post("/convert")
def convert():
    upload_path = request.form["path"]
    fmt = request.form.get("fmt", "png")
    # ruleid: shell-command-injection
    subprocess.run(f"convert {upload_path} out.{fmt}", shell=True, check=True, timeout=60)
    return {"ok": True}


@app.get("/ping")
def ping():
    host = request.args.get("host", "")
    # ruleid: shell-command-injection
    return {"rc": os.system("ping -c 1 " + host)}


def archive(request):
    # Django view
    folder = request.GET.get("folder", "")
    cmd = "tar czf /tmp/export.tgz %s" % folder
    # ruleid: shell-command-injection
    out = subprocess.check_output(cmd, shell=True, text=True, timeout=120)
    return HttpResponse(out)


def whois(request):
    domain = request.POST["domain"]
    # ruleid: shell-command-injection
    with os.popen("whois " + domain) as fh:
        return HttpResponse(fh.read())


def disk_usage(request):
    # ruleid: shell-command-injection
    return HttpResponse(subprocess.getoutput("du -sh /srv/" + request.GET["dir"]))


@app.post("/grep")
def grep_logs():
    pattern = request.get_json()["pattern"]
    # an argument list whose program is a shell: the -c string is parsed by the shell
    # ruleid: shell-command-injection
    proc = subprocess.run(["sh", "-c", f"grep {pattern} /var/log/app.log"], capture_output=True, timeout=30)
    return proc.stdout


@app.post("/echo")
def echo_built_list():
    text = request.form.get("text", "")
    args = []
    if os.name == "nt":
        args.append("cmd.exe")
        args.append("/c")
    else:
        args.append("sh")
        args.append("-c")
    args.append(f"echo {text}")
    # ruleid: shell-command-injection
    return subprocess.run(args, capture_output=True, timeout=10).stdout


@app.post("/tools/run")
def run_tool():
    # the request picks the program itself
    tool = request.form["tool"]
    # ruleid: shell-command-injection
    return subprocess.run([tool, "--version"], capture_output=True, timeout=10).stdout


@app.post("/tools/cmdline")
def run_cmdline():
    line = request.form["cmdline"]
    # ruleid: shell-command-injection
    return subprocess.check_output(shlex.split(line), timeout=10)


@api.get("/thumb/{name}")
async def thumbnail(name: str):
    # FastAPI path parameter into a shell command
    # ruleid: shell-command-injection
    proc = await asyncio.create_subprocess_shell(f"convert {name} -resize 64x64 thumb.png")
    await proc.wait()
    return {"rc": proc.returncode}


@app.get("/query")
def raw_query_string():
    qs = request.query_string.decode("utf-8")
    value = qs[qs.find("=") + 1:]
    # ruleid: shell-command-injection
    return subprocess.run("nslookup " + value, shell=True, capture_output=True, timeout=10).stdout


# ---- safe idioms ---------------------------------------------------------------------------


@app.post("/v2/convert")
def convert_safe():
    upload_path = request.form["path"]
    fmt = request.form.get("fmt", "png")
    # list form, constant program: each value is one argument, no shell
    # ok: shell-command-injection
    subprocess.run(["convert", upload_path, f"out.{fmt}"], check=True, timeout=60)
    # ok: shell-command-injection
    subprocess.run([CONVERT_BIN, "--", upload_path], check=True, timeout=60)
    return {"ok": True}


@app.get("/v2/ping")
def ping_safe():
    host = request.args.get("host", "")
    # ok: shell-command-injection
    return {"rc": subprocess.run(["ping", "-c", "1", host], timeout=10).returncode}


@app.get("/v2/archive")
def archive_quoted():
    folder = request.args["folder"]
    # ok: shell-command-injection
    out = subprocess.check_output(f"tar czf - {shlex.quote(folder)} | wc -c", shell=True, text=True, timeout=120)
    quoted = shlex.quote(request.args["name"])
    # ok: shell-command-injection
    os.system("touch /tmp/" + quoted)
    return out


@app.get("/v2/echo")
def echo_sh_quoted():
    text = shlex.quote(request.args.get("text", ""))
    # ok: shell-command-injection
    return subprocess.run(["sh", "-c", f"echo {text}"], capture_output=True, timeout=10).stdout


@app.get("/v2/tail")
def tail_lines():
    lines = int(request.args.get("lines", "100"))
    # ok: shell-command-injection
    return subprocess.check_output(f"tail -n {lines} /var/log/app.log", shell=True, timeout=10)


@app.get("/v2/list")
def list_args_variable():
    folder = request.args["folder"]
    cmd = ["ls", "-l", folder]
    # ok: shell-command-injection
    return subprocess.check_output(cmd, timeout=10)


@app.get("/v2/du")
def du_dead_branch():
    folder = request.args["folder"]
    if 7 * 42 - 86 > 200:
        target = "/srv/public"
    else:
        target = folder
    # ok: shell-command-injection
    return subprocess.getoutput("du -sh " + target)


def disk_report(request):
    # constant command, and a request id that is only logged
    print("disk report for", request.GET.get("request_id"))
    # ok: shell-command-injection
    return HttpResponse(subprocess.check_output("df -h / | tail -n 1", shell=True, text=True, timeout=10))


def git_log(request):
    ref = request.GET.get("ref", "HEAD")
    # constant program, request value as an argument after --
    # ok: shell-command-injection
    out = subprocess.run(["git", "log", "--oneline", "--", ref], capture_output=True, text=True, timeout=10)
    return JsonResponse({"log": out.stdout})


@api.get("/v2/status/{service_id}")
async def service_status(service_id: int):
    # typed as int by FastAPI: no shell syntax can get through
    # ok: shell-command-injection
    proc = await asyncio.create_subprocess_shell(f"systemctl status app@{service_id}")
    return {"rc": await proc.wait()}


def rotate_logs(path: str) -> None:
    # not request data (a function argument of a maintenance job)
    # ok: shell-command-injection
    subprocess.run(["logrotate", "-f", path], check=True, timeout=60)
