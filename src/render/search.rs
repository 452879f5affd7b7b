//! The search index: static JSON files a reader's browser fetches a few at a
//! time, so search works offline from any static host and one query loads
//! only the words it asks for.
//!
//! Layout under `/tim-kiem/chi-muc/`:
//! - `tu.json`: every folded word (no diacritics, `đ` → `d`), sorted, for
//!   prefix matching as the reader types;
//! - `t/<bucket>.json`: `{folded word: {"t": {form: ids}, "b": {form: ids}}}`
//!   for the words of one bucket (8 hex digits of a hash of the folded word,
//!   so that a 300-letter word makes no 300-letter file name): the articles
//!   with that word in the title (`t`) or the text, organ's name and aliases
//!   or indicators' names (`b`), by the exact form written (lower case,
//!   modern tone placement) so that the exact diacritic form can rank first;
//!   ids ascending, delta-encoded;
//! - `g/<n>.json`: `{"a b": [title ids, text ids]}` for two folded words
//!   one after the other (a word pair), in one of `pair_buckets` files (the
//!   low bits of the pair's hash, as many files as keep each small): the
//!   articles with the pair in the title and in the text (or an organ's or
//!   indicator's name), so that a phrase ranks first. Pairs rather than
//!   positions: a common word's positions were 50–150 KB gzipped per query
//!   at 10,000 articles, a pair's file is a few KB;
//! - `d/<n>.json`: articles `n*64 ..` as `[title, url, date]`;
//! - `v/<id>.json`: an article's text, for the snippet around the words found;
//! - `meta.json`: the article count, chunk size, organ ids, each article's
//!   organ (a position in that list), the id range of each year, the number
//!   of pair files and the site's glossary, searched both ways.
//!
//! Article ids count from the oldest article (`by_id`), so a year is a
//! contiguous range and a higher id is a newer article; a new article (the
//! newest) takes the next id and leaves every other article's id, and so
//! its text file and its place in the postings, as they were.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use chrono::Datelike;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::RenderedPage;
use crate::assemble::Site;
use crate::html::text_of;
use crate::vietnamese::{is_word_char, normalize::modern_tone, slugify};

/// Where every file of the search index is, and nothing else.
pub const FOLDER: &str = "/tim-kiem/chi-muc/";

/// Articles per metadata chunk: small, so showing 10 results loads little.
const CHUNK: usize = 64;

/// Title and text postings of one folded word: exact form → article ids.
#[derive(Default, Serialize, Deserialize)]
struct Postings {
    t: BTreeMap<String, Vec<u32>>,
    b: BTreeMap<String, Vec<u32>>,
}

#[derive(Serialize)]
struct Meta<'a> {
    count: usize,
    chunk: usize,
    organs: Vec<&'a str>,
    organ_of: Vec<usize>,
    /// Year → [first id, last id].
    years: BTreeMap<i32, [usize; 2]>,
    pair_buckets: usize,
    /// The site's abbreviations and what they stand for.
    glossary: &'a [(String, String)],
}

/// The words of a text as written.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty())
}

/// A word's (folded, exact) forms.
fn forms(word: &str) -> (String, String) {
    let exact = modern_tone(&crate::vietnamese::nfc(&word.to_lowercase())).into_owned();
    (slugify(word), exact)
}

/// Articles whose words one task gathers: each task folds a distinct word
/// once and keeps its own postings, merged in article order afterwards.
const TASK: usize = 256;

/// The postings of one task's articles, words numbered as first met.
#[derive(Default)]
struct Gathered {
    /// A word as written → the number of its (folded, exact) forms.
    number_of: HashMap<String, u32>,
    /// By number.
    words: Vec<Word>,
    numbered: HashMap<(String, String), u32>,
    /// Two words one after the other → the articles with them in the title
    /// and in the text.
    pairs: HashMap<(u32, u32), [Vec<u32>; 2]>,
}

/// A word's (folded, exact) forms and the ids of the articles with it in the
/// title and in the text.
struct Word {
    forms: (String, String),
    title: Vec<u32>,
    text: Vec<u32>,
}

