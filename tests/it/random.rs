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
            (
                f64s(&random::random([50])),
                f64s(&random::rand([2, 5])),
                f64s(&random::randn([3, 4])),
                f64s(&random::normal(1.0, 2.0, [7])),
                f64s(&random::uniform(-1.0, 1.0, [5])),
                random::randint(0, 100, [20]).to_vec::<i64>(),
            ),
            (
                f64s(&random::exponential(2.0, [5])),
                f64s(&random::gamma(2.0, 1.0, [5])),
                f64s(&random::beta(2.0, 3.0, [5])),
                random::binomial(10, 0.5, [5]).to_vec::<i64>(),
                random::poisson(4.0, [5]).to_vec::<i64>(),
                random::multinomial(10, &[0.2, 0.8], [2]).to_vec::<i64>(),
                random::permutation(8).to_vec::<i64>(),
                random::choice(10, [4], false, None).to_vec::<i64>(),
                {
                    let mut x = lazygrad::arange(8);
                    random::shuffle(&mut x);
                    x.to_vec::<i64>()
                },
            ),
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

#[test]
fn existing_streams_are_rand_and_rand_distr_draws_unchanged() {
    // lazygrad's first random functions drew exactly these, and seeded programs rely on them:
    // the samplers added since must not change a value of theirs.
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};
    use rand_distr::{Distribution, Normal, StandardNormal, Uniform};
    let mut rng = Generator::new(11);
    let mut reference = Xoshiro256PlusPlus::seed_from_u64(11);
    let expected: Vec<f64> = (0..5).map(|_| reference.random::<f64>()).collect();
    assert_eq!(f64s(&rng.random([5])), expected);
    let uniform = Uniform::new(-2.0, 3.0).unwrap();
    let expected: Vec<f64> = (0..5).map(|_| uniform.sample(&mut reference)).collect();
    assert_eq!(f64s(&rng.uniform(-2.0, 3.0, [5])), expected);
    let expected: Vec<f64> = (0..5)
        .map(|_| StandardNormal.sample(&mut reference))
        .collect();
    assert_eq!(f64s(&rng.randn([5])), expected);
    let normal = Normal::new(1.5, 0.25).unwrap();
    let expected: Vec<f64> = (0..5).map(|_| normal.sample(&mut reference)).collect();
    assert_eq!(f64s(&rng.normal(1.5, 0.25, [5])), expected);
    let expected: Vec<i64> = (0..5).map(|_| reference.random_range(-7..9)).collect();
    assert_eq!(rng.randint(-7, 9, [5]).to_vec::<i64>(), expected);
    // `integers` is `randint` under numpy's Generator name: the same stream.
    assert_eq!(
        Generator::new(5).integers(0, 1000, [50]).to_vec::<i64>(),
        Generator::new(5).randint(0, 1000, [50]).to_vec::<i64>()
    );
    assert_eq!(
        f64s(&random::default_rng(5).randn([3])),
        f64s(&Generator::new(5).randn([3]))
    );
}

/// One draw of every sampler added for numpy's Generator methods, flattened to f64 so that
/// the draws of two generators compare as one vector.
fn draw_all(rng: &mut Generator) -> Vec<f64> {
    let ints = |t: Tensor| t.astype(DType::F64).to_vec::<f64>();
    let mut x = lazygrad::arange(20);
    rng.shuffle(&mut x);
    [
        ints(rng.integers(-100, 100, [20])),
        f64s(&rng.exponential(1.5, [20])),
        f64s(&rng.gamma(0.5, 2.0, [20])),
        f64s(&rng.gamma(3.0, 2.0, [20])),
        f64s(&rng.beta(0.5, 0.7, [20])),
        f64s(&rng.beta(2.0, 5.0, [20])),
        ints(rng.binomial(1000, 0.3, [20])),
        ints(rng.poisson(3.0, [20])),
        ints(rng.poisson(300.0, [20])),
        ints(rng.multinomial(50, &[0.1, 0.2, 0.7], [4])),
        ints(rng.permutation(20)),
        ints(rng.permutation(lazygrad::arange(20))),
        ints(x),
        ints(rng.choice(1000, [20], true, None)),
        ints(rng.choice(1000, [20], false, None)),
        ints(rng.choice(30, [20], false, None)),
        ints(rng.choice(5, [20], true, Some(&[0.1, 0.2, 0.3, 0.2, 0.2]))),
        ints(rng.choice(5, [3], false, Some(&[0.1, 0.2, 0.3, 0.2, 0.2]))),
    ]
    .concat()
}

