//! Every write is atomic: a write that fails partway keeps the previous file byte for byte and
//! leaves no temporary file, for every writer lazygrad has.
//!
//! The writers are one table, [`WRITERS`]; `every_public_writer_has_a_row` fails when a public
//! `save*`/`write*` function appears in the sources without one. Each test runs all the rows
//! in a child process (this test binary again, on that one test): under a file-size limit
//! (`RLIMIT_FSIZE`, with `SIGXFSZ` ignored so the write fails with `EFBIG` instead of killing
//! the process) over larger good files, and without a limit through symbolic links to files
//! whose permissions must be kept.

use lazygrad::io;
use lazygrad::nn::{self, Linear};
use lazygrad::random::Generator;
use lazygrad::{DType, Tensor, arange};
use std::path::{Path, PathBuf};

/// The file-size limit the failing writes run under, in bytes. Every writer's new file is
/// larger (checked by `every_writer_writes_through_symlinks_and_keeps_permissions`), so each
/// write fails partway, after its first `LIMIT` bytes reached the temporary file.
const LIMIT: u64 = 1024;

/// One writer: what it is, the file it writes in the directory it is given, and the call.
struct Writer {
    /// The public function called, and the library functions it goes through: each public
    /// writer of the sources must be named in some row (the tidy test checks).
    calls: &'static str,
    /// The file written, in the test's directory.
    file: &'static str,
    /// Whether a failed write is an `Err` (`LAZYGRAD_DUMP` only warns: a debugging aid must
    /// not fail the computation it watches).
    reports_errors: bool,
    /// Writes the file at the path.
    write: fn(&Path) -> Result<(), String>,
}

/// Every writer of lazygrad. The `LAZYGRAD_DUMP` row comes first: its file is named by the
/// number of the plan compiled, and it realizes the child process's first plan.
const WRITERS: &[Writer] = &[
    Writer {
        calls: "LAZYGRAD_DUMP (viz::dump::write_compiled)",
        file: "0001-graph.txt",
        reports_errors: false,
        write: |_| {
            chain().realize();
            Ok(())
        },
    },
    Writer {
        calls: "viz::write_dumps",
        file: "dumps-graph.txt",
        reports_errors: true,
        write: |path| {
            let dir = path.parent().expect("a file in a directory");
            lazygrad::viz::write_dumps(dir, "dumps", &[&chain()])
                .map(drop)
                .map_err(|err| err.to_string())
        },
    },
    Writer {
        calls: "io::save (npy::write_npy)",
        file: "array.npy",
        reports_errors: true,
        write: |path| io::save(path, &values()).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "io::save_order (npy::write_npy_order)",
        file: "fortran.npy",
        reports_errors: true,
        write: |path| {
            let matrix = values().reshape([40, 25]);
            io::save_order(path, &matrix, io::Order::Fortran).map_err(|err| err.to_string())
        },
    },
    Writer {
        calls: "io::savez (npz::write_npz)",
        file: "arrays.npz",
        reports_errors: true,
        write: |path| {
            io::savez(path, &[("a", &values()), ("b", &values())]).map_err(|err| err.to_string())
        },
    },
    Writer {
        calls: "io::savez_compressed (npz::write_npz_compressed)",
        file: "compressed.npz",
        reports_errors: true,
        write: |path| io::savez_compressed(path, &[("a", &values())]).map_err(|e| e.to_string()),
    },
    Writer {
        calls: "io::save_checkpoint",
        file: "checkpoint.npz",
        reports_errors: true,
        write: |path| io::save_checkpoint(path, &[("w", &values())]).map_err(|e| e.to_string()),
    },
    Writer {
        calls: "nn::save_parameters",
        file: "model.npz",
        reports_errors: true,
        write: |path| {
            let mut model = Linear::with_dtype(32, 32, DType::F64, &mut Generator::new(5));
            nn::save_parameters(&mut model, path).map_err(|err| err.to_string())
        },
    },
    Writer {
        calls: "io::savetxt (text::savetxt)",
        file: "values.txt",
        reports_errors: true,
        write: |path| io::savetxt(path, &values()).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "io::savetxt_with",
        file: "values.csv",
        reports_errors: true,
        write: |path| {
            let opts = io::SaveTxt {
                fmt: "%.6f".into(),
                delimiter: ",".into(),
                header: "a,b".into(),
                ..io::SaveTxt::default()
            };
            io::savetxt_with(path, &values().reshape([500, 2]), &opts).map_err(|e| e.to_string())
        },
    },
    Writer {
        calls: "imsave .png (image::imsave)",
        file: "image.png",
        reports_errors: true,
        write: |path| io::imsave(path, &noise(3)).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "imsave .jpg",
        file: "image.jpg",
        reports_errors: true,
        write: |path| io::imsave(path, &noise(3)).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "imsave .jpeg",
        file: "image.jpeg",
        reports_errors: true,
        write: |path| io::imsave(path, &noise(3)).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "imsave .bmp",
        file: "image.bmp",
        reports_errors: true,
        write: |path| io::imsave(path, &noise(4)).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "imsave .webp",
        file: "image.webp",
        reports_errors: true,
        write: |path| io::imsave(path, &noise(4)).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "imsave .pgm",
        file: "image.pgm",
        reports_errors: true,
        write: |path| io::imsave(path, &noise(1)).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "imsave .ppm",
        file: "image.ppm",
        reports_errors: true,
        write: |path| io::imsave(path, &noise(3)).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "imsave .pnm",
        file: "image.pnm",
        reports_errors: true,
        write: |path| io::imsave(path, &noise(1)).map_err(|err| err.to_string()),
    },
    Writer {
        calls: "save_line_plot .png (plot::save_line_plot)",
        file: "plot.png",
        reports_errors: true,
        write: line_plot,
    },
    Writer {
        calls: "save_line_plot .svg",
        file: "plot.svg",
        reports_errors: true,
        write: line_plot,
    },
    Writer {
        calls: "save_line_plot .jpg",
        file: "plot.jpg",
        reports_errors: true,
        write: line_plot,
    },
    Writer {
        calls: "save_line_plot .bmp",
        file: "plot.bmp",
        reports_errors: true,
        write: line_plot,
    },
    Writer {
        calls: "save_image_grid .png (plot::save_image_grid)",
        file: "grid.png",
        reports_errors: true,
        write: image_grid,
    },
    Writer {
        calls: "save_image_grid .svg",
        file: "grid.svg",
        reports_errors: true,
        write: image_grid,
    },
    Writer {
        calls: "save_image_grid .jpg",
        file: "grid.jpg",
        reports_errors: true,
        write: image_grid,
    },
    Writer {
        calls: "save_image_grid .bmp",
        file: "grid.bmp",
        reports_errors: true,
        write: image_grid,
    },
];

