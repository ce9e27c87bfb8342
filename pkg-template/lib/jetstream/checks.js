// nats.ws's checks of JetStream status messages (`isFlowControlMsg`, `isHeartbeatMsg`,
// `checkJsError`). One source for the main module's exports (lib/jetstream/status.js) and
// the JetStream chunk: the errors they make must be of the main module's NatsError class,
// which each is given, so this module imports nothing.

/** True for a JetStream control message (empty, status 1xx): flow control or idle heartbeat. */
export function isFlowControlMsg(msg) {
  const h = msg.headers;
  return msg.data.length === 0 && !!h && h.code >= 100 && h.code < 200;
}

/** True for an idle heartbeat (a control message described "Idle Heartbeat"). */
export function isHeartbeatMsg(msg) {
  return isFlowControlMsg(msg) && msg.headers?.description === "Idle Heartbeat";
}

/** `checkJsError` and `checkJsErrorCode`, making errors of class `NatsError` (codes: `ErrorCode`). */
export function statusChecks(NatsError, ErrorCode) {
  /**
   * A JetStream status code and its description as nats.ws reports them: null below 300; the
   * description lower-cased as the message; code "404", "408", "409" (or `IDLE_HEARTBEAT` for
   * missed heartbeats), "503" with message "503" (the description chained), or the number.
   */
  function checkJsErrorCode(code, description = "") {
    if (code < 300) return null;
    description = description.toLowerCase();
    switch (code) {
      case 404:
        return new NatsError(description, ErrorCode.JetStream404NoMessages);
      case 408:
        return new NatsError(description, ErrorCode.JetStream408RequestTimeout);
      case 409:
        return new NatsError(description, description.startsWith("idle heartbeats missed")
          ? ErrorCode.JetStreamIdleHeartBeat
          : ErrorCode.JetStream409);
      case 503:
        return NatsError.errorForCode(ErrorCode.JetStreamNotEnabled, new Error(description));
      default:
        return new NatsError(description || ErrorCode.Unknown, `${code}`);
    }
  }
  /** The error an empty status message (404, 408, 409, 503…) stands for; null for none. */
  function checkJsError(msg) {
    const h = msg.data.length === 0 ? msg.headers : undefined;
    return h ? checkJsErrorCode(h.code, h.description) : null;
  }
  return { checkJsError, checkJsErrorCode };
}
