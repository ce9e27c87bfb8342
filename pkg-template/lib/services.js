// The parts of the NATS micro-services API that nats.ws exports at the top level.

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
