//! The logical graph: every node reachable from some tensors, listed jaxpr-style or drawn.

use super::diagram::{self, Diagram, Edge};
use super::text;
use crate::Tensor;
use lazygrad_ir::{DType, Op, Shape};
use std::collections::HashMap;
use std::panic::Location;

/// What a node is to the user, which decides how it is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Data: a leaf that does not require grad, or a realized node that dropped its history.
    Input,
    /// A leaf marked with `requires_grad`.
    Param,
    /// A scalar constant, written inline as a literal.
    Const,
    /// An op of the forward pass.
    Forward,
    /// An op that `grad` or `vjp` built.
    Gradient,
    /// An op built under `no_grad` or by `detach`, such as an optimizer's update.
    NoGrad,
}

impl Role {
    fn fill(self) -> &'static str {
        match self {
            Role::Input => "#e4e4e4",
            Role::Param => "#ffd27f",
            Role::Const => "#ffffff",
            Role::Forward => "#cfe2ff",
            Role::Gradient => "#f9c9c9",
            Role::NoGrad => "#d3ecd5",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::Input => "input",
            Role::Param => "parameter",
            Role::Const => "constant",
            Role::Forward => "forward",
            Role::Gradient => "gradient",
            Role::NoGrad => "no_grad",
        }
    }
}

/// One node of the captured graph.
pub(crate) struct GraphNode {
    pub(crate) op: Op,
    pub(crate) shape: Shape,
    pub(crate) dtype: DType,
    /// Indices of the arguments, in argument order.
    pub(crate) args: Vec<usize>,
    pub(crate) role: Role,
    /// Whether the value has been computed (a realized op node that kept its inputs for autodiff).
    pub(crate) realized: bool,
    pub(crate) location: &'static Location<'static>,
}

/// The nodes reachable from some tensors, arguments before their consumers.
pub(crate) struct LogicalGraph {
    pub(crate) nodes: Vec<GraphNode>,
    pub(crate) outputs: Vec<usize>,
}

impl LogicalGraph {
    /// Walks the graph behind `outputs`, each node once, in a deterministic order: depth first,
    /// arguments in argument order. The walk is iterative so long chains cannot overflow.
    pub(crate) fn capture(outputs: &[&Tensor]) -> LogicalGraph {
        let mut ids: HashMap<usize, usize> = HashMap::new();
        // Holding every handle keeps the nodes alive, so their keys stay unique during the walk.
        let mut held: Vec<Tensor> = Vec::new();
        let mut nodes = Vec::new();
        let mut stack: Vec<(Tensor, Option<Vec<Tensor>>)> =
            outputs.iter().rev().map(|t| ((*t).clone(), None)).collect();
        while let Some((tensor, inputs)) = stack.pop() {
            if ids.contains_key(&tensor.key()) {
                continue;
            }
            match inputs {
                None => {
                    let inputs = tensor.graph_inputs();
                    let pending: Vec<Tensor> = inputs
                        .iter()
                        .rev()
                        .filter(|input| !ids.contains_key(&input.key()))
                        .cloned()
                        .collect();
                    stack.push((tensor, Some(inputs)));
                    stack.extend(pending.into_iter().map(|input| (input, None)));
                }
                Some(inputs) => {
                    let node = &tensor.0;
                    let role = match node.op {
                        Op::Buffer if node.marks.requires_grad => Role::Param,
                        Op::Buffer => Role::Input,
                        Op::Const(_) => Role::Const,
                        _ if inputs.is_empty() => Role::Input,
                        _ if node.marks.gradient => Role::Gradient,
                        _ if node.marks.detached => Role::NoGrad,
                        _ => Role::Forward,
                    };
                    nodes.push(GraphNode {
                        op: node.op.clone(),
                        shape: node.shape.clone(),
                        dtype: node.dtype,
                        args: inputs.iter().map(|input| ids[&input.key()]).collect(),
                        role,
                        realized: tensor.is_realized(),
                        location: node.location,
                    });
                    ids.insert(tensor.key(), nodes.len() - 1);
                    held.push(tensor);
                }
            }
        }
        LogicalGraph {
            outputs: outputs.iter().map(|t| ids[&t.key()]).collect(),
            nodes,
        }
    }

    /// Variable names: leaves first, then equations, in jaxpr's `a, b, ..., ba` style; constants
    /// that are written inline get none.
    fn names(&self) -> Vec<Option<String>> {
        let mut names = vec![None; self.nodes.len()];
        let order = self.leaves().into_iter().chain(self.equations());
        for (next, idx) in order.enumerate() {
            names[idx] = Some(text::var_name(next));
        }
        names
    }

