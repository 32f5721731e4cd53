#!/usr/bin/env bash
# One command to run the whole test suite: installs what the tests need (idempotently), then pytest.
# Extra arguments go to pytest, e.g. scripts/test.sh -k scorm
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
exec .venv/bin/python -m pytest "$@"
