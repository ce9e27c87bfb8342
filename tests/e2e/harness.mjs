// Shared helpers for the browser end-to-end suite.
//
// - startServer(opts): a private nats-server (loopback only, websocket without TLS)
// - startStaticServer(): serves the repository root over http so pages can import
//   /pkg/index.js or /node_modules/nats.ws/esm/nats.js
// - launchBrowser(): headless chromium (one at a time, guarded by a lock) and a page
//   with console-error / pageerror collection
// - inPage(page, fn, args): runs `fn({ mod, ...args })` inside the page and returns
//   its JSON-serialisable result
//
// The client module under test is chosen by env NATS_CLIENT_MODULE (default
// /pkg/index.js); the suite runs unchanged against the reference nats.ws with
// NATS_CLIENT_MODULE=/node_modules/nats.ws/esm/nats.js.

import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, afterEach, before } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { acquireBrowserLock } from "../browser-lock.mjs";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "..", "..");
export const CLIENT_MODULE = process.env.NATS_CLIENT_MODULE || "/pkg/index.js";
/** true when running against the reference implementation (nats.ws). */
export const IS_REFERENCE = CLIENT_MODULE.includes("nats.ws");
/**
 * `skip` option value for tests that document a known nats.ws deviation: skipped
 * (with `reason`) when running against the reference, unless E2E_NO_SKIP=1.
 */
export const skipRef = (reason) => (IS_REFERENCE && !process.env.E2E_NO_SKIP ? reason : false);
export const NATS_SERVER = process.env.NATS_SERVER_BIN || "nats-server";
/**
 * The browser (E2E_BROWSER): `chromium` (default; through playwright-core), `firefox` or
 * `webkit` (through WebDriver).
 */
export const BROWSER = process.env.E2E_BROWSER || "chromium";

/** Default per-test timeout (ms). (In page code, `T` is the page helper object.) */
export const TIMEOUT = 20_000;

// ---------------------------------------------------------------------------
// process-exit cleanup

const cleanups = new Set();
function runCleanupsSync() {
  for (const fn of [...cleanups]) {
    try {
      fn();
    } catch {
      // best effort
    }
  }
  cleanups.clear();
}
process.on("exit", runCleanupsSync);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(sig, () => {
    runCleanupsSync();
    process.exit(128 + (os.constants.signals[sig] || 0));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// a timer that does not keep the process alive (for Promise.race bounds)
const bound = (ms) => new Promise((r) => setTimeout(r, ms).unref());

// ---------------------------------------------------------------------------
// ports

/** Reserve `n` distinct free loopback ports (listen on port 0, read, close). */
export async function freePorts(n = 1) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      await new Promise((resolve, reject) => {
        s.once("error", reject);
        s.listen(0, "127.0.0.1", resolve);
      });
      servers.push(s);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r()))));
  }
}

