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
use tera::Tera;

use crate::assemble::Site;
use crate::content::{self, markdown::Markdown, Article};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::pipeline::{self, ParsedFile};
use crate::render::templates;
use crate::site::Config;

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
    pub(super) tera: Option<Tera>,
    pub(super) template_errors: Option<Diagnostics>,
    /// Sorted by path: the order of a full build.
    pub(super) files: Vec<Entry>,
    /// The content files read again by this refresh: their pages go first.
    pub(super) touched: Vec<PathBuf>,
    /// The settings, their catalogue or the templates changed since the
    /// engine last looked: every page is to be made again.
    pub(super) stale: bool,
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
            tera: None,
            template_errors: None,
            files: Vec::new(),
            touched: Vec::new(),
            stale: true,
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

    /// Reads site.yaml, the templates and every content file again.
    pub(super) fn reload_config(&mut self) -> anyhow::Result<()> {
        self.stale = true;
        self.files.clear();
        match pipeline::read_config(&self.root)? {
            Ok(mut config) => {
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
        self.update_entries(&all)
    }

    pub(super) fn reload_templates(&mut self) {
        self.stale = true;
        self.tera = None;
        let Some(config) = &self.config else { return };
        let dir = self.root.join("templates");
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
                Some(Ok(mut article)) => {
                    let hash = without_body(&mut article);
                    self.files[i].state = State::Good { article: Arc::new(article), hash };
                }
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
        let (State::Good { hash: old, .. }, Ok(position)) = (&files[e].state, positions.binary_search(&e))
        else {
            return None;
        };
        if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let parsed = pipeline::parse_file(root, path).ok()?.ok()?;
        let (mut article, _) = pipeline::resolve_file(root, path, &parsed, &site.config, markdown).ok()?;
        let organ = parsed.organ().map(str::to_string);
        let text = parsed.file.text;
        let hash = without_body(&mut article);
        article.is_published(self.drafts, now).then(|| Edit {
            entry: e,
            position,
            article: Arc::new(article),
            hash,
            old: *old,
            text,
            organ,
        })
    }

    /// Keeps an edited article as its entry.
    pub(super) fn apply(&mut self, edit: Edit) {
        let entry = &mut self.files[edit.entry];
        entry.state = State::Good { article: edit.article, hash: edit.hash };
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
    /// `without_body` of the article, and of the one it replaces.
    pub(super) hash: u64,
    pub(super) old: u64,
    pub(super) text: String,
    /// As written.
    pub(super) organ: Option<String>,
}

/// One file under content/ and what it resolved to.
pub(super) struct Entry {
    pub(super) path: PathBuf,
    /// The text (NFC), to find the articles that reference a file by name.
    pub(super) text: String,
    /// The organ as written, for sites whose organs come from the articles.
    pub(super) organ: Option<String>,
    pub(super) state: State,
}

pub(super) enum State {
    Good {
        article: Arc<Article>,
        /// `without_body`.
        hash: u64,
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

/// A digest of every field of the article but its rendered body, which
/// only its own page (`Views::article` with content) and the search index
/// show. Debug prints every field, nested ones included, floats exactly.
pub(super) fn without_body(article: &mut Article) -> u64 {
    let content = std::mem::take(&mut article.content);
    let mut hasher = DefaultHasher::new();
    std::fmt::Write::write_fmt(&mut DebugHasher(&mut hasher), format_args!("{article:?}"))
        .expect("hashing never fails");
    article.content = content;
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
        Entry { path, text: String::new(), organ: None, state: State::Broken(Vec::new()) }
    }
}
