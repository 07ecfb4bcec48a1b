//! Reverse-mode autodiff: gradients are more lazy nodes in the same graph.
//!
//! [`Tensor::grad`] walks the nodes on paths from the requested inputs to the output, newest
//! first, and applies one vector-Jacobian rule per primitive ([`vjp`], the one table of rules).
//! Every rule is written with the same `Tensor` ops users write, so the backward pass fuses with
//! the forward pass when realized together, and gradients of gradients work.
//!
//! Realizing a node normally drops its inputs so memory stays flat; that would make the graph
//! impossible to walk after a user printed the loss. A node whose ancestry holds a leaf marked
//! with [`Tensor::requires_grad`] therefore keeps its inputs when realized ([`Marks`]), and the
//! graph goes away with the last handle to it. `no_grad` and `detach` cut the walk.
//!
//! Known gaps: a few functions compute their result from realized data outside the graph and
//! return a new leaf, so to autodiff they are constants and no gradient flows through them:
//! the matrix 2-norm (`linalg::norm_with(x, Ord::P(2.0) or P(-2.0), ..)` on matrices, which
//! uses singular values) and `as_strided`.

use crate::Tensor;
use crate::tensor::unwrap_at_caller;
use lazygrad_ir::{DType, Error, Movement, Op, ReduceOp, Result, ScatterMode, SliceAxis};
use smallvec::SmallVec;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Autodiff's marks on a node, fixed when the node is built.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// The node is float and a leaf marked with `requires_grad` is among its ancestors (or it is
    /// that leaf), outside any `no_grad` scope: realizing it keeps its inputs.
    pub(crate) requires_grad: bool,
    /// The walk stops here: the node was built by `detach` or inside `no_grad`.
    pub(crate) detached: bool,
    /// The node was built while autodiff was building gradients, so dumps can tell the
    /// backward pass from the forward pass.
    pub(crate) gradient: bool,
    /// The gradient `backward` stored on a leaf (realized and detached, so it holds no graph).
    stored: Mutex<Option<Tensor>>,
}

impl Marks {
    /// The marks of a node of `dtype` built from `inputs` at the current grad mode.
    pub(crate) fn derived(inputs: &[Tensor], dtype: DType) -> Marks {
        let enabled = is_grad_enabled();
        Marks {
            requires_grad: enabled
                && dtype.is_float()
                && inputs.iter().any(|input| input.0.marks.requires_grad),
            detached: !enabled,
            gradient: BUILDING_GRADIENTS.with(Cell::get),
            stored: Mutex::new(None),
        }
    }

    fn with(requires_grad: bool, detached: bool) -> Marks {
        Marks {
            requires_grad,
            detached,
            gradient: false,
            stored: Mutex::new(None),
        }
    }

    fn stored(&self) -> std::sync::MutexGuard<'_, Option<Tensor>> {
        // The slot only ever holds a complete value, so a poisoned lock is still usable.
        self.stored
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

thread_local! {
    static NO_GRAD_DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Set while `grad` or `vjp` builds gradient nodes; only dumps read the mark it leaves.
    static BUILDING_GRADIENTS: Cell<bool> = const { Cell::new(false) };
}

/// Runs `body` with the nodes it builds marked as gradient nodes (restored even on a panic).
fn building_gradients<R>(body: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            BUILDING_GRADIENTS.with(|flag| flag.set(self.0));
        }
    }
    let _restore = Restore(BUILDING_GRADIENTS.with(|flag| flag.replace(true)));
    body()
}

/// Runs `body` with gradient tracking off on this thread (PyTorch's `torch.no_grad()`).
///
/// Nodes built inside neither require grad nor let a gradient through: to autodiff they are
/// constants, as if [`Tensor::detach`]ed. Optimizers build their parameter updates this way.
///
/// ```
/// use lazygrad::prelude::*;
/// let w = array([1.0, 2.0]).requires_grad();
/// let frozen = lazygrad::no_grad(|| &w * 3.0);
/// assert!(!frozen.tracks_grad());
/// let g = (&frozen * &w).sum().grad(&[&w]);
/// assert_eq!(g[0].to_vec::<f64>(), vec![3.0, 6.0]); // only the direct use of `w` counts
/// # Ok::<(), lazygrad::Error>(())
/// ```
pub fn no_grad<R>(body: impl FnOnce() -> R) -> R {
    /// Restores the depth even if `body` panics.
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            NO_GRAD_DEPTH.with(|depth| depth.set(depth.get() - 1));
        }
    }
    NO_GRAD_DEPTH.with(|depth| depth.set(depth.get() + 1));
    let _restore = Restore;
    body()
}

