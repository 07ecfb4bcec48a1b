//! Fuzzes the `.npz` reader with arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lazygrad_fuzz::io::npz(data));
