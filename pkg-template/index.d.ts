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
  /** For an error a JetStream API reply reported: the server's `{code, err_code, description}`. */
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
  /**
   * Another `for await` loop on this subscription (this package's; nats.ws has none): it gets
   * every message received from now on, independent of the other loops, with its own backlog
   * bounded like the subscription's (`pendingMsgs`/`pendingBytes`: past them its new messages
   * are dropped, counted and reported as `slowConsumer` with its id). Readers share the
   * message objects. Once a subscription has readers, its own iterator keeps a backlog only
   * if its loop has started (a subscription read through readers alone holds nothing twice).
   */
  createReader(): SubscriptionReader<T>;
  /** Unsubscribes; every loop (readers and the subscription's own) yields its backlog, then ends. */
  close(): void;
  /** Unsubscribes; every loop ends at its next step; the backlogs are dropped and counted (`getDropped()`). */
  kill(): void;
  /** The largest backlog among this subscription's loops (its own iterator's and its readers'). */
  getBackpressure(): number;
  /** Each reader's id and backlog. */
  getReaderStats(): ReaderStats[];
  /** Kills reader `id` (see `SubscriptionReader.kill`); false if it has none such. */
  killReader(id: number): boolean;
  /**
   * The next message (through a reader of its own, removed after). Rejects with `TIMEOUT`
   * after `timeout` ms (default: none), or `SUB_CLOSED` if the subscription ends first.
   */
  once(timeout?: number): Promise<T>;
}

/** One loop of a subscription (`sub.createReader()`); a `break` out of its loop removes it. */
export interface SubscriptionReader<T> extends AsyncIterable<T> {
  /** Unique in its subscription. */
  readonly id: number;
  /** Messages waiting in its backlog. */
  getBackpressure(): number;
  /** Messages it dropped: over its bounds, or its backlog when killed. */
  getDropped(): number;
  /** Messages its loop has taken. */
  getProcessed(): number;
  /** Ends its loop at the next step; its backlog is dropped (and counted). */
  kill(): void;
}

