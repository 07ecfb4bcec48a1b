//! Saving a model's parameters by name and restoring them, as `.npz` checkpoints.
//!
//! The names are those of [`Module::named_parameters`]; the file is the one
//! [`io::save_checkpoint`] writes, so `np.load(path)["0.weight"]` opens it too. Loading matches
//! the file's tensors to the model's parameters by name, checks every name, shape and dtype
//! before it replaces anything, and reports a difference as [`Error::Checkpoint`].

use super::Module;
use crate::Tensor;
use crate::io::{self, Error, Mismatch, Result};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Saves a model's [named parameters](Module::named_parameters) to a checkpoint
/// (PyTorch's `torch.save(model.state_dict(), path)`).
///
/// The model is taken as `&mut` only because [`Module::named_parameters`] hands out the slots
/// optimizers rebind; nothing is changed. Pending parameters are computed first. Optimizer
/// state (momentum, Adam's moments) is not part of the model and is not saved.
///
/// ```
/// use lazygrad::nn::{self, Linear};
/// let mut rng = lazygrad::random::Generator::new(0);
/// let path = std::env::temp_dir().join("lazygrad_doc_save_parameters.npz");
/// let mut model = Linear::new(3, 2, &mut rng);
/// nn::save_parameters(&mut model, &path)?;
/// let mut fresh = Linear::new(3, 2, &mut rng); // other random weights
/// nn::load_parameters(&mut fresh, &path)?;
/// assert_eq!(fresh.weight.to_vec::<f64>(), model.weight.to_vec::<f64>());
///
/// let mut wider = Linear::new(4, 2, &mut rng);
/// let err = nn::load_parameters(&mut wider, &path).unwrap_err();
/// assert!(err.to_string().ends_with(
///     "parameter \"weight\" has shape (4, 2) in the model but (3, 2) in the checkpoint"
/// ));
/// # Ok::<(), lazygrad::io::Error>(())
/// ```
pub fn save_parameters(model: &mut (impl Module + ?Sized), path: impl AsRef<Path>) -> Result<()> {
    let params = model.named_parameters();
    let named: Vec<(&str, &Tensor)> = params
        .iter()
        .map(|(name, param)| (name.as_str(), &**param))
        .collect();
    io::save_checkpoint(path, &named)
}

/// Restores a model's parameters from a checkpoint written by [`save_parameters`] (or any
/// `.npz` whose names match; PyTorch's `model.load_state_dict(torch.load(path))`).
///
/// Every parameter of the model must be in the file with the same shape and dtype, and the
/// file must hold nothing else; otherwise nothing is replaced and the error is an
/// [`Error::Checkpoint`] naming the file and the [`Mismatch`]: all missing and unexpected
/// names at once, or the first parameter whose shape or dtype differs. A parameter marked
/// with [`Tensor::requires_grad`] is replaced by a marked leaf.
pub fn load_parameters(model: &mut (impl Module + ?Sized), path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let mismatch = |mismatch| Error::Checkpoint {
        path: path.to_path_buf(),
        mismatch: Box::new(mismatch),
    };
    let loaded = io::load_checkpoint(path)?;
    let file_names: Vec<String> = loaded.iter().map(|(name, _)| name.clone()).collect();
    let mut saved: HashMap<String, Tensor> = HashMap::with_capacity(loaded.len());
    for (name, tensor) in loaded {
        if saved.contains_key(&name) {
            return Err(mismatch(Mismatch::Duplicate { name }));
        }
        saved.insert(name, tensor);
    }

    let params = model.named_parameters();
    let mut model_names = HashSet::with_capacity(params.len());
    for (name, _) in &params {
        if !model_names.insert(name.as_str()) {
            return Err(mismatch(Mismatch::Duplicate { name: name.clone() }));
        }
    }
    let missing: Vec<String> = params
        .iter()
        .filter(|(name, _)| !saved.contains_key(name))
        .map(|(name, _)| name.clone())
        .collect();
    let unexpected: Vec<String> = file_names
        .into_iter()
        .filter(|name| !model_names.contains(name.as_str()))
        .collect();
    if !missing.is_empty() || !unexpected.is_empty() {
        return Err(mismatch(Mismatch::Names {
            missing,
            unexpected,
        }));
    }
    for (name, param) in &params {
        let tensor = &saved[name];
        if tensor.shape() != param.shape() {
            return Err(mismatch(Mismatch::Shape {
                name: name.clone(),
                model: param.shape_tuple().clone(),
                checkpoint: tensor.shape_tuple().clone(),
            }));
        }
        if tensor.dtype() != param.dtype() {
            return Err(mismatch(Mismatch::DType {
                name: name.clone(),
                model: param.dtype(),
                checkpoint: tensor.dtype(),
            }));
        }
    }

    for (name, param) in params {
        // Invariant: every name was checked to be in `saved` above, and names are unique.
        let tensor = saved
            .remove(&name)
            .expect("internal error: a checked parameter left the checkpoint");
        *param = if param.tracks_grad() {
            tensor.requires_grad()
        } else {
            tensor
        };
    }
    Ok(())
}
