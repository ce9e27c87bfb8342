//! The `alloc` names every module uses, so the crate reads the same with or without `std`.
// With `std` its prelude already has most of these, so some go unused in that build.
#![allow(unused_imports)]

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;
