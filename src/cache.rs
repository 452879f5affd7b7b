//! What a build keeps for the next one in `.bantin-cache/`, one file per
//! output folder: a digest of every input it read, so that a build with
//! nothing changed does nothing; each page's fingerprint with the hash
//! of the bytes published for it, so that a page whose fingerprint is the
//! same is neither rendered nor written again; and which articles each
//! page read, so that while every article is placed as before only the
//! pages that read a changed article are fingerprinted. The file names bantin's
//! binary and a format number and carries a checksum of its payload;
//! anything unreadable, damaged or from another binary is no cache (a full
//! build), never an error: the cache only ever saves time.

use std::collections::HashMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostics;
use crate::digest::content_hash;

/// The layout of the payloads; a change to `Kept` or to the articles kept
/// (`content::kept`) needs a new number.
const FORMAT: u32 = 5;
const MAGIC: &str = "bantin-cache";

/// A file changed this close to the moment its stamp was taken could
/// change again within the file system's clock tick, unseen: the inputs are
/// then not recorded (as git's "racily clean" index entries).
const RACY: Duration = Duration::from_secs(2);

/// What the last successful build into one output left for the next.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Kept {
    /// `settings`: what every page's fingerprint holds under.
    pub settings: u64,
    /// `Inputs::digest` of what the build read, when it could be trusted.
    pub inputs: Option<u64>,
    /// When the first scheduled article is due (µs since 1970): then the
    /// same inputs make another site.
    pub next_due: Option<i64>,
    /// Files articles publish from outside `content/`, stamped with the inputs.
    pub outside: Vec<PathBuf>,
    /// What the build reported.
    pub articles: usize,
    pub pages: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    /// By URL: what was made of each page.
    pub pages_made: HashMap<String, Made>,
    /// `Placed::digest` of the site: while it is the same, a page reads the
    /// same articles, and shows the same unless one of them changed.
    pub placed: Option<u64>,
    /// Each published article's `pipeline::article_digest`, by position.
    pub articles_read: Vec<u64>,
    /// Each published article's related articles (`Index::related`), by
    /// position: while `placed` is the same, they are the same.
    pub related: Vec<Vec<u32>>,
    /// `output::published`: the digest of the list of files the build left
    /// in the output, which says that the output is still the one it made.
    pub published: Option<u64>,
}

/// A page as a build made it: its fingerprint, the hash of the bytes
/// published, and the positions of the articles its fingerprint read
/// (`render::reads`).
pub type Made = (u64, u64, Vec<u32>);

/// The cache file, in the site's cache folder, of builds into `output` (a real path).
pub fn path(cache_dir: &Path, output: &Path) -> PathBuf {
    let key = content_hash(output.as_os_str().as_encoded_bytes());
    cache_dir.join(format!("build-{key:016x}"))
}

impl Kept {
    /// The cache at `path`, or None when there is none that can be trusted.
    pub fn read(path: &Path) -> Option<Kept> {
        serde_json::from_slice(&read_sealed(path)?).ok()
    }

    /// Writes the cache (`write_sealed`).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        write_sealed(path, &serde_json::to_vec(self).map_err(std::io::Error::other)?)
    }

    /// Whether a build at `now` with these inputs makes the site this cache describes.
    pub fn same_site(&self, inputs: &Inputs, now: chrono::DateTime<chrono::FixedOffset>) -> bool {
        inputs.settings == Some(self.settings)
            && self.inputs.is_some()
            && inputs.digest(&self.outside) == self.inputs
            && self.next_due.is_none_or(|due| now.timestamp_micros() < due)
    }
}

/// The payload of a cache file, None unless the file is whole and of this
/// bantin: its first line names bantin, its version and the format, and
/// carries a checksum of the rest.
pub fn read_sealed(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = fs::read(path).ok()?;
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let (head, payload) = (std::str::from_utf8(&bytes[..newline]).ok()?, &bytes[newline + 1..]);
    let [magic, version, format, sum] = head.split(' ').collect::<Vec<_>>()[..] else { return None };
    let trusted = magic == MAGIC
        && version == env!("CARGO_PKG_VERSION")
        && format == FORMAT.to_string()
        && u32::from_str_radix(sum, 16).ok() == Some(checksum(payload));
    // Moved down in place: `split_off` would copy it into a new allocation
    // (the articles' shards are 660 MB at 100,000 articles).
    trusted.then(|| {
        bytes.drain(..=newline);
        bytes
    })
}

/// The checksum of a cache file's payload: CRC-32 (as zip and PNG use),
/// computed with the processor's carry-less multiply, ~50× faster than
/// `content_hash`'s byte-at-a-time FNV on the tens of megabytes a build
/// reads back.
fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// Writes a cache file as `read_sealed` reads it: aside, then renamed into
/// place, so a reader finds the old file or the new one whole.
pub fn write_sealed(path: &Path, payload: &[u8]) -> std::io::Result<()> {
    let head = format!("{MAGIC} {} {FORMAT} {:08x}\n", env!("CARGO_PKG_VERSION"), checksum(payload));
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    // Named for the process: two builds of one site do not share it.
    let fresh = path.with_extension(format!("new-{}", std::process::id()));
    fs::write(&fresh, [head.as_bytes(), payload].concat())?;
    fs::rename(&fresh, path)
}

