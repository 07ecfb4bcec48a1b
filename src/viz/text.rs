//! Small formatting helpers shared by the listings and the diagrams.

use lazygrad_ir::{DType, Movement, Op, ScatterMode, View};
use std::time::Duration;

/// jaxpr's short dtype names: `f32`, `i64`, `u8`, `bool`.
pub(crate) fn dtype(dtype: DType) -> &'static str {
    match dtype {
        DType::Bool => "bool",
        DType::U8 => "u8",
        DType::I8 => "i8",
        DType::U16 => "u16",
        DType::I16 => "i16",
        DType::U32 => "u32",
        DType::I32 => "i32",
        DType::U64 => "u64",
        DType::I64 => "i64",
        DType::F16 => "f16",
        DType::F32 => "f32",
        DType::F64 => "f64",
    }
}

/// An abstract value as jaxpr writes it: `f32[3,4]`, `f64[]` for a scalar.
pub(crate) fn ty(dt: DType, shape: &[usize]) -> String {
    format!("{}[{}]", dtype(dt), join(shape, ","))
}

/// Numbers joined by `sep`.
pub(crate) fn join<T: std::fmt::Display>(items: &[T], sep: &str) -> String {
    items
        .iter()
        .map(|item| item.to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

/// A Python tuple: `(1,)`, `(0, 2)`, `()`.
pub(crate) fn tuple<T: std::fmt::Display>(items: &[T]) -> String {
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", join(items, ", "))
    }
}

/// A view as `<shape:strides@offset>`, strides in elements: `<3,4:4,1@0>`, `<:@2>` for a scalar.
pub(crate) fn view(view: &View) -> String {
    format!(
        "<{}:{}@{}>",
        join(&view.shape, ","),
        join(&view.strides, ","),
        view.offset
    )
}

/// A view spelled out for tooltips and diagram labels.
pub(crate) fn view_long(view: &View) -> String {
    format!(
        "shape {} strides {} offset {}",
        tuple(&view.shape),
        tuple(&view.strides),
        view.offset
    )
}

/// The name of the `idx`-th variable in jaxpr's style: `a` .. `z`, then `ba`, `bb`, ...
pub(crate) fn var_name(mut idx: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'a' + (idx % 26) as u8);
        idx /= 26;
        if idx == 0 {
            break;
        }
    }
    // Base 26 with digits a..z: a longer name never starts with `a`, so names never collide.
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// An op's parameters in jaxpr's brackets, e.g. `[axes=(1,)]`; empty when it has none.
pub(crate) fn op_params(op: &Op) -> String {
    match op {
        Op::Reduce(_, axes) => format!("[axes={}]", tuple(axes)),
        Op::ArgReduce(_, axis) | Op::Scan(_, axis) | Op::Concat(axis) => format!("[axis={axis}]"),
        Op::Sort { axis, .. } => format!("[axis={axis}]"),
        Op::Cast(to) => format!("[dtype={}]", dtype(*to)),
        Op::Movement(Movement::Reshape(shape)) | Op::Movement(Movement::Expand(shape)) => {
            format!("[shape={}]", tuple(shape))
        }
        Op::Movement(Movement::Permute(perm)) => format!("[perm={}]", tuple(perm)),
        Op::Movement(Movement::Slice(axes)) => {
            let starts: Vec<usize> = axes.iter().map(|a| a.start).collect();
            let lens: Vec<usize> = axes.iter().map(|a| a.len).collect();
            let steps: Vec<isize> = axes.iter().map(|a| a.step).collect();
            format!(
                "[start={} len={} step={}]",
                tuple(&starts),
                tuple(&lens),
                tuple(&steps)
            )
        }
        Op::Pad(widths, value) => {
            let widths: Vec<String> = widths.iter().map(|(b, a)| format!("({b}, {a})")).collect();
            format!("[widths={} value={value}]", tuple(&widths))
        }
        Op::Gather(k) | Op::Scatter(k, _) => {
            let axes: Vec<usize> = (0..*k).collect();
            format!("[axes={}]", tuple(&axes))
        }
        Op::Buffer
        | Op::Const(_)
        | Op::Unary(_)
        | Op::Binary(_)
        | Op::Compare(_)
        | Op::Where
        | Op::MatMul
        | Op::Contiguous => String::new(),
    }
}

/// The label and parameters of an op: `sum[axes=(1,)]`.
pub(crate) fn op_with_params(op: &Op) -> String {
    format!("{}{}", op.label(), op_params(op))
}

/// A scatter mode's name.
pub(crate) fn scatter_mode(mode: ScatterMode) -> &'static str {
    match mode {
        ScatterMode::Set => "set",
        ScatterMode::Add => "add",
    }
}

/// A byte count with a binary unit: `48 B`, `1.5 KiB`, `12.0 MiB`.
pub(crate) fn bytes(n: usize) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A duration with a unit that keeps three or four significant digits: `850 ns`, `12.3 µs`.
pub(crate) fn duration(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_run_like_jaxpr() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52].map(var_name).to_vec();
        assert_eq!(names, ["a", "b", "z", "ba", "bb", "bz", "ca"]);
    }

    #[test]
    fn units_are_readable() {
        assert_eq!(bytes(48), "48 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(duration(Duration::from_nanos(12_345)), "12.3 µs");
        assert_eq!(tuple(&[1]), "(1,)");
        assert_eq!(ty(DType::F32, &[3, 4]), "f32[3,4]");
    }
}
