//! The build, in stages: read site.yaml and content/ → resolve articles →
//! assemble the site (index, figures) → render pages → stage and publish the
//! output. `build`, `check` and `serve` share these functions.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::assemble::Site;
use crate::cache::{self, Inputs, Kept};
use crate::content::article::Looked;
use crate::content::kept::{self, Shelf};
use crate::content::{self, front_matter, markdown::Markdown, Article};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::digest::content_hash;
use crate::failure::{Failing, Failure, Step};
use crate::images;
use crate::manifest::{Manifest, Source};
use crate::output::{self, page_file, Stage, Target};
use crate::render::{self, templates, RenderedPage, Renderer};
use crate::site::Config;
use crate::source::SourceFile;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where the site is written; relative paths are under `root`.
    pub output: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// The moment that decides which scheduled articles are published.
    pub now: DateTime<FixedOffset>,
}

/// A finished build.
#[derive(Debug)]
pub struct Report {
    pub warnings: Diagnostics,
    pub articles: usize,
    pub pages: usize,
    pub files: usize,
}

/// Content and template problems, or the value.
pub type Checked<T> = Result<T, Diagnostics>;

/// Reads and resolves the whole site, reporting every content problem.
pub fn load(options: &BuildOptions) -> anyhow::Result<Checked<Site>> {
    Ok(load_files(options, Loading::Plain, None)?.map(|(site, _, _)| site))
}

/// A content file as the build read, parsed and resolved it, drafts and
/// scheduled articles included: what `check` examines beyond the build,
/// without reading or parsing anything again.
pub struct Loaded {
    pub parsed: ParsedFile,
    pub article: Arc<Article>,
    /// On the site (not a draft nor scheduled for later).
    pub published: bool,
}

/// `load`, keeping every content file as it was loaded.
pub fn load_all(options: &BuildOptions) -> anyhow::Result<Checked<(Site, Vec<Loaded>)>> {
    Ok(load_files(options, Loading::Kept, None)?.map(|(site, kept, _)| (site, kept)))
}

/// What a build's cache must know of every article it read, published or
/// not: when the first scheduled one is due, and the files they name.
#[derive(Default)]
struct Watch {
    next_due: Option<DateTime<FixedOffset>>,
    sources: Vec<PathBuf>,
    /// `article_digest` of each published article, by position.
    digests: Vec<u64>,
    /// `placed_digest` of the published articles.
    placed: u64,
}

/// What decides an article under the same settings: its file's path and
/// bytes (`content::kept::key`) and the path, size and time of every file it
/// publishes (an image replaced shows on its page).
pub(crate) fn article_digest(key: u64, article: &Article) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    for asset in &article.assets {
        (&asset.from, &asset.to, cache::stamp(&asset.from)).hash(&mut hasher);
    }
    hasher.finish()
}

/// How `load_files` treats the files it reads.
#[derive(Clone, Copy, PartialEq)]
enum Loading {
    /// Each parsed file is dropped as soon as its article is made: together
    /// they are several times the content's size.
    Plain,
    /// Every parsed file is kept, for `check`.
    Kept,
    /// As `Plain`, with the articles of unchanged files taken from the build
    /// cache (`content::kept`), and this build's kept there.
    Cached,
}

/// An article as loaded: from its file's key, resolved now or taken from the shelf.
pub(crate) struct Made {
    pub(crate) article: Article,
    key: u64,
    looked: Vec<Looked>,
    resolved: bool,
    parsed: Option<ParsedFile>,
}

