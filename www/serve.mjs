// Static server for the demo: serves www/ at / and the built package at /pkg/, on loopback,
// cross-origin isolated (COOP/COEP) so performance.now() is precise. /config.json tells the
// page which nats-server WebSocket URL(s) to use: `{ servers: [...], wsUrl: servers[0] }`.
//   node www/serve.mjs <ws-url>[,<ws-url2>...] [port]
// The end-to-end test (tests/demo/) imports startDemoServer() from here, so what it serves is
// exactly what `make demo` serves.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** File for a URL path: /pkg/* from pkg/, everything else from www/; null outside them. */
function resolve(urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const inPkg = p.startsWith("/pkg/");
  const base = inPkg ? path.join(ROOT, "pkg") : HERE;
  const rel = inPkg ? p.slice("/pkg".length) : p === "/" ? "/index.html" : p;
  const file = path.normalize(path.join(base, rel));
  return file.startsWith(base + path.sep) ? file : null;
}

/** `"ws://a:1, ws://b:2"` or `["ws://a:1"]` -> `["ws://a:1", "ws://b:2"]`. */
export function parseServers(list) {
  const items = Array.isArray(list) ? list : String(list ?? "").split(",");
  return items.map((s) => s.trim()).filter(Boolean);
}

/**
 * Serve the demo on 127.0.0.1:`port` (0: any free port).
 * @param {{ servers: string[] | string, port?: number }} opts
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startDemoServer({ servers, port = 0 }) {
  const list = parseServers(servers);
  if (list.length === 0) throw new Error("startDemoServer: no nats-server WebSocket URL given");
  const config = JSON.stringify({ servers: list, wsUrl: list[0] });
  const server = http.createServer((req, res) => {
    const headers = {
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cache-Control": "no-store",
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, headers);
      return res.end();
    }
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/config.json") {
      res.writeHead(200, { ...headers, "Content-Type": "application/json" });
      return res.end(config);
    }
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204, headers);
      return res.end();
    }
    const file = resolve(url.pathname);
    if (!file) {
      res.writeHead(403, headers);
      return res.end();
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { ...headers, "Content-Type": "text/plain; charset=utf-8" });
        return res.end("not found");
      }
      res.writeHead(200, { ...headers, "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(req.method === "HEAD" ? undefined : data);
    });
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    servers: list,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const servers = parseServers(process.argv[2]);
  if (servers.length === 0) {
    console.error("usage: node www/serve.mjs <ws-url>[,<ws-url2>...] [port]");
    process.exit(2);
  }
  const { url } = await startDemoServer({ servers, port: Number(process.argv[3] || 8000) });
  console.log(`demo: ${url}/  (nats-server websocket: ${servers.join(", ")})`);
}
