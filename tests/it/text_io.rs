//! Text files through the tensor API: every case numpy ran in `tests/it/io_golden/gen.py`
//! (`LOADTXT_CASES`, `GENFROMTXT_CASES`, `SAVETXT_CASES`), with its arguments read from
//! `text/cases.txt`, compared with the array numpy read, numpy's error message, or the bytes
//! numpy's `savetxt` wrote; then round trips and the digits CSV.

use lazygrad::io::{self, GenFromTxt, LoadTxt, SaveTxt};
use lazygrad::{DType, Tensor, concatenate, s};
use std::path::{Path, PathBuf};

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/io_golden/text")
        .join(name)
}

/// A scratch directory for the files the tests write.
fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/io-written/text");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One case of `cases.txt`: the function, the case's name and its keyword arguments (a list
/// argument has one entry per item).
struct Case {
    function: String,
    name: String,
    args: Vec<(String, String)>,
}

impl Case {
    /// The values given for `key`.
    fn all(&self, key: &str) -> Vec<&str> {
        self.args
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The one value given for `key`, if any.
    fn get(&self, key: &str) -> Option<&str> {
        self.all(key).first().copied()
    }

    fn number<T: std::str::FromStr>(&self, key: &str) -> Option<T> {
        self.get(key)
            .map(|value| value.parse().ok().expect("a number in cases.txt"))
    }

    fn delimiter(&self) -> Option<char> {
        self.get("delimiter")
            .map(|value| value.chars().next().expect("a delimiter"))
    }

    fn usecols(&self) -> Option<Vec<isize>> {
        let cols = self.all("usecols");
        (!cols.is_empty()).then(|| cols.iter().map(|c| c.parse().unwrap()).collect())
    }

    fn dtype(&self) -> DType {
        match self.get("dtype").unwrap_or("float64") {
            "bool" => DType::Bool,
            "uint8" => DType::U8,
            "int32" => DType::I32,
            "int64" => DType::I64,
            "float32" => DType::F32,
            "float64" => DType::F64,
            other => panic!("unknown dtype {other} in cases.txt"),
        }
    }

    fn loadtxt(&self) -> LoadTxt {
        let defaults = LoadTxt::default();
        let comments = self.all("comments");
        LoadTxt {
            delimiter: self.delimiter(),
            comments: if comments.is_empty() {
                defaults.comments
            } else {
                comments.iter().map(|c| c.to_string()).collect()
            },
            skiprows: self.number("skiprows").unwrap_or(0),
            usecols: self.usecols(),
            dtype: self.dtype(),
            max_rows: self.number("max_rows"),
            ndmin: self.number("ndmin").unwrap_or(0),
            unpack: self.get("unpack") == Some("True"),
        }
    }

    fn genfromtxt(&self) -> GenFromTxt {
        GenFromTxt {
            delimiter: self.delimiter(),
            comments: Some(self.get("comments").unwrap_or("#").to_string()),
            skip_header: self.number("skip_header").unwrap_or(0),
            skip_footer: self.number("skip_footer").unwrap_or(0),
            usecols: self.usecols(),
            dtype: self.dtype(),
            missing_values: self
                .all("missing_values")
                .iter()
                .map(|m| m.to_string())
                .collect(),
            filling_values: self.number("filling_values"),
            max_rows: self.number("max_rows"),
            ndmin: self.number("ndmin").unwrap_or(0),
        }
    }

    fn savetxt(&self) -> SaveTxt {
        let defaults = SaveTxt::default();
        let text = |key: &str, default: String| self.get(key).map_or(default, str::to_string);
        SaveTxt {
            fmt: text("fmt", defaults.fmt),
            delimiter: text("delimiter", defaults.delimiter),
            newline: text("newline", defaults.newline),
            header: text("header", defaults.header),
            footer: text("footer", defaults.footer),
            comments: text("comments", defaults.comments),
        }
    }
}

/// Undoes gen.py's `escape`.
fn unescape(value: &str) -> String {
    let mut res = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            res.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => res.push('\n'),
            Some('t') => res.push('\t'),
            Some('r') => res.push('\r'),
            Some('\\') => res.push('\\'),
            other => panic!("bad escape {other:?} in cases.txt"),
        }
    }
    res
}

