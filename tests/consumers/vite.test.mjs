// A Vite 7 app (fixture vite-app/, no Vite config at all) using the packed package:
// - `vite build`, served by a plain static server, opened in Chromium: the page and a worker
//   (which Vite bundles as an iife) each run the scenario against a real nats-server;
// - the dev server, where Vite pre-bundles the package into node_modules/.vite/deps/: the known
//   trap for wasm packages (the .wasm URL then answers with index.html) must not bite.
// Both must log nothing: no console message of any kind, no failed request, no Vite warning.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { build, createLogger, createServer } from "vite";
import { freePorts, startServer, startStaticServer } from "../e2e/harness.mjs";
import { copyFixture, expected, installPackage, runPage, since, tempDir } from "./common.mjs";

let nats;
let app;

before(async () => {
  nats = await startServer({ jetstream: true });
  app = copyFixture("vite-app", path.join(tempDir("vite"), "app"), "src");
  installPackage(app);
});
after(() => nats?.stop());

/** A Vite logger that keeps warnings and errors (Vite's own info lines are dropped). */
function recordingLogger() {
  const logger = createLogger("warn", { allowClearScreen: false });
  const seen = [];
  logger.warn = (msg) => seen.push(`warn: ${msg}`);
  logger.warnOnce = (msg) => seen.push(`warn: ${msg}`);
  logger.error = (msg) => seen.push(`error: ${msg}`);
  logger.info = () => {};
  return { logger, seen };
}

function checkResults({ results, messages, errors }, page, worker) {
  assert.deepEqual(messages, [], "console messages, failed requests");
  assert.deepEqual(errors, [], "uncaught errors");
  assert.deepEqual(results.page, { ok: true, value: expected(page) });
  assert.deepEqual(results.worker, { ok: true, value: expected(worker) });
}

test("vite build: the app and its iife worker connect, request, subscribe; nothing logged", async () => {
  const t0 = performance.now();
  const { logger, seen } = recordingLogger();
  await build({ root: app, configFile: false, customLogger: logger, logLevel: "warn" });
  assert.deepEqual(seen, [], "vite build warnings");
  const dist = path.join(app, "dist");
  const assets = fs.readdirSync(path.join(dist, "assets"));
  const wasm = assets.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one .wasm asset, hashed: ${assets}`);
  for (const f of assets) {
    const data = fs.readFileSync(path.join(dist, "assets", f));
    const gz = zlib.gzipSync(data, { level: 9 }).length;
    console.log(`dist/assets/${f}: ${data.length} bytes, ${gz} gzip`);
    // The embedded copy (dev.js) is for dev servers only; "AGFzbQ" is base64 of "\0asm".
    if (f.endsWith(".js")) assert.ok(!data.includes("AGFzbQ"), `${f} embeds the wasm`);
  }
  const buildTime = since(t0);
  const web = await startStaticServer(dist);
  try {
    const run = await runPage(`${web.url}/index.html?ws=${encodeURIComponent(nats.wsUrl)}`);
    checkResults(run, "vite-page", "vite-worker");
  } finally {
    await web.close();
  }
  console.log(`vite build ${buildTime}, build + browser run ${since(t0)}`);
});

test("vite dev server (dependencies pre-bundled): works with no config; nothing logged", async () => {
  const t0 = performance.now();
  const { logger, seen } = recordingLogger();
  // `vite build` above set NODE_ENV=production in this process; `vite` (dev) runs in a fresh one.
  delete process.env.NODE_ENV;
  const [port] = await freePorts(1);
  const server = await createServer({
    root: app,
    configFile: false,
    customLogger: logger,
    logLevel: "warn",
    server: { host: "127.0.0.1", port, strictPort: true },
  });
  try {
    await server.listen();
    const base = server.resolvedUrls.local[0];
    const run = await runPage(`${base}?ws=${encodeURIComponent(nats.wsUrl)}`, {
      ignore: [/^\[vite\] (connecting|connected)/],
    });
    checkResults(run, "vite-page", "vite-worker");
    // The case under test: the package was pre-bundled away from its .wasm file.
    const deps = path.join(app, "node_modules", ".vite", "deps");
    const bundled = fs.readFileSync(path.join(deps, "nats-wasm.js"), "utf8");
    assert.ok(bundled.includes("AGFzbQ"), "nats-wasm was pre-bundled from dev.js, the wasm embedded");
    assert.ok(!fs.readdirSync(deps).some((f) => f.endsWith(".wasm")), "no .wasm beside the pre-bundle");
    assert.deepEqual(seen, [], "vite dev warnings");
  } finally {
    await server.close();
  }
  console.log(`vite dev server + browser run ${since(t0)}`);
});
