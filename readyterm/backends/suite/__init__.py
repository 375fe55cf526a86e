"""The `tests` step: the project's own suite, run under coverage (it runs the project's code)."""
