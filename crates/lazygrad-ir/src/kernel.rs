//! Kernels and plans: what the compiler hands the runtime.
//!
//! A [`Plan`] is a list of kernels over numbered buffer slots. Slots hold the graph's input
//! buffers and every materialized intermediate; kernels read them through [`View`]s, so
//! movement ops never appear here. Neither side needs the other: the compiler builds plans from
//! the graph, the runtime executes them over buffers.

use crate::{
    Axes, BinaryOp, CompareOp, DType, Op, ReduceOp, ScatterMode, Shape, UnaryOp, Value, View,
};
use std::fmt;

/// The index of a buffer slot in a plan.
pub type SlotId = usize;

/// A kernel operand: a slot read through a view whose shape is the kernel's iteration shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Operand {
    /// The buffer slot read.
    pub slot: SlotId,
    /// How iteration indices map onto the slot's elements.
    pub view: View,
}

/// A register of a program: the index of the instruction that wrote it.
pub type Reg = usize;

/// One instruction of a fused elementwise program; instruction `i` writes register `i`.
#[derive(Clone, Debug, PartialEq)]
pub enum Instr {
    /// Reads operand `n` of the program.
    Load(usize),
    /// A constant broadcast over the block.
    Const(Value),
    /// An elementwise op of one register.
    Unary(UnaryOp, Reg),
    /// An elementwise op of two registers.
    Binary(BinaryOp, Reg, Reg),
    /// A comparison of two registers.
    Compare(CompareOp, Reg, Reg),
    /// `where(cond, x, y)` of three registers.
    Where(Reg, Reg, Reg),
    /// A dtype conversion of a register.
    Cast(DType, Reg),
}

impl Instr {
    /// The registers the instruction reads.
    pub fn inputs(&self) -> smallvec::SmallVec<[Reg; 3]> {
        match *self {
            Instr::Load(_) | Instr::Const(_) => smallvec::SmallVec::new(),
            Instr::Unary(_, a) | Instr::Cast(_, a) => smallvec::smallvec![a],
            Instr::Binary(_, a, b) | Instr::Compare(_, a, b) => smallvec::smallvec![a, b],
            Instr::Where(c, a, b) => smallvec::smallvec![c, a, b],
        }
    }
}

/// A straight-line register program evaluated over an iteration shape, block by block.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The operands `Load` reads.
    pub operands: Vec<Operand>,
    /// Instructions with the dtype of the register each writes; the last one is the result.
    pub instrs: Vec<(Instr, DType)>,
    /// The shape the program runs over.
    pub shape: Shape,
}

impl Program {
    /// The dtype of the program's result.
    pub fn dtype(&self) -> DType {
        self.instrs
            .last()
            .map(|(_, dtype)| *dtype)
            .unwrap_or(DType::F64)
    }

    /// The labels of the ops the program runs, in order (`multiply`, `add`); loads, constants
    /// and a cast to the dtype its register already has (a copy) run no op and have none.
    pub fn labels(&self) -> Vec<&'static str> {
        self.instrs
            .iter()
            .filter_map(|(instr, _)| {
                let op = match *instr {
                    Instr::Load(_) | Instr::Const(_) => return None,
                    Instr::Cast(to, reg) if self.instrs[reg].1 == to => return None,
                    Instr::Unary(op, _) => Op::Unary(op),
                    Instr::Binary(op, _, _) => Op::Binary(op),
                    Instr::Compare(op, _, _) => Op::Compare(op),
                    Instr::Where(..) => Op::Where,
                    Instr::Cast(to, _) => Op::Cast(to),
                };
                Some(op.label())
            })
            .collect()
    }
}

