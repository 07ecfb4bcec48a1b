//! Seeing what you built and what ran: the logical graph and the compiled plan as text, DOT
//! and SVG, and per-kernel profiles.
//!
//! - The **logical graph** of some tensors ([`graph_text`], [`graph_dot`], [`graph_svg`]):
//!   every node once, with its op, parameters, shape and dtype, arguments in order, leaves and
//!   parameters (leaves marked with `requires_grad`) set apart, and forward, gradient and
//!   `no_grad` nodes told apart by a note in the listing and a colour in the drawings. Drawings
//!   carry each node's creation site in its tooltip; [`graph_text_with_locations`] adds it to
//!   the listing.
//! - The **plan** ([`plan_text`], [`plan_dot`], [`plan_svg`]): one line or one cluster per
//!   kernel with the instructions it runs, matrix products with their GEMM sizes, every buffer
//!   slot with its size and liveness, and every operand's view (shape, strides in elements,
//!   offset).
//! - **Profiles** ([`profile`]): realizes tensors while timing each kernel; the listing and
//!   the drawing show where the time went.
//!
//! The text listings are stable, so tests snapshot them. The graph listing follows jaxpr:
//!
//! ```text
//! { lambda ; a:f32[3,4]. let
//!     b:f32[3,4] = exp a
//!     c:f32[3,1] = sum[axes=(1,)] b
//!   in (c,) }
//! ```
//!
//! Leaves are bound after `lambda ;`, parameters marked `{param}`; scalar constants are written
//! inline (`2.0:f32[]`); gradient nodes end with `# grad`, nodes built under `no_grad` with
//! `# no_grad`. The plan listing has one line per kernel, `k0: s2:f32[3,4] = E_exp_add { ... }`,
//! with register instructions `%i = op ...`, and views written `s0<3,4:4,1@0>`: slot 0 read with
//! shape (3,4), strides (4,1) and offset 0.
//!
//! The SVG is drawn here, in pure Rust, by a small layered layout, with no Graphviz needed;
//! the DOT output is there for those who have Graphviz (`dot -Tsvg plan.dot > plan.svg`).
//! Setting `LAZYGRAD_DUMP=dir` writes every compiled plan and its graph to `dir`, and
//! `LAZYGRAD_DEBUG=2` prints every plan's listing to stderr.

mod diagram;
mod dump;
mod graph;
mod layout;
mod plan;
mod profile;
mod svg;
mod text;

pub(crate) use dump::compiled as dump_compiled;
pub use lazygrad_cpu::KernelProfile;
pub use profile::{Profile, profile};

use crate::Tensor;
use graph::LogicalGraph;
use lazygrad_ir::Plan;
use plan::PlanView;
use std::path::{Path, PathBuf};

/// The jaxpr-like listing of the graph behind `outputs`.
///
/// ```
/// use lazygrad::prelude::*;
/// let a = zeros([3, 4]).astype(DType::F32);
/// let c = a.exp().sum_axes([1], true);
/// let text = lazygrad::viz::graph_text(&[&c]);
/// assert!(text.contains("= exp"));
/// assert!(text.contains(":f32[3,1] = sum[axes=(1,)]"));
/// # Ok::<(), lazygrad::Error>(())
/// ```
pub fn graph_text(outputs: &[&Tensor]) -> String {
    LogicalGraph::capture(outputs).text(false)
}

/// [`graph_text`] with each equation's creation site (`file:line`) as a trailing comment.
///
/// ```
/// let x = lazygrad::array([1.0, 2.0]);
/// let y = &x * 2.0;
/// assert!(lazygrad::viz::graph_text_with_locations(&[&y]).contains(file!()));
/// ```
pub fn graph_text_with_locations(outputs: &[&Tensor]) -> String {
    LogicalGraph::capture(outputs).text(true)
}

/// The graph behind `outputs` in Graphviz's DOT language.
///
/// ```
/// let x = lazygrad::array([1.0, 2.0]);
/// let dot = lazygrad::viz::graph_dot(&[&(&x * &x).sum()]);
/// assert!(dot.starts_with("digraph"));
/// ```
pub fn graph_dot(outputs: &[&Tensor]) -> String {
    LogicalGraph::capture(outputs).diagram().to_dot()
}

