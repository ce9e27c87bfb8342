// nats.ws-style object store code written against the "nats-wasm" typings. Type-checked only
// (tsc -p tests/ts): it must also compile unchanged against nats.ws 1.30.3's typings.
import { connect, headers, StorageType } from "nats-wasm";
import type { ObjectInfo, ObjectResult, ObjectStore, ObjectStoreStatus } from "nats-wasm";

export async function objectStoreMain(file: ReadableStream<Uint8Array>): Promise<void> {
  const nc = await connect({ servers: "ws://localhost:8080" });
  const js = nc.jetstream();
  const os: ObjectStore = await js.views.os("files", { storage: StorageType.File, description: "uploads" });
  const h = headers();
  h.set("Content-Type", "image/png");
  const info: ObjectInfo = await os.put({ name: "logo.png", headers: h, options: { max_chunk_size: 64 * 1024 } }, file);
  console.log(info.size, info.chunks, info.digest, info.revision, info.mtime);
  await os.putBlob({ name: "note.txt", description: "a note" }, new TextEncoder().encode("hi"), { previousRevision: 0 });
  const r: ObjectResult | null = await os.get("logo.png");
  if (r !== null) {
    const reader = r.data.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) console.log(part.value.length);
    const err = await r.error;
    if (err) console.log(err.message);
  }
  console.log((await os.getBlob("note.txt"))?.length);
  for (const i of await os.list()) console.log(i.name, i.size);
  const w = await os.watch({ includeHistory: true, ignoreDeletes: true });
  (async () => {
    for await (const i of w) console.log(i === null ? "up to date" : i.name);
  })();
  const link = await os.link("latest-logo", info);
  console.log(link.options?.link?.name);
  await os.update("note.txt", { description: "edited" });
  const purge = await os.delete("note.txt");
  console.log(purge.purged);
  const st: ObjectStoreStatus = await os.status();
  console.log(st.bucket, st.size, st.sealed, st.ttl);
  await os.seal();
  w.stop();
  await os.destroy();
  await nc.close();
}
