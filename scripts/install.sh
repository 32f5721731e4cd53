#!/usr/bin/env bash
# Installs what coursesmith needs on Debian bookworm, idempotently; a second run does almost nothing.
#   scripts/install.sh          system packages, Python virtual environment (.venv) with coursesmith,
#                               and the npm modules `coursesmith preview` serves (js/: scorm-again)
#   scripts/install.sh --test   the same, plus what the test suite needs (Chromium, npm test modules)
set -euo pipefail
cd "$(dirname "$0")/.."
with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

say() { printf '== %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core git)
python3 -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv python3-pip)
# npm installs scorm-again, the SCORM API of `coursesmith preview` (and of the browser tests).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
$with_tests && packages+=(chromium poppler-utils)
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

# npm modules from a folder's lock file, installed again only when the lock file changes.
npm_modules() {
  local folder="$1" what="$2"
  local stamp="$folder/node_modules/.coursesmith-lock"
  local wanted_lock
  wanted_lock="$(sha256sum "$folder/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted_lock" ]; then
    say "installing npm modules ($what)"
    npm ci --prefix "$folder" --no-audit --no-fund --loglevel=error
    echo "$wanted_lock" > "$stamp"
  fi
}
npm_modules js "scorm-again for coursesmith preview"

if $with_tests; then
  npm_modules tests/js "scorm-again, axe-core for the browser tests"
fi