/// What a kernel computes.
#[derive(Clone, Debug, PartialEq)]
pub enum KernelKind {
    /// The program's result over its shape, written C-ordered.
    Elementwise(Program),
    /// The program's result folded over `axes` (kept with extent 1).
    Reduce {
        /// The elementwise input of the reduction.
        program: Program,
        /// The fold.
        op: ReduceOp,
        /// The reduced axes, sorted.
        axes: Axes,
    },
    /// The int64 index of the first max or min along `axis`.
    ArgReduce {
        /// The input.
        input: Operand,
        /// `Max` or `Min`.
        op: ReduceOp,
        /// The axis searched.
        axis: usize,
    },
    /// An inclusive scan along `axis`.
    Scan {
        /// The input.
        input: Operand,
        /// The fold.
        op: ReduceOp,
        /// The axis scanned.
        axis: usize,
    },
    /// A batched matrix product; operand views are `(..., m, k)` and `(..., k, n)`.
    MatMul {
        /// The left factor.
        lhs: Operand,
        /// The right factor.
        rhs: Operand,
        /// Elementwise work on the product (a bias, an update `w - lr * g`), run on each block
        /// of output rows as soon as it is computed, while the block is still in cache.
        epilogue: Option<Epilogue>,
    },
    /// Copies each part into a region of the output (given as a view of the output buffer),
    /// after filling the output with a constant if there is one (`pad`, `concatenate`).
    Assemble {
        /// The value of elements no part covers.
        fill: Option<Value>,
        /// Each source and the output region it is copied to.
        parts: Vec<(Operand, View)>,
    },
    /// Advanced indexing of the first `indices.len()` axes of `input`.
    Gather {
        /// The array indexed.
        input: Operand,
        /// One int64 index array per indexed axis, all of one shape.
        indices: Vec<Operand>,
    },
    /// `input` with `values` written at `indices` of its first axes.
    Scatter {
        /// The array written into (copied, never modified).
        input: Operand,
        /// One int64 index array per indexed axis, all of one shape.
        indices: Vec<Operand>,
        /// The values, of shape indices + `input.shape[k..]`.
        values: Operand,
        /// Whether repeated indices overwrite or accumulate.
        mode: ScatterMode,
    },
    /// A stable sort along `axis` (values or, with `indices`, the sorting positions).
    Sort {
        /// The input.
        input: Operand,
        /// The axis sorted.
        axis: usize,
        /// Whether to write int64 positions instead of values.
        indices: bool,
    },
}

/// The elementwise part of a matrix-product kernel.
///
/// Architecture Invariant: `program` has the kernel's shape and dtype, and its operand
/// `product` reads the kernel's own output slot through a C-ordered view; that operand holds the
/// product when the program runs, and no other kernel reads the product.
#[derive(Clone, Debug, PartialEq)]
pub struct Epilogue {
    /// The program applied to the product, element by element.
    pub program: Program,
    /// The operand of `program` that reads the product.
    pub product: usize,
}

impl Epilogue {
    /// The program's operands other than the product: the buffers the epilogue reads.
    pub fn inputs(&self) -> impl Iterator<Item = &Operand> {
        self.program
            .operands
            .iter()
            .enumerate()
            .filter(move |(n, _)| *n != self.product)
            .map(|(_, operand)| operand)
    }
}

/// One unit of work: computes a fresh C-ordered buffer into slot `out`.
#[derive(Clone, Debug, PartialEq)]
pub struct Kernel {
    /// What it computes.
    pub kind: KernelKind,
    /// The slot it writes.
    pub out: SlotId,
    /// The shape of the output.
    pub shape: Shape,
    /// The dtype of the output.
    pub dtype: DType,
    /// Labels of the ops the kernel runs, for listings and errors; for a program, those of the
    /// instructions left after simplification ([`Program::labels`]).
    pub ops: Vec<&'static str>,
    /// Where the user created the op, for errors only the data can show (`file:line:column`).
    pub location: Option<String>,
}

impl Kernel {
    /// The operands the kernel reads from other slots; an epilogue's read of the kernel's own
    /// product is not one of them.
    pub fn operands(&self) -> Vec<&Operand> {
        match &self.kind {
            KernelKind::Elementwise(program) | KernelKind::Reduce { program, .. } => {
                program.operands.iter().collect()
            }
            KernelKind::ArgReduce { input, .. } | KernelKind::Scan { input, .. } => vec![input],
            KernelKind::MatMul { lhs, rhs, epilogue } => [lhs, rhs]
                .into_iter()
                .chain(epilogue.iter().flat_map(Epilogue::inputs))
                .collect(),
            KernelKind::Assemble { parts, .. } => {
                parts.iter().map(|(operand, _)| operand).collect()
            }
            KernelKind::Gather { input, indices } => {
                std::iter::once(input).chain(indices).collect()
            }
            KernelKind::Scatter {
                input,
                indices,
                values,
                ..
            } => std::iter::once(input)
                .chain(indices)
                .chain(std::iter::once(values))
                .collect(),
            KernelKind::Sort { input, .. } => vec![input],
        }
    }

