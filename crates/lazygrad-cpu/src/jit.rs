//! Single-pass machine code for large elementwise kernels, compiled at run time with Cranelift.
//!
//! The block VM (`exec.rs`) runs a fused program one instruction at a time over blocks of
//! [`crate::BLOCK`] elements. That costs nothing in dispatch, but at 10M elements it runs at
//! half the speed of a hand-written single-pass loop: while an instruction loops over registers
//! already in cache, no load from memory is in flight, so the memory bus idles between the
//! passes that read operands. A loop that computes each element from its loads to its store
//! keeps the bus busy, and that loop is what this module generates: one function per program,
//! four float32 or two float64 lanes per iteration and a scalar tail, each instruction lowered
//! to the IEEE operation the op table's row computes, so results are the VM's bit for bit (up
//! to a NaN's payload and sign, which neither side fixes when both operands are NaN).
//!
//! Only programs whose every instruction this module can lower are compiled (`key`), and only
//! kernels of at least [`JIT_MIN`] elements use it, where a compile (about 0.3-1 ms) is paid
//! back by the first run or two and then cached. Everything else runs in the block VM.
//!
//! Architecture Invariant: compiled code computes exactly what the block VM computes, bit for
//! bit up to NaN payloads; `LAZYGRAD_JIT=0` (or [`with_jit`]) runs the VM instead, and the tests compare the two.

use cranelift_codegen::ir::types::{F32, F32X4, F64, F64X2};
use cranelift_codegen::ir::{
    AbiParam, InstBuilder, MemFlagsData, Type, Value as IrValue,
    condcodes::{FloatCC, IntCC},
};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{Module, default_libcall_names};
use lazygrad_ir::{BinaryOp, DType, Instr, Program, UnaryOp, Value};
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Elementwise kernels of at least this many elements run compiled code when they can: below
/// it, the kernel takes less time than compiling it would.
pub(crate) const JIT_MIN: usize = 1 << 17;

/// The most programs compiled in one process. Compiled code is never freed (the plan cache
/// keeps replaying the same kernels, so it stays in use), and this bound caps its memory at a
/// few megabytes; programs beyond it run in the block VM.
const MAX_COMPILED: usize = 256;

/// The longest program compiled, in instructions. The compiled loop pays where the block VM's
/// pass per instruction leaves memory idle, which matters for short, memory-bound programs; a
/// long chain is bound by its arithmetic in either form, and compiling thousands of
/// instructions would take longer than running them (a fused chain can be a million long).
const MAX_INSTRUCTIONS: usize = 1024;

/// The signature of compiled code: `code(n, operands, out)` writes `n` results to `out`, reading
/// operand `k` from `operands[k]`, `n` consecutive elements if it is loaded with unit step or one
/// element if with step 0.
type Code = unsafe extern "C" fn(usize, *const *const u8, *mut u8);

/// A compiled elementwise program.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Compiled {
    code: Code,
    /// The number of operand pointers the code reads (the program's operand count).
    operands: usize,
}

impl Compiled {
    /// Runs the code over `n` elements.
    ///
    /// # Safety
    /// `out` must be valid for `n` writes of the program's dtype. For each operand the program
    /// loads (`operands` holds one pointer per program operand; that length is asserted), `operands[k]` must be valid for reads of `n` elements of that dtype if the program
    /// was compiled with step 1 for it, or of one element if with step 0; it may equal `out`
    /// (an operand written in place), but must not overlap it otherwise.
    pub(crate) unsafe fn run(self, n: usize, operands: &[*const u8], out: *mut u8) {
        assert_eq!(
            operands.len(),
            self.operands,
            "one pointer per program operand"
        );
        // SAFETY: the caller upholds the code's contract; the code reads `operands` only at
        // the indices of the program's loads, all below the program's operand count (checked
        // in `key`), which is `operands.len()` (asserted above).
        unsafe { (self.code)(n, operands.as_ptr(), out) }
    }
}

