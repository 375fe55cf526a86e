"""Source releases from PyPI for the benchmarks: downloaded once into a cache folder."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

DOWNLOAD_TIMEOUT = 600


def download_sdist(name: str, version: str, folder: Path) -> Path:
    """The sdist archive of name==version in folder (`pip download --no-binary :all:`)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = find_archive(folder, name, version)
    if archive is None:
        argv = [sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
                "--no-deps", f"{name}=={version}", "-d", str(folder)]  # fmt: skip
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
        archive = find_archive(folder, name, version)
    if archive is None:
        raise SystemExit(f"could not download {name}=={version} from PyPI")
    return archive


def find_archive(folder: Path, name: str, version: str) -> Path | None:
    """name-version.tar.gz or .zip in folder (PyPI spells `_` and `-` either way)."""
    wanted = re.compile(rf"^{re.escape(name)}-{re.escape(version)}\.(tar\.gz|zip)$", re.I)
    for file in folder.iterdir():
        if wanted.match(file.name.replace("_", "-")):
            return file
    return None


def unpack(archive: Path, into: Path) -> None:
    """Extract a .tar.gz / .tgz / .zip under into (tar members filtered as data only)."""
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(into)
    else:
        with tarfile.open(archive) as tf:
            tf.extractall(into, filter="data")
