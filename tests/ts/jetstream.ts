// nats.ws-style JetStream code written against the "nats-wasm" typings.
// Type-checked only (tsc -p tests/ts): like example.ts it must also compile unchanged against
// nats.ws 1.30.3's typings.
import {
  AckPolicy,
  AdvisoryKind,
  checkJsError,
  connect,
  createInbox,
  ConsumerDebugEvents,
  ConsumerEvents,
  consumerOpts,
  DeliverPolicy,
  DiscardPolicy,
  ErrorCode,
  headers,
  isFlowControlMsg,
  isHeartbeatMsg,
  JsHeaders,
  JSONCodec,
  nanos,
  NatsError,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  StoreCompression,
} from "nats-wasm";
import type {
  Consumer,
  ConsumerConfig,
  ConsumerInfo,
  ConsumerMessages,
  ConsumerOptsBuilder,
  ConsumerStatus,
  ConsumeOptions,
  DeliveryInfo,
  FetchOptions,
  JetStreamClient,
  JetStreamManager,
  JetStreamPublishOptions,
  JetStreamPullSubscription,
  JetStreamSubscription,
  JsMsg,
  Lister,
  Msg,
  NextOptions,
  OrderedConsumerOptions,
  PubAck,
  StoredMsg,
  StreamConfig,
  StreamInfo,
} from "nats-wasm";

interface Order {
  id: number;
  item: string;
}

const jc = JSONCodec<Order>();

async function setup(jsm: JetStreamManager): Promise<StreamInfo> {
  const cfg: Partial<StreamConfig> = {
    name: "ORDERS",
    subjects: ["orders.>"],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(60 * 60 * 1000),
    duplicate_window: nanos(2 * 60 * 1000),
    compression: StoreCompression.None,
  };
  const si = await jsm.streams.add(cfg);
  console.log(si.config.name, si.state.messages, si.created);
  const updated = await jsm.streams.update("ORDERS", { subjects: ["orders.>", "returns.>"], max_msgs: 1000 });
  console.log(updated.config.subjects.join(","));
  const info = await jsm.streams.info("ORDERS", { subjects_filter: ">" });
  console.log(info.state.subjects);

  const names: Lister<string> = jsm.streams.names();
  for await (const n of names) console.log(n);
  for await (const s of jsm.streams.list("orders.new")) console.log(s.config.name, s.state.last_seq);
  console.log(await jsm.streams.find("orders.new"));

  const ccfg: Partial<ConsumerConfig> = {
    durable_name: "worker",
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ack_wait: nanos(30_000),
    max_deliver: 5,
    filter_subject: "orders.>",
  };
  const ci: ConsumerInfo = await jsm.consumers.add("ORDERS", ccfg);
  if (ci.config.ack_policy === AckPolicy.Explicit) console.log(ci.name, ci.num_pending, ci.delivered.stream_seq);
  if (ci.config.deliver_policy === "all") console.log("from the start");
  await jsm.consumers.update("ORDERS", "worker", { description: "order worker", max_ack_pending: 100 });
  console.log((await jsm.consumers.info("ORDERS", "worker")).config.description);
  for await (const c of jsm.consumers.list("ORDERS")) console.log(c.name, c.num_ack_pending);
  const paused = await jsm.consumers.pause("ORDERS", "worker", new Date(Date.now() + 1000));
  console.log(paused.paused, paused.pause_until);
  await jsm.consumers.resume("ORDERS", "worker");

  const account = await jsm.getAccountInfo();
  console.log(account.streams, account.consumers, account.limits.max_streams, account.api.total);
  (async () => {
    for await (const a of jsm.advisories()) {
      if (a.kind === AdvisoryKind.MaxDeliver || a.kind === AdvisoryKind.Terminated) console.log(a.data);
    }
  })();
  return si;
}

