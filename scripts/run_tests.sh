#!/usr/bin/env bash
# Runs every test: lint, data validation, unit tests, then the services and everything that needs them.
# Called by `make test` (after set-up and training) and so by .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
status=0
step() { echo; echo "=== $* ==="; }
run() { "$@" || { echo "FAILED: $*"; status=1; }; }

step "lint (ruff)"
run "$VENV/bin/ruff" check actions components channels console scripts serving tests tools web bench
run "$VENV/bin/ruff" format --check actions components channels console scripts serving tests tools web bench

step "rasa data validate"
run "$VENV/bin/rasa" data validate

step "conversation tests (tests/test_stories.yml)"
rm -rf results/stories
run "$VENV/bin/rasa" test core --stories tests/test_stories.yml --model models \
  --fail-on-prediction-errors --out results/stories

started=()
for svc in actions models rasa web purge console; do
  if [ ! -f "var/run/$svc.pid" ]; then started+=("$svc"); fi
done
# Stop what this run started: everything (supervisord too) when nothing was running before.
cleanup() {
  if [ "${#started[@]}" -eq 6 ]; then scripts/services.sh stop >/dev/null; return; fi
  for svc in "${started[@]}"; do scripts/services.sh stop-one "$svc" >/dev/null; done
}
trap cleanup EXIT

step "start services"
# The tests exercise the model just trained, not the published one (see `make publish`).
export RASA_MODEL=${RASA_MODEL:-models}
scripts/services.sh start || { echo "FAILED: services did not start"; exit 1; }

export BROWSER_RASA=real
# One pytest process per group: the browser tests' Playwright event loop must not share a process
# with the asyncio tests.
for group in "tests/actions tests/components tests/console tests/serving" tests/nlu tests/e2e tests/browser tests/channels \
             tests/tools tests/hardening; do
  step "pytest $group"
  # shellcheck disable=SC2086
  run "$PY" -m pytest -q -rfE $group
done

# The cluster (PostgreSQL, Redis, nginx, two Rasa replicas) runs on its own ports, started once by
# the group's fixture; the embedded services stop first so the replicas get the cores.
cleanup
started=()
step "pytest tests/cluster"
run "$PY" -m pytest -q -rfE tests/cluster

exit $status
