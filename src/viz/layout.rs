//! A small layered layout for the SVG renderer, in the style of Sugiyama's method.
//!
//! Nodes are ranked by longest path from the sources, then pulled down towards their consumers
//! (so a parameter used late is not drawn far from its use), edges that span several
//! ranks get invisible dummy nodes so they bend around the nodes in between, each rank is
//! ordered by barycenter sweeps that keep the ordering with the fewest crossings, and x
//! positions come from repeated least-squares placement that keeps each rank's order and
//! spacing. Graphs drawn here have at most a few thousand nodes, so simple algorithms suffice.

use std::collections::HashMap;

/// Horizontal space between neighbouring nodes of a rank.
const H_GAP: f64 = 18.0;
/// Horizontal space between two dummy nodes, so parallel long edges stay apart.
const DUMMY_GAP: f64 = 8.0;
/// Vertical space between ranks.
const V_GAP: f64 = 34.0;
/// How far apart, in pixels, the arguments of one consumer are pulled, so edges keep argument order.
const PORT_SPREAD: f64 = 24.0;
/// Barycenter ordering sweeps; the best ordering seen is kept.
const ORDER_SWEEPS: usize = 16;
/// Placement rounds (each a downward and an upward sweep).
const PLACE_ROUNDS: usize = 6;

/// Where a layout put things; coordinates start at 0.
pub(crate) struct Layout {
    /// The center of each node.
    pub(crate) centers: Vec<(f64, f64)>,
    /// For each edge, the points it passes through between its endpoints.
    pub(crate) bends: Vec<Vec<(f64, f64)>>,
    /// The extent of the drawing.
    pub(crate) width: f64,
    /// The extent of the drawing.
    pub(crate) height: f64,
}

/// One node of the working graph: a real node or a dummy on a long edge.
struct Vertex {
    width: f64,
    height: f64,
    rank: usize,
    dummy: bool,
    /// Neighbours one rank up.
    preds: Vec<usize>,
    /// Neighbours one rank down, with this vertex's argument position at each, centred on 0.
    succs: Vec<(usize, f64)>,
}

/// Lays out nodes of the given sizes (width, height) joined by `edges` (from, to), where the
/// edges into one node are listed in argument order.
pub(crate) fn layered(sizes: &[(f64, f64)], edges: &[(usize, usize)]) -> Layout {
    let n = sizes.len();
    // Parallel edges share one route; self-loops cannot occur in a DAG and are not drawn.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut pair_ids: HashMap<(usize, usize), usize> = HashMap::new();
    let edge_pair: Vec<Option<usize>> = edges
        .iter()
        .map(|&(from, to)| {
            if from == to || from >= n || to >= n {
                return None;
            }
            Some(*pair_ids.entry((from, to)).or_insert_with(|| {
                pairs.push((from, to));
                pairs.len() - 1
            }))
        })
        .collect();
    let rank = ranks(n, &pairs);
    let mut vertices: Vec<Vertex> = (0..n)
        .map(|v| Vertex {
            width: sizes[v].0,
            height: sizes[v].1,
            rank: rank[v],
            dummy: false,
            preds: Vec::new(),
            succs: Vec::new(),
        })
        .collect();
    // The argument position of each pair at its consumer, centred on zero.
    let mut in_pairs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (idx, &(_, to)) in pairs.iter().enumerate() {
        in_pairs[to].push(idx);
    }
    let mut port = vec![0.0; pairs.len()];
    for list in &in_pairs {
        let middle = (list.len() as f64 - 1.0) / 2.0;
        for (position, &idx) in list.iter().enumerate() {
            port[idx] = position as f64 - middle;
        }
    }
    // Each pair becomes a chain of vertices, one per rank it crosses.
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(pairs.len());
    for (idx, &(from, to)) in pairs.iter().enumerate() {
        let mut chain = Vec::new();
        if rank[to] > rank[from] {
            let mut prev = from;
            for r in rank[from] + 1..rank[to] {
                let dummy = vertices.len();
                vertices.push(Vertex {
                    width: 0.0,
                    height: 0.0,
                    rank: r,
                    dummy: true,
                    preds: vec![prev],
                    succs: Vec::new(),
                });
                vertices[prev].succs.push((dummy, 0.0));
                chain.push(dummy);
                prev = dummy;
            }
            vertices[prev].succs.push((to, port[idx]));
            vertices[to].preds.push(prev);
        }
        chains.push(chain);
    }
    let n_ranks = vertices.iter().map(|v| v.rank + 1).max().unwrap_or(0);
    let layers = order(&vertices, n_ranks);
    let xs = place(&vertices, &layers);
    // Ranks are as tall as their tallest node and stacked top to bottom.
    let mut rank_top = vec![0.0; n_ranks];
    let mut rank_height = vec![0.0f64; n_ranks];
    for vertex in &vertices {
        rank_height[vertex.rank] = rank_height[vertex.rank].max(vertex.height);
    }
    let mut y = 0.0;
    for r in 0..n_ranks {
        rank_top[r] = y;
        y += rank_height[r] + V_GAP;
    }
    let height = (y - V_GAP).max(0.0);
    let center_y = |v: usize| rank_top[vertices[v].rank] + rank_height[vertices[v].rank] / 2.0;
    let min_x = (0..vertices.len())
        .map(|v| xs[v] - vertices[v].width / 2.0)
        .fold(f64::INFINITY, f64::min);
    let shift = if min_x.is_finite() { -min_x } else { 0.0 };
    let width = (0..vertices.len())
        .map(|v| xs[v] + shift + vertices[v].width / 2.0)
        .fold(0.0, f64::max);
    Layout {
        centers: (0..n).map(|v| (xs[v] + shift, center_y(v))).collect(),
        bends: edge_pair
            .iter()
            .map(|pair| match pair {
                Some(idx) => chains[*idx]
                    .iter()
                    .map(|&d| (xs[d] + shift, center_y(d)))
                    .collect(),
                None => Vec::new(),
            })
            .collect(),
        width,
        height,
    }
}

