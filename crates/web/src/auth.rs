//! Identity on the HTTP surface: login with a local account returns a bearer token (also set
//! as an HttpOnly session cookie); every request resolves its caller from either.

use crate::AppState;
use crate::error::{ApiError, ApiResult, parse_json};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use citygov_domain::Problem;
use citygov_domain::codes::{ApplicantType, parse_id_number};
use citygov_domain::workflow::Role;
use citygov_store::accounts::{Account, NewAccount, RoleGrant};
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

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = token_of(&parts.headers) else {
            return Ok(Caller(None));
        };
        if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ApiError::unauthorized());
        }
        let idle = chrono::Duration::minutes(state.config.session_idle_minutes);
        match state.store.session_account(&token, state.now(), idle).await? {
            Some(a) => Ok(Caller(Some(a))),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                Problem::new(
                    "session_expired",
                    "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Hãy đăng nhập lại.",
                    "The session has expired or is invalid. Please log in again.",
                ),
            )),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token for the `Authorization` header.
    pub token: String,
    #[schema(value_type = Object)]
    pub account: Account,
}

/// Log in with a local account.
#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest, tag = "auth",
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody, description = "Locked after repeated wrong passwords")))]
pub async fn login(State(st): State<AppState>, body: Bytes) -> ApiResult<impl IntoResponse> {
    let req: LoginRequest = parse_json(&body)?;
    let now = st.now();
    let Some(account) = st.store.verify_login(&req.username, &req.password, now).await? else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            Problem::new(
                "invalid_credentials",
                "Tên đăng nhập hoặc mật khẩu không đúng.",
                "Wrong username or password.",
            ),
        ));
    };
    let token = st
        .store
        .create_session(&account.id, now, st.config.session_ttl_hours)
        .await?;
    let cookie = session_cookie(&st, &token);
    Ok(([(SET_COOKIE, cookie)], Json(LoginResponse { token, account })))
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
