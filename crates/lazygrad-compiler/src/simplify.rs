//! Program passes run on every fused program before it becomes a kernel: constant folding,
//! common subexpressions, multiplication by one, and dead instructions.
//!
//! Fusing expressions that share inputs repeats loads and constants (each fused producer
//! brought its own), and gradients multiply by one; none of that changes a value, so removing
//! it keeps fused results bitwise equal to unfused ones.

use lazygrad_ir::{BinaryOp, DType, Element, Instr, Program, Reg, Value, with_dtype};
use rustc_hash::FxHashMap as HashMap;

/// A hashable identity of an instruction over already-renumbered registers.
fn key(instr: &Instr, dtype: DType) -> (u8, u64, u64, Reg, Reg, Reg) {
    let d = dtype as u64;
    match *instr {
        Instr::Load(operand) => (0, d, 0, operand, 0, 0),
        Instr::Const(value) => {
            let (dtype, bits) = value.key();
            (1, dtype as u64, bits, 0, 0, 0)
        }
        Instr::Unary(op, a) => (2, d, op as u64, a, 0, 0),
        Instr::Binary(op, a, b) => (3, d, op as u64, a, b, 0),
        Instr::Compare(op, a, b) => (4, d, op as u64, a, b, 0),
        Instr::Where(c, a, b) => (5, d, 0, c, a, b),
        Instr::Cast(to, a) => (6, d, to as u64, a, 0, 0),
    }
}

fn renumber(instr: &Instr, map: &[Reg]) -> Instr {
    match *instr {
        Instr::Load(operand) => Instr::Load(operand),
        Instr::Const(value) => Instr::Const(value),
        Instr::Unary(op, a) => Instr::Unary(op, map[a]),
        Instr::Binary(op, a, b) => Instr::Binary(op, map[a], map[b]),
        Instr::Compare(op, a, b) => Instr::Compare(op, map[a], map[b]),
        Instr::Where(c, a, b) => Instr::Where(map[c], map[a], map[b]),
        Instr::Cast(to, a) => Instr::Cast(to, map[a]),
    }
}

fn is_one(instr: &Instr) -> bool {
    matches!(instr, Instr::Const(value) if value.cast(DType::F64) == Value::F64(1.0))
}

/// The value of an instruction whose inputs are all constants, computed now with the same
/// element functions the runtime would run, so folding never changes a bit.
fn fold(instr: &Instr, dtype: DType, instrs: &[(Instr, DType)]) -> Option<Value> {
    let constant = |reg: Reg| match instrs[reg] {
        (Instr::Const(value), dtype) => Some((value.cast(dtype), dtype)),
        _ => None,
    };
    match *instr {
        Instr::Unary(op, a) => {
            let (x, _) = constant(a)?;
            with_dtype!(dtype, T => {
                let mut out = [T::default()];
                op.eval::<T>(&[T::from_value(x)?], &mut out);
                Some(out[0].into_value())
            })
        }
        Instr::Binary(op, a, b) => {
            let ((x, _), (y, _)) = (constant(a)?, constant(b)?);
            with_dtype!(dtype, T => {
                let mut out = [T::default()];
                op.eval::<T>(&[T::from_value(x)?], &[T::from_value(y)?], &mut out);
                Some(out[0].into_value())
            })
        }
        Instr::Compare(op, a, b) => {
            let ((x, input), (y, _)) = (constant(a)?, constant(b)?);
            with_dtype!(input, T => {
                let mut out = [false];
                op.eval::<T, bool>(&[T::from_value(x)?], &[T::from_value(y)?], &mut out);
                Some(Value::Bool(out[0]))
            })
        }
        Instr::Where(c, a, b) => {
            let ((condition, _), (x, _), (y, _)) = (constant(c)?, constant(a)?, constant(b)?);
            Some(if condition == Value::Bool(true) { x } else { y })
        }
        Instr::Cast(to, a) => {
            let (x, from) = constant(a)?;
            with_dtype!(from, S => with_dtype!(to, D => Some(S::from_value(x)?.cast::<D>().into_value())))
        }
        Instr::Load(_) | Instr::Const(_) => None,
    }
}

/// Loads of equal operands (same slot and view) read the same register.
fn operand_aliases(program: &Program) -> Vec<usize> {
    (0..program.operands.len())
        .map(|n| {
            program.operands[..n]
                .iter()
                .position(|earlier| *earlier == program.operands[n])
                .unwrap_or(n)
        })
        .collect()
}

