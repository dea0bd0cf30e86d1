#!/usr/bin/env bash
# Installs the tools the visual tests drive: headless Chromium (renders report.html) and poppler-utils
# (pdftoppm/pdftotext read report.pdf). Quiet and idempotent: does nothing when both are present.
# Needs root (or sudo) and Debian's package registry; without them it says so and leaves the tests to
# skip (or fail under EXOREVIEW_REQUIRE_TOOLS=1).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# A page with no font installed renders as empty boxes: the screenshots need at least one.
{ command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi dejavu; } || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_test_tools: apt-get not found; install ${missing[*]} by hand for the visual tests" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "install_test_tools: not root; install ${missing[*]} by hand for the visual tests" >&2
    exit 0
  fi
fi
echo "install_test_tools: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
