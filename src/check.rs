//! `bantin check`: everything `build` validates, then what a writer should
//! look at before publishing — links and images that point nowhere (errors),
//! summaries too long or missing, catalogue entries and files beside articles
//! that nothing uses (warnings). Writes nothing.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use crate::assemble::Site;
use crate::content::markdown::{self, percent_decoded, Reference};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::manifest::Manifest;
use crate::pipeline::{self, BuildOptions, Checked, Loaded, Report};
use crate::render::RenderedPage;
use crate::source::{lexical, SourceFile};
use crate::vietnamese::nfc;
use crate::yaml::Places;

/// What `check` looks for beyond the build.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// A summary (written or taken from the first paragraph) longer than this
    /// many characters is warned about.
    pub summary_max: usize,
}

/// Loads and renders the site as `build` does, then adds the findings.
/// Errors among them fail the check; warnings are in the report.
pub fn check(options: &BuildOptions, settings: &CheckSettings) -> anyhow::Result<Checked<Report>> {
    let (site, files) = match pipeline::load_all(options)? {
        Ok(loaded) => loaded,
        Err(errors) => return Ok(Err(errors)),
    };
    let pages = match pipeline::render(&site, &options.root)? {
        Ok(pages) => pages,
        Err(errors) => return Ok(Err(errors)),
    };
    let found = findings(&site, &files, &pages, &options.root, settings)?;
    let mut warnings = site.warnings.clone();
    let mut errors = Diagnostics::default();
    for diagnostic in found.0 {
        if diagnostic.problem.is_warning() {
            warnings.push(diagnostic);
        } else {
            errors.push(diagnostic);
        }
    }
    if !errors.is_empty() {
        errors.extend(warnings);
        return Ok(Err(errors.sorted()));
    }
    Ok(Ok(Report {
        articles: site.articles.len(),
        pages: pages.len(),
        files: 0,
        warnings: warnings.sorted(),
    }))
}

/// Every finding beyond the build's own validation, from the files as the
/// build loaded them (`files`, drafts included) and the pages it rendered.
pub fn findings(
    site: &Site,
    files: &[Loaded],
    pages: &[RenderedPage],
    root: &Path,
    settings: &CheckSettings,
) -> anyhow::Result<Diagnostics> {
    let known = Manifest::of(site, root, pages.iter().map(|p| p.url.as_str()))?;
    let links: Vec<Vec<Link>> = files.iter().map(|loaded| body_links(&loaded.parsed.front.body)).collect();
    let mut found = Diagnostics::default();
    // Site paths already reported from an article's source, not reported again from its page.
    let mut already: HashSet<String> = HashSet::new();
    for (loaded, links) in files.iter().zip(&links).filter(|(loaded, _)| loaded.published) {
        found.0.extend(link_findings(site, loaded, links, &known, root, &mut already));
        found.0.extend(summary_findings(loaded, settings));
    }
    found.0.extend(unreferenced_files(files, &links, root)?);
    found.extend(pipeline::image_faults(site, root)?);
    found.0.extend(page_findings(pages, &known, &site.config.base_url, &already));
    found.0.extend(catalogue_findings(site, files, root)?);
    Ok(found.sorted())
}

/// A link or an image in an article's body: its target as written, and
/// the bytes of the body it spans.
struct Link {
    target: String,
    image: bool,
    span: Range<usize>,
}

/// Every link and image of a body, in the build's Markdown dialect.
fn body_links(body: &str) -> Vec<Link> {
    let mut links = Vec::new();
    for (event, span) in Parser::new_ext(body, markdown::dialect()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push(Link { target: dest_url.to_string(), image: false, span })
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                links.push(Link { target: dest_url.to_string(), image: true, span })
            }
            _ => {}
        }
    }
    links
}

/// The folder of a content file, under the site's root.
fn folder_of(loaded: &Loaded, root: &Path) -> PathBuf {
    let path = root.join(&loaded.parsed.file.path);
    path.parent().unwrap_or(root).to_path_buf()
}

