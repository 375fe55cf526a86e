"""Foundations every layer may use: config, processes, git, findings, steps, paths.

Imports nothing else of readyterm; see docs/architecture.md for the layers.
"""
