//! The ML layer: optimizers against their formulas worked by hand, losses and activations
//! against closed forms, initializers' statistics.

use lazygrad::nn::{self, Activation, Linear, Module, Optimizer, Sequential};
use lazygrad::random::Generator;
use lazygrad::{DType, Tensor, array};

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

#[test]
fn sgd_with_momentum_follows_its_formula() {
    // loss = sum(w^2), g = 2w. With v = 0.5 v + g and w = w - 0.1 v, from w = 1:
    // step 1: g = 2, v = 2, w = 0.8; step 2: g = 1.6, v = 1 + 1.6 = 2.6, w = 0.54.
    let mut w = array([1.0]);
    let mut sgd = nn::Sgd::with_momentum(0.1, 0.5);
    let first = sgd.step(&w.square().sum(), vec![&mut w]).expect("steps");
    assert_eq!(first, 1.0);
    assert!(close(&w.to_vec::<f64>(), &[0.8], 1e-15));
    sgd.step(&w.square().sum(), vec![&mut w]).expect("steps");
    assert!(close(&w.to_vec::<f64>(), &[0.54], 1e-15));
}

#[test]
fn adam_first_step_moves_each_weight_by_about_lr() {
    // After one step m/(1-b1) = g and v/(1-b2) = g^2, so the step is lr * g / (|g| + eps):
    // lr * sign(g) for any gradient much larger than eps.
    let mut w = array([3.0, -0.5]);
    let mut adam = nn::Adam::new(0.01);
    adam.step(&w.square().sum(), vec![&mut w]).expect("steps");
    assert!(close(&w.to_vec::<f64>(), &[2.99, -0.49], 1e-9));
}

#[test]
fn optimizers_keep_requires_grad_and_dtype() {
    let mut w = array([1.0f32, 2.0]).requires_grad();
    let mut adam = nn::Adam::new(0.1);
    for _ in 0..3 {
        let loss = w.square().sum();
        adam.step(&loss, vec![&mut w]).expect("steps");
    }
    assert!(w.tracks_grad());
    assert_eq!(w.dtype(), DType::F32);
}

#[test]
fn cross_entropy_gradient_is_softmax_minus_one_hot() {
    // d/dz mean_i(-log softmax(z_i)[y_i]) = (softmax(z) - onehot(y)) / n.
    let logits = array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]);
    let labels = array([1, 0]);
    let loss = nn::cross_entropy(&logits, &labels);
    let grad = loss.grad(&[&logits]).remove(0).to_vec::<f64>();
    let expected =
        ((&logits.softmax(1) - &nn::one_hot(&labels, 3, DType::F64)) / 2.0).to_vec::<f64>();
    assert!(close(&grad, &expected, 1e-15), "{grad:?} vs {expected:?}");
}

#[test]
fn softmax_and_log_softmax_are_stable_for_large_logits() {
    let big = array([[1000.0, 999.0], [-1000.0, -1001.0]]);
    let p = big.softmax(1).to_vec::<f64>();
    let e = 1.0 / (1.0 + (-1f64).exp());
    assert!(close(&p, &[e, 1.0 - e, e, 1.0 - e], 1e-15), "{p:?}");
    let loss = nn::cross_entropy(&big, &array([1, 1]));
    // Gradients first: reading the loss would drop its graph (nothing requires grad here).
    let grad = loss.grad(&[&big]).remove(0).to_vec::<f64>();
    assert!(loss.item::<f64>().is_finite());
    assert!(grad.iter().all(|g| g.is_finite()), "{grad:?}");
    // The sigmoid's tanh form has finite gradients far from 0 too.
    let x = array([-800.0, 0.0, 800.0]);
    let dx = x.sigmoid().sum().grad(&[&x]).remove(0).to_vec::<f64>();
    assert_eq!(dx, vec![0.0, 0.25, 0.0]);
}

#[test]
fn losses_match_their_definitions() {
    let (pred, target) = (array([1.0, 2.0, 4.0]), array([1.0, 0.0, 1.0]));
    assert_eq!(nn::sum_of_squares(&pred, &target).item::<f64>(), 13.0);
    assert_eq!(nn::mse(&pred, &target).item::<f64>(), 13.0 / 3.0);
}

#[test]
fn initializers_have_the_stated_spread() {
    let mut rng = Generator::new(7);
    let he = nn::init::he_normal(&mut rng, 200, 300, DType::F64);
    let std = he.std(0).item::<f64>();
    assert!(
        (std - (2.0f64 / 200.0).sqrt()).abs() < 0.005,
        "he std {std}"
    );
    let xavier = nn::init::xavier_uniform(&mut rng, 200, 300, DType::F32);
    let limit = (6.0f64 / 500.0).sqrt() as f32;
    assert_eq!(xavier.dtype(), DType::F32);
    assert!(xavier.abs().max().item::<f32>() <= limit);
    let again = nn::init::he_normal(&mut Generator::new(7), 200, 300, DType::F64);
    assert_eq!(again.to_vec::<f64>(), he.to_vec::<f64>(), "seeded");
}

#[test]
fn a_sequential_model_learns_xor() {
    // XOR is not linearly separable: it needs the hidden layer and the nonlinearity.
    let x = array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    let labels = array([0, 1, 1, 0]);
    let mut rng = Generator::new(1);
    let mut model = Sequential::new()
        .push(Linear::new(2, 8, &mut rng))
        .push(Activation::Tanh)
        .push(Linear::new(8, 2, &mut rng));
    let mut adam = nn::Adam::new(0.05);
    for _ in 0..200 {
        let loss = nn::cross_entropy(&model.forward(&x), &labels);
        adam.step(&loss, model.parameters()).expect("steps");
    }
    let predicted: Tensor = model.forward(&x).argmax_axis(1, false);
    assert_eq!(predicted.to_vec::<i64>(), vec![0, 1, 1, 0]);
}
