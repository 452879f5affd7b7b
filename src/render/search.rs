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
//! - `p/<bucket>.json`: `{folded word: [id, n, position × n, id, n, …]}`, the
//!   word's positions in each article (ids delta-encoded, positions
//!   delta-encoded within an article; the title's words from 0, the text's
//!   from [`TEXT_START`], then the organ's and indicators' names), fetched only for whole words, so that phrases and
//!   words close together rank first and frequent words count more;
//! - `d/<n>.json`: articles `n*64 ..` as `[title, url, date]`;
//! - `v/<id>.json`: an article's text, for the snippet around the words found;
//! - `meta.json`: the article count, chunk size, organ ids, each article's
//!   organ (a position in that list), the id range of each year, the start
//!   of the text in positions and the site's glossary, searched both ways.
//!
//! Article ids are positions in `Index::latest` (newest first), so a year is
//! a contiguous range and a lower id is a newer article.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;

use super::RenderedPage;
use crate::html::text_of;
use crate::site::catalog::Indicator;
use crate::site::Site;
use crate::vietnamese::{normalize::modern_tone, slugify};

/// Articles per metadata chunk: small, so showing 10 results loads little.
const CHUNK: usize = 64;
/// The position of an article's first word of text: the title's words come
/// before it, so a position tells the title from the text and no phrase runs
/// from one into the other. A title's words past the 255th are not indexed.
pub const TEXT_START: u32 = 256;

/// Title and text postings of one folded word: exact form → article ids.
#[derive(Default, Serialize)]
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
    text_start: u32,
    /// The site's abbreviations and what they stand for.
    glossary: &'a [(String, String)],
}

/// The words of a text as written.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty())
}

/// `char::is_alphanumeric`, answered at once for ASCII and the Latin letters
/// Vietnamese is written with (the general lookup is slow, and most
/// characters of the text ask it).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || !c.is_ascii()
            && (matches!(c, '\u{C0}'..='\u{24F}' | '\u{1EA0}'..='\u{1EF9}') && !matches!(c, '×' | '÷')
                || c.is_alphanumeric())
}

/// A word's (folded, exact) forms.
fn forms(word: &str) -> (String, String) {
    let exact = modern_tone(&crate::vietnamese::nfc(&word.to_lowercase())).into_owned();
    (slugify(word), exact)
}

/// The names an indicator is searched by. Indicator aliases, once the
/// catalogue has them, are added here.
fn indicator_names(indicator: &Indicator) -> impl Iterator<Item = &str> {
    std::iter::once(indicator.label.as_str())
}

/// Articles whose words one task gathers: each task folds a distinct word
/// once and keeps its own postings, merged in article order afterwards.
const TASK: usize = 256;

/// The postings of one task's articles. Words are numbered as first met, so
/// an article's words are sorted and deduplicated as numbers.
#[derive(Default)]
struct Gathered {
    /// A word as written → the number of its (folded, exact) forms.
    number_of: HashMap<String, u32>,
    /// By number.
    words: Vec<Word>,
    numbered: HashMap<(String, String), u32>,
}

/// A word's (folded, exact) forms, the ids of the articles with it in the
/// title and in the text, and its positions in each article.
struct Word {
    forms: (String, String),
    title: Vec<u32>,
    text: Vec<u32>,
    positions: Vec<(u32, Vec<u32>)>,
}

