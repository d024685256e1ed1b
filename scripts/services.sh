#!/usr/bin/env bash
# Starts, stops and checks the services: action server, model server, Rasa server, web page.
# Usage: scripts/services.sh start|stop|status|start-one NAME|stop-one NAME
# Pids and logs live in var/run and var/log. Ports: RASA_PORT (5005), ACTION_PORT (5055), WEB_PORT (8080).
# RASA_MODEL: the model file or folder to serve (default: the published model, see below).
# Without RASA_MODEL, Rasa takes the published model from the model server (tools/model_server.py,
# 127.0.0.1:MODEL_SERVER_PORT, default 5006) and switches to a new one after `make publish` or
# `make rollback` without stopping. SERVE_MODEL=latest serves the newest trained model instead.
# RASA_HOST: the address Rasa listens on (default 127.0.0.1; a reverse proxy or the page reaches it there).
set -euo pipefail
cd "$(dirname "$0")/.."
# Nothing is fetched at run time: no telemetry, no model hub.
export RASA_TELEMETRY_ENABLED=false HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# Deployment settings and channel secrets (see .env.example); never committed.
if [ -f .env ]; then set -a; . ./.env; set +a; fi
VENV=${VENV:-.venv}
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
MODEL_SERVER_PORT=${MODEL_SERVER_PORT:-5006}
CORS_ORIGINS=${CORS_ORIGINS:-http://localhost:${WEB_PORT} http://127.0.0.1:${WEB_PORT}}
LOG_LEVEL=${LOG_LEVEL:-WARNING}
mkdir -p var/run var/log

health_url() {
  case "$1" in
    actions) echo "http://127.0.0.1:${ACTION_PORT}/health" ;;
    rasa) echo "http://127.0.0.1:${RASA_PORT}/" ;;
    models) echo "http://127.0.0.1:${MODEL_SERVER_PORT}/health" ;;
    web) echo "http://127.0.0.1:${WEB_PORT}/" ;;
  esac
}

launch() {
  case "$1" in
    actions)
      exec "$VENV/bin/python" -m rasa_sdk --actions actions --port "$ACTION_PORT" ;;
    models)
      exec "$VENV/bin/python" -m tools.model_server --port "$MODEL_SERVER_PORT" ;;
    rasa)
      endpoints=endpoints.yml
      if [ -z "${RASA_MODEL:-}" ]; then  # pull the published model (endpoints.yml plus `models:`)
        endpoints=var/run/endpoints.yml
        { cat endpoints.yml; printf '\nmodels:\n  url: "http://127.0.0.1:%s/model"\n  wait_time_between_pulls: %s\n' \
          "$MODEL_SERVER_PORT" "${MODEL_PULL_S:-10}"; } >"$endpoints"
      fi
      api=()
      if [ "${RASA_ENABLE_API:-false}" = "true" ]; then
        [ -n "${RASA_JWT_SECRET:-}" ] || { echo "RASA_ENABLE_API=true needs RASA_JWT_SECRET" >&2; exit 1; }
        api=(--enable-api)  # scripts/rasa_server.py reads RASA_JWT_SECRET: not on the command line (ps)
      fi
      # shellcheck disable=SC2086
      exec "$VENV/bin/python" scripts/rasa_server.py --model "${RASA_MODEL:-models}" \
        --interface "${RASA_HOST:-127.0.0.1}" --port "$RASA_PORT" \
        --credentials credentials.yml --endpoints "$endpoints" --cors $CORS_ORIGINS \
        --log-file var/log/rasa-server.log "${api[@]}" ;;
    web)
      RASA_URL="${RASA_URL:-http://localhost:${RASA_PORT}}" exec "$VENV/bin/python" web/serve.py ;;
  esac
}

is_up() { curl -fsS -o /dev/null --max-time 2 "$(health_url "$1")" 2>/dev/null; }

start_one() {
  local name=$1 pidfile="var/run/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pidfile"))"; return 0
  fi
  if is_up "$name"; then
    echo "Port for $name is taken by another program: stop it first ($(health_url "$name"))" >&2; return 1
  fi
  ( launch "$name" ) >"var/log/$name.log" 2>&1 &
  echo $! >"$pidfile"
  local limit=${START_TIMEOUT_S:-180}
  for _ in $(seq "$limit"); do
    if is_up "$name"; then echo "$name is up: $(health_url "$name")"; return 0; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "$name failed to start; last lines of var/log/$name.log:" >&2
      tail -n 20 "var/log/$name.log" >&2; rm -f "$pidfile"; return 1
    fi
    sleep 1
  done
  echo "$name did not answer within ${limit}s; see var/log/$name.log" >&2; return 1
}

stop_one() {
  local pidfile="var/run/$1.pid"
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    echo "$1 stopped"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start_one actions; [ -n "${RASA_MODEL:-}" ] || start_one models; start_one rasa; start_one web ;;
  stop) stop_one web; stop_one rasa; stop_one models; stop_one actions ;;
  status) for s in actions models rasa web; do if is_up "$s"; then echo "$s: up"; else echo "$s: down"; fi; done ;;
  start-one) if [ "$2" = rasa ] && [ -z "${RASA_MODEL:-}" ]; then start_one models; fi; start_one "$2" ;;
  stop-one) stop_one "$2" ;;
  *) echo "usage: $0 start|stop|status|start-one NAME|stop-one NAME" >&2; exit 2 ;;
esac
