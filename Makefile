# One command to set up and run the dashboard, one to set up and run every test.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Test workers for make test (pytest-xdist; each test file stays on one worker, so its server or Spark session is shared).
JOBS ?= 2
# Loopback unless told otherwise: `make run HOST=0.0.0.0` (or CHUANYU_HOST) listens on every interface.
# In production a reverse proxy on the same machine forwards to 127.0.0.1 (docs/deploy.md).
HOST ?= $(if $(CHUANYU_HOST),$(CHUANYU_HOST),127.0.0.1)

.PHONY: setup setup-dev system spark postgres run cli test test-fast lint build bench bench-smoke loadtest data check clean

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed  ## Python packages into .venv

setup-dev: $(VENV)/.dev-installed  ## plus the lint tools (ruff, mypy)

system:  ## Debian packages the browser tests and image export need (chromium, CJK fonts)
	bash scripts/setup_system.sh

postgres:  ## Debian's PostgreSQL server for the store tests (each test run starts a throw-away cluster)
	bash scripts/setup_postgres.sh

spark: setup  ## Java and pyspark for the Spark build and its tests (scripts/setup_spark.sh)
	bash scripts/setup_spark.sh $(PY)

run: setup  ## the main job (127.0.0.1:8501; HOST=0.0.0.0 to listen on every interface)
	$(PY) -m streamlit run server.py --server.address $(HOST) --server.port $(PORT)

run-cluster: setup  ## one dashboard process per core behind nginx, sticky sessions (PROCESSES=2, docs/scaling.md)
	$(PY) -m webserver.cluster --processes $(or $(PROCESSES),2) --address $(HOST) --port $(PORT)

lint: setup-dev  ## ruff (lint and format) and mypy, as configured in pyproject.toml
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: lint system spark postgres  ## lint, then the whole suite: browser, server, Spark and PostgreSQL tests too
	$(PY) -m pytest -n $(JOBS) --dist loadfile --durations=25

test-fast: setup-dev  ## everything but browser, server, slow, Spark and PostgreSQL tests: the inner loop (about 2 minutes)
	$(PY) -m pytest -n $(JOBS) -m "not browser and not server and not slow and not spark and not postgres"

check: setup  ## validate config.yaml and every dataset
	$(PY) -m metrics check

data: setup  ## rebuild the sample CSVs from the seeded generator
	$(PY) scripts/generate_data.py

build: setup  ## build the serving database: ENGINE=spark MASTER=local[2] VERIFY=1 for the Spark build, checked
	$(PY) -m metrics build --engine $(or $(ENGINE),duckdb) $(if $(MASTER),--master '$(MASTER)',) $(if $(VERIFY),--verify,)

clean:
	rm -rf .cache .pytest_cache

bench: setup  ## benchmark at 1e5, 1e6 and 1e7 rows against pandas; writes benchmarks/results.md and .json
	$(PY) -m benchmarks.run $(if $(SIZES),--sizes $(SIZES),) $(if $(NAME),--name $(NAME),)

bench-smoke: setup  ## the same pipeline at 1e5 rows with few runs (under a minute); writes nothing
	$(PY) -m benchmarks.run --sizes 1e5 --quick --no-write

loadtest: setup  ## bursts of 20 and 50 sessions at once, then 20 during a 15 MB validation (benchmarks/README.md)
	$(PY) -m benchmarks.loadtest --validation $(if $(SERVERS),--servers $(SERVERS),) $(if $(URL),--url $(URL),)
