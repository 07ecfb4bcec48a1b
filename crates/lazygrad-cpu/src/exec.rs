//! The executor: runs a plan's kernels over buffers.

use crate::buffer::{Buffer, SliceRef, Storage, typed, typed_mut};
use crate::gemm::{self, MatrixLayout};
use crate::jit;
use crate::movement;
use crate::strided::{StrideSet, for_each_row, for_each_row_in, inner_steps, merge_dims};
use crate::with_dtype;
use lazygrad_ir::{
    DType, Element, Error, Instr, Kernel, KernelKind, Operand, Plan, Program, ReduceOp, Result,
    Shape, View, keep_dims,
};
use rayon::prelude::*;
use smallvec::SmallVec;
use std::cell::Cell;
use std::sync::Arc;

/// The number of elements a program processes per instruction dispatch: large enough that
/// dispatch costs nothing next to the loops, small enough that registers stay in L1/L2.
pub const BLOCK: usize = 1024;

/// Runs `plan` with `inputs` bound to its input slots and returns one buffer per plan output;
/// output `i` is read through `plan.outputs[i].view`.
pub fn execute(plan: &Plan, inputs: &[Arc<Buffer>]) -> Result<Vec<Arc<Buffer>>> {
    run_plan(plan, inputs, None)
}

/// The time one kernel took in a profiled run, and the bytes it read and wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct KernelProfile {
    /// The kernel's position in the plan.
    pub kernel: usize,
    /// The kernel's name (`Kernel::name`).
    pub name: String,
    /// Wall-clock time of the kernel.
    pub elapsed: std::time::Duration,
    /// Bytes of its operands' views plus its output: the ideal single-pass traffic.
    pub bytes: usize,
    /// Whether it ran as compiled machine code (large float elementwise kernels, `jit.rs`)
    /// rather than in the block VM.
    pub compiled: bool,
}

/// Like [`execute`], also timing every kernel.
pub fn execute_profiled(
    plan: &Plan,
    inputs: &[Arc<Buffer>],
) -> Result<(Vec<Arc<Buffer>>, Vec<KernelProfile>)> {
    let mut profile = Vec::with_capacity(plan.kernels.len());
    let outputs = run_plan(plan, inputs, Some(&mut profile))?;
    Ok((outputs, profile))
}

fn run_plan(
    plan: &Plan,
    inputs: &[Arc<Buffer>],
    mut profile: Option<&mut Vec<KernelProfile>>,
) -> Result<Vec<Arc<Buffer>>> {
    if inputs.len() != plan.inputs.len() {
        return Err(Error::internal(format!(
            "plan takes {} inputs, got {}",
            plan.inputs.len(),
            inputs.len()
        )));
    }
    let mut slots: Vec<Option<Arc<Buffer>>> = vec![None; plan.n_slots];
    for (&slot, buffer) in plan.inputs.iter().zip(inputs) {
        slots[slot] = Some(buffer.clone());
    }
    // Intermediates are dropped after their last reader, so peak memory follows liveness.
    let last_use = plan.last_uses();
    let in_place = plan.in_place_operands(&last_use);
    for (position, kernel) in plan.kernels.iter().enumerate() {
        let started = profile.is_some().then(std::time::Instant::now);
        // Listed once per kernel: a training step's kernels are small enough that rebuilding
        // the list for each use showed in profiles.
        let operands = kernel.operands();
        let read: usize = match profile {
            Some(_) => operands
                .iter()
                .map(|operand| operand.view.shape.size() * slot(&slots, operand).dtype().itemsize())
                .sum(),
            None => 0,
        };
        check_views(kernel, &operands, &slots)?;
        let reused =
            in_place[position].and_then(|operand| take_operand(kernel, operand, &mut slots));
        let (out, compiled) = run_kernel(kernel, &slots, reused)?;
        if let (Some(profile), Some(started)) = (profile.as_deref_mut(), started) {
            profile.push(KernelProfile {
                kernel: position,
                name: kernel.name(),
                elapsed: started.elapsed(),
                bytes: read + kernel.shape.size() * kernel.dtype.itemsize(),
                compiled,
            });
        }
        for operand in &operands {
            if last_use[operand.slot] == position {
                slots[operand.slot] = None;
            }
        }
        slots[kernel.out] = Some(Arc::new(out));
    }
    plan.outputs
        .iter()
        .map(|output| {
            slots[output.slot].clone().ok_or_else(|| {
                Error::internal(format!("output slot {} was never written", output.slot))
            })
        })
        .collect()
}

/// The index arrays of a gather or scatter as int64 values in C order, with the axis each indexes.
fn index_arrays(slots: &[Option<Arc<Buffer>>], indices: &[Operand]) -> Vec<(Vec<i64>, usize)> {
    indices
        .iter()
        .enumerate()
        .map(|(axis, operand)| {
            (
                movement::contiguous(typed::<i64>(slot(slots, operand)), &operand.view),
                axis,
            )
        })
        .collect()
}

fn slot<'a>(slots: &'a [Option<Arc<Buffer>>], operand: &Operand) -> &'a Buffer {
    // Invariant: kernels run in plan order, after the kernels that write what they read.
    slots[operand.slot].as_deref().unwrap_or_else(|| {
        panic!(
            "internal error: slot {} read before it was written",
            operand.slot
        )
    })
}