    /// A short name built from the ops it runs, e.g. `E_mul_add` or `R_sum`.
    pub fn name(&self) -> String {
        let prefix = match self.kind {
            KernelKind::Elementwise(_) => "E",
            KernelKind::Reduce { .. } | KernelKind::ArgReduce { .. } => "R",
            KernelKind::Scan { .. } => "S",
            KernelKind::MatMul { .. } => "G",
            KernelKind::Assemble { .. }
            | KernelKind::Gather { .. }
            | KernelKind::Scatter { .. } => "M",
            KernelKind::Sort { .. } => "S",
        };
        format!("{prefix}_{}", self.ops.join("_"))
    }
}

/// A compiled graph: kernels in execution order over numbered buffer slots.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Plan {
    /// The kernels, in an order that respects their dependencies.
    pub kernels: Vec<Kernel>,
    /// The number of slots, inputs included.
    pub n_slots: usize,
    /// The slots the caller binds to the graph's input buffers, in input order.
    pub inputs: Vec<SlotId>,
    /// Where each requested output can be read after the run.
    pub outputs: Vec<Operand>,
}

impl Plan {
    /// For each slot, the position of the last kernel that reads it; `usize::MAX` for plan
    /// outputs (kept past the end) and for slots nothing reads.
    pub fn last_uses(&self) -> Vec<usize> {
        let mut last_use = vec![usize::MAX; self.n_slots];
        for (position, kernel) in self.kernels.iter().enumerate() {
            for operand in kernel.operands() {
                last_use[operand.slot] = position;
            }
        }
        for output in &self.outputs {
            last_use[output.slot] = usize::MAX;
        }
        last_use
    }

    /// For each kernel, the operand whose buffer the kernel writes its result over, if any: an
    /// intermediate (not a plan input, which its caller still holds) that dies at this
    /// elementwise kernel and is read element for element, in the kernel's dtype and length.
    /// One pass over the plan, given [`Plan::last_uses`].
    ///
    /// Architecture Invariant: writing in place never changes results: each block of the
    /// operand is copied into registers before the block's results overwrite it, and no other
    /// operand reads that buffer.
    pub fn in_place_operands(&self, last_use: &[usize]) -> Vec<Option<usize>> {
        // The kernel that wrote each slot so far; inputs have none.
        let mut writer: Vec<Option<&Kernel>> = vec![None; self.n_slots];
        self.kernels
            .iter()
            .enumerate()
            .map(|(position, kernel)| {
                let chosen = match &kernel.kind {
                    KernelKind::Elementwise(program) => {
                        let contiguous = View::contiguous(&kernel.shape);
                        let operands = &program.operands;
                        (0..operands.len()).find(|&n| {
                            let slot = operands[n].slot;
                            last_use[slot] == position
                                && operands[n].view == contiguous
                                && operands.iter().filter(|other| other.slot == slot).count() == 1
                                && writer[slot].is_some_and(|writer| {
                                    writer.dtype == kernel.dtype
                                        && writer.shape.size() == kernel.shape.size()
                                })
                        })
                    }
                    _ => None,
                };
                writer[kernel.out] = Some(kernel);
                chosen
            })
            .collect()
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "plan: {} kernels, {} slots, inputs {:?}",
            self.kernels.len(),
            self.n_slots,
            self.inputs
        )?;
        for kernel in &self.kernels {
            writeln!(
                f,
                "  s{} = {} {}:{}",
                kernel.out,
                kernel.name(),
                kernel.shape,
                kernel.dtype
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_skip_loads_constants_and_copies() {
        let (f, i) = (DType::F32, DType::I64);
        let program = Program {
            operands: Vec::new(),
            instrs: vec![
                (Instr::Load(0), f),
                (Instr::Const(Value::F32(2.0)), f),
                (Instr::Binary(BinaryOp::Mul, 0, 1), f),
                (Instr::Cast(f, 2), f),
                (Instr::Compare(CompareOp::Lt, 0, 3), DType::Bool),
                (Instr::Where(4, 3, 0), f),
                (Instr::Cast(i, 5), i),
            ],
            shape: Shape::new(&[2]),
        };
        assert_eq!(program.labels(), ["multiply", "less", "where", "cast"]);
    }
}