/// The article of a content file, taken from the shelf when its file and
/// every file it names are as when it was kept, else resolved.
pub(crate) fn made(
    (root, path, key): (&Path, &Path, u64),
    parsed: impl FnOnce() -> Result<ParsedFile, Vec<Diagnostic>>,
    (config, markdown, shelf): (&Config, &Markdown, Option<&Shelf>),
    keep: bool,
) -> Result<Made, Vec<Diagnostic>> {
    let folder = path.parent().unwrap_or(root);
    let shown = path.strip_prefix(root).unwrap_or(path);
    let still = |looked: &[Looked]| content::article::still_found(folder, shown, looked);
    if let Some((article, looked)) = shelf.and_then(|shelf| shelf.take(key, still)) {
        return Ok(Made { article, key, looked, resolved: false, parsed: None });
    }
    let file = parsed()?;
    let (article, looked) = resolve_file(root, path, &file, config, markdown)?;
    Ok(Made { article, key, looked, resolved: true, parsed: keep.then_some(file) })
}

/// The articles kept under a build's settings: bantin's binary, site.yaml
/// as read, `--base-url`, and the organs (from the articles without `organs:`).
pub(crate) fn shelf(root: &Path, base_url: Option<&str>, site_yaml: &[u8], config: &Config) -> Shelf {
    let mut under = DefaultHasher::new();
    (cache::binary(), site_yaml, base_url, format!("{:?}", config.catalog.organs)).hash(&mut under);
    Shelf::open(root.join(CACHE_DIR).join("articles"), under.finish())
}

/// `load`, as `loading` says; `related`: the related articles of an earlier
/// build, with the digest of the placements they were made from.
fn load_files(
    options: &BuildOptions,
    loading: Loading,
    related: Option<(u64, Vec<Vec<u32>>)>,
) -> anyhow::Result<Checked<(Site, Vec<Loaded>, Watch)>> {
    let root = &options.root;
    // Read before site.yaml is parsed: a change after it is a change the next build sees.
    let site_yaml = fs::read(root.join("site.yaml")).unwrap_or_default();
    let mut config = match options.config()? {
        Ok(config) => config,
        Err(errors) => return Ok(Err(errors)),
    };
    let paths = content::discover(&root.join("content"))?;
    let keep = loading == Loading::Kept;
    let read = |path: &Path| read_file(root, path);
    let (resolved, shelf): (Vec<anyhow::Result<Result<Made, _>>>, _) = if config.catalog.open_organs {
        // The catalogue needs every file's organ before any article resolves.
        let parsed: Vec<_> = paths
            .par_iter()
            .map(|path| read(path).map(|(key, bytes)| (key, parse_bytes(root, path, bytes))))
            .collect::<anyhow::Result<_>>()?;
        config.catalog.add_open_organs(parsed.iter().filter_map(|(_, file)| file.as_ref().ok()?.organ()));
        let shelf = (loading == Loading::Cached)
            .then(|| shelf(root, options.base_url.as_deref(), &site_yaml, &config));
        let markdown = Markdown::new(config.glossary.clone(), config.base_path());
        let with = (&config, &markdown, shelf.as_ref());
        let resolved = (paths.par_iter().zip(parsed))
            .map(|(path, (key, parsed))| Ok(made((root, path, key), || parsed, with, keep)))
            .collect();
        (resolved, shelf)
    } else {
        // Read, parsed and resolved in one pass: each file is dropped as
        // soon as its article is made, so the files are never all in memory.
        let shelf = (loading == Loading::Cached)
            .then(|| shelf(root, options.base_url.as_deref(), &site_yaml, &config));
        let markdown = Markdown::new(config.glossary.clone(), config.base_path());
        let with = (&config, &markdown, shelf.as_ref());
        let resolved = (paths.par_iter())
            .map(|path| {
                let (key, bytes) = read(path)?;
                Ok(made((root, path, key), || parse_bytes(root, path, bytes), with, keep))
            })
            .collect();
        (resolved, shelf)
    };
    let mut errors = Diagnostics::default();
    let mut articles = Vec::with_capacity(resolved.len());
    let mut kept = Vec::new();
    let mut stored = Vec::new();
    let mut watch = Watch::default();
    for result in resolved {
        match result? {
            Ok(Made { article, key, looked, resolved, parsed }) => {
                let article = Arc::new(article);
                let published = article.is_published(options.drafts, options.now);
                if published {
                    articles.push(Arc::clone(&article));
                    watch.digests.push(article_digest(key, &article));
                } else if !article.draft {
                    let due = watch.next_due.map_or(article.published, |due| due.min(article.published));
                    watch.next_due = Some(due);
                }
                watch.sources.extend(article.assets.iter().map(|asset| asset.from.clone()));
                if shelf.is_some() {
                    stored.push((key, Arc::clone(&article), looked, resolved));
                }
                kept.extend(parsed.map(|parsed| Loaded { parsed, article, published }));
            }
            Err(diagnostics) => diagnostics.into_iter().for_each(|d| errors.push(d)),
        }
    }
    if let Some(shelf) = shelf {
        shelf.store(&stored);
    }
    url_clashes(articles.iter().map(|a| &**a)).into_iter().for_each(|d| errors.push(d));
    if !errors.is_empty() {
        return Ok(Err(errors.sorted()));
    }
    // Only a build keeps the placements' digest (`Kept::placed`).
    if loading == Loading::Cached {
        watch.placed = placed_digest(&config, &articles);
    }
    let related = related.filter(|(placed, _)| *placed == watch.placed);
    let related =
        related.map(|(_, related)| related.iter().map(|r| r.iter().map(|&a| a as usize).collect()).collect());
    let site = Site::assemble_with_related(Arc::new(config), articles, related);
    Ok(Ok((site, kept, watch)))
}

