#!/usr/bin/env bash
# Set up the Label Studio server the integration tests start (tests/ls_server.py).
#
# label-studio pins heavy and old dependencies (pyarrow<25, Django, ...), so it lives in its own
# virtual environment OUTSIDE the repository, never in the project's .venv:
#   ${NEWSGOLD_LS_VENV:-$HOME/.cache/newsgold/label-studio-1.23.2}
# Besides installing it, this prepares a template data folder (migrated SQLite database with two
# users and their legacy API tokens): a fresh database takes ~25 s of migrations, a copy of this
# template starts in ~3 s. Idempotent: a second run only checks the stamp.
set -euo pipefail
LS_VERSION=1.23.2
VENV=${NEWSGOLD_LS_VENV:-$HOME/.cache/newsgold/label-studio-$LS_VERSION}
TEMPLATE="$VENV/newsgold-template"
STAMP="$VENV/.newsgold-ready"
WANT="label-studio==$LS_VERSION template-v1"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x "$VENV/bin/label-studio" ]; then
  exit 0
fi
PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p "$(dirname "$VENV")"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 \
    | grep -v "is ignored: it is neither a file nor a directory" || true
fi
# `label-studio --version` would start a server: read the installed version with pip instead
have=$("$VENV/bin/python" -m pip show label-studio 2>/dev/null | sed -n 's/^Version: //p' || true)
if [ "$have" != "$LS_VERSION" ]; then
  echo "setup-label-studio: installing label-studio==$LS_VERSION into $VENV (once)" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "label-studio==$LS_VERSION" 2>&1 \
    | grep -v "is ignored: it is neither a file nor a directory" || true
  have=$("$VENV/bin/python" -m pip show label-studio 2>/dev/null | sed -n 's/^Version: //p' || true)
  if [ "$have" != "$LS_VERSION" ]; then
    echo "setup-label-studio: installing label-studio==$LS_VERSION failed" >&2
    exit 1
  fi
fi

# the template database: migrations once, two users with fixed legacy tokens (the server only ever
# listens on 127.0.0.1 during the tests, so fixed local test tokens are harmless)
rm -rf "$TEMPLATE.tmp"
mkdir -p "$TEMPLATE.tmp"
run_ls() {
  env -u USERNAME -u PASSWORD -u USER_TOKEN -u PORT -u HOST \
    LABEL_STUDIO_BASE_DATA_DIR="$TEMPLATE.tmp" LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true \
    DJANGO_DB=sqlite LOG_LEVEL=WARNING LATEST_VERSION_CHECK=false CONVERTER_DOWNLOAD_RESOURCES=false "$VENV/bin/label-studio" "$@"
}
echo "setup-label-studio: migrating the template database (once, ~30 s)" >&2
LOG="$VENV/newsgold-template.log"
for n in 1 2; do
  run_ls init --data-dir "$TEMPLATE.tmp" --database "$TEMPLATE.tmp/label_studio.sqlite3" \
    --username "annotator$n@newsgold.test" --password "newsgold-pass-$n" \
    --user-token "newsgold-token-annotator$n" --enable-legacy-api-token --quiet >"$LOG" 2>&1 \
    || { cat "$LOG" >&2; echo "setup-label-studio: label-studio init failed" >&2; exit 1; }
done
rm -rf "$TEMPLATE"
mv "$TEMPLATE.tmp" "$TEMPLATE"
echo "$WANT" > "$STAMP"
