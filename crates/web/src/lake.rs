//! The shared data warehouse over HTTP: the catalog (browse, define, grant), loads, versions,
//! SQL queries under the catalog's policies (with the personal-data audit), DCAT-AP export and
//! open data. The pages use the same functions, so a page cannot do what the API refuses.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, parse_json};
use crate::{AppState, dcat};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use citygov_domain::Problem;
use citygov_domain::lake::{Dataset, Grant, Grantee, Principal, RowScope, decide, open_columns, purpose};
use citygov_domain::workflow::Role;
use citygov_lake::{
    AsOf, CommitMeta, DownloadFormat, Format, Import, ImportReport, Lake, Mode, QueryOutput, RowProblem, Source,
    TableAccess, VersionInfo,
};
use citygov_store::AuditRecord;
use citygov_store::accounts::Account;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

impl From<citygov_lake::Error> for ApiError {
    fn from(e: citygov_lake::Error) -> Self {
        use citygov_lake::Error as E;
        match e {
            E::BadFile { problems, total } => {
                let shown = problems.len();
                let mut err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Problem::new(
                        "file_refused",
                        format!("Tệp bị từ chối, không dòng nào được nạp: {total} lỗi (liệt kê {shown})."),
                        format!("The file was refused and nothing was loaded: {total} problem(s) ({shown} listed)."),
                    )
                    .at("file"),
                );
                err.rows = Some(serde_json::json!({ "total": total, "problems": problems }));
                err
            }
            E::Invalid(p) => ApiError::unprocessable(vec![p]),
            E::NotFound(p) => ApiError::not_found(p),
            E::Limit(p) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, p),
            E::Unavailable(p) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, p),
            E::Internal(err) => citygov_store::Error::Internal(err).into(),
        }
    }
}

fn no_lake() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        Problem::new(
            "lake_unavailable",
            "Kho dữ liệu dùng chung chưa được cấu hình trên máy chủ này.",
            "The shared data warehouse is not configured on this server.",
        ),
    )
}

pub fn lake(st: &AppState) -> ApiResult<&Lake> {
    st.lake.as_ref().ok_or_else(no_lake)
}

fn forbidden_manage() -> ApiError {
    ApiError::forbidden(Problem::new(
        "not_data_steward",
        "Chỉ quản trị hệ thống hoặc cán bộ quản lý dữ liệu của đơn vị chủ quản được làm việc này.",
        "Only an administrator or a data steward of the owner unit may do this.",
    ))
}

fn officials_only() -> ApiError {
    ApiError::forbidden(Problem::new(
        "officials_only",
        "Chỉ cán bộ, công chức được truy vấn kho dữ liệu dùng chung.",
        "Only officials may query the shared data warehouse.",
    ))
}

/// The caller as the policy sees it: unit codes and roles.
pub async fn principal(st: &AppState, a: &Account) -> ApiResult<Principal> {
    let units = st.cache.current_units(&st.store).await?;
    let mut codes: Vec<String> = a
        .roles
        .iter()
        .filter(|g| !g.unit_id.is_empty())
        .filter_map(|g| units.iter().find(|u| u.id == g.unit_id).map(|u| u.code.to_string()))
        .collect();
    codes.sort();
    codes.dedup();
    let mut roles: Vec<Role> = a.roles.iter().map(|g| g.role).collect();
    roles.sort();
    roles.dedup();
    Ok(Principal {
        account_id: a.id.clone(),
        username: a.username.clone(),
        unit_codes: codes,
        roles,
    })
}

/// Whether the caller may define, load and grant a dataset: an administrator, or a data
/// steward of its owner unit.
pub async fn can_manage(st: &AppState, a: &Account, owner_unit: &str) -> ApiResult<bool> {
    if a.has_role(Role::Administrator) {
        return Ok(true);
    }
    let units = st.cache.current_units(&st.store).await?;
    Ok(a.roles.iter().any(|g| {
        g.role == Role::DataSteward
            && units
                .iter()
                .any(|u| u.id == g.unit_id && u.code.to_string() == owner_unit)
    }))
}