/// Longest-path ranks from the sources, then nodes pulled down towards their consumers. A
/// cycle (which a lazy graph cannot have) is broken in node order.
fn ranks(n: usize, pairs: &[(usize, usize)]) -> Vec<usize> {
    let mut n_preds = vec![0usize; n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(from, to) in pairs {
        n_preds[to] += 1;
        succs[from].push(to);
        preds[to].push(from);
    }
    let mut rank = vec![0usize; n];
    let mut done = vec![false; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|&v| n_preds[v] == 0).collect();
    let mut next_unranked = 0;
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let v = match ready.pop() {
            Some(v) => v,
            None => {
                // Only a cycle leaves nodes unready; take the first one left.
                while done[next_unranked] {
                    next_unranked += 1;
                }
                next_unranked
            }
        };
        if done[v] {
            continue;
        }
        done[v] = true;
        order.push(v);
        rank[v] = preds[v]
            .iter()
            .filter(|&&u| done[u] && u != v)
            .map(|&u| rank[u] + 1)
            .max()
            .unwrap_or(0);
        for &s in &succs[v] {
            n_preds[s] = n_preds[s].saturating_sub(1);
            if n_preds[s] == 0 && !done[s] {
                ready.push(s);
            }
        }
    }
    // Longest paths put every node as high as it can go, which stretches the edges of a node
    // used far below (a constant, a parameter, a gradient's transpose). In reverse topological
    // order, a node with no more arguments than consumers moves down to just above its highest
    // consumer: its consumer edges shorten at least as much as its argument edges lengthen.
    for &v in order.iter().rev() {
        if preds[v].len() > succs[v].len() {
            continue;
        }
        if let Some(lowest) = succs[v].iter().map(|&s| rank[s]).min()
            && lowest > rank[v] + 1
        {
            rank[v] = lowest - 1;
        }
    }
    rank
}

