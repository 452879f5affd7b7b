//! Writing the site: the complete new site is built in a staging folder
//! beside the output (a file the last build wrote and nobody touched is
//! linked, not written again) and put in place of the output only when the
//! build succeeded: on Linux by exchanging the two folders in one step, so
//! the output holds the old site or the new one at every instant; elsewhere
//! by two renames, and a build stopped between them is put right by the
//! next (`swap`). Which folders may be replaced is `target`'s. Every path
//! goes through `safe_join`. Text files get their compressed copies (`.gz`,
//! `.br`) beside them through the same staging (`precompressed`).

use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Result};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

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
    Some(under(root, &relative(site_path)?))
}

/// A site path as the output's lists name it: relative, its plain segments
/// joined by `/` (`2023/08/x/index.html`); None as for `safe_join`.
fn relative(site_path: &str) -> Option<String> {
    let mut joined = String::with_capacity(site_path.len());
    for segment in site_path.split('/').filter(|s| !s.is_empty()) {
        let plain = !segment.contains(['\\', ':', '\0'])
            && matches!(Path::new(segment).components().collect::<Vec<_>>()[..], [Component::Normal(_)]);
        if !plain {
            return None;
        }
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str(segment);
    }
    Some(joined)
}

/// `dir` joined with a relative path (`relative`) segment by segment:
/// Windows' long paths (`\\?\C:\…`) take no `/`.
fn under(dir: &Path, relative: &str) -> PathBuf {
    let mut joined = dir.to_path_buf();
    joined.extend(relative.split('/').filter(|s| !s.is_empty()));
    joined
}

/// The folders a relative path is in, innermost first, ending with the
/// site's own (`""`).
fn folders_of(relative: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(relative);
    std::iter::from_fn(move || {
        let path = rest?;
        let folder = path.rfind('/').map_or("", |slash| &path[..slash]);
        rest = (!path.is_empty()).then_some(folder);
        rest
    })
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
    Encoding::ALL
        .into_iter()
        .find_map(|encoding| Some((site_path.strip_suffix(encoding.suffix())?, encoding)))
}

/// The compressed copy of a file as a build writes it beside the file,
/// None when the file gets none.
pub fn compressed(site_path: &str, encoding: Encoding, bytes: &[u8]) -> Option<Vec<u8>> {
    precompressed::wanted(site_path, bytes).then(|| encoding.compress(bytes))
}

/// What a build writes: the complete new site in a staging folder beside
/// the output (`.<output>.new`), swapped with the output in one step by
/// `publish`, so that the output holds the old site or the new one at every
/// instant, whatever happens to the process. After the swap the old site is
/// left in the staging folder, with its list (`.<output>.new.files`): the
/// next build changes there only what differs, so a rebuild after one edit
/// touches a few files, not the whole site twice. Files the staging folder
/// lacks but the output has are hard links to the output's (no bytes
/// written, no inode allocated); the others are written, always as new
/// files. Whether a file has the same bytes is told without reading it when
/// a list has it with the same size and time. Dropped without `publish`, the
/// staging folder is removed.
pub struct Stage {
    dir: PathBuf,
    output: PathBuf,
    /// What the last build wrote, from its list.
    record: Files,
    /// The files of the site the last build replaced, left in the staging
    /// folder, that are still as its list says (each with its compressed
    /// copies, or not at all). Those the new site has stay where they are;
    /// the others are removed before publishing.
    spare: Files,
    /// The folders of that site, parents first.
    spare_folders: Vec<String>,
    /// Every file of the new site.
    files: Mutex<Files>,
    /// Something in the staging folder was changed (it is no longer `spare`).
    changed: AtomicBool,
    published: bool,
}

/// Files by their path relative to the output (`relative`). FxHash, not
/// std's: at 100,000 articles a build looks 700,000 paths up several times
/// each, and hashing and comparing `Path`s (component by component) was
/// about a quarter of a one-edit build's time.
type Files = FxHashMap<String, Written>;

/// A file as a build left it: size, modification time and a hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    len: u64,
    modified: i128,
    hash: u64,
}