/// Whether gradient tracking is on for this thread (false inside [`no_grad`]).
pub fn is_grad_enabled() -> bool {
    NO_GRAD_DEPTH.with(Cell::get) == 0
}

impl Tensor {
    /// Gradients of this scalar with respect to `wrt`, as lazy tensors of their shapes and dtypes.
    ///
    /// Nothing is computed until a gradient is realized, so realizing the gradients together
    /// with the output (or with parameter updates built from them) runs one fused plan. An input
    /// the output does not depend on gets zeros. Panics where [`Tensor::try_grad`] errs.
    ///
    /// ```
    /// use lazygrad::prelude::*;
    /// let x = array([1.0, 2.0, 3.0]);
    /// let y = (&x * &x).sum(); // y = sum x^2, dy/dx = 2x
    /// let [dx] = y.grad(&[&x]).try_into().unwrap();
    /// assert_eq!(dx.to_vec::<f64>(), vec![2.0, 4.0, 6.0]);
    /// # Ok::<(), lazygrad::Error>(())
    /// ```
    #[track_caller]
    pub fn grad(&self, wrt: &[&Tensor]) -> Vec<Tensor> {
        unwrap_at_caller(self.try_grad(wrt))
    }

    /// Fallible [`Tensor::grad`]: errs when the output is not a one-element float tensor, when
    /// an input is not float, or when an input cannot be reached because a node in between was
    /// realized without anything in its ancestry requiring grad (so it dropped its graph).
    pub fn try_grad(&self, wrt: &[&Tensor]) -> Result<Vec<Tensor>> {
        check_differentiable(self, "grad")?;
        if self.size() != 1 {
            return Err(Error::Invalid {
                op: "grad",
                message: format!(
                    "the output has shape {}; grad needs a one-element output (sum it first, \
                     or use vjp with a cotangent)",
                    self.shape_tuple()
                ),
            });
        }
        building_gradients(|| {
            let seed = Tensor::full_dtype(self.shape_tuple(), 1.0, self.dtype());
            backprop(self, seed, wrt)
        })
    }

    /// The vector-Jacobian product: gradients of `sum(self * cotangent)` with respect to `wrt`.
    ///
    /// ```
    /// let x = lazygrad::array([1.0, 2.0]);
    /// let y = &x * 3.0;
    /// let vjp = y.vjp(&[&x], &lazygrad::array([1.0, -1.0]));
    /// assert_eq!(vjp[0].to_vec::<f64>(), vec![3.0, -3.0]);
    /// ```
    #[track_caller]
    pub fn vjp(&self, wrt: &[&Tensor], cotangent: &Tensor) -> Vec<Tensor> {
        unwrap_at_caller(self.try_vjp(wrt, cotangent))
    }

    /// Fallible [`Tensor::vjp`]; the cotangent must have the output's shape.
    pub fn try_vjp(&self, wrt: &[&Tensor], cotangent: &Tensor) -> Result<Vec<Tensor>> {
        check_differentiable(self, "vjp")?;
        if cotangent.shape() != self.shape() {
            return Err(Error::Broadcast {
                op: "vjp",
                lhs: self.shape_tuple().clone(),
                rhs: cotangent.shape_tuple().clone(),
            });
        }
        building_gradients(|| backprop(self, cotangent.astype(self.dtype()), wrt))
    }

    /// The same value with no history: gradients do not flow through it (`stop_gradient`).
    ///
    /// A realized tensor becomes a leaf sharing its buffer; a pending one stays lazy.
    ///
    /// ```
    /// let x = lazygrad::array([2.0]);
    /// let y = (&x * &x.detach()).sum(); // the detached factor is a constant
    /// assert_eq!(y.grad(&[&x])[0].to_vec::<f64>(), vec![2.0]);
    /// ```
    #[track_caller]
    pub fn detach(&self) -> Tensor {
        if self.is_realized() {
            let (buffer, view) = unwrap_at_caller(self.buffer());
            return Tensor::leaf(buffer, view, Marks::with(false, true));
        }
        // A reshape to the same shape is a free view; the marks make it a wall for the walk.
        let same = Op::Movement(Movement::Reshape(self.shape_tuple().clone()));
        unwrap_at_caller(Tensor::op_marked(
            same,
            vec![self.clone()],
            Some(Marks::with(false, true)),
        ))
    }

