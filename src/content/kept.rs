//! Articles as earlier builds resolved them, kept in
//! `.bantin-cache/articles/` by a digest of their file's path and bytes:
//! a build reads every file but parses and resolves again only those that
//! changed. Resolving also looks at the disk (a photo's size, whether a
//! linked file is there), so an article is taken back only while every
//! file it named is still found as then (`content::article::still_found`).
//! The articles are split in shards by key, so that one edit writes one
//! shard again; a shard made under other settings (bantin's binary,
//! site.yaml, `--base-url`) is none.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use serde::Serialize;

use super::article::{Article, Looked};
use crate::cache::{read_sealed, write_sealed};
use crate::digest::content_hash;

/// Enough for both cores to read them at once, few enough to stay small files.
const SHARDS: u64 = 16;

/// The key of a content file: its path as shown and its bytes as read
/// (the settings the shelf is under name the binary, whose hasher this is);
/// the bytes by XXH3, ~20× faster than SipHash on the 400 MB of 100,000 articles.
pub fn key(shown: &Path, bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    (shown, content_hash(bytes)).hash(&mut hasher);
    hasher.finish()
}

/// One shard as written.
#[derive(Serialize)]
struct ShardOut<'a> {
    under: u64,
    entries: Vec<(u64, &'a Article, &'a [Looked])>,
}

/// A shard's articles by key, each with what it named.
type Entries = HashMap<u64, (Article, Vec<Looked>)>;

/// The articles kept, for one build to take from and then keep its own.
pub struct Shelf {
    folder: PathBuf,
    under: u64,
    /// By shard: the entries not taken yet, and whether the file was one of these settings.
    shards: Vec<(Mutex<Entries>, bool)>,
}

/// An article of this build, for the shelf: its key, what it named, and
/// whether it was resolved now (not taken from the shelf).
pub type Stored = (u64, Arc<Article>, Vec<Looked>, bool);

impl Shelf {
    /// The articles kept in `folder` under the settings digest `under`.
    pub fn open(folder: PathBuf, under: u64) -> Shelf {
        let shards = (0..SHARDS)
            .into_par_iter()
            .map(|shard| {
                let read = read_sealed(&folder.join(format!("{shard:02}"))).and_then(|bytes| {
                    // `ShardOut`'s fields one after the other: a shard of other
                    // settings (site.yaml changed, a new bantin) is not decoded.
                    let (read_under, entries) = postcard::take_from_bytes::<u64>(&bytes).ok()?;
                    if read_under != under {
                        return None;
                    }
                    postcard::from_bytes::<Vec<(u64, Article, Vec<Looked>)>>(entries).ok()
                });
                let trusted = read.is_some();
                let entries = read.into_iter().flatten();
                let entries = entries.map(|(key, article, looked)| (key, (article, looked))).collect();
                (Mutex::new(entries), trusted)
            })
            .collect();
        Shelf { folder, under, shards }
    }

    /// The article kept for `key`, with what it named, if `still` holds of those files.
    pub fn take(&self, key: u64, still: impl Fn(&[Looked]) -> bool) -> Option<(Article, Vec<Looked>)> {
        let (entries, _) = &self.shards[(key % SHARDS) as usize];
        let taken = entries.lock().unwrap_or_else(PoisonError::into_inner).remove(&key)?;
        still(&taken.1).then_some(taken)
    }

    /// Keeps this build's articles: each shard that lost or gained one is
    /// written again. Failing to write costs the next build time, nothing else.
    pub fn store(self, articles: &[Stored]) {
        let mut shards: Vec<(ShardOut, bool)> = (self.shards.into_iter())
            .map(|(left, trusted)| {
                let left = left.into_inner().unwrap_or_else(PoisonError::into_inner);
                (ShardOut { under: self.under, entries: Vec::new() }, !trusted || !left.is_empty())
            })
            .collect();
        for (key, article, looked, resolved) in articles {
            let (shard, changed) = &mut shards[(key % SHARDS) as usize];
            *changed |= resolved;
            shard.entries.push((*key, article, looked));
        }
        shards.into_par_iter().enumerate().filter(|(_, (_, changed))| *changed).for_each(
            |(i, (shard, _))| {
                let path = self.folder.join(format!("{i:02}"));
                let _ = postcard::to_stdvec(&shard).map(|bytes| write_sealed(&path, &bytes));
            },
        );
    }
}

/// An article's HTML kept as bytes (`#[serde(with)]`) and checked as UTF-8
/// with SIMD when read back: serde's own check of a string, on Vietnamese
/// text, was a fifth of reading the shards.
pub mod as_bytes {
    use serde::de::{Error, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(text.as_bytes())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = String;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("UTF-8 bytes")
            }

            fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<String, E> {
                simdutf8::basic::from_utf8(bytes).map(str::to_owned).map_err(|_| E::custom("not UTF-8"))
            }
        }
        deserializer.deserialize_bytes(Text)
    }
}