/// site.yaml read and resolved; its problems are content errors.
pub fn read_config(root: &Path) -> anyhow::Result<Checked<Config>> {
    let path = root.join("site.yaml");
    if !path.is_file() {
        anyhow::bail!(Failure::NoSiteYaml { root: root.to_path_buf() });
    }
    let file = match SourceFile::read(root, &path)? {
        Ok(file) => file,
        Err(diagnostic) => return Ok(Err(Diagnostics(vec![diagnostic]))),
    };
    Ok(Config::parse(&file).map_err(Diagnostics))
}

impl BuildOptions {
    /// site.yaml as this build sees it: `--base-url` applied.
    pub fn config(&self) -> anyhow::Result<Checked<Config>> {
        Ok(read_config(&self.root)?.map(|mut config| {
            if let Some(base_url) = &self.base_url {
                config.base_url = base_url.trim_end_matches('/').to_string();
            }
            config
        }))
    }
}

/// A content file read and its front matter parsed: what can be known of an
/// article before the catalogue (which, without `organs:`, needs every file).
pub struct ParsedFile {
    pub file: SourceFile,
    pub front: front_matter::Parsed,
    /// Problems found so far; the file fails even if it resolves.
    earlier: Vec<Diagnostic>,
}

impl ParsedFile {
    /// The organ as written, for sites whose organs come from the articles.
    pub fn organ(&self) -> Option<&str> {
        self.front.raw.organ.as_deref()
    }
}

/// Reads one file under content/, with its key (`content::kept::key`).
pub fn read_file(root: &Path, path: &Path) -> anyhow::Result<(u64, Vec<u8>)> {
    let bytes = fs::read(path).failed(Step::Reading, path)?;
    Ok((kept::key(path.strip_prefix(root).unwrap_or(path), &bytes), bytes))
}

/// Parses the bytes of one file under content/.
pub fn parse_bytes(root: &Path, path: &Path, bytes: Vec<u8>) -> Result<ParsedFile, Vec<Diagnostic>> {
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    SourceFile::decode(shown, bytes).map_err(|diagnostic| vec![diagnostic]).and_then(parse_source)
}

/// Parses the front matter of a decoded file under content/.
pub fn parse_source(file: SourceFile) -> Result<ParsedFile, Vec<Diagnostic>> {
    front_matter::parse(&file).map(|(front, earlier)| ParsedFile { file, front, earlier })
}

