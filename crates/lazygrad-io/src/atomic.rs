//! Atomic file writes: every file lazygrad writes goes through [`write_atomic`].
//!
//! A checkpoint overwritten in place is destroyed by any failure partway through the write (a
//! full disk, a file-size limit, an I/O error, a crash), and a truncated file may even load
//! again without an error (a truncated JPEG does). So no writer opens its final path: the
//! contents go to a temporary file in the same directory, which is flushed, synced to disk and
//! then renamed over the target, and the directory is synced so the rename itself is durable.
//! A rename within one file system replaces the name in one step: readers see the old file or
//! the new one, never a mix, and a failure at any step before the rename leaves the old file
//! byte for byte as it was, with the temporary file removed.
//!
//! The temporary file is named `.<name>.<pid>.<counter>.tmp`, so it is hidden, tells which
//! process left it (if that process is killed before it can clean up), and never collides with
//! another writer's. Writing through a symbolic link replaces the file the link points to and
//! keeps the link; the replaced file's permission bits carry over to the new one.
//!
//! The tests here fail each step in turn through a fault hook that production code never sets;
//! `tests/it/atomic.rs` in the facade runs every writer under a file-size limit.

use crate::{Error, Result};
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How many symbolic links a target may go through before it is an error (Linux's limit).
const MAX_SYMLINKS: usize = 40;

/// The most bytes of the target's name kept in the temporary file's name, so the temporary
/// name stays within the 255 bytes most file systems allow for one name.
const MAX_NAME_IN_TEMP: usize = 128;

/// The steps of an atomic write, in order, named so tests can make each one fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Creating the temporary file.
    Create,
    /// Giving it the replaced file's permissions.
    Permissions,
    /// Flushing the buffered contents into it.
    Flush,
    /// Syncing its contents to disk.
    Sync,
    /// Renaming it over the target.
    Rename,
    /// Syncing the directory, so the rename survives a crash.
    SyncDir,
}

/// Writes the file at `path` atomically: `write` fills a temporary file in the same
/// directory, which then replaces `path` in one rename.
///
/// If `write` or any later step fails (or `write` panics), the file at `path` is left exactly
/// as it was and the temporary file is removed; errors name `path` and the step that failed.
/// The one exception is a failure to sync the directory after the rename: the new contents are
/// then in place, but the error says they may not survive a crash. A symbolic link at `path` is
/// followed, and the file it points to is replaced; an existing file's permission bits are kept
/// (its owner is not: a new file belongs to the writing user, as any rewrite by rename does).
///
/// `write` gets a buffered writer over the temporary file; it maps its own I/O errors with
/// [`Error::io`] naming `path` (any `Err` it returns is passed on as it is).
///
/// ```
/// use std::io::Write;
/// let path = std::env::temp_dir().join("lazygrad_doc_atomic.txt");
/// lazygrad_io::atomic::write_atomic(&path, |file| {
///     file.write_all(b"hello").map_err(|err| lazygrad_io::Error::io(&path, err))
/// })?;
/// assert_eq!(std::fs::read(&path)?, b"hello");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_atomic(
    path: impl AsRef<Path>,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    write_with_faults(path.as_ref(), write, &|_| Ok(()))
}

/// Writes `bytes` to the file at `path` atomically, as [`write_atomic`] does.
///
/// ```
/// let path = std::env::temp_dir().join("lazygrad_doc_write_bytes.txt");
/// lazygrad_io::atomic::write_bytes(&path, b"new contents")?;
/// assert_eq!(std::fs::read(&path)?, b"new contents");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_bytes(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    let path = path.as_ref();
    write_atomic(path, |file| {
        file.write_all(bytes).map_err(|err| Error::io(path, err))
    })
}

