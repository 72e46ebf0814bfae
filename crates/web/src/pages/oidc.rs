//! Logging in through an OpenID Connect provider (see [`crate::oidc`]): the start sends the
//! browser to the provider with a fresh state, nonce and PKCE challenge, kept in a
//! short-lived cookie scoped to `/login/oidc`; the callback checks them, maps the claims to an
//! account and opens a session. Every failure is a bilingual page and writes nothing.

use super::account::{NextQuery, landing, with_cookie};
use super::{PageError, Viewer, local_path, redirect};
use crate::AppState;
use crate::auth::session_cookie;
use crate::oidc::{LOGIN_WINDOW_SECONDS, OidcError, PendingLogin, ProviderSettings, claim_text};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use citygov_domain::codes::{ApplicantType, parse_id_number};
use citygov_store::accounts::RoleGrant;
use citygov_store::oidc::{ExternalIdentity, IdentityKind};
use serde::Deserialize;

/// The cookie that carries a started login to its callback.
pub(crate) const OIDC_COOKIE: &str = "citygov_oidc";

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn pending_cookie(value: &str, max_age: i64) -> String {
    format!("{OIDC_COOKIE}={value}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}")
}

fn redirect_uri(st: &AppState, p: &ProviderSettings) -> String {
    format!(
        "{}/login/oidc/{}/callback",
        st.config.public_url.trim_end_matches('/'),
        p.id
    )
}

fn provider<'a>(st: &'a AppState, id: &str) -> Result<&'a ProviderSettings, PageError> {
    st.oidc.provider(id).ok_or_else(PageError::not_found)
}

fn unavailable(p: &ProviderSettings, e: &OidcError) -> PageError {
    tracing::warn!(provider = %p.id, error = %e, "OpenID Connect login failed");
    match e {
        OidcError::Unavailable(_) => PageError::new(
            StatusCode::BAD_GATEWAY,
            format!(
                "Chưa kết nối được với {}. Vui lòng thử lại sau ít phút hoặc đăng nhập bằng cách khác.",
                p.label_vi
            ),
            format!(
                "{} cannot be reached. Please try again in a few minutes or log in another way.",
                p.label_en
            ),
        ),
        OidcError::Invalid(_) => PageError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "Phản hồi của {} không hợp lệ nên không thể đăng nhập. Hãy đăng nhập lại từ đầu.",
                p.label_vi
            ),
            format!(
                "The answer of {} is not valid, so you cannot be logged in. Please start the login again.",
                p.label_en
            ),
        ),
    }
}

fn expired() -> PageError {
    PageError::new(
        StatusCode::BAD_REQUEST,
        "Lượt đăng nhập này đã hết hạn hoặc không hợp lệ. Hãy bắt đầu đăng nhập lại.",
        "This login has expired or is not valid. Please start the login again.",
    )
}

/// `GET /login/oidc/{provider}`: off to the provider.
pub(crate) async fn start(
    State(st): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    let p = provider(&st, &id)?;
    let pending = PendingLogin::new(&p.id, &local_path(q.next.as_deref()), unix_now());
    let url = st
        .oidc
        .authorization_url(p, &pending, &redirect_uri(&st, p))
        .await
        .map_err(|e| unavailable(p, &e))?;
    Ok(with_cookie(
        redirect(&url),
        &pending_cookie(&pending.encode(), LOGIN_WINDOW_SECONDS),
    ))
}

#[derive(Deserialize, Default)]
pub(crate) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    iss: Option<String>,
}

/// `GET /login/oidc/{provider}/callback`: back from the provider.
pub(crate) async fn callback(
    State(st): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, PageError> {
    let clear = pending_cookie("", 0);
    let result = finish(&st, &v, &id, q).await;
    Ok(with_cookie(
        match result {
            Ok(r) => r,
            Err(e) => axum::response::IntoResponse::into_response(e),
        },
        &clear,
    ))
}

async fn finish(st: &AppState, v: &Viewer, id: &str, q: CallbackQuery) -> Result<Response, PageError> {
    let p = provider(st, id)?;
    let pending = v
        .cookie(OIDC_COOKIE)
        .and_then(PendingLogin::decode)
        .filter(|l| l.provider == p.id)
        .filter(|l| (0..=LOGIN_WINDOW_SECONDS).contains(&(unix_now() - l.started)))
        .ok_or_else(expired)?;
    if !q
        .state
        .as_deref()
        .is_some_and(|s| citygov_store::second_factor::same_code(s, &pending.state))
    {
        tracing::warn!(provider = %p.id, "OpenID Connect callback with a state that does not match");
        return Err(expired());
    }
    if let Some(error) = q.error.as_deref() {
        tracing::info!(provider = %p.id, error, "OpenID Connect provider refused the login");
        return Err(if error == "access_denied" {
            PageError::new(
                StatusCode::FORBIDDEN,
                format!("Đăng nhập qua {} đã bị hủy hoặc bị từ chối.", p.label_vi),
                format!("The login through {} was cancelled or refused.", p.label_en),
            )
        } else {
            PageError::new(
                StatusCode::BAD_GATEWAY,
                format!("{} không hoàn tất việc đăng nhập. Vui lòng thử lại.", p.label_vi),
                format!("{} did not complete the login. Please try again.", p.label_en),
            )
        });
    }
    // RFC 9207: a provider that names itself must name the configured issuer.
    if q.iss.as_deref().is_some_and(|i| i != p.issuer) {
        return Err(unavailable(p, &OidcError::Invalid("iss parameter".into())));
    }
    let code = q.code.as_deref().filter(|c| !c.is_empty()).ok_or_else(expired)?;
    let claims = st
        .oidc
        .complete(p, &pending, code, &redirect_uri(st, p), unix_now())
        .await
        .map_err(|e| unavailable(p, &e))?;
    let subject = claim_text(&claims, "sub").unwrap_or_default();
    let mut roles = Vec::new();
    if p.kind == IdentityKind::Official {
        for (role, code) in p.roles_from(&claims) {
            let unit_id = if code.is_empty() {
                String::new()
            } else {
                match st.store.unit_by_code(&code).await? {
                    Some(u) => u.id,
                    None => {
                        tracing::warn!(provider = %p.id, unit = %code, "a role claim names an unknown unit");
                        continue;
                    }
                }
            };
            roles.push(RoleGrant { role, unit_id });
        }
    }
    let id_number = (!p.id_number_claim.is_empty())
        .then(|| claim_text(&claims, &p.id_number_claim))
        .flatten()
        .and_then(|raw| match parse_id_number(ApplicantType::Citizen, &raw) {
            Ok(n) => Some(n),
            Err(_) => {
                tracing::warn!(provider = %p.id, "the identity number claim is not a CCCD number");
                None
            }
        });
    let who = ExternalIdentity {
        provider: p.id.clone(),
        subject: subject.clone(),
        kind: p.kind,
        username: claim_text(&claims, &p.username_claim).unwrap_or_else(|| subject.clone()),
        full_name: claim_text(&claims, &p.name_claim).unwrap_or_default(),
        id_number,
        roles,
        vneid: p.vneid,
    };
    let (account, token) = st
        .store
        .external_login(&who, st.now(), st.config.session_ttl_hours)
        .await?;
    let to = landing(!account.official_units().is_empty(), Some(&pending.next));
    Ok(with_cookie(redirect(&to), &session_cookie(st, &token)))
}