/// Links and the cover image of a published article that lead nowhere:
/// errors at the link (or the `image:` key); a link to another article's
/// Markdown file says that article's URL.
fn link_findings(
    site: &Site,
    loaded: &Loaded,
    links: &[Link],
    known: &Manifest,
    root: &Path,
    already: &mut HashSet<String>,
) -> Vec<Diagnostic> {
    let (article, file, parsed) = (&loaded.article, &loaded.parsed.file, &loaded.parsed.front);
    let folder = folder_of(loaded, root);
    // What the article's resolution published: the one decision on files beside it.
    let publishes = |target: &str| {
        let file = Reference::local(target.trim()).map(|r| r.file());
        file.is_some_and(|file| article.assets.iter().any(|asset| asset.to == file))
    };
    let mut resolve = |target: &str, image: bool| -> Option<Problem> {
        let site_path = match classify(target, &site.config.base_url)? {
            Target::Site(path) => path,
            Target::Relative(path) if path.ends_with(".md") => {
                already.insert(join_url(&article.url, &path));
                let source = lexical(&folder.join(&path));
                let shown = source.strip_prefix(root).unwrap_or(&source).to_path_buf();
                let url = site.articles.iter().find(|a| a.source == shown).map(|a| a.url.clone());
                return Some(Problem::MarkdownLink { target: target.to_string(), url });
            }
            Target::Relative(_) if publishes(target) => return None,
            Target::Relative(path) => join_url(&article.url, &path),
        };
        if known.has(&site_path) {
            return None;
        }
        already.insert(site_path);
        let target = target.to_string();
        Some(if image { Problem::MissingImage { target } } else { Problem::BrokenLink { target } })
    };
    let body_start = file.text.len() - parsed.body.len();
    let mut found = Vec::new();
    for link in links {
        if let Some(problem) = resolve(&link.target, link.image) {
            found.push(
                file.diagnostic_over(body_start + link.span.start..body_start + link.span.end, problem),
            );
        }
    }
    if let Some(image) = parsed.raw.image.as_deref() {
        if let Some(relative) = relative_file(image).filter(|_| !publishes(image)) {
            already.insert(join_url(&article.url, &relative));
            let problem = Problem::MissingImage { target: image.to_string() };
            found.push(parsed.at(file, "image", false, problem));
        }
    }
    found
}

/// A summary missing, or longer than `summary_max`: a warning at the
/// `summary:` key when it is written, else on the file.
fn summary_findings(loaded: &Loaded, settings: &CheckSettings) -> Option<Diagnostic> {
    let (file, parsed) = (&loaded.parsed.file, &loaded.parsed.front);
    let chars = loaded.article.summary.chars().count();
    let written = parsed.raw.summary.is_some();
    if chars == 0 {
        return Some(Diagnostic::file(&file.path, Problem::NoSummary));
    }
    if chars <= settings.summary_max {
        return None;
    }
    let problem = Problem::LongSummary { chars, max: settings.summary_max, written };
    Some(if written {
        parsed.at(file, "summary", false, problem)
    } else {
        Diagnostic::file(&file.path, problem)
    })
}

/// Files under content/ that no article (draft or not) links to or shows.
fn unreferenced_files(files: &[Loaded], links: &[Vec<Link>], root: &Path) -> anyhow::Result<Vec<Diagnostic>> {
    // NFC, so that a file whose name on disk is NFD counts as referenced.
    let mut referenced: HashSet<String> = HashSet::new();
    for (loaded, links) in files.iter().zip(links) {
        let folder = folder_of(loaded, root);
        let cover = loaded.parsed.front.raw.image.as_deref();
        for target in links.iter().map(|link| link.target.as_str()).chain(cover) {
            if let Some(relative) = relative_file(target) {
                referenced.insert(file_key(&folder.join(relative)));
            }
        }
    }
    let mut found = Vec::new();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Ok(found);
    }
    for entry in walkdir::WalkDir::new(&content_dir).sort_by_file_name() {
        let entry = entry?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let markdown = entry.path().extension().is_some_and(|e| e == "md");
        if entry.file_type().is_file()
            && !hidden
            && !markdown
            && !referenced.contains(&file_key(entry.path()))
        {
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
            found.push(Diagnostic::file(shown, Problem::UnreferencedFile));
        }
    }
    Ok(found)
}

/// Links and images in the rendered pages (what templates and raw HTML add)
/// that point nowhere: one warning per target, at the first page with it.
fn page_findings(
    pages: &[RenderedPage],
    known: &Manifest,
    base_url: &str,
    already: &HashSet<String>,
) -> Vec<Diagnostic> {
    let mut broken: Vec<(String, String, usize)> = Vec::new();
    for page in pages.iter().filter(|p| p.url.ends_with('/') || p.url.ends_with(".html")) {
        let folder = &page.url[..=page.url.rfind('/').unwrap_or(0)];
        for target in attribute_values(std::str::from_utf8(&page.body).unwrap_or_default()) {
            // Pages link inside the site's folder (`/yen-dinh/2023/…`); the site's paths do not.
            let site_folder = crate::site::config::base_path(base_url);
            let inside = target
                .strip_prefix(site_folder)
                .filter(|rest| !site_folder.is_empty() && rest.starts_with('/'));
            let site_path = match classify(inside.unwrap_or(&target), base_url) {
                Some(Target::Site(path)) => path,
                Some(Target::Relative(path)) => join_url(folder, &path),
                None => continue,
            };
            if known.has(&site_path) || already.contains(&site_path) {
                continue;
            }
            match broken.iter_mut().find(|(t, _, _)| *t == target) {
                Some((_, _, others)) => *others += 1,
                None => broken.push((target, page.url.clone(), 0)),
            }
        }
    }
    broken
        .into_iter()
        .map(|(target, page, others)| Diagnostic::file(page, Problem::BrokenPageLink { target, others }))
        .collect()
}

