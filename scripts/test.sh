#!/usr/bin/env bash
# Runs every test: lint, host unit tests, wasm tests in headless Chromium and Firefox, the package build,
# its size budget, the TypeScript check, the end-to-end suite against a real nats-server (in
# Chromium, Firefox and WebKit), the
# demo app in two tabs against a two-node cluster, and
# the packed package in real consumers (Vite, plain HTML, workers, Node.js, tsc; tests/consumers).
# Ends with one machine-readable line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
failures=()
log_dir=.run/test-logs
mkdir -p "$log_dir"

# Adds the counts a runner printed (cargo/wasm-bindgen-test "test result:" lines, node's
# "# pass"/"# fail"), or 1 pass / 1 fail for a plain check, by its exit code.
count() {
  local name=$1 status=$2 log=$3 p f
  p=$( { grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}'; } )
  f=$( { grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}'; } )
  if grep -qE '^# (pass|fail) [0-9]+' "$log"; then
    p=$((p + $(grep -E '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
    f=$((f + $(grep -E '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')))
  fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    if [ "$status" -eq 0 ]; then p=1; else f=1; fi
  elif [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$f" -gt 0 ]; then failures+=("$name"); fi
  printf '== %-28s %s passed, %s failed\n' "$name" "$p" "$f"
}

# step NAME CMD...: runs CMD with its output shown and kept in a log, then counts it.
step() {
  local name=$1; shift
  local log="$log_dir/${name// /_}.log"
  echo "== $name: $*"
  "$@" 2>&1 | tee "$log"
  count "$name" "${PIPESTATUS[0]}" "$log"
}

cleanup() { scripts/nats-server.sh stop test-wasm >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "fmt" cargo fmt --all -- --check
step "clippy host" cargo clippy --all-targets --quiet -- -D warnings
step "clippy wasm32" cargo clippy --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
# The shipped build: no std (Cargo.toml [features]).
step "clippy wasm32 no-std" cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --quiet -- -D warnings
step "host unit tests" cargo test --quiet
step "core tests on wasm32 (node)" wasm-pack test --node --lib
step "js unit tests (node)" node --test pkg-template/

if ws_url=$(scripts/nats-server.sh start test-wasm); then
  step "wasm tests (chrome)" env NATS_WS_URL="$ws_url" wasm-pack test --headless --chrome \
    --chromedriver "$(command -v chromedriver)" --test wasm
  step "wasm tests (firefox)" env NATS_WS_URL="$ws_url" wasm-pack test --headless --firefox \
    --geckodriver "$(command -v geckodriver)" --test wasm
  scripts/nats-server.sh stop test-wasm
else
  count "wasm tests (chrome)" 1 /dev/null
  count "wasm tests (firefox)" 1 /dev/null
fi

step "fuzz (20 s per target)" bash scripts/fuzz.sh 20
step "build pkg" bash scripts/build-pkg.sh
step "size budget" node tests/size.mjs
step "typescript" node_modules/.bin/tsc -p tests/ts/tsconfig.json
step "api docs (typedoc)" bash scripts/docs.sh
step "e2e (chromium)" node tests/e2e/run.mjs
# The same suite in Firefox ESR (geckodriver) and WebKitGTK (WebKitWebDriver under Xvfb),
# through WebDriver: there the tests that measure the JS heap (Chromium's DevTools protocol)
# check the wasm memory only, and one (the object store's live memory) is skipped.
step "e2e (firefox)" env E2E_BROWSER=firefox node tests/e2e/run.mjs
step "e2e (webkit)" env E2E_BROWSER=webkit node tests/e2e/run.mjs
step "demo app (chromium)" node --test --test-concurrency=1 tests/demo/
step "consumers" node tests/consumers/run.mjs

echo
if [ ${#failures[@]} -gt 0 ]; then echo "failed steps: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
