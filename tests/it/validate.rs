//! Every page of the repository's sample site checked by the W3C Nu HTML
//! Checker (vnu, from npm's `vnu-jar`, run with the machine's Java).

use std::path::PathBuf;
use std::process::Command;

use crate::harness::{test_tool, SETUP};

/// The sample site in this repository, built into a temporary folder.
pub fn sample_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success(), "the sample site builds");
    (dir, output)
}

#[test]
fn every_page_of_the_sample_site_passes_the_nu_html_checker() {
    let jar = test_tool("vnu-jar/build/dist/vnu.jar");
    let (_dir, output) = sample_site();
    let result = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(&output)
        .output()
        .unwrap_or_else(|e| panic!("java runs the Nu HTML Checker ({e}): {SETUP}"));
    let report =
        String::from_utf8_lossy(&result.stderr).into_owned() + &String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "the checker found errors:\n{report}");
}
