//! The one error type of lazygrad-io.

use lazygrad_ir::{DType, Shape};
use std::path::{Path, PathBuf};

/// Everything that can go wrong reading or writing a file, or turning an array into an image.
///
/// File errors name the file; shape and dtype errors name the op and what it got.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operating system could not open, read or write the file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file's contents (or its name's extension) are not a format this crate reads or writes.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// An array whose shape an op cannot use.
    #[error("{op}: cannot use an array of shape {shape}: expected {expected}")]
    Shape {
        /// The op given the array.
        op: &'static str,
        /// The array's shape.
        shape: Shape,
        /// The shapes the op accepts, in words.
        expected: &'static str,
    },
    /// An array whose dtype an op cannot use.
    #[error("{op}: cannot use an array of dtype {dtype}: expected {expected}")]
    DType {
        /// The op given the array.
        op: &'static str,
        /// The array's dtype.
        dtype: DType,
        /// The dtypes the op accepts, in words.
        expected: &'static str,
    },
    /// Arguments that are invalid for reasons the other variants don't cover.
    #[error("{op}: {message}")]
    Invalid {
        /// The op.
        op: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An error from building or running the tensors being saved.
    #[error(transparent)]
    Tensor(#[from] lazygrad_ir::Error),
}

impl Error {
    /// An I/O error on `path`.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A format error on `path`.
    pub(crate) fn format(path: &Path, message: impl Into<String>) -> Error {
        Error::Format {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// `Result` with lazygrad-io's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
