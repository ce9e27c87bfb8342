// The nats.ws enums, with their exact strings: what users compare against.

/** Status events reported by `status()`. */
export const Events = {
  Disconnect: "disconnect",
  Reconnect: "reconnect",
  Update: "update",
  LDM: "ldm",
  Error: "error",
};

/** Debug status events reported by `status()`. */
export const DebugEvents = {
  Reconnecting: "reconnecting",
  PingTimer: "pingTimer",
  StaleConnection: "staleConnection",
  ClientInitiatedReconnect: "client initiated reconnect",
  /** An iterator subscription fell behind its pending limits and dropped messages. */
  SlowConsumer: "slowConsumer",
};

/** Error codes carried by `NatsError.code`. */
export const ErrorCode = {
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
  /** Not in nats.ws: the bytes not yet taken by a slow server reached their bound (64 MiB). */
  OutboundBufferFull: "OUTBOUND_BUFFER_FULL",
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
};

/** How header keys are matched. */
export const Match = {
  Exact: 0,
  CanonicalMIME: 1,
  IgnoreCase: 2,
  0: "Exact",
  1: "CanonicalMIME",
  2: "IgnoreCase",
};

/** How `requestMany` decides it is done. */
export const RequestStrategy = {
  Timer: "timer",
  Count: "count",
  JitterTimer: "jitterTimer",
  SentinelMsg: "sentinelMsg",
};
