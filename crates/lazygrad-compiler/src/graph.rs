//! The graph the compiler works on: a petgraph DAG lowered from the user's pending tensors.

use lazygrad_ir::{DType, Op, Shape, View};
use petgraph::Direction;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;

/// A node of the lowered graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What the node computes; `Op::Buffer` for an input.
    pub op: Op,
    /// The shape of its value.
    pub shape: Shape,
    /// The dtype of its value.
    pub dtype: DType,
    /// For inputs: which input buffer, and the view the node reads it through.
    pub input: Option<(usize, View)>,
    /// Where the user created the node, for ops whose errors only the data can show.
    pub location: Option<String>,
}

/// A node's index in a [`Graph`].
pub type NodeId = NodeIndex;

/// A DAG of ops whose edges run from argument to consumer, weighted by argument position.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    graph: StableDiGraph<Node, usize>,
    n_inputs: usize,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// Adds the next input buffer, read through `view`; inputs are numbered in the order added.
    pub fn add_input(&mut self, view: View, dtype: DType) -> NodeId {
        let input = self.n_inputs;
        self.n_inputs += 1;
        self.graph.add_node(Node {
            op: Op::Buffer,
            shape: view.shape.clone(),
            dtype,
            input: Some((input, view)),
            location: None,
        })
    }

    /// Adds an op node over `args`, whose shape and dtype the caller has inferred.
    pub fn add_node(&mut self, op: Op, shape: Shape, dtype: DType, args: &[NodeId]) -> NodeId {
        let id = self.graph.add_node(Node {
            op,
            shape,
            dtype,
            input: None,
            location: None,
        });
        for (position, &arg) in args.iter().enumerate() {
            self.graph.add_edge(arg, id, position);
        }
        id
    }

    /// Records where the user created node `id`, for data-dependent errors.
    pub fn set_location(&mut self, id: NodeId, location: String) {
        self.graph[id].location = Some(location);
    }

    /// The number of input buffers.
    pub fn n_inputs(&self) -> usize {
        self.n_inputs
    }

    /// The node with index `id`.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.graph[id]
    }

    /// The arguments of `id`, in argument order.
    pub fn args(&self, id: NodeId) -> Vec<NodeId> {
        let mut edges: Vec<(usize, NodeId)> = self
            .graph
            .edges_directed(id, Direction::Incoming)
            .map(|edge| (*edge.weight(), edge.source()))
            .collect();
        edges.sort_unstable();
        edges.into_iter().map(|(_, source)| source).collect()
    }

    /// The number of distinct nodes that use `id` as an argument.
    pub fn n_consumers(&self, id: NodeId) -> usize {
        let mut consumers: Vec<NodeId> = self
            .graph
            .neighbors_directed(id, Direction::Outgoing)
            .collect();
        consumers.sort_unstable();
        consumers.dedup();
        consumers.len()
    }

    /// Every node, arguments before consumers.
    pub fn topo_order(&self) -> Vec<NodeId> {
        // The graph is built bottom-up from immutable tensors, so it cannot have cycles.
        petgraph::algo::toposort(&self.graph, None)
            .expect("internal error: the lazy graph has a cycle")
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// Whether the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// The underlying petgraph graph, for dumps.
    pub fn petgraph(&self) -> &StableDiGraph<Node, usize> {
        &self.graph
    }
}
