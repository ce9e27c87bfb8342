// The browser benchmark: ours (pkg/) vs nats.ws vs a raw WebSocket client, in headless
// Chromium against a private nats-server. Writes bench/RESULTS.md, bench/throughput.svg and
// bench/results.json; prints the table.
//
//   node bench/run.mjs            full run (5 repetitions)
//   node bench/run.mjs --quick    smoke run (2 repetitions, N/10), under a minute
//   node bench/run.mjs --reps 7   more repetitions
//   node bench/run.mjs --only pub,memory   only these metric groups (pub, recv, rr, connect,
//                                 cold, memory, js, kv); the report shows the others as missing
//   node bench/run.mjs --report   rewrite RESULTS.md and the SVG from bench/results.json
//
// Everything listens on 127.0.0.1 only. Only processes started here are ever stopped.

import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildSync, transformSync } from "esbuild";
import { acquireBrowserLock } from "../tests/browser-lock.mjs";
import { chromium } from "playwright-core";
import { publishBurst } from "./publisher.mjs";
import { CONTENDERS, JS_SIZE, SIZES, buildRows, markdown, sizeLabel, sizeTable, svgChart, textTable } from "./report.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const repsArg = argv.indexOf("--reps");
const onlyArg = argv.indexOf("--only");
/** Metric groups to run (--only pub,recv,rr,connect,cold,memory,js,kv); all by default. */
const ONLY = new Set(onlyArg >= 0 ? String(argv[onlyArg + 1]).split(",") : ["pub", "recv", "rr", "connect", "cold", "memory", "js", "kv"]);

const scale = QUICK ? 0.1 : 1;
const scaled = (v) => Math.max(100, Math.round(v * scale));
const N = (table) => Object.fromEntries(Object.entries(table).map(([k, v]) => [k, scaled(v)]));
const CONFIG = {
  quick: QUICK,
  reps: repsArg >= 0 ? Math.max(1, Math.min(50, Number(argv[repsArg + 1]) || 5)) : QUICK ? 2 : 5,
  // Sized so that one measurement takes about 0.2-2 s on a small machine.
  pubN: N({ 16: 200_000, 128: 150_000, 1024: 40_000, 16384: 3_000 }),
  recvN: N({ 16: 150_000, 128: 80_000, 1024: 20_000, 16384: 1_500 }),
  rrN: QUICK ? 300 : 2000,
  connectK: QUICK ? 3 : 10,
  coldK: QUICK ? 1 : 3,
  memSubs: 10_000,
  // JetStream (JS_SIZE-byte messages): awaited one by one, in windows of 100, then reading a
  // stream of consumeN with a durable consumer + acks and with an ordered consumer.
  js: { pub1N: scaled(5_000), pub100N: scaled(50_000), consumeN: scaled(100_000) },
  // KV (JS_SIZE-byte values): put and get round trips, then a watch reading watchN entries.
  kv: { latencyN: scaled(2_000), watchN: scaled(100_000), osBytes: QUICK ? 4 * 1024 * 1024 : 16 * 1024 * 1024 },
};
// The js group adds about 2 min per repetition (the acked consume is server-bound at a few k msg/s).
const WATCHDOG_MS = (QUICK ? 5 : 30) * 60_000 * Math.max(1, CONFIG.reps / 5);
const CALL_MS = 120_000; // bound on any single in-page call
const RECV_MS = 60_000; // in-page bound on one receive measurement
const JS_MS = 60_000; // in-page bound on one JetStream measurement (or fill)

const LAUNCH = {
  executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-quic", "--disable-sync"],
};

const log = (...a) => console.log(`[bench ${((performance.now() - T0) / 1000).toFixed(0).padStart(4)}s]`, ...a);
const T0 = performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ----- cleanup: always stop what we started ----------------------------------------------

const cleanups = [];
function cleanupSync() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      fn();
    } catch {
      // best effort
    }
  }
}
process.on("exit", cleanupSync);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(sig, () => {
    console.error(`\n[bench] ${sig}: stopping`);
    cleanupSync();
    process.exit(130);
  });
}
const MAIN = import.meta.url === pathToFileURL(process.argv[1]).href;
if (MAIN) setTimeout(() => {
  console.error(`[bench] watchdog: the run exceeded ${WATCHDOG_MS / 60_000} minutes; stopping`);
  cleanupSync();
  process.exit(2);
}, WATCHDOG_MS).unref();

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ----- nats-server ------------------------------------------------------------------------

