#!/usr/bin/env bash
# Set up a fresh Debian machine for rasd's tests and run the whole suite.
# The README's test command and CI's .ci/run both call exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian tools the tests use as referees and terminals: GNU FriBidi, Unicode's bidi test data,
# tmux, a throwaway sshd, and rsvg-convert for screenshots.
packages=(libfribidi-bin unicode-data tmux openssh-server openssh-client librsvg2-bin)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  # Keep apt from starting a system sshd on port 22: the tests start their own on loopback.
  printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
  as_root chmod +x /usr/sbin/policy-rc.d
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy  # default mode over tui/ db/ tests/ ([tool.mypy] in pyproject.toml)
exec .venv/bin/python -m pytest -n 2 "$@"
