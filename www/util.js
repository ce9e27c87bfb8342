// Small DOM and formatting helpers shared by the demo's panels, so each panel module holds
// only its own logic. Everything that shows remote data goes through textContent, never HTML.

/** The element with `data-testid="id"` under `root` (they double as the page's own hooks). */
export function byId(root, id) {
  const e = root.querySelector(`[data-testid="${id}"]`);
  if (!e) throw new Error(`demo: missing element ${id}`);
  return e;
}

/** `el("li", { className: "x", dataset: { a: 1 } }, "text", child)`. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(e.dataset, v);
    else e[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

/** `14:03:07` (or with milliseconds: `14:03:07.042`). */
export function clock(ts = Date.now(), ms = false) {
  const d = new Date(ts);
  const s = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return ms ? `${s}.${pad(d.getMilliseconds(), 3)}` : s;
}

/** `1.2 KiB`. */
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** `12 345`. */
export const count = (n) => n.toLocaleString("en-US").replace(/,/g, "\u202f");

/** A short human message for a NatsError or anything thrown. */
export function describe(err) {
  if (!err) return "";
  const code = err.code && err.code !== err.message ? ` (${err.code})` : "";
  return `${err.message || err}${code}`;
}