pub(crate) fn actor(a: &Account) -> AuditRecord {
    AuditRecord {
        actor_id: Some(a.id.clone()),
        actor_name: a.username.clone(),
        action: String::new(),
        entity_type: String::new(),
        entity_id: String::new(),
        detail: serde_json::json!({}),
    }
}

/// Datasets the caller may see in the catalog: all of them for officials, the open ones for
/// everyone else.
pub async fn visible_datasets(st: &AppState, caller: &Caller) -> ApiResult<Vec<Dataset>> {
    let all = st.store.datasets().await?;
    let official = caller.0.as_ref().is_some_and(|a| a.kind == "official");
    Ok(all.into_iter().filter(|d| official || d.open_data).collect())
}

/// One dataset as the caller may see it (404 for a closed dataset and a non-official).
pub async fn visible_dataset(st: &AppState, caller: &Caller, name: &str) -> ApiResult<Dataset> {
    let d = st.store.dataset(name).await?;
    let official = caller.0.as_ref().is_some_and(|a| a.kind == "official");
    if !official && !d.open_data {
        return Err(ApiError::from(citygov_store::Error::NotFound(Problem::new(
            "dataset_not_found",
            format!("Không có bộ dữ liệu «{name}»."),
            format!("There is no dataset “{name}”."),
        ))));
    }
    Ok(d)
}

#[derive(Debug, Serialize)]
pub struct DatasetSummary {
    pub name: String,
    pub title_vi: String,
    pub title_en: String,
    pub owner_unit: String,
    pub theme: String,
    pub frequency: String,
    pub open_data: bool,
    pub fields: usize,
    pub has_personal: bool,
    pub rows: Option<i64>,
    pub quality_passed: Option<bool>,
    pub updated_at: String,
}

pub fn summary(d: &Dataset) -> DatasetSummary {
    DatasetSummary {
        name: d.name.clone(),
        title_vi: d.title_vi.clone(),
        title_en: d.title_en.clone(),
        owner_unit: d.owner_unit.clone(),
        theme: d.theme.clone(),
        frequency: d.frequency.as_str().into(),
        open_data: d.open_data,
        fields: d.fields.len(),
        has_personal: d.has_personal(),
        rows: d.quality.as_ref().map(|q| q.rows),
        quality_passed: d
            .quality
            .as_ref()
            .map(|q| q.correct.passed && q.complete.passed && q.clean.passed && q.live.passed),
        updated_at: d.updated_at.clone(),
    }
}

#[derive(Debug, Deserialize)]
pub struct ListParams {
    pub q: Option<String>,
    pub theme: Option<String>,
}

