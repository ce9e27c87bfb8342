// Type definitions for nats-wasm: the nats.ws 1.x core API (names and shapes as in nats.ws).

/** Events reported by `NatsConnection.status()`. */
export declare enum Events {
  /** The connection to a server was lost; `data` is that server's `host:port`. */
  Disconnect = "disconnect",
  /** Connected again; `data` is the server's `host:port`. */
  Reconnect = "reconnect",
  /** The cluster's list of servers changed; `data` is a {@link ServersChanged}. */
  Update = "update",
  /** The server is in lame duck mode (the client moves to another one); `data` is its `host:port`. */
  LDM = "ldm",
  /**
   * The server reported an error; `data` is its `ErrorCode` (`PERMISSIONS_VIOLATION` also
   * sets `permissionContext`).
   */
  Error = "error",
}

/** Debug events reported by `NatsConnection.status()`. */
export declare enum DebugEvents {
  /** A server is being dialed to reconnect; `data` is its `host:port`. */
  Reconnecting = "reconnecting",
  /** A client ping was sent; `data` is how many are unanswered (a string). */
  PingTimer = "pingTimer",
  /** Pings went unanswered: the connection is considered dead and dropped. */
  StaleConnection = "staleConnection",
  /** `reconnect()` was called. */
  ClientInitiatedReconnect = "client initiated reconnect",
  /**
   * An iterator subscription fell behind its pending limits and dropped messages; `data` is a
   * {@link SlowConsumerInfo}. Reported once per episode.
   */
  SlowConsumer = "slowConsumer",
}

/** Values of `NatsError.code` (the nats.ws strings; some JetStream codes share a value). */
export declare enum ErrorCode {
  ApiError = "BAD API",
  BadAuthentication = "BAD_AUTHENTICATION",
  BadCreds = "BAD_CREDS",
  BadHeader = "BAD_HEADER",
  BadJson = "BAD_JSON",
  BadPayload = "BAD_PAYLOAD",
  BadSubject = "BAD_SUBJECT",
  Cancelled = "CANCELLED",
  ConnectionClosed = "CONNECTION_CLOSED",
  ConnectionDraining = "CONNECTION_DRAINING",
  ConnectionRefused = "CONNECTION_REFUSED",
  ConnectionTimeout = "CONNECTION_TIMEOUT",
  Disconnect = "DISCONNECT",
  InvalidOption = "INVALID_OPTION",
  InvalidPayload = "INVALID_PAYLOAD",
  MaxPayloadExceeded = "MAX_PAYLOAD_EXCEEDED",
  NoResponders = "503",
  NotFunction = "NOT_FUNC",
  RequestError = "REQUEST_ERROR",
  ServerOptionNotAvailable = "SERVER_OPT_NA",
  SubClosed = "SUB_CLOSED",
  SubDraining = "SUB_DRAINING",
  Timeout = "TIMEOUT",
  Tls = "TLS",
  Unknown = "UNKNOWN_ERROR",
  WssRequired = "WSS_REQUIRED",
  /** Not in nats.ws: the bytes not yet taken by a slow server reached their bound (64 MiB). */
  OutboundBufferFull = "OUTBOUND_BUFFER_FULL",
  JetStreamInvalidAck = "JESTREAM_INVALID_ACK",
  JetStream404NoMessages = "404",
  JetStream408RequestTimeout = "408",
  JetStream409MaxAckPendingExceeded = "409",
  JetStream409 = "409",
  JetStreamNotEnabled = "503",
  JetStreamIdleHeartBeat = "IDLE_HEARTBEAT",
  AuthorizationViolation = "AUTHORIZATION_VIOLATION",
  AuthenticationExpired = "AUTHENTICATION_EXPIRED",
  ProtocolError = "NATS_PROTOCOL_ERR",
  PermissionsViolation = "PERMISSIONS_VIOLATION",
  AuthenticationTimeout = "AUTHENTICATION_TIMEOUT",
  AccountExpired = "ACCOUNT_EXPIRED",
}

/** How header keys are matched by `MsgHdrs` methods. */
export declare enum Match {
  /** Case-sensitive (the default). */
  Exact = 0,
  /** Case-sensitive after converting the key to canonical MIME form. */
  CanonicalMIME = 1,
  /** Case-insensitive. */
  IgnoreCase = 2,
}