/** A reader's id and backlog (`sub.getReaderStats()`). */
export interface ReaderStats {
  id: number;
  backpressure: number;
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
  /** The reader that fell behind (`sub.createReader()`); absent for the subscription itself. */
  reader?: number;
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
  /**
   * A reader of the status events of `type` (of every type when none is given; this
   * package's, as are the three below): an async iterator with its own backlog of at most
   * 1024 events (the oldest go first, counted in `getDropped()`).
   */
  listener(type?: Events | DebugEvents | string): QueuedIterator<Status>;
  /** Ends the listeners of `type` (all of them, `status()` iterators too, when none is given) after their backlogs. */
  closeListener(type?: Events | DebugEvents | string): void;
  /** Ends the listeners of `type` (or all) at their next step; their backlogs are dropped. */
  killListener(type?: Events | DebugEvents | string): void;
  /** The largest backlog among the listeners of `type` (or among all). */
  getListenerBackpressure(type?: Events | DebugEvents | string): number;
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
  /**
   * Moves the live connection to new credentials (this package's; nats.ws has none): a
   * reconnect that keeps every subscription, and sends what is published or requested from
   * the call on after the new handshake (requests and flushes already on the wire fail with
   * `DISCONNECT`, as in any reconnect). Later handshakes use them too. If the server refuses
   * them, it rejects with its code (`AUTHORIZATION_VIOLATION`) and the connection goes on
   * with the previous credentials. A status event says which happened:
   * `{ type: "reauthenticated", data: "host:port" }` or
   * `{ type: "reauthenticationFailed", data: code }`. Credentials never appear in errors or
   * events. Bad input rejects with `INVALID_OPTION`; calls made while one is in progress
   * wait for it.
   */
  reauthenticate(auth: Reauthentication): Promise<void>;
  /**
   * A JetStream client, at once. Its code (the package's `jetstream.js`) loads on its first
   * call, once per page; pages that never use JetStream do not fetch it. Throws for an empty
   * `apiPrefix`.
   */
  jetstream(opts?: JetStreamOptions | JetStreamManagerOptions): JetStreamClient;
  /**
   * A JetStream manager, once `<apiPrefix>.INFO` has answered (not asked with `checkAPI:
   * false`); rejects with code `503` when JetStream is not enabled.
   */
  jetstreamManager(opts?: JetStreamManagerOptions): Promise<JetStreamManager>;
  /** The services framework: `services.add()` and `services.client()` (code loads on first use). */
  services: ServicesAPI;
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

/** New credentials for `reauthenticate()`: a user and password, a token, or authenticators. */
export interface Reauthentication {
  user?: string;
  pass?: string;
  token?: string;
  authenticator?: Authenticator | Authenticator[];
}

/** Options of a {@link ConnectionsPool}. */
export interface ConnectionsPoolOptions {
  /** Runs when a namespace's last connection leaves (closed, or `remove()`d). */
  onLastInNamespace?: (namespace: string) => void;
}

/** Where a connection goes in a {@link ConnectionsPool}. */
export interface PoolEntryOptions {
  /** Default `"default"`. */
  namespace?: string;
  /** Unique in its namespace; one is made when none is given. */
  id?: string;
}

/** What `drainConnections` reports as each connection closes. */
export interface DrainProgress {
  namespace: string;
  id: string;
  /** Connections closed so far, this one included. */
  drained: number;
  total: number;
  /** Why its `drain()` failed (it was closed or draining already), if it did. */
  error?: Error;
}

/**
 * Connections grouped in namespaces (this package's; nats.ws has none): publish to one or to
 * a whole namespace, close them, or drain them a few per second so that a fleet of clients
 * does not reconnect all at once. A connection that closes leaves the pool by itself. Errors
 * have codes: `POOL_DUPLICATE_ID`, `POOL_NO_CONNECTION`, `INVALID_OPTION`.
 */
export declare class ConnectionsPool {
  constructor(opts?: ConnectionsPoolOptions);
  /** Adds `nc`; returns its id. Throws `POOL_DUPLICATE_ID` if the id is taken in the namespace or `nc` is in the pool. */
  add(nc: NatsConnection, opts?: PoolEntryOptions): string;
  /** The connection `id` of `namespace`. */
  get(namespace: string, id: string): NatsConnection | undefined;
  /** Whether `nc` is in the pool. */
  has(nc: NatsConnection): boolean;
  /** Whether `namespace` has a connection `id`. */
  has(namespace: string, id: string): boolean;
  /** Takes `nc` out (it stays open); `onLastInNamespace` (default: the pool's) runs if it was the last. */
  remove(nc: NatsConnection, onLastInNamespace?: (namespace: string) => void): boolean;
  /** Connections in `namespace`, or in the pool. */
  size(namespace?: string): number;
  /** The namespaces that have connections. */
  namespaces(): string[];
  /** The connections of `namespace`, or of the pool. */
  connections(namespace?: string): NatsConnection[];
  /** Publishes on every open connection of `namespace`; returns how many. Bad input throws as `publish` does, before anything is sent. */
  broadcast(namespace: string, subject: string, data?: Payload, opts?: PublishOptions): number;
  /** Publishes on connection `id` of `namespace`; throws `POOL_NO_CONNECTION` if there is none. */
  publish(namespace: string, id: string, subject: string, data?: Payload, opts?: PublishOptions): void;
  /** Closes the connections of `namespace` (or of the pool) at once. */
  closeAll(namespace?: string): Promise<void>;
  /**
   * Drains the connections of `namespace` (or of the pool) at most `maxPerSecond` per second,
   * evenly spaced; no second sees more closes. Each `drain()` delivers what it holds first.
   * Resolves when all are closed; `onProgress` runs as each closes.
   */
  drainConnections(maxPerSecond: number, namespace?: string, onProgress?: (p: DrainProgress) => void): Promise<void>;
}

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

/** `nc.services`: add services, and find them. Its code (`micro.js`) loads on first use. */
export interface ServicesAPI {
  /** A started service: it answers PING, INFO and STATS at once. */
  add(config: ServiceConfig): Promise<Service>;
  /** Finds services: by default, every answer within 2 s (with jitter). */
  client(opts?: Partial<RequestManyOptions>, prefix?: string): ServiceClient;
}

/** Finds services with the discovery verbs: every matching service answers. */
export interface ServiceClient {
  ping(name?: string, id?: string): Promise<QueuedIterator<ServiceIdentity>>;
  stats(name?: string, id?: string): Promise<QueuedIterator<ServiceStats>>;
  info(name?: string, id?: string): Promise<QueuedIterator<ServiceInfo>>;
}

/** A request to an endpoint. */
export interface ServiceMsg extends Msg {
  /** Answers with the `Nats-Service-Error(-Code)` headers (and `data`, if any). */
  respondError(code: number, description: string, data?: Uint8Array, opts?: PublishOptions): boolean;
}

/**
 * Answers an endpoint's requests. A thrown error (or a rejected Promise) is counted and
 * answered as a service error: a ServiceError's code, else 500.
 */
export type ServiceHandler = (err: NatsError | null, msg: ServiceMsg) => void;

/** An endpoint: its subject, handler, metadata and queue group. */
export type Endpoint = {
  subject: string;
  handler?: ServiceHandler;
  metadata?: Record<string, string>;
  queue?: string;
};
/** Options of `addEndpoint()`. */
export type EndpointOptions = Partial<Endpoint>;
/** An endpoint in the INFO document. */
export type EndpointInfo = {
  name: string;
  subject: string;
  metadata?: Record<string, string>;
  queue_group?: string;
};

/** Endpoints under a common subject (and queue group). */
export interface ServiceGroup {
  /**
   * An endpoint `name` on `name` (or `opts.subject`) under the group's subject; without a
   * handler, its requests come from the iterator returned.
   */
  addEndpoint(name: string, opts?: ServiceHandler | EndpointOptions): QueuedIterator<ServiceMsg>;
  addGroup(subject?: string, queue?: string): ServiceGroup;
}

/** A service's metadata. */
export type ServiceMetadata = {
  metadata?: Record<string, string>;
};
/** Every discovery document has its type. */
export interface ServiceResponse {
  type: ServiceResponseType;
}
/** The PING document. */
export type ServiceIdentity = ServiceResponse & ServiceMetadata & {
  name: string;
  id: string;
  version: string;
};
/** One endpoint's counters in the STATS document. */
export type NamedEndpointStats = {
  name: string;
  subject: string;
  num_requests: number;
  num_errors: number;
  last_error?: string;
  /** What the service's `statsHandler` answered for this endpoint. */
  data?: unknown;
  processing_time: Nanos;
  average_processing_time: Nanos;
  queue_group?: string;
};
/** The STATS document's counters. */
export type EndpointStats = ServiceIdentity & {
  endpoints?: NamedEndpointStats[];
  started: string;
};
/** The INFO document. */
export type ServiceInfo = ServiceIdentity & {
  description: string;
  metadata?: Record<string, string>;
  endpoints: EndpointInfo[];
};
/** Options of `nc.services.add()`. */
export type ServiceConfig = {
  name: string;
  /** A semantic version, e.g. "1.0.0". */
  version: string;
  description?: string;
  /** Each endpoint's `data` in the STATS document. */
  statsHandler?: (endpoint: Endpoint) => Promise<unknown | null>;
  metadata?: Record<string, string>;
  /** The endpoints' queue group (default "q"). */
  queue?: string;
};
/** The STATS document. */
export type ServiceStats = ServiceIdentity & EndpointStats;

/** A service: from `nc.services.add()`. */
export interface Service extends ServiceGroup {
  /** Resolves when the service stopped: with the error that stopped it, or null. */
  stopped: Promise<null | Error>;
  isStopped: boolean;
  /** This instance's id (a NUID): `$SRV.<verb>.<name>.<id>`. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  stats(): Promise<ServiceStats>;
  info(): ServiceInfo;
  ping(): ServiceIdentity;
  /** Zeroes the endpoints' counters. */
  reset(): void;
  /** Drains every endpoint; resolves as `stopped`. */
  stop(err?: Error): Promise<null | Error>;
}

// ---------------------------------------------------------------------------------------------
// JetStream (nats.ws 1.x names and shapes). The code behind it is the package's `jetstream.js`,
// loaded on the first call that needs it; the pull consumer protocol runs in the wasm core.

/** Options of `nc.jetstream()` and `nc.jetstreamManager()`. */
export interface JetStreamOptions {
  /** The JetStream API's subject prefix (default `$JS.API`). */
  apiPrefix?: string;
  /** Milliseconds to wait for an API reply (default 5000). */
  timeout?: number;
  /** A JetStream domain: the prefix becomes `$JS.<domain>.API`. */
  domain?: string;
}

/** Options of `nc.jetstreamManager()`. */
export interface JetStreamManagerOptions extends JetStreamOptions {
  /** Check that JetStream answers before resolving (default true). */
  checkAPI?: boolean;
}

/** Stream retention (`StreamConfig.retention`). */
export declare enum RetentionPolicy {
  Limits = "limits",
  Interest = "interest",
  Workqueue = "workqueue",
}
/** What a full stream discards (`StreamConfig.discard`). */
export declare enum DiscardPolicy {
  Old = "old",
  New = "new",
}
/** Stream storage (`StreamConfig.storage`). */
export declare enum StorageType {
  File = "file",
  Memory = "memory",
}
/** Where a consumer starts (`ConsumerConfig.deliver_policy`). */
export declare enum DeliverPolicy {
  All = "all",
  Last = "last",
  New = "new",
  StartSequence = "by_start_sequence",
  StartTime = "by_start_time",
  LastPerSubject = "last_per_subject",
}
/** How a consumer's messages are acknowledged (`ConsumerConfig.ack_policy`). */
export declare enum AckPolicy {
  None = "none",
  All = "all",
  Explicit = "explicit",
  NotSet = "",
}
/** How a consumer replays (`ConsumerConfig.replay_policy`). */
export declare enum ReplayPolicy {
  Instant = "instant",
  Original = "original",
}
/** Stream compression (`StreamConfig.compression`, server 2.10+). */
export declare enum StoreCompression {
  None = "none",
  S2 = "s2",
}
/** The kind of an {@link Advisory}: the last token of the advisory's `type`. */
export declare enum AdvisoryKind {
  API = "api_audit",
  StreamAction = "stream_action",
  ConsumerAction = "consumer_action",
  SnapshotCreate = "snapshot_create",
  SnapshotComplete = "snapshot_complete",
  RestoreCreate = "restore_create",
  RestoreComplete = "restore_complete",
  MaxDeliver = "max_deliver",
  Terminated = "terminated",
  Ack = "consumer_ack",
  StreamLeaderElected = "stream_leader_elected",
  StreamQuorumLost = "stream_quorum_lost",
  ConsumerLeaderElected = "consumer_leader_elected",
  ConsumerQuorumLost = "consumer_quorum_lost",
}
/** Header names (and rollup values) the server sets or reads on JetStream messages. */
export declare enum JsHeaders {
  StreamSourceHdr = "Nats-Stream-Source",
  LastConsumerSeqHdr = "Nats-Last-Consumer",
  LastStreamSeqHdr = "Nats-Last-Stream",
  ConsumerStalledHdr = "Nats-Consumer-Stalled",
  MessageSizeHdr = "Nats-Msg-Size",
  RollupHdr = "Nats-Rollup",
  RollupValueSubject = "sub",
  RollupValueAll = "all",
  PendingMessagesHdr = "Nats-Pending-Messages",
  PendingBytesHdr = "Nats-Pending-Bytes",
}
/** What a KV watch starts with: current values, all kept history, or only updates. */
export declare enum KvWatchInclude {
  LastValue = "",
  AllHistory = "history",
  UpdatesOnly = "updates",
}
/** Headers of a direct-get reply. */
export declare enum DirectMsgHeaders {
  Stream = "Nats-Stream",
  Sequence = "Nats-Sequence",
  TimeStamp = "Nats-Time-Stamp",
  Subject = "Nats-Subject",
}
/** Headers of a message a stream republished (`StreamConfig.republish`). */
export declare enum RepublishHeaders {
  Stream = "Nats-Stream",
  Subject = "Nats-Subject",
  Sequence = "Nats-Sequence",
  LastSequence = "Nats-Last-Sequence",
  Size = "Nats-Msg-Size",
}
/** Notifications of `ConsumerMessages.status()`. */
export declare enum ConsumerEvents {
  /** Heartbeats were missed; `data` is how many in a row. */
  HeartbeatsMissed = "heartbeats_missed",
  /** The consumer was not found when checked; `data` counts the attempts in a row. */
  ConsumerNotFound = "consumer_not_found",
  /** The stream was not found when checked; `data` counts the attempts in a row. */
  StreamNotFound = "stream_not_found",
  /** The server said the consumer was deleted (a `409 Consumer Deleted` status). */
  ConsumerDeleted = "consumer_deleted",
  /** An ordered consumer made a new server consumer; `data` is its name. */
  OrderedConsumerRecreated = "ordered_consumer_recreated",
  /** A pull got no responders: the stream and consumer, or JetStream, are not there. */
  NoResponders = "no_responders",
}
/** Debug notifications of `ConsumerMessages.status()`. */
export declare enum ConsumerDebugEvents {
  /** A status the client ignored; `data` is its code and description. */
  DebugEvent = "debug",
  /** A pull ended unfilled; `data` is `{msgsLeft, bytesLeft}`. */
  Discard = "discard",
  /** An ordered consumer is about to be replaced. */
  Reset = "reset",
  /** A pull was sent (nats.ws; not reported by nats-wasm, whose core sends the pulls). */
  Next = "next",
}

/** True for a JetStream control message (no payload, status 1xx): flow control or heartbeat. */
export declare function isFlowControlMsg(msg: Msg): boolean;
/** True for an idle heartbeat (a control message described `Idle Heartbeat`). */
export declare function isHeartbeatMsg(msg: Msg): boolean;
/** The error an empty JetStream status message (404, 408, 409, 503...) stands for, else null. */
export declare function checkJsError(msg: Msg): NatsError | null;

/** A paged API reply. */
export interface ApiPaged {
  total: number;
  offset: number;
  limit: number;
}
/** A paged API request. */
export interface ApiPagedRequest {
  offset: number;
}
/** Another copy (a mirror) of a stream. */
export interface StreamAlternate {
  name: string;
  cluster: string;
  domain: string;
}
/** A stream's configuration and state. */
export interface StreamInfo extends ApiPaged {
  config: StreamConfig;
  /** ISO time of creation. */
  created: string;
  state: StreamState;
  cluster?: ClusterInfo;
  mirror?: StreamSourceInfo;
  sources?: StreamSourceInfo[];
  alternates?: StreamAlternate[];
  ts?: string;
}
/** A subject transform (server 2.10+). */
export interface SubjectTransformConfig {
  src?: string;
  dest: string;
}
/** Defaults for a stream's consumers. */
export interface StreamConsumerLimits {
  inactive_threshold?: Nanos;
  max_ack_pending?: number;
}
/** A stream's configuration. */
export interface StreamConfig extends StreamUpdateConfig {
  /** The stream's name: no `.`, `*`, `>`, `/`, `\` or whitespace. */
  name: string;
  retention: RetentionPolicy;
  storage: StorageType;
  max_consumers: number;
  mirror?: StreamSource;
  sealed: boolean;
  first_seq: number;
}
/** The fields of a stream's configuration that an update may change. */
export interface StreamUpdateConfig {
  /** The subjects stored (wildcards allowed). */
  subjects: string[];
  description?: string;
  max_msgs_per_subject: number;
  max_msgs: number;
  /** Nanoseconds: see {@link nanos}. */
  max_age: Nanos;
  max_bytes: number;
  max_msg_size: number;
  discard: DiscardPolicy;
  discard_new_per_subject: boolean;
  no_ack?: boolean;
  /** Nanoseconds within which a `msgID` is a duplicate. */
  duplicate_window: Nanos;
  sources?: StreamSource[];
  allow_rollup_hdrs: boolean;
  num_replicas: number;
  placement?: Placement;
  deny_delete: boolean;
  deny_purge: boolean;
  allow_direct: boolean;
  mirror_direct: boolean;
  republish?: Republish;
  metadata?: Record<string, string>;
  subject_transform?: SubjectTransformConfig;
  compression?: StoreCompression;
  consumer_limits?: StreamConsumerLimits;
}
/** Republishing of stored messages to core NATS subjects. */
export interface Republish {
  src: string;
  dest: string;
  headers_only?: boolean;
}
/** A stream in another account or domain. */
export type ExternalStream = {
  api: string;
  deliver?: string;
};
/** A source or mirror of a stream. */
export interface StreamSource {
  name: string;
  opt_start_seq?: number;
  opt_start_time?: string;
  filter_subject?: string;
  external?: ExternalStream;
  /** A JetStream domain (sent as `external.api` `$JS.<domain>.API`). */
  domain?: string;
  subject_transforms?: SubjectTransformConfig[];
}
/** Where a stream's replicas are placed. */
export interface Placement {
  cluster: string;
  tags: string[];
}
/** Options of a stream info request. */
export type StreamInfoRequestOptions = {
  deleted_details: boolean;
  /** List the subjects matching this filter in `state.subjects` (all pages are fetched). */
  subjects_filter: string;
} & ApiPagedRequest;
/** A stream's messages and sequences. */
export interface StreamState {
  messages: number;
  bytes: number;
  first_seq: number;
  first_ts: string;
  last_seq: number;
  last_ts: string;
  num_deleted: number;
  deleted: number[];
  lost: LostStreamData;
  consumer_count: number;
  num_subjects?: number;
  subjects?: Record<string, number>;
}
/** Messages a stream lost. */
export interface LostStreamData {
  msgs: number[] | null;
  bytes: number;
}
/** A clustered stream's or consumer's leader and replicas. */
export interface ClusterInfo {
  name?: string;
  leader?: string;
  replicas?: PeerInfo[];
}
/** A replica. */
export interface PeerInfo {
  name: string;
  current: boolean;
  offline: boolean;
  active: Nanos;
  lag: number;
}
/** The state of a stream's source or mirror. */
export interface StreamSourceInfo {
  name: string;
  lag: number;
  active: Nanos;
  error?: ApiError;
  subject_transforms?: SubjectTransformConfig[];
}
/** What a purge removes: everything (no options), or as below. */
export type PurgeOpts = PurgeBySeq | PurgeTrimOpts | PurgeBySubject;
/** Purge the messages before sequence `seq`. */
export type PurgeBySeq = {
  filter?: string;
  seq: number;
};
/** Purge all but the last `keep` messages. */
export type PurgeTrimOpts = {
  filter?: string;
  keep: number;
};
/** Purge the messages of subject `filter`. */
export type PurgeBySubject = {
  filter: string;
};
/** A purge's reply. */
export interface PurgeResponse {
  success: boolean;
  purged: number;
}
/** A consumer's position. */
export interface SequenceInfo {
  consumer_seq: number;
  stream_seq: number;
  last_active: Nanos;
}
/** A consumer's configuration and state. */
export interface ConsumerInfo {
  stream_name: string;
  name: string;
  created: string;
  config: ConsumerConfig;
  delivered: SequenceInfo;
  ack_floor: SequenceInfo;
  num_ack_pending: number;
  num_redelivered: number;
  num_waiting: number;
  num_pending: number;
  cluster?: ClusterInfo;
  push_bound: boolean;
  ts?: string;
  paused?: boolean;
  pause_remaining: Nanos;
}
/** Get the last message of a subject. */
export interface LastForMsgRequest {
  last_by_subj: string;
}
/** Get the message with stream sequence `seq`. */
export interface SeqMsgRequest {
  seq: number;
}
/** Which stored message `getMessage` reads. */
export type MsgRequest = SeqMsgRequest | LastForMsgRequest | number;
/** An account's JetStream limits. */
export interface AccountLimits {
  max_memory: number;
  max_storage: number;
  max_streams: number;
  max_consumers: number;
  max_ack_pending: number;
  memory_max_stream_bytes: number;
  storage_max_stream_bytes: number;
  max_bytes_required: number;
}
/** An account's JetStream usage and limits. */
export interface JetStreamUsageAccountLimits {
  memory: number;
  storage: number;
  streams: number;
  consumers: number;
  limits: AccountLimits;
}
/** `jsm.getAccountInfo()`: the account's usage, limits and API counters. */
export interface JetStreamAccountStats extends JetStreamUsageAccountLimits {
  api: JetStreamApiStats;
  domain?: string;
  tiers?: {
    R1?: JetStreamUsageAccountLimits;
    R3?: JetStreamUsageAccountLimits;
  };
}
/** The account's API requests and errors. */
export interface JetStreamApiStats {
  total: number;
  errors: number;
}
/** A consumer's configuration. */
export interface ConsumerConfig extends ConsumerUpdateConfig {
  ack_policy: AckPolicy;
  deliver_policy: DeliverPolicy;
  deliver_group?: string;
  /** A durable consumer's name: no `.`, `*`, `>`, `/`, `\` or whitespace. */
  durable_name?: string;
  /** The consumer's name (server 2.9+). */
  name?: string;
  flow_control?: boolean;
  idle_heartbeat?: Nanos;
  opt_start_seq?: number;
  opt_start_time?: string;
  rate_limit_bps?: number;
  replay_policy: ReplayPolicy;
  pause_until?: string;
}
/** The fields of a consumer's configuration that an update may change. */
export interface ConsumerUpdateConfig {
  description?: string;
  /** Nanoseconds before an unacknowledged message is sent again. */
  ack_wait?: Nanos;
  max_deliver?: number;
  sample_freq?: string;
  max_ack_pending?: number;
  max_waiting?: number;
  headers_only?: boolean;
  /** Set for a push consumer (not supported by `js.consumers.get()`). */
  deliver_subject?: string;
  max_batch?: number;
  max_expires?: Nanos;
  inactive_threshold?: Nanos;
  backoff?: Nanos[];
  max_bytes?: number;
  num_replicas?: number;
  mem_storage?: boolean;
  filter_subject?: string;
  /** Several filters (server 2.10+). */
  filter_subjects?: string[];
  metadata?: Record<string, string>;
}
/** A pull request's options (the deprecated `js.fetch()` and `pull()`, and `JsMsg.next()`). */
export interface PullOptions {
  batch: number;
  no_wait: boolean;
  /** Milliseconds. */
  expires: number;
  max_bytes: number;
  idle_heartbeat: number;
}
/** What a consumer's message's reply subject says about it. */
export interface DeliveryInfo {
  /** The JetStream domain. */
  domain: string;
  account_hash?: string;
  stream: string;
  consumer: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
  /** The same as `deliveryCount`. */
  redeliveryCount: number;
  streamSequence: number;
  deliverySequence: number;
  timestampNanos: number;
  /** Messages left for the consumer after this one. */
  pending: number;
  redelivered: boolean;
}

/** A stream's acknowledgement of a publish. */
export interface PubAck {
  stream: string;
  domain?: string;
  seq: number;
  /** True when the stream already had a message with this `msgID`. */
  duplicate: boolean;
}
/** Options of `js.publish()`. */
export interface JetStreamPublishOptions {
  /** Deduplication id (`Nats-Msg-Id`), within the stream's `duplicate_window`. */
  msgID: string;
  /** Milliseconds to wait for the PubAck (default the JetStream options' `timeout`). */
  timeout: number;
  /** Headers made with `headers()`. */
  headers: MsgHdrs;
  /** Conditions the server checks; a message that fails them is refused (an API error). */
  expect: Partial<{
    lastMsgID: string;
    streamName: string;
    lastSequence: number;
    lastSubjectSequence: number;
  }>;
}

/** Paged listings: `for await` walks every item; `next()` returns one page. */
export interface Lister<T> {
  [Symbol.asyncIterator](): AsyncIterator<T>;
  next(): Promise<T[]>;
}

/** A message read from a stream by `getMessage`. */
/** A message read with `jsm.direct` (from any replica of a stream with `allow_direct`). */
export interface DirectMsg {
  data: Uint8Array;
  header: MsgHdrs;
  subject: string;
  seq: number;
  timestamp: string;
  time: Date;
  stream: string;
  json<T = unknown>(reviver?: (key: string, value: unknown) => unknown): T;
  string(): string;
}

/** The `multi_last` request of `jsm.direct.getBatch` (server 2.11). */
export interface DirectBatchOptions {
  multi_last: string[];
  batch?: number;
  up_to_seq?: number;
  up_to_time?: Date | string;
}

/** `jsm.direct`: direct gets. */
export interface DirectStreamAPI {
  /** One message, by `seq`, `last_by_subj` or `next_by_subj`. */
  getMessage(stream: string, query: MsgRequest | { next_by_subj: string; seq: number }): Promise<DirectMsg>;
  /** The last message of each of `multi_last`'s subjects. */
  getBatch(stream: string, opts: DirectBatchOptions): Promise<QueuedIterator<DirectMsg>>;
}

export interface StoredMsg {
  subject: string;
  seq: number;
  /** Its headers (empty when it had none). */
  header: MsgHdrs;
  data: Uint8Array;
  time: Date;
  /** The server's ISO time text. */
  timestamp: string;
  json<T>(reviver?: (this: unknown, key: string, value: unknown) => unknown): T;
  string(): string;
}

/** A JetStream advisory from `jsm.advisories()`. */
export interface Advisory {
  kind: AdvisoryKind;
  /** The advisory's JSON, parsed. */
  data: unknown;
}

/** `jsm.streams`: streams and their messages, by name. */
export interface StreamAPI {
  /** A stream's info; with `subjects_filter`, every page of subjects is fetched. */
  info(stream: string, opts?: Partial<StreamInfoRequestOptions>): Promise<StreamInfo>;
  /** Creates a stream. */
  add(cfg: Partial<StreamConfig>): Promise<StreamInfo>;
  /** Changes a stream: its current config with `cfg`'s fields over it. */
  update(name: string, cfg: Partial<StreamUpdateConfig>): Promise<StreamInfo>;
  /** Purges all of a stream, or what `opts` says. */
  purge(stream: string, opts?: PurgeOpts): Promise<PurgeResponse>;
  delete(stream: string): Promise<boolean>;
  /** Every stream's info; only those storing `subject` when given. */
  list(subject?: string): Lister<StreamInfo>;
  /** Deletes a message; `erase` (default true) overwrites its bytes. */
  deleteMessage(stream: string, seq: number, erase?: boolean): Promise<boolean>;
  getMessage(stream: string, query: MsgRequest): Promise<StoredMsg>;
  /** The name of the stream storing `subject`; rejects unless exactly one does. */
  find(subject: string): Promise<string>;
  /** Every stream's name; only those storing `subject` when given. */
  names(subject?: string): Lister<string>;
  /** The KV buckets' statuses (streams named `KV_*`). */
  listKvs(): Lister<KvStatus>;
  /** The object stores' statuses (streams named `OBJ_*`). */
  listObjectStores(): Lister<ObjectStoreStatus>;
  /** A handle on a stream (its info is read: rejects when there is none). */
  get(name: string): Promise<Stream>;
}

/** `jsm.consumers`: a stream's consumers. */
export interface ConsumerAPI {
  info(stream: string, consumer: string): Promise<ConsumerInfo>;
  /** Creates a consumer (durable when `durable_name` is set). */
  add(stream: string, cfg: Partial<ConsumerConfig>): Promise<ConsumerInfo>;
  /** Changes a consumer: its current config with `cfg`'s fields over it. */
  update(stream: string, durable: string, cfg: Partial<ConsumerUpdateConfig>): Promise<ConsumerInfo>;
  delete(stream: string, consumer: string): Promise<boolean>;
  list(stream: string): Lister<ConsumerInfo>;
  /** Pauses a consumer until `until` (server 2.11+). */
  pause(stream: string, name: string, until?: Date): Promise<{ paused: boolean; pause_until?: string }>;
  resume(stream: string, name: string): Promise<{ paused: boolean; pause_until?: string }>;
}

/** Manages a JetStream account: from `nc.jetstreamManager()`. */
export interface JetStreamManager {
  consumers: ConsumerAPI;
  streams: StreamAPI;
  direct: DirectStreamAPI;
  /** The account's JetStream usage and limits. */
  getAccountInfo(): Promise<JetStreamAccountStats>;
  /** The server's JetStream advisories (`$JS.EVENT.ADVISORY.>`), from now on. */
  advisories(): AsyncIterable<Advisory>;
  /** The options in effect (a `domain` turned into `apiPrefix`). */
  getOptions(): JetStreamOptions;
  /** A JetStream client with the same options. */
  jetstream(): JetStreamClient;
  /** The connection it uses. */
  getConnection(): NatsConnection;
}

/** A handle on one stream (`js.streams.get()`, `jsm.streams.get()`). */
export interface Stream {
  name: string;
  /** The stream's info: read again, or the last one read with `cached`. */
  info(cached?: boolean, opts?: Partial<StreamInfoRequestOptions>): Promise<StreamInfo>;
  alternates(): Promise<StreamAlternate[]>;
  /** The first alternate's handle if there is one, else this one. */
  best(): Promise<Stream>;
  getMessage(query: MsgRequest): Promise<StoredMsg>;
  deleteMessage(seq: number, erase?: boolean): Promise<boolean>;
  /** A consumer of this stream, as `js.consumers.get(stream, name | opts)` gives it. */
  getConsumer(name?: string | Partial<OrderedConsumerOptions>): Promise<Consumer>;
  /** A pull consumer for one of this stream's consumer infos (push ones are refused). */
  getConsumerFromInfo(ci: ConsumerInfo): Consumer;
}

/** `js.streams`. */
export interface Streams {
  get(stream: string): Promise<Stream>;
}

/** `js.consumers`. */
export interface Consumers {
  /**
   * A named pull consumer (its info is read: rejects when it does not exist, or is a push
   * consumer); without a name, or with options, an ordered consumer (the stream must exist).
   */
  get(stream: string, name?: string | Partial<OrderedConsumerOptions>): Promise<Consumer>;
  /** A pull consumer for a consumer's info, at once (push consumers are refused). */
  getPullConsumerFor(ci: ConsumerInfo): Consumer;
}

/** Options of an ordered consumer (`js.consumers.get(stream, opts)`). */
export type OrderedConsumerOptions = {
  /** Prefix of its server consumers' names. */
  name_prefix: string;
  filterSubjects: string[] | string;
  deliver_policy: DeliverPolicy;
  opt_start_seq: number;
  opt_start_time: string;
  replay_policy: ReplayPolicy;
  /** Milliseconds (the config's field is in nanoseconds). */
  inactive_threshold: number;
  headers_only: boolean;
};

/** At most this many messages per pull (default 100). */
export type MaxMessages = {
  max_messages: number;
};
/** At most this many bytes per pull (not with `max_messages`). */
export type MaxBytes = {
  max_bytes: number;
};
/** `consume()`: pull again when this many messages are left of a pull (default 75 %). */
export type ThresholdMessages = {
  threshold_messages: number;
};
/** `consume()`: pull again when this many bytes are left of a pull (default 75 %). */
export type ThresholdBytes = {
  threshold_bytes: number;
};
/** Milliseconds a pull waits on the server (default 30000, at least 1000). */
export type Expires = {
  expires?: number;
};
/**
 * nats.ws: do not check the consumer with info requests. Accepted and ignored by a pull
 * consumer here (it still checks); an ordered consumer refuses it.
 */
export type Bind = {
  bind?: boolean;
};
/** `consume()`: end when the stream or consumer is gone, instead of waiting for it. */
export type AbortOnMissingResource = {
  abort_on_missing_resource?: boolean;
};
/** Milliseconds between the server's heartbeats while idle (default `expires / 2`, at most 30000). */
export type IdleHeartbeat = {
  idle_heartbeat?: number;
};
/** Receives each message of a `consume()` with a callback. */
export type ConsumerCallbackFn = (r: JsMsg) => void;
/** `consume()` into a callback instead of an iterator. */
export type ConsumeCallback = {
  callback?: ConsumerCallbackFn;
};
/** `consume()` options, bounded by bytes. */
export type ConsumeBytes = MaxBytes & Partial<MaxMessages> & Partial<ThresholdBytes> & Expires & IdleHeartbeat &
  ConsumeCallback & AbortOnMissingResource & Bind;
/** `consume()` options, bounded by messages. */
export type ConsumeMessages = Partial<MaxMessages> & Partial<ThresholdMessages> & Expires & IdleHeartbeat &
  ConsumeCallback & AbortOnMissingResource & Bind;
/** Options of `Consumer.consume()`. */
export type ConsumeOptions = ConsumeBytes | ConsumeMessages;
/** `fetch()` options, bounded by bytes. */
export type FetchBytes = MaxBytes & Partial<MaxMessages> & Expires & IdleHeartbeat & Bind;
/** `fetch()` options, bounded by messages. */
export type FetchMessages = Partial<MaxMessages> & Expires & IdleHeartbeat & Bind;
/** Options of `Consumer.fetch()`. */
export type FetchOptions = FetchBytes | FetchMessages;
/** Options of `Consumer.next()`. */
export type NextOptions = Expires & Bind;

/** A notification of `ConsumerMessages.status()`. */
export interface ConsumerStatus {
  type: ConsumerEvents | ConsumerDebugEvents;
  /** Depends on `type`: see {@link ConsumerEvents} and {@link ConsumerDebugEvents}. */
  data: unknown;
}

/**
 * The messages of a `consume()` or `fetch()`: iterate with `for await` (or pass `callback` to
 * `consume()`). Leaving the loop (`break`, `return`, a throw) stops the consumer, and `closed()`
 * resolves.
 */
export interface ConsumerMessages extends AsyncIterable<JsMsg> {
  /** Stops asking the server; what is queued is still yielded. */
  stop(err?: Error): void;
  /** Stops, and resolves as `closed()` does. */
  close(): Promise<void | Error>;
  /** Resolves once the consumer has stopped: `undefined`, or the error that stopped it. */
  closed(): Promise<void | Error>;
  /** Messages handed to the application. */
  getProcessed(): number;
  /** Messages received and not read yet. */
  getPending(): number;
  /** Messages received. */
  getReceived(): number;
  /** Notifications from now on (missed heartbeats, a missing consumer, discarded pulls...). */
  status(): Promise<AsyncIterable<ConsumerStatus>>;
}

/** A consumer to read messages with: a named pull consumer or an ordered consumer. */
export interface Consumer {
  /** The next message, or null when none came within `expires`. */
  next(opts?: NextOptions): Promise<JsMsg | null>;
  /** One batch: ends once `max_messages` (or `max_bytes`) arrived, or at `expires`. */
  fetch(opts?: FetchOptions): Promise<ConsumerMessages>;
  /** Every message: pulls again whenever what is still asked for falls to the thresholds, until stopped. */
  consume(opts?: ConsumeOptions): Promise<ConsumerMessages>;
  /** The consumer's info, read again or (`cached`) as last read. */
  info(cached?: boolean): Promise<ConsumerInfo>;
  /** Deletes the consumer on the server. */
  delete(): Promise<boolean>;
}

/** A message from a JetStream consumer. */
export interface JsMsg {
  /** True when delivered more than once. */
  redelivered: boolean;
  info: DeliveryInfo;
  /** Its stream sequence. */
  seq: number;
  headers: MsgHdrs | undefined;
  data: Uint8Array;
  subject: string;
  sid: number;
  /** Acknowledges it (the first of `ack`, `nak` and `term` is sent; later ones are not). */
  ack(): void;
  /** Asks for it again, after `millis` if given. */
  nak(millis?: number): void;
  /** Resets its ack timer (may be sent several times). */
  working(): void;
  /** Acknowledges it and asks for the next message(s) to be sent to `subj`. */
  next(subj: string, ro?: Partial<PullOptions>): void;
  /** Refuses it for good (`reason`: server 2.11+). */
  term(reason?: string): void;
  /** Acknowledges it and resolves once the server confirmed: true, or false if already acked. */
  ackAck(opts?: Partial<{ timeout: number }>): Promise<boolean>;
  json<T>(): T;
  string(): string;
}

/** Materialized views: Key-Value buckets (`kv`) and object stores (`os`). */
export interface Views {
  /**
   * The bucket `name` (its stream `KV_<name>`): created with `opts` unless it exists, or
   * with `bindOnly`, bound to without looking anything up.
   */
  kv: (name: string, opts?: Partial<KvOptions>) => Promise<KV>;
  /** The object store `name` (its stream `OBJ_<name>`), created with `opts` unless it exists. */
  os: (name: string, opts?: Partial<ObjectStoreOptions>) => Promise<ObjectStore>;
}

// The platform's ReadableStream (the DOM's, or Node.js's) merges with this empty declaration,
// so that programs compiled with neither still read these typings.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-interface
  interface ReadableStream<R = any> {}
}