    fn leaves(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&idx| matches!(self.nodes[idx].role, Role::Input | Role::Param))
            .collect()
    }

    fn equations(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&idx| {
                !matches!(
                    self.nodes[idx].role,
                    Role::Input | Role::Param | Role::Const
                )
            })
            .collect()
    }

    /// How a node is referred to as an argument: its name, or a literal for a constant.
    fn reference(&self, names: &[Option<String>], idx: usize) -> String {
        match (&names[idx], &self.nodes[idx].op) {
            (Some(name), _) => name.clone(),
            (None, Op::Const(value)) => format!("{value}:{}", text::ty(value.dtype(), &[])),
            (None, op) => op.label().to_string(),
        }
    }

    /// The jaxpr-like listing; with `locations`, each equation ends with its creation site.
    pub(crate) fn text(&self, locations: bool) -> String {
        let names = self.names();
        let binders: Vec<String> = self
            .leaves()
            .into_iter()
            .map(|idx| {
                let node = &self.nodes[idx];
                let mark = if node.role == Role::Param {
                    "{param}"
                } else {
                    ""
                };
                format!(
                    "{}:{}{mark}",
                    names[idx].as_deref().unwrap_or("?"),
                    text::ty(node.dtype, &node.shape)
                )
            })
            .collect();
        let lines: Vec<(String, Vec<String>)> = self
            .equations()
            .into_iter()
            .map(|idx| {
                let node = &self.nodes[idx];
                let mut eqn = format!(
                    "{}:{} = {}",
                    names[idx].as_deref().unwrap_or("?"),
                    text::ty(node.dtype, &node.shape),
                    text::op_with_params(&node.op)
                );
                for &arg in &node.args {
                    eqn.push(' ');
                    eqn.push_str(&self.reference(&names, arg));
                }
                let mut notes = Vec::new();
                match node.role {
                    Role::Gradient => notes.push("grad".to_string()),
                    Role::NoGrad => notes.push("no_grad".to_string()),
                    _ => {}
                }
                if node.realized {
                    notes.push("realized".to_string());
                }
                if locations {
                    notes.push(format!("{}:{}", node.location.file(), node.location.line()));
                }
                (eqn, notes)
            })
            .collect();
        // Notes line up in one column, unless an equation is too long for that to help.
        let column = lines
            .iter()
            .filter(|(eqn, notes)| !notes.is_empty() && eqn.len() <= 60)
            .map(|(eqn, _)| eqn.len())
            .max()
            .unwrap_or(0);
        let mut out = format!("{{ lambda ; {}. let\n", binders.join(" "));
        for (eqn, notes) in lines {
            out.push_str("    ");
            out.push_str(&eqn);
            if !notes.is_empty() {
                let pad = column.saturating_sub(eqn.len());
                out.push_str(&" ".repeat(pad));
                out.push_str("  # ");
                out.push_str(&notes.join(", "));
            }
            out.push('\n');
        }
        let outputs: Vec<String> = self
            .outputs
            .iter()
            .map(|&idx| self.reference(&names, idx))
            .collect();
        out.push_str(&format!("  in {} }}\n", text::tuple(&outputs)));
        out
    }

    /// The graph as boxes and arrows, coloured by role, outputs with a heavy border.
    pub(crate) fn diagram(&self) -> Diagram {
        let names = self.names();
        let mut diagram = Diagram {
            title: self.title(),
            ..Diagram::default()
        };
        for (idx, node) in self.nodes.iter().enumerate() {
            let name = names[idx].as_deref().unwrap_or("");
            let ty = text::ty(node.dtype, &node.shape);
            let (lines, shape) = match node.role {
                Role::Const => (vec![self.reference(&names, idx)], diagram::Shape::Plain),
                Role::Input if node.op != Op::Buffer => (
                    vec![
                        format!("{name}: {} (realized)", node.op.label()),
                        ty.clone(),
                    ],
                    diagram::Shape::Leaf,
                ),
                Role::Input | Role::Param => (
                    vec![format!("{name}: {}", node.role.name()), ty.clone()],
                    diagram::Shape::Leaf,
                ),
                _ => (
                    vec![
                        format!("{name} = {}", text::op_with_params(&node.op)),
                        ty.clone(),
                    ],
                    diagram::Shape::Op,
                ),
            };
            let output = self.outputs.iter().position(|&o| o == idx);
            let mut tooltip = format!(
                "{} {ty}, {}, created at {}",
                lines[0],
                node.role.name(),
                node.location
            );
            if node.realized {
                tooltip.push_str(", realized");
            }
            if let Some(position) = output {
                tooltip.push_str(&format!(", output {position}"));
            }
            diagram.add_node(diagram::Node {
                lines,
                fill: node.role.fill(),
                shape,
                bold: output.is_some(),
                tooltip,
                cluster: None,
            });
        }
        for (idx, node) in self.nodes.iter().enumerate() {
            for (position, &arg) in node.args.iter().enumerate() {
                let from = &self.nodes[arg];
                diagram.edges.push(Edge {
                    from: arg,
                    to: idx,
                    port: (node.args.len() > 1).then_some(position),
                    tooltip: format!(
                        "{}:{} -> argument {position} of {}",
                        self.reference(&names, arg),
                        text::ty(from.dtype, &from.shape),
                        names[idx].as_deref().unwrap_or("")
                    ),
                });
            }
        }
        for role in [
            Role::Input,
            Role::Param,
            Role::Forward,
            Role::Gradient,
            Role::NoGrad,
        ] {
            if self.nodes.iter().any(|node| node.role == role) {
                diagram.legend.push((role.name(), role.fill()));
            }
        }
        diagram
    }

    fn title(&self) -> String {
        let count = |role: Role| self.nodes.iter().filter(|n| n.role == role).count();
        let mut parts = vec![format!("{} forward", count(Role::Forward))];
        for role in [Role::Gradient, Role::NoGrad] {
            if count(role) > 0 {
                parts.push(format!("{} {}", count(role), role.name()));
            }
        }
        format!(
            "graph: {} nodes ({}), {} inputs, {} parameters",
            self.nodes.len(),
            parts.join(", "),
            count(Role::Input),
            count(Role::Param)
        )
    }
}
