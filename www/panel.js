// Connection panel and header badge: which server the tab is on, a timestamped log of status
// events (disconnect, reconnecting, reconnect, update, ldm, error…), rtt every few seconds,
// traffic counters every second, and a button that forces a reconnect.
import { byId, bytes, clock, count, describe, el } from "./util.js";

const EVENTS = 200; // rows kept in the event log
const RTT_EVERY = 3000;
const STATS_EVERY = 1000;

// the header badge's state for each status event type (others leave it as it is)
const STATE_OF = {
  disconnect: "disconnected",
  reconnecting: "reconnecting",
  reconnect: "connected",
  ldm: "lame duck",
  staleConnection: "stale",
};

/** `data` of a status event as a short line. */
function detail(s) {
  const d = s.data;
  if (d === undefined || d === null || d === "") return "";
  if (typeof d !== "object") return String(d);
  if (Array.isArray(d.added) || Array.isArray(d.deleted)) {
    const parts = [];
    if (d.added?.length) parts.push(`added ${d.added.join(", ")}`);
    if (d.deleted?.length) parts.push(`deleted ${d.deleted.join(", ")}`);
    return parts.join("; ") || "no change";
  }
  return JSON.stringify(d);
}

/**
 * @param {HTMLElement} root the connection panel
 * @param {HTMLElement} badge the header badge
 */
export function startPanel(root, badge) {
  const dom = {
    server: byId(root, "conn-server"),
    info: byId(root, "conn-info"),
    rtt: byId(root, "conn-rtt"),
    events: byId(root, "conn-events"),
    reconnect: byId(root, "force-reconnect"),
    inMsgs: byId(root, "stat-inMsgs"),
    outMsgs: byId(root, "stat-outMsgs"),
    inBytes: byId(root, "stat-inBytes"),
    outBytes: byId(root, "stat-outBytes"),
  };
  let nc = null;
  let seq = 0;
  let rttBusy = false;

  const setState = (st, text) => {
    badge.dataset.state = st;
    badge.textContent = text ?? st;
  };

  const log = (type, text, ts = Date.now()) => {
    dom.events.prepend(
      el(
        "li",
        { dataset: { testid: "conn-event", type, seq: String(++seq) } },
        el("time", {}, clock(ts, true)),
        el("span", { className: `type t-${type.replace(/\W+/g, "-")}` }, type),
        el("span", { className: "data" }, text),
      ),
    );
    while (dom.events.childElementCount > EVENTS) dom.events.lastElementChild.remove();
  };

  const showServer = () => {
    if (!nc || nc.isClosed()) return;
    dom.server.textContent = nc.getServer();
    const i = nc.info;
    if (i) {
      // an unnamed server's name is its 56-character id: show the start of it
      const name = i.server_name?.length > 20 ? `${i.server_name.slice(0, 12)}…` : i.server_name;
      dom.info.textContent = [name, i.cluster && `cluster ${i.cluster}`, `v${i.version}`].filter(Boolean).join(" · ");
      dom.info.title = i.server_name || "";
    }
  };

  const showStats = () => {
    if (!nc) return;
    const s = nc.stats();
    dom.inMsgs.textContent = count(s.inMsgs);
    dom.outMsgs.textContent = count(s.outMsgs);
    dom.inBytes.textContent = bytes(s.inBytes);
    dom.outBytes.textContent = bytes(s.outBytes);
  };

  const measureRtt = async () => {
    if (!nc || nc.isClosed() || rttBusy || badge.dataset.state !== "connected") return;
    rttBusy = true;
    try {
      const ms = await nc.rtt();
      dom.rtt.textContent = `${ms} ms`;
    } catch {
      dom.rtt.textContent = "–";
    } finally {
      rttBusy = false;
    }
  };

  dom.reconnect.addEventListener("click", async () => {
    if (!nc) return;
    log("ui", "force reconnect requested");
    try {
      await nc.reconnect();
    } catch (err) {
      log("ui", `reconnect failed: ${describe(err)}`);
    }
  });

  setInterval(showStats, STATS_EVERY);
  setInterval(measureRtt, RTT_EVERY);

  return {
    /** Before connect() resolves. */
    connecting(servers) {
      setState("connecting", "connecting…");
      log("connecting", servers.join(", "));
    },
    /** connect() resolved. */
    connected(conn) {
      nc = conn;
      setState("connected", `connected · ${nc.getServer()}`);
      dom.reconnect.disabled = false;
      showServer();
      showStats();
      measureRtt();
      log("connect", nc.getServer());
    },
    /** One event from nc.status(). */
    status(s) {
      log(s.type, detail(s));
      const st = STATE_OF[s.type];
      if (st) setState(st);
      if (s.type === "reconnect") {
        setState("connected", `connected · ${nc.getServer()}`);
        showServer();
        measureRtt();
      }
    },
    /** The connection closed for good (err: why, if it was not asked for). */
    closed(err) {
      setState("closed");
      dom.reconnect.disabled = true;
      dom.rtt.textContent = "–";
      log("closed", err ? describe(err) : "");
    },
    log,
  };
}
