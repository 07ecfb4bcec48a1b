//! Scheduling: turns the graph into a plan of kernels, fusing elementwise work.
//!
//! Nodes are visited in topological order and each gets a [`Value`]: a slot read through a view,
//! a broadcast constant, or (with fusion on) a pending elementwise expression not yet written
//! anywhere. Movement ops rewrite views and never make kernels, except a reshape the strides
//! cannot express, which copies. A pending expression is emitted as a kernel only when something
//! needs it in memory: a requested output, a second consumer, or an op that reads buffers
//! (matmul, scans). An expression feeding a reduction becomes the reduction's input program,
//! so `(a * b + c).sum()` is one kernel.

use crate::graph::{Graph, NodeId};
use crate::simplify::simplify;
use lazygrad_ir::{
    DType, Epilogue, Instr, Kernel, KernelKind, Movement, Op, Operand, Plan, Program, Reg, Shape,
    SliceAxis, SlotId, Value as Scalar, View,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Switches that change how a graph compiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompileOptions {
    /// Fuse elementwise chains and reduction inputs; off runs every node as its own kernel.
    pub fusion: bool,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions { fusion: true }
    }
}

/// What a node's value is while scheduling.
#[derive(Clone, Debug)]
enum Value {
    /// Stored in a slot, read through a view.
    Stored(Operand),
    /// A constant broadcast over `shape`.
    Const(Scalar, Shape),
    /// Not computed yet: an elementwise program whose last instruction is the value.
    Pending(Program),
}

/// Compiles the graph into a plan that computes `outputs`.
pub fn compile(graph: &Graph, outputs: &[NodeId], options: CompileOptions) -> Plan {
    let mut scheduler = Scheduler {
        graph,
        options,
        kernels: Vec::new(),
        n_slots: graph.n_inputs(),
        values: HashMap::default(),
        recomputed: HashSet::default(),
    };
    for id in graph.topo_order() {
        let value = scheduler.visit(id, outputs);
        scheduler.values.insert(id, value);
    }
    let outputs: Vec<Operand> = outputs
        .iter()
        .map(|&id| {
            let value = scheduler.values[&id].clone();
            scheduler.materialize(value, graph.node(id).dtype)
        })
        .collect();
    let mut kernels = scheduler.kernels;
    if options.fusion {
        fuse_epilogues(&mut kernels, &outputs);
    }
    Plan {
        kernels,
        n_slots: scheduler.n_slots,
        inputs: (0..graph.n_inputs()).collect(),
        outputs,
    }
}

struct Scheduler<'a> {
    graph: &'a Graph,
    options: CompileOptions,
    kernels: Vec<Kernel>,
    n_slots: usize,
    values: HashMap<NodeId, Value>,
    /// Pending values with several consumers that each consumer recomputes (`is_cheap`).
    recomputed: HashSet<NodeId>,
}

/// The most buffers one fused kernel reads.
pub const MAX_OPERANDS: usize = 16;

/// How many buffer operands a value brings into a fused program.
fn operand_count(value: &Value) -> usize {
    match value {
        Value::Stored(_) => 1,
        Value::Const(..) => 0,
        Value::Pending(program) => program.operands.len(),
    }
}

/// Whether a pending expression is cheap enough to recompute in each of its consumers rather
/// than write to memory once and read back: at most two loads and three instructions, none of
/// them a transcendental or a division. Recomputing it costs a few operations per element;
/// writing and rereading it costs two passes over memory.
fn is_cheap(program: &Program) -> bool {
    use lazygrad_ir::{BinaryOp as B, UnaryOp as U};
    program.operands.len() <= 2
        && program.instrs.len() <= 3
        && program.instrs.iter().all(|(instr, _)| match instr {
            Instr::Load(_) | Instr::Const(_) | Instr::Compare(..) | Instr::Where(..) => true,
            Instr::Cast(..) => true,
            Instr::Unary(op, _) => matches!(op, U::Neg | U::Abs),
            Instr::Binary(op, _, _) => {
                matches!(op, B::Add | B::Sub | B::Mul | B::Maximum | B::Minimum)
            }
        })
}

