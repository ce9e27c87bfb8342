//! The WebSocket transport: owns the browser socket and detaches its listeners on drop.
//!
//! The listeners are JS functions from the glue (see `client::hook`), set as the socket's
//! `onmessage`, `onclose` and `onerror` and cleared on drop, so a closed or replaced socket
//! can reach the connection no more. Frames are binary (`binaryType = "arraybuffer"`).

use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BinaryType, WebSocket};

/// A WebSocket whose listeners this value owns.
pub struct Transport {
    ws: WebSocket,
    /// Hand `send` a copy instead of a view into wasm memory: Node's `ws` (and other shims)
    /// may read the bytes after `send` returns, when that memory has been reused.
    copy_on_send: bool,
}

impl core::fmt::Debug for Transport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Transport")
            .field("url", &self.ws.url())
            .finish()
    }
}

impl Transport {
    /// Opens a socket to `url` with `[onmessage, onclose, onerror]` as its listeners (an
    /// error is always followed by a close, which carries the outcome; the `error` listener
    /// is there because Node's `ws` throws an error event nobody listens to).
    /// `copy_on_send` hands `send` a copy of the bytes: browsers copy what `send` is given
    /// before it returns; other WebSocket implementations (a `wsFactory`, or a shim assigned
    /// to globalThis.WebSocket in Node) may read it later, after wasm memory was reused.
    pub fn open(
        url: &str,
        factory: Option<&Function>,
        copy_on_send: bool,
        [on_message, on_close, on_error]: [&Function; 3],
    ) -> Result<Self, JsValue> {
        let copy_on_send = copy_on_send || factory.is_some();
        let ws: WebSocket = match factory {
            // A user factory returns any object with the WebSocket interface.
            Some(f) => f.call1(&JsValue::UNDEFINED, &url.into())?.unchecked_into(),
            None => WebSocket::new(url)?,
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        ws.set_onmessage(Some(on_message));
        ws.set_onclose(Some(on_close));
        ws.set_onerror(Some(on_error));
        Ok(Transport { ws, copy_on_send })
    }

    /// Sends one binary frame. The browser copies the bytes before returning.
    pub fn send(&self, bytes: &[u8]) -> Result<(), JsValue> {
        if self.copy_on_send {
            return self
                .ws
                .send_with_array_buffer_view(&js_sys::Uint8Array::from(bytes));
        }
        self.ws.send_with_u8_array(bytes)
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
