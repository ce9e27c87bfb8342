// The tarball `npm pack` makes of pkg/, as a registry would get it: exactly the files we mean to
// ship, every file package.json names present, no install scripts or dependencies, entries
// that need no top-level await (Vite's iife workers, require() of ESM), no console calls in
// the hand-written JS, the same API from every export condition, matching index.d.ts.
// Prints each file's size (raw and gzip).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { installPackage, pack, tempDir } from "./common.mjs";

const SHIPPED = [
  "README.md",
  "dev.js",
  "ed25519.js",
  "index.d.ts",
  "index.js",
  "jetstream.js",
  "kv.js",
  "micro.js",
  "nats_wasm_bg.wasm",
  "nats_wasm_inline.js",
  "node.js",
  "objectstore.js",
  "package.json",
];
/** The entries: export condition -> file, and the platform each is built for. */
const ENTRIES = { default: ["index.js", "browser"], development: ["dev.js", "browser"], node: ["node.js", "node"] };

let report;
let dir;
let manifest;

before(() => {
  report = pack().report;
  dir = installPackage(tempDir("pack"));
  manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
});

test("the tarball holds exactly the files we ship; sizes", () => {
  const files = report.files.map((f) => f.path).sort();
  assert.deepEqual(files, SHIPPED);
  const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length;
  for (const f of report.files) {
    console.log(`${f.path.padEnd(22)} ${String(f.size).padStart(7)} bytes  ${String(gz(f.path)).padStart(6)} gzip`);
  }
  console.log(`${report.filename}: ${report.size} bytes packed, ${report.unpackedSize} unpacked`);
});

test("every file package.json names is in the tarball", () => {
  const named = new Set([manifest.main, manifest.module, manifest.types, ...manifest.files]);
  const leaves = (v) => (typeof v === "string" ? [v] : Object.values(v).flatMap(leaves));
  for (const [sub, target] of Object.entries(manifest.exports)) {
    for (const leaf of leaves(target)) named.add(leaf);
    assert.ok(sub === "." || !sub.includes("*"), `no pattern exports: ${sub}`);
  }
  for (const f of named) {
    assert.ok(fs.existsSync(path.join(dir, f)), `${f} (named in package.json) is missing`);
  }
  // Condition order decides: types first (TypeScript), node before development (Vite SSR,
  // Vitest), default last.
  assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "node", "development", "default"]);
  for (const [cond, [file]] of Object.entries(ENTRIES)) assert.equal(manifest.exports["."][cond], `./${file}`);
});

test("package.json: an ES module package, no dependencies, no install scripts, a real version", () => {
  assert.equal(manifest.type, "module");
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.scripts, undefined);
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
  assert.notEqual(manifest.version, "0.0.0-dev");
});

test("no entry needs top-level await: each bundles as an iife", async () => {
  for (const [file, platform] of Object.values(ENTRIES)) {
    // esbuild refuses top-level await in iife output, as Vite's worker builds do.
    const out = await esbuild.build({
      entryPoints: [path.join(dir, file)],
      bundle: true,
      format: "iife",
      platform,
      write: false,
      logLevel: "silent",
    });
    assert.deepEqual(out.errors, [], file);
  }
});

test("no console output from the hand-written JS, but the debug protocol trace", () => {
  for (const f of ["dev.js", "node.js"]) {
    assert.doesNotMatch(fs.readFileSync(path.join(dir, f), "utf8"), /\bconsole\./, f);
  }
  // The hand-written glue prints only the `debug` option's "> sent" / "< received" lines.
  const lib = new URL("../../pkg-template/lib/", import.meta.url);
  const glue = fs.readdirSync(lib).filter((f) => f.endsWith(".js") && !f.endsWith(".test.js"))
    .flatMap((f) => fs.readFileSync(new URL(f, lib), "utf8").match(/\bconsole\.\w+(?=\()/g) ?? []);
  assert.deepEqual(glue, ["console.info", "console.info"]);
  // index.js bundles wasm-bindgen's glue too: its console.error reports a panic in the wasm
  // (which never happens in tested code). Its loader, with its console.warn lines, is not
  // bundled: index.js instantiates the module itself.
  const calls = fs.readFileSync(path.join(dir, "index.js"), "utf8").match(/\bconsole\.\w+/g) || [];
  assert.deepEqual(calls.sort(), ["console.error", "console.info", "console.info"]);
});

test("every export condition exports the same API, the one index.d.ts declares", async () => {
  const dts = fs.readFileSync(path.join(dir, "index.d.ts"), "utf8");
  const declared = [...dts.matchAll(/^export declare (?:abstract )?(?:function|class|const|enum|let|var) (\w+)/gm)];
  const names = [...new Set(declared.map((m) => m[1]))].sort();
  for (const [file] of Object.values(ENTRIES)) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    assert.deepEqual(Object.keys(mod).sort(), names, file);
  }
});
