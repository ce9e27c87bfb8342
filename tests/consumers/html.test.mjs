// No bundler: a plain HTML page imports the package's ESM entry by relative URL
// (./node_modules/nats-wasm/index.js), and so do a module Worker and a classic dedicated Worker
// (with import()). Each runs the scenario against a real nats-server; nothing may be logged.
// Then the same page from a host that sends .wasm as application/octet-stream (no streaming
// compile: the package must fall back without wasm-bindgen's console warning), and custom
// hosting: init(url) with the .wasm elsewhere, the default location refusing to serve it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startServer } from "../e2e/harness.mjs";
import { copyFixture, expected, installPackage, runPage, serveDir, since, tempDir } from "./common.mjs";

let nats;
let site;

before(async () => {
  nats = await startServer({ jetstream: true });
  site = copyFixture("html", tempDir("html"));
  installPackage(site);
});
after(() => nats?.stop());

async function open(page, serverOptions, query = "") {
  const web = await serveDir(site, serverOptions);
  try {
    return await runPage(`${web.url}/${page}?ws=${encodeURIComponent(nats.wsUrl)}${query}`);
  } finally {
    await web.close();
  }
}

function check({ results, messages, errors }, labels) {
  assert.deepEqual(messages, [], "console messages, failed requests");
  assert.deepEqual(errors, [], "uncaught errors");
  for (const [key, label] of Object.entries(labels)) {
    assert.deepEqual(results[key], { ok: true, value: expected(label) }, key);
  }
}

const ALL = { page: "html-page", moduleWorker: "html-module-worker", classicWorker: "html-classic-worker" };

test("plain <script type=module>, a module Worker and a classic Worker; nothing logged", async () => {
  const t0 = performance.now();
  check(await open("index.html"), ALL);
  console.log(`page + 2 workers ${since(t0)}`);
});

test("a host that serves .wasm as application/octet-stream: works, no MIME warning", async () => {
  check(await open("index.html", { wasmType: "application/octet-stream" }), ALL);
});

test("init(url): the .wasm hosted elsewhere; the default location is not fetched", async () => {
  fs.mkdirSync(path.join(site, "cdn"), { recursive: true });
  fs.copyFileSync(path.join(site, "node_modules/nats-wasm/nats_wasm_bg.wasm"), path.join(site, "cdn/nats.wasm"));
  const run = await open("init.html", { deny: ["/node_modules/nats-wasm/nats_wasm_bg.wasm"] }, "&wasm=cdn/nats.wasm");
  check(run, { page: "html-init" });
});
