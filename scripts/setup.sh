#!/usr/bin/env bash
# Set up civicrpa on a fresh Debian machine: Debian's Chromium and a Korean font (for the browser
# robots), a virtual environment with the package, and the database schema. Safe to run again.
#   bash scripts/setup.sh          # to run civicrpa
#   bash scripts/setup.sh --dev    # also the test and lint tools
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

# chromium-headless-shell is what headless robots drive (about a third less CPU a page than
# the full browser's headless mode); chromium is for watching a robot (headed) and the fallback.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromium-headless-shell >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "== Installing Debian's chromium and chromium-headless-shell (browser robots drive them; nothing is downloaded at run time)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null
    else
        echo "!! chromium is missing: run 'sudo apt-get install -y chromium chromium-headless-shell' (needed by browser robots)" >&2
    fi
fi

# A Korean font: without one Chromium draws every Hangul syllable as the same box, and the masked
# screenshots robots attach to failed items are unreadable (tests/e2e/sandbox/test_korean_glyphs.py).
if ! fc-list :lang=ko 2>/dev/null | grep -q .; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "== Installing Debian's fonts-nanum (Korean text on robots' evidence screenshots)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum >/dev/null
    else
        echo "!! no Korean font: run 'sudo apt-get install -y fonts-nanum' (evidence screenshots show boxes without it)" >&2
    fi
fi

python_bin="$(command -v python3.11 || command -v python3)"
if [ ! -x .venv/bin/python ]; then
    echo "== Creating .venv with $python_bin"
    "$python_bin" -m venv .venv
fi
echo "== Installing civicrpa${extras} into .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"

echo "== Migrating the database"
.venv/bin/civicrpa db upgrade
