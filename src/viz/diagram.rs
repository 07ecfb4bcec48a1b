//! The drawing model shared by the DOT writer and the SVG renderer: boxes with text, edges in
//! argument order, and clusters that group boxes (one per kernel in a plan).

use std::fmt::Write;

/// How a node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A box with rounded corners: an op or an instruction.
    Op,
    /// A square box: a leaf of the graph.
    Leaf,
    /// Bare text: a scalar constant.
    Plain,
    /// A buffer slot of a plan.
    Slot,
}

/// A node: some lines of text in a coloured shape.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// The lines of the label, first line first.
    pub(crate) lines: Vec<String>,
    /// The fill colour, `#rrggbb`.
    pub(crate) fill: &'static str,
    pub(crate) shape: Shape,
    /// A thicker border, for requested outputs.
    pub(crate) bold: bool,
    /// Shown on hover: the creation site and other details.
    pub(crate) tooltip: String,
    /// The cluster drawn around the node, if any.
    pub(crate) cluster: Option<usize>,
}

/// An edge from an argument to its consumer.
#[derive(Clone, Debug)]
pub(crate) struct Edge {
    pub(crate) from: usize,
    pub(crate) to: usize,
    /// The argument position, shown when the consumer has several arguments.
    pub(crate) port: Option<usize>,
    /// Shown on hover.
    pub(crate) tooltip: String,
}

/// A box drawn around some nodes: a kernel of a plan.
#[derive(Clone, Debug)]
pub(crate) struct Cluster {
    /// The header lines.
    pub(crate) lines: Vec<String>,
    /// The fill colour, `#rrggbb`; profiles shade slow kernels.
    pub(crate) fill: String,
    /// A bar under the header, as a fraction of the cluster's width (a kernel's share of the
    /// slowest kernel's time).
    pub(crate) bar: Option<f64>,
    /// A heavier border for the slowest kernels.
    pub(crate) hot: bool,
    pub(crate) tooltip: String,
}

/// Nodes, edges and clusters, with a title and a legend of the fill colours used.
#[derive(Clone, Debug, Default)]
pub(crate) struct Diagram {
    pub(crate) title: String,
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) clusters: Vec<Cluster>,
    /// What each fill colour means, in drawing order.
    pub(crate) legend: Vec<(&'static str, &'static str)>,
}

