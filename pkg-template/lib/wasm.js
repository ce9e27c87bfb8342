// The wasm module: loading it once per page, and reading its memory.
//
// wasm-bindgen's generated glue is bound in by the package's entry (index.js, `bindWasm`)
// rather than imported here, so that every module of lib/ imports without a build.
import { ACK_STRIDE } from "./interface.js";

/** wasm-bindgen's glue: `WasmConnection`, and the two functions that instantiate it. */
let glue = null;

/**
 * Takes wasm-bindgen's glue: its `WasmConnection` class, its imports object and the function
 * that adopts an instance. Its own loader is not used: `init()` fetches and instantiates
 * itself, which the bundle then does not carry twice.
 */
export function bindWasm(WasmConnection, imports, adopt) {
  glue = { WasmConnection, imports, adopt };
}

/** A new `WasmConnection` (src/wasm/client.rs); `init()` must have resolved. */
export function newWasmConnection(config, host) {
  return new glue.WasmConnection(config, host);
}

let wasmReady = null;
/** The instance's exports, once loaded. */
let wasmExports = null;
/** The module's memory, once loaded, and views of it (replaced when it grows). */
let wasmMemory = null;
let wasmView = null;
let wasmWordView = null;
let wasmDoubleView = null;

/** The wasm linear memory as bytes; a view made before the memory grew is empty. */
export function wasmBytes() {
  if (wasmView === null || wasmView.byteLength === 0) wasmView = new Uint8Array(wasmMemory.buffer);
  return wasmView;
}

/**
 * Copies `len` bytes at `ptr` of wasm memory out, for messages that span WebSocket frames.
 * Copies of up to 2 KiB share a block, as Node's Buffer pool does: a fresh ArrayBuffer per
 * message cost Chromium ~7 µs each while frames were arriving (bench/profile.mjs, receiving
 * 128 B messages, one of which spans each 4 KiB frame).
 * Keeping such a message's `data` keeps its block alive, as keeping a message from inside
 * a frame keeps that frame.
 */
export function copyOut(ptr, len) {
  const src = wasmBytes().subarray(ptr, ptr + len);
  if (len > COPY_BLOCK >>> 3) return src.slice();
  if (copyBlock === null || copyUsed + len > COPY_BLOCK) {
    copyBlock = new Uint8Array(COPY_BLOCK);
    copyUsed = 0;
  }
  const out = copyBlock.subarray(copyUsed, (copyUsed += len));
  out.set(src);
  return out;
}
const COPY_BLOCK = 16 * 1024;
let copyBlock = null;
let copyUsed = 0;

/** The wasm linear memory as u32 words, for the delivery rows. */
export function wasmWords() {
  if (wasmWordView === null || wasmWordView.length === 0) wasmWordView = new Uint32Array(wasmMemory.buffer);
  return wasmWordView;
}

/**
 * The `ACK_STRIDE` numbers of ack record `n` (from 1) of a batch whose records start at
 * byte `at` of wasm memory (src/interface.rs, `ack`): copied, since the memory is reused.
 */
export function ackRecord(at, n) {
  // A view made per call cost a JetStream read 15% of its time (bench/profile.mjs js-push).
  if (wasmDoubleView === null || wasmDoubleView.length === 0) wasmDoubleView = new Float64Array(wasmMemory.buffer);
  const v = wasmDoubleView;
  let i = (at >>> 3) + (n - 1) * ACK_STRIDE;
  // Copied into a plain array: TypedArray slice() cost 2.5 µs here (its species lookup).
  const out = new Array(ACK_STRIDE);
  for (let k = 0; k < ACK_STRIDE; k++) out[k] = v[i++];
  return out;
}

/**
 * Loads the wasm module. `connect()` calls it for you; call it yourself only to load the
 * `.wasm` from somewhere else (a CDN, bytes, a compiled `WebAssembly.Module`).
 */
export function init(input) {
  if (wasmReady === null || input !== undefined) {
    // The URL must stay in exactly this form: bundlers (Vite, webpack) find the file by it.
    const source = input ?? new URL("./nats_wasm_bg.wasm", import.meta.url);
    wasmReady = wasmSource(source).then(instantiate);
    wasmReady.catch(() => (wasmReady = null));
  }
  return wasmReady;
}

/**
 * Instantiates the module once per page: the glue and every connection share one instance,
 * so a later `init(input)` resolves to the first instance's exports, as wasm-bindgen's own
 * loader does.
 */
async function instantiate(source) {
  if (wasmExports === null) {
    const imports = glue.imports();
    let loaded = typeof Response === "function" && source instanceof Response
      ? await WebAssembly.instantiateStreaming(source, imports)
      : await WebAssembly.instantiate(source, imports);
    if (loaded instanceof WebAssembly.Instance) loaded = { instance: loaded, module: source };
    if (wasmExports === null) {
      wasmExports = glue.adopt(loaded.instance, loaded.module);
      // The build shortens export names (scripts/minify-wasm-names.mjs): find it by type.
      wasmMemory = Object.values(wasmExports).find((v) => v instanceof WebAssembly.Memory);
    }
  }
  return wasmExports;
}

/**
 * Fetches the module if `input` names it and returns what `instantiate` takes: the Response
 * itself when it may be compiled while it downloads (served as `application/wasm`), its bytes
 * otherwise, checked to be wasm, not the HTML page a dev server answers for a file it does
 * not have; bytes or a compiled `WebAssembly.Module` as given.
 */
async function wasmSource(input) {
  input = await input;
  if (typeof input === "string" || input instanceof URL ||
    (typeof Request === "function" && input instanceof Request)) {
    input = await fetch(input);
  }
  if (typeof Response !== "function" || !(input instanceof Response)) return input;
  if (!input.ok) throw new Error(`nats-wasm: cannot load ${input.url}: HTTP ${input.status}`);
  const type = input.headers.get("content-type");
  if (type === "application/wasm" && typeof WebAssembly.instantiateStreaming === "function") return input;
  const bytes = new Uint8Array(await input.arrayBuffer());
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error(`nats-wasm: ${input.url} is not a wasm module (content-type ${type}); ` +
      "serve nats_wasm_bg.wasm next to index.js or pass its URL or bytes to init()");
  }
  return bytes;
}
