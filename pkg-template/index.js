// nats-wasm: the nats.ws 1.x API over a Rust/wasm protocol core.
//
// This file is the package's public JS surface. The protocol itself (parsing, encoding,
// validation, subscriptions, request mux, pings, drain) lives in Rust (src/proto) behind
// `WasmConnection` (src/wasm/client.rs); this glue turns its batched output into nats.ws
// objects: Msg, Subscription (async iterator or callback), headers, codecs, errors.
// wasm-bindgen's glue. Its loader is not used (the build exports the two functions below
// from the staged copy; see scripts/build-pkg.sh): `init()` fetches and instantiates itself,
// which the bundle then does not carry twice.
import { WasmConnection, __wbg_get_imports as wasmImports, __wbg_finalize_init as wasmAdopt } from "./nats_wasm.js";
import { nkeySign, parseCreds } from "./nkeys.js";
import { wsUrl } from "./url.js";

// ----- enums (exact nats.ws strings) -------------------------------------------------------

/** Status events reported by `status()`. */
export const Events = Object.freeze({
  Disconnect: "disconnect",
  Reconnect: "reconnect",
  Update: "update",
  LDM: "ldm",
  Error: "error",
});

/** Debug status events reported by `status()`. */
export const DebugEvents = Object.freeze({
  Reconnecting: "reconnecting",
  PingTimer: "pingTimer",
  StaleConnection: "staleConnection",
  ClientInitiatedReconnect: "client initiated reconnect",
  /** An iterator subscription fell behind its pending limits and dropped messages. */
  SlowConsumer: "slowConsumer",
});

/** Error codes carried by `NatsError.code`. */
export const ErrorCode = Object.freeze({
  ApiError: "BAD API",
  BadAuthentication: "BAD_AUTHENTICATION",
  BadCreds: "BAD_CREDS",
  BadHeader: "BAD_HEADER",
  BadJson: "BAD_JSON",
  BadPayload: "BAD_PAYLOAD",
  BadSubject: "BAD_SUBJECT",
  Cancelled: "CANCELLED",
  ConnectionClosed: "CONNECTION_CLOSED",
  ConnectionDraining: "CONNECTION_DRAINING",
  ConnectionRefused: "CONNECTION_REFUSED",
  ConnectionTimeout: "CONNECTION_TIMEOUT",
  Disconnect: "DISCONNECT",
  InvalidOption: "INVALID_OPTION",
  InvalidPayload: "INVALID_PAYLOAD",
  MaxPayloadExceeded: "MAX_PAYLOAD_EXCEEDED",
  NoResponders: "503",
  NotFunction: "NOT_FUNC",
  RequestError: "REQUEST_ERROR",
  ServerOptionNotAvailable: "SERVER_OPT_NA",
  SubClosed: "SUB_CLOSED",
  SubDraining: "SUB_DRAINING",
  Timeout: "TIMEOUT",
  Tls: "TLS",
  Unknown: "UNKNOWN_ERROR",
  WssRequired: "WSS_REQUIRED",
  JetStreamInvalidAck: "JESTREAM_INVALID_ACK",
  JetStream404NoMessages: "404",
  JetStream408RequestTimeout: "408",
  JetStream409MaxAckPendingExceeded: "409",
  JetStream409: "409",
  JetStreamNotEnabled: "503",
  JetStreamIdleHeartBeat: "IDLE_HEARTBEAT",
  AuthorizationViolation: "AUTHORIZATION_VIOLATION",
  AuthenticationExpired: "AUTHENTICATION_EXPIRED",
  ProtocolError: "NATS_PROTOCOL_ERR",
  PermissionsViolation: "PERMISSIONS_VIOLATION",
  AuthenticationTimeout: "AUTHENTICATION_TIMEOUT",
  AccountExpired: "ACCOUNT_EXPIRED",
});

/** How header keys are matched. */
export const Match = Object.freeze({
  Exact: 0,
  CanonicalMIME: 1,
  IgnoreCase: 2,
  0: "Exact",
  1: "CanonicalMIME",
  2: "IgnoreCase",
});

/** How `requestMany` decides it is done. */
export const RequestStrategy = Object.freeze({
  Timer: "timer",
  Count: "count",
  JitterTimer: "jitterTimer",
  SentinelMsg: "sentinelMsg",
});

// ----- errors -----------------------------------------------------------------------------

const MESSAGES = {
  [ErrorCode.InvalidPayload]: "Invalid payload type - payloads can be 'binary', 'string', or 'json'",
  [ErrorCode.BadJson]: "Bad JSON",
  [ErrorCode.WssRequired]: "TLS is required, therefore a secure websocket connection is also required",
};

/** The error type of every failure this package reports; `code` is an `ErrorCode`. */
export class NatsError extends Error {
  constructor(message, code, chainedError) {
    super(message);
    this.name = "NatsError";
    this.message = message;
    this.code = code;
    this.chainedError = chainedError;
  }
  static errorForCode(code, chainedError) {
    return new NatsError(MESSAGES[code] || code, code, chainedError);
  }
  // The class keeps its name in minified builds (stack traces, `err.constructor.name`).
  static get name() {
    return "NatsError";
  }
  isAuthError() {
    return this.code === ErrorCode.AuthenticationExpired ||
      this.code === ErrorCode.AuthorizationViolation ||
      this.code === ErrorCode.AccountExpired;
  }
  isAuthTimeout() {
    return this.code === ErrorCode.AuthenticationTimeout;
  }
  isPermissionError() {
    return this.code === ErrorCode.PermissionsViolation;
  }
  isProtocolError() {
    return this.code === ErrorCode.ProtocolError;
  }
  isJetStreamError() {
    return this.api_error !== undefined;
  }
  jsError() {
    return this.api_error ? this.api_error : null;
  }
}

/** True for errors carrying a NATS error code. */
export function isNatsError(err) {
  return typeof err?.code === "string";
}

const codeError = (code) => NatsError.errorForCode(code);

/** `[inMsgs, outMsgs, inBytes, outBytes]` of a `WasmConnection`. */
const wasmStats = (conn) => [0, 1, 2, 3].map((i) => conn.control(OP_STATS, i));

/** The servers of an `update` event: the wasm sends them separated by spaces. */
const servers = (list) => (list ? list.split(" ") : []);

/**
 * A `WasmConnection` method's result. -1 means it failed: its error is thrown, a NatsError.
 */
function ok(conn, result) {
  if (result === -1) throw fromCore(conn.takeError());
  return result;
}

/**
 * Turns what the wasm core reports (a `"<code> <message>"` string) or anything else thrown on
 * the way into a NatsError.
 */
function fromCore(e) {
  if (e instanceof NatsError) return e;
  // The wasm reports its errors as "<code> <message>" strings (src/wasm/client.rs).
  if (typeof e === "string") {
    const at = e.indexOf(" ");
    const code = e.slice(0, at);
    if (at > 0 && Object.values(ErrorCode).includes(code)) e = { code, message: e.slice(at + 1) };
  }
  if (e && typeof e.code === "string") {
    const err = new NatsError(e.message, e.code);
    if (err.code === ErrorCode.PermissionsViolation) {
      const ctx = permissionContext(e.message);
      if (ctx) err.permissionContext = ctx;
    }
    return err;
  }
  return new NatsError(String(e?.message ?? e), ErrorCode.Unknown, e);
}

