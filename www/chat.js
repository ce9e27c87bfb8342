// Chat panel: rooms are subjects `demo.chat.<room>`; one `demo.chat.*` subscription keeps every
// room's history in memory (per room, for as long as the tab is open) and counts unread
// messages. Presence is request/reply: each tab answers on `demo.presence.<room>` for the room
// it is in, and lists who is there with `requestMany` when joining, when someone joins, leaves
// or renames, and every few seconds. The History button hands the open room to history.js,
// which reads back what the stream CHAT stored for it (from before this tab too). Each room's
// topic is in a KV bucket every tab watches (topics.js).
import { Empty, JSONCodec, RequestStrategy, nuid } from "/pkg/index.js";
import { byId, clock, describe, el } from "./util.js";

export const CHAT = "demo.chat";
const PRESENCE = "demo.presence";
const DEFAULT_ROOMS = ["general", "random", "nats"];
const HISTORY = 500; // messages kept per room
const MAX_ROOMS = 50; // rooms learned from traffic stop being added beyond this
const PRESENCE_EVERY = 5000; // ms between presence refreshes
const PRESENCE_WAIT = 500; // ms to collect presence replies
const ROOM_RE = /^[A-Za-z0-9_-]{1,32}$/;

const jc = JSONCodec();
const me = nuid.next(); // this tab's id, to tell "you" from a namesake

/** A chat message as received (live or from the stream), or null when it is not one of ours. */
export function parse(m) {
  let v;
  try {
    v = jc.decode(m.data);
  } catch {
    return null;
  }
  if (!v || typeof v !== "object" || typeof v.name !== "string") return null;
  const kind = ["msg", "join", "leave", "rename"].includes(v.kind) ? v.kind : "msg";
  return {
    kind,
    name: v.name.slice(0, 24),
    text: typeof v.text === "string" ? v.text.slice(0, 2000) : "",
    was: typeof v.was === "string" ? v.was.slice(0, 24) : "",
    ts: Number.isFinite(v.ts) ? v.ts : Date.now(),
    from: typeof v.from === "string" ? v.from : "",
  };
}

/**
 * @param {import("/pkg/index.js").NatsConnection} nc
 * @param {HTMLElement} root the chat panel
 * @param {{ report(msg: string): void }} ui
 * @param {{ show(room: string): void }} history the History view (history.js)
 * @param {{ get(room: string): string, set(room: string, text: string): Promise<void> }} topics (topics.js)
 */
