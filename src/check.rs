//! `bantin check`: everything `build` validates, then what a writer should
//! look at before publishing — links and images that point nowhere (errors),
//! summaries too long or missing, catalogue entries and files beside articles
//! that nothing uses (warnings). Writes nothing.

use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};

use crate::assemble::Site;
use crate::content::markdown::{self, percent_decoded, Reference};
use crate::content::{self, front_matter};
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::manifest::Manifest;
use crate::pipeline::{self, BuildOptions, Checked, Report};
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
    let (site, pages) = match pipeline::load_and_render(options)? {
        Ok(done) => done,
        Err(errors) => return Ok(Err(errors)),
    };
    let found = findings(&site, &pages, &options.root, settings)?;
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

/// Every finding beyond the build's own validation.
pub fn findings(
    site: &Site,
    pages: &[RenderedPage],
    root: &Path,
    settings: &CheckSettings,
) -> anyhow::Result<Diagnostics> {
    let mut found = Diagnostics::default();
    let known = Manifest::of(site, root, pages.iter().map(|p| p.url.as_str()))?;
    let base_url = site.config.base_url.as_str();
    let catalog = &site.config.catalog;
    // NFC, so that a file whose name on disk is NFD counts as referenced.
    let mut referenced: HashSet<String> = HashSet::new();
    let mut organs_used = vec![false; catalog.organs.len()];
    // Site paths already reported from an article's source, not reported again from its page.
    let mut already: HashSet<String> = HashSet::new();
    let mut indicators_used = vec![false; catalog.indicators.len()];
    let content_dir = root.join("content");
    for path in content::discover(&content_dir)? {
        let file = match SourceFile::read(root, &path)? {
            Ok(file) => file,
            Err(_) => continue,
        };
        let Ok((parsed, _)) = front_matter::parse(&file) else {
            continue;
        };
        let folder = path.parent().unwrap_or(root);
        if let Some(i) = parsed.raw.organ.as_deref().and_then(|o| catalog.find_organ(o)) {
            organs_used[i] = true;
        }
        for reading in parsed.raw.indicators.iter().flatten() {
            if let Some(i) = reading.id.as_deref().and_then(|id| catalog.find_indicator(id)) {
                indicators_used[i] = true;
            }
        }
        let article = site.articles.iter().find(|a| a.source == file.path);
        let body_start = file.text.len() - parsed.body.len();
        let mut links = Vec::new();
        for (event, range) in Parser::new_ext(&parsed.body, markdown::dialect()).into_offset_iter() {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => links.push((dest_url.to_string(), false, range)),
                Event::Start(Tag::Image { dest_url, .. }) => links.push((dest_url.to_string(), true, range)),
                _ => {}
            }
        }
        for (target, _, _) in &links {
            if let Some(relative) = relative_file(target) {
                referenced.insert(file_key(&folder.join(relative)));
            }
        }
        if let Some(image) = parsed.raw.image.as_deref().and_then(relative_file) {
            referenced.insert(file_key(&folder.join(image)));
        }
        let Some(article) = article else {
            continue; // a draft or a scheduled article: not on the site yet
        };
        // What the article's resolution published: the one decision on files beside it.
        let publishes = |target: &str| {
            let file = Reference::local(target.trim()).map(|r| r.file());
            file.is_some_and(|file| article.assets.iter().any(|asset| asset.to == file))
        };
        let mut resolve = |target: &str, image: bool| -> Option<Problem> {
            let site_path = match classify(target, base_url)? {
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
        for (target, image, range) in &links {
            if let Some(problem) = resolve(target, *image) {
                found.push(file.diagnostic_over(body_start + range.start..body_start + range.end, problem));
            }
        }
        if let Some(image) = parsed.raw.image.as_deref() {
            if let Some(relative) = relative_file(image).filter(|_| !publishes(image)) {
                already.insert(join_url(&article.url, &relative));
                let problem = Problem::MissingImage { target: image.to_string() };
                found.push(parsed.at(&file, "image", false, problem));
            }
        }
        let chars = article.summary.chars().count();
        let written = parsed.raw.summary.is_some();
        if chars == 0 {
            found.push(Diagnostic::file(&file.path, Problem::NoSummary));
        } else if chars > settings.summary_max {
            let problem = Problem::LongSummary { chars, max: settings.summary_max, written };
            found.push(if written {
                parsed.at(&file, "summary", false, problem)
            } else {
                Diagnostic::file(&file.path, problem)
            });
        }
    }
    if content_dir.is_dir() {
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
    }
    found.extend(pipeline::image_faults(site, root)?);
    found.0.extend(page_findings(pages, &known, base_url, &already));
    found.0.extend(catalogue_findings(site, root, (&organs_used, &indicators_used))?);
    Ok(found.sorted())
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
fn catalogue_findings(
    site: &Site,
    root: &Path,
    (organs_used, indicators_used): (&[bool], &[bool]),
) -> anyhow::Result<Vec<Diagnostic>> {
    let mut found = Vec::new();
    let Ok(file) = SourceFile::read(root, &root.join("site.yaml"))? else {
        return Ok(found);
    };
    let places = Places::scan(&file.text);
    let catalog = &site.config.catalog;
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
