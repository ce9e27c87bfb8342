// In-page benchmark functions for the three contenders, exposed as `window.bench`.
//
//   ours     /pkg/index.js                        (nats.ws API over the Rust/wasm core)
//   nats.ws  /node_modules/nats.ws/esm/nats.js    (the reference client)
//   raw      RawConn below: a bare WebSocket speaking NATS by hand, the practical ceiling
//
// bench/run.mjs loads this page once per (repetition, contender) and calls the functions
// below with page.evaluate. Every wait is bounded by a timeout; nothing loops forever.

const MODULES = { ours: "/pkg/index.js", "nats.ws": "/node_modules/nats.ws/esm/nats.js" };
const now = () => performance.now();
const ENC = new TextEncoder();
const DEC = new TextDecoder();
const CONNECT = 'CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"protocol":1}\r\n';
const PING = ENC.encode("PING\r\n");
const PONG = ENC.encode("PONG\r\n");

function payload(size) {
  const p = new Uint8Array(size);
  for (let i = 0; i < size; i++) p[i] = 97 + (i % 26);
  return p;
}

function timeout(ms, what) {
  let timer;
  const p = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return { p, clear: () => clearTimeout(timer) };
}

async function bounded(promise, ms, what) {
  const t = timeout(ms, what);
  try {
    return await Promise.race([promise, t.p]);
  } finally {
    t.clear();
  }
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

// ----- raw: a hand-written NATS-over-WebSocket baseline ----------------------------------

/**
 * A bare NATS connection. Incoming bytes go through a minimal scanner that only finds
 * control lines and skips payloads by their byte count; ops and payloads may be split
 * across WebSocket frames at any byte.
 */
class RawConn {
  static connect(url, ms = 10_000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      const c = new RawConn(ws);
      const timer = setTimeout(() => {
        ws.close();
        reject(new Error("raw connect: timed out"));
      }, ms);
      c.onInfo = () => {
        c.onInfo = null;
        ws.send(ENC.encode(CONNECT));
        c.flush().then(() => {
          clearTimeout(timer);
          resolve(c);
        }, reject);
      };
      ws.onerror = () => {
        clearTimeout(timer);
        reject(new Error("raw connect: websocket error"));
      };
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.msgs = 0; // MSG/HMSG ops seen
    this.skip = 0; // payload bytes (+ CRLF) still to skip
    this.part = null; // an incomplete control line carried over to the next frame
    this.pongs = []; // resolvers waiting for PONG, in order
    this.onInfo = null;
    this.onMsg = null; // (bytes, start, end): the control line of each MSG, if wanted
    this.afterFrame = null; // (frameStartTime) after each frame is scanned
    this.errors = [];
    this.nextSid = 1;
    ws.onmessage = (ev) => {
      const t = now();
      this.feed(new Uint8Array(ev.data));
      if (this.afterFrame !== null) this.afterFrame(t);
    };
    ws.onclose = () => {
      for (const w of this.pongs.splice(0)) w(new Error("raw: connection closed"));
    };
  }

  feed(u8) {
    const n = u8.length;
    let i = 0;
    while (i < n) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, n - i);
        i += k;
        this.skip -= k;
        continue;
      }
      const j = u8.indexOf(10, i);
      if (j < 0) {
        this.keep(u8.subarray(i));
        return;
      }
      if (this.part !== null) {
        const line = new Uint8Array(this.part.length + (j + 1 - i));
        line.set(this.part);
        line.set(u8.subarray(i, j + 1), this.part.length);
        this.part = null;
        this.op(line, 0, line.length - 1);
      } else {
        this.op(u8, i, j);
      }
      i = j + 1;
    }
  }

  keep(rest) {
    if (this.part === null) {
      this.part = rest.slice();
    } else {
      const p = new Uint8Array(this.part.length + rest.length);
      p.set(this.part);
      p.set(rest, this.part.length);
      this.part = p;
    }
  }

  /** One control line: b[s..e], b[e] is '\n'. */
  op(b, s, e) {
    const c = b[s] | 0x20;
    if (c === 0x6d /* m */ || c === 0x68 /* h */) {
      // MSG subj sid [reply] size / HMSG subj sid [reply] hsize total: the last number.
      let k = e - 1;
      if (b[k] === 13) k--;
      let size = 0;
      for (let mul = 1; k > s && b[k] >= 48 && b[k] <= 57; k--, mul *= 10) size += (b[k] - 48) * mul;
      this.skip = size + 2;
      this.msgs++;
      if (this.onMsg !== null) this.onMsg(b, s, e);
    } else if (c === 0x70 /* p */) {
      if ((b[s + 1] | 0x20) === 0x69 /* PING */) this.ws.send(PONG);
      else this.pongs.shift()?.();
    } else if (c === 0x69 /* INFO */) {
      this.onInfo?.();
    } else if (c === 0x2d /* -ERR */) {
      this.errors.push(DEC.decode(b.subarray(s, e)).trim());
    }
  }

  send(bytes) {
    this.ws.send(bytes);
  }

  flush(ms = 30_000) {
    const p = new Promise((resolve, reject) => this.pongs.push((err) => (err ? reject(err) : resolve())));
    this.ws.send(PING);
    return bounded(p, ms, "raw flush");
  }

  subscribe(subject) {
    const sid = this.nextSid++;
    this.ws.send(ENC.encode(`SUB ${subject} ${sid}\r\n`));
    return sid;
  }

  unsubscribe(sid) {
    this.ws.send(ENC.encode(`UNSUB ${sid}\r\n`));
  }

  close() {
    this.ws.close();
  }
}