thread_local! {
    /// How many output buffers kernels run from this thread have allocated; views allocate none.
    static BUFFERS_ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

/// The number of buffers kernels have allocated so far for plans executed on this thread, for
/// tests that check that views copy nothing (per thread, so parallel tests don't interfere).
pub fn buffers_allocated() -> usize {
    BUFFERS_ALLOCATED.with(Cell::get)
}

/// Takes the buffer of the operand [`Plan::in_place_operands`] chose out of its slot, so the
/// kernel can write over it.
fn take_operand(
    kernel: &Kernel,
    operand: usize,
    slots: &mut [Option<Arc<Buffer>>],
) -> Option<(usize, Buffer)> {
    let KernelKind::Elementwise(program) = &kernel.kind else {
        return None;
    };
    let slot = program.operands[operand].slot;
    // `try_unwrap` succeeds only when the slot holds the last reference; the plan already
    // excludes inputs and outputs, so this only guards the rule against a future change.
    match Arc::try_unwrap(slots[slot].take()?) {
        Ok(buffer) if buffer.dtype() == kernel.dtype && buffer.len() == kernel.shape.size() => {
            Some((operand, buffer))
        }
        Ok(buffer) => {
            slots[slot] = Some(Arc::new(buffer));
            None
        }
        Err(shared) => {
            slots[slot] = Some(shared);
            None
        }
    }
}

/// Runs one kernel into a fresh buffer, or, with `reused`, over that operand's own buffer (see
/// [`take_operand`]). The caller has checked the kernel's views.
fn run_kernel(
    kernel: &Kernel,
    slots: &[Option<Arc<Buffer>>],
    reused: Option<(usize, Buffer)>,
) -> Result<(Buffer, bool)> {
    let (in_place, mut out) = match reused {
        Some((operand, buffer)) => (Some(operand), buffer),
        None => {
            BUFFERS_ALLOCATED.with(|count| count.set(count.get() + 1));
            // A kernel is named in errors by its last op, the one whose output this is.
            let op = kernel.ops.last().copied().unwrap_or("realize");
            (
                None,
                Buffer::for_overwrite(op, kernel.dtype, kernel.shape.size())?,
            )
        }
    };
    let mut compiled = false;
    match &kernel.kind {
        KernelKind::Elementwise(program) => {
            compiled = run_elementwise(program, slots, in_place, &mut out);
        }
        KernelKind::Reduce { program, op, axes } => run_reduce(program, *op, axes, slots, &mut out),
        KernelKind::ArgReduce { input, op, axis } => {
            let source = slot(slots, input);
            with_dtype!(source.dtype(), T => arg_reduce::<T>(typed(source), &input.view, *op, *axis, typed_mut(&mut out)))
        }
        KernelKind::Scan { input, op, axis } => {
            with_dtype!(kernel.dtype, T => scan::<T>(typed(slot(slots, input)), &input.view, *op, *axis, typed_mut(&mut out)))
        }
        KernelKind::MatMul { lhs, rhs, epilogue } => with_dtype!(kernel.dtype, T => {
            let epilogue = epilogue.as_ref().map(|epilogue| {
                move |start: usize, rows: &mut [T]| {
                    eval_range(&epilogue.program, slots, Some(epilogue.product), start, rows)
                }
            });
            matmul::<T>(
                typed(slot(slots, lhs)), &lhs.view, typed(slot(slots, rhs)), &rhs.view,
                typed_mut(&mut out), epilogue.as_ref().map(|f| f as &gemm::Epilogue<'_, T>))
        }),
        KernelKind::Assemble { fill, parts } => with_dtype!(kernel.dtype, T => {
            let out = typed_mut::<T>(&mut out);
            if let Some(value) = fill {
                out.fill(T::from_value(value.cast(kernel.dtype)).expect("cast gives the dtype asked for"));
            }
            for (operand, region) in parts {
                movement::copy_view(typed::<T>(slot(slots, operand)), &operand.view, out, region);
            }
        }),
        KernelKind::Gather { input, indices } => {
            let location = kernel.location.as_deref().unwrap_or("unknown");
            let indices = index_arrays(slots, indices);
            with_dtype!(kernel.dtype, T => movement::gather::<T>(
                typed(slot(slots, input)), &input.view, &indices, typed_mut(&mut out), location))?;
        }
        KernelKind::Scatter {
            input,
            indices,
            values,
            mode,
        } => {
            let location = kernel.location.as_deref().unwrap_or("unknown");
            let indices = index_arrays(slots, indices);
            with_dtype!(kernel.dtype, T => {
                let values = movement::contiguous(typed::<T>(slot(slots, values)), &values.view);
                movement::scatter::<T>(typed(slot(slots, input)), &input.view, &indices, &values, *mode, typed_mut(&mut out), location)
            })?;
        }
        KernelKind::Sort {
            input,
            axis,
            indices,
        } => {
            let source = slot(slots, input);
            with_dtype!(source.dtype(), T => {
                if *indices {
                    movement::sort::<T>(typed(source), &input.view, *axis, None, Some(typed_mut(&mut out)));
                } else {
                    movement::sort::<T>(typed(source), &input.view, *axis, Some(typed_mut(&mut out)), None);
                }
            });
        }
    }
    Ok((out, compiled))
}

/// Checks that every view stays inside its buffer, so no kernel can read out of bounds.
fn check_views(
    kernel: &Kernel,
    operands: &[&Operand],
    slots: &[Option<Arc<Buffer>>],
) -> Result<()> {
    for operand in operands {
        let len = slot(slots, operand).len() as isize;
        if let Some((lo, hi)) = operand.view.extent()
            && (lo < 0 || hi >= len)
        {
            return Err(Error::internal(format!(
                "kernel {} reads elements {lo}..={hi} of a buffer of {len}",
                kernel.name()
            )));
        }
    }
    Ok(())
}

/// Registers of a program: block-sized buffers, shared by instructions whose values are never
/// live at once, so a program's memory is bounded by its live values, not its length (a chain
/// of 100,000 fused ops needs two registers, not 100,000).
struct Registers {
    /// The physical registers.
    regs: Vec<Buffer>,
    /// The physical register of each instruction.
    phys: Vec<usize>,
    /// The registers that load the operand standing for the output itself (a matmul
    /// epilogue's product, or an operand written in place).
    product: SmallVec<[usize; 1]>,
    /// Whether those loads read the output block in place: true unless the last instruction,
    /// which overwrites the block, reads one of them. Otherwise the caller copies the block
    /// into their registers first.
    product_in_output: bool,
    /// Where each instruction's values are read from in the current block.
    direct: Vec<Source>,
}

/// The physical register of each instruction of `program`, by a linear scan over the values
/// lifetimes: an instruction takes a free register of its dtype (or a new one) before the
/// registers of inputs it reads last are freed, so no instruction writes a register it reads.
/// Constants and the loads in `pinned` (filled by the caller before each block) keep a register
/// of their own for the whole run, and so does the last instruction, whose register holds the
/// result after the run.
fn assign_registers(program: &Program, pinned: &[usize]) -> Vec<usize> {
    let instrs = &program.instrs;
    let mut last_read: Vec<usize> = (0..instrs.len()).collect();
    for (idx, (instr, _)) in instrs.iter().enumerate() {
        for input in instr.inputs() {
            last_read[input] = idx;
        }
    }
    let keeps_own = |idx: usize| {
        idx + 1 == instrs.len() || pinned.contains(&idx) || matches!(instrs[idx].0, Instr::Const(_))
    };
    let mut phys = Vec::with_capacity(instrs.len());
    let mut free: Vec<(DType, usize)> = Vec::new();
    let mut count = 0;
    for (idx, (instr, dtype)) in instrs.iter().enumerate() {
        let reused = (!keeps_own(idx))
            .then(|| free.iter().rposition(|(d, _)| d == dtype))
            .flatten()
            .map(|at| free.swap_remove(at).1);
        phys.push(reused.unwrap_or_else(|| {
            count += 1;
            count - 1
        }));
        let mut inputs = instr.inputs();
        // A value nobody reads is free as soon as it is written.
        inputs.push(idx);
        inputs.sort_unstable();
        inputs.dedup();
        for input in inputs {
            if last_read[input] == idx && !keeps_own(input) {
                free.push((instrs[input].1, phys[input]));
            }
        }
    }
    phys
}

/// Where an instruction's values for the current block are.
#[derive(Clone, Copy, Debug)]
enum Source {
    /// In its register.
    Register,
    /// In place in an operand's buffer (a load with unit stride), from this element on.
    Operand { operand: usize, first: usize },
    /// In the output block (a load of the product, before the last instruction writes it).
    Output,
}

thread_local! {
    /// Register buffers of finished programs, reused by the next program on this thread: a
    /// training step runs a dozen small kernels, and allocating their registers afresh each
    /// time cost more than running some of them.
    static SPARE_REGISTERS: std::cell::RefCell<Vec<Buffer>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A register buffer of `dtype` and `len` elements, recycled when one is spare. Its contents
/// are stale; every instruction overwrites the part of its register it uses.
fn spare_register(dtype: DType, len: usize) -> Buffer {
    SPARE_REGISTERS
        .with(|spare| {
            let mut spare = spare.borrow_mut();
            let found = spare
                .iter()
                .position(|b| b.dtype() == dtype && b.len() == len)?;
            Some(spare.swap_remove(found))
        })
        .unwrap_or_else(|| Buffer::zeros(dtype, len))
}

impl Drop for Registers {
    fn drop(&mut self) {
        SPARE_REGISTERS.with(|spare| {
            let mut spare = spare.borrow_mut();
            for reg in self.regs.drain(..) {
                if spare.len() < 64 {
                    spare.push(reg);
                }
            }
        });
    }
}

/// What an instruction reads: the registers before it, the operands loads read in place, and
/// the output block while it still holds the product.
struct Args<'a> {
    program: &'a Program,
    slots: &'a [Option<Arc<Buffer>>],
    regs: &'a [Buffer],
    phys: &'a [usize],
    direct: &'a [Source],
    output: Option<SliceRef<'a>>,
    n: usize,
}

impl<'a> Args<'a> {
    /// The `n` values of register `reg`.
    fn get<T: Storage>(&self, reg: usize) -> &'a [T] {
        let n = self.n;
        match self.direct[reg] {
            Source::Register => &typed::<T>(&self.regs[self.phys[reg]])[..n],
            Source::Operand { operand, first } => {
                &typed::<T>(slot(self.slots, &self.program.operands[operand]))[first..first + n]
            }
            Source::Output => {
                // Invariant: a product load has the output's dtype, and `output` is set for
                // every instruction but the last, which never reads it in place.
                let output = self.output.and_then(T::from_slice_ref);
                &output.expect("internal error: a product load read in place without an output block of its dtype")[..n]
            }
        }
    }

    /// Runs one computing instruction (not a load or constant) into `out`, of its dtype `U`.
    fn compute<U: Storage>(&self, instr: &Instr, out: &mut [U]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: this CPU has AVX2, the one feature `compute_avx2` is compiled for.
            return unsafe { self.compute_avx2(instr, out) };
        }
        self.compute_any(instr, out);
    }

    /// [`Args::compute`] compiled for AVX2, whose loops run 8 float32 lanes wide where the
    /// baseline x86-64 target has SSE2's 4. Rust never contracts `a * b + c` into a fused
    /// multiply-add, so every result is bit for bit the baseline's.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn compute_avx2<U: Storage>(&self, instr: &Instr, out: &mut [U]) {
        self.compute_any(instr, out);
    }

    /// The body of [`Args::compute`], inlined into each of its compiled variants.
    #[inline(always)]
    fn compute_any<U: Storage>(&self, instr: &Instr, out: &mut [U]) {
        let instrs = &self.program.instrs;
        match *instr {
            Instr::Load(_) | Instr::Const(_) => {
                unreachable!("loads and constants are not computed")
            }
            Instr::Unary(op, a) => op.eval::<U>(self.get(a), out),
            // A constant operand is passed as a scalar, which saves the loop a load stream.
            Instr::Binary(op, a, b) => match (&instrs[a].0, &instrs[b].0) {
                (_, Instr::Const(_)) => op.eval_scalar_rhs::<U>(
                    self.get(a),
                    typed::<U>(&self.regs[self.phys[b]])[0],
                    out,
                ),
                (Instr::Const(_), _) => op.eval_scalar_lhs::<U>(
                    typed::<U>(&self.regs[self.phys[a]])[0],
                    self.get(b),
                    out,
                ),
                _ => op.eval::<U>(self.get(a), self.get(b), out),
            },
            Instr::Compare(op, a, b) => {
                with_dtype!(instrs[a].1, S => op.eval::<S, U>(self.get(a), self.get(b), out))
            }
            Instr::Where(c, a, b) => {
                let (cond, x, y) = (self.get::<bool>(c), self.get::<U>(a), self.get::<U>(b));
                // Indexing a pair by the condition keeps the loop free of branches, which
                // LLVM otherwise emits for `if c { x } else { y }`: on a mask of random
                // signs (a relu's gradient) their mispredictions cost 3x the whole loop.
                for (o, ((&c, &x), &y)) in out.iter_mut().zip(cond.iter().zip(x).zip(y)) {
                    *o = [y, x][usize::from(c)];
                }
            }
            Instr::Cast(_, a) => with_dtype!(instrs[a].1, S => {
                for (o, &x) in out.iter_mut().zip(self.get::<S>(a)) {
                    *o = x.cast::<U>();
                }
            }),
        }
    }
}

