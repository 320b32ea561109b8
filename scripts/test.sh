#!/usr/bin/env bash
# Install graphmodel with its test dependencies and run the whole test suite.
# Works on a bare machine with Python >= 3.10 (and Java 17 + Maven for the
# Neo4j tests); extra pytest arguments are passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
"$PY" -m ruff check graphmodel tests benchmarks cli.py
exec "$PY" -m pytest "$@"