/** Encodes `PUB subj [reply] size\r\n<payload>\r\n` messages into one big reusable buffer. */
class RawWriter {
  constructor(conn, cap = 256 << 10) {
    this.conn = conn;
    this.buf = new Uint8Array(cap);
    this.off = 0;
  }
  pub(subj, reply, digits, data) {
    const need = 4 + subj.length + (reply ? reply.length + 1 : 0) + 1 + digits.length + 2 + data.length + 2;
    if (this.off + need > this.buf.length) this.send();
    const b = this.buf;
    let o = this.off;
    b[o++] = 80; b[o++] = 85; b[o++] = 66; b[o++] = 32; // "PUB "
    b.set(subj, o);
    o += subj.length;
    b[o++] = 32;
    if (reply) {
      b.set(reply, o);
      o += reply.length;
      b[o++] = 32;
    }
    b.set(digits, o);
    o += digits.length;
    b[o++] = 13; b[o++] = 10;
    b.set(data, o);
    o += data.length;
    b[o++] = 13; b[o++] = 10;
    this.off = o;
  }
  send() {
    // WebSocket.send copies the bytes, so the buffer is reused right away.
    if (this.off > 0) this.conn.send(this.buf.subarray(0, this.off));
    this.off = 0;
  }
}

// ----- the benchmark functions ---------------------------------------------------------

let wsUrl = "";
let who = ""; // contender name
let mod = null; // the imported client module (ours / nats.ws)
let nc = null; // main connection (client or RawConn)
let recv = null; // the running receive measurement
let wasmMemory = null; // ours: the wasm linear memory (captureWasmMemory)
let kv = null; // the KV bucket of the kv rows
const subs = []; // memory test: subscriptions kept alive

async function loadModule(name) {
  const m = await import(MODULES[name]);
  // The memory test finds the wasm memory itself (captureWasmMemory, installed before this).
  if (name === "ours" && typeof m.init === "function") await m.init();
  return m;
}

function dial() {
  if (who === "raw") return RawConn.connect(wsUrl);
  return mod.connect({ servers: wsUrl });
}

