#!/usr/bin/env bash
# Installs what coursesmith needs on Debian bookworm, idempotently; a second run does almost nothing.
#   scripts/install.sh          system packages + Python virtual environment (.venv) with coursesmith
#   scripts/install.sh --test   the same, plus what the test suite needs (Chromium, npm test modules)
set -euo pipefail
cd "$(dirname "$0")/.."
with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

say() { printf '== %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core git)
python3 -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv python3-pip)
if $with_tests; then
  packages+=(chromium poppler-utils)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || { say "creating .venv"; python3 -m venv .venv; }
extras=""; $with_tests && extras="[test]"
stamp=".venv/.coursesmith-installed$extras"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  say "installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extras"
  echo "$wanted" > "$stamp"
fi

if $with_tests; then
  lock_stamp="tests/js/node_modules/.coursesmith-lock"
  wanted_lock="$(sha256sum tests/js/package-lock.json | cut -d' ' -f1)"
  if [ "$(cat "$lock_stamp" 2>/dev/null)" != "$wanted_lock" ]; then
    say "installing npm test modules (scorm-again, axe-core)"
    npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
    echo "$wanted_lock" > "$lock_stamp"
  fi
fi
