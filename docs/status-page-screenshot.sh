#!/usr/bin/env bash
# Writes docs/status-page.png from the real status page of a running integration (README, "The status page").
# Start the demo first, in another terminal:
#   mvn -q test-compile exec:java -Ddemo.http-port=8080 -Ddemo.operator-password=demo-password
# To show it under load, start the demo with -Ddemo.exit-when-synced=false and give it more to sync (its database
# is apit_demo, or demo.db-name):
#   psql -h 127.0.0.1 -U postgres -d apit_demo -c "INSERT INTO users (id, forenames, surname, email)
#     SELECT g, 'Load', 'User ' || g, 'load' || g || '@example.com' FROM generate_series(10000, 16000) g;
#     INSERT INTO delegates (id, user_id, course_id, status) SELECT g, g, 101, 'BOOKED' FROM generate_series(10000, 16000) g"
# then: docs/status-page-screenshot.sh [port] [password]
# Needs Chromium (Debian: chromium). Nothing else in the project does.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8080}"
password="${2:-demo-password}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1000,1250 \
  --screenshot="$PWD/docs/status-page.png" "http://operator:${password}@127.0.0.1:${port}/status"
echo "Wrote docs/status-page.png"
