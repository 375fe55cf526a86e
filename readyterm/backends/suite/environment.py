"""The environment the project's suite runs in: the user's, less readyterm's and CI's secrets.

The suite is the project's code; it gets what the developer's own `pytest` would get, but
not readyterm's settings (READYTERM_*) nor the tokens a CI runner hands to the job, which
a test (or a dependency it installs) could send anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_WITHHELD = re.compile(
    r"^(READYTERM_.*"
    r"|COVERAGE_.*"  # our own coverage settings replace the caller's
    r"|GITHUB_TOKEN|GH_TOKEN|GH_ENTERPRISE_TOKEN|ACTIONS_.*(TOKEN|_URL)"
    r"|CI_JOB_TOKEN|CI_JOB_JWT.*|CI_BUILD_TOKEN|CI_REGISTRY_PASSWORD|CI_DEPLOY_PASSWORD"
    r"|CI_DEPENDENCY_PROXY_PASSWORD|GITLAB_TOKEN|.*_ID_TOKEN"
    r"|BITBUCKET_.*TOKEN|SYSTEM_ACCESSTOKEN|BUILDKITE_AGENT_ACCESS_TOKEN|CIRCLE_TOKEN"
    r"|CODECOV_TOKEN|NPM_TOKEN|NODE_AUTH_TOKEN|PYPI_TOKEN|TWINE_PASSWORD)$",
    re.I,
)


def suite_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """environ without the variables a test suite must not see."""
    return {name: value for name, value in environ.items() if not _WITHHELD.match(name)}


def withheld(environ: Mapping[str, str]) -> list[str]:
    """The names suite_environment drops (for the step's details; never their values)."""
    return sorted(name for name in environ if _WITHHELD.match(name))