thread_local! {
    static JIT_OVERRIDE: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Whether compiled code may run: `LAZYGRAD_JIT=0` turns it off, [`with_jit`] overrides it per
/// thread (the thread that realizes; the decision is made once per kernel, before its tasks are
/// split across threads).
pub fn jit_enabled() -> bool {
    static FROM_ENV: OnceLock<bool> = OnceLock::new();
    JIT_OVERRIDE.with(Cell::get).unwrap_or_else(|| {
        *FROM_ENV.get_or_init(|| std::env::var("LAZYGRAD_JIT").map_or(true, |v| v != "0"))
    })
}

/// Runs `body` with compiled elementwise code allowed or not on this thread, as `LAZYGRAD_JIT`
/// does for the whole process. Results are the same either way (up to a NaN's payload); only the
/// speed differs.
pub fn with_jit<R>(enabled: bool, body: impl FnOnce() -> R) -> R {
    let before = JIT_OVERRIDE.with(|cell| cell.replace(Some(enabled)));
    let result = body();
    JIT_OVERRIDE.with(|cell| cell.set(before));
    result
}

/// How many elementwise programs this process has compiled to machine code so far.
pub fn jit_programs() -> usize {
    let cache = COMPILED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.as_ref().map_or(0, |cache| {
        cache.values().filter(|code| code.is_some()).count()
    })
}

/// Compiled programs by key; `None` records a program whose compile failed, so it is not retried.
static COMPILED: Mutex<Option<HashMap<Vec<u64>, Option<Compiled>>>> = Mutex::new(None);

/// The compiled code of `program`, iterated with `steps[k]` the inner step of operand `k` (one
/// step per operand); `None` if the program has an instruction or step this module does not
/// lower, or the JIT is off.
pub(crate) fn compiled(program: &Program, steps: &[isize]) -> Option<Compiled> {
    if !jit_enabled() {
        return None;
    }
    if steps.len() != program.operands.len() || program.instrs.len() > MAX_INSTRUCTIONS {
        return None;
    }
    let key = key(program, steps)?;
    let mut cache = COMPILED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some(&found) = cache.get(&key) {
        return found;
    }
    if cache.len() >= MAX_COMPILED {
        return None;
    }
    let compiled = compile(program, steps).ok();
    cache.insert(key, compiled);
    compiled
}

/// A structural key of what the compiled code depends on: the instructions, their dtype and
/// the operands' steps. `None` unless every instruction is one `compile` lowers: loads with
/// step 0 or 1, constants, float arithmetic, `maximum` and `minimum`, all in one dtype, float32
/// or float64.
fn key(program: &Program, steps: &[isize]) -> Option<Vec<u64>> {
    let dtype = program.dtype();
    if !matches!(dtype, DType::F32 | DType::F64) {
        return None;
    }
    let mut key = vec![dtype as u64];
    for (instr, instr_dtype) in &program.instrs {
        if *instr_dtype != dtype {
            return None;
        }
        match *instr {
            Instr::Load(operand) => {
                let step = *steps.get(operand)?;
                if !(step == 0 || step == 1) {
                    return None;
                }
                key.extend([0, operand as u64, step as u64]);
            }
            Instr::Const(value) => key.extend([1, constant(value, dtype)?]),
            Instr::Unary(op, a) => {
                unary_supported(op).then_some(())?;
                key.extend([2, op as u64, a as u64]);
            }
            Instr::Binary(op, a, b) => {
                binary_supported(op).then_some(())?;
                key.extend([3, op as u64, a as u64, b as u64]);
            }
            Instr::Compare(..) | Instr::Where(..) | Instr::Cast(..) => return None,
        }
    }
    Some(key)
}

fn unary_supported(op: UnaryOp) -> bool {
    matches!(
        op,
        UnaryOp::Neg | UnaryOp::Abs | UnaryOp::Sqrt | UnaryOp::Recip
    )
}

fn binary_supported(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Add
            | BinaryOp::Sub
            | BinaryOp::Mul
            | BinaryOp::Div
            | BinaryOp::Maximum
            | BinaryOp::Minimum
    )
}

/// The bits of a constant cast to `dtype`, the cast the VM's registers are filled with.
fn constant(value: Value, dtype: DType) -> Option<u64> {
    match value.cast(dtype) {
        Value::F32(v) => Some(u64::from(v.to_bits())),
        Value::F64(v) => Some(v.to_bits()),
        _ => None,
    }
}

