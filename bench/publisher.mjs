// A tiny NATS publisher over plain TCP, used to feed the receive benchmark from outside the
// browser: CONNECT, `count` PUBs written in large pre-encoded chunks, then PING and wait for
// PONG (the server has then routed every message). Bounded by `timeoutMs`.
//
//   node bench/publisher.mjs PORT SUBJECT SIZE COUNT     (stand-alone use)

import net from "node:net";

/**
 * Calls `onLine` with each CRLF-terminated line the server sends on `sock` (payload lines of
 * MSG included), answering the server's PINGs itself.
 */
export function onLines(sock, onLine) {
  let text = "";
  sock.on("data", (chunk) => {
    text += chunk.toString("latin1");
    let i;
    while ((i = text.indexOf("\r\n")) >= 0) {
      const line = text.slice(0, i);
      text = text.slice(i + 2);
      if (line === "PING") sock.write("PONG\r\n");
      else onLine(line);
    }
  });
}

/** Publishes `count` messages of `size` bytes to `subject`; resolves with the elapsed ms. */
export function publishBurst({ host = "127.0.0.1", port, subject, size, count, timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const sock = net.connect({ host, port });
    sock.setNoDelay(true);
    let finished = false;
    const end = (err, value) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => end(new Error(`publisher: timed out after ${timeoutMs} ms`)), timeoutMs);
    sock.on("error", (err) => end(err));
    sock.on("close", () => end(new Error("publisher: connection closed before PONG")));

    // Control lines from the server (INFO, PONG, -ERR); no MSG is ever received.
    let waitingPong = false;
    onLines(sock, (line) => {
      if (line === "PONG" && waitingPong) end(null, { ms: performance.now() - t0 });
      else if (line.startsWith("-ERR")) end(new Error(`publisher: server said ${line}`));
    });

    const one = Buffer.concat([
      Buffer.from(`PUB ${subject} ${size}\r\n`),
      Buffer.alloc(size, "x"),
      Buffer.from("\r\n"),
    ]);
    const perChunk = Math.max(1, Math.floor((256 << 10) / one.length));
    const chunk = Buffer.concat(Array(perChunk).fill(one));

    const closed = new Promise((r) => sock.once("close", r));
    sock.once("connect", async () => {
      sock.write('CONNECT {"verbose":false,"pedantic":false,"protocol":1}\r\n');
      let sent = 0;
      while (sent < count && !finished) {
        const k = Math.min(perChunk, count - sent);
        const ok = sock.write(k === perChunk ? chunk : chunk.subarray(0, k * one.length));
        sent += k;
        if (!ok) await Promise.race([new Promise((r) => sock.once("drain", r)), closed]);
      }
      if (finished) return;
      waitingPong = true;
      sock.write("PING\r\n");
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [port, subject, size, count] = process.argv.slice(2);
  publishBurst({ port: Number(port), subject, size: Number(size), count: Number(count) }).then(
    (r) => console.log(`published ${count} x ${size} B in ${r.ms.toFixed(1)} ms`),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
