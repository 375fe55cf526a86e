import os
import shlex
import subprocess


def convert(upload_path: str, fmt: str) -> None:
    # ruleid: shell-command-injection
    subprocess.run(f"convert {upload_path} out.{fmt}", shell=True, check=True, timeout=60)


def ping(host: str) -> int:
    # ruleid: shell-command-injection
    return os.system("ping -c 1 " + host)


def archive(folder: str) -> str:
    cmd = "tar czf /tmp/export.tgz %s" % folder
    # ruleid: shell-command-injection
    return subprocess.check_output(cmd, shell=True, text=True, timeout=120)


def convert_safe(upload_path: str, fmt: str) -> None:
    # ok: shell-command-injection
    subprocess.run(["convert", upload_path, f"out.{fmt}"], check=True, timeout=60)


def ping_safe(host: str) -> int:
    # ok: shell-command-injection
    return subprocess.run(["ping", "-c", "1", host], timeout=10).returncode


def archive_quoted(folder: str) -> str:
    # ok: shell-command-injection
    return subprocess.check_output(f"tar czf - {shlex.quote(folder)} | wc -c", shell=True, text=True, timeout=120)


def disk_report() -> str:
    # ok: shell-command-injection
    return subprocess.check_output("df -h / | tail -n 1", shell=True, text=True, timeout=10)
