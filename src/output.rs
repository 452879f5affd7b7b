//! Writing the site: the complete new site is built in a staging folder
//! beside the output (a file the last build wrote and nobody touched is
//! linked, not written again) and put in place of the output only when the
//! build succeeded: on Linux by exchanging the two folders in one step, so
//! the output holds the old site or the new one at every instant; elsewhere
//! by two renames, and a build stopped between them is put right by the
//! next (`swap`). Which folders may be replaced is `target`'s. Every path
//! goes through `safe_join`. Text files get their compressed copies (`.gz`,
//! `.br`) beside them through the same staging (`precompressed`).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Result};
use rayon::prelude::*;

use crate::digest::content_hash;
use crate::failure::{Failing, Failure, Step};

mod precompressed;
mod target;
pub use precompressed::Encoding;
pub use target::{Refused, Target};

/// A request path decoded, or None when it could leave the site: `..` or
/// `.` segments, encoded slashes or backslashes, NUL, invalid UTF-8.
pub fn decode(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    let plain = path.starts_with('/')
        && path.split('/').all(|segment| segment != ".." && segment != "." && !segment.contains('\0'));
    plain.then_some(path)
}

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

/// A compressed copy's path (`/a/index.html.gz`): the path it is made from
/// and its encoding. Whether a build writes it depends on that file's bytes
/// (`compressed`).
pub fn compressed_of(site_path: &str) -> Option<(&str, Encoding)> {
    Encoding::ALL.into_iter().find_map(|encoding| {
        let suffix = encoding.path_of(Path::new(""));
        Some((site_path.strip_suffix(suffix.to_str()?)?, encoding))
    })
}

/// The compressed copy of a file as a build writes it beside the file,
/// None when the file gets none.
pub fn compressed(site_path: &str, encoding: Encoding, bytes: &[u8]) -> Option<Vec<u8>> {
    precompressed::wanted(Path::new(site_path), bytes).then(|| encoding.compress(bytes))
}

/// What a build writes: the complete new site in a staging folder beside
/// the output (`.<output>.new`), swapped with the output in one step by
/// `publish`, so that the output holds the old site or the new one at every
/// instant, whatever happens to the process. Files whose bytes the output
/// already has are hard links to its files there (most of a rebuild: no
/// bytes written, no inode allocated); the others are written. Whether the
/// bytes are the same is told without reading the old file when the list
/// of files the last build wrote (beside the output) has it with the same
/// size and time. Dropped without `publish`, the staging folder is removed.
pub struct Stage {
    dir: PathBuf,
    output: PathBuf,
    /// The regular files of the output folder from an earlier build
    /// (relative paths), which the new site may link to.
    existing: HashSet<PathBuf>,
    /// What the last build wrote, from its list.
    record: HashMap<PathBuf, Written>,
    /// Every file of the new site, relative to the output.
    files: Mutex<HashMap<PathBuf, Written>>,
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
    /// Starts a build into a claimed output folder, first cleaning up after
    /// a build that was stopped (a staging folder left, or an old site moved
    /// aside and not yet removed, see `swap`).
    pub fn new(target: &Target) -> Result<Stage> {
        let output = target.folder.clone();
        let (dir, aside) = (sibling(&output, "new")?, sibling(&output, "old")?);
        if fs::symlink_metadata(&aside).is_ok() {
            if fs::symlink_metadata(&output).is_err() {
                fs::rename(&aside, &output).failed(Step::MovingIntoPlace, &output)?;
            } else {
                remove_any(&aside)?;
            }
        }
        if fs::symlink_metadata(&dir).is_ok() {
            remove_any(&dir)?;
        }
        fs::create_dir_all(&dir).failed(Step::Creating, &dir)?;
        let existing = existing_files(&output);
        let record = if existing.is_empty() { HashMap::new() } else { read_record(&record_path(&output)?) };
        Ok(Stage { dir, output, existing, record, files: Mutex::default(), published: false })
    }

    /// Writes files given by site path, in parallel.
    pub fn write_all(&self, files: &[(String, &[u8])]) -> Result<()> {
        io_pool().install(|| files.par_iter().try_for_each(|(site_path, bytes)| self.write(site_path, bytes)))
    }