/// Public functions that write files but need no row of their own: the atomic-write helper
/// itself, whose own unit tests fail each of its steps.
const NOT_WRITERS: &[&str] = &["write_atomic", "write_bytes"];

/// 1000 float64 values that do not compress, so every archive is larger than [`LIMIT`].
fn values() -> Tensor {
    (arange(1000).astype(DType::F64) * 0.37).sin() * 1e3
}

/// A 48x48 image of noise with `channels` channels (1 is (height, width)).
fn noise(channels: usize) -> Tensor {
    let len = 48 * 48 * channels;
    let data: Vec<u8> = (0..len as u64)
        .map(|idx| (idx.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as u8)
        .collect();
    if channels == 1 {
        Tensor::from_vec(data, [48, 48])
    } else {
        Tensor::from_vec(data, [48, 48, channels])
    }
}

/// A chain of 40 elementwise ops, whose graph listing is longer than [`LIMIT`].
fn chain() -> Tensor {
    let mut res = arange(8).astype(DType::F64);
    for step in 0..40 {
        res = (&res + f64::from(step)).sin();
    }
    res
}

fn line_plot(path: &Path) -> Result<(), String> {
    let loss: Vec<f64> = (0..200).map(|step| 1.0 / (1.0 + f64::from(step))).collect();
    io::save_line_plot(path, "loss", &[("train", &loss)]).map_err(|err| err.to_string())
}

fn image_grid(path: &Path) -> Result<(), String> {
    io::save_image_grid(path, &[("a", &noise(3)), ("b", &noise(1))], 2)
        .map_err(|err| err.to_string())
}

/// The good contents every target holds before a failing write: larger than [`LIMIT`].
fn old_contents(file: &str) -> Vec<u8> {
    format!("the good previous contents of {file}\n")
        .repeat(200)
        .into_bytes()
}

/// Marks the child process, and says which run it is: `limited` or `unlimited`.
const CHILD_MODE: &str = "LAZYGRAD_TEST_WRITE_MODE";

/// The directory the child writes into.
const CHILD_DIR: &str = "LAZYGRAD_TEST_WRITE_DIR";

/// A fresh, empty directory for one test, under `target/`.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/atomic-writes")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// In the child process, runs every writer into the directory the parent named and returns
/// true; in the parent, returns false.
fn is_child() -> bool {
    match (std::env::var_os(CHILD_MODE), std::env::var_os(CHILD_DIR)) {
        (Some(mode), Some(dir)) => {
            run_writers(mode == "limited", Path::new(&dir));
            true
        }
        _ => false,
    }
}

/// Runs this test binary again on the test `name`, as a child that runs every writer into
/// `dir` (`mode` is `limited` or `unlimited`), and checks that it passed.
fn run_child(name: &str, mode: &str, dir: &Path) {
    crate::memory::rerun_alone(
        name,
        &[
            (CHILD_MODE, mode.as_ref()),
            (CHILD_DIR, dir.as_os_str()),
            ("LAZYGRAD_DUMP", dir.as_os_str()),
        ],
    );
}

/// Runs every writer (in the child), under the file-size limit when `limited`.
fn run_writers(limited: bool, dir: &Path) {
    if limited {
        // SAFETY: this process runs one test on one thread, and nothing else in it handles
        // SIGXFSZ; ignoring it makes a write past the limit fail with EFBIG instead of
        // killing the process. `setrlimit` reads a valid, initialized struct.
        unsafe {
            assert_ne!(libc::signal(libc::SIGXFSZ, libc::SIG_IGN), libc::SIG_ERR);
            let mut limit = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit), 0);
            limit.rlim_cur = LIMIT as libc::rlim_t;
            assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
        }
    }
    for writer in WRITERS {
        let res = (writer.write)(&dir.join(writer.file));
        match res {
            Ok(()) if limited && writer.reports_errors => {
                panic!(
                    "{}: a write past the file-size limit succeeded",
                    writer.calls
                )
            }
            Err(err) if !limited => panic!("{}: {err}", writer.calls),
            Err(err) => assert!(err.contains(writer.file), "{}: {err}", writer.calls),
            Ok(()) => {}
        }
    }
}

