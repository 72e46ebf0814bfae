//! Identity on the HTTP surface: login with a local account (and, for officials and
//! administrators, a second factor) returns a bearer token, also set as an HttpOnly session
//! cookie; every request resolves its caller from either, or from a scoped API token
//! (`cgt_…`) allowed on the route by [`crate::scopes`].

use crate::AppState;
use crate::error::{ApiError, ApiResult, parse_json};
use crate::login_limit::ClientAddr;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, MatchedPath, Path, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use citygov_domain::Problem;
use citygov_domain::codes::{ApplicantType, parse_id_number};
use citygov_domain::workflow::Role;
use citygov_store::accounts::{Account, LoginStep, NewAccount, RoleGrant};
use citygov_store::second_factor::PendingLogin;
use citygov_store::tokens::{ApiToken, NewToken, SessionInfo, TOKEN_PREFIX};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const SESSION_COOKIE: &str = "citygov_session";

/// Who is calling: an account, or nobody.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Account>);

impl Caller {
    pub fn require(&self) -> ApiResult<&Account> {
        self.0.as_ref().ok_or_else(ApiError::unauthorized)
    }
    pub fn principal(&self) -> String {
        self.0
            .as_ref()
            .map(|a| a.id.clone())
            .unwrap_or_else(|| "anonymous".into())
    }
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(t) = v.strip_prefix("Bearer ")
    {
        return Some(t.trim().to_string());
    }
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == SESSION_COOKIE).then(|| v.to_string())
        })
}

fn session_expired() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        Problem::new(
            "session_expired",
            "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Hãy đăng nhập lại.",
            "The session has expired or is invalid. Please log in again.",
        ),
    )
}

fn is_hex64(t: &str) -> bool {
    t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = token_of(&parts.headers) else {
            return Ok(Caller(None));
        };
        if let Some(secret) = token.strip_prefix(TOKEN_PREFIX) {
            if !is_hex64(secret) {
                return Err(ApiError::unauthorized());
            }
            let path = parts
                .extensions
                .get::<MatchedPath>()
                .map(|m| m.as_str().to_string())
                .unwrap_or_default();
            let Some((account, scopes)) = state.store.token_account(&token, state.now()).await? else {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    Problem::new(
                        "token_invalid",
                        "Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
                        "The API token is invalid, expired or revoked.",
                    ),
                ));
            };
            return match crate::scopes::need(&parts.method, &path) {
                crate::scopes::Need::Public => Ok(Caller(Some(account))),
                crate::scopes::Need::Scope(s) if scopes.iter().any(|h| h == s) => Ok(Caller(Some(account))),
                crate::scopes::Need::Scope(s) => Err(ApiError::forbidden(Problem::new(
                    "token_scope",
                    format!("Mã truy cập không có phạm vi {s} cần cho việc này."),
                    format!("The API token lacks the scope {s} this needs."),
                ))),
                crate::scopes::Need::SessionOnly => Err(token_not_allowed()),
            };
        }
        Ok(Caller(Some(session_of(state, &token).await?)))
    }
}

fn token_not_allowed() -> ApiError {
    ApiError::forbidden(Problem::new(
        "token_not_allowed",
        "Việc này cần phiên đăng nhập của người dùng, không dùng được mã truy cập.",
        "This needs a person's login session; API tokens cannot do it.",
    ))
}

/// The account of a live session token (64 hex digits).
async fn session_of(state: &AppState, token: &str) -> Result<Account, ApiError> {
    if !is_hex64(token) {
        return Err(ApiError::unauthorized());
    }
    let idle = chrono::Duration::minutes(state.config.session_idle_minutes);
    state
        .store
        .session_account(token, state.now(), idle)
        .await?
        .ok_or_else(session_expired)
}

/// A person logged in with a session (not an API token), and the session's token: for
/// managing tokens and sessions.
pub struct SessionCaller {
    pub account: Account,
    pub token: String,
}

impl FromRequestParts<AppState> for SessionCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = token_of(&parts.headers) else {
            return Err(ApiError::unauthorized());
        };
        if token.starts_with(TOKEN_PREFIX) {
            return Err(token_not_allowed());
        }
        let account = session_of(state, &token).await?;
        Ok(SessionCaller { account, token })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A login: the session (token and account) when it is complete; for officials and
