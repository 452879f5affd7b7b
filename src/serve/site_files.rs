//! The site's paths as the preview answers them: what a build publishes
//! there (the site's `Manifest`), pages from memory, static/ and files
//! beside articles from disk while their real path is inside the site,
//! resized copies of images made when asked for; else the site's 404 page.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::http::{set, Refusals, Server};
use crate::content::article::{place, Place};
use crate::manifest::Source;
use crate::output::decode;
use crate::render::templates;
use crate::{images, output, pipeline};

/// Any other path: what a build publishes there (`Manifest`), a theme file
/// under any fingerprinted name as it is now, or a compressed copy made
/// from the file it compresses; else the site's 404 page.
pub(super) async fn site_file(State(server): State<Arc<Server>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let Some(path) = decode(uri.path()) else {
        return Refusals::answer(&server.refusals.outside);
    };
    // A theme file under the hashed name pages link to: served as it is now.
    let path = templates::unfingerprinted(&path).unwrap_or(path);
    let compressed = output::compressed_of(&path).map(|(plain, encoding)| {
        (templates::unfingerprinted(plain).unwrap_or_else(|| plain.to_string()), encoding)
    });
    let mut fetched = fetch(&server, &path).await;
    if let (Fetched::Nothing, Some((plain, encoding))) = (&fetched, compressed) {
        if let Fetched::Bytes(bytes, _) = fetch(&server, &plain).await {
            if let Some(copy) = output::compressed(&plain, encoding, &bytes) {
                fetched = Fetched::Bytes(Bytes::from(copy), None);
            }
        }
    }
    let (folder, not_found) = {
        let published = server.published.read().expect("the engine never panics holding the lock");
        (published.manifest.is_folder(&path), published.pages.get("/404.html").map(|p| p.bytes.clone()))
    };
    match fetched {
        Fetched::Bytes(bytes, version) => {
            let shown = if path.ends_with('/') { format!("{path}index.html") } else { path.clone() };
            let mut response = Response::new(Body::from(bytes));
            set(&mut response, header::CONTENT_TYPE, content_type(&shown));
            set(&mut response, header::CACHE_CONTROL, "no-store");
            if let Some(version) = version {
                let timing = format!("bantin;desc=\"{version}\"");
                set(&mut response, header::HeaderName::from_static("server-timing"), &timing);
            }
            response
        }
        Fetched::Outside => Refusals::answer(&server.refusals.outside),
        Fetched::Nothing if folder => redirect(&uri),
        Fetched::Nothing => not_found_page(not_found),
    }
}

/// What a site path serves.
enum Fetched {
    /// The bytes, and the version of a page rendered in memory.
    Bytes(Bytes, Option<u64>),
    /// A file that leads out of the site now (judged again as the build
    /// judged it: it may have changed since).
    Outside,
    Nothing,
}

/// The bytes the manifest's source of a path has now.
async fn fetch(server: &Server, path: &str) -> Fetched {
    let source = {
        let published = server.published.read().expect("the engine never panics holding the lock");
        let source = match published.manifest.source(path) {
            Some(Source::Fingerprinted(plain)) => published.manifest.source(&plain),
            source => source,
        };
        match source {
            Some(Source::Rendered(url)) => {
                return match (published.pages.get(&url), published.search.get(&url)) {
                    (Some(page), _) => Fetched::Bytes(page.bytes.clone(), Some(page.version)),
                    (None, Some(bytes)) => Fetched::Bytes(bytes.clone(), None),
                    (None, None) => Fetched::Nothing,
                }
            }
            Some(Source::Theme(bytes)) => return Fetched::Bytes(Bytes::from_static(bytes), None),
            Some(source) => source,
            None => return Fetched::Nothing,
        }
    };
    let real = |file: &Path| match place(Some(&server.root), std::fs::canonicalize(file).ok()) {
        Place::Inside(real) => Ok(real),
        Place::Outside => Err(Fetched::Outside),
        Place::Nothing => Err(Fetched::Nothing),
    };
    match source {
        Source::Asset(file) | Source::Static(file) => match real(&file) {
            Ok(real) => match std::fs::read(real) {
                Ok(bytes) => Fetched::Bytes(Bytes::from(bytes), None),
                Err(_) => Fetched::Nothing,
            },
            Err(fetched) => fetched,
        },
        Source::Resized { from, width } => match real(&from) {
            Ok(real) => resized(server, real, width).await,
            Err(fetched) => fetched,
        },
        Source::Rendered(_) | Source::Theme(_) | Source::Fingerprinted(_) => Fetched::Nothing,
    }
}

/// A resized copy of an image, made (or taken from the cache a build
/// shares) only when asked for, by one request at a time per image: a photo
/// decoded at once by every request for its copies takes gigabytes.
async fn resized(server: &Server, file: PathBuf, width: u32) -> Fetched {
    let cache = images::Cache::new(server.root.join(pipeline::CACHE_DIR).join("images"));
    let lock = {
        let mut resizing = server.resizing.lock().expect("no panics holding the lock");
        Arc::clone(resizing.entry(file.clone()).or_default())
    };
    let copies = tokio::task::spawn_blocking(move || {
        let _one_at_a_time = lock.lock().expect("no panics holding the lock");
        cache.variants(&file)
    })
    .await;
    match copies {
        Ok(Ok(Ok(copies))) => match copies.into_iter().find(|(w, _)| *w == width) {
            Some((_, bytes)) => Fetched::Bytes(Bytes::from(bytes), None),
            None => Fetched::Nothing,
        },
        _ => Fetched::Nothing,
    }
}

fn redirect(uri: &Uri) -> Response {
    let location = match uri.query() {
        Some(query) => format!("{}/?{query}", uri.path()),
        None => format!("{}/", uri.path()),
    };
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    set(&mut response, header::LOCATION, &location);
    response
}

/// The site's 404.html with status 404; before any good build, a blank page
/// that loads the live reload script, so the errors show and it reloads when fixed.
fn not_found_page(page: Option<Bytes>) -> Response {
    let (status, body) = match page {
        Some(bytes) => (StatusCode::NOT_FOUND, bytes),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            Bytes::from_static(
                b"<!doctype html>\n<meta charset=\"utf-8\">\n<script src=\"/__bantin/live.js\"></script>\n",
            ),
        ),
    };
    let mut response = (status, body).into_response();
    set(&mut response, header::CONTENT_TYPE, "text/html; charset=utf-8");
    set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

/// The content type of a site path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "rtf" => "application/rtf",
        "rar" => "application/vnd.rar",
        "7z" => "application/x-7z-compressed",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attachment_type_a_build_publishes_is_served_with_its_own_type() {
        for extension in crate::limits::ATTACHMENTS {
            assert_ne!(
                content_type(&format!("/a/tep.{extension}")),
                "application/octet-stream",
                "{extension}"
            );
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("/a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("/chi-tieu/x.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("/x/anh.JPG"), "image/jpeg");
        assert_eq!(content_type("/x/file"), "application/octet-stream");
    }
}
