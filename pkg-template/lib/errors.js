// NatsError and the ways errors reach it: a code from the wasm core ("<code> <message>"),
// a server's -ERR text, or anything thrown on the way.
import { FAILED } from "./interface.js";
import { ErrorCode } from "./enums.js";

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

/** A NatsError with the standard message for `code`. */
export const codeError = (code) => NatsError.errorForCode(code);

/**
 * A `WasmConnection` method's result. FAILED (-1) means it failed: its error is thrown, a
 * NatsError.
 */
export function ok(conn, result) {
  if (result === FAILED) throw fromCore(conn.takeError());
  return result;
}

/**
 * Turns what the wasm core reports (a `"<code> <message>"` string) or anything else thrown on
 * the way into a NatsError.
 */
export function fromCore(e) {
  if (e instanceof NatsError) return e;
  // The wasm reports its errors as "<code> <message>" strings (src/wasm/client.rs, `to_js_error`).
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

/** What a permissions violation names: `{ operation, subject, queue }`. */
function permissionContext(text) {
  const m = /permissions violation for (publish|subscription) to "(\S+)"/i.exec(text);
  if (!m) return undefined;
  const q = /using queue "(\S+)"/i.exec(text);
  // `queue` is always present (undefined without a queue), as in nats.ws.
  return { operation: m[1].toLowerCase(), subject: m[2], queue: q ? q[1] : undefined };
}

/** An `INVALID_OPTION` error. */
export function invalidOption(msg) {
  return new NatsError(msg, ErrorCode.InvalidOption);
}
