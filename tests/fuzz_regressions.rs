//! Replays the committed fuzz inputs in `fuzz/regressions/<target>/` through
//! the same checks the fuzz targets run (`fuzz/src/lib.rs`, compiled in here),
//! so a crash fixed once stays fixed, on a stable compiler, in `cargo test`.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::{Path, PathBuf};
use tactful_cli::input::InputFormat;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    files
}

fn replay(target: &str, check: impl Fn(&[u8])) {
    for path in inputs(target) {
        let data = std::fs::read(&path).expect("read regression input");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data)));
        assert!(outcome.is_ok(), "{} fails its checks", path.display());
    }
}

#[test]
fn jsonl_regressions() {
    replay("jsonl", |d| checks::check_input(d, InputFormat::Jsonl));
}

#[test]
fn json_regressions() {
    replay("json", |d| checks::check_input(d, InputFormat::Json));
}

#[test]
fn csv_regressions() {
    replay("csv", |d| checks::check_input(d, InputFormat::Csv));
}

#[test]
fn text_regressions() {
    replay("text", |d| checks::check_input(d, InputFormat::Text));
}

#[test]
fn config_regressions() {
    replay("config", checks::check_config);
}

#[test]
fn analyzer_regressions() {
    replay("analyzer", checks::check_analyzer);
}

#[test]
fn the_jsonl_record_count_skips_blank_lines_and_a_bom() {
    assert_eq!(checks::jsonl_records(b"\xEF\xBB\xBF\n{}\n  \n{}"), 2);
    assert_eq!(checks::jsonl_records(b""), 0);
}
