#!/usr/bin/env bash
# Install what the browser tests need: Debian's chromium and axe-core (npm, into web/node_modules).
# Idempotent: skips each step that is already done. Run as root (CI runs as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ -x /usr/bin/chromium ]; then
  echo "setup_browser: /usr/bin/chromium present, skipping apt"
else
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y chromium
fi

if [ -f "$ROOT/web/node_modules/axe-core/axe.min.js" ]; then
  echo "setup_browser: axe-core present, skipping npm"
else
  (cd "$ROOT/web" && npm ci --no-audit --no-fund --ignore-scripts)
fi

/usr/bin/chromium --version 2>/dev/null || true
echo "setup_browser: ok"
