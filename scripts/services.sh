#!/usr/bin/env bash
# The one launcher: starts, supervises, stops and checks the services, through supervisord (Debian's
# `supervisor` package), which restarts any service that exits.
#
#   scripts/services.sh start          embedded: action server, model server, Rasa, web page, purge
#   scripts/services.sh start-cluster  PostgreSQL, Redis, nginx on RASA_PORT and ACTION_PORT in front
#                                      of RASA_REPLICAS Rasa servers (default 2) and ACTION_REPLICAS
#                                      action servers (default 2), model server, web page, purge
#   scripts/services.sh stop | status | start-one NAME | stop-one NAME | restart-one NAME
#   scripts/services.sh roll           cluster: restart the Rasa servers one by one (`make publish`)
#   scripts/services.sh launch NAME    what supervisord runs for NAME (not for people)
#
# Pids, generated configuration (supervisord.conf, nginx.conf, redis.conf, endpoints.yml) and logs
# live in RUN_DIR (var/run) and LOG_DIR (var/log), readable by this user only. Each RUN_DIR has its
# own supervisord (socket RUN_DIR/supervisor.sock), so tests can run a private set of services.
# Ports: RASA_PORT (5005), ACTION_PORT (5055), WEB_PORT (8080), MODEL_SERVER_PORT (5006); in the
# cluster also RASA_REPLICA_PORT (5011, then 5012...), ACTION_REPLICA_PORT (5061...), DB_PORT (5433),
# REDIS_PORT (6380). Every service listens on 127.0.0.1 unless RASA_HOST, ACTION_HOST or WEB_HOST
# says otherwise (a reverse proxy on another host: deploy/nginx/).
# RASA_MODEL: the model file or folder to serve (default: the published model, see below).
# Without RASA_MODEL, Rasa takes the published model from the model server (serving/model_server.py,
# 127.0.0.1:MODEL_SERVER_PORT, default 5006): embedded, it switches to a new one after
# `make publish` or `make rollback` without stopping; in the cluster each replica loads it when it
# starts, and `roll` restarts the replicas one at a time while nginx sends people to the others.
# SERVE_MODEL=latest serves the newest trained model instead; MODEL_SERVER_URL names another one.
# The purge scheduler runs `make purge` now and every PURGE_INTERVAL_H hours (default 24; 0: off).
# Only the Rasa server gets the whole environment (channel secrets, the JWT secret); every other
# service starts with an empty environment plus the variables it reads (see launch). Each service
# runs with the environment of the command that started it (kept in RUN_DIR/NAME.env, private like
# .env), not supervisord's, also when supervisord restarts it. ENV_FILE names the settings file (default .env).
# Other files: RASA_CREDENTIALS (credentials.yml), RASA_ENDPOINTS (endpoints.yml, or
# deploy/cluster/endpoints.yml in the cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ "${1:-}" = launch ] && [ -f "${RUN_DIR:-var/run}/${2:-}.env" ]; then
  # shellcheck disable=SC1090
  . "${RUN_DIR:-var/run}/$2.env"
