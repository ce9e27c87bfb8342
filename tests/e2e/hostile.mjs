// A hostile "NATS server" for tests: speaks just enough WebSocket (RFC 6455) and NATS to get a
// client to the point where it misbehaves in a chosen way. Loopback only; every connection
// ends by itself.
import crypto from "node:crypto";
import http from "node:http";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** One unmasked server frame (binary, FIN set) holding `payload`. */
export function frame(payload, { fin = true, opcode = 2 } = {}) {
  const len = payload.length;
  let head;
  if (len < 126) {
    head = Buffer.from([(fin ? 0x80 : 0) | opcode, len]);
  } else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = (fin ? 0x80 : 0) | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = (fin ? 0x80 : 0) | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** Decodes masked client frames from `buf`; returns [payloads, rest]. */
function readClientFrames(buf) {
  const out = [];
  for (;;) {
    if (buf.length < 2) break;
    let len = buf[1] & 0x7f;
    let off = 2;
    if (len === 126) {
      if (buf.length < 4) break;
      len = buf.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (buf.length < 10) break;
      len = Number(buf.readBigUInt64BE(2));
      off = 10;
    }
    if (buf.length < off + 4 + len) break;
    const mask = buf.subarray(off, off + 4);
    const data = Buffer.from(buf.subarray(off + 4, off + 4 + len));
    for (let i = 0; i < data.length; i++) data[i] ^= mask[i & 3];
    out.push(data);
    buf = buf.subarray(off + 4 + len);
  }
  return [out, buf];
}

export const INFO =
  'INFO {"server_id":"HOSTILE","version":"2.14.6","proto":1,"headers":true,"max_payload":1048576}\r\n';

/**
 * Starts a server on 127.0.0.1 running `script(conn)` for every client. `conn` has
 * `send(bytes|string)` (one frame), `sendRaw(buffer)`, `handshake()` (INFO, then waits for the
 * client's PING and answers PONG), `received()` (all client text so far) and `end()`.
 */
export async function startHostile(script) {
  const sockets = new Set();
  const server = http.createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  server.on("upgrade", (req, socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const accept = crypto.createHash("sha1").update(req.headers["sec-websocket-key"] + GUID).digest("base64");
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    let pending = Buffer.alloc(0);
    let text = "";
    const waiters = [];
    socket.on("data", (chunk) => {
      const [frames, rest] = readClientFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of frames) text += f.toString("latin1");
      for (const w of waiters.splice(0)) w();
    });
    const conn = {
      send: (data) => socket.writable && socket.write(frame(Buffer.from(data, "latin1"))),
      sendRaw: (buf) => socket.writable && socket.write(buf),
      received: () => text,
      end: () => socket.destroy(),
      /** Resolves once `done(text)` holds for what the client sent (bounded). */
      waitUntil: (done, ms = 5000) =>
        new Promise((resolve, reject) => {
          const end = Date.now() + ms;
          const check = () => {
            if (done(text)) return resolve();
            if (Date.now() > end || socket.destroyed) return reject(new Error("client never sent it"));
            setTimeout(check, 50);
          };
          check();
        }),
      /** Resolves once the client has sent something matching `re` (bounded). */
      waitFor: (re, ms = 5000) =>
        new Promise((resolve, reject) => {
          const end = Date.now() + ms;
          const check = () => {
            if (re.test(text)) return resolve();
            if (Date.now() > end || socket.destroyed) return reject(new Error(`client never sent ${re}`));
            waiters.push(check);
            setTimeout(check, 50);
          };
          check();
        }),
      handshake: async () => {
        conn.send(INFO);
        await conn.waitFor(/CONNECT[^\n]*\r\nPING\r\n/);
        conn.send("PONG\r\n");
      },
      /** From now on, answers every client PING with a PONG (a minimal live server). */
      autoPong: () => {
        let answered = (text.match(/^PING\r\n/gm) || []).length;
        socket.on("data", () => {
          const pings = (text.match(/^PING\r\n/gm) || []).length;
          for (; answered < pings; answered++) conn.send("PONG\r\n");
        });
      },
    };
    Promise.resolve(script(conn)).catch(() => socket.destroy());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `ws://127.0.0.1:${server.address().port}`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