/** How `requestMany` decides it has all the replies. */
export declare enum RequestStrategy {
  /** Every reply until `maxWait`. */
  Timer = "timer",
  /** Until `maxMessages` replies (or `maxWait`). */
  Count = "count",
  /** Until `jitter` ms (default 300) pass without a reply after the first one, or `maxWait`. */
  JitterTimer = "jitterTimer",
  /** Until a reply with an empty payload, which is yielded too (or `maxWait`). */
  SentinelMsg = "sentinelMsg",
}

/** Context of a permissions violation reported by the server. */
export interface PermissionContext {
  /** `publish` or `subscription`. */
  operation: string;
  /** The subject that was refused. */
  subject: string;
  /** The queue group, for a subscription with one. */
  queue?: string;
}

/** An error from a JetStream API response. */
export interface ApiError {
  code: number;
  description: string;
  err_code?: number;
}

/** Every error this package throws or rejects with. */
export declare class NatsError extends Error {
  name: string;
  message: string;
  /** An `ErrorCode` value. */
  code: string;
  /** For `PERMISSIONS_VIOLATION`: what was refused. */
  permissionContext?: PermissionContext;
  /** The error that caused this one, if any. */
  chainedError?: Error;
  /** A JetStream API error (not produced by this package, which has no JetStream yet). */
  api_error?: ApiError;
  constructor(message: string, code: string, chainedError?: Error);
  /** A NatsError for `code`. */
  static errorForCode(code: string, chainedError?: Error): NatsError;
  /** `AUTHENTICATION_EXPIRED`, `AUTHORIZATION_VIOLATION` or `ACCOUNT_EXPIRED`. */
  isAuthError(): boolean;
  /** `AUTHENTICATION_TIMEOUT`. */
  isAuthTimeout(): boolean;
  /** `PERMISSIONS_VIOLATION`. */
  isPermissionError(): boolean;
  /** `NATS_PROTOCOL_ERR`. */
  isProtocolError(): boolean;
  /** True when `api_error` is set. */
  isJetStreamError(): boolean;
  /** `api_error`, or null. */
  jsError(): ApiError | null;
}

/** True when `err` carries a NATS error code. */
export declare function isNatsError(err: NatsError | Error): err is NatsError;

/** Converts values to and from message payloads. */
export interface Codec<T> {
  /** A value to payload bytes. */
  encode(d: T): Uint8Array;
  /** Payload bytes to a value. */
  decode(a: Uint8Array): T;
}

/** UTF-8 strings. */
export declare function StringCodec(): Codec<string>;
/** JSON values; failures are `BAD_JSON`. */
export declare function JSONCodec<T = unknown>(reviver?: (this: unknown, key: string, value: unknown) => unknown): Codec<T>;

/** An empty payload. */
export declare const Empty: Uint8Array;

/** A payload: bytes, or a string sent as UTF-8. */
export type Payload = Uint8Array | string;

/** Message headers. Keys keep their case; several values per key are allowed. */
export interface MsgHdrs extends Iterable<[string, string[]]> {
  /** Status code (503, 408...), or 0. */
  code: number;
  /** Status description. */
  description: string;
  /** True when `code` is 300 or more. */
  hasError: boolean;
  /** `code` and `description` together. */
  status: string;
  /** The first value of key `k`, or "". */
  get(k: string, match?: Match): string;
  /** Replaces the values of `k`; throws `BAD_HEADER` for an invalid key or a value with CR or LF. */
  set(k: string, v: string, match?: Match): void;
  /** Adds a value to `k`; throws `BAD_HEADER` for an invalid key or a value with CR or LF. */
  append(k: string, v: string, match?: Match): void;
  /** True when `k` has a value. */
  has(k: string, match?: Match): boolean;
  /** The keys, in the order they were added. */
  keys(): string[];
  /** Every value of `k`. */
  values(k: string, match?: Match): string[];
  /** Removes `k` and its values. */
  delete(k: string, match?: Match): void;
  /** The last value of `k`, or "". */
  last(k: string, match?: Match): string;
}

