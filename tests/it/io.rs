//! Files and figures through the tensor API: numpy goldens for `.npy`/`.npz`, PIL goldens for
//! decoding and resizing, round trips for every format and dtype, and the error cases.
//!
//! The goldens are written by `tests/it/io_golden/gen.py` (numpy and PIL). The round-trip tests
//! leave what they write in `target/io-written/`, which `gen.py --check` reads back with numpy
//! and PIL when Python is present.

use lazygrad::io::{self, Filter, Order};
use lazygrad::{DType, Tensor, array};
use std::path::{Path, PathBuf};

fn golden(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/io_golden")
        .join(path)
}

/// Where the round trips write; `gen.py --check` reads these files with numpy and PIL.
fn written(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/io-written");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const DTYPES: [DType; 12] = DType::ALL;

/// The (2, 3, 4) array of `dtype` that `pattern(dtype)` in gen.py writes.
fn pattern(dtype: DType) -> Tensor {
    let i = 0..24i64;
    match dtype {
        DType::Bool => Tensor::from_vec(i.map(|i| i % 3 == 0).collect(), [2, 3, 4]),
        DType::U8 => Tensor::from_vec(i.map(|i| ((i * 11) % 256) as u8).collect(), [2, 3, 4]),
        DType::I8 => Tensor::from_vec(i.map(|i| (i * -5 + 60) as i8).collect(), [2, 3, 4]),
        DType::U16 => Tensor::from_vec(i.map(|i| (i * 2711) as u16).collect(), [2, 3, 4]),
        DType::I16 => Tensor::from_vec(i.map(|i| ((i - 12) * 2711) as i16).collect(), [2, 3, 4]),
        DType::U32 => Tensor::from_vec(i.map(|i| (i * 178_956_970) as u32).collect(), [2, 3, 4]),
        DType::I32 => Tensor::from_vec(i.map(|i| (i * -7 + 3) as i32).collect(), [2, 3, 4]),
        DType::U64 => Tensor::from_vec(
            i.map(|i| i as u64 * 768_614_336_404_564_650).collect(),
            [2, 3, 4],
        ),
        DType::I64 => Tensor::from_vec(i.map(|i| (i - 5) << 40).collect(), [2, 3, 4]),
        DType::F16 => Tensor::from_vec(
            i.map(|i| lazygrad_ir::f16::from_f64(i as f64 * 0.125 - 1.5))
                .collect(),
            [2, 3, 4],
        ),
        DType::F32 => Tensor::from_vec(i.map(|i| i as f32 * 0.25 - 1.0).collect(), [2, 3, 4]),
        DType::F64 => Tensor::from_vec(i.map(|i| (i as f64).sqrt() * 1e-3).collect(), [2, 3, 4]),
    }
}

/// Asserts equal dtype, shape and elements (floats bit for bit).
#[track_caller]
fn assert_same(actual: &Tensor, expected: &Tensor, context: &str) {
    assert_eq!(actual.dtype(), expected.dtype(), "{context}: dtype");
    assert_eq!(actual.shape(), expected.shape(), "{context}: shape");
    let (a, e) = (actual.astype(DType::F64), expected.astype(DType::F64));
    let (a, e) = (a.to_vec::<f64>(), e.to_vec::<f64>());
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&e), "{context}: values");
}

#[test]
fn npy_goldens_written_by_numpy_load_in_both_orders() {
    for dtype in DTYPES {
        for order in ["c", "f"] {
            let name = format!("npy/{dtype}_{order}.npy");
            assert_same(&io::load(golden(&name)).unwrap(), &pattern(dtype), &name);
        }
    }
}

