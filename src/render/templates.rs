//! The default templates, embedded in the binary, and loading a site's
//! templates/ over them: a site file replaces the default of the same name.

use std::collections::HashSet;
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

/// A site's templates, compiled, and which of them show what changes with
/// every new article among the variables every page has.
pub struct Templates {
    pub tera: Tera,
    /// The templates whose pages may show `site.organs` or `site.years`
    /// (their counts change with every article added); None: any may.
    counted: Option<HashSet<String>>,
}

impl Templates {
    /// Whether pages of `template` may show the site's organs and years.
    pub fn shows_counts(&self, template: &str) -> bool {
        self.counted.as_ref().is_none_or(|names| names.contains(template))
    }
}

/// The fields of `site` that do not change with the articles.
const FIXED: &[&str] = &["title", "description", "base_url", "language", "logo", "publisher"];

/// The templates whose pages may show `site.organs` or `site.years`: those
/// naming `site` other than by a fixed field, or the whole context
/// (`__tera_context`), and those extending one of them; None when another
/// template names one of them (it may be included anywhere). Read off each
/// template's syntax tree as `Debug` prints it, where every variable named
/// is an `Ident("…")`: a site's own template is read as surely as ours.
fn counted(tera: &Tera) -> Option<HashSet<String>> {
    let trees: Vec<(&str, String)> = tera
        .templates
        .iter()
        .map(|(name, template)| (name.as_str(), format!("{:?}", template.ast)))
        .collect();
    let showing: HashSet<&str> =
        trees.iter().filter(|(_, tree)| names_counts(tree)).map(|(n, _)| *n).collect();
    let named =
        |name: &str| trees.iter().any(|(other, tree)| *other != name && tree.contains(&format!("{name:?}")));
    if showing.iter().any(|name| named(name)) {
        return None;
    }
    let extends_one = |parents: &[String]| parents.iter().any(|p| showing.contains(p.as_str()));
    let counted =
        tera.templates.iter().filter(|(name, t)| showing.contains(name.as_str()) || extends_one(&t.parents));
    Some(counted.map(|(name, _)| name.clone()).collect())
}

/// Whether a template's syntax tree names `site` other than by a fixed field.
fn names_counts(tree: &str) -> bool {
    tree.split("Ident(\"").skip(1).any(|rest| {
        let ident = rest.split(['"', '\\']).next().unwrap_or_default();
        let Some(after) = ident.strip_prefix("site") else { return ident == "__tera_context" };
        match after.strip_prefix('.') {
            Some(field) => !FIXED.contains(&field.split(['.', '[']).next().unwrap_or_default()),
            // `site` itself or `site[…]`, not `sites`.
            None => !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'),
        }
    })
}

/// The defaults with the site's own templates laid over them, compiled once.
/// The `url` filter links to the fingerprinted names of the theme files in
/// static/, the folder beside templates/.
pub fn load(templates_dir: &Path, base_url: &str) -> anyhow::Result<Result<Templates, Diagnostic>> {
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
    let counted = counted(&tera);
    Ok(Ok(Templates { tera, counted }))
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
    use super::{load, unfingerprinted};

    #[test]
    fn the_pages_that_may_show_the_sites_counts_are_those_of_templates_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let defaults = load(&dir.path().join("templates"), "").unwrap().unwrap();
        let showing: Vec<&str> = (defaults.tera.get_template_names())
            .filter(|name| defaults.shows_counts(name))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(showing, ["search.html", "year.html"]);
        let site = |base: &str, with: &[(&str, &str)]| {
            let dir = tempfile::tempdir().unwrap();
            let templates = dir.path().join("templates");
            std::fs::create_dir_all(templates.join("partials")).unwrap();
            std::fs::write(templates.join("base.html"), base).unwrap();
            for (name, text) in with {
                std::fs::write(templates.join(name), text).unwrap();
            }
            load(&templates, "").unwrap().unwrap()
        };
        let base = "<title>{{ site.title }}</title>{% block main %}{% endblock main %}";
        // Fixed fields only: the article page does not show the counts.
        assert!(!site(base, &[]).shows_counts("article.html"));
        // Shown by the base: every page that extends it.
        for nav in [
            "{% for o in site.organs %}{{ o.name }}{% endfor %}",
            "{% set s = site %}",
            "{{ site[\"years\"] }}",
            "{{ __tera_context }}",
        ] {
            let templates = site(&format!("{base}{nav}"), &[]);
            assert!(templates.shows_counts("article.html") && templates.shows_counts("index.html"), "{nav}");
        }
        // Shown by an included partial: any page may include it.
        let partial = [("partials/nam.html", "{% for y in site.years %}{{ y.count }}{% endfor %}")];
        let included = site(&format!("{base}{{% include \"partials/nam.html\" %}}"), &partial);
        assert!(included.shows_counts("article.html"));
        // A variable that only begins like it.
        assert!(
            !site(&format!("{base}{{% set sites = 1 %}}{{{{ sites }}}}"), &[]).shows_counts("article.html")
        );
    }

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