/** Where a link points: a bucket, or an object (`name`) in it. */
export type ObjectStoreLink = {
  bucket: string;
  name?: string;
};
/** An object's options: a link, or the size of its chunks (default 128 KiB). */
export type ObjectStoreMetaOptions = {
  link?: ObjectStoreLink;
  max_chunk_size?: number;
};
/** What names and describes an object. */
export type ObjectStoreMeta = {
  name: string;
  description?: string;
  headers?: MsgHdrs;
  options?: ObjectStoreMetaOptions;
  metadata?: Record<string, string>;
};
/** An object's info as stored. */
export interface ObjectInfo extends ObjectStoreMeta {
  bucket: string;
  nuid: string;
  size: number;
  chunks: number;
  /** `SHA-256=<base64url>` of the data. */
  digest: string;
  deleted: boolean;
  /** When it was put (ISO 8601). */
  mtime: string;
  revision: number;
}
/** A link's target. */
export interface ObjectLink {
  bucket: string;
  name?: string;
}
/** `os.status()`: the bucket's stream info, in object store terms. */
export type ObjectStoreStatus = {
  bucket: string;
  description: string;
  ttl: Nanos;
  storage: StorageType;
  replicas: number;
  sealed: boolean;
  /** Bytes stored. */
  size: number;
  backingStore: string;
  streamInfo: StreamInfo;
  metadata?: Record<string, string> | undefined;
  compression: boolean;
};
/** @deprecated Use `ObjectStoreStatus`. */
export type ObjectStoreInfo = ObjectStoreStatus;
/** Options of `js.views.os()`. */
export type ObjectStoreOptions = {
  description?: string;
  ttl?: Nanos;
  storage: StorageType;
  replicas: number;
  "max_bytes": number;
  metadata?: Record<string, string>;
  compression?: boolean;
};
/**
 * `os.get()`: the info, the data as it comes, and `error`, resolving when the data ended:
 * with the error that ended it (a digest that does not match), else with nothing.
 */
