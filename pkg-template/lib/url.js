// Server strings to WebSocket URLs, exactly as nats.ws reads them, with the platform's URL
// parser: `ws://` keeps port 80 by default and `wss://` 443; `nats://` and `http://` mean
// `ws://`; `tls://` and `https://` mean `wss://`; a bare `host:port` means `wss://` (nats.ws
// assumes TLS when nothing says otherwise). Throws a TypeError for what is not a URL.

/** The WebSocket URL to dial for `server`. */
export function wsUrl(server) {
  let s = server.trim();
  if (!s.includes("://")) s = "https://" + s;
  const scheme = new URL(s).protocol.toLowerCase();
  // Other schemes have opaque parsing rules in URL: read the rest as http.
  const url = scheme === "http:" || scheme === "https:" ? new URL(s) : new URL("http://" + s.slice(s.indexOf("://") + 3));
  const plain = scheme === "http:" || scheme === "ws:" || scheme === "nats:";
  return `${plain ? "ws:" : "wss:"}//${url.hostname}:${url.port || (plain ? 80 : 443)}${url.pathname}${url.search}`;
}