fi
# Conversations, logs and pids: this user only, whichever service creates them.
umask 077
# Nothing is fetched at run time: no telemetry, no model hub.
export RASA_TELEMETRY_ENABLED=false HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# Deployment settings and channel secrets (see .env.example); never committed.
ENV_FILE=${ENV_FILE:-.env}
if [ -f "$ENV_FILE" ]; then set -a; . "$ENV_FILE"; set +a; fi
VENV=${VENV:-.venv}
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
MODEL_SERVER_PORT=${MODEL_SERVER_PORT:-5006}
CORS_ORIGINS=${CORS_ORIGINS:-http://localhost:${WEB_PORT} http://127.0.0.1:${WEB_PORT}}
PURGE_INTERVAL_H=${PURGE_INTERVAL_H:-24}
RUN_DIR=${RUN_DIR:-var/run}
LOG_DIR=${LOG_DIR:-var/log}
case "$RUN_DIR" in /*) ;; *) RUN_DIR=$ROOT/$RUN_DIR ;; esac
case "$LOG_DIR" in /*) ;; *) LOG_DIR=$ROOT/$LOG_DIR ;; esac
# The cluster's own PostgreSQL and Redis (data in CLUSTER_DIR, default var/cluster).
RASA_REPLICAS=${RASA_REPLICAS:-2}
ACTION_REPLICAS=${ACTION_REPLICAS:-2}
RASA_REPLICA_PORT=${RASA_REPLICA_PORT:-5011}
ACTION_REPLICA_PORT=${ACTION_REPLICA_PORT:-5061}
DB_PORT=${DB_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
CLUSTER_DIR=${CLUSTER_DIR:-$ROOT/var/cluster}
# Where the cluster's Rasa servers find the others (deploy/cluster/endpoints.yml reads these).
# The names of Rasa's Helm chart (docs/DEPLOY.md).
DB_HOST=${DB_HOST:-127.0.0.1} DB_DATABASE=${DB_DATABASE:-rasa} DB_USER=${DB_USER:-assistant}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
# Rasa's lock store: a replica that dies holding a conversation's lock blocks that conversation this
# long (Rasa's default: 60 s; the load balancer waits 60 s for an answer).
TICKET_LOCK_LIFETIME=${TICKET_LOCK_LIFETIME:-10}
# Rasa, the action server and the purge read LOG_LEVEL; at WARNING nothing logs message text.
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
export VENV RASA_PORT ACTION_PORT WEB_PORT MODEL_SERVER_PORT CORS_ORIGINS PURGE_INTERVAL_H RUN_DIR \
  LOG_DIR RASA_REPLICAS ACTION_REPLICAS RASA_REPLICA_PORT ACTION_REPLICA_PORT DB_PORT REDIS_PORT \
  CLUSTER_DIR PG_BIN ENV_FILE TICKET_LOCK_LIFETIME DB_HOST DB_DATABASE DB_USER REDIS_HOST ACTION_SERVER_URL
# Serving the published model, the action server and the channels read the service directory and
# places published with it (tools/model_store.py): an edit reaches people only through
# `make publish`, and `make rollback` restores both. A model given by RASA_MODEL (tests,
# `make shell`) or SERVE_MODEL=latest goes with the working tree's files.
if [ -z "${RASA_MODEL:-}" ] && [ "${SERVE_MODEL:-published}" != latest ]; then
  export REFERRAL_DIRECTORY=${REFERRAL_DIRECTORY:-$ROOT/models/published/referrals/services.yml}
  export REFERRAL_PLACES=${REFERRAL_PLACES:-$ROOT/models/published/referrals/places.yml}
fi
CONF="$RUN_DIR/supervisord.conf"
SOCK="$RUN_DIR/supervisor.sock"
MODE_FILE="$RUN_DIR/mode"
SECRETS="$CLUSTER_DIR/secrets.env"
if [ "${1:-}" != launch ]; then
  mkdir -p var "$RUN_DIR" "$LOG_DIR"
  # Files made before umask was set here (an older version, `make purge` by hand) lose other users'
  # access. A cluster's folder in var (var/cluster, var/cluster-test) keeps its pass-through: as
  # root, PostgreSQL runs as the postgres user, who must pass through var and that folder to its
  # data (never list or read what is next to it), also while another stack starts beside it, as
  # the two lanes of `make test` do.
  for entry in var/* "$RUN_DIR" "$LOG_DIR"; do
    if [ -d "$entry/postgres" ]; then chmod go-rw "$entry"; elif [ -e "$entry" ]; then chmod -R go-rwx "$entry"; fi
  done
  if compgen -G "var/*/postgres" >/dev/null; then chmod go-rw var; else chmod go-rwx var; fi
fi

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
mode() { cat "$MODE_FILE" 2>/dev/null || echo embedded; }
replica() { echo "${1##*-}"; }  # rasa-2 -> 2
rasa_port_of() { if [ "$1" = rasa ]; then echo "$RASA_PORT"; else echo $((RASA_REPLICA_PORT + $(replica "$1") - 1)); fi; }
action_port_of() { if [ "$1" = actions ]; then echo "$ACTION_PORT"; else echo $((ACTION_REPLICA_PORT + $(replica "$1") - 1)); fi; }
# The generated passwords, unless .env or the environment names others (your own PostgreSQL, Redis).
load_secrets() {
  [ -f "$SECRETS" ] || return 0
  local db=${DB_PASSWORD:-} redis=${REDIS_PASSWORD:-}
  set -a; . "$SECRETS"; set +a
  DB_PASSWORD=${db:-$DB_PASSWORD} REDIS_PASSWORD=${redis:-$REDIS_PASSWORD}
}

health_url() {
  case "$1" in
    actions*) echo "http://$(loopback_of "${ACTION_HOST:-}"):$(action_port_of "$1")/health" ;;
    rasa*) echo "http://127.0.0.1:$(rasa_port_of "$1")/" ;;
    models) echo "http://127.0.0.1:${MODEL_SERVER_PORT}/health" ;;
    web) echo "http://$(loopback_of "${WEB_HOST:-}"):${WEB_PORT}/" ;;
    nginx) echo "http://127.0.0.1:${RASA_PORT}/ (load balancer), :${ACTION_PORT} (action servers)" ;;
    postgres) echo "postgresql://127.0.0.1:${DB_PORT}" ;;
    redis) echo "redis://127.0.0.1:${REDIS_PORT}" ;;
    purge) echo "every ${PURGE_INTERVAL_H} h, log $LOG_DIR/purge.log" ;;
    console) echo "http://$(loopback_of "${CONSOLE_HOST:-}"):${CONSOLE_PORT:-8090}/health" ;;
  esac
}

