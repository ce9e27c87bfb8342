// The object store chunk's entry (pkg/objectstore.js): loaded on the first `js.views.os()` by
// lib/chunks.js, which first hands it what it shares with the main module; it works through
// the loaded JetStream client (pkg/jetstream.js) it is given.
export { install } from "./shared.js";
export { objectStore } from "./jetstream/objectstore.js";
