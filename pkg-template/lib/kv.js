// The KV chunk's entry (pkg/kv.js): loaded on the first `js.views.kv()` by lib/chunks.js,
// which first hands it what it shares with the main module; it works through the loaded
// JetStream client (pkg/jetstream.js) it is given.
export { install } from "./shared.js";
export { kvBucket } from "./jetstream/kv.js";