/** The headers implementation (exported as in nats.ws). */
export declare class MsgHdrsImpl implements MsgHdrs {
  code: number;
  description: string;
  hasError: boolean;
  status: string;
  constructor(code?: number, description?: string);
  [Symbol.iterator](): IterableIterator<[string, string[]]>;
  size(): number;
  equals(mh: MsgHdrsImpl): boolean;
  static decode(a: Uint8Array): MsgHdrsImpl;
  toString(): string;
  encode(): Uint8Array;
  get(k: string, match?: Match): string;
  set(k: string, v: string, match?: Match): void;
  append(k: string, v: string, match?: Match): void;
  has(k: string, match?: Match): boolean;
  keys(): string[];
  values(k: string, match?: Match): string[];
  delete(k: string, match?: Match): void;
  last(k: string, match?: Match): string;
  toRecord(): Record<string, string[]>;
  static fromRecord(r: Record<string, string[]>): MsgHdrs;
}

/** New headers; a status needs both a code and a description. */
export declare function headers(code?: number, description?: string): MsgHdrs;
/** `content-type` becomes `Content-Type`; throws `BAD_HEADER` for invalid characters. */
export declare function canonicalMIMEHeaderKey(k: string): string;

/** Options for `publish`. */
export interface PublishOptions {
  /** The subject a receiver should reply to. */
  reply?: string;
  /** Headers made with `headers()`. */
  headers?: MsgHdrs;
}

/** Request metadata the server adds when asked to. */
export interface RequestInfo {
  acc: string;
  rtt: number;
  start?: Date;
  host?: string;
  id?: string;
  svc?: string;
  user?: string;
  name?: string;
  lang?: string;
  ver?: string;
  server?: string;
  cluster?: string;
  stop?: Date;
}

/** A received message. */
export interface Msg {
  /** The subject it was published to. */
  subject: string;
  /** The id of the subscription that received it. */
  sid: number;
  /** The reply subject, or "" when there is none. */
  reply?: string;
  /** The payload. */
  data: Uint8Array;
  /** `undefined` when the message has no headers. */
  headers?: MsgHdrs;
  /** Publishes to `reply`; false when there is no reply subject. */
  respond(data?: Payload, opts?: PublishOptions): boolean;
  /** The payload parsed as JSON; throws `BAD_JSON`. */
  json<T = unknown>(reviver?: (this: unknown, key: string, value: unknown) => unknown): T;
  /** The payload decoded as UTF-8. */
  string(): string;
  /** The `Nats-Request-Info` header parsed, or null without one. */
  requestInfo(): RequestInfo | null;
}

/** A subscription callback. */
export type MsgCallback<T> = (err: NatsError | null, msg: T) => void;

/** Options for `subscribe`. */
export interface SubOpts<T> {
  /** Join this queue group: each message goes to one member of the group. */
  queue?: string;
  /** Unsubscribe automatically after this many messages. */
  max?: number;
  /** Milliseconds to wait for the first message before ending with `TIMEOUT`. */
  timeout?: number;
  /** Messages an unread iterator keeps before dropping new ones (default 65536). */
  pendingMsgs?: number;
  /** Bytes of payload an unread iterator keeps before dropping new ones (default 64 MiB). */
  pendingBytes?: number;
  /** Receive messages with this function instead of iterating the subscription. */
  callback?: MsgCallback<T>;
}

/** Options for `subscribe` with `Msg` messages. */
export type SubscriptionOptions = SubOpts<Msg>;

/** An async iterator fed by the connection. */
export interface QueuedIterator<T> extends AsyncIterable<T> {
  /** Ends the iteration after the values already queued; with `err`, the loop then throws it. */
  stop(err?: Error): void;
  /** Values handed to the consumer (for a callback subscription: received). */
  getProcessed(): number;
  /** Values queued and not read yet. */
  getPending(): number;
  /** Values received. */
  getReceived(): number;
  /**
   * Messages dropped because the iterator was not read and held its pending limits
   * (65,536 messages or 64 MiB by default; a subscription's own with `pendingMsgs`/`pendingBytes`).
   */
  getDropped(): number;
}

/** A subscription; iterate it with `for await`, or pass a callback. */
export interface Sub<T> extends QueuedIterator<T> {
  /** Resolves when the subscription ends. */
  closed: Promise<void>;
  /** Ends the subscription now, or once it has received `max` messages in all. */
  unsubscribe(max?: number): void;
  /** Unsubscribes; resolves once the messages the server had already sent are delivered. */
  drain(): Promise<void>;
  /** True once `drain()` was called (on it or on the connection). */
  isDraining(): boolean;
  /** True once the subscription has ended. */
  isClosed(): boolean;
  /** The subject it was made with. */
  getSubject(): string;
  /** The `max` it was given, if any. */
  getMax(): number | undefined;
  /** Its id (`Msg.sid`). */
  getID(): number;
}

