//! Signing in and out, registering a citizen account, and the language switch.

use super::{FormData, LANG_COOKIE, PageError, Viewer, local_path, redirect, render, render_status, shown};
use crate::AppState;
use crate::auth::{RegisterRequest, SESSION_COOKIE, register_citizen, session_cookie};
use crate::login_limit::{ClientAddr, with_retry_after};
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use citygov_domain::Problem;
use citygov_store::accounts::LoginStep;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(crate) struct NextQuery {
    pub(crate) next: Option<String>,
}

pub(crate) fn with_cookie(mut resp: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        resp.headers_mut().append(SET_COOKIE, v);
    }
    resp
}

/// Where a signed-in account goes by default: officials to their queue, citizens home.
pub(crate) fn landing(v_official: bool, next: Option<&str>) -> String {
    match next {
        Some(n) if n != "/" && !n.is_empty() => local_path(Some(n)),
        _ if v_official => "/office".into(),
        _ => "/my".into(),
    }
}

/// The OpenID Connect providers offered on the login page.
fn providers(st: &AppState) -> minijinja::Value {
    super::ser(
        st.oidc
            .providers
            .iter()
            .map(|p| serde_json::json!({ "id": p.id, "label_vi": p.label_vi, "label_en": p.label_en }))
            .collect::<Vec<_>>(),
    )
}

pub(crate) async fn login_form(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    render(
        &v,
        "login.html",
        minijinja::context! {
            next => local_path(q.next.as_deref()), username => "", problems => Vec::<String>::new(),
            providers => providers(&st),
        },
    )
}

pub(crate) async fn login(
    State(st): State<AppState>,
    v: Viewer,
    client: ClientAddr,
    form: FormData,
) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let username = form.text("username").unwrap_or_default();
    let password = form.get("password").unwrap_or("").to_string();
    let next = form.text("next");
    let mut problems = Vec::new();
    if username.is_empty() {
        problems.push(Problem::required("username", "Tên đăng nhập", "Username"));
    }
    if password.is_empty() {
        problems.push(Problem::required("password", "Mật khẩu", "Password"));
    }
    let mut retry_after = None;
    let account = if problems.is_empty() {
        match st.check_login_limit(client, "/login").await {
            Err(e) if e.retry_after.is_some() => {
                retry_after = e.retry_after;
                problems.push(e.problem.at("username"));
                None
            }
            Err(e) => return Err(e.into()),
            Ok(()) => match st.store.check_password(&username, &password, st.now()).await {
                Ok(LoginStep::Done(a)) => Some(a),
                Ok(LoginStep::Refused) => {
                    st.login_failed(client);
                    None
                }
                Ok(LoginStep::SecondFactor(a)) => {
                    let pending = st.store.begin_second_factor(&a, st.now()).await?;
                    let to = format!(
                        "/login/second-factor?next={}",
                        super::url_encode(&local_path(next.as_deref()))
                    );
                    return Ok(with_cookie(redirect(&to), &super::security::pending_cookie(&pending)));
                }
                Err(citygov_store::Error::TooManyAttempts(p)) => {
                    st.login_failed(client);
                    problems.push(p);
                    None
                }
                Err(e) => return Err(e.into()),
            },
        }
    } else {
        None
    };
    let Some(account) = account else {
        if problems.is_empty() {
            problems.push(
                Problem::new(
                    "invalid_credentials",
                    "Tên đăng nhập hoặc mật khẩu không đúng.",
                    "Wrong username or password.",
                )
                .at("username"),
            );
        }
        let status = if problems
            .iter()
            .any(|p| p.code == "login_locked" || p.code == "login_rate_limited")
        {
            StatusCode::TOO_MANY_REQUESTS
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let resp = render_status(
            &v,
            status,
            "login.html",
            minijinja::context! {
                next => local_path(next.as_deref()),
                username => username,
                problems => super::ser(shown(v.lang, &problems)),
                providers => providers(&st),
            },
        )?;
        return Ok(match retry_after {
            Some(secs) => with_retry_after(resp, secs),
            None => resp,
        });
    };
    let token = st
        .store
        .create_session(&account.id, st.now(), st.config.session_ttl_hours)
        .await?;
    let to = landing(!account.official_units().is_empty(), next.as_deref());
    Ok(with_cookie(redirect(&to), &session_cookie(&st, &token)))
}

pub(crate) async fn logout(State(st): State<AppState>, v: Viewer, form: FormData) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    if let Some(t) = v.cookie(SESSION_COOKIE) {
        st.store.end_session(t).await?;
    }
    Ok(with_cookie(
        redirect("/"),
        &format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    ))
}

pub(crate) async fn register_form(v: Viewer, Query(q): Query<NextQuery>) -> Result<Response, PageError> {
    render(
        &v,
        "register.html",
        minijinja::context! { next => local_path(q.next.as_deref()), values => minijinja::context! {}, problems => Vec::<String>::new() },
    )
}

pub(crate) async fn register(State(st): State<AppState>, v: Viewer, form: FormData) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let get = |k: &str| form.text(k).unwrap_or_default();
    let mut problems = Vec::new();
    if form.get("password") != form.get("password2") {
        problems.push(
            Problem::new(
                "password_mismatch",
                "Hai lần nhập mật khẩu không khớp.",
                "The two passwords do not match.",
            )
            .at("password2"),
        );
    }
    let req = RegisterRequest {
        username: get("username"),
        password: form.get("password").unwrap_or("").to_string(),
        full_name: get("full_name"),
        id_number: get("id_number"),
        email: form.text("email"),
        phone: form.text("phone"),
    };
    let result = if problems.is_empty() {
        match register_citizen(&st, req).await {
            Ok(a) => Some(a),
            Err(e) if e.status.is_client_error() => {
                problems.extend(e.problems());
                None
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    let Some(account) = result else {
        return render_status(
            &v,
            StatusCode::UNPROCESSABLE_ENTITY,
            "register.html",
            minijinja::context! {
                next => local_path(form.get("next")),
                values => minijinja::context! {
                    username => get("username"), full_name => get("full_name"), id_number => get("id_number"),
                    email => get("email"), phone => get("phone"),
                },
                problems => super::ser(shown(v.lang, &problems)),
            },
        );
    };
    let token = st
        .store
        .create_session(&account.id, st.now(), st.config.session_ttl_hours)
        .await?;
    let to = landing(false, form.get("next"));
    Ok(with_cookie(redirect(&to), &session_cookie(&st, &token)))
}

#[derive(Deserialize, Default)]
pub(crate) struct BackQuery {
    back: Option<String>,
}

pub(crate) async fn switch_language(Path(code): Path<String>, Query(q): Query<BackQuery>) -> Response {
    let lang = if code == "en" { "en" } else { "vi" };
    with_cookie(
        redirect(&local_path(q.back.as_deref())),
        &format!("{LANG_COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000"),
    )
}
