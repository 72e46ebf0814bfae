//! The second step of an official's login (a code from an authenticator app, enrolled on the
//! first login) and the account's security page: its second factor, live sessions and API
//! tokens.

use super::account::{landing, with_cookie};
use super::{
    FormData, FormError, PageError, Viewer, error_page_again, fmt_date, local_path, redirect, render_status, shown,
    submit,
};
use crate::AppState;
use crate::auth::{SESSION_COOKIE, session_cookie};
use crate::login_limit::{ClientAddr, with_retry_after};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use citygov_domain::LocalTime;
use citygov_store::second_factor::{PENDING_MINUTES, PendingLogin};
use citygov_store::tokens::{MAX_TOKEN_DAYS, SCOPES};
use serde::{Deserialize, Serialize};

/// The cookie holding a pending login's challenge, sent only to the login pages.
pub(crate) const PENDING_COOKIE: &str = "citygov_pending";

pub(crate) fn pending_cookie(p: &PendingLogin) -> String {
    format!(
        "{PENDING_COOKIE}={}; Path=/login; HttpOnly; SameSite=Lax; Max-Age={}",
        p.challenge,
        PENDING_MINUTES * 60
    )
}

fn clear_pending() -> String {
    format!("{PENDING_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0")
}

fn fmt_time(t: &LocalTime) -> String {
    t.format("%H:%M %d/%m/%Y").to_string()
}

#[derive(Deserialize, Default)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

fn challenge_of(v: &Viewer) -> Option<String> {
    v.cookie(PENDING_COOKIE)
        .filter(|c| c.len() == 64 && c.chars().all(|ch| ch.is_ascii_hexdigit()))
        .map(str::to_string)
}

/// Back to the password when there is no live pending login.
fn restart(next: &str) -> Response {
    with_cookie(
        redirect(&format!("/login?next={}", super::url_encode(next))),
        &clear_pending(),
    )
}

pub(crate) async fn second_factor_form(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    let next = local_path(q.next.as_deref());
    let Some(challenge) = challenge_of(&v) else {
        return Ok(restart(&next));
    };
    let Some((account, enrolling)) = st.store.pending_login(&challenge, st.now()).await? else {
        return Ok(restart(&next));
    };
    second_factor_page(&st, &v, StatusCode::OK, &account, enrolling, &next, Vec::new()).await
}

async fn second_factor_page(
    st: &AppState,
    v: &Viewer,
    status: StatusCode,
    account: &citygov_store::accounts::Account,
    enrolling: bool,
    next: &str,
    problems: Vec<citygov_domain::Problem>,
) -> Result<Response, PageError> {
    let secret = if enrolling {
        st.store.pending_enrollment(account).await?.map(|e| {
            // In groups of four, easier to type.
            e.secret
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
    } else {
        None
    };
    render_status(
        v,
        status,
        "second_factor.html",
        minijinja::context! {
            next => next,
            enrolling => enrolling,
            secret => secret,
            username => account.username.as_str(),
            problems => super::ser(shown(v.lang, &problems)),
        },
    )
}

/// The enrolment QR code (`otpauth://` URL) of the pending login, as SVG.
pub(crate) async fn second_factor_qr(State(st): State<AppState>, v: Viewer) -> Result<Response, PageError> {
    let Some(challenge) = challenge_of(&v) else {
        return Err(PageError::not_found());
    };
    let Some((account, true)) = st.store.pending_login(&challenge, st.now()).await? else {
        return Err(PageError::not_found());
    };
    let Some(e) = st.store.pending_enrollment(&account).await? else {
        return Err(PageError::not_found());
    };
    let code = qrcode::QrCode::new(e.otpauth_url.as_bytes()).map_err(PageError::internal)?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        svg,
    )
        .into_response())
}

