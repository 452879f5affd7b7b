//! The form for one article: what it shows (fields, figures, the notes of
//! `import`, the catalogue's organs and indicators, problems beside their
//! fields), and the problems a save would meet, asked for as one types.

use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::access::Refusal;
use super::create::imported;
use super::figures::Cells;
use super::form::{self, Fields};
use super::judging::{judge, site, Judged};
use super::save::version;
use super::{failed, Editor, PREFIX, TOKEN_HEADER};
use crate::content::front_matter;
use crate::content::markdown::Markdown;
use crate::diagnostics::Problem;
use crate::failure::{Failing, Step};
use crate::site::Config;
use crate::source::SourceFile;

/// `/_soan/<path>`: the form for one article.
pub(super) async fn open(State(editor): State<Arc<Editor>>, uri: Uri) -> Response {
    let (relative, file) = match editor.file_of(&uri) {
        Ok(found) => found,
        Err(why) => return editor.refuse(why, ""),
    };
    let saved = uri.query().is_some_and(|q| q.split('&').any(|p| p == "da-luu"));
    let work = Arc::clone(&editor);
    let shown = tokio::task::spawn_blocking(move || form_page(&work, &relative, &file, saved)).await;
    match shown {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => failed(&editor, &error),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn form_page(editor: &Editor, relative: &str, file: &Path, saved: bool) -> anyhow::Result<Response> {
    let site = site(&editor.root)?;
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    let version = version(&bytes);
    let judged = judge(&editor.root, file, bytes, site.as_ref(), editor.drafts);
    let shown = if saved { Shown::Saved } else { Shown::Opened };
    Ok(form(editor, relative, &judged, &version, site.as_ref(), shown, None))
}

/// Why the form is shown.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Shown {
    Opened,
    /// Right after a save.
    Saved,
    /// A save refused for the errors of what was typed, shown in it.
    Refused,
    /// "Đăng bài" refused: notes of `import` are still to be checked.
    NotPublished,
    /// Filled by "Dán bài" from a pasted text, not saved yet.
    Pasted,
}

/// The form for `judged`; `version` names the file's state it was made from.
pub(super) fn form(
    editor: &Editor,
    relative: &str,
    judged: &Judged,
    version: &str,
    site: Option<&(Config, Markdown)>,
    shown: Shown,
    typed: Option<Typed>,
) -> Response {
    let problems = judged.problems.render(&editor.messages);
    let Some(fields) = &judged.form else {
        return editor.refuse(Refusal::Unreadable, &problems);
    };
    let (cells, wrong) = typed.unwrap_or_else(|| (Cells::of(&fields.figures), &[]));
    let beside = beside(editor, judged, wrong);
    // Each note of `import` beside the field it is about, or above the form.
    let notes: Vec<_> = judged
        .notes
        .iter()
        .map(|n| {
            let key = form::note_key(&judged.file.text, n.line).filter(|k| form::KEYS.contains(&k.as_str()));
            // A pasted text's notes are not in the file: there is no line to take out.
            json!({ "line": n.line, "text": n.text, "key": key, "checkable": shown != Shown::Pasted })
        })
        .collect();
    // Each organ with what a search matches: its name and aliases, as slugs.
    let organs: Vec<_> = site
        .iter()
        .flat_map(|(config, _)| config.catalog.organs.iter())
        .map(|o| {
            let words: Vec<String> = std::iter::once(&o.name)
                .chain(&o.aliases)
                .map(|n| crate::vietnamese::slug::slugify(n))
                .collect();
            json!({ "name": o.name, "search": words.join(" ") })
        })
        .collect();
    let organ_names: Vec<&str> = organs.iter().filter_map(|o| o["name"].as_str()).collect();
    let catalog = site.map(|(config, _)| &config.catalog);
    let indicators: Vec<_> = catalog
        .iter()
        .flat_map(|c| c.indicators.iter().map(|i| json!({ "id": i.id, "label": i.label, "unit": i.unit })))
        .collect();
    let areas: Vec<_> =
        catalog.iter().flat_map(|c| c.areas.iter().map(|a| json!({ "id": a.id, "name": a.name }))).collect();
    let open_organs = site.is_none_or(|(config, _)| config.catalog.open_organs);
    let mut response = editor.page(
        "editor/form.html",
        json!({
            "path": relative,
            "action": format!("{PREFIX}{}", relative),
            "fields": fields,
            "tags": fields.tags.join(", "),
            "figures": cells,
            "indicators": indicators,
            "areas": areas,
            "organs": organs,
            "organ_known": organ_names.contains(&fields.organ.as_str()),
            "site_tags": site_tags(&editor.content()),
            "summary_max": crate::import::SUMMARY_MAX,
            "glossary": site.map(|(config, _)| config.glossary.clone()).unwrap_or_default(),
            "open_organs": open_organs,
            "url": judged.url,
            "problems": problems,
            "beside": beside,
            "token": editor.token,
            "token_header": TOKEN_HEADER,
            "version": version,
            "saved": shown == Shown::Saved,
            "refused": shown == Shown::Refused,
            "not_published": shown == Shown::NotPublished,
            "pasted": shown == Shown::Pasted,
            "notes": notes,
        }),
    );
    if matches!(shown, Shown::Refused | Shown::NotPublished) {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// Each problem of `judged` beside the field whose key it points at, and
/// each figure's cell that is not a number (by its input's name).
fn beside(
    editor: &Editor,
    judged: &Judged,
    wrong: &[(String, Problem)],
) -> serde_json::Map<String, serde_json::Value> {
    let mut beside = serde_json::Map::new();
    for diagnostic in &judged.problems.0 {
        if let Some(key) = form::key_at(&judged.file.text, diagnostic.line) {
            let entry = beside.entry(key).or_insert_with(|| json!(""));
            *entry =
                json!(format!("{}{}", entry.as_str().unwrap_or(""), diagnostic.render(&editor.messages)));
        }
    }
    for (name, problem) in wrong {
        let diagnostic = crate::diagnostics::Diagnostic::file(&judged.file.path, problem.clone());
        beside.insert(name.clone(), json!(diagnostic.render(&editor.messages)));
    }
    beside
}

/// POST `/_soan/<path>?kiem-tra`: the problems a save of the form would
/// meet, by field (JSON: `{"date": "lỗi: …"}`), as the form shows them
/// after a refused save; warnings too. Nothing is written.
pub(super) fn check(
    editor: &Editor,
    file: &Path,
    submitted: &Fields,
    wrong: &[(String, Problem)],
) -> anyhow::Result<Response> {
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    let judged = judge(&editor.root, file, bytes, None, editor.drafts);
    let Some(old) = &judged.form else {
        return Ok(json_response(&serde_json::Map::new()));
    };
    let text = form::rewrite(&judged.file.text, old, submitted);
    let site = site(&editor.root)?;
    let new = judge(&editor.root, file, text.into_bytes(), site.as_ref(), editor.drafts);
    Ok(json_response(&beside(editor, &new, wrong)))
}

fn json_response(map: &serde_json::Map<String, serde_json::Value>) -> Response {
    let text = serde_json::to_string(map).expect("strings serialize");
    ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], text).into_response()
}

/// Every tag the site's articles use, for suggestions, in Vietnamese order.
fn site_tags(content: &Path) -> Vec<String> {
    let mut tags = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(content).into_iter().flatten() {
        let is_article = entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md");
        let Some(bytes) = is_article.then(|| std::fs::read(entry.path()).ok()).flatten() else { continue };
        let Ok(file) = SourceFile::decode(entry.path().to_path_buf(), bytes) else { continue };
        if let Ok((parsed, _)) = front_matter::parse(&file) {
            tags.extend(parsed.raw.tags.into_iter().flatten());
        }
    }
    let mut tags: Vec<String> = tags.into_iter().collect();
    let collation = crate::vietnamese::collate::Collation::vietnamese();
    tags.sort_by(|a, b| collation.compare(a, b));
    tags
}

/// The figures' rows as typed, and their cells that are not numbers.
type Typed<'a> = (Vec<Cells>, &'a [(String, Problem)]);

