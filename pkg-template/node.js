// nats-wasm for Node.js (the "node" export condition): the same API as index.js, which it
// re-exports, except that the wasm module is read from disk: Node's fetch cannot read file:
// URLs. Node.js < 22 has no global WebSocket: assign one (npm `ws`) before `connect()`.
import { readFile } from "node:fs/promises";
import { connect as connectLoaded, init as initFrom } from "./index.js";

export * from "./index.js";

let ready = null;

/** Loads the wasm module: by default the file next to this one; a file: URL is read from disk. */
export function init(input) {
  if (ready === null || input !== undefined) {
    if (input === undefined) input = new URL("./nats_wasm_bg.wasm", import.meta.url);
    const file = typeof input === "string" ? input.startsWith("file:") : input instanceof URL && input.protocol === "file:";
    ready = initFrom(file ? readFile(new URL(input)) : input);
    ready.catch(() => (ready = null));
  }
  return ready;
}

/** As index.js `connect()`, with the wasm module loaded by this file's `init()`. */
export async function connect(opts) {
  await init();
  return connectLoaded(opts);
}
