// What every consumer fixture does with the package (the tests copy this file next to the
// fixture's code): connect, answer a request as a service, subscribe to a wildcard and read it
// as an async iterator, publish with headers and a JSON payload, store and read back a message
// with JetStream (which loads the package's jetstream.js: bundlers must ship it), put and get a
// KV value and an object (kv.js, objectstore.js), add a service and find it (micro.js), then
// drain. `nats` is the
// package's module namespace, `servers` the nats-server WebSocket URL, `label` keeps the
// subjects of concurrent runs (page and workers) apart. The test compares the result with
// common.mjs `expected(label)`.
export async function scenario(nats, servers, label) {
  const { connect, headers, JSONCodec, StringCodec } = nats;
  const sc = StringCodec();
  const jc = JSONCodec();
  const nc = await connect({ servers, name: `consumer-${label}` });

  nc.subscribe(`svc.${label}`, {
    callback: (err, m) => {
      if (!err) m.respond(sc.encode(`PONG ${sc.decode(m.data)}`));
    },
  });
  const events = nc.subscribe(`ev.${label}.*`, { max: 3 });
  const seen = (async () => {
    const out = [];
    for await (const m of events) out.push(`${m.subject}:${sc.decode(m.data)}`);
    return out;
  })();
  const withHeaders = nc.subscribe(`hdr.${label}`, { max: 1 });
  const hdr = (async () => {
    for await (const m of withHeaders) return { header: m.headers?.get("X-Label"), json: jc.decode(m.data) };
  })();

  const reply = await nc.request(`svc.${label}`, sc.encode(label), { timeout: 5000 });
  for (let i = 0; i < 3; i++) nc.publish(`ev.${label}.${i}`, sc.encode(String(i)));
  const h = headers();
  h.set("X-Label", label);
  nc.publish(`hdr.${label}`, jc.encode({ label, n: 3 }), { headers: h });

  const jsm = await nc.jetstreamManager();
  const stream = `S_${label.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  await jsm.streams.add({ name: stream, subjects: [`js.${label}`], storage: nats.StorageType.Memory });
  const ack = await nc.jetstream().publish(`js.${label}`, sc.encode(`stored ${label}`));
  const stored = await (await nc.jetstream().consumers.get(stream)).next({ expires: 5000 });
  await jsm.streams.delete(stream);

  // A KV bucket and an object store (kv.js and objectstore.js: bundlers must ship them too).
  const bucket = `B_${label.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const kv = await nc.jetstream().views.kv(bucket, { storage: nats.StorageType.Memory });
  await kv.put("k", sc.encode(`kv ${label}`));
  const kvValue = (await kv.get("k"))?.string();
  await kv.destroy();
  const os = await nc.jetstream().views.os(bucket, { storage: nats.StorageType.Memory });
  await os.putBlob({ name: "o" }, sc.encode(`os ${label}`));
  const osValue = sc.decode(await os.getBlob("o"));
  await os.destroy();

  // A service and its discovery (loads the package's micro.js: bundlers must ship it too).
  const srv = await nc.services.add({ name: `svc-${label.replace(/[^A-Za-z0-9_-]/g, "_")}`, version: "1.0.0" });
  srv.addEndpoint("hello", { subject: `hello.${label}`, handler: (err, m) => m.respond(sc.encode(`hello ${m.string()}`)) });
  const hello = sc.decode((await nc.request(`hello.${label}`, sc.encode(label), { timeout: 5000 })).data);
  const found = [];
  for await (const p of await nc.services.client().ping(srv.name)) found.push(p.id === srv.id);
  await srv.stop();

  const result = {
    reply: sc.decode(reply.data),
    events: await seen,
    ...(await hdr),
    jetstream: [ack.seq, stored?.string(), stored?.info.streamSequence],
    service: [hello, found],
    views: [kvValue, osValue],
  };
  await nc.drain();
  return result;
}

/** Runs `scenario` and reports its outcome as data: `{ ok, value }` or `{ ok: false, error }`. */
export async function settle(fn) {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: `${e?.name}: ${e?.code ?? ""} ${e?.message ?? e}` };
  }
}