#[test]
fn new_samplers_reproduce_their_stream_for_a_seed() {
    let first = draw_all(&mut Generator::new(42));
    assert_eq!(draw_all(&mut Generator::new(42)), first);
    let other = draw_all(&mut Generator::new(43));
    assert_ne!(other, first);
    // Each sampler's part differs on its own, not only the stream as a whole: at most a few
    // of 400-odd values agree by chance (the small-integer ones).
    let same = first.iter().zip(&other).filter(|(a, b)| a == b).count();
    assert!(
        same < first.len() / 4,
        "{same} of {} values agree",
        first.len()
    );
    // A generator continues its stream: a second draw is not the first again.
    let mut rng = Generator::new(42);
    draw_all(&mut rng);
    assert_ne!(draw_all(&mut rng), first);
}

#[test]
fn samplers_give_numpys_dtypes_and_shapes() {
    let mut rng = Generator::new(4);
    let cases: Vec<(&str, Tensor, DType, Vec<usize>)> = vec![
        (
            "integers",
            rng.integers(0, 5, [2, 3]),
            DType::I64,
            vec![2, 3],
        ),
        ("uniform", rng.uniform(0.0, 1.0, [4]), DType::F64, vec![4]),
        (
            "normal",
            rng.normal(0.0, 1.0, [0, 3]),
            DType::F64,
            vec![0, 3],
        ),
        ("exponential", rng.exponential(1.0, []), DType::F64, vec![]),
        ("gamma", rng.gamma(1.0, 1.0, [3, 1]), DType::F64, vec![3, 1]),
        ("beta", rng.beta(1.0, 1.0, [2]), DType::F64, vec![2]),
        (
            "binomial",
            rng.binomial(5, 0.5, [2, 2]),
            DType::I64,
            vec![2, 2],
        ),
        ("poisson", rng.poisson(1.0, [5]), DType::I64, vec![5]),
        (
            "multinomial",
            rng.multinomial(5, &[0.3, 0.3], [2, 3]),
            DType::I64,
            vec![2, 3, 2],
        ),
        (
            "multinomial 0-d",
            rng.multinomial(5, &[0.3, 0.7], []),
            DType::I64,
            vec![2],
        ),
        ("permutation(n)", rng.permutation(7), DType::I64, vec![7]),
        ("permutation(-1)", rng.permutation(-1), DType::I64, vec![0]),
        (
            "permutation(f32 rows)",
            rng.permutation(lazygrad::zeros([3, 2]).astype(DType::F32)),
            DType::F32,
            vec![3, 2],
        ),
        (
            "choice(n)",
            rng.choice(5, [4, 2], true, None),
            DType::I64,
            vec![4, 2],
        ),
        (
            "choice(n) 0-d",
            rng.choice(5, [], true, None),
            DType::I64,
            vec![],
        ),
        (
            "choice(0-d int array)",
            rng.choice(lazygrad::array(5), [3], true, None),
            DType::I64,
            vec![3],
        ),
        (
            "choice(rows)",
            rng.choice(lazygrad::zeros([3, 2]), [4, 5], true, None),
            DType::F64,
            vec![4, 5, 2],
        ),
        (
            "choice(bool)",
            rng.choice(lazygrad::array([true, false]), [2], true, None),
            DType::Bool,
            vec![2],
        ),
        (
            "choice(0, 0)",
            rng.choice(0, [0], false, None),
            DType::I64,
            vec![0],
        ),
        (
            "choice(empty, 0)",
            rng.choice(lazygrad::zeros([0]), [0], true, None),
            DType::F64,
            vec![0],
        ),
    ];
    for (name, t, dtype, shape) in cases {
        assert_eq!((t.dtype(), t.shape()), (dtype, &shape[..]), "{name}");
        t.realize();
    }
}

