#!/usr/bin/env bash
# Install graphmodel with its test dependencies and run the whole test suite.
# Works on a bare machine with Python >= 3.10 (and Java 17 + Maven for the
# Neo4j tests); extra pytest arguments are passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
export PIP_ROOT_USER_ACTION=ignore
# The real-Neo4j tests assemble the server with Maven and run it with Java 17.
if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null
  else
    echo "the Neo4j tests need Java 17 and Maven (or a Docker engine): install them first" >&2
  fi
fi
# The report test opens the HTML report in headless Chromium.
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "the report test needs Chromium (Debian package chromium): install it first" >&2
  fi
fi
"$PY" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
"$PY" -m ruff check graphmodel tests benchmarks cli.py
exec "$PY" -m pytest "$@"
