//! Batched strided matrix product, the one kernel behind the `matmul` primitive.
//!
//! [`matmul`] checks the layouts once, in safe code, and then hands each batch entry to
//! [`GemmElement::product`] on one thread, or in blocks for rayon's threads: blocks of columns,
//! each a [`GemmElement::product`] into an `ndarray` view of its columns of the output, or, for
//! a tall and narrow output, blocks of rows through [`GemmElement::product_parallel`]. Floats
//! go to this crate's AVX-512 kernels (`gemm/avx512.rs`) where the CPU has them, else to
//! matrixmultiply's `sgemm`/`dgemm`; both take the caller's strides as they are, so transposed,
//! flipped and broadcast views are never copied whole.
//! Integers and `bool` use a plain strided loop, because no packed kernel exists for them and
//! their products are rare enough that the loop is not the bottleneck.
//! Tests live at the bottom of this file.

use ndarray::{ArrayViewMut2, Axis};
use rayon::prelude::*;

#[cfg(target_arch = "x86_64")]
mod avx512;

/// Strided layout of a batch of matrices inside a flat buffer: element (b, i, j) sits at
/// `offset + b*strides[0] + i*strides[1] + j*strides[2]`. Strides are counted in elements, and may be 0 (broadcast) or negative (flipped views).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixLayout {
    /// Number of matrices in the batch.
    pub batch: usize,
    /// Number of rows of each matrix.
    pub rows: usize,
    /// Number of columns of each matrix.
    pub cols: usize,
    /// Element strides of the batch, row and column axes, in that order.
    pub strides: [isize; 3],
    /// Element offset of element (0, 0, 0) in the buffer.
    pub offset: isize,
}

/// One non-empty matrix of a batch whose every element is known to lie inside `data`.
///
/// Only [`matmul`] builds it, after checking the whole layout against the slice, so
/// [`GemmElement::product`] can hand its strides to raw-pointer kernels without checking again.
#[derive(Clone, Copy, Debug)]
pub struct Operand<'a, T> {
    data: &'a [T],
    /// Index of element (0, 0) in `data`.
    start: usize,
    rows: usize,
    cols: usize,
    /// Element strides, signed because flipped views step backwards.
    row_stride: isize,
    col_stride: isize,
}

impl<'a, T> Operand<'a, T> {
    /// Takes batch entry `batch_idx` of a layout that `check_in_bounds` accepted and that has at
    /// least one row and one column.
    fn new(data: &'a [T], layout: &MatrixLayout, batch_idx: usize) -> Self {
        // Element (batch_idx, 0, 0) is addressed by the layout, so the bounds check already
        // proved this sum lies in 0..data.len() and cannot overflow.
        let start = layout.offset + batch_idx as isize * layout.strides[0];
        Operand {
            data,
            start: start as usize,
            rows: layout.rows,
            cols: layout.cols,
            row_stride: layout.strides[1],
            col_stride: layout.strides[2],
        }
    }

    /// Returns rows `first..first + count` of this matrix, which must lie inside it.
    fn row_block(&self, first: usize, count: usize) -> Self {
        assert!(
            count > 0 && first + count <= self.rows,
            "internal error: row block {first}..{} of a {}-row matrix",
            first + count,
            self.rows
        );
        Operand {
            // Element (first, 0) is addressed by the matrix, so its index is in bounds.
            start: self.index(first, 0),
            rows: count,
            ..*self
        }
    }

    /// Returns columns `first..first + count` of this matrix, which must lie inside it.
    fn col_block(&self, first: usize, count: usize) -> Self {
        assert!(
            count > 0 && first + count <= self.cols,
            "internal error: column block {first}..{} of a {}-column matrix",
            first + count,
            self.cols
        );
        Operand {
            // Element (0, first) is addressed by the matrix, so its index is in bounds.
            start: self.index(0, first),
            cols: count,
            ..*self
        }
    }

    /// Returns the index in `data` of element (row, col), which is in bounds for any
    /// `row < rows` and `col < cols`.
    fn index(&self, row: usize, col: usize) -> usize {
        (self.start as isize + row as isize * self.row_stride + col as isize * self.col_stride)
            as usize
    }

    /// Returns a pointer to element (0, 0) that keeps the provenance of the whole slice, since
    /// negative strides reach elements before `start`.
    fn as_ptr(&self) -> *const T {
        self.data.as_ptr().wrapping_add(self.start)
    }
}

/// Element types the matrix product supports.
pub trait GemmElement: Copy + Send + Sync + 'static {
    /// The additive identity, which is also the result of an empty inner dimension.
    const ZERO: Self;

    /// Returns `acc + a * b` under the arithmetic numpy's matmul uses for this type.
    fn mul_add(acc: Self, a: Self, b: Self) -> Self;

    /// Overwrites the contiguous row-major `out` with `a @ b` on all of rayon's threads, for a
    /// product worth `tasks` tasks, calling `finish` on each run of finished rows (with the
    /// index of its first element in `out`) while it is still in cache. The default cuts the
    /// rows into `tasks` blocks, each its own [`GemmElement::product`]. The result is the same
    /// bits as one `product` call.
    fn product_parallel(
        a: Operand<'_, Self>,
        b: Operand<'_, Self>,
        out: &mut [Self],
        tasks: usize,
        finish: &Epilogue<'_, Self>,
    ) {
        row_blocks(a, b, out, tasks, finish, Self::product);
    }

    /// Returns whether [`GemmElement::product`] reads `a` in place rather than packing it, so
    /// that cutting a product into blocks of columns repeats only reads of `a`. The default,
    /// for the plain loop, is false; matrixmultiply packs `a` for every call.
    fn reads_a_in_place() -> bool {
        false
    }

    /// Overwrites `out`, a matrix view of any strides, with `a @ b`; the default is the plain
    /// loop.
    fn product(a: Operand<'_, Self>, b: Operand<'_, Self>, mut out: ArrayViewMut2<'_, Self>) {
        let (_, inner_len, n) = product_dims(&a, &b, &out);
        // The i-k-j order keeps the innermost loop walking along one row of `b` and one row of
        // `out`, which is the contiguous direction in the common case.
        for (row, mut out_row) in out.rows_mut().into_iter().enumerate() {
            out_row.fill(Self::ZERO);
            for inner in 0..inner_len {
                let a_value = a.data[a.index(row, inner)];
                let b_row = b.index(inner, 0);
                if let (1, Some(out_values)) = (b.col_stride, out_row.as_slice_mut()) {
                    // Slices let the compiler drop bounds checks and vectorize the loop.
                    let b_values = &b.data[b_row..b_row + n];
                    for (res, &b_value) in out_values.iter_mut().zip(b_values) {
                        *res = Self::mul_add(*res, a_value, b_value);
                    }
                } else {
                    for (col, res) in out_row.iter_mut().enumerate() {
                        *res = Self::mul_add(*res, a_value, b.data[b.index(inner, col)]);
                    }
                }
            }
        }
    }
}