impl Registers {
    /// Registers for blocks of up to `block` elements.
    fn new(program: &Program, product: Option<usize>, block: usize) -> Registers {
        // Small programs need small registers: allocating full blocks for a 4-element kernel
        // would cost more than running it.
        let size = block.min(program.shape.size().max(1));
        let product: SmallVec<[usize; 1]> = program
            .instrs
            .iter()
            .enumerate()
            .filter(|(_, (instr, _))| product.is_some_and(|n| *instr == Instr::Load(n)))
            .map(|(reg, _)| reg)
            .collect();
        let phys = assign_registers(program, &product);
        let mut regs: Vec<Option<Buffer>> = Vec::new();
        regs.resize_with(phys.iter().max().map_or(0, |&p| p + 1), || None);
        for ((instr, dtype), &p) in program.instrs.iter().zip(&phys) {
            if regs[p].is_some() {
                continue;
            }
            regs[p] = Some(match instr {
                // Constants are written once, not once per block.
                Instr::Const(value) => with_dtype!(*dtype, T => {
                    let scalar: T = value.cast(*dtype).to_element().expect("cast gives the dtype asked for");
                    T::wrap(vec![scalar; size])
                }),
                _ => spare_register(*dtype, size),
            });
        }
        // Invariant: `assign_registers` numbers physical registers densely from 0.
        let regs = regs
            .into_iter()
            .map(|reg| reg.expect("internal error: a physical register no instruction uses"))
            .collect();
        let last = program.instrs.len() - 1;
        let product_in_output = !product
            .iter()
            .any(|&reg| program.instrs[last].0.inputs().contains(&reg));
        Registers {
            regs,
            phys,
            product,
            product_in_output,
            direct: vec![Source::Register; program.instrs.len()],
        }
    }

    /// Evaluates the program for `n` consecutive elements of a row starting at `start`.
    ///
    /// With `dest`, the last instruction writes its `n` results straight into it instead of
    /// into its register: that saves the pass that would copy them out, about a tenth of an
    /// elementwise kernel's time. Without it, [`Registers::result`] reads them afterwards.
    #[allow(clippy::too_many_arguments)]
    fn eval<T: Storage>(
        &mut self,
        program: &Program,
        slots: &[Option<Arc<Buffer>>],
        bases: &[isize],
        steps: &[isize],
        start: usize,
        n: usize,
        mut dest: Option<&mut [T]>,
    ) {
        let last = program.instrs.len() - 1;
        for (idx, (instr, dtype)) in program.instrs.iter().enumerate() {
            // The instruction's register is moved out while it is written, so the registers it
            // reads (never the same one: `assign_registers` frees inputs only after their last
            // reader has its own) can be borrowed beside it.
            let phys = self.phys[idx];
            let mut taken = std::mem::replace(&mut self.regs[phys], Buffer::Bool(Vec::new()));
            let reg = &mut taken;
            'instr: {
                // Instructions before the last may read the product in place from `dest`; the last
                // one writes it (and then reads the product from a register, if at all).
                let (output, dest) = match dest.as_deref_mut() {
                    Some(dest) if idx == last => (None, Some(dest)),
                    other => (other.map(|dest| &*dest), None),
                };
                if let Instr::Load(operand) = *instr {
                    self.direct[idx] = Source::Register;
                    if self.product.contains(&idx) {
                        // Read in place, or from the register the caller filled; as the last
                        // instruction, `dest` already holds the values.
                        if self.product_in_output {
                            self.direct[idx] = Source::Output;
                        }
                        break 'instr;
                    }
                    let first = bases[operand] + start as isize * steps[operand];
                    let source = slot(slots, &program.operands[operand]);
                    match dest {
                        Some(dest) => gather::<T>(typed(source), first, steps[operand], dest),
                        None if steps[operand] == 1 => {
                            self.direct[idx] = Source::Operand {
                                operand,
                                first: first as usize,
                            };
                        }
                        None => {
                            with_dtype!(*dtype, U => gather::<U>(typed(source), first, steps[operand], &mut typed_mut(reg)[..n]))
                        }
                    }
                    break 'instr;
                }
                let args = self.args(program, slots, output.map(T::slice_ref), n);
                match (dest, instr) {
                    // Constants are written once, in `Registers::new`.
                    (None, Instr::Const(_)) => {}
                    (Some(dest), Instr::Const(_)) => dest.copy_from_slice(&typed::<T>(reg)[..n]),
                    (Some(dest), _) => args.compute::<T>(instr, dest),
                    (None, _) => {
                        with_dtype!(*dtype, U => args.compute::<U>(instr, &mut typed_mut(reg)[..n]))
                    }
                }
            }
            self.regs[phys] = taken;
        }
    }

    /// What an instruction of `program` reads for a block of `n` elements.
    fn args<'a>(
        &'a self,
        program: &'a Program,
        slots: &'a [Option<Arc<Buffer>>],
        output: Option<SliceRef<'a>>,
        n: usize,
    ) -> Args<'a> {
        Args {
            program,
            slots,
            regs: &self.regs,
            phys: &self.phys,
            direct: &self.direct,
            output,
            n,
        }
    }

    /// The program's result for the last evaluated block of `n` elements, when it ran without
    /// a destination.
    fn result<'a, T: Storage>(
        &'a self,
        program: &'a Program,
        slots: &'a [Option<Arc<Buffer>>],
        n: usize,
    ) -> &'a [T] {
        self.args(program, slots, None, n)
            .get::<T>(program.instrs.len() - 1)
    }
}

/// Reads `out.len()` elements starting at `first` with stride `step`.
fn gather<T: Storage>(source: &[T], first: isize, step: isize, out: &mut [T]) {
    match step {
        1 => out.copy_from_slice(&source[first as usize..first as usize + out.len()]),
        0 => out.fill(source[first as usize]),
        _ => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = source[(first + k as isize * step) as usize];
            }
        }
    }
}