/** A subscription delivering `Msg`. */
export type Subscription = Sub<Msg>;

/** Options for `request`. */
export interface RequestOptions {
  /** Milliseconds to wait (default 1000). */
  timeout: number;
  /** Headers made with `headers()`. */
  headers?: MsgHdrs;
  /** Use a dedicated inbox instead of the shared one. */
  noMux?: boolean;
  /** The reply subject to use; requires `noMux`. */
  reply?: string;
}

/** Options for `requestMany`. */
export interface RequestManyOptions {
  /** When to stop (default `Timer`). */
  strategy: RequestStrategy;
  /** The longest to wait for replies, in milliseconds (default 1000). */
  maxWait: number;
  /** Headers made with `headers()`. */
  headers?: MsgHdrs;
  /** Replies to stop at, for `Count`. */
  maxMessages?: number;
  /** Use a dedicated inbox instead of the shared one. */
  noMux?: boolean;
  /** Milliseconds of silence that end a `JitterTimer` request (default 300). */
  jitter?: number;
}

/** Traffic counters. */
export interface Stats {
  /** Payload bytes received. */
  inBytes: number;
  /** Payload bytes sent. */
  outBytes: number;
  /** Messages received. */
  inMsgs: number;
  /** Messages sent. */
  outMsgs: number;
}

/** A status event. */
export interface Status {
  /** What happened. */
  type: Events | DebugEvents;
  /** Depends on `type`: see {@link Events} and {@link DebugEvents}. */
  data: string | ServersChanged | number | SlowConsumerInfo;
  /** For a permissions violation: what was refused. */
  permissionContext?: PermissionContext;
}

/** The data of a `slowConsumer` status event. */
export interface SlowConsumerInfo {
  /** The subscription's subject. */
  subject: string;
  /** The subscription's id. */
  sid: number;
  /** Messages queued and not read. */
  pending: number;
  /** Messages dropped so far. */
  dropped: number;
}

/** Servers added to or removed from the pool. */
export interface ServersChanged {
  readonly added: string[];
  readonly deleted: string[];
}

/** The server's INFO. */
export interface ServerInfo {
  auth_required?: boolean;
  client_id: number;
  client_ip?: string;
  cluster?: string;
  connect_urls?: string[];
  git_commit?: string;
  go: string;
  headers?: boolean;
  host: string;
  jetstream?: boolean;
  ldm?: boolean;
  max_payload: number;
  nonce?: string;
  port: number;
  proto: number;
  server_id: string;
  server_name: string;
  tls_available?: boolean;
  tls_required?: boolean;
  tls_verify?: boolean;
  version: string;
}

/** A server version. */
export interface SemVer {
  major: number;
  minor: number;
  micro: number;
}

/** Something messages can be published to. */
export interface Publisher {
  publish(subject: string, data?: Payload, options?: { reply?: string; headers?: MsgHdrs }): void;
}

