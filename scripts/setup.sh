#!/usr/bin/env bash
# Set up a virtual environment with newsgold (editable) and the extras asked for.
#   NEWSGOLD_VENV    the environment's folder (default .venv, the test environment)
#   NEWSGOLD_EXTRAS  comma-separated extras (default test; empty: the core dependencies only,
#                    which is what scripts/run.sh installs into .venv-run)
# Idempotent: a stamp records what was installed, so a second run with an unchanged
# pyproject.toml only reads the stamp.
#
# torch (test extra only): pyproject.toml pins torch==2.13.0. On Linux, PyPI's torch wheel is the
# CUDA build (several GB of nvidia-* packages); the CPU build lives on the PyTorch CPU index. So
# torch is installed first, on its own: from NEWSGOLD_TORCH_INDEX (default the PyTorch CPU index)
# when that index answers within 10 s, else from the ordinary package index (PyPI and whatever
# pip is configured with; NEWSGOLD_TORCH_INDEX=pypi skips the probe). The extra's install then
# finds torch==2.13.0 (or 2.13.0+cpu) satisfied and adds nothing. docs/install.md says more.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${NEWSGOLD_VENV:-.venv}
EXTRAS=${NEWSGOLD_EXTRAS-test}
TORCH_PIN=torch==2.13.0 # keep equal to the pin of the test extra (tests/test_docs.py checks)
TORCH_INDEX=${NEWSGOLD_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}
quiet() { grep -v "is ignored: it is neither a file nor a directory" || true; }

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | quiet
fi
stamp="$VENV/.newsgold-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1) [${EXTRAS}]"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
pip=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
case ",$EXTRAS," in
*,test,*)
  if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
    if [ "$TORCH_INDEX" != pypi ] && bash scripts/torch-index.sh "$TORCH_INDEX" "$VENV/bin/python"; then
      echo "setup: $TORCH_PIN (CPU build) from $TORCH_INDEX" >&2
      "${pip[@]}" --index-url "$TORCH_INDEX" "$TORCH_PIN" 2>&1 | quiet
    else
      echo "setup: $TORCH_INDEX not reachable; $TORCH_PIN from the default index" >&2
      "${pip[@]}" "$TORCH_PIN" 2>&1 | quiet
    fi
  fi
  ;;
esac
spec=.
[ -n "$EXTRAS" ] && spec=".[$EXTRAS]"
"${pip[@]}" -e "$spec" 2>&1 | quiet
"$VENV/bin/python" -c "import newsgold" # fail here, not later, if the install did not work
echo "$want" >"$stamp"
