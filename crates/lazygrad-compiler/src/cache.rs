//! The plan cache: a training loop rebuilds the same graph every step, so compiled plans are
//! kept by the graph's exact structural key and replayed on new buffers.
//!
//! The key is a word encoding of the pending graph (ops with their parameters, shapes, dtypes,
//! edges, input views, outputs, compile options) with leaf buffers replaced by numbered slots.
//! Keys compare exactly, so a different graph is always a miss, never a stale replay.

use lazygrad_ir::{Movement, Op, Plan, ScatterMode, Shape, View};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// A bounded map from graph keys to compiled plans, evicting the least recently used.
#[derive(Debug)]
pub struct PlanCache {
    plans: HashMap<Vec<u64>, (Arc<Plan>, u64)>,
    capacity: usize,
    clock: u64,
}

impl PlanCache {
    /// An empty cache holding at most `capacity` plans.
    pub fn new(capacity: usize) -> PlanCache {
        PlanCache {
            plans: HashMap::default(),
            capacity: capacity.max(1),
            clock: 0,
        }
    }

    /// The plan compiled for `key`, if cached.
    pub fn get(&mut self, key: &[u64]) -> Option<Arc<Plan>> {
        self.clock += 1;
        let clock = self.clock;
        self.plans.get_mut(key).map(|(plan, used)| {
            *used = clock;
            plan.clone()
        })
    }

    /// Caches `plan` under `key`, evicting the least recently used plan when full.
    pub fn insert(&mut self, key: Vec<u64>, plan: Arc<Plan>) {
        if self.plans.len() >= self.capacity
            && let Some(oldest) = self
                .plans
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
        {
            self.plans.remove(&oldest);
        }
        self.clock += 1;
        self.plans.insert(key, (plan, self.clock));
    }

    /// The number of cached plans.
    pub fn len(&self) -> usize {
        self.plans.len()
    }

    /// Whether no plan is cached.
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    /// For a key that missed: the position of the first word where it differs from the cached
    /// key it shares the longest prefix with, for `LAZYGRAD_DEBUG` reports.
    pub fn first_difference(&self, key: &[u64]) -> Option<usize> {
        self.plans
            .keys()
            .map(|cached| cached.iter().zip(key).take_while(|(a, b)| a == b).count())
            .max()
    }
}

/// Appends a shape, length first.
pub fn encode_shape(shape: &Shape, key: &mut Vec<u64>) {
    key.push(shape.ndim() as u64);
    key.extend(shape.iter().map(|&d| d as u64));
}

/// Appends a view: shape, strides and offset.
pub fn encode_view(view: &View, key: &mut Vec<u64>) {
    encode_shape(&view.shape, key);
    key.extend(view.strides.iter().map(|&s| s as u64));
    key.push(view.offset as u64);
}

/// Appends an op and every parameter that changes what it computes.
pub fn encode_op(op: &Op, key: &mut Vec<u64>) {
    match op {
        Op::Buffer => key.push(0),
        Op::Const(value) => {
            let (dtype, bits) = value.key();
            key.extend([1, dtype as u64, bits]);
        }
        Op::Unary(op) => key.extend([2, *op as u64]),
        Op::Binary(op) => key.extend([3, *op as u64]),
        Op::Compare(op) => key.extend([4, *op as u64]),
        Op::Where => key.push(5),
        Op::Cast(dtype) => key.extend([6, *dtype as u64]),
        Op::Reduce(op, axes) => {
            key.extend([7, *op as u64, axes.len() as u64]);
            key.extend(axes.iter().map(|&a| a as u64));
        }
        Op::ArgReduce(op, axis) => key.extend([8, *op as u64, *axis as u64]),
        Op::Scan(op, axis) => key.extend([9, *op as u64, *axis as u64]),
        Op::MatMul => key.push(10),
        Op::Movement(Movement::Reshape(shape)) => {
            key.push(11);
            encode_shape(shape, key);
        }
        Op::Movement(Movement::Permute(perm)) => {
            key.extend([12, perm.len() as u64]);
            key.extend(perm.iter().map(|&a| a as u64));
        }
        Op::Movement(Movement::Expand(shape)) => {
            key.push(13);
            encode_shape(shape, key);
        }
        Op::Movement(Movement::Slice(axes)) => {
            key.extend([14, axes.len() as u64]);
            for axis in axes {
                key.extend([axis.start as u64, axis.len as u64, axis.step as u64]);
            }
        }
        Op::Contiguous => key.push(15),
        Op::Pad(pads, value) => {
            let (dtype, bits) = value.key();
            key.extend([16, dtype as u64, bits, pads.len() as u64]);
            for &(before, after) in pads {
                key.extend([before as u64, after as u64]);
            }
        }
        Op::Concat(axis) => key.extend([17, *axis as u64]),
        Op::Gather(k) => key.extend([18, *k as u64]),
        Op::Scatter(k, mode) => key.extend([19, *k as u64, (*mode == ScatterMode::Add) as u64]),
        Op::Sort { axis, indices } => key.extend([20, *axis as u64, *indices as u64]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lazygrad_ir::{UnaryOp, Value};

    #[test]
    fn keys_tell_signed_zeros_apart_and_evict_lru() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        encode_op(&Op::Const(Value::F64(0.0)), &mut a);
        encode_op(&Op::Const(Value::F64(-0.0)), &mut b);
        assert_ne!(a, b, "0.0 and -0.0 compute different things");
        let mut cache = PlanCache::new(2);
        let plan = Arc::new(Plan::default());
        cache.insert(vec![1], plan.clone());
        cache.insert(vec![2], plan.clone());
        assert!(cache.get(&[1]).is_some());
        cache.insert(vec![3], plan);
        assert!(
            cache.get(&[2]).is_none(),
            "the least recently used plan goes first"
        );
        assert!(cache.get(&[1]).is_some() && cache.get(&[3]).is_some());
        let mut unary = Vec::new();
        encode_op(&Op::Unary(UnaryOp::Exp), &mut unary);
        assert_eq!(cache.first_difference(&[1, 5]), Some(1));
        assert_eq!(unary.len(), 2);
    }
}
