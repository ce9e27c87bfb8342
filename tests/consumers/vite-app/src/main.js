// Open as /?ws=<nats-server websocket URL>: runs the scenario here and in a worker, which Vite
// bundles on its own (as an iife by default: the package must not use top-level await).
import * as nats from "nats-wasm";
import { scenario, settle } from "./scenario.js";

const ws = new URLSearchParams(location.search).get("ws");
if (ws) {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const inWorker = new Promise((resolve) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => resolve({ ok: false, error: `worker error: ${e.message}` });
  });
  worker.postMessage(ws);
  window.__done = Promise.all([settle(() => scenario(nats, ws, "vite-page")), inWorker]).then(
    ([page, worker]) => {
      document.getElementById("out").textContent = JSON.stringify({ page, worker }, null, 2);
      return { page, worker };
    },
  );
}
