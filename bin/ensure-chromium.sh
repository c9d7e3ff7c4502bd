#!/usr/bin/env bash
# The browser suite drives Debian's Chromium (Playwright cannot download its
# own browsers here). Installs it when missing and we may: root with apt-get.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser test suite (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium is missing at $CHROMIUM and cannot be installed automatically (needs root and apt-get)." >&2
echo "Install it with: sudo apt-get install -y chromium" >&2
exit 1
