//! The preview's incremental build: a batch of changed paths applied to the
//! sources (`sources`), the site assembled again from them (or the last
//! index and figures shared, when every article is placed as it was), and a
//! page rendered again only when its fingerprint (`Renderer::fingerprint`: a
//! digest of the context it would be rendered from) changed; a page is
//! fingerprinted again only when its context read an article that changed
//! (`render::reads`) or the site was assembled anew. Edits that leave the
//! articles where they were have their own pages rendered first
//! (`in_place`). What is rendered goes to the published snapshot
//! (`published`). A failed rebuild changes nothing that is served; its
//! diagnostics are kept to be shown until it is fixed.

mod built;
mod in_place;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use super::published::{publish_changed, Published, SearchJob};
use super::sources::{Area, Sources, State};
use crate::assemble::Site;
use crate::cache::Kept;
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::messages::Messages;
use crate::pipeline;
use crate::render::{self, Memo, RenderedPage, Renderer};
use in_place::InPlace;

/// How the site is served.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site's folder, absolute.
    pub root: PathBuf,
    pub drafts: bool,
    /// Add the live reload script to pages (`published::served_bytes`; off to compare with `build`).
    pub live_reload: bool,
    /// The catalogue the browser overlay is worded from.
    pub messages: Arc<Messages>,
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Pages rendered (whether or not their bytes changed).
    pub rendered: usize,
    /// URLs whose bytes changed, appeared or went away.
    pub changed: Vec<String>,
    /// Stylesheets under static/ that changed (site paths).
    pub styles: Vec<String>,
    /// Another file under static/ or beside an article changed.
    pub reload_all: bool,
    /// The sources are broken; the last good site is still served.
    pub errors: Option<Diagnostics>,
    /// Warnings of the new site, when they differ from the last ones.
    pub warnings: Option<Diagnostics>,
    /// The site was assembled again (not only a static file changed).
    pub rebuilt: bool,
    /// How long each step of the rebuild took, for the latency report.
    pub phases: Vec<(&'static str, std::time::Duration)>,
}

/// Times the steps of a rebuild.
struct Laps {
    last: std::time::Instant,
    phases: Vec<(&'static str, std::time::Duration)>,
}

impl Laps {
    fn start() -> Laps {
        Laps { last: std::time::Instant::now(), phases: Vec::new() }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.phases.push((name, now - self.last));
        self.last = now;
    }
}

/// A page's fingerprint and the articles its context read.
struct Print {
    digest: u64,
    read: Vec<usize>,
}

/// The incremental build. One owned value; the serve loop drives it.
pub struct Engine {
    settings: Settings,
    sources: Sources,
    /// The last assembled site, and the entry of each of its articles.
    site: Option<(Site, Vec<usize>)>,
    /// By URL: the fingerprint of the page as published.
    fingerprints: HashMap<String, Print>,
    /// The pages of the last good site (shared: a rebuild that stops
    /// half-way leaves it as it was).
    pages: Arc<Vec<render::Page>>,
    /// What the articles show of themselves (digests, cards), kept from one rebuild to the next.
    memo: Memo,
    search: SearchJob,
    warnings: Option<Vec<Diagnostic>>,
    generation: u64,
    /// The last rebuild failed: its problems are shown.
    failing: bool,
    published: Arc<RwLock<Published>>,
}

impl Engine {
    /// Reads and renders the whole site, taking what the last build made
    /// where it holds (`built`).
    pub fn start(settings: Settings, now: DateTime<FixedOffset>) -> anyhow::Result<(Engine, Outcome)> {
        let sources = Sources::new(settings.root.clone(), settings.drafts);
        let mut engine = Engine {
            settings,
            sources,
            site: None,
            fingerprints: HashMap::new(),
            pages: Arc::default(),
            memo: Memo::default(),
            search: SearchJob::default(),
            warnings: None,
            generation: 0,
            failing: false,
            published: Arc::default(),
        };
        engine.sources.reload_config(true)?;
        let (root, drafts) = (&engine.settings.root, engine.settings.drafts);
        let built = engine.sources.as_built.then(|| pipeline::last_build(root, drafts)).flatten();
        let outcome = engine.rebuild(now, &mut |_| {}, built, false)?;
        Ok((engine, outcome))
    }

    /// What the HTTP side serves.
    pub fn published(&self) -> Arc<RwLock<Published>> {
        Arc::clone(&self.published)
    }

    pub fn root(&self) -> &Path {
        &self.settings.root
    }

