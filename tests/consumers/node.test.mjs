// Node.js (this machine's node 20, which has no global WebSocket) running node/app.mjs against a
// real nats-server with the packed package: the "node" export condition loads the wasm from
// disk (node's fetch cannot read file: URLs), the WebSocket is looked up at connect() (the
// program assigns npm `ws` after importing the package), the process prints nothing but its
// result and exits by itself once the connection is drained.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePorts, startServer } from "../e2e/harness.mjs";
import { copyFixture, expected, HERE, installPackage, since, tempDir } from "./common.mjs";

let nats;
let dir;

before(async () => {
  nats = await startServer({ jetstream: true });
  dir = copyFixture("node", tempDir("node"));
  installPackage(dir);
  fs.cpSync(path.join(HERE, "node_modules", "ws"), path.join(dir, "node_modules", "ws"), { recursive: true });
});
after(() => nats?.stop());

/** Runs app.mjs (or `program`); resolves with its exit code, stdout and stderr (killed after 30 s). */
function app(wsUrl, mode, program = "app.mjs") {
  return new Promise((resolve) => {
    const args = [path.join(dir, program), wsUrl, ...(mode ? [mode] : [])];
    execFile(process.execPath, args, { cwd: dir, timeout: 30_000, env: { PATH: process.env.PATH } }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? err.signal) : 0, stdout, stderr });
    });
  });
}

function checkRun(run) {
  assert.equal(run.stderr, "", "nothing on stderr");
  assert.equal(run.code, 0, "exits by itself, with 0");
  const lines = run.stdout.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, `one line of output, the program's own: ${run.stdout}`);
  return JSON.parse(lines[0]);
}

const OK = { ok: true, value: { ...expected("node"), burst: 2000 } };

test("ws assigned to globalThis.WebSocket after import; wasm found by the package", async () => {
  const t0 = performance.now();
  assert.deepEqual(checkRun(await app(nats.wsUrl)), OK);
  console.log(`node program ${since(t0)}`);
});

test("init(bytes) read by the program (the .wasm subpath export)", async () => {
  assert.deepEqual(checkRun(await app(nats.wsUrl, "init-bytes")), OK);
});

test("no global WebSocket, the wsFactory option makes each socket", async () => {
  assert.deepEqual(checkRun(await app(nats.wsUrl, "ws-factory")), OK);
});

test("no WebSocket at all: connect() rejects at once, saying what is missing", async () => {
  const result = checkRun(await app(nats.wsUrl, "no-websocket"));
  assert.equal(result.ok, false);
  assert.match(result.error, /NatsError: UNKNOWN_ERROR no WebSocket: on Node\.js < 22, assign one/);
});

test("CommonJS: require() of the package", {
  skip: process.features.require_module ? false : "this Node.js cannot require() ES modules",
}, async () => {
  assert.deepEqual(checkRun(await app(nats.wsUrl, "", "app.cjs")), { ok: true, value: expected("node") });
});

// A server with WebSocket compression: `ws` then negotiates permessage-deflate.
let compressing = null;
async function compressingServer() {
  if (!compressing) {
    const [port, monitorPort, wsPort] = await freePorts(3);
    compressing = await startServer({
      jetstream: true,
      ports: { port, monitorPort, wsPort },
      config: `websocket {\n  host: 127.0.0.1\n  port: ${wsPort}\n  no_tls: true\n  compression: true\n}`,
    });
  }
  return compressing.wsUrl;
}
after(() => compressing?.stop());

test("compressing server, ws with perMessageDeflate off (the README's advice)", async () => {
  assert.deepEqual(checkRun(await app(await compressingServer(), "no-deflate")), OK);
});

// The wasm core hands WebSocket.send() a copy under Node.js: ws compresses it after send()
// returns, when a view into wasm memory would already have been reused.
test("compressing server, ws with permessage-deflate", async () => {
  assert.deepEqual(checkRun(await app(await compressingServer())), OK);
});
