//! `Tensor`, the user's handle to a lazy node, and `realize`, which runs the pipeline.

use crate::autodiff::Marks;
use crate::config;
use lazygrad_compiler::{Graph, NodeId, PlanCache, compile, encode_op, encode_shape, encode_view};
use lazygrad_cpu::{Buffer, Storage, execute};
use lazygrad_ir::{DType, Error, Op, Result, Shape, View};
use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard};

/// An n-dimensional array whose value is computed lazily.
///
/// A `Tensor` is a cheap, clonable handle (an `Arc`) to an immutable node of a graph. Operations
/// build new nodes; nothing is computed until [`realize`](Tensor::realize), [`to_vec`](Tensor::to_vec),
/// [`item`](Tensor::item), printing, or [`to_ndarray`](Tensor::to_ndarray) asks for the value.
///
/// ```
/// use lazygrad::prelude::*;
/// let a = array([[1.0, 2.0], [3.0, 4.0]]);
/// let b = (&a * 2.0 + 1.0).sum();
/// assert_eq!(b.item::<f64>(), 24.0);
/// # Ok::<(), lazygrad::Error>(())
/// ```
#[derive(Clone)]
pub struct Tensor(pub(crate) Arc<Node>);

/// One node of the lazy graph: an op over input tensors, or a realized buffer.
pub(crate) struct Node {
    pub(crate) op: Op,
    pub(crate) shape: Shape,
    pub(crate) dtype: DType,
    /// Where the user created the node, for errors that only the data can show.
    pub(crate) location: &'static Location<'static>,
    /// Autodiff's marks: whether the ancestry requires grad, whether the walk stops here.
    pub(crate) marks: Marks,
    state: Mutex<State>,
}

/// A node is pending until realized; realizing drops its inputs so memory stays flat, except
/// for a node whose ancestry requires grad ([`Marks::requires_grad`]), which keeps them so
/// gradients can still be built after its value was read (the third field; empty otherwise).
enum State {
    Pending(Vec<Tensor>),
    Realized(Arc<Buffer>, View, Vec<Tensor>),
}

impl Node {
    fn state(&self) -> MutexGuard<'_, State> {
        // A poisoned lock means a panic happened while realizing; the state itself is still
        // either fully pending or fully realized, so it is safe to keep using.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Drops a node's inputs with an explicit stack, so a chain of a million pending ops frees
/// without a nested drop per node: the default drop of `Vec<Tensor>` would recurse through
/// `Arc::drop_slow` once per link and overflow the thread's stack.
impl Drop for Node {
    fn drop(&mut self) {
        let mut stack = self.take_inputs();
        while let Some(tensor) = stack.pop() {
            // Only the last handle frees a node; its inputs join the stack, so the node itself
            // drops here with none left and this loop stays the only one running.
            if let Some(mut node) = Arc::into_inner(tensor.0) {
                stack.append(&mut node.take_inputs());
            }
        }
    }
}

impl Node {
    /// Moves the inputs out of the node's state (a pending node's, or those a realized node kept).
    fn take_inputs(&mut self) -> Vec<Tensor> {
        let state = self
            .state
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match state {
            State::Pending(inputs) | State::Realized(_, _, inputs) => std::mem::take(inputs),
        }
    }
}

impl Tensor {
    /// A realized tensor over `buffer` read through `view`.
    #[track_caller]
    pub(crate) fn from_buffer(buffer: Arc<Buffer>, view: View) -> Tensor {
        Tensor::leaf(buffer, view, Marks::default())
    }

    /// A realized leaf over `buffer` with autodiff's `marks` (see `requires_grad`, `detach`).
    #[track_caller]
    pub(crate) fn leaf(buffer: Arc<Buffer>, view: View, marks: Marks) -> Tensor {
        // Every shape fits the address space (`Op::infer` checks pending nodes; a leaf's shape
        // comes from data that exists, or was checked by its creator, as `as_strided` does).
        debug_assert!(
            view.shape.check_size("leaf", buffer.dtype()).is_ok(),
            "internal error: a leaf of unchecked shape {}",
            view.shape
        );
        Tensor(Arc::new(Node {
            op: Op::Buffer,
            shape: view.shape.clone(),
            dtype: buffer.dtype(),
            location: Location::caller(),
            marks,
            state: Mutex::new(State::Realized(buffer, view, Vec::new())),
        }))
    }

    /// A realized C-ordered tensor of `shape` holding `data`.
    #[track_caller]
    pub(crate) fn from_data<T: Storage>(data: Vec<T>, shape: Shape) -> Tensor {
        debug_assert_eq!(data.len(), shape.size());
        Tensor::from_buffer(Arc::new(T::wrap(data)), View::contiguous(&shape))
    }

