//! AVX-512 kernels for float32 and float64 matrix products.
//!
//! matrixmultiply's AVX-512 kernels compute tiles of one vector of columns: 16x16 in float32
//! and 8x8 in float64, so every 16 or 8 fused multiply-adds wait on as many broadcasts plus a
//! load, which keeps the two load ports busier than the two FMA units. It also packs both
//! operands into freshly allocated buffers on every call. These kernels compute 8 rows by 3
//! vectors (24 accumulators, 11 loads per 24 multiply-adds) and allocate nothing once a thread
//! has run a product of a given size, which made 1024^3 in float64 1.4x and the training step's
//! small products up to 2.8x faster than matrixmultiply on this project's machine (`git log`
//! of this file has the figures). The `gemm` crate enables its AVX-512 kernels only on a
//! nightly compiler.
//!
//! The loop nest follows BLIS, with one change made for the skinny products of a training step:
//! `a` is never packed. A tile of [`MR`] rows of the output reads its rows of `a` in place
//! through their strides, one broadcast element per row and inner index, so a product whose `a`
//! is a large input (64x1000 @ 1000x100, or its transpose in the weight gradient) does not copy
//! it. `b` is taken in blocks of [`KC`](Kernels) inner indices and [`NC`](Kernels) columns. A
//! block of a row-major `b` spanning little memory is read in place, its last vector masked;
//! any other block is packed into 64-byte aligned panels of up to [`NV`] vectors, padded with
//! zeros, so the tile loads whole vectors of `b` with unit stride. A tile keeps `MR x NV`
//! accumulators in registers (24 of the 32), so each inner step makes `NV` loads and `MR`
//! broadcasts for 24 fused multiply-adds.
//!
//! Every output element is the sum over the inner dimension in the same order whatever the
//! tile, block or thread it falls in: within a block of `KC` inner indices one fused multiply-add
//! chain from zero, and the blocks added to the output in order. So results do not depend on how
//! `gemm.rs` splits the product between threads.

use super::Operand;

pub(super) use float32::{product as product_f32, product_rows_parallel as rows_parallel_f32};
pub(super) use float64::{product as product_f64, product_rows_parallel as rows_parallel_f64};

/// Rows of the output one tile computes.
const MR: usize = 8;

/// Vectors of output columns one full tile computes.
const NV: usize = 3;

/// Returns whether this CPU runs the AVX-512 kernels; the answer is cached by the standard
/// library, so checking it per product is a load and a branch.
pub(super) fn available() -> bool {
    is_x86_feature_detected!("avx512f")
}

/// Largest span in bytes of the rows of a block of `b` that is read in place rather than packed.
const IN_PLACE_MAX_SPAN: usize = 512 << 10;

/// Block sizes and vector width of one element type.
struct Kernels {
    /// Elements per 512-bit register.
    lanes: usize,
    /// Inner indices per block: the `MR x KC` elements of `a` a tile row reads (16 KiB, or the
    /// 32 KiB of cache lines they touch when `a` is transposed) stay in the 48 KiB L1 cache while
    /// every panel of `b` passes by.
    kc: usize,
    /// Columns per block: the packed `KC x NC` block of `b` (1 MiB) stays in the 2 MiB L2 cache
    /// while every tile row of `a` uses it.
    nc: usize,
}