/// administrators, the second-factor step to complete first.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token for the `Authorization` header (absent while a second factor is due).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub account: Option<Account>,
    /// The second factor due: give a code with `challenge` to `POST /auth/second-factor`
    /// before `expires_at`. With `enrollment`, the account has no authenticator yet: add the
    /// secret to an authenticator app (or scan `otpauth_url` as a QR code) and give its code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub second_factor: Option<PendingLogin>,
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        Problem::new(
            "invalid_credentials",
            "Tên đăng nhập hoặc mật khẩu không đúng.",
            "Wrong username or password.",
        ),
    )
}

/// Log in with a local account. Officials and administrators get a second-factor challenge
/// instead of a session. Failed attempts count toward the lockout of the username and the
/// limit of the client's address ([`crate::login_limit`]).
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest, tag = "auth",
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody, description = "Locked after repeated failed logins of the username (`login_locked`), or too many failed logins from the client's address (`login_rate_limited`)", headers(("Retry-After" = u64, description = "Seconds to wait, when too many failed logins came from the client's address")))))]
pub async fn login(State(st): State<AppState>, client: ClientAddr, body: Bytes) -> ApiResult<impl IntoResponse> {
    st.check_login_limit(client, "/api/v1/auth/login").await?;
    let req: LoginRequest = parse_json(&body)?;
    let now = st.now();
    let step = match st.store.check_password(&req.username, &req.password, now).await {
        Err(e @ citygov_store::Error::TooManyAttempts(_)) => {
            st.login_failed(client);
            return Err(e.into());
        }
        r => r?,
    };
    match step {
        LoginStep::Refused => {
            st.login_failed(client);
            Err(invalid_credentials())
        }
        LoginStep::SecondFactor(account) => {
            let pending = st.store.begin_second_factor(&account, now).await?;
            Ok(Json(LoginResponse {
                token: None,
                account: None,
                second_factor: Some(pending),
            })
            .into_response())
        }
        LoginStep::Done(account) => {
            let token = st
                .store
                .create_session(&account.id, now, st.config.session_ttl_hours)
                .await?;
            let cookie = session_cookie(&st, &token);
            Ok((
                [(SET_COOKIE, cookie)],
                Json(LoginResponse {
                    token: Some(token),
                    account: Some(account),
                    second_factor: None,
                }),
            )
                .into_response())
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SecondFactorRequest {
    /// The `challenge` of the login's `second_factor`.
    pub challenge: String,
    /// The 6-digit code shown by the authenticator app.
    pub code: String,
}

/// Complete a login with the second factor's code. Wrong codes count toward the lockout of
/// the username and the limit of the client's address.
#[utoipa::path(post, path = "/api/v1/auth/second-factor", request_body = SecondFactorRequest, tag = "auth",
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::error::ErrorBody, description = "Wrong or used code, or the step expired"), (status = 429, body = crate::error::ErrorBody, description = "Locked after repeated failed logins of the username (`login_locked`), or too many failed logins from the client's address (`login_rate_limited`)", headers(("Retry-After" = u64, description = "Seconds to wait, when too many failed logins came from the client's address")))))]
pub async fn second_factor(
    State(st): State<AppState>,
    client: ClientAddr,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    st.check_login_limit(client, "/api/v1/auth/second-factor").await?;
    let req: SecondFactorRequest = parse_json(&body)?;
    let (token, account) = match st
        .store
        .complete_second_factor(&req.challenge, &req.code, st.now(), st.config.session_ttl_hours)
        .await
    {
        Err(e @ (citygov_store::Error::Unauthorized(_) | citygov_store::Error::TooManyAttempts(_))) => {
            st.login_failed(client);
            return Err(e.into());
        }
        r => r?,
    };
    let cookie = session_cookie(&st, &token);
    Ok((
        [(SET_COOKIE, cookie)],
        Json(LoginResponse {
            token: Some(token),
            account: Some(account),
            second_factor: None,
        }),
    ))
}

