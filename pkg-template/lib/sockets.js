// What stands between the core and a user's WebSocket: async factories and the debug trace.
import { TD } from "./codecs.js";

/** The socket in what a `wsFactory` returned: a socket, or nats.ws's `{ socket, encrypted }`. */
const socketOf = (r) => (r && typeof r.send !== "function" && r.socket ? r.socket : r);

/**
 * Adapts a user's `wsFactory` to the core, which needs a socket at once: ours returns one;
 * nats.ws's, `(url, options) => Promise<{ socket, encrypted }>`, gets a stand-in meanwhile.
 */
export function userSockets(factory, options) {
  return (url) => {
    const made = factory(url, options);
    return made && typeof made.then === "function" ? new PendingSocket(made) : socketOf(made);
  };
}

/** Stands in for the socket an async `wsFactory` is still making; forwards to it once made. */
class PendingSocket {
  constructor(made) {
    this.binaryType = "arraybuffer";
    this.onmessage = this.onclose = this.onerror = null;
    this._ws = null;
    this._closed = false;
    this._listeners = [];
    made.then((r) => {
      const ws = socketOf(r);
      if (this._closed) return ws.close();
      ws.binaryType = this.binaryType;
      ws.onmessage = (e) => this.onmessage?.(e);
      ws.onerror = (e) => this.onerror?.(e);
      ws.onclose = (e) => this.onclose?.(e);
      for (const l of this._listeners) ws.addEventListener("message", l);
      this._ws = ws;
    }, () => this.close());
  }
  get readyState() {
    return this._ws ? this._ws.readyState : this._closed ? 3 : 0;
  }
  get bufferedAmount() {
    return this._ws ? this._ws.bufferedAmount : 0;
  }
  addEventListener(type, listener) {
    if (type === "message") this._listeners.push(listener);
  }
  send(data) {
    this._ws?.send(data);
  }
  close(code, reason) {
    if (this._ws) return this._ws.close(code, reason);
    if (this._closed) return;
    this._closed = true;
    queueMicrotask(() => this.onclose?.({ code: 1006, reason: "" }));
  }
}

// ----- debug ---------------------------------------------------------------------------------

/** Values in a CONNECT line that must never be printed. */
const SECRET_FIELDS = /("(?:pass|auth_token|sig|jwt)"\s*:\s*")(?:[^"\\]|\\.)*"/g;

/** A frame as text for the debug log: CR LF shown as ␍␊, credentials masked. */
export function renderFrame(data) {
  const text = typeof data === "string" ? data : TD.decode(data);
  return text.replace(SECRET_FIELDS, '$1[REDACTED]"').replace(/\r\n/g, "␍␊");
}

/**
 * With `debug`, each socket prints the protocol as nats.ws does: "> " for what is sent,
 * "< " for what arrives (console.info). Only then is anything printed at all.
 */
export function debugSockets(make) {
  return (url) => {
    const ws = make(url);
    const send = ws.send;
    ws.send = (data) => {
      console.info(`> ${renderFrame(data)}`);
      return send.call(ws, data);
    };
    ws.addEventListener("message", (e) => console.info(`< ${renderFrame(e.data)}`));
    return ws;
  };
}