    /// A new node applying a primitive to `inputs`, with its shape and dtype inferred and checked.
    #[track_caller]
    pub(crate) fn try_op(op: Op, inputs: Vec<Tensor>) -> Result<Tensor> {
        Tensor::op_marked(op, inputs, None)
    }

    /// Like [`Tensor::try_op`], with explicit autodiff marks when given (`detach` of a pending
    /// tensor); by default the marks derive from the inputs'.
    #[track_caller]
    pub(crate) fn op_marked(op: Op, inputs: Vec<Tensor>, marks: Option<Marks>) -> Result<Tensor> {
        let shapes: Vec<(&Shape, DType)> = inputs.iter().map(|t| (&t.0.shape, t.0.dtype)).collect();
        let (shape, dtype) = op.infer(&shapes)?;
        let marks = marks.unwrap_or_else(|| Marks::derived(&inputs, dtype));
        Ok(Tensor(Arc::new(Node {
            op,
            shape,
            dtype,
            location: Location::caller(),
            marks,
            state: Mutex::new(State::Pending(inputs)),
        })))
    }

    /// The node's inputs for autodiff: a pending node's, or those a realized node kept because
    /// its ancestry requires grad. Empty for leaves and for realized nodes that dropped theirs.
    pub(crate) fn graph_inputs(&self) -> Vec<Tensor> {
        match &*self.0.state() {
            State::Pending(inputs) | State::Realized(_, _, inputs) => inputs.clone(),
        }
    }

    /// Like [`Tensor::try_op`] for ops whose operands the caller has already checked.
    #[track_caller]
    pub(crate) fn op(op: Op, inputs: Vec<Tensor>) -> Tensor {
        unwrap_at_caller(Tensor::try_op(op, inputs))
    }

    /// The number of dimensions (`a.ndim`).
    pub fn ndim(&self) -> usize {
        self.0.shape.ndim()
    }

    /// The extent of each dimension (`a.shape`).
    ///
    /// ```
    /// let a = lazygrad::zeros([3, 2]);
    /// assert_eq!(a.shape(), &[3, 2]);
    /// ```
    pub fn shape(&self) -> &[usize] {
        &self.0.shape
    }

    /// The shape as a [`Shape`], which prints as a Python tuple.
    pub fn shape_tuple(&self) -> &Shape {
        &self.0.shape
    }

    /// The number of elements (`a.size`).
    pub fn size(&self) -> usize {
        self.0.shape.size()
    }

    /// The element type (`a.dtype`); `a.dtype().name()` is numpy's `a.dtype.name`.
    pub fn dtype(&self) -> DType {
        self.0.dtype
    }

    /// The size of one element in bytes (`a.itemsize`).
    pub fn itemsize(&self) -> usize {
        self.0.dtype.itemsize()
    }

    /// The number of bytes the elements take (`a.nbytes`).
    pub fn nbytes(&self) -> usize {
        self.size() * self.itemsize()
    }

    /// The primitive op that produced the tensor.
    pub fn primitive(&self) -> &Op {
        &self.0.op
    }

    /// Whether the value has been computed.
    pub fn is_realized(&self) -> bool {
        matches!(*self.0.state(), State::Realized(..))
    }

    /// Where the tensor was created in the user's code.
    pub fn location(&self) -> &'static Location<'static> {
        self.0.location
    }

    /// Computes the value now; later reads reuse it.
    ///
    /// Panics with the error's message if the computation fails (see [`Tensor::try_realize`]).
    #[track_caller]
    pub fn realize(&self) -> &Tensor {
        unwrap_at_caller(self.try_realize());
        self
    }

    /// Computes the value now, returning errors only the data can show.
    pub fn try_realize(&self) -> Result<()> {
        realize_all(&[self])
    }

    /// The realized buffer and view, computing them if needed.
    pub(crate) fn buffer(&self) -> Result<(Arc<Buffer>, View)> {
        self.try_realize()?;
        match &*self.0.state() {
            State::Realized(buffer, view, _) => Ok((buffer.clone(), view.clone())),
            State::Pending(_) => Err(Error::internal("realize left a node pending")),
        }
    }

