// Size budget of the npm package's runtime files (size is deterministic, so this may fail a
// build; timings never do). Prints raw, gzip and brotli sizes per file and in total; the budget
// is for the core client, what every page that imports the package loads.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = path.join(root, "pkg");

// The ratchet: lower it whenever the package shrinks. Issue 3's goal is 35 KB gzip in total.
// JetStream's consumer protocol lives in the wasm (src/proto/jetstream), which every page
// loads, and its enums and `consumerOpts()` in index.js: the core client went from 42,912 to
// 50,820 bytes (wasm +5,099, index.js +2,809). An app that only connects (bundled, so the
// enums and the builder are tree-shaken) went from 41,385 to 47,633: issue 16's goal is +3 KB.
// Issue 18's readers, listeners and reauthenticate() took an app that only connects from
// 47,462 to 48,470 bytes (+1,008; its goal: at most +1 KB), and the core client from 51,122
// to 52,966 with ConnectionsPool (+813 B, only in apps that import it).
const BUDGET_GZIP_BYTES = 52 * 1024;

// What every page loads (the core client): index.js bundles the glue (lib/, nkeys.js with its
// seed codec; signing is WebCrypto's) and wasm-bindgen's glue. ed25519.js, the signing
// fallback for platforms without WebCrypto's Ed25519, is loaded only by a page that signs
// there, so it is not counted.
const CORE = ["index.js", "nats_wasm_bg.wasm"];
/** nats.ws's module, for the comparison lines. */
const REFERENCE = "nats.ws";

/**
 * The gzip size of what an app that imports `names` ships: the package bundled with its
 * code by esbuild (minified, tree-shaken, as Vite's production build does), plus the wasm,
 * plus `extra` files it loads (JetStream's chunk).
 */
async function appSize(names, extra = [], from = "./pkg/index.js") {
  const out = await build({
    stdin: {
      contents: `import { ${names.join(", ")} } from "${from}"; globalThis.app = [${names.join(", ")}];`,
      resolveDir: root,
      loader: "js",
    },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    logLevel: "silent",
    // nats.ws reaches for node:crypto only under Node.js; browser bundlers stub it.
    external: ["crypto"],
  });
  const gz = (data) => zlib.gzipSync(data, { level: 9 }).length;
  const files = (from === REFERENCE ? extra : ["nats_wasm_bg.wasm", ...extra]).map((f) => gz(fs.readFileSync(path.join(pkg, f))));
  return gz(out.outputFiles[0].contents) + files.reduce((a, b) => a + b, 0);
}

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

// What apps ship (gzip, JS bundled with the app and tree-shaken, plus the wasm): one that
// only connects; one that uses JetStream (which also loads jetstream.js), KV (and kv.js),
// object stores (and objectstore.js) or services (micro.js); one that uses everything.
for (const f of ["jetstream.js", "kv.js", "objectstore.js", "micro.js"]) line(`${f} (loaded on use)`, sizes(f));
const apps = [
  ["connect only", ["connect"], []],
  ["JetStream", ["connect", "AckPolicy"], ["jetstream.js"]],
  ["KV", ["connect", "KvWatchInclude"], ["jetstream.js", "kv.js"]],
  ["object store", ["connect", "StorageType"], ["jetstream.js", "objectstore.js"]],
  ["services", ["connect", "ServiceError"], ["micro.js"]],
  ["a connection pool", ["connect", "ConnectionsPool"], []],
  ["everything", ["connect", "AckPolicy", "ServiceError"], ["jetstream.js", "kv.js", "objectstore.js", "micro.js"]],
];
for (const [what, names, chunks] of apps) console.log(`${`app using ${what}:`.padEnd(28)} gzip ${await appSize(names, chunks)}`);
// nats.ws for comparison (a dev dependency): its one module, which such apps keep nearly whole.
if (fs.existsSync(path.join(root, "node_modules", "nats.ws"))) {
  console.log(`${"nats.ws, connect only:".padEnd(28)} gzip ${await appSize(["connect"], [], REFERENCE)}`);
  console.log(`${"nats.ws, everything:".padEnd(28)} gzip ${await appSize(["connect", "AckPolicy", "ServiceError", "KvWatchInclude"], [], REFERENCE)}`);
}
if (total.gzip > BUDGET_GZIP_BYTES) {
  console.error(`over budget: ${total.gzip} bytes gzip > ${BUDGET_GZIP_BYTES}`);
  process.exit(1);
}
console.log(`within budget: ${total.gzip} <= ${BUDGET_GZIP_BYTES} bytes gzip (core client)`);