/// Removes the temporary file when dropped, unless it has been renamed into place: every
/// early return and a panic in the caller's `write` clean up the same way.
struct TempFile {
    path: PathBuf,
    renamed: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.renamed {
            // The write has already failed; a temporary file that cannot be removed either
            // (its directory vanished) has nothing more to report than the first error.
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// [`write_atomic`] with `fault` called before each step; a fault's error fails that step.
fn write_with_faults(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
    fault: &dyn Fn(Step) -> io::Result<()>,
) -> Result<()> {
    let step_error = |what: String, err: io::Error| {
        Error::io(path, io::Error::new(err.kind(), format!("{what}: {err}")))
    };
    let target = resolve_symlinks(path)
        .map_err(|err| step_error("cannot follow the symbolic link".into(), err))?;
    let name = target.file_name().ok_or_else(|| {
        Error::io(
            path,
            io::Error::new(ErrorKind::InvalidInput, "the path does not name a file"),
        )
    })?;
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // The replaced file's permissions, read before anything is written; a target that does
    // not exist yet gets the default permissions a new file gets.
    let old_permissions = fs::metadata(&target)
        .ok()
        .filter(|meta| meta.is_file())
        .map(|meta| meta.permissions());

    let (file, temp) = create_temp(&dir, name, fault)
        .map_err(|err| step_error(format!("cannot create a file in {}", dir.display()), err))?;
    let mut temp = TempFile {
        path: temp,
        renamed: false,
    };
    let temp_shown = temp.path.display().to_string();
    if let Some(permissions) = old_permissions {
        fault(Step::Permissions)
            .and_then(|()| file.set_permissions(permissions))
            .map_err(|err| {
                step_error(format!("cannot set the permissions of {temp_shown}"), err)
            })?;
    }
    let mut writer = BufWriter::new(file);
    write(&mut writer)?;
    let file = fault(Step::Flush)
        .and_then(|()| writer.into_inner().map_err(|err| err.into_error()))
        .map_err(|err| step_error(format!("cannot write {temp_shown}"), err))?;
    fault(Step::Sync)
        .and_then(|()| file.sync_all())
        .map_err(|err| step_error(format!("cannot sync {temp_shown} to disk"), err))?;
    drop(file);
    fault(Step::Rename)
        .and_then(|()| fs::rename(&temp.path, &target))
        .map_err(|err| step_error(format!("cannot rename {temp_shown} over it"), err))?;
    temp.renamed = true;
    fault(Step::SyncDir)
        .and_then(|()| sync_dir(&dir))
        .map_err(|err| {
            step_error(
                format!(
                    "the new contents are in place, but syncing the directory {} failed, so \
                     they may not survive a crash",
                    dir.display()
                ),
                err,
            )
        })
}

/// The file `path` names after following symbolic links, which may not exist yet (a dangling
/// link is written through, creating the file it points to, as `std::fs::write` does).
fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut target = path.to_path_buf();
    for _ in 0..MAX_SYMLINKS {
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&target)?;
                // A relative link is relative to the link's directory; `join` keeps an
                // absolute one as it is.
                target = match target.parent() {
                    Some(parent) => parent.join(link),
                    None => link,
                };
            }
            Ok(_) => return Ok(target),
            Err(err) if err.kind() == ErrorKind::NotFound => return Ok(target),
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_SYMLINKS} levels of symbolic links"
    )))
}

/// Creates a new, empty temporary file in `dir` for the target `name`.
fn create_temp(
    dir: &Path,
    name: &std::ffi::OsStr,
    fault: &dyn Fn(Step) -> io::Result<()>,
) -> io::Result<(File, PathBuf)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    fault(Step::Create)?;
    let name = name.to_string_lossy();
    let mut short = String::new();
    for c in name.chars() {
        if short.len() + c.len_utf8() > MAX_NAME_IN_TEMP {
            break;
        }
        short.push(c);
    }
    // The counter makes names unique within this process and the pid across processes; a
    // leftover from a killed process that reused this pid is skipped, never overwritten.
    loop {
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut temp_name = OsString::from(".");
        temp_name.push(&short);
        temp_name.push(format!(".{}.{count}.tmp", std::process::id()));
        let temp = dir.join(temp_name);
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((file, temp)),
            Err(err) if err.kind() == ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
}