#[test]
fn npy_edge_goldens_load() {
    let scalar = io::load(golden("npy/scalar_f8.npy")).unwrap();
    assert_eq!((scalar.shape(), scalar.item::<f64>()), (&[][..], 2.5));
    let empty = io::load(golden("npy/empty_i4_3x0.npy")).unwrap();
    assert_eq!(
        (empty.shape(), empty.dtype()),
        (&[3usize, 0][..], DType::I32)
    );
    let big = io::load(golden("npy/big_endian_i4.npy")).unwrap();
    assert_eq!(big.to_vec::<i32>(), vec![1, -2, 258]);
    let v2 = io::load(golden("npy/v2_f4.npy")).unwrap();
    assert_eq!(
        (v2.shape(), v2.to_vec::<f32>()),
        (&[1usize, 2][..], vec![0.5, 1.5])
    );
}

#[test]
fn npz_goldens_from_savez_and_savez_compressed_load() {
    for file in ["npz/savez.npz", "npz/savez_compressed.npz"] {
        let arrays = io::load_npz(golden(file)).unwrap();
        let names: Vec<&str> = arrays.iter().map(|(name, _)| name.as_str()).collect();
        let dtype_names: Vec<&str> = DTYPES.iter().map(|dtype| dtype.name()).collect();
        assert_eq!(names[..DTYPES.len()], dtype_names[..]);
        for ((name, tensor), dtype) in arrays.iter().zip(DTYPES) {
            assert_same(tensor, &pattern(dtype), &format!("{file}[{name}]"));
        }
    }
}

#[test]
fn npz_goldens_with_fortran_ordered_members_load() {
    for file in ["npz/savez.npz", "npz/savez_compressed.npz"] {
        let arrays = io::load_npz(golden(file)).unwrap();
        // gen.py stores np.asfortranarray(pattern) as "<dtype>_f", after the C-ordered members.
        let fortran = &arrays[DTYPES.len()..];
        assert_eq!(fortran.len(), DTYPES.len(), "{file}");
        for ((name, tensor), dtype) in fortran.iter().zip(DTYPES) {
            assert_eq!(name, &format!("{dtype}_f"), "{file}");
            assert_same(tensor, &pattern(dtype), &format!("{file}[{name}]"));
            // The values come back in C order whatever order the file stores them in.
            let c_member = &arrays
                .iter()
                .find(|(n, _)| n == &dtype.to_string())
                .unwrap()
                .1;
            assert_same(tensor, c_member, &format!("{file}[{name}] vs C member"));
        }
    }
}

#[test]
fn npy_round_trips_every_dtype_in_both_orders_and_from_views() {
    for dtype in DTYPES {
        let a = pattern(dtype);
        let c_path = written(&format!("{dtype}_c.npy"));
        let f_path = written(&format!("{dtype}_f.npy"));
        io::save(&c_path, &a).unwrap();
        io::save_order(&f_path, &a, Order::Fortran).unwrap();
        assert_same(&io::load(&c_path).unwrap(), &a, "C order");
        assert_same(&io::load(&f_path).unwrap(), &a, "Fortran order");
        // numpy writes the same bytes for the same array: the files equal the goldens.
        for (path, order) in [(&c_path, "c"), (&f_path, "f")] {
            let ours = std::fs::read(path).unwrap();
            let numpys = std::fs::read(golden(&format!("npy/{dtype}_{order}.npy"))).unwrap();
            assert!(ours == numpys, "{dtype} {order}: bytes differ from numpy's");
        }
        // A strided view is saved as the values it shows.
        let view = a.transpose();
        let path = written(&format!("{dtype}_view.npy"));
        io::save(&path, &view).unwrap();
        assert_same(&io::load(&path).unwrap(), &view, "transposed view");
    }
}

#[test]
fn npz_and_checkpoints_round_trip_every_dtype() {
    let tensors: Vec<(String, Tensor)> = DTYPES
        .iter()
        .map(|&dtype| (dtype.to_string(), pattern(dtype)))
        .collect();
    let named: Vec<(&str, &Tensor)> = tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
    io::savez(written("written.npz"), &named).unwrap();
    io::savez_compressed(written("written_compressed.npz"), &named).unwrap();
    io::save_checkpoint(written("checkpoint.npz"), &named).unwrap();
    for (file, loaded) in [
        ("written.npz", io::load_npz(written("written.npz")).unwrap()),
        (
            "written_compressed.npz",
            io::load_npz(written("written_compressed.npz")).unwrap(),
        ),
        (
            "checkpoint.npz",
            io::load_checkpoint(written("checkpoint.npz")).unwrap(),
        ),
    ] {
        assert_eq!(loaded.len(), tensors.len(), "{file}");
        for ((name, tensor), (expected_name, expected)) in loaded.iter().zip(&tensors) {
            assert_eq!(name, expected_name, "{file}");
            assert_same(tensor, expected, &format!("{file}[{name}]"));
        }
    }
}