async function publish(js: JetStreamClient): Promise<PubAck[]> {
  const h = headers();
  h.set("Order-Source", "web");
  const acks: PubAck[] = [];
  acks.push(await js.publish("orders.new", jc.encode({ id: 1, item: "book" }), { msgID: "order-1", headers: h }));
  const opts: Partial<JetStreamPublishOptions> = {
    msgID: "order-2",
    expect: { streamName: "ORDERS", lastSequence: acks[0].seq },
    timeout: 2000,
  };
  acks.push(await js.publish("orders.new", jc.encode({ id: 2, item: "pen" }), opts));
  acks.push(await js.publish("orders.new", "as a string", { expect: { lastSubjectSequence: 2 } }));
  try {
    await js.publish("orders.new", undefined, { expect: { lastMsgID: "nope" } });
  } catch (err) {
    if (err instanceof NatsError && err.isJetStreamError()) console.log(err.api_error?.err_code);
    if (err instanceof NatsError && err.code === ErrorCode.NoResponders) console.log("no stream");
  }
  for (const pa of acks) console.log(pa.stream, pa.seq, pa.duplicate, pa.domain ?? "");
  return acks;
}

function handle(m: JsMsg): void {
  const di: DeliveryInfo = m.info;
  console.log(m.subject, m.seq, di.stream, di.consumer, di.deliveryCount, di.pending, m.redelivered);
  const order = m.json<Order>();
  if (m.headers?.get(JsHeaders.MessageSizeHdr)) console.log("headers only");
  if (order.item === "") m.term("empty item");
  else if (m.info.redeliveryCount > 3) m.nak(5000);
  else if (order.id < 0) m.nak();
  else {
    m.working();
    m.ack();
  }
}

async function pull(js: JetStreamClient): Promise<void> {
  const c: Consumer = await js.consumers.get("ORDERS", "worker");
  console.log((await c.info(true)).config.durable_name);

  const copts: ConsumeOptions = { max_messages: 50, expires: 10_000 };
  const messages: ConsumerMessages = await c.consume(copts);
  (async () => {
    for await (const s of await messages.status()) {
      const st: ConsumerStatus = s;
      switch (st.type) {
        case ConsumerEvents.HeartbeatsMissed:
          console.log(`missed ${st.data}`);
          break;
        case ConsumerEvents.ConsumerNotFound:
        case ConsumerEvents.StreamNotFound:
          messages.stop();
          break;
        case ConsumerDebugEvents.Discard:
          console.log(st.data);
          break;
        default:
          break;
      }
    }
  })();
  for await (const m of messages) {
    handle(m);
    if (m.info.pending === 0) break;
  }
  const end = await messages.closed();
  if (end) console.log(end.message);
  console.log(messages.getProcessed(), messages.getReceived(), messages.getPending());

  const cb = await c.consume({ max_bytes: 1 << 20, callback: (m: JsMsg) => m.ack() });
  setTimeout(() => cb.stop(), 1000);
  await cb.close();

  const fopts: FetchOptions = { max_messages: 10, expires: 2000 };
  const batch = await c.fetch(fopts);
  for await (const m of batch) {
    const ok = await m.ackAck({ timeout: 1000 });
    if (!ok) console.log("already acked");
  }
  const nopts: NextOptions = { expires: 1000 };
  const one: JsMsg | null = await c.next(nopts);
  if (one !== null) {
    console.log(one.string(), one.data.length, one.sid);
    one.ack();
  }
}

async function ordered(js: JetStreamClient): Promise<number> {
  const opts: Partial<OrderedConsumerOptions> = {
    filterSubjects: ["orders.new", "returns.>"],
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: 1,
    headers_only: false,
  };
  const oc = await js.consumers.get("ORDERS", opts);
  const iter = await oc.consume({ max_messages: 100 });
  (async () => {
    for await (const s of await iter.status()) {
      if (s.type === ConsumerEvents.OrderedConsumerRecreated) console.log(`now ${s.data}`);
      if (s.type === ConsumerDebugEvents.Reset) console.log("reset");
    }
  })();
  let n = 0;
  for await (const m of iter) {
    n++;
    if (m.info.pending === 0) break;
  }
  const latest = await js.consumers.get("ORDERS");
  const last = await latest.fetch({ max_messages: 1, expires: 1000 });
  for await (const m of last) console.log(m.seq);
  await latest.delete();
  return n;
}

