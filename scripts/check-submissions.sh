#!/usr/bin/env bash
# Check a leaderboard pull request: scripts/check-submissions.sh BASE
#
# BASE is what the pull request is merged into (a commit, branch or tag, e.g. origin/main).
# Compares HEAD with its merge base with BASE (git only: any CI service, or locally) and
#   - fails when anything outside eval/submissions/<system_id>/ changed (code, gold, the board:
#     a submission pull request adds or updates submission folders, nothing else);
#   - runs `newsgold submission check` on every changed submission folder still present, the
#     same check and scoring the leaderboard runs, and fails when one is not valid.
# A removed submission folder is listed for the reviewer, not checked.
# NEWSGOLD names the newsgold command (default: newsgold on PATH).
# Exit status: 0 all good, 1 a problem (each printed on stderr), 2 a usage error.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: scripts/check-submissions.sh BASE (the commit, branch or tag the pull request is merged into)" >&2
  exit 2
fi
base=$1
newsgold=${NEWSGOLD:-newsgold}

top=$(git rev-parse --show-toplevel)
cd "$top"
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
  echo "check-submissions: $base: not a commit (expected the pull request's base, e.g. origin/main)" >&2
  exit 2
fi
merge_base=$(git merge-base "$base" HEAD)

problems=0
declare -A folders=()
# NUL-separated paths: any file name survives; a rename is a deletion plus an addition
while IFS= read -r -d '' path; do
  case "$path" in
    eval/submissions/*/*)
      rest=${path#eval/submissions/}
      folders["${rest%%/*}"]=1
      ;;
    *)
      printf '%q: changed outside eval/submissions/<system_id>/ (expected a pull request that only adds or updates submission folders)\n' "$path" >&2
      problems=$((problems + 1))
      ;;
  esac
done < <(git diff --name-only -z --no-renames "$merge_base" HEAD)

checked=0
ids=()
if [ "${#folders[@]}" -ne 0 ]; then
  mapfile -d '' -t ids < <(printf '%s\0' "${!folders[@]}" | LC_ALL=C sort -z)
fi
for id in "${ids[@]}"; do
  folder="eval/submissions/$id"
  if [ ! -e "$folder" ] && [ ! -L "$folder" ]; then
    echo "check-submissions: $folder: removed by this pull request (not checked; the reviewer decides)" >&2
    continue
  fi
  echo "check-submissions: newsgold submission check $folder" >&2
  checked=$((checked + 1))
  if ! "$newsgold" submission check "$folder" --root "$top"; then
    problems=$((problems + 1))
  fi
done

if [ "$problems" -ne 0 ]; then
  echo "check-submissions: $problems problem(s) between $(git rev-parse --short "$merge_base") and HEAD ($checked submission(s) checked)" >&2
  exit 1
fi
echo "check-submissions: ok: $checked submission(s) checked, nothing changed outside eval/submissions/<system_id>/" >&2