function httpGet(url, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") })
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

function tcpProbe(port, timeoutMs = 500) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

// ---------------------------------------------------------------------------
// nats-server

/**
 * Start a private nats-server.
 * @param {{ config?: string }} [opts] `config`: extra configuration text appended
 *   to the generated file (e.g. `max_payload: 1048576` or
 *   `authorization { user: a, password: b }`).
 * @returns {Promise<{ wsUrl: string, monitorUrl: string, port: number, wsPort: number,
 *   pid: number, dir: string, varz(): Promise<any>, connz(q?: string): Promise<any>,
 *   stop(): Promise<void> }>}
 */
export async function startServer(opts = {}) {
  if (typeof opts === "string") opts = { config: opts };
  // `jetstream: true` enables JetStream, stored in `storeDir` (a restart passes the first
  // server's) or else in a fresh directory of this server's.
  // `ports` (from a previous server's result) restarts a server on the same addresses.
  const [port, monitorPort, wsPort] = opts.ports
    ? [opts.ports.port, opts.ports.monitorPort, opts.ports.wsPort]
    : await freePorts(3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nats-e2e-"));
  const conf = path.join(dir, "server.conf");
  const logFile = path.join(dir, "server.log");
  const storeDir = opts.jetstream ? opts.storeDir || path.join(dir, "js") : undefined;
  fs.writeFileSync(
    conf,
    [
      `host: 127.0.0.1`,
      `port: ${port}`,
      `http: "127.0.0.1:${monitorPort}"`,
      `websocket {`,
      `  host: 127.0.0.1`,
      `  port: ${wsPort}`,
      `  no_tls: true`,
      `}`,
      storeDir ? `jetstream { store_dir: ${JSON.stringify(storeDir)} }` : "",
      opts.config || "",
      "",
    ].join("\n"),
  );
  const logFd = fs.openSync(logFile, "a");
  const child = spawn(NATS_SERVER, ["-c", conf], {
    stdio: ["ignore", logFd, logFd],
    detached: false,
  });
  fs.closeSync(logFd);
  const pid = child.pid;
  let exited = false;
  let exitInfo = null;
  const exitP = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      exited = true;
      exitInfo = { code, signal };
      resolve();
    });
    child.once("error", (err) => {
      exited = true;
      exitInfo = { error: err.message };
      resolve();
    });
  });

  const syncCleanup = () => {
    if (!exited && pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(syncCleanup);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited && pid) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exitP, bound(2000)]);
      if (!exited) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
        await Promise.race([exitP, bound(2000)]);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    cleanups.delete(syncCleanup);
  };

  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  const deadline = Date.now() + 10_000;
  let ready = false;
  while (Date.now() < deadline && !exited) {
    try {
      const r = await httpGet(`${monitorUrl}/varz`, 500);
      if (r.status === 200 && (await tcpProbe(wsPort)) && (await tcpProbe(port))) {
        ready = true;
        break;
      }
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  if (!ready) {
    let log = "";
    try {
      log = fs.readFileSync(logFile, "utf8");
    } catch {
      // ignore
    }
    await stop();
    throw new Error(
      `nats-server did not become ready within 10s (exit: ${JSON.stringify(exitInfo)})\n${log}`,
    );
  }

  const getJson = async (p) => {
    const r = await httpGet(`${monitorUrl}${p}`, 2000);
    if (r.status !== 200) throw new Error(`GET ${p} -> ${r.status}`);
    return JSON.parse(r.body);
  };

  return {
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    monitorUrl,
    port,
    wsPort,
    monitorPort,
    ports: { port, monitorPort, wsPort },
    pid,
    dir,
    storeDir,
    varz: () => getJson("/varz"),
    connz: (q = "subs=1") => getJson(`/connz?${q}`),
    stop,
  };
}

// ---------------------------------------------------------------------------
// static http server

const MIME = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

const BLANK_HTML =
  `<!doctype html><html><head><meta charset="utf-8"><title>nats e2e</title></head><body></body></html>\n`;

/**
 * Serve the repository root on a free loopback port.
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startStaticServer(root = REPO_ROOT) {
  const rootAbs = path.resolve(root);
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    if (pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    const file = path.resolve(rootAbs, "." + pathname);
    if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        if (pathname === "/tests/e2e/blank.html") {
          res.writeHead(200, { "content-type": MIME[".html"], "cache-control": "no-store" });
          res.end(req.method === "HEAD" ? undefined : BLANK_HTML);
          return;
        }
        res.writeHead(404, { "content-type": MIME[".txt"] }).end("not found");
        return;
      }
      const type = MIME[path.extname(file).toLowerCase()] || "application/octet-stream";
      res.writeHead(200, {
        "content-type": type,
        "content-length": st.size,
        "cache-control": "no-store",
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const port = server.address().port;
  const close = () =>
    new Promise((r) => {
      server.closeAllConnections?.();
      server.close(() => r());
    });
  return { url: `http://127.0.0.1:${port}`, port, close };
}

// ---------------------------------------------------------------------------
// browser

// Helpers installed as globalThis.T in every page (plain JS, no imports).
const PAGE_HELPERS = `
(() => {
  const T = {};
  T.sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // JSON-friendly view of an error (or of a non-error value)
  T.err = (e) => {
    if (e === undefined || e === null) return null;
    if (typeof e !== "object") return { code: undefined, message: String(e), name: typeof e };
    const out = {
      code: e.code,
      message: e.message,
      name: e.name,
      isError: e instanceof Error,
    };
    // A JetStream API error's server fields (nats.ws NatsError.api_error).
    if (e.api_error) out.api_error = e.api_error;
    return out;
  };
  // run fn (sync or async); return { ok: true, value } or { ok: false, error }
  T.capture = async (fn) => {
    try {
      const value = await fn();
      return { ok: true, value: value === undefined ? null : value };
    } catch (e) {
      return { ok: false, error: T.err(e) };
    }
  };
  // bound a promise in time: rejects with Error("timed out: label") after ms
  T.within = (p, ms, label = "operation") => {
    let t;
    const timer = new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error("timed out after " + ms + "ms: " + label)), ms);
    });
    return Promise.race([Promise.resolve(p), timer]).finally(() => clearTimeout(t));
  };
  // resolves when pred() is true (polled), rejects after ms
  T.until = async (pred, ms = 5000, label = "condition") => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await pred()) return true;
      await T.sleep(10);
    }
    throw new Error("timed out after " + ms + "ms waiting for " + label);
  };
  T.enc = (s) => new TextEncoder().encode(s);
  T.dec = (u) => new TextDecoder().decode(u);
  // connections opened by tests, closed by the harness between tests as a safety net
  T.conns = [];
  T.track = (nc) => { T.conns.push(nc); return nc; };
  T.closeAll = async () => {
    const cs = T.conns.splice(0);
    let n = 0;
    for (const nc of cs) {
      try {
        if (!nc.isClosed()) { n++; await T.within(nc.close(), 3000, "close"); }
      } catch { /* ignore */ }
    }
    return n;
  };
  globalThis.T = T;
})();
`;

/**
 * Launch headless chromium (serialised by a lock) and open a fresh page on the
 * blank test page of `baseUrl`.
 * @returns {Promise<{ browser: any, page: any, errors: string[],
 *   pageErrors(): string[], clearErrors(): void, close(): Promise<void> }>}
 */
export async function launchBrowser(baseUrl) {
  if (BROWSER !== "chromium") return launchWebDriver(baseUrl, BROWSER);
  const { release } = await acquireBrowserLock(240_000);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-quic",
        "--disable-sync",
      ],
      timeout: 30_000,
    });
  } catch (e) {
    release();
    throw e;
  }
  const closeSync = () => {
    // playwright-core also kills launched browsers on exit; this is a fallback.
    try {
      browser?.process?.()?.kill("SIGKILL");
    } catch {
      // ignore
    }
  };
  cleanups.add(closeSync);

  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e?.stack || e?.message || e}`));
  page.on("crash", () => errors.push("page crashed"));
  if (process.env.E2E_DEBUG) {
    page.on("console", (m) => console.error(`[page ${m.type()}] ${m.text()}`));
  }
  page.setDefaultTimeout(30_000);
  await page.goto(`${baseUrl}/tests/e2e/blank.html`);
  await page.evaluate(PAGE_HELPERS);

  return { browser, ...browserHandle(page, errors, () => browser.close(), closeSync, release) };
}