/// Asserts that `values` have the given mean and variance, each within five standard errors
/// over their number. The variance's standard error needs the fourth central moment, given by
/// the excess kurtosis: `mu4 = (3 + excess) * var^2`.
fn assert_moments(name: &str, values: &[f64], mean: f64, var: f64, excess_kurtosis: f64) {
    let n = values.len() as f64;
    let sample_mean = values.iter().sum::<f64>() / n;
    let sample_var = values
        .iter()
        .map(|x| (x - sample_mean).powi(2))
        .sum::<f64>()
        / n;
    let se_mean = (var / n).sqrt();
    let se_var = ((3.0 + excess_kurtosis - 1.0) * var * var / n).sqrt();
    assert!(
        (sample_mean - mean).abs() < 5.0 * se_mean,
        "{name}: mean {sample_mean}, expected {mean} (standard error {se_mean})"
    );
    assert!(
        (sample_var - var).abs() < 5.0 * se_var,
        "{name}: variance {sample_var}, expected {var} (standard error {se_var})"
    );
}

const N: usize = 100_000;

#[test]
fn distributions_have_their_means_and_variances() {
    let mut rng = Generator::new(9);
    let ints = |t: Tensor| t.astype(DType::F64).to_vec::<f64>();
    // Discrete uniform on m values: var (m^2 - 1) / 12, excess -6 (m^2 + 1) / (5 (m^2 - 1)).
    let m = 10.0f64;
    let discrete = -6.0 * (m * m + 1.0) / (5.0 * (m * m - 1.0));
    assert_moments(
        "integers",
        &ints(rng.integers(-3, 7, [N])),
        1.5,
        (m * m - 1.0) / 12.0,
        discrete,
    );
    assert_moments(
        "uniform",
        &f64s(&rng.uniform(-1.0, 3.0, [N])),
        1.0,
        16.0 / 12.0,
        -1.2,
    );
    assert_moments("normal", &f64s(&rng.normal(-2.0, 3.0, [N])), -2.0, 9.0, 0.0);
    // Exponential of mean s: variance s^2, excess kurtosis 6.
    assert_moments(
        "exponential",
        &f64s(&rng.exponential(2.5, [N])),
        2.5,
        6.25,
        6.0,
    );
    // Gamma(k, s): mean k s, variance k s^2, excess 6 / k; both of rand_distr's algorithms.
    for (k, s) in [(0.5, 2.0), (1.0, 3.0), (4.5, 0.5)] {
        let name = format!("gamma({k}, {s})");
        assert_moments(
            &name,
            &f64s(&rng.gamma(k, s, [N])),
            k * s,
            k * s * s,
            6.0 / k,
        );
    }
    // Beta(a, b): mean a / (a + b), variance ab / ((a + b)^2 (a + b + 1)).
    for (a, b) in [(0.5, 0.5), (2.0, 5.0), (0.3, 4.0)] {
        let sum = a + b;
        let var = a * b / (sum * sum * (sum + 1.0));
        let excess = 6.0 * ((a - b) * (a - b) * (sum + 1.0) - a * b * (sum + 2.0))
            / (a * b * (sum + 2.0) * (sum + 3.0));
        let name = format!("beta({a}, {b})");
        assert_moments(&name, &f64s(&rng.beta(a, b, [N])), a / sum, var, excess);
    }
    // Binomial(n, p): mean np, variance np(1-p), excess (1 - 6p(1-p)) / (np(1-p)); small and
    // large means take different algorithms.
    for (n, p) in [(10i64, 0.3), (1000, 0.4), (5, 0.95)] {
        let var = n as f64 * p * (1.0 - p);
        let excess = (1.0 - 6.0 * p * (1.0 - p)) / var;
        let name = format!("binomial({n}, {p})");
        assert_moments(
            &name,
            &ints(rng.binomial(n, p, [N])),
            n as f64 * p,
            var,
            excess,
        );
    }
    // Poisson(lam): mean and variance lam, excess 1 / lam; Knuth's method below 12, rejection above.
    for lam in [0.5, 3.0, 50.0, 1e6] {
        let name = format!("poisson({lam})");
        assert_moments(&name, &ints(rng.poisson(lam, [N])), lam, lam, 1.0 / lam);
    }
}

