//! The plan: kernels over buffer slots, listed one kernel per line or drawn one cluster per kernel.

use super::diagram::{self, Cluster, Diagram, Edge};
use super::text;
use lazygrad_cpu::KernelProfile;
use lazygrad_ir::{DType, Instr, Kernel, KernelKind, Operand, Plan, Program, Shape, View};
use std::fmt::Write;
use std::time::Duration;

/// What is known about one buffer slot of a plan.
#[derive(Clone, Debug, Default)]
struct Slot {
    dtype: Option<DType>,
    /// The shape a kernel writes; inputs are flat buffers of unknown shape.
    shape: Option<Shape>,
    /// The number of elements, when known (written by a kernel, or a bound input buffer).
    elements: Option<usize>,
    /// For an input whose buffer is not known: the elements its readers' views reach.
    reached: usize,
    writer: Option<usize>,
    last_read: Option<usize>,
    input: Option<usize>,
    outputs: Vec<usize>,
}

impl Slot {
    fn bytes(&self) -> Option<usize> {
        Some(self.elements? * self.dtype?.itemsize())
    }

    fn dtype_name(&self) -> &'static str {
        self.dtype.map(text::dtype).unwrap_or("?")
    }
}

/// A plan with what is known about it: the input buffers it was bound to, and timings.
pub(crate) struct PlanView<'a> {
    plan: &'a Plan,
    slots: Vec<Slot>,
    timings: Option<&'a [KernelProfile]>,
}

/// The operands of a kernel with the dtype each is read as, where the kernel tells.
fn operands_with_dtypes(kernel: &Kernel) -> Vec<(&Operand, Option<DType>)> {
    let program_dtypes = |program: &'_ Program| -> Vec<Option<DType>> {
        (0..program.operands.len())
            .map(|n| {
                program
                    .instrs
                    .iter()
                    .find_map(|(instr, dtype)| match instr {
                        Instr::Load(m) if *m == n => Some(*dtype),
                        _ => None,
                    })
            })
            .collect()
    };
    let own = Some(kernel.dtype);
    match &kernel.kind {
        KernelKind::Elementwise(program) | KernelKind::Reduce { program, .. } => program
            .operands
            .iter()
            .zip(program_dtypes(program))
            .collect(),
        KernelKind::ArgReduce { input, .. } => vec![(input, None)],
        KernelKind::Scan { input, .. } => vec![(input, own)],
        KernelKind::MatMul { lhs, rhs, epilogue } => {
            let mut list = vec![(lhs, own), (rhs, own)];
            if let Some(epilogue) = epilogue {
                let dtypes = program_dtypes(&epilogue.program);
                list.extend(
                    epilogue
                        .program
                        .operands
                        .iter()
                        .zip(dtypes)
                        .enumerate()
                        .filter(|(n, _)| *n != epilogue.product)
                        .map(|(_, pair)| pair),
                );
            }
            list
        }
        KernelKind::Assemble { parts, .. } => parts.iter().map(|(op, _)| (op, own)).collect(),
        KernelKind::Gather { input, indices } => std::iter::once((input, own))
            .chain(indices.iter().map(|i| (i, Some(DType::I64))))
            .collect(),
        KernelKind::Scatter {
            input,
            indices,
            values,
            ..
        } => std::iter::once((input, own))
            .chain(indices.iter().map(|i| (i, Some(DType::I64))))
            .chain(std::iter::once((values, own)))
            .collect(),
        KernelKind::Sort { input, indices, .. } => {
            vec![(input, if *indices { None } else { own })]
        }
    }
}

/// One past the largest buffer index a view reaches (0 for an empty view).
fn reach(view: &View) -> usize {
    if view.shape.contains(&0) {
        return 0;
    }
    let last: isize = view.offset
        + view
            .shape
            .iter()
            .zip(&view.strides)
            .map(|(&dim, &stride)| (dim as isize - 1) * stride.max(0))
            .sum::<isize>();
    (last + 1).max(0) as usize
}

