"""The readiness record: a YAML file committed next to the code, and its verification.

Deterministic and merge-friendly: sorted keys and lists, no line numbers (they churn on
every edit), one file per run named by UTC time and commit so two branches never collide.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from readyterm.engine.result import RunResult
from readyterm.engine.seal import seal
from readyterm.engine.test_figures import record_figures
from readyterm.foundation import userfiles
from readyterm.foundation.atomic import create_text_atomic
from readyterm.foundation.errors import RecordError
from readyterm.foundation.paths import RECORDS_DIR, in_repository

RECORD_SCHEMA = "readyterm.record/1"
_SUFFIXED = re.compile(r"\d{8}T\d{6}Z-[0-9a-z]+-(\d+)\.yaml")
_MAX_NAME_ATTEMPTS = 100
RECORD_MAX_BYTES = 256 * 1024 * 1024


def record_schema() -> dict[str, Any]:
    text = resources.files("readyterm").joinpath("schemas/record.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def build_record(result: RunResult, now: dt.datetime) -> dict[str, Any]:
    # Sealed as it will read back: YAML turns a few characters (U+0085) into line breaks.
    record: dict[str, Any] = _load_yaml(_dump(_attested(result, now)))
    record["seal"] = seal(record)  # verify names any field edited after this
    return record


def _attested(result: RunResult, now: dt.datetime) -> dict[str, Any]:
    scope = result.scope
    return {
        "schema": RECORD_SCHEMA,
        "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tool": {key: result.tool_versions[key] for key in sorted(result.tool_versions)},
        "branch": scope.branch,
        "base_ref": scope.base_ref,
        "base": scope.base,
        "head": scope.head,
        "scope": {
            "mode": scope.mode,
            "digest": scope.digest,
            "files": sorted(scope.files),
            "deleted": sorted(scope.deleted),
        },
        "verdict": result.verdict,
        "strict": result.strict,
        "steps": [
            {
                "id": step.id,
                "status": step.status,
                "summary": step.summary,
                "findings": sorted(
                    (
                        {
                            "rule": f.rule,
                            "severity": f.severity,
                            "path": f.path,
                            "message": f.message,
                            "fingerprint": f.fingerprint,
                        }
                        for f in step.open_findings()
                    ),
                    key=lambda item: (item["path"], item["rule"], item["fingerprint"]),
                ),
            }
            for step in result.steps
        ],
        "waivers": sorted(
            (
                {**waiver, "fingerprints": sorted(waiver["fingerprints"])}
                for waiver in result.waivers_applied
            ),
            key=lambda w: (str(w["owner"]), str(w["reason"]), str(w["expires"])),
        ),
        "attestations": result.attestations,
        "staging": next((s.details for s in result.steps if s.id == "staging"), None),
        "tests": record_figures(next((s.details for s in result.steps if s.id == "tests"), None)),
    }


def write_record(root: Path, result: RunResult, now: dt.datetime | None = None) -> Path:
    """Write the record atomically under .readyterm/records/ and return its path."""
    now = now or dt.datetime.now(dt.UTC)
    record = build_record(result, now)
    _validate(record, "the new record")
    text = _dump(record)
    stem = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{(result.scope.head or 'nocommit')[:12]}"
    try:
        folder = in_repository(root, RECORDS_DIR)
    except OSError as exc:
        raise RecordError(str(exc)) from None
    for attempt in range(_MAX_NAME_ATTEMPTS):
        path = folder / (f"{stem}.yaml" if attempt == 0 else f"{stem}-{attempt + 1}.yaml")
        try:
            if create_text_atomic(path, text):
                return path
        except OSError as exc:
            raise RecordError(f"cannot write {path}: {exc.strerror}") from None
    raise RecordError(f"cannot find a free record name for {stem} in {folder}")


def _dump(record: dict[str, Any]) -> str:
    return yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)


def _validate(record: Any, what: str) -> None:
    import jsonschema  # here: 50 ms of imports that only writing or verifying a record needs

    try:
        jsonschema.validate(
            record, record_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise RecordError(
            f"{what} is not a valid readiness record: {where}: {exc.message}"
        ) from None


class _RecordLoader(yaml.SafeLoader):
    """Safe YAML where dates and times stay strings, as the record writes them.

    A hand edit that drops the quotes (`expires: 2025-01-31`) must not turn a valid record
    into an invalid one.
    """


_RecordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(text: str) -> Any:
    loader = _RecordLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@dataclass(frozen=True)
class StoredRecord:
    path: Path
    data: dict[str, Any]


def load_records(root: Path) -> list[StoredRecord]:
    """Every record in the work tree, newest first; a malformed one is an error naming it."""
    folder = root / RECORDS_DIR
    records = []
    for path in sorted(folder.glob("*.yaml"), reverse=True) if folder.is_dir() else []:
        try:
            # a record lists every file in scope: a big monorepo's can pass 4 MiB
            text = userfiles.read_text(path, limit=RECORD_MAX_BYTES)
            userfiles.check_aliases(text)
            data = _load_yaml(text)
        except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            raise RecordError(f"{path.relative_to(root)}: cannot be read: {exc}") from None
        _validate(data, str(path.relative_to(root)))
        records.append(StoredRecord(path, data))
    records.sort(key=lambda r: (r.data["created"], _attempt(r.path.name)), reverse=True)
    return records


def _attempt(name: str) -> int:
    """Records written in the same second for one commit are `STEM.yaml`, `STEM-2.yaml`, ..."""
    match = _SUFFIXED.fullmatch(name)
    return int(match.group(1)) if match else 1
