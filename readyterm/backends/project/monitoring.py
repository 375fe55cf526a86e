"""`monitoring`: does a web app have a health endpoint and report its errors and metrics?

Python (Flask, FastAPI, Django, ...) and JavaScript/TypeScript (Express, Koa, Fastify, Nest,
hapi, restify). A logger alone (pino, winston, logging) is not monitoring: nobody is paged.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from readyterm.backends.project.common import (
    PRUNED_DIRS,
    ancestors,
    finding,
    is_dev_code,
    join,
    read_bytes,
    read_text,
)
from readyterm.backends.project.js import JS_SUFFIXES, JsImport, JsProject, js_imports
from readyterm.foundation.findings import Finding

_WEB_FRAMEWORK = re.compile(
    r"^\s*(from|import)\s+(flask|fastapi|django|starlette|aiohttp|sanic|tornado)\b", re.M
)
_HEALTH_ROUTE = re.compile(r"""["'`](/health[a-z]*|/readyz|/livez|/ping|/status)["'`]""")
_ERROR_REPORTING = re.compile(
    r"\b(sentry_sdk|rollbar|bugsnag|honeybadger|opentelemetry|prometheus_client|statsd|datadog|"
    r"ddtrace|newrelic|elasticapm)\b"
)
_JS_FRAMEWORKS = frozenset(
    {"express", "koa", "fastify", "@nestjs/core", "@hapi/hapi", "hapi", "restify", "@koa/router"}
)
#: Nest declares routes without the leading slash: @Get('healthz'), @Controller('health').
_JS_HEALTH_DECORATOR = re.compile(
    r"""@(Get|Controller|All)\(\s*["'`]/?(health[a-z]*|readyz|livez|ping)["'`]"""
)
_JS_HEALTH_PACKAGES = (
    "@nestjs/terminus",
    "@godaddy/terminus",
    "express-healthcheck",
    "express-actuator",
    "lightship",
    "fastify-healthcheck",
)
_JS_MONITORING_PACKAGES = (
    "@sentry/",
    "prom-client",
    "express-prom-bundle",
    "fastify-metrics",
    "dd-trace",
    "@datadog/",
    "newrelic",
    "@newrelic/",
    "@opentelemetry/",
    "elastic-apm-node",
    "@bugsnag/",
    "rollbar",
    "@honeybadger-io/",
    "applicationinsights",
    "@google-cloud/error-reporting",
    "hot-shots",
    "@appsignal/",
    "@airbrake/",
)
_MAX_FILES = 400
_MAX_FILE_BYTES = 512_000


def check_monitoring(root: Path, files: list[str]) -> list[Finding]:
    return _python(root, files) + _javascript(root, files)


def _python(root: Path, files: list[str]) -> list[Finding]:
    # One file at a time: holding every file of a whole-repo run (and their concatenation)
    # took 165 MB on Django.
    app_file = None
    health = reporting = False
    for name in files:
        text = read_text(root, name) if name.endswith(".py") else None
        if text is None:
            continue
        if app_file is None and _WEB_FRAMEWORK.search(text):
            app_file = name
        health = health or bool(_HEALTH_ROUTE.search(text))
        reporting = reporting or bool(_ERROR_REPORTING.search(text))
    if app_file is None:
        return []
    # The health route may live outside the change: look in the app's whole package.
    for path in sorted((root / app_file).parent.glob("*.py"))[:200]:
        if health and reporting:
            break
        text = path.read_text("utf-8", errors="replace")
        health = health or bool(_HEALTH_ROUTE.search(text))
        reporting = reporting or bool(_ERROR_REPORTING.search(text))
    return _findings(
        app_file,
        1,
        "",
        health=health,
        reporting=reporting,
        examples=("Sentry (sentry-sdk)", "Prometheus (prometheus_client)"),
    )


def _javascript(root: Path, files: list[str]) -> list[Finding]:
    app: tuple[str, JsImport] | None = None
    for path in files:
        if path.endswith(JS_SUFFIXES) and not is_dev_code(path):
            data = read_bytes(root, path)
            frameworks = [i for i in js_imports(_decode(data)) if i.package in _JS_FRAMEWORKS]
            if frameworks:
                app = (path, frameworks[0])
                break
    if app is None:
        return []
    path, framework = app
    project = JsProject(root)
    folder = next(
        (f for f in ancestors(path) if project.manifest(f) is not None),
        ancestors(path)[0],
    )
    manifest = project.manifest(folder)
    packages = set(manifest.declared) if manifest else set()
    health = False
    for text in _sources(root, folder, [f for f in files if f.endswith(JS_SUFFIXES)]):
        health = health or bool(_HEALTH_ROUTE.search(text) or _JS_HEALTH_DECORATOR.search(text))
        packages |= {i.package for i in js_imports(text)}
    health = health or any(p.startswith(_JS_HEALTH_PACKAGES) for p in packages)
    reporting = any(p.startswith(_JS_MONITORING_PACKAGES) for p in packages)
    return _findings(
        path,
        framework.line,
        framework.code,
        health=health,
        reporting=reporting,
        examples=("Sentry (@sentry/node)", "Prometheus (prom-client)"),
    )


def _decode(data: bytes | None) -> str:
    return data.decode("utf-8", errors="replace") if data else ""


def _sources(root: Path, folder: str, changed: list[str]) -> list[str]:
    """The changed JS/TS files and the app package's own sources (bounded)."""
    paths = list(changed)
    for current, dirs, names in os.walk(root / folder):
        dirs[:] = sorted(d for d in dirs if d not in PRUNED_DIRS)
        relative = Path(current).relative_to(root).as_posix()
        paths += [join("" if relative == "." else relative, n) for n in sorted(names)]
        if len(paths) >= _MAX_FILES:
            break
    texts = []
    for path in dict.fromkeys(paths[:_MAX_FILES]):
        if path.endswith(JS_SUFFIXES) and not is_dev_code(path):
            data = read_bytes(root, path)
            if data is not None and len(data) <= _MAX_FILE_BYTES:
                texts.append(_decode(data))
    return texts


def _findings(
    path: str, line: int, code: str, health: bool, reporting: bool, examples: tuple[str, str]
) -> list[Finding]:
    findings = []
    if not health:
        findings.append(
            finding(
                "no-health-endpoint",
                "monitoring",
                path,
                line,
                "this web app has no health endpoint (/healthz, /readyz, ...)",
                "Without one, the orchestrator keeps sending traffic to a broken instance.",
                "Add a cheap /healthz route that checks the process and its critical dependencies.",
                code=code,
            )
        )
    if not reporting:
        findings.append(
            finding(
                "no-error-reporting",
                "monitoring",
                path,
                line,
                "this web app reports no metrics or errors to a monitoring system",
                "Errors in production are only found when users complain (a log line that "
                "nobody is alerted on is not monitoring).",
                f"Wire up error reporting (e.g. {examples[0]}) and request metrics "
                f"(e.g. {examples[1]}).",
                code=code,
            )
        )
    return findings