    /// Writes one file by site path, creating its folder, and for a text
    /// file its compressed copies; for writing pages as they are rendered,
    /// from many threads. The copies of a file whose bytes the output
    /// already has are linked from there, not compressed again.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> Result<()> {
        let Some(relative) = safe_join(Path::new(""), site_path) else {
            bail!(Failure::OutsideOutput { path: site_path.to_string() });
        };
        let unchanged = self.put(&relative, bytes)?;
        if precompressed::wanted(&relative, bytes) {
            for encoding in precompressed::Encoding::ALL {
                let copy = encoding.path_of(&relative);
                if !(unchanged && self.link_recorded(&copy)?) {
                    self.put(&copy, &encoding.compress(bytes))?;
                }
            }
        }
        Ok(())
    }

    /// Puts a file of the last build into the new site without its bytes:
    /// linked from the output, with its compressed copies, when all of them
    /// are there as that build left them and it had the bytes of hash
    /// `hash`. False when not (the file must then be written).
    pub fn keep(&self, site_path: &str, hash: u64) -> Result<bool> {
        let Some(relative) = safe_join(Path::new(""), site_path) else {
            bail!(Failure::OutsideOutput { path: site_path.to_string() });
        };
        if self.record.get(&relative).is_none_or(|was| was.hash != hash) {
            return Ok(false);
        }
        if let Some(parent) = self.dir.join(&relative).parent() {
            fs::create_dir_all(parent).failed(Step::Creating, parent)?;
        }
        if !self.link_recorded(&relative)? {
            return Ok(false);
        }
        for encoding in precompressed::Encoding::ALL {
            let copy = encoding.path_of(&relative);
            if self.record.contains_key(&copy) && !self.link_recorded(&copy)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Links a file of the output that the last build wrote and nobody has
    /// touched since (same size and time as in its list) into the new site;
    /// false when there is no such file.
    fn link_recorded(&self, relative: &Path) -> Result<bool> {
        let old = self.output.join(relative);
        let (Some(now), Some(was)) = (stamp(&old), self.record.get(relative)) else { return Ok(false) };
        if (now.len, now.modified) != (was.len, was.modified) {
            return Ok(false);
        }
        let target = self.dir.join(relative);
        if replacing(&target, |t| fs::hard_link(&old, t)).is_err() {
            return Ok(false);
        }
        self.files.lock().expect("no thread panics holding the list").insert(relative.to_path_buf(), *was);
        Ok(true)
    }

    /// Puts one file in the new site (a relative path, checked), linked from
    /// the output when it has the same bytes there; says whether it had
    /// them (and so, untouched, the compressed copies made from them).
    fn put(&self, relative: &Path, bytes: &[u8]) -> Result<bool> {
        let relative = relative.to_path_buf();
        let hash = content_hash(bytes);
        let old = self.output.join(&relative);
        let there = if self.existing.contains(&relative) { stamp(&old) } else { None };
        let unchanged = match (there, self.record.get(&relative)) {
            (Some(now), Some(was)) if (now.len, now.modified) == (was.len, was.modified) => was.hash == hash,
            (Some(now), _) => now.len == bytes.len() as u64 && fs::read(&old).is_ok_and(|b| b == bytes),
            (None, _) => false,
        };
        let target = self.dir.join(&relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).failed(Step::Creating, parent)?;
        }
        // Where links cannot be made (another file system), the bytes are written.
        let written =
            match there.filter(|_| unchanged && replacing(&target, |t| fs::hard_link(&old, t)).is_ok()) {
                Some(there) => Written { hash, ..there },
                None => {
                    replacing(&target, |t| write_new(t, bytes)).failed(Step::Writing, &target)?;
                    Written {
                        hash,
                        ..stamp(&target)
                            .ok_or(std::io::Error::from(std::io::ErrorKind::NotFound))
                            .failed(Step::Reading, &target)?
                    }
                }
            };
        // A later write of the same path wins (static/ over the default theme).
        self.files.lock().expect("no thread panics holding the list").insert(relative, written);
        Ok(unchanged)
    }

    /// Copies a file from the site's sources to a site path.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<()> {
        let bytes = fs::read(from).failed(Step::Reading, from)?;
        self.write(site_path, &bytes)
    }

    /// Puts the staged site in place of the output in one step, then removes
    /// the old one. The list of written files is written first: a build
    /// stopped between the two leaves a list that is only a cache (a file
    /// it does not describe is compared byte for byte), and an output that
    /// the list marks as bantin's.
    pub fn publish(mut self) -> Result<()> {
        let files = std::mem::take(self.files.get_mut().expect("no thread panics holding the list"));
        write_record(&record_path(&self.output)?, &files)?;
        let old = swap(&self.dir, &self.output)?;
        self.published = true;
        match old {
            Some(old) => remove_any(&old),
            None => Ok(()),
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if !self.published {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// The digest of the output's list of written files when the output holds
/// exactly the files it names, each of the size and time listed; None when
/// anything was added, removed or touched. A cache keeps this digest of
/// the output it published: an output put back from a copy, list
/// included, has another.
pub fn as_published(target: &Target) -> Option<u64> {
    let output = &target.folder;
    let listed = fs::read(record_path(output).ok()?).ok()?;
    let record: HashMap<PathBuf, Written> =
        String::from_utf8_lossy(&listed).lines().filter_map(parse_record_line).collect();
    if record.is_empty() || !fs::symlink_metadata(output).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    // One pass, one stat per entry: at 10,000 articles the output has ~78,000 files.
    let mut found = 0;
    for entry in walkdir::WalkDir::new(output).min_depth(1) {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let (relative, meta) = (entry.path().strip_prefix(output).ok()?, entry.metadata().ok()?);
        let modified = meta.modified().ok().and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
        let now = (meta.len(), modified.map(|m| m.as_nanos() as i128));
        if !entry.file_type().is_file()
            || record.get(relative).is_none_or(|was| now != (was.len, Some(was.modified)))
        {
            return None;
        }
        found += 1;
    }
    (found == record.len()).then(|| content_hash(&listed))
}

/// The digest of the list of files the last build published into `target`.
pub fn published(target: &Target) -> Option<u64> {
    Some(content_hash(&fs::read(record_path(&target.folder).ok()?).ok()?))
}

/// `.<name>.<what>` beside the output: the staging folder (`new`), an old
/// site moved aside (`old`), the list of written files (`files`).
fn sibling(output: &Path, what: &str) -> Result<PathBuf> {
    let name = output.file_name().ok_or(Failure::OutputNeedsName)?.to_string_lossy();
    Ok(output.with_file_name(format!(".{name}.{what}")))
}

/// Runs `make` to create a new file at `path`, first removing what an
/// earlier write of the same path put there: writing through it could
/// change the published file it is a link to.
fn replacing(path: &Path, make: impl Fn(&Path) -> std::io::Result<()>) -> std::io::Result<()> {
    match make(path) {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            make(path)
        }
        made => made,
    }
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(bytes)
}

/// Puts `new` in place of `output`, which then holds exactly the new site,
/// and says where the old one is now, to be removed. On Linux the two
/// folders are exchanged by one `renameat2(RENAME_EXCHANGE)`: readers see
/// the old site or the new one at every instant. Elsewhere, or where the
/// file system cannot exchange, the old output is moved aside to
/// `.<name>.old` and the new one renamed in: between the two renames (a few
/// microseconds) there is no output, and a build stopped there is put
/// right by the next one (`Stage::new` moves `.old` back).
fn swap(new: &Path, output: &Path) -> Result<Option<PathBuf>> {
    if fs::symlink_metadata(output).is_err() {
        fs::rename(new, output).failed(Step::MovingIntoPlace, output)?;
        return Ok(None);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, new, CWD, output, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(Some(new.to_path_buf())),
            Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => {}
            Err(error) => return Err(std::io::Error::from(error)).failed(Step::MovingIntoPlace, output),
        }
    }
    swap_by_renames(new, output).map(Some)
}

/// `swap` where folders cannot be exchanged: the old output moved aside,
/// then the new one moved in; says where the old one is.
fn swap_by_renames(new: &Path, output: &Path) -> Result<PathBuf> {
    let aside = sibling(output, "old")?;
    fs::rename(output, &aside).failed(Step::MovingAside, output)?;
    if let Err(error) = fs::rename(new, output) {
        // Put the old site back; if even that fails, the next build does.
        let _ = fs::rename(&aside, output);
        return Err(error).failed(Step::MovingIntoPlace, output);
    }
    Ok(aside)
}

/// Removes a folder (see `remove_tree`) or a file.
fn remove_any(path: &Path) -> Result<()> {
    let removed = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => remove_tree(path),
        _ => fs::remove_file(path),
    };
    removed.failed(Step::Removing, path)
}

