# One command to set up and run the dashboard, one to set up and run every test.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup system spark run cli test build bench bench-smoke loadtest data check clean

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

setup: $(VENV)/.installed  ## Python packages into .venv

system:  ## Debian packages the browser tests and image export need (chromium, CJK fonts)
	bash scripts/setup_system.sh

spark: setup  ## Java and pyspark for the Spark build and its tests (scripts/setup_spark.sh)
	bash scripts/setup_spark.sh $(PY)

run: setup  ## the main job
	$(PY) -m streamlit run server.py --server.port $(PORT)

test: setup system spark  ## the whole test suite, browser and Spark tests included
	$(PY) -m pytest

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

loadtest: setup  ## 20 simultaneous sessions against a running app (see benchmarks/README.md)
	$(PY) -m benchmarks.loadtest $(if $(URL),--url $(URL),)
