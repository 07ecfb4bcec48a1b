//! `docs/coverage.md` stays true: every lazygrad expression of its tables is in the block that
//! `cargo test --doc` compiles, and every numpy function appears once.

use std::collections::HashSet;
use std::path::Path;

#[test]
fn every_listed_spelling_is_compiled_by_the_doctest_block() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/coverage.md");
    let text = std::fs::read_to_string(&path).expect("docs/coverage.md exists");
    let block: HashSet<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("let _ = ")?.strip_suffix(';'))
        .collect();
    let mut numpy_names = HashSet::new();
    let mut missing = Vec::new();
    let mut rows = 0;
    for line in text.lines().filter(|line| line.starts_with("| `np.")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let name = cells[0].trim_start_matches("| ");
        assert!(numpy_names.insert(name), "{name} is listed twice");
        rows += 1;
        let Some(expr) = cells[1].strip_prefix('`').and_then(|c| c.strip_suffix('`')) else {
            assert_eq!(cells[1], "—", "{name}: a spelling in backticks, or a dash");
            assert!(
                !cells[2].trim_end_matches(" |").is_empty(),
                "{name}: absent without a reason"
            );
            continue;
        };
        let expr = expr.replace("\\|", "|");
        if !block.contains(expr.as_str()) {
            missing.push(format!("{name}: {expr}"));
        }
    }
    assert!(rows >= 390, "only {rows} numpy functions listed");
    assert!(
        missing.is_empty(),
        "not in the compiled block: {missing:#?}"
    );
}