/// The form again, with what was typed, when a figure's cell is not a
/// number: nothing is written.
pub(super) fn retype(
    editor: &Editor,
    relative: &str,
    file: &Path,
    version: &str,
    submitted: &Fields,
    typed: Typed,
) -> anyhow::Result<Response> {
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    let judged = judge(&editor.root, file, bytes, None, editor.drafts);
    let shown = Judged { form: Some(submitted.clone()), ..judged };
    let site = site(&editor.root)?;
    Ok(form(editor, relative, &shown, version, site.as_ref(), Shown::Refused, Some(typed)))
}

/// POST `/_soan/<path>?dan-bai`: "Dán bài" on an article's form: the
/// pasted text read by `import` as on the list, shown in this article's
/// form with its notes beside their fields; what the text leaves empty
/// and the article's draft state kept. Nothing is written until the form
/// is saved.
pub(super) fn pasted_into(
    editor: &Editor,
    relative: &str,
    file: &Path,
    text: &str,
) -> anyhow::Result<Response> {
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    let version = version(&bytes);
    let kept = judge(&editor.root, file, bytes, None, editor.drafts).form;
    let markdown = match imported(editor, text)? {
        Ok((_, markdown)) => markdown,
        Err(problems) => return Ok(editor.refuse(Refusal::NotCreated, &problems.render(&editor.messages))),
    };
    let site = site(&editor.root)?;
    let mut judged = judge(&editor.root, file, markdown.into_bytes(), site.as_ref(), editor.drafts);
    judged.form = match (judged.form, kept) {
        (Some(pasted), Some(kept)) => Some(pasted.or_kept(kept)),
        (pasted, _) => pasted,
    };
    Ok(form(editor, relative, &judged, &version, site.as_ref(), Shown::Pasted, None))
}
