"""The engine: prepares a run, runs the backends, judges the steps, records the result.

Never imports Textual; see docs/architecture.md for the layers.
"""