/// The session cookie for `token`.
pub(crate) fn session_cookie(st: &AppState, token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        st.config.session_ttl_hours * 3600
    )
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(st): State<AppState>, headers: HeaderMap) -> ApiResult<impl IntoResponse> {
    if let Some(t) = token_of(&headers) {
        st.store.end_session(&t).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Max-Age=0"))],
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub username: String,
    pub password: String,
    pub full_name: String,
    /// Citizen ID (CCCD), 12 digits.
    pub id_number: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Register a citizen account.
#[utoipa::path(post, path = "/api/v1/auth/register", request_body = RegisterRequest, tag = "auth",
    responses((status = 201, body = Object), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn register(State(st): State<AppState>, body: Bytes) -> ApiResult<impl IntoResponse> {
    let req: RegisterRequest = parse_json(&body)?;
    let account = register_citizen(&st, req).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Create a citizen account (the register endpoint and page).
pub(crate) async fn register_citizen(st: &AppState, req: RegisterRequest) -> ApiResult<Account> {
    let id = parse_id_number(ApplicantType::Citizen, &req.id_number)
        .map_err(|p| ApiError::unprocessable(vec![p.at("id_number")]))?;
    let account = st
        .store
        .create_account(
            &NewAccount {
                username: req.username,
                password: req.password,
                full_name: req.full_name,
                title: "Công dân".into(),
                kind: "citizen".into(),
                id_number: Some(id),
                email: req.email,
                phone: req.phone,
                vneid_verified: false,
                roles: vec![RoleGrant {
                    role: Role::Applicant,
                    unit_id: String::new(),
                }],
            },
            st.now(),
        )
        .await?;
    Ok(account)
}

/// The caller's account.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = Object), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(caller: Caller) -> ApiResult<Json<Account>> {
    Ok(Json(caller.require()?.clone()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTokenRequest {
    /// What the token is for (shown in the list).
    pub name: String,
    /// Scopes: `dossiers:read`, `dossiers:write`, `notifications`, `catalog:write`,
    /// `lake:read`, `lake:write`, `audit:read`.
    pub scopes: Vec<String>,
    /// Days until it expires (1–366; 90 when absent).
    pub days: Option<i64>,
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "auth",
    responses((status = 200, body = Vec<Object>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody, description = "Called with an API token")))]
pub async fn tokens(State(st): State<AppState>, caller: SessionCaller) -> ApiResult<Json<Vec<ApiToken>>> {
    Ok(Json(st.store.tokens(&caller.account.id).await?))
}

/// Make an API token acting as the caller on the routes its scopes allow. The token is in
/// this answer only.
#[utoipa::path(post, path = "/api/v1/auth/tokens", request_body = NewTokenRequest, tag = "auth",
    responses((status = 201, body = Object), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_token(
    State(st): State<AppState>,
    caller: SessionCaller,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<NewToken>)> {
    let req: NewTokenRequest = parse_json(&body)?;
    let made = st
        .store
        .create_token(
            &caller.account,
            &req.name,
            &req.scopes,
            req.days.unwrap_or(90),
            st.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Revoke one of the caller's API tokens, at once.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "auth", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke_token(
    State(st): State<AppState>,
    caller: SessionCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    st.store.revoke_token(&caller.account, &id, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's live sessions (`current` marks this one).
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth",
    responses((status = 200, body = Vec<Object>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn sessions(State(st): State<AppState>, caller: SessionCaller) -> ApiResult<Json<Vec<SessionInfo>>> {
    let idle = chrono::Duration::minutes(st.config.session_idle_minutes);
    Ok(Json(
        st.store
            .sessions_of(&caller.account.id, Some(&caller.token), st.now(), idle)
            .await?,
    ))
}

/// End one of the caller's sessions (say, on a lost device).
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "auth", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn end_session(
    State(st): State<AppState>,
    caller: SessionCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    st.store.end_session_by_id(&caller.account, &id, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct LogoutEverywhereRequest {
    /// Revoke the account's API tokens too.
    #[serde(default)]
    pub tokens: bool,
}

/// End every session of the caller, this one included (and revoke its API tokens when
/// asked).
#[utoipa::path(post, path = "/api/v1/auth/logout-everywhere", request_body = LogoutEverywhereRequest, tag = "auth",
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn logout_everywhere(
    State(st): State<AppState>,
    caller: SessionCaller,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let req: LogoutEverywhereRequest = if body.is_empty() {
        LogoutEverywhereRequest::default()
    } else {
        parse_json(&body)?
    };
    let a = &caller.account;
    st.store
        .end_all_sessions(&a.id, (Some(&a.id), &a.username), req.tokens, st.now())
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Max-Age=0"))],
    ))
}
