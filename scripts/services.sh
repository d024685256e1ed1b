#!/usr/bin/env bash
# Starts, stops and checks the services: action server, model server, Rasa server, web page, and the
# purge scheduler.
# Usage: scripts/services.sh start|stop|status|start-one NAME|stop-one NAME
# Pids and logs live in RUN_DIR (var/run) and LOG_DIR (var/log), readable by this user only.
# Ports: RASA_PORT (5005), ACTION_PORT (5055), WEB_PORT (8080), MODEL_SERVER_PORT (5006).
# Every service listens on 127.0.0.1 unless RASA_HOST, ACTION_HOST or WEB_HOST says otherwise
# (a reverse proxy on another host: deploy/nginx/).
# RASA_MODEL: the model file or folder to serve (default: the published model, see below).
# Without RASA_MODEL, Rasa takes the published model from the model server (serving/model_server.py,
# 127.0.0.1:MODEL_SERVER_PORT, default 5006) and switches to a new one after `make publish` or
# `make rollback` without stopping. SERVE_MODEL=latest serves the newest trained model instead.
# The purge scheduler runs `make purge` now and every PURGE_INTERVAL_H hours (default 24; 0: off).
# Only the Rasa server gets the whole environment (channel secrets, the JWT secret); every other
# service starts with an empty environment plus the variables it reads (see launch).
set -euo pipefail
cd "$(dirname "$0")/.."
# Conversations, logs and pids: this user only, whichever service creates them.
umask 077
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
PURGE_INTERVAL_H=${PURGE_INTERVAL_H:-24}
RUN_DIR=${RUN_DIR:-var/run}
LOG_DIR=${LOG_DIR:-var/log}
# Rasa, the action server and the purge read LOG_LEVEL; at WARNING nothing logs message text.
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
export ACTION_PORT WEB_PORT MODEL_SERVER_PORT PURGE_INTERVAL_H
mkdir -p var "$RUN_DIR" "$LOG_DIR"
# Files made before umask was set here (an older version, `make purge` by hand) lose other users' access.
chmod -R go-rwx var "$RUN_DIR" "$LOG_DIR"

# Variables every service may read; each service adds its own in launch.
BASE_ENV=(PATH HOME USER LANG LC_ALL LC_CTYPE TZ TMPDIR PYTHONDONTWRITEBYTECODE PYTHONUNBUFFERED
          LOG_LEVEL RASA_TELEMETRY_ENABLED)

# only_env NAME... -- COMMAND...: runs COMMAND with only the named variables (those that are set).
only_env() {
  local pass=() name
  while [ "$1" != "--" ]; do
    name=$1; shift
    if [ -n "${!name+set}" ]; then pass+=("$name=${!name}"); fi
  done
  shift
  exec env -i "${pass[@]}" "$@"
}

loopback_of() { case "$1" in ""|0.0.0.0|::) echo 127.0.0.1 ;; *) echo "$1" ;; esac; }

health_url() {
  case "$1" in
    actions) echo "http://$(loopback_of "${ACTION_HOST:-}"):${ACTION_PORT}/health" ;;
    rasa) echo "http://127.0.0.1:${RASA_PORT}/" ;;
    models) echo "http://127.0.0.1:${MODEL_SERVER_PORT}/health" ;;
    web) echo "http://$(loopback_of "${WEB_HOST:-}"):${WEB_PORT}/" ;;
    purge) echo "every ${PURGE_INTERVAL_H} h, log $LOG_DIR/purge.log" ;;
    console) echo "http://$(loopback_of "${CONSOLE_HOST:-}"):${CONSOLE_PORT:-8090}/health" ;;
  esac
}