export function startChat(nc, root, ui, history, topics) {
  const dom = {
    nameForm: byId(root, "name-form"),
    name: byId(root, "name-input"),
    rooms: byId(root, "room-list"),
    roomForm: byId(root, "room-form"),
    current: byId(root, "current-room"),
    presence: byId(root, "presence-list"),
    presenceCount: byId(root, "presence-count"),
    messages: byId(root, "chat-messages"),
    form: byId(root, "chat-form"),
    input: byId(root, "chat-input"),
    history: byId(root, "history-open"),
    topic: byId(root, "room-topic"),
    topicForm: byId(root, "topic-form"),
    topicInput: byId(root, "topic-input"),
  };
  const state = {
    name: sessionStorage.getItem("demo.name") || `guest-${Math.floor(1000 + Math.random() * 9000)}`,
    room: "",
    rooms: new Map(), // room -> { history: [], unread: 0 }
    since: Date.now(),
    presenceSub: null,
    presenceSeq: 0,
    presenceTimer: 0,
  };
  dom.name.value = state.name;

  const roomState = (room) => {
    let r = state.rooms.get(room);
    if (!r) {
      r = { history: [], unread: 0 };
      state.rooms.set(room, r);
    }
    return r;
  };
  DEFAULT_ROOMS.forEach(roomState);

  const send = (body) => {
    try {
      nc.publish(`${CHAT}.${state.room}`, jc.encode({ ...body, name: state.name, from: me, ts: Date.now() }));
      return true;
    } catch (err) {
      ui.report(`chat: ${describe(err)}`);
      return false;
    }
  };

  // --- rendering

  const renderRooms = () => {
    const items = [...state.rooms.keys()].sort().map((room) => {
      const r = state.rooms.get(room);
      const b = el(
        "button",
        { type: "button", className: room === state.room ? "active" : "", dataset: { testid: `room-${room}` } },
        el("span", { className: "hash" }, "#"),
        room,
        r.unread ? el("span", { className: "unread", dataset: { testid: "unread" } }, String(r.unread)) : null,
      );
      b.addEventListener("click", () => join(room));
      return el("li", {}, b);
    });
    dom.rooms.replaceChildren(...items);
  };

  const messageRow = (m) => {
    if (m.kind !== "msg") {
      const what = m.kind === "join" ? "joined" : m.kind === "leave" ? "left" : `is now known as`;
      const who = m.kind === "rename" ? m.was : m.name;
      return el(
        "li",
        { className: "notice", dataset: { testid: "chat-notice" } },
        el("time", {}, clock(m.ts)),
        `${who} ${what}${m.kind === "rename" ? ` ${m.name}` : ""}`,
      );
    }
    return el(
      "li",
      { className: m.from === me ? "msg mine" : "msg", dataset: { testid: "chat-message" } },
      el("time", {}, clock(m.ts)),
      el("span", { className: "who", dataset: { testid: "chat-author" } }, m.name),
      el("span", { className: "text", dataset: { testid: "chat-text" } }, m.text),
    );
  };

  const appendMessage = (m) => {
    const box = dom.messages;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.append(messageRow(m));
    while (box.childElementCount > HISTORY) box.firstElementChild.remove();
    if (atBottom || m.from === me) box.scrollTop = box.scrollHeight;
  };

  const renderPresence = (people) => {
    const rows = people.map((p) =>
      el(
        "li",
        { className: p.id === me ? "me" : "", dataset: { testid: "presence-item" } },
        el("span", { className: "dot" }),
        el("span", { dataset: { testid: "presence-name" } }, p.name),
        p.id === me ? el("span", { className: "muted" }, " (you)") : null,
      ),
    );
    dom.presence.replaceChildren(...rows);
    dom.presenceCount.textContent = `(${people.length})`;
  };

  // --- presence

  const refreshPresence = async () => {
    if (nc.isClosed() || !state.room) return;
    const room = state.room;
    const seq = ++state.presenceSeq;
    const people = new Map();
    try {
      const replies = await nc.requestMany(`${PRESENCE}.${room}`, Empty, {
        strategy: RequestStrategy.Timer,
        maxWait: PRESENCE_WAIT,
      });
      for await (const m of replies) {
        let p;
        try {
          p = jc.decode(m.data);
        } catch {
          continue;
        }
        if (p && typeof p.name === "string" && typeof p.id === "string" && p.room === room) {
          people.set(p.id, { name: p.name.slice(0, 24), id: p.id, since: Number(p.since) || 0 });
        }
      }
    } catch (err) {
      // e.g. no responders while our own responder is being re-created; the next round fixes it
      if (seq === state.presenceSeq && !nc.isClosed()) ui.report(`presence: ${describe(err)}`);
      return;
    }
    if (seq !== state.presenceSeq || room !== state.room) return; // a newer refresh owns the list
    renderPresence([...people.values()].sort((a, b) => a.name.localeCompare(b.name) || a.since - b.since));
  };

  // several notices in a burst cause one refresh
  const schedulePresence = (ms = 150) => {
    clearTimeout(state.presenceTimer);
    state.presenceTimer = setTimeout(() => {
      refreshPresence();
      schedulePresence(PRESENCE_EVERY);
    }, ms);
  };

  const answerPresence = (room) => {
    state.presenceSub?.unsubscribe();
    state.presenceSub = nc.subscribe(`${PRESENCE}.${room}`, {
      callback: (err, m) => {
        if (err) return ui.report(`presence: ${describe(err)}`);
        m.respond(jc.encode({ name: state.name, id: me, room, since: state.since }));
      },
    });
  };

  // --- actions

  function join(room) {
    if (room === state.room || !ROOM_RE.test(room)) return;
    if (state.room) send({ kind: "leave" });
    state.room = room;
    state.since = Date.now();
    const r = roomState(room);
    r.unread = 0;
    dom.current.textContent = room;
    dom.topic.textContent = topics.get(room);
    dom.messages.replaceChildren(...r.history.map(messageRow));
    dom.messages.scrollTop = dom.messages.scrollHeight;
    renderRooms();
    renderPresence([]);
    answerPresence(room);
    send({ kind: "join" });
    schedulePresence(0);
    dom.input.focus();
  }

  dom.nameForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const name = dom.name.value.trim().slice(0, 24);
    if (!name || name === state.name) return;
    const was = state.name;
    state.name = name;
    sessionStorage.setItem("demo.name", name);
    send({ kind: "rename", was });
    schedulePresence();
  });

  dom.roomForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const input = e.target.elements.room;
    const room = input.value.trim();
    if (!ROOM_RE.test(room)) return;
    input.value = "";
    roomState(room);
    join(room);
  });

  dom.history.addEventListener("click", () => history.show(state.room));

  dom.topicForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const input = dom.topicInput;
    topics.set(state.room, input.value).then(() => (input.value = ""), (err) => ui.report(`topic: ${describe(err)}`));
  });

  dom.form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = dom.input.value.trim();
    if (text && send({ kind: "msg", text })) dom.input.value = "";
  });

  // --- incoming

  nc.subscribe(`${CHAT}.*`, {
    callback: (err, msg) => {
      if (err) return ui.report(`chat: ${describe(err)}`);
      const room = msg.subject.slice(CHAT.length + 1);
      const m = parse(msg);
      if (!m || !ROOM_RE.test(room)) return;
      const known = state.rooms.has(room);
      if (!known && state.rooms.size >= MAX_ROOMS) return;
      const r = roomState(room);
      r.history.push(m);
      if (r.history.length > HISTORY) r.history.splice(0, r.history.length - HISTORY);
      if (room === state.room) {
        appendMessage(m);
        if (m.kind !== "msg" && m.from !== me) schedulePresence();
      } else {
        if (m.kind === "msg") r.unread++;
        if (m.kind === "msg" || !known) renderRooms();
      }
    },
  });

  addEventListener("pagehide", () => {
    if (!nc.isClosed() && state.room) send({ kind: "leave" });
  });

  join("general");

  return {
    /** After a reconnect, the list may have changed while we were away. */
    refreshPresence: () => schedulePresence(0),
    /** A room's topic changed (in this tab or another). */
    topicChanged(room) {
      if (room === state.room) dom.topic.textContent = topics.get(room);
    },
  };
}