impl Scheduler<'_> {
    fn visit(&mut self, id: NodeId, outputs: &[NodeId]) -> Value {
        let node = self.graph.node(id);
        let args = self.graph.args(id);
        // A pending expression usually has exactly one consumer, this node, so it is moved
        // rather than copied: a chain of n fused ops then builds its program in O(n), not
        // O(n^2). A cheap one with several consumers is copied into each of them instead
        // (recomputed), unless this node needs it in memory: then it is written once, and the
        // later consumers read that buffer.
        let fuses_inputs = node.op.is_elementwise() || matches!(node.op, Op::Reduce(..));
        let mut arg_values: Vec<Value> = Vec::with_capacity(args.len());
        for (position, arg) in args.iter().enumerate() {
            let value = match args[..position].iter().position(|earlier| earlier == arg) {
                Some(earlier) => arg_values[earlier].clone(),
                None => match self.values.get(arg) {
                    Some(value @ Value::Pending(_)) if self.recomputed.contains(arg) => {
                        if fuses_inputs {
                            value.clone()
                        } else {
                            let stored = self.store(value.clone(), *arg);
                            self.recomputed.remove(arg);
                            self.values.insert(*arg, stored.clone());
                            stored
                        }
                    }
                    Some(Value::Pending(_)) => self.values.remove(arg).expect("just looked up"),
                    Some(value) => value.clone(),
                    None => unreachable!("internal error: argument scheduled after its consumer"),
                },
            };
            arg_values.push(value);
        }
        let value = match &node.op {
            Op::Buffer => {
                // Invariant: `Graph::add_input` is the only way to add a buffer node.
                let (input, view) = node
                    .input
                    .clone()
                    .expect("internal error: buffer node without input");
                Value::Stored(Operand { slot: input, view })
            }
            Op::Const(value) => Value::Const(*value, Shape::scalar()),
            op if op.is_elementwise() => {
                // A kernel reads at most `MAX_OPERANDS` buffers: past that, each extra stream
                // costs more in cache and register pressure than the pass it saves, so the
                // pending arguments are written out and this node starts a new kernel.
                let operands: usize = arg_values.iter().map(operand_count).sum();
                let arg_values = if operands > MAX_OPERANDS {
                    arg_values
                        .into_iter()
                        .zip(&args)
                        .map(|(value, arg)| match value {
                            Value::Pending(_) => self.store(value, *arg),
                            value => value,
                        })
                        .collect()
                } else {
                    arg_values
                };
                Value::Pending(self.elementwise(op, &args, arg_values, &node.shape, node.dtype))
            }
            Op::Movement(movement) => self.movement(arg_values[0].clone(), movement, node.dtype),
            Op::Contiguous => {
                let operand = self.materialize(arg_values[0].clone(), node.dtype);
                self.copy(operand, node.dtype)
            }
            Op::Reduce(op, axes) => {
                let program = self.program_of(arg_values[0].clone(), args[0]);
                let out = self.emit(
                    KernelKind::Reduce {
                        program,
                        op: *op,
                        axes: axes.clone(),
                    },
                    node.shape.clone(),
                    node.dtype,
                    op.label(),
                );
                Value::Stored(out)
            }
            Op::ArgReduce(op, axis) => {
                let input = self.materialize(arg_values[0].clone(), self.graph.node(args[0]).dtype);
                let kind = KernelKind::ArgReduce {
                    input,
                    op: *op,
                    axis: *axis,
                };
                Value::Stored(self.emit(kind, node.shape.clone(), node.dtype, node.op.label()))
            }
            Op::Scan(op, axis) => {
                let input = self.materialize(arg_values[0].clone(), node.dtype);
                let kind = KernelKind::Scan {
                    input,
                    op: *op,
                    axis: *axis,
                };
                Value::Stored(self.emit(kind, node.shape.clone(), node.dtype, node.op.label()))
            }
            Op::MatMul => {
                let lhs = self.materialize(arg_values[0].clone(), node.dtype);
                let rhs = self.materialize(arg_values[1].clone(), node.dtype);
                let kind = KernelKind::MatMul {
                    lhs,
                    rhs,
                    epilogue: None,
                };
                Value::Stored(self.emit(kind, node.shape.clone(), node.dtype, "matmul"))
            }
            Op::Pad(pads, value) => {
                let input = self.materialize(arg_values[0].clone(), node.dtype);
                let interior: Vec<SliceAxis> = pads
                    .iter()
                    .zip(input.view.shape.iter())
                    .map(|(&(before, _), &dim)| SliceAxis {
                        start: before,
                        len: dim,
                        step: 1,
                    })
                    .collect();
                let region = View::contiguous(&node.shape).slice(&interior);
                let kind = KernelKind::Assemble {
                    fill: Some(*value),
                    parts: vec![(input, region)],
                };
                Value::Stored(self.emit(kind, node.shape.clone(), node.dtype, "pad"))
            }
            Op::Concat(axis) => {
                let out = View::contiguous(&node.shape);
                let mut start = 0;
                let mut parts = Vec::new();
                for (value, arg) in arg_values.into_iter().zip(&args) {
                    let input = self.materialize(value, node.dtype);
                    let len = self.graph.node(*arg).shape[*axis];
                    let region: Vec<SliceAxis> = node
                        .shape
                        .iter()
                        .enumerate()
                        .map(|(a, &dim)| {
                            if a == *axis {
                                SliceAxis {
                                    start,
                                    len,
                                    step: 1,
                                }
                            } else {
                                SliceAxis::full(dim)
                            }
                        })
                        .collect();
                    start += len;
                    parts.push((input, out.slice(&region)));
                }
                let kind = KernelKind::Assemble { fill: None, parts };
                Value::Stored(self.emit(kind, node.shape.clone(), node.dtype, "concatenate"))
            }
            Op::Gather(_) | Op::Scatter(..) | Op::Sort { .. } => {
                let mut operands: Vec<Operand> = arg_values
                    .into_iter()
                    .zip(&args)
                    .map(|(value, arg)| self.materialize(value, self.graph.node(*arg).dtype))
                    .collect();
                let kind = match &node.op {
                    Op::Gather(_) => {
                        let input = operands.remove(0);
                        KernelKind::Gather {
                            input,
                            indices: operands,
                        }
                    }
                    Op::Scatter(_, mode) => {
                        let values = operands.pop().expect("scatter has a values operand");
                        let input = operands.remove(0);
                        KernelKind::Scatter {
                            input,
                            indices: operands,
                            values,
                            mode: *mode,
                        }
                    }
                    Op::Sort { axis, indices } => KernelKind::Sort {
                        input: operands.remove(0),
                        axis: *axis,
                        indices: *indices,
                    },
                    _ => unreachable!("matched above"),
                };
                let out = self.emit(kind, node.shape.clone(), node.dtype, node.op.label());
                if let Some(kernel) = self.kernels.last_mut() {
                    kernel.location = node.location.clone();
                }
                Value::Stored(out)
            }
            _ => unreachable!("internal error: unscheduled op {}", node.op.label()),
        };
        // A pending value is written out when it is asked for, when it is needed more than
        // once and too costly to recompute, or always when fusion is off.
        match value {
            Value::Pending(_) if !self.options.fusion || outputs.contains(&id) => {
                Value::Stored(self.materialize(value, node.dtype))
            }
            Value::Pending(expr) if self.graph.n_consumers(id) > 1 => {
                if is_cheap(&expr) {
                    self.recomputed.insert(id);
                    Value::Pending(expr)
                } else {
                    Value::Stored(self.materialize(Value::Pending(expr), node.dtype))
                }
            }
            value => value,
        }
    }

    /// Builds the pending program of an elementwise node over its arguments' values.
    fn elementwise(
        &mut self,
        op: &Op,
        args: &[NodeId],
        values: Vec<Value>,
        shape: &Shape,
        dtype: DType,
    ) -> Program {
        let mut values = values.into_iter();
        let mut regs: Vec<Reg> = Vec::new();
        // The first argument's pending program, if any, becomes the base: appending to an
        // empty program would copy it instruction by instruction to the same registers.
        let (mut program, first) = match values.next() {
            Some(Value::Pending(program)) => {
                regs.push(program.instrs.len() - 1);
                (program, None)
            }
            other => (
                Program {
                    operands: Vec::new(),
                    instrs: Vec::new(),
                    shape: shape.clone(),
                },
                other,
            ),
        };
        program.shape = shape.clone();
        let rest: Vec<(usize, Value)> = first
            .map(|value| (0, value))
            .into_iter()
            .chain(values.enumerate().map(|(i, value)| (i + 1, value)))
            .collect();
        for (position, value) in rest {
            // `x * x` reads its argument once.
            if let Some(earlier) = args[..position]
                .iter()
                .position(|&arg| arg == args[position])
            {
                regs.push(regs[earlier]);
                continue;
            }
            let arg_dtype = self.graph.node(args[position]).dtype;
            regs.push(append(&mut program, value, arg_dtype));
        }
        let instr = match op {
            Op::Unary(op) => Instr::Unary(*op, regs[0]),
            Op::Binary(op) => Instr::Binary(*op, regs[0], regs[1]),
            Op::Compare(op) => Instr::Compare(*op, regs[0], regs[1]),
            Op::Where => Instr::Where(regs[0], regs[1], regs[2]),
            Op::Cast(to) => Instr::Cast(*to, regs[0]),
            _ => unreachable!("internal error: {} is not elementwise", op.label()),
        };
        program.instrs.push((instr, dtype));
        program
    }

    fn movement(&mut self, value: Value, movement: &Movement, dtype: DType) -> Value {
        match value {
            Value::Const(scalar, shape) => Value::Const(scalar, moved_shape(&shape, movement)),
            Value::Stored(operand) => match move_view(&operand.view, movement) {
                Some(view) => Value::Stored(Operand {
                    slot: operand.slot,
                    view,
                }),
                None => {
                    let copied = self.copy(operand, dtype);
                    self.movement(copied, movement, dtype)
                }
            },
            Value::Pending(mut program) => {
                let moved: Option<Vec<View>> = program
                    .operands
                    .iter()
                    .map(|operand| move_view(&operand.view, movement))
                    .collect();
                match moved {
                    Some(views) => {
                        for (operand, view) in program.operands.iter_mut().zip(views) {
                            operand.view = view;
                        }
                        program.shape = moved_shape(&program.shape, movement);
                        Value::Pending(program)
                    }
                    None => {
                        let stored = self.materialize(Value::Pending(program), dtype);
                        self.movement(Value::Stored(stored), movement, dtype)
                    }
                }
            }
        }
    }

    /// The program a reduction runs over its input, with the elementwise ops fused into it.
    fn program_of(&mut self, value: Value, arg: NodeId) -> Program {
        let dtype = self.graph.node(arg).dtype;
        match value {
            Value::Pending(program) => program,
            value => {
                let shape = self.graph.node(arg).shape.clone();
                let mut program = Program {
                    operands: Vec::new(),
                    instrs: Vec::new(),
                    shape,
                };
                append(&mut program, value, dtype);
                program
            }
        }
    }

    /// The value of node `arg`, written to a slot if it is not in one yet.
    fn store(&mut self, value: Value, arg: NodeId) -> Value {
        let dtype = self.graph.node(arg).dtype;
        Value::Stored(self.materialize(value, dtype))
    }

    /// Makes sure a value sits in a slot, emitting the kernel that writes it if needed.
    fn materialize(&mut self, value: Value, dtype: DType) -> Operand {
        match value {
            Value::Stored(operand) => operand,
            Value::Const(scalar, shape) => {
                let program = Program {
                    operands: Vec::new(),
                    instrs: vec![(Instr::Const(scalar), dtype)],
                    shape: shape.clone(),
                };
                self.emit(KernelKind::Elementwise(program), shape, dtype, "fill")
            }
            Value::Pending(program) => {
                let shape = program.shape.clone();
                self.emit(KernelKind::Elementwise(program), shape, dtype, "copy")
            }
        }
    }

    /// Copies a stored operand into a fresh C-ordered slot.
    fn copy(&mut self, operand: Operand, dtype: DType) -> Value {
        let shape = operand.view.shape.clone();
        let program = Program {
            operands: vec![operand],
            instrs: vec![(Instr::Load(0), dtype)],
            shape: shape.clone(),
        };
        Value::Stored(self.emit(KernelKind::Elementwise(program), shape, dtype, "copy"))
    }

    /// Appends a kernel writing a fresh slot, with its program (if any) simplified.
    ///
    /// The kernel's ops, which name it, are the ops its simplified program still runs (ops the
    /// simplifier removed are not listed), then `label`: a reduction's fold, the op of a kernel
    /// without a program, or for a program that runs no op what it does instead (`copy`, `fill`).
    fn emit(
        &mut self,
        kind: KernelKind,
        shape: Shape,
        dtype: DType,
        label: &'static str,
    ) -> Operand {
        let out: SlotId = self.n_slots;
        self.n_slots += 1;
        let view = View::contiguous(&shape);
        let (kind, ops) = match kind {
            KernelKind::Elementwise(program) => {
                let program = simplify(program);
                let mut ops = program.labels();
                if ops.is_empty() {
                    ops.push(label);
                }
                (KernelKind::Elementwise(program), ops)
            }
            KernelKind::Reduce { program, op, axes } => {
                let program = simplify(program);
                let mut ops = program.labels();
                ops.push(label);
                (KernelKind::Reduce { program, op, axes }, ops)
            }
            other => (other, vec![label]),
        };
        self.kernels.push(Kernel {
            kind,
            out,
            shape,
            dtype,
            ops,
            location: None,
        });
        Operand { slot: out, view }
    }
}

