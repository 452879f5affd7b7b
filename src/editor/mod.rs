//! The editor at `/_soan/` (issue 18), served by `bantin serve` on loopback
//! binds only: the list of the articles under content/ and a form for each,
//! saving into the Markdown file itself (temporary file + rename), which
//! serve's watcher then rebuilds like any edit. Pages are Tera templates
//! (templates/editor/); every POST must come from this server's own pages
//! (`Origin`) and carry the token they were given; paths stay inside content/.

mod form;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::Datelike;
use serde_json::json;
use tera::Tera;

use crate::content::front_matter;
use crate::content::markdown::Markdown;
use crate::diagnostics::{Diagnostics, Problem};
use crate::failure::{Failing, Failure, Step};
use crate::messages::Messages;
use crate::pipeline;
use crate::site::Config;
use crate::source::SourceFile;
use form::{Cells, Fields};

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

/// The cookie that carries the access code on a network bind.
const ACCESS_COOKIE: &str = "bantin_soan";

/// On a network bind: a request with `?ma=<code>` gets the code as a
/// cookie (HttpOnly, SameSite=Strict) and is sent on without it; a request
/// with the cookie goes on; any other is refused (403).
async fn admitted(
    State(editor): State<Arc<Editor>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(code) = &editor.access else {
        return next.run(request).await;
    };
    let query = request.uri().query().unwrap_or_default();
    if form_urlencoded::parse(query.as_bytes()).any(|(k, v)| k == "ma" && v == code.as_str()) {
        let mut response = no_store(Redirect::to(request.uri().path()).into_response());
        let cookie = format!("{ACCESS_COOKIE}={code}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(value) = header::HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
        return response;
    }
    let cookies = request.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok());
    let carried = cookies
        .flat_map(|c| c.split(';'))
        .any(|c| c.trim().split_once('=').is_some_and(|(k, v)| k == ACCESS_COOKIE && v == code));
    if carried {
        next.run(request).await
    } else {
        editor.refuse(Refusal::NoAccess, "")
    }
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

/// A request's body; when it cannot be read (larger than its limit, or
/// cut off), the editor's refusal page instead of axum's English answer.
struct Sent(Bytes);

impl FromRequest<Arc<Editor>> for Sent {
    type Rejection = Response;

    async fn from_request(request: Request, editor: &Arc<Editor>) -> Result<Self, Response> {
        match Bytes::from_request(request, editor).await {
            Ok(bytes) => Ok(Sent(bytes)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(editor.refuse(Refusal::TooLarge, ""))
            }
            Err(_) => Err(editor.refuse(Refusal::Unread, "")),
        }
    }
}

/// A method an address of the editor does not take (a GET of an upload's
/// address): the refusal page, not an empty English 405.
async fn not_allowed(State(editor): State<Arc<Editor>>) -> Response {
    editor.refuse(Refusal::Method, "")
}

/// Why a request was refused; the template words it.
#[derive(Clone, Copy)]
enum Refusal {
    /// A path leaving content/, not a Markdown file, or through a link.
    Path,
    /// Not from this server's own page: foreign `Origin` or wrong token.
    Forbidden,
    NotFound,
    /// The file changed on disk since the form was opened.
    Changed,
    /// The front matter cannot be read: the form cannot show it.
    Unreadable,
    /// "Bài mới" could not make the article (unknown organ, bad date, file exists).
    NotCreated,
    /// An upload that is not a JPEG or PNG photo (by its first bytes).
    NotPhoto,
    /// On a network bind, without the access code.
    NoAccess,
    /// A dropped file `import` does not read (not .docx, .html or .txt).
    NotImportable,
    /// A body over its limit (`LARGEST_FORM`, `LARGEST_PHOTO`).
    TooLarge,
    /// A body that could not be read to its end.
    Unread,
    /// A method the address does not take.
    Method,
}

impl Refusal {
    fn status(self) -> StatusCode {
        match self {
            Refusal::Path | Refusal::Forbidden | Refusal::NoAccess => StatusCode::FORBIDDEN,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::Changed => StatusCode::CONFLICT,
            Refusal::Unreadable | Refusal::NotCreated => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::NotPhoto | Refusal::NotImportable => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::Unread => StatusCode::BAD_REQUEST,
            Refusal::Method => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Refusal::Path => "path",
            Refusal::Forbidden => "forbidden",
            Refusal::NotFound => "not-found",
            Refusal::Changed => "changed",
            Refusal::Unreadable => "unreadable",
            Refusal::NotCreated => "not-created",
            Refusal::NotPhoto => "not-photo",
            Refusal::NoAccess => "no-access",
            Refusal::NotImportable => "not-importable",
            Refusal::TooLarge => "too-large",
            Refusal::Unread => "unread",
            Refusal::Method => "method",
        }
    }
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

/// The token an upload or an import carries in `TOKEN_HEADER`.
fn carried_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok())
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

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

/// site.yaml and the Markdown renderer it configures; None when it is broken.
fn site(root: &Path) -> anyhow::Result<Option<(Config, Markdown)>> {
    Ok(pipeline::read_config(root)?.ok().map(|config| {
        let markdown = Markdown::new(config.glossary.clone(), "");
        (config, markdown)
    }))
}

/// An article's text judged as a build judges it: what the form shows
/// (None when the front matter cannot be read), its URL when serve shows its
/// page, and its problems.
struct Judged {
    file: SourceFile,
    form: Option<Fields>,
    /// The `# kiểm tra:` notes `import` left for a person, with their lines.
    notes: Vec<front_matter::Note>,
    url: Option<String>,
    /// Not a draft, but its publication time is still to come.
    scheduled: bool,
    problems: Diagnostics,
}

/// `bytes` as the text of `path` (inside the site at `root`); resolved
/// against `site` when there is one.
fn judge(
    root: &Path,
    path: &Path,
    bytes: Vec<u8>,
    site: Option<&(Config, Markdown)>,
    drafts: bool,
) -> Judged {
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let file = match SourceFile::decode(shown.clone(), bytes) {
        Ok(file) => file,
        Err(diagnostic) => {
            let empty = SourceFile::decode(shown, Vec::new()).expect("empty text is UTF-8");
            let problems = Diagnostics(vec![diagnostic]);
            return Judged {
                file: empty,
                form: None,
                notes: Vec::new(),
                url: None,
                scheduled: false,
                problems,
            };
        }
    };
    let mut scheduled = false;
    let (form, notes, url, problems) = match front_matter::parse(&file) {
        Err(problems) => (None, Vec::new(), None, problems),
        Ok((parsed, mut problems)) => {
            let form = Fields::of(&parsed);
            let notes = parsed.notes.clone();
            let mut url = None;
            if let Some((config, markdown)) = site {
                let folder = path.parent().unwrap_or(root);
                match crate::content::article::resolve(&file, folder, &parsed, config, markdown) {
                    // As a build: problems before resolving fail the file even if it resolves.
                    Ok(article) if problems.is_empty() => {
                        scheduled = !article.is_published(false, chrono::Local::now().fixed_offset())
                            && !article.draft;
                        if drafts || !article.draft {
                            url = Some(article.url)
                        }
                    }
                    Ok(_) => {}
                    Err(more) => problems.extend(more),
                }
            }
            (Some(form), notes, url, problems)
        }
    };
    Judged { file, form, notes, url, scheduled, problems: Diagnostics(problems) }
}

/// `/_soan/`: every article, those with problems first, then drafts, then
/// the newest.
async fn list(State(editor): State<Arc<Editor>>, uri: Uri) -> Response {
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

fn failed(editor: &Editor, error: &anyhow::Error) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, editor.messages.failure(error)).into_response()
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

/// POST `/_soan/`: "Bài mới" does what `bantin new` does, then opens the form.
async fn create(State(editor): State<Arc<Editor>>, headers: HeaderMap, Sent(body): Sent) -> Response {
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
    let target = editor.root.join(draft.path());
    crate::scaffold::write_new(&target, crate::import::markdown(&draft, &origin, &config, &editor.messages))?;
    Ok(Ok(target))
}

/// `/_soan/<path>`: the form for one article.
async fn open(State(editor): State<Arc<Editor>>, uri: Uri) -> Response {
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
enum Shown {
    Opened,
    /// Right after a save.
    Saved,
    /// A save refused for the errors of what was typed, shown in it.
    Refused,
    /// "Đăng bài" refused: notes of `import` are still to be checked.
    NotPublished,
}

/// The form for `judged`; `version` names the file's state it was made from.
fn form(
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
            json!({ "line": n.line, "text": n.text, "key": key })
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
fn check(
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

/// Names one state of a file: a save made from an older one is refused.
fn version(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// POST `/_soan/<path>`: writes what changed. A request not from this
/// server's own page (its `Origin`) or without its token changes nothing.
async fn save(State(editor): State<Arc<Editor>>, uri: Uri, headers: HeaderMap, Sent(body): Sent) -> Response {
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

/// POST `/_soan/<path>?xem-truoc`: the article's page for the text the form
/// would save, rendered as `build` renders it: the site as on disk with this
/// article's text replaced, the site's own templates, nothing written. Its
/// problems instead (422, plain text) when it has errors.
fn preview(
    editor: &Editor,
    file: &Path,
    submitted: &Fields,
    wrong: &[(String, Problem)],
) -> anyhow::Result<Response> {
    let unprocessable = |text: String| (StatusCode::UNPROCESSABLE_ENTITY, text).into_response();
    if !wrong.is_empty() {
        let shown = Path::new(file.file_name().unwrap_or_default());
        let problems = wrong.iter().map(|(_, p)| crate::diagnostics::Diagnostic::file(shown, p.clone()));
        return Ok(unprocessable(Diagnostics(problems.collect()).render(&editor.messages)));
    }
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    let judged = judge(&editor.root, file, bytes, None, editor.drafts);
    let Some(old) = &judged.form else {
        return Ok(unprocessable(judged.problems.render(&editor.messages)));
    };
    let text = form::rewrite(&judged.file.text, old, submitted);
    let options = pipeline::BuildOptions {
        root: editor.root.clone(),
        output: editor.root.join("public"),
        drafts: editor.drafts,
        base_url: None,
        now: chrono::Local::now().fixed_offset(),
    };
    let site = match pipeline::load(&options)? {
        Ok(site) => site,
        Err(problems) => return Ok(unprocessable(problems.render(&editor.messages))),
    };
    let config = Arc::clone(&site.config);
    let source = judged.file.path.clone();
    let file = SourceFile::decode(source.clone(), text.into_bytes()).expect("the form's text is UTF-8");
    let markdown = Markdown::new(config.glossary.clone(), config.base_path());
    let article = match front_matter::parse(&file) {
        Err(problems) => Err(problems),
        Ok((parsed, problems)) => {
            let folder = editor.root.join(&source);
            let folder = folder.parent().unwrap_or(&editor.root);
            match crate::content::article::resolve(&file, folder, &parsed, &config, &markdown) {
                Ok(article) if problems.is_empty() => Ok(article),
                Ok(_) => Err(problems),
                Err(more) => Err(problems.into_iter().chain(more).collect()),
            }
        }
    };
    let article = match article {
        Ok(article) => Arc::new(article),
        Err(problems) => return Ok(unprocessable(Diagnostics(problems).render(&editor.messages))),
    };
    // In the place of the file on disk, in the order of the files, as a build reads them.
    let mut articles: Vec<_> = site.articles.iter().filter(|a| a.source != source).cloned().collect();
    let at = articles.partition_point(|a| a.source < source);
    articles.insert(at, Arc::clone(&article));
    let site = crate::assemble::Site::assemble(config, articles);
    let tera = match crate::render::templates::load(&editor.root.join("templates"), &site.config.base_url)? {
        Ok(tera) => tera,
        Err(problem) => return Ok(unprocessable(problem.render(&editor.messages))),
    };
    let pages = crate::render::plan(&site);
    let page = pages.iter().find(|p| p.url == article.url).expect("every article has its page");
    Ok(match crate::render::Renderer::new(&site, &tera, false).render(page) {
        Ok(rendered) => Html(rendered.body).into_response(),
        Err(problem) => unprocessable(problem.render(&editor.messages)),
    })
}

/// POST `/_soan-anh/<path>?ten=<file name>`, the token in `TOKEN_HEADER`: a photo (the body,
/// as chosen or dropped) saved beside the article under a slug of its name
/// that no file has yet, never over one; answers that name. JPEG or PNG
/// only, by their first bytes (the build resizes those); larger than
/// `LARGEST_PHOTO`, refused (413) before it is read.
async fn upload(
    State(editor): State<Arc<Editor>>,
    uri: Uri,
    headers: HeaderMap,
    Sent(body): Sent,
) -> Response {
    if !editor.sent_by_own_page(&headers, carried_token(&headers)) {
        return editor.refuse(Refusal::Forbidden, "");
    }
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let (_, file) = match editor.file_of(&uri) {
        Ok(found) => found,
        Err(why) => return editor.refuse(why, ""),
    };
    let extension = match body.as_ref() {
        [0xFF, 0xD8, 0xFF, ..] => "jpg",
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "png",
        _ => return editor.refuse(Refusal::NotPhoto, ""),
    };
    let stem = Path::new(value("ten").unwrap_or_default()).file_stem().unwrap_or_default().to_string_lossy();
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

/// Where deleted articles go, at the site's root: out of content/, so no
/// build or serve sees them; a person can move one back.
const TRASH: &str = ".bantin-thung-rac";

/// "Xóa bài": asks first (a page naming the article, nothing moved), then,
/// confirmed and unchanged since the form was shown, moves the file into
/// `TRASH/<time>/content/<path>` and goes back to the list.
fn delete(
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

/// POST `/_soan-nhap/?ten=<name>`, the token in `TOKEN_HEADER`: a dropped `.docx`, `.html` or
/// `.txt` (the body) imported by `import::import_file` as `bantin import`
/// does (a document's pictures saved beside the article), from a copy
/// under a slug of its name in a folder of its own; answers the new
/// article's form address. Never over a file.
async fn import(
    State(editor): State<Arc<Editor>>,
    uri: Uri,
    headers: HeaderMap,
    Sent(body): Sent,
) -> Response {
    if !editor.sent_by_own_page(&headers, carried_token(&headers)) {
        return editor.refuse(Refusal::Forbidden, "");
    }
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    let name = Path::new(&value("ten")).to_path_buf();
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

/// The figures' rows as typed, and their cells that are not numbers.
type Typed<'a> = (Vec<Cells>, &'a [(String, Problem)]);

/// The form again, with what was typed, when a figure's cell is not a
/// number: nothing is written.
fn retype(
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
