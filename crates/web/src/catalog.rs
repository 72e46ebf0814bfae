//! Catalog endpoints: units, procedure search and detail, JSON import and export.

use crate::AppState;
use crate::access::Admin;
use crate::error::{ApiError, ApiResult, parse_json};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use citygov_domain::Problem;
use citygov_domain::catalog::{Level, OnlineLevel, Procedure};
use citygov_store::catalog::{CatalogQuery, ProcedureSummary};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// Words to find, in any order, with or without diacritics.
    pub q: Option<String>,
    /// Field code (MaLinhVuc).
    pub field: Option<String>,
    /// `city` or `commune`.
    pub level: Option<String>,
    /// Competent unit code.
    pub unit: Option<String>,
    /// `full`, `partial` or `none`.
    pub online: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    pub total: i64,
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<ProcedureSummary>,
}

fn bad_param(name: &str, vi: &str, en: &str) -> ApiError {
    ApiError::bad_request(Problem::new("invalid_parameter", vi, en).at(name))
}

/// Search the procedure catalog.
#[utoipa::path(get, path = "/api/v1/procedures", params(SearchParams), tag = "catalog",
    responses((status = 200, body = SearchResponse), (status = 400, body = crate::error::ErrorBody)))]
pub async fn search(State(st): State<AppState>, Query(p): Query<SearchParams>) -> ApiResult<Json<SearchResponse>> {
    let level = match p.level.as_deref() {
        None | Some("") => None,
        Some(l) => Some(Level::parse(l).ok_or_else(|| {
            bad_param(
                "level",
                "Cấp phải là city hoặc commune.",
                "level must be city or commune.",
            )
        })?),
    };
    let online_level = match p.online.as_deref() {
        None | Some("") => None,
        Some(l) => Some(OnlineLevel::parse(l).ok_or_else(|| {
            bad_param(
                "online",
                "Mức trực tuyến phải là full, partial hoặc none.",
                "online must be full, partial or none.",
            )
        })?),
    };
    let q = CatalogQuery {
        q: p.q.filter(|s| s.len() <= 200),
        field_code: p.field.filter(|s| !s.is_empty()),
        level,
        unit_code: p.unit.filter(|s| !s.is_empty()),
        online_level,
        limit: p.limit.unwrap_or(20),
        offset: p.offset.unwrap_or(0),
    };
    let (items, total) = st.cache.index(&st.store).await?.search(&q);
    Ok(Json(SearchResponse { total, items }))
}

/// One procedure with every attribute and its e-form.
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "catalog", params(("code" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn detail(State(st): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<Procedure>> {
    st.store.procedure(&code).await?.map(Json).ok_or_else(|| {
        ApiError::not_found(
            Problem::new(
                "procedure_not_found",
                format!("Không có thủ tục mã «{code}»."),
                format!("There is no procedure with code “{code}”."),
            )
            .at("code"),
        )
    })
}

/// The whole catalog as JSON (the import format).
#[utoipa::path(get, path = "/api/v1/catalog/export", tag = "catalog", responses((status = 200, body = Object)))]
pub async fn export(State(st): State<AppState>) -> ApiResult<Json<Vec<Procedure>>> {
    Ok(Json(st.store.export_procedures().await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResponse {
    pub imported: usize,
}

/// Import procedures (administrators): all entries or none.
#[utoipa::path(post, path = "/api/v1/catalog/import", tag = "catalog", request_body = Object,
    responses((status = 200, body = ImportResponse), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import(State(st): State<AppState>, admin: Admin, body: Bytes) -> ApiResult<Json<ImportResponse>> {
    let procs: Vec<Procedure> = parse_json(&body)?;
    let n = admin.import_procedures(&st, &procs).await?;
    Ok(Json(ImportResponse { imported: n }))
}

/// Administrative units.
#[utoipa::path(get, path = "/api/v1/units", tag = "catalog", responses((status = 200, body = Object)))]
pub async fn units(State(st): State<AppState>) -> ApiResult<Json<Vec<citygov_domain::unit::Unit>>> {
    Ok(Json(st.store.units().await?))
}

/// The dossier lifecycle table.
#[utoipa::path(get, path = "/api/v1/workflow", tag = "dossiers", responses((status = 200, body = Object)))]
pub async fn workflow() -> Json<&'static [citygov_domain::workflow::Transition]> {
    Json(citygov_domain::workflow::TABLE)
}

/// One reason of an action's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonItem {
    /// Stable code to send as `reason_code`.
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
}

/// The reasons to choose from, by action (`refuse`, `request_supplement`, `stop`, `withdraw`,
/// `apologize`). A code is required to refuse, request a supplement or stop; `khac` (other)
/// needs the free text `reason`.
#[utoipa::path(get, path = "/api/v1/workflow/reasons", tag = "dossiers", operation_id = "workflow_reasons",
    responses((status = 200, body = BTreeMap<String, Vec<ReasonItem>>)))]
pub async fn reasons() -> Json<BTreeMap<&'static str, Vec<ReasonItem>>> {
    use citygov_domain::reasons::reasons_for;
    use citygov_domain::workflow::Action;
    Json(
        Action::ALL
            .into_iter()
            .filter(|a| !reasons_for(*a).is_empty())
            .map(|a| {
                let items = reasons_for(a)
                    .iter()
                    .map(|r| ReasonItem {
                        code: r.code,
                        label_vi: r.label_vi,
                        label_en: r.label_en,
                    })
                    .collect();
                (a.as_str(), items)
            })
            .collect(),
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitHistory {
    #[schema(value_type = Object)]
    pub unit: citygov_domain::unit::Unit,
    /// Code and name versions, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub versions: Vec<citygov_domain::unit::UnitVersion>,
    /// Units this one was formed from (merges, splits), transitively.
    #[schema(value_type = Vec<Object>)]
    pub predecessors: Vec<citygov_domain::unit::Unit>,
    /// Units this one became, transitively.
    #[schema(value_type = Vec<Object>)]
    pub successors: Vec<citygov_domain::unit::Unit>,
}

/// A unit through its history: versions of its code and name, and the units it was formed
/// from or became. Reports that follow a unit aggregate over `predecessors`.
#[utoipa::path(get, path = "/api/v1/units/{code}/history", tag = "catalog", params(("code" = String, Path)),
    responses((status = 200, body = UnitHistory), (status = 404, body = crate::error::ErrorBody)))]
pub async fn unit_history(State(st): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<UnitHistory>> {
    let unit = st.store.unit_by_code(&code).await?.ok_or_else(|| {
        ApiError::not_found(
            Problem::new(
                "unit_not_found",
                format!("Không có đơn vị mã «{code}»."),
                format!("There is no unit with code “{code}”."),
            )
            .at("code"),
        )
    })?;
    let lineage = st.store.lineage().await?;
    let mut resolve = Vec::new();
    for forwards in [false, true] {
        let mut units = Vec::new();
        for id in citygov_domain::unit::lineage_closure(&unit.id, &lineage, forwards)
            .into_iter()
            .skip(1)
        {
            if let Some(u) = st.store.unit_by_id(&id).await? {
                units.push(u);
            }
        }
        resolve.push(units);
    }
    let successors = resolve.pop().unwrap_or_default();
    let predecessors = resolve.pop().unwrap_or_default();
    Ok(Json(UnitHistory {
        versions: st.store.unit_versions(&unit.id).await?,
        unit,
        predecessors,
        successors,
    }))
}
