#!/usr/bin/env bash
# Runs every test: lint, data validation, unit tests, then the services and everything that needs them.
# Called by `make test` (after set-up and training) and so by .ci/run.
#
# The pytest groups run in two lanes side by side: most groups spend much of their time waiting on
# a server, a browser or a timeout, so on two cores two lanes finish well before one would. Each
# line of a lane's output starts with the lane's name. TEST_LANES=1 runs every group one after
# another instead (to read one group's output alone, or on a one-core machine).
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
LANES=${TEST_LANES:-2}
status=0
step() { echo; echo "=== $* ==="; }
run() { "$@" || { echo "FAILED: $*"; status=1; }; }

started=()
for svc in actions models rasa web purge console; do
  if [ ! -f "var/run/$svc.pid" ]; then started+=("$svc"); fi
done
# Stop what this run started: everything (supervisord too) when nothing was running before.
cleanup() {
  if [ "${#started[@]}" -eq 6 ]; then scripts/services.sh stop >/dev/null; return; fi
  for svc in "${started[@]}"; do scripts/services.sh stop-one "$svc" >/dev/null; done
  started=()
}
trap cleanup EXIT

# The tests exercise the model just trained, not the published one (see `make publish`).
export RASA_MODEL=${RASA_MODEL:-models}
mkdir -p results/tests
# The services load the model while the checks below run.
scripts/services.sh start >results/tests/services-start.log 2>&1 &
services_pid=$!

step "lint (ruff)"
run "$VENV/bin/ruff" check actions components channels console scripts serving tests tools web bench
run "$VENV/bin/ruff" format --check actions components channels console scripts serving tests tools web bench

step "rasa data validate"
run "$VENV/bin/rasa" data validate

step "conversation tests (tests/test_stories.yml)"
rm -rf results/stories
run "$VENV/bin/rasa" test core --stories tests/test_stories.yml --model models \
  --fail-on-prediction-errors --out results/stories

step "start services"
wait "$services_pid"
services_status=$?
cat results/tests/services-start.log
[ "$services_status" -eq 0 ] || { echo "FAILED: services did not start"; exit 1; }

export BROWSER_RASA=real

# One pytest process per group: the browser tests' Playwright event loop must not share a process
# with the asyncio tests.
pytest_group() {
  step "pytest $1"
  # shellcheck disable=SC2086
  "$PY" -m pytest -q -rfE $1 || { echo "FAILED: pytest $1"; return 1; }
}

# The cluster (PostgreSQL, Redis, nginx, two Rasa replicas) runs on its own ports, started once by
# the group's fixture; the embedded services stop first so the replicas get their share of the cores.
cluster_group() {
  cleanup
  pytest_group tests/cluster
}

# Groups that start their own servers or load the model in-process; then those that use the
# embedded services, and the cluster once they are done with them.
OWN_SERVERS=("tests/actions tests/components tests/console tests/serving" tests/nlu tests/tools tests/hardening)
EMBEDDED=(tests/e2e tests/browser tests/channels)

lane() {
  local name=$1
  shift
  (
    lane_status=0
    for group in "$@"; do
      if [ "$group" = cluster ]; then cluster_group || lane_status=1
      else pytest_group "$group" || lane_status=1
      fi
    done
    exit "$lane_status"
  ) 2>&1 | sed -u "s/^/[$name] /"
  return "${PIPESTATUS[0]}"
}

if [ "$LANES" -ge 2 ]; then
  lane own "${OWN_SERVERS[@]}" &
  own_pid=$!
  lane embedded "${EMBEDDED[@]}" cluster &
  embedded_pid=$!
  wait "$own_pid" || status=1
  wait "$embedded_pid" || status=1
else
  for group in "${OWN_SERVERS[@]}" "${EMBEDDED[@]}"; do pytest_group "$group" || status=1; done
  cluster_group || status=1
fi

exit $status