    /// Articles and pages of the last good site.
    pub fn size(&self) -> (usize, usize) {
        let articles = self.site.as_ref().map_or(0, |(site, _)| site.articles.len());
        (articles, self.fingerprints.len())
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Shows a problem that is not a diagnostic (an I/O error) over every page.
    pub fn show_problem(&self, text: &str) {
        self.published.write().expect("the engine never panics holding the lock").errors =
            Some(text.to_string());
    }

    /// Rebuilds from the sources as they are, for the scheduled articles
    /// whose time has come.
    pub fn publish_scheduled(
        &mut self,
        now: DateTime<FixedOffset>,
        early: &mut dyn FnMut(&[String]),
    ) -> anyhow::Result<Outcome> {
        let gate = Arc::clone(&self.search.gate);
        let _held = gate.write().unwrap_or_else(PoisonError::into_inner);
        self.sources.touched.clear();
        self.rebuild(now, early, None, false)
    }

    /// Applies a batch of changed paths (files or folders, created, changed,
    /// moved or deleted) and renders what they changed, publishing the
    /// changed articles' own pages first: `early` gets their URLs as soon as
    /// they are served, before the other pages (listings, indicator pages)
    /// are rendered.
    pub fn refresh(
        &mut self,
        paths: &[PathBuf],
        now: DateTime<FixedOffset>,
        early: &mut dyn FnMut(&[String]),
    ) -> anyhow::Result<Outcome> {
        let mut laps = Laps::start();
        // The search index job waits meanwhile: both cores for this.
        let gate = Arc::clone(&self.search.gate);
        let _held = gate.write().unwrap_or_else(PoisonError::into_inner);
        self.sources.touched.clear();
        let mut outcome = Outcome::default();
        let (mut config, mut templates, mut content) = (false, false, Vec::new());
        for path in paths {
            match self.sources.area(path) {
                Area::Config => config = true,
                Area::Templates => templates = true,
                Area::Static(site_path) if site_path.ends_with(".css") => outcome.styles.push(site_path),
                Area::Static(_) => outcome.reload_all = true,
                Area::Content => content.push(path.clone()),
                Area::Elsewhere => {}
            }
        }
        if !(config || templates || !content.is_empty()) {
            // Only static/ changed: served from disk as it is, from the files there now.
            self.list_again()?;
            return Ok(outcome);
        }
        let mut placed = false;
        if !(config || templates) {
            match self.edits_in_place(&content, now, early)? {
                InPlace::No => {}
                InPlace::Bodies(quick) => {
                    laps.lap("body edits");
                    return Ok(Outcome {
                        styles: outcome.styles,
                        reload_all: outcome.reload_all,
                        phases: laps.phases,
                        ..quick
                    });
                }
                InPlace::Placed => {
                    laps.lap("edited pages");
                    placed = true;
                }
            }
        }
        if config {
            self.sources.reload_config(false)?;
        } else {
            if templates {
                self.sources.reload_templates();
            }
            // Edits in place are already in the sources.
            if !placed && !content.is_empty() && self.sources.config.is_some() {
                outcome.reload_all |= self.sources.refresh_content(&content)?;
            }
        }
        laps.lap("read");
        let mut rebuilt = self.rebuild(now, early, None, placed)?;
        if !outcome.styles.is_empty() || outcome.reload_all {
            // static/ or a file beside an article changed too: the rebuild may not have listed them.
            self.list_again()?;
        }
        laps.phases.append(&mut rebuilt.phases);
        Ok(Outcome { styles: outcome.styles, reload_all: outcome.reload_all, phases: laps.phases, ..rebuilt })
    }

    /// Lists again what the last good site publishes (`Published::list`),
    /// with static/ as it is now.
    fn list_again(&self) -> anyhow::Result<()> {
        if let (Some((site, _)), false) = (&self.site, self.failing) {
            let mut published = self.published.write().expect("the engine never panics holding the lock");
            published.list(site, &self.settings.root)?;
        }
        Ok(())
    }

    /// After a panic in the middle of a rebuild, whatever was half done:
    /// everything but what is served is dropped, so that the next refresh
    /// reads the whole site again and renders every page.
    pub fn forget_all(&mut self) {
        // What is served was written whole or not at all: it can be read on.
        self.published.clear_poison();
        self.site = None;
        self.sources = Sources::new(self.settings.root.clone(), self.settings.drafts);
        self.forget_pages();
        self.failing = true;
    }

    /// Settings or templates changed: every page and the search index are made again.
    fn forget_pages(&mut self) {
        self.fingerprints.clear();
        // Its cards were rendered with the last templates.
        self.memo = Memo::default();
        self.search.forget();
    }

    /// Assembles the site from the entries and renders the pages whose
    /// fingerprint changed (or, the first time, that the last build did not
    /// publish as they are: `built`); publishes them, or the problems.
    /// `in_place`: the entries read again since the last rebuild were
    /// edited in place (`edits_in_place`).
    fn rebuild(
        &mut self,
        now: DateTime<FixedOffset>,
        early: &mut dyn FnMut(&[String]),
        built: Option<(Kept, PathBuf)>,
        in_place: bool,
    ) -> anyhow::Result<Outcome> {
        let mut laps = Laps::start();
        if std::mem::take(&mut self.sources.stale) {
            self.forget_pages();
        }
        let mut positions = Vec::new();
        let mut articles = Vec::new();
        for (e, entry) in self.sources.files.iter().enumerate() {
            if let State::Good { article, .. } = &entry.state {
                if article.is_published(self.settings.drafts, now) {
                    articles.push(Arc::clone(article));
                    positions.push(e);
                }
            }
        }
        laps.lap("gather");
        // Edits in place leave every entry good and every article where it
        // was: with the same ones published as by the last good rebuild, no
        // problem can have come (the check is 3 ms at 10,000 articles).
        let same_published =
            in_place && !self.failing && self.site.as_ref().is_some_and(|(_, last)| *last == positions);
        let errors = match &self.sources.config_errors {
            Some(errors) => Some(errors.clone()),
            None if same_published => None,
            None => self.sources.content_errors(now),
        };
        laps.lap("check");
        if let Some(errors) = errors.or_else(|| self.sources.template_errors.clone()) {
            return Ok(self.fail(errors));
        }
        // A broken invariant is a bug for whoever fixes bantin, not a message for the user.
        let config = self.sources.config.clone().expect("no problems: site.yaml was read");
        let site = match &self.site {
            Some((last, _)) => last.reassemble(config, articles),
            None => Site::assemble(config, articles),
        };
        // The last good site's indexes: the same pages are planned (its plan is kept).
        let same_plan = !self.failing
            && self.site.as_ref().is_some_and(|(last, _)| Arc::ptr_eq(&last.index, &site.index));
        laps.lap("assemble");
        let pages = if same_plan { Arc::clone(&self.pages) } else { Arc::new(render::plan(&site)) };
        let taken = built.and_then(|built| self.take_built(&site, &positions, &pages, built));
        laps.lap("plan");
        self.memo.keep(&site);
        let templates = self.sources.templates.as_ref().expect("no problems: the templates were read");
        let renderer = Renderer::new(&site, templates).remembering(&self.memo);
        // With the indexes and figures of the last site (placements alike), a
        // page reads the same articles as then, and shows the same unless one
        // of them was replaced; so too with the last build's (`taken`).
        let replaced: Option<HashSet<usize>> = taken.or_else(|| {
            self.site.as_ref().and_then(|(last, _)| {
                Arc::ptr_eq(&last.index, &site.index).then(|| {
                    let pairs = site.articles.iter().zip(&last.articles).enumerate();
                    pairs.filter(|(_, (new, old))| !Arc::ptr_eq(new, old)).map(|(i, _)| i).collect()
                })
            })
        });
        // The changed articles' own pages first: the writer is looking at one.
        let touched: HashSet<&Path> = self.sources.touched.iter().map(PathBuf::as_path).collect();
        let (first, rest): (Vec<&render::Page>, Vec<&render::Page>) = pages.iter().partition(|page| {
            matches!(page.kind, render::PageKind::Article(i) if touched.contains(self.sources.files[positions[i]].path.as_path()))
        });
        self.generation += 1;
        let served_before =
            self.published.read().expect("the engine never panics holding the lock").pages.len();
        let mut outcome = Outcome { rebuilt: true, ..Outcome::default() };
        // The prints made again, kept if the rebuild succeeds.
        let mut prints_made = Vec::new();
        let then_more = !first.is_empty() && !rest.is_empty();
        for (n, group) in [first, rest].into_iter().enumerate() {
            let last = &self.fingerprints;
            let unread = |print: &Print| {
                replaced.as_ref().is_some_and(|replaced| !print.read.iter().any(|a| replaced.contains(a)))
            };
            // The pages that read a replaced article (all, with a new
            // index), each fingerprinted and rendered at once when its print
            // changed, one page at a time per core (a few weigh most).
            let stale: Vec<(&render::Page, Option<&Print>)> = (group.iter())
                .filter_map(|page| match last.get(&page.url) {
                    Some(print) if unread(print) => None,
                    old => Some((*page, old)),
                })
                .collect();
            let made: Vec<(Print, Option<Result<RenderedPage, Diagnostic>>)> =
                (stale.par_iter().with_max_len(1))
                    .map(|(page, old)| {
                        let (digest, read) = render::reads::noting(|| renderer.fingerprint(page));
                        let due = old.is_none_or(|print| print.digest != digest);
                        (Print { digest, read }, due.then(|| renderer.render(page)))
                    })
                    .collect();
            let mut results = Vec::new();
            for ((page, _), (print, rendered)) in stale.iter().zip(made) {
                prints_made.push((page.url.clone(), print));
                results.extend(rendered);
            }
            if results.is_empty() {
                continue;
            }
            let rendered = match render::collect(results) {
                Ok(rendered) => rendered,
                Err(errors) => {
                    drop(renderer);
                    self.site = Some((site, positions));
                    return Ok(self.fail(errors));
                }
            };
            outcome.rendered += rendered.len();
            let mut published = self.published.write().expect("the engine never panics holding the lock");
            publish_changed(
                &mut published,
                rendered,
                (self.generation, self.settings.live_reload),
                &mut outcome.changed,
            );
            drop(published);
            if n == 0 && then_more && !outcome.changed.is_empty() {
                early(&outcome.changed);
            }
            laps.lap(if n == 0 { "edited render" } else { "render" });
        }
        drop(renderer);
        {
            let mut published = self.published.write().expect("the engine never panics holding the lock");
            if !same_plan {
                let planned: HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
                published.pages.retain(|url, _| {
                    let keep = planned.contains(url.as_str());
                    if !keep {
                        outcome.changed.push(url.clone());
                    }
                    keep
                });
                self.fingerprints.retain(|url, _| planned.contains(url.as_str()));
            }
            // The same pages, and articles publishing the same files: the
            // list holds (20 ms at 10,000 articles, a tenth of a title edit).
            let same_pages = outcome.changed.iter().all(|url| published.pages.contains_key(url))
                && published.pages.len() == served_before;
            let same_files = self.site.as_ref().is_some_and(|(last, _)| publishes_the_same(last, &site));
            if self.failing || !same_pages || !same_files {
                published.list(&site, &self.settings.root)?;
            }
            published.errors = None;
        }
        self.failing = false;
        self.fingerprints.extend(prints_made);
        self.pages = pages;
        if self.warnings.as_ref() != Some(&site.warnings.0) {
            self.warnings = Some(site.warnings.0.clone());
            outcome.warnings = Some(site.warnings.clone());
        }
        self.site = Some((site, positions));
        laps.lap("publish");
        outcome.phases = laps.phases;
        Ok(outcome)
    }

    fn fail(&mut self, errors: Diagnostics) -> Outcome {
        self.failing = true;
        let mut published = self.published.write().expect("the engine never panics holding the lock");
        published.errors =
            Some(super::overlay(&self.settings.messages, &errors.render(&self.settings.messages)));
        Outcome { errors: Some(errors), rebuilt: true, ..Outcome::default() }
    }

    /// When the next scheduled article (a `published` time still to come)
    /// is due; None when there is none, or drafts are shown anyway.
    pub fn next_scheduled(&self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        self.sources.next_scheduled(now)
    }

    /// The search index was not made from the last good site.
    pub fn search_due(&self) -> bool {
        self.site.as_ref().is_some_and(|(site, _)| self.search.due(site))
    }

    /// Makes the search index of the last good site on a thread of its own,
    /// if it is due; the serve loop calls it when no change is waiting,
    /// tests join the thread.
    pub fn refresh_search(&mut self) -> Option<std::thread::JoinHandle<()>> {
        let (site, _) = self.site.as_ref()?;
        self.search.start(site, &self.published)
    }
}

/// Whether two sites publish the same files beside their pages: what
/// `Published::list` lists but the pages.
fn publishes_the_same(last: &Site, site: &Site) -> bool {
    let same = |(a, b): (&Arc<Article>, &Arc<Article>)| {
        Arc::ptr_eq(a, b) || (a.url == b.url && a.assets == b.assets)
    };
    Arc::ptr_eq(&last.config, &site.config)
        && last.articles.len() == site.articles.len()
        && last.articles.iter().zip(&site.articles).all(same)
}
