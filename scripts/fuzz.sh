#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 20), starting from the checked-in seeds in
# fuzz/seeds/ (copied, so runs never touch tracked files). A crash fails the run and leaves
# its input in fuzz/artifacts/<target>/.   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
targets=(parser connection headers json consumer)
cargo +nightly fuzz build -O >/dev/null 2>&1 || cargo +nightly fuzz build -O
failed=0
for t in "${targets[@]}"; do
  corpus=".run/fuzz/$t"
  rm -rf "$corpus"
  mkdir -p "$corpus"
  cp fuzz/seeds/"$t"/* "$corpus"/ 2>/dev/null || true
  log=".run/fuzz/$t.log"
  if cargo +nightly fuzz run -O "$t" "$corpus" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz $t: ok, ${runs:-?} runs in ${seconds}s"
  else
    echo "fuzz $t: FAILED"
    grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -5
    failed=1
  fi
done
exit $failed
