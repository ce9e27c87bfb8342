// Issue 18's additions written against the "nats-wasm" typings (this package's own API, so
// it is checked against ours only): readers, listeners and the connection pool.
import { connect, ConnectionsPool, DebugEvents, Events, tokenAuthenticator } from "nats-wasm";
import type { DrainProgress, Msg, ReaderStats, SlowConsumerInfo, SubscriptionReader } from "nats-wasm";

export async function readersMain(): Promise<void> {
  const nc = await connect({ servers: "ws://localhost:8080" });
  const sub = nc.subscribe("prices.>", { pendingMsgs: 10_000 });
  const fast: SubscriptionReader<Msg> = sub.createReader();
  const slow = sub.createReader();
  (async () => {
    for await (const m of fast) console.log(m.subject, fast.getBackpressure());
  })();
  const stats: ReaderStats[] = sub.getReaderStats();
  if (stats.some((r) => r.backpressure > 5_000)) sub.killReader(slow.id);
  const first: Msg = await sub.once(1_000);
  console.log(first.string(), sub.getBackpressure(), slow.getDropped());
  for await (const s of nc.listener(DebugEvents.SlowConsumer)) {
    const info = s.data as SlowConsumerInfo;
    if (info.reader !== undefined) sub.killReader(info.reader);
    break;
  }
  console.log(nc.getListenerBackpressure(Events.Reconnect));
  nc.closeListener(Events.Reconnect);
  nc.killListener();
  sub.close();
  sub.kill();
  await nc.reauthenticate({ user: "b", pass: "b1" });
  await nc.reauthenticate({ token: "t" });
  await nc.reauthenticate({ authenticator: tokenAuthenticator(() => "t") }).catch((e: Error) => console.log(e.message));

  const pool = new ConnectionsPool({ onLastInNamespace: (ns: string) => console.log("empty", ns) });
  const id: string = pool.add(nc, { namespace: "tabs" });
  const sent: number = pool.broadcast("tabs", "hello", "hi", { headers: undefined });
  pool.publish("tabs", id, "hello", new Uint8Array(1));
  console.log(sent, pool.size(), pool.size("tabs"), pool.namespaces(), pool.connections("tabs").length, pool.has(nc), pool.has("tabs", id));
  await pool.drainConnections(10, "tabs", (p: DrainProgress) => console.log(p.drained, p.total, p.error?.message));
  await pool.closeAll();
  pool.remove(nc, () => {});
}