export type ObjectResult = {
  info: ObjectInfo;
  data: ReadableStream<Uint8Array>;
  error: Promise<Error | null>;
};
/** Options of `os.put()`: `previousRevision` makes it fail unless it is the object's last. */
export type ObjectStorePutOpts = {
  timeout?: number;
  previousRevision?: number;
};
/** An object store: from `js.views.os()`. */
export interface ObjectStore {
  info(name: string): Promise<ObjectInfo | null>;
  /** The objects there are (not deleted). */
  list(): Promise<ObjectInfo[]>;
  /** The object (links followed), its data streamed; null when there is none. */
  get(name: string): Promise<ObjectResult | null>;
  /** The object's data whole; rejects when its digest does not match. */
  getBlob(name: string): Promise<Uint8Array | null>;
  /** Stores the stream's data in chunks, never holding it whole. */
  put(meta: ObjectStoreMeta, rs: ReadableStream<Uint8Array>, opts?: ObjectStorePutOpts): Promise<ObjectInfo>;
  putBlob(meta: ObjectStoreMeta, data: Uint8Array | null, opts?: ObjectStorePutOpts): Promise<ObjectInfo>;
  /** Marks the object deleted and purges its data. */
  delete(name: string): Promise<PurgeResponse>;
  link(name: string, meta: ObjectInfo): Promise<ObjectInfo>;
  linkStore(name: string, bucket: ObjectStore): Promise<ObjectInfo>;
  /** Infos as they change (`includeHistory`: the current ones first, then a null). */
  watch(opts?: Partial<{ ignoreDeletes?: boolean; includeHistory?: boolean }>): Promise<QueuedIterator<ObjectInfo | null>>;
  /** No more changes. */
  seal(): Promise<ObjectStoreStatus>;
  status(opts?: Partial<StreamInfoRequestOptions>): Promise<ObjectStoreStatus>;
  /** Changes an object's info (or name). */
  update(name: string, meta: Partial<ObjectStoreMeta>): Promise<PubAck>;
  destroy(): Promise<boolean>;
}