/// Why a compile failed; it is not reported beyond falling back to the VM, which cannot fail.
#[derive(Debug)]
struct CompileError(#[allow(dead_code)] String);

fn error(e: impl std::fmt::Display) -> CompileError {
    CompileError(e.to_string())
}

/// Compiles `program` (which `key` accepted) into a function of [`Code`]'s signature.
fn compile(program: &Program, steps: &[isize]) -> Result<Compiled, CompileError> {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").map_err(error)?;
    let isa = cranelift_native::builder()
        .map_err(error)?
        .finish(settings::Flags::new(flags))
        .map_err(error)?;
    let mut module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
    let ptr = module.target_config().pointer_type();
    let mut ctx = module.make_context();
    for _ in 0..3 {
        ctx.func.signature.params.push(AbiParam::new(ptr));
    }
    let mut builder_context = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut ctx.func, &mut builder_context);
    let (scalar, vector, size) = match program.dtype() {
        DType::F32 => (F32, F32X4, 4),
        _ => (F64, F64X2, 8),
    };
    let lanes = i64::from(vector.lane_count());
    // Operands may sit at any element offset, so loads and stores claim no alignment; they
    // cannot trap because the caller guarantees the ranges (`Compiled::run`).
    let mem = MemFlagsData::new().with_notrap();

    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    let vector_head = b.create_block();
    b.append_block_param(vector_head, ptr);
    let vector_body = b.create_block();
    let scalar_head = b.create_block();
    b.append_block_param(scalar_head, ptr);
    let scalar_body = b.create_block();
    let exit = b.create_block();

    // Entry: read the operand pointers, and broadcast operands' one value, once.
    b.switch_to_block(entry);
    let params = b.block_params(entry).to_vec();
    let (n, operand_ptrs, out) = (params[0], params[1], params[2]);
    let mut pointers = vec![None; steps.len()];
    let mut scalars = vec![None; steps.len()];
    for (instr, _) in &program.instrs {
        if let Instr::Load(k) = *instr
            && pointers[k].is_none()
        {
            let offset = k * ptr.bytes() as usize;
            let pointer = b.ins().load(ptr, mem, operand_ptrs, offset as i32);
            pointers[k] = Some(pointer);
            if steps[k] == 0 {
                scalars[k] = Some(b.ins().load(scalar, mem, pointer, 0));
            }
        }
    }
    let zero = b.ins().iconst(ptr, 0);
    b.ins().jump(vector_head, &[zero.into()]);

    // The vector loop, while a whole vector of elements is left.
    b.switch_to_block(vector_head);
    let i = b.block_params(vector_head)[0];
    let next = b.ins().iadd_imm_u(i, lanes);
    let fits = b.ins().icmp(IntCC::UnsignedLessThanOrEqual, next, n);
    b.ins()
        .brif(fits, vector_body, &[], scalar_head, &[i.into()]);
    b.switch_to_block(vector_body);
    let lowering = Lowering {
        program,
        pointers: &pointers,
        scalars: &scalars,
        mem,
        size,
    };
    lowering.element(&mut b, vector, i, out);
    b.ins().jump(vector_head, &[next.into()]);

    // The scalar tail.
    b.switch_to_block(scalar_head);
    let i = b.block_params(scalar_head)[0];
    let left = b.ins().icmp(IntCC::UnsignedLessThan, i, n);
    b.ins().brif(left, scalar_body, &[], exit, &[]);
    b.switch_to_block(scalar_body);
    lowering.element(&mut b, scalar, i, out);
    let next = b.ins().iadd_imm_u(i, 1);
    b.ins().jump(scalar_head, &[next.into()]);

    b.switch_to_block(exit);
    b.ins().return_(&[]);
    b.seal_all_blocks();
    b.finalize(module.target_config());

    let id = module
        .declare_anonymous_function(&ctx.func.signature)
        .map_err(error)?;
    module.define_function(id, &mut ctx).map_err(error)?;
    module.finalize_definitions().map_err(error)?;
    let address = module.get_finalized_function(id);
    // The code must outlive every caller, and `COMPILED` hands it out until the process ends,
    // so its module is never freed (at most `MAX_COMPILED` of them).
    std::mem::forget(module);
    // SAFETY: the function was built with `Code`'s three pointer-sized parameters, no results
    // and the platform's default calling convention, which is `extern "C"`'s.
    let code = unsafe { std::mem::transmute::<*const u8, Code>(address) };
    Ok(Compiled {
        code,
        operands: steps.len(),
    })
}

