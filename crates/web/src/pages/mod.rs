//! Server-rendered pages: the citizen portal and the officials' back office.
//!
//! Pages are minijinja templates (auto-escaped, compiled once) over the same functions the
//! JSON API uses, so a page can never do what the API would refuse. Every form works without
//! JavaScript (POST, then redirect); the small script in `assets/site.js` only adds comfort.
//! Vietnamese is the default language; a cookie set by `/lang/{code}` switches to English.
//! Every POST carries a per-browser token that must match its cookie (double submit), and the
//! session cookie is `SameSite=Lax`, so another site cannot act for a signed-in user.

mod account;
mod citizen;
mod data;
mod eform;
mod office;
mod oidc;
mod print;
mod privacy;
mod security;

use crate::AppState;
use crate::auth::SESSION_COOKIE;
use crate::error::ApiError;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use citygov_domain::LocalTime;
use citygov_domain::Problem;
use citygov_store::accounts::Account;
use minijinja::{Environment, State, Value};
use serde::Serialize;
use std::sync::LazyLock;

pub(crate) const LANG_COOKIE: &str = "citygov_lang";
pub(crate) const CSRF_COOKIE: &str = "citygov_csrf";
pub(crate) const CSRF_FIELD: &str = "_csrf";

/// The page routes (mounted beside `/api/v1`).
pub fn router() -> Router<AppState> {
    if let Err(e) = check_templates() {
        panic!("a page template does not compile: {e}");
    }
    Router::new()
        .route("/", get(citizen::home))
        .route("/procedures/{code}", get(citizen::procedure))
        .route("/apply/{code}", get(citizen::apply_start).post(citizen::apply_step))
        .route("/applied/{code}", get(citizen::applied))
        .route("/track", get(citizen::track_form).post(citizen::track_lookup))
        .route("/track/{code}", get(citizen::track))
        .route("/track/{code}/supplement", post(citizen::supplement))
        .route("/track/{code}/rating", post(citizen::rate))
        .route("/my", get(citizen::my_dossiers))
        .route("/my/data", get(privacy::my_data))
        .route("/my/consents", get(privacy::my_consents))
        .route("/my/consents/{purpose}/give", post(privacy::consent_give))
        .route("/my/consents/{purpose}/revoke", post(privacy::consent_revoke))
        .route("/notifications", get(citizen::notifications))
        .route("/notifications/read", post(citizen::notifications_read))
        .route("/dossiers/{code}/files/{id}", get(citizen::download))
        .route("/dossiers/{code}/print/{form}", get(print::print))
        .route("/login", get(account::login_form).post(account::login))
        .route(
            "/login/second-factor",
            get(security::second_factor_form).post(security::second_factor),
        )
        .route("/login/second-factor/qr.svg", get(security::second_factor_qr))
        .route("/login/oidc/{provider}", get(oidc::start))
        .route("/login/oidc/{provider}/callback", get(oidc::callback))
        .route("/logout", post(account::logout))
        .route("/account/security", get(security::security))
        .route("/account/tokens", post(security::create_token))
        .route("/account/tokens/{id}/revoke", post(security::revoke_token))
        .route("/account/sessions/{id}/end", post(security::end_session))
        .route("/account/logout-everywhere", post(security::logout_everywhere))
        .route("/register", get(account::register_form).post(account::register))
        .route("/lang/{code}", get(account::switch_language))
        .route("/office", get(office::queue))
        .route("/office/intake", get(office::intake_start).post(office::intake))
        .route("/office/audit", get(office::audit))
        .route("/office/breaches", get(privacy::breaches).post(privacy::breach_record))
        .route("/office/breaches/{id}/notified", post(privacy::breach_notified))
        .route("/office/dossiers/{code}", get(office::dossier))
        .route(
            "/office/dossiers/{code}/{action}",
            get(office::action_form).post(office::action),
        )
        .route("/data", get(data::catalog))
        .route("/data/query", get(data::query_form).post(data::query_run))
        .route("/data/grants/{id}/revoke", post(data::revoke_grant))
        .route("/data/{name}", get(data::detail))
        .route(
            "/data/{name}/import",
            post(data::import).layer(axum::extract::DefaultBodyLimit::max(crate::routes::LAKE_UPLOAD_BYTES)),
        )
        .route("/data/{name}/grants", post(data::add_grant))
        .route("/open-data", get(data::open_data))
        .route("/assets/{name}", get(asset))
        .fallback(not_found)
}

