//! The preview's sources in memory: site.yaml and the templates as last
//! read, and a cache of content/ by path (each file's text, parse and
//! resolved article, redone only when the file, or a file beside it that
//! its text names, changed); where a changed path lies. What a change
//! under content/ touches is in `changes`.

mod changes;

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::assemble::Site;
use crate::content::kept::Shelf;
use crate::content::{self, markdown::Markdown, Article};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::pipeline::{self, ParsedFile};
use crate::render::templates::{self, Templates};
use crate::site::Config;
use crate::source::SourceFile;

/// site.yaml, the templates and content/ as the engine last read them.
pub(super) struct Sources {
    root: PathBuf,
    drafts: bool,
    /// site.yaml as read, for the preview (None when it is broken); and
    /// with the organs the articles name added, for sites without `organs:`.
    declared: Option<Arc<Config>>,
    pub(super) config: Option<Arc<Config>>,
    pub(super) config_errors: Option<Diagnostics>,
    markdown: Markdown,
    pub(super) templates: Option<Templates>,
    pub(super) template_errors: Option<Diagnostics>,
    /// Sorted by path: the order of a full build.
    pub(super) files: Vec<Entry>,
    /// The content files read again by this refresh: their pages go first.
    pub(super) touched: Vec<PathBuf>,
    /// The settings, their catalogue or the templates changed since the
    /// engine last looked: every page is to be made again.
    pub(super) stale: bool,
    /// The preview's settings are a build's (the site is published at the
    /// domain's root, where the preview serves it): the articles and pages
    /// a build made are the preview's.
    pub(super) as_built: bool,
}

impl Sources {
    /// Nothing read yet.
    pub(super) fn new(root: PathBuf, drafts: bool) -> Sources {
        Sources {
            root,
            drafts,
            declared: None,
            config: None,
            config_errors: None,
            markdown: Markdown::new(Vec::new(), ""),
            templates: None,
            template_errors: None,
            files: Vec::new(),
            touched: Vec::new(),
            stale: true,
            as_built: false,
        }
    }

