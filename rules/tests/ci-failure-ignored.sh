#!/usr/bin/env bash
set -euo pipefail

pip install -e '.[dev]'
# ruleid: ci-failure-ignored
pytest -q tests/ || true
# ruleid: ci-failure-ignored
npm run lint || :
# ruleid: ci-failure-ignored
semgrep scan --config rules/ --error src/ || exit 0
# ok: ci-failure-ignored
ruff check .
# ok: ci-failure-ignored
rm -rf build/ || true
# ok: ci-failure-ignored
docker rm -f test-db || true
# ok: ci-failure-ignored
pytest -q --maxfail=1 tests/
