//! What `std` would otherwise provide to the shipped (no-`std`) wasm: a panic handler and a
//! global allocator (the size-class heap of `heap.rs`).
//!
//! Std's panic machinery formats messages and so links `core::fmt` (about a tenth of the wasm)
//! even with `panic = "abort"`. Panics are unreachable from input by design (clippy denies
//! `unwrap`, `expect` and `panic!` in shipped code); if one happens anyway, the handler names
//! the source location on the console and stops the module, as `std` would.
#![allow(unsafe_code)]

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(what: &str, file: &str, line: u32);
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    if let Some(at) = info.location() {
        console_error(
            "nats-wasm: internal error (a bug: please report it) at",
            at.file(),
            at.line(),
        );
    }
    core::arch::wasm32::unreachable()
}

#[global_allocator]
static ALLOCATOR: crate::heap::Heap<crate::heap::WasmMemory> =
    crate::heap::Heap::new(crate::heap::WasmMemory);
