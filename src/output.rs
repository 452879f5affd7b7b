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
/// the build no longer makes. Whether the bytes are the same is told without
/// reading the old file when the list of files the last build wrote (beside
/// the output) has it with the same size and time. Dropped without
/// `publish`, the staging folder is removed.
pub struct Stage {
    dir: PathBuf,
    output: PathBuf,
    /// The files of the output folder from an earlier build (relative paths),
    /// to be updated in place; None when there is none, or it holds links
    /// (it is then replaced whole).
    existing: Option<HashSet<PathBuf>>,
    /// What the last build wrote, from its list.
    record: HashMap<PathBuf, Written>,
    /// Every file of the new site, relative to the output, whether it was
    /// written to `dir` (changed) or is in the output as it should be, and
    /// what it is.
    files: Mutex<HashMap<PathBuf, (bool, Written)>>,
    published: bool,
}

/// A file as a build left it: size, modification time and a hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    len: u64,
    modified: i128,
    hash: u64,
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
        let record_file = record_path(output)?;
        let record = existing.as_ref().map(|_| read_record(&record_file)).unwrap_or_default();
        let output = output.to_path_buf();
        Ok(Stage { dir, output, existing, record, files: Mutex::default(), published: false })
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
        let hash = content_hash(bytes);
        let old = self.output.join(&relative);
        let there = self.existing.as_ref().filter(|e| e.contains(&relative)).and_then(|_| stamp(&old));
        let unchanged = match (there, self.record.get(&relative)) {
            (Some(now), Some(was)) if (now.len, now.modified) == (was.len, was.modified) => was.hash == hash,
            (Some(now), _) => now.len == bytes.len() as u64 && fs::read(&old).is_ok_and(|b| b == bytes),
            (None, _) => false,
        };
        let written = if unchanged {
            Written { hash, ..there.expect("an unchanged file is there") }
        } else {
            let target = self.dir.join(&relative);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
            Written { hash, ..stamp(&target).with_context(|| format!("reading {}", target.display()))? }
        };
        // A later write of the same path wins (static/ over the default theme).
        self.files.lock().expect("no thread panics holding the list").insert(relative, (!unchanged, written));
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
        let files = std::mem::take(self.files.get_mut().expect("no thread panics holding the list"));
        if let Some(existing) = self.existing.take() {
            self.update_output(existing, &files)?;
            self.published = true;
            remove_tree(&self.dir).with_context(|| format!("removing {}", self.dir.display()))?;
            return write_record(&record_path(&self.output)?, &files);
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
                remove_tree(&old).with_context(|| format!("removing {}", old.display()))?
            }
            Ok(_) => fs::remove_file(&old).with_context(|| format!("removing {}", old.display()))?,
            Err(_) => {}
        }
        write_record(&record_path(&self.output)?, &files)
    }

    fn update_output(
        &self,
        existing: HashSet<PathBuf>,
        files: &HashMap<PathBuf, (bool, Written)>,
    ) -> Result<()> {
        // What the site no longer has goes first, so that a file can take the
        // place of a folder that is gone and the other way round.
        let stale: Vec<PathBuf> =
            existing.iter().filter(|f| !files.contains_key(*f)).map(|f| self.output.join(f)).collect();
        io_pool().install(|| {
            stale.par_iter().try_for_each(|path| {
                fs::remove_file(path).with_context(|| format!("removing {}", path.display()))
            })
        })?;
        remove_empty_folders(&self.output, stale.iter().filter_map(|path| path.parent()));
        let changed: Vec<&PathBuf> =
            files.iter().filter(|(_, (changed, _))| *changed).map(|(f, _)| f).collect();
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

/// Size and modification time of a regular file (hash left at 0).
fn stamp(path: &Path) -> Option<Written> {
    let meta = fs::symlink_metadata(path).ok().filter(|m| m.is_file())?;
    let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(Written { len: meta.len(), modified: since.as_nanos() as i128, hash: 0 })
}

/// FNV-1a, 64 bits: a content hash that stays the same from one build (and
/// one Rust release) to the next, for what is kept between builds: the list
/// of written files and the resized images' cache names. Not for security.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The list of what the last build wrote: `.<output>.files` beside the output.
fn record_path(output: &Path) -> Result<PathBuf> {
    let name = output.file_name().context("the output folder needs a name")?.to_string_lossy();
    Ok(output.with_file_name(format!(".{name}.files")))
}

/// One line per file: hash, size, time in nanoseconds, path. A missing or
/// unreadable list (or line) only means comparing bytes.
fn read_record(path: &Path) -> HashMap<PathBuf, Written> {
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let mut fields = line.splitn(4, ' ');
            let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
            let len = fields.next()?.parse().ok()?;
            let modified = fields.next()?.parse().ok()?;
            Some((PathBuf::from(fields.next()?), Written { len, modified, hash }))
        })
        .collect()
}

fn write_record(path: &Path, files: &HashMap<PathBuf, (bool, Written)>) -> Result<()> {
    let mut text = String::with_capacity(files.len() * 80);
    for (file, (_, w)) in files {
        let Some(name) = file.to_str().filter(|name| !name.contains('\n')) else { continue };
        text.push_str(&format!("{:016x} {} {} {name}\n", w.hash, w.len, w.modified));
    }
    let fresh = path.with_extension("files-new");
    fs::write(&fresh, text).with_context(|| format!("writing {}", fresh.display()))?;
    fs::rename(&fresh, path).with_context(|| format!("writing {}", path.display()))
}

/// Removes the given folders under `root` and their parents, as long as they
/// are empty.
fn remove_empty_folders<'p>(root: &Path, folders: impl Iterator<Item = &'p Path>) {
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
