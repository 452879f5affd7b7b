//! A fixture site copied to a temporary folder, and the real binary run on it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TestSite {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestSite {
    /// A copy of `tests/sites/<name>` that the test may change freely.
    pub fn from_fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("site");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites").join(name);
        copy_tree(&fixture, &root);
        TestSite { _dir: dir, root }
    }

    pub fn write(&self, path: &str, text: impl AsRef<[u8]>) -> &Self {
        let target = self.root.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output: Output = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(args)
            .arg("--root")
            .arg(&self.root)
            .output()
            .expect("running bantin");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Builds and insists that it worked.
    pub fn build(&self, args: &[&str]) -> Run {
        let run = self.run(&[&["build"], args].concat());
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// A published file, which must exist.
    pub fn page(&self, site_path: &str) -> String {
        let file = self.root.join("public").join(site_path.trim_start_matches('/'));
        let file = if site_path.ends_with('/') { file.join("index.html") } else { file };
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    pub fn exists(&self, site_path: &str) -> bool {
        self.root.join("public").join(site_path.trim_start_matches('/')).exists()
    }

    /// Every file under `folder` with its bytes.
    pub fn snapshot(&self, folder: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        let base = self.root.join(folder);
        walkdir::WalkDir::new(&base)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(&base).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect()
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The `<main>` element of a page, where the article or listing is.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has a <main>");
    let end = html.find("</main>").expect("page closes <main>");
    &html[start..end]
}
