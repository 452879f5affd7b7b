//! Photos dropped or chosen in the form, saved beside the article under a
//! slug of their name, never over a file.

use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::access::{Refusal, SentFile};
use super::{failed, no_store, Editor};
use crate::failure::Failure;

/// POST `/_soan-anh/<path>?ten=<file name>`, the token in `TOKEN_HEADER`: a photo (the body,
/// as chosen or dropped) saved beside the article under a slug of its name
/// that no file has yet, never over one; answers that name. JPEG or PNG
/// only, by their first bytes (the build resizes those); larger than
/// `LARGEST_PHOTO`, refused (413) before it is read.
pub(super) async fn upload(
    State(editor): State<Arc<Editor>>,
    SentFile { name, uri, body }: SentFile,
) -> Response {
    let (_, file) = match editor.file_of(&uri) {
        Ok(found) => found,
        Err(why) => return editor.refuse(why, ""),
    };
    let extension = match body.as_ref() {
        [0xFF, 0xD8, 0xFF, ..] => "jpg",
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "png",
        _ => return editor.refuse(Refusal::NotPhoto, ""),
    };
    let stem = Path::new(&name).file_stem().unwrap_or_default().to_string_lossy();
    let stem = crate::vietnamese::slug::cut_at_word(&crate::vietnamese::slug::slugify(&stem), 60).to_string();
    let stem = if stem.is_empty() { "anh".to_string() } else { stem };
    let folder = file.parent().unwrap_or(&editor.root).to_path_buf();
    let saved = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
        for n in 1.. {
            let name = if n == 1 { format!("{stem}.{extension}") } else { format!("{stem}-{n}.{extension}") };
            match crate::scaffold::write_new(&folder.join(&name), &body) {
                Ok(()) => return Ok(name),
                Err(error)
                    if error
                        .downcast_ref::<Failure>()
                        .is_some_and(|f| matches!(f, Failure::AlreadyExists { .. })) => {}
                Err(error) => return Err(error),
            }
        }
        unreachable!("some name is free")
    })
    .await;
    match saved {
        Ok(Ok(name)) => no_store(name.into_response()),
        Ok(Err(error)) => failed(&editor, &error),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
