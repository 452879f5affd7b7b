//! The preview server's site in memory, rebuilt incrementally: each content
//! file's parse and resolve is cached by path and redone only when the file
//! (or a file it references) changed; the site is reassembled from the cache
//! (indexes are cheap), and a page is rendered again only when its
//! fingerprint (`deps`) changed. A failed rebuild changes nothing that is
//! served; its diagnostics are kept to be shown until it is fixed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use tera::Tera;

use super::deps::{article_hash, ArticleHash, Inputs};
use crate::content::source::lexical;
use crate::content::{self, markdown::Markdown, Article};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::messages::Messages;
use crate::pipeline::{self, BuildOptions, ParsedFile};
use crate::render::{self, templates, Renderer};
use crate::site::{Config, Site};

/// How the site is served.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site's folder, absolute.
    pub root: PathBuf,
    pub drafts: bool,
    /// Add the live reload script to pages (off to compare with `build`).
    pub live_reload: bool,
    /// The catalogue the browser overlay is worded from.
    pub messages: Arc<Messages>,
}

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
    /// Files beside articles, by the URL they are published at.
    pub assets: HashMap<String, PathBuf>,
    /// The search index's files, by URL; made on a thread of its own.
    pub search: HashMap<String, Bytes>,
    /// The diagnostics, as the command line shows them.
    pub errors: Option<String>,
}

/// A content file of the last good site read again.
struct Edit {
    entry: usize,
    /// In `Site::articles`.
    position: usize,
    article: Box<Article>,
    hash: ArticleHash,
    old: ArticleHash,
    text: String,
}

/// The published article of the last good site at `path`, read and resolved
/// again; None when the path is no such article or is no longer one.
fn edited_article(
    files: &[Entry],
    site: &Site,
    positions: &[usize],
    settings: &Settings,
    markdown: &Markdown,
    path: &Path,
    now: DateTime<FixedOffset>,
) -> Option<Edit> {
    let root = &settings.root;
    let e = files.binary_search_by(|entry| entry.path.as_path().cmp(path)).ok()?;
    let (State::Good { article: None, hash: old }, Ok(position)) =
        (&files[e].state, positions.binary_search(&e))
    else {
        return None;
    };
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let parsed = pipeline::parse_file(root, path).ok()?.ok()?;
    let text = parsed.file.text.clone();
    let mut article = pipeline::resolve_file(root, path, parsed, &site.config, markdown).ok()?;
    let hash = article_hash(&mut article);
    article.is_published(settings.drafts, now).then(|| Edit {
        entry: e,
        position,
        article: Box::new(article),
        hash,
        old: *old,
        text,
    })
}

