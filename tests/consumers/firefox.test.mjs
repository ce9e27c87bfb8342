// The packed package in Firefox ESR, as a page without a bundler loads it: the html fixture
// (the page, a module Worker and a classic Worker each run scenario.js against a real
// nats-server). The browser tests under wasm-pack run the crate in Firefox; this runs what we
// ship (the bundled index.js and the renamed .wasm). Firefox is driven through geckodriver's
// WebDriver HTTP API on loopback; geckodriver and Firefox are stopped by PID when done.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { freePorts, startServer, webdriver as webdriverAt } from "../e2e/harness.mjs";
import { copyFixture, expected, installPackage, serveDir, since, tempDir } from "./common.mjs";

let nats;
let site;
let driver;
let driverUrl;

/** Debian's Firefox ESR, as scripts/setup.sh installs it. */
const firefoxBinary = () => execFileSync("sh", ["-c", "command -v firefox-esr"], { encoding: "utf8" }).trim();

/** Calls the WebDriver endpoint `path` of geckodriver and returns the `value` it answers. */
const webdriver = (method, path, body) => webdriverAt(driverUrl, method, path, body);

before(async () => {
  nats = await startServer({ jetstream: true });
  site = copyFixture("html", tempDir("firefox"));
  installPackage(site);
  const [port] = await freePorts(1);
  driverUrl = `http://127.0.0.1:${port}`;
  driver = spawn("geckodriver", ["--host", "127.0.0.1", "--port", String(port)], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      await webdriver("GET", "/status");
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("geckodriver did not start");
});

after(() => {
  driver?.kill();
  nats?.stop();
});

test("Firefox ESR: plain <script type=module>, a module Worker and a classic Worker", { timeout: 120_000 }, async () => {
  const t0 = performance.now();
  const web = await serveDir(site);
  const session = await webdriver("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        browserName: "firefox",
        "moz:firefoxOptions": { binary: firefoxBinary(), args: ["-headless"] },
      },
    },
  });
  const id = session.sessionId;
  try {
    await webdriver("POST", `/session/${id}/timeouts`, { script: 60_000, pageLoad: 60_000 });
    await webdriver("POST", `/session/${id}/url`, { url: `${web.url}/index.html?ws=${encodeURIComponent(nats.wsUrl)}` });
    const outcome = await webdriver("POST", `/session/${id}/execute/async`, {
      script: `const done = arguments[arguments.length - 1];
        window.__done.then((r) => done({ results: r }), (e) => done({ error: String(e) }));`,
      args: [],
    });
    assert.equal(outcome.error, undefined);
    const labels = { page: "html-page", moduleWorker: "html-module-worker", classicWorker: "html-classic-worker" };
    for (const [key, label] of Object.entries(labels)) {
      assert.deepEqual(outcome.results[key], { ok: true, value: expected(label) }, key);
    }
    console.log(`firefox: page + 2 workers ${since(t0)}`);
  } finally {
    await webdriver("DELETE", `/session/${id}`).catch(() => {});
    await web.close();
  }
});