#[test]
fn degenerate_parameters_give_numpys_constants() {
    let mut rng = Generator::new(10);
    assert_eq!(f64s(&rng.uniform(1.5, 1.5, [3])), vec![1.5; 3]);
    assert_eq!(f64s(&rng.exponential(0.0, [3])), vec![0.0; 3]);
    assert_eq!(f64s(&rng.gamma(0.0, 1.0, [3])), vec![0.0; 3]);
    assert_eq!(f64s(&rng.gamma(2.0, 0.0, [3])), vec![0.0; 3]);
    assert!(
        f64s(&rng.gamma(f64::NAN, 1.0, [3]))
            .iter()
            .all(|x| x.is_nan())
    );
    assert!(
        f64s(&rng.beta(f64::NAN, 1.0, [3]))
            .iter()
            .all(|x| x.is_nan())
    );
    assert!(
        f64s(&rng.beta(f64::INFINITY, 1.0, [3]))
            .iter()
            .all(|x| x.is_nan())
    );
    assert!(
        f64s(&rng.normal(0.0, f64::NAN, [3]))
            .iter()
            .all(|x| x.is_nan())
    );
    assert!(
        f64s(&rng.exponential(f64::INFINITY, [3]))
            .iter()
            .all(|x| *x == f64::INFINITY)
    );
    assert_eq!(rng.binomial(0, 0.5, [3]).to_vec::<i64>(), vec![0; 3]);
    assert_eq!(rng.binomial(7, 0.0, [3]).to_vec::<i64>(), vec![0; 3]);
    assert_eq!(rng.binomial(7, 1.0, [3]).to_vec::<i64>(), vec![7; 3]);
    assert_eq!(rng.poisson(0.0, [3]).to_vec::<i64>(), vec![0; 3]);
    assert_eq!(rng.poisson(-0.0, [3]).to_vec::<i64>(), vec![0; 3]);
    // numpy's last category takes what the others leave, whatever its own pval.
    assert_eq!(
        rng.multinomial(5, &[0.0, 0.0], []).to_vec::<i64>(),
        vec![0, 5]
    );
    assert_eq!(rng.multinomial(5, &[1.0], [2]).to_vec::<i64>(), vec![5, 5]);
    assert_eq!(
        rng.multinomial(0, &[0.5, 0.5], []).to_vec::<i64>(),
        vec![0, 0]
    );
    // Rounding in pvals[:-1] within numpy's 1e-12 is accepted.
    assert_eq!(rng.multinomial(5, &[1.0, 1e-13], []).sum().item::<i64>(), 5);
    // Huge counts and means stay in int64.
    let big = rng.binomial(1 << 62, 0.5, [2]).to_vec::<i64>();
    assert!(big.iter().all(|&x| (0..=1 << 62).contains(&x)), "{big:?}");
    let huge = rng.poisson(9.2e18, [2]).to_vec::<i64>();
    assert!(huge.iter().all(|&x| x > 9.1e18 as i64), "{huge:?}");
}

/// Whether `values` are exactly `0..n` in some order.
fn is_permutation_of_range(values: &[i64]) -> bool {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.iter().copied().eq(0..values.len() as i64)
}

#[test]
fn permutations_and_shuffles_reorder_every_item_once() {
    let mut rng = Generator::new(12);
    for n in [0, 1, 2, 10, 1000] {
        assert!(
            is_permutation_of_range(&rng.permutation(n).to_vec::<i64>()),
            "{n}"
        );
    }
    assert_eq!(rng.permutation(true).to_vec::<i64>(), vec![0]);
    // An array's rows are permuted as wholes: row i of the result is some row of the input.
    let a = lazygrad::arange(12).reshape([4, 3]);
    let rows = rng.permutation(&a).to_vec::<i64>();
    let firsts: Vec<i64> = rows.chunks(3).map(|r| r[0] / 3).collect();
    assert!(is_permutation_of_range(&firsts), "{rows:?}");
    assert!(
        rows.chunks(3).all(|r| r[1] == r[0] + 1 && r[2] == r[0] + 2),
        "{rows:?}"
    );
    // A strided input (a transpose) permutes the rows it shows.
    let t = a.t();
    let cols = rng.permutation(&t).to_vec::<i64>();
    let firsts: Vec<i64> = cols.chunks(4).map(|r| r[0]).collect();
    assert!(is_permutation_of_range(&firsts), "{cols:?}");
    // shuffle rebinds the handle; a clone of the old one keeps its value, as index_put's do.
    let mut x = lazygrad::arange(50);
    let before = x.clone();
    rng.shuffle(&mut x);
    assert_eq!(before.to_vec::<i64>(), (0..50).collect::<Vec<i64>>());
    let shuffled = x.to_vec::<i64>();
    assert!(is_permutation_of_range(&shuffled));
    assert_ne!(shuffled, before.to_vec::<i64>());
    // Each item lands in each position equally often: position 0 over 20 000 permutations
    // of 5 holds each value 4000 times (standard error 57).
    let mut counts = [0usize; 5];
    for _ in 0..20_000 {
        counts[rng.permutation(5).to_vec::<i64>()[0] as usize] += 1;
    }
    assert!(
        counts.iter().all(|&c| c.abs_diff(4000) < 5 * 57),
        "{counts:?}"
    );
}

