"""Everything a run needs, validated before any check starts: bad input fails here (exit 2)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from readyterm.engine.cache import CacheSettings, ResultCache
from readyterm.engine.decisions import Attestation, WaiverEntry, load_attestations, load_waivers
from readyterm.engine.events import RunOptions
from readyterm.engine.scope import Scope, resolve_scope
from readyterm.foundation.config import Config, load_config
from readyterm.foundation.errors import ConfigError
from readyterm.foundation.gitcmd import find_root
from readyterm.foundation.rulepack import RulePack, load_rule_pack
from readyterm.foundation.steps import STEP_IDS


@dataclass
class Prepared:
    """Everything validated before any check starts: bad input fails here, with exit 2."""

    options: RunOptions
    config: Config
    config_source: str
    scope: Scope
    rule_pack: RulePack
    waivers: list[WaiverEntry]
    attestations: list[Attestation]
    cache: ResultCache = field(default_factory=lambda: ResultCache(None, 0))


def prepare(options: RunOptions, environ: Mapping[str, str] | None = None) -> Prepared:
    unknown = [s for s in options.steps or () if s not in STEP_IDS]
    if unknown:
        raise ConfigError(
            f"--steps: unknown step id {unknown[0]!r}", hint="step ids are: " + ", ".join(STEP_IDS)
        )
    environ = os.environ if environ is None else environ
    cache_settings = CacheSettings.from_environment(environ)
    # The rule index is kept with --no-cache too: it is keyed by the rule files' bytes and
    # cannot change a result (READYTERM_CACHE_DIR set to nothing turns it off as well).
    index_dir = cache_settings.directory
    if not options.use_cache:
        cache_settings = replace(cache_settings, directory=None)
    # Config lives at the repository root; find it before the scope (which needs its globs).
    config, source = load_config(find_root(options.path), environ)
    scope = resolve_scope(options.path, config, base=options.base, whole=options.whole)
    return Prepared(
        options=options,
        config=config,
        config_source=source,
        scope=scope,
        rule_pack=load_rule_pack(scope.root, config.rules, index_dir),
        waivers=load_waivers(scope.root),
        attestations=load_attestations(scope.root),
        # Opened last: everything above can still fail with a usage error.
        cache=ResultCache.open(cache_settings),
    )