/** k distinct free ports: all are held open together, or the OS may hand out one twice. */
async function freePorts(k) {
  const held = [];
  for (let i = 0; i < k; i++) {
    const s = net.createServer();
    held.push(s);
    await new Promise((resolve, reject) => {
      s.once("error", reject);
      s.listen(0, "127.0.0.1", resolve);
    });
  }
  const ports = held.map((s) => s.address().port);
  await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function startNatsServer({ jetstream = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nats-wasm-bench-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const [port, wsPort, monPort] = await freePorts(3);
  // max_pending is raised so that a receiver slower than the publisher is measured rather
  // than disconnected as a slow consumer (the default is 64 MB).
  fs.writeFileSync(path.join(dir, "server.conf"), `host: 127.0.0.1
port: ${port}
http: 127.0.0.1:${monPort}
max_pending: 512MB
write_deadline: "60s"
websocket {
  host: 127.0.0.1
  port: ${wsPort}
  no_tls: true
}
${jetstream ? `jetstream { store_dir: ${JSON.stringify(path.join(dir, "js"))} }\n` : ""}`);
  const logFile = path.join(dir, "server.log");
  const out = fs.openSync(logFile, "w");
  const child = spawn(process.env.NATS_SERVER_BIN || "nats-server", ["-c", path.join(dir, "server.conf")], {
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  let exited = false;
  child.on("exit", () => (exited = true));
  cleanups.push(() => {
    if (!exited) child.kill("SIGTERM");
  });
  for (let i = 0; i < 100 && !exited; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${monPort}/varz`);
      if (r.ok) {
        const varz = await r.json();
        return { port, wsUrl: `ws://127.0.0.1:${wsPort}`, monPort, version: varz.version, pid: child.pid, logFile, stop: () => stopChild(child, () => exited) };
      }
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`nats-server did not start:\n${fs.readFileSync(logFile, "utf8").slice(-2000)}`);
}

async function stopChild(child, isExited) {
  if (isExited()) return;
  child.kill("SIGTERM");
  for (let i = 0; i < 50 && !isExited(); i++) await sleep(100);
  if (!isExited()) child.kill("SIGKILL");
}

// ----- static http server with COOP/COEP ------------------------------------------------------

const SERVED = ["/bench/", "/pkg/", "/node_modules/nats.ws/esm/"];
const PKG_FILES = ["index.js", "jetstream.js", "kv.js", "objectstore.js", "micro.js", "nats_wasm_bg.wasm", "package.json"];
let pkgDir = path.join(ROOT, "pkg"); // replaced by a snapshot at start
let pkgBuilt = null;

/**
 * Copies pkg/ aside so that a rebuild during the run (scripts/build-pkg.sh) cannot mix two
 * builds or 404 in the middle of a measurement. Retries while a build is writing the files.
 */
async function snapshotPkg() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nats-wasm-bench-pkg-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (let attempt = 0; ; attempt++) {
    try {
      const before = PKG_FILES.map((f) => fs.statSync(path.join(ROOT, "pkg", f)).mtimeMs).join();
      for (const f of PKG_FILES) fs.copyFileSync(path.join(ROOT, "pkg", f), path.join(dir, f));
      const after = PKG_FILES.map((f) => fs.statSync(path.join(ROOT, "pkg", f)).mtimeMs).join();
      if (before === after && PKG_FILES.every((f) => fs.statSync(path.join(dir, f)).size > 0)) {
        pkgBuilt = new Date(fs.statSync(path.join(ROOT, "pkg", "nats_wasm_bg.wasm")).mtimeMs);
        break;
      }
    } catch (err) {
      if (attempt >= 30) throw new Error(`pkg/ is incomplete (${err.message}): build it with \`bash scripts/build-pkg.sh\` (make bench does)`);
    }
    if (attempt >= 30) throw new Error("pkg/ kept changing while being copied");
    await sleep(1000);
  }
  pkgDir = dir;
}
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json" };

async function startHttp() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const p = path.posix.normalize(decodeURIComponent(url.pathname));
    const file = p.startsWith("/pkg/") ? path.join(pkgDir, p.slice(5)) : path.join(ROOT, p);
    const headers = {
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "no-store",
    };
    if (!SERVED.some((s) => p.startsWith(s)) || !(file.startsWith(ROOT + path.sep) || file.startsWith(pkgDir + path.sep))) {
      res.writeHead(404, headers).end("not found");
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, headers).end("not found");
        return;
      }
      headers["Content-Type"] = TYPES[path.extname(file)] || "application/octet-stream";
      res.writeHead(200, headers).end(body);
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  cleanups.push(() => server.close());
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

// ----- browser (one at a time, shared lock with the e2e suite) --------------------------------

// ----- measurements -------------------------------------------------------------------------

const results = {
  meta: {},
  config: CONFIG,
  samples: {},
  sizes: {},
  anomalies: [],
};

function record(key, contender, value) {
  const m = (results.samples[key] ??= Object.fromEntries(CONTENDERS.map((c) => [c, []])));
  m[contender].push(value);
}

function anomaly(text) {
  results.anomalies.push(text);
  log(`ANOMALY: ${text}`);
}

let env; // { nats, jsNats, http }

async function openPage(browser, contender, tag) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on("pageerror", (err) => anomaly(`${contender} (${tag}): page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") anomaly(`${contender} (${tag}): console ${msg.type()}: ${msg.text()}`);
  });
  page.on("crash", () => anomaly(`${contender} (${tag}): page crashed`));
  await page.goto(`${env.http.base}/bench/page.html`, { timeout: 30_000 });
  await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30_000 });
  if (results.meta.crossOriginIsolated === undefined) {
    results.meta.crossOriginIsolated = (await page.evaluate(() => window.bench.info())).crossOriginIsolated;
  }
  return { ctx, page };
}

function call(page, fn, args = [], ms = CALL_MS) {
  return withTimeout(page.evaluate(([f, a]) => window.bench[f](...a), [fn, args]), ms, `bench.${fn}`);
}

/** One receive measurement: subscribe in the page, publish from node, wait for the count. */
let recvSeq = 0;
async function recvOnce(page, cdp, contender, size, mode, n) {
  const subject = `bench.recv.${++recvSeq}`;
  const m0 = await mainThreadTime(cdp);
  await call(page, "recvStart", [subject, n, mode, RECV_MS]);
  try {
    await publishBurst({ port: env.nats.port, subject, size, count: n, timeoutMs: RECV_MS });
  } catch (err) {
    anomaly(`${contender}: receive ${sizeLabel(size)} ${mode}: publisher failed: ${err.message}`);
  }
  const r = await call(page, "recvWait", [], RECV_MS + 10_000);
  if (r.timedOut || r.error || r.got !== n) {
    anomaly(`${contender}: receive ${sizeLabel(size)} ${mode}: got ${r.got}/${n} messages${r.timedOut ? ` (timed out after ${RECV_MS / 1000} s)` : ""}${r.error ? `, error: ${r.error}` : ""}`);
    return null;
  }
  const m1 = await mainThreadTime(cdp);
  return { rate: n / (r.ms / 1000), cpuUs: ((m1 - m0) * 1e6) / n };
}

/**
 * CPU seconds the page's main thread spent in tasks (CDP TaskDuration with threadTicks):
 * JS, wasm, microtasks, GC and Blink's own WebSocket event dispatch.
 */
async function mainThreadTime(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return metrics.find((m) => m.name === "TaskDuration").value;
}

/** A guarded step: an exception becomes an anomaly and the run goes on. */
async function step(contender, what, fn) {
  try {
    return await fn();
  } catch (err) {
    anomaly(`${contender}: ${what}: ${err.message.split("\n")[0]}`);
    return null;
  }
}

/** Throughput, latency and connect time of one contender, in one fresh page. */
async function throughputBlock(browser, contender, rep) {
  const { ctx, page } = await openPage(browser, contender, `rep ${rep + 1}`);
  try {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
    if (!(await step(contender, "load", () => call(page, "load", [env.nats.wsUrl, contender])))) return;
    for (const size of ONLY.has("pub") ? SIZES : []) {
      await step(contender, `publish ${sizeLabel(size)}`, async () => {
        const n = CONFIG.pubN[size];
        await call(page, "pub", [size, Math.max(100, Math.round(n / 10))]); // warm-up
        const r = await call(page, "pub", [size, n]);
        const rate = n / (r.ms / 1000);
        record(`pub.${size}`, contender, rate);
        record(`pubMB.${size}`, contender, (rate * size) / 1e6);
      });
    }
    for (const size of ONLY.has("recv") ? SIZES : []) {
      for (const mode of contender === "raw" ? ["scan"] : ["iter", "cb"]) {
        await step(contender, `receive ${sizeLabel(size)} ${mode}`, async () => {
          const n = CONFIG.recvN[size];
          await recvOnce(page, cdp, contender, size, mode, Math.max(100, Math.round(n / 10))); // warm-up
          const r = await recvOnce(page, cdp, contender, size, mode, n);
          if (!r) return;
          for (const m of mode === "scan" ? ["iter", "cb"] : [mode]) {
            record(`recv.${m}.${size}`, contender, r.rate);
            record(`recvCpu.${m}.${size}`, contender, r.cpuUs);
          }
        });
      }
    }
    if (ONLY.has("rr")) await step(contender, "request/reply", async () => {
      const r = await call(page, "reqrep", [CONFIG.rrN, 16, 60_000]);
      if (r.n < CONFIG.rrN) anomaly(`${contender}: request/reply: only ${r.n}/${CONFIG.rrN} requests within 60 s`);
      record("rr.p50", contender, r.p50);
      record("rr.p90", contender, r.p90);
      record("rr.p99", contender, r.p99);
    });
    if (ONLY.has("connect")) await step(contender, "connect", async () => {
      const r = await call(page, "connect", [CONFIG.connectK]);
      record("connect", contender, r.median);
    });
    await call(page, "close").catch(() => {});
  } finally {
    await ctx.close().catch(() => {});
  }
}

/** Module import + init and the first connect, in a fresh context (empty cache). */
async function coldBlock(browser, contender, rep) {
  const { ctx, page } = await openPage(browser, contender, `cold start, rep ${rep + 1}`);
  try {
    await step(contender, "cold start", async () => {
      const r = await call(page, "coldStart", [env.nats.wsUrl, contender]);
      if (r.importMs !== null) record("import", contender, r.importMs);
      record("coldConnect", contender, r.connectMs);
      record("coldTotal", contender, (r.importMs ?? 0) + r.connectMs);
    });
  } finally {
    await ctx.close().catch(() => {});
  }
}

async function heapAfterGc(cdp) {
  for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
  return (await cdp.send("Runtime.getHeapUsage")).usedSize;
}

/** Memory held by `memSubs` idle subscriptions, in a fresh context. */
async function memoryBlock(browser, contender, rep) {
  const { ctx, page } = await openPage(browser, contender, `memory, rep ${rep + 1}`);
  try {
    await step(contender, "memory", async () => {
      const cdp = await ctx.newCDPSession(page);
      const w0 = await call(page, "memStart", [env.nats.wsUrl, contender]);
      const h0 = await heapAfterGc(cdp);
      const w1 = await call(page, "memSubscribe", [CONFIG.memSubs]);
      const h1 = await heapAfterGc(cdp);
      const k = CONFIG.memSubs;
      record("mem.heap0", contender, h0);
      record("mem.js", contender, (h1 - h0) / k);
      if (w0 !== null && w1 !== null) {
        record("mem.wasm", contender, (w1 - w0) / k);
        record("mem.total", contender, (h1 - h0 + w1 - w0) / k);
      } else {
        if (contender === "ours") anomaly("ours: memory: the wasm memory was not reachable from the page; JS heap only");
        record("mem.total", contender, (h1 - h0) / k);
      }
      if (contender === "ours" && w0 !== null) results.meta.wasmMemoryNote = "reached through the exports returned by `init()`";
      await call(page, "close").catch(() => {});
    });
  } finally {
    await ctx.close().catch(() => {});
  }
}

/**
 * JetStream publish and consume rates, in a fresh context against the JetStream server. The
 * stream is created for this block and deleted at its end; each row fails on its own.
 */
async function jsBlock(browser, contender, rep) {
  const { ctx, page } = await openPage(browser, contender, `jetstream, rep ${rep + 1}`);
  const { pub1N, pub100N, consumeN } = CONFIG.js;
  const [stream, subject] = ["BENCH", "bench.js"];
  try {
    if (!(await step(contender, "jetstream load", () => call(page, "load", [env.jsNats.wsUrl, contender])))) return;
    if (!(await step(contender, "jetstream stream", () => call(page, "jsSetup", [stream, subject])))) return;
    for (const [key, n, window] of [["js.pub1", pub1N, 1], ["js.pub100", pub100N, 100]]) {
      await step(contender, `js.publish, window ${window}`, async () => {
        await call(page, "jsPub", [subject, JS_SIZE, Math.max(100, Math.round(n / 10)), window, JS_MS], JS_MS + 10_000); // warm-up
        const r = await call(page, "jsPub", [subject, JS_SIZE, n, window, JS_MS], JS_MS + 10_000);
        if (r.timedOut) throw new Error(`only ${r.done}/${n} PubAcks within ${JS_MS / 1000} s`);
        record(key, contender, n / (r.ms / 1000));
      });
    }
    // The stream holds exactly consumeN messages for both readers (filled untimed).
    if (await step(contender, "jetstream fill", () => call(page, "jsFill", [stream, subject, JS_SIZE, consumeN, JS_MS], JS_MS + 30_000))) {
      // Then two variants that show what bounds the ordered replay (see report.mjs).
      for (const [key, durable, max, push] of [
        ["js.consume", "bench"], ["js.ordered", null], ["js.ordered1000", null, 1000], ["js.push", null, 0, true],
      ]) {
        await step(contender, key, async () => {
          const r = await call(page, "jsConsume", [stream, consumeN, durable, JS_MS, max, push], JS_MS + 30_000);
          if (r.timedOut || r.error || r.got !== consumeN) {
            throw new Error(`got ${r.got}/${consumeN} messages${r.timedOut ? ` (timed out after ${JS_MS / 1000} s)` : ""}${r.error ? `, error: ${r.error}` : ""}`);
          }
          record(key, contender, consumeN / (r.ms / 1000));
        });
      }
    }
    await step(contender, "jetstream stream delete", () => call(page, "jsTeardown", [stream]));
    await call(page, "close").catch(() => {});
  } finally {
    await ctx.close().catch(() => {});
  }
}

/**
 * KV round trips and watch delivery, in a fresh context against the JetStream server: put and
 * get latencies (each awaited), then a watch of a bucket filled with watchN values (one key
 * each); then an object store's put and get of osBytes. The bucket and the store are made for
 * this block and destroyed at its end; each row fails on its own.
 */
async function kvBlock(browser, contender, rep) {
  const { ctx, page } = await openPage(browser, contender, `kv, rep ${rep + 1}`);
  const { latencyN, watchN } = CONFIG.kv;
  try {
    if (!(await step(contender, "kv load", () => call(page, "load", [env.jsNats.wsUrl, contender])))) return;
    if (!(await step(contender, "kv bucket", () => call(page, "kvSetup", ["bench", 1])))) return;
    for (const op of ["put", "get"]) {
      await step(contender, `kv.${op}`, async () => {
        await call(page, "kvLatency", [op, JS_SIZE, Math.max(100, Math.round(latencyN / 10)), JS_MS], JS_MS + 10_000); // warm-up
        const r = await call(page, "kvLatency", [op, JS_SIZE, latencyN, JS_MS], JS_MS + 10_000);
        record(`kv.${op}.p50`, contender, r.p50);
        record(`kv.${op}.p99`, contender, r.p99);
      });
    }
    if (await step(contender, "kv fill", () => call(page, "kvFill", [JS_SIZE, watchN, JS_MS], JS_MS + 30_000))) {
      await step(contender, "kv.watch", async () => {
        const r = await call(page, "kvWatch", [watchN, JS_MS], JS_MS + 30_000);
        if (r.timedOut || r.error || r.got !== watchN) {
          throw new Error(`got ${r.got}/${watchN} entries${r.timedOut ? ` (timed out after ${JS_MS / 1000} s)` : ""}${r.error ? `, error: ${r.error}` : ""}`);
        }
        record("kv.watch", contender, watchN / (r.ms / 1000));
      });
    }
    await step(contender, "kv destroy", () => call(page, "kvTeardown", []));
    await step(contender, "os put/get", async () => {
      const r = await call(page, "osPutGet", [CONFIG.kv.osBytes, JS_MS], 3 * JS_MS);
      record("os.put", contender, CONFIG.kv.osBytes / 1e6 / (r.put / 1000));
      record("os.get", contender, CONFIG.kv.osBytes / 1e6 / (r.get / 1000));
    });
    await call(page, "close").catch(() => {});
  } finally {
    await ctx.close().catch(() => {});
  }
}

// ----- package size -------------------------------------------------------------------------

function packageSizes() {
  const read = (f) => fs.readFileSync(f.startsWith("pkg/") ? path.join(pkgDir, f.slice(4)) : path.join(ROOT, f));
  // nats.ws publishes its bundle unminified; a web app's bundler minifies it, so the fair
  // comparison (and the issue's "minified, gzip") is against esbuild's minification of it.
  const minified = (f) => Buffer.from(transformSync(read(f).toString("utf8"), { minify: true, format: "esm", logLevel: "silent" }).code);
  const measure = (files, load = read) => {
    const bufs = files.map(load);
    const total = (fn) => bufs.reduce((s, b) => s + fn(b).length, 0);
    return {
      files,
      raw: total((b) => b),
      gzip: total((b) => zlib.gzipSync(b, { level: 9 })),
      brotli: total((b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })),
    };
  };
  // What a web app that imports only `connect` ships: its bundler keeps what `connect`
  // reaches (codecs, authenticators it does not use and the like are dropped).
  const appBundle = (entry) => (f) => {
    if (f.endsWith(".wasm")) return read(f);
    const out = buildSync({
      stdin: { contents: `export { connect } from ${JSON.stringify(entry)};`, resolveDir: ROOT },
      bundle: true, minify: true, format: "esm", write: false, logLevel: "silent",
      // nats.ws reaches for node:crypto only under Node.js; browser bundlers stub it.
      external: ["./nats_wasm_inline.js", "crypto"],
    });
    return Buffer.from(out.outputFiles[0].contents);
  };
  return {
    ours: measure(["pkg/index.js", "pkg/nats_wasm_bg.wasm"]),
    "nats.ws": measure(["node_modules/nats.ws/esm/nats.js"], minified),
    "nats.ws as published": measure(["node_modules/nats.ws/esm/nats.js"]),
    "ours in an app importing connect": measure(["pkg/index.js", "pkg/nats_wasm_bg.wasm"], appBundle(path.join(pkgDir, "index.js"))),
    "nats.ws in an app importing connect": measure(["node_modules/nats.ws/esm/nats.js"], appBundle("nats.ws")),
  };
}

// ----- main -----------------------------------------------------------------------------------

function gitDescribe() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "pkg-template", "Cargo.toml"], { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return "unknown commit";
  }
}

function machine() {
  const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const version = (p) => JSON.parse(fs.readFileSync(path.join(ROOT, p), "utf8")).version;
  return {
    cpu: model.trim(),
    cores: os.cpus().length,
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    playwright: version("node_modules/playwright-core/package.json"),
    natsWsVersion: version("node_modules/nats.ws/package.json"),
    oursVersion: `nats-wasm ${JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version}, pkg/ built ${pkgBuilt.toISOString().slice(0, 16).replace("T", " ")} UTC, wasm sha256 ${crypto.createHash("sha256").update(fs.readFileSync(path.join(pkgDir, "nats_wasm_bg.wasm"))).digest("hex").slice(0, 12)}; work tree at run time: ${gitDescribe()}`,
  };
}

async function main() {
  await snapshotPkg();
  const loadStart = os.loadavg().map((x) => x.toFixed(2)).join(" ");
  results.meta = { ...machine(), wasmMemoryNote: "not reachable: JS heap only" };
  results.sizes = packageSizes();
  log(`${QUICK ? "quick" : "full"} run: ${CONFIG.reps} repetitions; load average ${loadStart}`);

  const nats = await startNatsServer();
  // JetStream gets its own server, so that the core rows run against one without it.
  const jsNats = ONLY.has("js") || ONLY.has("kv") ? await startNatsServer({ jetstream: true }) : null;
  const httpServer = await startHttp();
  env = { nats, jsNats, http: httpServer };
  log(`nats-server ${nats.version} (pid ${nats.pid}) tcp :${nats.port}, ${nats.wsUrl}; pages at ${httpServer.base}`);
  if (jsNats) log(`nats-server with JetStream (pid ${jsNats.pid}) ${jsNats.wsUrl}`);

  let lockWaitS = 0;
  for (let rep = 0; rep < CONFIG.reps; rep++) {
    const order = CONTENDERS.map((_, i) => CONTENDERS[(i + rep) % CONTENDERS.length]);
    (results.meta.loadPerRep ??= []).push(os.loadavg()[0]);
    const lock = await acquireBrowserLock();
    lockWaitS += lock.waitedS;
    if (lock.waitedS > 1) log(`waited ${lock.waitedS.toFixed(0)} s for the browser lock`);
    const browser = await chromium.launch(LAUNCH);
    try {
      results.meta.chromium = browser.version();
      if (["pub", "recv", "rr", "connect"].some((g) => ONLY.has(g))) for (const c of order) {
        log(`rep ${rep + 1}/${CONFIG.reps}: ${c} throughput, latency, connect`);
        await throughputBlock(browser, c, rep);
      }
      if (ONLY.has("cold") || ONLY.has("memory")) log(`rep ${rep + 1}/${CONFIG.reps}: cold start and memory`);
      if (ONLY.has("cold")) for (let k = 0; k < CONFIG.coldK; k++) for (const c of order) await coldBlock(browser, c, rep);
      if (ONLY.has("memory")) for (const c of order) await memoryBlock(browser, c, rep);
      // The raw WebSocket client speaks no JetStream: n/a in these rows.
      for (const c of ONLY.has("js") ? order.filter((c) => c !== "raw") : []) {
        log(`rep ${rep + 1}/${CONFIG.reps}: ${c} jetstream`);
        await jsBlock(browser, c, rep);
      }
      for (const c of ONLY.has("kv") ? order.filter((c) => c !== "raw") : []) {
        log(`rep ${rep + 1}/${CONFIG.reps}: ${c} kv`);
        await kvBlock(browser, c, rep);
      }
    } finally {
      await withTimeout(browser.close(), 30_000, "browser.close").catch((e) => anomaly(e.message));
      lock.release();
    }
  }

  await nats.stop();
  await jsNats?.stop();
  await httpServer.close();

  Object.assign(results.meta, {
    command: `node bench/run.mjs${argv.length ? " " + argv.join(" ") : ""}`,
    date: new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC"),
    durationS: (performance.now() - T0) / 1000,
    natsServer: nats.version,
    loadStart,
    loadEnd: os.loadavg().map((x) => x.toFixed(2)).join(" "),
    lockWaitS,
  });

  writeReport(results);
}

/** Prints the table and writes RESULTS.md, throughput.svg and results.json. */
function writeReport(res) {
  const rows = buildRows(res.samples);
  console.log("");
  console.log(textTable(rows));
  console.log("");
  console.log("package size (bytes; nats.ws = its esm bundle minified by esbuild, as a bundler ships it):");
  console.log(sizeTable(res.sizes));
  console.log("");
  if (res.anomalies.length) console.log(`${res.anomalies.length} anomalies (see RESULTS.md)`);

  fs.writeFileSync(path.join(HERE, "RESULTS.md"), markdown(res, rows));
  fs.writeFileSync(path.join(HERE, "throughput.svg"), svgChart(res.samples, `Throughput by payload size: median of ${res.config.reps} repetitions${res.config.quick ? " (quick run)" : ""}`));
  fs.writeFileSync(path.join(HERE, "results.json"), JSON.stringify(res, null, 1) + "\n");
  log(`wrote bench/RESULTS.md, bench/throughput.svg, bench/results.json (run took ${res.meta.durationS.toFixed(0)} s)`);
}

export { startNatsServer, startHttp, LAUNCH };

if (MAIN) {
  const run = argv.includes("--report")
    ? async () => writeReport(JSON.parse(fs.readFileSync(path.join(HERE, "results.json"), "utf8")))
    : main;
  run().then(
    () => {
      cleanupSync();
      process.exit(0);
    },
    (err) => {
      console.error(`[bench] failed: ${err.stack || err}`);
      cleanupSync();
      process.exit(1);
    },
  );
}
