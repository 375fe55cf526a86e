"""Reaching the Docker engine: DOCKER_HOST, then the current Docker context, then the default."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

import docker
from docker.errors import DockerException

from readyterm.foundation.errors import ToolError

_FIX = (
    "start the Docker engine (Docker Desktop, `sudo systemctl start docker`, or `dockerd`), "
    "point DOCKER_HOST or `docker context use` at a reachable one, or pass --no-staging"
)


class EngineUnavailable(ToolError):
    """No Docker engine could be reached; the staging step reports `error`."""


def docker_host(environ: Mapping[str, str]) -> str | None:
    """The engine address the docker CLI would use, or None for the platform default."""
    if environ.get("DOCKER_HOST"):
        return environ["DOCKER_HOST"]
    config_dir = Path(environ.get("DOCKER_CONFIG") or Path(environ.get("HOME", "~")) / ".docker")
    name = environ.get("DOCKER_CONTEXT")
    if not name:
        try:
            name = json.loads((config_dir.expanduser() / "config.json").read_text()).get(
                "currentContext"
            )
        except (OSError, ValueError, AttributeError):
            name = None
    if not name or name == "default":
        return None
    # The docker CLI stores a context's metadata under the SHA-256 of its name.
    meta = config_dir.expanduser() / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    try:
        endpoint = json.loads((meta / "meta.json").read_text())["Endpoints"]["docker"]["Host"]
    except (OSError, ValueError, KeyError, TypeError):
        raise EngineUnavailable(
            f"the Docker context {name!r} is selected but its metadata cannot be read",
            hint="run `docker context ls`, or set DOCKER_HOST",
        ) from None
    return str(endpoint)


def connect(timeout: float, environ: Mapping[str, str] | None = None) -> docker.DockerClient:
    """A client for the engine, checked with a ping; raises EngineUnavailable with the fix."""
    environ = os.environ if environ is None else environ
    host = docker_host(environ)
    try:
        if host and not environ.get("DOCKER_HOST"):
            client = docker.DockerClient(base_url=host, timeout=int(timeout))
        else:
            client = docker.from_env(environment=dict(environ), timeout=int(timeout))
        client.ping()
    except DockerException as exc:
        where = host or "the default socket"
        raise EngineUnavailable(
            f"cannot reach the Docker engine at {where}: {_short(exc)}", hint=_FIX
        ) from None
    except Exception as exc:  # requests/urllib3 errors surface here for TCP hosts
        where = host or "the default socket"
        raise EngineUnavailable(
            f"cannot reach the Docker engine at {where}: {_short(exc)}", hint=_FIX
        ) from None
    return client


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