# The endpoints Rasa reads: embedded endpoints.yml, or the cluster's (PostgreSQL, Redis), plus
# `models:` when the model comes from the model server.
rasa_endpoints() {
  local source=${RASA_ENDPOINTS:-endpoints.yml} target="$RUN_DIR/$1-endpoints.yml" pull=${MODEL_PULL_S:-10}
  if [ "$(mode)" = cluster ]; then source=${RASA_ENDPOINTS:-deploy/cluster/endpoints.yml}; pull=null; fi
  if [ -n "${RASA_MODEL:-}" ]; then echo "$source"; return; fi
  {
    cat "$source"
    if [ -z "${RASA_MODEL:-}" ]; then
      printf '\nmodels:\n  url: "%s"\n  wait_time_between_pulls: %s\n' \
        "${MODEL_SERVER_URL:-http://127.0.0.1:$MODEL_SERVER_PORT/model}" "$pull"
    fi
  } >"$target.tmp"
  mv "$target.tmp" "$target"
  echo "$target"
}

check_api_settings() {
  if [ "${RASA_ENABLE_API:-false}" = "true" ] && [ -z "${RASA_JWT_SECRET:-}" ]; then
    echo "RASA_ENABLE_API=true needs RASA_JWT_SECRET" >&2; return 1
  fi
}

launch() {
  local name=$1
  echo $$ >"$RUN_DIR/$name.pid"  # exec keeps the pid: the pid file names the service itself
  case "$name" in
    actions|actions-*)
      ACTION_PORT=$(action_port_of "$name") only_env "${BASE_ENV[@]}" ACTION_HOST ACTION_PORT \
        ACTION_MAX_BODY_BYTES REFERRAL_DIRECTORY REFERRAL_PLACES REFERRAL_MAX_SERVICES -- \
        "$VENV/bin/python" scripts/action_server.py ;;
    models)
      only_env "${BASE_ENV[@]}" SERVE_MODEL -- \
        "$VENV/bin/python" -m serving.model_server --port "$MODEL_SERVER_PORT" ;;
    purge)
      load_secrets
      local endpoints=()
      if [ "$(mode)" = cluster ]; then endpoints=(--endpoints deploy/cluster/endpoints.yml); fi
      only_env "${BASE_ENV[@]}" RETENTION_DAYS DB_HOST DB_PORT DB_DATABASE DB_USER DB_PASSWORD -- \
        "$VENV/bin/python" -m tools.purge --every-hours "$PURGE_INTERVAL_H" "${endpoints[@]}" ;;
    rasa|rasa-*)
      load_secrets
      check_api_settings || exit 1
      local api=() endpoints
      endpoints=$(rasa_endpoints "$name")
      if [ "${RASA_ENABLE_API:-false}" = "true" ]; then
        api=(--enable-api)  # serving/server.py reads RASA_JWT_SECRET: not on the command line (ps)
      fi
      local log_name=rasa-server
      if [ "$name" != rasa ]; then log_name="$name-server"; fi
      # shellcheck disable=SC2086
      exec "$VENV/bin/python" -m serving.server --model "${RASA_MODEL:-models}" \
        --interface "${RASA_HOST:-127.0.0.1}" --port "$(rasa_port_of "$name")" \
        --credentials "${RASA_CREDENTIALS:-credentials.yml}" --endpoints "$endpoints" --cors $CORS_ORIGINS \
        --log-file "$LOG_DIR/$log_name.log" "${api[@]}" ;;
    console)  # the staff console (console/settings.py reads CONSOLE_*; accounts: make staff-user)
      only_env "${BASE_ENV[@]}" TF_CPP_MIN_LOG_LEVEL HF_HUB_OFFLINE TRANSFORMERS_OFFLINE CONSOLE_HOST \
        CONSOLE_PORT CONSOLE_SECURE_COOKIE STAFF_FILE MODEL_SERVER_PORT PUBLISH_WAIT_S REVIEW_THRESHOLD -- \
        "$VENV/bin/python" -m console.app ;;
    web)
      RASA_URL="${RASA_URL:-http://localhost:${RASA_PORT}}" only_env "${BASE_ENV[@]}" WEB_HOST WEB_PORT \
        RASA_URL WEB_QUIET -- "$VENV/bin/python" web/serve.py ;;
    postgres)
      # PostgreSQL refuses to run as root: as root, its files belong to the postgres user.
      local as=()
      if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
      exec env -i PATH="$PATH" LANG=C.UTF-8 "${as[@]}" "$PG_BIN/postgres" -D "$CLUSTER_DIR/postgres" \
        -c listen_addresses=127.0.0.1 -p "$DB_PORT" -c unix_socket_directories= \
        -c log_destination=stderr -c log_min_messages=warning -c log_min_error_statement=panic \
        -c log_statement=none ;;
    redis)
      exec env -i PATH="$PATH" redis-server "$RUN_DIR/redis.conf" ;;
    nginx)
      exec env -i PATH="$PATH" "${NGINX:-/usr/sbin/nginx}" -e stderr -p "$RUN_DIR/nginx" \
        -c "$RUN_DIR/nginx.conf" -g "daemon off;" ;;
    *) echo "no service called $name" >&2; exit 2 ;;
  esac
}

