// The JetStream chunk's entry (pkg/jetstream.js): loaded on a connection's first JetStream
// call by lib/jetstream-loader.js, which first hands it what it shares with the main module.
import { JetStreamClient } from "./jetstream/client.js";

export { install } from "./shared.js";
export { jetstreamManager } from "./jetstream/manager.js";

/** The loaded part of `nc.jetstream(opts)`. */
export function jetstreamClient(nc, opts) {
  return new JetStreamClient(nc, opts);
}
