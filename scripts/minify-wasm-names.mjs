// Shortens the import, export and module names of the shipped wasm and renames them to match
// in wasm-bindgen's JS glue.
//
// wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and every export after its
// Rust path; the names appear in both the .wasm and the glue, and the hashes do not compress.
// Minified names save about 1.3 KB gzip in the .wasm and 0.5 KB in the glue.
//
// Usage: node scripts/minify-wasm-names.mjs <file.wasm> <glue.js> [wasm-opt flags...]
// Both files are rewritten in place. The result is checked: the glue must instantiate the
// wasm (every import present) and every `wasm.<export>` the glue uses must exist.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [wasmFile, glueFile, ...optFlags] = process.argv.slice(2);
// The build's flags optimise once more alongside the renaming (a second -Oz measured ~130 B
// gzip smaller), but not with `--converge`, which would repeat the renaming pass and print
// more than one mapping.
const flags = optFlags.filter((f) => f !== "--converge");
if (!wasmFile || !glueFile) {
  console.error("usage: minify-wasm-names.mjs <file.wasm> <glue.js> [wasm-opt flags...]");
  process.exit(2);
}

const fail = (message) => {
  console.error(`minify-wasm-names: ${message}`);
  process.exit(1);
};

// Old module names, read before the pass renames them.
const before = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(wasmFile)));
const oldModules = [...new Set(before.map((i) => i.module))];

const run = spawnSync(
  path.join(root, "node_modules/.bin/wasm-opt"),
  [...flags, "--minify-imports-and-exports-and-modules", wasmFile, "-o", wasmFile],
  { encoding: "utf8" },
);
if (run.status !== 0) fail(`wasm-opt failed: ${run.stderr}`);
// wasm-opt prints the mapping as JSON: {"imports": [[module, old, new]...], "exports": [[old, new]...]}.
let mapping;
try {
  mapping = JSON.parse(run.stdout.slice(run.stdout.indexOf("{")));
} catch (err) {
  fail(`cannot read wasm-opt's name mapping (${err.message}): ${run.stdout.slice(0, 200)}`);
}

const after = new WebAssembly.Module(fs.readFileSync(wasmFile));
const newModules = [...new Set(WebAssembly.Module.imports(after).map((i) => i.module))];
if (oldModules.length !== 1 || newModules.length !== 1) {
  fail(`expected one import module, found ${oldModules} -> ${newModules}`);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
let glue = fs.readFileSync(glueFile, "utf8");
const replace = (pattern, to, what) => {
  const next = glue.replace(pattern, to);
  if (next === glue && what) fail(`${what} not found in the glue`);
  glue = next;
};
for (const [, from, to] of mapping.imports) {
  // Import functions are keys of the imports object: `name: function(...)`.
  replace(new RegExp(`(?<![\\w$])${escape(from)}(?=:)`, "g"), to, `import ${from}`);
}
for (const [from, to] of mapping.exports) {
  // Not every export is used by the glue (some are for the runtime's own hooks).
  replace(new RegExp(`\\bwasm\\.${escape(from)}(?![\\w$])`, "g"), `wasm.${to}`, null);
}
replace(`"${oldModules[0]}": import0`, `"${newModules[0]}": import0`, `module ${oldModules[0]}`);
fs.writeFileSync(glueFile, glue);

// Checks: the glue's imports satisfy the wasm, and every export the glue calls exists.
const exportNames = new Set(WebAssembly.Module.exports(after).map((e) => e.name));
for (const [, name] of glue.matchAll(/\bwasm\.([\w$]+)/g)) {
  if (!exportNames.has(name)) fail(`the glue uses wasm.${name}, which the wasm does not export`);
}
const { initSync } = await import(pathToFileURL(path.resolve(glueFile)).href);
try {
  initSync({ module: after });
} catch (err) {
  fail(`the renamed glue does not instantiate the wasm: ${err.message}`);
}
console.log(`minify-wasm-names: ${mapping.imports.length} imports, ${mapping.exports.length} exports renamed`);