/// The temporary files left in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

#[test]
fn every_writer_keeps_the_old_file_when_a_write_fails() {
    if is_child() {
        return;
    }
    let name = "atomic::every_writer_keeps_the_old_file_when_a_write_fails";
    let dir = fresh_dir("limited");
    for writer in WRITERS {
        std::fs::write(dir.join(writer.file), old_contents(writer.file)).unwrap();
    }
    run_child(name, "limited", &dir);
    for writer in WRITERS {
        let bytes = std::fs::read(dir.join(writer.file)).unwrap();
        assert!(
            bytes == old_contents(writer.file),
            "{}: the previous file was changed by a failed write ({} bytes now)",
            writer.calls,
            bytes.len()
        );
    }
    assert_eq!(temporaries(&dir), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn every_writer_writes_through_symlinks_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    if is_child() {
        return;
    }
    let name = "atomic::every_writer_writes_through_symlinks_and_keeps_permissions";
    let dir = fresh_dir("symlinks");
    let real = dir.join("real");
    std::fs::create_dir_all(&real).unwrap();
    for writer in WRITERS {
        let target = real.join(writer.file);
        std::fs::write(&target, old_contents(writer.file)).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink(Path::new("real").join(writer.file), dir.join(writer.file))
            .unwrap();
    }
    run_child(name, "unlimited", &dir);
    for writer in WRITERS {
        let link = std::fs::symlink_metadata(dir.join(writer.file)).unwrap();
        assert!(
            link.file_type().is_symlink(),
            "{}: link replaced",
            writer.calls
        );
        let target = real.join(writer.file);
        let bytes = std::fs::read(&target).unwrap();
        assert!(
            bytes != old_contents(writer.file),
            "{}: not written",
            writer.calls
        );
        // A new file within the limit would make the limited test pass without a failed write.
        assert!(
            bytes.len() as u64 > LIMIT,
            "{}: writes only {} bytes, within the {LIMIT}-byte limit",
            writer.calls,
            bytes.len()
        );
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "{}: permissions changed", writer.calls);
    }
    assert_eq!(temporaries(&dir), Vec::<String>::new());
    assert_eq!(temporaries(&real), Vec::<String>::new());
}

/// The public functions named `save*`, `write*` or `imsave*` in the library's sources.
fn public_writers() -> Vec<String> {
    fn walk(dir: &Path, res: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, res);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines() {
                    let Some(rest) = line.trim_start().strip_prefix("pub fn ") else {
                        continue;
                    };
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if ["save", "write", "imsave"]
                        .iter()
                        .any(|prefix| name.starts_with(prefix))
                    {
                        res.push(name);
                    }
                }
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut res = Vec::new();
    walk(&root.join("src"), &mut res);
    walk(&root.join("crates/lazygrad-io/src"), &mut res);
    res.sort();
    res.dedup();
    res
}

#[test]
fn every_public_writer_has_a_row() {
    let writers = public_writers();
    // The scan itself must find the writers it is meant to find.
    for known in [
        "save",
        "imsave",
        "write_npz",
        "write_dumps",
        "save_parameters",
    ] {
        assert!(
            writers.iter().any(|name| name == known),
            "{known} not found"
        );
    }
    let named = |name: &str| {
        WRITERS.iter().any(|writer| {
            writer
                .calls
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == name)
        })
    };
    let missing: Vec<&String> = writers
        .iter()
        .filter(|name| !named(name) && !NOT_WRITERS.contains(&name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "public writers without a row in WRITERS: {missing:?}"
    );
}
