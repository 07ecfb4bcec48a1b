//! Graph dumps on small graphs: the logical graph and the compiled plan of an elementwise
//! chain, a reduction, a softmax and a gradient step, as listings, DOT and SVG, plus a
//! profiled run of the gradient step.
//!
//! ```text
//! cargo run --example graph_dump -- --out dumps
//! ```
//!
//! Writes `NAME-graph.{txt,dot,svg}` and `NAME-plan.{txt,dot,svg}` for each graph into the
//! directory, and `step-profile.{txt,svg}`; prints the listings. Open the SVGs in any viewer;
//! the DOT files are for Graphviz (`dot -Tpng dumps/softmax-plan.dot -o softmax.png`).

use lazygrad::prelude::*;
use lazygrad::viz;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: graph_dump --out DIR";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let out = match (args.next().as_deref(), args.next()) {
        (Some("--out"), Some(dir)) => PathBuf::from(dir),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("graph_dump: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(out: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    random::seed(0);
    let x = data([4, 3]);
    let y = data([4, 3]);

    // An elementwise chain: one fused kernel.
    let chain = ((&x * 2.0 + &y).tanh() - 1.0).abs();
    // A reduction with its elementwise input fused in.
    let reduction = (&x - &y).square().sum_axes([1], true);
    // A softmax written out: the max and the sum are materialized, the rest fuses around them.
    let shifted = &x - &x.max_axes([1], true);
    let exp = shifted.exp();
    let softmax = &exp / &exp.sum_axes([1], true);
    for (name, tensor) in [
        ("chain", &chain),
        ("reduction", &reduction),
        ("softmax", &softmax),
    ] {
        report(&out, name, &[tensor])?;
    }

    // One training step of a 2-layer network: forward, gradients and the update in one plan.
    let w1 = data([3, 8]).requires_grad();
    let w2 = data([8, 2]).requires_grad();
    let target = data([4, 2]);
    let loss = (x.dot(&w1).maximum(0.0).dot(&w2) - &target).square().sum();
    let grads = loss.grad(&[&w1, &w2]);
    let (new_w1, new_w2) = lazygrad::no_grad(|| (&w1 - &grads[0] * 0.01, &w2 - &grads[1] * 0.01));
    report(&out, "step", &[&loss, &new_w1, &new_w2])?;

    // A profiled run of the step: the listing and the drawing show where the time went.
    let profile = viz::profile(&[&loss, &new_w1, &new_w2])?;
    std::fs::write(out.join("step-profile.txt"), profile.text())?;
    std::fs::write(out.join("step-profile.svg"), profile.svg())?;
    println!("== step (profiled)\n{profile}");
    println!("loss {}", loss.item::<f32>());
    Ok(())
}

/// Random float32 data, computed now so the graphs below start from it rather than from the
/// generator's float64 output and a cast.
fn data(shape: [usize; 2]) -> Tensor {
    let t = random::randn(shape).astype(DType::F32);
    t.realize();
    t
}

/// Writes the dumps of one graph and prints its listings.
fn report(out: &PathBuf, name: &str, outputs: &[&Tensor]) -> std::io::Result<()> {
    let paths = viz::write_dumps(out, name, outputs)?;
    println!("== {name}\n{}", viz::graph_text(outputs));
    println!("{}", viz::plan_text(&lazygrad::plan_for(outputs)));
    for path in paths {
        println!("wrote {}", path.display());
    }
    println!();
    Ok(())
}