/// Where a file of the new site came from, and so its compressed copies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Had {
    /// The staging folder had it from the site before the last.
    Spare,
    /// The output had the same bytes.
    Output,
    /// Neither: it was written.
    Nothing,
}

impl Stage {
    /// Starts a build into a claimed output folder, first cleaning up after
    /// a build that was stopped (an old site moved aside and not yet put
    /// back, see `swap`; a staging folder that no list vouches for).
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
        // The list goes before anything in the folder changes: a build
        // stopped while changing it leaves a folder that the next one removes.
        let spare_list = spare_list_path(&output)?;
        let listed = read_record(&spare_list);
        match fs::remove_file(&spare_list) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(error).failed(Step::Removing, &spare_list)
            }
            _ => {}
        }
        let (spare, spare_folders) =
            if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) && !listed.is_empty() {
                spare_site(&dir, &listed)?
            } else {
                if fs::symlink_metadata(&dir).is_ok() {
                    remove_any(&dir)?;
                }
                fs::create_dir_all(&dir).failed(Step::Creating, &dir)?;
                Default::default()
            };
        let record = read_record(&record_path(&output)?);
        // Sized for a site like the last: grown from empty, the list was
        // rehashed ~20 times under its lock at 700,000 files.
        let files = Files::with_capacity_and_hasher(record.len().max(spare.len()), Default::default());
        Ok(Stage {
            dir,
            output,
            record,
            spare,
            spare_folders,
            files: Mutex::new(files),
            changed: AtomicBool::new(false),
            published: false,
        })
    }

    /// Writes files given by site path, in parallel.
    pub fn write_all(&self, files: &[(String, &[u8])]) -> Result<()> {
        io_pool().install(|| files.par_iter().try_for_each(|(site_path, bytes)| self.write(site_path, bytes)))
    }

    /// Writes one file by site path, creating its folder, and for a text
    /// file its compressed copies; for writing pages as they are rendered,
    /// from many threads. The copies of a file whose bytes the staging
    /// folder or the output already has are kept or linked, not compressed
    /// again.
    pub fn write(&self, site_path: &str, bytes: &[u8]) -> Result<()> {
        let relative = checked(site_path)?;
        let had = self.put(&relative, bytes)?;
        if precompressed::wanted(&relative, bytes) {
            for encoding in precompressed::Encoding::ALL {
                let copy = encoding.path_of(&relative);
                let kept = match had {
                    // Kept with the file (`keep_spare`).
                    Had::Spare => self.spare.contains_key(&copy),
                    Had::Output => self.link_recorded(&copy)?,
                    Had::Nothing => false,
                };
                if !kept {
                    self.put(&copy, &encoding.compress(bytes))?;
                }
            }
        }
        Ok(())
    }

    /// Puts a file of an earlier build into the new site without its bytes:
    /// kept in the staging folder, or linked from the output, with its
    /// compressed copies, when they are there as that build left them and it
    /// had the bytes of hash `hash`. False when not (the file must then be
    /// written).
    pub fn keep(&self, site_path: &str, hash: u64) -> Result<bool> {
        let relative = checked(site_path)?;
        if self.keep_spare(&relative, hash) {
            return Ok(true);
        }
        if self.record.get(&relative).is_none_or(|was| was.hash != hash) {
            return Ok(false);
        }
        self.make_folder(&relative)?;
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

    /// Keeps a file the staging folder has from the site before the last,
    /// with its compressed copies, when it has the bytes of hash `hash`.
    fn keep_spare(&self, relative: &str, hash: u64) -> bool {
        let Some(&was) = self.spare.get(relative).filter(|was| was.hash == hash) else { return false };
        let mut files = self.files.lock().expect("no thread panics holding the list");
        files.insert(relative.to_string(), was);
        for encoding in precompressed::Encoding::ALL {
            let copy = encoding.path_of(relative);
            if let Some(&was) = self.spare.get(&copy) {
                files.insert(copy, was);
            }
        }
        true
    }

    /// Links a file of the output that the last build wrote and nobody has
    /// touched since (same size and time as in its list) into the new site;
    /// false when there is no such file.
    fn link_recorded(&self, relative: &str) -> Result<bool> {
        let old = under(&self.output, relative);
        let (Some(now), Some(was)) = (stamp(&old), self.record.get(relative)) else { return Ok(false) };
        if (now.len, now.modified) != (was.len, was.modified) {
            return Ok(false);
        }
        let target = under(&self.dir, relative);
        self.clear_spare(relative, &target);
        if replacing(&target, |t| fs::hard_link(&old, t)).is_err() {
            return Ok(false);
        }
        self.files.lock().expect("no thread panics holding the list").insert(relative.to_string(), *was);
        Ok(true)
    }

    /// Puts one file in the new site (a relative path, checked): kept when
    /// the staging folder has its bytes, linked from the output when the
    /// output has them, written otherwise; says which.
    fn put(&self, relative: &str, bytes: &[u8]) -> Result<Had> {
        let hash = content_hash(bytes);
        if self.keep_spare(relative, hash) {
            return Ok(Had::Spare);
        }
        let old = under(&self.output, relative);
        let there = stamp(&old);
        let unchanged = match (there, self.record.get(relative)) {
            (Some(now), Some(was)) if (now.len, now.modified) == (was.len, was.modified) => was.hash == hash,
            (Some(now), _) => now.len == bytes.len() as u64 && fs::read(&old).is_ok_and(|b| b == bytes),
            (None, _) => false,
        };
        let target = under(&self.dir, relative);
        self.make_folder(relative)?;
        self.clear_spare(relative, &target);
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
        self.files.lock().expect("no thread panics holding the list").insert(relative.to_string(), written);
        Ok(if unchanged { Had::Output } else { Had::Nothing })
    }

    /// Removes the file the site before the last has at a path about to be
    /// made anew: one call, where `replacing` would first fail to create it.
    fn clear_spare(&self, relative: &str, target: &Path) {
        if self.spare.contains_key(relative) {
            let _ = fs::remove_file(target);
        }
    }

    /// Makes the folder a file of the new site goes in; a file of the site
    /// before the last where a folder is now needed is removed first.
    fn make_folder(&self, relative: &str) -> Result<()> {
        self.changed.store(true, Ordering::Relaxed);
        let Some(parent) = folders_of(relative).next().map(|folder| under(&self.dir, folder)) else {
            return Ok(());
        };
        if fs::create_dir_all(&parent).is_err() {
            for folder in folders_of(relative) {
                let path = under(&self.dir, folder);
                if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
                    fs::remove_file(&path).failed(Step::Removing, &path)?;
                }
            }
            fs::create_dir_all(&parent).failed(Step::Creating, &parent)?;
        }
        Ok(())
    }

    /// Copies a file from the site's sources to a site path.
    pub fn copy(&self, from: &Path, site_path: &str) -> Result<()> {
        let bytes = fs::read(from).failed(Step::Reading, from)?;
        self.write(site_path, &bytes)
    }

    /// Puts the staged site in place of the output in one step, and leaves
    /// the old one in the staging folder for the next build. What the site
    /// before the last had and this one has not is removed first. The list
    /// of written files is written before the swap: a build stopped between
    /// the two leaves a list that is only a cache (a file it does not
    /// describe is compared byte for byte), and an output that the list
    /// marks as bantin's.
    pub fn publish(mut self) -> Result<()> {
        let files = std::mem::take(self.files.get_mut().expect("no thread panics holding the list"));
        self.clear_leftovers(&files)?;
        let (record, old_list) = (record_path(&self.output)?, sibling(&self.output, "files-old")?);
        // The old site's list under a second name before the new list
        // replaces it: once swapped, that site is the staging folder's, and
        // its list need not be written again (700,000 lines at 100,000 articles).
        let _ = fs::remove_file(&old_list);
        let linked = !self.record.is_empty() && fs::hard_link(&record, &old_list).is_ok();
        write_record(&record, &files)?;
        let old = swap(&self.dir, &self.output)?;
        self.published = true;
        let kept = match old {
            Some(old) => self.keep_aside(&old, linked.then_some(&old_list)),
            None => Ok(()),
        };
        let _ = fs::remove_file(&old_list);
        kept
    }

    /// Removes from the staging folder what the site before the last had
    /// and the new one has not: files, and folders with all they hold.
    fn clear_leftovers(&self, files: &Files) -> Result<()> {
        if self.spare_folders.is_empty() && self.spare.is_empty() {
            return Ok(());
        }
        self.changed.store(true, Ordering::Relaxed);
        let mut needed: FxHashSet<&str> = FxHashSet::default();
        for path in files.keys() {
            for folder in folders_of(path) {
                if !needed.insert(folder) {
                    break;
                }
            }
        }
        let unneeded = |path: &str| {
            !needed.contains(path) && folders_of(path).next().is_some_and(|folder| needed.contains(folder))
        };
        let folders: Vec<PathBuf> = (self.spare_folders.iter())
            .filter(|folder| unneeded(folder))
            .map(|folder| under(&self.dir, folder))
            .filter(|folder| fs::symlink_metadata(folder).is_ok_and(|m| m.is_dir()))
            .collect();
        let spare_files: Vec<PathBuf> = (self.spare.keys())
            .filter(|path| !files.contains_key(*path) && unneeded(path))
            .map(|path| under(&self.dir, path))
            .collect();
        io_pool().install(|| {
            folders.par_iter().try_for_each(|folder| remove_folder(folder).failed(Step::Removing, folder))?;
            spare_files.par_iter().try_for_each(|file| match fs::remove_file(file) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    Err(error).failed(Step::Removing, file)
                }
                _ => Ok(()),
            })
        })
    }

    /// Leaves the old site, which `swap` put at `old`, in the staging
    /// folder with the list it was published with, for the next build; an
    /// old site without a list (not bantin's, or from before lists) is
    /// removed.
    /// `old_list`: that list, kept by `publish`, if it could be.
    fn keep_aside(&self, old: &Path, old_list: Option<&Path>) -> Result<()> {
        if self.record.is_empty() {
            return remove_any(old);
        }
        if old != self.dir {
            fs::rename(old, &self.dir).failed(Step::MovingAside, old)?;
        }
        // Without its list the next build removes it: only slower.
        let spare_list = spare_list_path(&self.output)?;
        if old_list.is_none_or(|list| fs::rename(list, &spare_list).is_err()) {
            let _ = write_record(&spare_list, &self.record);
        }
        Ok(())
    }
}

