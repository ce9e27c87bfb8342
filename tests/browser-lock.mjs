// The cross-process lock that lets one headless browser run at a time on this machine (its
// two cores): the e2e suite and the benchmark both take it. A directory holding the owner's
// pid; a lock whose owner is gone is taken over.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const LOCK_DIR = path.join(os.tmpdir(), "nats-wasm-e2e-browser.lock");
const PID_FILE = path.join(LOCK_DIR, "pid");

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** Removes the lock if this process holds it (safe to call more than once). */
function release() {
  try {
    if (Number(fs.readFileSync(PID_FILE, "utf8")) === process.pid) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  } catch {
    // gone already
  }
}

/**
 * Waits (at most `maxWaitMs`) for the lock; resolves to `{ release, waitedS }`. The lock is
 * also released when the process exits.
 */
export async function acquireBrowserLock(maxWaitMs = 300_000) {
  const t0 = performance.now();
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(PID_FILE, String(process.pid));
      process.once("exit", release);
      return { release, waitedS: (performance.now() - t0) / 1000 };
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(PID_FILE, "utf8"));
      } catch {
        // being created or removed
      }
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
        fs.rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (performance.now() - t0 > maxWaitMs) throw new Error(`the browser lock ${LOCK_DIR} is held by pid ${owner}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
