#!/usr/bin/env bash
# Set up the project's virtual environment (.venv) with newsgold and its test extra.
# Idempotent: a second run only checks that everything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
# the stamp records what was installed, so an unchanged pyproject.toml costs nothing
stamp=.venv/.newsgold-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1) ${NEWSGOLD_EXTRAS:-test}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${NEWSGOLD_EXTRAS:-test}]" 2>&1 \
    | grep -v "is ignored: it is neither a file nor a directory" || true
  .venv/bin/python -c "import newsgold" # fail here, not later, if the install did not work
  echo "$want" > "$stamp"
fi
