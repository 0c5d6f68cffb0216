#!/usr/bin/env bash
# The README's test command: sets up everything on a fresh machine, then runs the whole suite.
#   - .venv with newsgold[test] (pytest, hypothesis, nervaluate, seqeval, label-studio-sdk, playwright,
#     spaCy, transformers, torch CPU build: scripts/setup.sh)
#   - a Label Studio server in its own virtual environment (scripts/setup-label-studio.sh), started by the tests
#   - Debian's chromium for the browser test
# Extra arguments go to pytest (e.g. scripts/test.sh -k scoring).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
for hook in scripts/setup-*.sh; do
  [ -e "$hook" ] && bash "$hook"
done
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
exec .venv/bin/python -m pytest "$@"
