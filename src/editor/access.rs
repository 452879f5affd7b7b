//! Who may use the editor and how it says no: the access code on a network
//! bind, the token uploads carry, the reasons a request is refused (worded
//! by templates/editor/refused.html), and axum's own rejections (a body
//! too large or cut off, a wrong method) answered with that page too.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};

use super::{no_store, Editor, TOKEN_HEADER};

/// The cookie that carries the access code on a network bind.
const ACCESS_COOKIE: &str = "bantin_soan";

/// On a network bind: a request with `?ma=<code>` gets the code as a
/// cookie (HttpOnly, SameSite=Strict) and is sent on without it; a request
/// with the cookie goes on; any other is refused (403).
pub(super) async fn admitted(
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

/// A request's body; when it cannot be read (larger than its limit, or
/// cut off), the editor's refusal page instead of axum's English answer.
pub(super) struct Sent(pub(super) Bytes);

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
pub(super) async fn not_allowed(State(editor): State<Arc<Editor>>) -> Response {
    editor.refuse(Refusal::Method, "")
}

/// Why a request was refused; the template words it.
#[derive(Clone, Copy)]
pub(super) enum Refusal {
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
    pub(super) fn status(self) -> StatusCode {
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

    pub(super) fn name(self) -> &'static str {
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

/// An upload or an import from this server's own page, with its token in
/// `TOKEN_HEADER`: the file name its address gives (`?ten=`), the address
/// and the file. Refused (403) before its body is read when it is not from
/// that page.
pub(super) struct SentFile {
    pub(super) name: String,
    pub(super) uri: Uri,
    pub(super) body: Bytes,
}

impl FromRequest<Arc<Editor>> for SentFile {
    type Rejection = Response;

    async fn from_request(request: Request, editor: &Arc<Editor>) -> Result<Self, Response> {
        let token = request.headers().get(TOKEN_HEADER).and_then(|v| v.to_str().ok());
        if !editor.sent_by_own_page(request.headers(), token) {
            return Err(editor.refuse(Refusal::Forbidden, ""));
        }
        let uri = request.uri().clone();
        let query = uri.query().unwrap_or_default();
        let mut pairs = form_urlencoded::parse(query.as_bytes());
        let name = pairs.find(|(k, _)| k == "ten").map(|(_, v)| v.into_owned()).unwrap_or_default();
        let Sent(body) = Sent::from_request(request, editor).await?;
        Ok(SentFile { name, uri, body })
    }
}
