//! The functions the fuzz targets call, one per target.
//!
//! They live in a library, not in the targets, because the stable test suite replays every
//! committed corpus through these same files: `crates/lazygrad-io/tests/hostile.rs` includes
//! `io.rs`, and `tests/it/fuzz_index.rs` includes `index.rs`.

pub mod index;
pub mod io;