/// Every case of `cases.txt`, in order.
fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(golden("cases.txt")).unwrap();
    let mut res = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let mut words = line.split(' ');
        assert_eq!(words.next(), Some("case"), "{line}");
        let (function, name) = (words.next().unwrap(), words.next().unwrap());
        let mut args = Vec::new();
        for line in lines.by_ref().take_while(|line| *line != "end") {
            let (key, value) = line.split_once('\t').expect("key and value");
            args.push((key.to_string(), unescape(value)));
        }
        res.push(Case {
            function: function.into(),
            name: name.into(),
            args,
        });
    }
    res
}

/// Asserts equal dtype, shape and elements (floats bit for bit, any NaN equal to any NaN).
#[track_caller]
fn assert_same(actual: &Tensor, expected: &Tensor, context: &str) {
    assert_eq!(actual.dtype(), expected.dtype(), "{context}: dtype");
    assert_eq!(actual.shape(), expected.shape(), "{context}: shape");
    let bits = |t: &Tensor| {
        t.astype(DType::F64)
            .to_vec::<f64>()
            .iter()
            .map(|x| if x.is_nan() { u64::MAX } else { x.to_bits() })
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(actual), bits(expected), "{context}: values");
}

/// Checks a reader's result against numpy's array or numpy's error message.
#[track_caller]
fn check_read(case: &Case, res: io::Result<Tensor>, how: &str) {
    let context = format!("{} {} ({how})", case.function, case.name);
    let expected = golden(&format!("{}.npy", case.name));
    match res {
        Ok(tensor) => {
            assert!(
                expected.exists(),
                "{context}: numpy failed with {:?}, lazygrad read {tensor}",
                std::fs::read_to_string(golden(&format!("{}.err", case.name))).ok()
            );
            assert_same(&tensor, &io::load(&expected).unwrap(), &context);
        }
        Err(err) => {
            let message = std::fs::read_to_string(golden(&format!("{}.err", case.name)))
                .unwrap_or_else(|_| panic!("{context}: numpy read it, lazygrad failed: {err}"));
            assert!(
                err.to_string().contains(&message),
                "{context}: {err}\nlacks numpy's message\n{message}"
            );
        }
    }
}

/// The same values as `tensor` in a strided view: the first half of the last axis of a
/// realized array holding the tensor twice side by side.
fn strided(tensor: &Tensor) -> Tensor {
    if tensor.ndim() == 0 {
        return tensor.clone();
    }
    let doubled = concatenate(&[tensor, tensor], -1);
    doubled.realize();
    let cols = *tensor.shape().last().unwrap_or(&0) as isize;
    match tensor.shape().len() {
        1 => doubled.slice(s![..cols]),
        _ => doubled.slice(s![.., ..cols]),
    }
}

#[test]
fn every_numpy_case_reads_and_writes_as_numpy_does() {
    let cases = cases();
    let count = |function: &str| cases.iter().filter(|c| c.function == function).count();
    // The script's three tables, so a case dropped from the manifest fails here.
    assert!(count("loadtxt") >= 33, "{} loadtxt cases", count("loadtxt"));
    assert!(
        count("genfromtxt") >= 17,
        "{} genfromtxt cases",
        count("genfromtxt")
    );
    assert!(count("savetxt") >= 21, "{} savetxt cases", count("savetxt"));
    for case in &cases {
        let input = golden(&format!("{}.txt", case.name));
        match case.function.as_str() {
            "loadtxt" => {
                let opts = case.loadtxt();
                check_read(case, io::loadtxt_with(&input, &opts), "path");
                let bytes = std::fs::read(&input).unwrap();
                check_read(case, io::loadtxt_from(&bytes[..], &opts), "reader");
            }
            "genfromtxt" => {
                let opts = case.genfromtxt();
                check_read(case, io::genfromtxt_with(&input, &opts), "path");
                let bytes = std::fs::read(&input).unwrap();
                check_read(case, io::genfromtxt_from(&bytes[..], &opts), "reader");
            }
            "savetxt" => {
                let array = io::load(golden(&format!("{}_in.npy", case.name))).unwrap();
                for (layout, array) in [("contiguous", array.clone()), ("strided", strided(&array))]
                {
                    let out = scratch().join(format!("{}_{layout}.txt", case.name));
                    let _ = std::fs::remove_file(&out);
                    let context = format!("savetxt {} ({layout})", case.name);
                    match io::savetxt_with(&out, &array, &case.savetxt()) {
                        Ok(()) => {
                            let expected = std::fs::read(&input).unwrap_or_else(|_| {
                                panic!("{context}: numpy failed, lazygrad wrote the file")
                            });
                            let written = std::fs::read(&out).unwrap();
                            assert_eq!(
                                String::from_utf8_lossy(&written),
                                String::from_utf8_lossy(&expected),
                                "{context}"
                            );
                            assert_eq!(written, expected, "{context}: bytes");
                        }
                        Err(err) => {
                            let message =
                                std::fs::read_to_string(golden(&format!("{}.err", case.name)))
                                    .unwrap_or_else(|_| panic!("{context}: numpy wrote it: {err}"));
                            assert!(err.to_string().contains(&message), "{context}: {err}");
                        }
                    }
                }
            }
            other => panic!("unknown function {other} in cases.txt"),
        }
    }
}

