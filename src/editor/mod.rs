//! The editor at `/_soan/` (issue 18), served by `bantin serve` on loopback
//! binds only: the list of the articles under content/ and a form for each,
//! saving into the Markdown file itself (temporary file + rename), which
//! serve's watcher then rebuilds like any edit. Pages are Tera templates
//! (templates/editor/); every POST must come from this server's own pages
//! (`Origin`) and carry the token they were given; paths stay inside content/.
//! This file holds the routes, the templates and the checks of paths; each
//! page and action has a file of its own below.

mod access;
mod create;
mod figures;
mod form;
mod form_page;
mod judging;
mod list;
mod photos;
mod preview;
mod save;
mod trash;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use tera::Tera;

use crate::failure::{Failing, Failure, Step};
use crate::messages::Messages;
use access::{admitted, not_allowed, Refusal};
use create::{create, import};
use form_page::open;
use list::list;
use photos::upload;
use save::save;

/// Where the editor is served.
pub const PREFIX: &str = "/_soan/";

/// Where a photo for the article `/_soan/<path>` is posted: `/_soan-anh/<path>`.
const PHOTOS: &str = "/_soan-anh/";

/// Where a Word document, a saved web page or a text is posted to be
/// imported as a new article: `/_soan-nhap/?ten=<file name>`.
const IMPORTS: &str = "/_soan-nhap/";

/// The header that carries the page's token with an upload or an import,
/// whose body is the file itself: an address (and its query) ends up in
/// logs and the browser's history, a header does not.
const TOKEN_HEADER: &str = "x-bantin-token";

/// The largest photo accepted: a camera's JPEG is a few megabytes.
const LARGEST_PHOTO: usize = 20 * 1024 * 1024;

/// The largest form accepted: an article is tens of kilobytes; more is
/// refused (413) before it is read.
const LARGEST_FORM: usize = 2 * 1024 * 1024;

/// The editor's pages, embedded; named like the site's templates.
const TEMPLATES: [(&str, &str); 7] = [
    ("editor/base.html", include_str!("../../templates/editor/base.html")),
    ("editor/list.html", include_str!("../../templates/editor/list.html")),
    ("editor/form.html", include_str!("../../templates/editor/form.html")),
    ("editor/refused.html", include_str!("../../templates/editor/refused.html")),
    ("editor/delete.html", include_str!("../../templates/editor/delete.html")),
    ("editor/notes.html", include_str!("../../templates/editor/notes.html")),
    ("editor/form.js", include_str!("../../templates/editor/form.js")),
];

/// What every request of the editor reads.
struct Editor {
    /// The site's folder, symlinks resolved.
    root: PathBuf,
    /// Sent in every form and required back: a page of another site cannot read it.
    token: String,
    /// On a network bind, the code every request must carry (`admitted`).
    access: Option<String>,
    messages: Arc<Messages>,
    /// Serve shows drafts (`--drafts`): their pages can be linked to.
    drafts: bool,
}

/// The editor's routes, to be merged into serve's router (behind its `Host`
/// check). On a `network` bind, every request of the editor must also carry
/// the access code returned (from the address printed at start, then from a
/// cookie).
pub fn router<S: Clone + Send + Sync + 'static>(
    root: PathBuf,
    messages: Arc<Messages>,
    drafts: bool,
    network: bool,
) -> anyhow::Result<(Router<S>, Option<String>)> {
    let access = if network { Some(token()?) } else { None };
    let editor = Arc::new(Editor { root, token: token()?, access: access.clone(), messages, drafts });
    let routes = Router::new()
        .route(PREFIX, get(list).post(create))
        .route(&format!("{PREFIX}{{*path}}"), get(open).post(save))
        .layer(DefaultBodyLimit::max(LARGEST_FORM))
        .route(&format!("{PHOTOS}{{*path}}"), post(upload).layer(DefaultBodyLimit::max(LARGEST_PHOTO)))
        .route(IMPORTS, post(import).layer(DefaultBodyLimit::max(LARGEST_PHOTO)))
        .method_not_allowed_fallback(not_allowed)
        .route_layer(axum::middleware::from_fn_with_state(Arc::clone(&editor), admitted))
        .with_state(editor);
    Ok((routes, access))
}

