//! The audit trail over HTTP: administrators and auditors ([`AuditReader`]) read it page by
//! page, filtered by entity, actor, action and time (`GET /api/v1/audit`, and the page
//! `/office/audit`).

use crate::AppState;
use crate::access::AuditReader;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Query, State};
use citygov_domain::{LocalTime, Problem};
use citygov_store::audit::{AUDIT_PAGE_MAX, ActorFilter, AuditQuery, ChainEntry};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The entries shown when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 100;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
pub struct AuditParams {
    /// `dossier`, `account`, `lake_dataset`, …
    pub entity_type: Option<String>,
    /// The entity's id (a dossier's internal id, an account's id, …).
    pub entity_id: Option<String>,
    /// An account's username or id, or `anonymous` for entries without an account.
    pub actor: Option<String>,
    /// `dossier.read`, `dossier.filed`, `dossier.accepted`, …
    pub action: Option<String>,
    /// From this moment on: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]` (local time).
    pub from: Option<String>,
    /// Up to this moment (excluded): `YYYY-MM-DDTHH:MM[:SS]`, or `YYYY-MM-DD` for the whole day.
    pub to: Option<String>,
    /// Keyset position: the `next_after` of the previous page.
    pub after: Option<String>,
    /// Entries per page, 1–500 (100 when absent).
    pub limit: Option<String>,
    /// `desc` (newest first, the default) or `asc` (oldest first).
    pub order: Option<String>,
}

fn bad(field: &str, vi: String, en: String) -> Problem {
    Problem::new("invalid_parameter", vi, en).at(field)
}

fn parse_moment(field: &str, raw: &str, end_of_day: bool) -> Result<LocalTime, Problem> {
    let raw = raw.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(raw, f) {
            return Ok(t);
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let day = if end_of_day { d.succ_opt().unwrap_or(d) } else { d };
        return Ok(day.and_time(chrono::NaiveTime::MIN));
    }
    Err(bad(
        field,
        format!("«{raw}» không phải ngày giờ: dùng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM."),
        format!("“{raw}” is not a date or time: use YYYY-MM-DD or YYYY-MM-DDTHH:MM."),
    ))
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The store query of the parameters, every bad one named (vi + en).
pub(crate) async fn query_of(st: &AppState, p: &AuditParams) -> ApiResult<AuditQuery> {
    let mut problems = Vec::new();
    let mut q = AuditQuery {
        entity_type: text(&p.entity_type),
        entity_id: text(&p.entity_id),
        action: text(&p.action),
        limit: DEFAULT_LIMIT,
        ..Default::default()
    };
    if let Some(a) = text(&p.actor) {
        q.actor = Some(if a == "anonymous" {
            ActorFilter::Anonymous
        } else {
            match st.store.account_by_username(&a).await? {
                Some(acc) => ActorFilter::Account(acc.id),
                None => ActorFilter::Account(a),
            }
        });
    }
    match text(&p.from).map(|s| parse_moment("from", &s, false)) {
        Some(Ok(t)) => q.from = Some(t),
        Some(Err(e)) => problems.push(e),
        None => {}
    }
    match text(&p.to).map(|s| parse_moment("to", &s, true)) {
        Some(Ok(t)) => q.to = Some(t),
        Some(Err(e)) => problems.push(e),
        None => {}
    }
    if let Some(a) = text(&p.after) {
        match a.parse::<i64>() {
            Ok(n) if n >= 0 => q.after = Some(n),
            _ => problems.push(bad(
                "after",
                "after phải là số thứ tự (seq) của một mục nhật ký.".into(),
                "after must be the seq of an audit entry.".into(),
            )),
        }
    }
    if let Some(l) = text(&p.limit) {
        match l.parse::<i64>() {
            Ok(n) if (1..=AUDIT_PAGE_MAX).contains(&n) => q.limit = n,
            _ => problems.push(bad(
                "limit",
                format!("limit phải từ 1 đến {AUDIT_PAGE_MAX}."),
                format!("limit must be 1 to {AUDIT_PAGE_MAX}."),
            )),
        }
    }
    match text(&p.order).as_deref() {
        None | Some("desc") => {}
        Some("asc") => q.oldest_first = true,
        Some(_) => problems.push(bad(
            "order",
            "order phải là asc hoặc desc.".into(),
            "order must be asc or desc.".into(),
        )),
    }
    if let (Some(f), Some(t)) = (q.from, q.to)
        && t <= f
    {
        problems.push(bad(
            "to",
            "Thời điểm «đến» phải sau thời điểm «từ».".into(),
            "“to” must be after “from”.".into(),
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::unprocessable(problems));
    }
    Ok(q)
}

/// Who wrote an entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditActor {
    /// The account's id; absent for anonymous callers and the system.
    pub id: Option<String>,
    pub name: String,
}

/// What an entry is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntity {
    #[serde(rename = "type")]
    pub entity_type: String,
    pub id: String,
}

/// One entry of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditItem {
    pub seq: i64,
    /// Local time, `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    pub actor: AuditActor,
    pub action: String,
    pub entity: AuditEntity,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// The entry's hash in the chain (docs/audit.md).
    pub hash: String,
}

impl From<ChainEntry> for AuditItem {
    fn from(e: ChainEntry) -> Self {
        AuditItem {
            seq: e.seq,
            at: e.at,
            actor: AuditActor {
                id: e.actor_id,
                name: e.actor_name,
            },
            action: e.action,
            entity: AuditEntity {
                entity_type: e.entity_type,
                id: e.entity_id,
            },
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::String(e.detail)),
            hash: e.hash,
        }
    }
}

/// A page of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditResponse {
    pub items: Vec<AuditItem>,
    /// Give it as `after` for the next page; absent on the last page.
    pub next_after: Option<i64>,
}

/// The audit trail, newest first (or oldest first with `order=asc`), filtered and paged by
/// seq. Administrators and auditors only.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditResponse), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    reader: AuditReader,
    Query(p): Query<AuditParams>,
) -> ApiResult<Json<AuditResponse>> {
    let q = query_of(&st, &p).await?;
    let page = reader.page(&st, &q).await?;
    Ok(Json(AuditResponse {
        items: page.entries.into_iter().map(AuditItem::from).collect(),
        next_after: page.next_after,
    }))
}