function permissionContext(text) {
  const m = /permissions violation for (publish|subscription) to "(\S+)"/i.exec(text);
  if (!m) return undefined;
  const q = /using queue "(\S+)"/i.exec(text);
  // `queue` is always present (undefined without a queue), as in nats.ws.
  return { operation: m[1].toLowerCase(), subject: m[2], queue: q ? q[1] : undefined };
}

// ----- codecs -----------------------------------------------------------------------------

const TE = new TextEncoder();
const TD = new TextDecoder();

/** An empty payload. */
export const Empty = new Uint8Array(0);

/** Encodes and decodes strings as UTF-8. */
export function StringCodec() {
  return {
    encode(d) {
      return TE.encode(d);
    },
    decode(a) {
      return TD.decode(a);
    },
  };
}

/** Encodes and decodes JSON; errors are `BAD_JSON`. */
export function JSONCodec(reviver) {
  return {
    encode(d) {
      try {
        if (d === undefined) d = null;
        return TE.encode(JSON.stringify(d));
      } catch (err) {
        throw NatsError.errorForCode(ErrorCode.BadJson, err);
      }
    },
    decode(a) {
      try {
        return JSON.parse(TD.decode(a), reviver);
      } catch (err) {
        throw NatsError.errorForCode(ErrorCode.BadJson, err);
      }
    },
  };
}

// ----- headers ----------------------------------------------------------------------------

/** Canonical MIME form of a header key (`content-type` -> `Content-Type`); `BAD_HEADER` on invalid characters. */
export function canonicalMIMEHeaderKey(k) {
  let out = "";
  let upper = true;
  for (let i = 0; i < k.length; i++) {
    let c = k.charCodeAt(i);
    if (c === 58 || c < 33 || c > 126) {
      throw new NatsError(`'${k[i]}' is not a valid character for a header key`, ErrorCode.BadHeader);
    }
    if (upper && c >= 97 && c <= 122) c -= 32;
    else if (!upper && c >= 65 && c <= 90) c += 32;
    out += String.fromCharCode(c);
    upper = c === 45;
  }
  return out;
}

function validHeaderValue(v) {
  if (/[\r\n]/.test(v)) {
    throw new NatsError("invalid header value - \\r and \\n are not allowed.", ErrorCode.BadHeader);
  }
  return v.trim();
}

const HEADER = "NATS/1.0";

/** Message headers: ordered keys, each with one or more values. */
export class MsgHdrsImpl {
  constructor(code = 0, description = "") {
    this._code = code;
    this._description = description;
    this.headers = new Map();
  }
  [Symbol.iterator]() {
    return this.headers.entries();
  }
  size() {
    return this.headers.size;
  }
  equals(mh) {
    if (!mh || this.headers.size !== mh.headers.size || this._code !== mh._code) return false;
    for (const [k, v] of this.headers) {
      const a = mh.values(k);
      if (v.length !== a.length) return false;
      const vv = [...v].sort();
      const aa = [...a].sort();
      for (let i = 0; i < vv.length; i++) if (vv[i] !== aa[i]) return false;
    }
    return true;
  }
  /** Parses a header block received from the server. */
  static decode(a) {
    const mh = new MsgHdrsImpl();
    const lines = TD.decode(a).split("\r\n");
    const status = lines[0].slice(HEADER.length).trim();
    if (status.length > 0) {
      const sp = status.indexOf(" ");
      const code = parseInt(sp === -1 ? status : status.slice(0, sp), 10);
      mh._code = isNaN(code) ? 0 : code;
      mh._description = sp === -1 ? "" : status.slice(sp + 1).trim();
    }
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (!line) continue;
      const idx = line.indexOf(":");
      if (idx < 1) continue;
      const k = line.slice(0, idx);
      const v = line.slice(idx + 1).trim();
      let values = mh.headers.get(k);
      if (!values) mh.headers.set(k, (values = []));
      values.push(v);
    }
    return mh;
  }
  toString() {
    if (this.headers.size === 0 && this._code === 0) return "";
    let s = HEADER;
    if (this._code > 0 && this._description !== "") s += ` ${this._code} ${this._description}`;
    for (const [k, v] of this.headers) {
      for (let i = 0; i < v.length; i++) s += `\r\n${k}: ${v[i]}`;
    }
    return `${s}\r\n\r\n`;
  }
  encode() {
    return TE.encode(this.toString());
  }
  keys() {
    return [...this.headers.keys()];
  }
  findKeys(k, match = Match.Exact) {
    const keys = this.keys();
    switch (match) {
      case Match.Exact:
        return keys.filter((v) => v === k);
      case Match.CanonicalMIME: {
        const ck = canonicalMIMEHeaderKey(k);
        return keys.filter((v) => v === ck);
      }
      default: {
        const lk = k.toLowerCase();
        return keys.filter((v) => v.toLowerCase() === lk);
      }
    }
  }
  get(k, match = Match.Exact) {
    const keys = this.findKeys(k, match);
    return keys.length ? this.headers.get(keys[0])[0] : "";
  }
  last(k, match = Match.Exact) {
    const keys = this.findKeys(k, match);
    if (!keys.length) return "";
    const v = this.headers.get(keys[0]);
    return v[v.length - 1];
  }
  has(k, match = Match.Exact) {
    return this.findKeys(k, match).length > 0;
  }
  set(k, v, match = Match.Exact) {
    this.delete(k, match);
    this.append(k, v, match);
  }
  append(k, v, match = Match.Exact) {
    const ck = canonicalMIMEHeaderKey(k);
    if (match === Match.CanonicalMIME) k = ck;
    const keys = this.findKeys(k, match);
    k = keys.length > 0 ? keys[0] : k;
    const value = validHeaderValue(String(v));
    let a = this.headers.get(k);
    if (!a) this.headers.set(k, (a = []));
    a.push(value);
  }
  values(k, match = Match.Exact) {
    const out = [];
    for (const key of this.findKeys(k, match)) out.push(...this.headers.get(key));
    return out;
  }
  delete(k, match = Match.Exact) {
    for (const key of this.findKeys(k, match)) this.headers.delete(key);
  }
  get hasError() {
    return this._code >= 300;
  }
  get status() {
    return `${this._code} ${this._description}`.trim();
  }
  toRecord() {
    const data = {};
    for (const k of this.keys()) data[k] = this.values(k);
    return data;
  }
  get code() {
    return this._code;
  }
  get description() {
    return this._description;
  }
  static fromRecord(r) {
    const h = new MsgHdrsImpl();
    for (const k in r) h.headers.set(k, r[k]);
    return h;
  }
}

/** Creates headers, optionally with a status code and description (both or neither). */
export function headers(code = 0, description = "") {
  if ((code === 0 && description !== "") || (code > 0 && description === "")) {
    throw new Error("setting status requires both code and description");
  }
  return new MsgHdrsImpl(code, description);
}

// ----- inboxes ----------------------------------------------------------------------------

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const nuidBytes = new Uint8Array(22);

/** A 22-character random id (same alphabet and length as NATS NUIDs). */
function nuid() {
  crypto.getRandomValues(nuidBytes);
  let s = "";
  // 62 * 4 = 248: rejecting bytes >= 248 keeps every character equally likely.
  for (let i = 0; i < 22; i++) {
    let b = nuidBytes[i];
    while (b >= 248) b = crypto.getRandomValues(new Uint8Array(1))[0];
    s += B62[b % 62];
  }
  return s;
}

