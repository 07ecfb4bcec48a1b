//! Replays the index fuzz target's committed corpus (`fuzz/corpus/index/`) through the target's
//! own function, `fuzz/src/index.rs`, on stable: every input the fuzzer kept must run without a
//! panic, so CI re-checks them on every run.

#[path = "../../fuzz/src/index.rs"]
mod harness;

#[test]
fn the_index_fuzz_corpus_replays_without_panics() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/index");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{} is empty", dir.display());
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let res = std::panic::catch_unwind(|| harness::index(&bytes));
        assert!(res.is_ok(), "{} panicked", path.display());
    }
}
