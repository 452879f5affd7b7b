//! Writing the site: everything goes into a staging folder beside the output
//! and is swapped in whole only when the build succeeded, so a failed build
//! never changes what readers see. Every path goes through `safe_join`.

use std::fs;
use std::path::{Component, Path, PathBuf};

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

/// A folder being filled beside the output; dropped without `publish`, it is removed.
pub struct Stage {
    dir: PathBuf,
    output: PathBuf,
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
        Ok(Stage { dir, output: output.to_path_buf(), published: false })
    }

    /// Writes files given by site path; parent folders are created first,
    /// then the files are written in parallel.
    pub fn write_all(&self, files: &[(String, &[u8])]) -> Result<()> {
        let mut targets = Vec::with_capacity(files.len());
        for (site_path, _) in files {
            let Some(target) = safe_join(&self.dir, site_path) else {
                bail!("refusing to write outside the output folder: {site_path}");
            };
            targets.push(target);
        }
        let mut folders: Vec<&Path> = targets.iter().filter_map(|t| t.parent()).collect();
        folders.sort_unstable();
        folders.dedup();
        io_pool().install(|| {
            // create_dir_all copes with a parent being created by another thread.
            folders.par_iter().try_for_each(|folder| {
                fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))
            })?;
            targets.par_iter().zip(files).try_for_each(|(target, (_, bytes))| {
                fs::write(target, bytes).with_context(|| format!("writing {}", target.display()))
            })
        })
    }

    /// Writes one file by site path, creating its folder; for writing pages
    /// as they are rendered, from many threads.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> Result<()> {
        let Some(target) = safe_join(&self.dir, site_path) else {
            bail!("refusing to write outside the output folder: {site_path}");
        };
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))
    }

    /// Copies a file from the site's sources to a site path.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<()> {
        let Some(target) = safe_join(&self.dir, site_path) else {
            bail!("refusing to write outside the output folder: {site_path}");
        };
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::copy(from, &target)
            .with_context(|| format!("copying {} to {}", from.display(), target.display()))?;
        Ok(())
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

    /// Swaps the staged site in place of the output.
    pub fn publish(mut self) -> Result<()> {
        let name = self.output.file_name().context("the output folder needs a name")?.to_string_lossy();
        let old = self.output.with_file_name(format!(".{name}.old"));
        if old.exists() {
            fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        if self.output.exists() {
            fs::rename(&self.output, &old)
                .with_context(|| format!("moving {} aside", self.output.display()))?;
        }
        fs::rename(&self.dir, &self.output)
            .with_context(|| format!("moving the new site to {}", self.output.display()))?;
        self.published = true;
        if old.exists() {
            remove_tree(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        Ok(())
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
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
