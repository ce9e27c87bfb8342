#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (profile from wasm-pack.toml), wasm-opt, then the
# hand-written files from pkg-template/ around the generated wasm-bindgen glue.
set -euo pipefail
cd "$(dirname "$0")/.."

# Reads `key = "value"` from a [section] of wasm-pack.toml.
setting() {
  awk -v section="[$1]" -v key="$2" '
    /^\[/ { in_section = ($0 == section) }
    in_section && $1 == key { sub(/^[^=]*= *"/, ""); sub(/" *$/, ""); print; exit }
  ' wasm-pack.toml
}
target=$(setting build target)
out_dir=$(setting build out_dir)
out_name=$(setting build out_name)
profile=$(setting build profile)
opt_flags=$(setting wasm-opt flags)
cargo_args=$(setting build cargo_args)

# Panic locations name source files: keep this machine's paths out of the shipped wasm, and
# keep them short (a dependency's path starts at its crate: "js-sys-0.3.106/src/..."). The
# std library's ("/rustc/<commit>/library/...") come precompiled and cannot be remapped here.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
# The last matching prefix wins: the registry as a whole first, then each index in it.
remap="--remap-path-prefix=$cargo_home/registry/src= --remap-path-prefix=$PWD=nats-wasm"
for registry in "$cargo_home"/registry/src/*/; do
  [ -d "$registry" ] && remap="$remap --remap-path-prefix=${registry%/}="
done
export RUSTFLAGS="${RUSTFLAGS:-} $remap"
wasm-pack build --quiet --no-pack --target "$target" --out-dir "$out_dir" --out-name "$out_name" "$profile" -- $cargo_args >/dev/null

rm -rf pkg
mkdir -p pkg
node_modules/.bin/wasm-opt $opt_flags "$out_dir/${out_name}_bg.wasm" -o "pkg/${out_name}_bg.wasm"
# Short import/export names in the wasm and, to match, in wasm-bindgen's glue (rewritten in
# place: wasm-pack writes it afresh every build). The script checks that the two still fit.
node scripts/minify-wasm-names.mjs "pkg/${out_name}_bg.wasm" "$out_dir/${out_name}.js" $opt_flags >/dev/null
# The JS is minified: it is shipped to every page that uses the package. index.js bundles
# the modules of lib/ and wasm-bindgen's glue (tree-shaken): one module for every page to
# fetch, and smaller than the parts. node.js and dev.js, the other entry points, import index.js.
stage=target/pkg-js
rm -rf "$stage"
mkdir -p "$stage"
cp -r pkg-template/*.js pkg-template/lib "$out_dir/${out_name}.js" "$stage/"
# The numbers the glue shares with the wasm, written afresh from src/interface.rs (the
# committed copy, which the node unit tests import, is checked by a host test).
cargo run --quiet --bin interface-js >"$stage/lib/interface.js"
# index.js instantiates the wasm itself with the glue's imports (its own loader, with fetch
# fallbacks and warnings, would be bundled beside ours): export the two functions it needs.
# esbuild fails the build if a later wasm-bindgen renames them.
echo 'export { __wbg_get_imports, __wbg_finalize_init };' >>"$stage/${out_name}.js"
# esbuild bundles; terser minifies (three compress passes: 0.4 KB gzip smaller than esbuild's
# minifier on index.js, with only its safe transforms).
# ed25519.js (@noble/ed25519, the signing fallback for platforms without WebCrypto's Ed25519)
# stays a file of its own, imported only by a page that needs it; so do jetstream.js,
# JetStream's code, loaded on a connection's first JetStream call, kv.js and objectstore.js,
# its views, loaded on their first use, and micro.js, the services framework's, loaded on
# first use of `nc.services`.
for js in index.js node.js dev.js lib/ed25519.js lib/jetstream.js lib/kv.js lib/objectstore.js lib/micro.js; do
  node_modules/.bin/esbuild "$stage/$js" --bundle --format=esm --target=es2020 --log-level=warning \
    --external:./index.js --external:./nats_wasm_inline.js --external:./ed25519.js --external:./jetstream.js --external:./kv.js --external:./objectstore.js --external:./micro.js \
    --external:"node:*" \
    --outfile="$stage/bundled-$js"
  node_modules/.bin/terser "$stage/bundled-$js" --module --compress passes=3 --mangle \
    --output "pkg/$(basename "$js")"
done
cp pkg-template/package.json pkg-template/index.d.ts pkg-template/README.md pkg/
# The wasm once more, as base64 in a JS module, for dev.js (the "development" export condition):
# dev servers that pre-bundle dependencies do not serve the .wasm file next to the JS.
{ printf 'export default "'; base64 -w0 "pkg/${out_name}_bg.wasm"; printf '";\n'; } >"pkg/${out_name}_inline.js"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed -i "s/\"version\": \"0.0.0-dev\"/\"version\": \"$version\"/" pkg/package.json

raw=$(stat -c %s "pkg/${out_name}_bg.wasm")
gz=$(gzip -9 -c "pkg/${out_name}_bg.wasm" | wc -c)
echo "pkg/ built: ${out_name}_bg.wasm ${raw} bytes raw, ${gz} bytes gzip"
