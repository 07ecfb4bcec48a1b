//! Fuzzes slicing and indexing with fuzzer-chosen arguments (see `src/index.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lazygrad_fuzz::index::index(data));
