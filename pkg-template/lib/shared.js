// What a chunk takes from the package's main module. JetStream's JS (pkg/jetstream.js) and the
// services framework's (pkg/micro.js) are files of their own, loaded on first use
// (lib/chunks.js), so that pages that never use them do not fetch them. A chunk must not carry
// second copies of the main module's classes (a second NatsError would fail `instanceof`), so
// it imports nothing from lib/ but interface.js, util.js (plain functions), this module and
// its own modules: the main module hands the rest over once, by `install`. Each chunk bundles
// its own copy of this module.

import { backoff, delay, millis, nanos } from "./util.js";

/**
 * The main module's classes and helpers, filled in by `install` before any other use; and
 * what has no identity to share (plain functions and constants), which the chunk keeps its
 * own copy of, so that apps that never use the chunk do not keep it for the chunk's sake.
 */
export const lib = { TE: new TextEncoder(), TD: new TextDecoder(), Empty: new Uint8Array(0), backoff, delay, millis, nanos };

/** Hands the chunk what it shares with the main module (see `lib`); called once per page. */
export function install(deps) {
  Object.assign(lib, deps);
}