async function streamHandles(js: JetStreamClient, jsm: JetStreamManager): Promise<void> {
  const s = await js.streams.get("ORDERS");
  console.log(s.name, (await s.info(true)).config.subjects, (await s.alternates()).length, (await s.best()).name);
  const sm: StoredMsg = await s.getMessage({ seq: 1 });
  console.log(sm.subject, sm.seq, sm.time.toISOString(), sm.timestamp, sm.header.get("Order-Source"));
  console.log(sm.json<Order>().item, sm.string());
  const last = await jsm.streams.getMessage("ORDERS", { last_by_subj: "orders.new" });
  console.log(last.seq, await s.deleteMessage(1), await jsm.streams.deleteMessage("ORDERS", 2, false));
  const purged = await jsm.streams.purge("ORDERS", { filter: "returns.>", keep: 1 });
  console.log(purged.success, purged.purged);
  await jsm.streams.purge("ORDERS");
  const fromStream: Consumer = await s.getConsumer("worker");
  const ci = await fromStream.info();
  const fromInfo: Consumer = s.getConsumerFromInfo(ci);
  const again: Consumer = js.consumers.getPullConsumerFor(ci);
  console.log((await fromInfo.info(true)).name, (await again.info(true)).name);
  console.log(js.getConnection().getServer(), jsm.getConnection().isClosed());
  const dm = await jsm.direct.getMessage("ORDERS", { last_by_subj: "orders.new" });
  console.log(dm.stream, dm.subject, dm.seq, dm.time.toISOString(), dm.header.get("Nats-Stream"), dm.string());
  for await (const m of await jsm.direct.getBatch("ORDERS", { multi_last: ["orders.new"] })) console.log(m.seq);
}

function legacyOptions(): ConsumerOptsBuilder {
  const opts = consumerOpts({ max_ack_pending: 10 });
  opts
    .durable("legacy")
    .deliverAll()
    .ackExplicit()
    .ackWait(10_000)
    .maxDeliver(3)
    .filterSubject("orders.new")
    .replayInstantly()
    .manualAck()
    .maxMessages(100)
    .callback((err, m) => {
      if (err) console.log(err.code);
      else m?.ack();
    });
  return opts;
}

async function legacy(js: JetStreamClient): Promise<void> {
  const withCallback = await js.subscribe("orders.new", legacyOptions().deliverTo(createInbox()));
  await withCallback.drain();
  const iterated = consumerOpts().durable("push").deliverTo(createInbox()).manualAck().ackExplicit();
  const sub: JetStreamSubscription = await js.subscribe("orders.new", iterated);
  for await (const m of sub) {
    m.ack();
    console.log(m.seq);
    if (sub.getProcessed() === 10) break;
  }
  console.log((await sub.consumerInfo()).num_pending);
  await sub.destroy();
  const ordered = await js.subscribe("orders.>", consumerOpts().orderedConsumer());
  ordered.unsubscribe(5);
  await ordered.closed;

  const psub: JetStreamPullSubscription = await js.pullSubscribe("orders.>", consumerOpts().durable("p").ackExplicit());
  psub.pull({ batch: 10, expires: 1000 });
  for await (const m of psub) {
    m.ack();
    if (m.info.pending === 0) break;
  }
  const one = await js.pull("ORDERS", "worker", 1000);
  one.ack();
  for await (const m of js.fetch("ORDERS", "worker", { batch: 5, expires: 1000 })) m.ack();
}

function controlMessages(m: Msg): void {
  if (isFlowControlMsg(m) || isHeartbeatMsg(m)) return;
  const err = checkJsError(m);
  if (err !== null && err.code === ErrorCode.JetStream404NoMessages) console.log("no messages");
}

export async function main(): Promise<void> {
  const nc = await connect({ servers: "ws://localhost:8080" });
  const jsm = await nc.jetstreamManager({ checkAPI: false, timeout: 10_000 });
  const js = nc.jetstream({ domain: "hub" });
  console.log(js.apiPrefix, js.getOptions().timeout, jsm.getOptions().apiPrefix, jsm.jetstream().apiPrefix);
  const sameJsm: JetStreamManager = await js.jetstreamManager();
  await setup(sameJsm);
  await publish(js);
  await pull(js);
  console.log(await ordered(js));
  await streamHandles(js, jsm);
  await legacy(js);
  nc.subscribe("x", { callback: (_err, m) => controlMessages(m) });
  await jsm.consumers.delete("ORDERS", "worker");
  await jsm.streams.delete("ORDERS");
  await nc.drain();
}