/// Resolves a parsed file into an article, with every problem of the file,
/// and the files its text names as they were found.
pub fn resolve_file(
    root: &Path,
    path: &Path,
    parsed: &ParsedFile,
    config: &Config,
    markdown: &Markdown,
) -> Result<(Article, Vec<Looked>), Vec<Diagnostic>> {
    let ParsedFile { file, front, earlier } = parsed;
    let folder = path.parent().unwrap_or(root);
    match content::article::resolve_noting(file, folder, front, config, markdown) {
        Ok(resolved) if earlier.is_empty() => Ok(resolved),
        Ok(_) => Err(earlier.clone()),
        Err(more) => Err(earlier.iter().cloned().chain(more).collect()),
    }
}

/// Two published articles with one URL: an error naming both files.
pub fn url_clashes<'a>(articles: impl IntoIterator<Item = &'a Article>) -> Vec<Diagnostic> {
    let mut claimed: HashMap<&str, &Path> = HashMap::new();
    let mut clashes = Vec::new();
    for article in articles {
        if let Some(other) = claimed.insert(&article.url, &article.source) {
            let problem = Problem::DuplicateUrl { url: article.url.clone(), other: other.to_path_buf() };
            clashes.push(Diagnostic::file(&article.source, problem));
        }
    }
    clashes
}

/// Renders every page of a loaded site with its templates.
pub fn render(site: &Site, root: &Path) -> anyhow::Result<Checked<Vec<RenderedPage>>> {
    let templates = match templates::load(&root.join("templates"), &site.config.base_url)? {
        Ok(templates) => templates,
        Err(diagnostic) => return Ok(Err(Diagnostics(vec![diagnostic]))),
    };
    let pages = render::plan(site);
    let mut rendered = match Renderer::new(site, &templates).render_all(&pages) {
        Ok(rendered) => rendered,
        Err(errors) => return Ok(Err(errors)),
    };
    rendered.extend(render::search::files(site, &|| {}, None));
    Ok(Ok(rendered))
}