/// The regular files under an output folder (none when it is not a folder);
/// links and anything else are left out, so never linked to.
fn existing_files(output: &Path) -> HashSet<PathBuf> {
    if !fs::symlink_metadata(output).is_ok_and(|m| m.is_dir()) {
        return HashSet::new();
    }
    walkdir::WalkDir::new(output)
        .min_depth(1)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| Some(entry.path().strip_prefix(output).ok()?.to_path_buf()))
        .collect()
}

/// Size and modification time of a regular file (hash left at 0).
fn stamp(path: &Path) -> Option<Written> {
    let meta = fs::symlink_metadata(path).ok().filter(|m| m.is_file())?;
    let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(Written { len: meta.len(), modified: since.as_nanos() as i128, hash: 0 })
}

/// The list of what the last build wrote: `.<output>.files` beside the
/// output. It is also what marks an output folder as bantin's (`Target`).
fn record_path(output: &Path) -> Result<PathBuf> {
    sibling(output, "files")
}

/// One line per file: hash, size, time in nanoseconds, path. A missing or
/// unreadable list (or line) only means comparing bytes.
fn read_record(path: &Path) -> HashMap<PathBuf, Written> {
    fs::read_to_string(path).unwrap_or_default().lines().filter_map(parse_record_line).collect()
}