#[test]
fn choice_without_replacement_draws_distinct_items_uniformly() {
    let mut rng = Generator::new(13);
    // Both ways of sampling: draws that retry (3 of 100) and a partial shuffle (80 of 100).
    for count in [3usize, 80, 100] {
        let picks = rng.choice(100, [count], false, None).to_vec::<i64>();
        let mut distinct = picks.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), count, "{picks:?}");
        assert!(picks.iter().all(|p| (0..100).contains(p)));
    }
    assert!(is_permutation_of_range(
        &rng.choice(100, [100], false, None).to_vec::<i64>()
    ));
    // Rows of an array: a subset of its rows, in the requested shape.
    let a = &lazygrad::arange(10) * 10;
    let picks = rng.choice(&a, [2, 2], false, None);
    assert_eq!(picks.shape(), &[2, 2]);
    let mut picks = picks.to_vec::<i64>();
    assert!(picks.iter().all(|p| p % 10 == 0 && (0..100).contains(p)));
    picks.sort_unstable();
    picks.dedup();
    assert_eq!(picks.len(), 4);
    // Every item is in a sample of 3 of 10 with probability 0.3, and first with 0.1, in both
    // algorithms (retrying draws below half the population, the shuffle above it).
    for (count, trials) in [(3usize, 20_000usize), (6, 20_000)] {
        let mut member = [0usize; 10];
        let mut first = [0usize; 10];
        for _ in 0..trials {
            let picks = rng.choice(10, [count], false, None).to_vec::<i64>();
            first[picks[0] as usize] += 1;
            picks.iter().for_each(|&p| member[p as usize] += 1);
        }
        let q = count as f64 / 10.0;
        let (expected, se) = (trials as f64 * q, (trials as f64 * q * (1.0 - q)).sqrt());
        assert!(
            member
                .iter()
                .all(|&c| (c as f64 - expected).abs() < 5.0 * se),
            "{member:?}"
        );
        let (expected, se) = (trials as f64 * 0.1, (trials as f64 * 0.09).sqrt());
        assert!(
            first
                .iter()
                .all(|&c| (c as f64 - expected).abs() < 5.0 * se),
            "{first:?}"
        );
    }
}

/// Asserts that `counts` out of `total` draws match the probabilities `p`, each within five
/// binomial standard errors.
fn assert_frequencies(name: &str, counts: &[usize], p: &[f64]) {
    let total = counts.iter().sum::<usize>() as f64;
    for (&count, &p) in counts.iter().zip(p) {
        let se = (total * p * (1.0 - p)).sqrt();
        assert!(
            (count as f64 - total * p).abs() <= 5.0 * se,
            "{name}: counts {counts:?} for p {p:?}"
        );
    }
}

