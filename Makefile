# macrodesk: the two commands a new user needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9
# Dagster keeps its instance (runs, event log, schedules) here unless DAGSTER_HOME is set.
export DAGSTER_HOME ?= $(CURDIR)/var/dagster

.PHONY: setup demo test lint unit integration e2e migrate api dagster dagster-run-all bench compose-config chromium faketime wrk lock clean

setup: $(STAMP) chromium faketime

# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set (this sandbox sets it), Python would otherwise
# recompile the whole stack on every command (a second demo took 7 s instead of 3 s).
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	@$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@$(BIN)/python -m compileall -q src
	@touch $(STAMP)

# Installs Debian package $(1) when the shell test $(4) says it is missing (root with apt-get only); otherwise
# warns that $(3). $(2) says what it is for.
define debian_package
	@if $(4); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's $(1) $(2)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null) \
	      || echo "warning: could not install $(1); $(3)"; \
	  else echo "warning: $(1) not found and not root; $(3)"; fi; \
	fi
endef

# kaleido 1.x renders charts through a Chromium; Debian's package works offline.
chromium:
	$(call debian_package,chromium,for chart export,chart export will fail,[ -z "$$BROWSER_PATH" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-headless-shell >/dev/null 2>&1)

# The CLI end-to-end tests freeze the clock on weekends and holidays with Debian's faketime.
faketime:
	$(call debian_package,faketime,for the frozen-clock tests,the frozen-clock tests will be skipped,! command -v faketime >/dev/null 2>&1)

# The report endpoint's load benchmark drives uvicorn with Debian's wrk (an async Python client would share the CPU).
wrk:
	$(call debian_package,wrk,for the report load benchmark,bench_report.py falls back to an httpx client,! command -v wrk >/dev/null 2>&1)

lock:
	@$(BIN)/uv pip compile --quiet pyproject.toml --extra dev -o requirements.lock --python-version 3.11

migrate: $(STAMP)
	@mkdir -p var
	@$(BIN)/macrodesk db upgrade

demo: setup
	@mkdir -p var $(DAGSTER_HOME)
	@$(BIN)/macrodesk demo

test: setup
	@mkdir -p $(DAGSTER_HOME)
	@$(BIN)/python -m pytest -q -p no:cacheprovider tests

unit: $(STAMP)
	@$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit

integration: $(STAMP)
	@$(BIN)/python -m pytest -q -p no:cacheprovider tests/integration

e2e: setup
	@$(BIN)/python -m pytest -q -p no:cacheprovider tests/e2e

lint: $(STAMP)
	@$(BIN)/ruff check src tests benchmarks
	@$(BIN)/mypy src/domain src/application
	@$(BIN)/lint-imports

api: migrate
	@$(BIN)/macrodesk serve

dagster: migrate
	@mkdir -p $(DAGSTER_HOME)
	@# One instance configuration (the demo installs the same file); an earlier demo's minimal one is replaced.
	@if [ ! -f $(DAGSTER_HOME)/dagster.yaml ] || [ "$$(cat $(DAGSTER_HOME)/dagster.yaml)" = "$$(printf 'telemetry:\n  enabled: false')" ]; then \
	  cp deploy/dagster.yaml $(DAGSTER_HOME)/dagster.yaml; fi
	@$(BIN)/dagster-daemon run -m entrypoints.dagster.definitions & \
	  $(BIN)/dagster-webserver -m entrypoints.dagster.definitions -h 127.0.0.1 -p 3001; \
	  kill %1 2>/dev/null || true

dagster-run-all: migrate
	@mkdir -p $(DAGSTER_HOME)
	@$(BIN)/macrodesk dagster-run

bench: $(STAMP) wrk
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Validates docker-compose.yml without a Docker engine (Debian's docker-compose v1 parses and checks it).
compose-config:
	@if ! command -v docker-compose >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null); \
	  else echo "docker-compose is not installed"; exit 1; fi; \
	fi
	@POSTGRES_PASSWORD=check GRAFANA_ADMIN_PASSWORD=check docker-compose -f docker-compose.yml config --quiet && echo "docker-compose.yml is valid"

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