impl Drop for Stage {
    /// Removes the staging folder, unless nothing in it changed (the build
    /// failed first): then it stays, with its list, for the next build.
    fn drop(&mut self) {
        if self.published {
            return;
        }
        let kept = !self.changed.load(Ordering::Relaxed)
            && !self.spare.is_empty()
            && spare_list_path(&self.output).is_ok_and(|list| write_record(&list, &self.spare).is_ok());
        if !kept {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// The files of the site left in the staging folder (see `Stage::spare`)
/// that are as its list says, and its folders, parents first; anything else
/// there is removed. A file counts with its compressed copies, all as
/// listed, or not at all.
fn spare_site<'l>(dir: &Path, listed: &'l Files) -> Result<(Files, Vec<String>)> {
    let entries = io_pool().install(|| survey(dir, "")).failed(Step::Reading, dir)?;
    let mut folders = Vec::new();
    let mut as_listed: FxHashSet<&str> = FxHashSet::default();
    as_listed.reserve(listed.len());
    let mut others = Vec::new();
    for (relative, entry) in entries {
        match entry {
            Entry::Folder => folders.push(relative),
            Entry::Unnamed(path) => remove_any(&path)?,
            Entry::File(now) => match listed.get_key_value(&relative) {
                Some((path, was))
                    if now.is_some_and(|now| (now.len, now.modified) == (was.len, was.modified)) =>
                {
                    as_listed.insert(path);
                }
                _ => others.push(relative),
            },
        }
    }
    // The file a listed copy was made from, when it is listed too.
    let main_of =
        |path: &'l str| compressed_of(path).map(|(main, _)| main).filter(|main| listed.contains_key(*main));
    let broken: FxHashSet<&str> = (listed.keys())
        .filter(|path| !as_listed.contains(path.as_str()))
        .map(|path| main_of(path).unwrap_or(path))
        .collect();
    let mut spare = Files::default();
    spare.reserve(as_listed.len());
    for path in as_listed {
        let whole = broken.is_empty()
            || !broken.contains(path) && main_of(path).is_none_or(|main| !broken.contains(main));
        if whole {
            spare.insert(path.to_string(), listed[path]);
        } else {
            others.push(path.to_string());
        }
    }
    for path in others {
        let path = under(dir, &path);
        fs::remove_file(&path).failed(Step::Removing, &path)?;
    }
    Ok((spare, folders))
}

/// What `survey` finds at a path.
enum Entry {
    Folder,
    /// A file, with its size and time when it is a regular file (not a link).
    File(Option<Written>),
    /// A file or folder whose name is no text (no build writes one), by its path.
    Unnamed(PathBuf),
}

/// Every entry under `dir/relative`, by path relative to `dir` (`relative`),
/// folders before what they hold; folders read in parallel on the current pool.
fn survey(dir: &Path, relative: &str) -> std::io::Result<Vec<(String, Entry)>> {
    let entries = fs::read_dir(under(dir, relative))?.collect::<std::io::Result<Vec<_>>>()?;
    let found: Vec<Vec<(String, Entry)>> = entries
        .par_iter()
        .map(|entry| {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                return Ok(vec![(String::new(), Entry::Unnamed(entry.path()))]);
            };
            let path = if relative.is_empty() { name } else { format!("{relative}/{name}") };
            if entry.file_type()?.is_dir() {
                let mut under = survey(dir, &path)?;
                under.insert(0, (path, Entry::Folder));
                Ok(under)
            } else {
                let now = entry.metadata().ok().filter(|m| m.is_file()).and_then(|m| written(&m));
                Ok(vec![(path, Entry::File(now))])
            }
        })
        .collect::<std::io::Result<_>>()?;
    Ok(found.into_iter().flatten().collect())
}

/// The digest of the output's list of written files when the output holds
/// exactly the files it names, each of the size and time listed; None when
/// anything was added, removed or touched. A cache keeps this digest of
/// the output it published: an output put back from a copy, list
/// included, has another.
pub fn as_published(target: &Target) -> Option<u64> {
    let output = &target.folder;
    let listed = fs::read(record_path(output).ok()?).ok()?;
    let record: Files = String::from_utf8_lossy(&listed).lines().filter_map(parse_record_line).collect();
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
        // As the lists name it: `/`-separated (Windows' walk gives `\`).
        let relative = relative.to_str()?.replace(std::path::MAIN_SEPARATOR, "/");
        let modified = meta.modified().ok().and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
        let now = (meta.len(), modified.map(|m| m.as_nanos() as i128));
        if !entry.file_type().is_file()
            || record.get(&relative).is_none_or(|was| now != (was.len, Some(was.modified)))
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
/// site moved aside (`old`), the list of written files (`files`), the list
/// of the site left in the staging folder (`new.files`), the old site's
/// list while publishing (`files-old`).
fn sibling(output: &Path, what: &str) -> Result<PathBuf> {
    let name = output.file_name().ok_or(Failure::OutputNeedsName)?.to_string_lossy();
    Ok(output.with_file_name(format!(".{name}.{what}")))
}

/// Runs `make` to create a new file at `path`, first removing what an
/// earlier write of the same path, or the site before the last, put there
/// (a folder where a file now goes, too): writing through it could change
/// the published file it is a link to.
fn replacing(path: &Path, make: impl Fn(&Path) -> std::io::Result<()>) -> std::io::Result<()> {
    match make(path) {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            if fs::symlink_metadata(path)?.is_dir() {
                remove_folder(path)?;
            } else {
                fs::remove_file(path)?;
            }
            make(path)
        }
        made => made,
    }
}

/// A site path as the lists name it (`relative`), or the error of a path
/// that could leave the output.
fn checked(site_path: &str) -> Result<String> {
    match relative(site_path) {
        Some(relative) => Ok(relative),
        None => bail!(Failure::OutsideOutput { path: site_path.to_string() }),
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

/// Size and modification time of a regular file, links not followed (hash left at 0).
fn stamp(path: &Path) -> Option<Written> {
    written(&fs::symlink_metadata(path).ok().filter(|m| m.is_file())?)
}

fn written(meta: &fs::Metadata) -> Option<Written> {
    let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(Written { len: meta.len(), modified: since.as_nanos() as i128, hash: 0 })
}

/// The list of what the last build wrote: `.<output>.files` beside the
/// output. It is also what marks an output folder as bantin's (`Target`).
fn record_path(output: &Path) -> Result<PathBuf> {
    sibling(output, "files")
}

/// The files a build left in `output`, as its list names them (relative
/// paths, `/`-separated), with the hash of each one's bytes; empty without a list.
pub fn listed(output: &Path) -> Vec<(String, u64)> {
    let Ok(path) = record_path(output) else { return Vec::new() };
    read_record(&path).into_iter().map(|(file, written)| (file, written.hash)).collect()
}

/// The list of the site left in the staging folder for the next build.
fn spare_list_path(output: &Path) -> Result<PathBuf> {
    sibling(output, "new.files")
}

/// One line per file: hash, size, time in nanoseconds, path. A missing or
/// unreadable list (or line) only means comparing bytes.
fn read_record(path: &Path) -> Files {
    fs::read_to_string(path).unwrap_or_default().lines().filter_map(parse_record_line).collect()
}

fn parse_record_line(line: &str) -> Option<(String, Written)> {
    let mut fields = line.splitn(4, ' ');
    let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
    let len = fields.next()?.parse().ok()?;
    let modified = fields.next()?.parse().ok()?;
    Some((fields.next()?.to_string(), Written { len, modified, hash }))
}

fn write_record(path: &Path, files: &Files) -> Result<()> {
    let mut text = String::with_capacity(files.len() * 80);
    for (name, w) in files {
        if name.contains('\n') {
            continue;
        }
        // Into the text directly, without a string per line (77,500 lines at 10,000 articles).
        let _ = writeln!(text, "{:016x} {} {} {name}", w.hash, w.len, w.modified);
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
    io_pool().install(|| remove_folder(dir))
}

/// `remove_tree` on the current thread pool.
fn remove_folder(dir: &Path) -> std::io::Result<()> {
    let entries = fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_folder(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(dir)
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
        assert_eq!(relative("/2023//08/x/index.html").as_deref(), Some("2023/08/x/index.html"));
        let folders: Vec<&str> = folders_of("2023/08/x/index.html").collect();
        assert_eq!(folders, ["2023/08/x", "2023/08", "2023", ""]);
        assert_eq!(folders_of("").count(), 0);
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

    /// Stages and publishes a site of (site path, text) into `output`.
    #[cfg(unix)]
    fn publish_site(output: &Path, site: &[(&str, String)]) {
        let stage = Stage::new(&Target { folder: output.to_path_buf() }).unwrap();
        for (path, text) in site {
            stage.write(path, text.as_bytes()).unwrap();
        }
        stage.publish().unwrap();
    }

    /// The files under a folder with their text, and its folders.
    #[cfg(unix)]
    fn tree(dir: &Path) -> (Vec<(String, String)>, Vec<String>) {
        let (mut files, mut folders) = (Vec::new(), Vec::new());
        for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
            let entry = entry.unwrap();
            let relative = format!("/{}", entry.path().strip_prefix(dir).unwrap().display());
            if entry.file_type().is_dir() {
                folders.push(relative);
            } else if !relative.ends_with(".gz") && !relative.ends_with(".br") {
                files.push((relative, fs::read_to_string(entry.path()).unwrap()));
            }
        }
        (files, folders)
    }

    #[cfg(unix)]
    fn site(pages: &[(&str, &str)]) -> Vec<(&'static str, String)> {
        let mut site: Vec<(&'static str, String)> =
            pages.iter().map(|(path, text)| (path.to_string().leak() as &str, text.to_string())).collect();
        site.sort();
        site
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(path).unwrap())
    }

    #[test]
    #[cfg(unix)]
    fn the_site_before_the_last_is_made_into_the_new_one_where_they_differ_only() {
        let root = tempfile::tempdir().unwrap();
        let (output, kept) = (root.path().join("public"), root.path().join(".public.new"));
        let home = "Trang chủ tin tức huyện. ".repeat(60);
        let a = site(&[
            ("/index.html", &home),
            ("/2023/08/hop-btv/index.html", "Hội nghị Ban Thường vụ tháng 8"),
            ("/tai-lieu", "Tài liệu"),
            ("/cu/bai/index.html", "Bài đã gỡ"),
            ("/style.css", "body { color: #222; }"),
        ]);
        let b = site(&[
            ("/index.html", "Trang chủ đã sửa"),
            ("/2023/08/hop-btv/index.html", "Hội nghị Ban Thường vụ tháng 8"),
        ]);
        publish_site(&output, &a);
        publish_site(&output, &b);
        let expected = |pages: &[(&str, String)]| {
            pages.iter().map(|(p, t)| (p.to_string(), t.clone())).collect::<Vec<_>>()
        };
        assert_eq!(tree(&kept).0, expected(&a), "the site before is left in the staging folder");
        let mut beside: Vec<_> = fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        beside.sort();
        assert_eq!(beside, [".public.files", ".public.new", ".public.new.files", "public"], "with its list");
        let page = inode(&kept.join("2023/08/hop-btv/index.html"));

        // Back to a's home page (kept with its copies), a file become a
        // folder, a folder gone, a new one, and a file of the kept site
        // changed by hand (not trusted: c's bytes are published).
        fs::write(kept.join("style.css"), "body { color: red; }").unwrap();
        let c = site(&[
            ("/index.html", &home),
            ("/2023/08/hop-btv/index.html", "Hội nghị Ban Thường vụ tháng 8"),
            ("/tai-lieu/bao-cao.txt", "Báo cáo"),
            ("/moi/index.html", "Bài mới"),
            ("/style.css", "body { color: #222; }"),
        ]);
        publish_site(&output, &c);
        let (files, folders) = tree(&output);
        assert_eq!(files, expected(&c));
        assert_eq!(folders, ["/2023", "/2023/08", "/2023/08/hop-btv", "/moi", "/tai-lieu"]);
        assert!(output.join("index.html.br").exists() && output.join("index.html.gz").exists());
        assert_eq!(
            inode(&output.join("2023/08/hop-btv/index.html")),
            page,
            "an unchanged page is not written again"
        );

        // A copy of the home page damaged in the kept site (b's, now there):
        // the page and its copies are not trusted.
        publish_site(&output, &b);
        fs::write(kept.join("index.html.gz"), "hỏng").unwrap();
        publish_site(&output, &c);
        assert_eq!(tree(&output), (files.clone(), folders.clone()));
        let gzip = fs::read(output.join("index.html.gz")).unwrap();
        assert_eq!(gzip, Encoding::Gzip.compress(home.as_bytes()));

        // A build that fails before changing anything leaves it as it was.
        drop(Stage::new(&Target { folder: output.clone() }).unwrap());
        assert!(root.path().join(".public.new.files").exists());
        assert_eq!(inode(&kept.join("2023/08/hop-btv/index.html")), page);

        // Without its list (a build stopped while changing it) the kept
        // site is removed and the new one staged whole.
        fs::remove_file(root.path().join(".public.new.files")).unwrap();
        fs::write(kept.join("la.html"), "không ai viết").unwrap();
        publish_site(&output, &a);
        assert_eq!(tree(&output).0, expected(&a));
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
