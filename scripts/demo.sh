#!/usr/bin/env bash
# `make demo`: sets up, builds the package, starts a local nats-server with WebSocket on
# loopback, and serves www/ until interrupted (then stops the server it started).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
ws_url=$(scripts/nats-server.sh start demo)
trap 'scripts/nats-server.sh stop demo' EXIT
node www/serve.mjs "$ws_url" "${DEMO_PORT:-8000}"