    /// A stable identity for the node while the handle lives.
    pub(crate) fn key(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }
}

/// Computes several tensors in one plan, so work they share runs once.
///
/// ```
/// let a = lazygrad::arange(6).reshape([2, 3]);
/// let (s, m) = (a.sum(), a.max());
/// lazygrad::realize_all(&[&s, &m])?;
/// assert!(s.is_realized() && m.is_realized());
/// # Ok::<(), lazygrad::Error>(())
/// ```
pub fn realize_all(tensors: &[&Tensor]) -> Result<()> {
    let pending: Vec<&Tensor> = tensors
        .iter()
        .copied()
        .filter(|t| !t.is_realized())
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let options = config::compile_options();
    let mut key = vec![options.fusion as u64];
    let walked = walk(&pending, None, &mut key);
    let cached = plan_cache().get(&key);
    let plan = match cached {
        Some(plan) => {
            config::count_cache(true);
            if config::debug_level() >= 3 {
                eprintln!("lazygrad: plan cache hit ({} kernels)", plan.kernels.len());
            }
            plan
        }
        None => {
            config::count_cache(false);
            if config::debug_level() >= 3 {
                let differs = plan_cache().first_difference(&key);
                eprintln!(
                    "lazygrad: plan cache miss (key of {} words; first difference from a cached plan at word {differs:?})",
                    key.len()
                );
            }
            let lowered = lower(&pending);
            debug_assert_eq!(lowered.inputs.len(), walked.inputs.len());
            let plan = Arc::new(compile(&lowered.graph, &lowered.outputs, options));
            crate::viz::dump_compiled(&pending, &plan, &lowered.inputs);
            plan_cache().insert(key, plan.clone());
            plan
        }
    };
    let inputs = walked.inputs;
    if config::debug_level() >= 2 {
        eprint!("{}", crate::viz::plan_text(&plan));
    } else if config::debug_level() >= 1 {
        eprint!("{plan}");
    }
    let buffers = if config::debug_level() >= 4 {
        let (buffers, profile) = lazygrad_cpu::execute_profiled(&plan, &inputs)?;
        for kernel in &profile {
            let secs = kernel.elapsed.as_secs_f64();
            eprintln!(
                "lazygrad: kernel {:>3} {:<32} {:>10.1} us {:>8.2} GB/s{}",
                kernel.kernel,
                kernel.name,
                secs * 1e6,
                kernel.bytes as f64 / secs.max(1e-12) / 1e9,
                if kernel.compiled { "  compiled" } else { "" }
            );
        }
        buffers
    } else {
        execute(&plan, &inputs)?
    };
    store_results(&pending, buffers, &plan);
    Ok(())
}

/// Compiled plans of recent graphs, shared by all threads.
fn plan_cache() -> std::sync::MutexGuard<'static, PlanCache> {
    static CACHE: std::sync::OnceLock<Mutex<PlanCache>> = std::sync::OnceLock::new();
    // The cache only ever holds complete plans, so it stays consistent if a holder panicked.
    CACHE
        .get_or_init(|| Mutex::new(PlanCache::new(256)))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Makes each pending tensor realized with its output buffer from a run of `plan`.
pub(crate) fn store_results(
    pending: &[&Tensor],
    buffers: Vec<Arc<Buffer>>,
    plan: &lazygrad_ir::Plan,
) {
    for ((tensor, buffer), output) in pending.iter().zip(buffers).zip(&plan.outputs) {
        // Replacing the state drops the inputs, so a realized chain frees its history; a node
        // whose ancestry requires grad keeps them for a later `grad` or `backward`.
        let mut state = tensor.0.state();
        let kept = match &mut *state {
            State::Pending(inputs) if tensor.0.marks.requires_grad => std::mem::take(inputs),
            _ => Vec::new(),
        };
        *state = State::Realized(buffer, output.view.clone(), kept);
    }
}

/// The plan `realize_all` would run for `tensors`, compiled but not executed.
///
/// ```
/// let a = lazygrad::array([1.0, 2.0]);
/// let plan = lazygrad::plan_for(&[&(&a * 2.0 + 1.0).sum()]);
/// assert_eq!(plan.kernels.len(), 1);
/// ```
pub fn plan_for(tensors: &[&Tensor]) -> lazygrad_ir::Plan {
    let pending: Vec<&Tensor> = tensors
        .iter()
        .copied()
        .filter(|t| !t.is_realized())
        .collect();
    let lowered = lower(&pending);
    compile(&lowered.graph, &lowered.outputs, config::compile_options())
}

/// The pending sub-DAG of some tensors, lowered into the compiler's graph.
pub(crate) struct Lowered {
    pub(crate) graph: Graph,
    pub(crate) outputs: Vec<NodeId>,
    pub(crate) inputs: Vec<Arc<Buffer>>,
}

/// Lowers the pending sub-DAG of `outputs` into the compiler's graph.
pub(crate) fn lower(outputs: &[&Tensor]) -> Lowered {
    let mut graph = Graph::new();
    let walked = walk(outputs, Some(&mut graph), &mut Vec::new());
    Lowered {
        graph,
        outputs: walked.outputs,
        inputs: walked.inputs,
    }
}

/// What a walk of the pending graph found.
struct Walked {
    inputs: Vec<Arc<Buffer>>,
    outputs: Vec<NodeId>,
}

/// Walks the pending nodes reachable from `outputs` (stopping at realized ones, which become
/// the graph's inputs), arguments first, appending each node's structure to `key` and, when
/// given a graph, adding the node to it. The plan cache keys on the first, compilation needs
/// the second; one walk serves both so their input orders always agree. The walk is iterative
/// so a chain of thousands of ops cannot overflow the stack.
fn walk(outputs: &[&Tensor], mut graph: Option<&mut Graph>, key: &mut Vec<u64>) -> Walked {
    let mut inputs = Vec::new();
    let mut ids: HashMap<usize, u32> = HashMap::default();
    let mut node_ids: Vec<NodeId> = Vec::new();
    let mut stack: Vec<(Tensor, bool)> = outputs.iter().map(|t| ((*t).clone(), false)).collect();
    while let Some((tensor, args_done)) = stack.pop() {
        if ids.contains_key(&tensor.key()) {
            continue;
        }
        let state = tensor.0.state();
        let id = match &*state {
            State::Realized(buffer, view, _) => {
                key.push(u64::MAX);
                key.push(tensor.dtype() as u64);
                encode_view(view, key);
                inputs.push(buffer.clone());
                graph
                    .as_deref_mut()
                    .map(|g| g.add_input(view.clone(), tensor.dtype()))
            }
            State::Pending(args) if args_done => {
                // A cached realize walks the graph only for the key, so the argument ids go
                // straight into it; only a compile collects them for the graph.
                let arg_ids = args.iter().map(|arg| ids[&arg.key()]);
                encode_op(&tensor.0.op, key);
                encode_shape(&tensor.0.shape, key);
                key.push(tensor.dtype() as u64);
                key.push(args.len() as u64);
                key.extend(arg_ids.clone().map(u64::from));
                let data_dependent = matches!(tensor.0.op, Op::Gather(_) | Op::Scatter(..));
                if data_dependent {
                    // Errors name the line that built the op, so plans from two lines differ.
                    key.push(tensor.0.location as *const Location<'static> as usize as u64);
                }
                graph.as_deref_mut().map(|g| {
                    let args: Vec<NodeId> = arg_ids.map(|a| node_ids[a as usize]).collect();
                    let id = g.add_node(
                        tensor.0.op.clone(),
                        tensor.0.shape.clone(),
                        tensor.dtype(),
                        &args,
                    );
                    if data_dependent {
                        g.set_location(id, tensor.0.location.to_string());
                    }
                    id
                })
            }
            State::Pending(args) => {
                // The node goes back below its arguments, so they are walked before it is
                // revisited with `args_done`.
                let at = stack.len();
                stack.extend(
                    args.iter()
                        .filter(|arg| !ids.contains_key(&arg.key()))
                        .map(|arg| (arg.clone(), false)),
                );
                drop(state);
                stack.insert(at, (tensor, true));
                continue;
            }
        };
        drop(state);
        ids.insert(tensor.key(), ids.len() as u32);
        node_ids.push(id.unwrap_or_default());
    }
    let output_ids: Vec<u32> = outputs.iter().map(|t| ids[&t.key()]).collect();
    key.push(u64::MAX - 1);
    key.extend(output_ids.iter().map(|&o| o as u64));
    Walked {
        inputs,
        outputs: output_ids.iter().map(|&o| node_ids[o as usize]).collect(),
    }
}

/// Unwraps a result, panicking with the error's message at the caller's line.
#[track_caller]
pub(crate) fn unwrap_at_caller<T>(result: Result<T>) -> T {
    match result {
        Ok(value) => value,
        Err(err) => panic!("{err}"),
    }
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}:{}", self.op.label(), self.shape, self.dtype)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realizing_drops_the_history() {
        let leaf = crate::array([1.0, 2.0, 3.0]);
        let mut x = leaf.clone();
        for _ in 0..100 {
            x = (&x * 1.0001 + 0.5).sqrt();
        }
        assert_eq!(
            Arc::strong_count(&leaf.0),
            2,
            "the pending chain holds the leaf"
        );
        x.realize();
        // `leaf` and the first link of the chain held it; realizing the tip let the
        // whole chain go once nothing else refers to it.
        assert_eq!(Arc::strong_count(&leaf.0), 1);
        assert!(x.is_realized());
    }
}
