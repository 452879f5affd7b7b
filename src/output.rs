//! Writing the site: everything goes into a staging folder beside the output
//! and is swapped in whole only when the build succeeded, so a failed build
//! never changes what readers see. Every path goes through `safe_join`.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

/// `root` joined with a site path (`/2023/08/x/index.html`), or None when the
/// path has anything but plain segments (`..`, `\`, a drive, a root).
pub fn safe_join(root: &Path, site_path: &str) -> Option<PathBuf> {
    let mut joined = root.to_path_buf();
    for segment in site_path.split('/').filter(|s| !s.is_empty()) {
        let plain = !segment.contains(['\\', ':', '\0'])
            && matches!(Path::new(segment).components().collect::<Vec<_>>()[..], [Component::Normal(_)]);
        if !plain {
            return None;
        }
        joined.push(segment);
    }
    Some(joined)
}

/// The file a page URL is written to: `/a/b/` → `a/b/index.html`.
pub fn page_file(url: &str) -> String {
    if url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// What a build writes. Files go into a staging folder beside the output;
/// nothing in the output changes until `publish`, so a failed build never
/// changes what readers see. When the output already holds a site, a file
/// with the same bytes there is not written again (most of a rebuild), and
/// `publish` moves only the changed files into place and removes the files
/// the build no longer makes. Dropped without `publish`, the staging folder
/// is removed.
pub struct Stage {
    dir: PathBuf,
    output: PathBuf,
    /// The files of the output folder from an earlier build (relative paths),
    /// to be updated in place; None when there is none, or it holds links
    /// (it is then replaced whole).
    existing: Option<HashSet<PathBuf>>,
    /// Every file of the new site, relative to the output, and whether it was
    /// written to `dir` (changed) or is in the output as it should be.
    files: Mutex<HashMap<PathBuf, bool>>,
    published: bool,
}

impl Stage {
    pub fn new(output: &Path) -> Result<Stage> {
        let name = output.file_name().context("the output folder needs a name")?.to_string_lossy();
        let dir = output.with_file_name(format!(".{name}.new"));
        if dir.exists() {
            remove_tree(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let existing = existing_files(output);
        Ok(Stage { dir, output: output.to_path_buf(), existing, files: Mutex::default(), published: false })
    }

    /// Writes files given by site path, in parallel.
    pub fn write_all(&self, files: &[(String, &[u8])]) -> Result<()> {
        io_pool().install(|| files.par_iter().try_for_each(|(site_path, bytes)| self.write(site_path, bytes)))
    }

    /// Writes one file by site path, creating its folder; for writing pages
    /// as they are rendered, from many threads.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> Result<()> {
        let Some(relative) = safe_join(Path::new(""), site_path) else {
            bail!("refusing to write outside the output folder: {site_path}");
        };
        let unchanged = self.existing.as_ref().is_some_and(|existing| existing.contains(&relative))
            && same_bytes(&self.output.join(&relative), bytes);
        if !unchanged {
            let target = self.dir.join(&relative);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
        }
        // A later write of the same path wins (static/ over the default theme).
        self.files.lock().expect("no thread panics holding the list").insert(relative, !unchanged);
        Ok(())
    }

    /// Copies a file from the site's sources to a site path.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<()> {
        let bytes = fs::read(from).with_context(|| format!("reading {}", from.display()))?;
        self.write(site_path, &bytes)
    }

    /// Copies a folder (static/) into the root of the site as it is.
    pub fn copy_tree(&self, from: &Path) -> Result<()> {
        if !from.is_dir() {
            return Ok(());
        }
        for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
            let entry = entry?;
            if entry.file_type().is_file() {
                let relative = entry.path().strip_prefix(from)?.to_string_lossy().replace('\\', "/");
                self.copy(entry.path(), &relative)?;
            }
        }
        Ok(())
    }

    /// Puts the staged site in place of the output: the whole folder when
    /// there was no output, otherwise the changed files one by one.
    pub fn publish(mut self) -> Result<()> {
        if let Some(existing) = self.existing.take() {
            self.update_output(existing)?;
            self.published = true;
            return remove_tree(&self.dir).with_context(|| format!("removing {}", self.dir.display()));
        }
        let name = self.output.file_name().context("the output folder needs a name")?.to_string_lossy();
        let old = self.output.with_file_name(format!(".{name}.old"));
        if fs::symlink_metadata(&self.output).is_ok() {
            fs::rename(&self.output, &old)
                .with_context(|| format!("moving {} aside", self.output.display()))?;
        }
        fs::rename(&self.dir, &self.output)
            .with_context(|| format!("moving the new site to {}", self.output.display()))?;
        self.published = true;
        match fs::symlink_metadata(&old) {
            Ok(meta) if meta.is_dir() => {
                remove_tree(&old).with_context(|| format!("removing {}", old.display()))
            }
            Ok(_) => fs::remove_file(&old).with_context(|| format!("removing {}", old.display())),
            Err(_) => Ok(()),
        }
    }

    fn update_output(&mut self, existing: HashSet<PathBuf>) -> Result<()> {
        let files = std::mem::take(self.files.get_mut().expect("no thread panics holding the list"));
        // What the site no longer has goes first, so that a file can take the
        // place of a folder that is gone and the other way round.
        let stale: Vec<PathBuf> =
            existing.iter().filter(|f| !files.contains_key(*f)).map(|f| self.output.join(f)).collect();
        io_pool().install(|| {
            stale.par_iter().try_for_each(|path| {
                fs::remove_file(path).with_context(|| format!("removing {}", path.display()))
            })
        })?;
        remove_empty_folders(&self.output, stale.iter().filter_map(|path| path.parent()))?;
        let changed: Vec<&PathBuf> = files.iter().filter(|(_, &changed)| changed).map(|(f, _)| f).collect();
        io_pool().install(|| {
            changed.par_iter().try_for_each(|relative| {
                let target = self.output.join(relative);
                if target.is_dir() {
                    remove_tree(&target).with_context(|| format!("removing {}", target.display()))?;
                }
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
                }
                fs::rename(self.dir.join(relative), &target)
                    .with_context(|| format!("moving {} into place", target.display()))
            })
        })
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The regular files under an output folder, or None when it is not a
/// folder or holds anything else (links).
fn existing_files(output: &Path) -> Option<HashSet<PathBuf>> {
    if !fs::symlink_metadata(output).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    let mut files = HashSet::new();
    for entry in walkdir::WalkDir::new(output).min_depth(1) {
        let entry = entry.ok()?;
        let kind = entry.file_type();
        if kind.is_file() {
            files.insert(entry.path().strip_prefix(output).ok()?.to_path_buf());
        } else if !kind.is_dir() {
            return None;
        }
    }
    Some(files)
}

/// Whether a file holds exactly these bytes.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

/// Removes the given folders under `root` and their parents, as long as they
/// are empty.
fn remove_empty_folders<'p>(root: &Path, folders: impl Iterator<Item = &'p Path>) -> Result<()> {
    let mut folders: Vec<&Path> = folders.collect();
    // Deepest first, so a parent is tried after its children.
    folders.sort_unstable_by(|a, b| b.components().count().cmp(&a.components().count()).then(a.cmp(b)));
    folders.dedup();
    for folder in folders {
        let mut current = Some(folder);
        while let Some(dir) = current.filter(|d| *d != root && d.starts_with(root)) {
            if fs::remove_dir(dir).is_err() {
                break; // not empty (or gone already)
            }
            current = dir.parent();
        }
    }
    Ok(())
}

