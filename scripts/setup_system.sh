#!/usr/bin/env bash
# Install the system packages: supervisor (runs the services), PostgreSQL and Redis (the cluster),
# tcmalloc for the Rasa server (serving/server.py), nginx for the reverse proxy (deploy/nginx/) and
# the cluster's load balancer (the tests and the cluster run the binary with their own
# configuration; on a host with systemd the package also starts Debian's default site on port 80:
# `systemctl disable --now nginx` if nothing else uses it), and for the browser tests Debian's
# chromium and axe-core (npm, into web/node_modules).
# Idempotent: skips each step that is already done. Run as root (CI runs as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

PACKAGES=()
[ -x /usr/bin/chromium ] || PACKAGES+=(chromium)
[ -x /usr/sbin/nginx ] || PACKAGES+=(nginx)
# supervisord runs and restarts every service (scripts/services.sh); `make run-cluster` also needs
# PostgreSQL and Redis (run as private instances under var/cluster, never Debian's system services).
command -v supervisord >/dev/null || PACKAGES+=(supervisor)
command -v redis-server >/dev/null || PACKAGES+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || PACKAGES+=(postgresql)
[ -e /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 ] || [ "$(uname -m)" != "x86_64" ] \
  || PACKAGES+=(libtcmalloc-minimal4)
if [ ${#PACKAGES[@]} -eq 0 ]; then
  echo "setup_system: chromium, nginx, tcmalloc, supervisor, redis and postgresql present, skipping apt"
else
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
  # Debian starts the system services it just installed; this project runs its own instances.
  for service in "${PACKAGES[@]}"; do
    case "$service" in supervisor|redis-server|postgresql) ;; *) continue ;; esac
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
      $SUDO systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
  done
fi

if [ -f "$ROOT/web/node_modules/axe-core/axe.min.js" ]; then
  echo "setup_system: axe-core present, skipping npm"
else
  (cd "$ROOT/web" && npm ci --no-audit --no-fund --ignore-scripts)
fi

/usr/bin/chromium --version 2>/dev/null || true
/usr/sbin/nginx -v 2>&1 || true
echo "setup_system: ok"
