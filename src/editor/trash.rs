//! "Xóa bài": asked about first, then the file moved to a trash folder out
//! of content/, never deleted.

use std::path::Path;

use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::access::Refusal;
use super::judging::judge;
use super::save::version;
use super::{no_store, Editor, PREFIX};
use crate::failure::{Failing, Step};

/// Where deleted articles go, at the site's root: out of content/, so no
/// build or serve sees them; a person can move one back.
const TRASH: &str = ".bantin-thung-rac";

/// "Xóa bài": asks first (a page naming the article, nothing moved), then,
/// confirmed and unchanged since the form was shown, moves the file into
/// `TRASH/<time>/content/<path>` and goes back to the list.
pub(super) fn delete(
    editor: &Editor,
    relative: &str,
    file: &Path,
    version: &str,
    confirmed: bool,
) -> anyhow::Result<Response> {
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    if self::version(&bytes) != version {
        return Ok(editor.refuse(Refusal::Changed, ""));
    }
    if !confirmed {
        let judged = judge(&editor.root, file, bytes, None, editor.drafts);
        let title = judged.form.map(|f| f.title).unwrap_or_default();
        return Ok(editor.page(
            "editor/delete.html",
            json!({
                "path": relative, "title": title, "action": format!("{PREFIX}{relative}"),
                "token": editor.token, "version": version, "trash": TRASH,
            }),
        ));
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let mut folder = editor.root.join(TRASH).join(&stamp);
    for n in 2.. {
        if !folder.join("content").join(relative).exists() {
            break;
        }
        folder = editor.root.join(TRASH).join(format!("{stamp}-{n}"));
    }
    let target = folder.join("content").join(relative);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).failed(Step::Creating, parent)?;
    }
    std::fs::rename(file, &target).failed(Step::Writing, &target)?;
    let moved = target.strip_prefix(&editor.root).unwrap_or(&target);
    let moved: Vec<_> = moved.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    let query: String =
        form_urlencoded::Serializer::new(String::new()).append_pair("da-xoa", &moved.join("/")).finish();
    Ok(no_store(Redirect::to(&format!("{PREFIX}?{query}")).into_response()))
}