/// Syncs a directory's entries to disk, so a rename in it survives a crash.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir)?.sync_all() {
        // Some file systems cannot sync a directory at all; there is nothing more to do there.
        Err(err) if matches!(err.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported) => {
            Ok(())
        }
        res => res,
    }
}

/// Syncs a directory's entries to disk: Windows has no handle to sync for a directory, and
/// its rename is already durable once it returns.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory for one test, holding a target file with `old` contents.
    fn setup(test: &str, old: &[u8]) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir()
            .join("lazygrad-io-atomic-tests")
            .join(format!("{test}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("target.bin");
        fs::write(&path, old).unwrap();
        (dir, path)
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut res: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        res.sort();
        res
    }

    /// A writer that accepts `budget` bytes and then fails, as a full disk does.
    struct FailAfter<W> {
        inner: W,
        budget: usize,
    }

    impl<W: Write> Write for FailAfter<W> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.budget == 0 {
                return Err(io::Error::new(ErrorKind::StorageFull, "no space left"));
            }
            let len = buf.len().min(self.budget);
            let written = self.inner.write(&buf[..len])?;
            self.budget -= written;
            Ok(written)
        }
        fn flush(&mut self) -> io::Result<()> {
            self.inner.flush()
        }
    }

    const OLD: &[u8] = b"the previous, good contents of the file";

    fn new_contents() -> Vec<u8> {
        (0..20_000u32).map(|idx| (idx * 7 % 251) as u8).collect()
    }

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary() {
        let (dir, path) = setup("replaces", OLD);
        write_bytes(&path, &new_contents()).unwrap();
        assert_eq!(fs::read(&path).unwrap(), new_contents());
        assert_eq!(names(&dir), ["target.bin"]);
        // A new file is created too.
        let fresh = dir.join("fresh.bin");
        write_bytes(&fresh, b"x").unwrap();
        assert_eq!(fs::read(&fresh).unwrap(), b"x");
        assert_eq!(names(&dir), ["fresh.bin", "target.bin"]);
    }

    #[test]
    fn a_writer_failing_after_n_bytes_keeps_the_old_file() {
        let (dir, path) = setup("fail_after_n", OLD);
        let contents = new_contents();
        // 0 bytes, inside the writer's buffer, exactly one buffer, and past it.
        for budget in [0, 1, 100, 8192, 8193, 15_000] {
            let err = write_atomic(&path, |file| {
                let mut failing = FailAfter {
                    inner: file,
                    budget,
                };
                failing
                    .write_all(&contents)
                    .and_then(|()| failing.flush())
                    .map_err(|err| Error::io(&path, err))
            })
            .unwrap_err();
            assert!(
                err.to_string().contains("target.bin") && err.to_string().contains("no space"),
                "{err}"
            );
            assert_eq!(fs::read(&path).unwrap(), OLD, "after {budget} bytes");
            assert_eq!(names(&dir), ["target.bin"], "after {budget} bytes");
        }
    }

    #[test]
    fn a_panicking_writer_keeps_the_old_file() {
        let (dir, path) = setup("panics", OLD);
        let res = std::panic::catch_unwind(|| {
            write_atomic(&path, |file| {
                file.write_all(b"partial").unwrap();
                panic!("the encoder panicked");
            })
        });
        assert!(res.is_err());
        assert_eq!(fs::read(&path).unwrap(), OLD);
        assert_eq!(names(&dir), ["target.bin"]);
    }

    #[test]
    fn a_failure_at_each_step_before_the_rename_keeps_the_old_file() {
        let steps = [
            Step::Create,
            Step::Permissions,
            Step::Flush,
            Step::Sync,
            Step::Rename,
        ];
        for failing in steps {
            let (dir, path) = setup(&format!("step_{failing:?}"), OLD);
            let fault = |step: Step| {
                if step == failing {
                    Err(io::Error::other(format!("injected failure at {step:?}")))
                } else {
                    Ok(())
                }
            };
            let contents = new_contents();
            let err = write_with_faults(
                &path,
                |file| {
                    file.write_all(&contents)
                        .map_err(|err| Error::io(&path, err))
                },
                &fault,
            )
            .unwrap_err();
            let message = err.to_string();
            assert!(
                message.contains("target.bin") && message.contains("injected failure"),
                "{message}"
            );
            assert_eq!(fs::read(&path).unwrap(), OLD, "failing at {failing:?}");
            assert_eq!(names(&dir), ["target.bin"], "failing at {failing:?}");
        }
    }

    #[test]
    fn a_failed_directory_sync_reports_that_the_new_file_is_in_place() {
        let (dir, path) = setup("step_sync_dir", OLD);
        let fault = |step: Step| {
            if step == Step::SyncDir {
                Err(io::Error::other("injected failure"))
            } else {
                Ok(())
            }
        };
        let err = write_with_faults(
            &path,
            |file| file.write_all(b"new").map_err(|err| Error::io(&path, err)),
            &fault,
        )
        .unwrap_err();
        assert!(err.to_string().contains("in place"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(names(&dir), ["target.bin"]);
    }

    #[test]
    fn real_failures_of_create_and_rename_leave_nothing_behind() {
        let (dir, _) = setup("real_failures", OLD);
        // A missing directory: creating the temporary file fails.
        let missing = dir.join("no/such/dir/file.npy");
        let err = write_bytes(&missing, b"x").unwrap_err();
        assert!(
            matches!(&err, Error::Io { source, .. } if source.kind() == ErrorKind::NotFound),
            "{err:?}"
        );
        assert!(err.to_string().contains("no/such/dir/file.npy"), "{err}");
        // A directory in the way of the target: the rename fails.
        let blocked = dir.join("blocked");
        fs::create_dir(&blocked).unwrap();
        fs::write(blocked.join("inside"), OLD).unwrap();
        let err = write_bytes(&blocked, b"x").unwrap_err();
        assert!(err.to_string().contains("cannot rename"), "{err}");
        assert_eq!(fs::read(blocked.join("inside")).unwrap(), OLD);
        assert_eq!(names(&dir), ["blocked", "target.bin"]);
        // A path that names no file.
        assert!(write_bytes(dir.join(".."), b"x").is_err());
        assert_eq!(names(&dir), ["blocked", "target.bin"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_target_is_written_through_and_the_link_kept() {
        use std::os::unix::fs::symlink;
        let (dir, path) = setup("symlink", OLD);
        fs::create_dir(dir.join("real")).unwrap();
        let real = dir.join("real/data.bin");
        fs::write(&real, OLD).unwrap();
        // A relative link to a relative link, and a dangling link.
        symlink("real/data.bin", dir.join("link1")).unwrap();
        symlink("link1", dir.join("link2")).unwrap();
        write_bytes(dir.join("link2"), b"through two links").unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"through two links");
        for link in ["link1", "link2"] {
            let meta = fs::symlink_metadata(dir.join(link)).unwrap();
            assert!(meta.file_type().is_symlink(), "{link} was replaced");
        }
        assert_eq!(names(&dir.join("real")), ["data.bin"]);
        symlink(path.with_file_name("later.bin"), dir.join("dangling")).unwrap();
        write_bytes(dir.join("dangling"), b"created").unwrap();
        assert_eq!(fs::read(dir.join("later.bin")).unwrap(), b"created");
        // A loop of links is an error, not a hang.
        symlink("loop_b", dir.join("loop_a")).unwrap();
        symlink("loop_a", dir.join("loop_b")).unwrap();
        let err = write_bytes(dir.join("loop_a"), b"x").unwrap_err();
        assert!(err.to_string().contains("symbolic links"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn the_old_files_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, path) = setup("permissions", OLD);
        for mode in [0o600, 0o640, 0o755, 0o444] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            write_bytes(&path, &new_contents()).unwrap();
            let kept = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
            assert_eq!(kept, mode, "{mode:o} became {kept:o}");
        }
    }
}