impl Gathered {
    fn number(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.number_of.get(word) {
            return n;
        }
        let pair = forms(word);
        let next = self.words.len() as u32;
        let n = *self.numbered.entry(pair.clone()).or_insert(next);
        if n == next {
            self.words.push(Word { forms: pair, title: Vec::new(), text: Vec::new(), positions: Vec::new() });
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
        // reported, so a search for them finds the meetings; placed after
        // the text, a word apart, so that no phrase runs from one to the next.
        let names = std::iter::once(&organ.name)
            .chain(&organ.aliases)
            .map(String::as_str)
            .chain(article.readings.iter().flat_map(|r| indicator_names(&catalog.indicators[r.indicator])));
        let mut found: Vec<(u32, u32)> = Vec::new();
        for (word, position) in words(&article.title).zip(0..TEXT_START - 1) {
            found.push((self.number(word), position));
        }
        let mut position = TEXT_START;
        for part in std::iter::once(text.as_str()).chain(names) {
            for word in words(part) {
                found.push((self.number(word), position));
                position += 1;
            }
            position += 1;
        }
        found.sort_unstable();
        for same in found.chunk_by(|a, b| a.0 == b.0) {
            let word = &mut self.words[same[0].0 as usize];
            if same[0].1 < TEXT_START {
                word.title.push(id);
            }
            if same[same.len() - 1].1 >= TEXT_START {
                word.text.push(id);
            }
            word.positions.push((id, same.iter().map(|&(_, p)| p).collect()));
        }
    }

    fn into_postings(self) -> BTreeMap<String, Entry> {
        let mut index: BTreeMap<String, Entry> = BTreeMap::new();
        for Word { forms: (folded, exact), title, text, positions } in self.words {
            let entry = index.entry(folded).or_default();
            for (ids, lists) in [(title, &mut entry.postings.t), (text, &mut entry.postings.b)] {
                if !ids.is_empty() {
                    lists.insert(exact.clone(), ids);
                }
            }
            for (id, placed) in positions {
                entry.positions.entry(id).or_default().extend(placed);
            }
        }
        index
    }
}

/// Everything the index holds of one folded word.
#[derive(Default)]
struct Entry {
    postings: Postings,
    /// Article id → positions (of all its exact forms).
    positions: BTreeMap<u32, Vec<u32>>,
}

/// The postings and the encoded positions of one bucket's words.
type Bucket<'a> = (BTreeMap<&'a str, Postings>, BTreeMap<&'a str, Vec<u32>>);

/// Every file of the search index.
pub fn files(site: &Site) -> Vec<RenderedPage> {
    let order = &site.index.latest;
    let parts: Vec<BTreeMap<String, Entry>> = order
        .par_chunks(TASK)
        .enumerate()
        .map(|(task, articles)| {
            let mut gathered = Gathered::default();
            for (k, &a) in articles.iter().enumerate() {
                gathered.add((task * TASK + k) as u32, site, a);
            }
            gathered.into_postings()
        })
        .collect();
    // Tasks are in article order, so each list of ids stays ascending.
    let mut index: BTreeMap<String, Entry> = BTreeMap::new();
    for part in parts {
        for (folded, entry) in part {
            let into = index.entry(folded).or_default();
            for (from, to) in
                [(entry.postings.t, &mut into.postings.t), (entry.postings.b, &mut into.postings.b)]
            {
                for (exact, ids) in from {
                    to.entry(exact).or_default().extend(ids);
                }
            }
            into.positions.extend(entry.positions);
        }
    }
    let mut files = Vec::with_capacity(index.len() + order.len() * 65 / CHUNK + 3);
    let vocabulary: Vec<&String> = index.keys().collect();
    files.push(json("/tim-kiem/chi-muc/tu.json", &vocabulary));
    let mut buckets: BTreeMap<String, Bucket> = BTreeMap::new();
    for (word, entry) in &mut index {
        let (postings, positions) = buckets.entry(bucket(word)).or_default();
        postings.insert(word, delta_encoded(&entry.postings));
        positions.insert(word, positions_encoded(&mut entry.positions));
    }
    for (name, (postings, positions)) in &buckets {
        files.push(json(&format!("/tim-kiem/chi-muc/t/{name}.json"), postings));
        files.push(json(&format!("/tim-kiem/chi-muc/p/{name}.json"), positions));
    }
    let texts: Vec<RenderedPage> = order
        .par_iter()
        .enumerate()
        .map(|(id, &a)| {
            let text = text_of(&site.articles[a].content);
            json(
                &format!("/tim-kiem/chi-muc/v/{id}.json"),
                &text.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    files.extend(texts);
    for (n, chunk) in order.chunks(CHUNK).enumerate() {
        let docs: Vec<[String; 3]> = chunk
            .iter()
            .map(|&a| {
                let article = &site.articles[a];
                [article.title.clone(), article.url.clone(), article.date.to_string()]
            })
            .collect();
        files.push(json(&format!("/tim-kiem/chi-muc/d/{n}.json"), &docs));
    }
    files.push(json("/tim-kiem/chi-muc/meta.json", &meta(site)));
    files
}

/// The file of a folded word's postings: FNV-1a (32 bits) of its bytes, in
/// hex. templates/search.js computes the same (`bucket`).
pub fn bucket(folded: &str) -> String {
    let hash =
        folded.bytes().fold(0x811c_9dc5_u32, |hash, b| (hash ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

fn delta_encoded(postings: &Postings) -> Postings {
    let encode = |lists: &BTreeMap<String, Vec<u32>>| {
        lists
            .iter()
            .map(|(form, ids)| {
                let mut previous = 0;
                let deltas = ids
                    .iter()
                    .map(|&id| {
                        let delta = id - previous;
                        previous = id;
                        delta
                    })
                    .collect();
                (form.clone(), deltas)
            })
            .collect()
    };
    Postings { t: encode(&postings.t), b: encode(&postings.b) }
}

/// `[id, n, position × n, …]`, ids and positions delta-encoded.
fn positions_encoded(positions: &mut BTreeMap<u32, Vec<u32>>) -> Vec<u32> {
    let mut flat = Vec::new();
    let mut previous_id = 0;
    for (&id, placed) in positions.iter_mut() {
        placed.sort_unstable();
        flat.extend([id - previous_id, placed.len() as u32]);
        previous_id = id;
        let mut previous = 0;
        for &p in placed.iter() {
            flat.push(p - previous);
            previous = p;
        }
    }
    flat
}

fn meta(site: &Site) -> Meta<'_> {
    let organs = &site.config.catalog.organs;
    let organ_of = site.index.latest.iter().map(|&a| site.articles[a].organ).collect();
    let mut years: BTreeMap<i32, [usize; 2]> = BTreeMap::new();
    for (id, &a) in site.index.latest.iter().enumerate() {
        let range = years.entry(site.articles[a].date.year()).or_insert([id, id]);
        range[1] = id;
    }
    Meta {
        count: site.index.latest.len(),
        chunk: CHUNK,
        organs: organs.iter().map(|o| o.id.as_str()).collect(),
        organ_of,
        years,
        text_start: TEXT_START,
        glossary: &site.config.glossary,
    }
}

fn json(url: &str, value: &impl Serialize) -> RenderedPage {
    RenderedPage { url: url.to_string(), html: serde_json::to_string(value).expect("index serializes") }
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