/** An entry of a KV bucket: a key's value at one revision, or its delete or purge marker. */
export interface KvEntry {
  bucket: string;
  key: string;
  value: Uint8Array;
  created: Date;
  /** The stream sequence of this entry. */
  revision: number;
  /** In a watch: how many entries the server still had to deliver after this one. */
  delta?: number;
  operation: "PUT" | "DEL" | "PURGE";
  /** The value's size (the original size when the watch was `headers_only`). */
  length: number;
  json<T>(): T;
  string(): string;
}

/** Encodes and decodes keys (token by token) or values. */
export interface KvCodec<T> {
  encode(k: T): T;
  decode(k: T): T;
}

/** A bucket's key and value codecs (nats.ws applies only the key codec). */
export interface KvCodecs {
  key: KvCodec<string>;
  value: KvCodec<Uint8Array>;
}

/** The limits a bucket is created with, and reported in its status. */
export interface KvLimits {
  description: string;
  replicas: number;
  /** Revisions kept per key (1 to 64). */
  history: number;
  max_bytes: number;
  /** @deprecated Use `max_bytes`. */
  maxBucketSize: number;
  /** The largest value a put may store (refused before it is sent when larger). */
  maxValueSize: number;
  /** How long (ms) a value lives. */
  ttl: number;
  storage: StorageType;
  placement: Placement;
  republish: Republish;
  mirror?: StreamSource;
  sources?: StreamSource[];
  /** @deprecated Use `placement`. */
  placementCluster: string;
  /** @deprecated Use `storage`. */
  backingStore: StorageType;
  compression?: boolean;
}