/** A connection to a NATS server. */
export interface NatsConnection {
  /** The server's INFO; `undefined` once closed. */
  info?: ServerInfo;
  /**
   * Resolves when the connection has closed and what was published before has left the
   * socket: `undefined`, or the error that closed it.
   */
  closed(): Promise<void | Error>;
  /**
   * Closes the connection: subscriptions end, pending requests and flushes reject at once;
   * resolves once what was published before has left the socket (as nats.ws, which waits
   * for the socket's `bufferedAmount`; here within the `timeout` option). Closing twice is
   * harmless.
   */
  close(): Promise<void>;
  /**
   * Publishes `payload` to `subject`. Throws `BAD_SUBJECT`, `BAD_PAYLOAD`, `BAD_HEADER` or
   * `MAX_PAYLOAD_EXCEEDED` before anything is sent, `CONNECTION_CLOSED` once closed. While
   * reconnecting, publishes are kept (up to `reconnectBufSize`, else `DISCONNECT`) and sent
   * after the reconnect. While connected, the bytes not yet taken by the server (in the
   * socket's buffer and in the client) are bounded to 64 MiB: past it (a server or link
   * slower than the page publishes) this throws `OUTBOUND_BUFFER_FULL`; `await flush()`
   * and publish again. nats.ws buffers without bound.
   */
  publish(subject: string, payload?: Payload, options?: PublishOptions): void;
  /** Publishes a message's subject, data, reply and headers. */
  publishMessage(msg: Msg): void;
  /** Publishes `msg` to its reply subject; false when it has none. */
  respondMessage(msg: Msg): boolean;
  /**
   * Subscribes to `subject` (`*` matches one token, `>` the rest). Read it with `for await`,
   * or pass `callback`. Throws `BAD_SUBJECT`, `NOT_FUNC`, `CONNECTION_CLOSED` or
   * `CONNECTION_DRAINING`.
   */
  subscribe(subject: string, opts?: SubscriptionOptions): Subscription;
  /**
   * Publishes `payload` and resolves with the first reply. Rejects with `TIMEOUT`, `503` (no
   * responders), `DISCONNECT` (the connection dropped meanwhile) or `CONNECTION_CLOSED`.
   */
  request(subject: string, payload?: Payload, opts?: RequestOptions): Promise<Msg>;
  /** Publishes `payload` and yields replies until `opts.strategy` says it is done. */
  requestMany(subject: string, payload?: Payload, opts?: Partial<RequestManyOptions>): Promise<AsyncIterable<Msg>>;
  /** Resolves once the server has answered a PING sent after everything published before it. */
  flush(): Promise<void>;
  /**
   * Drains every subscription (messages already sent to them are delivered), then closes;
   * resolves when closed.
   */
  drain(): Promise<void>;
  /** True once closed. */
  isClosed(): boolean;
  /** True once `drain()` was called. */
  isDraining(): boolean;
  /** `host:port` of the server in use; "" once closed. */
  getServer(): string;
  /**
   * Status events from now on, as an async iterator. One that is not read keeps at most 1024
   * events, dropping the oldest.
   */
  status(): AsyncIterable<Status>;
  /** Messages and bytes sent and received so far. */
  stats(): Stats;
  /** Milliseconds for a round trip to the server (a flush). */
  rtt(): Promise<number>;
  /** The server's version, from its INFO; `undefined` once closed. */
  getServerVersion(): SemVer | undefined;
  /**
   * Drops the current connection and reconnects; subscriptions carry over. Rejects with
   * `CONNECTION_CLOSED` or `CONNECTION_DRAINING`.
   */
  reconnect(): Promise<void>;
}

/** Credentials for one connect: what an authenticator returns. */
export type Auth = NoAuth | TokenAuth | UserPass | NKeyAuth | JwtAuth;
/** No credentials. */
export type NoAuth = void;
/** A token. */
export interface TokenAuth {
  auth_token: string;
}
/** A user and password. */
export interface UserPass {
  user: string;
  pass?: string;
}
/** A public NKEY and its signature of the server nonce. */
export interface NKeyAuth {
  nkey: string;
  sig: string;
}
/** A user JWT, with the signature of the server nonce when the server asks for one. */
export interface JwtAuth {
  jwt: string;
  nkey?: string;
  sig?: string;
}
/**
 * Called at every connect with the server nonce. Unlike nats.ws's, it may return a promise
 * (the built-in NKEY, JWT and creds authenticators do: WebCrypto signs asynchronously).
 */
export type Authenticator = (nonce?: string) => Auth | Promise<Auth>;

/** A user and password; either may be a function, called at every connect. */
export declare function usernamePasswordAuthenticator(user: string | (() => string), pass?: string | (() => string)): Authenticator;
/** A token, or a function returning one, called at every connect. */
export declare function tokenAuthenticator(token: string | (() => string)): Authenticator;
/**
 * Signs the server nonce with an NKEY seed (its bytes, or a function returning them, called at
 * every connect), with WebCrypto's Ed25519 (else the package's `ed25519.js`, @noble/ed25519);
 * returns a promise of the credentials. A malformed seed fails the connect with
 * `BAD_AUTHENTICATION`, in a message that does not contain it.
 */
export declare function nkeyAuthenticator(seed?: Uint8Array | (() => Uint8Array)): Authenticator;
/** A user JWT; with its NKEY seed, the server nonce is signed too. */
export declare function jwtAuthenticator(jwt: string | (() => string), seed?: Uint8Array | (() => Uint8Array)): Authenticator;
/**
 * The contents of a `.creds` file (a user JWT and its seed). One that cannot be parsed fails
 * the connect with `BAD_CREDS` before anything is sent.
 */
