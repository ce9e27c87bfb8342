//! Server URL normalisation, exactly as nats.ws does it, using the browser's own URL parser.
//!
//! `ws://` keeps port 80 by default and `wss://` 443; `nats://` and `http://` mean `ws://`;
//! `tls://` and `https://` mean `wss://`; a bare `host:port` means `wss://` (nats.ws assumes
//! TLS when nothing says otherwise).

use wasm_bindgen::JsValue;
use web_sys::Url;

/// Turns a user-supplied server string into the WebSocket URL to dial.
pub fn websocket_url(server: &str) -> Result<String, JsValue> {
    let server = server.trim();
    let with_scheme = if server.contains("://") {
        server.to_string()
    } else {
        format!("https://{server}")
    };
    let parsed = Url::new(&with_scheme)?;
    let scheme = parsed.protocol().to_ascii_lowercase();
    // Non-http schemes have opaque parsing rules in URL; reparse the rest as http.
    let url = if scheme == "http:" || scheme == "https:" {
        parsed
    } else {
        let rest = with_scheme
            .split_once("://")
            .map_or(with_scheme.as_str(), |(_, r)| r);
        Url::new(&format!("http://{rest}"))?
    };
    let (protocol, default_port) = match scheme.as_str() {
        "http:" | "ws:" | "nats:" => ("ws:", "80"),
        "https:" | "wss:" | "tls:" => ("wss:", "443"),
        _ => ("wss:", "443"),
    };
    let port = url.port();
    let port = if port.is_empty() {
        default_port.to_string()
    } else {
        port
    };
    Ok(format!(
        "{protocol}//{}:{port}{}{}",
        url.hostname(),
        url.pathname(),
        url.search()
    ))
}
