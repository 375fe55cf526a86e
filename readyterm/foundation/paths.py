"""readyterm's own folder in a repository, `.readyterm/`: the one place its layout is spelled.

.readyterm/waivers.yaml       accepted risks (readyterm waive, the walkthrough's `a`)
.readyterm/attestations.yaml  answers no tool can decide (readyterm attest, `t`)
.readyterm/records/           readiness records (--write-record, `w`)
"""

from __future__ import annotations

import os
from pathlib import Path

READYTERM_DIR = ".readyterm"
#: Everything under `.readyterm/`: writing a decision must not make the judged code look changed.
DECISIONS_DIR = f"{READYTERM_DIR}/"
WAIVERS_FILE = f"{READYTERM_DIR}/waivers.yaml"
ATTESTATIONS_FILE = f"{READYTERM_DIR}/attestations.yaml"
RECORDS_DIR = f"{READYTERM_DIR}/records"


def in_repository(root: Path, name: str) -> Path:
    """root/name, refusing a path that a symlink (.readyterm -> /elsewhere) leads out of the
    repository: readyterm writes its decisions and records only inside the repository."""
    path = root / name
    real_root = os.path.realpath(root)
    real_path = os.path.realpath(path)  # through every symlink, as far as the path exists
    if os.path.commonpath([real_root, real_path]) != real_root:
        raise OutsideRepository(
            f"{name} leads out of the repository (a symlink to {os.path.realpath(path)}); "
            "readyterm writes only inside it: replace the link with a file or folder"
        )
    return path


class OutsideRepository(OSError):
    """A path readyterm would write that resolves outside the repository."""
