//! Draws a [`Diagram`] as a standalone SVG document, with no external program.
//!
//! Each cluster is laid out on its own first; the clusters and the free nodes are then laid out
//! together, every cluster as one big node, so cluster boxes never overlap and edges bend
//! around them. Text is monospace, so the width of a label is known from its length.

use super::diagram::{Diagram, Shape};
use super::layout::{Layout, layered};
use std::fmt::Write;

/// The most nodes an SVG draws; larger graphs are drawn from the outputs back to this many
/// (`Diagram::elided`), since a layered layout of more is neither fast nor readable.
pub(crate) const MAX_DRAWN_NODES: usize = 2000;
const FONT_SIZE: f64 = 12.0;
/// The advance of one character of a 12 px monospace font (0.6 em, as DejaVu Sans Mono).
const CHAR_WIDTH: f64 = 7.3;
const LINE_HEIGHT: f64 = 15.0;
const NODE_PAD_X: f64 = 8.0;
const NODE_PAD_Y: f64 = 5.0;
const CLUSTER_PAD: f64 = 10.0;
const BAR_HEIGHT: f64 = 5.0;
const MARGIN: f64 = 16.0;
const TITLE_HEIGHT: f64 = 24.0;
const LEGEND_HEIGHT: f64 = 26.0;

#[derive(Clone, Copy, Debug, Default)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn centered(center: (f64, f64), size: (f64, f64)) -> Rect {
        Rect {
            x: center.0 - size.0 / 2.0,
            y: center.1 - size.1 / 2.0,
            w: size.0,
            h: size.1,
        }
    }
}

/// The size of a block of monospace text lines with padding.
fn text_size(lines: &[String], pad_x: f64, pad_y: f64) -> (f64, f64) {
    let chars = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    (
        chars as f64 * CHAR_WIDTH + 2.0 * pad_x,
        lines.len().max(1) as f64 * LINE_HEIGHT + 2.0 * pad_y,
    )
}

fn cluster_header_height(lines: usize, bar: bool) -> f64 {
    lines as f64 * LINE_HEIGHT + if bar { BAR_HEIGHT + 4.0 } else { 0.0 } + 4.0
}

