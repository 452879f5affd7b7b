//! Where a build may publish: the output folder resolved to its real path
//! (links followed) and refused, before anything is touched, when replacing
//! it would delete what bantin did not write (SPEC §7).

use std::fs;
use std::io::BufRead;
use std::path::{Component, Path, PathBuf};

use anyhow::Result;

pub use crate::failure::Refused;
use crate::failure::{Failing, Step};

/// An output folder that bantin may replace whole: its real path, which
/// need not exist yet.
#[derive(Debug)]
pub struct Target {
    pub folder: PathBuf,
}

impl Target {
    /// Resolves `output` (relative to `root`) and checks that bantin may
    /// replace it: never the site's folder, a folder holding it, or one in
    /// (or holding) any of `sources` (folders under `root`); a folder that
    /// is not empty only if bantin wrote it (its list of written files is
    /// beside it, naming a file that is there) or with `force`.
    pub fn claim(root: &Path, output: &Path, sources: &[&str], force: bool) -> Result<Target> {
        let root = fs::canonicalize(root).failed(Step::Opening, root)?;
        let folder = real_path(&root.join(output))?;
        let refused = |refusal: Refused| Err(anyhow::Error::new(refusal));
        if folder == root {
            return refused(Refused::SiteRoot { output: folder });
        }
        if root.starts_with(&folder) {
            return refused(Refused::HoldsSite { output: folder, root });
        }
        for source in sources {
            let source_folder = real_path(&root.join(source))?;
            if folder.starts_with(&source_folder) || source_folder.starts_with(&folder) {
                return refused(Refused::SourceFolder { output: folder, folder: source.to_string() });
            }
        }
        let Ok(meta) = fs::symlink_metadata(&folder) else { return Ok(Target { folder }) };
        if meta.is_symlink() {
            return refused(Refused::BrokenLink { output: folder });
        }
        if !meta.is_dir() {
            return refused(Refused::NotAFolder { output: folder });
        }
        let empty = fs::read_dir(&folder).failed(Step::Reading, &folder)?.next().is_none();
        if empty || force || written_by_bantin(&folder)? {
            Ok(Target { folder })
        } else {
            refused(Refused::NotOurs { output: folder })
        }
    }
}

/// The real path of `path`, which may not exist yet: its nearest existing
/// ancestor with links resolved, then the rest as written (`..` taken away
/// by name, as nothing there exists to follow).
fn real_path(path: &Path) -> Result<PathBuf> {
    let mut rest = Vec::new();
    let mut existing = path;
    while fs::symlink_metadata(existing).is_err() {
        let (Some(parent), Some(last)) = (existing.parent(), existing.components().next_back()) else {
            break;
        };
        rest.push(last);
        existing = parent;
    }
    let mut real = match fs::canonicalize(existing) {
        Ok(real) => real,
        // A link to nothing: kept as it is, for the caller to refuse.
        Err(_) if fs::symlink_metadata(existing).is_ok_and(|m| m.is_symlink()) => existing.to_path_buf(),
        Err(error) => return Err(error).failed(Step::Reading, existing),
    };
    for component in rest.into_iter().rev() {
        match component {
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => real.push(name),
            _ => {}
        }
    }
    Ok(real)
}

/// Whether the list of files the last build wrote is beside `folder` and
/// names a file that is in it: a list left beside a folder that someone
/// has since replaced with their own does not count. Usually its first line
/// tells.
fn written_by_bantin(folder: &Path) -> Result<bool> {
    let Ok(file) = fs::File::open(super::record_path(folder)?) else { return Ok(false) };
    for line in std::io::BufReader::new(file).lines() {
        let Some((path, _)) = super::parse_record_line(&line?) else { continue };
        if fs::symlink_metadata(folder.join(path)).is_ok_and(|m| m.is_file()) {
            return Ok(true);
        }
    }
    Ok(false)
}