/** `kv.status()`: the bucket's stream info, in KV terms. */
export interface KvStatus extends KvLimits {
  bucket: string;
  /** Entries stored (values, markers and kept revisions). */
  values: number;
  bucket_location: string;
  streamInfo: StreamInfo;
  /** Bytes stored. */
  size: number;
  metadata?: Record<string, string>;
}

/** Options of `js.views.kv()`. */
export interface KvOptions extends KvLimits {
  timeout: number;
  /** The stream's name, when it is not `KV_<bucket>`. */
  streamName: string;
  codec: KvCodecs;
  /** Binds to the bucket without looking it up or creating it. */
  bindOnly: boolean;
  /** Reads with direct gets (default: when the server has them, 2.9+). */
  allow_direct: boolean;
  metadata?: Record<string, string>;
}

/** Options of `kv.put()`: `previousSeq` makes the put fail unless it is the key's last revision. */
export interface KvPutOptions {
  previousSeq: number;
}

/** Options of `kv.delete()` and `kv.purge()`. */
export interface KvDeleteOptions {
  previousSeq: number;
}

/** Options of `kv.watch()`. */
export type KvWatchOptions = {
  /** The key, or keys, to watch; '*' and '>' tokens match as in subjects. Default: all. */
  key?: string | string[];
  /** Entries without values (their `length` is the value's). */
  headers_only?: boolean;
  /** Called once the values that existed when the watch started have been read. */
  initializedFn?: () => void;
  /** Leaves deletes out. */
  ignoreDeletes?: boolean;
  /** Current values (default), every revision kept, or only what changes from now on. */
  include?: KvWatchInclude;
  /** Starts at this revision (a watcher that kept its place). */
  resumeFromRevision?: number;
};

