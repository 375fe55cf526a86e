"""Build the image with progress streamed, then read what the image says about itself."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker

from readyterm.foundation.errors import ToolError

LABEL = "dev.readyterm.staging"
_LOG_TAIL = 15
# Failures that say the build could not reach a registry or network: the check could not
# run (error), as opposed to a Dockerfile that is broken (fail).
_ENVIRONMENTAL = re.compile(
    r"pull access denied|dial tcp|no such host|i/o timeout|TLS handshake|failed to resolve|"
    r"connection refused|temporary failure in name resolution|network is unreachable|"
    r"manifest unknown|unauthorized: authentication required",
    re.I,
)
_STEP = re.compile(r"^Step \d+/\d+ : .*")
# The legacy builder commits a layer image per step (" ---> 1a2b3c4d5e6f"); a build that
# fails, times out or is cancelled leaves the new ones behind, untagged and unlabelled.
_LAYER = re.compile(r"^\s*---> ([0-9a-f]{12,64})\s*$")
#: After hanging up on a build: how long to look for layers it still commits.
_SWEEP_SECONDS = 3.0
_SWEEP_PAUSE = 0.5


@dataclass
class BuildOutcome:
    image_id: str | None
    tag: str
    seconds: float
    failed_step: str | None = None
    error: str | None = None
    log_tail: list[str] = field(default_factory=list)

    @property
    def environmental(self) -> bool:
        return bool(self.error and _ENVIRONMENTAL.search(self.error))


class BuildCancelled(ToolError):
    pass


def build_image(
    client: docker.DockerClient,
    context: Path,
    dockerfile: str,
    tag: str,
    *,
    timeout: float,
    cancel: threading.Event,
    progress: Callable[[str], None],
) -> BuildOutcome:
    started = time.monotonic()
    lines: list[str] = []
    step: str | None = None
    image_id: str | None = None
    created: list[str] = []  # layers this build made (not reused from the cache)
    reused = False
    stream = client.api.build(
        path=str(context),
        dockerfile=dockerfile,
        tag=tag,
        rm=True,
        forcerm=True,
        decode=True,
        pull=False,
        labels={LABEL: "1"},
    )

    def failed(error: str, abandoned: bool = False) -> BuildOutcome:
        """An unfinished build leaves no layers behind; the outcome names its last step."""
        if abandoned:
            _abandon(client, stream, created)
        else:
            _remove_layers(client, created)
        return BuildOutcome(None, tag, time.monotonic() - started, step, error, lines[-_LOG_TAIL:])

    try:
        for chunk in stream:
            if cancel.is_set():
                _abandon(client, stream, created)
                raise BuildCancelled("the image build was cancelled")
            if time.monotonic() - started > timeout:
                return failed(
                    f"the build did not finish within {timeout:g} s "
                    "(raise timeouts.docker in .readyterm.yaml)",
                    abandoned=True,
                )
            text = str(chunk.get("stream") or chunk.get("status") or "").rstrip()
            for line in text.splitlines():
                if line.strip():
                    lines.append(line)
                    progress(line)
                    if _STEP.match(line):
                        step = line
                    if "---> Using cache" in line:
                        reused = True
                    elif layer := _LAYER.match(line):
                        if not reused:
                            created.append(layer.group(1))
                        reused = False
            if "aux" in chunk and isinstance(chunk["aux"], dict):
                image_id = chunk["aux"].get("ID", image_id)
            if "error" in chunk or "errorDetail" in chunk:
                message = str(chunk.get("error") or chunk["errorDetail"].get("message", ""))
                return failed(message.strip())
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    if image_id is None:
        image_id = client.images.get(tag).id
    return BuildOutcome(image_id, tag, time.monotonic() - started, log_tail=lines[-_LOG_TAIL:])


def _abandon(client: docker.DockerClient, stream: Any, created: list[str]) -> None:
    """Stop reading a build that is still running and remove what it made. The daemon
    finishes the step in progress (and sometimes one more) after we hang up, committing
    layers we never hear of: those are the descendants of the layers we know, swept for a
    few seconds. A layer whose parent we never saw cannot be told from another build's."""
    close = getattr(stream, "close", None)
    if close is not None:
        close()
    deadline = time.monotonic() + _SWEEP_SECONDS
    known = list(created)
    while known and time.monotonic() < deadline:
        found = _descendants(client, known)
        known += found
        time.sleep(_SWEEP_PAUSE)
    _remove_layers(client, known)


def _descendants(client: docker.DockerClient, layers: list[str]) -> list[str]:
    """Images (intermediate ones too) whose parent chain leads to one of `layers` (short or
    full ids), parents before children."""
    try:
        images = client.images.list(all=True)
    except docker.errors.DockerException:
        return []
    known = {layer.removeprefix("sha256:")[:12] for layer in layers}
    parents = {
        image.id.removeprefix("sha256:")[:12]: str(image.attrs.get("Parent") or "").removeprefix(
            "sha256:"
        )[:12]
        for image in images
    }
    found: list[str] = []
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in known and child not in known:
                known.add(child)
                found.append(child)
                grew = True
    return found


def _remove_layers(client: docker.DockerClient, layers: list[str]) -> None:
    """Remove the layer images a build that did not finish made, newest first. Never forced:
    a layer another image still uses stays."""
    for layer in reversed(layers):
        with contextlib.suppress(docker.errors.DockerException):
            client.images.remove(layer, noprune=False)


@dataclass(frozen=True)
class ImageFacts:
    user: str
    exposed_ports: list[int]
    healthcheck: list[str] | None
    env: dict[str, str]
    digest: str


def inspect_image(client: docker.DockerClient, image_id: str) -> ImageFacts:
    attrs: dict[str, Any] = client.images.get(image_id).attrs
    config = attrs.get("Config") or {}
    ports = sorted(
        int(spec.split("/")[0])
        for spec in (config.get("ExposedPorts") or {})
        if spec.endswith("/tcp") and spec.split("/")[0].isdigit()
    )
    health = (config.get("Healthcheck") or {}).get("Test")
    env = dict(item.partition("=")[::2] for item in config.get("Env") or [])
    return ImageFacts(
        user=str(config.get("User") or ""),
        exposed_ports=ports,
        healthcheck=health if health and health != ["NONE"] else None,
        env=env,
        digest=str(attrs.get("Id", image_id)),
    )
