// NatsConnection: the nats.ws connection object over a WasmConnection.
import {
  EV_CLIENT_INITIATED_RECONNECT, EV_CLOSED, EV_CONNECTED, EV_DISCONNECTED, EV_FLUSHED, EV_FLUSH_FAILED,
  EV_LAME_DUCK, EV_PING_TIMER, EV_RECONNECTED, EV_RECONNECTING, EV_RELEASED, EV_REQUEST_DONE,
  EV_REQUEST_FAILED, EV_SERVERS_CHANGED, EV_SERVER_ERROR, EV_STALE_CONNECTION, EV_SUB_CLOSED, HOOK_CLOSED,
  HOOK_CREDENTIALS, HOOK_ERROR, HOOK_FLUSH, HOOK_FRAME, HOOK_INFO, HOOK_TIMER, INFO_FIELDS, OP_CHECK_LIVENESS, OP_CLOSE, OP_DRAIN,
  OP_FLUSH, OP_RECONNECT, OP_SET_ONLINE, OP_STATS, BATCH_ACKS, BATCH_HEAD, BATCH_ROWS, BATCH_WORDS, ROW_ACK,
  ROW_REQUEST, ROW_SID, ROW_SOURCE, ROW_STRIDE, STAT_NAMES, EV_CONSUMER_MISSED, EV_CONSUMER_NEXT,
  EV_REAUTHENTICATED, EV_REAUTHENTICATION_FAILED, OP_REAUTHENTICATE,
} from "./interface.js";
import { DebugEvents, ErrorCode, Events } from "./enums.js";
import { NatsError, codeError, fromCore, ok } from "./errors.js";
import { Empty, TE, toBytes } from "./codecs.js";
import { headerBytes } from "./headers.js";
import { QueuedIterator } from "./iterator.js";
import { Msg } from "./msg.js";
import { request, requestMany } from "./requests.js";
import { Subscription } from "./subscription.js";
import { socketOpener } from "./sockets.js";
import { hostPort, numberOption, parseOptions, wasmConfig } from "./options.js";
import { authenticator, buildAuthenticator } from "./auth.js";
import { ackRecord, copyOut, init, newWasmConnection, wasmBytes, wasmWords } from "./wasm.js";
import { jetstreamClient } from "./jetstream-loader.js";
import { loadJetStream } from "./chunks.js";
import { servicesFactory } from "./services.js";

/** nats.ws `stats()` of a `WasmConnection`: `{ inMsgs, outMsgs, inBytes, outBytes }`. */
const wasmStats = (conn) => Object.fromEntries(STAT_NAMES.map((k, i) => [k, conn.control(OP_STATS, i)]));

/** The servers of an `update` event: the wasm sends them separated by spaces. */
const servers = (list) => (list ? list.split(" ") : []);

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

/** The status events of `reauthenticate()`: its credentials were taken (`data`: the server), or refused (`data`: the code). */
const REAUTHENTICATED = "reauthenticated";
const REAUTHENTICATION_FAILED = "reauthenticationFailed";

/**
 * Whether `auth`, given to `reauthenticate()`, is `{ user, pass }`, `{ token }` or
 * `{ authenticator }` (or a mix of them): what `buildAuthenticator` reads.
 */
function validCredentials(auth) {
  const fns = [].concat(auth?.authenticator ?? []);
  return auth instanceof Object && fns.every((f) => typeof f === "function") &&
    ["user", "pass", "token"].every((k) => auth[k] === undefined || typeof auth[k] === "string") &&
    !!(auth.user || auth.token || fns.length);
}

