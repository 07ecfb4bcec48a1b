//! Slicing and indexing with arguments read from fuzzer bytes: `s![]` items with any `isize`
//! start, stop and step, integer indices, integer arrays and boolean masks, `take`,
//! `take_along_axis` and `diagonal`, on a small int64 tensor whose shape the bytes choose.
//! Every `try_` call must return `Ok` or `Err`, and an `Ok` must realize (or fail) cleanly.
//!
//! This file is compiled twice: by the fuzz crate, and by the facade's stable tests
//! (`tests/it/fuzz_index.rs`), which replay the committed corpus through it.

use lazygrad::{SliceArg, Tensor};

/// The fuzzer's bytes, read front to back; an exhausted input reads as zeros.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let Some((&first, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        first
    }

    /// A number below `n`.
    fn below(&mut self, n: u8) -> usize {
        usize::from(self.byte() % n)
    }

    /// An `isize`, mostly small or extreme (where the bugs are), sometimes any 64 bits.
    fn isize(&mut self) -> isize {
        match self.byte() {
            tag @ 0..=15 => isize::from(tag) - 8,
            16 => isize::MIN,
            17 => isize::MAX,
            18 => isize::MIN + 1,
            19 => isize::MAX - 1,
            20 => i32::MIN as isize,
            21 => i32::MAX as isize,
            _ => {
                let mut bytes = [0u8; 8];
                bytes.iter_mut().for_each(|byte| *byte = self.byte());
                i64::from_le_bytes(bytes) as isize
            }
        }
    }

    fn optional(&mut self) -> Option<isize> {
        (!self.byte().is_multiple_of(4)).then(|| self.isize())
    }

    /// An int64 tensor of the given shape, filled with fuzzer-chosen values.
    fn indices(&mut self, shape: &[usize]) -> lazygrad::Result<Tensor> {
        let size = shape.iter().product();
        let values = (0..size).map(|_| self.isize() as i64).collect();
        Tensor::try_from_vec::<i64>(values, shape.to_vec())
    }

    /// A shape of up to `max_ndim` dimensions of extent 0 to 4.
    fn shape(&mut self, max_ndim: u8) -> Vec<usize> {
        let ndim = self.below(max_ndim + 1);
        (0..ndim).map(|_| self.below(5)).collect()
    }

    fn slice_arg(&mut self) -> lazygrad::Result<SliceArg> {
        Ok(match self.below(6) {
            0 => SliceArg::Index(self.isize()),
            1 | 2 => SliceArg::Range {
                start: self.optional(),
                stop: self.optional(),
                step: self.isize(),
            },
            3 => SliceArg::NewAxis,
            4 => SliceArg::Ellipsis,
            _ => {
                let shape = self.shape(2);
                if self.byte().is_multiple_of(2) {
                    SliceArg::Array(self.indices(&shape)?)
                } else {
                    let size = shape.iter().product();
                    let mask = (0..size).map(|_| self.byte().is_multiple_of(2)).collect();
                    SliceArg::Array(Tensor::try_from_vec::<bool>(mask, shape)?)
                }
            }
        })
    }
}

/// Runs one fuzz case: builds a tensor, applies a fuzzer-chosen indexing op, realizes it.
pub fn index(data: &[u8]) {
    let mut input = Input(data);
    // Errors are the expected outcome for most inputs; only a panic is a finding.
    let _ = run(&mut input);
}

fn run(input: &mut Input<'_>) -> lazygrad::Result<()> {
    let shape = input.shape(3);
    let size: usize = shape.iter().product();
    let base = lazygrad::arange(size as i64).try_reshape(&shape[..])?;
    let res = match input.below(4) {
        0 => {
            let count = input.below(5);
            let args = (0..count)
                .map(|_| input.slice_arg())
                .collect::<lazygrad::Result<Vec<_>>>()?;
            base.try_slice(args)?
        }
        1 => {
            let indices = input.shape(2);
            let indices = input.indices(&indices)?;
            base.try_reshape([-1])?
                .try_slice(vec![SliceArg::Array(indices)])?
        }
        2 => {
            let mut indices_shape = shape.clone();
            indices_shape
                .iter_mut()
                .for_each(|dim| *dim = input.below(3));
            let indices = input.indices(&indices_shape)?;
            base.try_take_along_axis(&indices, input.isize())?
        }
        _ => {
            // `diagonal` has no `try_` form yet; its one precondition (a 2-d tensor) is met
            // here, so any panic is a finding.
            let matrix = if base.ndim() == 2 {
                base
            } else {
                base.try_reshape([1, size])?
            };
            matrix.diagonal(input.isize())
        }
    };
    let values = res.try_to_vec::<i64>()?;
    assert_eq!(
        values.len(),
        res.size(),
        "realized length differs from the shape"
    );
    Ok(())
}
