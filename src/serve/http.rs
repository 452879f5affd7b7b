//! The preview server's HTTP side: pages from memory, static/ and files
//! beside articles from disk, the live reload script and its event stream.
//! Nothing outside the site is served: paths with `..`, encoded slashes or
//! backslashes are refused, and a path is answered only when a build
//! publishes it (the site's `Manifest`), a file on disk only while its real
//! path is inside the site. Only requests naming this server in
//! their `Host` are answered, so a page of another site cannot read drafts
//! through DNS rebinding.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use super::published::Published;
use crate::content::article::{place, Place};
use crate::manifest::Source;
use crate::output::decode;
use crate::render::templates;
use crate::{images, output, pipeline};

/// The script pages load when served (templates add it when `live_reload`).
const LIVE_JS: &str = include_str!("live.js");

/// What browsers are told after a rebuild.
#[derive(Debug, Clone)]
pub enum Message {
    /// These URLs changed; empty: every page should reload.
    Reload(Vec<String>),
    /// These stylesheets (site paths) changed: swap them in place.
    Styles(Vec<String>),
    /// The sources are broken: the diagnostics, as the command line shows them.
    Errors(String),
    /// The sources are good again.
    Fixed,
}

/// Everything a request needs.
pub struct Server {
    pub published: Arc<RwLock<Published>>,
    /// The site's folder, with symlinks resolved.
    pub root: PathBuf,
    pub messages: broadcast::Sender<Message>,
    hosts: Hosts,
    /// A lock per image whose copies are being made: requests for one image
    /// wait for the first to decode it, then read the cache it filled.
    resizing: Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>,
}

impl Server {
    /// `listening`: the address the server is bound to, which decides the
    /// `Host` values it answers.
    pub fn new(
        published: Arc<RwLock<Published>>,
        root: PathBuf,
        messages: broadcast::Sender<Message>,
        listening: SocketAddr,
    ) -> Server {
        Server { published, root, messages, hosts: Hosts::of(listening), resizing: Mutex::default() }
    }
}

/// The `Host` values requests may carry.
enum Hosts {
    /// Bound to another address than loopback on purpose: reached by any name.
    Any,
    Only(Vec<String>),
}

impl Hosts {
    fn of(listening: SocketAddr) -> Hosts {
        if !listening.ip().is_loopback() {
            return Hosts::Any;
        }
        let port = listening.port();
        let mut names: Vec<String> =
            ["localhost", "127.0.0.1", "[::1]"].map(|h| format!("{h}:{port}")).into();
        names.push(listening.to_string());
        if port == 80 {
            names.extend(["localhost", "127.0.0.1", "[::1]"].map(String::from));
        }
        Hosts::Only(names)
    }

    fn allow(&self, host: Option<&str>) -> bool {
        match self {
            Hosts::Any => true,
            Hosts::Only(names) => {
                host.is_some_and(|host| names.iter().any(|name| name.eq_ignore_ascii_case(host)))
            }
        }
    }
}

/// `editor`: the editor's routes (empty when not offered), behind the same `Host` check.
pub fn router(server: Arc<Server>, editor: Router<Arc<Server>>) -> Router {
    Router::new()
        .route("/__bantin/live.js", get(live_js))
        .route("/__bantin/events", get(events))
        .merge(editor)
        .fallback(site_file)
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&server), this_host_only))
        .with_state(server)
}

/// Refuses a request whose `Host` is not this server: a site whose name was
/// pointed at 127.0.0.1 (DNS rebinding) must not read the preview.
async fn this_host_only(State(server): State<Arc<Server>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if server.hosts.allow(host.or_else(|| request.uri().authority().map(|a| a.as_str()))) {
        next.run(request).await
    } else {
        (StatusCode::FORBIDDEN, "forbidden: unknown Host\n").into_response()
    }
}

async fn live_js() -> Response {
    let mut response = LIVE_JS.into_response();
    set(&mut response, header::CONTENT_TYPE, "text/javascript; charset=utf-8");
    set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("strings serialize to JSON")
}

fn event(message: &Message) -> Event {
    match message {
        Message::Reload(urls) => Event::default().event("reload").data(json(urls)),
        Message::Styles(paths) => Event::default().event("styles").data(json(paths)),
        Message::Errors(text) => Event::default().event("errors").data(json(text)),
        Message::Fixed => Event::default().event("fixed").data("{}"),
    }
}

/// `/__bantin/events?path=/x/&v=3`: the page the browser shows and the
/// version it was served at (from the Server-Timing header). A page that
/// changed between its load and this connection reloads at once.
async fn events(
    State(server): State<Arc<Server>>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = server.messages.subscribe();
    let (mut path, mut version) = (None, None);
    for pair in uri.query().unwrap_or("").split('&') {
        match pair.split_once('=') {
            Some(("path", value)) => path = decode(value),
            Some(("v", value)) => version = value.parse::<u64>().ok(),
            _ => {}
        }
    }
    let mut first = Vec::new();
    {
        let published = server.published.read().expect("the engine never panics holding the lock");
        if let Some(errors) = &published.errors {
            first.push(Message::Errors(errors.clone()));
        }
        if let (Some(path), Some(version)) = (path, version) {
            if published.pages.get(&path).is_some_and(|page| page.version != version) {
                first.push(Message::Reload(vec![path]));
            }
        }
    }
    let later = stream::unfold(receiver, |mut receiver| async move {
        let message = match receiver.recv().await {
            Ok(message) => message,
            // Missed some: reload, to be sure.
            Err(broadcast::error::RecvError::Lagged(_)) => Message::Reload(Vec::new()),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((message, receiver))
    });
    let all = stream::iter(first).chain(later).map(|message| Ok(event(&message)));
    Sse::new(all).keep_alive(KeepAlive::default())
}

/// Any other path: what a build publishes there (`Manifest`), a theme file
/// under any fingerprinted name as it is now, or a compressed copy made
/// from the file it compresses; else the site's 404 page.
async fn site_file(State(server): State<Arc<Server>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let Some(path) = decode(uri.path()) else {
        return (StatusCode::FORBIDDEN, "forbidden\n").into_response();
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
        Fetched::Outside => (StatusCode::FORBIDDEN, "forbidden\n").into_response(),
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
    fn paths_that_climb_or_hide_slashes_are_refused() {
        assert_eq!(decode("/2023/08/h%E1%BB%99i/").as_deref(), Some("/2023/08/hội/"));
        for bad in
            ["/../etc/passwd", "/a/%2e%2e/b", "/%2E%2E/x", "/a%2fb", "/a%5Cb", "/a\\b", "/./a", "/a%00", "x"]
        {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn on_loopback_only_its_own_names_are_answered_elsewhere_any() {
        let loopback = Hosts::of("127.0.0.1:8080".parse().unwrap());
        for good in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"] {
            assert!(loopback.allow(Some(good)), "{good}");
        }
        for bad in [None, Some("localhost"), Some("localhost:8081"), Some("tan-cong.example:8080")] {
            assert!(!loopback.allow(bad), "{bad:?}");
        }
        assert!(Hosts::of("127.0.0.1:80".parse().unwrap()).allow(Some("localhost")));
        let everywhere = Hosts::of("0.0.0.0:8080".parse().unwrap());
        assert!(everywhere.allow(Some("may-chu.ubnd.local:8080")));
    }

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
