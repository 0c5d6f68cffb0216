#!/usr/bin/env bash
# Mutation testing of the scoring code: see CONTRIBUTING.md, "Mutation testing".
#
# Installs the project with its `mutation` extra (the tool pinned exactly) into a virtual
# environment of its own, copies src/ to mutants/, mutates the modules that [tool.mutmut] in
# pyproject.toml lists (the matching and the layer modules), and runs the fast scoring tests
# listed there against every mutant (2 at a time; JOBS=N to change).
#
# The last line printed is `mutation_score=X`: killed mutants (a timeout counts as killed) over
# all mutants except those listed as equivalent in scripts/mutation-survivors.md. Accepted
# (non-equivalent) survivors stay in the denominator. Exit status 0 even below the target;
# MUTATION_MIN=0.9 makes a lower score exit 1.
#
# Not part of the default test run: it takes several minutes on 2 cores. MUTATION_REPORT_ONLY=1
# re-reads the results of the last run (mutants/) instead of running again, e.g. after editing
# scripts/mutation-survivors.md.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${NEWSGOLD_MUTATION_VENV:-$HOME/.cache/newsgold/mutation-venv}"
JOBS="${JOBS:-2}"
SURVIVORS=scripts/mutation-survivors.md

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# from the registry; a no-op when already satisfied
pip_log="$(mktemp)"
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[mutation]" >"$pip_log" 2>&1; then
  cat "$pip_log" >&2
  exit 2
fi
rm -f "$pip_log"

export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
unset PYTHONPATH  # the tests must import the mutated copy in mutants/, not src/
log="$(mktemp)"
trap 'rm -f "$log" "$log.results"' EXIT
if [ "${MUTATION_REPORT_ONLY:-}" = 1 ] && [ -d mutants ]; then
  echo "mutation testing: the results of the last run in mutants/ (MUTATION_REPORT_ONLY=1)" >&2
else
  rm -rf mutants
  echo "mutation testing: $VENV/bin/mutmut run --max-children $JOBS" >&2
  if ! "$VENV/bin/mutmut" run --max-children "$JOBS" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "mutation testing: the run failed" >&2
    exit 2
  fi
fi
"$VENV/bin/mutmut" results --all true >"$log.results" 2>/dev/null

"$VENV/bin/python" - "$log.results" "$SURVIVORS" "${MUTATION_MIN:-0}" <<'PY'
import re
import sys
from collections import Counter

results_path, survivors_path, minimum = sys.argv[1], sys.argv[2], float(sys.argv[3])
status: dict[str, str] = {}
for line in open(results_path, encoding="utf-8"):
    m = re.match(r"\s*([\w.]+__mutmut_\d+): (.+?)\s*$", line)
    if m:
        status[m.group(1)] = m.group(2)
if not status:
    sys.exit("mutation testing: no mutants in the results")

# "- `name`: reason" lines under a heading "## Equivalent..." count as equivalent
equivalent: set[str] = set()
section = ""
for line in open(survivors_path, encoding="utf-8"):
    if line.startswith("## "):
        section = line
    m = re.match(r"- `([\w.]+__mutmut_\d+)`", line)
    if m and section.startswith("## Equivalent"):
        equivalent.add(m.group(1))

stale = sorted(n for n in equivalent if n not in status)
wrongly = sorted(n for n in equivalent if n in status and status[n] in ("killed", "timeout"))
for name in stale:
    print(f"warning: {survivors_path} lists {name}, which this run did not produce", file=sys.stderr)
for name in wrongly:
    print(f"warning: {survivors_path} calls {name} equivalent, but the tests kill it", file=sys.stderr)

counts = Counter(status.values())
counted = {n: s for n, s in status.items() if n not in equivalent or n in wrongly}
killed = sum(1 for s in counted.values() if s in ("killed", "timeout"))
left = sorted(n for n, s in counted.items() if s not in ("killed", "timeout"))
print("mutants:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
print(f"equivalent (listed in {survivors_path}): {len(equivalent) - len(stale) - len(wrongly)}")
print(f"not killed and not listed as equivalent: {len(left)}")
for name in left:
    print(f"  {name}: {status[name]}")
score = killed / len(counted) if counted else 1.0
print(f"mutation_score={score:.3f}")
sys.exit(1 if score < minimum else 0)
PY
