"""`readyterm mcp`: an MCP server (stdio) that lets a coding assistant run the checklist,
read a finding's fix prompt, and record decisions exactly as the command line does."""

from __future__ import annotations

from readyterm.cli.mcp.server import serve

__all__ = ["serve"]
