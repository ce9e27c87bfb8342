// nats.ws `nc.services.client()`: finds services with the discovery verbs. Each call is one
// request to `$SRV.<verb>[.<name>[.<id>]]` that every matching service answers; the answers
// come as an iterator of their JSON documents, which ends when the requests' strategy does.
import { lib } from "../shared.js";
import { ServiceVerb } from "./protocol.js";
import { controlSubject } from "./service.js";

/** nats.ws `ServiceClient`. */
class ServiceClient {
  constructor(nc, opts = { strategy: "jitterTimer", maxWait: 2000 }, prefix) {
    this.nc = nc;
    this.opts = opts;
    this.prefix = prefix;
  }
  ping(name = "", id = "") {
    return this.q(ServiceVerb.PING, name, id);
  }
  stats(name = "", id = "") {
    return this.q(ServiceVerb.STATS, name, id);
  }
  info(name = "", id = "") {
    return this.q(ServiceVerb.INFO, name, id);
  }
  async q(verb, name = "", id = "") {
    const iter = new lib.QueuedIterator();
    const subject = controlSubject(verb, name, id, this.prefix);
    const responses = await this.nc.requestMany(subject, lib.Empty, this.opts);
    (async () => {
      for await (const m of responses) {
        let doc;
        try {
          doc = lib.JSONCodec().decode(m.data);
        } catch (err) {
          // What was read before stays; then the iterator throws.
          return iter.stop(err);
        }
        iter.push(doc);
      }
      iter.stop();
    })().catch((err) => iter.stop(err));
    return iter;
  }
}

/** The services client of `nc` (`opts`: the requests' strategy, by default 2 s with jitter). */
export function serviceClient(nc, opts, prefix) {
  return new ServiceClient(nc, opts, prefix);
}