    pub(super) fn area(&self, path: &Path) -> Area {
        let Ok(relative) = path.strip_prefix(&self.root) else {
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
    pub(super) fn next_scheduled(&self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        if self.drafts {
            return None;
        }
        self.files
            .iter()
            .filter_map(|entry| match &entry.state {
                State::Good { article, .. } if !article.draft && article.published > now => {
                    Some(article.published)
                }
                _ => None,
            })
            .min()
    }

    /// Reads site.yaml, the templates and every content file again; with
    /// `from_build`, the articles a build kept (`content::kept`) are taken
    /// instead of parsed and resolved again, where they are the preview's.
    pub(super) fn reload_config(&mut self, from_build: bool) -> anyhow::Result<()> {
        self.stale = true;
        self.files.clear();
        // Read before site.yaml is parsed, as a build reads it.
        let site_yaml = std::fs::read(self.root.join("site.yaml")).unwrap_or_default();
        match pipeline::read_config(&self.root)? {
            Ok(mut config) => {
                self.as_built = config.base_path().is_empty();
                // The preview is at the server's root, whatever folder the site is published in.
                config.base_url =
                    config.base_url.strip_suffix(config.base_path()).unwrap_or_default().to_string();
                self.markdown = Markdown::new(config.glossary.clone(), "");
                let config = Arc::new(config);
                self.declared = Some(Arc::clone(&config));
                self.config = Some(config);
                self.config_errors = None;
            }
            Err(errors) => {
                self.declared = None;
                self.config = None;
                self.config_errors = Some(errors);
                return Ok(());
            }
        }
        self.reload_templates();
        let paths = content::discover(&self.root.join("content"))?;
        self.files = paths.into_iter().map(Entry::new).collect();
        let all: Vec<usize> = (0..self.files.len()).collect();
        match &self.config {
            // Without `organs:` the shelf's settings need every file parsed first.
            Some(config) if from_build && self.as_built && !config.catalog.open_organs => {
                let shelf = pipeline::shelf(&self.root, None, &site_yaml, config);
                self.touched.extend(self.files.iter().map(|e| e.path.clone()));
                self.load_kept(&shelf)
            }
            _ => self.update_entries(&all),
        }
    }

    /// Reads every content file, taking the article of each one a build
    /// kept from `shelf`, parsing and resolving the others.
    fn load_kept(&mut self, shelf: &Shelf) -> anyhow::Result<()> {
        let Some(config) = &self.config else { return Ok(()) };
        let (root, markdown) = (&self.root, &self.markdown);
        let loaded: Vec<Read<_>> = (self.files)
            .par_iter()
            .map(|entry| {
                let path = &entry.path;
                let Some((key, bytes)) = read(root, path)? else { return Ok(None) };
                let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                let file = match SourceFile::decode(shown, bytes) {
                    Ok(file) => file,
                    Err(diagnostic) => return Ok(Some((key, (String::new(), Err(vec![diagnostic]))))),
                };
                let text = file.text.clone();
                let with = (config.as_ref(), markdown, Some(shelf));
                let made = pipeline::made((root, path, key), || pipeline::parse_source(file), with, false);
                Ok(Some((key, (text, made.map(|made| made.article)))))
            })
            .collect();
        for (entry, result) in self.files.iter_mut().zip(loaded) {
            let Some((key, (text, made))) = result? else {
                entry.state = State::Gone;
                continue;
            };
            (entry.key, entry.text) = (key, text);
            entry.state = match made {
                Ok(article) => State::Good { article: Arc::new(article) },
                Err(diagnostics) => State::Broken(diagnostics),
            };
        }
        self.files.retain(|e| !matches!(e.state, State::Gone));
        Ok(())
    }

    pub(super) fn reload_templates(&mut self) {
        self.stale = true;
        self.templates = None;
        let Some(config) = &self.config else { return };
        let dir = self.root.join("templates");
        self.template_errors = match templates::load(&dir, &config.base_url) {
            Ok(Ok(templates)) => {
                self.templates = Some(templates);
                None
            }
            Ok(Err(diagnostic)) => Some(Diagnostics(vec![diagnostic])),
            Err(error) => {
                let problem = Problem::Template { message: format!("{error:#}") };
                Some(Diagnostics(vec![Diagnostic::file("templates", problem)]))
            }
        };
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
        let root = &self.root;
        let files = &self.files;
        let read: Vec<Read<Result<ParsedFile, Vec<Diagnostic>>>> = which
            .par_iter()
            .map(|&i| {
                let path = &files[i].path;
                Ok(read(root, path)?.map(|(key, bytes)| (key, pipeline::parse_bytes(root, path, bytes))))
            })
            .collect();
        let mut parsed = Vec::with_capacity(which.len());
        for (&i, result) in which.iter().zip(read) {
            let entry = &mut self.files[i];
            entry.text.clear();
            entry.organ = None;
            let Some((key, result)) = result? else {
                entry.state = State::Gone;
                parsed.push(None);
                continue;
            };
            entry.key = key;
            match result {
                Ok(file) => {
                    entry.text.push_str(&file.file.text);
                    entry.organ = file.organ().map(str::to_string);
                    entry.state = State::Broken(Vec::new());
                    parsed.push(Some(file));
                }
                Err(diagnostics) => {
                    entry.state = State::Broken(diagnostics);
                    parsed.push(None);
                }
            }
        }
        Ok(parsed)
    }

    fn resolve(&mut self, which: &[usize], parsed: Vec<Option<ParsedFile>>) {
        let Some(config) = &self.config else { return };
        let (root, markdown, files) = (&self.root, &self.markdown, &self.files);
        let resolved: Vec<Option<Result<Article, Vec<Diagnostic>>>> = which
            .par_iter()
            .zip(parsed)
            .map(|(&i, file)| {
                let resolve = |file| pipeline::resolve_file(root, &files[i].path, &file, config, markdown);
                file.map(|file| resolve(file).map(|(article, _)| article))
            })
            .collect();
        for (&i, result) in which.iter().zip(resolved) {
            match result {
                Some(Ok(article)) => self.files[i].state = State::Good { article: Arc::new(article) },
                Some(Err(diagnostics)) => self.files[i].state = State::Broken(diagnostics),
                None => {}
            }
        }
    }

    /// For sites without `organs:`: makes the catalogue again from the names
    /// the articles use, if they changed; true if they did.
    fn open_organs_changed(&mut self) -> anyhow::Result<bool> {
        let Some(declared) = self.declared.as_ref().filter(|c| c.catalog.open_organs) else {
            return Ok(false);
        };
        let mut fresh = Config::clone(declared);
        fresh.catalog.add_open_organs(self.files.iter().filter_map(|e| e.organ.as_deref()));
        let names =
            |c: &Config| c.catalog.organs.iter().map(|o| (o.id.clone(), o.name.clone())).collect::<Vec<_>>();
        if self.config.as_ref().is_some_and(|c| names(c) == names(&fresh)) {
            return Ok(false);
        }
        self.config = Some(Arc::new(fresh));
        self.stale = true;
        Ok(true)
    }

    /// The problems of the content files, as a full build reports them.
    pub(super) fn content_errors(&self, now: DateTime<FixedOffset>) -> Option<Diagnostics> {
        let mut errors = Diagnostics::default();
        let mut published = Vec::new();
        for entry in &self.files {
            match &entry.state {
                State::Broken(diagnostics) => diagnostics.iter().for_each(|d| errors.push(d.clone())),
                State::Good { article, .. } if article.is_published(self.drafts, now) => {
                    published.push(article.as_ref())
                }
                State::Good { .. } | State::Gone => {}
            }
        }
        pipeline::url_clashes(published).into_iter().for_each(|d| errors.push(d));
        (!errors.is_empty()).then(|| errors.sorted())
    }

    /// The published article of the last good site at `path`, read and resolved
    /// again; None when the path is no such article or is no longer one.
    pub(super) fn edited_article(
        &self,
        site: &Site,
        positions: &[usize],
        path: &Path,
        now: DateTime<FixedOffset>,
    ) -> Option<Edit> {
        let (root, files, markdown) = (&self.root, &self.files, &self.markdown);
        let e = files.binary_search_by(|entry| entry.path.as_path().cmp(path)).ok()?;
        let (State::Good { article: old }, Ok(position)) = (&files[e].state, positions.binary_search(&e))
        else {
            return None;
        };
        if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let (key, bytes) = pipeline::read_file(root, path).ok()?;
        let parsed = pipeline::parse_bytes(root, path, bytes).ok()?;
        let (mut article, _) = pipeline::resolve_file(root, path, &parsed, &site.config, markdown).ok()?;
        let organ = parsed.organ().map(str::to_string);
        let text = parsed.file.text;
        let body_only = same_but_body(old, &mut article);
        article.is_published(self.drafts, now).then(|| Edit {
            entry: e,
            position,
            article: Arc::new(article),
            key,
            body_only,
            text,
            organ,
        })
    }

    /// Keeps an edited article as its entry.
    pub(super) fn apply(&mut self, edit: Edit) {
        let entry = &mut self.files[edit.entry];
        entry.state = State::Good { article: edit.article };
        entry.key = edit.key;
        entry.text = edit.text;
        entry.organ = edit.organ;
    }
}

/// A content file of the last good site read again.
pub(super) struct Edit {
    pub(super) entry: usize,
    /// In `Site::articles`.
    pub(super) position: usize,
    pub(super) article: Arc<Article>,
    /// `content::kept::key` of its file.
    pub(super) key: u64,
    /// It differs from the one it replaces in nothing but its body (`same_but_body`).
    pub(super) body_only: bool,
    pub(super) text: String,
    /// As written.
    pub(super) organ: Option<String>,
}

/// One file under content/ and what it resolved to.
pub(super) struct Entry {
    pub(super) path: PathBuf,
    /// `content::kept::key` of the file as last read.
    pub(super) key: u64,
    /// The text (NFC), to find the articles that reference a file by name.
    pub(super) text: String,
    /// The organ as written, for sites whose organs come from the articles.
    pub(super) organ: Option<String>,
    pub(super) state: State,
}

pub(super) enum State {
    Good {
        article: Arc<Article>,
    },
    Broken(Vec<Diagnostic>),
    /// Deleted while it was being read; removed after the batch.
    Gone,
}

/// Where a changed path lies.
pub(super) enum Area {
    Config,
    Templates,
    Static(String),
    Content,
    Elsewhere,
}

/// Whether `new` differs from `old` in nothing but its rendered body,
/// which only its own page (`Views::article` with content) and the search
/// index show. Debug prints every field, nested ones included, floats exactly.
fn same_but_body(old: &Article, new: &mut Article) -> bool {
    let body = std::mem::replace(&mut new.content, old.content.clone());
    let same = debug_digest(old) == debug_digest(new);
    new.content = body;
    same
}

fn debug_digest(article: &Article) -> u64 {
    let mut hasher = DefaultHasher::new();
    std::fmt::Write::write_fmt(&mut DebugHasher(&mut hasher), format_args!("{article:?}"))
        .expect("hashing never fails");
    hasher.finish()
}

struct DebugHasher<'h>(&'h mut DefaultHasher);

impl std::fmt::Write for DebugHasher<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

impl Entry {
    fn new(path: PathBuf) -> Entry {
        Entry { path, key: 0, text: String::new(), organ: None, state: State::Broken(Vec::new()) }
    }
}

/// A content file's key (`content::kept::key`) and what was made of it;
/// None when it is gone since it was listed (an editor's rename dance).
type Read<T> = anyhow::Result<Option<(u64, T)>>;

/// A content file's key and bytes (`pipeline::read_file`), or None when it is gone.
fn read(root: &Path, path: &Path) -> Read<Vec<u8>> {
    match pipeline::read_file(root, path) {
        Ok(read) => Ok(Some(read)),
        Err(_) if std::fs::symlink_metadata(path).is_err() => Ok(None),
        Err(error) => Err(error),
    }
}
