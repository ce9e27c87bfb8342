#!/usr/bin/env bash
# `make bench`: the browser benchmark against nats.ws lives in bench/ (issue 3).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f bench/run.mjs ]; then
  echo "bench/run.mjs does not exist yet: the benchmark is issue 3's work." >&2
  exit 1
fi
bash scripts/build-pkg.sh
node bench/run.mjs "$@"