/// Operand strides of a program plus the strides of a C-ordered output of the program's shape.
fn iteration(
    program: &Program,
    out_strides: &[isize],
) -> (SmallVec<[usize; 4]>, StrideSet, Vec<isize>) {
    let mut strides: Vec<&[isize]> = program
        .operands
        .iter()
        .map(|operand| &operand.view.strides[..])
        .collect();
    strides.push(out_strides);
    let (shape, merged) = merge_dims(&program.shape, &strides);
    let mut offsets: Vec<isize> = program
        .operands
        .iter()
        .map(|operand| operand.view.offset)
        .collect();
    offsets.push(0);
    (shape, merged, offsets)
}

/// Iterations at least this large are split across threads.
const PARALLEL_MIN: usize = 1 << 17;

/// Elements per parallel task: enough work to hide scheduling, small enough to balance two
/// cores even when one is busy (rayon steals tasks from a loaded thread).
const TASK: usize = 1 << 15;

/// The block in which a reduction folds each segment's values (see [`segment_len`]): each
/// block folds into the accumulator in [`fold_block`]'s fixed lane order.
const REDUCE_BLOCK: usize = 4096;

/// Elements per partial sum of a full reduction. Fixed, so results never depend on the number
/// of threads; it also makes float sums pairwise-like and more accurate than one long chain.
const REDUCE_CHUNK: usize = 1 << 15;

/// The length of a reduction's segments: the runs of consecutive iterations, in C order, that
/// fold into one output element (the trailing reduced axes; all of them for a full reduction).
/// Each segment folds in blocks of [`REDUCE_BLOCK`] cut at its own positions.
///
/// Architecture invariant: only the logical shape and axes decide how a reduction's additions
/// are grouped, never the layout or how dimensions merged. A fused kernel that reads `x + b`
/// through a broadcast walks rows of `b`'s length where the unfused sum of the materialized
/// `x + b` walks one long row; both fold the same blocks, so they give the same bits.
fn segment_len(shape: &[usize], axes: &[usize]) -> usize {
    let mut len = 1;
    for axis in (0..shape.len()).rev() {
        if axes.contains(&axis) {
            len *= shape[axis];
        } else if shape[axis] != 1 {
            break;
        }
    }
    len.max(1)
}

/// A reduction over leading axes only, as its number of rows (the reduced extent) and the row
/// length (the kept extent); `None` when a kept axis comes before a reduced one or nothing is
/// kept or reduced. Extent-1 axes count as either.
fn leading_rows(shape: &[usize], axes: &[usize]) -> Option<(usize, usize)> {
    let (mut rows, mut inner) = (1, 1);
    for (axis, &dim) in shape.iter().enumerate() {
        if dim == 1 {
            continue;
        }
        if !axes.contains(&axis) {
            inner *= dim;
        } else if inner == 1 {
            rows *= dim;
        } else {
            return None;
        }
    }
    (rows > 1 && inner > 1).then_some((rows, inner))
}

/// The rows per chunk of a parallel column reduction over rows of `inner` elements: at least
/// 256 rows, so the partial rows cost at most 1/256 of the input's traffic, and at least
/// [`REDUCE_CHUNK`] elements, so each chunk is worth a task.
fn row_chunk(inner: usize) -> usize {
    REDUCE_CHUNK.div_ceil(inner.max(1)).max(256)
}

/// Evaluates an elementwise program into `out`; with `in_place`, that operand is `out` itself.
/// Returns whether it ran as compiled code.
fn run_elementwise(
    program: &Program,
    slots: &[Option<Arc<Buffer>>],
    in_place: Option<usize>,
    out: &mut Buffer,
) -> bool {
    let total = program.shape.size();
    let compiled = (total >= jit::JIT_MIN)
        .then(|| compiled_iteration(program, in_place))
        .flatten();
    with_dtype!(program.dtype(), T => {
        let out = typed_mut::<T>(out);
        let run = |start: usize, chunk: &mut [T]| match &compiled {
            Some((code, iteration)) => run_compiled(*code, iteration, program, slots, in_place, start, chunk),
            None => eval_range(program, slots, in_place, start, chunk),
        };
        // The output is C-ordered like the iteration, so a range of iterations is a range of it.
        if total >= PARALLEL_MIN {
            out.par_chunks_mut(TASK)
                .enumerate()
                .for_each(|(task, chunk)| run(task * TASK, chunk));
        } else {
            run(0, out);
        }
    });
    compiled.is_some()
}

/// A program's iteration with contiguous dimensions merged: its shape, each operand's and the
/// output's strides, and their offsets.
type Iteration = (SmallVec<[usize; 4]>, StrideSet, Vec<isize>);

/// The compiled code for `program` and the iteration it was compiled for, when `jit.rs` lowers
/// the program and the iteration's rows are long enough to pay a call per row.
fn compiled_iteration(
    program: &Program,
    product: Option<usize>,
) -> Option<(jit::Compiled, Iteration)> {
    /// Rows shorter than this run in the VM: compiled code is called once per row, and short
    /// rows would spend more on the calls than on the elements.
    const MIN_ROW: usize = 64;
    let out_strides = program.shape.contiguous_strides();
    let (shape, strides, offsets) = iteration(program, &out_strides);
    if shape.last().is_none_or(|&inner| inner < MIN_ROW) {
        return None;
    }
    let mut steps = inner_steps(&strides);
    // The output is the last stride set; the code writes it with unit step.
    if steps.pop() != Some(1) {
        return None;
    }
    // The product stands for the output's own values, read where they are written.
    if let Some(product) = product {
        steps[product] = 1;
    }
    let code = jit::compiled(program, &steps)?;
    Some((code, (shape, strides, offsets)))
}

/// Writes the program's C-ordered results `start..start + chunk.len()` into `chunk` with the
/// compiled code, one call per row; `product` is as in [`eval_range`].
fn run_compiled<T: Storage>(
    code: jit::Compiled,
    (shape, strides, offsets): &Iteration,
    program: &Program,
    slots: &[Option<Arc<Buffer>>],
    product: Option<usize>,
    start: usize,
    chunk: &mut [T],
) {
    let loaded = |k: usize| {
        program
            .instrs
            .iter()
            .any(|(instr, _)| *instr == Instr::Load(k))
            && Some(k) != product
    };
    // `jit::compiled` accepted the program, so every operand it loads has the program's dtype.
    let buffers: SmallVec<[Option<&[T]>; 4]> = (0..program.operands.len())
        .map(|k| loaded(k).then(|| typed::<T>(slot(slots, &program.operands[k]))))
        .collect();
    let steps = inner_steps(strides);
    let mut pointers: SmallVec<[*const u8; 4]> =
        smallvec::smallvec![std::ptr::null(); buffers.len()];
    let mut pos = 0;
    for_each_row_in(
        shape,
        strides,
        offsets,
        start,
        start + chunk.len(),
        |bases, len| {
            let row = &mut chunk[pos..pos + len];
            let out = row.as_mut_ptr();
            for (k, buffer) in buffers.iter().enumerate() {
                if let Some(buffer) = buffer {
                    // Slicing checks the range the code reads: the row, or its one broadcast value.
                    let first =
                        usize::try_from(bases[k]).expect("views start inside their buffers");
                    let count = if steps[k] == 0 { 1 } else { len };
                    pointers[k] = buffer[first..first + count].as_ptr().cast();
                } else if Some(k) == product {
                    pointers[k] = out.cast_const().cast();
                }
            }
            // SAFETY: `out` is `row`, valid for `len` writes of `T`, the program's dtype. Each
            // loaded operand's pointer starts a range of its buffer just checked to hold what the
            // code reads: `len` elements with unit step, one with step 0 (the steps the code was
            // compiled for, from this same iteration). The product's pointer is `out` itself, which
            // the code reads element by element before writing it; the other buffers are distinct
            // from the output, which is a fresh buffer or the product's.
            unsafe { code.run(len, &pointers, out.cast()) };
            pos += len;
        },
    );
}

