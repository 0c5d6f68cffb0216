#!/usr/bin/env bash
# Debian's chromium for the leaderboard's browser test (tests/test_leaderboard_browser.py).
# Playwright drives it through executable_path=/usr/bin/chromium: Playwright's own browser
# download cannot work without network access beyond the package registries.
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
