#!/usr/bin/env node
// Runs the browser e2e suite serially (one nats-server + one browser at a time):
//   node tests/e2e/run.mjs [extra node --test flags] [test files: all when none]
// Env:
//   NATS_CLIENT_MODULE  module under test, as served from the repo root
//                       (default /pkg/index.js; reference: /node_modules/nats.ws/esm/nats.js)
//   CHROMIUM            browser binary (default /usr/bin/chromium)
//   E2E_BROWSER         firefox (geckodriver) or webkit (WebKitWebDriver under Xvfb) instead of chromium
//   E2E_NO_SKIP=1       also run the tests that are skipped for the reference
//   E2E_DEBUG=1         echo page console output
// Equivalent to: node --test --test-concurrency=1 tests/e2e/
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const given = process.argv.slice(2).filter((a) => a.endsWith(".test.mjs"));
const flags = process.argv.slice(2).filter((a) => !a.endsWith(".test.mjs"));
const files = given.length > 0 ? given : fs
  .readdirSync(here)
  .filter((f) => f.endsWith(".test.mjs"))
  .sort()
  .map((f) => path.join(here, f));

const args = [
  "--test",
  "--test-concurrency=1",
  "--test-timeout=120000",
  ...flags,
  ...files,
];
const child = spawn(process.execPath, args, { stdio: "inherit", env: process.env });
const forward = (sig) => () => child.kill(sig);
process.on("SIGINT", forward("SIGINT"));
process.on("SIGTERM", forward("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
