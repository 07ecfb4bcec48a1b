//! numpy's `.npz` archives: named arrays stored as `.npy` members of a zip file.
//!
//! `numpy.savez` stores members uncompressed and `numpy.savez_compressed` deflates them; both
//! are read here, and both can be written. A member `w1.npy` is the array named `w1`, as
//! `numpy.load(...)["w1"]` names it. Archives are also lazygrad's checkpoint format, because
//! numpy, PyTorch users and every language with a zip library can open them.

use crate::{Array, Error, Result, npy, zipfile};
use std::path::Path;

/// Reads every array of a `.npz` archive with its name, in the archive's order.
///
/// ```
/// use lazygrad_io::{Array, Buffer, npz};
/// let path = std::env::temp_dir().join("lazygrad_doc_read.npz");
/// let w = Array::new([2], Buffer::F64(vec![0.5, -1.0]))?;
/// let b = Array::new([1], Buffer::I64(vec![7]))?;
/// npz::write_npz(&path, &[("w", &w), ("b", &b)])?;
/// let arrays = npz::read_npz(&path)?;
/// assert_eq!(arrays, vec![("w".to_string(), w), ("b".to_string(), b)]);
/// # Ok::<(), lazygrad_io::Error>(())
/// ```
pub fn read_npz(path: impl AsRef<Path>) -> Result<Vec<(String, Array)>> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|err| Error::io(path, err))?;
    decode(&bytes).map_err(|message| Error::format(path, message))
}

/// Parses the bytes of a `.npz` archive, as [`read_npz`] does, giving what is wrong without the
/// file's name; the fuzz targets and the hostile-file tests call it.
///
/// The archive's declared sizes and offsets are checked against its length before anything
/// is allocated or inflated (see `zipfile::read_members`).
#[doc(hidden)]
pub fn decode(bytes: &[u8]) -> std::result::Result<Vec<(String, Array)>, String> {
    let members = zipfile::read_members(bytes)
        .map_err(|message| format!("not a valid .npz archive: {message}"))?;
    members
        .into_iter()
        .map(|(member_name, bytes)| {
            let array = npy::decode(&bytes)
                .map_err(|message| format!("member {member_name:?}: {message}"))?;
            let name = member_name.strip_suffix(".npy").unwrap_or(&member_name);
            Ok((name.to_string(), array))
        })
        .collect()
}

/// Writes named arrays to an uncompressed `.npz` archive, as `numpy.savez(path, **arrays)` does.
pub fn write_npz(path: impl AsRef<Path>, arrays: &[(&str, &Array)]) -> Result<()> {
    write_archive(path.as_ref(), arrays, false)
}

/// Writes named arrays to a deflated `.npz` archive, as `numpy.savez_compressed` does.
///
/// ```
/// use lazygrad_io::{Array, Buffer, npz};
/// let path = std::env::temp_dir().join("lazygrad_doc_compressed.npz");
/// let zeros = Array::new([1000], Buffer::F32(vec![0.0; 1000]))?;
/// npz::write_npz_compressed(&path, &[("zeros", &zeros)])?;
/// assert!(std::fs::metadata(&path)?.len() < 1000);
/// assert_eq!(npz::read_npz(&path)?[0].1, zeros);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_npz_compressed(path: impl AsRef<Path>, arrays: &[(&str, &Array)]) -> Result<()> {
    write_archive(path.as_ref(), arrays, true)
}

fn write_archive(path: &Path, arrays: &[(&str, &Array)], deflate: bool) -> Result<()> {
    let op = "write_npz";
    for (idx, (name, _)) in arrays.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::Invalid {
                op,
                message: "an array name is empty".into(),
            });
        }
        if arrays[..idx].iter().any(|(other, _)| other == name) {
            return Err(Error::Invalid {
                op,
                message: format!("the name {name:?} is given twice"),
            });
        }
    }
    let members: Vec<(String, Vec<u8>)> = arrays
        .iter()
        .map(|(name, array)| (format!("{name}.npy"), npy::encode(array, npy::Order::C)))
        .collect();
    let bytes = zipfile::write_members(&members, deflate)
        .map_err(|message| Error::format(path, message))?;
    // The write is atomic, so a failed one never leaves a half-written archive that looks
    // valid to a reader that only checks the first members.
    crate::atomic::write_bytes(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Buffer;

    fn temp_path(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join("lazygrad-io-npz-tests");
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn both_kinds_of_archive_round_trip() {
        let a = Array::new([2, 2], Buffer::Bool(vec![true, false, false, true])).unwrap();
        let b = Array::new([3], Buffer::F32(vec![1.5, 2.5, 3.5])).unwrap();
        let expected = vec![
            ("layer1/w".to_string(), a.clone()),
            ("b".to_string(), b.clone()),
        ];
        for (file, compressed) in [("plain.npz", false), ("deflated.npz", true)] {
            let path = temp_path(file);
            let arrays = [("layer1/w", &a), ("b", &b)];
            if compressed {
                write_npz_compressed(&path, &arrays).unwrap();
            } else {
                write_npz(&path, &arrays).unwrap();
            }
            assert_eq!(read_npz(&path).unwrap(), expected, "{file}");
        }
    }

    #[test]
    fn duplicate_and_empty_names_are_errors() {
        let a = Array::new([1], Buffer::U8(vec![1])).unwrap();
        let err = write_npz(temp_path("dup.npz"), &[("x", &a), ("x", &a)]).unwrap_err();
        assert!(err.to_string().contains("\"x\" is given twice"), "{err}");
        let err = write_npz(temp_path("empty.npz"), &[("", &a)]).unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_an_error_naming_it() {
        let path = temp_path("not_a_zip.npz");
        std::fs::write(&path, b"hello").unwrap();
        let err = read_npz(&path).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("not_a_zip.npz") && message.contains("zip"),
            "{message}"
        );
    }
}