/// Renders the diagram.
pub(crate) fn render(diagram: &Diagram) -> String {
    let diagram = &diagram.elided(MAX_DRAWN_NODES);
    let sizes: Vec<(f64, f64)> = diagram
        .nodes
        .iter()
        .map(|node| match node.shape {
            Shape::Plain => text_size(&node.lines, 3.0, 2.0),
            _ => text_size(&node.lines, NODE_PAD_X, NODE_PAD_Y),
        })
        .collect();
    // Each cluster's members, laid out on their own.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); diagram.clusters.len()];
    for (id, node) in diagram.nodes.iter().enumerate() {
        if let Some(c) = node.cluster {
            members[c].push(id);
        }
    }
    let mut local = vec![0usize; diagram.nodes.len()];
    for list in &members {
        for (idx, &id) in list.iter().enumerate() {
            local[id] = idx;
        }
    }
    let inner_edges: Vec<Vec<usize>> = (0..diagram.clusters.len())
        .map(|c| {
            (0..diagram.edges.len())
                .filter(|&e| {
                    let edge = &diagram.edges[e];
                    diagram.nodes[edge.from].cluster == Some(c)
                        && diagram.nodes[edge.to].cluster == Some(c)
                })
                .collect()
        })
        .collect();
    let inner: Vec<Layout> = (0..diagram.clusters.len())
        .map(|c| {
            let member_sizes: Vec<(f64, f64)> = members[c].iter().map(|&id| sizes[id]).collect();
            let edges: Vec<(usize, usize)> = inner_edges[c]
                .iter()
                .map(|&e| {
                    let edge = &diagram.edges[e];
                    (local[edge.from], local[edge.to])
                })
                .collect();
            layered(&member_sizes, &edges)
        })
        .collect();
    let cluster_sizes: Vec<(f64, f64)> = diagram
        .clusters
        .iter()
        .zip(&inner)
        .map(|(cluster, layout)| {
            let header = text_size(&cluster.lines, 0.0, 0.0).0;
            (
                layout.width.max(header) + 2.0 * CLUSTER_PAD,
                cluster_header_height(cluster.lines.len(), cluster.bar.is_some())
                    + layout.height
                    + 2.0 * CLUSTER_PAD,
            )
        })
        .collect();
    // The top level: clusters first, then the nodes outside any cluster.
    let n_clusters = diagram.clusters.len();
    let mut unit_of = vec![0usize; diagram.nodes.len()];
    let mut unit_sizes: Vec<(f64, f64)> = cluster_sizes.clone();
    for (id, node) in diagram.nodes.iter().enumerate() {
        unit_of[id] = match node.cluster {
            Some(c) => c,
            None => {
                unit_sizes.push(sizes[id]);
                unit_sizes.len() - 1
            }
        };
    }
    let outer_edges: Vec<usize> = (0..diagram.edges.len())
        .filter(|&e| {
            let edge = &diagram.edges[e];
            unit_of[edge.from] != unit_of[edge.to]
        })
        .collect();
    let top_pairs: Vec<(usize, usize)> = outer_edges
        .iter()
        .map(|&e| (unit_of[diagram.edges[e].from], unit_of[diagram.edges[e].to]))
        .collect();
    let top = layered(&unit_sizes, &top_pairs);
    let origin = (MARGIN, MARGIN + TITLE_HEIGHT);
    let unit_rect = |unit: usize| {
        Rect::centered(
            (
                top.centers[unit].0 + origin.0,
                top.centers[unit].1 + origin.1,
            ),
            unit_sizes[unit],
        )
    };
    // Absolute rectangles of clusters and nodes, and where each cluster's inner layout starts.
    let cluster_rects: Vec<Rect> = (0..n_clusters).map(unit_rect).collect();
    let inner_origin: Vec<(f64, f64)> = (0..n_clusters)
        .map(|c| {
            let rect = cluster_rects[c];
            let spare = rect.w - 2.0 * CLUSTER_PAD - inner[c].width;
            (
                rect.x + CLUSTER_PAD + spare / 2.0,
                rect.y
                    + CLUSTER_PAD
                    + cluster_header_height(
                        diagram.clusters[c].lines.len(),
                        diagram.clusters[c].bar.is_some(),
                    ),
            )
        })
        .collect();
    let node_rects: Vec<Rect> = diagram
        .nodes
        .iter()
        .enumerate()
        .map(|(id, node)| match node.cluster {
            Some(c) => {
                let (cx, cy) = inner[c].centers[local[id]];
                Rect::centered((cx + inner_origin[c].0, cy + inner_origin[c].1), sizes[id])
            }
            None => unit_rect(unit_of[id]),
        })
        .collect();
    // Edge routes: from the bottom of the argument to the top of the consumer, through the
    // bends of the layout the edge belongs to.
    let mut bends: Vec<Vec<(f64, f64)>> = vec![Vec::new(); diagram.edges.len()];
    for (c, list) in inner_edges.iter().enumerate() {
        for (idx, &e) in list.iter().enumerate() {
            bends[e] = inner[c].bends[idx]
                .iter()
                .map(|&(x, y)| (x + inner_origin[c].0, y + inner_origin[c].1))
                .collect();
        }
    }
    for (idx, &e) in outer_edges.iter().enumerate() {
        bends[e] = top.bends[idx]
            .iter()
            .map(|&(x, y)| (x + origin.0, y + origin.1))
            .collect();
    }
    // Several edges into one node meet its top side by side, ordered by where they come from
    // so they do not cross at the end; the argument position is written beside each arrow.
    let mut end_x: Vec<f64> = diagram
        .edges
        .iter()
        .map(|edge| node_rects[edge.to].x + node_rects[edge.to].w / 2.0)
        .collect();
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); diagram.nodes.len()];
    for (e, edge) in diagram.edges.iter().enumerate() {
        incoming[edge.to].push(e);
    }
    for (node, list) in incoming.iter_mut().enumerate() {
        if list.len() < 2 {
            continue;
        }
        let approach = |e: usize| match bends[e].last() {
            Some(&(x, _)) => x,
            None => node_rects[diagram.edges[e].from].x + node_rects[diagram.edges[e].from].w / 2.0,
        };
        list.sort_by(|&a, &b| {
            approach(a)
                .total_cmp(&approach(b))
                .then(diagram.edges[a].port.cmp(&diagram.edges[b].port))
        });
        let rect = node_rects[node];
        let step = (rect.w / (list.len() as f64 + 1.0)).min(18.0);
        for (slot, &e) in list.iter().enumerate() {
            end_x[e] += (slot as f64 - (list.len() as f64 - 1.0) / 2.0) * step;
        }
    }

    let legend_width: f64 = diagram
        .legend
        .iter()
        .map(|(label, _)| 18.0 + label.len() as f64 * CHAR_WIDTH + 14.0)
        .sum();
    let title_width = diagram.title.chars().count() as f64 * CHAR_WIDTH * 1.1;
    let width = (top.width.max(legend_width).max(title_width) + 2.0 * MARGIN).ceil();
    let legend_top = origin.1 + top.height + MARGIN;
    let height = (legend_top
        + if diagram.legend.is_empty() {
            0.0
        } else {
            LEGEND_HEIGHT
        }
        + MARGIN / 2.0)
        .ceil();

    let mut out = String::new();
    // Writing into a String cannot fail, so the results of `write!` are ignored below.
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT_SIZE}">"#
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&diagram.title));
    let _ = writeln!(
        out,
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555555\"/></marker></defs>"
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        out,
        r#"<text class="title" x="{MARGIN}" y="{}" font-size="13" font-weight="bold">{}</text>"#,
        MARGIN + 10.0,
        escape(&diagram.title)
    );
    // Cluster boxes go first and their labels and members last, so edges run over the boxes
    // but under the text.
    for (c, cluster) in diagram.clusters.iter().enumerate() {
        let rect = cluster_rects[c];
        let _ = writeln!(out, r#"<g class="cluster" id="cluster{c}">"#);
        let _ = writeln!(out, "<title>{}</title>", escape(&cluster.tooltip));
        let _ = writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="8" fill="{}" stroke="{}" stroke-width="{}"/>"#,
            rect.x,
            rect.y,
            rect.w,
            rect.h,
            cluster.fill,
            if cluster.hot { "#c9302c" } else { "#8a8a8a" },
            if cluster.hot { 2.5 } else { 1.0 }
        );
        if let Some(fraction) = cluster.bar {
            let bar_y = rect.y + CLUSTER_PAD + LINE_HEIGHT * cluster.lines.len() as f64 + 2.0;
            let full = rect.w - 2.0 * CLUSTER_PAD;
            let _ = writeln!(
                out,
                r##"<rect class="bar" x="{:.1}" y="{bar_y:.1}" width="{full:.1}" height="{BAR_HEIGHT}" fill="#ffffff" stroke="#bbbbbb" stroke-width="0.5"/><rect x="{:.1}" y="{bar_y:.1}" width="{:.1}" height="{BAR_HEIGHT}" fill="#d9534f"/>"##,
                rect.x + CLUSTER_PAD,
                rect.x + CLUSTER_PAD,
                full * fraction.clamp(0.0, 1.0)
            );
        }
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(
        out,
        r##"<g class="edges" fill="none" stroke="#555555" stroke-width="1.2">"##
    );
    for (e, edge) in diagram.edges.iter().enumerate() {
        let from = node_rects[edge.from];
        let start = (from.x + from.w / 2.0, from.y + from.h);
        let end = (end_x[e], node_rects[edge.to].y);
        let mut path = format!("M{:.1},{:.1}", start.0, start.1);
        let mut prev = start;
        for &point in bends[e].iter().chain(std::iter::once(&end)) {
            let mid = (prev.1 + point.1) / 2.0;
            let _ = write!(
                path,
                " C{:.1},{mid:.1} {:.1},{mid:.1} {:.1},{:.1}",
                prev.0, point.0, point.0, point.1
            );
            prev = point;
        }
        let _ = write!(
            out,
            r#"<g class="edge"><title>{}</title><path d="{path}" marker-end="url(#arrow)"/>"#,
            escape(&edge.tooltip)
        );
        if let Some(port) = edge.port {
            let center = node_rects[edge.to].x + node_rects[edge.to].w / 2.0;
            let (x, anchor) = if end.0 < center - 0.5 {
                (end.0 - 4.0, "end")
            } else {
                (end.0 + 4.0, "start")
            };
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{:.1}" text-anchor="{anchor}" font-size="9" fill="#666666" stroke="none">{port}</text>"##,
                end.1 - 3.0
            );
        }
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(out, "</g>");
    for (c, cluster) in diagram.clusters.iter().enumerate() {
        let rect = cluster_rects[c];
        // A halo in the box's colour keeps the label readable where an edge crosses it.
        let _ = writeln!(
            out,
            r#"<g class="cluster-label" stroke="{}" stroke-width="4" paint-order="stroke">"#,
            cluster.fill
        );
        for (line_idx, line) in cluster.lines.iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}"{}>{}</text>"#,
                rect.x + CLUSTER_PAD,
                rect.y + CLUSTER_PAD + LINE_HEIGHT * (line_idx as f64 + 0.8),
                if line_idx == 0 {
                    r#" font-weight="bold""#
                } else {
                    ""
                },
                escape(line)
            );
        }
        let _ = writeln!(out, "</g>");
    }
    for (id, node) in diagram.nodes.iter().enumerate() {
        draw_node(&mut out, node, node_rects[id]);
    }
    if !diagram.legend.is_empty() {
        let _ = writeln!(out, r#"<g class="legend">"#);
        let mut x = MARGIN;
        for (label, fill) in &diagram.legend {
            let _ = writeln!(
                out,
                r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{fill}" stroke="#8a8a8a"/><text x="{:.1}" y="{:.1}">{}</text>"##,
                legend_top,
                x + 18.0,
                legend_top + 10.5,
                escape(label)
            );
            x += 18.0 + label.len() as f64 * CHAR_WIDTH + 14.0;
        }
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(out, "</svg>");
    out
}

fn draw_node(out: &mut String, node: &super::diagram::Node, rect: Rect) {
    let _ = writeln!(out, r#"<g class="node">"#);
    let _ = writeln!(out, "<title>{}</title>", escape(&node.tooltip));
    let stroke_width = if node.bold { 2.5 } else { 1.0 };
    match node.shape {
        Shape::Plain => {}
        Shape::Op | Shape::Leaf | Shape::Slot => {
            let rx = match node.shape {
                Shape::Op => 5.0,
                Shape::Slot => 10.0,
                _ => 0.0,
            };
            let _ = writeln!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{rx}" fill="{}" stroke="#333333" stroke-width="{stroke_width}"/>"##,
                rect.x, rect.y, rect.w, rect.h, node.fill
            );
        }
    }
    let pad_y = if node.shape == Shape::Plain {
        2.0
    } else {
        NODE_PAD_Y
    };
    for (idx, line) in node.lines.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            rect.x + rect.w / 2.0,
            rect.y + pad_y + LINE_HEIGHT * (idx as f64 + 0.8),
            escape(line)
        );
    }
    let _ = writeln!(out, "</g>");
}

/// Text escaped for XML character data and attribute values.
fn escape(text: &str) -> String {
    let mut res = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => res.push_str("&amp;"),
            '<' => res.push_str("&lt;"),
            '>' => res.push_str("&gt;"),
            '"' => res.push_str("&quot;"),
            '\'' => res.push_str("&apos;"),
            c => res.push(c),
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