fn parse_record_line(line: &str) -> Option<(PathBuf, Written)> {
    let mut fields = line.splitn(4, ' ');
    let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
    let len = fields.next()?.parse().ok()?;
    let modified = fields.next()?.parse().ok()?;
    Some((PathBuf::from(fields.next()?), Written { len, modified, hash }))
}

fn write_record(path: &Path, files: &HashMap<PathBuf, Written>) -> Result<()> {
    let mut text = String::with_capacity(files.len() * 80);
    for (file, w) in files {
        let Some(name) = file.to_str().filter(|name| !name.contains('\n')) else { continue };
        text.push_str(&format!("{:016x} {} {} {name}\n", w.hash, w.len, w.modified));
    }
    let fresh = path.with_extension("files-new");
    fs::write(&fresh, text).failed(Step::Writing, &fresh)?;
    fs::rename(&fresh, path).failed(Step::Writing, path)
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

    #[test]
    fn without_an_exchange_the_old_site_moved_aside_is_put_back_by_the_next_build() {
        let root = tempfile::tempdir().unwrap();
        let (output, new) = (root.path().join("public"), root.path().join(".public.new"));
        for (dir, text) in [(&output, "bản cũ"), (&new, "bản mới")] {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("index.html"), text).unwrap();
        }
        let aside = swap_by_renames(&new, &output).unwrap();
        assert_eq!(std::fs::read_to_string(output.join("index.html")).unwrap(), "bản mới");
        assert_eq!(std::fs::read_to_string(aside.join("index.html")).unwrap(), "bản cũ");

        // Killed between the two renames: no output, the old site aside.
        std::fs::remove_dir_all(&output).unwrap();
        let stage = Stage::new(&Target { folder: output.clone() }).unwrap();
        assert_eq!(std::fs::read_to_string(output.join("index.html")).unwrap(), "bản cũ");
        assert!(!aside.exists());
        drop(stage);
        assert!(!new.exists(), "an unpublished stage removes its folder");
    }
}
