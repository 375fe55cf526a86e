"""readyterm's own folder in a repository, `.readyterm/`: the one place its layout is spelled.

.readyterm/waivers.yaml       accepted risks (readyterm waive, the walkthrough's `a`)
.readyterm/attestations.yaml  answers no tool can decide (readyterm attest, `t`)
.readyterm/records/           readiness records (--write-record, `w`)
"""

from __future__ import annotations

READYTERM_DIR = ".readyterm"
#: Everything under `.readyterm/`: writing a decision must not make the judged code look changed.
DECISIONS_DIR = f"{READYTERM_DIR}/"
WAIVERS_FILE = f"{READYTERM_DIR}/waivers.yaml"
ATTESTATIONS_FILE = f"{READYTERM_DIR}/attestations.yaml"
RECORDS_DIR = f"{READYTERM_DIR}/records"