program() {  # program NAME PRIORITY [extra supervisord lines]: one [program:NAME] section
  cat <<EOF

[program:$1]
command=/usr/bin/env -i PATH="$PATH" RUN_DIR="$RUN_DIR" /bin/bash $ROOT/scripts/services.sh launch $1
directory=$ROOT
priority=$2
autostart=false
autorestart=true
startsecs=1
startretries=3
stopsignal=${3:-TERM}
stopwaitsecs=30
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile=$LOG_DIR/$1.log
stdout_logfile_maxbytes=10MB
stdout_logfile_backups=2
EOF
}

# The programs of a mode, in start order.
programs() {
  if [ "$1" = cluster ]; then
    echo postgres redis
    for i in $(seq "$ACTION_REPLICAS"); do echo "actions-$i"; done
    echo models
    for i in $(seq "$RASA_REPLICAS"); do echo "rasa-$i"; done
    echo nginx web purge console
  else
    echo actions models rasa web purge console
  fi
}

priority_of() {
  case "$1" in
    postgres|redis) echo 10 ;; actions*|models) echo 20 ;; rasa*) echo 30 ;; nginx) echo 40 ;;
    web) echo 50 ;; *) echo 60 ;;
  esac
}

write_supervisor_conf() {
  {
    cat <<EOF
; Written by scripts/services.sh ($1); do not edit.
[unix_http_server]
file=$SOCK
chmod=0700

[supervisord]
logfile=$LOG_DIR/supervisord.log
logfile_maxbytes=5MB
logfile_backups=1
loglevel=warn
pidfile=$RUN_DIR/supervisord.pid
umask=077
nodaemon=false
silent=true

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$SOCK
EOF
    local name signal
    for name in $(programs "$1"); do
      signal=TERM
      # PostgreSQL: fast shutdown (TERM waits for every client to leave); nginx: graceful (QUIT).
      case "$name" in postgres) signal=INT ;; nginx) signal=QUIT ;; esac
      program "$name" "$(priority_of "$name")" "$signal"
    done
  } >"$CONF"
}

ctl() { supervisorctl -c "$CONF" "$@"; }
supervisor_up() { [ -S "$SOCK" ] && ctl pid >/dev/null 2>&1; }
state_of() { ctl status "$1" 2>/dev/null | awk '{print $2}'; }

start_supervisor() {  # start_supervisor MODE
  if supervisor_up; then
    if [ "$(mode)" != "$1" ]; then
      echo "The $(mode) services are running: \`make stop\` first." >&2; return 1
    fi
    return 0
  fi
  echo "$1" >"$MODE_FILE"
  write_supervisor_conf "$1"
  supervisord -c "$CONF"
  for _ in $(seq 50); do supervisor_up && return 0; sleep 0.2; done
  echo "supervisord did not start; see $LOG_DIR/supervisord.log" >&2; return 1
}

