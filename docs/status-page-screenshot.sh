#!/usr/bin/env bash
# Writes docs/status-page.png from the real status page of a running integration (README, "The status page").
# Start the demo first, in another terminal:
#   mvn -q test-compile exec:java -Ddemo.http-port=8080 -Ddemo.operator-password=demo-password
# then: docs/status-page-screenshot.sh [port] [password]
# Needs Chromium (Debian: chromium). Nothing else in the project does.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8080}"
password="${2:-demo-password}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1000,470 \
  --screenshot="$PWD/docs/status-page.png" "http://operator:${password}@127.0.0.1:${port}/status"
echo "Wrote docs/status-page.png"
