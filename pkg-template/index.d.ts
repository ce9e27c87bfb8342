// Type definitions for nats-wasm: the nats.ws 1.x core API (names and shapes as in nats.ws).

/** Events reported by `NatsConnection.status()`. */
export declare enum Events {
  Disconnect = "disconnect",
  Reconnect = "reconnect",
  Update = "update",
  LDM = "ldm",
  Error = "error",
}

/** Debug events reported by `NatsConnection.status()`. */
export declare enum DebugEvents {
  Reconnecting = "reconnecting",
  PingTimer = "pingTimer",
  StaleConnection = "staleConnection",
  ClientInitiatedReconnect = "client initiated reconnect",
  /** An iterator subscription fell behind its pending limits and dropped messages. */
  SlowConsumer = "slowConsumer",
}

/** Values of `NatsError.code`. */
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
  Timer = "timer",
  Count = "count",
  JitterTimer = "jitterTimer",
  SentinelMsg = "sentinelMsg",
}

/** Context of a permissions violation reported by the server. */
export interface PermissionContext {
  operation: string;
  subject: string;
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
  permissionContext?: PermissionContext;
  chainedError?: Error;
  api_error?: ApiError;
  constructor(message: string, code: string, chainedError?: Error);
  static errorForCode(code: string, chainedError?: Error): NatsError;
  isAuthError(): boolean;
  isAuthTimeout(): boolean;
  isPermissionError(): boolean;
  isProtocolError(): boolean;
  isJetStreamError(): boolean;
  jsError(): ApiError | null;
}

/** True when `err` carries a NATS error code. */
export declare function isNatsError(err: NatsError | Error): err is NatsError;

/** Converts values to and from message payloads. */
export interface Codec<T> {
  encode(d: T): Uint8Array;
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
  get(k: string, match?: Match): string;
  set(k: string, v: string, match?: Match): void;
  append(k: string, v: string, match?: Match): void;
  has(k: string, match?: Match): boolean;
  keys(): string[];
  values(k: string, match?: Match): string[];
  delete(k: string, match?: Match): void;
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
  reply?: string;
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
  subject: string;
  sid: number;
  /** The reply subject, or "" when there is none. */
  reply?: string;
  data: Uint8Array;
  /** `undefined` when the message has no headers. */
  headers?: MsgHdrs;
  /** Publishes to `reply`; false when there is no reply subject. */
  respond(data?: Payload, opts?: PublishOptions): boolean;
  json<T = unknown>(reviver?: (this: unknown, key: string, value: unknown) => unknown): T;
  string(): string;
  requestInfo(): RequestInfo | null;
}

/** A subscription callback. */
export type MsgCallback<T> = (err: NatsError | null, msg: T) => void;

/** Options for `subscribe`. */
export interface SubOpts<T> {
  queue?: string;
  /** Unsubscribe automatically after this many messages. */
  max?: number;
  /** Milliseconds to wait for the first message before ending with `TIMEOUT`. */
  timeout?: number;
  /** Messages an unread iterator keeps before dropping new ones (default 65536). */
  pendingMsgs?: number;
  /** Bytes of payload an unread iterator keeps before dropping new ones (default 64 MiB). */
  pendingBytes?: number;
  callback?: MsgCallback<T>;
}

/** Options for `subscribe` with `Msg` messages. */
export type SubscriptionOptions = SubOpts<Msg>;

/** An async iterator fed by the connection. */
export interface QueuedIterator<T> extends AsyncIterable<T> {
  stop(err?: Error): void;
  getProcessed(): number;
  getPending(): number;
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
  unsubscribe(max?: number): void;
  drain(): Promise<void>;
  isDraining(): boolean;
  isClosed(): boolean;
  getSubject(): string;
  getMax(): number | undefined;
  getID(): number;
}

/** A subscription delivering `Msg`. */
export type Subscription = Sub<Msg>;

/** Options for `request`. */
export interface RequestOptions {
  /** Milliseconds to wait (default 1000). */
  timeout: number;
  headers?: MsgHdrs;
  /** Use a dedicated inbox instead of the shared one. */
  noMux?: boolean;
  /** The reply subject to use; requires `noMux`. */
  reply?: string;
}

/** Options for `requestMany`. */
export interface RequestManyOptions {
  strategy: RequestStrategy;
  maxWait: number;
  headers?: MsgHdrs;
  maxMessages?: number;
  noMux?: boolean;
  jitter?: number;
}

/** Traffic counters. */
export interface Stats {
  inBytes: number;
  outBytes: number;
  inMsgs: number;
  outMsgs: number;
}

/** A status event. */
export interface Status {
  type: Events | DebugEvents;
  data: string | ServersChanged | number | SlowConsumerInfo;
  permissionContext?: PermissionContext;
}