    /// The same value as a leaf that requires grad (PyTorch's `requires_grad_()`).
    ///
    /// Nodes built from it keep their inputs when realized, so gradients can be asked for after
    /// the loss was printed, and [`Tensor::backward`] stores gradients on it. A pending tensor is
    /// computed now, since a leaf holds data. Panics on a non-float tensor.
    ///
    /// ```
    /// use lazygrad::prelude::*;
    /// let w = array([1.0, -2.0]).requires_grad();
    /// let loss = (&w * &w).sum();
    /// println!("loss {}", loss.item::<f64>()); // realizing keeps the graph
    /// loss.backward();
    /// assert_eq!(w.stored_grad().unwrap().to_vec::<f64>(), vec![2.0, -4.0]);
    /// # Ok::<(), lazygrad::Error>(())
    /// ```
    #[track_caller]
    pub fn requires_grad(&self) -> Tensor {
        if !self.dtype().is_float() {
            panic!(
                "requires_grad: only float tensors can require grad, not {}",
                self.dtype()
            );
        }
        let (buffer, view) = unwrap_at_caller(self.buffer());
        Tensor::leaf(buffer, view, Marks::with(true, false))
    }

    /// Whether a leaf marked with [`Tensor::requires_grad`] is among this tensor's ancestors.
    pub fn tracks_grad(&self) -> bool {
        self.0.marks.requires_grad
    }

    /// Computes the gradients of this one-element output with respect to every leaf in its
    /// ancestry marked with [`Tensor::requires_grad`], and stores them on those leaves, adding
    /// to what an earlier `backward` stored (PyTorch's accumulation; see [`Tensor::zero_grad`]).
    ///
    /// The output and the gradients are computed in one plan. Read them with
    /// [`Tensor::stored_grad`]. Panics where [`Tensor::try_backward`] errs.
    #[track_caller]
    pub fn backward(&self) {
        unwrap_at_caller(self.try_backward())
    }

    /// Fallible [`Tensor::backward`]: also errs when no leaf in the graph requires grad.
    pub fn try_backward(&self) -> Result<()> {
        let leaves = marked_leaves(self);
        if leaves.is_empty() {
            return Err(Error::Invalid {
                op: "backward",
                message: "nothing in the graph requires grad; mark the parameters with \
                          requires_grad() before building the output"
                    .into(),
            });
        }
        let refs: Vec<&Tensor> = leaves.iter().collect();
        let grads = self.try_grad(&refs)?;
        let totals: Vec<Tensor> = leaves
            .iter()
            .zip(grads)
            .map(|(leaf, grad)| match leaf.stored_grad() {
                Some(old) => &old + &grad,
                None => grad,
            })
            .collect();
        let mut outputs: Vec<&Tensor> = totals.iter().collect();
        outputs.push(self);
        crate::realize_all(&outputs)?;
        for (leaf, total) in leaves.iter().zip(&totals) {
            // Storing a detached leaf means the slot holds no graph, which could otherwise
            // refer back to the leaf and leak through a cycle of `Arc`s.
            *leaf.0.marks.stored() = Some(total.detach());
        }
        Ok(())
    }

    /// The gradient [`Tensor::backward`] stored on this leaf (PyTorch's `w.grad`), if any.
    pub fn stored_grad(&self) -> Option<Tensor> {
        self.0.marks.stored().clone()
    }

    /// Forgets the gradient stored on this leaf (PyTorch's `zero_grad(set_to_none=True)`).
    pub fn zero_grad(&self) {
        *self.0.marks.stored() = None;
    }
}

fn check_differentiable(output: &Tensor, op: &'static str) -> Result<()> {
    if output.dtype().is_float() {
        Ok(())
    } else {
        Err(Error::Invalid {
            op,
            message: format!(
                "cannot differentiate a {} output; only float32 and float64 outputs have gradients",
                output.dtype()
            ),
        })
    }
}

/// A node of the output's ancestry with the inputs the walk may follow.
struct Visit {
    tensor: Tensor,
    inputs: Vec<Tensor>,
}

