//! Saving the form into the Markdown file: only what changed, refused when
//! the file changed on disk or the text has errors, written atomically.

use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};

use super::access::{Refusal, Sent};
use super::figures::Cells;
use super::form::{self, Fields};
use super::form_page::{check, form, pasted_into, retype, Shown};
use super::judging::{judge, site, Judged};
use super::preview::preview;
use super::trash::delete;
use super::{failed, no_store, Editor, PREFIX};
use crate::failure::{Failing, Step};

/// Names one state of a file: a save made from an older one is refused.
pub(super) fn version(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// POST `/_soan/<path>`: writes what changed. A request not from this
/// server's own page (its `Origin`) or without its token changes nothing.
pub(super) async fn save(
    State(editor): State<Arc<Editor>>,
    uri: Uri,
    headers: HeaderMap,
    Sent(body): Sent,
) -> Response {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    if !editor.sent_by_own_page(&headers, value("token")) {
        return editor.refuse(Refusal::Forbidden, "");
    }
    let (relative, file) = match editor.file_of(&uri) {
        Ok(found) => found,
        Err(why) => return editor.refuse(why, ""),
    };
    let version = value("version").unwrap_or_default().to_string();
    if value("xoa").is_some() {
        let confirmed = value("xac-nhan").is_some();
        let work = Arc::clone(&editor);
        let done =
            tokio::task::spawn_blocking(move || delete(&work, &relative, &file, &version, confirmed)).await;
        return match done {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => failed(&editor, &error),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    if uri.query() == Some("dan-bai") {
        let text = value("pasted").unwrap_or_default().to_string();
        let work = Arc::clone(&editor);
        let shown = tokio::task::spawn_blocking(move || pasted_into(&work, &relative, &file, &text)).await;
        return match shown {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => failed(&editor, &error),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    let (mut submitted, wrong) = Fields::submitted(&pairs);
    if uri.query() == Some("kiem-tra") {
        let work = Arc::clone(&editor);
        let shown = tokio::task::spawn_blocking(move || check(&work, &file, &submitted, &wrong)).await;
        return match shown {
            Ok(Ok(response)) => no_store(response),
            Ok(Err(error)) => failed(&editor, &error),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    if uri.query() == Some("xem-truoc") {
        let work = Arc::clone(&editor);
        let shown = tokio::task::spawn_blocking(move || preview(&work, &file, &submitted, &wrong)).await;
        return match shown {
            Ok(Ok(response)) => no_store(response),
            Ok(Err(error)) => failed(&editor, &error),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    // "Đăng bài": the same save with `draft: false`, if nothing is left to check.
    let publish = value("publish").is_some();
    // Notes the person checked: their lines are taken out of the file.
    let checked: Vec<usize> =
        pairs.iter().filter(|(k, _)| k == "checked").filter_map(|(_, v)| v.parse().ok()).collect();
    submitted.draft &= !publish;
    let work = Arc::clone(&editor);
    let written = tokio::task::spawn_blocking(move || {
        if wrong.is_empty() {
            write(&work, &relative, &file, &version, &submitted, publish, &checked)
        } else {
            retype(&work, &relative, &file, &version, &submitted, (Cells::submitted(&pairs), &wrong))
        }
    })
    .await;
    match written {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => failed(&editor, &error),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Writes the submitted fields into the file, unless nothing changed (then
/// its bytes stay as they are), it changed on disk since it was shown, or
/// the new text has errors a build would report (then the form comes back
/// with what was typed and the problems beside their fields).
fn write(
    editor: &Editor,
    relative: &str,
    file: &Path,
    version: &str,
    submitted: &Fields,
    publish: bool,
    checked: &[usize],
) -> anyhow::Result<Response> {
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    if self::version(&bytes) != version {
        return Ok(editor.refuse(Refusal::Changed, ""));
    }
    let judged = judge(&editor.root, file, bytes, None, editor.drafts);
    let Some(old) = &judged.form else {
        return Ok(editor.refuse(Refusal::Unreadable, &judged.problems.render(&editor.messages)));
    };
    let saved = no_store(Redirect::to(&format!("{PREFIX}{relative}?da-luu")).into_response());
    let checked: Vec<usize> =
        judged.notes.iter().map(|n| n.line).filter(|line| checked.contains(line)).collect();
    if publish && judged.notes.len() > checked.len() {
        let site = site(&editor.root)?;
        let shown = Judged { form: Some(submitted.clone()), ..judged };
        return Ok(form(editor, relative, &shown, version, site.as_ref(), Shown::NotPublished, None));
    }
    if old == submitted && checked.is_empty() {
        return Ok(saved);
    }
    let text = form::rewrite(&form::without_lines(&judged.file.text, &checked), old, submitted);
    let site = site(&editor.root)?;
    let new = judge(&editor.root, file, text.clone().into_bytes(), site.as_ref(), editor.drafts);
    // What is written must read back as what was typed, or nothing is written.
    if new.form.as_ref() != Some(submitted) {
        return Ok(editor.refuse(Refusal::Unreadable, ""));
    }
    if new.problems.errors() > 0 {
        return Ok(form(editor, relative, &new, version, site.as_ref(), Shown::Refused, None));
    }
    replace(file, text.as_bytes())?;
    Ok(saved)
}

/// Replaces `file` in one step: a reader (the watcher, a build) sees the old
/// text or the new, never half. The temporary name starts with a dot, which
/// serve and build ignore.
fn replace(file: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = file.with_file_name(format!(".{name}.soan"));
    let mut out = std::fs::File::create(&temporary).failed(Step::Writing, &temporary)?;
    out.write_all(bytes).failed(Step::Writing, &temporary)?;
    out.sync_all().failed(Step::Writing, &temporary)?;
    drop(out);
    std::fs::rename(&temporary, file).failed(Step::Writing, file)
}
