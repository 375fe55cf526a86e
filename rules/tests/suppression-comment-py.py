import subprocess

import requests


def fetch(url):
    # ruleid: suppression-comment-py
    return requests.get(url, verify=False)  # nosec B501


def run(cmd):
    # ruleid: suppression-comment-py
    return subprocess.run(cmd, shell=True, timeout=30)  # nosemgrep: python.lang.security.audit.subprocess-shell-true


def legacy(payload):
    # ruleid: suppression-comment-py
    return eval(payload)  # readyterm: ignore[eval-on-input] -- admin-only console


def checked(url):
    # ok: suppression-comment-py
    return requests.get(url, timeout=(3.05, 10))


# ok: suppression-comment-py
NOSEC_DOCS = "https://bandit.readthedocs.io/en/latest/config.html"