/// Loads, renders and writes the site; the output changes only on success,
/// in one step. An output folder that is not bantin's to replace is refused
/// first (`output::Refused`), unless `force` and it is none of the site's.
/// Each page is written as soon as it is rendered, so the pages of the site
/// are never all in memory (they are most of the peak otherwise). What the
/// build read and made is kept in `.bantin-cache/` (`cache`): the next
/// build does nothing when nothing changed, and renders only the pages
/// whose fingerprint changed.
pub fn build(options: &BuildOptions, force: bool) -> anyhow::Result<Checked<Report>> {
    let target = Target::claim(&options.root, &options.output, &SOURCES, force)?;
    // Stamped before anything is read: a file changed during the build
    // makes the next one see another digest.
    let inputs = Inputs::stamp(&options.root, &target.folder, options.drafts, options.base_url.as_deref());
    let cache_path = cache::path(&options.root.join(CACHE_DIR), &target.folder);
    let mut kept = match Kept::read(&cache_path).filter(|kept| inputs.settings == Some(kept.settings)) {
        // Nothing changed, and the output is as it was published: nothing to do.
        Some(kept)
            if kept.same_site(&inputs, options.now)
                && kept.published.is_some()
                && output::as_published(&target) == kept.published =>
        {
            let Kept { articles, pages, files, warnings, .. } = kept;
            return Ok(Ok(Report { warnings, articles, pages, files }));
        }
        kept => kept,
    };
    let related = kept.as_mut().and_then(|kept| Some((kept.placed?, std::mem::take(&mut kept.related))));
    // The staging folder is readied while the content loads: mostly the
    // file system's work, beside the cores' parsing.
    let (loaded, stage) = std::thread::scope(|scope| {
        let stage = scope.spawn(|| Stage::new(&target));
        (
            load_files(options, Loading::Cached, related),
            stage.join().expect("readying the staging folder does not panic"),
        )
    });
    // Content errors first: they are the writer's to fix.
    let (site, _, watch) = match loaded? {
        Ok(loaded) => loaded,
        Err(errors) => return Ok(Err(errors)),
    };
    let stage = stage?;
    let templates = match templates::load(&options.root.join("templates"), &site.config.base_url)? {
        Ok(templates) => templates,
        Err(diagnostic) => return Ok(Err(Diagnostics(vec![diagnostic]))),
    };
    let planned = render::plan(&site);
    let renderer = Renderer::new(&site, &templates);
    // With every article placed as the last build placed it, a page reads
    // the same articles as then (`render::reads`), and its fingerprint
    // holds unless one of them changed: only the others are fingerprinted.
    let placed = watch.placed;
    let (made_before, changed) = match kept {
        Some(kept) if kept.placed == Some(placed) => {
            let pairs = watch.digests.iter().zip(&kept.articles_read).enumerate();
            let changed: HashSet<u32> =
                pairs.filter(|(_, (now, was))| now != was).map(|(i, _)| i as u32).collect();
            (kept.pages_made, Some(changed))
        }
        kept => (kept.map(|kept| kept.pages_made).unwrap_or_default(), None),
    };
    let search_parts = inputs.settings.map(|settings| {
        render::search::Parts::new(options.root.join(CACHE_DIR).join("search"), settings, &watch.digests)
    });
    // A page whose fingerprint is the one it was published with is kept as
    // it is (`Stage::keep`); the others are rendered, and written as
    // soon as they are. The search index is made beside the pages, filling
    // the cores while the last large pages render, and each of its files
    // written as soon as it is made (on the cores' threads, not the I/O
    // pool's eight: compressing the copies is CPU work).
    let (results, (search, texts)) = rayon::join(
        || -> Vec<anyhow::Result<Result<cache::Made, Diagnostic>>> {
            planned
                .par_iter()
                .map(|page| {
                    let before = made_before.get(&page.url);
                    let unread =
                        |read: &[u32]| changed.as_ref().is_some_and(|c| !read.iter().any(|a| c.contains(a)));
                    let (fingerprint, read) = match before {
                        Some((was, _, read)) if unread(read) => (*was, read.clone()),
                        _ => {
                            let (fingerprint, read) = render::reads::noting(|| renderer.fingerprint(page));
                            (fingerprint, read.into_iter().map(|a| a as u32).collect())
                        }
                    };
                    let was = before.map(|&(was, hash, _)| (was, hash));
                    let made = kept_or_written(&stage, &page.url, (fingerprint, was), || {
                        renderer.render(page).map(|page| page.body)
                    })?;
                    Ok(made.map(|hash| (fingerprint, hash, read)))
                })
                .collect()
        },
        || {
            // An article's text for the snippets is the same file while the
            // same article (its digest) has the same id.
            let texts = (render::search::by_id(&site).enumerate())
                .map(|(id, &a)| -> anyhow::Result<(String, cache::Made)> {
                    let (url, fingerprint) = (render::search::text_url(id), watch.digests[a]);
                    let was = made_before.get(&url).map(|&(was, hash, _)| (was, hash));
                    let Ok(hash) = kept_or_written(&stage, &url, (fingerprint, was), || {
                        Ok::<_, std::convert::Infallible>(render::search::text_file(&site, id, a).body)
                    })?;
                    Ok((url, (fingerprint, hash, Vec::new())))
                })
                .collect::<anyhow::Result<Vec<_>>>();
            let write = |file: RenderedPage| stage.write(&page_file(&file.url), &file.body);
            (render::search::index_files(&site, &|| {}, search_parts.as_ref(), &write), texts)
        },
    );
    let (search, texts) = (search?, texts?);
    // As `Renderer::render_all`: one diagnostic per template problem.
    let mut errors = Diagnostics::default();
    let mut pages_made = HashMap::with_capacity(planned.len());
    for (page, result) in planned.iter().zip(results) {
        match result? {
            Ok(made) => {
                pages_made.insert(page.url.clone(), made);
            }
            Err(diagnostic) if !errors.0.iter().any(|d| d.problem == diagnostic.problem) => {
                errors.push(diagnostic)
            }
            Err(_) => {}
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let pages = planned.len() + search.len() + texts.len();
    let rendered = planned.iter().map(|p| p.url.as_str()).chain(search.iter().map(String::as_str));
    let rendered = rendered.chain(texts.iter().map(|(url, _)| url.as_str()));
    let manifest = Manifest::of(&site, &options.root, rendered)?;
    let copies = match resized_images(&site, &options.root.join(CACHE_DIR))? {
        Ok(copies) => copies,
        Err(errors) => return Ok(Err(errors)),
    };
    // The pages and the search index are written already; the rest as the
    // manifest lists it.
    let mut copied = 0;
    let mut read = Vec::new();
    let mut files: Vec<(String, &[u8])> = Vec::new();
    for (path, source) in manifest.entries() {
        match source {
            Source::Rendered(_) => {}
            Source::Asset(from) => {
                stage.copy(&from, &path)?;
                copied += 1;
            }
            Source::Resized { from, width } => {
                let made = copies.get(from.as_path()).into_iter().flatten().find(|(w, _)| *w == width);
                // None only when the image changed while the build read it.
                let Some((_, bytes)) = made else { continue };
                files.push((path, bytes));
                copied += 1;
            }
            Source::Theme(bytes) => files.push((path, bytes)),
            Source::Static(from) => stage.copy(&from, &path).failed(Step::Copying, &from)?,
            Source::Fingerprinted(plain) => read.push((path, plain)),
        }
    }
    stage.write_all(&files)?;
    for (path, plain) in read {
        match manifest.source(&plain) {
            Some(Source::Theme(bytes)) => stage.write(&path, bytes)?,
            Some(Source::Static(from)) => stage.copy(&from, &path)?,
            _ => {}
        }
    }
    stage.publish()?;
    let report = Report { articles: site.articles.len(), pages, files: copied, warnings: site.warnings };
    let content = fs::canonicalize(options.root.join("content")).unwrap_or_default();
    let mut outside: Vec<PathBuf> =
        watch.sources.into_iter().filter(|from| !from.starts_with(&content)).collect();
    outside.sort_unstable();
    outside.dedup();
    pages_made.extend(texts);
    let kept = Kept {
        settings: inputs.settings.unwrap_or_default(),
        inputs: inputs.settings.and(inputs.digest(&outside)),
        next_due: watch.next_due.map(|due| due.timestamp_micros()),
        outside,
        articles: report.articles,
        pages: report.pages,
        files: report.files,
        warnings: report.warnings.clone(),
        pages_made,
        placed: Some(placed),
        related: site.index.related.iter().map(|r| r.iter().map(|&a| a as u32).collect()).collect(),
        articles_read: watch.digests,
        published: output::published(&target),
    };
    // Without its cache the next build is only slower: the site is published.
    let _ = match inputs.settings {
        Some(_) => kept.write(&cache_path),
        None => fs::remove_file(&cache_path),
    };
    Ok(Ok(report))
}

/// A file of the site kept from the output (`Stage::keep`) when its
/// fingerprint is the one it was published with (`was`: that fingerprint
/// and the hash of the bytes), else made by `make` and written now; the hash
/// of its bytes, or why it could not be made.
fn kept_or_written<E>(
    stage: &Stage,
    url: &str,
    (fingerprint, was): (u64, Option<(u64, u64)>),
    make: impl FnOnce() -> Result<Vec<u8>, E>,
) -> anyhow::Result<Result<u64, E>> {
    let file = page_file(url);
    if let Some((was, hash)) = was {
        if was == fingerprint && stage.keep(&file, hash)? {
            return Ok(Ok(hash));
        }
    }
    Ok(match make() {
        Ok(bytes) => stage.write(&file, &bytes).map(|()| Ok(content_hash(&bytes)))?,
        Err(error) => Err(error),
    })
}

/// A digest of every published article's placement, in order, and of the
/// organs (their names come from the articles when site.yaml has none):
/// what the site's indexes and figures, and so which articles each page
/// reads, are made from.
pub(crate) fn placed_digest(config: &Config, articles: &[Arc<Article>]) -> u64 {
    let mut hasher = DefaultHasher::new();
    format!("{:?}", config.catalog.organs).hash(&mut hasher);
    articles.iter().for_each(|a| a.placement().hash(&mut hasher));
    hasher.finish()
}

/// Where resized images are kept between builds, under the site's root.
pub const CACHE_DIR: &str = ".bantin-cache";

/// Where `bantin build` writes the site without `--output`, under the site's root.
pub const DEFAULT_OUTPUT: &str = "public";

/// The site's folders an output folder may not be in nor hold.
const SOURCES: [&str; 4] = ["content", "templates", "static", CACHE_DIR];

/// What the last `bantin build` into the default output folder kept
/// (`cache::Kept`), and that folder, when the build was made under the
/// settings given now (bantin's binary, site.yaml, templates/, static/,
/// `--drafts`, no `--base-url`): the preview may serve its pages as they are.
pub fn last_build(root: &Path, drafts: bool) -> Option<(Kept, PathBuf)> {
    let target = Target::claim(root, Path::new(DEFAULT_OUTPUT), &SOURCES, false).ok()?;
    let settings = Inputs::stamp(root, &target.folder, drafts, None).settings;
    let kept = Kept::read(&cache::path(&root.join(CACHE_DIR), &target.folder))?;
    (settings == Some(kept.settings)).then_some((kept, target.folder))
}

/// The resized copies of every image beside an article, made in parallel
/// (or read from the cache), by source file. An image that cannot be
/// decoded is an error of each article that shows it.
fn resized_images<'s>(
    site: &'s Site,
    cache_dir: &Path,
) -> anyhow::Result<Checked<HashMap<&'s Path, images::Copies>>> {
    let cache = images::Cache::new(cache_dir.join("images"));
    let made: Vec<_> = resizable_images(site)
        .par_iter()
        .map(|&from| Ok((from, cache.variants(from)?)))
        .collect::<anyhow::Result<_>>()?;
    let mut copies = HashMap::new();
    let mut faults = HashMap::new();
    for (from, result) in made {
        match result {
            Ok(made) => {
                copies.insert(from, made);
            }
            Err(fault) => {
                faults.insert(from, fault);
            }
        }
    }
    Ok(if faults.is_empty() { Ok(copies) } else { Err(image_diagnostics(site, &faults)) })
}

