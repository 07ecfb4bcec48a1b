//! The ML layer: optimizers against their formulas worked by hand, losses and activations
//! against closed forms, initializers' statistics.

use lazygrad::io::Mismatch;
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

/// A fresh path for a checkpoint under `target/`, which the tests own.
fn checkpoint_path(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/nn-checkpoints");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A 3 -> 8 -> 1 regression model with weights drawn from `seed`.
fn small_model(seed: u64, dtype: DType) -> Sequential {
    let mut rng = Generator::new(seed);
    Sequential::new()
        .push(Linear::with_dtype(3, 8, dtype, &mut rng))
        .push(Activation::Tanh)
        .push(Linear::with_dtype(8, 1, dtype, &mut rng))
}

/// Every named parameter's name and values (as f64 bits, so equality is exact).
fn parameter_bits(model: &mut dyn Module) -> Vec<(String, Vec<u64>)> {
    model
        .named_parameters()
        .into_iter()
        .map(|(name, param)| {
            let bits = param.astype(DType::F64).to_vec::<f64>();
            (name, bits.iter().map(|x| x.to_bits()).collect())
        })
        .collect()
}

#[test]
fn a_trained_model_saved_and_loaded_into_a_fresh_one_is_the_same_model() {
    let mut rng = Generator::new(3);
    let (x, y) = (rng.randn([16, 3]), rng.randn([16, 1]));
    let mut model = small_model(0, DType::F64);
    let mut adam = nn::Adam::new(0.05);
    for _ in 0..5 {
        let loss = nn::mse(&model.forward(&x), &y);
        adam.step(&loss, model.parameters()).expect("steps");
    }
    let path = checkpoint_path("trained.npz");
    nn::save_parameters(&mut model, &path).unwrap();
    let names: Vec<String> = lazygrad::io::load_checkpoint(&path)
        .unwrap()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["0.weight", "0.bias", "2.weight", "2.bias"]);

    let mut fresh = small_model(1, DType::F64);
    let trained_loss = nn::mse(&model.forward(&x), &y).item::<f64>();
    let fresh_loss = nn::mse(&fresh.forward(&x), &y).item::<f64>();
    assert_ne!(trained_loss, fresh_loss, "the fresh model starts elsewhere");
    nn::load_parameters(&mut fresh, &path).unwrap();
    assert_eq!(parameter_bits(&mut fresh), parameter_bits(&mut model));
    let loaded_loss = nn::mse(&fresh.forward(&x), &y).item::<f64>();
    assert_eq!(loaded_loss.to_bits(), trained_loss.to_bits());
}

#[test]
fn loading_a_checkpoint_of_another_shape_is_an_error_that_changes_nothing() {
    let path = checkpoint_path("three_inputs.npz");
    nn::save_parameters(&mut small_model(0, DType::F64), &path).unwrap();
    let mut rng = Generator::new(1);
    let mut wider = Sequential::new()
        .push(Linear::new(4, 8, &mut rng))
        .push(Activation::Tanh)
        .push(Linear::new(8, 1, &mut rng));
    let before = parameter_bits(&mut wider);
    let err = nn::load_parameters(&mut wider, &path).unwrap_err();
    let lazygrad::io::Error::Checkpoint {
        path: err_path,
        mismatch,
    } = &err
    else {
        panic!("expected a checkpoint mismatch, got {err:?}");
    };
    assert_eq!(err_path, &path);
    let Mismatch::Shape {
        name,
        model,
        checkpoint,
    } = &**mismatch
    else {
        panic!("expected a shape mismatch, got {mismatch:?}");
    };
    assert_eq!(name, "0.weight");
    assert_eq!((&model[..], &checkpoint[..]), (&[4, 8][..], &[3, 8][..]));
    assert!(
        err.to_string().ends_with(
            "three_inputs.npz: parameter \"0.weight\" has shape (4, 8) in the model \
             but (3, 8) in the checkpoint"
        ),
        "{err}"
    );
    // Nothing was replaced, not even the parameters that did match ("0.bias", "2.*").
    assert_eq!(parameter_bits(&mut wider), before);
}

#[test]
fn checkpoint_names_and_dtypes_are_checked() {
    let path = checkpoint_path("two_layers.npz");
    nn::save_parameters(&mut small_model(0, DType::F64), &path).unwrap();

    // A deeper model: its last layer is missing from the file.
    let mut deeper = small_model(0, DType::F64).push(Linear::new(1, 1, &mut Generator::new(2)));
    let err = nn::load_parameters(&mut deeper, &path).unwrap_err();
    let lazygrad::io::Error::Checkpoint { mismatch, .. } = &err else {
        panic!("expected a checkpoint mismatch, got {err:?}");
    };
    assert_eq!(
        **mismatch,
        Mismatch::Names {
            missing: vec!["3.weight".into(), "3.bias".into()],
            unexpected: vec![],
        }
    );
    assert!(
        err.to_string()
            .ends_with("the model's parameters \"3.weight\", \"3.bias\" are not in the checkpoint"),
        "{err}"
    );

    // One more activation shifts the last layer's index: names on both sides.
    let mut rng = Generator::new(0);
    let mut shifted = Sequential::new()
        .push(Linear::new(3, 8, &mut rng))
        .push(Activation::Tanh)
        .push(Activation::Relu)
        .push(Linear::new(8, 1, &mut rng));
    let err = nn::load_parameters(&mut shifted, &path)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(
            "the model's parameters \"3.weight\", \"3.bias\" are not in the checkpoint; \
             the checkpoint's tensors \"2.weight\", \"2.bias\" are not parameters of the model"
        ),
        "{err}"
    );

    // The same layers in float32.
    let err = nn::load_parameters(&mut small_model(0, DType::F32), &path).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "parameter \"0.weight\" has dtype float32 in the model but float64 in the checkpoint"
        ),
        "{err}"
    );
}

#[test]
fn loaded_parameters_keep_requires_grad() {
    let path = checkpoint_path("linear.npz");
    let mut saved = Linear::new(2, 2, &mut Generator::new(0));
    nn::save_parameters(&mut saved, &path).unwrap();
    let mut model = Linear::new(2, 2, &mut Generator::new(1));
    model.weight = model.weight.requires_grad();
    nn::load_parameters(&mut model, &path).unwrap();
    assert!(model.weight.tracks_grad());
    assert!(!model.bias.as_ref().unwrap().tracks_grad());
    assert_eq!(model.weight.to_vec::<f64>(), saved.weight.to_vec::<f64>());
}