/// A task's postings: of each word, and of each pair of folded words; ids
/// counted from the task's first article.
type Part = (BTreeMap<String, Postings>, Pairs);

/// Pairs of folded words → the articles with them in the title and in the text.
type Pairs = BTreeMap<String, [Vec<u32>; 2]>;

impl Gathered {
    fn number(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.number_of.get(word) {
            return n;
        }
        let pair = forms(word);
        let next = self.words.len() as u32;
        let n = *self.numbered.entry(pair.clone()).or_insert(next);
        if n == next {
            self.words.push(Word { forms: pair, title: Vec::new(), text: Vec::new() });
        }
        self.number_of.insert(word.to_string(), n);
        n
    }

    fn add(&mut self, id: u32, site: &Site, article: usize) {
        let catalog = &site.config.catalog;
        let article = &site.articles[article];
        let text = text_of(&article.content);
        let organ = &catalog.organs[article.organ];
        // The organ's name and aliases and the names of the indicators
        // reported, so a search for them finds the meetings.
        let names = std::iter::once(&organ.name)
            .chain(&organ.aliases)
            .map(String::as_str)
            .chain(article.readings.iter().flat_map(|r| catalog.indicators[r.indicator].names()));
        let title: Vec<u32> = words(&article.title).map(|w| self.number(w)).collect();
        let mut runs: Vec<Vec<u32>> = vec![words(&text).map(|w| self.number(w)).collect()];
        runs.extend(names.map(|name| words(name).map(|w| self.number(w)).collect()));
        // Articles come in ascending ids: a list already holds this one
        // when its last id is this one (no sorting of the article's words).
        let once = |ids: &mut Vec<u32>| {
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        };
        for &n in &title {
            once(&mut self.words[n as usize].title);
        }
        for &n in runs.iter().flatten() {
            once(&mut self.words[n as usize].text);
        }
        for w in title.windows(2) {
            once(&mut self.pairs.entry((w[0], w[1])).or_default()[0]);
        }
        for w in runs.iter().flat_map(|run| run.windows(2)) {
            once(&mut self.pairs.entry((w[0], w[1])).or_default()[1]);
        }
    }

    fn into_postings(self) -> Part {
        let mut pairs: BTreeMap<String, [Vec<u32>; 2]> = BTreeMap::new();
        for ((a, b), lists) in self.pairs {
            let key = format!("{} {}", self.words[a as usize].forms.0, self.words[b as usize].forms.0);
            for (to, from) in pairs.entry(key).or_default().iter_mut().zip(lists) {
                to.extend(from);
            }
        }
        // Pairs written differently may fold to one: its ids once, in order.
        for lists in pairs.values_mut() {
            for ids in lists {
                ids.sort_unstable();
                ids.dedup();
            }
        }
        let mut index: BTreeMap<String, Postings> = BTreeMap::new();
        for Word { forms: (folded, exact), title, text } in self.words {
            let postings = index.entry(folded).or_default();
            for (ids, lists) in [(title, &mut postings.t), (text, &mut postings.b)] {
                if !ids.is_empty() {
                    lists.insert(exact.clone(), ids);
                }
            }
        }
        (index, pairs)
    }
}

/// Where a build keeps the search index's parts for the next one (in the
/// site's `.bantin-cache/search/`): a file per task, named by the digest of
/// all its postings are gathered from, under `settings` (the binary,
/// site.yaml, templates and options: `cache::Inputs`). After one edit a
/// build gathers one task's words again, not every article's. A part
/// missing, damaged or of another bantin is gathered again.
pub struct Parts<'a> {
    dir: PathBuf,
    settings: u64,
    /// Each article's digest by position (`pipeline::article_digest`: its
    /// text decides its title and words under the same settings).
    articles: &'a [u64],
}

