#!/usr/bin/env bash
# Exit 0 when the package index INDEX (PEP 503 "simple" layout, such as the PyTorch CPU index
# https://download.pytorch.org/whl/cpu) answers within 10 s and lists a torch 2.13.0 wheel;
# exit 1, saying why on standard error, otherwise. Used by scripts/setup.sh to choose where
# torch comes from; tested by tests/test_docs.py against a local index and a closed port.
#   usage: torch-index.sh INDEX [PYTHON]
set -euo pipefail
INDEX=${1:?usage: torch-index.sh INDEX [PYTHON]}
PY=${2:-python3}
"$PY" - "$INDEX" <<'PY'
import sys, urllib.request

url = sys.argv[1].rstrip("/") + "/torch/"
try:
    with urllib.request.urlopen(url, timeout=10) as answer:
        page = answer.read(50_000_000).decode("utf-8", "replace")
except Exception as exc:  # any failure means: not this index
    sys.exit(f"torch-index: {url}: {exc}")
if "torch-2.13.0" not in page:
    sys.exit(f"torch-index: {url}: no torch 2.13.0 wheel listed")
PY
