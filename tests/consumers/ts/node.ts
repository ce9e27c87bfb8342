// A Node.js program type-checked without the DOM lib (lib: es2022 only, no @types): the
// package's typings must not need DOM names.
import { connect, headers, init, JSONCodec, StringCodec } from "nats-wasm";
import type { InitInput, Msg, NatsConnection, Subscription } from "nats-wasm";

interface Reading {
  sensor: string;
  value: number;
}

export async function main(servers: string, wasm: Uint8Array): Promise<Reading[]> {
  const source: InitInput = wasm;
  await init(source);
  const nc: NatsConnection = await connect({ servers, name: "node-typed" });
  const jc = JSONCodec<Reading>();
  const sc = StringCodec();
  const sub: Subscription = nc.subscribe("readings.>", { max: 2 });
  const h = headers();
  h.set("Unit", "C");
  nc.publish("readings.a", jc.encode({ sensor: "a", value: 21.5 }), { headers: h });
  nc.publish("readings.b", jc.encode({ sensor: "b", value: 19 }));
  const out: Reading[] = [];
  for await (const m of sub) {
    const msg: Msg = m;
    out.push(jc.decode(msg.data));
  }
  const reply = await nc.request("time", sc.encode("now"), { timeout: 1000 });
  out.push({ sensor: sc.decode(reply.data), value: 0 });
  await nc.drain();
  return out;
}