/// Writes the program's C-ordered results `start..start + chunk.len()` into `chunk`.
///
/// With `product`, that operand is not read from a slot: it stands for `chunk`'s own values
/// (a matmul epilogue, or an operand written in place). Instructions before the last read them
/// in place, block by block; only when the last instruction, which overwrites the block, reads
/// them too are they copied into a register first.
fn eval_range<T: Storage>(
    program: &Program,
    slots: &[Option<Arc<Buffer>>],
    product: Option<usize>,
    start: usize,
    chunk: &mut [T],
) {
    let out_strides = program.shape.contiguous_strides();
    let (shape, strides, offsets) = iteration(program, &out_strides);
    let steps = inner_steps(&strides);
    let mut regs = Registers::new(program, product, BLOCK);
    let mut pos = 0;
    for_each_row_in(
        &shape,
        &strides,
        &offsets,
        start,
        start + chunk.len(),
        |bases, len| {
            for block in (0..len).step_by(BLOCK) {
                let n = BLOCK.min(len - block);
                if !regs.product_in_output {
                    for &reg in &regs.product {
                        typed_mut::<T>(&mut regs.regs[regs.phys[reg]])[..n]
                            .copy_from_slice(&chunk[pos..pos + n]);
                    }
                }
                regs.eval(
                    program,
                    slots,
                    bases,
                    &steps,
                    block,
                    n,
                    Some(&mut chunk[pos..pos + n]),
                );
                pos += n;
            }
        },
    );
}

/// Folds a block into an accumulator, in sixteen interleaved lanes that the compiler vectorizes
/// (a single running sum is a dependency chain it cannot), combined pairwise at the end. The
/// lane order is fixed, so the result is the same on every run, fused or not, whatever the
/// number of threads. Sixteen lanes are several independent vector chains even for float32 on
/// SSE2: eight lanes (two chains) waited on the adds' latency, and summed a block of 4096 float32
/// held in L1 about 1.5x slower.
fn fold_block<T: Storage>(op: ReduceOp, acc: T, values: &[T]) -> T {
    const LANES: usize = 16;
    if values.len() < 2 * LANES {
        return op.fold(acc, values);
    }
    let mut lanes = [op.init::<T>(); LANES];
    let tail = &values[values.len() - values.len() % LANES..];
    op.fold_lanes(&mut lanes, values);
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        let (low, high) = lanes.split_at_mut(width);
        op.fold_rows(low, &high[..width]);
    }
    op.fold(op.combine(acc, lanes[0]), tail)
}

fn run_reduce(
    program: &Program,
    op: ReduceOp,
    axes: &[usize],
    slots: &[Option<Arc<Buffer>>],
    out: &mut Buffer,
) {
    // The output is walked alongside the input with stride 0 on reduced axes, so a row either
    // folds into one accumulator (inner axis reduced) or into a row of accumulators (inner axis
    // kept); both read the input in its own order.
    let kept = keep_dims(&program.shape, axes);
    let mut out_strides = kept.contiguous_strides();
    for &axis in axes {
        out_strides[axis] = 0;
    }
    let (shape, strides, offsets) = iteration(program, &out_strides);
    let steps = inner_steps(&strides);
    let n_operands = program.operands.len();
    let out_dims = &strides[n_operands];
    let total = program.shape.size();
    let inner = shape.last().copied().unwrap_or(1);
    let outer_all_reduced = out_dims.iter().rev().skip(1).all(|&s| s == 0);
    let outer_all_kept = out_dims.iter().rev().skip(1).all(|&s| s != 0);
    let inner_kept = steps[n_operands] != 0;
    // Kept inner axes fold element by element, in any blocks; reduced ones by segment.
    let segment = if inner_kept {
        usize::MAX
    } else {
        segment_len(&program.shape, axes)
    };

    with_dtype!(program.dtype(), T => {
        // Folds iterations `start..end` into `acc`, whose index 0 is output element `first_out`.
        // With the inner axis reduced, each segment folds in blocks cut at its own positions
        // (see [`segment_len`]); rows shorter than a block are staged until it is whole.
        let fold_range = |start: usize, end: usize, acc: &mut [T], first_out: isize| {
            let mut regs = Registers::new(program, None, REDUCE_BLOCK);
            let mut stage: Vec<T> = Vec::new();
            let mut position = start;
            for_each_row_in(&shape, &strides, &offsets, start, end, |bases, len| {
                let at = (bases[n_operands] - first_out) as usize;
                let mut done = 0;
                while done < len {
                    // The row lies inside one segment; cut it where the segment's blocks end.
                    let in_segment = (position + done) % segment;
                    let block_end = ((in_segment / REDUCE_BLOCK + 1) * REDUCE_BLOCK).min(segment);
                    let n = (len - done).min(block_end - in_segment);
                    regs.eval::<T>(program, slots, bases, &steps, done, n, None);
                    let values = regs.result::<T>(program, slots, n);
                    let completes_block = in_segment + n == block_end;
                    if inner_kept {
                        op.fold_rows(&mut acc[at + done..at + done + n], values);
                    } else if completes_block && stage.is_empty() {
                        acc[at] = fold_block(op, acc[at], values);
                    } else {
                        stage.extend_from_slice(values);
                        if completes_block {
                            acc[at] = fold_block(op, acc[at], &stage);
                            stage.clear();
                        }
                    }
                    done += n;
                }
                position += len;
            });
            debug_assert!(stage.is_empty(), "ranges end where blocks end");
        };
        let out = typed_mut::<T>(out);
        out.fill(op.init::<T>());
        let parallel = total >= PARALLEL_MIN;
        if outer_all_reduced && !inner_kept {
            // A full reduction: fixed-size partial results, combined in order.
            let chunks = total.div_ceil(REDUCE_CHUNK).max(1);
            let partial = |chunk: usize| {
                let mut acc = [op.init::<T>()];
                fold_range(chunk * REDUCE_CHUNK, ((chunk + 1) * REDUCE_CHUNK).min(total), &mut acc, 0);
                acc[0]
            };
            let partials: Vec<T> = if parallel {
                (0..chunks).into_par_iter().map(partial).collect()
            } else {
                (0..chunks).map(partial).collect()
            };
            out[0] = op.fold(out[0], &partials);
        } else if let Some((rows, inner)) = leading_rows(&program.shape, axes).filter(|&(rows, inner)| parallel && rows >= 2 * row_chunk(inner)) {
            // Column sums over many rows: fixed chunks of whole rows fold into partial rows,
            // which are then folded in chunk order. For a contiguous input, reading whole rows
            // keeps each read one long run, which the hardware prefetcher follows across pages;
            // the band walk below reads each row in pieces of a page or less and was slower.
            // The chunks depend only on the logical shape, so the result depends neither on the
            // number of threads nor on the layout.
            let chunk_rows = row_chunk(inner);
            let partials: Vec<Vec<T>> = (0..rows.div_ceil(chunk_rows))
                .into_par_iter()
                .map(|chunk| {
                    let mut acc = vec![op.init::<T>(); inner];
                    let end = ((chunk + 1) * chunk_rows).min(rows);
                    fold_range(chunk * chunk_rows * inner, end * inner, &mut acc, 0);
                    acc
                })
                .collect();
            for partial in &partials {
                op.fold_rows(out, partial);
            }
        } else if parallel && outer_all_reduced && inner_kept && shape.len() >= 2 {
            // Column sums over few rows: each task owns a band of output columns and walks every
            // row, so each column is still summed over the rows in order. Bands of up to a block
            // keep the accumulators in L1 and make each row's read one contiguous run; narrower
            // bands would spend more time per row on the walk than on the data.
            let rows = total / inner;
            let band = inner.div_ceil(2 * rayon::current_num_threads()).clamp(64, BLOCK);
            out.par_chunks_mut(band).enumerate().for_each(|(task, cols)| {
                let first = task * band;
                let mut scratch = Registers::new(program, None, BLOCK);
                for r in 0..rows {
                    for_each_row_in(&shape, &strides, &offsets, r * inner + first, r * inner + first + cols.len(), |bases, len| {
                        for block in (0..len).step_by(BLOCK) {
                            let n = BLOCK.min(len - block);
                            scratch.eval::<T>(program, slots, bases, &steps, block, n, None);
                            op.fold_rows(&mut cols[block..block + n], scratch.result::<T>(program, slots, n));
                        }
                    });
                }
            });
        } else if parallel && outer_all_kept && !inner_kept {
            // Row sums: rows map to consecutive outputs; each task owns a range of rows.
            let rows_per_task = TASK.div_ceil(inner).max(1);
            out.par_chunks_mut(rows_per_task).enumerate().for_each(|(task, acc)| {
                let first_row = task * rows_per_task;
                let end = ((first_row + acc.len()) * inner).min(total);
                fold_range(first_row * inner, end, acc, first_row as isize);
            });
        } else {
            fold_range(0, total, out, 0);
        }
    });
}

