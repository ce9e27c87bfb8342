// The JetStream chunk's entry (pkg/jetstream.js): loaded on a connection's first JetStream
// call by lib/chunks.js, which first hands it what it shares with the main module.
import { JetStreamClient } from "./jetstream/client.js";
import { install as installShared } from "./shared.js";
import { statusChecks } from "./jetstream/checks.js";

export { jetstreamManager } from "./jetstream/manager.js";

/** The loaded part of `nc.jetstream(opts)`. */
export function jetstreamClient(nc, opts) {
  return new JetStreamClient(nc, opts);
}

/** Hands the chunk what it shares with the main module, and the status checks made with its NatsError. */
export function install(deps) {
  installShared({ ...deps, ...statusChecks(deps.NatsError, deps.ErrorCode) });
}
