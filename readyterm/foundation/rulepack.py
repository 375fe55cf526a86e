"""The semgrep rule packs: where they live and what each rule says about itself."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

import yaml

from readyterm import __version__
from readyterm.foundation.errors import ConfigError
from readyterm.foundation.findings import SEVERITIES, Severity, cwe_ids
from readyterm.foundation.rule_index import RuleIndex
from readyterm.foundation.steps import STEP_IDS

_SEMGREP_SEVERITY: dict[str, Severity] = {"ERROR": "blocker", "WARNING": "warning"}


@dataclass(frozen=True)
class RuleMeta:
    id: str
    step: str
    severity: Severity
    message: str
    why: str = ""
    fix: str = ""
    secret: bool = False
    source: str = ""
    cwe: tuple[str, ...] = ()
    #: npm packages (name, lowest major; 0: any) whose presence means the rule does not apply.
    not_with: tuple[tuple[str, int], ...] = ()


def bundled_rules_dir() -> Path:
    """The rules shipped in the wheel (readyterm/_rules), else the source tree's rules/."""
    package = Path(__file__).resolve().parents[1]  # readyterm/, from readyterm/foundation/
    for candidate in (package / "_rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("readyterm's bundled rules are missing; reinstall readyterm")


@dataclass(frozen=True)
class RulePack:
    folders: tuple[Path, ...]
    rules: dict[str, RuleMeta]
    version: str

    def steps(self) -> set[str]:
        return {rule.step for rule in self.rules.values()}


def load_rule_pack(root: Path, extra_folders: list[str], index_dir: Path | None = None) -> RulePack:
    """Index every rule (bundled + configured folders); a broken rule file is a config error.

    With index_dir, what each rule file says about its rules is kept there, keyed by the
    file's bytes (readyterm.foundation.rule_index): parsing the YAML of the bundled packs is
    most of what a one-file change costs readyterm itself.
    """
    folders = [bundled_rules_dir()]
    for name in extra_folders:
        path = (root / name).resolve()
        if not path.is_dir():
            raise ConfigError(f"rules: {name!r} is not a folder in {root}")
        folders.append(path)
    index = RuleIndex.load(index_dir)
    rules: dict[str, RuleMeta] = {}
    digest = hashlib.sha256()
    for folder in folders:
        for file in sorted(folder.rglob("*.y*ml")):
            if file.suffix not in (".yaml", ".yml"):
                continue
            text = file.read_bytes()
            digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + text)
            # The folder counts: a rule without metadata.readyterm.step takes its folder's.
            # readyterm's version too: a new release may read the same file differently.
            named = f"{__version__}\0{file.parent.name}/{file.name}".encode()
            key = hashlib.sha256(named + b"\0" + text).hexdigest()
            metas = _from_index(index.get(key), file)
            if metas is None:
                metas = _rules_in(file, text)
                index.put(key, [_to_index(meta) for meta in metas])
            for meta in metas:
                if meta.id in rules:
                    raise ConfigError(f"{file}: rule id {meta.id!r} is defined twice")
                rules[meta.id] = meta
    index.save()
    return RulePack(tuple(folders), rules, "sha256:" + digest.hexdigest()[:16])


def _to_index(meta: RuleMeta) -> dict[str, Any]:
    data = asdict(meta)
    del data["source"]  # the same file may sit in another folder next time
    return data


_TEXT_FIELDS = ("id", "step", "severity", "message", "why", "fix")


def _fits(entry: dict[str, Any]) -> bool:
    """An index entry has every field with its type (the file may have been damaged)."""
    return (
        all(isinstance(entry.get(key), str) for key in _TEXT_FIELDS)
        and isinstance(entry.get("secret"), bool)
        and isinstance(entry.get("cwe"), list)
        and all(isinstance(c, str) for c in entry["cwe"])
        and isinstance(entry.get("not_with"), list)
        and all(
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], int)
            and not isinstance(pair[1], bool)
            for pair in entry["not_with"]
        )
        and set(entry) == {*_TEXT_FIELDS, "secret", "cwe", "not_with"}
    )


def _from_index(entries: list[dict[str, Any]] | None, file: Path) -> list[RuleMeta] | None:
    """The file's rules as the index kept them; None when it has none or they do not fit."""
    if entries is None or not all(_fits(entry) for entry in entries):
        return None  # damaged, or written by another readyterm: parse the file again
    metas = [
        RuleMeta(
            **{
                **entry,
                "cwe": tuple(entry["cwe"]),
                "not_with": tuple((name, major) for name, major in entry["not_with"]),
            },
            source=str(file),
        )
        for entry in entries
    ]
    if any(m.step not in STEP_IDS or m.severity not in SEVERITIES for m in metas):
        return None
    return metas


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _rules_in(file: Path, text: bytes) -> list[RuleMeta]:
    try:
        # libyaml's parser when PyYAML has it: the pure-Python one took over a second for the
        # bundled packs, on every run.
        document = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file}: not valid YAML: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise ConfigError(f"{file}: a semgrep rule file needs a top-level `rules:` list")
    return [_meta(file, raw) for raw in document["rules"]]


def _meta(file: Path, raw: Any) -> RuleMeta:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ConfigError(f"{file}: every rule needs an `id`")
    metadata = raw.get("metadata") or {}
    ours = metadata.get("readyterm") or {} if isinstance(metadata, dict) else {}
    step = ours.get("step") or (file.parent.name if file.parent.name in STEP_IDS else None)
    if step not in STEP_IDS:
        raise ConfigError(
            f"{file}: rule {raw['id']!r} needs metadata.readyterm.step (one of the step ids) "
            "or must sit in a folder named after its step"
        )
    severity = ours.get("severity") or _SEMGREP_SEVERITY.get(str(raw.get("severity")), "info")
    if severity not in SEVERITIES:
        raise ConfigError(f"{file}: rule {raw['id']!r}: unknown severity {severity!r}")
    return RuleMeta(
        id=raw["id"],
        step=step,
        severity=cast(Severity, severity),
        message=str(raw.get("message", "")).strip(),
        why=str(ours.get("why", "")).strip(),
        fix=str(ours.get("fix", "")).strip(),
        secret=bool(ours.get("secret", False)),
        source=str(file),
        cwe=cwe_ids(metadata.get("cwe") if isinstance(metadata, dict) else None),
        not_with=_not_with(file, raw["id"], ours.get("not_with")),
    )


def _not_with(file: Path, rule: str, raw: object) -> tuple[tuple[str, int], ...]:
    if raw is None:
        return ()
    valid = isinstance(raw, dict) and all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
        for k, v in raw.items()
    )
    if not valid:
        raise ConfigError(
            f"{file}: rule {rule!r}: metadata.readyterm.not_with must map npm package names "
            "to the lowest major version from which the rule does not apply (0: any)"
        )
    return tuple(sorted(cast(dict[str, int], raw).items()))


def rule_yaml_files(pack: RulePack, steps: Collection[str] | None = None) -> list[Path]:
    """The pack's rule files; with steps, only those holding a rule of one of those steps
    (a run of some steps, e.g. one job of a CI matrix, does not pay for the others)."""
    wanted = None if steps is None else {r.source for r in pack.rules.values() if r.step in steps}
    return [
        file
        for folder in pack.folders
        for file in sorted(folder.rglob("*"))
        if file.suffix in (".yaml", ".yml") and (wanted is None or str(file) in wanted)
    ]