/// Text search over titles, descriptions and field names (diacritics-insensitive).
pub fn matches(d: &Dataset, q: &str) -> bool {
    let fold = citygov_domain::text::fold;
    let hay = fold(&format!(
        "{} {} {} {} {} {}",
        d.name,
        d.title_vi,
        d.title_en,
        d.description_vi,
        d.description_en,
        d.fields
            .iter()
            .map(|f| format!("{} {} {}", f.name, f.description_vi, f.description_en))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    fold(q).split_whitespace().all(|w| hay.contains(w))
}

/// `GET /api/v1/lake/datasets`: the catalog.
#[utoipa::path(get, path = "/api/v1/lake/datasets", tag = "lake", params(("q" = Option<String>, Query), ("theme" = Option<String>, Query)),
    responses((status = 200, body = Object)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<Vec<DatasetSummary>>> {
    let ds = visible_datasets(&st, &caller).await?;
    Ok(Json(
        ds.iter()
            .filter(|d| p.q.as_deref().is_none_or(|q| matches(d, q)))
            .filter(|d| p.theme.as_deref().is_none_or(|t| d.theme == t))
            .map(summary)
            .collect(),
    ))
}

#[derive(Debug, Serialize)]
pub struct DatasetDetail {
    #[serde(flatten)]
    pub dataset: Dataset,
    pub versions: Vec<VersionInfo>,
    /// Grants (only for those who manage the dataset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grants: Option<Vec<Grant>>,
}

/// `GET /api/v1/lake/datasets/{name}`.
#[utoipa::path(get, path = "/api/v1/lake/datasets/{name}", tag = "lake", params(("name" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn detail(
    State(st): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<DatasetDetail>> {
    let d = visible_dataset(&st, &caller, &name).await?;
    let versions = lake(&st)?.history(&name, 20).await?;
    let grants = match &caller.0 {
        Some(a) if can_manage(&st, a, &d.owner_unit).await? => Some(st.store.grants(Some(&name)).await?),
        _ => None,
    };
    Ok(Json(DatasetDetail {
        dataset: d,
        versions,
        grants,
    }))
}

/// `PUT /api/v1/lake/datasets/{name}`: create or replace a definition.
#[utoipa::path(put, path = "/api/v1/lake/datasets/{name}", tag = "lake", params(("name" = String, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 201, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn put(
    State(st): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Dataset>)> {
    let a = caller.require()?;
    let mut d: Dataset = parse_json(&body)?;
    d.name = name.clone();
    d.system = false;
    if !can_manage(&st, a, &d.owner_unit).await? {
        return Err(forbidden_manage());
    }
    if let Ok(old) = st.store.dataset(&name).await
        && !can_manage(&st, a, &old.owner_unit).await?
    {
        return Err(forbidden_manage());
    }
    if st.cache.unit(&st.store, &d.owner_unit).await?.is_none() {
        return Err(ApiError::unprocessable(vec![
            Problem::new(
                "unknown_unit",
                format!("Không có đơn vị mã «{}».", d.owner_unit),
                format!("There is no unit with code “{}”.", d.owner_unit),
            )
            .at("owner_unit"),
        ]));
    }
    let created = st.store.put_dataset(&d, &actor(a), st.now()).await?;
    let d = st.store.dataset(&name).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(d)))
}

/// `GET /api/v1/lake/datasets/{name}/versions`.
#[utoipa::path(get, path = "/api/v1/lake/datasets/{name}/versions", tag = "lake", params(("name" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn versions(
    State(st): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<Vec<VersionInfo>>> {
    visible_dataset(&st, &caller, &name).await?;
    Ok(Json(lake(&st)?.history(&name, 1000).await?))
}

/// A file refused as a whole: its problems (up to the limit) and how many there were.
#[derive(Debug)]
pub struct Refused {
    pub problems: Vec<RowProblem>,
    pub total: usize,
}

impl From<Refused> for ApiError {
    fn from(r: Refused) -> Self {
        citygov_lake::Error::BadFile {
            problems: r.problems,
            total: r.total,
        }
        .into()
    }
}

