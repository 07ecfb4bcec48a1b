//! Fuzzes `imread`'s decoding with arbitrary bytes, always as gif (see `src/io.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lazygrad_fuzz::io::image("gif", data));
