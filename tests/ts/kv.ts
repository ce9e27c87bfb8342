// nats.ws-style KV code written against the "nats-wasm" typings. Type-checked only
// (tsc -p tests/ts): it must also compile unchanged against nats.ws 1.30.3's typings.
import { connect, KvWatchInclude, StorageType } from "nats-wasm";
import type { JetStreamClient, KV, KvEntry, KvOptions, KvStatus, KvWatchOptions, QueuedIterator } from "nats-wasm";

const enc = new TextEncoder();

async function settings(js: JetStreamClient): Promise<KV> {
  const opts: Partial<KvOptions> = { history: 5, ttl: 60_000, storage: StorageType.Memory, maxValueSize: 1024 };
  const kv = await js.views.kv("settings", opts);
  const rev: number = await kv.put("theme", enc.encode("dark"));
  await kv.update("theme", "light", rev);
  await kv.create("lang", "en");
  const e: KvEntry | null = await kv.get("theme");
  if (e !== null) console.log(e.key, e.string(), e.revision, e.operation, e.created.toISOString(), e.length, e.delta);
  const old = await kv.get("theme", { revision: rev });
  console.log(old?.json<string>());
  await kv.delete("lang", { previousSeq: 3 });
  await kv.purge("lang");
  const st: KvStatus = await kv.status();
  console.log(st.bucket, st.values, st.history, st.ttl, st.size, st.streamInfo.config.name);
  return kv;
}

async function read(kv: KV): Promise<string[]> {
  const keys: string[] = [];
  const it: QueuedIterator<string> = await kv.keys();
  for await (const k of it) keys.push(k);
  for await (const h of await kv.history({ key: "theme" })) console.log(h.revision, h.operation);
  const opts: KvWatchOptions = {
    key: ["theme", "lang.>"],
    include: KvWatchInclude.LastValue,
    ignoreDeletes: true,
    initializedFn: () => console.log("up to date"),
  };
  const w = await kv.watch(opts);
  for await (const e of w) {
    console.log(e.key, e.value.length);
    if (e.key === "stop") w.stop();
  }
  return keys;
}

export async function kvMain(): Promise<void> {
  const nc = await connect({ servers: "ws://localhost:8080" });
  const js = nc.jetstream();
  const kv = await settings(js);
  console.log(await read(kv));
  const bound = await js.views.kv("settings", { bindOnly: true });
  await bound.close();
  console.log(await kv.destroy());
  await nc.close();
}
