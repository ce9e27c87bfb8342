//! The WebSocket transport: owns the browser socket and detaches its listeners on drop.
//!
//! The listeners are JS functions from the glue (see `interface::hook`), set as the socket's
//! `onmessage`, `onclose` and `onerror` and cleared on drop, so a closed or replaced socket
//! can reach the connection no more. Frames are binary (`binaryType = "arraybuffer"`).

use js_sys::Function;
use wasm_bindgen::JsValue;
use web_sys::{BinaryType, WebSocket};

/// A WebSocket whose listeners this value owns.
pub struct Transport {
    ws: WebSocket,
}

impl core::fmt::Debug for Transport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Transport")
            .field("url", &self.ws.url())
            .finish()
    }
}

impl Transport {
    /// Takes the socket the glue made, with `[onmessage, onclose, onerror]` as its listeners
    /// (an error is always followed by a close, which carries the outcome; the `error`
    /// listener is there because Node's `ws` throws an error event nobody listens to).
    pub fn new(ws: WebSocket, [on_message, on_close, on_error]: [&Function; 3]) -> Self {
        ws.set_binary_type(BinaryType::Arraybuffer);
        ws.set_onmessage(Some(on_message));
        ws.set_onclose(Some(on_close));
        ws.set_onerror(Some(on_error));
        Transport { ws }
    }

    /// Sends one binary frame: a view of wasm memory, which browsers copy before `send`
    /// returns (the glue gives sockets that might read it later a `send` that copies).
    pub fn send(&self, bytes: &[u8]) -> Result<(), JsValue> {
        self.ws.send_with_u8_array(bytes)
    }

    /// True when the socket is encrypted (`wss:`).
    pub fn is_secure(&self) -> bool {
        self.ws.url().starts_with("wss:")
    }

    /// True once the socket is open for sending.
    pub fn is_open(&self) -> bool {
        self.ws.ready_state() == WebSocket::OPEN
    }

    /// Bytes queued by `send` and not yet handed to the network.
    pub fn buffered_amount(&self) -> u32 {
        self.ws.buffered_amount()
    }

    /// Starts the closing handshake; frames already sent are still delivered first.
    pub fn close(&self) {
        let _ = self.ws.close();
    }
}

impl Drop for Transport {
    fn drop(&mut self) {
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        self.ws.set_onerror(None);
        let state = self.ws.ready_state();
        if state == WebSocket::OPEN || state == WebSocket::CONNECTING {
            let _ = self.ws.close();
        }
    }
}