fn arg_reduce<T: Storage>(source: &[T], view: &View, op: ReduceOp, axis: usize, out: &mut [i64]) {
    let kept: Shape = keep_dims(&view.shape, &[axis]);
    let len = view.shape[axis];
    let step = view.strides[axis];
    let out_strides = kept.contiguous_strides();
    let (shape, strides) = merge_dims(&kept, &[&view.strides, &out_strides]);
    let better = |candidate: T, best: T| match op {
        ReduceOp::Max => candidate > best,
        _ => candidate < best,
    };
    for_each_row(&shape, &strides, &[view.offset, 0], |bases, row_len| {
        for k in 0..row_len as isize {
            let base = bases[0] + k * strides[0].last().copied().unwrap_or(0);
            let mut best = source[base as usize];
            let mut best_idx = 0;
            // The first NaN wins, as in numpy.
            if !best.is_nan() {
                for idx in 1..len {
                    let candidate = source[(base + idx as isize * step) as usize];
                    if candidate.is_nan() || better(candidate, best) {
                        best = candidate;
                        best_idx = idx;
                        if candidate.is_nan() {
                            break;
                        }
                    }
                }
            }
            out[(bases[1] + k * strides[1].last().copied().unwrap_or(0)) as usize] =
                best_idx as i64;
        }
    });
}

fn scan<T: Storage>(source: &[T], view: &View, op: ReduceOp, axis: usize, out: &mut [T]) {
    let len = view.shape[axis];
    if len == 0 {
        return;
    }
    let out_strides = view.shape.contiguous_strides();
    let (step, out_step) = (view.strides[axis], out_strides[axis]);
    let lines = keep_dims(&view.shape, &[axis]);
    let (shape, strides) = merge_dims(&lines, &[&view.strides, &out_strides]);
    for_each_row(&shape, &strides, &[view.offset, 0], |bases, row_len| {
        let (in_step, o_step) = (
            strides[0].last().copied().unwrap_or(0),
            strides[1].last().copied().unwrap_or(0),
        );
        for k in 0..row_len as isize {
            let (base, out_base) = (bases[0] + k * in_step, bases[1] + k * o_step);
            let mut acc = source[base as usize];
            out[out_base as usize] = acc;
            for idx in 1..len as isize {
                acc = op.combine(acc, source[(base + idx * step) as usize]);
                out[(out_base + idx * out_step) as usize] = acc;
            }
        }
    });
}

