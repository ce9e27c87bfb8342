// The NATS services framework as the main module has it: the names nats.ws exports at the
// top level, ServiceError (the services chunk knows it by its class name), and
// `nc.services`, whose code (pkg/micro.js) loads on first use.

import { ServiceErrorCodeHeader, ServiceErrorHeader } from "./micro/protocol.js";
import { loadMicro } from "./chunks.js";

export { ServiceErrorCodeHeader, ServiceErrorHeader, ServiceResponseType, ServiceVerb } from "./micro/protocol.js";

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

/**
 * nats.ws `nc.services`: `add(config)` resolves to a started service, `client(opts, prefix)`
 * finds services (`ping`, `info`, `stats`); both load the services code first, once per page.
 */
export function servicesFactory(nc) {
  return {
    add: (config) => loadMicro().then((m) => m.addService(nc, config)),
    client: (opts, prefix) => {
      const call = (verb) => (name, id) => loadMicro().then((m) => m.serviceClient(nc, opts, prefix)[verb](name, id));
      return { ping: call("ping"), info: call("info"), stats: call("stats") };
    },
  };
}