#[test]
fn weighted_choice_frequencies_match_p() {
    let mut rng = Generator::new(14);
    let p = [0.1, 0.0, 0.2, 0.3, 0.4];
    let draws = rng.choice(5, [N], true, Some(&p)).to_vec::<i64>();
    let mut counts = [0usize; 5];
    draws.iter().for_each(|&d| counts[d as usize] += 1);
    assert_eq!(counts[1], 0, "an item of probability 0 is never drawn");
    assert_frequencies("with replacement", &counts, &p);
    // Without replacement, numpy draws one item after another with the probabilities of the
    // items left renormalized: P(first = j) = p_j, P(second = j) = sum_i p_i p_j / (1 - p_i).
    let p = [0.5, 0.3, 0.2];
    let second: Vec<f64> = (0..3)
        .map(|j| {
            (0..3)
                .filter(|&i| i != j)
                .map(|i| p[i] * p[j] / (1.0 - p[i]))
                .sum()
        })
        .collect();
    let (mut firsts, mut seconds) = ([0usize; 3], [0usize; 3]);
    for _ in 0..20_000 {
        let picks = rng.choice(3, [2], false, Some(&p)).to_vec::<i64>();
        assert_ne!(picks[0], picks[1]);
        firsts[picks[0] as usize] += 1;
        seconds[picks[1] as usize] += 1;
    }
    assert_frequencies("first without replacement", &firsts, &p);
    assert_frequencies("second without replacement", &seconds, &second);
    // Items of probability 0 are left out while others remain.
    let picks = rng
        .choice(4, [2], false, Some(&[0.5, 0.0, 0.5, 0.0]))
        .to_vec::<i64>();
    let mut picks = picks.clone();
    picks.sort_unstable();
    assert_eq!(picks, vec![0, 2]);
}

#[test]
fn multinomial_rows_sum_to_n_with_means_n_p() {
    let mut rng = Generator::new(15);
    let p = [0.1, 0.25, 0.05, 0.6];
    let n = 40;
    let draws = rng.multinomial(n, &p, [N / 10, 10]);
    assert_eq!(draws.shape(), &[N / 10, 10, 4]);
    assert!(draws.sum_axis(-1).equal(n).all().item::<bool>());
    let values = draws.to_vec::<i64>();
    assert!(values.iter().all(|&v| (0..=n).contains(&v)));
    // Category j's count is Binomial(n, p_j): mean n p_j, variance n p_j (1 - p_j).
    for (j, &pj) in p.iter().enumerate() {
        let column: Vec<f64> = values
            .iter()
            .skip(j)
            .step_by(4)
            .map(|&v| v as f64)
            .collect();
        let var = n as f64 * pj * (1.0 - pj);
        let excess = (1.0 - 6.0 * pj * (1.0 - pj)) / var;
        assert_moments(
            &format!("category {j}"),
            &column,
            n as f64 * pj,
            var,
            excess,
        );
    }
}

