// The package's chunks: JetStream's JS (pkg/jetstream.js), its views (pkg/kv.js,
// pkg/objectstore.js) and the services framework's (pkg/micro.js). Each loads once per page,
// on first use, from next to the package's entry
// (by URL, as ed25519.js: bundlers copy `new URL(..., import.meta.url)` assets, and Vite's
// iife workers cannot take a code-split chunk), unless dev.js imported it (dev servers that
// pre-bundle the package move it away from its files). Each is handed the main module's
// shared classes once (lib/shared.js says why).
import { ErrorCode } from "./enums.js";
import { NatsError, codeError, fromCore, ok } from "./errors.js";
import { JSONCodec } from "./codecs.js";
import { MsgHdrsImpl, headers } from "./headers.js";
import { createInbox, nuid } from "./nuid.js";
import { QueuedIterator } from "./iterator.js";
import { jetstreamOptions } from "./jetstream-loader.js";

/** What a chunk shares with this module (see lib/shared.js). */
export function sharedWithChunks() {
  return {
    ErrorCode, NatsError, codeError, fromCore, ok, JSONCodec, MsgHdrsImpl, headers, createInbox, nuid,
    QueuedIterator, jsOptions: jetstreamOptions,
  };
}

const chunks = {};

/** The chunk `name`, loaded (from `url()`, unless dev.js provided it) and installed once. */
function load(name, url) {
  const provided = globalThis[Symbol.for(`nats-wasm.${name}`)];
  chunks[name] ??= (provided ? Promise.resolve(provided) : import(/* @vite-ignore */ url().href)).then((module) => {
    module.install(sharedWithChunks());
    return module;
  });
  return chunks[name];
}

/** JetStream's chunk (pkg/jetstream.js). */
export const loadJetStream = () => load("jetstream", () => new URL("./jetstream.js", import.meta.url));

/** KV's chunk (pkg/kv.js). */
export const loadKv = () => load("kv", () => new URL("./kv.js", import.meta.url));

/** The object store's chunk (pkg/objectstore.js). */
export const loadObjectStore = () => load("objectstore", () => new URL("./objectstore.js", import.meta.url));

/** The services framework's chunk (pkg/micro.js). */
export const loadMicro = () => load("micro", () => new URL("./micro.js", import.meta.url));