/** Status events kept per `status()` iterator that is not being read; older ones are dropped. */
const STATUS_QUEUE_LIMIT = 1024;
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
    // The subject the wasm side publishes to in `publishAgain` (see publish).
    this._pubSubject = NO_SUBJECT;
    // Between a disconnect and the reconnect (rtt() then throws DISCONNECT, as in nats.ws).
    this._down = false;
    // Removes the page listeners (listenToPage).
    this._unlisten = null;
    // The credentials of every handshake (an authenticator), and a `reauthenticate()` waiting.
    this._auth = null;
    this._reauth = null;
  }

  /** Starts connecting (the core walks the server list); resolves at the first handshake. */
  _start() {
    return new Promise((resolve, reject) => {
      this._onConnected = { resolve, reject };
      const opts = this.options;
      this._auth = buildAuthenticator(opts);
      const wake = (which, data, len) => this._conn?.wake(which, data, len);
      // What the wasm calls (src/wasm/host.rs, `Host`).
      const host = {
        onMsgs: (frame, at) => this._onMsgs(frame, at),
        onEvent: (kind, a, b) => this._onEvent(kind, a, b),
        open: socketOpener(opts),
        // The server's INFO: this glue owns JSON (the core reads the fields it acts on).
        info: (text) => {
          let info;
          try {
            info = JSON.parse(text);
          } catch {
            // Not JSON: the core refuses the server.
          }
          const ok = info !== null && typeof info === "object" && !Array.isArray(info);
          if (ok) this._info = info;
          const fields = ok ? INFO_FIELDS.map((k) => (Array.isArray(info[k]) ? info[k].join(" ") : info[k])) : undefined;
          wake(HOOK_INFO, fields, 0);
        },
        // The wasm reads the delay as a number: anything else the handler gives means none.
        reconnectDelay: () => {
          try {
            const ms = opts.reconnectDelayHandler?.();
            return typeof ms === "number" ? ms : NaN;
          } catch {
            return NaN;
          }
        },
        // Authenticators run at every handshake with that server's nonce (the current ones:
        // `reauthenticate()` swaps them).
        authenticate: authenticator((nonce) => this._auth(nonce), (answer) => wake(HOOK_CREDENTIALS, answer, 0)),
        // The socket's message/close/error listeners, the timer and the end-of-task flush
        // (src/interface.rs `hook`): plain functions, so the wasm owns no closures.
        hooks: [
          (event) => {
            const data = event.data;
            const bytes = typeof data === "string" ? TE.encode(data) : new Uint8Array(data);
            wake(HOOK_FRAME, bytes, bytes.length);
          },
          ...[HOOK_CLOSED, HOOK_ERROR, HOOK_TIMER, HOOK_FLUSH].map((hook) => () => wake(hook, undefined, 0)),
        ],
      };
      this._conn = newWasmConnection(wasmConfig(opts), host);
      this._unlisten = listenToPage(this._conn);
    });
  }

  /**
   * Delivers the batch at byte `at` of wasm memory (src/interface.rs, `batch`): the number of
   * row words, a head flag, the rows (`row`), then with the flag the address and length in wasm memory of a message
   * begun in an earlier frame: copied out here, before any handler runs (a handler may
   * publish, which may grow or reuse memory). `frame` is the WebSocket data the rows point into.
   */
  _onMsgs(frame, at) {
    const t = wasmWords();
    const batch = at >>> 2;
    const start = batch + BATCH_ROWS;
    const end = start + t[batch + BATCH_WORDS];
    const head = t[batch + BATCH_HEAD] === 0 ? undefined : copyOut(t[end], t[end + 1]);
    for (let row = start; row < end; row += ROW_STRIDE) {
      // Fetched per row: a handler that publishes may grow the memory, detaching the view.
      const t = wasmWords();
      const bytes = t[row + ROW_SOURCE] === 0 ? frame : head;
      const req = t[row + ROW_REQUEST];
      if (req !== 0) {
        // A reply: a request for one ends with it (the core reports nothing more).
        const r = this._requests.get(req);
        if (r === undefined) continue;
        if (r.done === undefined) this._requests.delete(req);
        r.reply(new Msg(this, t, row, bytes));
        continue;
      }
      const sub = this._subs.get(t[row + ROW_SID]);
      if (sub === undefined) continue;
      const msg = new Msg(this, t, row, bytes);
      // A JetStream consumer's message: what its ack subject says, parsed by the core.
      const ack = t[row + ROW_ACK];
      if (ack !== 0) msg._ack = ackRecord(t[batch + BATCH_ACKS], ack);
      sub._deliver(msg);
    }
  }

  _onEvent(kind, a, b) {
    // A JetStream consumer's (the CONSUMER_* kinds): for the consumer on sid `a`.
    if (kind >= EV_CONSUMER_MISSED && kind <= EV_CONSUMER_NEXT) return this._subs.get(a)?._consumerEvent(kind, b);
    switch (kind) {
      case EV_CONNECTED:
        this._server = hostPort(a);
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
      case EV_STALE_CONNECTION:
        this._dispatchStatus({ type: DebugEvents.StaleConnection, data: "" });
        break;
      case EV_PING_TIMER:
        this._dispatchStatus({ type: DebugEvents.PingTimer, data: `${a}` });
        break;
      case EV_CLIENT_INITIATED_RECONNECT:
        this._dispatchStatus({ type: DebugEvents.ClientInitiatedReconnect, data: "" });
        break;
      case EV_REAUTHENTICATED:
        this._reauthEnded({ type: REAUTHENTICATED, data: this._server });
        break;
      case EV_REAUTHENTICATION_FAILED: {
        const err = fromCore(a);
        this._reauthEnded({ type: REAUTHENTICATION_FAILED, data: err.code }, err);
        break;
      }
      case EV_FLUSH_FAILED:
      case EV_FLUSHED:
        this._settle(this._flushes, a, b);
        break;
      case EV_SUB_CLOSED:
        this._subs.get(a)?._closed(b === undefined ? undefined : fromCore(b));
        break;
      case EV_REQUEST_FAILED:
      case EV_REQUEST_DONE:
        this._settle(this._requests, a, b);
        break;
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
      case EV_RELEASED:
        this._onReleased();
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
    for (const r of this._requests.values()) r.fail(timeoutErr);
    this._requests.clear();
    for (const f of this._flushes.values()) f.fail(closedErr);
    this._flushes.clear();
    this._reauth?.fail(closedErr);
    this._reauth = null;
    for (const l of this._listeners) l.stop();
    this._listeners = [];
    this._unlisten?.();
    this._unlisten = null;
    this._pubSubject = NO_SUBJECT;
    if (this._conn) this._lastStats = wasmStats(this._conn);
    this._closeErr = wasConnected ? err : null;
  }

  /**
   * After `_onClosed`: what was queued has left the socket (the core waited for the
   * socket's buffer to drain, as nats.ws does), and `closed()` resolves.
   */
  _onReleased() {
    const conn = this._conn;
    this._conn = null;
    // Free the wasm object once the current call into it has returned.
    if (conn) queueMicrotask(() => conn.free());
    if (this._closeErr !== null) this._resolveClosed(this._closeErr);
  }

  _dispatchStatus(s) {
    for (const l of this._listeners) {
      if (l.type !== undefined && l.type !== s.type) continue;
      // A status iterator nobody reads must not grow without bound: drop its oldest event.
      if (l.getPending() >= STATUS_QUEUE_LIMIT) l._dropOldest();
      l.push(s);
    }
  }

  /** The listeners of events `type` (all listeners when `type` is undefined). */
  _listenersOf(type) {
    return this._listeners.filter((l) => type === undefined || l.type === type);
  }

  _waitFlush(id) {
    return new Promise((done, fail) => this._flushes.set(id, { done, fail }));
  }

  /**
   * Takes flush or request `id` out of `table` and ends it: `done()`, or `fail()` with the
   * core's error `err` when there is one.
   */
  _settle(table, id, err) {
    const entry = table.get(id);
    if (entry === undefined) return;
    table.delete(id);
    if (err === undefined) entry.done();
    else entry.fail(fromCore(err));
  }

  /** Throws what nats.ws throws before looking at a call's other arguments. */
  _check(subject, sub) {
    if (this._closedFlag) throw codeError(ErrorCode.ConnectionClosed);
    if (sub && this.draining) throw codeError(ErrorCode.ConnectionDraining);
    if (typeof subject !== "string" || subject.length === 0) throw codeError(ErrorCode.BadSubject);
  }

  get info() {
    return this._closedFlag ? undefined : this._info;
  }

  closed() {
    return this._closedPromise;
  }

  /** Closes now; resolves once what was published before has left the socket. */
  async close() {
    if (this._closedFlag) return;
    this._conn.control(OP_CLOSE);
    await this._closedPromise;
  }

  publish(subject, data, options) {
    // Fast path: the same subject as the last plain publish, bytes, no options.
    if (subject === this._pubSubject && options === undefined && data instanceof Uint8Array) {
      const at = this._conn.publishAgain(data.length);
      if (at !== 0) return void wasmBytes().set(data, at);
    }
    this._check(subject, false);
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
    this._check(subject, true);
    opts = opts || {};
    if (opts.callback !== undefined && typeof opts.callback !== "function") {
      throw codeError(ErrorCode.NotFunction);
    }
    const sub = new Subscription(this, subject, opts);
    try {
      const max = numberOption(opts.max, 0);
      sub.sid = ok(this._conn, this._conn.subscribe(subject, opts.queue || undefined, max, numberOption(opts.timeout, 0)));
    } catch (e) {
      throw fromCore(e);
    }
    this._subs.set(sub.sid, sub);
    return sub;
  }

  request(subject, data, opts = { timeout: 1000, noMux: false }) {
    return request(this, subject, data, opts);
  }

  requestMany(subject, data = Empty, opts = { maxWait: 1000, maxMessages: -1 }) {
    return requestMany(this, subject, data, opts);
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

  /**
   * nats.ws `jetstream()`: a JetStream client at once; its code loads on its first call
   * (pkg/jetstream.js), so pages that never use JetStream do not fetch it.
   */
  jetstream(opts = {}) {
    return jetstreamClient(this, opts);
  }

  /** nats.ws `services`: add services, and find them (pkg/micro.js loads on first use). */
  get services() {
    return (this._services ??= servicesFactory(this));
  }

  /** nats.ws `jetstreamManager()`: resolves once JetStream answered (unless `checkAPI: false`). */
  jetstreamManager(opts = {}) {
    return loadJetStream().then((js) => js.jetstreamManager(this, opts));
  }

  isDraining() {
    return this.draining;
  }

  /** The server connected to last (after `close()` too, as in nats.ws), as `host:port`. */
  getServer() {
    return this._server;
  }

  status() {
    return this.listener();
  }

  /**
   * A reader of the status events of `type` (of all types when none is given), as `status()`
   * is: an async iterator with its own backlog (at most 1024 events; the oldest go first).
   */
  listener(type) {
    const iter = new QueuedIterator();
    if (type !== undefined) iter.type = type;
    iter.iterClosed.then(() => {
      const i = this._listeners.indexOf(iter);
      if (i !== -1) this._listeners.splice(i, 1);
    });
    if (this._closedFlag) iter.stop();
    else this._listeners.push(iter);
    return iter;
  }

  /** Ends the listeners of `type` (all listeners, `status()` too, when none is given) after their backlogs. */
  closeListener(type) {
    for (const l of this._listenersOf(type)) l.stop();
  }

  /** Ends the listeners of `type` (or all) at their next step; their backlogs are dropped. */
  killListener(type) {
    for (const l of this._listenersOf(type)) l._kill();
  }

  /** The largest backlog of the listeners of `type` (or of all listeners). */
  getListenerBackpressure(type) {
    return Math.max(0, ...this._listenersOf(type).map((l) => l.getPending()));
  }

  stats() {
    // After close, the counts it ended with.
    return this._conn ? wasmStats(this._conn) : { ...this._lastStats };
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

  /**
   * Moves the connection to new credentials now (`{ user, pass }`, `{ token }` or
   * `{ authenticator }`): a reconnect that keeps subscriptions, and what is published or
   * requested from the call on (sent after the new handshake); later handshakes use them
   * too. Requests and flushes already on the wire fail with `DISCONNECT`, as in any reconnect. If the server refuses them, it
   * rejects (`AUTHORIZATION_VIOLATION`) and the connection goes on with the previous ones.
   * Either way a status event says which (`reauthenticated` or `reauthenticationFailed`).
   */
  reauthenticate(auth) {
    // At once (what is published after the call waits for the new handshake), or after the
    // swap in progress.
    const run = () => this._reauthenticate(auth);
    const swap = this._reauth === null ? run() : this._reauthTail.then(run);
    this._reauthTail = swap.catch(() => {});
    return swap;
  }

  _reauthenticate(auth) {
    if (this._closedFlag) return Promise.reject(codeError(ErrorCode.ConnectionClosed));
    if (this.draining) return Promise.reject(codeError(ErrorCode.ConnectionDraining));
    if (!validCredentials(auth)) {
      return Promise.reject(new NatsError("reauthenticate: bad credentials", ErrorCode.InvalidOption));
    }
    const previous = this._auth;
    this._auth = buildAuthenticator(auth);
    return new Promise((done, fail) => {
      this._reauth = { previous, done, fail };
      try {
        ok(this._conn, this._conn.control(OP_REAUTHENTICATE));
      } catch (e) {
        this._reauthEnded(null, fromCore(e));
      }
    });
  }

  /** The credentials of `reauthenticate()` were taken, or (with `err`) refused: back to the previous ones. */
  _reauthEnded(status, err) {
    const r = this._reauth;
    this._reauth = null;
    if (status !== null) this._dispatchStatus(status);
    if (r == null) return;
    if (err === undefined) return r.done();
    this._auth = r.previous;
    r.fail(err);
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
