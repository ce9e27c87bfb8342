#!/usr/bin/env bash
# `make bench`: builds pkg/, then runs the browser benchmark (ours vs nats.ws vs a raw
# WebSocket client) in bench/. Extra arguments go to bench/run.mjs, e.g. `--quick`.
# Results: bench/RESULTS.md, bench/throughput.svg, bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-pkg.sh
node bench/run.mjs "$@"