is_up() {
  case "$1" in
    purge) [ "$(state_of purge)" = RUNNING ] ;;
    postgres) "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$DB_PORT" ;;
    redis) load_secrets; REDISCLI_AUTH=${REDIS_PASSWORD:-} redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG ;;
    nginx) [ "$(state_of nginx)" = RUNNING ] && curl -sS -o /dev/null --max-time 2 "http://127.0.0.1:${ACTION_PORT}/nginx-health" 2>/dev/null ;;
    *) curl -fsS -o /dev/null --max-time 2 "$(health_url "$1")" 2>/dev/null ;;
  esac
}

start_one() {
  local name=$1
  if [ "$(state_of "$name")" = RUNNING ] && is_up "$name"; then
    echo "$name already running (pid $(ctl pid "$name"))"; return 0
  fi
  case "$name" in purge|nginx) ;; *)
    if is_up "$name"; then
      echo "Port for $name is taken by another program: stop it first ($(health_url "$name"))" >&2; return 1
    fi ;;
  esac
  case "$name" in rasa*) check_api_settings || { stop_if_idle; return 1; } ;; esac
  if [ "${2:-}" != again ]; then export -p >"$RUN_DIR/$name.env"; fi
  : >"$LOG_DIR/$name.log"
  ctl start "$name" >/dev/null 2>&1 || true
  local limit=${START_TIMEOUT_S:-180} pid state
  pid=$(ctl pid "$name" 2>/dev/null || echo 0)
  for _ in $(seq "$limit"); do
    if is_up "$name"; then echo "$name is up: $(health_url "$name")"; return 0; fi
    state=$(state_of "$name")
    # Exited, or restarted by supervisord: it failed (a bad model, a taken port...).
    if [ "$state" != RUNNING ] && [ "$state" != STARTING ] || [ "$(ctl pid "$name" 2>/dev/null)" != "$pid" ]; then
      ctl stop "$name" >/dev/null 2>&1 || true
      echo "$name failed to start; last lines of $LOG_DIR/$name.log:" >&2
      tail -n 20 "$LOG_DIR/$name.log" >&2; rm -f "$RUN_DIR/$name.pid"; stop_if_idle; return 1
    fi
    sleep 1
  done
  echo "$name did not answer within ${limit}s; see $LOG_DIR/$name.log" >&2; return 1
}

stop_one() {
  supervisor_up || { rm -f "$RUN_DIR/$1.pid"; return 0; }
  if [ "$(state_of "$1")" = RUNNING ]; then ctl stop "$1" >/dev/null && echo "$1 stopped"; fi
  ctl stop "$1" >/dev/null 2>&1 || true
  rm -f "$RUN_DIR/$1.pid"
  stop_if_idle
}

# The last service stopped: supervisord goes too.
stop_if_idle() {
  local states
  states=$(ctl status 2>/dev/null || true)  # non-zero whenever a program is stopped
  if ! grep -qE ' (RUNNING|STARTING|BACKOFF) ' <<<"$states"; then stop_all >/dev/null; fi
}

stop_all() {
  supervisor_up || return 0
  local pid; pid=$(cat "$RUN_DIR/supervisord.pid" 2>/dev/null || echo)
  ctl shutdown >/dev/null 2>&1 || true
  for _ in $(seq 120); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  for name in $(programs embedded) $(programs cluster); do rm -f "$RUN_DIR/$name.pid" "$RUN_DIR/$name.env"; done
  rm -f "$MODE_FILE"
  echo "services stopped"
}

# --- cluster: first-time set-up of PostgreSQL, Redis and nginx ----------------------------------

