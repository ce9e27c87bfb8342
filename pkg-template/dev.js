// nats-wasm for dev servers (the "development" export condition): the same API as index.js,
// which it re-exports, except that the wasm module comes embedded in nats_wasm_inline.js.
// Dev servers that pre-bundle dependencies (Vite's optimizeDeps) move the JS away from the
// .wasm file, so the URL index.js would fetch it from then answers with the app's HTML page.
// Production builds resolve to index.js and fetch the .wasm file: they pay nothing for this.
import wasmBase64 from "./nats_wasm_inline.js";
import { connect as connectLoaded, init as initFrom } from "./index.js";
// Imported here, not loaded by URL: the dev server moves the package away from its files.
// Handed over under a global symbol, so that the API index.js exports stays nats.ws's.
import * as jetstreamChunk from "./jetstream.js";
import * as kvChunk from "./kv.js";
import * as objectStoreChunk from "./objectstore.js";
import * as microChunk from "./micro.js";

globalThis[Symbol.for("nats-wasm.jetstream")] = jetstreamChunk;
globalThis[Symbol.for("nats-wasm.kv")] = kvChunk;
globalThis[Symbol.for("nats-wasm.objectstore")] = objectStoreChunk;
globalThis[Symbol.for("nats-wasm.micro")] = microChunk;

export * from "./index.js";

let ready = null;

/** Loads the wasm module: by default the embedded copy. */
export function init(input) {
  if (ready === null || input !== undefined) {
    ready = initFrom(input ?? Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0)));
    ready.catch(() => (ready = null));
  }
  return ready;
}

/** As index.js `connect()`, with the wasm module loaded by this file's `init()`. */
export async function connect(opts) {
  await init();
  return connectLoaded(opts);
}