/// The ancestry of `output`, inputs before the nodes that use them, not descending below
/// detached nodes. Also says whether a realized node that dropped its graph was met.
fn ancestry(output: &Tensor) -> (Vec<Visit>, bool) {
    let mut order = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    let mut dropped = false;
    // An explicit stack, so a chain of thousands of ops cannot overflow the thread's stack.
    let mut stack: Vec<(Tensor, Option<Vec<Tensor>>)> = vec![(output.clone(), None)];
    while let Some((tensor, inputs)) = stack.pop() {
        match inputs {
            Some(inputs) => order.push(Visit { tensor, inputs }),
            None => {
                if !seen.insert(tensor.key()) {
                    continue;
                }
                let inputs = if tensor.0.marks.detached {
                    Vec::new()
                } else {
                    tensor.graph_inputs()
                };
                if inputs.is_empty() && !matches!(tensor.0.op, Op::Buffer | Op::Const(_)) {
                    dropped |= !tensor.0.marks.detached;
                }
                let pending: Vec<Tensor> = inputs
                    .iter()
                    .filter(|input| !seen.contains(&input.key()))
                    .cloned()
                    .collect();
                stack.push((tensor, Some(inputs)));
                stack.extend(pending.into_iter().map(|input| (input, None)));
            }
        }
    }
    (order, dropped)
}

/// The leaves marked with `requires_grad` that `output` depends on.
fn marked_leaves(output: &Tensor) -> Vec<Tensor> {
    let (order, _) = ancestry(output);
    order
        .into_iter()
        .filter(|visit| visit.inputs.is_empty() && visit.tensor.0.marks.requires_grad)
        .map(|visit| visit.tensor)
        .collect()
}

/// Pulls `seed` (the cotangent of `output`) back to `wrt`.
fn backprop(output: &Tensor, seed: Tensor, wrt: &[&Tensor]) -> Result<Vec<Tensor>> {
    if let Some(bad) = wrt.iter().find(|t| !t.dtype().is_float()) {
        return Err(Error::Invalid {
            op: "grad",
            message: format!(
                "cannot differentiate with respect to a {} tensor; only float tensors have gradients",
                bad.dtype()
            ),
        });
    }
    let (order, dropped) = ancestry(output);
    let targets: HashSet<usize> = wrt.iter().map(|t| t.key()).collect();
    // A node is on a path from `wrt` to the output when it is a target or uses such a node;
    // only float nodes carry gradients, so bool masks and integer casts end a path.
    let mut on_path: HashSet<usize> = HashSet::new();
    for visit in &order {
        let key = visit.tensor.key();
        if visit.tensor.dtype().is_float()
            && (targets.contains(&key) || visit.inputs.iter().any(|i| on_path.contains(&i.key())))
        {
            on_path.insert(key);
        }
    }
    if dropped && let Some(lost) = wrt.iter().find(|t| !on_path.contains(&t.key())) {
        return Err(Error::Invalid {
            op: "grad",
            message: format!(
                "an input of shape {} cannot be reached: a node between it and the output was \
                 realized (printed or read) and dropped its graph; mark the input with \
                 requires_grad() before building the output, or ask for gradients first",
                lost.shape_tuple()
            ),
        });
    }
    let mut grads: HashMap<usize, Tensor> = HashMap::new();
    if on_path.contains(&output.key()) {
        grads.insert(output.key(), seed);
    }
    for visit in order.iter().rev() {
        let key = visit.tensor.key();
        if visit.inputs.is_empty() || !on_path.contains(&key) {
            continue;
        }
        // A node on a path may still get no gradient when every rule into it gave none.
        let Some(g) = grads.get(&key).cloned() else {
            continue;
        };
        let input_grads = vjp(&visit.tensor.0.op, &g, &visit.inputs, &visit.tensor);
        for (input, grad) in visit.inputs.iter().zip(input_grads) {
            let Some(grad) = grad else { continue };
            if !on_path.contains(&input.key()) {
                continue;
            }
            debug_assert_eq!(
                (grad.shape(), grad.dtype()),
                (input.shape(), input.dtype()),
                "internal error: the {} rule gave a gradient of the wrong shape or dtype",
                visit.tensor.0.op.label()
            );
            // The first gradient of a node is stored as is; later ones are added to it.
            let total = match grads.remove(&input.key()) {
                Some(before) => &before + &grad,
                None => grad,
            };
            grads.insert(input.key(), total);
        }
    }
    Ok(wrt
        .iter()
        .map(|t| {
            grads
                .get(&t.key())
                .cloned()
                .unwrap_or_else(|| crate::zeros_like(t))
        })
        .collect())
}