/// The same program without repeated or dead instructions and multiplications by one.
pub(crate) fn simplify(program: Program) -> Program {
    let operand_alias = operand_aliases(&program);
    let mut map: Vec<Reg> = Vec::with_capacity(program.instrs.len());
    let mut instrs: Vec<(Instr, DType)> = Vec::with_capacity(program.instrs.len());
    let mut seen: HashMap<(u8, u64, u64, Reg, Reg, Reg), Reg> = HashMap::default();
    for (instr, dtype) in &program.instrs {
        let mut instr = renumber(instr, &map);
        if let Instr::Load(operand) = instr {
            instr = Instr::Load(operand_alias[operand]);
        }
        if let Some(value) = fold(&instr, *dtype, &instrs) {
            instr = Instr::Const(value);
        }
        if let Instr::Binary(BinaryOp::Mul, a, b) = instr {
            if is_one(&instrs[b].0) && instrs[a].1 == *dtype {
                map.push(a);
                continue;
            }
            if is_one(&instrs[a].0) && instrs[b].1 == *dtype {
                map.push(b);
                continue;
            }
        }
        let id = key(&instr, *dtype);
        let reg = *seen.entry(id).or_insert_with(|| {
            instrs.push((instr, *dtype));
            instrs.len() - 1
        });
        map.push(reg);
    }
    let Some(&result) = map.last() else {
        return program;
    };
    // The result must be the last instruction; an alias of an earlier one is copied there.
    if result != instrs.len() - 1 {
        let dtype = instrs[result].1;
        instrs.push((Instr::Cast(dtype, result), dtype));
    }
    // Keep only what the result uses, renumbered in order.
    let mut live = vec![false; instrs.len()];
    live[instrs.len() - 1] = true;
    for idx in (0..instrs.len()).rev() {
        if !live[idx] {
            continue;
        }
        for reg in instrs[idx].0.inputs() {
            live[reg] = true;
        }
    }
    let mut new_index = vec![0; instrs.len()];
    let mut kept = Vec::with_capacity(instrs.len());
    for (idx, (instr, dtype)) in instrs.iter().enumerate() {
        if live[idx] {
            new_index[idx] = kept.len();
            kept.push((renumber(instr, &new_index), *dtype));
        }
    }
    Program {
        operands: program.operands,
        instrs: kept,
        shape: program.shape,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lazygrad_ir::{CompareOp, Operand, Shape, UnaryOp, View};

    /// A contiguous read of slot 0, the operand of the programs below.
    fn slot_zero(shape: &Shape) -> Operand {
        Operand {
            slot: 0,
            view: View::contiguous(shape),
        }
    }

    #[test]
    fn instructions_on_constants_fold() {
        let shape = Shape::new(&[3]);
        let operand = slot_zero(&shape);
        let (f, i) = (DType::F32, DType::I64);
        // x * sqrt(2.0 + 0.25) + where(2 < 3, cast(7), 0), all but the load and the two ops
        // on it computed at compile time, in float32 as the runtime would.
        let program = Program {
            operands: vec![operand],
            instrs: vec![
                (Instr::Load(0), f),
                (Instr::Const(Value::F64(2.0)), f),
                (Instr::Const(Value::F64(0.25)), f),
                (Instr::Binary(BinaryOp::Add, 1, 2), f),
                (Instr::Unary(UnaryOp::Sqrt, 3), f),
                (Instr::Binary(BinaryOp::Mul, 0, 4), f),
                (Instr::Const(Value::I64(3)), i),
                (Instr::Const(Value::I64(2)), i),
                (Instr::Compare(CompareOp::Lt, 7, 6), DType::Bool),
                (Instr::Const(Value::I64(7)), i),
                (Instr::Cast(f, 9), f),
                (Instr::Const(Value::F64(0.0)), f),
                (Instr::Where(8, 10, 11), f),
                (Instr::Binary(BinaryOp::Add, 5, 12), f),
            ],
            shape,
        };
        let simplified = simplify(program);
        assert_eq!(
            simplified.instrs,
            vec![
                (Instr::Load(0), f),
                (Instr::Const(Value::F32(1.5)), f),
                (Instr::Binary(BinaryOp::Mul, 0, 1), f),
                (Instr::Const(Value::F32(7.0)), f),
                (Instr::Binary(BinaryOp::Add, 2, 3), f),
            ]
        );
    }

    #[test]
    fn repeated_loads_and_multiplications_by_one_go() {
        let shape = Shape::new(&[4]);
        let operand = slot_zero(&shape);
        let f = DType::F64;
        // 1.0 * x + 1.0 * x, with x loaded twice.
        let program = Program {
            operands: vec![operand.clone(), operand],
            instrs: vec![
                (Instr::Const(Value::F64(1.0)), f),
                (Instr::Load(0), f),
                (Instr::Binary(BinaryOp::Mul, 0, 1), f),
                (Instr::Const(Value::F64(1.0)), f),
                (Instr::Load(1), f),
                (Instr::Binary(BinaryOp::Mul, 3, 4), f),
                (Instr::Binary(BinaryOp::Add, 2, 5), f),
            ],
            shape,
        };
        let simplified = simplify(program);
        assert_eq!(
            simplified.instrs,
            vec![(Instr::Load(0), f), (Instr::Binary(BinaryOp::Add, 0, 0), f)]
        );
    }
}
