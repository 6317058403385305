#!/usr/bin/env bash
# What the Spark build and its tests need: a Java runtime (Debian's openjdk-17-jre-headless when `java` is
# missing) and pyspark in the project's venv (requirements-spark.txt). Runs apt-get only as root; otherwise it
# says what is missing and carries on (the Spark tests then skip outside CI, and fail under CI=true).
set -euo pipefail
PY=${1:-.venv/bin/python}
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: openjdk-17-jre-headless"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # The JRE's post-install step expects this man directory on slim images.
    mkdir -p /usr/share/man/man1
    apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
  else
    echo "java is missing: install openjdk-17-jre-headless as root (the Spark tests will skip)" >&2
  fi
else
  echo "java present: $(java -version 2>&1 | head -1)"
fi
if "$PY" -c "import pyspark" >/dev/null 2>&1; then
  echo "pyspark present: $("$PY" -c 'import pyspark; print(pyspark.__version__)')"
else
  echo "installing: pyspark (requirements-spark.txt)"
  "$PY" -m pip install -q -r requirements-spark.txt
fi
