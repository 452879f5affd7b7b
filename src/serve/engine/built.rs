//! The preview's first site taken from the last build into the default
//! output folder (`pipeline::last_build`): a page whose fingerprint that
//! build kept still holds is served with the bytes it published, read back
//! from the output, instead of being rendered again. At 10,000 articles
//! that is most of the preview's start.

use std::collections::HashSet;
use std::path::PathBuf;

use axum::body::Bytes;
use rayon::prelude::*;

use super::{Engine, Print};
use crate::assemble::Site;
use crate::cache::Kept;
use crate::digest::content_hash;
use crate::output::{page_file, safe_join};
use crate::pipeline;
use crate::render::Page;
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
                let bytes = std::fs::read(safe_join(&output, &page_file(&page.url))?).ok()?;
                (content_hash(&bytes) == *hash).then(|| {
                    let print = Print { digest: *fingerprint, read };
                    (page.url.clone(), print, served_bytes(&page.url, bytes, live_reload))
                })
            })
            .collect();
        let mut published = self.published.write().expect("the engine never panics holding the lock");
        for (url, print, bytes) in taken {
            published.pages.insert(url.clone(), Served { bytes, version: self.generation });
            self.fingerprints.insert(url, print);
        }
        Some(replaced)
    }
}