/**
 * What `launchBrowser` gives: the page, its errors, and `close()`, which asks the browser to
 * quit (`quit()`, bounded to 10 s), then kills it (`killSync`) and releases the lock.
 */
function browserHandle(page, errors, quit, killSync, release) {
  let closed = false;
  return {
    page,
    errors,
    /** errors collected so far */
    pageErrors: () => errors.slice(),
    clearErrors: () => {
      errors.length = 0;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await Promise.race([quit().catch(() => {}), bound(10_000)]);
      } finally {
        killSync();
        cleanups.delete(killSync);
        release();
      }
    },
  };
}

/** Calls geckodriver's WebDriver endpoint `path` at `base`; returns the answer's `value`. */
export async function webdriver(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(600_000),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

/** The WebDriver servers of the browsers driven through WebDriver: command, and capabilities. */
const WEBDRIVERS = {
  // Firefox ESR, headless.
  firefox: (port) => ({
    command: ["geckodriver", "--host", "127.0.0.1", "--port", String(port)],
    // A script timeout: geckodriver answers null at once without one.
    script: 300_000,
    capabilities: {
      browserName: "firefox",
      "moz:firefoxOptions": { binary: fs.existsSync("/usr/bin/firefox-esr") ? "/usr/bin/firefox-esr" : "firefox", args: ["-headless"] },
    },
  }),
  // WebKitGTK's MiniBrowser, which has no headless mode: in a virtual X server (xvfb-run).
  webkit: (port) => ({
    command: ["xvfb-run", "-a", "WebKitWebDriver", "--host=local", `--port=${port}`],
    // No script timeout (the fetch of each call is bounded): WebKit keeps a page timer for
    // one, which the leak test would count.
    script: null,
    capabilities: { "webkitgtk:browserOptions": { args: ["--automation"] } },
  }),
};

/**
 * Firefox ESR (geckodriver) or WebKitGTK (WebKitWebDriver under Xvfb), driven through
 * WebDriver over loopback, as a page with the one method the suite uses,
 * `evaluate(source)`; the driver's process group is stopped by its PID. Neither has the
 * DevTools protocol: `heapAfterGc` gives null there, and console errors are not collected.
 */
async function launchWebDriver(baseUrl, browserName) {
  const { release } = await acquireBrowserLock(240_000);
  const [port] = await freePorts(1);
  const base = `http://127.0.0.1:${port}`;
  const { command, capabilities, script } = WEBDRIVERS[browserName](port);
  // Its own process group: xvfb-run starts Xvfb and the driver, the driver the browser.
  const driver = spawn(command[0], command.slice(1), { stdio: "ignore", detached: true });
  const killSync = () => {
    try {
      process.kill(-driver.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  cleanups.add(killSync);
  let id;
  try {
    for (let i = 0; ; i++) {
      try {
        await webdriver(base, "GET", "/status");
        break;
      } catch (e) {
        if (i === 100) throw e;
        await sleep(100);
      }
    }
    ({ sessionId: id } = await webdriver(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } }));
    await webdriver(base, "POST", `/session/${id}/timeouts`, { script, pageLoad: 60_000 });
    await webdriver(base, "POST", `/session/${id}/url`, { url: `${baseUrl}/tests/e2e/blank.html` });
  } catch (e) {
    killSync();
    release();
    throw e;
  }
  const page = {
    browserName,
    // Run in the page's own global (a <script> element: WebDriver's scripts have a global of
    // their own), answered through a DOM event.
    async evaluate(src) {
      const out = await webdriver(base, "POST", `/session/${id}/execute/async`, {
        script: `const [code, done] = arguments;
          const key = "wd-" + Math.random().toString(36).slice(2);
          // On the root element, not the document: the leak test counts the document's and
          // the window's listeners.
          const root = document.documentElement;
          const answer = (e) => {
            root.removeEventListener(key, answer);
            done(JSON.parse(e.detail));
          };
          root.addEventListener(key, answer);
          const s = document.createElement("script");
          s.textContent = "Promise.resolve().then(() => (0, eval)(" + JSON.stringify(code) + "))" +
            ".then((value) => ({ value: value === undefined ? null : value }), " +
            "(e) => ({ error: String(e && e.stack ? e.message + ' @ ' + e.stack : e) }))" +
            ".then((r) => document.documentElement.dispatchEvent(new CustomEvent(" + JSON.stringify(key) + ", { detail: JSON.stringify(r) })));";
          document.head.appendChild(s);
          s.remove();`,
        args: [src],
      });
      if (out?.error !== undefined || out === null) throw new Error(out?.error ?? "the browser gave no answer");
      return out.value;
    },
  };
  try {
    await page.evaluate(PAGE_HELPERS);
  } catch (e) {
    killSync();
    cleanups.delete(killSync);
    release();
    throw e;
  }
  return browserHandle(page, [], () => webdriver(base, "DELETE", `/session/${id}`), killSync, release);
}

/**
 * Run `fn` inside the page as `fn({ mod, ...args })`, where `mod` is the client
 * module URL (NATS_CLIENT_MODULE). `fn` must be self-contained (it is serialised
 * by source) and return a JSON-serialisable value. The page-global `T` holds
 * helpers (T.err, T.capture, T.within, T.until, T.sleep, T.track, ...).
 */
export async function inPage(page, fn, args = {}) {
  const src = fn.toString();
  const payload = JSON.stringify({ mod: CLIENT_MODULE, ...args });
  return await page.evaluate(`(${src})(${payload})`);
}

// ---------------------------------------------------------------------------
// one-stop setup for a test file

/**
 * Start a nats-server, the static server and a browser. Use in before()/after().
 * @param {{ config?: string }} [serverOpts]
 */
export async function setupEnv(serverOpts = {}) {
  const env = { server: null, web: null, b: null };
  try {
    env.server = await startServer(serverOpts);
    env.web = await startStaticServer();
    env.b = await launchBrowser(env.web.url);
  } catch (e) {
    await teardownEnv(env);
    throw e;
  }
  const page = env.b.page;
  return {
    ...env,
    page,
    wsUrl: env.server.wsUrl,
    /** run fn in the page with { mod, url: wsUrl, ...args } */
    run: (fn, args = {}) => inPage(page, fn, { url: env.server.wsUrl, ...args }),
    /** close connections the tests left open; returns how many were open */
    closeLeftovers: () => page.evaluate("T.closeAll()"),
    errors: env.b.errors,
    clearErrors: env.b.clearErrors,
    teardown: () => teardownEnv(env),
  };
}

async function teardownEnv(env) {
  try {
    await env.b?.close();
  } finally {
    try {
      await env.web?.close();
    } finally {
      await env.server?.stop();
    }
  }
}

/** JS heap in use in `page` after a full GC (through the DevTools protocol; null in Firefox). */
export async function heapAfterGc(page) {
  if (page.browserName !== undefined) return null;
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

/**
 * Bytes of the package's wasm linear memory (`init()` resolves to the module's exports, whose
 * names the build shortens: the memory is found by type), read with an env's `run`.
 */
export function wasmMemory(run) {
  return run(async ({ mod }) => {
    const exports = await (await import(mod)).init();
    return Object.values(exports).find((v) => v instanceof WebAssembly.Memory).buffer.byteLength;
  });
}

/** Filter out browser-generated noise that a given test expects. */
export function unexpectedErrors(errors, allow = []) {
  return errors.filter((e) => !allow.some((re) => re.test(e)));
}

// ---------------------------------------------------------------------------
// node:test wiring shared by every *.test.mjs file

/**
 * Register before/after/afterEach hooks for a test file: one nats-server and one
 * browser page for the whole file. After each test, connections the test left
 * open are closed and the page must not have reported console errors or uncaught
 * exceptions (except those the test allowed with `env.allowErrors(re)`).
 * @param {{ config?: string }} [serverOpts]
 * @returns {{ env: any }} a holder; `holder.env` is set once before() ran
 */
export function useEnv(serverOpts = {}) {
  const holder = { env: null };
  let allowed = [];
  before(async () => {
    holder.env = await setupEnv(serverOpts);
    holder.env.allowErrors = (...res) => {
      allowed.push(...res);
    };
  }, { timeout: 300_000 });
  after(async () => {
    await holder.env?.teardown();
  }, { timeout: 30_000 });
  afterEach(async () => {
    const env = holder.env;
    if (!env) return;
    await env.closeLeftovers();
    // let late async errors surface before checking
    await sleep(20);
    const bad = unexpectedErrors(env.errors, allowed);
    env.clearErrors();
    allowed = [];
    assert.deepEqual(bad, [], "page reported console errors / uncaught exceptions");
  }, { timeout: 10_000 });
  return holder;
}
