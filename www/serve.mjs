// Static server for the demo: serves www/ at / and the built package at /pkg/, on loopback,
// cross-origin isolated (COOP/COEP) so performance.now() is precise. /config.json tells the
// page which nats-server WebSocket to use.
//   node www/serve.mjs <ws-url> [port]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wsUrl = process.argv[2];
const port = Number(process.argv[3] || 8000);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};

function resolve(urlPath) {
  const p = decodeURIComponent(urlPath);
  const base = p.startsWith("/pkg/") ? root : path.join(root, "www");
  const file = path.normalize(path.join(base, p === "/" ? "index.html" : p));
  return file.startsWith(base) ? file : null;
}

const server = http.createServer((req, res) => {
  const headers = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cache-Control": "no-store",
  };
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/config.json") {
    res.writeHead(200, { ...headers, "Content-Type": "application/json" });
    return res.end(JSON.stringify({ wsUrl }));
  }
  const file = resolve(url.pathname);
  if (!file) {
    res.writeHead(403, headers);
    return res.end();
  }
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404, headers);
      return res.end("not found");
    }
    res.writeHead(200, { ...headers, "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(data);
  });
});
server.listen(port, "127.0.0.1", () => {
  console.log(`demo: http://127.0.0.1:${port}/  (nats-server websocket: ${wsUrl})`);
});
