//! The list at `/_soan/`: every article, those with problems first, then
//! drafts, then the newest; filtered by organ, month, status and title.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use serde_json::json;

use super::judging::{judge, site};
use super::{failed, Editor, TOKEN_HEADER};
use crate::failure::{Failing, Step};

/// One article as the list shows it.
#[derive(serde::Serialize)]
struct Row {
    path: String,
    title: String,
    date: String,
    draft: bool,
    errors: usize,
    url: Option<String>,
    organ: String,
    /// `2023-08`, from the date as written (empty when it is not a date).
    month: String,
    /// What the status filter matches: `co-loi`, `nhap`, `hen-gio`, `da-dang`.
    status: &'static str,
}

/// `/_soan/`: every article, those with problems first, then drafts, then
/// the newest.
pub(super) async fn list(State(editor): State<Arc<Editor>>, uri: Uri) -> Response {
    let asked: Vec<(String, String)> =
        form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let asked = |key: &str| {
        asked.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
    };
    let work = Arc::clone(&editor);
    let rows = tokio::task::spawn_blocking(move || rows(&work)).await;
    match rows {
        Ok(Ok((rows, organs))) => {
            let mut months: Vec<&str> =
                rows.iter().map(|r| r.month.as_str()).filter(|m| !m.is_empty()).collect();
            months.sort_unstable_by(|a, b| b.cmp(a));
            months.dedup();
            let filter = json!({
                "organ": asked("co-quan"), "month": asked("thang"),
                "status": asked("trang-thai"), "title": asked("tim"),
            });
            // A title searched without diacritics or tone placement: as slugs.
            let words = asked("tim").map(|t| crate::vietnamese::slug::slugify(&t));
            let shown: Vec<&Row> = rows
                .iter()
                .filter(|r| asked("co-quan").is_none_or(|o| r.organ == o))
                .filter(|r| asked("thang").is_none_or(|m| r.month == m))
                .filter(|r| asked("trang-thai").is_none_or(|s| r.status == s))
                .filter(|r| {
                    words
                        .as_ref()
                        .is_none_or(|w| crate::vietnamese::slug::slugify(&r.title).contains(w.as_str()))
                })
                .collect();
            editor.page(
                "editor/list.html",
                json!({
                    "rows": shown, "total": rows.len(), "organs": organs, "months": months,
                    "filter": filter, "token": editor.token, "token_header": TOKEN_HEADER,
                    "deleted": asked("da-xoa"),
                }),
            )
        }
        Ok(Err(error)) => failed(&editor, &error),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The rows, and the catalogue's organs for "Bài mới".
fn rows(editor: &Editor) -> anyhow::Result<(Vec<Row>, Vec<String>)> {
    let site = site(&editor.root)?;
    let content = editor.content();
    let mut rows = Vec::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.failed(Step::Reading, &content)?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || !name.ends_with(".md") || name.starts_with('.') {
            continue;
        }
        let bytes = std::fs::read(entry.path()).failed(Step::Reading, entry.path())?;
        let judged = judge(&editor.root, entry.path(), bytes, site.as_ref(), editor.drafts);
        let fields = judged.form;
        let relative = entry.path().strip_prefix(&content).unwrap_or(entry.path());
        let path =
            relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let date = fields.as_ref().map(|f| f.date.clone()).unwrap_or_default();
        let draft = fields.as_ref().is_some_and(|f| f.draft);
        let errors = judged.problems.errors();
        let organ = fields.as_ref().map(|f| f.organ.clone()).unwrap_or_default();
        let organ = site
            .as_ref()
            .and_then(|(config, _)| {
                config.catalog.find_organ(&organ).map(|i| config.catalog.organs[i].name.clone())
            })
            .unwrap_or(organ);
        let month = crate::vietnamese::date::parse_date(&date)
            .map(|(day, _)| format!("{:04}-{:02}", day.year(), day.month()))
            .unwrap_or_default();
        let status = match () {
            _ if errors > 0 => "co-loi",
            _ if draft => "nhap",
            _ if judged.scheduled => "hen-gio",
            _ => "da-dang",
        };
        rows.push(Row {
            title: fields.as_ref().map(|f| f.title.clone()).filter(|t| !t.is_empty()).unwrap_or(path.clone()),
            date,
            draft,
            errors,
            url: judged.url,
            organ,
            month,
            status,
            path,
        });
    }
    rows.sort_by(|a, b| {
        (b.errors > 0, b.draft, &b.date, &b.path).cmp(&(a.errors > 0, a.draft, &a.date, &a.path))
    });
    let organs = site.iter().flat_map(|(config, _)| config.catalog.organs.iter().map(|o| o.name.clone()));
    Ok((rows, organs.collect()))
}