impl<'a> Parts<'a> {
    pub fn new(dir: PathBuf, settings: u64, articles: &'a [u64]) -> Parts<'a> {
        Parts { dir, settings, articles }
    }

    /// What a task's part is made from: each article, its organ's names
    /// and its indicators' names (which may come from other articles'
    /// spelling when site.yaml has no organs), in order.
    fn digest(&self, site: &Site, articles: &[usize]) -> u64 {
        let catalog = &site.config.catalog;
        let mut hasher = DefaultHasher::new();
        self.settings.hash(&mut hasher);
        for &a in articles {
            let article = &site.articles[a];
            let organ = &catalog.organs[article.organ];
            (self.articles[a], &organ.name, &organ.aliases).hash(&mut hasher);
            for reading in &article.readings {
                catalog.indicators[reading.indicator].names().for_each(|name| name.hash(&mut hasher));
            }
        }
        hasher.finish()
    }

    fn path(&self, digest: u64) -> PathBuf {
        self.dir.join(format!("{digest:016x}"))
    }

    fn read(&self, digest: u64) -> Option<Part> {
        postcard::from_bytes(&crate::cache::read_sealed(&self.path(digest))?).ok()
    }

    /// Keeps a part; without it the next build is only slower.
    fn write(&self, digest: u64, part: &Part) {
        if let Ok(payload) = postcard::to_stdvec(part) {
            let _ = crate::cache::write_sealed(&self.path(digest), &payload);
        }
    }

    /// Removes the parts this build did not use (and anything else there).
    fn keep_only(&self, used: &HashSet<String>) {
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            if !used.contains(&*entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Every file of the search index. `between` is called between pieces of
/// the work (the preview holds it back there while it rebuilds); `kept`,
/// when given, holds the parts of earlier builds and gets this one's.
pub fn files(site: &Site, between: &(dyn Fn() + Sync), kept: Option<&Parts>) -> Vec<RenderedPage> {
    let made = Mutex::new(Vec::new());
    let keep = |file| {
        made.lock().unwrap_or_else(PoisonError::into_inner).push(file);
        Ok(())
    };
    index_files(site, between, kept, &keep).expect("kept in memory");
    let mut files = made.into_inner().unwrap_or_else(PoisonError::into_inner);
    // Made on several threads: sorted by address, in the same order each time.
    files.sort_unstable_by(|a, b| a.url.cmp(&b.url));
    let texts: Vec<RenderedPage> = (by_id(site).enumerate())
        .map(|(id, &a)| {
            between();
            text_file(site, id, a)
        })
        .collect();
    files.extend(texts);
    files
}

/// The text of the article `article`, search id `id`, for the snippet
/// around the words found (`v/<id>.json`). A build keeps it from the output
/// while the article is the same at the same id.
pub fn text_file(site: &Site, id: usize, article: usize) -> RenderedPage {
    let text = text_of(&site.articles[article].content);
    json(&text_url(id), &text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The articles by search id: `Index::latest` from its end, the oldest first.
pub fn by_id(site: &Site) -> rayon::iter::Rev<rayon::slice::Iter<'_, usize>> {
    site.index.latest.par_iter().rev()
}

/// The address of the text of the article with search id `id`.
pub fn text_url(id: usize) -> String {
    format!("/tim-kiem/chi-muc/v/{id}.json")
}

/// Where the index's files go as they are made (kept, or written: a
/// build does not hold the whole index in memory), and what that may fail with.
pub type Sink<'s> = &'s (dyn Fn(RenderedPage) -> anyhow::Result<()> + Sync);

/// Makes the files of the search index but the articles' texts
/// (`text_file`), each given to `put` once made; their addresses.
pub fn index_files(
    site: &Site,
    between: &(dyn Fn() + Sync),
    kept: Option<&Parts>,
    put: Sink,
) -> anyhow::Result<Vec<String>> {
    let order: Vec<usize> = by_id(site).copied().collect();
    // Each task numbers its articles from 0: a new article (the newest)
    // changes the last task's part only and the others can be kept.
    let tasks: Vec<(usize, &[usize])> =
        order.chunks(TASK).enumerate().map(|(k, articles)| (k * TASK, articles)).collect();
    let buckets = pair_buckets(order.len());
    let mut words = BTreeMap::new();
    let mut pairs: Vec<Pairs> = (0..buckets).map(|_| Pairs::new()).collect();
    let mut used = HashSet::new();
    // A few parts at a time, made (or read) in parallel and merged in
    // order at once: every part at once held each task's own copy of its
    // words and pairs (1.2 GB at 100,000 articles, the peak of a build
    // after one edit). Tasks are in article order, so each list of ids
    // stays ascending; words and pairs are merged side by side.
    for window in tasks.chunks(4 * rayon::current_num_threads()) {
        let parts: Vec<(u32, Option<u64>, Part)> = window
            .par_iter()
            .map(|&(first, articles)| {
                let (digest, part) = part(site, articles, kept, between);
                (first as u32, digest, part)
            })
            .collect();
        for (first, digest, (part_words, part_pairs)) in parts {
            used.extend(digest.map(|digest| format!("{digest:016x}")));
            rayon::join(
                || merge_words(&mut words, first, part_words, between),
                || merge_pairs(&mut pairs, first, part_pairs, between),
            );
        }
    }
    if let Some(kept) = kept {
        kept.keep_only(&used);
    }
    let (words, pairs) = rayon::join(|| word_files(words, between, put), || pair_files(pairs, between, put));
    let mut made = words?;
    made.extend(pairs?);
    for (n, chunk) in order.chunks(CHUNK).enumerate() {
        between();
        let docs: Vec<[String; 3]> = chunk
            .iter()
            .map(|&a| {
                let article = &site.articles[a];
                [article.title.clone(), article.url.clone(), article.date.to_string()]
            })
            .collect();
        made.push(put_json(put, &format!("/tim-kiem/chi-muc/d/{n}.json"), &docs)?);
    }
    made.push(put_json(put, "/tim-kiem/chi-muc/meta.json", &meta(site, &order))?);
    Ok(made)
}

/// A task's part: read from `kept` when there, else gathered (and kept);
/// with the digest it is kept under.
fn part(
    site: &Site,
    articles: &[usize],
    kept: Option<&Parts>,
    between: &(dyn Fn() + Sync),
) -> (Option<u64>, Part) {
    let digest = kept.map(|kept| kept.digest(site, articles));
    if let Some(part) = kept.zip(digest).and_then(|(kept, digest)| kept.read(digest)) {
        return (digest, part);
    }
    let mut gathered = Gathered::default();
    for (k, &a) in articles.iter().enumerate() {
        between();
        gathered.add(k as u32, site, a);
    }
    let part = gathered.into_postings();
    if let Some((kept, digest)) = kept.zip(digest) {
        kept.write(digest, &part);
    }
    (digest, part)
}

/// A task's words merged into `index`, its ids from its first, `first`.
fn merge_words(
    index: &mut BTreeMap<String, Postings>,
    first: u32,
    words: BTreeMap<String, Postings>,
    between: &(dyn Fn() + Sync),
) {
    between();
    for (folded, postings) in words {
        let into = index.entry(folded).or_default();
        for (from, to) in [(postings.t, &mut into.t), (postings.b, &mut into.b)] {
            for (exact, ids) in from {
                to.entry(exact).or_default().extend(ids.into_iter().map(|id| first + id));
            }
        }
    }
}

/// A task's pairs merged into their files' maps (no map of every pair).
fn merge_pairs(files: &mut [Pairs], first: u32, pairs: Pairs, between: &(dyn Fn() + Sync)) {
    between();
    for (pair, lists) in pairs {
        let file = &mut files[pair_number(&pair, files.len()) as usize];
        for (to, from) in file.entry(pair).or_default().iter_mut().zip(lists) {
            to.extend(from.into_iter().map(|id| first + id));
        }
    }
}

/// `tu.json` and the `t/` files of the words merged.
fn word_files(
    index: BTreeMap<String, Postings>,
    between: &(dyn Fn() + Sync),
    put: Sink,
) -> anyhow::Result<Vec<String>> {
    let mut made = vec![put_json(put, "/tim-kiem/chi-muc/tu.json", &index.keys().collect::<Vec<_>>())?];
    // The merged index is taken apart into the files' words, not copied:
    // it is a third of the peak of a one-edit build.
    let mut buckets: BTreeMap<String, BTreeMap<String, Postings>> = BTreeMap::new();
    for (word, mut postings) in index {
        postings.t.values_mut().chain(postings.b.values_mut()).for_each(|ids| to_deltas(ids));
        buckets.entry(bucket(&word)).or_default().insert(word, postings);
    }
    // Each bucket dropped once its file is made.
    let files: anyhow::Result<Vec<String>> = (buckets.into_par_iter())
        .map(|(name, words)| {
            between();
            put_json(put, &format!("/tim-kiem/chi-muc/t/{name}.json"), &words)
        })
        .collect();
    made.extend(files?);
    Ok(made)
}

/// The `g/` files of the pairs merged, by file.
fn pair_files(files: Vec<Pairs>, between: &(dyn Fn() + Sync), put: Sink) -> anyhow::Result<Vec<String>> {
    // Each file's map dropped once the file is made.
    (files.into_par_iter().enumerate())
        .filter(|(_, pairs)| !pairs.is_empty())
        .map(|(n, mut pairs)| {
            between();
            pairs.values_mut().flatten().for_each(|ids| to_deltas(ids));
            put_json(put, &format!("/tim-kiem/chi-muc/g/{n:x}.json"), &pairs)
        })
        .collect()
}

/// FNV-1a (32 bits) of a folded word's or pair's bytes. templates/search.js
/// computes the same (`hash`).
fn hash(folded: &str) -> u32 {
    folded.bytes().fold(0x811c_9dc5_u32, |hash, b| (hash ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The file of a folded word's postings: its hash in hex.
pub fn bucket(folded: &str) -> String {
    format!("{:08x}", hash(folded))
}

/// The file of a pair of folded words (`"a b"`) among `buckets` pair files:
/// the low bits of its hash, in hex.
pub fn pair_bucket(pair: &str, buckets: usize) -> String {
    format!("{:x}", pair_number(pair, buckets))
}

fn pair_number(pair: &str, buckets: usize) -> u32 {
    hash(pair) & (buckets as u32 - 1)
}

/// Pair files for a site of `articles`: about one for two articles (a few KB
/// each), a power of two (so that a pair's file is the low bits of its
/// hash), at least 16 and at most 4,096.
fn pair_buckets(articles: usize) -> usize {
    (articles / 2).next_power_of_two().clamp(16, 4096)
}

/// Ascending ids made the differences from one to the next.
fn to_deltas(ids: &mut [u32]) {
    let mut previous = 0;
    for id in ids {
        (*id, previous) = (*id - previous, *id);
    }
}

/// `order`: the articles by id (`by_id`).
fn meta<'s>(site: &'s Site, order: &[usize]) -> Meta<'s> {
    let organs = &site.config.catalog.organs;
    let organ_of = order.iter().map(|&a| site.articles[a].organ).collect();
    let mut years: BTreeMap<i32, [usize; 2]> = BTreeMap::new();
    for (id, &a) in order.iter().enumerate() {
        let range = years.entry(site.articles[a].date.year()).or_insert([id, id]);
        range[1] = id;
    }
    Meta {
        count: order.len(),
        chunk: CHUNK,
        organs: organs.iter().map(|o| o.id.as_str()).collect(),
        organ_of,
        years,
        pair_buckets: pair_buckets(order.len()),
        glossary: &site.config.glossary,
    }
}

/// Gives `put` the file of `value` at `url`; its address.
fn put_json(put: Sink, url: &str, value: &impl Serialize) -> anyhow::Result<String> {
    put(json(url, value))?;
    Ok(url.to_string())
}

fn json(url: &str, value: &impl Serialize) -> RenderedPage {
    RenderedPage { url: url.to_string(), body: serde_json::to_vec(value).expect("index serializes") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn buckets_are_fnv_1a_of_the_folded_word() {
        // The published FNV-1a 32-bit test vectors.
        assert_eq!(super::bucket(""), "811c9dc5");
        assert_eq!(super::bucket("a"), "e40c292c");
        assert_eq!(super::bucket("foobar"), "bf9cf968");
        assert_eq!(super::bucket(&"x".repeat(300)).len(), 8);
    }
}
