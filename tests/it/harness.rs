//! A fixture site copied to a temporary folder, and the real binary run on it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// How to get what the tests need; a test fails (never skips) without it.
pub const SETUP: &str = "run `bash tests/run`, which installs what the tests need and runs them";

/// A checker of tests/tools (vnu-jar, axe-core), installed by `tests/run`.
pub fn test_tool(relative: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules").join(relative);
    assert!(path.is_file(), "{} is missing: {SETUP}", path.display());
    path
}

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

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
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

    /// A copy of the repository's sample site (site.yaml, content/, templates/, static/).
    pub fn sample() -> TestSite {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("site");
        let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
        for part in ["content", "templates", "static"] {
            copy_tree(&repository.join(part), &root.join(part));
        }
        std::fs::copy(repository.join("site.yaml"), root.join("site.yaml")).expect("site.yaml");
        TestSite { _dir: dir, root }
    }

    pub fn write(&self, path: &str, text: impl AsRef<[u8]>) -> &Self {
        let target = self.root.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(args)
            .arg("--root")
            .arg(&self.root)
            .output()
            .expect("running bantin");
        Run::from(output)
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

/// Where a page links its stylesheet (`/style.3f9a2c1b.css`) and its
/// emblem (`/logo.5e0c7d21.svg`).
pub fn theme_links(html: &str) -> (String, String) {
    let after = |marker: &str| {
        let start = html.find(marker).unwrap_or_else(|| panic!("no {marker} in {html}")) + marker.len();
        html[start..].split('"').next().unwrap().to_string()
    };
    (after("<link rel=\"stylesheet\" href=\""), after("<link rel=\"icon\" href=\""))
}

/// `bantin serve` running on a free loopback port, stopped when dropped.
pub struct Served {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub base: String,
    /// Lines the server printed (stdout and stderr), as they come.
    lines: std::sync::mpsc::Receiver<String>,
    pub seen: Vec<String>,
}

impl TestSite {
    /// Starts the real binary's `serve` on port 0 and waits for its URL.
    pub fn serve(&self) -> Served {
        self.serve_with(&[])
    }

    /// `serve` with more arguments (`--bind 0.0.0.0`).
    pub fn serve_with(&self, args: &[&str]) -> Served {
        use std::io::BufRead;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&self.root)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting bantin serve");
        let (sender, lines) = std::sync::mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let to_lines = |reader: Box<dyn std::io::Read + Send>, sender: std::sync::mpsc::Sender<String>| {
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(reader).lines().map_while(Result::ok) {
                    let _ = sender.send(line);
                }
            });
        };
        to_lines(Box::new(out), sender.clone());
        to_lines(Box::new(err), sender);
        let mut served = Served { child, base: String::new(), lines, seen: Vec::new() };
        let line = served.wait_for_line(" http://", std::time::Duration::from_secs(60));
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("the server's URL");
        served.base = url.trim_end_matches('/').to_string();
        served
    }
}

impl Served {
    /// Waits for a printed line containing `text` (earlier lines count too).
    pub fn wait_for_line(&mut self, text: &str, limit: std::time::Duration) -> String {
        self.wait_for_line_after(0, text, limit)
    }

    /// How many lines the server has printed so far: a mark for
    /// `wait_for_line_after`.
    pub fn mark(&mut self) -> usize {
        while let Ok(line) = self.lines.try_recv() {
            self.seen.push(line);
        }
        self.seen.len()
    }

    /// Waits for a line containing `text` printed after `mark`.
    pub fn wait_for_line_after(&mut self, mark: usize, text: &str, limit: std::time::Duration) -> String {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Some(line) = self.seen.iter().skip(mark).find(|l| l.contains(text)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => {
                    panic!("no line with {text:?} within {limit:?}; printed:\n{}", self.seen.join("\n"))
                }
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's process id, to read what it uses (`/proc`, Linux only).
    #[cfg(target_os = "linux")]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