/// `axes` as the signed axes the public reductions take.
fn signed(axes: &[usize]) -> Vec<isize> {
    axes.iter().map(|&axis| axis as isize).collect()
}

/// The one table of vector-Jacobian rules: given the cotangent `g` of the node `out = op(inputs)`,
/// the cotangent of each input, or `None` where no gradient flows (a zero, or a non-float input).
///
/// The `match` is exhaustive, so a new primitive does not compile until it has a rule here; the
/// rules of the elementwise primitives sit on their rows of the facade's tables in
/// `elementwise.rs` (`unary_vjp`, `binary_vjp`), beside their public names.
/// Rules only use public tensor ops, so they are differentiable in turn.
fn vjp(op: &Op, g: &Tensor, inputs: &[Tensor], out: &Tensor) -> Vec<Option<Tensor>> {
    let Some(x) = inputs.first() else {
        return Vec::new();
    };
    match op {
        Op::Buffer | Op::Const(_) => vec![],
        Op::Unary(op) => vec![crate::elementwise::unary_vjp(*op, g, x, out)],
        Op::Binary(op) => crate::elementwise::binary_vjp(*op, g, x, &inputs[1], out).into(),
        Op::Compare(_) => vec![None, None],
        // The condition gets nothing; each branch gets `g` where it was chosen.
        Op::Where => vec![
            None,
            Some(crate::where_(x, g, 0.0)),
            Some(crate::where_(x, 0.0, g)),
        ],
        // Between floats the gradient casts back; into or out of integers nothing flows.
        Op::Cast(_) if x.dtype().is_float() && out.dtype().is_float() => {
            vec![Some(g.astype(x.dtype()))]
        }
        Op::Cast(_) => vec![None],
        // `out` keeps the reduced axes with extent 1, so `g` broadcasts back over them.
        Op::Reduce(ReduceOp::Sum, _) => vec![Some(g.broadcast_to(x.shape_tuple()))],
        Op::Reduce(ReduceOp::Prod, axes) => vec![Some(prod_vjp(g, x, out, axes))],
        Op::Reduce(ReduceOp::Max | ReduceOp::Min, axes) => {
            // Ties split the gradient equally: each of k equal extremes gets g / k (as PyTorch's
            // amax and tinygrad do), so the sum over the tied inputs is g, and max(x, x, ..) is
            // symmetric in its arguments.
            let mask = x.equal(out).astype(x.dtype());
            let count = mask.sum_axes(signed(axes), true);
            vec![Some(&mask * &(g / &count))]
        }
        Op::ArgReduce(..) => vec![None],
        Op::Scan(ReduceOp::Sum, axis) => vec![Some(reverse_cumsum(g, *axis))],
        Op::Scan(ReduceOp::Prod, axis) => vec![Some(cumprod_vjp(g, x, out, *axis))],
        Op::Scan(op @ (ReduceOp::Max | ReduceOp::Min), axis) => {
            vec![Some(cumextreme_vjp(g, x, out, *axis, *op == ReduceOp::Max))]
        }
        // For out = a @ b (batched, equal batch shapes): da = g @ b^T, db = a^T @ g.
        Op::MatMul => {
            let b = &inputs[1];
            vec![
                Some(g.matmul(&b.swapaxes(-1, -2))),
                Some(x.swapaxes(-1, -2).matmul(g)),
            ]
        }
        Op::Movement(Movement::Reshape(_)) => vec![Some(g.reshape(x.shape_tuple()))],
        Op::Movement(Movement::Permute(perm)) => {
            let mut inverse = vec![0isize; perm.len()];
            for (axis, &from) in perm.iter().enumerate() {
                inverse[from] = axis as isize;
            }
            vec![Some(g.permute(&inverse))]
        }
        Op::Movement(Movement::Expand(to)) => vec![Some(unbroadcast(g, x, to.ndim()))],
        Op::Movement(Movement::Slice(specs)) => vec![Some(slice_vjp(g, x, specs))],
        Op::Contiguous => vec![Some(g.clone())],
        // Padding's gradient is the window it padded around; the fill is a constant.
        Op::Pad(widths, _) => {
            let window = x
                .shape()
                .iter()
                .zip(widths)
                .map(|(&len, &(before, _))| SliceAxis {
                    start: before,
                    len,
                    step: 1,
                })
                .collect();
            vec![Some(window_of(g, window))]
        }
        // Each part gets its own stretch of `g` along the joined axis.
        Op::Concat(axis) => {
            let mut start = 0;
            inputs
                .iter()
                .map(|part| {
                    let len = part.shape()[*axis];
                    let mut window: SmallVec<[SliceAxis; 4]> =
                        g.shape().iter().map(|&dim| SliceAxis::full(dim)).collect();
                    window[*axis] = SliceAxis {
                        start,
                        len,
                        step: 1,
                    };
                    start += len;
                    Some(window_of(g, window))
                })
                .collect()
        }
        // out = x[i1, .., ik]: every gathered element adds its cotangent back where it came
        // from, so repeated indices accumulate (a scatter-add into zeros).
        Op::Gather(k) => {
            let mut args = vec![crate::zeros_like(x)];
            args.extend(inputs[1..=*k].iter().cloned());
            args.push(g.clone());
            let mut res = vec![Some(Tensor::op(Op::Scatter(*k, ScatterMode::Add), args))];
            res.extend(std::iter::repeat_n(None, *k));
            res
        }
        Op::Scatter(k, mode) => scatter_vjp(g, inputs, *k, *mode),
        // Sorting permutes: the inverse permutation (argsort of the argsort) takes `g` back.
        Op::Sort {
            axis,
            indices: false,
        } => {
            let axis = *axis as isize;
            let inverse = x.argsort(axis).argsort(axis);
            vec![Some(g.take_along_axis(&inverse, axis))]
        }
        Op::Sort { indices: true, .. } => vec![None],
    }
    .into_iter()
    .zip(inputs)
    .map(|(grad, input)| grad.filter(|_| input.dtype().is_float()))
    .collect()
}