/// What a build is made from, stamped before anything is read: the binary,
/// the options, site.yaml's bytes, and the path, size and time of every
/// file under `templates/`, `static/` and `content/`.
pub struct Inputs {
    /// The binary, the options, site.yaml, templates/ and static/: under the
    /// same settings, equal fingerprints are equal pages. None when the
    /// binary cannot be told.
    pub settings: Option<u64>,
    content: u64,
    /// When they were stamped.
    taken: SystemTime,
    /// The newest time of any file stamped.
    newest: SystemTime,
}

impl Inputs {
    /// The inputs of a build of the site at `root` into `output`, with
    /// `--drafts` and `--base-url` as given.
    pub fn stamp(root: &Path, output: &Path, drafts: bool, base_url: Option<&str>) -> Inputs {
        let taken = SystemTime::now();
        let mut newest = SystemTime::UNIX_EPOCH;
        let mut settings = DefaultHasher::new();
        let binary = binary();
        (FORMAT, env!("CARGO_PKG_VERSION"), &binary).hash(&mut settings);
        (drafts, base_url, output).hash(&mut settings);
        fs::read(root.join("site.yaml")).ok().hash(&mut settings);
        for folder in ["templates", "static"] {
            stamp_tree(&root.join(folder), &mut settings, &mut newest);
        }
        let mut content = DefaultHasher::new();
        stamp_tree(&root.join("content"), &mut content, &mut newest);
        Inputs {
            settings: binary.is_some().then(|| settings.finish()),
            content: content.finish(),
            taken,
            newest,
        }
    }

    /// The digest of everything read, with the files articles published
    /// from outside `content/` (stamped now); None when a file was changed
    /// too recently for its stamp to be trusted.
    pub fn digest(&self, outside: &[PathBuf]) -> Option<u64> {
        let mut hasher = DefaultHasher::new();
        (self.settings?, self.content).hash(&mut hasher);
        let mut newest = self.newest;
        for path in outside {
            (path, stamp(path)).hash(&mut hasher);
            if let Some((_, modified)) = stamp(path) {
                newest = newest.max(SystemTime::UNIX_EPOCH + Duration::from_nanos(modified as u64));
            }
        }
        let settled = newest + RACY < self.taken;
        settled.then(|| hasher.finish())
    }
}

/// bantin's binary by its path, size and time: another build of bantin may
/// resolve, render or fingerprint otherwise. None when it cannot be told.
pub fn binary() -> Option<((u64, u128), PathBuf)> {
    std::env::current_exe().ok().and_then(|exe| Some((stamp(&exe)?, exe)))
}

/// Size and time in nanoseconds of a file, links followed.
pub fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    Some((meta.len(), modified.as_nanos()))
}

/// Every entry under `folder` by path, kind, size and time, in name order.
fn stamp_tree(folder: &Path, hasher: &mut DefaultHasher, newest: &mut SystemTime) {
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let Ok(entry) = entry else {
            "unreadable".hash(hasher);
            continue;
        };
        let meta = fs::metadata(entry.path()).ok();
        let modified = meta.as_ref().and_then(|m| m.modified().ok());
        if let Some(modified) = modified {
            *newest = (*newest).max(modified);
        }
        (entry.path(), meta.as_ref().map(|m| (m.is_dir(), m.len())), modified).hash(hasher);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept() -> Kept {
        let mut kept = Kept { settings: 7, inputs: Some(11), articles: 2, ..Kept::default() };
        kept.pages_made.insert("/2023/08/hop-hdnd-huyen/".into(), (1, 2, vec![3]));
        kept
    }

    #[test]
    fn a_cache_is_read_back_only_whole_and_from_this_bantin() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".bantin-cache/build-kiem-tra");
        kept().write(&path).unwrap();
        let read = Kept::read(&path).expect("an intact cache is read");
        assert_eq!((read.settings, read.inputs, read.articles), (7, Some(11), 2));
        assert_eq!(read.pages_made["/2023/08/hop-hdnd-huyen/"], (1, 2, vec![3]));

        let whole = fs::read(&path).unwrap();
        let (head, payload) = whole.split_at(whole.iter().position(|&b| b == b'\n').unwrap() + 1);
        let head = std::str::from_utf8(head).unwrap();
        let mut flipped = whole.clone();
        flipped[whole.len() - 3] ^= 0x10;
        let damaged: [(&str, Vec<u8>); 5] = [
            ("truncated", whole[..whole.len() - 5].to_vec()),
            ("a bit flipped", flipped),
            (
                "another version",
                [head.replacen(env!("CARGO_PKG_VERSION"), "0.0.1", 1).as_bytes(), payload].concat(),
            ),
            (
                "another format",
                [head.replacen(&format!(" {FORMAT} "), &format!(" {} ", FORMAT + 1), 1).as_bytes(), payload]
                    .concat(),
            ),
            ("no head", payload.to_vec()),
        ];
        for (what, bytes) in damaged {
            fs::write(&path, bytes).unwrap();
            assert!(Kept::read(&path).is_none(), "{what}");
        }
    }
}
