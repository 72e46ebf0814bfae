//! What an API token may reach: every API route (method and path as routed) is listed with
//! the scope a token needs for it. A route that is not listed, or listed as
//! [`Need::SessionOnly`], refuses tokens: deny by default. A test checks that every route
//! of the OpenAPI document has its row.

use axum::http::Method;

/// What a token needs to call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Open to anyone; a token is accepted whatever its scopes.
    Public,
    /// A token holding this scope.
    Scope(&'static str),
    /// A person's session only (managing tokens and sessions, second factor): never a token.
    SessionOnly,
}

use Need::*;

/// Every API route, as routed under `/api/v1`.
pub const TABLE: &[(&str, &str, Need)] = &[
    ("GET", "/health", Public),
    ("GET", "/openapi.json", Public),
    ("POST", "/auth/login", Public),
    ("POST", "/auth/second-factor", Public),
    ("POST", "/auth/logout", SessionOnly),
    ("POST", "/auth/register", Public),
    ("GET", "/auth/tokens", SessionOnly),
    ("POST", "/auth/tokens", SessionOnly),
    ("DELETE", "/auth/tokens/{id}", SessionOnly),
    ("GET", "/auth/sessions", SessionOnly),
    ("DELETE", "/auth/sessions/{id}", SessionOnly),
    ("POST", "/auth/logout-everywhere", SessionOnly),
    ("GET", "/me", Scope("dossiers:read")),
    ("GET", "/me/data-access", Scope("dossiers:read")),
    ("GET", "/me/consents", Scope("dossiers:read")),
    // Consent is a person's own decision: never given or withdrawn by a machine client.
    ("POST", "/me/consents/{purpose}", SessionOnly),
    ("DELETE", "/me/consents/{purpose}", SessionOnly),
    // The breach record is for administrators at their (second-factor) session only.
    ("GET", "/breaches", SessionOnly),
    ("POST", "/breaches", SessionOnly),
    ("POST", "/breaches/{id}/notified", SessionOnly),
    ("GET", "/units", Public),
    ("GET", "/units/{code}/history", Public),
    ("GET", "/procedures", Public),
    ("GET", "/procedures/{code}", Public),
    ("GET", "/catalog/export", Public),
    ("POST", "/catalog/import", Scope("catalog:write")),
    ("GET", "/workflow", Public),
    ("GET", "/workflow/reasons", Public),
    ("POST", "/files", Scope("dossiers:write")),
    ("GET", "/files/{id}", Scope("dossiers:read")),
    ("GET", "/dossiers", Scope("dossiers:read")),
    ("POST", "/dossiers", Scope("dossiers:write")),
    ("GET", "/dossiers/{code}", Scope("dossiers:read")),
    ("GET", "/dossiers/{code}/history", Scope("dossiers:read")),
    ("POST", "/dossiers/{code}/actions/{action}", Scope("dossiers:write")),
    ("GET", "/dossiers/{code}/rating", Scope("dossiers:read")),
    ("POST", "/dossiers/{code}/rating", Scope("dossiers:write")),
    ("GET", "/audit", Scope("audit:read")),
    ("GET", "/notifications", Scope("notifications")),
    ("POST", "/notifications/{id}/read", Scope("notifications")),
    ("GET", "/lake/datasets", Scope("lake:read")),
    ("GET", "/lake/datasets/{name}", Scope("lake:read")),
    ("PUT", "/lake/datasets/{name}", Scope("lake:write")),
    ("GET", "/lake/datasets/{name}/versions", Scope("lake:read")),
    ("POST", "/lake/datasets/{name}/import", Scope("lake:write")),
    ("GET", "/lake/datasets/{name}/grants", Scope("lake:read")),
    ("POST", "/lake/datasets/{name}/grants", Scope("lake:write")),
    ("DELETE", "/lake/grants/{id}", Scope("lake:write")),
    ("POST", "/lake/query", Scope("lake:read")),
    ("GET", "/lake/dcat", Public),
    ("GET", "/open-data", Public),
    ("GET", "/open-data/{file}", Public),
];

/// What a token needs for `method` on the routed `path` (with or without the `/api/v1`
/// prefix). Unlisted routes are [`Need::SessionOnly`].
pub fn need(method: &Method, path: &str) -> Need {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    TABLE
        .iter()
        .find(|(m, p, _)| *p == path && *m == method.as_str())
        .map(|(_, _, n)| *n)
        .unwrap_or(SessionOnly)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_named_exists_and_unlisted_routes_refuse_tokens() {
        for (m, p, n) in TABLE {
            if let Scope(s) = n {
                assert!(citygov_store::tokens::is_scope(s), "{m} {p}: unknown scope {s}");
            }
        }
        assert_eq!(need(&Method::GET, "/api/v1/dossiers"), Scope("dossiers:read"));
        assert_eq!(need(&Method::DELETE, "/api/v1/dossiers"), SessionOnly);
        assert_eq!(need(&Method::GET, "/api/v1/a-route-added-later"), SessionOnly);
    }

    #[test]
    fn every_documented_route_has_a_row() {
        let doc = crate::openapi::document();
        let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
        let mut missing = Vec::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            let path = path.strip_prefix("/api/v1").unwrap();
            for method in ops.as_object().unwrap().keys() {
                let m = method.to_ascii_uppercase();
                if !TABLE.iter().any(|(tm, tp, _)| *tm == m && *tp == path) {
                    missing.push(format!("{m} {path}"));
                }
            }
        }
        assert!(missing.is_empty(), "routes without a row in scopes::TABLE: {missing:?}");
    }
}
