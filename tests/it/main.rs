//! The one integration-test binary of lazygrad: numpy goldens, errors, fusion, memory.

mod dump;
mod error_golden;
mod errors;
mod fusion;
mod fuzz_index;
mod grad;
mod interop;
mod io;
mod memory;
mod nn;
mod ops;
mod parallel;
mod random;
mod train;
mod util;
mod views;