/// Load a file into a dataset as the caller (checks, audit, quality). Shared with the page.
/// The inner `Err` is the file's own problems; the outer one anything else.
pub async fn import_file(
    st: &AppState,
    a: &Account,
    name: &str,
    path: std::path::PathBuf,
    file_name: &str,
    format: Option<Format>,
    mode: Mode,
    key: Vec<String>,
    encoding: Option<String>,
    reason: &str,
) -> ApiResult<Result<ImportReport, Refused>> {
    let d = st.store.dataset(name).await?;
    if !can_manage(st, a, &d.owner_unit).await? {
        return Err(forbidden_manage());
    }
    if d.system {
        return Err(ApiError::conflict(Problem::new(
            "system_dataset",
            "Bộ dữ liệu này do hệ thống tự cập nhật; không nạp tay được.",
            "This dataset is fed by the platform; it cannot be loaded by hand.",
        )));
    }
    let Some(format) = format.or_else(|| Format::from_name(file_name)) else {
        return Err(ApiError::unprocessable(vec![
            Problem::new(
                "unknown_format",
                "Không nhận ra định dạng tệp: dùng .csv, .xlsx, .jsonl hoặc .parquet.",
                "Unknown file format: use .csv, .xlsx, .jsonl or .parquet.",
            )
            .at("format"),
        ]));
    };
    let unit = principal(st, a).await?.unit_codes.first().cloned().unwrap_or_default();
    let commit = CommitMeta {
        user: a.username.clone(),
        unit,
        reason: reason.to_string(),
        source: file_name.to_string(),
    };
    let mut req = Import::new(Source::File { path, format, encoding }, mode, commit);
    req.key = key;
    let lake = lake(st)?;
    let now = st.now();
    let result = lake.import(&d, req).await;
    let mut rec = actor(a);
    rec.entity_type = "lake_dataset".into();
    rec.entity_id = name.to_string();
    match &result {
        Ok(r) => {
            rec.action = "lake.import".into();
            rec.detail = serde_json::json!({ "version": r.version, "rows": r.rows, "mode": r.mode, "file": file_name, "reason": reason });
            st.store.set_dataset_quality(name, &r.quality).await?;
        }
        Err(citygov_lake::Error::BadFile { total, .. }) => {
            rec.action = "lake.import.refused".into();
            rec.detail = serde_json::json!({ "problems": total, "file": file_name, "mode": mode.as_str() });
        }
        Err(_) => {}
    }
    if !rec.action.is_empty() {
        st.store.audit(&rec, now).await?;
    }
    match result {
        Ok(r) => Ok(Ok(r)),
        Err(citygov_lake::Error::BadFile { problems, total }) => Ok(Err(Refused { problems, total })),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct ImportParams {
    pub mode: Option<String>,
    pub format: Option<String>,
    pub key: Option<String>,
    pub encoding: Option<String>,
    pub reason: Option<String>,
    pub file_name: Option<String>,
}

pub fn parse_mode(s: Option<&str>) -> ApiResult<Mode> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Mode::Append),
        Some(m) => Mode::parse(m).ok_or_else(|| {
            ApiError::unprocessable(vec![
                Problem::new(
                    "invalid_mode",
                    format!("Chế độ nạp «{m}» không hợp lệ: dùng append, overwrite hoặc upsert."),
                    format!("Load mode “{m}” is invalid: use append, overwrite or upsert."),
                )
                .at("mode"),
            ])
        }),
    }
}

