# CareOps: two commands on a fresh machine with Python 3.11.
#   make run   create .venv, install, build the default model if there is none, start the console
#   make test  install what the tests need, start Redis where it is not running, run the whole suite

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
MODEL := data/models/intent.skops
REDIS_HOST := 127.0.0.1
REDIS_PORT := 6379
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test lint train evaluate benchmark services clean

$(STAMP): requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

$(MODEL): $(STAMP)
	$(PY) -m core train

run: $(STAMP) $(MODEL)
	@$(PY) -m core users hint
	@$(PY) -m streamlit run app.py --server.port 8501 --server.headless true

train: $(STAMP)
	$(PY) -m core train

evaluate: $(MODEL)
	$(PY) -m core evaluate

benchmark: $(MODEL)
	$(PY) benchmarks/bench_reply.py

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check core tests benchmarks app.py pages

# Start Redis where it is not running (installing it from Debian's packages if it is missing).
services:
	@if ! (command -v redis-cli >/dev/null && redis-cli -h $(REDIS_HOST) -p $(REDIS_PORT) ping >/dev/null 2>&1); then \
		command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null); \
		redis-server --daemonize yes --bind $(REDIS_HOST) --port $(REDIS_PORT) --save "" --appendonly no; \
		for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h $(REDIS_HOST) -p $(REDIS_PORT) ping >/dev/null 2>&1 && break; sleep 0.5; done; \
	fi
	@redis-cli -h $(REDIS_HOST) -p $(REDIS_PORT) ping

test: $(DEV_STAMP) services
	$(VENV)/bin/ruff check core tests benchmarks
	$(PY) -m pytest

clean:
	rm -rf data/models .pytest_cache .ruff_cache
