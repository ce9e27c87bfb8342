//! What `std` would otherwise provide to the shipped (no-`std`) wasm: a panic handler and a
//! global allocator.
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

// SAFETY: the wasm module is single-threaded (no atomics/threads target feature), which is
// what `TalckWasm` requires.
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