#[test]
fn the_default_forms_are_numpys_defaults() {
    let dir = scratch();
    let path = dir.join("defaults.txt");
    let a = Tensor::from_vec(
        vec![0.1, -2.5, 1e-300, 7.0, f64::NAN, f64::INFINITY],
        [2, 3],
    );
    io::savetxt(&path, &a).unwrap();
    assert_same(&io::loadtxt(&path).unwrap(), &a, "loadtxt");
    assert_same(&io::genfromtxt(&path).unwrap(), &a, "genfromtxt");
}

#[test]
fn every_dtype_round_trips_through_savetxt_and_loadtxt() {
    let dir = scratch();
    let tensors = [
        Tensor::from_vec(vec![true, false, true, true], [2, 2]),
        Tensor::from_vec(vec![0u8, 1, 254, 255], [2, 2]),
        Tensor::from_vec(vec![i32::MIN, -1, 0, i32::MAX], [2, 2]),
        Tensor::from_vec(vec![i64::MIN, -1, 0, i64::MAX], [2, 2]),
        Tensor::from_vec(vec![f32::MIN_POSITIVE, -0.1, 3.5, f32::MAX], [2, 2]),
        Tensor::from_vec(vec![f64::MIN_POSITIVE, -0.1, 5e-324, f64::MAX], [2, 2]),
    ];
    for tensor in tensors {
        let dtype = tensor.dtype();
        let path = dir.join(format!("round_trip_{dtype}.csv"));
        // Integers need %d: %.18e goes through float64, which cannot hold every int64.
        let fmt = if dtype.is_float() { "%.18e" } else { "%d" };
        let save = SaveTxt {
            fmt: fmt.into(),
            delimiter: ",".into(),
            ..SaveTxt::default()
        };
        io::savetxt_with(&path, &tensor, &save).unwrap();
        let load = LoadTxt {
            delimiter: Some(','),
            dtype,
            ..LoadTxt::default()
        };
        assert_same(
            &io::loadtxt_with(&path, &load).unwrap(),
            &tensor,
            &dtype.to_string(),
        );
    }
}

#[test]
fn read_errors_name_the_file() {
    let dir = scratch();
    let path = dir.join("bad.txt");
    std::fs::write(&path, "1 2\n3 x\n").unwrap();
    let err = io::loadtxt(&path).unwrap_err().to_string();
    assert!(
        err.contains("bad.txt") && err.contains("loadtxt: could not convert"),
        "{err}"
    );
    let err = io::loadtxt(dir.join("missing.txt"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.txt"), "{err}");
    let err = io::loadtxt_from(&b"1 2\n3\n"[..], &LoadTxt::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("loadtxt: the number of columns changed"),
        "{err}"
    );
}

#[test]
fn a_failed_savetxt_leaves_the_previous_file() {
    let path = scratch().join("kept.txt");
    std::fs::write(&path, "old").unwrap();
    let nan = Tensor::from_vec(vec![1.0, f64::NAN], [1, 2]);
    let opts = SaveTxt {
        fmt: "%d".into(),
        ..SaveTxt::default()
    };
    assert!(io::savetxt_with(&path, &nan, &opts).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
}