/** A unique inbox subject: `_INBOX.<nuid>`, or `<prefix>.<nuid>`. */
export function createInbox(prefix = "") {
  prefix = prefix || "_INBOX";
  if (typeof prefix !== "string") throw new Error("prefix must be a string");
  for (const t of prefix.split(".")) {
    if (t === "*" || t === ">") throw new Error(`inbox prefixes cannot have wildcards '${prefix}'`);
  }
  return `${prefix}.${nuid()}`;
}

// ----- iterators ----------------------------------------------------------------------------

const DONE = Object.freeze({ done: true, value: undefined });

/**
 * A push-driven async iterator. A Promise is only created when the consumer is waiting,
 * so a busy subscription costs one resolved Promise per message (the for-await minimum).
 */
class QueuedIterator {
  // Only what every iterator needs is set here: a subscription costs its fields, and the
  // queue and the `iterClosed` Promise are made when first needed (prototype defaults below).
  constructor() {
    this._head = 0;
    this._waiter = null;
    this._done = false;
  }
  /** Resolves (with the error, if any) when the iteration ends. */
  get iterClosed() {
    if (this._iterClosed === undefined) {
      this._iterClosed = this._done
        ? Promise.resolve(this._endErr)
        : new Promise((r) => (this._resolveIterClosed = r));
    }
    return this._iterClosed;
  }
  [Symbol.asyncIterator]() {
    if (this.noIterator) throw new NatsError("unsupported iterator", ErrorCode.ApiError);
    if (this._yielding) throw new NatsError("already yielding", ErrorCode.ApiError);
    this._yielding = true;
    return {
      next: () => this._next(),
      return: () => {
        this._userStop();
        return Promise.resolve(DONE);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
  _next() {
    if (this._queue !== null && this._head < this._queue.length) {
      const v = this._queue[this._head];
      this._queue[this._head++] = undefined;
      this._taken(v);
      if (this._head === this._queue.length) {
        this._queue.length = 0;
        this._head = 0;
      }
      this.processed++;
      return Promise.resolve({ done: false, value: v });
    }
    if (this._done) {
      if (this._err) {
        const err = this._err;
        this._err = undefined;
        return Promise.reject(err);
      }
      return Promise.resolve(DONE);
    }
    return new Promise((resolve, reject) => (this._waiter = { resolve, reject }));
  }
  push(v) {
    if (this._done) return;
    const w = this._waiter;
    if (w !== null) {
      this._waiter = null;
      this.processed++;
      w.resolve({ done: false, value: v });
    } else {
      if (this._queue === null) this._queue = [];
      this._queue.push(v);
    }
  }
  /** Ends the iteration after the queued values; with `err`, the iterator then throws it. */
  stop(err) {
    if (this._done) return;
    this._done = true;
    this._err = err;
    const w = this._waiter;
    if (w !== null) {
      this._waiter = null;
      if (err) {
        this._err = undefined;
        w.reject(err);
      } else {
        w.resolve(DONE);
      }
    }
    this._endErr = err;
    this._resolveIterClosed?.(err);
  }
  /** The consumer left the loop (break/return). */
  _userStop() {
    this.stop();
  }
  /**
   * Queues a message unless the unread queue is at its bounds; returns false (and counts a
   * drop) when it is, so a consumer that stopped reading cannot exhaust the page's memory.
   */
  _offer(msg) {
    if (this._waiter === null) {
      const size = msg.data.length;
      if (this.getPending() >= this._pendingMsgsLimit || this._pendingBytes + size > this._pendingBytesLimit) {
        this._dropped++;
        return false;
      }
      this._pendingBytes += size;
    }
    this.push(msg);
    return true;
  }
  /** Hook: a queued value was handed to the consumer. */
  _taken(msg) {
    if (msg?.data instanceof Uint8Array) this._pendingBytes -= msg.data.length;
  }
  /** Messages dropped because the iterator fell behind its pending limits. */
  getDropped() {
    return this._dropped;
  }
  _dropOldest() {
    if (this.getPending() > 0) this._queue[this._head++] = undefined;
  }
  getProcessed() {
    return this.noIterator ? this.received : this.processed;
  }
  getPending() {
    return this._queue === null ? 0 : this._queue.length - this._head;
  }
  getReceived() {
    return this.received;
  }
}

/** Default bounds of an iterator subscription's queue (nats.ws has none). */
const DEFAULT_PENDING_MSGS = 65536;
const DEFAULT_PENDING_BYTES = 64 * 1024 * 1024;

// Defaults on the prototype: an instance gets its own value only when it differs.
Object.assign(QueuedIterator.prototype, {
  _queue: null,
  _err: undefined,
  _yielding: false,
  processed: 0,
  received: 0,
  _pendingBytes: 0,
  _dropped: 0,
  noIterator: false,
  _iterClosed: undefined,
  _resolveIterClosed: undefined,
  _endErr: undefined,
  // Bounds on what an iterator that is not read keeps: past them, new values are dropped.
  _pendingMsgsLimit: DEFAULT_PENDING_MSGS,
  _pendingBytesLimit: DEFAULT_PENDING_BYTES,
});

/** Rethrows a user callback's exception outside our dispatch loop, as an uncaught error. */
function reportAsync(err) {
  queueMicrotask(() => {
    throw err;
  });
}

// ----- messages -----------------------------------------------------------------------------

// A delivery row (src/wasm/client.rs): u32 fields read straight from wasm memory. F_SOURCE
// says whether the offsets point into the WebSocket frame itself (0) or into the small copy
// of a message that began in an earlier frame (1).
const STRIDE = 12;
const F_SID = 0, F_REQUEST = 1, F_STATUS = 2, F_SUBJECT = 3, F_REPLY = 5, F_HEADERS = 7, F_PAYLOAD = 9,
  F_SOURCE = 11;

/** A received message. Subject, reply and headers are decoded on first use. */
class Msg {
  // The row `t[r..]` is only valid during delivery: what is needed later is copied out.
  constructor(nc, t, r, bytes) {
    this._nc = nc;
    this._bytes = bytes;
    this.sid = t[r + F_SID];
    this._so = t[r + F_SUBJECT];
    this._sl = t[r + F_SUBJECT + 1];
    this._ro = t[r + F_REPLY];
    this._rl = t[r + F_REPLY + 1];
    this._ho = t[r + F_HEADERS];
    this._hl = t[r + F_HEADERS + 1];
    this._subject = undefined;
    this._reply = undefined;
    this._headers = undefined;
    const o = t[r + F_PAYLOAD];
    this.data = bytes.subarray(o, o + t[r + F_PAYLOAD + 1]);
  }
  _text(o, len) {
    return TD.decode(this._bytes.subarray(o, o + len));
  }
  get subject() {
    return this._subject ??= this._text(this._so, this._sl);
  }
  get reply() {
    return this._reply ??= this._text(this._ro, this._rl);
  }
  get headers() {
    if (this._headers === undefined && this._hl > 0) {
      this._headers = MsgHdrsImpl.decode(this._bytes.subarray(this._ho, this._ho + this._hl));
    }
    return this._headers;
  }
  respond(data = Empty, opts) {
    if (this.reply) {
      this._nc.publish(this.reply, data, opts);
      return true;
    }
    return false;
  }
  size() {
    return this._sl + this._rl + this._hl + this.data.length;
  }
  json(reviver) {
    return JSONCodec(reviver).decode(this.data);
  }
  string() {
    return TD.decode(this.data);
  }
  requestInfo() {
    const v = this.headers?.get("Nats-Request-Info");
    if (!v) return null;
    return JSON.parse(v, (key, value) =>
      (key === "start" || key === "stop") && value !== "" ? new Date(Date.parse(value)) : value);
  }
}

function isNoResponders(table, row) {
  return table[row + F_STATUS] === 503 && table[row + F_PAYLOAD + 1] === 0;
}

// ----- sockets -------------------------------------------------------------------------------

/** The socket in what a `wsFactory` returned: a socket, or nats.ws's `{ socket, encrypted }`. */
const socketOf = (r) => (r && typeof r.send !== "function" && r.socket ? r.socket : r);

/**
 * Adapts a user's `wsFactory` to the core, which needs a socket at once: ours returns one;
 * nats.ws's, `(url, options) => Promise<{ socket, encrypted }>`, gets a stand-in meanwhile.
 */
function userSockets(factory, options) {
  return (url) => {
    const made = factory(url, options);
    return made && typeof made.then === "function" ? new PendingSocket(made) : socketOf(made);
  };
}

/** Stands in for the socket an async `wsFactory` is still making; forwards to it once made. */
class PendingSocket {
  constructor(made) {
    this.binaryType = "arraybuffer";
    this.onmessage = this.onclose = this.onerror = null;
    this._ws = null;
    this._closed = false;
    this._listeners = [];
    made.then((r) => {
      const ws = socketOf(r);
      if (this._closed) return ws.close();
      ws.binaryType = this.binaryType;
      ws.onmessage = (e) => this.onmessage?.(e);
      ws.onerror = (e) => this.onerror?.(e);
      ws.onclose = (e) => this.onclose?.(e);
      for (const l of this._listeners) ws.addEventListener("message", l);
      this._ws = ws;
    }, () => this.close());
  }
  get readyState() {
    return this._ws ? this._ws.readyState : this._closed ? 3 : 0;
  }
  get bufferedAmount() {
    return this._ws ? this._ws.bufferedAmount : 0;
  }
  addEventListener(type, listener) {
    if (type === "message") this._listeners.push(listener);
  }
  send(data) {
    this._ws?.send(data);
  }
  close(code, reason) {
    if (this._ws) return this._ws.close(code, reason);
    if (this._closed) return;
    this._closed = true;
    queueMicrotask(() => this.onclose?.({ code: 1006, reason: "" }));
  }
}

// ----- debug ---------------------------------------------------------------------------------

/** Values in a CONNECT line that must never be printed. */
const SECRET_FIELDS = /("(?:pass|auth_token|sig|jwt)"\s*:\s*")(?:[^"\\]|\\.)*"/g;

/** A frame as text for the debug log: CR LF shown as ␍␊, credentials masked. */
function renderFrame(data) {
  const text = typeof data === "string" ? data : TD.decode(data);
  return text.replace(SECRET_FIELDS, '$1[REDACTED]"').replace(/\r\n/g, "␍␊");
}

/**
 * With `debug`, each socket prints the protocol as nats.ws does: "> " for what is sent,
 * "< " for what arrives (console.info). Only then is anything printed at all.
 */
function debugSockets(make) {
  return (url) => {
    const ws = make(url);
    const send = ws.send;
    ws.send = (data) => {
      console.info(`> ${renderFrame(data)}`);
      return send.call(ws, data);
    };
    ws.addEventListener("message", (e) => console.info(`< ${renderFrame(e.data)}`));
    return ws;
  };
}

// ----- subscriptions -------------------------------------------------------------------------

/** A subscription: an async iterator of Msg, or a callback `(err, msg)`. */
class Subscription extends QueuedIterator {
  constructor(nc, subject, opts) {
    super();
    this._nc = nc;
    this.subject = subject;
    this.sid = 0;
    if (opts.queue !== undefined) this.queue = opts.queue;
    if (opts.max !== undefined) this.max = opts.max;
    if (typeof opts.callback === "function") {
      this.callback = opts.callback;
      this.noIterator = true;
    }
    if (opts.pendingMsgs !== undefined) this._pendingMsgsLimit = opts.pendingMsgs;
    if (opts.pendingBytes !== undefined) this._pendingBytesLimit = opts.pendingBytes;
  }
  /** Resolves when the subscription ends. */
  get closed() {
    if (this._closedP === undefined) {
      this._closedP = this._done ? Promise.resolve() : new Promise((r) => (this._resolveClosed = r));
    }
    return this._closedP;
  }
  /** Called by the connection for each message routed to this sid. */
  _deliver(msg) {
    this.received++;
    if (this.noIterator) {
      try {
        this.callback(null, msg);
      } catch (err) {
        reportAsync(err);
      }
      return;
    }
    if (!this._offer(msg) && !this._slow) {
      this._slow = true;
      this._nc._dispatchStatus({
        type: DebugEvents.SlowConsumer,
        data: { subject: this.subject, sid: this.sid, pending: this.getPending(), dropped: this._dropped },
      });
    }
  }
  _taken(msg) {
    super._taken(msg);
    if (this._slow && this.getPending() < this._pendingMsgsLimit / 2) this._slow = false;
  }
  /** Called by the connection when the core closed this sid (max, drain, timeout, error). */
  _closed(err) {
    if (this.isClosed()) return;
    this._nc._subs.delete(this.sid);
    if (err && this.noIterator) {
      try {
        this.callback(err, {});
      } catch (e) {
        reportAsync(e);
      }
    }
    this.stop(err);
    this._resolveClosed?.();
  }
  _userStop() {
    this.unsubscribe();
  }
  unsubscribe(max) {
    if (this.isClosed()) return;
    const nc = this._nc;
    if (nc.isClosed()) return this._closed();
    const goneNow = ok(nc._conn, nc._conn.control(OP_UNSUBSCRIBE, this.sid, max ?? 0));
    if (goneNow) this._closed();
    else this.max = max;
  }
  drain() {
    if (this._nc.isClosed()) return Promise.reject(codeError(ErrorCode.ConnectionClosed));
    // Draining again returns the first drain's Promise, as in nats.ws.
    if (this._drained) return this._drained;
    if (this.isClosed()) return Promise.reject(codeError(ErrorCode.SubClosed));
    this.draining = true;
    try {
      const id = ok(this._nc._conn, this._nc._conn.control(OP_DRAIN_SUBSCRIPTION, this.sid));
      this._drained = this._nc._waitFlush(id).catch(() => this._closed());
    } catch (e) {
      return Promise.reject(fromCore(e));
    }
    return this._drained;
  }
  isDraining() {
    return this.draining;
  }
  isClosed() {
    return this._done;
  }
  getSubject() {
    return this.subject;
  }
  getMax() {
    return this.max;
  }
  getID() {
    return this.sid;
  }
}

Object.assign(Subscription.prototype, {
  queue: undefined,
  max: undefined,
  callback: undefined,
  draining: false,
  requestSubject: undefined,
  _slow: false,
  _closedP: undefined,
  _resolveClosed: undefined,
  _drained: undefined,
});

// ----- options ------------------------------------------------------------------------------

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

// The option values WasmConnection's constructor takes, in its order (src/wasm/client.rs,
// modules `setting` and `texts`), in one array: numbers and booleans (NaN when unset; two more
// entries follow: 1 when the first server is ws://, 1 under Node.js), then the strings
// (undefined when unset), then the servers.
const SETTINGS = [
  "verbose", "pedantic", "noEcho", "pingInterval", "maxPingOut", "timeout", "reconnect",
  "noRandomize", "ignoreClusterUpdates", "waitOnFirstConnect", "reconnectTimeWait",
  "reconnectJitter", "reconnectBufSize", "maxReconnectAttempts",
];
const TEXTS = ["name", "user", "pass", "token", "inboxPrefix"];

function invalidOption(msg) {
  return new NatsError(msg, ErrorCode.InvalidOption);
}

/** Checks and completes user options, the way nats.ws reads them. */
function parseOptions(opts) {
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

/** `host:port` of a server string, as nats.ws reports it from `getServer()`. */
function hostPort(server) {
  let u = server.trim().replace(/^.*:\/\//, "");
  u = u.replace(/\/.*$/, "");
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(u);
  if (v6) return `[${v6[1]}]:${v6[2] ?? 4222}`;
  const i = u.lastIndexOf(":");
  return i === -1 ? `${u}:4222` : u;
}

// ----- connection ---------------------------------------------------------------------------

/**
 * Forwards the page's `online`, `offline` and `visibilitychange` events (in a window or a
 * worker) to the connection, so a dead socket is noticed at once instead of at the next ping.
 * Returns the function that removes the listeners (the connection calls it when it closes).
 */
function listenToPage(conn) {
  const scope = globalThis;
  if (typeof scope.addEventListener !== "function") return null;
  const handlers = [
    ["online", () => conn.control(OP_SET_ONLINE, 1)],
    ["offline", () => conn.control(OP_SET_ONLINE, 0)],
    ["visibilitychange", () => {
      // Workers have no document: they count as visible.
      const state = scope.document?.visibilityState;
      if (typeof state !== "string" || state === "visible") conn.control(OP_CHECK_LIVENESS);
    }],
  ];
  for (const [type, fn] of handlers) scope.addEventListener(type, fn);
  return () => {
    for (const [type, fn] of handlers) scope.removeEventListener(type, fn);
  };
}

// Event kinds from WasmConnection (src/wasm/client.rs, `EventKind`).
const EV_CONNECTED = 1, EV_INFO = 2, EV_FLUSHED = 3, EV_SUB_CLOSED = 4,
  EV_REQUEST_FAILED = 5, EV_SERVER_ERROR = 6, EV_CLOSED = 7, EV_DISCONNECTED = 8,
  EV_RECONNECTING = 9, EV_RECONNECTED = 10, EV_SERVERS_CHANGED = 11, EV_LAME_DUCK = 12,
  EV_STALE = 13, EV_PING_TIMER = 14, EV_CLIENT_RECONNECT = 15, EV_FLUSH_FAILED = 16;

// Operations of WasmConnection.control(op, a, b) (src/wasm/client.rs, `op`).
const OP_UNSUBSCRIBE = 0, OP_DRAIN_SUBSCRIPTION = 1, OP_CANCEL_REQUEST = 2, OP_FLUSH = 3,
  OP_DRAIN = 4, OP_RECONNECT = 5, OP_SET_ONLINE = 6, OP_CHECK_LIVENESS = 7, OP_CLOSE = 8,
  OP_STATS = 9;

/** Status events kept per `status()` iterator that is not being read; older ones are dropped. */
const STATUS_QUEUE_LIMIT = 1024;

let wasmReady = null;
/** The instance's exports, once loaded. */
let wasmExports = null;
/** The module's memory, once loaded, and views of it (replaced when it grows). */
let wasmMemory = null;
let wasmView = null;
let wasmWordView = null;

/** The wasm linear memory as bytes; a view made before the memory grew is empty. */
function wasmBytes() {
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
function copyOut(ptr, len) {
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
function wasmWords() {
  if (wasmWordView === null || wasmWordView.length === 0) wasmWordView = new Uint32Array(wasmMemory.buffer);
  return wasmWordView;
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
    const imports = wasmImports();
    let loaded = typeof Response === "function" && source instanceof Response
      ? await WebAssembly.instantiateStreaming(source, imports)
      : await WebAssembly.instantiate(source, imports);
    if (loaded instanceof WebAssembly.Instance) loaded = { instance: loaded, module: source };
    if (wasmExports === null) {
      wasmExports = wasmAdopt(loaded.instance, loaded.module);
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

function toBytes(payload) {
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === "string") return TE.encode(payload);
  if (payload === undefined) return Empty;
  throw codeError(ErrorCode.BadPayload);
}

function headerBytes(h) {
  if (h === undefined || h === null) return undefined;
  if (typeof h.encode !== "function") throw new NatsError("headers must be created with headers()", ErrorCode.BadHeader);
  return h.encode();
}

/** Equal to no subject a caller can pass: the publish fast path is off. */
const NO_SUBJECT = Symbol("none");

class NatsConnectionImpl {
  constructor(options) {
    this.options = options;
    this._conn = null;
    this._server = "";
    this._info = undefined;
    this._closedFlag = false;
    this.draining = false;
    this._subs = new Map();
    this._requests = new Map();
    this._flushes = new Map();
    this._listeners = [];
    let resolveClosed;
    this._closedPromise = new Promise((r) => (resolveClosed = r));
    this._resolveClosed = resolveClosed;
    this._onConnected = null;
    this._closeWaiters = [];
    // The subject the wasm side publishes to in `publishAgain` (see publish).
    this._pubSubject = NO_SUBJECT;
    // Between a disconnect and the reconnect (rtt() then throws DISCONNECT, as in nats.ws).
    this._down = false;
    // Removes the page listeners (listenToPage).
    this._unlisten = null;
  }

  /** Starts connecting (the core walks the server list); resolves at the first handshake. */
  _start() {
    return new Promise((resolve, reject) => {
      this._onConnected = { resolve, reject };
      // Authenticators run at every handshake with that server's nonce.
      const opts = { ...this.options, authenticate: authFields(buildAuthenticator(this.options)) };
      if (opts.tls) opts.reconnectJitter = opts.reconnectJitterTLS ?? 1000;
      let sockets = opts.wsFactory ? userSockets(opts.wsFactory, this.options) : undefined;
      if (opts.debug) sockets = debugSockets(sockets ?? ((url) => new WebSocket(url)));
      const settings = SETTINGS.map((k) => (opts[k] == null ? NaN : Number(opts[k])));
      settings.push(wsUrl(opts.servers[0]).startsWith("ws:") ? 1 : 0);
      settings.push(typeof process === "object" && process?.versions?.node !== undefined ? 1 : 0);
      // The core keeps the servers as given (events and the pool report them so); it asks
      // wsUrl for the URL at each dial.
      // One array: the numbers, the texts, then the servers (src/wasm/client.rs `setting`).
      this._conn = new WasmConnection(
        settings.concat(TEXTS.map((k) => opts[k] ?? undefined), opts.servers),
        (frame, at) => this._onMsgs(frame, at),
        (kind, a, b) => this._onEvent(kind, a, b),
        wsUrl,
        // The wasm reads the delay as a number: anything else the handler returns means none.
        opts.reconnectDelayHandler && (() => {
          const ms = opts.reconnectDelayHandler();
          return typeof ms === "number" ? ms : NaN;
        }),
        opts.authenticate,
        sockets,
        // The socket's message/close/error listeners, the timer and the end-of-task flush
        // (src/wasm/client.rs `hook`): plain functions, so the wasm owns no closures.
        [
          (event) => {
            const data = event.data;
            const bytes = typeof data === "string" ? TE.encode(data) : new Uint8Array(data);
            this._conn?.wake(0, bytes, bytes.length);
          },
          ...[1, 2, 3, 4].map((hook) => () => this._conn?.wake(hook, undefined, 0)),
        ],
      );
      this._unlisten = listenToPage(this._conn);
    });
  }

  /**
   * Delivers the batch at byte `at` of wasm memory: the number of row words, a head flag, the
   * rows (see STRIDE), then with the flag the address and length in wasm memory of a message
   * begun in an earlier frame: copied out here, before any handler runs (a handler may
   * publish, which may grow or reuse memory). `frame` is the WebSocket data the rows point into.
   */
  _onMsgs(frame, at) {
    const t = wasmWords();
    const start = (at >>> 2) + 2;
    const end = start + t[start - 2];
    const head = t[start - 1] === 0 ? undefined : copyOut(t[end], t[end + 1]);
    for (let row = start; row < end; row += STRIDE) {
      // Fetched per row: a handler that publishes may grow the memory, detaching the view.
      const t = wasmWords();
      const bytes = t[row + F_SOURCE] === 0 ? frame : head;
      const req = t[row + F_REQUEST];
      if (req !== 0) {
        this._onReply(req, t, row, bytes);
        continue;
      }
      const sub = this._subs.get(t[row + F_SID]);
      if (sub !== undefined) sub._deliver(new Msg(this, t, row, bytes));
    }
  }

  _onReply(id, table, row, bytes) {
    const r = this._requests.get(id);
    if (r === undefined) return;
    if (isNoResponders(table, row)) {
      this._requests.delete(id);
      if (r.many) this._conn?.control(OP_CANCEL_REQUEST, id);
      r.fail(codeError(ErrorCode.NoResponders));
      return;
    }
    if (!r.many) this._requests.delete(id);
    r.reply(new Msg(this, table, row, bytes));
  }

  _onEvent(kind, a, b) {
    switch (kind) {
      case EV_CONNECTED:
        this._info = JSON.parse(a);
        this._server = hostPort(b);
        this._onConnected?.resolve();
        this._onConnected = null;
        break;
      case EV_DISCONNECTED:
        this._down = true;
        this._dispatchStatus({ type: Events.Disconnect, data: hostPort(a) });
        break;
      case EV_RECONNECTING:
        this._dispatchStatus({ type: DebugEvents.Reconnecting, data: hostPort(a) });
        break;
      case EV_RECONNECTED:
        this._down = false;
        this._server = hostPort(a);
        this._dispatchStatus({ type: Events.Reconnect, data: hostPort(a) });
        break;
      case EV_SERVERS_CHANGED:
        this._dispatchStatus({ type: Events.Update, data: { added: servers(a), deleted: servers(b) } });
        break;
      case EV_LAME_DUCK:
        this._dispatchStatus({ type: Events.LDM, data: hostPort(a) });
        break;
      case EV_STALE:
        this._dispatchStatus({ type: DebugEvents.StaleConnection, data: "" });
        break;
      case EV_PING_TIMER:
        this._dispatchStatus({ type: DebugEvents.PingTimer, data: `${a}` });
        break;
      case EV_CLIENT_RECONNECT:
        this._dispatchStatus({ type: DebugEvents.ClientInitiatedReconnect, data: "" });
        break;
      case EV_FLUSH_FAILED: {
        const f = this._flushes.get(a);
        if (f) {
          this._flushes.delete(a);
          f.reject(fromCore(b));
        }
        break;
      }
      case EV_INFO:
        this._info = JSON.parse(a);
        break;
      case EV_FLUSHED: {
        const f = this._flushes.get(a);
        if (f) {
          this._flushes.delete(a);
          f.resolve();
        }
        break;
      }
      case EV_SUB_CLOSED:
        this._subs.get(a)?._closed(b === undefined ? undefined : fromCore(b));
        break;
      case EV_REQUEST_FAILED: {
        const r = this._requests.get(a);
        if (r) {
          this._requests.delete(a);
          r.fail(fromCore(b));
        }
        break;
      }
      case EV_SERVER_ERROR: {
        const err = fromCore(a);
        const status = { type: Events.Error, data: err.code };
        if (err.permissionContext) status.permissionContext = err.permissionContext;
        this._dispatchStatus(status);
        break;
      }
      case EV_CLOSED:
        this._onClosed(a === undefined ? undefined : fromCore(a));
        break;
    }
  }

  _onClosed(err) {
    if (this._closedFlag) return;
    this._closedFlag = true;
    const wasConnected = this._onConnected === null;
    if (!wasConnected) {
      this._onConnected.reject(err ?? codeError(ErrorCode.ConnectionClosed));
      this._onConnected = null;
    } else if (err && err.code === ErrorCode.Disconnect) {
      this._dispatchStatus({ type: Events.Disconnect, data: this._server });
    }
    for (const sub of [...this._subs.values()]) sub._closed();
    this._subs.clear();
    const closedErr = codeError(ErrorCode.ConnectionClosed);
    // As in nats.ws, requests still waiting when the connection closes fail with TIMEOUT.
    const timeoutErr = codeError(ErrorCode.Timeout);
    for (const r of this._requests.values()) r.fail(timeoutErr, true);
    this._requests.clear();
    for (const f of this._flushes.values()) f.reject(closedErr);
    this._flushes.clear();
    for (const l of this._listeners) l.stop();
    this._listeners = [];
    this._unlisten?.();
    this._unlisten = null;
    const conn = this._conn;
    this._conn = null;
    this._pubSubject = NO_SUBJECT;
    if (conn) this._lastStats = wasmStats(conn);
    // Free the wasm object once the current call into it has returned.
    if (conn) queueMicrotask(() => conn.free());
    if (wasConnected) this._resolveClosed(err);
  }

  _dispatchStatus(s) {
    for (const l of this._listeners) {
      // A status iterator nobody reads must not grow without bound: drop its oldest event.
      if (l.getPending() >= STATUS_QUEUE_LIMIT) l._dropOldest();
      l.push(s);
    }
  }

  _waitFlush(id) {
    return new Promise((resolve, reject) => this._flushes.set(id, { resolve, reject }));
  }

  _check(subject, sub, pub) {
    if (this._closedFlag) throw codeError(ErrorCode.ConnectionClosed);
    if (sub && this.draining) throw codeError(ErrorCode.ConnectionDraining);
    if (typeof subject !== "string" || subject.length === 0) throw codeError(ErrorCode.BadSubject);
    void pub;
  }

  get info() {
    return this._closedFlag ? undefined : this._info;
  }

  closed() {
    return this._closedPromise;
  }

  async close() {
    if (this._closedFlag) return;
    this._conn.control(OP_CLOSE);
  }

  publish(subject, data, options) {
    // Fast path: the same subject as the last plain publish, bytes, no options.
    if (subject === this._pubSubject && options === undefined && data instanceof Uint8Array) {
      const at = this._conn.publishAgain(data.length);
      if (at !== 0) return void wasmBytes().set(data, at);
    }
    this._check(subject, false, true);
    const payload = toBytes(data);
    const reply = options?.reply || undefined;
    const h = headerBytes(options?.headers);
    try {
      ok(this._conn, this._conn.publish(subject, reply, h && h.length ? h : undefined, payload));
    } catch (e) {
      throw fromCore(e);
    }
    this._pubSubject = reply === undefined && !(h && h.length) ? subject : NO_SUBJECT;
  }

  publishMessage(msg) {
    return this.publish(msg.subject, msg.data, { reply: msg.reply, headers: msg.headers });
  }

  respondMessage(msg) {
    if (msg.reply) {
      this.publish(msg.reply, msg.data, { reply: msg.reply, headers: msg.headers });
      return true;
    }
    return false;
  }

  subscribe(subject, opts = {}) {
    this._check(subject, true, false);
    opts = opts || {};
    if (opts.callback !== undefined && typeof opts.callback !== "function") {
      throw codeError(ErrorCode.NotFunction);
    }
    const sub = new Subscription(this, subject, opts);
    try {
      sub.sid = ok(this._conn, this._conn.subscribe(subject, opts.queue || undefined, opts.max || 0, opts.timeout || 0));
    } catch (e) {
      throw fromCore(e);
    }
    this._subs.set(sub.sid, sub);
    return sub;
  }

  request(subject, data, opts = { timeout: 1000, noMux: false }) {
    try {
      this._check(subject, true, true);
    } catch (err) {
      return Promise.reject(err);
    }
    opts = opts || {};
    const timeout = opts.timeout || 1000;
    if (timeout < 1) return Promise.reject(new NatsError("timeout", ErrorCode.InvalidOption));
    if (!opts.noMux && opts.reply) {
      return Promise.reject(new NatsError("reply can only be used with noMux", ErrorCode.InvalidOption));
    }
    if (opts.noMux) return this._requestNoMux(subject, data, opts, timeout);
    return new Promise((resolve, reject) => {
      const id = ok(this._conn, this._conn.request(subject, headerBytes(opts.headers), toBytes(data), timeout, false));
      this._requests.set(id, { many: false, reply: resolve, fail: reject });
    }).catch((e) => {
      throw fromCore(e);
    });
  }

  _requestNoMux(subject, data, opts, timeout) {
    return new Promise((resolve, reject) => {
      const inbox = opts.reply ? opts.reply : createInbox(this.options.inboxPrefix);
      const sub = this.subscribe(inbox, {
        max: 1,
        timeout,
        callback: (err, msg) => {
          if (err) return reject(err);
          if (msg.data.length === 0 && msg.headers?.code === 503) return reject(codeError(ErrorCode.NoResponders));
          resolve(msg);
        },
      });
      sub.requestSubject = subject;
      // Closed without a reply (the connection closed): fail rather than wait forever.
      sub.closed.then(() => reject(codeError(ErrorCode.Timeout)));
      try {
        this.publish(subject, data, { reply: inbox, headers: opts.headers });
      } catch (err) {
        sub.unsubscribe();
        reject(err);
      }
    });
  }

  requestMany(subject, data = Empty, opts = { maxWait: 1000, maxMessages: -1 }) {
    try {
      this._check(subject, true, true);
    } catch (err) {
      return Promise.reject(err);
    }
    opts = opts || {};
    const strategy = opts.strategy || RequestStrategy.Timer;
    const maxWait = opts.maxWait || 1000;
    if (maxWait < 1) return Promise.reject(new NatsError("timeout", ErrorCode.InvalidOption));
    const maxMessages = typeof opts.maxMessages === "number" && opts.maxMessages > 0 ? opts.maxMessages : -1;
    const qi = new QueuedIterator();
    let jitterTimer = null;
    let count = 0;
    let finish = () => {};
    // Called for every reply; decides, per strategy, whether this one is the last.
    const onMsg = (msg) => {
      qi.received++;
      qi._offer(msg);
      count++;
      if (strategy === RequestStrategy.Count && count === maxMessages) return finish();
      if (strategy === RequestStrategy.SentinelMsg && msg.data.length === 0) return finish();
      if (strategy === RequestStrategy.JitterTimer) {
        clearTimeout(jitterTimer);
        jitterTimer = setTimeout(() => finish(), opts.jitter || 300);
      }
    };
    try {
      if (opts.noMux) {
        const inbox = createInbox(this.options.inboxPrefix);
        let timer = null;
        const sub = this.subscribe(inbox, {
          max: strategy === RequestStrategy.Count && maxMessages > 0 ? maxMessages : undefined,
          callback: (err, msg) => {
            if (err) return finish(err);
            if (msg.data.length === 0 && msg.headers?.code === 503) return finish(codeError(ErrorCode.NoResponders));
            onMsg(msg);
          },
        });
        sub.requestSubject = subject;
        finish = (err) => {
          clearTimeout(timer);
          clearTimeout(jitterTimer);
          if (!sub.isClosed() && !this._closedFlag) sub.unsubscribe();
          qi.stop(err);
        };
        sub.closed.then(() => finish());
        timer = setTimeout(() => finish(), maxWait);
        this.publish(subject, data, { reply: inbox, headers: opts.headers });
      } else {
        const id = ok(this._conn, this._conn.request(subject, headerBytes(opts.headers), toBytes(data), maxWait, true));
        finish = (err, closing) => {
          clearTimeout(jitterTimer);
          if (this._requests.delete(id)) this._conn?.control(OP_CANCEL_REQUEST, id);
          // The core ends a many-request at maxWait with TIMEOUT: for requestMany that is the
          // normal end of the Timer strategy, not an error. At close it is one (as in nats.ws).
          qi.stop(closing || (err && err.code !== ErrorCode.Timeout) ? err : undefined);
        };
        this._requests.set(id, { many: true, reply: onMsg, fail: finish });
      }
    } catch (e) {
      return Promise.reject(fromCore(e));
    }
    qi.iterClosed.then(() => finish());
    return Promise.resolve(qi);
  }

  flush() {
    if (this._closedFlag) return Promise.reject(codeError(ErrorCode.ConnectionClosed));
    try {
      return this._waitFlush(ok(this._conn, this._conn.control(OP_FLUSH)));
    } catch (e) {
      return Promise.reject(fromCore(e));
    }
  }

  drain() {
    if (this._closedFlag) return Promise.reject(codeError(ErrorCode.ConnectionClosed));
    if (this.draining) return Promise.reject(codeError(ErrorCode.ConnectionDraining));
    this.draining = true;
    for (const sub of this._subs.values()) sub.draining = true;
    try {
      ok(this._conn, this._conn.control(OP_DRAIN));
    } catch (e) {
      return Promise.reject(fromCore(e));
    }
    return this._closedPromise.then(() => undefined);
  }

  isClosed() {
    return this._closedFlag;
  }

  isDraining() {
    return this.draining;
  }

  getServer() {
    return this._closedFlag ? "" : this._server;
  }

  status() {
    const iter = new QueuedIterator();
    iter.iterClosed.then(() => {
      const i = this._listeners.indexOf(iter);
      if (i !== -1) this._listeners.splice(i, 1);
    });
    if (this._closedFlag) iter.stop();
    else this._listeners.push(iter);
    return iter;
  }

  stats() {
    const s = this._conn ? wasmStats(this._conn) : this._lastStats ?? [0, 0, 0, 0];
    return { inBytes: s[2], outBytes: s[3], inMsgs: s[0], outMsgs: s[1] };
  }

  async rtt() {
    if (this._closedFlag) throw codeError(ErrorCode.ConnectionClosed);
    if (this._down) throw codeError(ErrorCode.Disconnect);
    const start = Date.now();
    await this.flush();
    return Date.now() - start;
  }

  getServerVersion() {
    const v = this.info?.version;
    if (!v) return undefined;
    const [major, minor, micro] = v.split("-")[0].split(".").map((n) => parseInt(n, 10));
    return { major, minor, micro };
  }

  reconnect() {
    if (this._closedFlag) return Promise.reject(codeError(ErrorCode.ConnectionClosed));
    if (this.draining) return Promise.reject(codeError(ErrorCode.ConnectionDraining));
    try {
      ok(this._conn, this._conn.control(OP_RECONNECT));
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(fromCore(e));
    }
  }
}

/**
 * Connects to a NATS server over WebSocket; resolves once the server has confirmed the
 * handshake. Servers are tried in turn (shuffled unless `noRandomize`) until one accepts.
 */
export async function connect(opts = {}) {
  const options = parseOptions(opts);
  // Looked up now, not at import: Node.js < 22 users assign one (npm `ws`) after importing.
  if (typeof WebSocket !== "function" && !options.wsFactory) {
    throw new NatsError("no WebSocket: on Node.js < 22, assign one first, " +
      "e.g. globalThis.WebSocket = (await import(\"ws\")).WebSocket", ErrorCode.Unknown);
  }
  await init();
  const nc = new NatsConnectionImpl(options);
  try {
    await nc._start();
  } catch (err) {
    throw fromCore(err);
  }
  return nc;
}

// ----- authenticators -----------------------------------------------------------------------

const value = (v) => (typeof v === "function" ? v() : v);

/** Authenticates with a user and password (either may be a function, called at every connect). */
export function usernamePasswordAuthenticator(user, pass) {
  return () => ({ user: value(user), pass: value(pass) });
}

/** Authenticates with a token (or a function returning one, called at every connect). */
export function tokenAuthenticator(token) {
  return () => ({ auth_token: value(token) });
}

const seedText = (s) => (typeof s === "string" ? s : TD.decode(s));

/** Authenticates by signing the server nonce with an NKEY seed (ed25519, in nkeys.js). */
export function nkeyAuthenticator(seed) {
  return (nonce) => {
    try {
      const [nkey, sig] = nkeySign(seedText(value(seed)), nonce || "");
      return { nkey, sig };
    } catch (e) {
      throw fromCore(e);
    }
  };
}

/** Authenticates with a user JWT and, to sign the nonce, its NKEY seed. */
export function jwtAuthenticator(jwt, seed) {
  return (nonce) => {
    const auth = { jwt: value(jwt) };
    return seed ? { ...auth, ...nkeyAuthenticator(seed)(nonce) } : auth;
  };
}

/** Authenticates with the contents of a `.creds` file (a user JWT and its seed). */
export function credsAuthenticator(creds) {
  return (nonce) => {
    let jwt, seed;
    try {
      [jwt, seed] = parseCreds(TD.decode(value(creds)));
    } catch (e) {
      throw fromCore(e);
    }
    return jwtAuthenticator(jwt, seed)(nonce);
  };
}

/** The credential fields the core takes from an authenticator's result, in its order. */
const AUTH_FIELDS = ["user", "pass", "auth_token", "jwt", "nkey", "sig"];

/**
 * Wraps an authenticator for the core (src/wasm/client.rs, `credentials_from_js`): the
 * fields as an array of strings, or `"<code> <message>"` when the authenticator threw.
 */
function authFields(authenticate) {
  return (nonce) => {
    try {
      const auth = authenticate(nonce);
      return AUTH_FIELDS.map((k) => (typeof auth?.[k] === "string" ? auth[k] : undefined));
    } catch (e) {
      const code = e?.code === ErrorCode.BadCreds ? ErrorCode.BadCreds : ErrorCode.BadAuthentication;
      return `${code} ${typeof e?.message === "string" ? e.message : "the authenticator failed"}`;
    }
  };
}

/** Combines the user/pass, token and authenticator options into one authenticator. */
export function buildAuthenticator(opts) {
  const list = [].concat(opts.authenticator ?? []);
  if (opts.token) list.push(tokenAuthenticator(opts.token));
  if (opts.user) list.push(usernamePasswordAuthenticator(opts.user, opts.pass));
  return (nonce) => list.reduce((auth, a) => Object.assign(auth, a(nonce) || {}), {});
}

// ----- small utilities nats.ws exports ------------------------------------------------------

/** A Promise with its `resolve` and `reject` attached. */
export function deferred() {
  let methods = {};
  const p = new Promise((resolve, reject) => (methods = { resolve, reject }));
  return Object.assign(p, methods);
}

/** Resolves after `ms` milliseconds; `cancel()` stops the timer. */
export function delay(ms = 0) {
  let cancel;
  const p = new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancel = () => clearTimeout(timer);
  });
  return Object.assign(p, { cancel });
}

/** Rejects with "deadline exceeded" unless `p` settles within `millis`. */
export function deadline(p, millis = 1000) {
  const d = deferred();
  const timer = setTimeout(() => d.reject(new Error("deadline exceeded")), millis);
  return Promise.race([p, d]).finally(() => clearTimeout(timer));
}

/** Milliseconds to nanoseconds (JetStream durations). */
export function nanos(millis) {
  return millis * 1000000;
}

/** Nanoseconds to whole milliseconds. */
export function millis(ns) {
  return Math.floor(ns / 1000000);
}

/** A retry-delay policy with jitter: `backoff(attempt)` in milliseconds. */
export function backoff(policy = [0, 250, 250, 500, 500, 3000, 5000]) {
  if (!Array.isArray(policy)) policy = [0, 250, 250, 500, 500, 3000, 5000];
  const max = policy.length - 1;
  return {
    backoff(attempt) {
      const n = attempt > max ? policy[max] : policy[attempt];
      return n === 0 ? 0 : Math.floor(n / 2 + Math.random() * n);
    },
  };
}

/** Wraps an async iterable so each `next()` resolves to a value or `null` when done. */
export function syncIterator(src) {
  const iter = src[Symbol.asyncIterator]();
  return {
    async next() {
      const m = await iter.next();
      return m.done ? null : m.value;
    },
  };
}

/** NUID generator (22 base-62 characters). */
export class Nuid {
  next() {
    return nuid();
  }
}

/** The shared NUID generator, exported as `nuid` (as in nats.ws). */
const nuidGenerator = new Nuid();
export { nuidGenerator as nuid };

/** Header carrying a service error description. */
export const ServiceErrorHeader = "Nats-Service-Error";
/** Header carrying a service error code. */
export const ServiceErrorCodeHeader = "Nats-Service-Error-Code";

/** Response types of the NATS micro-services protocol. */
export const ServiceResponseType = Object.freeze({
  STATS: "io.nats.micro.v1.stats_response",
  INFO: "io.nats.micro.v1.info_response",
  PING: "io.nats.micro.v1.ping_response",
});

/** Verbs of the NATS micro-services protocol. */
export const ServiceVerb = Object.freeze({ PING: "PING", STATS: "STATS", INFO: "INFO" });

/** An error reported by a NATS micro-service in its response headers. */
export class ServiceError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
  static get name() {
    return "ServiceError";
  }
  static isServiceError(msg) {
    return ServiceError.toServiceError(msg) !== null;
  }
  static toServiceError(msg) {
    const scode = msg?.headers?.get(ServiceErrorCodeHeader) || "";
    if (scode === "") return null;
    const code = parseInt(scode) || 400;
    const description = msg?.headers?.get(ServiceErrorHeader) || "";
    return new ServiceError(code, description.length ? description : scode);
  }
}