// ---------------------------------------------------------------------------------------------
// Language
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En if en.is_empty() => vi,
            Lang::En => en,
        }
    }
    fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
    "base.html",
    "macros.html",
    "home.html",
    "procedure.html",
    "apply.html",
    "applied.html",
    "track_form.html",
    "track.html",
    "my.html",
    "notifications.html",
    "login.html",
    "register.html",
    "queue.html",
    "office_dossier.html",
    "action.html",
    "intake.html",
    "print.html",
    "error.html",
    "data_list.html",
    "data_detail.html",
    "data_query.html",
    "open_data.html",
    "second_factor.html",
    "account_security.html",
    "office_audit.html",
    "my_data.html",
    "my_consents.html",
    "breaches.html",
];

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, src) in TEMPLATES {
        env.add_template(name, src).expect("templates compile");
    }
    // `t("Tiếng Việt", "English")`: the text in the page's language.
    env.add_function("t", |state: &State, vi: String, en: String| -> String {
        let en_page = state.lookup("lang").is_some_and(|l| l.as_str() == Some("en"));
        if en_page && !en.is_empty() { en } else { vi }
    });
    env.add_filter("vnd", |v: i64| format_vnd(v));
    // The element id of an input name (`f.owner.name` → `f-owner-name`), for error links.
    env.add_filter("field_id", |name: String| field_id(&name));
    env
});

/// Compile every template (the router does this when it is built, so a broken template stops
/// `citygov serve` at start instead of failing a citizen's request).
pub fn check_templates() -> Result<(), String> {
    for (name, _) in TEMPLATES {
        ENV.get_template(name).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// The id given to the element of an input name: letters and digits kept, the rest `-`.
pub(crate) fn field_id(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// 1234567 → "1.234.567".
pub(crate) fn format_vnd(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

pub(crate) fn fmt_time(t: &LocalTime) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

pub(crate) fn fmt_date(t: &LocalTime) -> String {
    t.format("%d/%m/%Y").to_string()
}

// ---------------------------------------------------------------------------------------------
// Who is looking
// ---------------------------------------------------------------------------------------------

/// The browser on the other end: its account (if signed in), language and form token.
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub account: Option<Account>,
    pub lang: Lang,
    pub csrf: String,
    /// Path and query of this request (to come back after login or a language switch).
    pub here: String,
    pub cookies: Vec<(String, String)>,
}

impl Viewer {
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn is_official(&self) -> bool {
        self.account.as_ref().is_some_and(|a| !a.official_units().is_empty())
    }

    /// Any official (the warehouse's pages), not only those who process dossiers.
    pub fn is_staff(&self) -> bool {
        self.account.as_ref().is_some_and(|a| a.kind == "official")
    }

    pub fn caller(&self) -> crate::auth::Caller {
        crate::auth::Caller(self.account.clone())
    }

    /// Refuse a POST whose form token does not match the browser's cookie.
    pub fn check_csrf(&self, form: &FormData) -> Result<(), PageError> {
        let sent = form.get(CSRF_FIELD);
        let expected = self.cookie(CSRF_COOKIE);
        match (sent, expected) {
            (Some(s), Some(e)) if !s.is_empty() && s == e => Ok(()),
            _ => Err(PageError::new(
                StatusCode::FORBIDDEN,
                "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và gửi lại.",
                "The form has expired or is invalid. Reload the page and send it again.",
            )),
        }
    }

    pub fn require_account(&self) -> Result<&Account, PageError> {
        self.account.as_ref().ok_or_else(|| PageError::login(&self.here))
    }
}

pub(crate) fn parse_cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect()
}

/// A CSRF token made for this request when the browser had none (set by [`csrf_cookie`]).
#[derive(Clone)]
struct FreshCsrf(String);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let cookies = parse_cookies(&parts.headers);
        let get = |name: &str| cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let lang = match get(LANG_COOKIE).as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        };
        let account = match get(SESSION_COOKIE) {
            Some(t) if t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()) => st
                .store
                .session_account(&t, st.now(), chrono::Duration::minutes(st.config.session_idle_minutes))
                .await
                .map_err(PageError::from_store)?,
            _ => None,
        };
        let csrf = parts
            .extensions
            .get::<FreshCsrf>()
            .map(|f| f.0.clone())
            .or_else(|| get(CSRF_COOKIE))
            .unwrap_or_default();
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        Ok(Viewer {
            account,
            lang,
            csrf,
            here,
            cookies,
        })
    }
}

