//! The preview server's HTTP side: its routes, the live reload script and
//! its event stream; the site's paths are answered by `site_files`.
//! Nothing outside the site is served: paths with `..`, encoded slashes or
//! backslashes are refused, and a path is answered only when a build
//! publishes it (the site's `Manifest`), a file on disk only while its real
//! path is inside the site. Only requests naming this server in
//! their `Host` are answered, so a page of another site cannot read drafts
//! through DNS rebinding.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use super::published::Published;
use crate::messages::Messages;
use crate::output::decode;

/// The script pages load when served (`published::served_bytes` adds it).
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
    /// Why a request is refused (403), worded once from the catalogue.
    pub(super) refusals: Refusals,
    /// A lock per image whose copies are being made: requests for one image
    /// wait for the first to decode it, then read the cache it filled.
    pub(super) resizing: Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>,
}

impl Server {
    /// `listening`: the address the server is bound to, which decides the
    /// `Host` values it answers.
    pub fn new(
        published: Arc<RwLock<Published>>,
        root: PathBuf,
        messages: broadcast::Sender<Message>,
        listening: SocketAddr,
        words: &Messages,
    ) -> Server {
        let refusals = Refusals {
            host: words.get("serve-refused-host", &[]) + "\n",
            outside: words.get("serve-refused-outside", &[]) + "\n",
        };
        Server {
            published,
            root,
            messages,
            hosts: Hosts::of(listening),
            refusals,
            resizing: Mutex::default(),
        }
    }
}

/// The answers to a refused request, in the user's language.
pub(super) struct Refusals {
    /// A request for another `Host` than this server.
    host: String,
    /// A path that is not the site's (undecodable, or leading out of it).
    pub(super) outside: String,
}

impl Refusals {
    pub(super) fn answer(text: &str) -> Response {
        let mut response = (StatusCode::FORBIDDEN, text.to_string()).into_response();
        set(&mut response, header::CONTENT_TYPE, "text/plain; charset=utf-8");
        response
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
        .fallback(super::site_files::site_file)
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
        Refusals::answer(&server.refusals.host)
    }
}

async fn live_js() -> Response {
    let mut response = LIVE_JS.into_response();
    set(&mut response, header::CONTENT_TYPE, "text/javascript; charset=utf-8");
    set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

pub(super) fn set(response: &mut Response, name: header::HeaderName, value: &str) {
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
}
