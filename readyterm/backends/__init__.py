"""Backends: the checks that look at the code. Each satisfies `Backend` (backends.base).

`registry.registry()` lists them: semgrep, bandit, the project-level checks (`project/`)
and the Docker smoke test (`staging/`). They import only the foundations, never the engine
that runs and judges them (docs/architecture.md).
"""