prepare_cluster() {
  [ -x "$PG_BIN/postgres" ] || { echo "PostgreSQL is not installed: make system-deps" >&2; return 1; }
  command -v redis-server >/dev/null || { echo "Redis is not installed: make system-deps" >&2; return 1; }
  # The data folder comes first: it is what marks CLUSTER_DIR as a folder to pass through (above).
  mkdir -p "$CLUSTER_DIR/postgres" "$RUN_DIR/nginx"
  if [ ! -f "$SECRETS" ]; then
    printf 'DB_PASSWORD=%s\nREDIS_PASSWORD=%s\n' "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" \
      "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >"$SECRETS"
  fi
  load_secrets
  local data="$CLUSTER_DIR/postgres" as=()
  if [ "$(id -u)" = 0 ]; then
    as=(runuser -u postgres --)
    chmod o+x "$ROOT/var" "$CLUSTER_DIR"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$data"; fi
    local pwfile="$data.pw"
    echo "$DB_PASSWORD" >"$pwfile"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$pwfile"; fi
    "${as[@]}" "$PG_BIN/initdb" -D "$data" -U "$DB_USER" --pwfile="$pwfile" --auth-host=scram-sha-256 \
      --auth-local=reject -E UTF8 --locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; echo "initdb failed; see $LOG_DIR/initdb.log" >&2; return 1; }
    rm -f "$pwfile"
  fi
  mkdir -p "$CLUSTER_DIR/redis"
  cat >"$RUN_DIR/redis.conf" <<EOF
# Written by scripts/services.sh; do not edit. Only Rasa's lock store: nothing kept on disk.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize no
dir $CLUSTER_DIR/redis
save ""
appendonly no
loglevel warning
requirepass $REDIS_PASSWORD
EOF
  local rasa_servers=() action_servers=() i
  for i in $(seq "$RASA_REPLICAS"); do rasa_servers+=("127.0.0.1:$(rasa_port_of "rasa-$i")"); done
  for i in $(seq "$ACTION_REPLICAS"); do action_servers+=("127.0.0.1:$(action_port_of "actions-$i")"); done
  PYTHONPATH=$ROOT "$VENV/bin/python" -m tools.nginx_config --load-balancer \
    --listen "127.0.0.1:$RASA_PORT" --action-listen "127.0.0.1:$ACTION_PORT" \
    --rasa-servers "${rasa_servers[@]}" --action-servers "${action_servers[@]}" \
    --prefix "$RUN_DIR/nginx" --error-log "$LOG_DIR/nginx-error.log" \
    --web-upstream "127.0.0.1:$WEB_PORT" >"$RUN_DIR/nginx.conf"
}

create_database() {
  load_secrets
  PGPASSWORD=$DB_PASSWORD "$PG_BIN/psql" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -qtA \
    -c "SELECT 1 FROM pg_database WHERE datname = '$DB_DATABASE'" | grep -q 1 \
    || PGPASSWORD=$DB_PASSWORD "$PG_BIN/createdb" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$DB_DATABASE"
}

start_mode() {  # start_mode MODE: every program of the mode, in order
  local name
  for name in $(programs "$1"); do
    case "$name" in
      models) [ -n "${RASA_MODEL:-}" ] && continue ;;
      purge) [ "$PURGE_INTERVAL_H" = 0 ] && continue ;;
    esac
    start_one "$name" || return 1
    if [ "$name" = postgres ]; then create_database; fi
  done
}

roll() {
  [ "$(mode)" = cluster ] && supervisor_up || { echo "The cluster is not running: nothing to roll."; return 0; }
  local name
  for name in $(ctl avail | awk '$1 ~ /^rasa-/ {print $1}'); do
    # supervisord stops it (Sanic finishes the requests it holds), nginx sends new ones to the
    # others, and the replica is back, with the published model, before the next one goes.
    ctl stop "$name" >/dev/null
    start_one "$name" again || return 1
  done
}

case "${1:-}" in
  start) start_supervisor embedded && start_mode embedded ;;
  start-cluster)
    if supervisor_up && [ "$(mode)" != cluster ]; then echo "The embedded services are running: \`make stop\` first." >&2; exit 1; fi
    echo cluster >"$MODE_FILE"
    prepare_cluster && start_supervisor cluster && start_mode cluster ;;
  stop) stop_all ;;
  status)
    m=embedded; supervisor_up && m=$(mode)
    for s in $(programs "$m"); do if is_up "$s"; then echo "$s: up"; else echo "$s: down"; fi; done ;;
  start-one)
    start_supervisor "$(mode)"
    if [[ "$2" = rasa* ]] && [ -z "${RASA_MODEL:-}" ]; then start_one models; fi
    start_one "$2" ;;
  stop-one) stop_one "$2" ;;
  restart-one) supervisor_up && ctl stop "$2" >/dev/null; start_one "$2" again ;;
  roll) roll ;;
  launch) launch "$2" ;;
  *) echo "usage: $0 start|start-cluster|stop|status|start-one NAME|stop-one NAME|restart-one NAME|roll" >&2; exit 2 ;;
esac
