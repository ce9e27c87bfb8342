// What the JetStream chunk takes from the package's main module. JetStream's JS is a file of
// its own (pkg/jetstream.js), loaded on a connection's first JetStream call, so that pages
// that never use it do not fetch it. It must not carry second copies of the main module's
// classes (a second NatsError would fail `instanceof`), so it imports nothing from lib/ but
// interface.js and its own modules: the main module hands the rest over once, by `install`.

/** The main module's classes and helpers, filled in by `install` before any other use. */
export const lib = {};

/** Hands the chunk what it shares with the main module (see `lib`); called once per page. */
export function install(deps) {
  Object.assign(lib, deps);
}
