//! Profiled runs: realize tensors while timing each kernel.

use super::plan::PlanView;
use super::svg;
use crate::config;
use crate::tensor::{lower, store_results};
use crate::{Result, Tensor};
use lazygrad_compiler::compile;
use lazygrad_cpu::{KernelProfile, execute_profiled};
use lazygrad_ir::{DType, Plan};
use std::fmt;
use std::time::Duration;

/// A plan that ran, with the time and bytes of each kernel.
///
/// Its listing ([`Profile::text`], also its `Display`) prefixes every kernel line with the
/// kernel's time, share of the total, a bar relative to the slowest kernel, the bytes it moved
/// and the bandwidth that makes; its drawing ([`Profile::svg`]) shades kernels from white to red
/// by time and gives the slowest a heavy border.
///
/// ```
/// use lazygrad::prelude::*;
/// let x = lazygrad::random::randn([64, 32]);
/// let y = (x.exp() + 1.0).sum_axes([1], true);
/// let profile = lazygrad::viz::profile(&[&y])?;
/// assert!(y.is_realized());
/// assert_eq!(profile.kernels().len(), profile.plan().kernels.len());
/// assert!(profile.text().contains("total"));
/// # Ok::<(), lazygrad::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Profile {
    plan: Plan,
    inputs: Vec<(DType, usize)>,
    kernels: Vec<KernelProfile>,
}

/// Realizes `outputs` in one plan, as [`crate::realize_all`] does, timing every kernel.
///
/// Tensors already realized are skipped, so profiling them again gives an empty profile.
pub fn profile(outputs: &[&Tensor]) -> Result<Profile> {
    let pending: Vec<&Tensor> = outputs
        .iter()
        .copied()
        .filter(|t| !t.is_realized())
        .collect();
    let lowered = lower(&pending);
    let plan = compile(&lowered.graph, &lowered.outputs, config::compile_options());
    let inputs = lowered
        .inputs
        .iter()
        .map(|buffer| (buffer.dtype(), buffer.len()))
        .collect();
    let (buffers, kernels) = execute_profiled(&plan, &lowered.inputs)?;
    store_results(&pending, buffers, &plan);
    Ok(Profile {
        plan,
        inputs,
        kernels,
    })
}

impl Profile {
    /// The plan that ran.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Each kernel's time and bytes, in execution order.
    pub fn kernels(&self) -> &[KernelProfile] {
        &self.kernels
    }

    /// The time of all kernels together.
    pub fn total(&self) -> Duration {
        self.kernels.iter().map(|k| k.elapsed).sum()
    }

    /// The kernels from slowest to fastest.
    pub fn slowest(&self) -> Vec<&KernelProfile> {
        let mut sorted: Vec<&KernelProfile> = self.kernels.iter().collect();
        sorted.sort_by_key(|kernel| std::cmp::Reverse(kernel.elapsed));
        sorted
    }

    fn view(&self) -> PlanView<'_> {
        PlanView::new(&self.plan, Some(&self.inputs), Some(&self.kernels))
    }

    /// The plan listing with timing columns.
    pub fn text(&self) -> String {
        self.view().text()
    }

    /// The plan in DOT, kernels shaded by time.
    pub fn dot(&self) -> String {
        self.view().diagram().to_dot()
    }

    /// The plan as SVG, kernels shaded by time, each with a bar relative to the slowest.
    pub fn svg(&self) -> String {
        svg::render(&self.view().diagram())
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}