/// Give every browser a form token cookie on its first page.
pub async fn csrf_cookie(mut req: Request, next: Next) -> Response {
    let has = parse_cookies(req.headers())
        .iter()
        .any(|(k, v)| k == CSRF_COOKIE && v.len() == 32);
    if has {
        return next.run(req).await;
    }
    let token = hex::encode(rand::random::<[u8; 16]>());
    req.extensions_mut().insert(FreshCsrf(token.clone()));
    let mut resp = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict")) {
        resp.headers_mut().append(SET_COOKIE, v);
    }
    resp
}

/// Pages are not cached by shared caches and say what they are.
pub async fn page_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.entry("x-content-type-options")
        .or_insert(HeaderValue::from_static("nosniff"));
    h.entry("referrer-policy")
        .or_insert(HeaderValue::from_static("same-origin"));
    h.entry("x-frame-options").or_insert(HeaderValue::from_static("DENY"));
    h.entry("content-security-policy").or_insert(HeaderValue::from_static(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'",
    ));
    resp
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct UserView<'a> {
    name: &'a str,
    username: &'a str,
    official: bool,
    /// Any official, including the warehouse's stewards and analysts.
    staff: bool,
    applicant: bool,
    /// Sees the back office's queue: officials who process dossiers, administrators and
    /// auditors.
    back_office: bool,
    /// Reads the audit trail: administrators and auditors.
    audit_reader: bool,
    admin: bool,
}

/// A serialisable value for a template.
pub(crate) fn ser<T: Serialize>(t: T) -> Value {
    Value::from(minijinja::value::Serde(t))
}

/// Render `template` with the page's common context (language, user, form token) and `ctx`.
pub(crate) fn render(v: &Viewer, template: &str, ctx: Value) -> Result<Response, PageError> {
    render_status(v, StatusCode::OK, template, ctx)
}

pub(crate) fn render_status(v: &Viewer, status: StatusCode, template: &str, ctx: Value) -> Result<Response, PageError> {
    let user = v.account.as_ref().map(|a| UserView {
        name: &a.full_name,
        username: &a.username,
        official: !a.official_units().is_empty(),
        staff: a.kind == "official",
        applicant: a.has_role(citygov_domain::workflow::Role::Applicant),
        back_office: !a.official_units().is_empty()
            || a.has_role(citygov_domain::workflow::Role::Administrator)
            || a.has_role(citygov_domain::workflow::Role::Auditor),
        audit_reader: crate::access::AuditReader::check(a).is_ok(),
        admin: a.has_role(citygov_domain::workflow::Role::Administrator),
    });
    let common = minijinja::context! {
        lang => v.lang.code(),
        user => ser(&user),
        csrf => v.csrf.as_str(),
        csrf_field => CSRF_FIELD,
        here => v.here.as_str(),
    };
    let tpl = ENV.get_template(template).map_err(PageError::internal)?;
    let html = tpl
        .render(minijinja::context! { ..ctx, ..common })
        .map_err(PageError::internal)?;
    let mut resp = (status, html).into_response();
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    resp.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// 303 See Other to `to` (after a POST, so that a reload does not send it again).
pub(crate) fn redirect(to: &str) -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert(LOCATION, v);
    }
    resp
}

/// Only paths of this site are followed after login or a language switch.
pub(crate) fn local_path(p: Option<&str>) -> String {
    match p {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

/// The page number asked for in a list (`?page=`): 1 when absent or not a number.
pub(crate) fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000)
}

pub(crate) fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A problem as shown on a page: the field it belongs to, its message in the page's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ShownProblem {
    pub field: String,
    pub message: String,
}

