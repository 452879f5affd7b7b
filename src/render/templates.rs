//! The default templates, embedded in the binary, and loading a site's
//! templates/ over them: a site file replaces the default of the same name.

use std::path::Path;

use crate::failure::{Failing, Step};
use tera::Tera;

use crate::diagnostics::{Diagnostic, Problem};

/// Every default template by name; also what `bantin init` writes out.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("month.html", include_str!("../../templates/month.html")),
    ("year.html", include_str!("../../templates/year.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("organs.html", include_str!("../../templates/organs.html")),
    ("organ.html", include_str!("../../templates/organ.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("indicators.html", include_str!("../../templates/indicators.html")),
    ("indicator.html", include_str!("../../templates/indicator.html")),
    ("indicator.csv", include_str!("../../templates/indicator.csv")),
    ("partials/indicators.html", include_str!("../../templates/partials/indicators.html")),
    ("partials/span.html", include_str!("../../templates/partials/span.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("search.js", include_str!("../../templates/search.js")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// Files of the default theme published at the site's root unless the
/// site's static/ has one of the same name; also what `init` writes: the
/// stylesheet, the emblem (favicon and header, site.yaml `logo:`) and the
/// image shared pages show when they have none of their own.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("logo.svg", include_bytes!("../../static/logo.svg")),
    ("chia-se.png", include_bytes!("../../static/chia-se.png")),
];

/// The defaults with the site's own templates laid over them, compiled once.
pub fn load(templates_dir: &Path, base_url: &str) -> anyhow::Result<Result<Tera, Diagnostic>> {
    let mut sources: Vec<(String, String)> =
        DEFAULT_TEMPLATES.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect();
    if templates_dir.is_dir() {
        for entry in walkdir::WalkDir::new(templates_dir).sort_by_file_name() {
            let entry = entry?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.path().strip_prefix(templates_dir)?.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(entry.path()).failed(Step::Reading, entry.path())?;
            match sources.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => sources.push((name, text)),
            }
        }
    }
    let mut tera = Tera::default();
    if let Err(error) = tera.add_raw_templates(sources) {
        let shown = templates_dir.file_name().map_or("templates".into(), |n| n.to_string_lossy());
        return Ok(Err(Diagnostic::file(shown.as_ref(), Problem::Template { message: error_chain(&error) })));
    }
    tera.set_escape_fn(crate::html::escape);
    super::filters::register(&mut tera, base_url);
    Ok(Ok(tera))
}

/// Tera's error with every cause, on one line each.
pub fn error_chain(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!("\n    {cause}"));
        source = cause.source();
    }
    text
}