/// Sums `g` (of the broadcast shape, `ndim` axes) back to the shape of `x`.
fn unbroadcast(g: &Tensor, x: &Tensor, ndim: usize) -> Tensor {
    let lead = ndim - x.ndim();
    let axes: Vec<isize> = (0..ndim)
        .filter(|&axis| axis < lead || (x.shape()[axis - lead] == 1 && g.shape()[axis] != 1))
        .map(|axis| axis as isize)
        .collect();
    if axes.is_empty() {
        return g.reshape(x.shape_tuple());
    }
    g.sum_axes(axes, true).reshape(x.shape_tuple())
}

/// `prod` over `axes`: d/dx_i = the product of the other elements.
///
/// Dividing `out / x_i` fails at zeros, so zeros are counted: with none the quotient is exact;
/// with exactly one, the zero gets the product of the nonzero others and every other element 0;
/// with more, everything is 0.
fn prod_vjp(g: &Tensor, x: &Tensor, out: &Tensor, axes: &[usize]) -> Tensor {
    let zero = x.equal(0.0);
    let x_safe = crate::where_(&zero, 1.0, x);
    let zeros = zero.astype(x.dtype()).sum_axes(signed(axes), true);
    let nonzero_product = x_safe.prod_axes(signed(axes), true);
    let others = crate::where_(
        &zeros.equal(0.0),
        out / &x_safe,
        crate::where_(&zeros.equal(1.0).logical_and(&zero), &nonzero_product, 0.0),
    );
    g * &others
}

/// `r_i = sum_{j >= i} g_j` along `axis`: a cumulative sum of `g` read backwards (flips are
/// free views), which unlike `total - cumsum + g` loses nothing to cancellation.
fn reverse_cumsum(g: &Tensor, axis: usize) -> Tensor {
    let axis = axis as isize;
    g.flip(axis).cumsum_axis(axis).flip(axis)
}

/// `y = cumprod(x)`: dx_k = sum_{i >= k} g_i prod_{j <= i, j != k} x_j.
///
/// Before the first zero along the axis that is `reverse_cumsum(g y)_k / x_k`. At the first
/// zero `z` it is `prod_{j < z} x_j * sum_{i >= z} g_i prod_{z < j <= i} x_j`, and after it 0,
/// since every product then holds the zero. All of it is linear in the axis length.
fn cumprod_vjp(g: &Tensor, x: &Tensor, out: &Tensor, axis: usize) -> Tensor {
    let dtype = x.dtype();
    let signed_axis = axis as isize;
    let zero = x.equal(0.0);
    let zeros_so_far = zero.astype(dtype).cumsum_axis(signed_axis);
    let before = zeros_so_far.equal(0.0);
    let first_zero = zero.logical_and(zeros_so_far.equal(1.0));
    let x_safe = crate::where_(&zero, 1.0, x);
    let plain = &reverse_cumsum(&(g * out), axis) / &x_safe;
    let head = crate::where_(&before, x, 1.0).prod_axes(signed_axis, true);
    let tail = crate::where_(&before.logical_or(&first_zero), 1.0, x).cumprod_axis(signed_axis);
    let after_zero = crate::where_(&before, 0.0, &(g * &tail)).sum_axes(signed_axis, true);
    crate::where_(
        &before,
        &plain,
        crate::where_(&first_zero, &(&head * &after_zero), 0.0),
    )
}