/// Returns (m, k, n) of one product after checking that the operands and `out` agree, which the
/// unsafe float kernels rely on.
fn product_dims<T>(
    a: &Operand<'_, T>,
    b: &Operand<'_, T>,
    out: &ArrayViewMut2<'_, T>,
) -> (usize, usize, usize) {
    assert!(
        a.cols == b.rows && out.dim() == (a.rows, b.cols),
        "internal error: gemm product of {}x{} and {}x{} into {:?}",
        a.rows,
        a.cols,
        b.rows,
        b.cols,
        out.dim()
    );
    (a.rows, a.cols, b.cols)
}

/// Views a contiguous row-major `out` of `n`-element rows as a matrix.
fn row_major<T>(out: &mut [T], n: usize) -> ArrayViewMut2<'_, T> {
    let rows = out.len().checked_div(n).unwrap_or(0);
    // ndarray accepts a slice longer than the shape needs, so the length is checked here.
    assert!(
        rows * n == out.len(),
        "internal error: {} elements are not rows of {n}",
        out.len()
    );
    ArrayViewMut2::from_shape((rows, n), out).expect("rows * n elements in a row-major slice")
}

/// Overwrites `out` with `a @ b` as `tasks` blocks of rows that rayon runs, each a `product`
/// call of its own followed by `finish` on its rows.
fn row_blocks<T: GemmElement>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    out: &mut [T],
    tasks: usize,
    finish: &Epilogue<'_, T>,
    product: fn(Operand<'_, T>, Operand<'_, T>, ArrayViewMut2<'_, T>),
) {
    let (m, n) = (a.rows, b.cols);
    product_dims(&a, &b, &row_major(out, n));
    let rows = m.div_ceil(tasks);
    out.par_chunks_mut(rows * n)
        .enumerate()
        .for_each(|(block, out_rows)| {
            let a_rows = a.row_block(block * rows, out_rows.len() / n);
            product(a_rows, b, row_major(out_rows, n));
            finish(block * rows * n, out_rows);
        });
}

/// Implements [`GemmElement`] for a float type: the AVX-512 kernel where the CPU has it, else
/// `$fallback`, which calls the matching matrixmultiply kernel.
macro_rules! impl_float {
    ($elem:ty, $avx512:ident, $parallel:ident, $fallback:ident, $kernel:ident) => {
        impl GemmElement for $elem {
            const ZERO: Self = 0.0;

            fn mul_add(acc: Self, a: Self, b: Self) -> Self {
                acc + a * b
            }

            fn reads_a_in_place() -> bool {
                #[cfg(target_arch = "x86_64")]
                if avx512::available() {
                    return true;
                }
                false
            }

            fn product(a: Operand<'_, Self>, b: Operand<'_, Self>, out: ArrayViewMut2<'_, Self>) {
                #[cfg(target_arch = "x86_64")]
                if avx512::available() && out.strides()[1] == 1 && out.strides()[0] >= 0 {
                    return avx512::$avx512(a, b, out);
                }
                $fallback(a, b, out);
            }

            fn product_parallel(
                a: Operand<'_, Self>,
                b: Operand<'_, Self>,
                out: &mut [Self],
                tasks: usize,
                finish: &Epilogue<'_, Self>,
            ) {
                #[cfg(target_arch = "x86_64")]
                if avx512::available() {
                    // Chunks of a whole number of 8-row tiles, twice as many as tasks, so a
                    // thread that finishes first takes over work from one that is slowed.
                    let chunk_rows = a.rows.div_ceil(2 * tasks).next_multiple_of(8);
                    return avx512::$parallel(a, b, out, chunk_rows, finish);
                }
                row_blocks(a, b, out, tasks, finish, $fallback);
            }
        }

        /// Overwrites `out` with `a @ b` through matrixmultiply.
        fn $fallback(
            a: Operand<'_, $elem>,
            b: Operand<'_, $elem>,
            mut out: ArrayViewMut2<'_, $elem>,
        ) {
            let (m, inner_len, n) = product_dims(&a, &b, &out);
            let [out_row_stride, out_col_stride] = [out.strides()[0], out.strides()[1]];
            // SAFETY: `a` and `b` were built by `matmul` after `check_in_bounds` proved that
            // every element (i, j) with i < rows and j < cols, at
            // `start + i*row_stride + j*col_stride`, lies inside `data`; `as_ptr` points at
            // element (0, 0) with the provenance of the whole slice, so every read
            // matrixmultiply makes is in bounds, and the shared borrows keep both inputs alive
            // and unchanged. `product_dims` checked that `a` has k columns and `b` has k rows,
            // and that `out` is m x n, so its pointer and strides address exactly the view's
            // elements, which ndarray keeps in bounds and distinct, and which no other
            // reference sees (`out` borrows them exclusively). Beta is 0, so the old contents
            // of `out` are never read.
            unsafe {
                matrixmultiply::$kernel(
                    m,
                    inner_len,
                    n,
                    1.0,
                    a.as_ptr(),
                    a.row_stride,
                    a.col_stride,
                    b.as_ptr(),
                    b.row_stride,
                    b.col_stride,
                    0.0,
                    out.as_mut_ptr(),
                    out_row_stride,
                    out_col_stride,
                );
            }
        }
    };
}

impl_float!(
    f32,
    product_f32,
    rows_parallel_f32,
    matrixmultiply_f32,
    sgemm
);
impl_float!(
    f64,
    product_f64,
    rows_parallel_f64,
    matrixmultiply_f64,
    dgemm
);

/// Implements [`GemmElement`] for an integer type with numpy's wrapping overflow.
macro_rules! impl_wrapping {
    ($($elem:ty),*) => {$(
        impl GemmElement for $elem {
            const ZERO: Self = 0;

            fn mul_add(acc: Self, a: Self, b: Self) -> Self {
                acc.wrapping_add(a.wrapping_mul(b))
            }
        }
    )*};
}