/** The data of a `slowConsumer` status event. */
export interface SlowConsumerInfo {
  subject: string;
  sid: number;
  pending: number;
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
  /** Resolves when the connection closes: `undefined`, or the error that closed it. */
  closed(): Promise<void | Error>;
  close(): Promise<void>;
  publish(subject: string, payload?: Payload, options?: PublishOptions): void;
  publishMessage(msg: Msg): void;
  respondMessage(msg: Msg): boolean;
  subscribe(subject: string, opts?: SubscriptionOptions): Subscription;
  request(subject: string, payload?: Payload, opts?: RequestOptions): Promise<Msg>;
  requestMany(subject: string, payload?: Payload, opts?: Partial<RequestManyOptions>): Promise<AsyncIterable<Msg>>;
  flush(): Promise<void>;
  drain(): Promise<void>;
  isClosed(): boolean;
  isDraining(): boolean;
  getServer(): string;
  status(): AsyncIterable<Status>;
  stats(): Stats;
  rtt(): Promise<number>;
  getServerVersion(): SemVer | undefined;
  reconnect(): Promise<void>;
}

/** Credentials for one connect: what an authenticator returns. */
export type Auth = NoAuth | TokenAuth | UserPass | NKeyAuth | JwtAuth;
export type NoAuth = void;
export interface TokenAuth {
  auth_token: string;
}
export interface UserPass {
  user: string;
  pass?: string;
}
export interface NKeyAuth {
  nkey: string;
  sig: string;
}
export interface JwtAuth {
  jwt: string;
  nkey?: string;
  sig?: string;
}
/** Called at every connect with the server nonce. */
export type Authenticator = (nonce?: string) => Auth;

export declare function usernamePasswordAuthenticator(user: string | (() => string), pass?: string | (() => string)): Authenticator;
export declare function tokenAuthenticator(token: string | (() => string)): Authenticator;
export declare function nkeyAuthenticator(seed?: Uint8Array | (() => Uint8Array)): Authenticator;
export declare function jwtAuthenticator(jwt: string | (() => string), seed?: Uint8Array | (() => Uint8Array)): Authenticator;
export declare function credsAuthenticator(creds: Uint8Array | (() => Uint8Array)): Authenticator;
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
  authenticator?: Authenticator | Authenticator[];
  debug?: boolean;
  /** Unanswered pings before the connection is stale (default 2). */
  maxPingOut?: number;
  maxReconnectAttempts?: number;
  name?: string;
  noEcho?: boolean;
  noRandomize?: boolean;
  pass?: string;
  pedantic?: boolean;
  /** Milliseconds between client pings (default 120000). */
  pingInterval?: number;
  port?: number;
  reconnect?: boolean;
  reconnectDelayHandler?: () => number;
  reconnectJitter?: number;
  reconnectJitterTLS?: number;
  reconnectTimeWait?: number;
  /** `ws://host:port`, `wss://...`, or a bare `host:port` (meaning `wss://`). */
  servers?: Array<string> | string;
  /** Milliseconds for the connection handshake (default 20000). */
  timeout?: number;
  tls?: TlsOptions | null;
  token?: string;
  user?: string;
  verbose?: boolean;
  waitOnFirstConnect?: boolean;
  ignoreClusterUpdates?: boolean;
  /** Prefix for inboxes (default `_INBOX`). */
  inboxPrefix?: string;
  ignoreAuthErrorAbort?: boolean;
  noAsyncTraces?: boolean;
  resolve?: boolean;
  /** Bytes of publishes kept while reconnecting (default 8 MiB). */
  reconnectBufSize?: number;
  /**
   * Makes the WebSocket for a server URL, instead of `new WebSocket(url)`: for runtimes
   * without a global WebSocket, or a custom one. It must return an object with the browser
   * WebSocket interface (`binaryType`, `send`, `close`, `onmessage`, `onclose`...).
   */
  wsFactory?: (url: string) => unknown;
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
export declare function deferred<T>(): Deferred<T>;
/** A cancellable delay. */
export interface Delay extends Promise<void> {
  cancel: () => void;
}
export declare function delay(ms?: number): Delay;
export declare function deadline<T>(p: Promise<T>, millis?: number): Promise<T>;
export type Nanos = number;
export declare function nanos(millis: number): Nanos;
export declare function millis(ns: Nanos): number;
export interface Backoff {
  backoff(attempt: number): number;
}
export declare function backoff(policy?: number[]): Backoff;
export interface SyncIterator<T> {
  next(): Promise<T | null>;
}
export declare function syncIterator<T>(src: AsyncIterable<T>): SyncIterator<T>;

export declare const ServiceErrorHeader = "Nats-Service-Error";
export declare const ServiceErrorCodeHeader = "Nats-Service-Error-Code";
export declare enum ServiceResponseType {
  STATS = "io.nats.micro.v1.stats_response",
  INFO = "io.nats.micro.v1.info_response",
  PING = "io.nats.micro.v1.ping_response",
}
export declare enum ServiceVerb {
  PING = "PING",
  STATS = "STATS",
  INFO = "INFO",
}
export declare class ServiceError extends Error {
  code: number;
  constructor(code: number, message: string);
  static isServiceError(msg: Msg): boolean;
  static toServiceError(msg: Msg): ServiceError | null;
}

// Only the declarations marked `export` above are the package's API.
export {};