/// `x` where it is NaN or `x <cc> y` holds, else `y`, lane by lane.
fn pick(b: &mut FunctionBuilder, cc: FloatCC, x: IrValue, y: IrValue) -> IrValue {
    let holds = b.ins().fcmp(cc, x, y);
    let nan = b.ins().fcmp(FloatCC::Unordered, x, x);
    let take_x = b.ins().bor(holds, nan);
    let ty = b.func.dfg.value_type(x);
    if ty.is_vector() {
        // A vector comparison gives integer lanes of all ones or all zeros; reinterpreted as
        // floats of the same width they select bits.
        let mask = b.ins().bitcast(ty, MemFlagsData::new(), take_x);
        b.ins().bitselect(mask, x, y)
    } else {
        b.ins().select(take_x, x, y)
    }
}

/// What lowering one element (or one vector of elements) of a program needs.
struct Lowering<'a> {
    program: &'a Program,
    pointers: &'a [Option<IrValue>],
    scalars: &'a [Option<IrValue>],
    mem: MemFlagsData,
    size: i64,
}

impl Lowering<'_> {
    /// Emits the program for the element(s) at index `i`, in `ty` (the scalar float type or its
    /// vector), and stores the result into `out`.
    fn element(&self, b: &mut FunctionBuilder, ty: Type, i: IrValue, out: IrValue) {
        let offset = b.ins().imul_imm_u(i, self.size);
        let broadcast = |b: &mut FunctionBuilder, x: IrValue| {
            if ty.is_vector() {
                b.ins().splat(ty, x)
            } else {
                x
            }
        };
        let mut regs: Vec<IrValue> = Vec::with_capacity(self.program.instrs.len());
        for (instr, _) in &self.program.instrs {
            let value = match *instr {
                Instr::Load(k) => match (self.scalars[k], self.pointers[k]) {
                    (Some(x), _) => broadcast(b, x),
                    (None, Some(pointer)) => {
                        let address = b.ins().iadd(pointer, offset);
                        b.ins().load(ty, self.mem, address, 0)
                    }
                    (None, None) => unreachable!("every load's pointer is read at entry"),
                },
                Instr::Const(value) => {
                    let bits = constant(value, self.program.dtype())
                        .expect("`key` accepted only float constants");
                    let x = if ty.lane_type() == F32 {
                        b.ins().f32const(f32::from_bits(bits as u32))
                    } else {
                        b.ins().f64const(f64::from_bits(bits))
                    };
                    broadcast(b, x)
                }
                Instr::Unary(op, a) => {
                    let x = regs[a];
                    match op {
                        UnaryOp::Neg => b.ins().fneg(x),
                        UnaryOp::Abs => b.ins().fabs(x),
                        UnaryOp::Sqrt => b.ins().sqrt(x),
                        UnaryOp::Recip => {
                            let one = if ty.lane_type() == F32 {
                                b.ins().f32const(1.0)
                            } else {
                                b.ins().f64const(1.0)
                            };
                            let one = broadcast(b, one);
                            b.ins().fdiv(one, x)
                        }
                        _ => unreachable!("`key` accepted only lowered unary ops"),
                    }
                }
                Instr::Binary(op, a, c) => {
                    let (x, y) = (regs[a], regs[c]);
                    match op {
                        BinaryOp::Add => b.ins().fadd(x, y),
                        BinaryOp::Sub => b.ins().fsub(x, y),
                        BinaryOp::Mul => b.ins().fmul(x, y),
                        BinaryOp::Div => b.ins().fdiv(x, y),
                        // The op table's `x.max(y)`: `x` if it is NaN or greater, else `y`.
                        // (Cranelift's `fmax` orders -0 below +0, which the row does not.)
                        BinaryOp::Maximum => pick(b, FloatCC::GreaterThan, x, y),
                        // `x` if it is NaN or less, else `y`.
                        BinaryOp::Minimum => pick(b, FloatCC::LessThan, x, y),
                        _ => unreachable!("`key` accepted only lowered binary ops"),
                    }
                }
                Instr::Compare(..) | Instr::Where(..) | Instr::Cast(..) => {
                    unreachable!("`key` accepted no comparison, where or cast")
                }
            };
            regs.push(value);
        }
        let result = *regs.last().expect("a program has at least one instruction");
        let address = b.ins().iadd(out, offset);
        b.ins().store(self.mem, result, address, 0);
    }
}