#[test]
fn checkpoint_of_a_lazy_computation_saves_its_values() {
    let w = array([[1.0, 2.0], [3.0, 4.0]]);
    let updated = &w - &(&w * 0.5);
    let path = written("lazy_checkpoint.npz");
    io::save_checkpoint(&path, &[("layer1/w", &updated)]).unwrap();
    let params = io::load_checkpoint(&path).unwrap();
    assert_eq!(params[0].0, "layer1/w");
    assert_eq!(params[0].1.to_vec::<f64>(), vec![0.5, 1.0, 1.5, 2.0]);
}

#[test]
fn imread_decodes_like_pil() {
    let rgb = io::imread(golden("img/rgb.png")).unwrap();
    assert_eq!(
        (rgb.dtype(), rgb.shape()),
        (DType::U8, &[37usize, 53, 3][..])
    );
    assert_same(&io::imread(golden("img/rgb.bmp")).unwrap(), &rgb, "rgb.bmp");
    let grey = io::imread(golden("img/grey.png")).unwrap();
    assert_eq!(grey.shape(), &[29, 31]);
    // PIL writes greyscale BMP with an 8-bit grey palette; it reads back as greyscale.
    assert_same(
        &io::imread(golden("img/grey.bmp")).unwrap(),
        &grey,
        "grey.bmp",
    );
    assert_eq!(
        io::imread(golden("img/rgba.png")).unwrap().shape(),
        &[23, 19, 4]
    );
    let palette = io::imread(golden("img/palette.png")).unwrap();
    assert_same(
        &palette,
        &io::load(golden("img/palette_rgb.npy")).unwrap(),
        "palette",
    );
    let grey16 = io::imread(golden("img/grey16.png")).unwrap();
    let expected = io::load(golden("img/grey16_as_u8.npy")).unwrap();
    assert_same(&grey16, &expected, "16-bit png");
    // JPEG decoders may differ from PIL's (libjpeg's) by a few levels.
    let jpg = io::imread(golden("img/rgb.jpg")).unwrap();
    let pil = io::load(golden("img/rgb_jpg_pil.npy")).unwrap();
    let worst = max_abs_diff(&jpg, &pil);
    assert!(
        worst <= 3.0,
        "jpeg decode differs from PIL's by {worst} levels"
    );
}

#[test]
fn imread_reads_gif_webp_and_pnm_like_pil() {
    let png = |name: &str| io::imread(golden(&format!("img/{name}.png"))).unwrap();
    let (rgb, grey, rgba) = (png("rgb"), png("grey"), png("rgba"));
    for (file, expected) in [
        ("rgb.webp", &rgb),
        ("rgba.webp", &rgba),
        ("rgb.ppm", &rgb),
        ("grey.pgm", &grey),
        // A GIF without transparency reads as RGB, and one with a grey palette as greyscale.
        ("grey.gif", &grey),
    ] {
        let read = io::imread(golden(&format!("img/{file}"))).unwrap();
        assert_same(&read, expected, file);
    }
    let gif = io::imread(golden("img/rgb.gif")).unwrap();
    let pil = io::load(golden("img/palette_rgb.npy")).unwrap();
    assert_same(&gif, &pil, "rgb.gif");
}