pub(crate) fn shown(lang: Lang, problems: &[Problem]) -> Vec<ShownProblem> {
    problems
        .iter()
        .map(|p| ShownProblem {
            field: p.field.clone().unwrap_or_default(),
            message: lang.pick(&p.message_vi, &p.message_en).to_string(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// What a page answers when it cannot do what was asked: a status and a bilingual message,
/// or a redirect to the login page.
#[derive(Debug)]
pub(crate) enum PageError {
    Message { status: StatusCode, vi: String, en: String },
    Login { back: String },
}

impl PageError {
    pub fn new(status: StatusCode, vi: impl Into<String>, en: impl Into<String>) -> Self {
        PageError::Message {
            status,
            vi: vi.into(),
            en: en.into(),
        }
    }
    pub fn login(back: &str) -> Self {
        PageError::Login { back: back.to_string() }
    }
    pub fn not_found() -> Self {
        PageError::new(
            StatusCode::NOT_FOUND,
            "Không tìm thấy trang hoặc hồ sơ bạn cần.",
            "The page or dossier you asked for was not found.",
        )
    }
    pub fn forbidden() -> Self {
        PageError::new(
            StatusCode::FORBIDDEN,
            "Bạn không có quyền xem trang này.",
            "You may not see this page.",
        )
    }
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "page failed");
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.",
            "Something went wrong on our side. Please try again in a few minutes.",
        )
    }
    pub fn from_store(e: citygov_store::Error) -> Self {
        Self::from_api(ApiError::from(e))
    }
    pub fn from_api(e: ApiError) -> Self {
        let status = e.status;
        if status == StatusCode::UNAUTHORIZED {
            return PageError::login("/");
        }
        if status.is_server_error() {
            return PageError::internal(format!("{:?}", e.problems()));
        }
        PageError::new(status, e.problem.message_vi, e.problem.message_en)
    }
}

impl From<citygov_store::Error> for PageError {
    fn from(e: citygov_store::Error) -> Self {
        PageError::from_store(e)
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError::from_api(e)
    }
}

/// Why a form's action did not happen: the page's own refusal (not signed in, not allowed), or
/// the action's.
pub(crate) enum FormError {
    Page(PageError),
    Refused(ApiError),
}

impl From<PageError> for FormError {
    fn from(e: PageError) -> Self {
        FormError::Page(e)
    }
}

impl From<ApiError> for FormError {
    fn from(e: ApiError) -> Self {
        FormError::Refused(e)
    }
}

impl From<citygov_store::Error> for FormError {
    fn from(e: citygov_store::Error) -> Self {
        FormError::Refused(e.into())
    }
}

/// The shape of a form that changes something and sends the browser back to a page
/// (post/redirect/get): the form's CSRF token is checked before anything else, then `act`
/// runs (checking who may act first) and, when it succeeds, the browser goes to `to`. A
/// refusal the person can correct (a 4xx of the action) is answered by `again`, usually the
/// form's page with the problems ([`error_page_again`] for forms without one); any other
/// error is the error page.
pub(crate) async fn submit(
    v: &Viewer,
    form: &FormData,
    to: &str,
    act: impl AsyncFnOnce() -> Result<(), FormError>,
    again: impl AsyncFnOnce(ApiError) -> Result<Response, PageError>,
) -> Result<Response, PageError> {
    v.check_csrf(form)?;
    match act().await {
        Ok(()) => Ok(redirect(to)),
        Err(FormError::Page(e)) => Err(e),
        Err(FormError::Refused(e)) if e.status.is_client_error() => again(e).await,
        Err(FormError::Refused(e)) => Err(e.into()),
    }
}

/// For [`submit`]: a form with no page of its own to show again answers every refusal with the
/// error page.
pub(crate) async fn error_page_again(e: ApiError) -> Result<Response, PageError> {
    Err(e.into())
}

/// The error page, in the language the browser asked for.
fn error_page(lang: Lang, status: StatusCode, vi: &str, en: &str) -> Response {
    let html = ENV
        .get_template("error.html")
        .and_then(|t| {
            t.render(minijinja::context! {
                lang => lang.code(),
                status => status.as_u16(),
                message => lang.pick(vi, en),
                here => "/",
            })
        })
        .unwrap_or_else(|_| lang.pick(vi, en).to_string());
    let mut resp = (status, html).into_response();
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    resp
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login { back } => redirect(&format!("/login?next={}", url_encode(&back))),
            PageError::Message { status, vi, en } => {
                // The language is not known here; the error layer re-renders with it.
                let mut resp = error_page(Lang::Vi, status, &vi, &en);
                resp.extensions_mut().insert(ErrorText { status, vi, en });
                resp
            }
        }
    }
}

#[derive(Clone)]
struct ErrorText {
    status: StatusCode,
    vi: String,
    en: String,
}

/// Re-render error pages in English for browsers that chose English.
pub async fn error_language(req: Request, next: Next) -> Response {
    let en = parse_cookies(req.headers())
        .iter()
        .any(|(k, v)| k == LANG_COOKIE && v == "en");
    let resp = next.run(req).await;
    if !en {
        return resp;
    }
    match resp.extensions().get::<ErrorText>().cloned() {
        Some(e) => error_page(Lang::En, e.status, &e.vi, &e.en),
        None => resp,
    }
}

async fn not_found() -> PageError {
    PageError::not_found()
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

/// An uploaded file from a multipart form.
pub(crate) struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub bytes: axum::body::Bytes,
}

