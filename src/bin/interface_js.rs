//! Prints the glue's `lib/interface.js`, generated from `src/interface.rs`:
//! `cargo run --bin interface-js > pkg-template/lib/interface.js`.

fn main() {
    print!("{}", nats_wasm::interface::render_js());
}
