"""Async Pilot tests run on anyio's pytest plugin (anyio comes with httpx), on asyncio."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