impl<'a> PlanView<'a> {
    /// Describes `plan`; `inputs` gives the dtype and length of each bound input buffer.
    pub(crate) fn new(
        plan: &'a Plan,
        inputs: Option<&[(DType, usize)]>,
        timings: Option<&'a [KernelProfile]>,
    ) -> PlanView<'a> {
        let mut slots = vec![Slot::default(); plan.n_slots];
        for (idx, &slot) in plan.inputs.iter().enumerate() {
            slots[slot].input = Some(idx);
            if let Some(&(dtype, len)) = inputs.and_then(|inputs| inputs.get(idx)) {
                slots[slot].dtype = Some(dtype);
                slots[slot].elements = Some(len);
            }
        }
        for (k, kernel) in plan.kernels.iter().enumerate() {
            for (operand, dtype) in operands_with_dtypes(kernel) {
                let slot = &mut slots[operand.slot];
                slot.last_read = Some(k);
                slot.dtype = slot.dtype.or(dtype);
                slot.reached = slot.reached.max(reach(&operand.view));
            }
            let out = &mut slots[kernel.out];
            out.writer = Some(k);
            out.dtype = Some(kernel.dtype);
            out.shape = Some(kernel.shape.clone());
            out.elements = Some(kernel.shape.size());
        }
        for (idx, output) in plan.outputs.iter().enumerate() {
            slots[output.slot].outputs.push(idx);
        }
        PlanView {
            plan,
            slots,
            timings,
        }
    }

    /// The last kernel during which a written slot must be kept: its last reader, or the end
    /// of the plan for an output.
    fn live_until(&self, slot: usize) -> usize {
        let info = &self.slots[slot];
        if !info.outputs.is_empty() {
            return self.plan.kernels.len();
        }
        info.last_read.or(info.writer).unwrap_or(0)
    }

    /// The most bytes of kernel-written slots alive at once, were each freed after its last reader.
    fn peak_bytes(&self) -> usize {
        (0..self.plan.kernels.len())
            .map(|k| {
                (0..self.slots.len())
                    .filter(|&s| {
                        self.slots[s]
                            .writer
                            .is_some_and(|w| w <= k && k <= self.live_until(s))
                    })
                    .map(|s| self.slots[s].bytes().unwrap_or(0))
                    .sum()
            })
            .max()
            .unwrap_or(0)
    }

    fn liveness(&self, slot: usize) -> String {
        let info = &self.slots[slot];
        if !info.outputs.is_empty() {
            let outputs: Vec<String> = info.outputs.iter().map(|o| format!("output {o}")).collect();
            return outputs.join(", ");
        }
        match (info.writer, info.last_read) {
            (Some(w), Some(r)) => format!("live k{w}..k{r}"),
            (Some(_), None) => "never read".to_string(),
            _ => String::new(),
        }
    }

    fn total_time(&self) -> Duration {
        self.timings
            .map(|t| t.iter().map(|k| k.elapsed).sum())
            .unwrap_or_default()
    }

    fn max_time(&self) -> Duration {
        self.timings
            .and_then(|t| t.iter().map(|k| k.elapsed).max())
            .unwrap_or_default()
    }

    fn timing(&self, kernel: usize) -> Option<&KernelProfile> {
        self.timings?.iter().find(|t| t.kernel == kernel)
    }

    fn header(&self) -> String {
        let mut header = format!(
            "plan: {} kernels, {} slots, peak {}",
            self.plan.kernels.len(),
            self.plan.n_slots,
            text::bytes(self.peak_bytes())
        );
        if self.timings.is_some() {
            let _ = write!(header, ", total {}", text::duration(self.total_time()));
        }
        header
    }

    /// `s0:f32[3,4]`, or `s0:f32` for an input of unknown shape.
    fn slot_name(&self, slot: usize) -> String {
        let info = &self.slots[slot];
        match &info.shape {
            Some(shape) => format!(
                "s{slot}:{}",
                text::ty(info.dtype.unwrap_or(DType::F64), shape)
            ),
            None => format!("s{slot}:{}", info.dtype_name()),
        }
    }

    fn input_note(&self, slot: usize) -> String {
        let info = &self.slots[slot];
        match (info.elements, info.bytes()) {
            (Some(n), Some(bytes)) => format!("{n} elements, {}", text::bytes(bytes)),
            _ => format!("reads {} elements", info.reached),
        }
    }

    /// One line per input, per kernel and for the outputs, then with timings a table of where
    /// the time went. Without timings the text is stable, for snapshot tests.
    pub(crate) fn text(&self) -> String {
        let mut out = self.header();
        out.push('\n');
        for &slot in &self.plan.inputs {
            let input = self.slots[slot].input.unwrap_or(0);
            let _ = writeln!(
                out,
                "  {} = input {input}  # {}",
                self.slot_name(slot),
                self.input_note(slot)
            );
        }
        let in_place = self.plan.in_place_operands(&self.plan.last_uses());
        for (k, kernel) in self.plan.kernels.iter().enumerate() {
            let size = self.slots[kernel.out]
                .bytes()
                .map(text::bytes)
                .unwrap_or_default();
            // The memory plan's in-place writes: the kernel's output reuses a dying operand's
            // buffer instead of a fresh one.
            let reuse = match (&kernel.kind, in_place[k]) {
                (KernelKind::Elementwise(program), Some(operand)) => {
                    format!(", in place over s{}", program.operands[operand].slot)
                }
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  k{k}: {} = {} {}  # {size}, {}{reuse}",
                self.slot_name(kernel.out),
                kernel.name(),
                body(kernel),
                self.liveness(kernel.out)
            );
        }
        let outputs: Vec<String> = self
            .plan
            .outputs
            .iter()
            .map(|o| format!("s{}{}", o.slot, text::view(&o.view)))
            .collect();
        let _ = writeln!(out, "  out {}", text::tuple(&outputs));
        if self.timings.is_some() {
            out.push_str(&self.profile_table());
        }
        out
    }

    /// Per kernel: time, share of the total, a bar relative to the slowest kernel, bytes moved
    /// and the bandwidth that makes; the slowest kernel is marked.
    fn profile_table(&self) -> String {
        let total = self.total_time().as_secs_f64();
        let max = self.max_time();
        let mut out = format!(
            "profile: {:>10} {:>6}  {:<10}  {:>10}  {:>10}  kernel\n",
            "time", "share", "vs slowest", "moved", "bandwidth"
        );
        for timing in self.timings.unwrap_or_default() {
            let secs = timing.elapsed.as_secs_f64();
            let filled = if max > Duration::ZERO {
                (secs / max.as_secs_f64() * 10.0).round() as usize
            } else {
                0
            };
            let bandwidth = if secs > 0.0 {
                format!("{:.2} GB/s", timing.bytes as f64 / secs / 1e9)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "         {:>10} {:>5.1}%  {:<10}  {:>10}  {:>10}  k{} {}{}{}",
                text::duration(timing.elapsed),
                if total > 0.0 {
                    100.0 * secs / total
                } else {
                    0.0
                },
                "#".repeat(filled.min(10)),
                text::bytes(timing.bytes),
                bandwidth,
                timing.kernel,
                timing.name,
                if timing.compiled { " (compiled)" } else { "" },
                if timing.elapsed == max {
                    "  <- slowest"
                } else {
                    ""
                }
            );
        }
        out
    }

    /// The plan as slots and one cluster per kernel holding the kernel's instructions.
    pub(crate) fn diagram(&self) -> Diagram {
        let mut diagram = Diagram {
            title: self.header(),
            ..Diagram::default()
        };
        let mut slot_nodes = vec![usize::MAX; self.slots.len()];
        for (slot, info) in self.slots.iter().enumerate() {
            let size = info.bytes().map(text::bytes);
            let (lines, fill) = if let Some(input) = info.input {
                let second = match size {
                    Some(size) => format!(
                        "{} x{} = {size}",
                        info.dtype_name(),
                        info.elements.unwrap_or(0)
                    ),
                    None => format!("{}, reads {}", info.dtype_name(), info.reached),
                };
                (vec![format!("s{slot}: input {input}"), second], "#e4e4e4")
            } else {
                let ty = text::ty(
                    info.dtype.unwrap_or(DType::F64),
                    info.shape.as_deref().unwrap_or(&[]),
                );
                let first = if info.outputs.is_empty() {
                    format!("s{slot}")
                } else {
                    format!("s{slot}: {}", self.liveness(slot))
                };
                let mut lines = vec![first, format!("{ty} {}", size.unwrap_or_default())];
                if info.outputs.is_empty() {
                    lines.push(self.liveness(slot));
                }
                (
                    lines,
                    if info.outputs.is_empty() {
                        "#fff3c4"
                    } else {
                        "#ffe08a"
                    },
                )
            };
            slot_nodes[slot] = diagram.add_node(diagram::Node {
                tooltip: format!("slot {}", lines.join(", ")),
                lines,
                fill,
                shape: diagram::Shape::Slot,
                bold: !info.outputs.is_empty(),
                cluster: None,
            });
        }
        let max = self.max_time().as_secs_f64();
        let total = self.total_time().as_secs_f64();
        for (k, kernel) in self.plan.kernels.iter().enumerate() {
            let mut lines = vec![
                format!("k{k} {}", kernel.name()),
                format!("-> {}", self.slot_name(kernel.out)),
            ];
            let mut fill = "#f5f7fb".to_string();
            let mut bar = None;
            let mut hot = false;
            if let Some(timing) = self.timing(k) {
                let secs = timing.elapsed.as_secs_f64();
                let heat = if max > 0.0 { secs / max } else { 0.0 };
                lines.push(format!(
                    "{} {:.1}% {}",
                    text::duration(timing.elapsed),
                    if total > 0.0 {
                        100.0 * secs / total
                    } else {
                        0.0
                    },
                    text::bytes(timing.bytes)
                ));
                fill = heat_colour(heat);
                bar = Some(heat);
                hot = heat >= 0.5;
            }
            let mut tooltip = format!("kernel {k}: {} ({})", kernel.name(), kernel.ops.join(", "));
            if let Some(location) = &kernel.location {
                let _ = write!(tooltip, ", created at {location}");
            }
            diagram.clusters.push(Cluster {
                lines,
                fill,
                bar,
                hot,
                tooltip,
            });
            let result = members(&mut diagram, k, kernel, &slot_nodes);
            diagram.edges.push(Edge {
                from: result,
                to: slot_nodes[kernel.out],
                port: None,
                tooltip: format!("k{k} writes s{}", kernel.out),
            });
        }
        diagram.legend = vec![
            ("input slot", "#e4e4e4"),
            ("intermediate slot", "#fff3c4"),
            ("output slot", "#ffe08a"),
            ("operand view", "#eef0f3"),
            ("instruction", "#cfe2ff"),
        ];
        diagram
    }
}