const bench = {
  info() {
    return { crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent };
  },

  /** Imports the contender's module (ours: and instantiates the wasm), opens the main connection. */
  async load(url, name) {
    wsUrl = url;
    who = name;
    if (name !== "raw") mod = await bounded(loadModule(name), 30_000, "import");
    nc = await bounded(dial(), 10_000, "connect");
    return true;
  },

  /** Publishes n messages of `size` bytes then flushes; ms from first publish to flush resolved. */
  async pub(size, n) {
    const data = payload(size);
    if (who === "raw") {
      const w = new RawWriter(nc);
      const subj = ENC.encode("bench.pub");
      const digits = ENC.encode(String(size));
      const t0 = now();
      for (let i = 0; i < n; i++) w.pub(subj, null, digits, data);
      w.send();
      await nc.flush(60_000);
      return { ms: now() - t0 };
    }
    const t0 = now();
    for (let i = 0; i < n; i++) nc.publish("bench.pub", data);
    await bounded(nc.flush(), 60_000, "flush");
    return { ms: now() - t0 };
  },

  /**
   * Subscribes to `subject` (mode "iter", "cb"; raw: the scanner) and resolves once the
   * server has the SUB. The measurement runs from the first to the n-th message; see recvWait.
   */
  async recvStart(subject, n, mode, ms) {
    let done;
    const finished = new Promise((r) => (done = r));
    const r = { n, got: 0, t0: 0, t1: 0, finished, timedOut: false, error: null };
    recv = r;
    let stop = () => {};
    const finish = () => {
      clearTimeout(timer);
      stop();
      done();
    };
    const timer = setTimeout(() => {
      r.timedOut = true;
      finish();
    }, ms);
    if (who === "raw") {
      const base = nc.msgs;
      const sid = nc.subscribe(subject);
      stop = () => {
        nc.afterFrame = null;
        nc.unsubscribe(sid);
      };
      nc.afterFrame = (t) => {
        r.got = nc.msgs - base;
        if (r.t0 === 0 && r.got > 0) r.t0 = t;
        if (r.got >= n) {
          r.t1 = now();
          finish();
        }
      };
      await nc.flush();
      return true;
    }
    if (mode === "cb") {
      const sub = nc.subscribe(subject, {
        callback: (err, m) => {
          if (err) {
            r.error = String(err.message || err);
            return finish();
          }
          if (m.data.length < 0) return; // touch the payload, as an application would
          if (++r.got === 1) r.t0 = now();
          if (r.got === n) {
            r.t1 = now();
            finish();
          }
        },
      });
      stop = () => sub.unsubscribe();
    } else {
      const sub = nc.subscribe(subject);
      stop = () => sub.unsubscribe();
      (async () => {
        for await (const m of sub) {
          if (m.data.length < 0) continue;
          if (++r.got === 1) r.t0 = now();
          if (r.got === n) {
            r.t1 = now();
            break;
          }
        }
        finish();
      })().catch((err) => {
        r.error = String(err?.message || err);
        finish();
      });
    }
    await bounded(nc.flush(), 10_000, "flush");
    return true;
  },

  async recvWait() {
    const r = recv;
    await r.finished;
    recv = null;
    return { ms: r.t1 - r.t0, got: r.got, timedOut: r.timedOut, error: r.error };
  },

  /** Sequential request/reply round trips; the responder is a second connection in this page. */
  async reqrep(n, size, ms) {
    const data = payload(size);
    const deadline = now() + ms;
    const lat = [];
    if (who === "raw") {
      const req = await RawConn.connect(wsUrl);
      const rsp = await RawConn.connect(wsUrl);
      try {
        const rw = new RawWriter(rsp, 64 << 10);
        const digits = ENC.encode(String(size));
        rsp.onMsg = (b, s, e) => {
          // MSG bench.rr <sid> <reply> <size>
          const parts = DEC.decode(b.subarray(s, e)).trim().split(" ");
          if (parts.length === 5) {
            rw.pub(ENC.encode(parts[3]), null, digits, data);
            rw.send();
          }
        };
        rsp.subscribe("bench.rr");
        await rsp.flush();
        const inbox = ENC.encode("_INBOX.rawbench.1");
        req.subscribe("_INBOX.rawbench.1");
        await req.flush();
        let wake = null;
        req.onMsg = () => wake?.();
        const qw = new RawWriter(req, 64 << 10);
        const subj = ENC.encode("bench.rr");
        const one = () => {
          const p = new Promise((r) => (wake = r));
          qw.pub(subj, inbox, digits, data);
          qw.send();
          return bounded(p, 5_000, "raw request");
        };
        for (let i = 0; i < 100; i++) await one(); // warm-up
        for (let i = 0; i < n && now() < deadline; i++) {
          const t = now();
          await one();
          lat.push(now() - t);
        }
      } finally {
        req.close();
        rsp.close();
      }
    } else {
      const a = await bounded(dial(), 10_000, "connect");
      const b = await bounded(dial(), 10_000, "connect");
      try {
        b.subscribe("bench.rr", { callback: (err, m) => err || m.respond(m.data) });
        await bounded(b.flush(), 10_000, "flush");
        for (let i = 0; i < 100; i++) await a.request("bench.rr", data, { timeout: 5_000 }); // warm-up
        for (let i = 0; i < n && now() < deadline; i++) {
          const t = now();
          const m = await a.request("bench.rr", data, { timeout: 5_000 });
          lat.push(now() - t);
          if (m.data.length !== size) throw new Error(`reply of ${m.data.length} bytes, want ${size}`);
        }
      } finally {
        await bounded(Promise.allSettled([a.close(), b.close()]), 5_000, "close").catch(() => {});
      }
    }
    lat.sort((x, y) => x - y);
    return {
      n: lat.length,
      p50: percentile(lat, 0.5) * 1000,
      p90: percentile(lat, 0.9) * 1000,
      p99: percentile(lat, 0.99) * 1000,
    };
  },

  /** k fresh connections, each timed from the connect call to its first flush resolved. */
  async connect(k) {
    const times = [];
    for (let i = 0; i < k; i++) {
      const t = now();
      const c = await bounded(dial(), 10_000, "connect");
      if (who !== "raw") await bounded(c.flush(), 10_000, "flush"); // raw: dial ends with PING/PONG
      times.push(now() - t);
      await bounded(Promise.resolve(c.close()), 5_000, "close").catch(() => {});
    }
    times.sort((x, y) => x - y);
    return { median: times[Math.floor(times.length / 2)], times };
  },

  /** In a fresh page: import (+ wasm init for ours), then the first connect + flush. */
  async coldStart(url, name) {
    wsUrl = url;
    who = name;
    let importMs = null;
    if (name !== "raw") {
      const t0 = now();
      mod = await bounded(loadModule(name), 30_000, "import");
      importMs = now() - t0;
    }
    const t1 = now();
    const c = await bounded(dial(), 10_000, "connect");
    if (name !== "raw") await bounded(c.flush(), 10_000, "flush");
    const connectMs = now() - t1;
    await Promise.resolve(c.close());
    return { importMs, connectMs };
  },

  /** Memory test, step 1 (fresh page): import and connect; the baseline is taken after this. */
  async memStart(url, name) {
    if (name === "ours") captureWasmMemory();
    await bench.load(url, name);
    return bench.wasmBytes();
  },

  /** Memory test, step 2: k iterator-mode subscriptions kept alive, then a flush. */
  async memSubscribe(k) {
    if (who === "raw") {
      // The raw client keeps the minimum a client needs: sid -> subject.
      const table = new Map();
      for (let i = 0; i < k; i++) table.set(nc.subscribe("bench.mem." + i), "bench.mem." + i);
      subs.push(table);
      await nc.flush();
    } else {
      for (let i = 0; i < k; i++) subs.push(nc.subscribe("bench.mem." + i));
      await bounded(nc.flush(), 30_000, "flush");
    }
    return bench.wasmBytes();
  },

  /** JetStream: a fresh file-backed stream (a leftover of a failed run is deleted first). */
  async jsSetup(stream, subject) {
    const jsm = await bounded(nc.jetstreamManager(), 10_000, "jetstreamManager");
    await jsm.streams.delete(stream).catch(() => {});
    await bounded(jsm.streams.add({ name: stream, subjects: [subject] }), 10_000, "streams.add");
    return true;
  },

  /**
   * n js.publish()es of `size` bytes in batches of `window` (1: each awaited before the next);
   * ms from the first publish to the last PubAck. Stops at `ms` with timedOut.
   */
  async jsPub(subject, size, n, window, ms) {
    const js = nc.jetstream();
    const data = payload(size);
    let stopped = false;
    let done = 0;
    const t0 = now();
    const loop = async () => {
      while (done < n && !stopped) {
        const k = Math.min(window, n - done);
        if (k === 1) await js.publish(subject, data);
        else await Promise.all(Array.from({ length: k }, () => js.publish(subject, data)));
        done += k;
      }
    };
    try {
      await bounded(loop(), ms, "js.publish");
    } catch (err) {
      if (!/timed out/.test(err.message)) throw err;
    } finally {
      stopped = true; // a publish that never answers leaves the loop parked, not spinning
    }
    return { ms: now() - t0, done, timedOut: done < n };
  },

  /** Empties the stream and fills it with n messages (100 in flight); the count is checked. */
  async jsFill(stream, subject, size, n, ms) {
    const jsm = await nc.jetstreamManager();
    await bounded(jsm.streams.purge(stream), 10_000, "streams.purge");
    const r = await bench.jsPub(subject, size, n, 100, ms);
    const have = (await bounded(jsm.streams.info(stream), 10_000, "streams.info")).state.messages;
    if (r.timedOut || have !== n) throw new Error(`fill: the stream holds ${have}/${n} messages${r.timedOut ? ` (timed out after ${ms} ms)` : ""}`);
    return true;
  },

  /**
   * Reads n messages with consume(): from a fresh durable pull consumer with explicit acks,
   * each message ack()ed (durable set), or from an ordered consumer (durable null), with
   * `max` messages asked for at a time (default: nats.ws's 100); or with `push`, from an
   * ordered push consumer (the older `js.subscribe()`: the server sends without pulls). ms
   * from the first message to the n-th; stops at `ms` with timedOut.
   */
  async jsConsume(stream, n, durable, ms, max, push) {
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    if (durable) {
      await jsm.consumers.delete(stream, durable).catch(() => {});
      await bounded(jsm.consumers.add(stream, { durable_name: durable, ack_policy: mod.AckPolicy.Explicit }), 10_000, "consumers.add");
    }
    let iter;
    if (push) {
      const o = mod.consumerOpts();
      o.orderedConsumer();
      iter = await bounded(js.subscribe(">", o), 10_000, "subscribe");
    } else {
      const c = await bounded(durable ? js.consumers.get(stream, durable) : js.consumers.get(stream), 10_000, "consumers.get");
      iter = await bounded(c.consume(max ? { max_messages: max } : undefined), 10_000, "consume");
    }
    const r = { got: 0, t0: 0, t1: 0, timedOut: false, error: null };
    const loop = (async () => {
      for await (const m of iter) {
        if (m.data.length < 0) continue; // touch the payload, as an application would
        if (durable) m.ack();
        if (++r.got === 1) r.t0 = now();
        if (r.got === n) {
          r.t1 = now();
          break; // leaving the loop stops the consumer
        }
      }
    })().catch((err) => (r.error = String(err?.message || err)));
    const t = timeout(ms, "consume");
    await Promise.race([loop, t.p]).catch(() => {
      r.timedOut = true;
      try {
        iter.stop();
      } catch {
        // already stopped
      }
    });
    t.clear();
    if (durable) {
      await bounded(nc.flush(), 10_000, "flush").catch(() => {}); // the acks reach the server
      await jsm.consumers.delete(stream, durable).catch(() => {});
    }
    return { ms: r.t1 - r.t0, got: r.got, timedOut: r.timedOut, error: r.error };
  },

  /** KV: a fresh file-backed bucket keeping `history` revisions per key. */
  async kvSetup(bucket, history) {
    const jsm = await bounded(nc.jetstreamManager(), 10_000, "jetstreamManager");
    await jsm.streams.delete(`KV_${bucket}`).catch(() => {});
    kv = await bounded(nc.jetstream().views.kv(bucket, { history }), 10_000, "views.kv");
    return true;
  },

  /**
   * n kv.put() (op "put") or kv.get() (op "get", of the key the puts wrote) round trips, each
   * awaited before the next: p50 and p99 in µs.
   */
  async kvLatency(op, size, n, ms) {
    const data = payload(size);
    const lat = [];
    const loop = async () => {
      for (let i = 0; i < n; i++) {
        const t = now();
        if (op === "put") await kv.put("bench.key", data);
        else if ((await kv.get("bench.key")) === null) throw new Error("get: no value");
        lat.push(now() - t);
      }
    };
    await bounded(loop(), ms, `kv.${op}`);
    lat.sort((a, b) => a - b);
    return { p50: percentile(lat, 0.5) * 1000, p99: percentile(lat, 0.99) * 1000 };
  },

  /** Fills the bucket with n values of `size` bytes, each to a key of its own (100 in flight). */
  async kvFill(size, n, ms) {
    const data = payload(size);
    const loop = async () => {
      for (let i = 0; i < n; i += 100) {
        await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => kv.put(`fill.${i + k}`, data)));
      }
    };
    await bounded(loop(), ms, "kv fill");
    return true;
  },

  /**
   * A watch of the whole bucket (every revision: `include: AllHistory`) reading n entries:
   * ms from the first entry to the n-th; stops at `ms` with timedOut.
   */
  async kvWatch(n, ms) {
    const w = await bounded(kv.watch({ include: mod.KvWatchInclude.AllHistory }), 10_000, "watch");
    const r = { got: 0, t0: 0, t1: 0, timedOut: false, error: null };
    const loop = (async () => {
      for await (const e of w) {
        if (e.value.length < 0) continue; // touch the value, as an application would
        if (++r.got === 1) r.t0 = now();
        if (r.got === n) {
          r.t1 = now();
          break;
        }
      }
    })().catch((err) => (r.error = String(err?.message || err)));
    const t = timeout(ms, "watch");
    await Promise.race([loop, t.p]).catch(() => {
      r.timedOut = true;
      w.stop();
    });
    t.clear();
    return { ms: r.t1 - r.t0, got: r.got, timedOut: r.timedOut, error: r.error };
  },

  /**
   * An object of `size` bytes put (from a ReadableStream of 64 KiB pieces) then got (its data
   * read to the end), into a fresh object store: ms of each.
   */
  async osPutGet(size, ms) {
    const os = await bounded(nc.jetstream().views.os("bench"), 10_000, "views.os");
    const piece = payload(64 * 1024);
    let made = 0;
    const rs = new ReadableStream({
      pull(c) {
        if (made >= size) return c.close();
        c.enqueue(piece.slice());
        made += piece.length;
      },
    });
    const t0 = now();
    const info = await bounded(os.put({ name: "blob" }, rs), ms, "os.put");
    const t1 = now();
    const r = await bounded(os.get("blob"), ms, "os.get");
    const reader = r.data.getReader();
    let got = 0;
    const read = async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        got += value.length;
      }
    };
    await bounded(read(), ms, "os.get data");
    const t2 = now();
    const err = await r.error;
    await bounded(os.destroy(), 10_000, "os.destroy");
    if (err || info.size !== size || got !== size) throw new Error(`put ${info.size}, got ${got} of ${size}${err ? `: ${err.message}` : ""}`);
    return { put: t1 - t0, get: t2 - t1 };
  },

  async kvTeardown() {
    await bounded(kv.destroy(), 10_000, "kv.destroy");
    kv = null;
    return true;
  },

  async jsTeardown(stream) {
    const jsm = await bounded(nc.jetstreamManager(), 10_000, "jetstreamManager");
    await bounded(jsm.streams.delete(stream), 10_000, "streams.delete");
    return true;
  },

  wasmBytes() {
    return wasmMemory ? wasmMemory.buffer.byteLength : null;
  },

  async close() {
    if (nc) await bounded(Promise.resolve(nc.close()), 5_000, "close").catch(() => {});
    nc = null;
    return true;
  },
};

/**
 * Finds the wasm linear memory without knowing the package's (shortened) export names: wraps
 * WebAssembly.instantiate(Streaming) before the module is imported and keeps the first
 * exported Memory it sees.
 */
function captureWasmMemory() {
  const keep = (result) => {
    const exports = (result.instance ?? result).exports;
    if (!wasmMemory && exports) {
      for (const v of Object.values(exports)) {
        if (v instanceof WebAssembly.Memory) {
          wasmMemory = v;
          break;
        }
      }
    }
    return result;
  };
  const inst = WebAssembly.instantiate;
  const stream = WebAssembly.instantiateStreaming;
  WebAssembly.instantiate = (...a) => inst.apply(WebAssembly, a).then(keep);
  if (stream) WebAssembly.instantiateStreaming = (...a) => stream.apply(WebAssembly, a).then(keep);
}

bench.internals = { RawConn, RawWriter, payload, get nc() { return nc; } }; // for ad-hoc experiments
window.bench = bench;
