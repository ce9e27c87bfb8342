// History view: a room's past messages, read back from JetStream. The chat keeps publishing
// with plain `nc.publish`; the stream CHAT (created here, idempotently) captures every room's
// subject, so what was said before a tab opened is still there. Opening History replays one
// room, oldest first, through an ordered consumer filtered on that room's subject, and stops
// as soon as it has caught up (the last message says nothing is pending).
import { StorageType, nanos } from "/pkg/index.js";
import { CHAT, parse } from "./chat.js";
import { byId, clock, describe, el } from "./util.js";

const STREAM = "CHAT";
const PER_ROOM = 500; // messages the stream keeps per room (the limit is per subject)
const MAX_AGE = 7 * 24 * 3600 * 1000; // ms a message is kept
const WAIT = 10_000; // ms a replay may take to catch up before what came is shown as is

// One replica, so it lives on either node of a two-node cluster; file storage, so a node's
// restart keeps it. An identical config makes `streams.add` a no-op on the server.
const CONFIG = {
  name: STREAM,
  subjects: [`${CHAT}.*`],
  storage: StorageType.File,
  num_replicas: 1,
  max_msgs_per_subject: PER_ROOM,
  max_msgs: 50 * PER_ROOM,
  max_bytes: 64 * 1024 * 1024,
  max_age: nanos(MAX_AGE),
};

/**
 * @param {import("/pkg/index.js").NatsConnection} nc
 * @param {HTMLDialogElement} dialog the history panel
 * @param {{ report(msg: string): void }} ui
 */
export function startHistory(nc, dialog, ui) {
  const dom = {
    room: byId(dialog, "history-room"),
    note: byId(dialog, "history-note"),
    list: byId(dialog, "history-list"),
  };
  const state = {
    ready: null, // the stream's creation; forgotten when it failed, so the next open retries
    run: 0, // the replay being shown; an older one stops at its next message
    messages: null, // that replay's ConsumerMessages
  };

  const ensureStream = () =>
    (state.ready ??= (async () => {
      const jsm = await nc.jetstreamManager();
      try {
        await jsm.streams.add(CONFIG);
      } catch (err) {
        // made by an older version of the demo with other limits: use it as it is
        if (!/already in use/.test(err.message)) throw err;
      }
      return jsm;
    })().catch((err) => {
      state.ready = null;
      throw err;
    }));

  const stop = () => {
    state.run++;
    state.messages?.stop();
    state.messages = null;
  };

  const row = (jm, m) => {
    const ms = jm.info.timestampNanos / 1e6; // when the stream stored it, not the sender's clock
    return el(
      "li",
      { className: "msg", dataset: { testid: "history-message", seq: String(jm.seq) } },
      el("time", { title: new Date(ms).toISOString() }, clock(ms)),
      el("span", { className: "who", dataset: { testid: "history-author" } }, m.name),
      el("span", { className: "text", dataset: { testid: "history-text" } }, m.text),
    );
  };

  /** Opens the panel on `room` and replays what the stream holds for it. */
  async function show(room) {
    stop();
    const run = state.run;
    const subject = `${CHAT}.${room}`;
    dom.room.textContent = `#${room}`;
    dom.list.replaceChildren();
    dom.note.textContent = "reading…";
    dom.note.dataset.state = "reading";
    if (!dialog.open) dialog.showModal();

    let consumer = null;
    let shown = 0;
    try {
      const jsm = await ensureStream();
      // an empty room has nothing to wait for: ask the stream how many it holds first
      const si = await jsm.streams.info(STREAM, { subjects_filter: subject });
      if (run !== state.run) return;
      if (!si.state.subjects?.[subject]) {
        dom.note.textContent = "nothing stored for this room yet";
        dom.note.dataset.state = "done";
        return;
      }
      consumer = await nc.jetstream().consumers.get(STREAM, { filterSubjects: subject });
      const messages = await consumer.consume({ max_messages: 100 });
      if (run !== state.run) return messages.stop();
      state.messages = messages;
      const timer = setTimeout(() => messages.stop(), WAIT);
      let caughtUp = false;
      for await (const jm of messages) {
        if (run !== state.run) break;
        const m = parse(jm);
        // joins, leaves and renames are stored too; the view lists what was said
        if (m?.kind === "msg") {
          dom.list.append(row(jm, m));
          shown++;
        }
        if (jm.info.pending === 0) {
          caughtUp = true;
          break;
        }
      }
      clearTimeout(timer);
      if (run !== state.run) return;
      dom.list.scrollTop = dom.list.scrollHeight;
      dom.note.textContent = `${shown} message${shown === 1 ? "" : "s"} from stream ${STREAM}` +
        (caughtUp ? "" : " (stopped before catching up)");
      dom.note.dataset.state = "done";
    } catch (err) {
      if (run !== state.run) return;
      dom.note.textContent = `cannot read the history: ${describe(err)}`;
      dom.note.dataset.state = "error";
    } finally {
      if (run === state.run) state.messages = null;
      // the server would drop the ordered consumer after a while idle; no need to wait
      consumer?.delete().catch(() => {});
    }
  }

  dialog.addEventListener("close", stop);

  // at once, so that messages are stored from the start, not from the first History opened
  ensureStream().catch((err) => ui.report(`history: JetStream: ${describe(err)}`));

  return { show };
}
