//! Graph dumps: snapshots of the graph and plan listings, and the SVG and DOT drawings checked
//! with parsers. Update the snapshots with `UPDATE_EXPECT=1 cargo test --test it dump`.

use expect_test::{Expect, expect};
use lazygrad::{Plan, Tensor, no_grad, plan_for, viz, with_fusion};

/// A realized float32 leaf of `shape` whose values do not matter to a listing.
fn data(shape: &[usize]) -> Tensor {
    let n: usize = shape.iter().product();
    let values: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin()).collect();
    Tensor::from_vec(values, shape.to_vec())
}

/// The fused plan of `outputs`, whatever `LAZYGRAD_FUSION` says.
fn fused_plan(outputs: &[&Tensor]) -> Plan {
    with_fusion(true, || plan_for(outputs))
}

fn check(outputs: &[&Tensor], graph: Expect, plan: Expect) {
    graph.assert_eq(&viz::graph_text(outputs));
    plan.assert_eq(&viz::plan_text(&fused_plan(outputs)));
}

/// `(2x + y).tanh() - 1` and its absolute value: one fused kernel.
fn chain() -> Tensor {
    let (x, y) = (data(&[4, 3]), data(&[4, 3]));
    ((&x * 2.0 + &y).tanh() - 1.0).abs()
}

/// `sum((x - y)^2)` along the rows: one reduction with its input fused in.
fn reduction() -> Tensor {
    let (x, y) = (data(&[4, 3]), data(&[4, 3]));
    (&x - &y).square().sum_axes([1], true)
}

/// The softmax of rows, written out: max, shift, exp, sum and divide.
fn softmax() -> Tensor {
    let x = data(&[4, 3]);
    let exp = (&x - &x.max_axes([1], true)).exp();
    &exp / &exp.sum_axes([1], true)
}

/// One SGD step of the cheat sheet's 2-layer network: the loss and the updated weights.
fn training_step() -> [Tensor; 3] {
    let (x, y) = (data(&[4, 3]), data(&[4, 2]));
    let w1 = data(&[3, 5]).requires_grad();
    let w2 = data(&[5, 2]).requires_grad();
    let loss = (x.dot(&w1).maximum(0.0).dot(&w2) - &y).square().sum();
    let grads = loss.grad(&[&w1, &w2]);
    let (w1, w2) = no_grad(|| (&w1 - &grads[0] * 1e-3, &w2 - &grads[1] * 1e-3));
    [loss, w1, w2]
}

