//! New articles: "Bài mới" (what `bantin new` does), "Dán bài" (a pasted
//! text read by `import`) and a dropped Word document, web page or text
//! imported as `bantin import` does; each opens the new article's form.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::access::{Refusal, Sent, SentFile};
use super::{no_store, token, Editor, PREFIX};
use crate::diagnostics::{Diagnostics, Problem};
use crate::failure::{Failing, Step};
use crate::pipeline;

/// POST `/_soan/`: "Bài mới" does what `bantin new` does, then opens the form.
pub(super) async fn create(
    State(editor): State<Arc<Editor>>,
    headers: HeaderMap,
    Sent(body): Sent,
) -> Response {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_string());
    if !editor.sent_by_own_page(&headers, value("token").as_deref()) {
        return editor.refuse(Refusal::Forbidden, "");
    }
    if let Some(text) = value("pasted") {
        let work = Arc::clone(&editor);
        let made = tokio::task::spawn_blocking(move || paste(&work, &text)).await;
        return match made {
            Ok(Ok(Ok(path))) => to_form(&editor, &path),
            Ok(Ok(Err(problems))) => editor.refuse(Refusal::NotCreated, &problems.render(&editor.messages)),
            Ok(Err(error)) => editor.refuse(Refusal::NotCreated, &editor.messages.failure(&error)),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    let asked = crate::scaffold::NewArticle {
        root: editor.root.clone(),
        title: value("title").unwrap_or_default(),
        organ: value("organ").unwrap_or_default(),
        date: value("date").filter(|d| !d.is_empty()),
        period: None,
        tags: Vec::new(),
        now: chrono::Utc::now(),
    };
    let made = tokio::task::spawn_blocking(move || crate::scaffold::new_article(&asked)).await;
    match made {
        Ok(Ok(Ok(path))) => to_form(&editor, &path),
        Ok(Ok(Err(problems))) => editor.refuse(Refusal::NotCreated, &problems.render(&editor.messages)),
        Ok(Err(error)) => editor.refuse(Refusal::NotCreated, &editor.messages.failure(&error)),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// To the form of the article at `path` (under the site's root).
fn to_form(editor: &Editor, path: &Path) -> Response {
    let relative = path.strip_prefix(editor.content()).unwrap_or(path);
    let relative: Vec<_> = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    no_store(Redirect::to(&format!("{PREFIX}{}", relative.join("/"))).into_response())
}

/// "Dán bài": the pasted text read by `import` and written where `bantin
/// import` writes it, with its `# kiểm tra` notes, as a draft; never over a file.
fn paste(editor: &Editor, text: &str) -> anyhow::Result<pipeline::Checked<PathBuf>> {
    Ok(match imported(editor, text)? {
        Ok((target, markdown)) => {
            crate::scaffold::write_new(&target, markdown)?;
            Ok(target)
        }
        Err(problems) => Err(problems),
    })
}

/// The pasted text as `bantin import` would write it, and where.
pub(super) fn imported(editor: &Editor, text: &str) -> anyhow::Result<pipeline::Checked<(PathBuf, String)>> {
    let config = match pipeline::read_config(&editor.root)? {
        Ok(config) => config,
        Err(problems) => return Ok(Err(problems)),
    };
    let origin = editor.messages.get("import-pasted", &[]);
    if text.trim().is_empty() {
        return Ok(Err(Diagnostics(vec![crate::diagnostics::Diagnostic::file(&origin, Problem::EmptyFile)])));
    }
    // No folder to take a year from: the text's own dates give it.
    let draft = crate::import::read(text, Path::new(""), &config);
    let markdown = crate::import::markdown(&draft, &origin, &config, &editor.messages);
    Ok(Ok((editor.root.join(draft.path()), markdown)))
}

/// POST `/_soan-nhap/?ten=<name>`, the token in `TOKEN_HEADER`: a dropped `.docx`, `.html` or
/// `.txt` (the body) imported by `import::import_file` as `bantin import`
/// does (a document's pictures saved beside the article), from a copy
/// under a slug of its name in a folder of its own; answers the new
/// article's form address. Never over a file.
pub(super) async fn import(
    State(editor): State<Arc<Editor>>,
    SentFile { name, body, .. }: SentFile,
) -> Response {
    let name = Path::new(&name).to_path_buf();
    let extension = name.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if !["docx", "html", "htm", "txt"].contains(&extension.as_str()) {
        return editor.refuse(Refusal::NotImportable, "");
    }
    let stem = crate::vietnamese::slug::slugify(&name.file_stem().unwrap_or_default().to_string_lossy());
    let name = format!("{}.{extension}", if stem.is_empty() { "bai-viet" } else { stem.as_str() });
    let work = Arc::clone(&editor);
    let made = tokio::task::spawn_blocking(move || -> anyhow::Result<Result<PathBuf, String>> {
        let config = match pipeline::read_config(&work.root)? {
            Ok(config) => config,
            Err(problems) => return Ok(Err(problems.render(&work.messages))),
        };
        let folder = std::env::temp_dir().join(format!("bantin-soan-{}", token()?));
        std::fs::create_dir_all(&folder).failed(Step::Creating, &folder)?;
        let copy = folder.join(&name);
        let imported = std::fs::write(&copy, &body)
            .failed(Step::Writing, &copy)
            .and_then(|()| crate::import::import_file(&copy, &work.content(), &config, &work.messages));
        let _ = std::fs::remove_dir_all(&folder);
        Ok(match imported? {
            Ok(imported) => Ok(imported.path),
            Err(diagnostic) => Err(diagnostic.render(&work.messages)),
        })
    })
    .await;
    match made {
        Ok(Ok(Ok(path))) => {
            let relative = path.strip_prefix(editor.content()).unwrap_or(&path);
            let relative: Vec<_> = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect();
            no_store(format!("{PREFIX}{}", relative.join("/")).into_response())
        }
        Ok(Ok(Err(problems))) => editor.refuse(Refusal::NotCreated, &problems),
        Ok(Err(error)) => editor.refuse(Refusal::NotCreated, &editor.messages.failure(&error)),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
