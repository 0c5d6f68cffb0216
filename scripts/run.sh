#!/usr/bin/env bash
# The README's main command: set up, validate the gold, then run the main job: score every
# bundled submission (eval/submissions) and write the leaderboard (eval/index.html and friends).
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSGOLD_EXTRAS=${NEWSGOLD_EXTRAS:-test} bash scripts/setup.sh
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
.venv/bin/newsgold validate
.venv/bin/newsgold leaderboard
