// TypeScript consumers of the packed package, resolved through its package.json (not a `paths`
// mapping as in tests/ts): `tsc --noEmit --strict` with moduleResolution `bundler` and
// `nodenext` over tests/ts/example.ts (the nats.ws README flow, only the import changed), and
// a Node.js program checked without the DOM lib (ts/node.ts). skipLibCheck is off: the
// package's index.d.ts is checked too.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, copyFixture, installPackage, since, tempDir } from "./common.mjs";

const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
const CONFIGS = [
  ["tsconfig.bundler.json", "moduleResolution bundler: the nats.ws example"],
  ["tsconfig.nodenext.json", "moduleResolution nodenext (an ES module package): the nats.ws example"],
  ["tsconfig.node.json", "nodenext, no DOM lib: a Node.js program"],
];
let dir;

before(() => {
  dir = copyFixture("ts", tempDir("ts"), null);
  fs.copyFileSync(path.join(REPO_ROOT, "tests", "ts", "example.ts"), path.join(dir, "example.ts"));
  installPackage(dir);
});

function tsc(config) {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, "-p", config, "--pretty", "false"], { cwd: dir }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, output: `${stdout}${stderr}` });
    });
  });
}

for (const [config, what] of CONFIGS) {
  test(`tsc --strict, ${what}`, async () => {
    const t0 = performance.now();
    const { code, output } = await tsc(config);
    assert.equal(output, "", "no diagnostics");
    assert.equal(code, 0);
    console.log(`${config} ${since(t0)}`);
  });
}
