//! The floor for `two_layer_net`: the same 500 steps written by hand with `ndarray`, with the
//! cheat sheet's backprop, the same data and weights, and no lazygrad in the loop.
//!
//! ```text
//! cargo run --release --example two_layer_ndarray -- --dtype f64
//! ```
//!
//! Prints the per-step time to stderr and the last loss to stdout, which matches
//! `two_layer_net`'s to rounding.

#[path = "common/two_layer.rs"]
#[allow(dead_code)]
mod two_layer;

use lazygrad::DType;
use ndarray::{Array2, Ix2, LinalgScalar};
use std::time::Instant;

fn train<T>(config: &two_layer::Config) -> (f64, f64)
where
    T: LinalgScalar + lazygrad::Storage + PartialOrd + Into<f64> + From<f32>,
{
    let [x, y, w1, w2] = two_layer::init(config).map(|t| {
        t.to_ndarray::<T>()
            .into_dimensionality::<Ix2>()
            .expect("2-d")
    });
    let (mut w1, mut w2): (Array2<T>, Array2<T>) = (w1, w2);
    let lr = T::from(config.lr as f32);
    let two = T::from(2.0);
    let zero = T::zero();
    let mut loss = 0.0;
    let start = Instant::now();
    let mut first_step = 0.0;
    for t in 0..config.steps {
        let h = x.dot(&w1);
        let h_relu = h.mapv(|v| if v > zero { v } else { zero });
        let y_pred = h_relu.dot(&w2);
        let diff = &y_pred - &y;
        loss = diff.iter().map(|&d| (d * d).into()).sum::<f64>();
        let grad_y_pred = diff.mapv(|d| two * d);
        let grad_w2 = h_relu.t().dot(&grad_y_pred);
        let mut grad_h = grad_y_pred.dot(&w2.t());
        grad_h.zip_mut_with(&h, |g, &h| {
            if h < zero {
                *g = zero
            }
        });
        let grad_w1 = x.t().dot(&grad_h);
        w1.scaled_add(T::zero() - lr, &grad_w1);
        w2.scaled_add(T::zero() - lr, &grad_w2);
        if t == 0 {
            first_step = start.elapsed().as_secs_f64();
        }
    }
    let steady = (start.elapsed().as_secs_f64() - first_step) / (config.steps - 1).max(1) as f64;
    (loss, steady)
}

fn main() {
    let mut config = two_layer::Config::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--dtype" if value == "f32" => config.dtype = DType::F32,
            "--dtype" if value == "f64" => config.dtype = DType::F64,
            "--steps" => config.steps = value.parse().expect("--steps takes a number"),
            _ => panic!("usage: two_layer_ndarray [--dtype f32|f64] [--steps N]"),
        }
    }
    let (loss, per_step) = match config.dtype {
        DType::F32 => train::<f32>(&config),
        _ => train::<f64>(&config),
    };
    println!("{} {loss}", config.steps - 1);
    eprintln!(
        "{} steps ({}, ndarray by hand): {:.0} us/step",
        config.steps,
        config.dtype,
        per_step * 1e6
    );
}