#[test]
fn bad_parameters_give_numpys_errors() {
    let mut rng = Generator::new(16);
    let err = |res: lazygrad::Result<Tensor>| res.unwrap_err().to_string();
    let sum_message = "choice: Probabilities do not sum to 1. See Notes section of docstring for more information.";
    let cases: Vec<(lazygrad::Result<Tensor>, &str)> = vec![
        (
            rng.try_integers(5, 5, [2]),
            "integers: low >= high (5 >= 5)",
        ),
        (rng.try_randint(6, 5, [2]), "randint: low >= high (6 >= 5)"),
        (rng.try_uniform(2.0, 1.0, [2]), "uniform: high - low < 0"),
        (
            rng.try_uniform(0.0, f64::INFINITY, [2]),
            "uniform: high - low range exceeds valid bounds",
        ),
        (
            rng.try_uniform(f64::NAN, 1.0, [2]),
            "uniform: high - low range exceeds valid bounds",
        ),
        (
            rng.try_uniform(-1e308, 1e308, [2]),
            "uniform: high - low range exceeds valid bounds",
        ),
        (rng.try_normal(0.0, -1.0, [2]), "normal: scale < 0"),
        (rng.try_normal(0.0, -0.0, [2]), "normal: scale < 0"),
        (rng.try_exponential(-1.0, [2]), "exponential: scale < 0"),
        (rng.try_gamma(-1.0, 1.0, [2]), "gamma: shape < 0"),
        (rng.try_gamma(1.0, -1.0, [2]), "gamma: scale < 0"),
        (rng.try_beta(0.0, 1.0, [2]), "beta: a <= 0"),
        (rng.try_beta(1.0, -2.0, [2]), "beta: b <= 0"),
        (rng.try_binomial(-1, 0.5, [2]), "binomial: n < 0"),
        (
            rng.try_binomial(5, 1.5, [2]),
            "binomial: p < 0, p > 1 or p is NaN",
        ),
        (
            rng.try_binomial(5, f64::NAN, [2]),
            "binomial: p < 0, p > 1 or p is NaN",
        ),
        (rng.try_poisson(-1.0, [2]), "poisson: lam < 0 or lam is NaN"),
        (
            rng.try_poisson(f64::NAN, [2]),
            "poisson: lam < 0 or lam is NaN",
        ),
        (rng.try_poisson(1e19, [2]), "poisson: lam value too large"),
        (
            rng.try_poisson(f64::INFINITY, [2]),
            "poisson: lam value too large",
        ),
        (
            rng.try_multinomial(-1, &[0.5, 0.5], [2]),
            "multinomial: n < 0",
        ),
        (
            rng.try_multinomial(5, &[-0.1, 1.1], [2]),
            "multinomial: pvals < 0, pvals > 1 or pvals contains NaNs",
        ),
        (
            rng.try_multinomial(5, &[f64::NAN, 0.5], [2]),
            "multinomial: pvals < 0, pvals > 1 or pvals contains NaNs",
        ),
        (
            rng.try_multinomial(5, &[0.7, 0.6, 0.1], [2]),
            "multinomial: sum(pvals[:-1]) > 1.0",
        ),
        (
            rng.try_multinomial(5, &[], [2]),
            "multinomial: pvals must have at least 1 dimension and the last dimension of pvals must be greater than 0.",
        ),
        (
            rng.try_permutation(2.5),
            "permutation: axis 0 is out of bounds for array of dimension 0",
        ),
        (
            rng.try_permutation(lazygrad::array(3)),
            "permutation: axis 0 is out of bounds for array of dimension 0",
        ),
        (
            rng.try_choice(0, [3], true, None),
            "choice: a must be a positive integer unless no samples are taken",
        ),
        (
            rng.try_choice(-2, [3], true, None),
            "choice: a must be a positive integer unless no samples are taken",
        ),
        (
            rng.try_choice(lazygrad::zeros([0]), [3], true, None),
            "choice: a cannot be empty unless no samples are taken",
        ),
        (
            rng.try_choice(2.5, [3], true, None),
            "choice: a must be a sequence or an integer, not a float",
        ),
        (
            rng.try_choice(lazygrad::array(2.5), [3], true, None),
            "choice: a must be a sequence or an integer, not a 0-d float64 array",
        ),
        (
            rng.try_choice(3, [5], false, None),
            "choice: Cannot take a larger sample than population when replace is False",
        ),
        (
            rng.try_choice(3, [2, 2], false, None),
            "choice: Cannot take a larger sample than population when replace is False",
        ),
        (
            rng.try_choice(3, [2], true, Some(&[0.5, 0.5])),
            "choice: a and p must have same size",
        ),
        (
            rng.try_choice(3, [2], true, Some(&[f64::NAN, 0.5, 0.5])),
            "choice: Probabilities contain NaN",
        ),
        (
            rng.try_choice(3, [2], true, Some(&[-0.5, 0.5, 1.0])),
            "choice: Probabilities are not non-negative",
        ),
        (
            rng.try_choice(3, [2], true, Some(&[0.5, 0.5, 0.5])),
            sum_message,
        ),
        (
            rng.try_choice(3, [2], true, Some(&[0.5, 0.5, 1e-7])),
            sum_message,
        ),
        (
            rng.try_choice(3, [2], true, Some(&[0.5, 0.5, f64::INFINITY])),
            sum_message,
        ),
        (
            rng.try_choice(3, [3], false, Some(&[0.5, 0.5, 0.0])),
            "choice: Fewer non-zero entries in p than size",
        ),
    ];
    for (res, expected) in cases {
        assert_eq!(err(res), expected);
    }
    // numpy's largest Poisson mean is accepted and the next float refused.
    assert!(rng.try_poisson(9.223372006484771e18, [1]).is_ok());
    assert!(rng.try_poisson(9.223372006484772e18, [1]).is_err());
    // Within numpy's tolerance (the square root of float64's epsilon) the sum is 1.
    assert!(
        rng.try_choice(3, [2], true, Some(&[0.5, 0.5, 1e-9]))
            .is_ok()
    );
    // A failed shuffle leaves the handle as it was.
    let mut scalar = lazygrad::array(3);
    assert_eq!(
        rng.try_shuffle(&mut scalar).unwrap_err().to_string(),
        "shuffle: len() of unsized object"
    );
    assert_eq!(scalar.item::<i64>(), 3);
    let mut empty = lazygrad::zeros([0]);
    assert!(rng.try_shuffle(&mut empty).is_ok());
}