/// The editor's templates, each replaced by the site's file of the same
/// name under templates/editor/ if there is one (more may be added there,
/// to be included). Read for every page, as serve reads the site's.
fn templates(root: &Path) -> anyhow::Result<Tera> {
    let mut sources: Vec<(String, String)> =
        TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let folder = root.join("templates").join("editor");
    for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = format!("editor/{}", entry.file_name().to_string_lossy());
        let text = std::fs::read_to_string(entry.path()).failed(Step::Reading, &entry.path())?;
        match sources.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = text,
            None => sources.push((name, text)),
        }
    }
    let mut tera = Tera::default();
    // The site's filters: numbers and dates shown the Vietnamese way.
    crate::render::filters::register(&mut tera, "", Default::default());
    tera.add_raw_templates(sources)
        .map_err(|error| anyhow::Error::msg(crate::render::templates::error_chain(&error)))?;
    Ok(tera)
}

/// 128 random bits from the system, in hex.
fn token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::Error::msg(e.to_string()))
        .context(Failure::ServeStart)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Editor {
    fn page(&self, name: &str, context: serde_json::Value) -> Response {
        let context = tera::Context::from_value(context).expect("a JSON object");
        let tera = match templates(&self.root) {
            Ok(tera) => tera,
            Err(error) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("{error:#}")).into_response(),
        };
        match tera.render(name, &context) {
            Ok(html) => no_store(Html(html).into_response()),
            Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, crate::render::templates::error_chain(&error))
                .into_response(),
        }
    }

    fn refuse(&self, why: Refusal, problems: &str) -> Response {
        const MIB: usize = 1024 * 1024;
        let mut response = self.page(
            "editor/refused.html",
            json!({
                "reason": why.name(), "problems": problems,
                "largest_photo": LARGEST_PHOTO / MIB, "largest_form": LARGEST_FORM / MIB,
            }),
        );
        *response.status_mut() = why.status();
        response
    }

    /// A state-changing request from this server's own page: its `Origin`
    /// is this server and it carries the token the page was given.
    fn sent_by_own_page(&self, headers: &HeaderMap, token: Option<&str>) -> bool {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
        let same_origin =
            matches!((host, origin), (Some(host), Some(origin)) if origin == format!("http://{host}"));
        same_origin && token == Some(self.token.as_str())
    }

    fn content(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The article file `/_soan/<path>` names: under content/, a `.md`, no
    /// `..`, no symlink on the way.
    fn file_of(&self, uri: &Uri) -> Result<(String, PathBuf), Refusal> {
        let path = uri.path();
        let relative =
            path.strip_prefix(PREFIX).or_else(|| path.strip_prefix(PHOTOS)).ok_or(Refusal::Path)?;
        let relative = crate::output::decode(&format!("/{relative}")).ok_or(Refusal::Path)?;
        let relative = relative.trim_start_matches('/').to_string();
        let normal = Path::new(&relative).components().all(|c| matches!(c, Component::Normal(_)));
        if !normal || !relative.ends_with(".md") || relative.contains(['\\', ':']) {
            return Err(Refusal::Path);
        }
        let content = std::fs::canonicalize(self.content()).map_err(|_| Refusal::NotFound)?;
        let file = content.join(&relative);
        match std::fs::canonicalize(&file) {
            // A link, even to a file inside, would be written through.
            Ok(real) if real == file && real.is_file() => Ok((relative, real)),
            Ok(_) => Err(Refusal::Path),
            Err(_) => Err(Refusal::NotFound),
        }
    }
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

fn failed(editor: &Editor, error: &anyhow::Error) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, editor.messages.failure(error)).into_response()
}
