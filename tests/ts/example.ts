// A nats.ws-style program written against the "nats-wasm" typings.
// Type-checked only (tsc -p tests/ts): it must compile unchanged against nats.ws 1.x
// typings and against pkg/index.d.ts.
import {
  connect,
  createInbox,
  Empty,
  ErrorCode,
  Events,
  headers,
  JSONCodec,
  Match,
  NatsError,
  RequestStrategy,
  StringCodec,
} from "nats-wasm";
import type {
  ConnectionOptions,
  Msg,
  MsgHdrs,
  NatsConnection,
  RequestManyOptions,
  RequestOptions,
  ServerInfo,
  Stats,
  Status,
  Subscription,
  SubscriptionOptions,
} from "nats-wasm";

interface Order {
  id: number;
  item: string;
  qty: number;
}

const sc = StringCodec();
const jc = JSONCodec<Order>();

async function iterate(sub: Subscription): Promise<number> {
  let n = 0;
  for await (const m of sub) {
    n++;
    console.log(`[${sub.getSubject()}#${sub.getProcessed()}] ${m.subject}: ${sc.decode(m.data)}`);
  }
  return n;
}

async function statusLoop(nc: NatsConnection): Promise<void> {
  for await (const s of nc.status()) {
    const st: Status = s;
    switch (st.type) {
      case Events.Disconnect:
      case Events.Reconnect:
        console.log(`${st.type}: ${String(st.data)}`);
        break;
      case Events.Error:
        console.log("async error", st.data);
        break;
      default:
        break;
    }
    if (st.type === Events.Error) break;
  }
}

function describeError(err: unknown): string {
  if (err instanceof NatsError) {
    switch (err.code) {
      case ErrorCode.NoResponders:
        return "no responders";
      case ErrorCode.Timeout:
        return "timeout";
      case ErrorCode.ConnectionClosed:
        return "closed";
      case ErrorCode.BadHeader:
      case ErrorCode.BadSubject:
      case ErrorCode.MaxPayloadExceeded:
        return `bad input: ${err.message}`;
      default:
        return `nats error ${err.code}: ${err.message}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

export async function main(url: string): Promise<void> {
  const opts: ConnectionOptions = { servers: [url], name: "ts-example", noEcho: false };
  const nc: NatsConnection = await connect(opts);
  const info: ServerInfo | undefined = nc.info;
  console.log(`connected to ${nc.getServer()} (${info?.server_id}, max_payload=${info?.max_payload})`);
  const done = nc.closed();
  void statusLoop(nc);

  // pub/sub: async iterator
  const sub = nc.subscribe("orders.>", { max: 10 });
  const counted = iterate(sub);

  // pub/sub: callback
  const cbOpts: SubscriptionOptions = {
    queue: "workers",
    callback: (err: NatsError | null, msg: Msg) => {
      if (err) {
        console.error(describeError(err));
        return;
      }
      const order = jc.decode(msg.data);
      console.log(order.item, msg.json<Order>().qty, msg.string().length);
    },
  };
  const cbSub: Subscription = nc.subscribe("orders.json", cbOpts);

  // headers
  const h: MsgHdrs = headers();
  h.set("X-Trace", "abc");
  h.append("X-Trace", "def");
  const traces: string[] = h.values("X-Trace");
  const has: boolean = h.has("x-trace", Match.IgnoreCase);
  console.log(traces, has, h.get("X-Trace"), h.keys(), h.code, h.hasError);
  const status = headers(503, "unavailable");
  console.log(status.status, status.description);

  nc.publish("orders.text", sc.encode("hello"), { headers: h });
  nc.publish("orders.json", jc.encode({ id: 1, item: "book", qty: 2 }));
  nc.publish("orders.empty", Empty, { reply: createInbox() });
  nc.publish("orders.plain", "a string payload");
  await nc.flush();

  // request/reply
  const svc = nc.subscribe("time", {
    callback: (_err, msg) => {
      const replied: boolean = msg.respond(sc.encode(new Date().toISOString()));
      if (!replied) console.log("no reply subject");
    },
  });
  const ro: RequestOptions = { timeout: 1000, noMux: true, reply: createInbox() };
  try {
    const reply: Msg = await nc.request("time", Empty, ro);
    console.log("time is", reply.string(), reply.headers?.get("X-Any"));
    await nc.request("nobody.home", sc.encode("?"), { timeout: 500 });
  } catch (err) {
    console.log(describeError(err));
  }

  // requestMany
  const rmo: Partial<RequestManyOptions> = {
    strategy: RequestStrategy.Count,
    maxMessages: 3,
    maxWait: 2000,
  };
  const replies: AsyncIterable<Msg> = await nc.requestMany("time", Empty, rmo);
  for await (const m of replies) console.log("many:", m.string());
  for (const strategy of [RequestStrategy.Timer, RequestStrategy.JitterTimer, RequestStrategy.SentinelMsg]) {
    const it = await nc.requestMany("time", "", { strategy, maxWait: 500, jitter: 100 });
    for await (const m of it) {
      if (m.data.length === 0) break;
    }
  }

  // bookkeeping
  const stats: Stats = nc.stats();
  const rtt: number = await nc.rtt();
  console.log(stats.inMsgs, stats.outBytes, rtt, sub.getID(), sub.getMax(), sub.getReceived());
  sub.unsubscribe(5);
  await cbSub.drain();
  svc.unsubscribe();
  console.log("received", await counted, cbSub.isClosed(), nc.isDraining());

  await nc.drain();
  const err: void | Error = await done;
  if (err) console.error(`closed with ${err.message}`);
  if (!nc.isClosed()) throw new Error("expected closed");
  await sub.closed;
}
