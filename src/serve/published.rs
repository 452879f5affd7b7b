//! What the preview serves: the last good site's pages, the files beside
//! its articles, the search index (made on a thread of its own) and the
//! problems of the current sources. The engine writes it, the HTTP side
//! reads it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use crate::assemble::Site;
use crate::content::Article;
use crate::manifest::Manifest;
use crate::render;
use crate::site::Config;

/// A page served from memory; `version` is the rebuild that last changed it.
#[derive(Clone)]
pub struct Served {
    pub bytes: Bytes,
    pub version: u64,
}

/// What the HTTP side reads: the last good site, and the problems of the
/// current sources if they are broken. Only the engine writes it.
#[derive(Default)]
pub struct Published {
    /// By URL: `/2023/08/x/`, `/feed.xml`.
    pub pages: HashMap<String, Served>,
    /// Every path the site publishes and its source, as a build would write it.
    pub manifest: Manifest,
    /// The search index's files, by URL; made on a thread of its own.
    pub search: HashMap<String, Bytes>,
    /// The diagnostics, as the command line shows them.
    pub errors: Option<String>,
}

impl Published {
    /// Lists what the site publishes now: `site`'s files, static/ as it is,
    /// and the pages and search files in memory.
    pub(super) fn list(&mut self, site: &Site, root: &Path) -> anyhow::Result<()> {
        let rendered = self.pages.keys().chain(self.search.keys()).map(String::as_str);
        self.manifest = Manifest::of(site, root, rendered)?;
        Ok(())
    }
}

/// What the preview adds to every page it serves, and only that.
const LIVE_SCRIPT: &[u8] = b"<script src=\"/__bantin/live.js\"></script>";

/// A page as the preview serves it: with `live_reload`, an HTML page gets
/// the live reload script before its last `</body>` (at its end when it has
/// none), whatever its templates say; a build's pages never have it, so a
/// page published by a build is served with the same bytes plus the script.
pub(super) fn served_bytes(url: &str, mut body: Vec<u8>, live_reload: bool) -> Bytes {
    if live_reload && (url.ends_with('/') || url.ends_with(".html")) {
        let end = body.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>"));
        let at = end.unwrap_or(body.len());
        body.splice(at..at, LIVE_SCRIPT.iter().copied());
    }
    Bytes::from(body)
}

/// Puts rendered pages in the served site, noting the URLs whose bytes
/// changed (only those make open pages reload).
pub(super) fn publish_changed(
    published: &mut Published,
    rendered: Vec<render::RenderedPage>,
    (version, live_reload): (u64, bool),
    changed: &mut Vec<String>,
) {
    for page in rendered {
        let bytes = served_bytes(&page.url, page.body, live_reload);
        if published.pages.get(&page.url).is_none_or(|old| old.bytes != bytes) {
            changed.push(page.url.clone());
            published.pages.insert(page.url, Served { bytes, version });
        }
    }
}

/// The search index job: what it was last made from, the last job sent
/// off (only its files are published), and the gate a rebuild closes to
/// have both cores while it runs.
#[derive(Default)]
pub(super) struct SearchJob {
    made_from: Option<(Arc<Config>, Vec<Arc<Article>>)>,
    latest: Arc<AtomicU64>,
    pub(super) gate: Arc<RwLock<()>>,
}

impl SearchJob {
    /// Made again from the next site, whatever it is.
    pub(super) fn forget(&mut self) {
        self.made_from = None;
    }

    /// The search index of `site` was taken as a build made it.
    pub(super) fn taken(&mut self, site: &Site) {
        self.made_from = Some((Arc::clone(&site.config), site.articles.clone()));
    }

    /// The search index was not made from the last good site's settings
    /// and articles (the very values: it is made from nothing else).
    pub(super) fn due(&self, site: &Site) -> bool {
        !self.made_from.as_ref().is_some_and(|(config, articles)| {
            Arc::ptr_eq(config, &site.config)
                && articles.len() == site.articles.len()
                && articles.iter().zip(&site.articles).all(|(a, b)| Arc::ptr_eq(a, b))
        })
    }

    /// Brings the search index up to date with the last good site, if it is
    /// not, on a thread of its own (it reads every article: seconds on a big
    /// site), from a copy of the site's shared handles; its files are
    /// published unless a newer job was sent off meanwhile. The serve loop calls it when no change is
    /// waiting; tests join the thread.
    pub(super) fn start(
        &mut self,
        site: &Site,
        published: &Arc<RwLock<Published>>,
    ) -> Option<std::thread::JoinHandle<()>> {
        if !self.due(site) {
            return None;
        }
        let site = site.clone();
        self.made_from = Some((Arc::clone(&site.config), site.articles.clone()));
        let job = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let (latest, published, gate) =
            (Arc::clone(&self.latest), Arc::clone(published), Arc::clone(&self.gate));
        std::thread::Builder::new()
            .name("bantin-search".into())
            .spawn(move || {
                // One core at most: the other is left to rebuilds.
                let one = rayon::ThreadPoolBuilder::new().num_threads(1).build();
                // Waits there while a rebuild holds the gate.
                let make = move || render::search::files(&site, &|| drop(gate.read()), None);
                let files = match one {
                    Ok(pool) => pool.install(make),
                    Err(_) => make(),
                };
                if latest.load(Ordering::SeqCst) == job {
                    let files: HashMap<String, Bytes> =
                        files.into_iter().map(|f| (f.url, Bytes::from(f.body))).collect();
                    let mut published = published.write().expect("the engine never panics holding the lock");
                    let Published { manifest, search, .. } = &mut *published;
                    manifest.rendered_instead(search.keys(), files.keys());
                    *search = files;
                }
            })
            .ok()
    }
}
