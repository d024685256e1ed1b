#!/usr/bin/env bash
# Runs every test: lint, data validation and the tests that need no trained model, then the services
# and everything that needs them.
#
#   scripts/run_tests.sh              all of it, in that order
#   scripts/run_tests.sh model-free   only the first part; its exit status is kept in
#                                     results/tests/model-free.status and it always exits 0
#   scripts/run_tests.sh with-model   only the second part, then fails if the first part did
#
# `make test` (and so .ci/run) runs the first part beside the training, which leaves a core partly
# idle, and the second once the model is trained.
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
PART=${1:-all}
MODEL_FREE_STATUS=results/tests/model-free.status
status=0
step() { echo; echo "=== $* ==="; }
run() { "$@" || { echo "FAILED: $*"; status=1; }; }

# One pytest process per group: the browser tests' Playwright event loop must not share a process
# with the asyncio tests.
pytest_group() {
  step "pytest $1"
  # shellcheck disable=SC2086
  "$PY" -m pytest -q -rfE $1 || { echo "FAILED: pytest $1"; return 1; }
}

# Lint, data validation and the groups that build what they test themselves, without the trained model.
MODEL_FREE=("tests/actions tests/components tests/console tests/serving" tests/tools)
model_free() {
  step "lint (ruff)"
  run "$VENV/bin/ruff" check actions components channels console scripts serving tests tools web bench
  run "$VENV/bin/ruff" format --check actions components channels console scripts serving tests tools web bench

  step "rasa data validate"
  run "$VENV/bin/rasa" data validate

  for group in "${MODEL_FREE[@]}"; do pytest_group "$group" || status=1; done
  return $status
}

mkdir -p results/tests
case "$PART" in
  model-free)
    rm -f "$MODEL_FREE_STATUS"
    model_free 2>&1 | sed -u "s/^/[no model] /"
    echo "${PIPESTATUS[0]}" >"$MODEL_FREE_STATUS"
    exit 0 ;;
  all) model_free || status=1 ;;
  with-model) ;;
  *) echo "usage: $0 [model-free|with-model]" >&2; exit 2 ;;
esac

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
# The services load the model while the conversation tests run.
scripts/services.sh start >results/tests/services-start.log 2>&1 &
services_pid=$!

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

# The cluster (PostgreSQL, Redis, nginx, two Rasa replicas) runs on its own ports, started once by
# the group's fixture; the embedded services stop first so the replicas get their share of the cores.
cluster_group() {
  cleanup
  pytest_group tests/cluster
}

# Groups that start their own servers or load the model in-process; then those that use the
# embedded services, and the cluster once they are done with them.
OWN_SERVERS=(tests/nlu tests/hardening)
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

if [ "$PART" = with-model ]; then
  if [ ! -f "$MODEL_FREE_STATUS" ]; then
    echo "FAILED: the tests without the model did not run (scripts/run_tests.sh model-free)"; status=1
  elif [ "$(cat "$MODEL_FREE_STATUS")" != 0 ]; then
    echo "FAILED: lint, data validation or a test without the model (see the [no model] lines)"; status=1
  fi
fi
exit $status
