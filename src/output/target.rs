//! Where a build may publish: the output folder resolved to its real path
//! (links followed) and refused, before anything is touched, when replacing
//! it would delete what bantin did not write (SPEC §7).

use std::fmt;
use std::fs;
use std::io::BufRead;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

/// An output folder that bantin may replace whole: its real path, which
/// need not exist yet.
#[derive(Debug)]
pub struct Target {
    pub folder: PathBuf,
}

/// Why an output folder is refused. Every case leaves everything as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The output is the site's own folder.
    SiteRoot { output: PathBuf },
    /// The output holds the site's folder.
    HoldsSite { output: PathBuf, root: PathBuf },
    /// The output is in one of the site's folders, or holds one.
    SourceFolder { output: PathBuf, folder: String },
    /// Something that is not a folder is there.
    NotAFolder { output: PathBuf },
    /// A link that leads nowhere.
    BrokenLink { output: PathBuf },
    /// A folder with files bantin did not write (and no `--force`).
    NotOurs { output: PathBuf },
}

impl std::error::Error for Refused {}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::SiteRoot { output } => write!(
                f,
                "the output folder {} is the site's own folder; building there would delete site.yaml, \
                 content/ and templates/",
                output.display()
            )?,
            Refused::HoldsSite { output, root } => write!(
                f,
                "the output folder {} holds the site's folder {}; building there would delete the site",
                output.display(),
                root.display()
            )?,
            Refused::SourceFolder { output, folder } => write!(
                f,
                "the output folder {} is inside the site's {folder}/ folder or holds it; building there \
                 would delete its files",
                output.display()
            )?,
            Refused::NotAFolder { output } => write!(f, "the output {} is not a folder", output.display())?,
            Refused::BrokenLink { output } => {
                write!(f, "the output {} is a link to a folder that does not exist", output.display())?
            }
            Refused::NotOurs { output } => write!(
                f,
                "the output folder {} holds files that bantin did not write; building there would delete them",
                output.display()
            )?,
        }
        write!(f, "\n  = hint: {}", self.hint())
    }
}

impl Refused {
    fn hint(&self) -> &'static str {
        match self {
            Refused::SiteRoot { .. }
            | Refused::HoldsSite { .. }
            | Refused::SourceFolder { .. }
            | Refused::NotAFolder { .. } => {
                "choose a new folder beside the site's folders, e.g. --output public"
            }
            Refused::BrokenLink { .. } => "create the folder the link points to, or choose another --output",
            Refused::NotOurs { .. } => {
                "choose a new or empty folder, or add --force to replace everything in this one"
            }
        }
    }
}

impl Target {
    /// Resolves `output` (relative to `root`) and checks that bantin may
    /// replace it: never the site's folder, a folder holding it, or one in
    /// (or holding) any of `sources` (folders under `root`); a folder that
    /// is not empty only if bantin wrote it (its list of written files is
    /// beside it, naming a file that is there) or with `force`.
    pub fn claim(root: &Path, output: &Path, sources: &[&str], force: bool) -> Result<Target> {
        let root =
            fs::canonicalize(root).with_context(|| format!("reading the site folder {}", root.display()))?;
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
        let empty =
            fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))?.next().is_none();
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
        Err(error) => return Err(error).with_context(|| format!("reading {}", existing.display())),
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