/// The graph behind `outputs` as a standalone SVG document, laid out here without Graphviz.
///
/// ```
/// let x = lazygrad::array([1.0, 2.0]);
/// let svg = lazygrad::viz::graph_svg(&[&x.exp()]);
/// assert!(svg.contains("<svg") && svg.contains("= exp"));
/// ```
pub fn graph_svg(outputs: &[&Tensor]) -> String {
    svg::render(&LogicalGraph::capture(outputs).diagram())
}

/// The plan listing: a header, one line per input slot, one line per kernel and the outputs.
///
/// ```
/// use lazygrad::prelude::*;
/// let x = array([[1.0, 2.0], [3.0, 4.0]]);
/// let plan = lazygrad::plan_for(&[&(&x * 2.0 + 1.0).sum()]);
/// let text = lazygrad::viz::plan_text(&plan);
/// assert!(text.starts_with("plan: 1 kernels"));
/// assert!(text.contains("k0: s1:f64[1,1] = R_multiply_add_sum"));
/// ```
pub fn plan_text(plan: &Plan) -> String {
    PlanView::new(plan, None, None).text()
}

/// The plan in DOT: one `cluster_` subgraph per kernel around its instructions, slots outside.
///
/// ```
/// let x = lazygrad::array([1.0, 2.0]);
/// let plan = lazygrad::plan_for(&[&x.exp().sum()]);
/// assert!(lazygrad::viz::plan_dot(&plan).contains("subgraph cluster_0"));
/// ```
pub fn plan_dot(plan: &Plan) -> String {
    PlanView::new(plan, None, None).diagram().to_dot()
}

/// The plan as SVG: one `<g class="cluster">` box per kernel around its instructions.
///
/// ```
/// let x = lazygrad::array([1.0, 2.0]);
/// let plan = lazygrad::plan_for(&[&x.exp().sum()]);
/// let svg = lazygrad::viz::plan_svg(&plan);
/// assert_eq!(svg.matches(r#"<g class="cluster""#).count(), plan.kernels.len());
/// ```
pub fn plan_svg(plan: &Plan) -> String {
    svg::render(&PlanView::new(plan, None, None).diagram())
}

/// Writes the graph behind `outputs` and the plan that would compute them into `dir`, as
/// `{name}-graph.{txt,dot,svg}` and `{name}-plan.{txt,dot,svg}`, and returns the paths.
///
/// Nothing is realized. The graph listing includes creation sites.
///
/// ```no_run
/// let x = lazygrad::array([1.0, 2.0]);
/// let paths = lazygrad::viz::write_dumps("dumps", "exp", &[&x.exp()])?;
/// assert_eq!(paths.len(), 6);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_dumps(
    dir: impl AsRef<Path>,
    name: &str,
    outputs: &[&Tensor],
) -> std::io::Result<Vec<PathBuf>> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir)?;
    let graph = LogicalGraph::capture(outputs);
    let graph_diagram = graph.diagram();
    let plan = crate::plan_for(outputs);
    let plan_view = PlanView::new(&plan, None, None);
    let plan_diagram = plan_view.diagram();
    let files = [
        ("graph.txt", graph.text(true)),
        ("graph.dot", graph_diagram.to_dot()),
        ("graph.svg", svg::render(&graph_diagram)),
        ("plan.txt", plan_view.text()),
        ("plan.dot", plan_diagram.to_dot()),
        ("plan.svg", svg::render(&plan_diagram)),
    ];
    let mut paths = Vec::with_capacity(files.len());
    for (suffix, contents) in files {
        let path = dir.join(format!("{name}-{suffix}"));
        // Atomic, as every file lazygrad writes: a failed write keeps the previous dump whole.
        lazygrad_io::atomic::write_bytes(&path, contents.as_bytes())?;
        paths.push(path);
    }
    Ok(paths)
}