export declare function credsAuthenticator(creds: Uint8Array | (() => Uint8Array)): Authenticator;
/** One authenticator from the `authenticator`, `token` and `user`/`pass` options, as `connect()` does. */
export declare function buildAuthenticator(opts: ConnectionOptions): Authenticator;

/** TLS options (accepted for compatibility; the browser handles TLS for `wss://`). */
export interface TlsOptions {
  certFile?: string;
  cert?: string;
  caFile?: string;
  ca?: string;
  keyFile?: string;
  key?: string;
  handshakeFirst?: boolean;
}

/** Options for `connect`. */
export interface ConnectionOptions {
  /** Supplies credentials at every connect; several are combined. */
  authenticator?: Authenticator | Authenticator[];
  /**
   * Prints the protocol with `console.info`, as nats.ws does: `> ` before what arrives, `< `
   * before what was sent, CR and LF shown as ␍ and ␊. Unlike nats.ws, credentials in
   * `CONNECT` (`pass`, `auth_token`, `jwt`, `sig`) are printed as `[REDACTED]`.
   */
  debug?: boolean;
  /** Unanswered pings before the connection is stale (default 2). */
  maxPingOut?: number;
  /** Failed attempts per server before it is given up (default 10; -1: never). */
  maxReconnectAttempts?: number;
  /** The connection's name, shown by the server's monitoring. */
  name?: string;
  /** Do not receive messages this connection publishes. */
  noEcho?: boolean;
  /** Try the servers in the order given (default: shuffled). */
  noRandomize?: boolean;
  /** Password, with `user`. */
  pass?: string;
  /** Ask the server for stricter protocol checks. */
  pedantic?: boolean;
  /** Milliseconds between client pings (default 120000). */
  pingInterval?: number;
  /** Connect to `127.0.0.1:<port>` (as `wss://`); not together with `servers`. */
  port?: number;
  /** Reconnect when a connection that was up is lost (default true). */
  reconnect?: boolean;
  /** Returns the milliseconds to wait before each reconnect attempt. */
  reconnectDelayHandler?: () => number;
  /** Up to this many random milliseconds added to `reconnectTimeWait` (default 100). */
  reconnectJitter?: number;
  /** `reconnectJitter` when `tls` is set (default 1000). */
  reconnectJitterTLS?: number;
  /** Milliseconds between attempts on the same server (default 2000). */
  reconnectTimeWait?: number;
  /** `ws://host:port`, `wss://...`, or a bare `host:port` (meaning `wss://`). */
  servers?: Array<string> | string;
  /** Milliseconds for the connection handshake (default 20000). */
  timeout?: number;
  tls?: TlsOptions | null;
  /** Token authentication. */
  token?: string;
  /** User name, with `pass`. */
  user?: string;
  /** Ask the server to acknowledge every message (`+OK`). */
  verbose?: boolean;
  /** Keep trying the servers when the first connect fails, instead of rejecting. */
  waitOnFirstConnect?: boolean;
  /** Do not add the servers the cluster announces. */
  ignoreClusterUpdates?: boolean;
  /** Prefix for inboxes (default `_INBOX`). */
  inboxPrefix?: string;
  /**
   * Accepted for compatibility, without effect: an authentication error during a handshake
   * always ends the connection.
   */
  ignoreAuthErrorAbort?: boolean;
  /** Accepted for compatibility, without effect. */
  noAsyncTraces?: boolean;
  /** Accepted for compatibility, without effect (the browser resolves host names). */
  resolve?: boolean;
  /** Bytes of publishes kept while reconnecting (default 8 MiB). */
  reconnectBufSize?: number;
  /**
   * Makes the WebSocket for a server URL, instead of `new WebSocket(url)`: for runtimes
   * without a global WebSocket, or a custom one. It returns an object with the browser
   * WebSocket interface (`binaryType`, `send`, `close`, `onmessage`, `onclose`...), or, as
   * in nats.ws, a promise of `{ socket, encrypted }`. `url` is the server's `ws://` or
   * `wss://` URL, normalised as the client dials it.
   */
  wsFactory?: (url: string, opts: ConnectionOptions) => unknown | Promise<{ socket: unknown; encrypted: boolean }>;
}