/// Orders each rank to reduce edge crossings: barycenter sweeps down and up, keeping the best.
fn order(vertices: &[Vertex], n_ranks: usize) -> Vec<Vec<usize>> {
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); n_ranks];
    // Start from a depth-first order, which keeps chains together.
    let mut seen = vec![false; vertices.len()];
    let mut stack: Vec<usize> = (0..vertices.len())
        .rev()
        .filter(|&v| vertices[v].preds.is_empty())
        .collect();
    while let Some(v) = stack.pop() {
        if seen[v] {
            continue;
        }
        seen[v] = true;
        layers[vertices[v].rank].push(v);
        stack.extend(vertices[v].succs.iter().rev().map(|&(s, _)| s));
    }
    for v in 0..vertices.len() {
        if !seen[v] {
            layers[vertices[v].rank].push(v);
        }
    }
    let mut pos = vec![0.0; vertices.len()];
    let set_positions = |layers: &[Vec<usize>], pos: &mut Vec<f64>| {
        for layer in layers {
            for (idx, &v) in layer.iter().enumerate() {
                pos[v] = idx as f64;
            }
        }
    };
    set_positions(&layers, &mut pos);
    let mut best = layers.clone();
    let mut best_crossings = crossings(vertices, &layers, &pos);
    for sweep in 0..ORDER_SWEEPS {
        let down = sweep % 2 == 0;
        let ranks: Vec<usize> = if down {
            (1..n_ranks).collect()
        } else {
            (0..n_ranks.saturating_sub(1)).rev().collect()
        };
        for r in ranks {
            let mut keyed: Vec<(f64, usize)> = layers[r]
                .iter()
                .map(|&v| {
                    let neighbours: Vec<f64> = if down {
                        vertices[v].preds.iter().map(|&u| pos[u]).collect()
                    } else {
                        // A small pull by argument position keeps a consumer's arguments in order.
                        vertices[v]
                            .succs
                            .iter()
                            .map(|&(s, port)| pos[s] + 0.2 * port)
                            .collect()
                    };
                    let key = if neighbours.is_empty() {
                        pos[v]
                    } else {
                        neighbours.iter().sum::<f64>() / neighbours.len() as f64
                    };
                    (key, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[r] = keyed.into_iter().map(|(_, v)| v).collect();
            for (idx, &v) in layers[r].iter().enumerate() {
                pos[v] = idx as f64;
            }
        }
        let count = crossings(vertices, &layers, &pos);
        if count < best_crossings {
            best_crossings = count;
            best = layers.clone();
        }
    }
    best
}

/// The number of edge crossings between adjacent ranks, counted as inversions.
fn crossings(vertices: &[Vertex], layers: &[Vec<usize>], pos: &[f64]) -> usize {
    let mut total = 0;
    for layer in layers {
        let mut ends: Vec<(usize, usize)> = layer
            .iter()
            .flat_map(|&u| {
                vertices[u]
                    .succs
                    .iter()
                    .map(move |&(s, _)| (pos[u] as usize, pos[s] as usize))
            })
            .collect();
        ends.sort_unstable();
        // Inversions of the lower ends, counted with a Fenwick tree over positions.
        let size = ends.iter().map(|&(_, b)| b + 1).max().unwrap_or(0);
        let mut tree = vec![0usize; size + 1];
        for (seen, &(_, b)) in ends.iter().enumerate() {
            let mut at_most = 0;
            let mut i = b + 1;
            while i > 0 {
                at_most += tree[i];
                i &= i - 1;
            }
            total += seen - at_most;
            let mut i = b + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// x coordinates: each rank keeps its order and spacing while its nodes move as close as they
/// can, in the least-squares sense, to the mean position of their neighbours.
fn place(vertices: &[Vertex], layers: &[Vec<usize>]) -> Vec<f64> {
    let mut xs = vec![0.0; vertices.len()];
    for layer in layers {
        let mut x = 0.0;
        for (idx, &v) in layer.iter().enumerate() {
            if idx > 0 {
                x += separation(vertices, layer[idx - 1], v);
            }
            xs[v] = x;
        }
    }
    let mut preds: Vec<Vec<(usize, f64)>> = vec![Vec::new(); vertices.len()];
    for (u, vertex) in vertices.iter().enumerate() {
        for &(s, port) in &vertex.succs {
            preds[s].push((u, port));
        }
    }
    for round in 0..PLACE_ROUNDS * 2 + 1 {
        let last = round == PLACE_ROUNDS * 2;
        let down = round % 2 == 0;
        let ranks: Vec<usize> = if down {
            (0..layers.len()).collect()
        } else {
            (0..layers.len()).rev().collect()
        };
        for r in ranks {
            let layer = &layers[r];
            let wanted: Vec<f64> = layer
                .iter()
                .map(|&v| {
                    let mut sum = 0.0;
                    let mut count = 0.0;
                    if down || last {
                        for &(u, port) in &preds[v] {
                            sum += xs[u] - port * PORT_SPREAD;
                            count += 1.0;
                        }
                    }
                    if !down || last {
                        for &(s, port) in &vertices[v].succs {
                            sum += xs[s] + port * PORT_SPREAD;
                            count += 1.0;
                        }
                    }
                    if count > 0.0 { sum / count } else { xs[v] }
                })
                .collect();
            let gaps: Vec<f64> = layer
                .windows(2)
                .map(|pair| separation(vertices, pair[0], pair[1]))
                .collect();
            for (&v, x) in layer.iter().zip(fit_in_order(&wanted, &gaps)) {
                xs[v] = x;
            }
        }
    }
    xs
}

/// The least distance between the centers of two neighbours in a rank.
fn separation(vertices: &[Vertex], left: usize, right: usize) -> f64 {
    let gap = if vertices[left].dummy && vertices[right].dummy {
        DUMMY_GAP
    } else {
        H_GAP
    };
    (vertices[left].width + vertices[right].width) / 2.0 + gap
}

/// The positions closest to `wanted` (in squared distance) with each position at least `gaps[i]`
/// after the previous one: with the gaps subtracted out this is isotonic regression, solved by
/// pooling adjacent violators.
fn fit_in_order(wanted: &[f64], gaps: &[f64]) -> Vec<f64> {
    let mut offsets = Vec::with_capacity(wanted.len());
    let mut offset = 0.0;
    for idx in 0..wanted.len() {
        if idx > 0 {
            offset += gaps[idx - 1];
        }
        offsets.push(offset);
    }
    // Blocks of pooled targets: (mean, count).
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (target, offset) in wanted.iter().zip(&offsets) {
        let mut block = (target - offset, 1usize);
        while let Some(&(mean, count)) = blocks.last() {
            if mean <= block.0 {
                break;
            }
            blocks.pop();
            let total = count + block.1;
            block = (
                (mean * count as f64 + block.0 * block.1 as f64) / total as f64,
                total,
            );
        }
        blocks.push(block);
    }
    let mut res = Vec::with_capacity(wanted.len());
    for (mean, count) in blocks {
        for _ in 0..count {
            res.push(mean + offsets[res.len()]);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_keeps_order_and_gaps() {
        let xs = fit_in_order(&[10.0, 0.0, 5.0], &[4.0, 4.0]);
        assert!(xs[1] - xs[0] >= 4.0 - 1e-9 && xs[2] - xs[1] >= 4.0 - 1e-9);
        // Unconstrained targets are met exactly.
        assert_eq!(fit_in_order(&[0.0, 10.0], &[4.0]), vec![0.0, 10.0]);
    }

    #[test]
    fn ranks_follow_longest_paths_and_sources_sit_above_their_use() {
        // 0 -> 1 -> 2 -> 3, and 4 -> 3: 4 is ranked just above 3.
        let r = ranks(5, &[(0, 1), (1, 2), (2, 3), (4, 3)]);
        assert_eq!(r, vec![0, 1, 2, 3, 2]);
    }

    #[test]
    fn long_edges_bend_and_nodes_do_not_overlap() {
        let sizes = vec![(40.0, 20.0); 4];
        let layout = layered(&sizes, &[(0, 1), (1, 2), (0, 2), (2, 3), (0, 3)]);
        assert_eq!(layout.bends[2].len(), 1, "0 -> 2 crosses one rank");
        assert_eq!(layout.bends[4].len(), 2);
        for a in 0..4 {
            for b in a + 1..4 {
                let ((xa, ya), (xb, yb)) = (layout.centers[a], layout.centers[b]);
                assert!((xa - xb).abs() >= 40.0 || (ya - yb).abs() >= 20.0);
            }
        }
    }

    #[test]
    fn crossings_are_counted() {
        // Two edges between two ranks of two nodes each, crossed.
        let vertices = vec![
            vertex(0, vec![(3, 0.0)]),
            vertex(0, vec![(2, 0.0)]),
            vertex(1, vec![]),
            vertex(1, vec![]),
        ];
        let layers = vec![vec![0, 1], vec![2, 3]];
        assert_eq!(crossings(&vertices, &layers, &[0.0, 1.0, 0.0, 1.0]), 1);
    }

    fn vertex(rank: usize, succs: Vec<(usize, f64)>) -> Vertex {
        Vertex {
            width: 10.0,
            height: 10.0,
            rank,
            dummy: false,
            preds: Vec::new(),
            succs,
        }
    }
}