/// Moves each elementwise kernel that is the only reader of a matrix product into the product's
/// kernel as its epilogue, so `x @ w + b` or `w - lr * (x.T @ g)` writes one buffer instead of two
/// and the elementwise pass reads the product while it is still in cache.
///
/// The merged kernel runs where the elementwise kernel ran: its other operands may be written by
/// kernels after the product, and nothing in between reads the product, so the move is safe.
/// Only a product of the same shape and dtype read element for element qualifies; a product
/// broadcast, transposed or reduced by its reader stays a kernel of its own.
fn fuse_epilogues(kernels: &mut Vec<Kernel>, outputs: &[Operand]) {
    let mut position = 0;
    while position < kernels.len() {
        let product_slot = kernels[position].out;
        let is_product = matches!(
            kernels[position].kind,
            KernelKind::MatMul { epilogue: None, .. }
        );
        if !is_product || outputs.iter().any(|output| output.slot == product_slot) {
            position += 1;
            continue;
        }
        let readers: Vec<usize> = (position + 1..kernels.len())
            .filter(|&k| reads_slot(&kernels[k], product_slot))
            .collect();
        let [reader] = readers[..] else {
            position += 1;
            continue;
        };
        let contiguous = View::contiguous(&kernels[position].shape);
        let product = match &kernels[reader].kind {
            KernelKind::Elementwise(program)
                if kernels[reader].shape == kernels[position].shape
                    && kernels[reader].dtype == kernels[position].dtype =>
            {
                let reads: Vec<usize> = (0..program.operands.len())
                    .filter(|&n| program.operands[n].slot == product_slot)
                    .collect();
                match reads[..] {
                    [n] if program.operands[n].view == contiguous => Some(n),
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(product) = product else {
            position += 1;
            continue;
        };
        let matmul = kernels.remove(position);
        let reader = reader - 1;
        let KernelKind::Elementwise(mut program) = kernels[reader].kind.clone() else {
            unreachable!("checked above")
        };
        let KernelKind::MatMul { lhs, rhs, .. } = matmul.kind else {
            unreachable!("checked above")
        };
        let elementwise = &mut kernels[reader];
        program.operands[product].slot = elementwise.out;
        let mut ops = matmul.ops;
        ops.extend(elementwise.ops.iter().copied());
        elementwise.ops = ops;
        elementwise.kind = KernelKind::MatMul {
            lhs,
            rhs,
            epilogue: Some(Epilogue { program, product }),
        };
        // The kernel now at `position` has not been looked at yet.
    }
}

/// Whether a kernel reads `slot` through any operand.
fn reads_slot(kernel: &Kernel, slot: SlotId) -> bool {
    kernel.operands().iter().any(|operand| operand.slot == slot)
}

/// Appends a value to a program under construction and returns the register holding it.
fn append(program: &mut Program, value: Value, dtype: DType) -> Reg {
    match value {
        Value::Stored(operand) => {
            // The same buffer read through the same view is loaded once.
            let existing = program.instrs.iter().position(
                |(instr, _)| matches!(instr, Instr::Load(n) if program.operands[*n] == operand),
            );
            if let Some(reg) = existing {
                return reg;
            }
            program.operands.push(operand);
            program
                .instrs
                .push((Instr::Load(program.operands.len() - 1), dtype));
        }
        Value::Const(scalar, _) => program.instrs.push((Instr::Const(scalar), dtype)),
        Value::Pending(pending) => {
            let base_reg = program.instrs.len();
            let base_operand = program.operands.len();
            program.operands.extend(pending.operands);
            for (instr, dtype) in pending.instrs {
                let shifted = match instr {
                    Instr::Load(n) => Instr::Load(n + base_operand),
                    Instr::Const(value) => Instr::Const(value),
                    Instr::Unary(op, a) => Instr::Unary(op, a + base_reg),
                    Instr::Binary(op, a, b) => Instr::Binary(op, a + base_reg, b + base_reg),
                    Instr::Compare(op, a, b) => Instr::Compare(op, a + base_reg, b + base_reg),
                    Instr::Where(c, a, b) => Instr::Where(c + base_reg, a + base_reg, b + base_reg),
                    Instr::Cast(to, a) => Instr::Cast(to, a + base_reg),
                };
                program.instrs.push((shifted, dtype));
            }
        }
    }
    program.instrs.len() - 1
}

/// The view after a movement op, or `None` when a reshape needs a copy.
fn move_view(view: &View, movement: &Movement) -> Option<View> {
    match movement {
        Movement::Reshape(shape) => view.reshape(shape),
        Movement::Permute(perm) => Some(view.permute(perm)),
        Movement::Expand(shape) => Some(view.expand(shape)),
        Movement::Slice(axes) => Some(view.slice(axes)),
    }
}

fn moved_shape(shape: &Shape, movement: &Movement) -> Shape {
    match movement {
        Movement::Reshape(to) | Movement::Expand(to) => to.clone(),
        Movement::Permute(perm) => perm.iter().map(|&axis| shape[axis]).collect(),
        Movement::Slice(axes) => axes.iter().map(|spec| spec.len).collect(),
    }
}
