"""The project-level checks (one backend): what no single-file semgrep rule can see."""
