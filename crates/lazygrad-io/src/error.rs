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
    /// A checkpoint that does not fit the model it is loaded into.
    #[error("{}: {mismatch}", path.display())]
    Checkpoint {
        /// The checkpoint file.
        path: PathBuf,
        /// How its tensors differ from the model's parameters (boxed: it holds two shapes, and
        /// every `Result` of this crate carries the size of its largest error).
        mismatch: Box<Mismatch>,
    },
    /// An allocation the allocator refused, sized by an argument (an image or figure size).
    ///
    /// On Linux with overcommit the allocator refuses only requests beyond what the address
    /// space or the allocator can serve (on a machine with 16 GiB and no swap, a request of a
    /// few TiB); smaller ones succeed and may fail later, when their pages are first written.
    #[error("{op}: Unable to allocate {bytes} bytes (out of memory)")]
    OutOfMemory {
        /// The op whose buffer could not be allocated.
        op: &'static str,
        /// The size of the refused request.
        bytes: usize,
    },
    /// An error from building or running the tensors being saved.
    #[error(transparent)]
    Tensor(#[from] lazygrad_ir::Error),
}

/// How a checkpoint's named tensors differ from the parameters of the model loading them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Mismatch {
    /// Names that only one side has (PyTorch's "missing" and "unexpected" keys).
    #[error("{}", names_message(missing, unexpected))]
    Names {
        /// The model's parameters that the checkpoint lacks.
        missing: Vec<String>,
        /// The checkpoint's tensors that are not parameters of the model.
        unexpected: Vec<String>,
    },
    /// A parameter whose shape differs.
    #[error("parameter {name:?} has shape {model} in the model but {checkpoint} in the checkpoint")]
    Shape {
        /// The parameter's name.
        name: String,
        /// Its shape in the model.
        model: Shape,
        /// Its shape in the checkpoint.
        checkpoint: Shape,
    },
    /// A parameter whose dtype differs.
    #[error("parameter {name:?} has dtype {model} in the model but {checkpoint} in the checkpoint")]
    DType {
        /// The parameter's name.
        name: String,
        /// Its dtype in the model.
        model: DType,
        /// Its dtype in the checkpoint.
        checkpoint: DType,
    },
    /// One name given to two tensors, by the model or in the file.
    #[error("two tensors are named {name:?}")]
    Duplicate {
        /// The name.
        name: String,
    },
}

/// The message of [`Mismatch::Names`]: each side's names, quoted.
fn names_message(missing: &[String], unexpected: &[String]) -> String {
    let quoted = |names: &[String]| {
        names
            .iter()
            .map(|name| format!("{name:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!(
            "the model's parameters {} are not in the checkpoint",
            quoted(missing)
        ));
    }
    if !unexpected.is_empty() {
        parts.push(format!(
            "the checkpoint's tensors {} are not parameters of the model",
            quoted(unexpected)
        ));
    }
    parts.join("; ")
}

impl Error {
    /// An I/O error on `path`: the error a closure given to
    /// [`write_atomic`](crate::atomic::write_atomic) returns when its writes fail.
    pub fn io(path: &Path, source: std::io::Error) -> Error {
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

/// Turns an error into an [`std::io::Error`] for APIs that return one (the facade's graph
/// dumps): an I/O error keeps its kind, and every error keeps its message, file name included.
impl From<Error> for std::io::Error {
    fn from(err: Error) -> std::io::Error {
        let kind = match &err {
            Error::Io { source, .. } => source.kind(),
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, err.to_string())
    }
}

/// `Result` with lazygrad-io's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