impl Diagram {
    /// Adds a node and returns its index.
    pub(crate) fn add_node(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// The diagram with at most `max_nodes` of its nodes (and at least one): those nearest the
    /// outputs, found by walking edges back from the requested outputs (bold nodes) and the
    /// nodes nothing reads, half the budget, plus a small "..." node above each kept node that
    /// reads a node left out. The SVG renderer's layout is meant for the few thousand nodes a
    /// person can read; the text and DOT dumps keep all.
    ///
    /// A stub per reader, rather than one node standing for everything left out, keeps every
    /// edge one rank long: a shared early node (a constant, a weight) read by every kept node
    /// would otherwise pull an edge across all ranks to each of them.
    pub(crate) fn elided(&self, max_nodes: usize) -> Diagram {
        let n = self.nodes.len();
        if n <= max_nodes.max(1) {
            return self.clone();
        }
        let budget = (max_nodes / 2).max(1);
        let mut readers_of: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut args_of: Vec<Vec<usize>> = vec![Vec::new(); n];
        for edge in self.edges.iter().filter(|e| e.from < n && e.to < n) {
            readers_of[edge.from].push(edge.to);
            args_of[edge.to].push(edge.from);
        }
        // Breadth first from the outputs, then from the other sinks, each in drawing order.
        let mut queue: std::collections::VecDeque<usize> = (0..n)
            .filter(|&id| self.nodes[id].bold)
            .chain((0..n).filter(|&id| !self.nodes[id].bold && readers_of[id].is_empty()))
            .collect();
        let mut kept = vec![false; n];
        let mut taken = 0;
        while let Some(id) = queue.pop_front() {
            if taken == budget {
                break;
            }
            if kept[id] {
                continue;
            }
            kept[id] = true;
            taken += 1;
            queue.extend(args_of[id].iter().copied().filter(|&arg| !kept[arg]));
        }
        let mut diagram = Diagram {
            title: format!(
                "{} (the {} nodes farthest from the outputs are not drawn; the text and DOT dumps show every node)",
                self.title,
                n - taken
            ),
            legend: self.legend.clone(),
            ..Diagram::default()
        };
        let mut clusters: Vec<Option<usize>> = vec![None; self.clusters.len()];
        let mut new_id: Vec<Option<usize>> = vec![None; n];
        for id in (0..n).filter(|&id| kept[id]) {
            let node = &self.nodes[id];
            let cluster = node.cluster.filter(|&c| c < clusters.len()).map(|c| {
                *clusters[c].get_or_insert_with(|| {
                    diagram.clusters.push(self.clusters[c].clone());
                    diagram.clusters.len() - 1
                })
            });
            new_id[id] = Some(diagram.add_node(Node {
                cluster,
                ..node.clone()
            }));
        }
        let mut stubs: Vec<Option<usize>> = vec![None; n];
        for edge in &self.edges {
            let (Some(&Some(to)), Some(&from)) = (new_id.get(edge.to), new_id.get(edge.from))
            else {
                // An edge into a node left out is not drawn.
                continue;
            };
            let from = match from {
                Some(from) => from,
                None => {
                    // Edges from the nodes left out into one reader share one stub.
                    if stubs[edge.to].is_some() {
                        continue;
                    }
                    let stub = diagram.add_node(Node {
                        lines: vec!["...".to_string()],
                        fill: "#ffffff",
                        shape: Shape::Plain,
                        bold: false,
                        tooltip: "nodes not drawn; the text and DOT dumps show them".to_string(),
                        cluster: None,
                    });
                    *stubs[edge.to].insert(stub)
                }
            };
            diagram.edges.push(Edge {
                from,
                to,
                ..edge.clone()
            });
        }
        diagram
    }

    /// The diagram in Graphviz's DOT language; `dot -Tsvg` draws it with clusters as boxes.
    pub(crate) fn to_dot(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail, so the results of `writeln!` are ignored below.
        let _ = writeln!(out, "digraph lazygrad {{");
        let _ = writeln!(
            out,
            "  graph [rankdir=TB, fontname=\"monospace\", fontsize=11, label={}, labelloc=t, \
             nodesep=0.25, ranksep=0.35];",
            quote(&self.title)
        );
        let _ = writeln!(
            out,
            "  node [fontname=\"monospace\", fontsize=10, style=\"filled\", penwidth=1];"
        );
        let _ = writeln!(
            out,
            "  edge [fontname=\"monospace\", fontsize=9, color=\"#555555\"];"
        );
        // Each cluster's members, gathered in one pass so a plan of many kernels is written in
        // time linear in its size.
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); self.clusters.len()];
        for (id, node) in self.nodes.iter().enumerate() {
            if let Some(cluster) = node.cluster.filter(|&c| c < members.len()) {
                members[cluster].push(id);
            }
        }
        for (idx, cluster) in self.clusters.iter().enumerate() {
            let _ = writeln!(out, "  subgraph cluster_{idx} {{");
            let mut label = cluster.lines.join("\n");
            if let Some(fraction) = cluster.bar {
                let filled = (fraction * 20.0).round() as usize;
                let _ = write!(
                    label,
                    "\n{}{}",
                    "█".repeat(filled),
                    "░".repeat(20 - filled.min(20))
                );
            }
            let _ = writeln!(
                out,
                "    label={}; labeljust=l; style=\"filled,rounded\"; fillcolor=\"{}\"; \
                 color=\"{}\"; penwidth={}; tooltip={};",
                quote(&label),
                cluster.fill,
                if cluster.hot { "#c9302c" } else { "#888888" },
                if cluster.hot { 3 } else { 1 },
                quote(&cluster.tooltip)
            );
            for &id in &members[idx] {
                out.push_str("    ");
                write_node(&mut out, id, &self.nodes[id]);
            }
            let _ = writeln!(out, "  }}");
        }
        for (id, node) in self.nodes.iter().enumerate() {
            if node.cluster.is_none() {
                out.push_str("  ");
                write_node(&mut out, id, node);
            }
        }
        for edge in &self.edges {
            let _ = write!(
                out,
                "  n{} -> n{} [tooltip={}",
                edge.from,
                edge.to,
                quote(&edge.tooltip)
            );
            if let Some(port) = edge.port {
                let _ = write!(out, ", headlabel=\"{port}\"");
            }
            let _ = writeln!(out, "];");
        }
        let _ = writeln!(out, "}}");
        out
    }
}

fn write_node(out: &mut String, id: usize, node: &Node) {
    let shape = match node.shape {
        Shape::Op => "box, style=\"filled,rounded\"",
        Shape::Leaf => "box",
        Shape::Plain => "plaintext, style=\"\"",
        Shape::Slot => "cylinder",
    };
    let _ = writeln!(
        out,
        "n{id} [label={}, shape={shape}, fillcolor=\"{}\", penwidth={}, tooltip={}];",
        quote(&node.lines.join("\n")),
        node.fill,
        if node.bold { 2.5 } else { 1.0 },
        quote(&node.tooltip)
    );
}

/// A DOT double-quoted string; line breaks become centred DOT line breaks (`\n`).
fn quote(text: &str) -> String {
    let mut res = String::with_capacity(text.len() + 2);
    res.push('"');
    for c in text.chars() {
        match c {
            '"' => res.push_str("\\\""),
            '\\' => res.push_str("\\\\"),
            '\n' => res.push_str("\\n"),
            c => res.push(c),
        }
    }
    res.push('"');
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_what_dot_would_misread() {
        assert_eq!(quote("a \"b\"\nc\\d"), "\"a \\\"b\\\"\\nc\\\\d\"");
    }
}