/// Threads for file system work: creating and removing files is mostly
/// waiting for the file system, so more threads than cores keep it busy.
const IO_THREADS: usize = 8;

fn io_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(IO_THREADS).build().expect("a thread pool for writing")
}

/// Removes a folder and everything under it, folders in parallel (a whole
/// site's worth of files, one after another, takes seconds of waiting).
/// Symbolic links are removed, not followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    fn remove(dir: &Path) -> std::io::Result<()> {
        let entries = fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
        entries.par_iter().try_for_each(|entry| {
            if entry.file_type()?.is_dir() {
                remove(&entry.path())
            } else {
                fs::remove_file(entry.path())
            }
        })?;
        fs::remove_dir(dir)
    }
    io_pool().install(|| remove(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_leave_the_output_are_refused() {
        let root = Path::new("/srv/site");
        assert_eq!(safe_join(root, "/2023/08/x/index.html"), Some(root.join("2023/08/x/index.html")));
        for bad in ["/../etc/passwd", "/a/../../b", "/a\\..\\b", "/./a", "/c:/x"] {
            assert_eq!(safe_join(root, bad), None, "{bad}");
        }
        assert_eq!(page_file("/co-quan/"), "/co-quan/index.html");
        assert_eq!(page_file("/404.html"), "/404.html");
    }

    #[test]
    fn removing_a_tree_removes_nested_folders_and_not_what_links_point_to() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("kept.txt"), "x").unwrap();
        let root = tempfile::tempdir().unwrap();
        let tree = root.path().join("site");
        for folder in ["a/b/c", "a/d", "e"] {
            std::fs::create_dir_all(tree.join(folder)).unwrap();
            std::fs::write(tree.join(folder).join("index.html"), "<p>").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path(), tree.join("a/link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert!(outside.path().join("kept.txt").exists());
    }
}
