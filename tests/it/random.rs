//! `lazygrad::random`: seeded streams reproduce, and the samples have the documented dtype,
//! range and moments. The statistical checks use fixed seeds, so they cannot flake; their
//! tolerances are still several standard errors wide, so any seed would pass.

use lazygrad::random::{self, Generator};
use lazygrad::{DType, Tensor};

fn f64s(t: &Tensor) -> Vec<f64> {
    t.to_vec::<f64>()
}

/// Mean and (population) standard deviation through lazygrad's own reductions.
fn moments(t: &Tensor) -> (f64, f64) {
    (t.mean().item::<f64>(), t.std(0).item::<f64>())
}

// The only test in this binary that touches the global generator: tests run in parallel, and a
// second user could draw from the stream between `seed` and the draws below.
#[test]
fn seeding_the_global_generator_restarts_its_stream() {
    let draw = || {
        (
            f64s(&random::random([50])),
            f64s(&random::rand([2, 5])),
            f64s(&random::randn([3, 4])),
            f64s(&random::normal(1.0, 2.0, [7])),
            f64s(&random::uniform(-1.0, 1.0, [5])),
            random::randint(0, 100, [20]).to_vec::<i64>(),
        )
    };
    random::seed(7);
    let first = draw();
    random::seed(7);
    assert_eq!(draw(), first, "the same seed gives the same stream");
    // The draws continue the stream rather than restart it.
    assert_ne!(draw(), first);
    random::seed(8);
    assert_ne!(draw(), first, "another seed gives another stream");
    // `seed(s)` makes the global generator `Generator::new(s)`.
    random::seed(7);
    let global = f64s(&random::randn([10]));
    assert_eq!(global, f64s(&Generator::new(7).randn([10])));
}

#[test]
fn explicit_generators_reproduce_their_stream() {
    let draw = |rng: &mut Generator| {
        (
            f64s(&rng.random([100])),
            f64s(&rng.randn([10, 10])),
            f64s(&rng.normal(-3.0, 0.5, [10])),
            f64s(&rng.uniform(2.0, 3.0, [10])),
            rng.randint(-5, 5, [10]).to_vec::<i64>(),
        )
    };
    let first = draw(&mut Generator::new(42));
    assert_eq!(draw(&mut Generator::new(42)), first);
    assert_ne!(draw(&mut Generator::new(43)), first);
    // A cloned generator continues from the same state.
    let mut rng = Generator::new(42);
    draw(&mut rng);
    let mut copy = rng.clone();
    assert_eq!(draw(&mut rng), draw(&mut copy));
}

#[test]
fn randint_stays_in_its_half_open_range_as_int64() {
    let mut rng = Generator::new(1);
    let ints = rng.randint(-3, 4, [100_000]);
    assert_eq!(
        ints.dtype(),
        DType::I64,
        "np.random.randint's default dtype"
    );
    assert_eq!(ints.shape(), &[100_000]);
    let values = ints.to_vec::<i64>();
    for v in -3..4 {
        // Each of the 7 values is drawn about 14 286 times (standard error ~111).
        let count = values.iter().filter(|&&x| x == v).count();
        assert!((13_500..15_000).contains(&count), "{v} drawn {count} times");
    }
    assert_eq!(values.iter().filter(|&&x| !(-3..4).contains(&x)).count(), 0);
    assert_eq!(rng.randint(5, 6, [10]).to_vec::<i64>(), vec![5; 10]);
    let wide = rng.randint(i64::MIN, i64::MAX, [1000]).to_vec::<i64>();
    assert!(wide.iter().any(|&x| x < 0) && wide.iter().any(|&x| x > 0));
    assert!(!wide.contains(&i64::MAX));
}

#[test]
fn random_and_rand_are_uniform_on_the_unit_interval() {
    let mut rng = Generator::new(2);
    let u = rng.random([100_000]);
    assert_eq!(u.dtype(), DType::F64);
    assert!(f64s(&u).iter().all(|x| (0.0..1.0).contains(x)));
    // U[0, 1): mean 1/2 (standard error 0.0009), std sqrt(1/12) = 0.2887.
    let (mean, std) = moments(&u);
    assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
    assert!((std - (1.0f64 / 12.0).sqrt()).abs() < 0.005, "std {std}");
    let below_tenth = f64s(&u).iter().filter(|&&x| x < 0.1).count();
    assert!((9_500..10_500).contains(&below_tenth), "{below_tenth}");
    let scaled = rng.uniform(-2.0, 6.0, [100_000]);
    assert!(f64s(&scaled).iter().all(|x| (-2.0..6.0).contains(x)));
    let (mean, std) = moments(&scaled);
    assert!((mean - 2.0).abs() < 0.04, "mean {mean}");
    assert!((std - 8.0 / 12.0f64.sqrt()).abs() < 0.04, "std {std}");
}

#[test]
fn randn_and_normal_have_the_requested_mean_and_std() {
    let mut rng = Generator::new(3);
    let z = rng.randn([100_000]);
    assert_eq!((z.dtype(), z.shape()), (DType::F64, &[100_000][..]));
    // Standard errors over 100 000 samples: 0.0032 for the mean, 0.0022 for the std.
    let (mean, std) = moments(&z);
    assert!(mean.abs() < 0.015, "mean {mean}");
    assert!((std - 1.0).abs() < 0.01, "std {std}");
    // The shape of the bell: 68.27% within one std, 95.45% within two.
    let within = |k: f64| f64s(&z).iter().filter(|x| x.abs() < k).count() as f64 / 1e5;
    assert!((within(1.0) - 0.6827).abs() < 0.01, "{}", within(1.0));
    assert!((within(2.0) - 0.9545).abs() < 0.005, "{}", within(2.0));

    let x = rng.normal(5.0, 2.0, [400, 250]);
    assert_eq!((x.dtype(), x.shape()), (DType::F64, &[400, 250][..]));
    let (mean, std) = moments(&x);
    assert!((mean - 5.0).abs() < 0.03, "mean {mean}");
    assert!((std - 2.0).abs() < 0.02, "std {std}");
}