/// White for an idle kernel to red for the slowest.
fn heat_colour(heat: f64) -> String {
    let heat = heat.clamp(0.0, 1.0);
    let mix = |cold: f64, hot: f64| (cold + (hot - cold) * heat).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(245.0, 244.0),
        mix(247.0, 150.0),
        mix(251.0, 150.0)
    )
}

/// The kernel's work after its name: a program's instructions in braces, or its one operation.
fn body(kernel: &Kernel) -> String {
    let operand = |o: &Operand| format!("s{}{}", o.slot, text::view(&o.view));
    let operands = |list: &[&Operand]| {
        list.iter()
            .map(|o| operand(o))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match &kernel.kind {
        KernelKind::Elementwise(program) => format!("{{ {} }}", instrs(program).join("; ")),
        KernelKind::Reduce { program, op, axes } => {
            let mut lines = instrs(program);
            lines.push(format!(
                "{}[axes={}] %{}",
                op.label(),
                text::tuple(axes),
                program.instrs.len().saturating_sub(1)
            ));
            format!("{{ {} }}", lines.join("; "))
        }
        KernelKind::ArgReduce { input, axis, .. }
        | KernelKind::Scan { input, axis, .. }
        | KernelKind::Sort { input, axis, .. } => {
            format!(
                "{{ {}[axis={axis}] {} }}",
                kernel.ops.join("_"),
                operand(input)
            )
        }
        KernelKind::MatMul { lhs, rhs, epilogue } => {
            let (batch, m, n, k) = gemm_dims(lhs, rhs);
            let gemm = format!(
                "gemm[batch={batch} m={m} n={n} k={k}] {}",
                operands(&[lhs, rhs])
            );
            match epilogue {
                // The epilogue's product load reads the kernel's own output slot.
                Some(epilogue) => format!(
                    "{{ {gemm}; then {} }}",
                    instrs(&epilogue.program).join("; ")
                ),
                None => format!("{{ {gemm} }}"),
            }
        }
        KernelKind::Assemble { fill, parts } => {
            let mut steps: Vec<String> = fill.iter().map(|v| format!("fill {v}")).collect();
            steps.extend(
                parts.iter().map(|(src, region)| {
                    format!("copy {} -> {}", operand(src), text::view(region))
                }),
            );
            format!("{{ {} }}", steps.join("; "))
        }
        KernelKind::Gather { input, indices } => {
            let mut list = vec![input];
            list.extend(indices);
            format!("{{ gather {} }}", operands(&list))
        }
        KernelKind::Scatter {
            input,
            indices,
            values,
            mode,
        } => {
            let mut list = vec![input];
            list.extend(indices);
            list.push(values);
            format!(
                "{{ scatter[mode={}] {} }}",
                text::scatter_mode(*mode),
                operands(&list)
            )
        }
    }
}

/// Batch count and `m, n, k` of a matrix product of `(..., m, k)` by `(..., k, n)` views.
fn gemm_dims(lhs: &Operand, rhs: &Operand) -> (usize, usize, usize, usize) {
    let (a, b) = (&lhs.view.shape, &rhs.view.shape);
    let nd = a.ndim();
    if nd < 2 || b.ndim() < 2 {
        return (1, 0, 0, 0);
    }
    let batch = a[..nd - 2].iter().product();
    (batch, a[nd - 2], b[b.ndim() - 1], a[nd - 1])
}

/// A program's instructions as `%i = op args`, loads naming their slot and view.
fn instrs(program: &Program) -> Vec<String> {
    program
        .instrs
        .iter()
        .enumerate()
        .map(|(reg, (instr, _))| {
            let rhs = match instr {
                Instr::Load(n) => match program.operands.get(*n) {
                    Some(o) => format!("load s{}{}", o.slot, text::view(&o.view)),
                    None => format!("load #{n}"),
                },
                Instr::Const(value) => format!("const {value}"),
                Instr::Unary(op, a) => format!("{} %{a}", op.label()),
                Instr::Binary(op, a, b) => format!("{} %{a} %{b}", op.label()),
                Instr::Compare(op, a, b) => format!("{} %{a} %{b}", op.label()),
                Instr::Where(c, a, b) => format!("where %{c} %{a} %{b}"),
                Instr::Cast(to, a) => format!("cast[dtype={}] %{a}", text::dtype(*to)),
            };
            format!("%{reg} = {rhs}")
        })
        .collect()
}

/// Adds the nodes of kernel `k` inside its cluster, with edges from the slots it reads, and
/// returns the node that holds its result.
fn members(diagram: &mut Diagram, k: usize, kernel: &Kernel, slot_nodes: &[usize]) -> usize {
    let add = |diagram: &mut Diagram, lines: Vec<String>, fill: &'static str, tooltip: String| {
        diagram.add_node(diagram::Node {
            lines,
            fill,
            shape: diagram::Shape::Op,
            bold: false,
            tooltip,
            cluster: Some(k),
        })
    };
    let edge = |diagram: &mut Diagram, from: usize, to: usize, port: Option<usize>| {
        diagram.edges.push(Edge {
            from,
            to,
            port,
            tooltip: String::new(),
        });
    };
    // An operand node shows the view through which the kernel reads a slot.
    let operand_node = |diagram: &mut Diagram, role: &str, operand: &Operand| {
        let node = add(
            diagram,
            vec![
                format!("{role} s{}", operand.slot),
                format!("shape ({})", text::join(&operand.view.shape, ",")),
                format!(
                    "strides ({}) offset {}",
                    text::join(&operand.view.strides, ","),
                    operand.view.offset
                ),
            ],
            "#eef0f3",
            format!(
                "{role} s{}: {}",
                operand.slot,
                text::view_long(&operand.view)
            ),
        );
        edge(diagram, slot_nodes[operand.slot], node, None);
        node
    };
    let op_node = |diagram: &mut Diagram, lines: Vec<String>, args: &[usize]| {
        let node = add(diagram, lines.clone(), "#cfe2ff", lines.join(" "));
        for (position, &arg) in args.iter().enumerate() {
            edge(diagram, arg, node, (args.len() > 1).then_some(position));
        }
        node
    };
    // `product` names an epilogue's operand that reads the matrix product, and the node of it.
    let program_nodes =
        |diagram: &mut Diagram, program: &Program, product: Option<(usize, usize)>| -> Vec<usize> {
            let mut regs: Vec<usize> = Vec::with_capacity(program.instrs.len());
            for (instr, dtype) in &program.instrs {
                let node = match instr {
                    Instr::Load(n) if product.is_some_and(|(operand, _)| operand == *n) => {
                        product.expect("checked").1
                    }
                    Instr::Load(n) => match program.operands.get(*n) {
                        Some(o) => operand_node(diagram, "load", o),
                        None => op_node(diagram, vec![format!("load #{n}")], &[]),
                    },
                    Instr::Const(value) => op_node(diagram, vec![format!("const {value}")], &[]),
                    Instr::Unary(op, a) => op_node(diagram, vec![op.label().into()], &[regs[*a]]),
                    Instr::Binary(op, a, b) => {
                        op_node(diagram, vec![op.label().into()], &[regs[*a], regs[*b]])
                    }
                    Instr::Compare(op, a, b) => {
                        op_node(diagram, vec![op.label().into()], &[regs[*a], regs[*b]])
                    }
                    Instr::Where(c, a, b) => op_node(
                        diagram,
                        vec!["where".into()],
                        &[regs[*c], regs[*a], regs[*b]],
                    ),
                    Instr::Cast(_, a) => op_node(
                        diagram,
                        vec![format!("cast {}", text::dtype(*dtype))],
                        &[regs[*a]],
                    ),
                };
                regs.push(node);
            }
            regs
        };
    match &kernel.kind {
        KernelKind::Elementwise(program) => {
            let regs = program_nodes(diagram, program, None);
            match regs.last() {
                Some(&last) => last,
                None => op_node(diagram, vec!["empty".into()], &[]),
            }
        }
        KernelKind::Reduce { program, op, axes } => {
            let regs = program_nodes(diagram, program, None);
            let label = format!("{}[axes={}]", op.label(), text::tuple(axes));
            op_node(diagram, vec![label], &regs[regs.len().saturating_sub(1)..])
        }
        KernelKind::ArgReduce { input, axis, .. }
        | KernelKind::Scan { input, axis, .. }
        | KernelKind::Sort { input, axis, .. } => {
            let arg = operand_node(diagram, "input", input);
            op_node(
                diagram,
                vec![format!("{}[axis={axis}]", kernel.ops.join("_"))],
                &[arg],
            )
        }
        KernelKind::MatMul { lhs, rhs, epilogue } => {
            let (batch, m, n, kk) = gemm_dims(lhs, rhs);
            let a = operand_node(diagram, "lhs", lhs);
            let b = operand_node(diagram, "rhs", rhs);
            let mut lines = vec!["gemm".to_string(), format!("m={m} n={n} k={kk}")];
            if batch > 1 {
                lines.push(format!("batch={batch}"));
            }
            let gemm = op_node(diagram, lines, &[a, b]);
            match epilogue {
                Some(epilogue) => {
                    let product = Some((epilogue.product, gemm));
                    let regs = program_nodes(diagram, &epilogue.program, product);
                    regs.last().copied().unwrap_or(gemm)
                }
                None => gemm,
            }
        }
        KernelKind::Assemble { fill, parts } => {
            let args: Vec<usize> = parts
                .iter()
                .map(|(src, _)| operand_node(diagram, "part", src))
                .collect();
            let mut lines = vec![kernel.ops.join("_")];
            if let Some(value) = fill {
                lines.push(format!("fill {value}"));
            }
            op_node(diagram, lines, &args)
        }
        KernelKind::Gather { input, indices } => {
            let mut args = vec![operand_node(diagram, "input", input)];
            args.extend(indices.iter().map(|i| operand_node(diagram, "index", i)));
            op_node(diagram, vec!["gather".into()], &args)
        }
        KernelKind::Scatter {
            input,
            indices,
            values,
            mode,
        } => {
            let mut args = vec![operand_node(diagram, "input", input)];
            args.extend(indices.iter().map(|i| operand_node(diagram, "index", i)));
            args.push(operand_node(diagram, "values", values));
            op_node(
                diagram,
                vec![format!("scatter mode={}", text::scatter_mode(*mode))],
                &args,
            )
        }
    }
}
