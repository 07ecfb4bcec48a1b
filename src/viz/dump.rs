//! `LAZYGRAD_DUMP=dir`: every compiled plan written to `dir` as a listing, DOT and SVG, with
//! the logical graph it came from.

use super::graph::LogicalGraph;
use super::plan::PlanView;
use super::svg;
use crate::Tensor;
use lazygrad_cpu::Buffer;
use lazygrad_ir::{DType, Plan};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The directory named by `LAZYGRAD_DUMP`, read once; `None` when unset or empty.
pub(crate) fn dump_dir() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        std::env::var_os("LAZYGRAD_DUMP")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
    })
    .as_deref()
}

/// Writes the dumps of a freshly compiled plan when `LAZYGRAD_DUMP` is set; costs one load of
/// a `OnceLock` otherwise. `pending` are the tensors the plan computes, still unrealized.
#[inline]
pub(crate) fn compiled(pending: &[&Tensor], plan: &Plan, inputs: &[Arc<Buffer>]) {
    if let Some(dir) = dump_dir() {
        write_compiled(dir, pending, plan, inputs);
    }
}

#[cold]
fn write_compiled(dir: &Path, pending: &[&Tensor], plan: &Plan, inputs: &[Arc<Buffer>]) {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let number = COUNT.fetch_add(1, Ordering::Relaxed) + 1;
    let inputs: Vec<(DType, usize)> = inputs.iter().map(|b| (b.dtype(), b.len())).collect();
    let plan_view = PlanView::new(plan, Some(&inputs), None);
    let graph = LogicalGraph::capture(pending);
    let plan_diagram = plan_view.diagram();
    let graph_diagram = graph.diagram();
    let files = [
        (format!("{number:04}-graph.txt"), graph.text(true)),
        (format!("{number:04}-graph.dot"), graph_diagram.to_dot()),
        (
            format!("{number:04}-graph.svg"),
            svg::render(&graph_diagram),
        ),
        (format!("{number:04}-plan.txt"), plan_view.text()),
        (format!("{number:04}-plan.dot"), plan_diagram.to_dot()),
        (format!("{number:04}-plan.svg"), svg::render(&plan_diagram)),
    ];
    // Each file is written atomically, so a dump directory never holds a truncated listing.
    let written = std::fs::create_dir_all(dir).and_then(|()| {
        files.iter().try_for_each(|(name, contents)| {
            lazygrad_io::atomic::write_bytes(dir.join(name), contents.as_bytes())
                .map_err(std::io::Error::from)
        })
    });
    if let Err(err) = written {
        // A dump is a debugging aid: failing to write one must not fail the computation.
        static WARNED: OnceLock<()> = OnceLock::new();
        WARNED.get_or_init(|| {
            eprintln!(
                "lazygrad: LAZYGRAD_DUMP: cannot write to {}: {err}",
                dir.display()
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::lower;
    use lazygrad_compiler::{CompileOptions, compile};

    #[test]
    fn a_compiled_plan_is_written_as_six_files() {
        let dir = std::env::temp_dir().join(format!("lazygrad-dump-{}", std::process::id()));
        let x = crate::array([1.0, 2.0]);
        let y = (&x * 2.0).exp().sum();
        let lowered = lower(&[&y]);
        let plan = compile(&lowered.graph, &lowered.outputs, CompileOptions::default());
        write_compiled(&dir, &[&y], &plan, &lowered.inputs);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("the dump directory was created")
            .map(|entry| {
                entry
                    .expect("a readable entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        let _ = std::fs::remove_dir_all(&dir);
        let suffixes: Vec<&str> = names.iter().map(|n| &n[5..]).collect();
        assert_eq!(
            suffixes,
            [
                "graph.dot",
                "graph.svg",
                "graph.txt",
                "plan.dot",
                "plan.svg",
                "plan.txt"
            ]
        );
        assert!(names.iter().all(|n| n[..5] == names[0][..5]), "{names:?}");
    }
}
