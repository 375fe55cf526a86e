"""The Docker staging smoke test: build, run production-like, probe, break, clean up."""