/// A submitted form, URL-encoded or multipart: fields in order (names may repeat) and files.
#[derive(Default)]
pub(crate) struct FormData {
    pub fields: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

impl FormData {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// The trimmed value, `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
    pub fn file(&self, name: &str) -> Option<&UploadedFile> {
        self.files.iter().find(|f| f.field == name && !f.bytes.is_empty())
    }
}

impl FromRequest<AppState> for FormData {
    type Rejection = PageError;

    async fn from_request(req: Request<Body>, st: &AppState) -> Result<Self, Self::Rejection> {
        let ctype = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let unreadable = |e: &dyn std::fmt::Display| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                format!("Không đọc được biểu mẫu gửi lên: {e}"),
                format!("The form could not be read: {e}"),
            )
        };
        if ctype.starts_with("multipart/form-data") {
            let mut mp = Multipart::from_request(req, st).await.map_err(|e| unreadable(&e))?;
            let mut out = FormData::default();
            while let Some(field) = mp.next_field().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    PageError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "Tệp tải lên quá lớn.",
                        "The uploaded file is too large.",
                    )
                } else {
                    unreadable(&e)
                }
            })? {
                let name = field.name().unwrap_or("").to_string();
                match field.file_name().map(str::to_string) {
                    Some(file_name) => {
                        let bytes = field.bytes().await.map_err(|e| unreadable(&e))?;
                        if !file_name.is_empty() {
                            out.files.push(UploadedFile {
                                field: name,
                                file_name,
                                bytes,
                            });
                        }
                    }
                    None => {
                        let text = field.text().await.map_err(|e| unreadable(&e))?;
                        out.fields.push((name, text));
                    }
                }
            }
            Ok(out)
        } else {
            let bytes = axum::body::Bytes::from_request(req, st)
                .await
                .map_err(|e| unreadable(&e))?;
            Ok(FormData {
                fields: form_urlencoded::parse(&bytes).into_owned().collect(),
                files: vec![],
            })
        }
    }
}

/// Check an uploaded file and store it for the uploader: its id, or the problem (shown at
/// `field`).
pub(crate) async fn save_upload(
    st: &AppState,
    uploader: &crate::access::Uploader,
    f: &UploadedFile,
    field: &str,
) -> Result<Result<String, Problem>, PageError> {
    match citygov_store::files::check_upload(&f.file_name, &f.bytes, &st.config.upload) {
        Ok(ctype) => {
            let saved = st
                .store
                .save_file(
                    st.files.as_ref(),
                    uploader.owner(),
                    &f.file_name,
                    &ctype,
                    &f.bytes,
                    st.now(),
                )
                .await?;
            Ok(Ok(saved.id))
        }
        Err(p) => Ok(Err(Problem {
            field: Some(field.to_string()),
            ..p
        })),
    }
}

/// The problems of a refused filing, placed at the page's inputs: e-form fields, the commune
/// (`unit`) and the documents (`doc.{component}`).
pub(crate) fn filing_problems(e: &ApiError) -> Vec<Problem> {
    e.problems()
        .into_iter()
        .map(|mut p| {
            let f = p.field.clone().unwrap_or_default();
            p.field = Some(if f.starts_with("form_data.") {
                eform::error_field(&f)
            } else if f == "receiving_unit_code" {
                "unit".into()
            } else if let Some(rest) = f.strip_prefix("documents.") {
                format!("doc.{rest}")
            } else {
                f
            });
            p
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Static assets
// ---------------------------------------------------------------------------------------------

const ASSETS: &[(&str, &str, &str)] = &[
    ("site.css", "text/css; charset=utf-8", include_str!("assets/site.css")),
    (
        "site.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/site.js"),
    ),
];

async fn asset(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, ctype, body)) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static(ctype)),
                (CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
            ],
            *body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        check_templates().unwrap();
    }

    #[test]
    fn amounts_are_grouped_the_vietnamese_way() {
        assert_eq!(format_vnd(0), "0");
        assert_eq!(format_vnd(25_000), "25.000");
        assert_eq!(format_vnd(1_234_567), "1.234.567");
        assert_eq!(format_vnd(-500_000), "-500.000");
    }

    #[test]
    fn only_paths_of_this_site_are_followed() {
        assert_eq!(
            local_path(Some("/track/H31.01.01-260101-0001")),
            "/track/H31.01.01-260101-0001"
        );
        for outside in [
            "https://example.com/",
            "//example.com/x",
            "/\\example.com",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(Some(outside)), "/", "{outside}");
        }
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn input_names_become_element_ids() {
        assert_eq!(field_id("f.children[0].name"), "f-children-0--name");
        assert_eq!(field_id("doc.TP01"), "doc-TP01");
    }
}
