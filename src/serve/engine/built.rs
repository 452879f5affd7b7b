//! The preview's first site taken from the last build into the default
//! output folder (`pipeline::last_build`): a page whose fingerprint that
//! build kept still holds is served with the bytes it published, read back
//! from the output, instead of being rendered again; and with no article
//! changed since, its search index too. At 10,000 articles that is most of
//! the preview's start.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use rayon::prelude::*;

use super::{Engine, Print};
use crate::assemble::Site;
use crate::cache::Kept;
use crate::digest::content_hash;
use crate::output::{self, page_file, safe_join};
use crate::pipeline;
use crate::render::{search, Page};
use crate::serve::published::{served_bytes, Served};

impl Engine {
    /// Takes the pages the last build published as `site`'s, when that
    /// build placed its articles as `site` does (`pipeline::placed_digest`):
    /// each page whose file in the output still has the bytes published,
    /// with its fingerprint. The positions of the articles that changed
    /// since, for the rebuild to fingerprint again the pages that read them
    /// (as after an edit); None when the build's site is another.
    pub(super) fn take_built(
        &mut self,
        site: &Site,
        positions: &[usize],
        pages: &[Page],
        (kept, output): (Kept, PathBuf),
    ) -> Option<HashSet<usize>> {
        let placed = pipeline::placed_digest(&site.config, &site.articles);
        if kept.placed != Some(placed) || kept.articles_read.len() != site.articles.len() {
            return None;
        }
        let files = &self.sources.files;
        let digests =
            site.articles.iter().zip(positions).map(|(a, &e)| pipeline::article_digest(files[e].key, a));
        let replaced: HashSet<usize> = digests
            .zip(&kept.articles_read)
            .enumerate()
            .filter(|(_, (now, was))| now != *was)
            .map(|(i, _)| i)
            .collect();
        let live_reload = self.settings.live_reload;
        let taken: Vec<(String, Print, Bytes)> = pages
            .par_iter()
            .filter_map(|page| {
                let (fingerprint, hash, read) = kept.pages_made.get(&page.url)?;
                let read = read.iter().map(|&a| a as usize).collect();
                let bytes = intact(&safe_join(&output, &page_file(&page.url))?, *hash)?;
                let print = Print { digest: *fingerprint, read };
                Some((page.url.clone(), print, served_bytes(&page.url, bytes, live_reload)))
            })
            .collect();
        // With no article changed, the build's search index is this site's.
        let search = replaced.is_empty().then(|| search_files(&output)).flatten();
        let mut published = self.published.write().expect("the engine never panics holding the lock");
        for (url, print, bytes) in taken {
            published.pages.insert(url.clone(), Served { bytes, version: self.generation });
            self.fingerprints.insert(url, print);
        }
        if let Some(search) = search {
            published.search = search;
            self.search.taken(site);
        }
        Some(replaced)
    }
}

/// The search index's files the build left in `output`, by URL, if every
/// one its list names still has the bytes written; None otherwise.
fn search_files(output: &Path) -> Option<HashMap<String, Bytes>> {
    let named: Vec<(String, PathBuf, u64)> = (output::listed(output).into_iter())
        .filter_map(|(file, hash)| {
            let url = format!("/{file}");
            let index = url.starts_with(search::FOLDER) && output::compressed_of(&url).is_none();
            index.then(|| Some((url, output::safe_join(output, &file)?, hash))).flatten()
        })
        .collect();
    let files: Option<HashMap<String, Bytes>> = (named.par_iter())
        .map(|(url, path, hash)| Some((url.clone(), Bytes::from(intact(path, *hash)?))))
        .collect();
    files.filter(|files| !files.is_empty())
}

/// The bytes of a file the build wrote, if they are still those it wrote (`hash`).
fn intact(path: &Path, hash: u64) -> Option<Vec<u8>> {
    std::fs::read(path).ok().filter(|bytes| content_hash(bytes) == hash)
}
