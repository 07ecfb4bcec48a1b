//! The one integration-test binary of lazygrad: numpy goldens, errors, fusion, memory.

mod atomic;
mod coverage;
mod deep_graphs;
mod dump;
mod error_golden;
mod errors;
mod fusion;
mod fuzz_index;
mod grad;
mod hostile;
mod interop;
mod io;
mod memory;
mod nn;
mod numpy100;
mod ops;
mod out_of_memory;
mod parallel;
mod random;
mod stats;
mod text_io;
mod train;
mod util;
mod views;
