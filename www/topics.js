// Room topics: a KV bucket (`demo_topics`) whose keys are room names and whose values are the
// rooms' topics. Every tab watches the whole bucket, so a topic set in one tab shows in every
// tab at once; the watch is an ordered consumer, so it carries on across reconnects and node
// restarts without missing or repeating a change.
import { KvWatchInclude, StorageType } from "/pkg/index.js";
import { describe } from "./util.js";

const BUCKET = "demo_topics";
export const MAX_TOPIC = 120; // characters

const td = new TextDecoder();

/**
 * @param {import("/pkg/index.js").NatsConnection} nc
 * @param {{ report(msg: string): void }} ui
 * @param {(room: string) => void} changed called with a room whose topic changed
 */
export function startTopics(nc, ui, changed) {
  const topics = new Map(); // room -> topic
  const report = (err) => ui.report(`topics: ${describe(err)}`);
  // One replica (it lives on either node of the two-node cluster), on disk; an existing
  // bucket is used as it is.
  const ready = nc
    .jetstream()
    .views.kv(BUCKET, { history: 5, storage: StorageType.File, replicas: 1 })
    .then(async (kv) => {
      const watch = await kv.watch({ include: KvWatchInclude.LastValue });
      (async () => {
        for await (const e of watch) {
          if (e.operation === "PUT") topics.set(e.key, td.decode(e.value).slice(0, MAX_TOPIC));
          else topics.delete(e.key);
          changed(e.key);
        }
      })().catch(report);
      return kv;
    });
  ready.catch(report);

  return {
    /** The room's topic ("" for none). */
    get: (room) => topics.get(room) ?? "",
    /** Sets (or, with an empty text, clears) a room's topic for every tab. */
    async set(room, text) {
      const kv = await ready;
      const topic = text.trim().slice(0, MAX_TOPIC);
      if (topic) await kv.put(room, topic);
      else await kv.delete(room);
    },
  };
}