/// The values of `href="…"` and `src="…"` in a page.
fn attribute_values(html: &str) -> Vec<String> {
    let mut values = Vec::new();
    for name in [" href=\"", " src=\"", "\nhref=\"", "\nsrc=\""] {
        for (at, _) in html.match_indices(name) {
            let rest = &html[at + name.len()..];
            if let Some(end) = rest.find('"') {
                values.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    values
}

/// Where a link points, for checking.
enum Target {
    /// A path of this site: `/2023/08/x/`, or a full URL under `base_url`.
    Site(String),
    /// Relative to the page (or, for an article, to its file), decoded.
    Relative(String),
}

/// None for what is not checked: other sites, `mailto:`, fragments.
fn classify(target: &str, base_url: &str) -> Option<Target> {
    let path = target.split(['#', '?']).next().unwrap_or("").trim();
    if path.is_empty() || path.starts_with("//") {
        return None;
    }
    if let Some(rest) = path.strip_prefix(base_url).filter(|_| !base_url.is_empty()) {
        return Some(Target::Site(format!("/{}", percent_decoded(rest.trim_start_matches('/')))));
    }
    if path.split_once(':').is_some_and(|(scheme, _)| !scheme.contains('/')) {
        return None;
    }
    let decoded = percent_decoded(path);
    Some(if path.starts_with('/') { Target::Site(decoded) } else { Target::Relative(decoded) })
}

/// Organs and indicators of site.yaml that no article (draft or not) uses.
fn catalogue_findings(site: &Site, files: &[Loaded], root: &Path) -> anyhow::Result<Vec<Diagnostic>> {
    let catalog = &site.config.catalog;
    let mut organs_used = vec![false; catalog.organs.len()];
    let mut indicators_used = vec![false; catalog.indicators.len()];
    for raw in files.iter().map(|loaded| &loaded.parsed.front.raw) {
        if let Some(i) = raw.organ.as_deref().and_then(|o| catalog.find_organ(o)) {
            organs_used[i] = true;
        }
        for reading in raw.indicators.iter().flatten() {
            if let Some(i) = reading.id.as_deref().and_then(|id| catalog.find_indicator(id)) {
                indicators_used[i] = true;
            }
        }
    }
    let mut found = Vec::new();
    let Ok(file) = SourceFile::read(root, &root.join("site.yaml"))? else {
        return Ok(found);
    };
    let places = Places::scan(&file.text);
    if !catalog.open_organs {
        for (i, organ) in catalog.organs.iter().enumerate() {
            if !organs_used[i] {
                let problem = Problem::UnusedOrgan { id: organ.id.clone() };
                found.push(places.diagnostic(&file, 1, (&format!("organs[{i}].id"), false), problem));
            }
        }
    }
    for (i, indicator) in catalog.indicators.iter().enumerate() {
        if !indicators_used[i] {
            let problem = Problem::UnusedIndicator { id: indicator.id.clone() };
            found.push(places.diagnostic(&file, 1, (&format!("indicators[{i}].id"), false), problem));
        }
    }
    Ok(found)
}

/// A reference to a file beside the article (relative, not a page, not a
/// URL), decoded.
fn relative_file(target: &str) -> Option<String> {
    Reference::local(target.trim()).map(|r| r.source())
}

/// A relative URL resolved against a page's URL: `/2023/08/a/` + `../b/` → `/2023/08/b/`.
fn join_url(page: &str, relative: &str) -> String {
    let mut segments: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let trailing = if relative.ends_with('/') { "/" } else { "" };
    format!("/{}{trailing}", segments.join("/")).replace("//", "/")
}

/// A file's path with `.` and `..` resolved and its name in NFC: the same
/// for a file as found on disk and as an article names it.
fn file_key(path: &Path) -> String {
    nfc(&lexical(path).to_string_lossy()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_resolve_against_the_page() {
        assert_eq!(join_url("/2023/08/a/", "../b/"), "/2023/08/b/");
        assert_eq!(join_url("/2023/08/a/", "../../07/c/"), "/2023/07/c/");
        assert_eq!(join_url("/2023/08/a/", "anh.jpg"), "/2023/08/a/anh.jpg");
    }

    #[test]
    fn only_relative_files_count_as_files_beside_the_article() {
        assert_eq!(relative_file("dai%20bieu.jpg#x").as_deref(), Some("dai bieu.jpg"));
        for not_a_file in ["https://a.vn/x.jpg", "/2023/08/a/", "../b/", "b.md", "#tren", "mailto:a@b.vn"] {
            assert_eq!(relative_file(not_a_file), None, "{not_a_file}");
        }
    }
}
