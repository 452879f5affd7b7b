//! An article's text judged as a build judges it, for the list and the form:
//! its fields, its notes, its URL when serve shows its page, its problems.

use std::path::Path;

use super::form::Fields;
use crate::content::front_matter;
use crate::content::markdown::Markdown;
use crate::diagnostics::Diagnostics;
use crate::pipeline;
use crate::site::Config;
use crate::source::SourceFile;

/// site.yaml and the Markdown renderer it configures; None when it is broken.
pub(super) fn site(root: &Path) -> anyhow::Result<Option<(Config, Markdown)>> {
    Ok(pipeline::read_config(root)?.ok().map(|config| {
        let markdown = Markdown::new(config.glossary.clone(), "");
        (config, markdown)
    }))
}

/// An article's text judged as a build judges it: what the form shows
/// (None when the front matter cannot be read), its URL when serve shows its
/// page, and its problems.
pub(super) struct Judged {
    pub(super) file: SourceFile,
    pub(super) form: Option<Fields>,
    /// The `# kiểm tra:` notes `import` left for a person, with their lines.
    pub(super) notes: Vec<front_matter::Note>,
    pub(super) url: Option<String>,
    /// Not a draft, but its publication time is still to come.
    pub(super) scheduled: bool,
    pub(super) problems: Diagnostics,
}

/// `bytes` as the text of `path` (inside the site at `root`); resolved
/// against `site` when there is one.
pub(super) fn judge(
    root: &Path,
    path: &Path,
    bytes: Vec<u8>,
    site: Option<&(Config, Markdown)>,
    drafts: bool,
) -> Judged {
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let file = match SourceFile::decode(shown.clone(), bytes) {
        Ok(file) => file,
        Err(diagnostic) => {
            let empty = SourceFile::decode(shown, Vec::new()).expect("empty text is UTF-8");
            let problems = Diagnostics(vec![diagnostic]);
            return Judged {
                file: empty,
                form: None,
                notes: Vec::new(),
                url: None,
                scheduled: false,
                problems,
            };
        }
    };
    let mut scheduled = false;
    let (form, notes, url, problems) = match front_matter::parse(&file) {
        Err(problems) => (None, Vec::new(), None, problems),
        Ok((parsed, mut problems)) => {
            let form = Fields::of(&parsed);
            let notes = parsed.notes.clone();
            let mut url = None;
            if let Some((config, markdown)) = site {
                let folder = path.parent().unwrap_or(root);
                match crate::content::article::resolve(&file, folder, &parsed, config, markdown) {
                    // As a build: problems before resolving fail the file even if it resolves.
                    Ok(article) if problems.is_empty() => {
                        scheduled = !article.is_published(false, chrono::Local::now().fixed_offset())
                            && !article.draft;
                        if drafts || !article.draft {
                            url = Some(article.url)
                        }
                    }
                    Ok(_) => {}
                    Err(more) => problems.extend(more),
                }
            }
            (Some(form), notes, url, problems)
        }
    };
    Judged { file, form, notes, url, scheduled, problems: Diagnostics(problems) }
}
