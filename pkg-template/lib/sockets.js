// The sockets the core sends on: the URL of a server string, the user's factory (nats.ws's
// async one included), a send that copies where the socket may read late, the debug trace.
import { TD } from "./codecs.js";
import { wsUrl } from "./url.js";

/** The socket in what a `wsFactory` returned: a socket, or nats.ws's `{ socket, encrypted }`. */
const socketOf = (r) => (r && typeof r.send !== "function" && r.socket ? r.socket : r);

/** Stands in for the socket an async `wsFactory` is still making; forwards to it once made. */
class PendingSocket {
  constructor(made, url) {
    this.url = url;
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

/** Values in a CONNECT line that must never be printed. */
const SECRET_FIELDS = /("(?:pass|auth_token|sig|jwt)"\s*:\s*")(?:[^"\\]|\\.)*"/g;

/** A frame as text for the debug log, as nats.ws renders it (CR as ␍, LF as ␊), credentials masked. */
export function renderFrame(data) {
  const text = typeof data === "string" ? data : TD.decode(data);
  return text.replace(SECRET_FIELDS, '$1[REDACTED]"').replace(/\n/g, "␊").replace(/\r/g, "␍");
}

/** Wraps `ws.send`: `wrap(send, data)` runs in its place. */
function wrapSend(ws, wrap) {
  const send = ws.send;
  ws.send = (data) => wrap((d) => send.call(ws, d), data);
}

const underNode = typeof process === "object" && process?.versions?.node !== undefined;

/**
 * The host's `open(server, gossiped)` for a connection's options: the WebSocket URL of a
 * server string (a `host:port` the cluster advertised takes the scheme of the first server),
 * then the socket, from `wsFactory` (ours returns one; nats.ws's returns a promise of
 * `{ socket, encrypted }`, for which a stand-in takes the core's calls meanwhile) or the
 * platform's WebSocket.
 */
export function socketOpener(opts) {
  const factory = opts.wsFactory;
  const plain = wsUrl(opts.servers[0]).startsWith("ws:");
  return (server, gossiped) => {
    const url = wsUrl(gossiped && plain && !server.includes("://") ? `ws://${server}` : server);
    let ws;
    if (factory) {
      const made = factory(url, opts);
      ws = made && typeof made.then === "function" ? new PendingSocket(made, url) : socketOf(made);
    } else {
      ws = new WebSocket(url);
    }
    // The core sends views of wasm memory, which browsers copy before `send` returns; Node's
    // `ws` and sockets of a factory may read them later, once that memory has been reused.
    if (factory || underNode) wrapSend(ws, (send, data) => send(data.slice()));
    // With `debug`, the protocol as nats.ws prints it (console.info): "> " for what
    // arrives, "< " for what was sent. Only then is anything printed at all.
    if (opts.debug) {
      wrapSend(ws, (send, data) => {
        send(data);
        console.info(`< ${renderFrame(data)}`);
      });
      ws.addEventListener("message", (e) => console.info(`> ${renderFrame(e.data)}`));
    }
    return ws;
  };
}
