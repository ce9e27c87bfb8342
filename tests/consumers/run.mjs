#!/usr/bin/env node
// Runs the consumer tests serially (one browser at a time): packs pkg/ once with `npm pack`,
// then `node --test` over tests/consumers/*.test.mjs with the tarball in CONSUMER_TARBALL.
//   node tests/consumers/run.mjs [extra node --test flags]
// Needs pkg/ built (scripts/build-pkg.sh) and tests/consumers/node_modules (scripts/setup.sh).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, "..", "..", "pkg");
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith(".test.mjs"))
  .sort()
  .map((f) => path.join(here, f));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nats-wasm-pack-"));
const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir, "--loglevel=error"], {
  cwd: pkg,
  encoding: "utf8",
});
const [report] = JSON.parse(out);
const reportFile = path.join(dir, "pack.json");
fs.writeFileSync(reportFile, JSON.stringify(report));

const args = ["--test", "--test-concurrency=1", "--test-timeout=180000", ...process.argv.slice(2), ...files];
const child = spawn(process.execPath, args, {
  stdio: "inherit",
  env: { ...process.env, CONSUMER_TARBALL: path.join(dir, report.filename), CONSUMER_PACK_REPORT: reportFile },
});
const forward = (sig) => () => child.kill(sig);
process.on("SIGINT", forward("SIGINT"));
process.on("SIGTERM", forward("SIGTERM"));
child.on("exit", (code, signal) => {
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
