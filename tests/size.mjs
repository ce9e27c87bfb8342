// Size budget of the npm package's runtime files (size is deterministic, so this may fail a
// build; timings never do). Prints raw, gzip and brotli sizes per file and in total; the budget
// is for the core client, what every page that imports the package loads.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = path.join(root, "pkg");

// The ratchet: lower it whenever the package shrinks. Issue 3's goal is 35 KB gzip in total.
const BUDGET_GZIP_BYTES = 42 * 1024;

// What every page loads (the core client): index.js bundles the glue (lib/, nkeys.js with its
// seed codec; signing is WebCrypto's) and wasm-bindgen's glue. ed25519.js, the signing
// fallback for platforms without WebCrypto's Ed25519, is loaded only by a page that signs
// there, so it is not counted.
const CORE = ["index.js", "nats_wasm_bg.wasm"];

const sizes = (f) => {
  const data = fs.readFileSync(path.join(pkg, f));
  return {
    raw: data.length,
    gzip: zlib.gzipSync(data, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const line = (name, s) =>
  console.log(`${name.padEnd(28)} raw ${String(s.raw).padStart(7)}  gzip ${String(s.gzip).padStart(6)}  brotli ${String(s.brotli).padStart(6)}`);
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

let total = { raw: 0, gzip: 0, brotli: 0 };
for (const f of CORE) {
  const s = sizes(f);
  line(f, s);
  total = add(total, s);
}
line("total (core client)", total);
if (total.gzip > BUDGET_GZIP_BYTES) {
  console.error(`over budget: ${total.gzip} bytes gzip > ${BUDGET_GZIP_BYTES}`);
  process.exit(1);
}
console.log(`within budget: ${total.gzip} <= ${BUDGET_GZIP_BYTES} bytes gzip (core client)`);
