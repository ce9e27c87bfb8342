// Subject monitor panel: one wildcard subscription (default `demo.>`, editable), a bounded list
// of the last messages (DOM updates batched per animation frame, so a burst costs one layout),
// the message rate and a throughput plot of the last 60 seconds.
import { byId, clock, count, describe, el } from "./util.js";
import { drawThroughput } from "./plot.js";

const ROWS = 200; // rows kept in the list
const SECONDS = 60; // seconds in the plot
const PREVIEW = 160; // payload bytes shown per row

const td = new TextDecoder(); // not fatal: invalid UTF-8 shows as U+FFFD
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;
const preview = (data) => {
  const s = td.decode(data.subarray(0, PREVIEW)).replace(CONTROL, "·");
  return data.length > PREVIEW ? `${s}…` : s;
};

/**
 * @param {import("/pkg/index.js").NatsConnection} nc
 * @param {HTMLElement} root the monitor panel
 * @param {{ report(msg: string): void }} ui
 */
export function startMonitor(nc, root, ui) {
  const dom = {
    form: byId(root, "monitor-form"),
    subject: byId(root, "monitor-subject"),
    pause: byId(root, "monitor-pause"),
    count: byId(root, "monitor-count"),
    rate: byId(root, "monitor-rate"),
    peak: byId(root, "monitor-peak"),
    note: byId(root, "monitor-note"),
    plot: byId(root, "monitor-plot"),
    list: byId(root, "monitor-list"),
  };
  const state = {
    sub: null,
    total: 0,
    peak: 0,
    paused: false,
    pending: [], // rows received since the last frame (at most ROWS)
    frame: 0,
    series: new Array(SECONDS).fill(0), // msgs per second, oldest first; last = current second
    second: Math.floor(Date.now() / 1000),
  };

  // shift the series so that its last slot is the current second
  const advance = (now = Date.now()) => {
    const sec = Math.floor(now / 1000);
    const gap = Math.min(SECONDS, sec - state.second);
    if (gap > 0) {
      state.series.splice(0, gap);
      for (let i = 0; i < gap; i++) state.series.push(0);
      state.second = sec;
    }
  };

  const flush = () => {
    state.frame = 0;
    dom.count.textContent = count(state.total);
    if (state.paused || state.pending.length === 0) return;
    const rows = state.pending.splice(0).reverse(); // newest first
    const frag = document.createDocumentFragment();
    for (const r of rows) {
      frag.append(
        el(
          "li",
          { dataset: { testid: "monitor-row" } },
          el("time", {}, clock(r.ts, true)),
          el("span", { className: "subj", title: r.reply ? `reply to ${r.reply}` : "" }, r.subject),
          el("span", { className: "size" }, `${r.size} B${r.headers ? " +H" : ""}`),
          el("span", { className: "payload" }, r.text),
        ),
      );
    }
    dom.list.prepend(frag);
    while (dom.list.childElementCount > ROWS) dom.list.lastElementChild.remove();
  };

  const onMessage = (err, m) => {
    if (err) {
      dom.note.textContent = describe(err);
      ui.report(`monitor: ${describe(err)}`);
      return;
    }
    const now = Date.now();
    advance(now);
    state.series[SECONDS - 1]++;
    state.total++;
    if (!state.paused) {
      state.pending.push({
        ts: now,
        subject: m.subject,
        reply: m.reply,
        size: m.data.length,
        headers: m.headers !== undefined,
        text: preview(m.data),
      });
      if (state.pending.length > ROWS) state.pending.splice(0, state.pending.length - ROWS);
    }
    if (!state.frame) state.frame = requestAnimationFrame(flush);
  };

  const reset = () => {
    state.total = 0;
    state.peak = 0;
    state.pending.length = 0;
    state.series.fill(0);
    dom.list.replaceChildren();
    dom.count.textContent = "0";
    dom.rate.textContent = "0";
    dom.peak.textContent = "0";
  };

  const watch = (subject) => {
    let sub;
    try {
      sub = nc.subscribe(subject, { callback: onMessage });
    } catch (err) {
      dom.note.textContent = `cannot watch “${subject}”: ${describe(err)}`;
      return;
    }
    state.sub?.unsubscribe();
    state.sub = sub;
    reset();
    dom.note.textContent = `watching ${subject}`;
  };

  // rate, peak and plot, a few times a second
  const tick = () => {
    advance();
    const last = state.series[SECONDS - 2]; // the last complete second
    state.peak = Math.max(state.peak, last);
    dom.rate.textContent = count(last);
    dom.peak.textContent = count(state.peak);
    drawThroughput(dom.plot, state.series);
  };
  setInterval(tick, 250);
  new ResizeObserver(() => drawThroughput(dom.plot, state.series)).observe(dom.plot);

  dom.form.addEventListener("submit", (e) => {
    e.preventDefault();
    const subject = dom.subject.value.trim();
    if (subject) watch(subject);
  });
  root.querySelector('[data-action="clear"]').addEventListener("click", reset);
  dom.pause.addEventListener("click", () => {
    state.paused = !state.paused;
    dom.pause.textContent = state.paused ? "resume" : "pause";
    dom.pause.classList.toggle("on", state.paused);
    if (state.paused) state.pending.length = 0;
  });

  watch(dom.subject.value.trim() || "demo.>");
}
