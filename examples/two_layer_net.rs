//! The numpy cheat sheet's 2-layer network, trained with lazygrad's autodiff.
//!
//! ```text
//! cargo run --release --example two_layer_net
//! cargo run --release --example two_layer_net -- --dtype f32 --steps 100 --plot loss.png
//! cargo run --release --example two_layer_net -- --manual   # the sheet's hand-written backprop
//! ```
//!
//! Prints `t loss` for every step as the sheet does (with a progress bar below the lines on a
//! terminal), then where the time went to stderr.

#[path = "common/two_layer.rs"]
mod two_layer;

use indicatif::{ProgressBar, ProgressStyle};
use lazygrad::DType;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use two_layer::{Config, StepTimes};

const USAGE: &str = "\
usage: two_layer_net [--steps N] [--dtype f32|f64] [--seed N] [--lr X] [--manual] [--plot FILE]
                     [--dump-graph DIR]

  --steps N       training steps (500)
  --dtype D       f32 or f64 (f64)
  --seed N        seed of the data and weights (0)
  --lr X          learning rate (1e-6)
  --manual        train with the cheat sheet's hand-written backprop instead of autodiff
  --plot FILE     write the loss curve as a PNG
  --dump-graph D  write the forward pass, the backward pass and one whole training step as
                  graphs and plans (text, DOT, SVG) into directory D
";

/// The command line: seven flags, parsed by hand since a parser crate would outweigh them.
struct Args {
    config: Config,
    plot: Option<PathBuf>,
    dump: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        config: Config::default(),
        plot: None,
        dump: None,
    };
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match flag.as_str() {
            "--steps" => parsed.config.steps = number(&value("--steps")?)?,
            "--seed" => parsed.config.seed = number(&value("--seed")?)?,
            "--lr" => parsed.config.lr = number(&value("--lr")?)?,
            "--dtype" => {
                parsed.config.dtype = match value("--dtype")?.as_str() {
                    "f32" | "float32" => DType::F32,
                    "f64" | "float64" => DType::F64,
                    other => return Err(format!("--dtype: expected f32 or f64, got {other}")),
                }
            }
            "--manual" => parsed.config.manual = true,
            "--plot" => parsed.plot = Some(PathBuf::from(value("--plot")?)),
            "--dump-graph" => parsed.dump = Some(PathBuf::from(value("--dump-graph")?)),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(parsed)
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("not a number: {text}"))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}\n");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = &args.config;
    if let Some(dir) = &args.dump {
        // Drawn before training: the forward pass alone (the loss), the backward pass alone (the
        // gradients, which include the forward nodes they read), and the whole step (forward,
        // backward and update) that training compiles into one fused plan.
        let params = two_layer::init(config);
        let step = two_layer::step_graph(config, &params);
        let [_, _, w1, w2] = &params;
        let gradients = step[0].grad(&[w1, w2]);
        let dumps: [(&str, Vec<&lazygrad::Tensor>); 3] = [
            ("two_layer_forward", vec![&step[0]]),
            ("two_layer_backward", gradients.iter().collect()),
            ("two_layer_step", step.iter().collect()),
        ];
        for (name, outputs) in dumps {
            match lazygrad::viz::write_dumps(dir, name, &outputs) {
                Ok(paths) => {
                    for path in paths {
                        eprintln!("wrote {}", path.display());
                    }
                }
                Err(err) => {
                    eprintln!("error: --dump-graph {}: {err}", dir.display());
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    // On a terminal the bar stays below the `t loss` lines; piped output gets the lines alone.
    let bar = std::io::stdout().is_terminal().then(|| {
        let bar = ProgressBar::new(config.steps as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} steps, {per_sec}, eta {eta}")
                .expect("the template is valid"),
        );
        bar
    });
    let mut total = StepTimes::default();
    let (hits_before, misses_before) = lazygrad::plan_cache_stats();
    let losses = two_layer::train(config, |t, loss, times| {
        // The first step pays one-time costs (compiling the plan, thread pool, page faults),
        // so it is not averaged.
        if t > 0 {
            total.graph += times.graph;
            total.realize += times.realize;
        }
        match &bar {
            Some(bar) => {
                bar.println(format!("{t} {loss}"));
                bar.inc(1);
            }
            None => println!("{t} {loss}"),
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (hits, misses) = lazygrad::plan_cache_stats();
    let averaged = config.steps.saturating_sub(1).max(1) as u32;
    let per_step = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(averaged);
    eprintln!(
        "{} steps ({}, {}): {:.0} us/step = building the graph {:.0} + realize {:.0}",
        config.steps,
        config.dtype,
        if config.manual {
            "hand-written backprop"
        } else {
            "autodiff"
        },
        per_step(total.graph + total.realize),
        per_step(total.graph),
        per_step(total.realize),
    );
    eprintln!(
        "plan cache: {} compiled, {} reused",
        misses - misses_before,
        hits - hits_before
    );
    if let Some(path) = &args.plot {
        let title = format!(
            "2-layer network, {} ({})",
            config.dtype,
            if config.manual { "manual" } else { "autodiff" }
        );
        // The loss falls by twelve orders of magnitude, which only a log scale shows.
        let log_losses: Vec<f64> = losses.iter().map(|loss| loss.log10()).collect();
        if let Err(err) =
            lazygrad_io::plot::save_line_plot(path, &title, &[("log10(loss)", &log_losses)])
        {
            eprintln!("error: --plot {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