/// `y = cummax(x)` (or cummin) along `axis`: `y_i` is the first element reaching the running
/// extreme, so element `k` gets `g_i` for every `i >= k` it holds: k must beat everything
/// before it strictly, and `y_i == x_k`. Built with an n x n comparison over the axis; neither
/// scan has a public constructor yet, so this quadratic form only matters once one does.
fn cumextreme_vjp(g: &Tensor, x: &Tensor, out: &Tensor, axis: usize, max: bool) -> Tensor {
    let n = x.shape()[axis];
    let trailing = x.ndim() - axis - 1;
    // Index grids over the pair axes (axis, axis + 1) = (k, i), broadcasting over the rest.
    let grid = |rows: usize, cols: usize| {
        let mut shape = vec![rows as isize, cols as isize];
        shape.extend(std::iter::repeat_n(1, trailing));
        crate::arange(n as i64).reshape(shape)
    };
    let (k, i) = (grid(n, 1), grid(1, n));
    let axis = axis as isize;
    let x_k = x.expand_dims(axis + 1);
    let x_j = x.expand_dims(axis);
    let far = if max {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    };
    let earlier = crate::where_(&i.less(&k), &x_j, far);
    let leads = if max {
        x.greater(earlier.max_axes(axis + 1, false))
    } else {
        x.less(earlier.min_axes(axis + 1, false))
    };
    let held = i
        .greater_equal(&k)
        .logical_and(out.expand_dims(axis).equal(&x_k))
        .astype(x.dtype());
    let collected = (&held * &g.expand_dims(axis)).sum_axes(axis + 1, false);
    crate::where_(&leads, &collected, 0.0)
}

/// `g` read through a window (one [`SliceAxis`] per axis) as a slice primitive.
fn window_of(g: &Tensor, window: SmallVec<[SliceAxis; 4]>) -> Tensor {
    Tensor::op(Op::Movement(Movement::Slice(window)), vec![g.clone()])
}

/// A basic slice took `len` elements `step` apart from `start` on each axis; its gradient puts
/// `g` back there with zeros around. Axis by axis: a negative step is a flip followed by a
/// positive one; a step `s > 1` spreads the elements `s` apart (as `(len, 1)`, padded to
/// `(len, s)`, flattened and cut after the last element); then zeros pad the rest of the axis.
fn slice_vjp(g: &Tensor, x: &Tensor, specs: &[SliceAxis]) -> Tensor {
    if g.size() == 0 {
        return crate::zeros_like(x);
    }
    let mut res = g.clone();
    for (axis, (spec, &dim)) in specs.iter().zip(x.shape()).enumerate() {
        if *spec == SliceAxis::full(dim) {
            continue;
        }
        let len = spec.len;
        let last = spec.start as isize + (len as isize - 1) * spec.step;
        let (first, step) = if spec.step < 0 {
            res = res.flip(axis as isize);
            (last as usize, spec.step.unsigned_abs())
        } else {
            (spec.start, spec.step as usize)
        };
        if step > 1 {
            let mut split: Vec<usize> = res.shape().to_vec();
            split.insert(axis + 1, 1);
            let mut widths = vec![(0, 0); split.len()];
            widths[axis + 1] = (0, step - 1);
            let mut merged: Vec<usize> = res.shape().to_vec();
            merged[axis] = len * step;
            let spread = res
                .reshape(&split[..])
                .pad(&widths, 0.0)
                .reshape(&merged[..]);
            let mut window: SmallVec<[SliceAxis; 4]> =
                merged.iter().map(|&d| SliceAxis::full(d)).collect();
            window[axis].len = (len - 1) * step + 1;
            res = window_of(&spread, window);
        }
        let span = (len - 1) * step + 1;
        let mut widths = vec![(0, 0); res.ndim()];
        widths[axis] = (first, dim - first - span);
        res = res.pad(&widths, 0.0);
    }
    res
}