/// What `build` finds wrong with the images it resizes, found without
/// writing anything: for `check`.
pub fn image_faults(site: &Site, root: &Path) -> anyhow::Result<Diagnostics> {
    let cache = images::Cache::new(root.join(CACHE_DIR).join("images"));
    let found: Vec<_> = resizable_images(site)
        .par_iter()
        .map(|&from| Ok(cache.fault(from)?.map(|fault| (from, fault))))
        .collect::<anyhow::Result<_>>()?;
    Ok(image_diagnostics(site, &found.into_iter().flatten().collect()))
}

/// Every JPEG and PNG published beside an article, once.
fn resizable_images(site: &Site) -> Vec<&Path> {
    let mut sources: Vec<&Path> = site
        .articles
        .iter()
        .flat_map(|a| &a.assets)
        .filter(|asset| images::is_resizable(&asset.to))
        .map(|asset| asset.from.as_path())
        .collect();
    sources.sort_unstable();
    sources.dedup();
    sources
}

fn image_diagnostics(site: &Site, faults: &HashMap<&Path, crate::diagnostics::Fault>) -> Diagnostics {
    let mut errors = Diagnostics::default();
    for article in &site.articles {
        for asset in &article.assets {
            if let Some(fault) = faults.get(asset.from.as_path()) {
                let problem = Problem::BadImage { target: asset.to.clone(), fault: fault.clone() };
                errors.push(Diagnostic::file(&article.source, problem));
            }
        }
    }
    errors.sorted()
}
