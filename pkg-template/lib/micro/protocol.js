// The NATS services protocol's names (nats.ws exports these at the top level): plain values,
// so the main module and the services chunk each keep a copy.

/** The discovery subjects' prefix: `$SRV.<verb>[.<name>[.<id>]]`. */
export const ServiceApiPrefix = "$SRV";

/** Header carrying a service error description. */
export const ServiceErrorHeader = "Nats-Service-Error";
/** Header carrying a service error code. */
export const ServiceErrorCodeHeader = "Nats-Service-Error-Code";

/** Response types of the NATS micro-services protocol. */
export const ServiceResponseType = {
  STATS: "io.nats.micro.v1.stats_response",
  INFO: "io.nats.micro.v1.info_response",
  PING: "io.nats.micro.v1.ping_response",
};

/** Verbs of the NATS micro-services protocol. */
export const ServiceVerb = { PING: "PING", STATS: "STATS", INFO: "INFO" };
