//! The compiler: from a lazy graph to a plan of kernels.
//!
//! [`Graph`] is the petgraph DAG the facade lowers pending tensors into. [`compile`] schedules it
//! into a [`lazygrad_ir::Plan`]: movement ops fold into views, elementwise chains fuse into one
//! register program, and elementwise producers fuse into a reduction's input. Start reading at
//! `schedule.rs`. This crate depends on the IR only, never on the runtime; its behaviour is
//! tested end to end in the facade's `tests/it` binary (`fusion.rs`).

#![warn(missing_docs)]

mod cache;
mod graph;
mod schedule;
mod simplify;

pub use cache::{PlanCache, encode_op, encode_shape, encode_view};
pub use graph::{Graph, Node, NodeId};
pub use schedule::{CompileOptions, MAX_OPERANDS, compile};