/** The read side of a bucket. */
export interface RoKV {
  /** The key's last entry (or the one at `revision`), or null if it never had one. */
  get(k: string, opts?: { revision: number }): Promise<KvEntry | null>;
  /** Every kept revision of the matching keys (default all), then the iterator ends. */
  history(opts?: { key?: string | string[] }): Promise<QueuedIterator<KvEntry>>;
  /**
   * The matching keys' entries as they are, then every change as it happens, in order, across
   * reconnects and server restarts (an ordered consumer).
   */
  watch(opts?: KvWatchOptions): Promise<QueuedIterator<KvEntry>>;
  close(): Promise<void>;
  status(): Promise<KvStatus>;
  /** The keys that hold a value (not deleted or purged), matching `filter` (default all). */
  keys(filter?: string | string[]): Promise<QueuedIterator<string>>;
}

/** A Key-Value bucket: from `js.views.kv()`. */
export interface KV extends RoKV {
  /** Puts a value only if the key has none (or was deleted or purged): its revision. */
  create(k: string, data: Payload): Promise<number>;
  /** Puts a value only if `version` is the key's last revision. */
  update(k: string, data: Payload, version: number): Promise<number>;
  /** Puts a value: its revision. */
  put(k: string, data: Payload, opts?: Partial<KvPutOptions>): Promise<number>;
  /** Marks the key (or the keys a wildcard matches) deleted; its history is kept. */
  delete(k: string, opts?: Partial<KvDeleteOptions>): Promise<void>;
  /** Marks the key (or the keys a wildcard matches) purged, dropping its history. */
  purge(k: string, opts?: Partial<KvDeleteOptions>): Promise<void>;
  /** Deletes the bucket and everything in it. */
  destroy(): Promise<boolean>;
}

