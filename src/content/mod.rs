//! Articles: files under content/ read, split, parsed and resolved against
//! the site's catalogues.

pub mod article;
pub mod front_matter;
pub mod kept;
pub mod markdown;

pub use article::{Article, Asset, Meeting, Placement, Reading};

use std::path::{Path, PathBuf};

/// Every `*.md` under `content/`, in path order so builds are reproducible.
pub fn discover(content_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !content_dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(content_dir).sort_by_file_name() {
        let entry = entry?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_file() && !hidden && entry.path().extension().is_some_and(|e| e == "md") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}
