#!/usr/bin/env bash
# The README's main command: set up, then run the main job on the bundled corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSGOLD_EXTRAS=${NEWSGOLD_EXTRAS:-test} bash scripts/setup.sh
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
.venv/bin/newsgold validate
.venv/bin/newsgold stats