fn matmul<T: Storage>(
    lhs: &[T],
    lhs_view: &View,
    rhs: &[T],
    rhs_view: &View,
    out: &mut [T],
    epilogue: Option<&gemm::Epilogue<'_, T>>,
) {
    let nd = lhs_view.shape.ndim();
    let (m, k, n) = (
        lhs_view.shape[nd - 2],
        lhs_view.shape[nd - 1],
        rhs_view.shape[nd - 1],
    );
    let batch_shape = &lhs_view.shape[..nd - 2];
    let out_batch_strides: Vec<isize> = Shape::new(batch_shape)
        .contiguous_strides()
        .iter()
        .map(|s| s * (m * n) as isize)
        .collect();
    let (shape, strides) = merge_dims(
        batch_shape,
        &[
            &lhs_view.strides[..nd - 2],
            &rhs_view.strides[..nd - 2],
            &out_batch_strides,
        ],
    );
    let layout = |view: &View, offset: isize, batch: usize, batch_stride: isize| MatrixLayout {
        batch,
        rows: view.shape[nd - 2],
        cols: view.shape[nd - 1],
        strides: [batch_stride, view.strides[nd - 2], view.strides[nd - 1]],
        offset,
    };
    let batch_strides = inner_steps(&strides);
    for_each_row(
        &shape,
        &strides,
        &[lhs_view.offset, rhs_view.offset, 0],
        |bases, batch| {
            let out_len = batch * m * n;
            let first = bases[2] as usize;
            // A single merged batch dimension keeps the output contiguous across the row.
            debug_assert!(batch <= 1 || batch_strides[2] == (m * n) as isize);
            // The epilogue counts elements from the start of the whole output.
            let shifted = epilogue
                .map(|epilogue| move |start: usize, rows: &mut [T]| epilogue(first + start, rows));
            gemm::matmul(
                lhs,
                &layout(lhs_view, bases[0], batch, batch_strides[0]),
                rhs,
                &layout(rhs_view, bases[1], batch, batch_strides[1]),
                &mut out[first..first + out_len],
                shifted.as_ref().map(|f| f as &gemm::Epilogue<'_, T>),
            );
        },
    );
    let _ = k;
}

/// Converts typed values back out of the IR's scalar type.
trait ToElement {
    fn to_element<T: Element>(self) -> Option<T>;
}

impl ToElement for lazygrad_ir::Value {
    fn to_element<T: Element>(self) -> Option<T> {
        T::from_value(self)
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::test_random::next_random;
    use lazygrad_ir::{BinaryOp, CompareOp, Domain, Operand, Shape, UnaryOp, Value, View};

    /// Assigns registers and checks the assignment's invariants: no instruction writes a
    /// register it reads, no value is overwritten before its last reader, registers hold one
    /// dtype, and constants, `pinned` loads and the result keep registers of their own.
    fn check_assignment(program: &Program, pinned: &[usize]) -> Vec<usize> {
        let phys = assign_registers(program, pinned);
        let instrs = &program.instrs;
        let own = |idx: usize| {
            idx + 1 == instrs.len()
                || pinned.contains(&idx)
                || matches!(instrs[idx].0, Instr::Const(_))
        };
        for (idx, (instr, dtype)) in instrs.iter().enumerate() {
            for input in instr.inputs() {
                assert_ne!(
                    phys[input], phys[idx],
                    "instruction {idx} writes what it reads"
                );
            }
            let last_reader = (idx..instrs.len())
                .filter(|&j| instrs[j].0.inputs().contains(&idx))
                .max();
            if let Some(last_reader) = last_reader {
                assert!(
                    (idx + 1..last_reader).all(|j| phys[j] != phys[idx]),
                    "register of {idx} reused before its reader {last_reader}"
                );
            }
            for (j, (_, other)) in instrs.iter().enumerate() {
                if phys[j] == phys[idx] {
                    assert_eq!(dtype, other, "instructions {idx} and {j} share a register");
                    assert!(
                        j == idx || !own(idx),
                        "instruction {idx} shares its own register"
                    );
                }
            }
        }
        phys
    }

    #[test]
    fn registers_of_mixed_dtypes_and_product_loads_keep_their_invariants() {
        let f64s = |n| (Instr::Load(n), DType::F64);
        let program = Program {
            operands: (0..2)
                .map(|slot| Operand {
                    slot,
                    view: View::contiguous(&Shape::new(&[3])),
                })
                .collect(),
            instrs: vec![
                f64s(0),
                f64s(1),
                (Instr::Compare(CompareOp::Lt, 1, 0), DType::Bool),
                (Instr::Where(2, 0, 1), DType::F64),
                (Instr::Unary(UnaryOp::Neg, 3), DType::F64),
                (Instr::Cast(DType::F32, 4), DType::F32),
                (Instr::Cast(DType::F64, 5), DType::F64),
                (Instr::Compare(CompareOp::Lt, 6, 0), DType::Bool),
                (Instr::Where(7, 6, 1), DType::F64),
                (Instr::Binary(BinaryOp::Add, 8, 0), DType::F64),
            ],
            shape: Shape::new(&[3]),
        };
        check_assignment(&program, &[]);
        // As an epilogue whose operand 0 is the product, filled by the caller before each block.
        check_assignment(&program, &[0]);
        let slots = vec![
            Some(Arc::new(Buffer::F64(vec![1.0, 5.0, -2.0]))),
            Some(Arc::new(Buffer::F64(vec![2.0, 3.0, -3.0]))),
        ];
        let mut out = vec![0.0f64; 3];
        eval_range(&program, &slots, None, 0, &mut out);
        // m = max(a, b); where(-m < a, -m, b) + a.
        assert_eq!(out, vec![-1.0, 0.0, -5.0]);
    }

    #[test]
    fn registers_are_shared_by_values_never_live_at_once() {
        // x + 1 + 1 + ... : the load, the constant, two registers the chain alternates between,
        // and the result's own.
        let mut instrs = vec![
            (Instr::Load(0), DType::F64),
            (Instr::Const(Value::F64(1.0)), DType::F64),
        ];
        for _ in 0..1000 {
            let prev = if instrs.len() == 2 {
                0
            } else {
                instrs.len() - 1
            };
            instrs.push((Instr::Binary(BinaryOp::Add, prev, 1), DType::F64));
        }
        // A value read twice, by instructions far apart, stays live in between.
        let last = instrs.len() - 1;
        instrs.push((Instr::Binary(BinaryOp::Mul, last, 0), DType::F64));
        let program = Program {
            operands: vec![Operand {
                slot: 0,
                view: View::contiguous(&Shape::new(&[4])),
            }],
            instrs,
            shape: Shape::new(&[4]),
        };
        let phys = check_assignment(&program, &[]);
        let count = phys.iter().max().map_or(0, |&p| p + 1);
        assert!(count <= 5, "{count} registers for a chain");
        // And the chain computes what it says, block by block.
        let slots = vec![Some(Arc::new(Buffer::F64(vec![1.0, 2.0, 3.0, 4.0])))];
        let mut out = vec![0.0f64; 4];
        eval_range(&program, &slots, None, 0, &mut out);
        assert_eq!(out, vec![1001.0, 2004.0, 3009.0, 4016.0]);
    }

    /// Float edge cases: zeros of both signs, infinities, NaN, a subnormal (zero in float32),
    /// huge and tiny magnitudes, and values that wrap or round in the integer dtypes.
    const EDGE_CASES: [f64; 13] = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        1e-310,
        -3e38,
        7e300,
        0.5,
        -2.5,
        255.0,
    ];

    /// Block values of `dtype` with the float edge cases (zeros of both signs, infinities, NaN,
    /// subnormals, huge and tiny magnitudes) and wrapping integers. The edge cases sit at a
    /// different place in each seed's block, so binary ops meet them against ordinary values
    /// and against each other.
    fn block(dtype: DType, seed: u64) -> Buffer {
        let specials = EDGE_CASES.into_iter();
        let mut state = seed;
        let mut values: Vec<f64> = specials
            .chain(std::iter::repeat_with(|| {
                (next_random(&mut state) as f64 / (1u64 << 32) as f64 - 0.5) * 200.0
            }))
            .take(BLOCK)
            .collect();
        values.rotate_right(seed as usize * 5);
        let element = |v: f64| Value::F64(v).cast(dtype);
        with_dtype!(dtype, T => T::wrap(
            values
                .into_iter()
                .map(|v| element(v).to_element::<T>().expect("cast gives the dtype asked for"))
                .collect()
        ))
    }

    /// Runs `instr` (whose operands are registers 0..3, already holding blocks of `dtypes`)
    /// through the AVX2 variant and the baseline, and checks both give the same bits. Register
    /// `constant`, if any, is a constant, which binary ops take as a scalar.
    fn same_bits(instr: Instr, dtypes: [DType; 3], out_dtype: DType, constant: Option<usize>) {
        let regs: Vec<Buffer> = dtypes
            .iter()
            .zip(1..)
            .map(|(&d, seed)| block(d, seed))
            .collect();
        let mut instrs: Vec<(Instr, DType)> = dtypes.map(|d| (Instr::Load(0), d)).to_vec();
        if let Some(reg) = constant {
            // `compute` reads a constant's value from its register, so the value here is moot.
            instrs[reg].0 = Instr::Const(Value::F64(0.0));
        }
        instrs.push((instr.clone(), out_dtype));
        let program = Program {
            operands: Vec::new(),
            instrs,
            shape: Shape::new(&[BLOCK]),
        };
        let args = Args {
            program: &program,
            slots: &[],
            regs: &regs,
            phys: &[0, 1, 2, 3],
            direct: &[Source::Register; 4],
            output: None,
            n: BLOCK,
        };
        with_dtype!(out_dtype, U => {
            let mut baseline = vec![U::ZERO; BLOCK];
            let mut avx2 = vec![U::ZERO; BLOCK];
            args.compute_any::<U>(&instr, &mut baseline);
            // SAFETY: the caller checked that this CPU has AVX2.
            unsafe { args.compute_avx2::<U>(&instr, &mut avx2) };
            // Debug prints each float's shortest round-trip form and the sign of a zero, so
            // equal strings mean equal bits up to a NaN's payload.
            assert_eq!(
                format!("{baseline:?}"),
                format!("{avx2:?}"),
                "{instr:?} on {dtypes:?}, constant register {constant:?}"
            );
        });
    }

    /// A buffer of `len` elements of `dtype`: [`block`]'s edge cases and random values, tiled.
    fn tiled(dtype: DType, seed: u64, len: usize) -> Arc<Buffer> {
        with_dtype!(dtype, T => {
            let block = block(dtype, seed);
            let block = typed::<T>(&block);
            Arc::new(T::wrap(block.iter().copied().cycle().take(len).collect()))
        })
    }

    /// The programs `jit.rs` compiles: each unary op, each binary op with two loaded operands
    /// and with a constant on either side, and a chain reading all three operands.
    fn compilable_programs(dtype: DType, operands: &[Operand], shape: &Shape) -> Vec<Program> {
        let load = |k| (Instr::Load(k), dtype);
        let constant = (Instr::Const(Value::F64(0.3)), dtype);
        let mut programs: Vec<Vec<(Instr, DType)>> = Vec::new();
        for op in [UnaryOp::Neg, UnaryOp::Abs, UnaryOp::Sqrt, UnaryOp::Recip] {
            programs.push(vec![load(0), (Instr::Unary(op, 0), dtype)]);
        }
        for op in [
            BinaryOp::Add,
            BinaryOp::Sub,
            BinaryOp::Mul,
            BinaryOp::Div,
            BinaryOp::Maximum,
            BinaryOp::Minimum,
        ] {
            programs.push(vec![load(0), load(1), (Instr::Binary(op, 0, 1), dtype)]);
            programs.push(vec![
                load(2),
                constant.clone(),
                (Instr::Binary(op, 0, 1), dtype),
            ]);
            programs.push(vec![
                constant.clone(),
                load(1),
                (Instr::Binary(op, 0, 1), dtype),
            ]);
        }
        // sqrt(a*b + c*c) * 0.5, the benched expression, with `c` as given.
        programs.push(vec![
            load(0),
            load(1),
            (Instr::Binary(BinaryOp::Mul, 0, 1), dtype),
            load(2),
            (Instr::Binary(BinaryOp::Mul, 3, 3), dtype),
            (Instr::Binary(BinaryOp::Add, 2, 4), dtype),
            (Instr::Unary(UnaryOp::Sqrt, 5), dtype),
            (Instr::Const(Value::F64(0.5)), dtype),
            (Instr::Binary(BinaryOp::Mul, 6, 7), dtype),
        ]);
        programs
            .into_iter()
            .map(|instrs| Program {
                operands: operands.to_vec(),
                instrs,
                shape: shape.clone(),
            })
            .collect()
    }

    /// Runs `program` with compiled code (which must be used) and in the VM, optionally with
    /// operand `product` written in place, and checks both give the same bits.
    fn same_bits_compiled(
        program: &Program,
        slots: &[Option<Arc<Buffer>>],
        product: Option<usize>,
    ) {
        let dtype = program.dtype();
        let len = program.shape.size();
        assert!(
            jit::with_jit(true, || compiled_iteration(program, product)).is_some(),
            "not compiled: {program:?}"
        );
        let run = |jit_on: bool| {
            let mut slots = slots.to_vec();
            let mut out = match product {
                Some(k) => Arc::unwrap_or_clone(
                    slots[program.operands[k].slot]
                        .take()
                        .expect("a product slot"),
                ),
                None => Buffer::zeros(dtype, len),
            };
            let compiled = jit::with_jit(jit_on, || {
                run_elementwise(program, &slots, product, &mut out)
            });
            assert_eq!(compiled, jit_on, "compiled code ran only with the JIT on");
            out
        };
        let (compiled, vm) = (run(true), run(false));
        with_dtype!(dtype, T => {
            let (compiled, vm) = (typed::<T>(&compiled), typed::<T>(&vm));
            if let Some(i) = (0..len).find(|&i| format!("{:?}", compiled[i]) != format!("{:?}", vm[i])) {
                panic!("element {i}: compiled {:?}, VM {:?}, program {:?}", compiled[i], vm[i], program.instrs);
            }
        });
    }

    #[test]
    fn compiled_code_gives_the_vms_bits() {
        // Three rows of 50 001 elements: 150 003 elements, above `JIT_MIN`, with an odd row
        // length so each row ends in the scalar tail.
        let (rows, cols) = (3, 50_001);
        let shape = Shape::new(&[rows, cols]);
        for dtype in [DType::F32, DType::F64] {
            let slots: Vec<Option<Arc<Buffer>>> = (0..3)
                .map(|seed| Some(tiled(dtype, seed + 1, rows * (cols + 1) + 1)))
                .collect();
            let view = |strides: [isize; 2], offset| View {
                shape: shape.clone(),
                strides: strides.into_iter().collect(),
                offset,
            };
            let contiguous = View::contiguous(&shape);
            // Operand 0 starts one element in (misaligned for every vector width) and skips an
            // element per row, as a slice `x[:, 1:]` does; operand 2 is a column broadcast along
            // the rows, read with step 0.
            let layouts = [
                [contiguous.clone(), contiguous.clone(), contiguous.clone()],
                [
                    view([cols as isize + 1, 1], 1),
                    contiguous.clone(),
                    view([1, 0], 5),
                ],
            ];
            for views in layouts {
                let operands: Vec<Operand> = views
                    .into_iter()
                    .enumerate()
                    .map(|(slot, view)| Operand { slot, view })
                    .collect();
                for program in compilable_programs(dtype, &operands, &shape) {
                    same_bits_compiled(&program, &slots, None);
                }
            }
            // Written in place: operand 1 is the output's own buffer.
            let operands: Vec<Operand> = (0..3)
                .map(|slot| Operand {
                    slot,
                    view: contiguous.clone(),
                })
                .collect();
            let mut in_place = slots.clone();
            in_place[1] = Some(tiled(dtype, 9, rows * cols));
            for program in compilable_programs(dtype, &operands, &shape) {
                if program
                    .instrs
                    .iter()
                    .any(|(instr, _)| *instr == Instr::Load(1))
                {
                    same_bits_compiled(&program, &in_place, Some(1));
                }
            }
        }
    }

    #[test]
    fn compiled_binary_ops_order_every_pair_of_edge_cases_as_the_vm_does() {
        // Operand 0 runs through the edge cases one by one and operand 1 through them once per
        // 13 elements, so every ordered pair (+0 and -0, NaN and a number, both infinities)
        // meets in each binary op, in both dtypes; `block`'s seeds never line +0 up with -0.
        let specials = EDGE_CASES;
        let k = specials.len();
        let len = jit::JIT_MIN + 7;
        let shape = Shape::new(&[len]);
        for dtype in [DType::F32, DType::F64] {
            let column = |pick: &dyn Fn(usize) -> f64| {
                with_dtype!(dtype, T => Some(Arc::new(T::wrap(
                    (0..len)
                        .map(|i| Value::F64(pick(i)).cast(dtype).to_element::<T>().expect("a float"))
                        .collect()
                ))))
            };
            let slots = vec![
                column(&|i| specials[i % k]),
                column(&|i| specials[(i / k) % k]),
                column(&|i| specials[(i / (k * k)) % k]),
            ];
            let operands: Vec<Operand> = (0..3)
                .map(|slot| Operand {
                    slot,
                    view: View::contiguous(&shape),
                })
                .collect();
            for program in compilable_programs(dtype, &operands, &shape) {
                same_bits_compiled(&program, &slots, None);
            }
        }
    }

    #[test]
    fn compiled_code_handles_every_row_length() {
        // Rows of 64 to 80 elements cover every tail length of both vector widths, and
        // offsets 0 to 3 every alignment of a float32 vector.
        for dtype in [DType::F32, DType::F64] {
            for cols in 64..=80 {
                for offset in 0..4 {
                    let shape = Shape::new(&[JIT_ROWS, cols]);
                    let view = View {
                        shape: shape.clone(),
                        strides: [cols as isize + 3, 1].into_iter().collect(),
                        offset,
                    };
                    let slots: Vec<Option<Arc<Buffer>>> = (0..3)
                        .map(|seed| Some(tiled(dtype, seed + 4, JIT_ROWS * (cols + 3) + 4)))
                        .collect();
                    let operands: Vec<Operand> = (0..3)
                        .map(|slot| Operand {
                            slot,
                            view: view.clone(),
                        })
                        .collect();
                    let program = compilable_programs(dtype, &operands, &shape)
                        .pop()
                        .expect("a chain");
                    same_bits_compiled(&program, &slots, None);
                }
            }
        }
    }

    /// Rows in `compiled_code_handles_every_row_length`: enough that its kernels reach `JIT_MIN`.
    const JIT_ROWS: usize = jit::JIT_MIN / 64 + 1;

    #[test]
    fn programs_the_jit_cannot_lower_run_in_the_vm() {
        let shape = Shape::new(&[jit::JIT_MIN]);
        let operands = vec![Operand {
            slot: 0,
            view: View::contiguous(&shape),
        }];
        let program = |instrs| Program {
            operands: operands.clone(),
            instrs,
            shape: shape.clone(),
        };
        let f32 = DType::F32;
        let rejected = [
            // An op without a lowering.
            program(vec![
                (Instr::Load(0), f32),
                (Instr::Unary(UnaryOp::Exp, 0), f32),
            ]),
            // An integer dtype.
            program(vec![
                (Instr::Load(0), DType::I64),
                (Instr::Unary(UnaryOp::Neg, 0), DType::I64),
            ]),
            // A cast between dtypes.
            program(vec![
                (Instr::Load(0), DType::F64),
                (Instr::Cast(f32, 0), f32),
            ]),
        ];
        for program in rejected {
            assert!(
                jit::with_jit(true, || compiled_iteration(&program, None)).is_none(),
                "{program:?}"
            );
        }
        let accepted = program(vec![
            (Instr::Load(0), f32),
            (Instr::Unary(UnaryOp::Sqrt, 0), f32),
        ]);
        assert!(jit::with_jit(true, || compiled_iteration(&accepted, None)).is_some());
        assert!(jit::with_jit(false, || compiled_iteration(&accepted, None)).is_none());
        // Rows shorter than the minimum run in the VM even when the program compiles. (Rows
        // of 8 padded to 9, so that merging dimensions cannot make them one long row.)
        let short = Shape::new(&[jit::JIT_MIN / 8, 8]);
        let padded = View {
            shape: short.clone(),
            strides: [9, 1].into_iter().collect(),
            offset: 0,
        };
        let short = Program {
            operands: vec![Operand {
                slot: 0,
                view: padded,
            }],
            shape: short,
            ..accepted
        };
        assert!(jit::with_jit(true, || compiled_iteration(&short, None)).is_none());
    }

    #[test]
    fn avx2_variant_gives_the_baselines_bits() {
        if !std::is_x86_feature_detected!("avx2") {
            eprintln!("no AVX2 on this CPU: only the baseline runs here");
            return;
        }
        for dtype in DType::ALL {
            let admits = |domain: Domain| domain.admits(dtype);
            for &op in UnaryOp::ALL.iter().filter(|op| admits(op.domain())) {
                same_bits(Instr::Unary(op, 0), [dtype; 3], dtype, None);
            }
            for &op in BinaryOp::ALL.iter().filter(|op| admits(op.domain())) {
                for constant in [None, Some(0), Some(1)] {
                    same_bits(Instr::Binary(op, 0, 1), [dtype; 3], dtype, constant);
                }
            }
            for &op in CompareOp::ALL {
                same_bits(Instr::Compare(op, 0, 1), [dtype; 3], DType::Bool, None);
            }
            same_bits(
                Instr::Where(0, 1, 2),
                [DType::Bool, dtype, dtype],
                dtype,
                None,
            );
            for to in DType::ALL {
                same_bits(Instr::Cast(to, 0), [dtype; 3], to, None);
            }
        }
    }
}