/// Defines the product for one float type: packing of `b`, the block loop and the tile kernel.
macro_rules! avx512_product {
    (
        $(#[$doc:meta])*
        $module:ident, $elem:ty, $kernels:expr, $mask:ty,
        $setzero:ident, $set1:ident, $fmadd:ident, $add:ident,
        $maskz_loadu:ident, $mask_storeu:ident $(,)?
    ) => {
        mod $module {
            use super::{
                Kernels, MR, NV, Operand, Panels, available, b_block, cut_panels,
            };
            use crate::gemm::Epilogue;
            use ndarray::ArrayViewMut2;
            use std::arch::x86_64::*;
            use std::cell::RefCell;

            /// This type's block sizes and vector width.
            const KERNELS: Kernels = $kernels;

            thread_local! {
                /// The packed block of `b`, kept per thread so a product allocates nothing once the
                /// thread has run one of its size. For [`product_rows_parallel`] it also keeps the
                /// block's tag (the product's number and the block's first column and inner
                /// index), its panels and where they start; [`product`] clears the tag, since
                /// it packs into the same vector.
                static PACK: RefCell<(Option<(u64, usize, usize)>, Panels, usize, Vec<$elem>)> =
                    const { RefCell::new((None, Panels::Packed, 0, Vec::new())) };
            }

            /// Overwrites the row-major `out` with `a @ b` on all of rayon's threads: each block
            /// of `b` in turn, its rows of the output cut into `chunk_rows`-row chunks that
            /// rayon hands out. A thread packs a block of `b` once, when it takes its first
            /// chunk of that block, so each thread reads `b` once in all; cutting the product
            /// into row blocks that each run every block of `b` made every block read `b` again
            /// (32 MiB at 1024^3 in float64 on four blocks), beside 16 MiB of `a`, and this
            /// VM's cores read beyond their L2 cache at about 14 GB/s each. Each block of `b`
            /// finishes on every row before the next starts, so every output element still
            /// adds its blocks in order, and the result is the same bits as [`product`].
            pub(in crate::gemm) fn product_rows_parallel(
                a: Operand<'_, $elem>,
                b: Operand<'_, $elem>,
                out: &mut [$elem],
                chunk_rows: usize,
                finish: &Epilogue<'_, $elem>,
            ) {
                use rayon::prelude::*;
                use std::sync::atomic::{AtomicU64, Ordering};
                /// Numbers products, so a thread never mistakes an old packed block for one of
                /// the product it runs.
                static PRODUCTS: AtomicU64 = AtomicU64::new(0);
                let (inner_len, n) = (a.cols, b.cols);
                crate::gemm::product_dims(&a, &b, &crate::gemm::row_major(out, n));
                assert!(
                    available(),
                    "internal error: AVX-512 product called on a CPU without AVX-512F"
                );
                let product = PRODUCTS.fetch_add(1, Ordering::Relaxed);
                let chunk_len = chunk_rows.max(1) * n;
                for first_col in (0..n).step_by(KERNELS.nc) {
                    let cols = KERNELS.nc.min(n - first_col);
                    for first_inner in (0..inner_len).step_by(KERNELS.kc) {
                        let depth = KERNELS.kc.min(inner_len - first_inner);
                        let tag = Some((product, first_col, first_inner));
                        out.par_chunks_mut(chunk_len).enumerate().for_each(|(chunk, out_rows)| {
                            let first_row = chunk * chunk_len / n;
                            let a_block = a
                                .row_block(first_row, out_rows.len() / n)
                                .col_block(first_inner, depth);
                            PACK.with_borrow_mut(|(packed_tag, panels, offset, pack)| {
                                if *packed_tag != tag {
                                    // Untagged while the panels change, so a packing that
                                    // unwound halfway is never mistaken for a whole one.
                                    *packed_tag = None;
                                    let (data, found) = b_block(
                                        &b, first_inner, depth, first_col, cols, KERNELS.lanes, pack,
                                    );
                                    let data_len = data.len();
                                    // Packed panels end where `pack` ends.
                                    *offset = match found {
                                        Panels::InPlace { .. } => 0,
                                        Panels::Packed => pack.len() - data_len,
                                    };
                                    (*panels, *packed_tag) = (found, tag);
                                }
                                let b_data = match panels {
                                    Panels::InPlace { .. } => b.data,
                                    Panels::Packed => &pack[*offset..],
                                };
                                // SAFETY: as in `product`: `b_block` described this block of
                                // this `b` by `panels` (the tag names this product and block,
                                // and the packed panels have not been touched since), and
                                // `out_rows` is this chunk's rows of the output, `cols` columns
                                // from `first_col` of each row in bounds, borrowed exclusively.
                                unsafe {
                                    block(
                                        &a_block,
                                        b_data,
                                        *panels,
                                        cols,
                                        out_rows.as_mut_ptr().add(first_col),
                                        n,
                                        first_inner > 0,
                                    );
                                }
                            });
                            if first_col + cols == n && first_inner + depth == inner_len {
                                // The chunk's rows are whole after the last block of `b`.
                                finish(first_row * n, out_rows);
                            }
                        });
                    }
                }
            }

            $(#[$doc])*
            pub(in crate::gemm) fn product(
                a: Operand<'_, $elem>,
                b: Operand<'_, $elem>,
                mut out: ArrayViewMut2<'_, $elem>,
            ) {
                let (_, inner_len, n) = crate::gemm::product_dims(&a, &b, &out);
                let out_stride = out.strides()[0];
                assert!(
                    available() && out.strides()[1] == 1 && out_stride >= 0,
                    "internal error: AVX-512 product into {:?} strides or on a CPU without \
                     AVX-512F",
                    out.strides()
                );
                let (out_ptr, out_stride) = (out.as_mut_ptr(), out_stride as usize);
                PACK.with_borrow_mut(|(packed_tag, _, _, pack)| {
                    *packed_tag = None;
                    for first_col in (0..n).step_by(KERNELS.nc) {
                        let cols = KERNELS.nc.min(n - first_col);
                        for first_inner in (0..inner_len).step_by(KERNELS.kc) {
                            let depth = KERNELS.kc.min(inner_len - first_inner);
                            let (first, lanes) = (first_inner, KERNELS.lanes);
                            let (b_data, panels) =
                                b_block(&b, first, depth, first_col, cols, lanes, pack);
                            let a_block = a.col_block(first_inner, depth);
                            // SAFETY: AVX-512F is present (asserted above). `a_block` is a
                            // block of an `Operand`, whose every element (i, p) with i < m and
                            // p < depth lies in its slice. `b_block` returned `b`'s block of
                            // `depth` inner indices and `cols` columns as `panels` describes it:
                            // in place (only when `b` has unit column stride), element
                            // (first_inner + p, first_col + j) of `b`, at
                            // `first + p * row_stride + j`, lies in `b.data` for p < depth and
                            // j < cols; packed, `b_data` holds the panels `b_block` just wrote,
                            // cut by `cut_panels` exactly as `block` cuts them.
                            // `product_dims` proved `out` is an m x n view, with unit column
                            // stride and a non-negative row stride (asserted above), so element
                            // (i, first_col + j) at `out_ptr + i * out_stride + first_col + j`
                            // is one of the view's elements for i < m and j < cols, and the
                            // view's exclusive borrow means no other reference sees the writes.
                            unsafe {
                                block(
                                    &a_block,
                                    b_data,
                                    panels,
                                    cols,
                                    out_ptr.add(first_col),
                                    out_stride,
                                    first_inner > 0,
                                );
                            }
                        }
                    }
                });
            }

            /// Runs every tile of one block: all rows of `a` (its columns are the block's inner
            /// indices) times `cols` columns of `b`, read from `b_data` as `panels` says.
            ///
            /// # Safety
            /// AVX-512F must be present; `b_data` and `panels` must address `a.cols` rows and
            /// `cols` columns of `b` as described on [`Panels`]; `out` must point at an output
            /// of `a.rows` rows of row stride `out_stride` with at least `cols` writable
            /// elements per row, not aliased.
            #[target_feature(enable = "avx512f")]
            unsafe fn block(
                a: &Operand<'_, $elem>,
                b_data: &[$elem],
                panels: Panels,
                cols: usize,
                out: *mut $elem,
                out_stride: usize,
                accumulate: bool,
            ) {
                let lanes = KERNELS.lanes;
                let depth = a.cols;
                for first_row in (0..a.rows).step_by(MR) {
                    let rows = MR.min(a.rows - first_row);
                    let a_rows = a.row_block(first_row, rows);
                    let mut packed_offset = 0;
                    for (first_col, panel_cols, vectors) in cut_panels(cols, lanes) {
                        let tail = panel_cols - (vectors - 1) * lanes;
                        let mask = ((1u32 << tail) - 1) as $mask;
                        let (b, b_step) = match panels {
                            Panels::InPlace { first, row_stride } => {
                                (b_data.as_ptr().wrapping_add(first + first_col), row_stride)
                            }
                            Panels::Packed => (
                                b_data.as_ptr().wrapping_add(packed_offset),
                                (vectors * lanes) as isize,
                            ),
                        };
                        packed_offset += vectors * lanes * depth;
                        debug_assert!(
                            matches!(panels, Panels::InPlace { .. })
                                || packed_offset <= b_data.len()
                        );
                        // SAFETY: the caller's contract covers the block; this tile's rows
                        // first_row..first_row + rows and columns first_col..first_col + panel_cols
                        // lie inside it, and `b` steps through `depth` rows of this panel's
                        // columns: in place by `b`'s row stride, or packed by the panel's width,
                        // since `b_block` lays panels out with the same `cut_panels`.
                        unsafe {
                            let out = out.add(first_row * out_stride + first_col);
                            let (a, stride, add) = (&a_rows, out_stride, accumulate);
                            match vectors {
                                1 => tile::<1>(a, b, b_step, out, stride, mask, add),
                                2 => tile::<2>(a, b, b_step, out, stride, mask, add),
                                _ => tile::<NV>(a, b, b_step, out, stride, mask, add),
                            }
                        }
                    }
                }
            }

            /// Computes one tile: up to [`MR`] rows of `a` times `V` vectors of columns of `b`,
            /// written (or added, when `accumulate`) to the output. The last vector of each row of
            /// `b` and of the output is read and written through `mask`.
            ///
            /// # Safety
            /// AVX-512F must be present; `a` must have 1..=MR rows; for each p < a.cols,
            /// `b + p * b_step` must point at `V - 1` readable whole vectors followed by the
            /// lanes of `mask`;
            /// `out` must point at `a.rows` output rows of stride `out_stride`, each with `V - 1`
            /// whole vectors and then the lanes of `mask` writable.
            #[target_feature(enable = "avx512f")]
            unsafe fn tile<const V: usize>(
                a: &Operand<'_, $elem>,
                b: *const $elem,
                b_step: isize,
                out: *mut $elem,
                out_stride: usize,
                mask: $mask,
                accumulate: bool,
            ) {
                let lanes = KERNELS.lanes;
                debug_assert!((1..=MR).contains(&a.rows));
                // Rows past the end of `a` read its last row again, so the loop has no branch;
                // their sums are computed and never stored.
                let mut rows = [a.as_ptr(); MR];
                for (row, ptr) in rows.iter_mut().enumerate() {
                    *ptr = a.as_ptr().wrapping_offset(row.min(a.rows - 1) as isize * a.row_stride);
                }
                if accumulate {
                    // The sums are added to the output after the inner loop. A tile's rows of
                    // the output were last touched a whole block of `b` earlier, so they have
                    // usually left the caches near the core; asked for now, they arrive while
                    // the loop runs instead of stalling its end. A prefetch never faults, and
                    // `wrapping_add` keeps the pointer arithmetic defined.
                    let last = (V - 1) * lanes + mask.count_ones() as usize - 1;
                    for row in 0..a.rows {
                        let row_start = out.wrapping_add(row * out_stride);
                        for vector in 0..V {
                            _mm_prefetch::<_MM_HINT_T0>(row_start.wrapping_add(vector * lanes).cast());
                        }
                        // A row that does not start on a cache line ends in one line more.
                        _mm_prefetch::<_MM_HINT_T0>(row_start.wrapping_add(last).cast());
                    }
                }
                let mut acc = [[$setzero(); V]; MR];
                let mut inner_offset = 0isize;
                let mut b_row = b;
                for _ in 0..a.cols {
                    let mut b_vectors = [$setzero(); V];
                    for (vector, b_vector) in b_vectors.iter_mut().enumerate() {
                        let lane_mask = if vector + 1 == V { mask } else { !0 };
                        // SAFETY: by the caller's contract this vector of the current row of `b`
                        // is readable in the lanes of `lane_mask`, and the masked load reads no
                        // other lane.
                        *b_vector = unsafe { $maskz_loadu(lane_mask, b_row.add(vector * lanes)) };
                    }
                    for (row, acc) in acc.iter_mut().enumerate() {
                        // SAFETY: `rows[row]` points at element (r, 0) of `a` for some
                        // r < a.rows, and `inner_offset` is p * col_stride for an inner index
                        // p < a.cols, so the read is an element of `a` (as `Operand` promises).
                        let a_value = $set1(unsafe { *rows[row].offset(inner_offset) });
                        for (acc, &b_vector) in acc.iter_mut().zip(&b_vectors) {
                            *acc = $fmadd(a_value, b_vector, *acc);
                        }
                    }
                    inner_offset += a.col_stride;
                    b_row = b_row.wrapping_offset(b_step);
                }
                for (row, acc) in acc.iter().enumerate().take(a.rows) {
                    for (vector, &sum) in acc.iter().enumerate() {
                        let lane_mask = if vector + 1 == V { mask } else { !0 };
                        // SAFETY: by the caller's contract, vector `vector` of output row `row`
                        // starts inside the output and every lane of `lane_mask` is writable; the
                        // masked load and store touch no other lane.
                        unsafe {
                            let ptr = out.add(row * out_stride + vector * lanes);
                            let sum = if accumulate {
                                $add(sum, $maskz_loadu(lane_mask, ptr))
                            } else {
                                sum
                            };
                            $mask_storeu(ptr, lane_mask, sum);
                        }
                    }
                }
            }
        }
    };
}

/// Where a block's columns of `b` are read from.
#[derive(Clone, Copy, Debug)]
enum Panels {
    /// Straight from a `b` with unit column stride: the block's row p starts at index
    /// `first + p * row_stride` of `b`'s slice, and its columns follow one after another.
    InPlace {
        /// Index of the block's element (0, 0) in `b`'s slice.
        first: usize,
        /// Element stride between rows of `b`, negative for a flipped `b`.
        row_stride: isize,
    },
    /// From the panels `b_block` packed, which follow one another, each `depth` rows of its
    /// vectors.
    Packed,
}

/// Cuts `cols` columns into the panels of `lanes`-wide vectors that tiles compute, as (first
/// column, columns, vectors): [`NV`] vectors each, except that a last panel of one vector takes
/// one from the panel before it, leaving two panels of two. A one-vector tile makes as many
/// broadcasts as multiply-adds, so it waits on loads: with 16-lane float32 vectors, the
/// 100-column products of the training step spent a fifth of their time in the one-vector tile
/// of their last 4 columns.
fn cut_panels(cols: usize, lanes: usize) -> impl Iterator<Item = (usize, usize, usize)> {
    let total = cols.div_ceil(lanes);
    let split_last = total > NV && total % NV == 1;
    let (mut first_vector, mut remaining) = (0, total);
    std::iter::from_fn(move || {
        if remaining == 0 {
            return None;
        }
        let vectors = if split_last && remaining <= NV + 1 {
            2
        } else {
            remaining.min(NV)
        };
        let first_col = first_vector * lanes;
        let panel_cols = (vectors * lanes).min(cols - first_col);
        first_vector += vectors;
        remaining -= vectors;
        Some((first_col, panel_cols, vectors))
    })
}

/// Returns where a block of `b` (`depth` rows from `first_inner`, `cols` columns from
/// `first_col`) is read from: `b`'s own slice, or `pack` after packing the block into it.
///
/// A row-major `b` whose block spans little memory is read in place: its rows are already runs
/// of whole vectors, and copying them cost a sixth of a 64x1000 @ 1000x100 product. A block
/// spread over many pages (1024^3 spans 2 MiB) ran twice as slow in place as packed, and other
/// layouts need packing to make runs at all. Packed, the block becomes the panels of
/// `lanes`-wide vectors that [`cut_panels`] gives, one after another: each holds, for each
/// inner index in turn, its columns of that row, padded with zeros to its whole vectors.
fn b_block<'d, T: Copy + Default>(
    b: &Operand<'d, T>,
    first_inner: usize,
    depth: usize,
    first_col: usize,
    cols: usize,
    lanes: usize,
    pack: &'d mut Vec<T>,
) -> (&'d [T], Panels) {
    let span = (depth * size_of::<T>()).saturating_mul(b.row_stride.unsigned_abs());
    if b.col_stride == 1 && span <= IN_PLACE_MAX_SPAN {
        let first = b.index(first_inner, first_col);
        let row_stride = b.row_stride;
        return (b.data, Panels::InPlace { first, row_stride });
    }
    // The panels start on a 64-byte boundary, so no vector load of a panel straddles two cache
    // lines; the allocator only promises 16 bytes. Reserving everything first keeps the
    // boundary where it was found.
    let len = cols.next_multiple_of(lanes) * depth;
    pack.clear();
    pack.reserve(len + lanes);
    let pad = pack.as_ptr().align_offset(64).min(lanes);
    pack.resize(pad, T::default());
    for (panel_col, panel_cols, vectors) in cut_panels(cols, lanes) {
        let padded = vectors * lanes;
        let col = first_col + panel_col;
        for inner in first_inner..first_inner + depth {
            if b.col_stride == 1 {
                // A row of a row-major `b` is one contiguous run, copied whole.
                let start = b.index(inner, col);
                pack.extend_from_slice(&b.data[start..start + panel_cols]);
            } else {
                pack.extend((col..col + panel_cols).map(|col| b.data[b.index(inner, col)]));
            }
            pack.resize(pack.len() + padded - panel_cols, T::default());
        }
    }
    (&pack[pad..], Panels::Packed)
}

avx512_product!(
    /// Overwrites `out` (unit column stride, any row stride from 0) with `a @ b` in float32
    /// with 16-lane kernels.
    float32, f32, Kernels { lanes: 16, kc: 512, nc: 512 }, __mmask16,
    _mm512_setzero_ps, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps,
    _mm512_maskz_loadu_ps, _mm512_mask_storeu_ps,
);

avx512_product!(
    /// Overwrites `out` (unit column stride, any row stride from 0) with `a @ b` in float64
    /// with 8-lane kernels.
    float64, f64, Kernels { lanes: 8, kc: 256, nc: 512 }, __mmask8,
    _mm512_setzero_pd, _mm512_set1_pd, _mm512_fmadd_pd, _mm512_add_pd,
    _mm512_maskz_loadu_pd, _mm512_mask_storeu_pd,
);

#[cfg(test)]
mod tests {
    use super::cut_panels;

    #[test]
    fn panels_cover_the_columns_without_one_vector_tails() {
        let cuts = |cols, lanes| cut_panels(cols, lanes).collect::<Vec<_>>();
        // The training step's 100 columns: 7 float32 vectors as 3 + 2 + 2, and 13 float64
        // vectors as 3 + 3 + 3 + 2 + 2.
        assert_eq!(cuts(100, 16), [(0, 48, 3), (48, 32, 2), (80, 20, 2)]);
        assert_eq!(
            cuts(100, 8),
            [
                (0, 24, 3),
                (24, 24, 3),
                (48, 24, 3),
                (72, 16, 2),
                (88, 12, 2)
            ]
        );
        // One vector alone stays one panel; whole panels are left as they are.
        assert_eq!(cuts(4, 16), [(0, 4, 1)]);
        assert_eq!(cuts(96, 16), [(0, 48, 3), (48, 48, 3)]);
        assert_eq!(cuts(20, 16), [(0, 20, 2)]);
        // Four vectors become two panels of two.
        assert_eq!(cuts(50, 16), [(0, 32, 2), (32, 18, 2)]);
    }
}