pub(crate) async fn second_factor(
    State(st): State<AppState>,
    v: Viewer,
    client: ClientAddr,
    form: FormData,
) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let next = local_path(form.get("next"));
    let Some(challenge) = challenge_of(&v) else {
        return Ok(restart(&next));
    };
    let Some((account, enrolling)) = st.store.pending_login(&challenge, st.now()).await? else {
        return Ok(restart(&next));
    };
    if let Err(e) = st.check_login_limit(client, "/login/second-factor").await {
        let Some(secs) = e.retry_after else {
            return Err(e.into());
        };
        // The pending login stays: the code can be given once the wait is over.
        let resp = second_factor_page(
            &st,
            &v,
            StatusCode::TOO_MANY_REQUESTS,
            &account,
            enrolling,
            &next,
            vec![e.problem.at("code")],
        )
        .await?;
        return Ok(with_retry_after(resp, secs));
    }
    let code = form.text("code").unwrap_or_default();
    match st
        .store
        .complete_second_factor(&challenge, &code, st.now(), st.config.session_ttl_hours)
        .await
    {
        Ok((token, account)) => {
            let to = landing(!account.official_units().is_empty(), Some(&next));
            let resp = with_cookie(redirect(&to), &session_cookie(&st, &token));
            Ok(with_cookie(resp, &clear_pending()))
        }
        Err(citygov_store::Error::Unauthorized(p)) if p.code == "invalid_code" => {
            st.login_failed(client);
            second_factor_page(
                &st,
                &v,
                StatusCode::UNPROCESSABLE_ENTITY,
                &account,
                enrolling,
                &next,
                vec![p],
            )
            .await
        }
        Err(citygov_store::Error::Unauthorized(p) | citygov_store::Error::TooManyAttempts(p)) => {
            st.login_failed(client);
            // The pending login ended: back to the password, saying why.
            let status = if p.code == "login_locked" {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            let resp = render_status(
                &v,
                status,
                "login.html",
                minijinja::context! {
                    next => next,
                    username => account.username.as_str(),
                    problems => super::ser(shown(v.lang, &[p.at("username")])),
                },
            )?;
            Ok(with_cookie(resp, &clear_pending()))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct TokenRow {
    id: String,
    name: String,
    scopes: String,
    created: String,
    expires: String,
    last_used: String,
    state: &'static str,
}

#[derive(Serialize)]
struct SessionRow {
    id: String,
    created: String,
    last_seen: String,
    current: bool,
}

#[derive(Serialize)]
struct ScopeRow {
    code: &'static str,
    label: &'static str,
    checked: bool,
}

async fn security_page(
    st: &AppState,
    v: &Viewer,
    status: StatusCode,
    new_token: Option<String>,
    problems: Vec<citygov_domain::Problem>,
    form: Option<&FormData>,
) -> Result<Response, PageError> {
    let account = v.require_account()?;
    let now = st.now();
    let since = st.store.second_factor_since(&account.id).await?;
    let idle = chrono::Duration::minutes(st.config.session_idle_minutes);
    let sessions: Vec<SessionRow> = st
        .store
        .sessions_of(&account.id, v.cookie(SESSION_COOKIE), now, idle)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id,
            created: fmt_time(&s.created_at),
            last_seen: fmt_time(&s.last_seen_at),
            current: s.current,
        })
        .collect();
    let tokens: Vec<TokenRow> = st
        .store
        .tokens(&account.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            state: if t.revoked_at.is_some() {
                "revoked"
            } else if t.expires_at <= now {
                "expired"
            } else {
                "live"
            },
            id: t.id,
            name: t.name,
            scopes: t.scopes.join(", "),
            created: fmt_date(&t.created_at),
            expires: fmt_date(&t.expires_at),
            last_used: t.last_used_at.map(|l| fmt_time(&l)).unwrap_or_default(),
        })
        .collect();
    let chosen = form.map(|f| f.all("scopes")).unwrap_or_default();
    let scopes: Vec<ScopeRow> = SCOPES
        .iter()
        .map(|(code, vi, en)| ScopeRow {
            code,
            label: v.lang.pick(vi, en),
            checked: chosen.iter().any(|c| c == code),
        })
        .collect();
    render_status(
        v,
        status,
        "account_security.html",
        minijinja::context! {
            second_factor_required => account.requires_second_factor(),
            second_factor_since => since.map(|s| fmt_date(&s)),
            sessions => super::ser(sessions),
            tokens => super::ser(tokens),
            scopes => super::ser(scopes),
            new_token => new_token,
            token_name => form.and_then(|f| f.text("name")).unwrap_or_default(),
            token_days => form.and_then(|f| f.text("days")).unwrap_or_else(|| "90".into()),
            max_days => MAX_TOKEN_DAYS,
            problems => super::ser(shown(v.lang, &problems)),
        },
    )
}

pub(crate) async fn security(State(st): State<AppState>, v: Viewer) -> Result<Response, PageError> {
    security_page(&st, &v, StatusCode::OK, None, Vec::new(), None).await
}

pub(crate) async fn create_token(State(st): State<AppState>, v: Viewer, form: FormData) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let account = v.require_account()?.clone();
    let name = form.text("name").unwrap_or_default();
    let scopes = form.all("scopes");
    let days = match form.text("days").map(|d| d.parse::<i64>()) {
        None => Ok(90),
        Some(Ok(d)) => Ok(d),
        Some(Err(_)) => Err(citygov_domain::Problem::new(
            "invalid_token_days",
            format!("Thời hạn của mã là một số ngày, từ 1 đến {MAX_TOKEN_DAYS}."),
            format!("A token's life is a number of days, 1 to {MAX_TOKEN_DAYS}."),
        )
        .at("days")),
    };
    let result = match days {
        Ok(days) => st.store.create_token(&account, &name, &scopes, days, st.now()).await,
        Err(p) => Err(citygov_store::Error::Invalid(vec![p])),
    };
    match result {
        Ok(made) => security_page(&st, &v, StatusCode::CREATED, Some(made.token), Vec::new(), None).await,
        Err(citygov_store::Error::Invalid(problems)) => {
            security_page(&st, &v, StatusCode::UNPROCESSABLE_ENTITY, None, problems, Some(&form)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn revoke_token(
    State(st): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let act = async || -> Result<(), FormError> {
        let account = v.require_account()?;
        st.store.revoke_token(account, &id, st.now()).await?;
        Ok(())
    };
    submit(&v, &form, "/account/security", act, error_page_again).await
}

pub(crate) async fn end_session(
    State(st): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let act = async || -> Result<(), FormError> {
        let account = v.require_account()?;
        st.store.end_session_by_id(account, &id, st.now()).await?;
        Ok(())
    };
    submit(&v, &form, "/account/security", act, error_page_again).await
}

pub(crate) async fn logout_everywhere(
    State(st): State<AppState>,
    v: Viewer,
    form: FormData,
) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let account = v.require_account()?.clone();
    let tokens = form.get("tokens") == Some("1");
    st.store
        .end_all_sessions(&account.id, (Some(&account.id), &account.username), tokens, st.now())
        .await?;
    Ok(with_cookie(
        redirect("/login"),
        &format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    ))
}