/// `out = x` with `x[i1, .., ik] = v` (`Set`: the last write to an index wins) or `+= v` (`Add`).
///
/// With `Add`, `x` passes `g` through and `v` gathers it. With `Set`, written positions of `x`
/// get 0, and of several values written to one position only the one that stayed (the last)
/// gets its cotangent: each value's position in the index arrays is scattered the same way,
/// and a value won when gathering the winners back finds its own position.
fn scatter_vjp(g: &Tensor, inputs: &[Tensor], k: usize, mode: ScatterMode) -> Vec<Option<Tensor>> {
    let indices = &inputs[1..=k];
    let values = &inputs[k + 1];
    let gather = |from: &Tensor| {
        let mut args = vec![from.clone()];
        args.extend(indices.iter().cloned());
        Tensor::op(Op::Gather(k), args)
    };
    let scatter = |into: Tensor, what: Tensor| {
        let mut args = vec![into];
        args.extend(indices.iter().cloned());
        args.push(what);
        Tensor::op(Op::Scatter(k, ScatterMode::Set), args)
    };
    let (dx, dv) = match mode {
        ScatterMode::Add => (g.clone(), gather(g)),
        ScatterMode::Set => {
            let index_shape = indices[0].shape_tuple().clone();
            let position = crate::arange(index_shape.size() as i64).reshape(&index_shape);
            let slots = Tensor::full_dtype(&g.shape()[..k], -1, DType::I64);
            let won = gather(&scatter(slots, position.clone())).equal(&position);
            let mut trailing = index_shape.to_vec();
            trailing.extend(std::iter::repeat_n(1, values.ndim() - index_shape.ndim()));
            let won = won.reshape(&trailing[..]);
            let dx = scatter(g.clone(), crate::zeros_like(values));
            (dx, crate::where_(&won, gather(g), 0.0))
        }
    };
    let mut res = vec![Some(dx)];
    res.extend(std::iter::repeat_n(None, k));
    res.push(Some(dv));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The central-difference slope of `f` at `x` along `u`, against `<u, grad f(x)>`.
    fn directional(f: impl Fn(&Tensor) -> Tensor, x: &[f64], u: &[f64]) -> (f64, f64) {
        let at = |shift: f64| {
            let moved: Vec<f64> = x.iter().zip(u).map(|(x, u)| x + shift * u).collect();
            f(&Tensor::from_vec(moved, [x.len()])).item::<f64>()
        };
        let eps = 1e-6;
        let numeric = (at(eps) - at(-eps)) / (2.0 * eps);
        let point = Tensor::from_vec(x.to_vec(), [x.len()]);
        let grad = f(&point).grad(&[&point]).remove(0).to_vec::<f64>();
        (grad.iter().zip(u).map(|(g, u)| g * u).sum(), numeric)
    }

    #[test]
    fn primitives_without_a_public_constructor_have_checked_rules() {
        // cummax and cummin (each holding a running extreme over several positions) and
        // contiguous copies, weighted so every output position matters. Values are distinct:
        // a tie of the running extreme is a kink that finite differences cannot measure.
        let x = [0.3, -0.2, 0.9, 0.1, 0.6, 1.4];
        let u = [0.7, -0.1, 0.4, 0.2, -0.5, 0.3];
        let weights = crate::array([1.0, 2.0, -1.0, 0.5, 3.0, -2.0]);
        for op in [
            Op::Scan(ReduceOp::Max, 0),
            Op::Scan(ReduceOp::Min, 0),
            Op::Contiguous,
        ] {
            let f = |t: &Tensor| (&Tensor::op(op.clone(), vec![t.clone()]) * &weights).sum();
            let (exact, numeric) = directional(f, &x, &u);
            assert!(
                (exact - numeric).abs() < 1e-8,
                "{}: {exact} vs {numeric}",
                op.label()
            );
        }
    }

    #[test]
    fn realized_nodes_keep_inputs_only_when_tracking_grad() {
        let plain = crate::array([1.0, 2.0]);
        let y = (&plain * 2.0).sum();
        y.realize();
        assert!(y.graph_inputs().is_empty());
        let tracked = plain.requires_grad();
        let y = (&tracked * 2.0).sum();
        y.realize();
        assert_eq!(y.graph_inputs().len(), 1);
    }
}