#[test]
fn elementwise_chain_listings() {
    check(
        &[&chain()],
        expect![[r#"
        { lambda ; a:f32[4,3] b:f32[4,3]. let
            c:f32[4,3] = expand[shape=(4, 3)] 2.0:f32[]
            d:f32[4,3] = multiply a c
            e:f32[4,3] = add d b
            f:f32[4,3] = tanh e
            g:f32[4,3] = expand[shape=(4, 3)] 1.0:f32[]
            h:f32[4,3] = subtract f g
            i:f32[4,3] = abs h
          in (i,) }
    "#]],
        expect![[r#"
        plan: 1 kernels, 3 slots, peak 48 B
          s0:f32 = input 0  # reads 12 elements
          s1:f32 = input 1  # reads 12 elements
          k0: s2:f32[4,3] = E_multiply_add_tanh_subtract_abs { %0 = load s1<4,3:3,1@0>; %1 = const 2.0; %2 = multiply %0 %1; %3 = load s0<4,3:3,1@0>; %4 = add %2 %3; %5 = tanh %4; %6 = const 1.0; %7 = subtract %5 %6; %8 = abs %7 }  # 48 B, output 0
          out (s2<4,3:3,1@0>,)
    "#]],
    );
}

#[test]
fn reduction_listings() {
    check(
        &[&reduction()],
        expect![[r#"
        { lambda ; a:f32[4,3] b:f32[4,3]. let
            c:f32[4,3] = subtract a b
            d:f32[4,3] = multiply c c
            e:f32[4,1] = sum[axes=(1,)] d
          in (e,) }
    "#]],
        expect![[r#"
        plan: 1 kernels, 3 slots, peak 16 B
          s0:f32 = input 0  # reads 12 elements
          s1:f32 = input 1  # reads 12 elements
          k0: s2:f32[4,1] = R_subtract_multiply_sum { %0 = load s1<4,3:3,1@0>; %1 = load s0<4,3:3,1@0>; %2 = subtract %0 %1; %3 = multiply %2 %2; sum[axes=(1,)] %3 }  # 16 B, output 0
          out (s2<4,1:1,1@0>,)
    "#]],
    );
}

#[test]
fn softmax_listings() {
    check(
        &[&softmax()],
        expect![[r#"
        { lambda ; a:f32[4,3]. let
            b:f32[4,1] = max[axes=(1,)] a
            c:f32[4,3] = expand[shape=(4, 3)] b
            d:f32[4,3] = subtract a c
            e:f32[4,3] = exp d
            f:f32[4,1] = sum[axes=(1,)] e
            g:f32[4,3] = expand[shape=(4, 3)] f
            h:f32[4,3] = divide e g
          in (h,) }
    "#]],
        expect![[r#"
            plan: 4 kernels, 5 slots, peak 112 B
              s0:f32 = input 0  # reads 12 elements
              k0: s1:f32[4,1] = R_max { %0 = load s0<4,3:3,1@0>; max[axes=(1,)] %0 }  # 16 B, live k0..k1
              k1: s2:f32[4,3] = E_subtract_exp { %0 = load s0<4,3:3,1@0>; %1 = load s1<4,3:1,0@0>; %2 = subtract %0 %1; %3 = exp %2 }  # 48 B, live k1..k3
              k2: s3:f32[4,1] = R_sum { %0 = load s2<4,3:3,1@0>; sum[axes=(1,)] %0 }  # 16 B, live k2..k3
              k3: s4:f32[4,3] = E_divide { %0 = load s2<4,3:3,1@0>; %1 = load s3<4,3:1,0@0>; %2 = divide %0 %1 }  # 48 B, output 0, in place over s2
              out (s4<4,3:3,1@0>,)
        "#]],
    );
}

#[test]
fn training_step_listings_tell_forward_gradient_and_update_apart() {
    let [loss, w1, w2] = training_step();
    check(
        &[&loss, &w1, &w2],
        expect![[r#"
            { lambda ; a:f32[4,3] b:f32[3,5]{param} c:f32[5,2]{param} d:f32[4,2]. let
                e:f32[4,5] = matmul a b
                f:f32[4,5] = expand[shape=(4, 5)] 0.0:f32[]
                g:f32[4,5] = maximum e f
                h:f32[4,2] = matmul g c
                i:f32[4,2] = subtract h d
                j:f32[4,2] = multiply i i
                k:f32[1,1] = sum[axes=(0, 1)] j
                l:f32[] = reshape[shape=()] k
                m:f32[3,4] = permute[perm=(1, 0)] a             # grad
                n:bool[4,5] = less f e                          # grad
                o:f32[1,1] = reshape[shape=(1, 1)] 1.0:f32[]    # grad
                p:f32[4,2] = expand[shape=(4, 2)] o             # grad
                q:f32[4,2] = multiply p i                       # grad
                r:f32[4,2] = multiply p i                       # grad
                s:f32[4,2] = add q r                            # grad
                t:f32[2,5] = permute[perm=(1, 0)] c             # grad
                u:f32[4,5] = matmul s t                         # grad
                v:bool[4,5] = equal e f                         # grad
                w:f32[4,5] = expand[shape=(4, 5)] 0.5:f32[]     # grad
                x:f32[4,5] = multiply u w                       # grad
                y:f32[4,5] = expand[shape=(4, 5)] 0.0:f32[]     # grad
                z:f32[4,5] = where v x y                        # grad
                ba:f32[4,5] = where n u z                       # grad
                bb:f32[3,5] = matmul m ba                       # grad
                bc:f32[3,5] = expand[shape=(3, 5)] 0.001:f32[]  # no_grad
                bd:f32[3,5] = multiply bb bc                    # no_grad
                be:f32[3,5] = subtract b bd                     # no_grad
                bf:f32[5,4] = permute[perm=(1, 0)] g            # grad
                bg:f32[5,2] = matmul bf s                       # grad
                bh:f32[5,2] = expand[shape=(5, 2)] 0.001:f32[]  # no_grad
                bi:f32[5,2] = multiply bg bh                    # no_grad
                bj:f32[5,2] = subtract c bi                     # no_grad
              in (l, be, bj) }
        "#]],
        expect![[r#"
            plan: 9 kernels, 15 slots, peak 356 B
              s0:f32 = input 0  # reads 8 elements
              s1:f32 = input 1  # reads 10 elements
              s2:f32 = input 2  # reads 15 elements
              s3:f32 = input 3  # reads 12 elements
              k0: s4:f32[4,5] = G_matmul { gemm[batch=1 m=4 n=5 k=3] s3<4,3:3,1@0> s2<3,5:5,1@0> }  # 80 B, live k0..k6
              k1: s5:f32[4,5] = E_maximum { %0 = load s4<4,5:5,1@0>; %1 = const 0.0; %2 = maximum %0 %1 }  # 80 B, live k1..k8
              k2: s6:f32[4,2] = G_matmul { gemm[batch=1 m=4 n=2 k=5] s5<4,5:5,1@0> s1<5,2:2,1@0> }  # 32 B, live k2..k4
              k3: s7:f32[1,1] = R_subtract_multiply_sum { %0 = load s6<4,2:2,1@0>; %1 = load s0<4,2:2,1@0>; %2 = subtract %0 %1; %3 = multiply %2 %2; sum[axes=(0, 1)] %3 }  # 4 B, output 0
              k4: s8:f32[4,2] = E_subtract_add { %0 = load s6<4,2:2,1@0>; %1 = load s0<4,2:2,1@0>; %2 = subtract %0 %1; %3 = add %2 %2 }  # 32 B, live k4..k8
              k5: s9:f32[4,5] = G_matmul { gemm[batch=1 m=4 n=5 k=2] s8<4,2:2,1@0> s1<2,5:1,2@0> }  # 80 B, live k5..k6
              k6: s10:f32[4,5] = E_less_equal_multiply_where_where { %0 = const 0.0; %1 = load s4<4,5:5,1@0>; %2 = less %0 %1; %3 = load s9<4,5:5,1@0>; %4 = equal %1 %0; %5 = const 0.5; %6 = multiply %3 %5; %7 = where %4 %6 %0; %8 = where %2 %3 %7 }  # 80 B, live k6..k7
              k7: s12:f32[3,5] = G_matmul_multiply_subtract { gemm[batch=1 m=3 n=5 k=4] s3<3,4:1,3@0> s10<4,5:5,1@0>; then %0 = load s2<3,5:5,1@0>; %1 = load s12<3,5:5,1@0>; %2 = const 0.001; %3 = multiply %1 %2; %4 = subtract %0 %3 }  # 60 B, output 1
              k8: s14:f32[5,2] = G_matmul_multiply_subtract { gemm[batch=1 m=5 n=2 k=4] s5<5,4:1,5@0> s8<4,2:2,1@0>; then %0 = load s1<5,2:2,1@0>; %1 = load s14<5,2:2,1@0>; %2 = const 0.001; %3 = multiply %1 %2; %4 = subtract %0 %3 }  # 40 B, output 2
              out (s7<:@0>, s12<3,5:5,1@0>, s14<5,2:2,1@0>)
        "#]],
    );
}

#[test]
fn shared_subgraphs_are_listed_and_drawn_once() {
    let x = data(&[3]);
    let shared = x.exp();
    let out = &shared + &(&shared * &shared);
    let text = viz::graph_text(&[&out]);
    assert_eq!(text.matches("= exp").count(), 1, "{text}");
    // `shared * shared` names its one argument twice, in argument order.
    assert!(text.contains("= multiply b b"), "{text}");
    let dot = viz::graph_dot(&[&out]);
    assert_eq!(dot.matches("label=\"b = exp").count(), 1, "{dot}");
    let svg = viz::graph_svg(&[&out]);
    assert_eq!(svg.matches(">b = exp<").count(), 1);
}

#[test]
fn creation_sites_are_in_the_located_listing_and_the_tooltips() {
    let x = data(&[2]);
    let y = x.exp();
    let site = format!("{}:{}", file!(), line!() - 1);
    assert!(viz::graph_text_with_locations(&[&y]).contains(&site));
    assert!(!viz::graph_text(&[&y]).contains(&site));
    assert!(viz::graph_svg(&[&y]).contains(&site));
    assert!(viz::graph_dot(&[&y]).contains(&site));
}

/// Every graph and plan the tests above list.
fn all_cases() -> Vec<(&'static str, Vec<Tensor>)> {
    vec![
        ("chain", vec![chain()]),
        ("reduction", vec![reduction()]),
        ("softmax", vec![softmax()]),
        ("training step", training_step().to_vec()),
    ]
}

/// The text of every `<text>` element of an SVG document, which must parse as XML.
fn svg_texts(svg: &str) -> (roxmltree::Document<'_>, Vec<String>) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|err| panic!("bad XML: {err}"));
    let texts = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    (doc, texts)
}

#[test]
fn graph_svg_parses_and_shows_every_node_of_the_listing() {
    for (name, outputs) in all_cases() {
        let outputs: Vec<&Tensor> = outputs.iter().collect();
        let svg = viz::graph_svg(&outputs);
        let (doc, texts) = svg_texts(&svg);
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        // Each equation `c:f32[4,3] = exp b` of the listing is a node labelled `c = exp`, and
        // each leaf `a:f32[4,3]` a node labelled `a: input` or `a: parameter`.
        let listing = viz::graph_text(&outputs);
        let header = listing.lines().next().unwrap_or_default();
        let binders = header
            .trim_start_matches("{ lambda ; ")
            .trim_end_matches(". let");
        for binder in binders.split_whitespace() {
            let var = binder.split(':').next().unwrap_or_default();
            let kind = if binder.ends_with("{param}") {
                "parameter"
            } else {
                "input"
            };
            let label = format!("{var}: {kind}");
            assert!(texts.contains(&label), "{name}: no node {label:?}");
        }
        for line in listing.lines().filter(|l| l.contains(" = ")) {
            let (lhs, rhs) = line.trim().split_once(" = ").unwrap_or_default();
            let var = lhs.split(':').next().unwrap_or_default();
            let op = rhs.split([' ', '[']).next().unwrap_or_default();
            let label = format!("{var} = {op}");
            let drawn = texts.iter().any(|t| {
                t.strip_prefix(&label)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
            });
            assert!(drawn, "{name}: no node {label:?}");
        }
    }
}

#[test]
fn plan_svg_has_one_cluster_per_kernel_and_every_label() {
    for (name, outputs) in all_cases() {
        let outputs: Vec<&Tensor> = outputs.iter().collect();
        let plan = fused_plan(&outputs);
        let svg = viz::plan_svg(&plan);
        let (doc, texts) = svg_texts(&svg);
        let clusters = doc
            .descendants()
            .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("cluster"))
            .count();
        assert_eq!(clusters, plan.kernels.len(), "{name}");
        for (k, kernel) in plan.kernels.iter().enumerate() {
            let label = format!("k{k} {}", kernel.name());
            assert!(texts.contains(&label), "{name}: no cluster label {label:?}");
        }
        for slot in 0..plan.n_slots {
            let prefix = format!("s{slot}");
            assert!(
                texts
                    .iter()
                    .any(|t| t == &prefix || t.starts_with(&format!("{prefix}:"))),
                "{name}: no slot {prefix}"
            );
        }
    }
}

/// Checks what any DOT parser needs: quoted strings closed, braces balanced outside them, one
/// statement list; that the text parses under Graphviz's grammar (the `dot-parser` crate); and,
/// where Graphviz is installed, that `dot` itself accepts it.
fn assert_dot_parses(dot: &str) {
    assert!(dot.starts_with("digraph "), "{dot}");
    let (mut depth, mut in_string, mut escaped) = (0i64, false, false);
    for c in dot.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (false, _, '"') => in_string = true,
            (false, _, '{') => depth += 1,
            (false, _, '}') => {
                depth -= 1;
                assert!(depth >= 0, "unbalanced braces in\n{dot}");
            }
            _ => {}
        }
    }
    assert!(!in_string && depth == 0, "unterminated DOT:\n{dot}");
    if let Err(err) = dot_parser::ast::Graph::try_from(dot) {
        panic!("the DOT does not parse as Graphviz's grammar: {err}\n{dot}");
    }
    let graphviz = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = graphviz else {
        eprintln!("Graphviz's dot is not installed; checked the DOT's structure only");
        return;
    };
    use std::io::Write;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot.as_bytes())
            .unwrap_or_else(|err| panic!("writing to dot: {err}"));
    }
    let res = child
        .wait_with_output()
        .unwrap_or_else(|err| panic!("running dot: {err}"));
    assert!(
        res.status.success() && res.stderr.is_empty(),
        "dot rejected the DOT: {}\n{dot}",
        String::from_utf8_lossy(&res.stderr)
    );
}

#[test]
fn dot_parses() {
    for (name, outputs) in all_cases() {
        let outputs: Vec<&Tensor> = outputs.iter().collect();
        let plan = fused_plan(&outputs);
        let graph_dot = viz::graph_dot(&outputs);
        assert_dot_parses(&graph_dot);
        let plan_dot = viz::plan_dot(&plan);
        assert_dot_parses(&plan_dot);
        assert_eq!(
            plan_dot.matches("subgraph cluster_").count(),
            plan.kernels.len(),
            "{name}"
        );
    }
}

#[test]
fn profiles_time_every_kernel_and_mark_the_slowest() {
    let outputs = training_step();
    let refs: Vec<&Tensor> = outputs.iter().collect();
    let profile = with_fusion(true, || viz::profile(&refs)).expect("the step runs");
    assert!(outputs.iter().all(Tensor::is_realized));
    let plan = profile.plan();
    assert_eq!(profile.kernels().len(), plan.kernels.len());
    assert!(plan.kernels.len() > 1);
    assert_eq!(
        profile.total(),
        profile.kernels().iter().map(|k| k.elapsed).sum()
    );
    let text = profile.text();
    assert_eq!(text.matches("<- slowest").count(), 1, "{text}");
    let slowest = profile.slowest()[0];
    assert!(text.contains(&format!("k{} {}  <- slowest", slowest.kernel, slowest.name)));
    let svg = profile.svg();
    let (doc, _) = svg_texts(&svg);
    let hot = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("stroke") == Some("#c9302c"))
        .count();
    assert!(hot >= 1, "the slowest kernel has a heavy red border");
    assert_dot_parses(&profile.dot());
    // The values match an unprofiled run.
    let again = training_step();
    lazygrad::realize_all(&again.iter().collect::<Vec<_>>()).expect("the step runs");
    assert_eq!(outputs[0].item::<f32>(), again[0].item::<f32>());
}

#[test]
fn kernel_names_list_only_the_ops_left_after_simplification() {
    let x = data(&[4, 3]);
    let names = |outputs: &[&Tensor]| -> Vec<String> {
        let plan = fused_plan(outputs);
        plan.kernels.iter().map(|kernel| kernel.name()).collect()
    };
    // Common subexpressions (built twice here) run once, and so are named once.
    assert_eq!(names(&[&(&x * &x + &x * &x)]), ["E_multiply_add"]);
    assert_eq!(
        names(&[&(&x * 2.0 + &x * 2.0).tanh()]),
        ["E_multiply_add_tanh"]
    );
    // A multiplication by one is removed; a program left with no op is a copy.
    assert_eq!(names(&[&(&x * 1.0)]), ["E_copy"]);
    assert_eq!(names(&[&(&x * 1.0).exp()]), ["E_exp"]);
    assert_eq!(
        names(&[&((&x * 1.0 - 2.0) * 1.0).sum_axes([1], false)]),
        ["R_subtract_sum"]
    );
    assert_eq!(
        with_fusion(false, || plan_for(&[&(&x * 1.0)]).kernels[0].name()),
        "E_copy"
    );
    // A cast to another dtype is an op; filling a constant is not a copy.
    assert_eq!(names(&[&x.astype(lazygrad::DType::F64)]), ["E_cast"]);
    assert_eq!(names(&[&lazygrad::zeros([2, 2])]), ["E_fill"]);
    // A product's epilogue keeps the product's name first.
    let w = data(&[3, 3]);
    let update = &w - &(x.t().dot(&x) * 1.0) * 0.5;
    assert_eq!(names(&[&update]), ["G_matmul_multiply_subtract"]);
}

#[test]
fn listings_cover_every_kind_of_kernel() {
    // Kernels other than elementwise, reductions and GEMMs: arg-reductions, scans, pads and
    // concatenations, gathers, scatters and sorts each get a line with their views.
    let x = data(&[3, 4]);
    let idx = Tensor::from_vec(vec![2i64, 0], [2]);
    let mut scattered = x.clone();
    scattered.add_at(lazygrad::s![&idx], 1.0);
    let outputs = [
        x.argmax_axis(1, true),
        x.cumsum_axis(1),
        lazygrad::concatenate(&[&x, &x], 0),
        x.pad(&[(1, 0), (0, 2)], 0.0),
        x.take_axis(&idx, 0),
        scattered,
        x.argsort(1),
    ];
    let refs: Vec<&Tensor> = outputs.iter().collect();
    let plan = fused_plan(&refs);
    let text = viz::plan_text(&plan);
    for name in [
        "R_argmax",
        "S_cumsum",
        "M_concatenate",
        "M_pad",
        "M_gather",
        "M_scatter_add",
        "S_argsort",
    ] {
        assert!(text.contains(name), "{name} missing from\n{text}");
    }
    let svg = viz::plan_svg(&plan);
    let (doc, _) = svg_texts(&svg);
    assert_eq!(
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("cluster"))
            .count(),
        plan.kernels.len()
    );
}

#[test]
fn long_chains_dump_quickly() {
    // Dumps must stay usable on the graphs of real programs: thousands of nodes in a second.
    let mut x = data(&[8]);
    for step in 0..2000 {
        x = if step % 2 == 0 { x.exp() } else { &x * 0.5 };
    }
    let started = std::time::Instant::now();
    let svg = viz::graph_svg(&[&x]);
    let text = viz::graph_text(&[&x]);
    let elapsed = started.elapsed();
    // 1000 exps, 1000 multiplies and their 1000 broadcast constants, the header and `in`.
    assert_eq!(text.lines().count(), 3000 + 2);
    assert!(svg.len() > 100_000);
    assert!(elapsed.as_secs_f64() < 5.0, "{elapsed:?}");
}

#[test]
fn realized_tensors_dump_as_leaves_and_empty_plans() {
    let x = data(&[2, 2]);
    let text = viz::graph_text(&[&x]);
    assert_eq!(text, "{ lambda ; a:f32[2,2]. let\n  in (a,) }\n");
    let plan = plan_for(&[&x]);
    assert!(viz::plan_text(&plan).starts_with("plan: 0 kernels"));
    let svg = viz::plan_svg(&plan);
    svg_texts(&svg);
    let svg = viz::graph_svg(&[&x]);
    let (_, texts) = svg_texts(&svg);
    assert!(texts.contains(&"a: input".to_string()));
}

#[test]
fn profiles_mark_the_kernels_that_ran_as_compiled_code() {
    // A large float32 chain runs as compiled code; its sum runs in the block VM.
    let x = lazygrad::arange(1 << 18).astype(lazygrad::DType::F32) / 7.0;
    x.realize();
    let y = (&x * &x + 2.0).sqrt();
    let total = y.sum();
    let profile = lazygrad::with_jit(true, || viz::profile(&[&y, &total])).expect("runs");
    let compiled: Vec<bool> = profile.kernels().iter().map(|k| k.compiled).collect();
    assert_eq!(compiled, [true, false], "{}", profile.text());
    let text = profile.text();
    assert_eq!(text.matches("(compiled)").count(), 1, "{text}");
    // With the JIT off, nothing is marked.
    let y = (&x * &x + 2.0).sqrt();
    let profile = lazygrad::with_jit(false, || viz::profile(&[&y])).expect("runs");
    assert!(profile.kernels().iter().all(|k| !k.compiled));
}
