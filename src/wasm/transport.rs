//! The WebSocket transport: owns the browser socket and its listeners.
//!
//! Listeners are `Closure`s kept in this struct and detached on drop, so a closed connection
//! leaves nothing behind: no closure is ever leaked. Frames are binary (`binaryType = "arraybuffer"`).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BinaryType, CloseEvent, Event, MessageEvent, WebSocket};

/// A WebSocket with its listeners.
pub struct Transport {
    ws: WebSocket,
    /// Hand `send` a copy instead of a view into wasm memory: Node's `ws` (and other shims)
    /// may read the bytes after `send` returns, when that memory has been reused.
    copy_on_send: bool,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl core::fmt::Debug for Transport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Transport")
            .field("url", &self.ws.url())
            .finish()
    }
}

impl Transport {
    /// Opens a socket to `url`. `on_frame` gets each frame's data (an `ArrayBuffer`);
    /// `on_close` runs once when the socket closes for any reason. `copy_on_send` hands
    /// `send` a copy of the bytes: browsers copy what `send` is given before it returns;
    /// other WebSocket implementations (a `wsFactory`, or a shim assigned to
    /// globalThis.WebSocket in Node) may read it later, after wasm memory was reused.
    pub fn open(
        url: &str,
        factory: Option<&js_sys::Function>,
        copy_on_send: bool,
        mut on_frame: impl FnMut(JsValue) + 'static,
        mut on_close: impl FnMut() + 'static,
    ) -> Result<Self, JsValue> {
        let copy_on_send = copy_on_send || factory.is_some();
        let ws: WebSocket = match factory {
            // A user factory returns any object with the WebSocket interface.
            Some(f) => f.call1(&JsValue::UNDEFINED, &url.into())?.unchecked_into(),
            None => WebSocket::new(url)?,
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| on_frame(e.data()));
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_e: CloseEvent| on_close());
        // An error is always followed by a close event, which carries the outcome.
        let on_error = Closure::<dyn FnMut(Event)>::new(|_e: Event| {});
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Transport {
            ws,
            copy_on_send,
            _on_message: on_message,
            _on_close: on_close,
            _on_error: on_error,
        })
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