pub fn split_key(s: Option<&str>) -> Vec<String> {
    s.unwrap_or_default()
        .split(',')
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

/// `POST /api/v1/lake/datasets/{name}/import?mode=&format=&key=&encoding=&reason=&file_name=`
/// with the file as the request body.
#[utoipa::path(post, path = "/api/v1/lake/datasets/{name}/import", tag = "lake",
    params(("name" = String, Path), ("mode" = Option<String>, Query), ("format" = Option<String>, Query), ("key" = Option<String>, Query), ("encoding" = Option<String>, Query), ("reason" = Option<String>, Query), ("file_name" = Option<String>, Query)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import(
    State(st): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    Query(p): Query<ImportParams>,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    let a = caller.require()?;
    // Who may load is decided before the parameters and the file are looked at.
    let d = st.store.dataset(&name).await?;
    if !can_manage(&st, a, &d.owner_unit).await? {
        return Err(forbidden_manage());
    }
    let mode = parse_mode(p.mode.as_deref())?;
    let format = match p.format.as_deref().filter(|f| !f.is_empty()) {
        None => None,
        Some(f) => Some(Format::parse(f).ok_or_else(|| {
            ApiError::unprocessable(vec![
                Problem::new(
                    "unknown_format",
                    format!("Định dạng «{f}» không hợp lệ: dùng csv, xlsx, jsonl hoặc parquet."),
                    format!("Format “{f}” is invalid: use csv, xlsx, jsonl or parquet."),
                )
                .at("format"),
            ])
        })?),
    };
    let file_name = p
        .file_name
        .clone()
        .unwrap_or_else(|| format!("{name}.{}", p.format.as_deref().unwrap_or("csv")));
    let tmp = tempfile::NamedTempFile::new().map_err(|e| citygov_store::Error::Internal(e.into()))?;
    tokio::fs::write(tmp.path(), &body)
        .await
        .map_err(|e| citygov_store::Error::Internal(e.into()))?;
    let report = import_file(
        &st,
        a,
        &name,
        tmp.path().to_path_buf(),
        &file_name,
        format,
        mode,
        split_key(p.key.as_deref()),
        p.encoding.clone().filter(|e| !e.is_empty()),
        p.reason.as_deref().unwrap_or(""),
    )
    .await??;
    Ok(Json(report))
}

#[derive(Debug, Deserialize, Serialize, Clone)]
#[serde(untagged)]
pub enum AsOfParam {
    Version(i64),
    /// An RFC 3339 time.
    Time(String),
}

#[derive(Debug, Deserialize)]
pub struct QueryRequest {
    pub sql: String,
    /// Purpose of processing (`thong_ke`, `dieu_hanh`, `giai_quyet_tthc`, `thanh_tra`).
    pub purpose: String,
    /// Earlier versions to read, per table: a version number or a time.
    #[serde(default)]
    pub as_of: HashMap<String, AsOfParam>,
}

pub fn parse_as_of(name: &str, p: &AsOfParam) -> ApiResult<AsOf> {
    match p {
        AsOfParam::Version(v) => Ok(AsOf::Version(*v)),
        AsOfParam::Time(t) => chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| AsOf::Timestamp(t.with_timezone(&chrono::Utc)))
            .map_err(|_| {
                ApiError::unprocessable(vec![
                    Problem::new(
                        "invalid_as_of",
                        format!("Thời điểm «{t}» của bảng {name} không đúng dạng RFC 3339 (ví dụ 2026-12-03T08:00:00+07:00)."),
                        format!("Time “{t}” for table {name} is not RFC 3339 (e.g. 2026-12-03T08:00:00+07:00)."),
                    )
                    .at(format!("as_of.{name}")),
                ])
            }),
    }
}

/// Run a query as the caller: policy per table, then the personal-data audit.
pub async fn run_query(
    st: &AppState,
    a: &Account,
    sql: &str,
    purpose_code: &str,
    as_of: &HashMap<String, AsOf>,
) -> ApiResult<QueryOutput> {
    if a.kind != "official" {
        return Err(officials_only());
    }
    if purpose(purpose_code).is_none() {
        return Err(ApiError::unprocessable(vec![
            Problem::new(
                "unknown_purpose",
                format!("Mục đích «{purpose_code}» không có trong danh mục mục đích xử lý dữ liệu."),
                format!("Purpose “{purpose_code}” is not one of the known purposes of processing."),
            )
            .at("purpose"),
        ]));
    }
    if sql.trim().is_empty() {
        return Err(ApiError::unprocessable(vec![Problem::required(
            "sql",
            "Câu lệnh SQL",
            "SQL statement",
        )]));
    }
    let lake = lake(st)?;
    let names = lake.referenced_tables(sql)?;
    let who = principal(st, a).await?;
    let grants = st.store.grants(None).await?;
    let mut tables = Vec::new();
    for n in &names {
        let Ok(d) = st.store.dataset(n).await else { continue };
        if let Some(acc) = decide(&d, &grants, &who, purpose_code) {
            tables.push(TableAccess {
                masked: acc.masked,
                hidden: Vec::new(),
                row_filter: acc.row_filter,
                as_of: as_of.get(n).copied(),
                dataset: d,
            });
        }
    }
    let out = lake.query(sql, tables).await?;
    let personal = out.personal_reads();
    if !personal.is_empty() {
        let mut datasets: Vec<&str> = personal.iter().map(|r| r.dataset.as_str()).collect();
        datasets.sort();
        datasets.dedup();
        let mut rec = actor(a);
        rec.action = "lake.query.personal".into();
        rec.entity_type = "lake_query".into();
        rec.entity_id = datasets.join(",");
        rec.detail = serde_json::json!({
            "purpose": purpose_code,
            "units": who.unit_codes,
            "datasets": datasets,
            "columns": personal,
            "sql": sql,
            "rows": out.rows,
        });
        st.store.audit(&rec, st.now()).await?;
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
pub struct QueryParams {
    /// `csv` or `xlsx` to download the result instead of JSON.
    pub format: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct QueryResponse {
    pub columns: Vec<citygov_lake::ResultColumn>,
    pub rows: Vec<Vec<serde_json::Value>>,
    pub row_count: usize,
    pub elapsed_ms: f64,
    /// Where it ran: `datafusion` (in process) or `ballista` (on the cluster).
    pub engine: &'static str,
    /// Whether the plan made by an earlier run of the same SQL, for the same grants and
    /// versions of its tables, ran again instead of planning anew.
    pub plan_reused: bool,
    /// Columns shown masked.
    pub masked: Vec<citygov_lake::ColumnRead>,
}

pub fn file_response(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `POST /api/v1/lake/query`.
#[utoipa::path(post, path = "/api/v1/lake/query", tag = "lake", params(("format" = Option<String>, Query)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn query(
    State(st): State<AppState>,
    caller: Caller,
    Query(p): Query<QueryParams>,
    body: Bytes,
) -> ApiResult<Response> {
    let a = caller.require()?;
    let req: QueryRequest = parse_json(&body)?;
    let mut as_of = HashMap::new();
    for (k, v) in &req.as_of {
        as_of.insert(k.clone(), parse_as_of(k, v)?);
    }
    let out = run_query(&st, a, &req.sql, &req.purpose, &as_of).await?;
    match p.format.as_deref() {
        Some("csv") => Ok(file_response(out.to_csv()?, "text/csv; charset=utf-8", "ket-qua.csv")),
        Some("xlsx") => Ok(file_response(
            out.to_xlsx()?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "ket-qua.xlsx",
        )),
        _ => Ok(Json(QueryResponse {
            columns: out.columns.clone(),
            rows: out.rows_json(),
            row_count: out.rows,
            elapsed_ms: out.elapsed_ms,
            engine: out.engine,
            plan_reused: out.plan_reused,
            masked: out.reads.iter().filter(|r| r.masked).cloned().collect(),
        })
        .into_response()),
    }
}

#[derive(Debug, Deserialize)]
pub struct NewGrant {
    /// `unit` or `role`.
    pub grantee_kind: String,
    pub grantee: String,
    pub purpose: String,
    #[serde(default)]
    pub rows: RowScope,
}

pub fn grant_from(dataset: &str, g: &NewGrant) -> ApiResult<Grant> {
    let grantee = match g.grantee_kind.as_str() {
        "unit" => Grantee::Unit(g.grantee.trim().to_string()),
        "role" => Grantee::Role(Role::parse(g.grantee.trim()).ok_or_else(|| {
            ApiError::unprocessable(vec![
                Problem::new(
                    "unknown_role",
                    format!("Không có vai trò «{}».", g.grantee),
                    format!("There is no role “{}”.", g.grantee),
                )
                .at("grantee"),
            ])
        })?),
        other => {
            return Err(ApiError::unprocessable(vec![
                Problem::new(
                    "invalid_grantee_kind",
                    format!("Loại đối tượng «{other}» không hợp lệ: dùng unit hoặc role."),
                    format!("Grantee kind “{other}” is invalid: use unit or role."),
                )
                .at("grantee_kind"),
            ]));
        }
    };
    Ok(Grant {
        id: String::new(),
        dataset: dataset.to_string(),
        grantee,
        purpose: g.purpose.trim().to_string(),
        rows: g.rows,
        granted_by: String::new(),
        granted_at: String::new(),
    })
}

/// `GET /api/v1/lake/datasets/{name}/grants`.
#[utoipa::path(get, path = "/api/v1/lake/datasets/{name}/grants", tag = "lake", params(("name" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody)))]
pub async fn grants(
    State(st): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<Vec<Grant>>> {
    let a = caller.require()?;
    let d = st.store.dataset(&name).await?;
    if !can_manage(&st, a, &d.owner_unit).await? {
        return Err(forbidden_manage());
    }
    Ok(Json(st.store.grants(Some(&name)).await?))
}

/// `POST /api/v1/lake/datasets/{name}/grants`.
#[utoipa::path(post, path = "/api/v1/lake/datasets/{name}/grants", tag = "lake", params(("name" = String, Path)), request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_grant(
    State(st): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Grant>)> {
    let a = caller.require()?;
    let d = st.store.dataset(&name).await?;
    if !can_manage(&st, a, &d.owner_unit).await? {
        return Err(forbidden_manage());
    }
    let g: NewGrant = parse_json(&body)?;
    let g = grant_from(&name, &g)?;
    Ok((
        StatusCode::CREATED,
        Json(st.store.add_grant(&g, &actor(a), st.now()).await?),
    ))
}

/// `DELETE /api/v1/lake/grants/{id}`.
#[utoipa::path(delete, path = "/api/v1/lake/grants/{id}", tag = "lake", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke_grant(State(st): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let a = caller.require()?;
    let g = st.store.grants(None).await?.into_iter().find(|g| g.id == id);
    let Some(g) = g else {
        return Err(ApiError::not_found(Problem::new(
            "grant_not_found",
            "Không có quyền này.",
            "There is no such grant.",
        )));
    };
    let d = st.store.dataset(&g.dataset).await?;
    if !can_manage(&st, a, &d.owner_unit).await? {
        return Err(forbidden_manage());
    }
    st.store.revoke_grant(&id, &actor(a), st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The site's own address, for links in exported metadata.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// `GET /api/v1/lake/dcat`: the catalog as DCAT-AP (JSON-LD): open datasets for everyone,
/// every dataset for officials.
#[utoipa::path(get, path = "/api/v1/lake/dcat", tag = "lake", responses((status = 200, body = Object, content_type = "application/ld+json")))]
pub async fn dcat_catalog(State(st): State<AppState>, caller: Caller, headers: HeaderMap) -> ApiResult<Response> {
    let ds = visible_datasets(&st, &caller).await?;
    let units = st.cache.current_units(&st.store).await?;
    let names: HashMap<String, String> = units.iter().map(|u| (u.code.to_string(), u.name.clone())).collect();
    let doc = dcat::catalog(&ds, &names, &base_url(&headers));
    Ok((
        [(header::CONTENT_TYPE, "application/ld+json; charset=utf-8")],
        doc.to_string(),
    )
        .into_response())
}

/// The public's view of an open dataset: its public columns, all rows.
pub fn open_access(d: &Dataset) -> Option<TableAccess> {
    let cols = open_columns(d)?;
    let shown: Vec<&str> = cols.iter().map(|f| f.name.as_str()).collect();
    Some(TableAccess {
        dataset: d.clone(),
        masked: Vec::new(),
        hidden: d
            .fields
            .iter()
            .filter(|f| !shown.contains(&f.name.as_str()))
            .map(|f| f.name.clone())
            .collect(),
        row_filter: None,
        as_of: None,
    })
}

fn open_not_found(name: &str) -> ApiError {
    ApiError::not_found(Problem::new(
        "dataset_not_found",
        format!("Không có bộ dữ liệu mở «{name}»."),
        format!("There is no open dataset “{name}”."),
    ))
}

/// `GET /api/v1/open-data`: the open datasets.
#[utoipa::path(get, path = "/api/v1/open-data", tag = "lake", responses((status = 200, body = Object)))]
pub async fn open_list(State(st): State<AppState>) -> ApiResult<Json<Vec<DatasetSummary>>> {
    let ds = st.store.datasets().await?;
    Ok(Json(ds.iter().filter(|d| d.open_data).map(summary).collect()))
}

/// `GET /api/v1/open-data/{file}` with `{name}.csv` or `{name}.parquet`: the public columns.
#[utoipa::path(get, path = "/api/v1/open-data/{file}", tag = "lake", params(("file" = String, Path, description = "{name}.csv or {name}.parquet")),
    responses((status = 200, body = Vec<u8>, content_type = "application/octet-stream"), (status = 404, body = crate::error::ErrorBody)))]
pub async fn open_download(State(st): State<AppState>, Path(file): Path<String>) -> ApiResult<Response> {
    let (name, ext) = file.rsplit_once('.').unwrap_or((file.as_str(), ""));
    let format = match ext {
        "csv" => DownloadFormat::Csv,
        "parquet" => DownloadFormat::Parquet,
        _ => return Err(open_not_found(&file)),
    };
    let d = match st.store.dataset(name).await {
        Ok(d) if d.open_data => d,
        _ => return Err(open_not_found(name)),
    };
    let access = open_access(&d).ok_or_else(|| open_not_found(name))?;
    let dl = lake(&st)?.download(access, format).await?;
    Ok(file_response(dl.bytes, dl.content_type, &dl.file_name))
}
