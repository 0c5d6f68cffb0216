#!/usr/bin/env bash
# The README's main command: set up .venv-run with the core dependencies only (no extras: about
# a tenth of the test environment, see docs/install.md), validate the gold, then run the main
# job: score every bundled submission (eval/submissions) and write the leaderboard
# (eval/index.html and friends; byte-identical to the committed one, so `git status` stays clean).
# The test environment is .venv (scripts/test.sh); the two never share packages.
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSGOLD_VENV=.venv-run NEWSGOLD_EXTRAS= bash scripts/setup.sh
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
.venv-run/bin/newsgold validate
.venv-run/bin/newsgold leaderboard
