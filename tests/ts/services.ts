// nats.ws-style services code written against the "nats-wasm" typings. Type-checked only
// (tsc -p tests/ts): it must also compile unchanged against nats.ws 1.30.3's typings.
import { connect, JSONCodec, RequestStrategy, ServiceError, ServiceErrorCodeHeader, StringCodec } from "nats-wasm";
import type { Service, ServiceConfig, ServiceInfo, ServiceMsg, ServiceStats } from "nats-wasm";

const sc = StringCodec();
const jc = JSONCodec<number[]>();

export async function servicesMain(): Promise<void> {
  const nc = await connect({ servers: "ws://localhost:8080" });
  const config: ServiceConfig = {
    name: "calc",
    version: "1.0.0",
    metadata: { team: "web" },
    statsHandler: async () => ({ ok: true }),
  };
  const srv: Service = await nc.services.add(config);
  srv.addEndpoint("sum", (err, m: ServiceMsg) => {
    if (err) return;
    const [a, b] = jc.decode(m.data);
    m.respond(sc.encode(String(a + b)));
  });
  srv.addGroup("math").addEndpoint("fail", {
    handler: (_err, m) => m.respondError(400, "bad", sc.encode("detail")),
    metadata: { kind: "demo" },
  });
  const it = srv.addEndpoint("echo");
  (async () => {
    for await (const m of it) m.respond(m.data);
  })();
  const reply = await nc.request("math.fail", sc.encode("x"));
  console.log(reply.headers?.get(ServiceErrorCodeHeader), ServiceError.toServiceError(reply)?.code);
  const client = nc.services.client({ strategy: RequestStrategy.Timer, maxWait: 1000 });
  for await (const i of await client.info("calc")) {
    const info: ServiceInfo = i;
    console.log(info.endpoints.map((e) => e.subject));
  }
  for await (const s of await client.stats()) {
    const stats: ServiceStats = s;
    console.log(stats.endpoints?.map((e) => e.num_requests));
  }
  for await (const p of await client.ping("calc")) console.log(p.id, p.version);
  srv.reset();
  console.log(srv.info().name, srv.ping().id, (await srv.stats()).started, srv.isStopped);
  const err = await srv.stop();
  console.log(err, await srv.stopped);
  await nc.close();
}
