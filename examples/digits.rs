//! A classifier for the 8x8 handwritten digits (1797 images, see `data/README.md`): an MLP
//! trained with cross-entropy and Adam on 80% of the images, tested on the other 20%.
//!
//! ```text
//! cargo run --release --example digits
//! ```

#[path = "common/digits.rs"]
mod digits;

use std::time::Instant;

fn main() {
    let config = digits::Config::default();
    let start = Instant::now();
    let (model, test_accuracy) = digits::train(&config, |t, loss| {
        if t % 10 == 0 || t + 1 == config.steps {
            println!("step {t:4}  loss {loss:.4}");
        }
    });
    let (train, _) = digits::split(config.seed);
    println!(
        "train accuracy {:.1}%, test accuracy {:.1}% ({} steps in {:.2} s)",
        100.0 * digits::accuracy(&model, &train),
        100.0 * test_accuracy,
        config.steps,
        start.elapsed().as_secs_f64()
    );
}
