// Entry point of the demo page: reads /config.json (the nats-server WebSocket URLs, see
// serve.mjs), connects once with quick, endless reconnects, then hands the one connection to
// the three panels (and the chat's History view and room topics) and feeds them its status
// events.
import { connect } from "/pkg/index.js";
import { startChat } from "./chat.js";
import { startHistory } from "./history.js";
import { startMonitor } from "./monitor.js";
import { startPanel } from "./panel.js";
import { startTopics } from "./topics.js";
import { byId, describe } from "./util.js";

const body = document.body;
const errorNote = byId(body, "app-error");

// Problems worth telling the user about go to the header, not to the console.
const ui = {
  report(msg) {
    errorNote.textContent = msg;
    errorNote.hidden = false;
    clearTimeout(ui.timer);
    ui.timer = setTimeout(() => (errorNote.hidden = true), 8000);
  },
};

async function main() {
  const panel = startPanel(byId(body, "conn-panel"), byId(body, "conn-badge"));
  let servers;
  try {
    const res = await fetch("/config.json", { cache: "no-store" });
    const cfg = await res.json();
    servers = Array.isArray(cfg.servers) && cfg.servers.length ? cfg.servers : [cfg.wsUrl];
    if (!servers.every((s) => typeof s === "string" && s)) throw new Error("no server URL");
  } catch (err) {
    ui.report(`cannot read /config.json: ${describe(err)}`);
    return;
  }

  panel.connecting(servers);
  let nc;
  try {
    nc = await connect({
      servers,
      name: "nats-wasm demo",
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: true,
    });
  } catch (err) {
    panel.closed(err);
    ui.report(`cannot connect: ${describe(err)}`);
    return;
  }
  panel.connected(nc);
  const history = startHistory(nc, byId(body, "history-panel"), ui);
  let chat = null;
  const topics = startTopics(nc, ui, (room) => chat?.topicChanged(room));
  chat = startChat(nc, byId(body, "chat-panel"), ui, history, topics);
  startMonitor(nc, byId(body, "monitor-panel"), ui);

  nc.closed().then((err) => panel.closed(err));
  for await (const s of nc.status()) {
    panel.status(s);
    if (s.type === "reconnect") chat.refreshPresence();
  }
}

main().catch((err) => ui.report(`demo: ${describe(err)}`));
