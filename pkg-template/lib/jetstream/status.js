// The main module's JetStream status checks (exported as by nats.ws): lib/jetstream/checks.js
// with the main module's NatsError. Made on first use, so apps that never call them do not
// keep them.
import { ErrorCode } from "../enums.js";
import { NatsError } from "../errors.js";
import { statusChecks } from "./checks.js";

let checks = null;
const made = () => (checks ??= statusChecks(NatsError, ErrorCode));

export { isFlowControlMsg, isHeartbeatMsg } from "./checks.js";

/** The error an empty status message (404, 408, 409, 503…) stands for; null for none. */
export const checkJsError = (msg) => made().checkJsError(msg);

/** A JetStream status code and its description as the error nats.ws makes of them. */
export const checkJsErrorCode = (code, description) => made().checkJsErrorCode(code, description);
