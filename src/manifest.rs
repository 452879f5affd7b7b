//! What a site publishes: every site path a build writes and where its bytes
//! come from. `build` writes these paths, `serve` answers these (and a theme
//! file under any fingerprinted name, as it is now) and `check` takes a link
//! for good when it names one, so the three agree by construction. Only
//! plain files are listed: a symlink in static/ is not published (SPEC §7),
//! and the files beside articles are those their resolution judged inside
//! the site (`Article::assets`). Compressed copies (`.gz`, `.br`) are
//! `output`'s, made from a listed path's bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::assemble::Site;
use crate::images;
use crate::output::page_file;
use crate::render::templates::{self, DEFAULT_STATIC};

/// Where a published file's bytes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A page or a file of the search index, rendered in memory: its URL (`/a/b/`).
    Rendered(String),
    /// A file beside an article: its real path.
    Asset(PathBuf),
    /// A resized copy of an image beside an article.
    Resized { from: PathBuf, width: u32 },
    /// A file of the default theme.
    Theme(&'static [u8]),
    /// A file of the site's static/.
    Static(PathBuf),
    /// A theme file under its fingerprinted name: the bytes of its plain path.
    Fingerprinted(String),
}

/// Every published path (the file's: `/a/b/index.html`) and its source.
#[derive(Debug, Default)]
pub struct Manifest {
    files: BTreeMap<String, Source>,
}

impl Manifest {
    /// The paths of a site whose pages and search files have these URLs, in
    /// the order a build writes them, a later source of a path replacing an
    /// earlier one: rendered files, files beside articles, the default
    /// theme, static/ (which may replace any of those), fingerprinted names.
    pub fn of<'u>(
        site: &Site,
        root: &Path,
        rendered: impl IntoIterator<Item = &'u str>,
    ) -> anyhow::Result<Manifest> {
        let mut files = BTreeMap::new();
        for url in rendered {
            files.insert(page_file(url), Source::Rendered(url.to_string()));
        }
        for article in &site.articles {
            for asset in &article.assets {
                files.insert(format!("{}{}", article.url, asset.to), Source::Asset(asset.from.clone()));
            }
        }
        for (name, bytes) in DEFAULT_STATIC {
            files.insert(format!("/{name}"), Source::Theme(bytes));
        }
        let static_dir = root.join("static");
        if static_dir.is_dir() {
            for entry in walkdir::WalkDir::new(&static_dir).sort_by_file_name() {
                let entry = entry?;
                // Not `is_file` of the path: a symlink is left out, not followed.
                if entry.file_type().is_file() {
                    let relative =
                        entry.path().strip_prefix(&static_dir)?.to_string_lossy().replace('\\', "/");
                    files.insert(format!("/{relative}"), Source::Static(entry.into_path()));
                }
            }
        }
        for theme in templates::fingerprinted(&static_dir)? {
            files.insert(theme.hashed, Source::Fingerprinted(theme.path));
        }
        Ok(Manifest { files })
    }

    /// Rendered files made after the others (the search index): `gone`
    /// are published no more, `new` are.
    pub fn rendered_instead<'u>(
        &mut self,
        gone: impl IntoIterator<Item = &'u String>,
        new: impl IntoIterator<Item = &'u String>,
    ) {
        for url in gone {
            self.files.remove(&page_file(url));
        }
        for url in new {
            self.files.insert(page_file(url), Source::Rendered(url.clone()));
        }
    }

    /// The source of a site path: a listed file, a folder's index page
    /// (`/a/b/`), or a resized copy of an image beside an article that is
    /// wider than the copy.
    pub fn source(&self, site_path: &str) -> Option<Source> {
        if let Some(source) = self.files.get(&page_file(site_path)) {
            return Some(source.clone());
        }
        let (original, width) = images::resized_copy(site_path)?;
        let Some(Source::Asset(from)) = self.files.get(&original) else { return None };
        let (wide, _) = images::dimensions(from)?;
        images::variant_widths(wide)
            .any(|w| w == width)
            .then(|| Source::Resized { from: from.clone(), width })
    }

    /// A folder with an index page: `/a/b` names `/a/b/`.
    pub fn is_folder(&self, site_path: &str) -> bool {
        !site_path.ends_with('/') && self.files.contains_key(&format!("{site_path}/index.html"))
    }

    /// The site has this path, as a file or a folder.
    pub fn has(&self, site_path: &str) -> bool {
        self.is_folder(site_path) || self.source(site_path).is_some()
    }

    /// Every path with its source, resized copies included (their widths
    /// read from each image's header), by path.
    pub fn entries(&self) -> Vec<(String, Source)> {
        let mut entries = Vec::with_capacity(self.files.len());
        for (path, source) in &self.files {
            entries.push((path.clone(), source.clone()));
            if let Source::Asset(from) = source {
                let wide = images::is_resizable(path).then(|| images::dimensions(from)).flatten();
                for width in wide.into_iter().flat_map(|(w, _)| images::variant_widths(w)) {
                    let resized = Source::Resized { from: from.clone(), width };
                    entries.push((images::variant_path(path, width), resized));
                }
            }
        }
        entries
    }
}