/// Puts rendered pages in the served site, noting the URLs whose bytes
/// changed (only those make open pages reload).
fn publish_changed(
    published: &mut Published,
    rendered: Vec<render::RenderedPage>,
    version: u64,
    changed: &mut Vec<String>,
) {
    for page in rendered {
        let bytes = Bytes::from(page.body);
        if published.pages.get(&page.url).is_none_or(|old| old.bytes != bytes) {
            changed.push(page.url.clone());
            published.pages.insert(page.url, Served { bytes, version });
        }
    }
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

/// One file under content/ and what it resolved to.
struct Entry {
    path: PathBuf,
    /// The text (NFC), to find the articles that reference a file by name.
    text: String,
    /// The organ as written, for sites whose organs come from the articles.
    organ: Option<String>,
    state: State,
}

enum State {
    /// `article` is None while it is lent to the assembled site.
    Good {
        article: Option<Box<Article>>,
        hash: ArticleHash,
    },
    Broken(Vec<Diagnostic>),
    /// Deleted while it was being read; removed after the batch.
    Gone,
}

/// The incremental build. One owned value; the serve loop drives it.
pub struct Engine {
    settings: Settings,
    /// None while lent to the site, or when site.yaml is broken.
    config: Option<Config>,
    config_errors: Option<Diagnostics>,
    markdown: Markdown,
    tera: Option<Tera>,
    template_errors: Option<Diagnostics>,
    /// Sorted by path: the order of a full build.
    files: Vec<Entry>,
    /// The last assembled site, and the entry of each of its articles.
    site: Option<(Site, Vec<usize>)>,
    /// By URL: the fingerprint of the page as published.
    fingerprints: HashMap<String, u64>,
    /// The digest of the articles the search index was made from, and of the last good site.
    search_digest: Option<u64>,
    pending_search: Option<u64>,
    /// The last search index job sent off; only its files are published.
    search_job: Arc<AtomicU64>,
    warnings: Option<Vec<Diagnostic>>,
    generation: u64,
    /// The last rebuild failed: its problems are shown.
    failing: bool,
    /// The content files read again by this refresh: their pages go first.
    touched: Vec<PathBuf>,
    published: Arc<RwLock<Published>>,
}

/// Where a changed path lies.
enum Area {
    Config,
    Templates,
    Static(String),
    Content,
    Elsewhere,
}

impl Engine {
    /// Reads and renders the whole site.
    pub fn start(settings: Settings, now: DateTime<FixedOffset>) -> anyhow::Result<(Engine, Outcome)> {
        let mut engine = Engine {
            settings,
            config: None,
            config_errors: None,
            markdown: Markdown::new(Vec::new(), ""),
            tera: None,
            template_errors: None,
            files: Vec::new(),
            site: None,
            fingerprints: HashMap::new(),
            search_digest: None,
            pending_search: None,
            search_job: Arc::default(),
            warnings: None,
            generation: 0,
            failing: false,
            touched: Vec::new(),
            published: Arc::default(),
        };
        engine.reload_config(now)?;
        let outcome = engine.rebuild(now, &mut |_| {})?;
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

    fn options(&self, now: DateTime<FixedOffset>) -> BuildOptions {
        BuildOptions {
            root: self.settings.root.clone(),
            output: PathBuf::from("public"),
            drafts: self.settings.drafts,
            base_url: None,
            now,
        }
    }

    fn area(&self, path: &Path) -> Area {
        let Ok(relative) = path.strip_prefix(&self.settings.root) else {
            return Area::Elsewhere;
        };
        let mut parts = relative.components();
        match parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned()).as_deref() {
            Some("site.yaml") if parts.next().is_none() => Area::Config,
            Some("templates") => Area::Templates,
            Some("static") => {
                Area::Static(format!("/{}", parts.as_path().to_string_lossy().replace('\\', "/")))
            }
            Some("content") => Area::Content,
            _ => Area::Elsewhere,
        }
    }

    /// When the next scheduled article (a `published` time still to come)
    /// is due; None when there is none, or drafts are shown anyway.
    pub fn next_scheduled(&self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        if self.settings.drafts {
            return None;
        }
        self.files
            .iter()
            .filter_map(|entry| match &entry.state {
                State::Good { article: Some(article), .. } if !article.draft && article.published > now => {
                    Some(article.published)
                }
                _ => None,
            })
            .min()
    }

    /// Rebuilds from the sources as they are, for the scheduled articles
    /// whose time has come.
    pub fn publish_scheduled(
        &mut self,
        now: DateTime<FixedOffset>,
        early: &mut dyn FnMut(&[String]),
    ) -> anyhow::Result<Outcome> {
        self.touched.clear();
        self.disassemble();
        self.rebuild(now, early)
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
        self.touched.clear();
        let mut outcome = Outcome::default();
        let (mut config, mut templates, mut content) = (false, false, Vec::new());
        for path in paths {
            match self.area(path) {
                Area::Config => config = true,
                Area::Templates => templates = true,
                Area::Static(site_path) if site_path.ends_with(".css") => outcome.styles.push(site_path),
                Area::Static(_) => outcome.reload_all = true,
                Area::Content => content.push(path.clone()),
                Area::Elsewhere => {}
            }
        }
        if !(config || templates || !content.is_empty()) {
            // Only static/ changed: served from disk as it is.
            return Ok(outcome);
        }
        if !(config || templates) {
            if let Some(quick) = self.body_edits(&content, now)? {
                laps.lap("body edits");
                return Ok(Outcome {
                    styles: outcome.styles,
                    reload_all: outcome.reload_all,
                    phases: laps.phases,
                    ..quick
                });
            }
        }
        if !(config || templates) {
            self.edited_pages_first(&content, now, early);
            laps.lap("edited pages");
        }
        self.disassemble();
        laps.lap("disassemble");
        if config {
            self.reload_config(now)?;
        } else {
            if templates {
                self.reload_templates();
            }
            if !content.is_empty() && self.config.is_some() {
                outcome.reload_all |= self.refresh_content(&content)?;
            }
        }
        laps.lap("read");
        let mut rebuilt = self.rebuild(now, early)?;
        laps.phases.append(&mut rebuilt.phases);
        Ok(Outcome { styles: outcome.styles, reload_all: outcome.reload_all, phases: laps.phases, ..rebuilt })
    }

    /// The quick way for the commonest edit, typing in an article's body: if
    /// every changed file is a published article of the last good site and
    /// nothing but its body changed (the same `meta` hash), the indexes,
    /// figures and every other page are as they were (only an article's own
    /// page shows its body, see `deps`): the new articles replace the old
    /// ones in the site and only their pages are rendered. None when it does
    /// not apply; nothing has changed then.
    fn body_edits(
        &mut self,
        paths: &[PathBuf],
        now: DateTime<FixedOffset>,
    ) -> anyhow::Result<Option<Outcome>> {
        let (Some((site, positions)), Some(tera), false) = (&mut self.site, &self.tera, self.failing) else {
            return Ok(None);
        };
        let mut edits = Vec::with_capacity(paths.len());
        for path in paths {
            match edited_article(&self.files, site, positions, &self.settings, &self.markdown, path, now) {
                Some(edit) if edit.hash.meta == edit.old.meta => edits.push(edit),
                _ => return Ok(None),
            }
        }
        let mut due = Vec::with_capacity(edits.len());
        for Edit { entry: e, position, article, hash, text, .. } in edits {
            due.push(render::Page { url: article.url.clone(), kind: render::PageKind::Article(position) });
            site.articles[position] = *article;
            self.files[e].state = State::Good { article: None, hash };
            self.files[e].text = text;
        }
        // Not what a fingerprint would say: rendered again at the next full rebuild.
        due.iter().for_each(|page| {
            self.fingerprints.remove(&page.url);
        });
        self.search_digest = None;
        let rendered = match Renderer::new(site, tera, self.settings.live_reload).render_all(&due) {
            Ok(rendered) => rendered,
            Err(errors) => return Ok(Some(self.fail(errors))),
        };
        self.generation += 1;
        let mut outcome = Outcome { rendered: rendered.len(), rebuilt: true, ..Outcome::default() };
        let mut published = self.published.write().expect("the engine never panics holding the lock");
        publish_changed(&mut published, rendered, self.generation, &mut outcome.changed);
        Ok(Some(outcome))
    }

    /// Before a rebuild: an edited article whose place among the others is
    /// as it was (same `place` hash: date, organ, figures…) has the same
    /// neighbours, counts and sidebar, so its own page is rendered at once
    /// from the last good site with the edit put in, and announced through
    /// `early`; the writer sees a new title while the listings are made
    /// again. The rebuild renders the same bytes, which change nothing.
    /// Only when every file of the batch is such an edit: another article
    /// that moved, came or went in the same batch can be its neighbour or
    /// one of its related articles in the rebuilt site.
    fn edited_pages_first(
        &mut self,
        paths: &[PathBuf],
        now: DateTime<FixedOffset>,
        early: &mut dyn FnMut(&[String]),
    ) {
        let (Some((site, positions)), Some(tera), false) = (&mut self.site, &self.tera, self.failing) else {
            return;
        };
        let edits: Option<Vec<Edit>> = paths
            .iter()
            .map(|path| {
                edited_article(&self.files, site, positions, &self.settings, &self.markdown, path, now)
                    .filter(|edit| edit.hash.place == edit.old.place)
            })
            .collect();
        let Some(mut edits) = edits.filter(|edits| !edits.is_empty()) else {
            return;
        };
        let swap = |site: &mut Site, edits: &mut [Edit]| {
            for edit in edits {
                std::mem::swap(&mut site.articles[edit.position], &mut edit.article);
            }
        };
        swap(site, &mut edits);
        let due: Vec<render::Page> = edits
            .iter()
            .map(|edit| render::Page {
                url: site.articles[edit.position].url.clone(),
                kind: render::PageKind::Article(edit.position),
            })
            .collect();
        let rendered = Renderer::new(site, tera, self.settings.live_reload).render_all(&due);
        swap(site, &mut edits);
        // A template error shows when the rebuild meets it.
        if let Ok(rendered) = rendered {
            self.generation += 1;
            let mut changed = Vec::new();
            let mut published = self.published.write().expect("the engine never panics holding the lock");
            publish_changed(&mut published, rendered, self.generation, &mut changed);
            drop(published);
            if !changed.is_empty() {
                early(&changed);
            }
        }
    }

    /// Gives the lent articles back to their entries and the settings back.
    fn disassemble(&mut self) {
        if let Some((site, positions)) = self.site.take() {
            let Site { config, articles, .. } = site;
            for (article, e) in articles.into_iter().zip(positions) {
                if let State::Good { article: slot, .. } = &mut self.files[e].state {
                    *slot = Some(Box::new(article));
                }
            }
            self.config = Some(config);
        }
    }

    /// After a panic in the middle of a rebuild, whatever was half done:
    /// everything but what is served is dropped, so that the next refresh
    /// reads the whole site again and renders every page.
    pub fn forget_all(&mut self) {
        // What is served was written whole or not at all: it can be read on.
        self.published.clear_poison();
        self.site = None;
        self.config = None;
        self.tera = None;
        self.files.clear();
        self.forget_pages();
        self.failing = true;
    }

    /// Settings or templates changed: every page and the search index are made again.
    fn forget_pages(&mut self) {
        self.fingerprints.clear();
        self.search_digest = None;
    }

    /// Reads site.yaml, the templates and every content file again.
    fn reload_config(&mut self, now: DateTime<FixedOffset>) -> anyhow::Result<()> {
        self.forget_pages();
        self.files.clear();
        match self.options(now).config()? {
            Ok(mut config) => {
                // The preview is at the server's root, whatever folder the site is published in.
                config.base_url =
                    config.base_url.strip_suffix(config.base_path()).unwrap_or_default().to_string();
                self.markdown = Markdown::new(config.glossary.clone(), "");
                self.config = Some(config);
                self.config_errors = None;
            }
            Err(errors) => {
                self.config = None;
                self.config_errors = Some(errors);
                return Ok(());
            }
        }
        self.reload_templates();
        let paths = content::discover(&self.settings.root.join("content"))?;
        self.files = paths.into_iter().map(Entry::new).collect();
        let all: Vec<usize> = (0..self.files.len()).collect();
        self.update_entries(&all)
    }

    fn reload_templates(&mut self) {
        self.forget_pages();
        self.tera = None;
        let Some(config) = &self.config else { return };
        let dir = self.settings.root.join("templates");
        self.template_errors = match templates::load(&dir, &config.base_url) {
            Ok(Ok(tera)) => {
                self.tera = Some(tera);
                None
            }
            Ok(Err(diagnostic)) => Some(Diagnostics(vec![diagnostic])),
            Err(error) => {
                let problem = Problem::Template { message: format!("{error:#}") };
                Some(Diagnostics(vec![Diagnostic::file("templates", problem)]))
            }
        };
    }

    /// Applies changes under content/; true when a file beside articles changed.
    fn refresh_content(&mut self, paths: &[PathBuf]) -> anyhow::Result<bool> {
        let mut dirty: HashSet<PathBuf> = HashSet::new();
        let mut assets_changed = false;
        for path in paths {
            let meta = std::fs::symlink_metadata(path);
            let is_article = |p: &Path| {
                p.extension().is_some_and(|e| e == "md")
                    && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
            };
            match meta {
                Err(_) => {
                    // Gone: the file, or a folder and everything under it.
                    self.files.retain(|e| !e.path.starts_with(path));
                    // Articles that published a file from there lose it.
                    let losing = self.publishing_from(path);
                    assets_changed |= !losing.is_empty();
                    dirty.extend(losing);
                }
                Ok(meta) if meta.is_dir() => {
                    let found = content::discover(path)?;
                    let keep: HashSet<&PathBuf> = found.iter().collect();
                    self.files.retain(|e| !e.path.starts_with(path) || keep.contains(&e.path));
                    dirty.extend(found.iter().cloned());
                    // Files beside articles may have moved in or out with the folder.
                    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
                        if entry.file_type().is_file() && !is_article(entry.path()) {
                            let named = self.referencing(entry.path());
                            assets_changed |= !named.is_empty();
                            dirty.extend(named);
                        }
                    }
                }
                Ok(meta) if meta.is_file() && is_article(path) => {
                    dirty.insert(path.clone());
                }
                Ok(_) => {
                    // A symlink, or a file beside articles: re-resolve the
                    // articles that may reference it.
                    self.files.retain(|e| &e.path != path);
                    let mut named = self.referencing(path);
                    named.extend(self.publishing_from(path));
                    assets_changed |= !named.is_empty();
                    dirty.extend(named);
                }
            }
        }
        let mut touched = Vec::new();
        for path in dirty {
            match self.files.binary_search_by(|e| e.path.as_path().cmp(&path)) {
                Ok(i) => touched.push(i),
                Err(i) => {
                    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                        self.files.insert(i, Entry::new(path));
                        touched.iter_mut().filter(|t| **t >= i).for_each(|t| *t += 1);
                        touched.push(i);
                    }
                }
            }
        }
        touched.sort_unstable();
        touched.dedup();
        self.update_entries(&touched)?;
        Ok(assets_changed)
    }

    /// Entries whose article publishes a file from under `path`.
    fn publishing_from(&self, path: &Path) -> Vec<PathBuf> {
        let from_there =
            |article: &Article| article.assets.iter().any(|a| lexical(&a.from).starts_with(path));
        self.files
            .iter()
            .filter(|e| matches!(&e.state, State::Good { article: Some(a), .. } if from_there(a)))
            .map(|e| e.path.clone())
            .collect()
    }

    /// Entries whose text names the file (a superset of those referencing it).
    fn referencing(&self, path: &Path) -> Vec<PathBuf> {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Vec::new();
        };
        self.files.iter().filter(|e| e.text.contains(&name)).map(|e| e.path.clone()).collect()
    }

    /// Reads, parses and resolves the given entries; all of them when the
    /// organs named by the articles (sites without `organs:`) changed.
    fn update_entries(&mut self, which: &[usize]) -> anyhow::Result<()> {
        self.touched.extend(which.iter().map(|&i| self.files[i].path.clone()));
        let parsed = self.parse(which)?;
        if self.open_organs_changed()? {
            let all: Vec<usize> = (0..self.files.len()).collect();
            let parsed = self.parse(&all)?;
            self.resolve(&all, parsed);
        } else {
            self.resolve(which, parsed);
        }
        self.files.retain(|e| !matches!(e.state, State::Gone));
        Ok(())
    }

    /// Reads and parses files in parallel, noting each one's text and organ.
    fn parse(&mut self, which: &[usize]) -> anyhow::Result<Vec<Option<ParsedFile>>> {
        let root = &self.settings.root;
        let files = &self.files;
        let read: Vec<anyhow::Result<Result<ParsedFile, Vec<Diagnostic>>>> =
            which.par_iter().map(|&i| pipeline::parse_file(root, &files[i].path)).collect();
        let mut parsed = Vec::with_capacity(which.len());
        for (&i, result) in which.iter().zip(read) {
            let entry = &mut self.files[i];
            entry.text.clear();
            entry.organ = None;
            match result {
                Ok(Ok(file)) => {
                    entry.text.push_str(&file.file.text);
                    entry.organ = file.organ().map(str::to_string);
                    entry.state = State::Broken(Vec::new());
                    parsed.push(Some(file));
                }
                Ok(Err(diagnostics)) => {
                    entry.state = State::Broken(diagnostics);
                    parsed.push(None);
                }
                // Gone between the event and now (the editor's rename dance).
                Err(_) if std::fs::symlink_metadata(&entry.path).is_err() => {
                    entry.state = State::Gone;
                    parsed.push(None);
                }
                Err(error) => return Err(error),
            }
        }
        Ok(parsed)
    }

    fn resolve(&mut self, which: &[usize], parsed: Vec<Option<ParsedFile>>) {
        let Some(config) = &self.config else { return };
        let (root, markdown, files) = (&self.settings.root, &self.markdown, &self.files);
        let resolved: Vec<Option<Result<Article, Vec<Diagnostic>>>> = which
            .par_iter()
            .zip(parsed)
            .map(|(&i, file)| {
                file.map(|file| pipeline::resolve_file(root, &files[i].path, file, config, markdown))
            })
            .collect();
        for (&i, result) in which.iter().zip(resolved) {
            match result {
                Some(Ok(mut article)) => {
                    let hash = article_hash(&mut article);
                    self.files[i].state = State::Good { article: Some(Box::new(article)), hash };
                }
                Some(Err(diagnostics)) => self.files[i].state = State::Broken(diagnostics),
                None => {}
            }
        }
    }

    /// For sites without `organs:`: makes the catalogue again from the names
    /// the articles use, if they changed; true if they did.
    fn open_organs_changed(&mut self) -> anyhow::Result<bool> {
        if !self.config.as_ref().is_some_and(|c| c.catalog.open_organs) {
            return Ok(false);
        }
        let options = self.options(chrono::Utc::now().fixed_offset());
        let Ok(mut fresh) = options.config()? else {
            return Ok(false);
        };
        fresh.catalog.add_open_organs(self.files.iter().filter_map(|e| e.organ.as_deref()));
        let names =
            |c: &Config| c.catalog.organs.iter().map(|o| (o.id.clone(), o.name.clone())).collect::<Vec<_>>();
        if self.config.as_ref().is_some_and(|c| names(c) == names(&fresh)) {
            return Ok(false);
        }
        self.config = Some(fresh);
        self.forget_pages();
        Ok(true)
    }

    /// Assembles the site from the entries and renders the pages whose
    /// fingerprint changed; publishes them, or the problems.
    fn rebuild(
        &mut self,
        now: DateTime<FixedOffset>,
        early: &mut dyn FnMut(&[String]),
    ) -> anyhow::Result<Outcome> {
        let mut laps = Laps::start();
        let errors = match &self.config_errors {
            Some(errors) => Some(errors.clone()),
            None => self.content_errors(now),
        };
        laps.lap("check");
        if let Some(errors) = errors.or_else(|| self.template_errors.clone()) {
            return Ok(self.fail(errors));
        }
        let (Some(config), Some(tera)) = (self.config.take(), self.tera.as_ref()) else {
            anyhow::bail!("a site with no problems has its settings and templates");
        };
        let mut positions = Vec::new();
        let mut articles = Vec::new();
        let mut hashes = Vec::new();
        for (e, entry) in self.files.iter_mut().enumerate() {
            if let State::Good { article: slot, hash } = &mut entry.state {
                if slot.as_ref().is_some_and(|a| a.is_published(self.settings.drafts, now)) {
                    articles.extend(slot.take().map(|a| *a));
                    positions.push(e);
                    hashes.push(*hash);
                }
            }
        }
        laps.lap("gather");
        let site = pipeline::assemble(config, articles);
        laps.lap("assemble");
        let inputs = Inputs::new(&site, &hashes, self.settings.live_reload);
        laps.lap("inputs");
        let pages = render::plan(&site);
        let fingerprints: Vec<u64> = pages.par_iter().map(|page| inputs.fingerprint(page)).collect();
        laps.lap("fingerprints");
        let due: Vec<render::Page> = pages
            .iter()
            .zip(&fingerprints)
            .filter(|(page, print)| self.fingerprints.get(&page.url) != Some(print))
            .map(|(page, _)| page.clone())
            .collect();
        let search_digest = inputs.everything();
        let renderer = Renderer::new(&site, tera, self.settings.live_reload);
        // The changed articles' own pages first: the writer is looking at one.
        let touched: HashSet<&Path> = self.touched.iter().map(PathBuf::as_path).collect();
        let (first, rest): (Vec<render::Page>, Vec<render::Page>) = due.into_iter().partition(|page| {
            matches!(page.kind, render::PageKind::Article(i) if touched.contains(self.files[positions[i]].path.as_path()))
        });
        self.generation += 1;
        let mut outcome = Outcome { rebuilt: true, ..Outcome::default() };
        let then_more = !first.is_empty() && !rest.is_empty();
        for (n, group) in [first, rest].into_iter().enumerate() {
            if group.is_empty() {
                continue;
            }
            let rendered = match renderer.render_all(&group) {
                Ok(rendered) => rendered,
                Err(errors) => {
                    drop(renderer);
                    self.site = Some((site, positions));
                    return Ok(self.fail(errors));
                }
            };
            outcome.rendered += rendered.len();
            let mut published = self.published.write().expect("the engine never panics holding the lock");
            publish_changed(&mut published, rendered, self.generation, &mut outcome.changed);
            drop(published);
            if n == 0 && then_more && !outcome.changed.is_empty() {
                early(&outcome.changed);
            }
        }
        drop(renderer);
        laps.lap("render");
        {
            let mut published = self.published.write().expect("the engine never panics holding the lock");
            let planned: HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
            published.pages.retain(|url, _| {
                let keep = planned.contains(url.as_str());
                if !keep {
                    outcome.changed.push(url.clone());
                }
                keep
            });
            published.assets = site
                .articles
                .iter()
                .flat_map(|a| {
                    a.assets.iter().map(move |asset| (format!("{}{}", a.url, asset.to), asset.from.clone()))
                })
                .collect();
            published.errors = None;
        }
        self.failing = false;
        self.fingerprints = pages.into_iter().map(|p| p.url).zip(fingerprints).collect();
        if self.warnings.as_ref() != Some(&site.warnings.0) {
            self.warnings = Some(site.warnings.0.clone());
            outcome.warnings = Some(site.warnings.clone());
        }
        self.site = Some((site, positions));
        self.pending_search = Some(search_digest);
        laps.lap("publish");
        outcome.phases = laps.phases;
        Ok(outcome)
    }

    /// The problems of the content files, as a full build reports them.
    fn content_errors(&self, now: DateTime<FixedOffset>) -> Option<Diagnostics> {
        let mut errors = Diagnostics::default();
        let mut published = Vec::new();
        for entry in &self.files {
            match &entry.state {
                State::Broken(diagnostics) => diagnostics.iter().for_each(|d| errors.push(d.clone())),
                State::Good { article: Some(article), .. }
                    if article.is_published(self.settings.drafts, now) =>
                {
                    published.push(article.as_ref())
                }
                State::Good { .. } | State::Gone => {}
            }
        }
        pipeline::url_clashes(published).into_iter().for_each(|d| errors.push(d));
        (!errors.is_empty()).then(|| errors.sorted())
    }

    fn fail(&mut self, errors: Diagnostics) -> Outcome {
        self.failing = true;
        let mut published = self.published.write().expect("the engine never panics holding the lock");
        published.errors =
            Some(super::overlay(&self.settings.messages, &errors.render(&self.settings.messages)));
        Outcome { errors: Some(errors), rebuilt: true, ..Outcome::default() }
    }

    /// Brings the search index up to date with the last good site, if it is
    /// not, on a thread of its own (it reads every article: seconds on a big
    /// site): a copy of the site is made for it, and its files are published
    /// unless a newer copy was sent off meanwhile. The serve loop calls it
    /// when no change is waiting; tests join the thread.
    /// The search index is older than the last good site.
    pub fn search_due(&self) -> bool {
        self.site.is_some() && self.pending_search.is_some() && self.search_digest != self.pending_search
    }

    pub fn refresh_search(&mut self) -> Option<std::thread::JoinHandle<()>> {
        let (Some((site, _)), Some(digest)) = (&self.site, self.pending_search) else {
            return None;
        };
        if self.search_digest == Some(digest) {
            return None;
        }
        let Ok(Ok(mut config)) = self.options(chrono::Utc::now().fixed_offset()).config() else {
            return None;
        };
        if config.catalog.open_organs {
            config.catalog.add_open_organs(self.files.iter().filter_map(|e| e.organ.as_deref()));
        }
        self.search_digest = Some(digest);
        let articles = site.articles.clone();
        let job = self.search_job.fetch_add(1, Ordering::SeqCst) + 1;
        let (latest, published) = (Arc::clone(&self.search_job), Arc::clone(&self.published));
        std::thread::Builder::new()
            .name("bantin-search".into())
            .spawn(move || {
                // One core at most: the other is left to rebuilds.
                let one = rayon::ThreadPoolBuilder::new().num_threads(1).build();
                let make = move || render::search::files(&pipeline::assemble(config, articles));
                let files = match one {
                    Ok(pool) => pool.install(make),
                    Err(_) => make(),
                };
                if latest.load(Ordering::SeqCst) == job {
                    let files = files.into_iter().map(|f| (f.url, Bytes::from(f.body))).collect();
                    published.write().expect("the engine never panics holding the lock").search = files;
                }
            })
            .ok()
    }
}

impl Entry {
    fn new(path: PathBuf) -> Entry {
        Entry { path, text: String::new(), organ: None, state: State::Broken(Vec::new()) }
    }
}
