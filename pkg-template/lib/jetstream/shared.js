// What the JetStream chunk takes from the package's main module. JetStream's JS is a file of
// its own (pkg/jetstream.js), loaded on a connection's first JetStream call, so that pages
// that never use it do not fetch it. It must not carry second copies of the main module's
// classes (a second NatsError would fail `instanceof`), so it imports nothing from lib/ but
// interface.js, util.js (plain functions) and its own modules: the main module hands the rest
// over once, by `install`.

import { backoff, delay, millis, nanos } from "../util.js";

/**
 * The main module's classes and helpers, filled in by `install` before any other use; and
 * what has no identity to share (plain functions and constants), which the chunk keeps its
 * own copy of, so that apps that never use JetStream do not keep it for the chunk's sake.
 */
export const lib = { TE: new TextEncoder(), TD: new TextDecoder(), Empty: new Uint8Array(0), backoff, delay, millis, nanos };

/** Hands the chunk what it shares with the main module (see `lib`); called once per page. */
export function install(deps) {
  Object.assign(lib, deps);
}