launch() {
  case "$1" in
    actions)
      only_env "${BASE_ENV[@]}" ACTION_HOST ACTION_PORT ACTION_MAX_BODY_BYTES REFERRAL_DIRECTORY \
        REFERRAL_PLACES REFERRAL_MAX_SERVICES -- "$VENV/bin/python" scripts/action_server.py ;;
    models)
      only_env "${BASE_ENV[@]}" SERVE_MODEL -- \
        "$VENV/bin/python" -m serving.model_server --port "$MODEL_SERVER_PORT" ;;
    purge)
      only_env "${BASE_ENV[@]}" RETENTION_DAYS -- \
        "$VENV/bin/python" -m tools.purge --every-hours "$PURGE_INTERVAL_H" ;;
    rasa)
      endpoints=endpoints.yml
      if [ -z "${RASA_MODEL:-}" ]; then  # pull the published model (endpoints.yml plus `models:`)
        endpoints="$RUN_DIR/endpoints.yml"
        { cat endpoints.yml; printf '\nmodels:\n  url: "http://127.0.0.1:%s/model"\n  wait_time_between_pulls: %s\n' \
          "$MODEL_SERVER_PORT" "${MODEL_PULL_S:-10}"; } >"$endpoints"
      fi
      api=()
      if [ "${RASA_ENABLE_API:-false}" = "true" ]; then
        [ -n "${RASA_JWT_SECRET:-}" ] || { echo "RASA_ENABLE_API=true needs RASA_JWT_SECRET" >&2; exit 1; }
        api=(--enable-api)  # serving/server.py reads RASA_JWT_SECRET: not on the command line (ps)
      fi
      # shellcheck disable=SC2086
      exec "$VENV/bin/python" -m serving.server --model "${RASA_MODEL:-models}" \
        --interface "${RASA_HOST:-127.0.0.1}" --port "$RASA_PORT" \
        --credentials credentials.yml --endpoints "$endpoints" --cors $CORS_ORIGINS \
        --log-file "$LOG_DIR/rasa-server.log" "${api[@]}" ;;
    console)  # the staff console (console/settings.py reads CONSOLE_*; accounts: make staff-user)
      only_env "${BASE_ENV[@]}" TF_CPP_MIN_LOG_LEVEL HF_HUB_OFFLINE TRANSFORMERS_OFFLINE CONSOLE_HOST \
        CONSOLE_PORT CONSOLE_SECURE_COOKIE STAFF_FILE MODEL_SERVER_PORT PUBLISH_WAIT_S REVIEW_THRESHOLD -- \
        "$VENV/bin/python" -m console.app ;;
    web)
      RASA_URL="${RASA_URL:-http://localhost:${RASA_PORT}}" only_env "${BASE_ENV[@]}" WEB_HOST WEB_PORT \
        RASA_URL WEB_QUIET -- "$VENV/bin/python" web/serve.py ;;
  esac
}

is_up() {
  if [ "$1" = purge ]; then  # no port: up while its process runs
    [ -f "$RUN_DIR/purge.pid" ] && kill -0 "$(cat "$RUN_DIR/purge.pid")" 2>/dev/null; return
  fi
  curl -fsS -o /dev/null --max-time 2 "$(health_url "$1")" 2>/dev/null
}

start_one() {
  local name=$1 pidfile="$RUN_DIR/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pidfile"))"; return 0
  fi
  if [ "$name" != purge ] && is_up "$name"; then
    echo "Port for $name is taken by another program: stop it first ($(health_url "$name"))" >&2; return 1
  fi
  ( launch "$name" ) >"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$pidfile"
  local limit=${START_TIMEOUT_S:-180}
  for _ in $(seq "$limit"); do
    if is_up "$name"; then echo "$name is up: $(health_url "$name")"; return 0; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "$name failed to start; last lines of $LOG_DIR/$name.log:" >&2
      tail -n 20 "$LOG_DIR/$name.log" >&2; rm -f "$pidfile"; return 1
    fi
    sleep 1
  done
  echo "$name did not answer within ${limit}s; see $LOG_DIR/$name.log" >&2; return 1
}

stop_one() {
  local pidfile="$RUN_DIR/$1.pid"
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
  start)
    start_one actions; [ -n "${RASA_MODEL:-}" ] || start_one models; start_one rasa; start_one web; start_one console
    if [ "$PURGE_INTERVAL_H" != 0 ]; then start_one purge; fi ;;
  stop) stop_one console; stop_one purge; stop_one web; stop_one rasa; stop_one models; stop_one actions ;;
  status) for s in actions models rasa web purge console; do if is_up "$s"; then echo "$s: up"; else echo "$s: down"; fi; done ;;
  start-one) if [ "$2" = rasa ] && [ -z "${RASA_MODEL:-}" ]; then start_one models; fi; start_one "$2" ;;
  stop-one) stop_one "$2" ;;
  *) echo "usage: $0 start|stop|status|start-one NAME|stop-one NAME" >&2; exit 2 ;;
esac