/** Connects to a NATS server over WebSocket. */
export declare function connect(opts?: ConnectionOptions): Promise<NatsConnection>;

/** The instance type of global class `K` where the consumer's libs declare it, else `never`. */
type GlobalInstance<K extends string> = typeof globalThis extends { [P in K]: { prototype: infer T } } ? T : never;
/** `WebAssembly.Module` where the consumer's libs declare it (DOM, webworker, node), else `never`. */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer T } } } ? T : never;
/**
 * What `init()` loads the wasm module from: its URL, a fetch Response (or a promise of one),
 * its bytes or a compiled `WebAssembly.Module`. Written without the DOM lib, so that programs
 * type-checked for Node.js alone compile too.
 */
export type InitInput =
  | string
  | GlobalInstance<"URL">
  | GlobalInstance<"Request">
  | GlobalInstance<"Response">
  | PromiseLike<GlobalInstance<"Response">>
  | ArrayBuffer
  | ArrayBufferView
  | WasmModule;

/**
 * Loads the wasm module from `input`. `connect()` loads it by itself (in browsers from next to
 * this file, in Node.js from disk); call `init` first only to load it from elsewhere (a CDN,
 * bytes, a compiled module).
 */
export declare function init(input?: InitInput): Promise<unknown>;

/** `_INBOX.<nuid>`, or `<prefix>.<nuid>`. */
export declare function createInbox(prefix?: string): string;

/** A NUID generator. */
export declare class Nuid {
  next(): string;
}
/** The shared NUID generator. */
export declare const nuid: Nuid;

/** A Promise with its resolve and reject. */
export interface Deferred<T> extends Promise<T> {
  resolve: (v?: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}
/** A new {@link Deferred}. */
export declare function deferred<T>(): Deferred<T>;
/** A cancellable delay. */
export interface Delay extends Promise<void> {
  /** Stops the timer. */
  cancel: () => void;
}
/** Resolves after `ms` milliseconds (default 0). */
export declare function delay(ms?: number): Delay;
/** `p`, or a rejection with `deadline exceeded` if it has not settled within `millis` (default 1000). */
export declare function deadline<T>(p: Promise<T>, millis?: number): Promise<T>;
/** A duration in nanoseconds (JetStream's unit). */
export type Nanos = number;
/** Milliseconds to nanoseconds. */
export declare function nanos(millis: number): Nanos;
/** Nanoseconds to whole milliseconds. */
export declare function millis(ns: Nanos): number;
/** A retry-delay policy. */
export interface Backoff {
  /** Milliseconds to wait before retry number `attempt` (from 0). */
  backoff(attempt: number): number;
}
/**
 * A policy that waits `policy[attempt]` ms (the last entry past its end) with jitter: between
 * half and one and a half times that. Default `[0, 250, 250, 500, 500, 3000, 5000]`.
 */
export declare function backoff(policy?: number[]): Backoff;
/** An iterator whose `next()` resolves to a value, or null at the end. */
export interface SyncIterator<T> {
  next(): Promise<T | null>;
}
/** Wraps an async iterable in a {@link SyncIterator}. */
export declare function syncIterator<T>(src: AsyncIterable<T>): SyncIterator<T>;

/** The header carrying a service error description. */
export declare const ServiceErrorHeader = "Nats-Service-Error";
/** The header carrying a service error code. */
export declare const ServiceErrorCodeHeader = "Nats-Service-Error-Code";
/** Response types of the NATS micro-services protocol. */
export declare enum ServiceResponseType {
  STATS = "io.nats.micro.v1.stats_response",
  INFO = "io.nats.micro.v1.info_response",
  PING = "io.nats.micro.v1.ping_response",
}
/** Verbs of the NATS micro-services protocol. */
export declare enum ServiceVerb {
  PING = "PING",
  STATS = "STATS",
  INFO = "INFO",
}
/** An error a NATS micro-service reported in its response headers. */
export declare class ServiceError extends Error {
  code: number;
  constructor(code: number, message: string);
  /** True when `msg` carries a service error. */
  static isServiceError(msg: Msg): boolean;
  /** The service error `msg` carries, or null. */
  static toServiceError(msg: Msg): ServiceError | null;
}

// Only the declarations marked `export` above are the package's API.
export {};
