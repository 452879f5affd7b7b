//! Every page of the repository's sample site checked by the W3C Nu HTML
//! Checker (vnu, from npm's `vnu-jar`, run with the machine's Java).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Installs the checkers of tests/tools (vnu-jar, axe-core) from its lock file.
pub fn install_tools() {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&tools)
        .status()
        .expect("npm is needed to install the checkers (tests/tools)");
    assert!(status.success(), "npm ci in tests/tools failed");
}

/// The checker's jar, installed on first use.
fn vnu_jar() -> PathBuf {
    let jar =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        install_tools();
    }
    assert!(jar.is_file(), "{} is missing after npm ci", jar.display());
    jar
}

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
    let jar = vnu_jar();
    let (_dir, output) = sample_site();
    let result = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(&output)
        .output()
        .expect("java runs the Nu HTML Checker");
    let report =
        String::from_utf8_lossy(&result.stderr).into_owned() + &String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "the checker found errors:\n{report}");
}
