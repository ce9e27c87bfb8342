// Connection options: checked and completed the way nats.ws reads them, then flattened for
// the wasm core.
import { CONFIG_NUMBERS, CONFIG_TEXTS } from "./interface.js";
import { ErrorCode } from "./enums.js";
import { NatsError, invalidOption } from "./errors.js";
import { createInbox } from "./nuid.js";
import { wsUrl } from "./url.js";

// Every option nats.ws accepts, with the type checked for it ("" when not checked: TLS
// options, which browsers ignore, and those that take more than one type).
const OPTION_TYPES = {
  __proto__: null,
  authenticator: "", debug: "boolean", maxPingOut: "number", maxReconnectAttempts: "number",
  name: "string", noEcho: "boolean", noRandomize: "boolean", pass: "string", pedantic: "boolean",
  pingInterval: "number", port: "number", reconnect: "boolean", reconnectDelayHandler: "function",
  reconnectJitter: "number", reconnectJitterTLS: "number", reconnectTimeWait: "number",
  servers: "", timeout: "number", tls: "", token: "string", user: "string", verbose: "boolean",
  waitOnFirstConnect: "boolean", ignoreClusterUpdates: "boolean", inboxPrefix: "string",
  ignoreAuthErrorAbort: "", noAsyncTraces: "", resolve: "", handshakeFirst: "", certFile: "",
  cert: "", caFile: "", ca: "", keyFile: "", key: "", reconnectBufSize: "number",
  wsFactory: "function",
};

/** Checks and completes user options, the way nats.ws reads them. */
export function parseOptions(opts) {
  if (opts === undefined || opts === null) opts = {};
  if (typeof opts !== "object") throw invalidOption("options must be an object");
  for (const k of Object.keys(opts)) {
    if (!(k in OPTION_TYPES)) throw invalidOption(`unknown option '${k}'`);
    const want = OPTION_TYPES[k];
    if (want === "function") continue;
    const v = opts[k];
    if (want && v !== undefined && v !== null && typeof v !== want) {
      throw invalidOption(`option '${k}' must be a ${want}`);
    }
    if (want === "number" && typeof v === "number" && !(Number.isFinite(v) && v >= (k === "maxReconnectAttempts" ? -1 : 0))) {
      throw invalidOption(`option '${k}' must be a non-negative finite number`);
    }
  }
  const o = { ...opts };
  let servers = o.servers;
  if (typeof servers === "string") servers = [servers];
  if (servers === undefined || servers === null) servers = [];
  if (!Array.isArray(servers) || servers.some((s) => typeof s !== "string")) {
    throw invalidOption("option 'servers' must be a string or an array of strings");
  }
  if (servers.length > 0 && o.port) {
    throw invalidOption("port and servers options are mutually exclusive");
  }
  if (servers.length === 0) {
    // nats.ws defaults to the WebSocket TLS port; a bare host:port means wss://.
    servers = [`127.0.0.1:${o.port || 443}`];
  }
  for (const s of servers) {
    try {
      wsUrl(s);
    } catch {
      throw invalidOption(`invalid server URL ${JSON.stringify(s)}`);
    }
  }
  o.servers = servers;
  for (const n of ["reconnectDelayHandler", "authenticator"]) {
    const v = o[n];
    const ok = v === undefined || typeof v === "function" ||
      (n === "authenticator" && Array.isArray(v) && v.every((f) => typeof f === "function"));
    if (!ok) throw new NatsError(`${n} option should be a function`, ErrorCode.NotFunction);
  }
  if (o.inboxPrefix) {
    try {
      createInbox(o.inboxPrefix);
    } catch (err) {
      throw new NatsError(err.message, ErrorCode.ApiError);
    }
  }
  return o;
}

/** `host:port` of a server string, as nats.ws reports it from `getServer()`: the port is
 * the WebSocket URL's (443 for `wss:`, 80 for `ws:` when none is given). */
export function hostPort(server) {
  return wsUrl(server).replace(/^wss?:\/\//, "").replace(/\/.*$/, "");
}

/**
 * A numeric option of a call, for the core to check (src/wasm/client.rs, `number`):
 * `fallback` when it is unset or 0 (nats.ws reads them with `||`), NaN when it is not a
 * number, so that the core refuses it with `INVALID_OPTION`.
 */
export function numberOption(value, fallback) {
  if (value === undefined || value === null || value === 0) return fallback;
  return typeof value === "number" ? value : NaN;
}

/**
 * The `config` array the WasmConnection constructor reads (src/interface.rs, `config`): the
 * numbers (NaN when unset), then the texts (undefined when unset), then the servers as given
 * (the core reports them so in events; the host's `open` makes the URL at each dial).
 */
export function wasmConfig(opts) {
  const o = { ...opts, muxInbox: createInbox(opts.inboxPrefix) };
  if (o.tls) o.reconnectJitter = o.reconnectJitterTLS ?? 1000;
  return CONFIG_NUMBERS.map((k) => (o[k] == null ? NaN : Number(o[k])))
    .concat(CONFIG_TEXTS.map((k) => o[k] ?? undefined), opts.servers);
}