/** A callback of the deprecated `js.subscribe()`. */
export type JsMsgCallback = (err: NatsError | null, msg: JsMsg | null) => void;

/** The options of the deprecated `js.subscribe()` and `js.pullSubscribe()`. */
export interface ConsumerOpts {
  config: Partial<ConsumerConfig>;
  /** The application acks (no automatic acks). */
  mack: boolean;
  stream: string;
  callbackFn?: JsMsgCallback;
  name?: string;
  ordered: boolean;
  max?: number;
  queue?: string;
  isBind?: boolean;
}

/** Builds {@link ConsumerOpts}: made by {@link consumerOpts}. Durations are in milliseconds. */
export interface ConsumerOptsBuilder {
  description(description: string): this;
  deliverTo(subject: string): this;
  durable(name: string): this;
  startSequence(seq: number): this;
  startTime(time: Date): this;
  deliverAll(): this;
  deliverLastPerSubject(): this;
  deliverLast(): this;
  deliverNew(): this;
  startAtTimeDelta(millis: number): this;
  headersOnly(): this;
  ackNone(): this;
  ackAll(): this;
  ackExplicit(): this;
  ackWait(millis: number): this;
  maxDeliver(max: number): this;
  /** Adds a filter subject (several are allowed). */
  filterSubject(s: string): this;
  replayInstantly(): this;
  replayOriginal(): this;
  /** The percentage (0-100) of acks sampled. */
  sample(n: number): this;
  limit(bps: number): this;
  maxWaiting(max: number): this;
  maxAckPending(max: number): this;
  idleHeartbeat(millis: number): this;
  flowControl(): this;
  deliverGroup(name: string): this;
  manualAck(): this;
  maxMessages(max: number): this;
  queue(n: string): this;
  callback(fn: JsMsgCallback): this;
  orderedConsumer(): this;
  bind(stream: string, durable: string): this;
  bindStream(stream: string): this;
  maxPullBatch(n: number): this;
  maxPullRequestExpires(millis: number): this;
  inactiveEphemeralThreshold(millis: number): this;
  memory(): this;
  numReplicas(n: number): this;
  consumerName(n: string): this;
}

/**
 * A consumer options builder: `opts` over the defaults (deliver all, explicit acks with a 30 s
 * wait, instant replay).
 */
export declare function consumerOpts(opts?: Partial<ConsumerConfig>): ConsumerOptsBuilder;

/** Deletes a resource on the server. */
export interface Destroyable {
  destroy(): Promise<void>;
}
/** Resolves when closed. */
export interface Closed {
  closed: Promise<void>;
}
/** Reads a consumer's info. */
export interface ConsumerInfoable {
  consumerInfo(): Promise<ConsumerInfo>;
}
/** Asks the server for more messages. */
export interface Pullable {
  pull(opts?: Partial<PullOptions>): void;
}
/** The subscription of the deprecated `js.subscribe()`. */
export type JetStreamSubscription = Sub<JsMsg> & Destroyable & Closed & ConsumerInfoable;
/** The subscription of the deprecated `js.pullSubscribe()`. */
export type JetStreamPullSubscription = JetStreamSubscription & Pullable;

/** A JetStream client: from `nc.jetstream()`. */
export interface JetStreamClient {
  /**
   * Publishes to a stream and resolves with its acknowledgement. Rejects with code `503` when
   * no stream stores `subj`, with an API error (`api_error` set) when `expect` fails.
   */
  publish(subj: string, payload?: Payload, options?: Partial<JetStreamPublishOptions>): Promise<PubAck>;
  /**
   * One message of a pull consumer; without `expires`, rejects with code `404` when there is
   * none, else with `408` when none came in time.
   * @deprecated Use `Consumer.next()`.
   */
  pull(stream: string, consumer: string, expires?: number): Promise<JsMsg>;
  /**
   * One pull of up to `batch` messages; needs `expires` or `no_wait`.
   * @deprecated Use `Consumer.fetch()`.
   */
  fetch(stream: string, durable: string, opts?: Partial<PullOptions>): QueuedIterator<JsMsg>;
  /**
   * A subscription filled by its `pull()`. The consumer is created unless its durable exists
   * (with `bind()`, it must).
   * @deprecated Use `Consumer.fetch()` or `Consumer.consume()`.
   */
  pullSubscribe(subject: string, opts: ConsumerOptsBuilder | Partial<ConsumerOpts>): Promise<JetStreamPullSubscription>;
  /**
   * A push consumer's messages as a subscription (ordered with `orderedConsumer()`). The
   * consumer is created unless its durable exists (with `bind()`, it must).
   * @deprecated Use `Consumer.fetch()` or `Consumer.consume()`.
   */
  subscribe(subject: string, opts: ConsumerOptsBuilder | Partial<ConsumerOpts>): Promise<JetStreamSubscription>;
  views: Views;
  /** The API prefix in effect (from `apiPrefix` or `domain`). */
  apiPrefix: string;
  consumers: Consumers;
  streams: Streams;
  /** A manager with the same options. */
  jetstreamManager(checkAPI?: boolean): Promise<JetStreamManager>;
  /** The options in effect. */
  getOptions(): JetStreamOptions;
  /** The connection it uses. */
  getConnection(): NatsConnection;
}

// Only the declarations marked `export` above are the package's API.
export {};
