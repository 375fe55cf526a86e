"""Project-level checks: undeclared imports, gate weakening, monitoring of JS/TS web apps.

Real git repositories in temp folders; the backend is called directly with the scope a real
run resolves, and once per check the whole `readyterm --ci` runs in a subprocess.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readyterm.backends.project.backend import ProjectBackend
from readyterm.backends.project.gates import weakenings
from readyterm.backends.project.js import js_imports, package_name
from readyterm.backends.project.manifests import requirement_name
from readyterm.engine.runner import RunOptions, prepare, scan_context
from readyterm.foundation.findings import Finding
from readyterm.foundation.rulepack import load_rule_pack
from tests.conftest import GitRepo, run_cli

Files = dict[str, str | bytes]


def make_repo(tmp_path: Path, base: Files, head: Files, commit: bool = True) -> GitRepo:
    """main holds base; the checked-out branch `feature` adds head on top."""
    path = tmp_path / "repo"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    for name, content in base.items():
        repo.write(name, content)
    repo.commit("base")
    repo.branch("feature")
    for name, content in head.items():
        repo.write(name, content)
    if commit:
        repo.commit("change")
    return repo


def scan(repo: GitRepo, whole: bool = False) -> list[Finding]:
    prepared = prepare(RunOptions(path=repo.path, whole=whole))
    context = scan_context(prepared)
    result = ProjectBackend().scan(prepared.scope.root, prepared.scope.files, context)
    assert result.error is None
    return result.findings


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def undeclared(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in by_rule(findings, "undeclared-import")]


def run_json(repo: GitRepo, *extra: str) -> tuple[int, dict[str, object]]:
    done = run_cli("--ci", str(repo.path), "--format", "json", "--no-staging", *extra)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def step(result: dict[str, object], step_id: str) -> dict[str, object]:
    steps = result["steps"]
    assert isinstance(steps, list)
    return next(s for s in steps if s["id"] == step_id)


APP = "app/__init__.py"
SERVICE = "import os\n\nimport flask\nimport yaml\n\nCONFIG = yaml.safe_load('a: 1')\n"


# --- Python: undeclared imports -------------------------------------------------------------


def test_an_import_no_manifest_declares_is_a_warning_naming_the_distribution(
    tmp_path: Path,
) -> None:
    repo = make_repo(
        tmp_path, {"requirements.txt": "flask==3.0\n", APP: ""}, {"app/service.py": SERVICE}
    )
    [found] = by_rule(scan(repo), "undeclared-import")
    assert (found.path, found.line, found.step, found.severity) == (
        "app/service.py",
        4,
        "environment",
        "warning",
    )
    assert "PyYAML" in found.message and "requirements.txt" in found.fix
    assert found.code == "import yaml"


@pytest.mark.parametrize(
    "manifests",
    [
        {"requirements.txt": "Flask[async]>=3 ; python_version > '3.8'  # web\nPyYAML\n"},
        {
            "requirements.txt": "-r requirements/base.txt\n",
            "requirements/base.txt": "flask\npyyaml",
        },
        {"requirements.txt": "--requirement=more.txt\nflask\n", "more.txt": "PyYAML==6\n"},
        {
            "requirements.txt": "-e git+https://example.test/y.git#egg=PyYAML\n"
            "--index-url https://pypi.example.test\n-c constraints.txt\nflask @ https://x/f.whl\n"
        },
        {"pyproject.toml": '[project]\nname = "svc"\ndependencies = ["flask", "pyyaml>=6"]\n'},
        {
            "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["flask"]\n'
            '[project.optional-dependencies]\nconfig = ["PyYAML"]\n'
        },
        {
            "pyproject.toml": '[tool.poetry]\nname = "svc"\n[tool.poetry.dependencies]\n'
            'python = "^3.11"\nFlask = "^3"\npyyaml = "*"\n'
        },
        {"setup.cfg": "[metadata]\nname = svc\n[options]\ninstall_requires =\n  flask\n  PyYAML\n"},
        {
            "setup.py": "from setuptools import setup\nsetup(name='svc', install_requires=['flask',"
            " 'pyyaml'])\n"
        },
        {"Pipfile": '[packages]\nflask = "*"\npyyaml = "*"\n'},
        {"environment.yml": "dependencies:\n  - python=3.11\n  - flask\n  - pip:\n    - pyyaml\n"},
    ],
    ids=[
        "requirements",
        "requirements-include",
        "requirements-include-equals",
        "requirements-editable-and-options",
        "pyproject",
        "pyproject-extra",
        "poetry",
        "setup.cfg",
        "setup.py",
        "Pipfile",
        "conda",
    ],
)
def test_declared_dependencies_in_every_format_are_understood(
    tmp_path: Path, manifests: Files
) -> None:
    repo = make_repo(tmp_path, {**manifests, APP: ""}, {"app/service.py": SERVICE})
    assert undeclared(scan(repo)) == []


def test_stdlib_first_party_relative_and_guarded_imports_are_not_findings(tmp_path: Path) -> None:
    code = (
        "from __future__ import annotations\n"
        "import json, asyncio.subprocess\n"
        "from typing import TYPE_CHECKING\n"
        "import app.settings\n"
        "from . import helpers\n"
        "from .helpers import x\n"
        "import helpers\n"  # a sibling module, importable when the script runs from app/
        "import mylib\n"  # src layout
        "import svc_core\n"  # the project's own name
        "from acme.billing import invoices\n"  # a namespace package (no __init__.py)
        "import fastmath\n"  # a compiled extension module
        "try:\n    import ujson as json\nexcept ImportError:\n    import simplejson as json\n"
        "try:\n    import orjson\n"
        "except (ModuleNotFoundError, AttributeError):\n    orjson = None\n"
        "if TYPE_CHECKING:\n    import boto3\n"
        "import typing\nif typing.TYPE_CHECKING:\n    from mypy_boto3_s3 import S3Client\n"
        "import werkzeug\n"  # comes with flask
        "import psycopg2\n"  # provided by psycopg2-binary
        "from google.cloud import storage\n"
        "import PIL.Image\n"
    )
    base = {
        "requirements.txt": "flask\npsycopg2-binary\ngoogle-cloud-storage\nPillow\n",
        "pyproject.toml": '[project]\nname = "svc-core"\n',
        APP: "",
        "app/helpers.py": "x = 1\n",
        "src/mylib/__init__.py": "",
        "acme/billing/invoices.py": "",
        "fastmath.cpython-311-x86_64-linux-gnu.so": b"\x7fELF\0",
    }
    repo = make_repo(tmp_path, base, {"app/service.py": code})
    assert undeclared(scan(repo)) == []


def test_namespace_packages_are_told_apart(tmp_path: Path) -> None:
    code = (
        "from google.protobuf import json_format\n"
        "from google.cloud import storage\n"
        "from google.cloud import bigquery\n"
        "import azure.identity\n"
        "from opentelemetry import trace\n"
    )
    base = {"requirements.txt": "google-cloud-storage\nazure-storage-blob\nopentelemetry-sdk\n"}
    findings = by_rule(scan(make_repo(tmp_path, base, {"svc.py": code})), "undeclared-import")
    assert [(f.line, f.message.split("`")[3]) for f in findings] == [
        (3, "google-cloud-bigquery"),
        (4, "azure-identity"),
    ]


def test_a_project_that_declares_nothing_gets_no_findings(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {APP: ""}, {"app/service.py": SERVICE})
    assert undeclared(scan(repo)) == []


def test_a_development_dependency_in_production_code_is_named_as_such(tmp_path: Path) -> None:
    base = {
        "requirements.txt": "flask\n",
        "requirements-dev.txt": "-r requirements.txt\npytest\nPyYAML\n",
        APP: "",
    }
    head = {
        "app/service.py": SERVICE,
        "tests/test_service.py": "import pytest\nimport yaml\n\ndef test_x():\n    pass\n",
    }
    findings = by_rule(scan(make_repo(tmp_path, base, head)), "undeclared-import")
    assert [(f.path, f.line) for f in findings] == [("app/service.py", 4)]
    assert "only a development dependency" in findings[0].message


def test_test_code_is_checked_against_dev_extras_and_reported_as_info(tmp_path: Path) -> None:
    base = {
        "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["flask"]\n'
        '[project.optional-dependencies]\ntest = ["pytest"]\n'
        "[dependency-groups]\nlint = ['ruff']\n",
        APP: "",
    }
    head = {"tests/test_x.py": "import pytest\nimport ruff\nimport hypothesis\n"}
    findings = by_rule(scan(make_repo(tmp_path, base, head)), "undeclared-import")
    assert [(f.path, f.line, f.severity) for f in findings] == [("tests/test_x.py", 3, "info")]


def test_an_import_that_was_already_there_is_old_debt_unless_its_dependency_was_removed(
    tmp_path: Path,
) -> None:
    base = {"requirements.txt": "flask\nrequests\n", APP: "", "app/old.py": "import yaml\n"}
    head = {
        "requirements.txt": "flask\n",
        "app/old.py": "import yaml\nimport requests\nimport boto3\n",
    }
    findings = by_rule(scan(make_repo(tmp_path, base, head)), "undeclared-import")
    introduced = {f.line: f.introduced for f in findings}
    # yaml: undeclared before and after (debt); requests: its dependency was dropped; boto3: new.
    assert introduced == {1: False, 2: True, 3: True}


def test_a_whole_repository_run_reports_every_undeclared_import(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"requirements.txt": "flask\n", "app/old.py": "import yaml\n"}, {})
    [found] = by_rule(scan(repo, whole=True), "undeclared-import")
    assert found.introduced and found.path == "app/old.py"


def test_excluded_files_are_not_judged(tmp_path: Path) -> None:
    base = {"requirements.txt": "flask\n", ".readyterm.yaml": "exclude: ['legacy/*']\n"}
    repo = make_repo(tmp_path, base, {"legacy/old.py": SERVICE, "app/new.py": SERVICE})
    assert undeclared(scan(repo)) == [("app/new.py", 4)]


def test_dropping_a_dependency_that_unchanged_code_still_imports_is_a_finding(
    tmp_path: Path,
) -> None:
    base = {
        "requirements.txt": "flask\nrequests\nboto3\n",
        APP: "",
        "app/client.py": "import requests\n\nrequests.get('https://x', timeout=5)\n",
        "app/storage.py": "try:\n    import boto3\nexcept ImportError:\n    boto3 = None\n",
    }
    head = {"requirements.txt": "flask\n", "requirements-dev.txt": "requests\n"}
    [found] = by_rule(scan(make_repo(tmp_path, base, head)), "undeclared-import")
    assert (found.path, found.line, found.severity) == ("requirements.txt", 1, "warning")
    assert "app/client.py:1" in found.message and "`requests`" in found.message


def test_dropping_a_package_json_dependency_that_is_still_required_is_a_finding(
    tmp_path: Path,
) -> None:
    before = json.dumps({"dependencies": {"express": "^4", "axios": "^1", "pg": "^8"}})
    after = json.dumps({"dependencies": {"express": "^4", "pg": "^8"}})
    base = {"package.json": before, "src/api.js": "const axios = require('axios');\n"}
    [found] = by_rule(scan(make_repo(tmp_path, base, {"package.json": after})), "undeclared-import")
    assert (found.path, found.severity) == ("package.json", "warning")
    assert "src/api.js:1" in found.message


# --- Python: broken input never crashes ------------------------------------------------------


def test_broken_manifests_give_a_clear_finding_not_a_crash(tmp_path: Path) -> None:
    base = {
        ".readyterm.yaml": "base: main\n",  # so readyterm's own config does not need pyproject
        "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["flask",, ]\n',
        "svc/__init__.py": "",
    }
    repo = make_repo(tmp_path, base, {"svc/service.py": SERVICE})
    findings = scan(repo)
    [problem] = by_rule(findings, "dependency-manifest-unreadable")
    assert (problem.path, problem.line) == ("pyproject.toml", 3)
    assert "not valid TOML" in problem.message
    assert problem.introduced  # shown although the change did not touch it: it left it unjudged
    assert undeclared(findings) == []  # nothing can be judged against a broken manifest


def test_requirement_include_loops_and_missing_includes_are_survived(tmp_path: Path) -> None:
    base = {
        "requirements.txt": "-r requirements-a.txt\nflask\n",
        "requirements-a.txt": "-r requirements.txt\n-r ./requirements-a.txt\nPyYAML\n",
        "requirements-b.txt": "-r ../../etc/passwd\n-r missing.txt\n",
        APP: "",
    }
    findings = scan(make_repo(tmp_path, base, {"app/service.py": SERVICE}))
    problems = by_rule(findings, "dependency-manifest-unreadable")
    assert sorted(p.line for p in problems) == [1, 2]
    assert all(p.path == "requirements-b.txt" for p in problems)


@pytest.mark.parametrize(
    "source",
    [
        b"import yaml\nthis is not python(\n",
        b"\xff\xfeimport yaml\n\x80\x81\n",
        b"# -*- coding: latin-1 -*-\nimport yaml\nname = '\xe9'\n",
        b"x = " + b"(" * 5000 + b")" * 5000 + b"\nimport yaml\n",
        ("import yaml\n" + "value = [1, 2, 3]\n" * 40_000).encode(),
    ],
    ids=["syntax-error", "not-utf8", "latin-1-cookie", "deeply-nested", "large"],
)
def test_odd_python_files_are_skipped_or_judged_never_crash(tmp_path: Path, source: bytes) -> None:
    repo = make_repo(tmp_path, {"requirements.txt": "flask\n", APP: ""}, {"app/odd.py": source})
    found = undeclared(scan(repo))
    assert found in ([], [("app/odd.py", 1)], [("app/odd.py", 2)])


def test_requirement_names_are_parsed_like_pip() -> None:
    assert requirement_name("Flask[async]>=3; python_version>'3.8'") == "flask"
    assert requirement_name("zope.interface==6") == "zope-interface"
    assert requirement_name("git+https://x/y.git#egg=My_Pkg") == "my-pkg"
    assert requirement_name("./vendor/pkg") is None
    assert requirement_name("https://x/pkg.whl") is None
    assert requirement_name("pkg @ https://x/pkg.whl") == "pkg"


# --- JavaScript / TypeScript: undeclared imports ---------------------------------------------

PACKAGE_JSON = json.dumps(
    {
        "name": "orders-web",
        "dependencies": {"express": "^4", "lodash": "^4", "@aws-sdk/client-s3": "^3"},
        "devDependencies": {"typescript": "^5"},
    }
)


def test_a_bare_import_package_json_does_not_declare_is_a_finding(tmp_path: Path) -> None:
    code = (
        "import express from 'express';\n"
        "import fp from 'lodash/fp';\n"
        "import { S3Client } from '@aws-sdk/client-s3';\n"
        "const axios = require('axios');\n"
        'import {\n  Queue,\n} from "@aws-sdk/client-sqs";\n'
        "const lazy = await import('chalk');\n"
    )
    repo = make_repo(tmp_path, {"package.json": PACKAGE_JSON}, {"src/app.js": code})
    findings = by_rule(scan(repo), "undeclared-import")
    assert [(f.path, f.line) for f in findings] == [
        ("src/app.js", 4),
        ("src/app.js", 5),
        ("src/app.js", 8),
    ]
    assert "`axios`" in findings[0].message and "package.json" in findings[0].fix
    assert "npm install axios" in findings[0].fix


def test_builtins_relative_type_only_aliases_and_comments_are_not_findings(
    tmp_path: Path,
) -> None:
    code = (
        "import fs from 'fs';\n"
        "import { readFile } from 'node:fs/promises';\n"
        'import path from "path";\n'
        "import { helper } from './helper';\n"
        "import config from '../config.json';\n"
        "import type { Request } from 'koa';\n"
        "import { type Context, type Next } from 'hono';\n"
        "export type { Job } from 'bullmq';\n"
        "import Button from '@/components/Button';\n"
        "import { db } from '@app/db';\n"
        "import utils from 'utils/strings';\n"  # resolved through baseUrl
        "import shared from '@orders/shared';\n"  # a workspace package
        "// import nope from 'commented-out';\n"
        "/* const x = require('also-commented'); */\n"
        "const doc = `import x from 'in-a-template'`;\n"
        "import data from '#internal/data';\n"
        "import raw from 'virtual:icons';\n"
    )
    tsconfig = (
        "{\n  // comments and trailing commas are allowed here\n"
        '  "compilerOptions": {"baseUrl": "./src", "paths": {"@app/*": ["src/*"],},},\n}\n'
    )
    base = {
        "package.json": PACKAGE_JSON,
        "tsconfig.json": tsconfig,
        "src/utils/strings.ts": "export {}\n",
        "packages/shared/package.json": '{"name": "@orders/shared"}',
    }
    repo = make_repo(tmp_path, base, {"src/app.ts": code})
    assert undeclared(scan(repo)) == []


def test_the_nearest_package_json_and_the_hoisted_root_both_count(tmp_path: Path) -> None:
    base = {
        "package.json": json.dumps({"private": True, "devDependencies": {"eslint": "^9"}}),
        "services/api/package.json": json.dumps({"dependencies": {"koa": "^2"}}),
    }
    code = "const Koa = require('koa');\nconst e = require('eslint');\nconst p = require('pg');\n"
    repo = make_repo(tmp_path, base, {"services/api/index.js": code})
    [found] = by_rule(scan(repo), "undeclared-import")
    assert (found.path, found.line) == ("services/api/index.js", 3)
    assert "services/api/package.json" in found.fix


def test_js_test_files_get_info_and_no_package_json_means_no_findings(tmp_path: Path) -> None:
    base = {"web/package.json": PACKAGE_JSON}
    head = {
        "web/src/app.test.js": "const request = require('supertest');\n",
        "scripts/tool.js": "const x = require('left-pad');\n",  # no package.json above it
    }
    findings = by_rule(scan(make_repo(tmp_path, base, head)), "undeclared-import")
    assert [(f.path, f.severity) for f in findings] == [("web/src/app.test.js", "info")]
    assert "--save-dev" in findings[0].fix


@pytest.mark.parametrize(
    "manifest", ["{not json", '["a", "list"]', b"\xff\xfe{}", '{"dependencies": 3}']
)
def test_a_package_json_that_is_not_json_gives_a_finding_not_a_crash(
    tmp_path: Path, manifest: str | bytes
) -> None:
    repo = make_repo(tmp_path, {"package.json": manifest}, {"index.js": "require('express')\n"})
    findings = scan(repo)
    if manifest == '{"dependencies": 3}':  # a JSON object with a wrong type: nothing declared
        assert undeclared(findings) == [("index.js", 1)]
    else:
        [problem] = by_rule(findings, "dependency-manifest-unreadable")
        assert problem.path == "package.json"
        assert undeclared(findings) == []


def test_a_js_import_that_was_already_undeclared_is_old_debt(tmp_path: Path) -> None:
    base = {"package.json": PACKAGE_JSON, "src/app.js": "const a = require('axios');\n"}
    head = {"src/app.js": "const a = require('axios');\nconst c = require('chalk');\n"}
    findings = by_rule(scan(make_repo(tmp_path, base, head)), "undeclared-import")
    assert [(f.line, f.introduced) for f in findings] == [(1, False), (2, True)]


def test_js_import_parsing() -> None:
    assert package_name("@scope/pkg/sub/path") == "@scope/pkg"
    assert package_name("lodash/fp") == "lodash"
    assert package_name("node:fs") is None
    assert package_name("stream/promises") is None
    assert package_name("@/lib") is None
    assert package_name("https://cdn.example/x.js") is None
    found = js_imports("import a, { b } from 'x'; export * from \"y\"\nimport 'z/style.css'\n")
    assert [(i.package, i.line) for i in found] == [("x", 1), ("y", 1), ("z", 2)]
    assert js_imports("const s = 'import x from \"q\"' // require('r')\n") == []


# --- tests step: gate weakening ---------------------------------------------------------------

STRICT_CONFIG = """\
exclude:
  - migrations/*
rules: [ci/rules]
steps:
  logging:
    min_severity: blocker
    severity: {print-instead-of-logger: blocker}
  monitoring:
    attestation_required: true
staging:
  health: /healthz
  smoke: [/api/orders]
"""

LOOSE_CONFIG = """\
exclude:
  - migrations/*
  - app/payments/*
rules: []
steps:
  logging:
    severity: {print-instead-of-logger: info}
  monitoring:
    attestation_required: false
  input-validation:
    enabled: false
staging:
  smoke: []
  probes: {empty_env: false}
"""


def test_every_loosening_of_the_config_is_one_finding_at_its_line(tmp_path: Path) -> None:
    base = {".readyterm.yaml": STRICT_CONFIG, "ci/rules/.keep": ""}
    repo = make_repo(tmp_path, base, {".readyterm.yaml": LOOSE_CONFIG})
    found = {f.line: f.message for f in by_rule(scan(repo), "gate-weakened")}
    assert all(f.step == "tests" for f in by_rule(scan(repo), "gate-weakened"))
    assert by_rule(scan(repo, whole=True), "gate-weakened") == []  # nothing to compare with
    assert set(found) == {3, 4, 6, 7, 9, 11, 12, 13, 14}
    assert "'app/payments/*'" in found[3]
    assert "'ci/rules'" in found[4]
    assert "min_severity` lowered from blocker to none" in found[6]
    assert "`print-instead-of-logger` from blocker to info" in found[7]
    assert "attestation_required" in found[9]
    assert "`input-validation` is switched off" in found[11]
    assert "staging" in found[12] and "/healthz" in found[12]
    assert "/api/orders" in found[13]
    assert "empty_env" in found[14]


def test_tightening_or_leaving_the_config_alone_is_no_finding(tmp_path: Path) -> None:
    tighter = STRICT_CONFIG.replace(
        "min_severity: blocker", "min_severity: blocker\n    enabled: true"
    )
    tighter += "include: []\nmax_file_bytes: 2000000\n"
    tighter = tighter.replace("exclude:\n  - migrations/*\n", "exclude: []\n")
    base = {".readyterm.yaml": STRICT_CONFIG, "ci/rules/.keep": ""}
    repo = make_repo(tmp_path, base, {".readyterm.yaml": tighter})
    assert by_rule(scan(repo), "gate-weakened") == []
    assert by_rule(scan(repo, whole=True), "gate-weakened") == []


def test_a_new_config_file_is_compared_with_the_pyproject_section_it_replaces(
    tmp_path: Path,
) -> None:
    pyproject = '[project]\nname = "svc"\n\n[tool.readyterm]\ninclude = ["app/*", "lib/*"]\n'
    repo = make_repo(
        tmp_path,
        {"pyproject.toml": pyproject},
        {".readyterm.yaml": "include: ['app/*']\nexclude: ['.readyterm.yaml']\n"},
    )
    found = by_rule(scan(repo), "gate-weakened")
    assert [(f.path, f.line) for f in found] == [(".readyterm.yaml", 2), (".readyterm.yaml", 1)]
    assert "'lib/*'" in found[1].message


def test_a_weakened_pyproject_section_points_at_its_line(tmp_path: Path) -> None:
    before = '[project]\nname = "svc"\n\n[tool.readyterm]\nexclude = ["docs/*"]\n'
    after = '[project]\nname = "svc"\n\n[tool.readyterm]\nexclude = ["docs/*",\n  "app/*"]\n'
    repo = make_repo(tmp_path, {"pyproject.toml": before}, {"pyproject.toml": after})
    [found] = by_rule(scan(repo), "gate-weakened")
    assert (found.path, found.line) == ("pyproject.toml", 6)


def test_a_config_that_was_invalid_at_the_base_is_not_compared(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path, {".readyterm.yaml": "exclude: [\n"}, {".readyterm.yaml": "exclude: ['a/*']\n"}
    )
    assert by_rule(scan(repo), "gate-weakened") == []


def test_weakenings_compares_severities_with_the_rule_defaults(tmp_path: Path) -> None:
    pack = load_rule_pack(tmp_path, [])
    blocker = next(r.id for r in pack.rules.values() if r.severity == "blocker")
    base = {"steps": {"logging": {"min_severity": "warning"}}}
    head = {
        "steps": {
            "logging": {"min_severity": "info", "severity": {blocker: "warning"}},
            "tests": {"severity": {"tests-missing": "blocker", "unknown-rule": "info"}},
        }
    }
    messages = [w.message for w in weakenings(base, head, pack)]
    assert len(messages) == 2
    assert "from warning to info" in messages[0]
    assert f"`{blocker}` from blocker to warning" in messages[1]


# --- monitoring: JavaScript / TypeScript web apps ---------------------------------------------

EXPRESS_APP = """\
const express = require('express');
const pino = require('pino');

const app = express();
app.get('/api/orders', (req, res) => res.json([]));
app.listen(process.env.PORT);
"""


def test_an_express_app_without_health_or_error_reporting_gets_both_findings(
    tmp_path: Path,
) -> None:
    package = json.dumps({"dependencies": {"express": "^4", "pino": "^9"}})
    repo = make_repo(tmp_path, {"package.json": package}, {"src/server.js": EXPRESS_APP})
    findings = scan(repo)
    got = {(f.rule, f.path, f.line) for f in findings if f.step == "monitoring"}
    assert got == {
        ("no-health-endpoint", "src/server.js", 1),
        ("no-error-reporting", "src/server.js", 1),
    }


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "src/server.ts": "import express from 'express';\nimport * as Sentry from "
                "'@sentry/node';\nconst app = express();\napp.get(`/healthz`, ok);\n"
            },
            set(),
        ),
        (
            {
                "src/server.js": EXPRESS_APP,
                "src/routes/health.js": "router.get('/readyz', ready)\n",
                "src/metrics.js": "const client = require('prom-client');\n",
            },
            set(),
        ),
        (
            {
                "src/main.ts": "import { NestFactory } from '@nestjs/core';\n",
                "src/health/health.controller.ts": "@Controller('health')\nexport class H {}\n",
            },
            {"no-error-reporting"},
        ),
        (
            {"src/app.js": "import Koa from 'koa';\nimport winston from 'winston';\n"},
            {"no-health-endpoint", "no-error-reporting"},
        ),
        (
            {"test/app.test.js": "const express = require('express');\n"},
            set(),
        ),
    ],
    ids=["sentry-and-healthz", "elsewhere-in-package", "nest", "loggers-only", "tests-only"],
)
def test_js_monitoring_looks_through_the_package(
    tmp_path: Path, files: Files, expected: set[str]
) -> None:
    package = json.dumps({"dependencies": {"express": "^4", "koa": "^2", "@nestjs/core": "^10"}})
    repo = make_repo(tmp_path, {"package.json": package}, files)
    assert {f.rule for f in scan(repo) if f.step == "monitoring"} == expected


def test_a_monitoring_agent_declared_in_package_json_counts(tmp_path: Path) -> None:
    package = json.dumps({"dependencies": {"fastify": "^4", "dd-trace": "^5"}})
    code = "import Fastify from 'fastify'\nconst app = Fastify()\napp.get('/health', ok)\n"
    repo = make_repo(tmp_path, {"package.json": package}, {"index.mjs": code})
    assert [f for f in scan(repo) if f.step == "monitoring"] == []


# --- end to end: the real CLI ---------------------------------------------------------------


def test_cli_reports_an_undeclared_import_in_the_environment_step(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path, {"requirements.txt": "flask\n", APP: ""}, {"app/service.py": SERVICE}
    )
    code, result = run_json(repo, "--steps", "environment")
    assert code == 0  # a warning does not fail the gate without --strict
    findings = step(result, "environment")["findings"]
    assert isinstance(findings, list)
    [found] = [f for f in findings if f["rule"] == "undeclared-import"]
    assert (found["path"], found["line"], found["severity"]) == ("app/service.py", 4, "warning")


def test_cli_reports_a_weakened_gate_in_the_tests_step(tmp_path: Path) -> None:
    base = {".readyterm.yaml": "exclude: [docs/*]\n", APP: "", "tests/test_app.py": ""}
    head = {".readyterm.yaml": "exclude: [docs/*]\nsteps:\n  logging: {enabled: false}\n"}
    code, result = run_json(make_repo(tmp_path, base, head), "--strict", "--steps", "tests")
    assert code == 1
    tests = step(result, "tests")
    assert tests["status"] == "fail"
    findings = tests["findings"]
    assert isinstance(findings, list)
    [found] = [f for f in findings if f["rule"] == "gate-weakened"]
    assert (found["path"], found["line"]) == (".readyterm.yaml", 3)
    assert "`logging` is switched off" in found["message"]


def test_cli_reports_an_express_app_without_a_health_endpoint(tmp_path: Path) -> None:
    package = json.dumps({"dependencies": {"express": "^4", "pino": "^9"}})
    repo = make_repo(tmp_path, {"package.json": package}, {"src/server.js": EXPRESS_APP})
    _code, result = run_json(repo, "--steps", "monitoring")
    findings = step(result, "monitoring")["findings"]
    assert isinstance(findings, list)
    rules = {(f["rule"], f["path"], f["line"]) for f in findings}
    assert ("no-health-endpoint", "src/server.js", 1) in rules
    assert ("no-error-reporting", "src/server.js", 1) in rules


def test_cli_survives_every_kind_of_broken_manifest(tmp_path: Path) -> None:
    """Broken dependency files are findings, not errors; (broken sources are semgrep's and
    bandit's business: an incomplete scan, exit 3, by design.)"""
    base = {
        ".readyterm.yaml": "base: main\n",
        "pyproject.toml": "[project\nname = 'svc'\n",
        "requirements.txt": "-r requirements.txt\nflask\n",
        "package.json": '{"dependencies": {"express": ',
        "web/tsconfig.json": "{{{",
        APP: "",
    }
    head = {
        "app/service.py": "import yaml\n",
        "web/index.js": "const x = require('express')\n",
    }
    code, result = run_json(make_repo(tmp_path, base, head), "--steps", "environment")
    assert code == 0
    environment = step(result, "environment")
    assert environment["status"] == "pass"
    findings = environment["findings"]
    assert isinstance(findings, list)
    broken = {
        (f["path"], f["line"]) for f in findings if f["rule"] == "dependency-manifest-unreadable"
    }
    assert broken == {("pyproject.toml", 1), ("package.json", 1)}
