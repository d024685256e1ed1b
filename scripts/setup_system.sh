#!/usr/bin/env bash
# Install the system packages: tcmalloc for the Rasa server (serving/server.py), nginx for the
# reverse proxy (deploy/nginx/; the tests run the binary with their own configuration. On a host with
# systemd the package also starts Debian's default site on port 80: `systemctl disable --now nginx`
# if nothing else uses it), and for the browser tests Debian's chromium and axe-core (npm, into web/node_modules).
# Idempotent: skips each step that is already done. Run as root (CI runs as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PACKAGES=()
[ -x /usr/bin/chromium ] || PACKAGES+=(chromium)
[ -x /usr/sbin/nginx ] || PACKAGES+=(nginx)
[ -e /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 ] || [ "$(uname -m)" != "x86_64" ] \
  || PACKAGES+=(libtcmalloc-minimal4)
if [ ${#PACKAGES[@]} -eq 0 ]; then
  echo "setup_system: chromium, nginx and tcmalloc present, skipping apt"
else
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y "${PACKAGES[@]}"
fi

if [ -f "$ROOT/web/node_modules/axe-core/axe.min.js" ]; then
  echo "setup_system: axe-core present, skipping npm"
else
  (cd "$ROOT/web" && npm ci --no-audit --no-fund --ignore-scripts)
fi

/usr/bin/chromium --version 2>/dev/null || true
/usr/sbin/nginx -v 2>&1 || true
echo "setup_system: ok"
