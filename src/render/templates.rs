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
    ("partials/card.html", include_str!("../../templates/partials/card.html")),
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

/// The theme files every page links to. A build publishes each a second
/// time under a name holding a hash of its bytes (`/style.3f9a2c1b.css`),
/// which pages link to, so hosts may cache them for a year: a changed file
/// gets a new name.
const FINGERPRINTED: &[&str] = &["style.css", "logo.svg"];

/// A fingerprinted theme file: its plain path, its hashed path and bytes.
pub struct Fingerprinted {
    pub path: String,
    pub hashed: String,
    pub bytes: Vec<u8>,
}

/// Each fingerprinted theme file as a build publishes it: from the site's
/// static/ if it has one of that name, else the default theme's.
pub fn fingerprinted(static_dir: &Path) -> anyhow::Result<Vec<Fingerprinted>> {
    let mut files = Vec::new();
    for name in FINGERPRINTED {
        let own = static_dir.join(name);
        let bytes = match own.is_file() {
            true => std::fs::read(&own).failed(Step::Reading, &own)?,
            false => {
                DEFAULT_STATIC.iter().find(|(n, _)| n == name).map(|(_, b)| b.to_vec()).unwrap_or_default()
            }
        };
        let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
        let hashed = format!("/{stem}.{:08x}.{extension}", crc32fast::hash(&bytes));
        files.push(Fingerprinted { path: format!("/{name}"), hashed, bytes });
    }
    Ok(files)
}

/// The plain path of a fingerprinted name (`/style.3f9a2c1b.css` →
/// `/style.css`), whatever its hash: the preview server serves the file as
/// it is now under the name a page was rendered with.
pub fn unfingerprinted(path: &str) -> Option<String> {
    let (folder, file) = path.rsplit_once('/')?;
    let (rest, extension) = file.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    let plain = format!("{stem}.{extension}");
    let hex = hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (folder.is_empty() && hex && FINGERPRINTED.contains(&plain.as_str())).then(|| format!("/{plain}"))
}

/// The defaults with the site's own templates laid over them, compiled once.
/// The `url` filter links to the fingerprinted names of the theme files in
/// static/, the folder beside templates/.
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
            // The preview server's editor's own (`bantin serve`, /_soan/), not the site's pages.
            if name.starts_with("editor/") {
                continue;
            }
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
    let hashed =
        fingerprinted(&templates_dir.with_file_name("static"))?.into_iter().map(|f| (f.path, f.hashed));
    super::filters::register(&mut tera, base_url, hashed.collect());
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

#[cfg(test)]
mod tests {
    use super::unfingerprinted;

    #[test]
    fn only_a_theme_file_at_the_root_with_eight_hex_digits_is_taken_for_a_hashed_name() {
        assert_eq!(unfingerprinted("/style.3f9a2c1b.css").as_deref(), Some("/style.css"));
        assert_eq!(unfingerprinted("/logo.00ff00aa.svg").as_deref(), Some("/logo.svg"));
        for path in ["/style.css", "/style.3F9A2C1B.css", "/style.3f9a2c1.css", "/in/style.3f9a2c1b.css"] {
            assert_eq!(unfingerprinted(path), None, "{path}");
        }
        // An author's file whose name looks hashed is left alone.
        assert_eq!(unfingerprinted("/bao-cao.20230815.pdf"), None);
        assert_eq!(unfingerprinted("/hội-nghị.3f9a2c1b.css"), None);
    }
}
