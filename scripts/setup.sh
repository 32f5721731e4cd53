#!/usr/bin/env bash
# One command from a fresh Debian bookworm machine to built courses: installs everything coursesmith
# needs, then builds every course under courses/ into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/coursesmith build
echo "== done: packages and handouts are in dist/; run .venv/bin/coursesmith --help for more" >&2
