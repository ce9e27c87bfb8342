// Shared helpers for the consumer tests: the package as a consumer gets it (packed with
// `npm pack` from pkg/, then unpacked into a node_modules/ of a temporary app), fixture copies,
// and a headless Chromium page that runs a fixture and reports every console message.
//
// The browser, nats-server and static server helpers are the e2e suite's (tests/e2e/harness.mjs):
// the same lock keeps one browser running at a time.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, startStaticServer } from "../e2e/harness.mjs";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "..", "..");
export const PKG_DIR = path.join(REPO_ROOT, "pkg");

const temps = [];
process.on("exit", () => {
  if (!process.env.KEEP_CONSUMERS) for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary directory, removed when the process exits (kept with KEEP_CONSUMERS=1). */
export function tempDir(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nats-wasm-${name}-`));
  temps.push(dir);
  return dir;
}

let packed = null;

/**
 * `npm pack` of pkg/: the tarball path and npm's report (files with sizes). run.mjs packs once
 * and passes the tarball in CONSUMER_TARBALL; a test file run alone packs for itself.
 */
export function pack() {
  if (packed) return packed;
  const tarball = process.env.CONSUMER_TARBALL;
  const report = process.env.CONSUMER_PACK_REPORT;
  if (tarball && report) {
    packed = { tarball, report: JSON.parse(fs.readFileSync(report, "utf8")) };
    return packed;
  }
  const dir = tempDir("pack");
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir, "--loglevel=error"], {
    cwd: PKG_DIR,
    encoding: "utf8",
  });
  const [rep] = JSON.parse(out);
  packed = { tarball: path.join(dir, rep.filename), report: rep };
  return packed;
}

/** Unpacks the packed package into `dir`/node_modules/nats-wasm, as `npm install` would. */
export function installPackage(dir) {
  const dest = path.join(dir, "node_modules", "nats-wasm");
  fs.mkdirSync(dest, { recursive: true });
  execFileSync("tar", ["-xzf", pack().tarball, "-C", dest, "--strip-components=1"]);
  return dest;
}

/**
 * Copies fixture directory tests/consumers/`name` to `dest`, and scenario.js into its
 * `scenarioDir` (none if null).
 */
export function copyFixture(name, dest, scenarioDir = ".") {
  fs.cpSync(path.join(HERE, name), dest, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)([/\\]|$)/.test(src),
  });
  if (scenarioDir !== null) fs.copyFileSync(path.join(HERE, "scenario.js"), path.join(dest, scenarioDir, "scenario.js"));
  return dest;
}

/** The result scenario.js returns for `label` (see there). */
export const expected = (label) => ({
  reply: `PONG ${label}`,
  events: [`ev.${label}.0:0`, `ev.${label}.1:1`, `ev.${label}.2:2`],
  header: label,
  json: { label, n: 3 },
  jetstream: [1, `stored ${label}`, 1],
  service: [`hello ${label}`, [true]],
  views: [`kv ${label}`, `os ${label}`],
});

/**
 * Opens `url` in headless Chromium, waits for the page's `window.__done` (an object of results,
 * one per scenario it ran) and returns it with every console message of the page and its
 * workers and every uncaught error. `ignore`: console messages that are not ours (a dev
 * server's client announcing itself).
 */
export async function runPage(url, { ignore = [], timeout = 30_000 } = {}) {
  // launchBrowser first opens the e2e suite's blank page, which the repository root server has.
  const home = await startStaticServer();
  let b;
  try {
    b = await launchBrowser(home.url);
  } catch (e) {
    await home.close();
    throw e;
  }
  try {
    b.clearErrors();
    const messages = [];
    const onConsole = (where) => (m) => {
      const text = `${where} ${m.type()}: ${m.text()}`;
      if (!ignore.some((re) => re.test(m.text()))) messages.push(text);
    };
    b.page.on("console", onConsole("page"));
    b.page.on("worker", (w) => w.on("console", onConsole(`worker ${w.url()}`)));
    b.page.on("requestfailed", (r) => messages.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    b.page.on("response", (r) => {
      if (r.status() >= 400) messages.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await b.page.goto(url);
    const results = await b.page.evaluate(
      (ms) =>
        Promise.race([
          window.__done,
          new Promise((_, reject) => setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms)),
        ]),
      timeout,
    );
    // Late messages (a warning after the result) count too.
    await new Promise((r) => setTimeout(r, 100));
    return { results, messages, errors: b.pageErrors() };
  } finally {
    await b.close();
    await home.close();
  }
}

/** Milliseconds since `t0`, for the timing lines the tests print. */
export const since = (t0) => `${Math.round(performance.now() - t0)} ms`;

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".json": "application/json" };

/**
 * Serves `root` on a free loopback port, like any static host. `wasmType`: the Content-Type
 * sent for .wasm files (some servers send application/octet-stream); `deny`: paths answered
 * with 404, to prove a file is not fetched.
 */
export async function serveDir(root, { wasmType = "application/wasm", deny = [] } = {}) {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.join(root, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root + path.sep) || deny.includes(pathname) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const ext = path.extname(file);
    res.writeHead(200, { "content-type": ext === ".wasm" ? wasmType : TYPES[ext] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
