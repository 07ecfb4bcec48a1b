//! The 8x8 handwritten digits classifier, shared by `examples/digits.rs` and `tests/it/train.rs`.
//!
//! The data is the UCI "Optical Recognition of Handwritten Digits" test set (1797 images of
//! 8x8 pixels valued 0..16, CC BY 4.0; see `data/README.md`), compiled into the binary so
//! nothing is read or downloaded at run time, and parsed with `io::loadtxt_from`.

use lazygrad::io;
use lazygrad::nn::{self, Activation, Linear, Module, Optimizer, Sequential};
use lazygrad::random::Generator;
use lazygrad::{DType, Tensor, s};

/// The committed CSV: 64 pixel values and the label on each line.
const CSV: &str = include_str!("../../data/digits.csv");

/// Images as rows of 64 features scaled to `[0, 1]`, and their labels.
pub struct Split {
    /// `(n, 64)` float64 features.
    pub x: Tensor,
    /// `(n,)` int64 labels 0..9.
    pub labels: Tensor,
}

/// How to train.
#[derive(Clone, Debug)]
pub struct Config {
    /// Full-batch Adam steps.
    pub steps: usize,
    /// The seed of the split and the weights.
    pub seed: u64,
    /// Adam's learning rate.
    pub lr: f64,
    /// The width of the hidden layer.
    pub hidden: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            steps: 150,
            seed: 0,
            lr: 0.01,
            hidden: 64,
        }
    }
}

/// Every image as a row of 64 features in `[0, 1]`, and the labels, in file order: numpy's
/// `np.loadtxt(path, delimiter=",", dtype=int)`, over the CSV compiled into the binary.
pub fn load() -> (Tensor, Tensor) {
    let opts = io::LoadTxt {
        delimiter: Some(','),
        dtype: DType::I64,
        ..io::LoadTxt::default()
    };
    let table = io::loadtxt_from(CSV.as_bytes(), &opts).expect("the data file holds integers");
    let x = table.slice(s![.., ..64]).astype(DType::F64) / 16.0;
    (x, table.slice(s![.., 64]))
}

/// A seeded shuffle split into `(train, test)`, with a fifth of the images held out.
pub fn split(seed: u64) -> (Split, Split) {
    let (x, labels) = load();
    let n_images = x.shape()[0];
    let mut order: Vec<i64> = (0..n_images as i64).collect();
    // Fisher-Yates with splitmix64, so the split does not depend on another crate's stream.
    let mut state = seed;
    for i in (1..order.len()).rev() {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        order.swap(i, ((z ^ (z >> 31)) % (i as u64 + 1)) as usize);
    }
    let n_test = n_images / 5;
    let take = |idx: &[i64]| {
        let rows = Tensor::from_vec(idx.to_vec(), [idx.len()]);
        Split {
            x: x.slice(s![&rows]),
            labels: labels.slice(s![&rows]),
        }
    };
    (take(&order[n_test..]), take(&order[..n_test]))
}

/// The fraction of `split`'s images the model labels right.
pub fn accuracy(model: &Sequential, split: &Split) -> f64 {
    let predicted = model.forward(&split.x).argmax_axis(1, false);
    predicted
        .equal(&split.labels)
        .astype(DType::F64)
        .mean()
        .item::<f64>()
}

/// Trains a 64-hidden-unit MLP with cross-entropy and Adam on the training split, calling
/// `on_step(t, loss)`; returns the model and the test accuracy.
pub fn train(config: &Config, mut on_step: impl FnMut(usize, f64)) -> (Sequential, f64) {
    let (train, test) = split(config.seed);
    let mut rng = Generator::new(config.seed);
    let mut model = Sequential::new()
        .push(Linear::from_weights(
            nn::init::he_normal(&mut rng, 64, config.hidden, DType::F64),
            Some(lazygrad::zeros([config.hidden])),
        ))
        .push(Activation::Relu)
        .push(Linear::new(config.hidden, 10, &mut rng));
    let mut adam = nn::Adam::new(config.lr);
    for t in 0..config.steps {
        let loss = nn::cross_entropy(&model.forward(&train.x), &train.labels);
        let value = adam
            .step(&loss, model.parameters())
            .expect("the step computes");
        on_step(t, value);
    }
    let test_accuracy = accuracy(&model, &test);
    (model, test_accuracy)
}