/// The largest difference between two uint8 or float tensors of the same shape.
fn max_abs_diff(a: &Tensor, b: &Tensor) -> f64 {
    assert_eq!(a.shape(), b.shape());
    let (a, b) = (
        a.astype(DType::F64).to_vec::<f64>(),
        b.astype(DType::F64).to_vec::<f64>(),
    );
    a.iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

fn filter_named(name: &str) -> Filter {
    match name {
        "nearest" => Filter::Nearest,
        "bilinear" => Filter::Bilinear,
        "bicubic" => Filter::Bicubic,
        "lanczos" => Filter::Lanczos,
        _ => panic!("unknown filter {name}"),
    }
}

#[test]
fn imresize_matches_pil_within_one_level() {
    let mut cases = 0;
    let mut report = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(golden("resize"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let parts: Vec<&str> = stem.split('_').collect();
        let [image, filter, size] = parts[..] else {
            continue;
        };
        let (h, w) = size.split_once('x').unwrap();
        let size = (h.parse().unwrap(), w.parse().unwrap());
        let expected = io::load(&path).unwrap();
        let (actual, tolerance) = if image == "float" {
            let source = io::load(golden("resize/float_source.npy")).unwrap();
            let res = io::imresize_with(&source, size, filter_named(filter)).unwrap();
            (res, 1e-3)
        } else {
            let source = io::imread(golden(&format!("img/{image}.png"))).unwrap();
            (
                io::imresize_with(&source, size, filter_named(filter)).unwrap(),
                1.0,
            )
        };
        assert_eq!(actual.dtype(), expected.dtype(), "{stem}");
        let worst = max_abs_diff(&actual, &expected);
        report.push((stem, worst, tolerance));
        cases += 1;
    }
    let failed: Vec<_> = report
        .iter()
        .filter(|(_, worst, tol)| worst > tol)
        .collect();
    assert!(
        failed.is_empty(),
        "differ from PIL (case, max difference, tolerance): {failed:#?}"
    );
    assert_eq!(cases, 22, "golden files missing: {report:#?}");
}

#[test]
fn the_cheat_sheets_image_section() {
    let img = io::imread(golden("img/rgb.png")).unwrap();
    let img_tinted = &img * array([1.0, 0.95, 0.9]);
    assert_eq!(img_tinted.dtype(), DType::F64);
    let img_tinted = lazygrad::imresize(&img_tinted, (30, 30)).unwrap();
    assert_eq!(
        (img_tinted.shape(), img_tinted.dtype()),
        (&[30usize, 30, 3][..], DType::F64)
    );
    // np.uint8(img_tinted) truncates, as astype does.
    let as_u8 = img_tinted.astype(DType::U8);
    let floats = img_tinted.to_vec::<f64>();
    let bytes = as_u8.to_vec::<u8>();
    assert!(
        floats
            .iter()
            .zip(&bytes)
            .all(|(f, &b)| f.trunc() as u8 == b)
    );
    io::save_image_grid(
        written("side_by_side.png"),
        &[("img", &img), ("img_tinted", &as_u8)],
        2,
    )
    .unwrap();
    io::save_image_grid(
        written("side_by_side.svg"),
        &[("img", &img), ("img_tinted", &as_u8)],
        2,
    )
    .unwrap();
}

#[test]
fn images_round_trip_through_every_format() {
    let img = io::imread(golden("img/rgb.png")).unwrap();
    for ext in ["png", "bmp", "webp", "ppm", "pnm"] {
        let path = written(&format!("rgb.{ext}"));
        lazygrad::imsave(&path, &img).unwrap();
        assert_same(&lazygrad::imread(&path).unwrap(), &img, ext);
    }
    // JPEG is lossy, and noise (most of rgb.png) is what it loses most: check it on a smooth
    // image, which it should keep within a few levels.
    let smooth: Vec<u8> = (0..48 * 64 * 3)
        .map(|i| {
            let (y, x, c) = (i / (64 * 3), i / 3 % 64, i % 3);
            (x * 2 + y + c * 30) as u8
        })
        .collect();
    let smooth = Tensor::from_vec(smooth, [48, 64, 3]);
    io::imsave(written("smooth.png"), &smooth).unwrap();
    let path = written("smooth.jpg");
    io::imsave(&path, &smooth).unwrap();
    let back = io::imread(&path).unwrap();
    assert_eq!(back.shape(), smooth.shape());
    let (back, orig) = (back.astype(DType::F64), smooth.astype(DType::F64));
    let mean = (&back - &orig).abs().mean().item::<f64>();
    assert!(
        mean < 4.0,
        "JPEG round trip is {mean} levels off on average"
    );
    let (grey, rgba) = (
        io::imread(golden("img/grey.png")).unwrap(),
        io::imread(golden("img/rgba.png")).unwrap(),
    );
    for (name, tensor) in [
        ("grey.png", &grey),
        ("rgba.png", &rgba),
        ("grey.pgm", &grey),
        ("grey.pnm", &grey),
        ("rgba.webp", &rgba),
    ] {
        let path = written(name);
        io::imsave(&path, tensor).unwrap();
        assert_same(&io::imread(&path).unwrap(), tensor, name);
    }
    // Floats are 0..=1 intensities.
    let path = written("float.png");
    io::imsave(&path, &array([[0.0f32, 0.5], [1.0, 1.5]])).unwrap();
    assert_eq!(
        io::imread(&path).unwrap().to_vec::<u8>(),
        vec![0, 128, 255, 255]
    );
}

#[test]
fn line_plots_are_written_as_png_and_svg() {
    let loss: Vec<f64> = (0..100)
        .map(|step| 2.0 * (-(step as f64) / 30.0).exp())
        .collect();
    for ext in ["png", "svg"] {
        let path = written(&format!("loss.{ext}"));
        io::save_line_plot(&path, "loss", &[("train", &loss)]).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 1000);
    }
}

#[test]
fn errors_name_the_file_shape_or_dtype() {
    let message = |err: io::Error| err.to_string();
    let missing = written("does_not_exist.png");
    let _ = std::fs::remove_file(&missing);
    assert!(message(io::imread(&missing).unwrap_err()).contains("does_not_exist.png"));
    assert!(message(io::load(written("nope.npy")).unwrap_err()).contains("nope.npy"));
    assert!(message(io::load_npz(written("nope.npz")).unwrap_err()).contains("nope.npz"));

    // A .npy file that is not one, and a PNG that is not one.
    let fake = written("fake.npy");
    std::fs::write(&fake, b"hello").unwrap();
    let err = message(io::load(&fake).unwrap_err());
    assert!(
        err.contains("fake.npy") && err.contains("not a .npy file"),
        "{err}"
    );
    let fake = written("fake.png");
    std::fs::write(&fake, b"hello").unwrap();
    assert!(message(io::imread(&fake).unwrap_err()).contains("fake.png"));
    // An image file read as .npy says what it is not.
    let err = message(io::load(golden("img/rgb.png")).unwrap_err());
    assert!(
        err.contains("rgb.png") && err.contains("not a .npy"),
        "{err}"
    );

    let err = message(io::imsave(written("bad.png"), &lazygrad::zeros([2, 2, 2, 2])).unwrap_err());
    assert!(
        err.contains("imsave") && err.contains("(2, 2, 2, 2)"),
        "{err}"
    );
    let err = message(io::imsave(written("bad.png"), &array([[1, 2]])).unwrap_err());
    assert!(err.contains("int64") && err.contains("astype"), "{err}");
    // GIF is read but not written (its palette would quantize the image).
    let err = message(io::imsave(written("bad.gif"), &array([[1u8, 2]])).unwrap_err());
    assert!(err.contains("bad.gif") && err.contains(".webp"), "{err}");
    let err = message(io::imsave(written("bad.ppm"), &lazygrad::zeros([2, 2, 4])).unwrap_err());
    assert!(
        err.contains("bad.ppm") && err.contains("4 channels"),
        "{err}"
    );
    let err = message(io::imresize(&array([1u8, 2, 3]), (2, 2)).unwrap_err());
    assert!(err.contains("imresize") && err.contains("(3,)"), "{err}");
    let err = message(io::imresize(&array([[1, 2]]), (2, 2)).unwrap_err());
    assert!(err.contains("int64"), "{err}");
    let err = message(
        io::save_checkpoint(
            written("dup.npz"),
            &[("w", &array([1])), ("w", &array([2]))],
        )
        .unwrap_err(),
    );
    assert!(err.contains("\"w\" is given twice"), "{err}");
}

/// The README's "Image fns" and "Files" table rows, as written there but with paths under
/// `target/io-written/` (the README's code blocks are doctests; its table cells are checked here).
#[test]
fn the_readmes_table_rows_use_the_real_api() -> Result<(), io::Error> {
    use lazygrad::random;
    std::fs::copy(golden("img/rgb.jpg"), written("location.jpg")).unwrap();
    let img = io::imread(written("location.jpg"))?;
    assert_eq!(
        (img.dtype(), img.shape()),
        (DType::U8, &[37usize, 53, 3][..])
    );
    let img_tinted = &img * array([1.0, 0.95, 0.9]);
    let img_tinted = io::imresize(&img_tinted, (300, 300))?;
    let tinted_u8 = img_tinted.astype(DType::U8);
    io::save_image_grid(
        written("fig.png"),
        &[("img", &img), ("tinted", &tinted_u8)],
        2,
    )?;
    let e = (random::random([480, 240, 3]) * 256.0).astype(DType::U8);
    assert_eq!((e.dtype(), e.shape()), (DType::U8, &[480usize, 240, 3][..]));
    io::imsave(written("out.png"), &img)?;

    let (a, b) = (array([1.0, 2.0]), array([[1, 2], [3, 4]]));
    io::save(written("a.npy"), &a)?;
    let a = io::load(written("a.npy"))?;
    io::savez(written("ab.npz"), &[("a", &a), ("b", &b)])?;
    io::savez_compressed(written("ab_compressed.npz"), &[("a", &a), ("b", &b)])?;
    let arrays = io::load_npz(written("ab.npz"))?;
    assert_eq!((arrays[0].0.as_str(), arrays[1].0.as_str()), ("a", "b"));
    let losses: Vec<f64> = vec![1.0, 0.5, 0.25];
    io::save_line_plot(written("readme_loss.png"), "loss", &[("train", &losses)])?;
    Ok(())
}

/// Whether this Linux machine refuses one allocation of `bytes`: heuristic (mode 0, the
/// default) or strict (mode 2) overcommit refuses a request larger than memory and swap.
fn allocator_refuses(bytes: u64) -> bool {
    let mode = std::fs::read_to_string("/proc/sys/vm/overcommit_memory").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let kib = |field: &str| -> Option<u64> {
        let line = meminfo.lines().find(|line| line.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    match (mode.trim(), kib("MemTotal:"), kib("SwapTotal:")) {
        ("0" | "2", Some(mem), Some(swap)) => (mem + swap) * 1024 < bytes,
        _ => false,
    }
}

#[test]
fn imresize_to_a_size_beyond_memory_is_an_error_not_an_abort() {
    let img = Tensor::from_vec(vec![0u8, 64, 128, 255], [2, 2]);
    // 2^58 bytes is beyond the address space of every 64-bit Linux machine (57 bits at most),
    // so every allocator refuses it.
    let err = io::imresize(&img, (1 << 29, 1 << 29)).unwrap_err();
    assert!(
        matches!(err, io::Error::OutOfMemory { op: "imresize", bytes } if bytes == 1 << 58),
        "{err:?}"
    );
    assert!(err.to_string().contains("Unable to allocate"), "{err}");
    // The size that aborted the process before (1 TiB of output), where this machine's
    // allocator refuses it; with `overcommit_memory = 1` it would be granted.
    if allocator_refuses(1 << 40) {
        let err = io::imresize(&img, (1 << 20, 1 << 20)).unwrap_err();
        assert!(matches!(err, io::Error::OutOfMemory { .. }), "{err:?}");
    }
    let err = io::imresize(&img, (usize::MAX, 3)).unwrap_err();
    assert!(err.to_string().contains("array is too big"), "{err}");
}
