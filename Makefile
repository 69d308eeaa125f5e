# CareOps: two commands on a fresh machine with Python 3.11.
#   make run   create .venv, install, start the console (with no model yet, the console starts the
#              first training itself and serves its champion when it is ready: no restart)
#   make test  install what the tests need, start Redis where it is not running, run the whole suite

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# The two model manifests (core/nlu/model_files.py): a missing one of either rebuilds both.
MODELS_DIR ?= $(or $(CAREOPS_DATA_DIR),data)/models
MODELS := $(MODELS_DIR)/intent.json $(MODELS_DIR)/crisis.json
REDIS_HOST := 127.0.0.1
REDIS_PORT := 6379
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test lint train evaluate benchmark services browser clean

$(STAMP): requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

$(MODELS) &: | $(STAMP)
	$(PY) -m core train

run: $(STAMP)
	@$(PY) -m core users hint
	@$(PY) -m streamlit run app.py --server.port 8501 --server.headless true

train: $(STAMP)
	$(PY) -m core train

evaluate: $(MODELS)
	$(PY) -m core evaluate

benchmark: $(MODELS)
	$(PY) benchmarks/bench_reply.py

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check core tests benchmarks app.py pages

# Start Redis and PostgreSQL where they are not running (installing them from Debian's packages
# where they are missing), and make sure the browser test has Chromium and axe-core.
services:
	@if ! (command -v redis-cli >/dev/null && redis-cli -h $(REDIS_HOST) -p $(REDIS_PORT) ping >/dev/null 2>&1); then \
		command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null); \
		redis-server --daemonize yes --bind $(REDIS_HOST) --port $(REDIS_PORT) --save "" --appendonly no; \
		for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h $(REDIS_HOST) -p $(REDIS_PORT) ping >/dev/null 2>&1 && break; sleep 0.5; done; \
	fi
	@redis-cli -h $(REDIS_HOST) -p $(REDIS_PORT) ping
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		if ! test -d /etc/postgresql; then \
			apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
			v=$$(ls /etc/postgresql | head -1); \
			sed -i '1i host all all 127.0.0.1/32 trust' /etc/postgresql/$$v/main/pg_hba.conf; \
		fi; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start; \
		for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	@pg_isready -h 127.0.0.1 -p 5432

browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm >/dev/null)
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

test: $(DEV_STAMP) services browser
	$(VENV)/bin/ruff check core tests benchmarks app.py pages
	$(PY) -m pytest

clean:
	rm -rf data/models .pytest_cache .ruff_cache