impl_wrapping!(u8, i8, u16, i16, u32, i32, u64, i64);

/// numpy's float16 matmul loop: each multiply-add in float32, rounded to half precision.
impl GemmElement for lazygrad_ir::f16 {
    const ZERO: Self = lazygrad_ir::f16::ZERO;

    fn mul_add(acc: Self, a: Self, b: Self) -> Self {
        lazygrad_ir::f16::from_f32(f32::from(acc) + f32::from(a) * f32::from(b))
    }
}

impl GemmElement for bool {
    const ZERO: Self = false;

    /// Numpy's boolean matmul is a logical or of logical ands.
    fn mul_add(acc: Self, a: Self, b: Self) -> Self {
        acc | (a & b)
    }
}

/// Elementwise work on a finished block of the product: called with the index of the block's
/// first element in `out` and the block (whole rows), which it overwrites in place.
pub type Epilogue<'a, T> = dyn Fn(usize, &mut [T]) + Sync + 'a;

/// `out[b] = a[b] @ b[b]` for every batch b; `out` is contiguous, shape (batch, a.rows, b.cols), fully overwritten.
/// Panics with an `internal error:` message if the layouts disagree (a.cols != b.rows, batch counts differ) or if any element a layout addresses lies outside its slice.
pub fn matmul<T: GemmElement>(
    a: &[T],
    a_layout: &MatrixLayout,
    b: &[T],
    b_layout: &MatrixLayout,
    out: &mut [T],
    epilogue: Option<&Epilogue<'_, T>>,
) {
    assert!(
        a_layout.batch == b_layout.batch,
        "internal error: matmul batch counts differ: {} and {}",
        a_layout.batch,
        b_layout.batch
    );
    assert!(
        a_layout.cols == b_layout.rows,
        "internal error: matmul inner dimensions differ: a has {} columns, b has {} rows",
        a_layout.cols,
        b_layout.rows
    );
    let (batch, m, inner_len, n) = (a_layout.batch, a_layout.rows, a_layout.cols, b_layout.cols);
    let matrix_len = m.checked_mul(n);
    assert!(
        matrix_len.and_then(|len| len.checked_mul(batch)) == Some(out.len()),
        "internal error: matmul output has {} elements, expected {batch}x{m}x{n}",
        out.len()
    );
    check_in_bounds("a", a_layout, a.len());
    check_in_bounds("b", b_layout, b.len());
    // The output length was checked above, so this unwrap cannot fail.
    let matrix_len = matrix_len.unwrap();
    let finish = |start: usize, block: &mut [T]| {
        if let Some(epilogue) = epilogue {
            epilogue(start, block);
        }
    };
    if matrix_len == 0 {
        // An empty batch or an empty m or n leaves nothing to write.
        return;
    }
    if inner_len == 0 {
        // A sum over an empty inner dimension is zero, and the operands have no element to
        // point at, so no kernel runs.
        out.fill(T::ZERO);
        finish(0, out);
        return;
    }
    // Each batch entry is cut into blocks of output rows or columns, and rayon runs the blocks
    // as tasks: every output element is still the same chains of multiply-adds over the same
    // blocks of the inner dimension, added in the same order, so the result does not depend on
    // how many threads ran. matrixmultiply's
    // own `threading` feature is off, because its pool split the skinny products of a training
    // step badly (64x1000 @ 1000x100 ran no faster on two threads than on one) and its threads
    // competed with rayon's for the two cores.
    let tasks = task_count(m, inner_len, n, size_of::<T>());
    // Blocks of whole cache lines of each output row, so two threads never write one line.
    let block_cols = n
        .div_ceil(tasks)
        .next_multiple_of(64 / size_of::<T>().max(1));
    // Columns when `a` has fewer rows than `b` has columns, and, under a kernel that reads `a`
    // in place, for any output not more than twice as tall as wide whose blocks are wide enough.
    let column_blocks =
        m < n || (T::reads_a_in_place() && block_cols >= MIN_BLOCK_COLS && m <= 2 * n);
    if tasks == 1 {
        for (batch_idx, out_matrix) in out.chunks_exact_mut(matrix_len).enumerate() {
            let a_matrix = Operand::new(a, a_layout, batch_idx);
            let b_matrix = Operand::new(b, b_layout, batch_idx);
            T::product(a_matrix, b_matrix, row_major(out_matrix, n));
            finish(batch_idx * matrix_len, out_matrix);
        }
    } else if !column_blocks {
        // Blocks of rows, each a contiguous run of `out` that its task writes alone. The
        // AVX-512 kernels cut them finer and share each thread's packing of `b` between its
        // blocks (`avx512::product_rows_parallel`); matrixmultiply packs `b` again per block,
        // which suits a `b` no wider than `a` is tall. Each batch entry is large enough to be
        // split on its own, so the entries run one after another.
        for (batch_idx, out_matrix) in out.chunks_exact_mut(matrix_len).enumerate() {
            let a_matrix = Operand::new(a, a_layout, batch_idx);
            let b_matrix = Operand::new(b, b_layout, batch_idx);
            let entry_finish = |start: usize, rows: &mut [T]| {
                finish(batch_idx * matrix_len + start, rows);
            };
            T::product_parallel(a_matrix, b_matrix, out_matrix, tasks, &entry_finish);
        }
    } else {
        // Blocks of columns, each a whole product of its own that writes its columns of `out`
        // in place through the output's row stride. A block packs only its own columns of `b`
        // and reads all of `a`, so no two threads pack the same block of `b`, and the threads
        // never wait for each other until the end. At 1024^3 in float64, two threads, the
        // medians of `openblas_paired`'s rounds ranged 0.96-1.02 of OpenBLAS's time in eleven
        // runs, where the row chunks alternated with them ranged 1.02-1.16. Under
        // matrixmultiply each block packs `a` again, so it comes here only when `a` has fewer
        // rows than `b` has columns.
        let blocks: Vec<(usize, usize, ArrayViewMut2<'_, T>)> = out
            .chunks_exact_mut(matrix_len)
            .enumerate()
            .flat_map(|(batch_idx, out_matrix)| {
                let mut rest = Some(row_major(out_matrix, n));
                (0..n).step_by(block_cols).map(move |first| {
                    // `split_at` keeps the lifetime of the whole output, unlike a chunk iterator
                    // over a borrowed view.
                    let view = rest.take().expect("one view per block");
                    let (block, after) = view.split_at(Axis(1), block_cols.min(n - first));
                    rest = Some(after);
                    (batch_idx, first, block)
                })
            })
            .collect();
        blocks.into_par_iter().for_each(|(batch_idx, first, view)| {
            let b_cols = Operand::new(b, b_layout, batch_idx).col_block(first, view.ncols());
            T::product(Operand::new(a, a_layout, batch_idx), b_cols, view);
        });
        if epilogue.is_some() {
            // The epilogue needs whole rows, which only exist once every column block is in.
            let chunk_rows = (batch * m).div_ceil(2 * tasks);
            out.par_chunks_mut(chunk_rows * n)
                .enumerate()
                .for_each(|(chunk, rows)| finish(chunk * chunk_rows * n, rows));
        }
    }
}

/// Narrowest column blocks worth a product of their own when the output has at least as many
/// rows as columns: 128 columns (16 float64 or 8 float32 vectors). Each column block reads all
/// of `a`, so `matmul` also keeps blocks of rows for outputs more than twice as tall as wide.
/// In float64 on two threads (`openblas_paired`, alternated): 1024x1024 @ 1024x512, with
/// 128-column blocks, ran 0.95-1.01 of OpenBLAS's time against 0.96-1.29 in row chunks; four
/// times as tall as wide (4096x1024 @ 1024x512) it ran 1.03-1.13 against 0.87-1.10.
const MIN_BLOCK_COLS: usize = 128;

/// Products below this many bytes of multiply-add work (multiply-adds times the element size)
/// run as one task: 2^23 float32 or 2^22 float64 multiply-adds, about 200 us on one core here.
///
/// Waking rayon's sleeping second thread took a median of 40-95 us (p90 up to 240 us) on this
/// project's 2-core VM after the idle gaps a training step leaves between products, and the
/// second task packs the shared operand again. A split pays only when the product takes a few
/// times that: 64x1000 @ 1000x100 in float32 (about 130 us) took 150 us cut into two tasks
/// against 128 us as one (best of 300 runs), so it now runs whole, as issue #4 reports for
/// matrixmultiply's own threads; in float64 (about 250 us) it is still split.
///
/// With the AVX-512 kernels the trade-off held: at 2^24 bytes the float32 products of the
/// training step split, their criterion benches (where the pool stays awake) ran 20-30% faster,
/// and the float32 training step ran slower, a median of 370 against 310 us over 40
/// interleaved runs.
const PARALLEL_MIN_WORK: usize = 1 << 25;

/// Products above this many bytes of multiply-add work (2^26 float32 or 2^25 float64
/// multiply-adds) are cut into two tasks per thread, so rayon can move work to the idle core
/// when the other one is busy.
const BALANCE_MIN_WORK: usize = 1 << 28;

/// How many blocks each batch entry of an m x k @ k x n product of `itemsize`-byte elements is
/// cut into: one for small products, one per thread, two per thread for large products, and
/// never blocks narrower than 16 rows or columns, so a block is at least a couple of register
/// tiles (8 or 16 rows of the AVX-512 and matrixmultiply kernels).
fn task_count(m: usize, inner_len: usize, n: usize, itemsize: usize) -> usize {
    const MIN_WIDTH: usize = 16;
    let work = m
        .saturating_mul(inner_len)
        .saturating_mul(n)
        .saturating_mul(itemsize);
    let threads = rayon::current_num_threads();
    let wanted = match work {
        work if work < PARALLEL_MIN_WORK => 1,
        work if work < BALANCE_MIN_WORK => threads,
        _ => 2 * threads,
    };
    wanted.min(m.max(n) / MIN_WIDTH).max(1)
}

/// Panics unless every element the layout addresses lies inside a slice of `len` elements.
///
/// The extremes of `offset + b*s0 + i*s1 + j*s2` over the box of indices sit at its corners, so
/// the lowest offset adds `(dim - 1) * stride` for each negative stride and the highest for each
/// positive one. The arithmetic is in `i128` with saturation, so a huge stride cannot wrap
/// around into the slice; a saturated bound is out of range anyway.
fn check_in_bounds(name: &str, layout: &MatrixLayout, len: usize) {
    let dims = [layout.batch, layout.rows, layout.cols];
    if dims.contains(&0) {
        // A layout with an empty axis addresses no element, so its offset and strides are free.
        return;
    }
    let mut lowest = layout.offset as i128;
    let mut highest = layout.offset as i128;
    for (dim, stride) in dims.into_iter().zip(layout.strides) {
        let reach = (dim as i128 - 1).saturating_mul(stride as i128);
        if reach < 0 {
            lowest = lowest.saturating_add(reach);
        } else {
            highest = highest.saturating_add(reach);
        }
    }
    assert!(
        lowest >= 0 && highest < len as i128,
        "internal error: matmul operand {name} with {layout:?} addresses elements \
         {lowest}..={highest} outside its slice of {len} elements"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_random::next_random;
    use std::fmt::Debug;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    /// Test-side view of an element type: how to sample it and how to compare with the f64
    /// reference.
    trait TestElement: GemmElement + PartialEq + Debug {
        /// Draws a small value, so integer references stay exact in f64.
        fn sample(state: &mut u64) -> Self;
        fn to_f64(self) -> f64;
        /// Turns the exact reference sum into the value this type's matmul must produce.
        fn from_reference(sum: f64) -> Self;
        /// Compares one output element, allowing float rounding that grows with `inner_len`.
        fn close(got: Self, want: Self, inner_len: usize) -> bool {
            let _ = inner_len;
            got == want
        }
        /// A value unlike any product, to prove the output is overwritten.
        const GARBAGE: Self;
    }

    impl TestElement for f32 {
        fn sample(state: &mut u64) -> Self {
            (next_random(state) % 2001) as f32 / 1000.0 - 1.0
        }
        fn to_f64(self) -> f64 {
            self.into()
        }
        fn from_reference(sum: f64) -> Self {
            sum as f32
        }
        fn close(got: Self, want: Self, inner_len: usize) -> bool {
            (got - want).abs() <= 1e-6 * (inner_len as f32 + 1.0)
        }
        const GARBAGE: Self = f32::NAN;
    }

    impl TestElement for f64 {
        fn sample(state: &mut u64) -> Self {
            f64::from(next_random(state) % 2001) / 1000.0 - 1.0
        }
        fn to_f64(self) -> f64 {
            self
        }
        fn from_reference(sum: f64) -> Self {
            sum
        }
        fn close(got: Self, want: Self, inner_len: usize) -> bool {
            (got - want).abs() <= 1e-14 * (inner_len as f64 + 1.0)
        }
        const GARBAGE: Self = f64::NAN;
    }

    /// Integer references are exact in f64 for the small samples, and casting the exact sum
    /// through `i64` wraps it the same way the kernel's wrapping arithmetic does.
    macro_rules! impl_test_int {
        ($($elem:ty: $low:expr),*) => {$(
            impl TestElement for $elem {
                fn sample(state: &mut u64) -> Self {
                    (next_random(state) % 17) as $elem + $low
                }
                fn to_f64(self) -> f64 {
                    self as f64
                }
                fn from_reference(sum: f64) -> Self {
                    sum as i64 as $elem
                }
                const GARBAGE: Self = 77;
            }
        )*};
    }

    impl_test_int!(i32: -8, i64: -8, u8: 0);

    impl TestElement for bool {
        fn sample(state: &mut u64) -> Self {
            // A one-in-three chance of true leaves some output elements false.
            next_random(state).is_multiple_of(3)
        }
        fn to_f64(self) -> f64 {
            f64::from(u8::from(self))
        }
        fn from_reference(sum: f64) -> Self {
            sum > 0.0
        }
        const GARBAGE: Self = true;
    }

    /// Computes the product element by element straight from the layout formula in f64.
    fn reference<T: TestElement>(
        a: &[T],
        a_layout: &MatrixLayout,
        b: &[T],
        b_layout: &MatrixLayout,
    ) -> Vec<T> {
        let at = |data: &[T], layout: &MatrixLayout, batch, row, col| {
            let index = layout.offset
                + batch as isize * layout.strides[0]
                + row as isize * layout.strides[1]
                + col as isize * layout.strides[2];
            data[index as usize].to_f64()
        };
        let mut res = Vec::new();
        for batch in 0..a_layout.batch {
            for row in 0..a_layout.rows {
                for col in 0..b_layout.cols {
                    let sum: f64 = (0..a_layout.cols)
                        .map(|inner| {
                            at(a, a_layout, batch, row, inner) * at(b, b_layout, batch, inner, col)
                        })
                        .sum();
                    res.push(T::from_reference(sum));
                }
            }
        }
        res
    }

    /// Fills buffers of the given lengths, multiplies through `matmul`, and compares with the
    /// reference.
    fn check<T: TestElement>(
        a_layout: MatrixLayout,
        a_len: usize,
        b_layout: MatrixLayout,
        b_len: usize,
    ) {
        check_with(
            a_layout,
            a_len,
            b_layout,
            b_len,
            |a: &[T], b: &[T], out: &mut [T]| {
                matmul(a, &a_layout, b, &b_layout, out, None);
            },
        );
    }

    /// Fills buffers of the given lengths, multiplies with `multiply` (operands, then an output
    /// of garbage), and compares with the reference.
    fn check_with<T: TestElement>(
        a_layout: MatrixLayout,
        a_len: usize,
        b_layout: MatrixLayout,
        b_len: usize,
        multiply: impl Fn(&[T], &[T], &mut [T]),
    ) {
        let mut state = 0x5eed ^ ((a_len as u64) << 20) ^ b_len as u64;
        let a: Vec<T> = (0..a_len).map(|_| T::sample(&mut state)).collect();
        let b: Vec<T> = (0..b_len).map(|_| T::sample(&mut state)).collect();
        let mut out = vec![T::GARBAGE; a_layout.batch * a_layout.rows * b_layout.cols];
        multiply(&a, &b, &mut out);
        let want = reference(&a, &a_layout, &b, &b_layout);
        for (idx, (&got, &want)) in out.iter().zip(&want).enumerate() {
            assert!(
                T::close(got, want, a_layout.cols),
                "{}: element {idx} is {got:?}, want {want:?}\na: {a_layout:?}\nb: {b_layout:?}",
                std::any::type_name::<T>()
            );
        }
    }

    /// Runs `check` for every supported element type.
    fn check_all(a_layout: MatrixLayout, a_len: usize, b_layout: MatrixLayout, b_len: usize) {
        check::<f32>(a_layout, a_len, b_layout, b_len);
        check::<f64>(a_layout, a_len, b_layout, b_len);
        check::<i32>(a_layout, a_len, b_layout, b_len);
        check::<i64>(a_layout, a_len, b_layout, b_len);
        check::<u8>(a_layout, a_len, b_layout, b_len);
        check::<bool>(a_layout, a_len, b_layout, b_len);
    }

    /// Row-major contiguous layout of a (batch, rows, cols) array.
    fn contiguous(batch: usize, rows: usize, cols: usize) -> MatrixLayout {
        let strides = [(rows * cols) as isize, cols as isize, 1];
        MatrixLayout {
            batch,
            rows,
            cols,
            strides,
            offset: 0,
        }
    }

    /// Layout of the transpose of a contiguous (batch, cols, rows) array, as `swapaxes(-1, -2)`
    /// makes it: the same buffer with the last two strides swapped.
    fn transposed(batch: usize, rows: usize, cols: usize) -> MatrixLayout {
        let strides = [(rows * cols) as isize, 1, rows as isize];
        MatrixLayout {
            batch,
            rows,
            cols,
            strides,
            offset: 0,
        }
    }

    /// Flips every axis of a layout whose lowest addressed element is at index 0, as `flip`
    /// does: each stride changes sign and the offset moves to the old last element.
    fn flipped(layout: MatrixLayout) -> MatrixLayout {
        let dims = [layout.batch, layout.rows, layout.cols];
        let offset = dims
            .iter()
            .zip(layout.strides)
            .map(|(&dim, stride)| (dim as isize - 1) * stride)
            .sum();
        MatrixLayout {
            strides: layout.strides.map(|stride| -stride),
            offset,
            ..layout
        }
    }

    #[test]
    fn contiguous_operands() {
        check_all(contiguous(2, 3, 4), 24, contiguous(2, 4, 5), 40);
        check_all(contiguous(1, 1, 1), 1, contiguous(1, 1, 1), 1);
        check_all(contiguous(1, 1, 7), 7, contiguous(1, 7, 1), 7);
    }

    #[test]
    fn transposed_operands() {
        check_all(transposed(2, 3, 4), 24, contiguous(2, 4, 5), 40);
        check_all(contiguous(2, 3, 4), 24, transposed(2, 4, 5), 40);
        check_all(transposed(3, 6, 2), 36, transposed(3, 2, 5), 30);
    }

    #[test]
    fn broadcast_operands() {
        // One weight matrix shared by the whole batch, as `x @ w` with x of rank 3 produces.
        let shared = MatrixLayout {
            strides: [0, 5, 1],
            ..contiguous(4, 3, 5)
        };
        check_all(contiguous(4, 2, 3), 24, shared, 15);
        let shared_transposed = MatrixLayout {
            strides: [0, 1, 2],
            ..contiguous(3, 2, 3)
        };
        check_all(shared_transposed, 6, contiguous(3, 3, 4), 36);
        // A whole row broadcast down the rows and a column broadcast across the columns.
        let repeated_row = MatrixLayout {
            strides: [4, 0, 1],
            ..contiguous(2, 3, 4)
        };
        let repeated_col = MatrixLayout {
            strides: [4, 1, 0],
            ..contiguous(2, 4, 6)
        };
        check_all(repeated_row, 8, repeated_col, 8);
        // A single scalar standing for a whole batch of matrices.
        let scalar = MatrixLayout {
            strides: [0, 0, 0],
            ..contiguous(2, 3, 3)
        };
        check_all(scalar, 1, contiguous(2, 3, 2), 12);
    }

    #[test]
    fn negative_strides() {
        // Flipping every axis puts the first addressed element at index len - 1 and the last at
        // index 0, the two edges of the slice.
        check_all(flipped(contiguous(2, 3, 4)), 24, contiguous(2, 4, 5), 40);
        check_all(contiguous(2, 3, 4), 24, flipped(contiguous(2, 4, 5)), 40);
        check_all(
            flipped(transposed(2, 3, 4)),
            24,
            flipped(transposed(2, 4, 5)),
            40,
        );
        // Only the columns flipped, which leaves a negative unit column stride.
        let cols_flipped = MatrixLayout {
            strides: [12, 4, -1],
            offset: 3,
            ..contiguous(2, 3, 4)
        };
        check_all(contiguous(2, 5, 3), 30, cols_flipped, 24);
    }

    #[test]
    fn offsets_reaching_the_slice_end() {
        // A view into the middle of a buffer, with its last element on the buffer's last slot.
        let tail = MatrixLayout {
            offset: 7,
            ..contiguous(2, 3, 4)
        };
        check_all(tail, 31, contiguous(2, 4, 2), 16);
        // A column sliced out of a wider matrix, as `x[:, 5:]` gives.
        let sliced = MatrixLayout {
            strides: [0, 8, 1],
            offset: 5,
            ..contiguous(1, 4, 3)
        };
        check_all(contiguous(1, 2, 4), 8, sliced, 32);
    }

    /// Runs `body` on a pool of two threads, so products split whatever the machine's cores.
    fn on_two_threads<R: Send>(body: impl FnOnce() -> R + Send) -> R {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a thread pool")
            .install(body)
    }

    #[test]
    fn products_split_across_threads() {
        // On two threads each of these is worth more than one task (`task_count`), and they
        // take the three ways of cutting a product. 270x261 has more rows than columns: the
        // AVX-512 kernels, which read `a` in place, cut it into blocks of columns (144 + 117 in
        // float32, 136 + 125 in float64, at least `MIN_BLOCK_COLS`), the other kernels into
        // blocks of rows. A wide output (40x1040) is cut into columns and a tall, narrow one
        // (1040x40) into rows by every kernel. One-byte types need a larger product to split.
        on_two_threads(|| {
            for (m, k, n) in [(270, 256, 261), (40, 256, 1040), (1040, 256, 40)] {
                let (a, b) = (transposed(1, m, k), contiguous(1, k, n));
                check::<f32>(a, m * k, b, k * n);
                check::<f64>(a, m * k, b, k * n);
                check::<i32>(a, m * k, b, k * n);
                check::<i64>(a, m * k, b, k * n);
            }
            let (m, k, n) = (40, 1024, 1040);
            let (a, b) = (contiguous(1, m, k), contiguous(1, k, n));
            check::<u8>(a, m * k, b, k * n);
            check::<bool>(a, m * k, b, k * n);
        });
    }

    #[test]
    fn split_products_run_the_epilogue_once_on_finished_rows() {
        // Batches of three, cut into blocks of columns (100x300 per entry, whose epilogue runs
        // afterwards in chunks of 75 rows that cross the entries' borders) and of rows
        // (600x40), on two threads. The epilogue adds one and records what it was given.
        for (m, k, n) in [(100, 256, 300), (600, 256, 40)] {
            let (a_layout, b_layout) = (contiguous(3, m, k), contiguous(3, k, n));
            let mut state = 0x5eed;
            let a: Vec<f64> = (0..3 * m * k).map(|_| f64::sample(&mut state)).collect();
            let b: Vec<f64> = (0..3 * k * n).map(|_| f64::sample(&mut state)).collect();
            let mut out = vec![f64::NAN; 3 * m * n];
            let calls = std::sync::Mutex::new(Vec::new());
            let epilogue = |start: usize, rows: &mut [f64]| {
                assert_eq!((start % n, rows.len() % n), (0, 0), "not whole rows");
                rows.iter_mut().for_each(|x| *x += 1.0);
                calls.lock().unwrap().push((start, rows.len()));
            };
            on_two_threads(|| matmul(&a, &a_layout, &b, &b_layout, &mut out, Some(&epilogue)));
            let mut calls = calls.into_inner().unwrap();
            calls.sort();
            let mut next = 0;
            for (start, len) in calls {
                assert_eq!(
                    start, next,
                    "{m}x{k}x{n}: the epilogue skipped or repeated elements"
                );
                next = start + len;
            }
            assert_eq!(next, out.len(), "{m}x{k}x{n}: the epilogue stopped early");
            let want = reference(&a, &a_layout, &b, &b_layout);
            for (idx, (&got, &want)) in out.iter().zip(&want).enumerate() {
                assert!(
                    f64::close(got, want + 1.0, k),
                    "{m}x{k}x{n}: element {idx} is {got}, want {}",
                    want + 1.0
                );
            }
        }
    }

    #[test]
    fn sizes_past_the_kernel_blocks() {
        // These cross the register and cache block edges of whichever float kernel this CPU
        // runs, so partial blocks are packed from strided and flipped sources.
        check::<f32>(
            contiguous(2, 67, 300),
            2 * 67 * 300,
            transposed(2, 300, 37),
            2 * 300 * 37,
        );
        check::<f64>(
            flipped(transposed(1, 130, 270)),
            130 * 270,
            flipped(contiguous(1, 270, 70)),
            270 * 70,
        );
        check::<i32>(
            transposed(1, 33, 40),
            33 * 40,
            contiguous(1, 40, 29),
            40 * 29,
        );
    }

    /// Layouts that cross every block edge of both float kernels: the AVX-512 tiles (8 rows,
    /// up to 3 vectors of columns with a masked tail) and blocks (512 or 256 inner indices, 512
    /// columns), `b` read in place or packed, and negative and zero strides.
    fn float_block_cases() -> Vec<(MatrixLayout, MatrixLayout)> {
        let rows_flipped = |rows: usize, cols: usize| MatrixLayout {
            strides: [0, -(cols as isize), 1],
            offset: ((rows - 1) * cols) as isize,
            ..contiguous(1, rows, cols)
        };
        let repeated_row = |rows: usize, cols: usize| MatrixLayout {
            strides: [0, 0, 1],
            ..contiguous(1, rows, cols)
        };
        let mut cases = vec![
            // Crosses 512 and 1024 inner indices and 512 columns. The full blocks of `b` span
            // 1 MiB, so they are packed although its columns are contiguous; the last, 76 rows,
            // is read in place.
            (contiguous(1, 19, 1100), contiguous(1, 1100, 530)),
            // A small row-major `b`, read in place, over two blocks of inner indices.
            (contiguous(1, 13, 600), contiguous(1, 600, 100)),
            // In place with a negative row stride, and with a row stride of zero.
            (transposed(1, 17, 70), rows_flipped(70, 33)),
            (contiguous(1, 9, 300), repeated_row(300, 40)),
            // One row of `a` standing for all 12.
            (repeated_row(12, 30), contiguous(1, 30, 50)),
            // Packed from transposed and flipped `b`.
            (contiguous(1, 67, 300), transposed(1, 300, 37)),
            (contiguous(1, 8, 5), transposed(1, 5, 49)),
            (
                flipped(transposed(1, 130, 270)),
                flipped(contiguous(1, 270, 70)),
            ),
            // A 600x10 `b` (one-vector tiles, two blocks of inner indices), in place and packed.
            (contiguous(1, 11, 600), contiguous(1, 600, 10)),
            (contiguous(1, 11, 600), transposed(1, 600, 10)),
        ];
        // Every column count up to seven 16-lane vectors, so every tail width of both dtypes
        // and every cut into panels (3 + 2 + 2 included), in place and packed.
        for cols in 1..=112 {
            cases.push((contiguous(1, 9, 7), contiguous(1, 7, cols)));
            cases.push((contiguous(1, 9, 7), transposed(1, 7, cols)));
        }
        cases
    }

    /// The length of the smallest buffer holding every element `layout` addresses, for layouts
    /// whose lowest addressed element is at index 0.
    fn buffer_len(layout: &MatrixLayout) -> usize {
        let dims = [layout.batch, layout.rows, layout.cols];
        let highest: isize = dims
            .iter()
            .zip(layout.strides)
            .map(|(&dim, stride)| (dim as isize - 1) * stride.max(0))
            .sum();
        (layout.offset + highest + 1) as usize
    }

    /// Runs `product` on each case (a batch of one) and compares with the reference.
    fn check_cases<T: TestElement>(product: impl Fn(Operand<'_, T>, Operand<'_, T>, &mut [T])) {
        for (a_layout, b_layout) in float_block_cases() {
            check_with(
                a_layout,
                buffer_len(&a_layout),
                b_layout,
                buffer_len(&b_layout),
                |a: &[T], b: &[T], out: &mut [T]| {
                    product(
                        Operand::new(a, &a_layout, 0),
                        Operand::new(b, &b_layout, 0),
                        out,
                    );
                },
            );
        }
    }

    /// Runs a product into a view on each case twice: into a contiguous output, and into
    /// columns 3.. of rows 7 elements wider, the layout of one column block of `matmul`'s
    /// output, whose neighbours must keep their garbage.
    fn check_product<T: TestElement>(
        product: fn(Operand<'_, T>, Operand<'_, T>, ArrayViewMut2<'_, T>),
    ) {
        check_cases::<T>(|a, b, out| {
            let n = b.cols;
            product(a, b, row_major(out, n));
        });
        check_cases::<T>(|a, b, out| {
            let (m, n) = (a.rows, b.cols);
            let width = n + 7;
            let mut wide = vec![T::GARBAGE; m * width];
            let (_, right) = row_major(&mut wide, width).split_at(Axis(1), 3);
            product(a, b, right.split_at(Axis(1), n).0);
            let garbage = T::GARBAGE.to_f64().to_bits();
            for (row, wide_row) in wide.chunks_exact(width).enumerate() {
                let outside = wide_row[..3].iter().chain(&wide_row[3 + n..]);
                assert!(
                    outside
                        .into_iter()
                        .all(|&x| x.to_f64().to_bits() == garbage),
                    "row {row} was written outside its columns 3..{}",
                    3 + n
                );
                out[row * n..(row + 1) * n].copy_from_slice(&wide_row[3..3 + n]);
            }
        });
    }

    #[test]
    fn float_kernels_across_block_edges() {
        // Through the dispatch, then each kernel by name, so the one this CPU does not pick is
        // tested too.
        check_product::<f32>(f32::product);
        check_product::<f64>(f64::product);
        check_product::<f32>(matrixmultiply_f32);
        check_product::<f64>(matrixmultiply_f64);
        // On rayon's threads, in row chunks that share each thread's packed blocks of `b`.
        check_cases::<f32>(|a, b, out| f32::product_parallel(a, b, out, 3, &|_, _| {}));
        check_cases::<f64>(|a, b, out| f64::product_parallel(a, b, out, 3, &|_, _| {}));
        check_cases::<f32>(|a, b, out| row_blocks(a, b, out, 3, &|_, _| {}, matrixmultiply_f32));
        check_cases::<f64>(|a, b, out| row_blocks(a, b, out, 3, &|_, _| {}, matrixmultiply_f64));
        #[cfg(target_arch = "x86_64")]
        if avx512::available() {
            check_product::<f32>(avx512::product_f32);
            check_product::<f64>(avx512::product_f64);
            check_cases::<f32>(|a, b, out| avx512::rows_parallel_f32(a, b, out, 8, &|_, _| {}));
            check_cases::<f64>(|a, b, out| avx512::rows_parallel_f64(a, b, out, 8, &|_, _| {}));
        } else {
            eprintln!("no AVX-512F on this CPU: its kernels are not tested here");
        }
    }

    #[test]
    fn empty_dimensions() {
        // An empty inner dimension leaves layouts that address nothing, so offsets and strides
        // that would be out of bounds are allowed, and the output is all zeros.
        let no_cols = MatrixLayout {
            strides: [9, 9, 9],
            offset: 100,
            ..contiguous(2, 3, 0)
        };
        let no_rows = MatrixLayout {
            offset: -5,
            ..contiguous(2, 0, 4)
        };
        check_all(no_cols, 0, no_rows, 0);
        check_all(contiguous(2, 0, 3), 0, contiguous(2, 3, 4), 24);
        check_all(contiguous(2, 3, 3), 18, contiguous(2, 3, 0), 0);
        check_all(contiguous(0, 3, 3), 0, contiguous(0, 3, 4), 0);
        let mut out = [f32::NAN; 6];
        matmul(
            &[],
            &contiguous(1, 2, 0),
            &[],
            &contiguous(1, 0, 3),
            &mut out,
            None,
        );
        assert_eq!(out, [0.0; 6]);
    }

    #[test]
    fn integer_overflow_wraps() {
        let mut out = [0i32; 1];
        matmul(
            &[i32::MAX, 3],
            &contiguous(1, 1, 2),
            &[2, 1],
            &contiguous(1, 2, 1),
            &mut out,
            None,
        );
        // i32::MAX * 2 wraps to -2, and adding 3 gives 1.
        assert_eq!(out, [1]);
        let mut out = [0i64; 1];
        matmul(
            &[i64::MIN],
            &contiguous(1, 1, 1),
            &[-1],
            &contiguous(1, 1, 1),
            &mut out,
            None,
        );
        assert_eq!(out, [i64::MIN]);
        let mut out = [0u8; 1];
        matmul(
            &[200, 100],
            &contiguous(1, 1, 2),
            &[2, 1],
            &contiguous(1, 2, 1),
            &mut out,
            None,
        );
        // 400 + 100 = 500, which is 244 modulo 256.
        assert_eq!(out, [244]);
    }

    #[test]
    fn bool_is_or_of_ands() {
        let mut out = [false; 4];
        let a = [true, false, false, false];
        let b = [true, true, false, true];
        matmul(
            &a,
            &contiguous(1, 2, 2),
            &b,
            &contiguous(1, 2, 2),
            &mut out,
            None,
        );
        assert_eq!(out, [true, true, false, false]);
    }

    /// Runs a product that must be refused and returns its panic message.
    fn panic_message(
        a_layout: MatrixLayout,
        a_len: usize,
        b_layout: MatrixLayout,
        b_len: usize,
        out_len: usize,
    ) -> String {
        let (a, b, mut out) = (
            vec![1.0f32; a_len],
            vec![1.0f32; b_len],
            vec![0.0f32; out_len],
        );
        let res = catch_unwind(AssertUnwindSafe(|| {
            matmul(&a, &a_layout, &b, &b_layout, &mut out, None)
        }));
        let Err(payload) = res else {
            panic!(
                "matmul accepted a: {a_layout:?} ({a_len}), b: {b_layout:?} ({b_len}), out {out_len}"
            );
        };
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|text| text.to_string()))
            .unwrap_or_default();
        assert!(
            message.starts_with("internal error:"),
            "unexpected panic: {message}"
        );
        message
    }

    #[test]
    fn bad_layouts_panic() {
        let message = panic_message(contiguous(1, 2, 3), 6, contiguous(1, 4, 2), 8, 4);
        assert!(message.contains("inner dimensions"), "{message}");
        let message = panic_message(contiguous(2, 2, 3), 12, contiguous(3, 3, 2), 18, 8);
        assert!(message.contains("batch counts"), "{message}");
        let message = panic_message(contiguous(1, 2, 3), 6, contiguous(1, 3, 2), 6, 5);
        assert!(message.contains("output"), "{message}");
    }

    #[test]
    fn out_of_bounds_layouts_panic() {
        let b = contiguous(1, 3, 2);
        // One past the end: the offset moves the last element to index len.
        let past_end = MatrixLayout {
            offset: 1,
            ..contiguous(1, 2, 3)
        };
        assert!(panic_message(past_end, 6, b, 6, 4).contains("operand a"));
        assert!(
            panic_message(contiguous(1, 2, 3), 6, past_end.transpose(), 6, 4).contains("operand b")
        );
        // A flipped view whose offset is one short, so its last element sits at index -1.
        let before_start = MatrixLayout {
            offset: 4,
            ..flipped(contiguous(1, 2, 3))
        };
        assert!(panic_message(before_start, 6, b, 6, 4).contains("operand a"));
        // A negative offset whose positive strides never bring the view back inside the slice.
        let negative_offset = MatrixLayout {
            offset: -1,
            ..contiguous(1, 2, 3)
        };
        assert!(panic_message(negative_offset, 6, b, 6, 4).contains("operand a"));
        // A batch stride that steps past the end only in the second batch entry.
        let long_batch = MatrixLayout {
            strides: [7, 3, 1],
            ..contiguous(2, 2, 3)
        };
        let message = panic_message(long_batch, 12, contiguous(2, 3, 2), 12, 8);
        assert!(message.contains("operand a"), "{message}");
        // Strides so large that a wrapping sum would land back inside the slice.
        let huge = MatrixLayout {
            strides: [0, isize::MAX, isize::MAX],
            offset: 2,
            ..contiguous(1, 3, 3)
        };
        let message = panic_message(huge, 9, contiguous(1, 3, 1), 3, 3);
        assert!(message.contains("operand a"), "{message}");
        let huge_negative = MatrixLayout {
            strides: [isize::MIN, 1, 1],
            ..contiguous(2, 1, 3)
        };
        let message = panic_message(huge_negative, 9, contiguous(2, 3, 1), 6, 2);
        assert!(message.contains("operand a"), "{message}");
    }

    impl MatrixLayout {
        /// Returns the layout of the same matrices read as 3x2 from a layout stored as 2x3, by
        /// swapping the row and column axes.
        fn transpose(self) -> Self {
            let [batch_stride, row_stride, col_stride] = self.strides;
            MatrixLayout {
                rows: self.cols,
                cols: self.rows,
                strides: [batch_stride, col_stride, row_stride],
                ..self
            }
        }
    }
}
