//! The whole route map of the HTTP surface, in one place.

use crate::{AppState, audit, auth, catalog, dossiers, files, lake, notifications, openapi, pages, privacy, ratings};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

/// Largest file loaded into the warehouse over HTTP (bigger files: `citygov lake import`).
pub const LAKE_UPLOAD_BYTES: usize = 512 * 1024 * 1024;

async fn health() -> &'static str {
    "ok"
}

/// Build the application router.
pub fn router(state: AppState) -> Router {
    let upload_limit = state.config.upload.max_bytes + 64 * 1024;
    let json_limit = state.config.max_json_bytes;
    let api = Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::serve))
        .route("/auth/login", post(auth::login))
        .route("/auth/second-factor", post(auth::second_factor))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/logout-everywhere", post(auth::logout_everywhere))
        .route("/auth/tokens", get(auth::tokens).post(auth::create_token))
        .route("/auth/tokens/{id}", delete(auth::revoke_token))
        .route("/auth/sessions", get(auth::sessions))
        .route("/auth/sessions/{id}", delete(auth::end_session))
        .route("/auth/register", post(auth::register))
        .route("/me", get(auth::me))
        .route("/me/data-access", get(privacy::data_access))
        .route("/me/consents", get(privacy::consents))
        .route(
            "/me/consents/{purpose}",
            post(privacy::give_consent).delete(privacy::revoke_consent),
        )
        .route("/breaches", get(privacy::breaches).post(privacy::record_breach))
        .route("/breaches/{id}/notified", post(privacy::mark_notified))
        .route("/units", get(catalog::units))
        .route("/units/{code}/history", get(catalog::unit_history))
        .route("/procedures", get(catalog::search))
        .route("/procedures/{code}", get(catalog::detail))
        .route("/catalog/export", get(catalog::export))
        .route(
            "/catalog/import",
            post(catalog::import).layer(DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/workflow", get(catalog::workflow))
        .route("/workflow/reasons", get(catalog::reasons))
        .route("/files", post(files::upload).layer(DefaultBodyLimit::max(upload_limit)))
        .route("/files/{id}", get(files::download))
        .route("/dossiers", get(dossiers::queue).post(dossiers::file))
        .route("/dossiers/{code}", get(dossiers::lookup))
        .route("/dossiers/{code}/history", get(dossiers::history))
        .route("/dossiers/{code}/actions/{action}", post(dossiers::act))
        .route("/dossiers/{code}/rating", get(ratings::show).post(ratings::submit))
        .route("/audit", get(audit::list))
        .route("/notifications", get(notifications::list))
        .route("/notifications/{id}/read", post(notifications::read))
        .route("/lake/datasets", get(lake::list))
        .route("/lake/datasets/{name}", get(lake::detail).put(lake::put))
        .route("/lake/datasets/{name}/versions", get(lake::versions))
        .route(
            "/lake/datasets/{name}/import",
            post(lake::import).layer(DefaultBodyLimit::max(LAKE_UPLOAD_BYTES)),
        )
        .route("/lake/datasets/{name}/grants", get(lake::grants).post(lake::add_grant))
        .route("/lake/grants/{id}", delete(lake::revoke_grant))
        .route("/lake/query", post(lake::query))
        .route("/lake/dcat", get(lake::dcat_catalog))
        .route("/open-data", get(lake::open_list))
        .route("/open-data/{file}", get(lake::open_download));
    // The pages take uploads in their forms (a file per document component).
    let pages = pages::router()
        .layer(DefaultBodyLimit::max(upload_limit * 4))
        .layer(axum::middleware::from_fn(pages::error_language))
        .layer(axum::middleware::from_fn(pages::csrf_cookie))
        .layer(axum::middleware::from_fn(pages::page_headers));
    Router::new()
        .nest("/api/v1", api.layer(DefaultBodyLimit::max(json_limit)))
        .merge(pages)
        .layer(axum::middleware::from_fn(transport_security))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(state)
}

/// Marks requests that came over TLS ended by `citygov serve` itself (set on the router by
/// the server when it serves HTTPS).
#[derive(Debug, Clone, Copy)]
pub struct DirectTls;

/// Behind TLS (the request came over `https`, directly or as the reverse proxy's
/// `X-Forwarded-Proto` says): tell browsers to use only HTTPS from now on (HSTS, ignored by
/// browsers over plain HTTP) and mark every cookie `Secure`, so that it never travels
/// unencrypted. A client claiming `https` over plain HTTP only keeps its own cookies from
/// being sent back.
pub async fn transport_security(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let https = req.uri().scheme_str() == Some("https")
        || req.extensions().get::<DirectTls>().is_some()
        || req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .next()
                    .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
            });
    let mut resp = next.run(req).await;
    if https {
        let h = resp.headers_mut();
        h.insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
        let cookies: Vec<axum::http::HeaderValue> = h
            .get_all(axum::http::header::SET_COOKIE)
            .iter()
            .map(|v| match v.to_str() {
                Ok(text) if !text.to_ascii_lowercase().contains("; secure") => {
                    axum::http::HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| v.clone())
                }
                _ => v.clone(),
            })
            .collect();
        h.remove(axum::http::header::SET_COOKIE);
        for c in cookies {
            h.append(axum::http::header::SET_COOKIE, c);
        }
    }
    resp
}
