//! The shared data warehouse's pages: the catalog (`/data`), a dataset with its fields,
//! quality, lineage, versions and grants (`/data/{name}`), loading a file into it, the SQL
//! query page with CSV and Excel downloads (`/data/query`), and the public open-data page
//! (`/open-data`). Every action goes through the same functions as the JSON API.

use super::{FormData, Lang, PageError, Viewer, redirect, render, render_status, ser, url_encode};
use crate::AppState;
use crate::lake::{self as api, DatasetSummary};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use citygov_domain::lake::{Dataset, Grantee, PURPOSES, Quality, RowScope};
use citygov_domain::workflow::Role;
use citygov_lake::{Mode, RowProblem};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rows of a result shown on the page (the downloads carry all of them).
const SHOWN_ROWS: usize = 500;

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    q: Option<String>,
    theme: Option<String>,
}

#[derive(Serialize)]
struct Row {
    summary: DatasetSummary,
    title: String,
}

fn title(lang: Lang, d: &Dataset) -> String {
    lang.pick(&d.title_vi, &d.title_en).to_string()
}

/// `GET /data`: the catalog the viewer may see (everything for officials, open data for
/// everyone else).
pub(crate) async fn catalog(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let all = api::visible_datasets(&st, &v.caller()).await?;
    let mut themes: Vec<String> = all.iter().map(|d| d.theme.clone()).collect();
    themes.sort();
    themes.dedup();
    let text = q.q.clone().unwrap_or_default();
    let theme = q.theme.clone().unwrap_or_default();
    let rows: Vec<Row> = all
        .iter()
        .filter(|d| text.trim().is_empty() || api::matches(d, &text))
        .filter(|d| theme.is_empty() || d.theme == theme)
        .map(|d| Row {
            summary: api::summary(d),
            title: title(v.lang, d),
        })
        .collect();
    render(
        &v,
        "data_list.html",
        minijinja::context! {
            rows => ser(&rows),
            total => all.len(),
            q => text,
            theme => theme,
            themes => themes,
            official => v.is_staff(),
        },
    )
}

#[derive(Serialize)]
struct FieldView {
    name: String,
    field_type: &'static str,
    description: String,
    unit: String,
    classification: &'static str,
    classification_label: &'static str,
    required: bool,
    key: bool,
}

#[derive(Serialize)]
struct CheckView {
    name: &'static str,
    passed: bool,
    detail: String,
}

fn quality_view(lang: Lang, q: &Quality) -> Vec<CheckView> {
    [
        (lang.pick("Đúng", "Correct"), &q.correct),
        (lang.pick("Đủ", "Complete"), &q.complete),
        (lang.pick("Sạch", "Clean"), &q.clean),
        (lang.pick("Sống", "Live"), &q.live),
    ]
    .into_iter()
    .map(|(name, c)| CheckView {
        name,
        passed: c.passed,
        detail: lang.pick(&c.detail_vi, &c.detail_en).to_string(),
    })
    .collect()
}

#[derive(Serialize)]
struct GrantView {
    id: String,
    grantee: String,
    purpose: String,
    rows: &'static str,
    granted_by: String,
    granted_at: String,
}

#[derive(Serialize)]
struct ProblemView {
    row: String,
    column: String,
    value: String,
    message: String,
}

/// What the load form shows after an attempt.
#[derive(Default, Serialize)]
struct LoadOutcome {
    problems: Vec<ProblemView>,
    total: usize,
    error: Option<String>,
    mode: String,
    key: String,
    reason: String,
}

fn problem_views(lang: Lang, ps: &[RowProblem]) -> Vec<ProblemView> {
    ps.iter()
        .map(|p| ProblemView {
            row: p.row.map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
            column: p.column.clone().unwrap_or_else(|| "—".into()),
            value: p.value.clone().unwrap_or_default(),
            message: lang.pick(&p.message_vi, &p.message_en).to_string(),
        })
        .collect()
}

fn purpose_label(lang: Lang, code: &str) -> String {
    citygov_domain::lake::purpose(code)
        .map(|p| lang.pick(p.label_vi, p.label_en).to_string())
        .unwrap_or_else(|| code.to_string())
}

#[derive(Deserialize)]
pub(crate) struct DetailQuery {
    loaded: Option<i64>,
    rows: Option<u64>,
}

async fn detail_page(
    st: &AppState,
    v: &Viewer,
    name: &str,
    outcome: Option<LoadOutcome>,
    loaded: Option<(i64, u64)>,
) -> Result<Response, PageError> {
    let d = api::visible_dataset(st, &v.caller(), name).await?;
    let lang = v.lang;
    let manage = match &v.account {
        Some(a) => api::can_manage(st, a, &d.owner_unit).await?,
        None => false,
    };
    let versions = match &st.lake {
        Some(l) => l.history(name, 20).await.map_err(|e| PageError::from_api(e.into()))?,
        None => Vec::new(),
    };
    let units = st.cache.current_units(&st.store).await?;
    let unit_name = |code: &str| {
        units
            .iter()
            .find(|u| u.code.as_str() == code)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let grants: Vec<GrantView> = if manage {
        st.store
            .grants(Some(name))
            .await?
            .into_iter()
            .map(|g| GrantView {
                id: g.id,
                grantee: match &g.grantee {
                    Grantee::Unit(c) => format!("{} ({c})", unit_name(c)),
                    Grantee::Role(r) => format!("{}: {}", lang.pick("Vai trò", "Role"), r.as_str()),
                },
                purpose: purpose_label(lang, &g.purpose),
                rows: match g.rows {
                    RowScope::All => lang.pick("Tất cả các dòng", "All rows"),
                    RowScope::OwnUnit => lang.pick("Chỉ dòng của đơn vị mình", "Own unit's rows only"),
                },
                granted_by: g.granted_by,
                granted_at: g.granted_at,
            })
            .collect()
    } else {
        Vec::new()
    };
    let open_columns: Vec<String> = citygov_domain::lake::open_columns(&d)
        .map(|c| c.iter().map(|f| f.name.clone()).collect())
        .unwrap_or_default();
    let fields: Vec<FieldView> = d
        .fields
        .iter()
        .map(|f| FieldView {
            name: f.name.clone(),
            field_type: f.field_type.as_str(),
            description: lang.pick(&f.description_vi, &f.description_en).to_string(),
            unit: f.unit.clone().unwrap_or_default(),
            classification: f.classification.as_str(),
            classification_label: lang.pick(f.classification.label_vi(), f.classification.label_en()),
            required: f.required,
            key: d.key.contains(&f.name),
        })
        .collect();
    let status = if outcome.as_ref().is_some_and(|o| o.total > 0 || o.error.is_some()) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        v,
        status,
        "data_detail.html",
        minijinja::context! {
            d => ser(&d),
            title => title(lang, &d),
            description => lang.pick(&d.description_vi, &d.description_en),
            owner => unit_name(&d.owner_unit),
            fields => ser(&fields),
            quality => d.quality.as_ref().map(|q| ser(quality_view(lang, q))),
            quality_rows => d.quality.as_ref().map(|q| q.rows),
            quality_version => d.quality.as_ref().map(|q| q.version),
            versions => ser(&versions),
            manage => manage,
            official => v.is_staff(),
            grants => ser(&grants),
            purposes => ser(PURPOSES.iter().map(|p| (p.code, lang.pick(p.label_vi, p.label_en))).collect::<Vec<_>>()),
            roles => ser(Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            outcome => ser(outcome.unwrap_or_default()),
            loaded => loaded.map(|(v, r)| minijinja::context! { version => v, rows => r }),
            open_columns => open_columns,
        },
    )
}

/// `GET /data/{name}`.
pub(crate) async fn detail(
    State(st): State<AppState>,
    v: Viewer,
    Path(name): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    detail_page(&st, &v, &name, None, q.loaded.map(|ver| (ver, q.rows.unwrap_or(0)))).await
}

/// `POST /data/{name}/import`: a file from the form, all or nothing.
pub(crate) async fn import(
    State(st): State<AppState>,
    v: Viewer,
    Path(name): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let a = v.require_account()?.clone();
    v.check_csrf(&form)?;
    // Who may load is decided before anything in the form is looked at.
    let d = st.store.dataset(&name).await?;
    if !api::can_manage(&st, &a, &d.owner_unit).await? {
        return Err(PageError::forbidden());
    }
    let lang = v.lang;
    let mut outcome = LoadOutcome {
        mode: form.text("mode").unwrap_or_else(|| "append".into()),
        key: form.text("key").unwrap_or_default(),
        reason: form.text("reason").unwrap_or_default(),
        ..Default::default()
    };
    let Some(file) = form.file("file") else {
        outcome.error = Some(lang.pick("Hãy chọn một tệp để nạp.", "Choose a file to load.").into());
        return detail_page(&st, &v, &name, Some(outcome), None).await;
    };
    if outcome.reason.is_empty() {
        outcome.error = Some(
            lang.pick(
                "Hãy ghi lý do nạp dữ liệu (được lưu cùng phiên bản).",
                "Give the reason for this load (kept with the version).",
            )
            .into(),
        );
        return detail_page(&st, &v, &name, Some(outcome), None).await;
    }
    let mode = match Mode::parse(&outcome.mode) {
        Some(m) => m,
        None => {
            outcome.error = Some(lang.pick("Chế độ nạp không hợp lệ.", "Invalid load mode.").into());
            return detail_page(&st, &v, &name, Some(outcome), None).await;
        }
    };
    let tmp = tempfile::NamedTempFile::new().map_err(PageError::internal)?;
    tokio::fs::write(tmp.path(), &file.bytes)
        .await
        .map_err(PageError::internal)?;
    let result = api::import_file(
        &st,
        &a,
        &name,
        tmp.path().to_path_buf(),
        &file.file_name,
        None,
        mode,
        api::split_key(Some(&outcome.key)),
        None,
        &outcome.reason,
    )
    .await;
    match result {
        Ok(Ok(r)) => Ok(redirect(&format!(
            "/data/{}?loaded={}&rows={}",
            url_encode(&name),
            r.version,
            r.rows
        ))),
        Ok(Err(refused)) => {
            outcome.total = refused.total;
            outcome.problems = problem_views(lang, &refused.problems);
            detail_page(&st, &v, &name, Some(outcome), None).await
        }
        Err(e)
            if e.status == StatusCode::FORBIDDEN || e.status == StatusCode::NOT_FOUND || e.status.is_server_error() =>
        {
            Err(PageError::from_api(e))
        }
        Err(e) => {
            outcome.error = Some(
                e.problems()
                    .iter()
                    .map(|p| lang.pick(&p.message_vi, &p.message_en).to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            detail_page(&st, &v, &name, Some(outcome), None).await
        }
    }
}

/// `POST /data/{name}/grants`: grant the dataset to a unit or a role for a purpose.
pub(crate) async fn add_grant(
    State(st): State<AppState>,
    v: Viewer,
    Path(name): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let a = v.require_account()?.clone();
    v.check_csrf(&form)?;
    let d = st.store.dataset(&name).await?;
    if !api::can_manage(&st, &a, &d.owner_unit).await? {
        return Err(PageError::forbidden());
    }
    let g = api::NewGrant {
        grantee_kind: form.text("grantee_kind").unwrap_or_default(),
        grantee: form.text("grantee").unwrap_or_default(),
        purpose: form.text("purpose").unwrap_or_default(),
        rows: if form.get("rows") == Some("own_unit") {
            RowScope::OwnUnit
        } else {
            RowScope::All
        },
    };
    let grant = api::grant_from(&name, &g)?;
    st.store.add_grant(&grant, &api::actor(&a), st.now()).await?;
    Ok(redirect(&format!("/data/{}#grants", url_encode(&name))))
}

/// `POST /data/grants/{id}/revoke`.
pub(crate) async fn revoke_grant(
    State(st): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let a = v.require_account()?.clone();
    v.check_csrf(&form)?;
    let Some(g) = st.store.grants(None).await?.into_iter().find(|g| g.id == id) else {
        return Err(PageError::not_found());
    };
    let d = st.store.dataset(&g.dataset).await?;
    if !api::can_manage(&st, &a, &d.owner_unit).await? {
        return Err(PageError::forbidden());
    }
    st.store.revoke_grant(&id, &api::actor(&a), st.now()).await?;
    Ok(redirect(&format!("/data/{}#grants", url_encode(&g.dataset))))
}

#[derive(Serialize, Default)]
struct QueryResult {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    row_count: usize,
    elapsed_ms: f64,
    /// "ballista" when it ran on the cluster.
    engine: &'static str,
    masked: Vec<String>,
}

fn query_page(
    v: &Viewer,
    status: StatusCode,
    sql: &str,
    purpose: &str,
    result: Option<QueryResult>,
    error: Option<String>,
    tables: &[String],
) -> Result<Response, PageError> {
    let lang = v.lang;
    render_status(
        v,
        status,
        "data_query.html",
        minijinja::context! {
            sql => sql,
            purpose => purpose,
            purposes => ser(PURPOSES.iter().map(|p| (p.code, lang.pick(p.label_vi, p.label_en))).collect::<Vec<_>>()),
            result => result.map(ser),
            error => error,
            shown_rows => SHOWN_ROWS,
            tables => tables.to_vec(),
        },
    )
}

async fn table_names(st: &AppState, v: &Viewer) -> Result<Vec<String>, PageError> {
    Ok(api::visible_datasets(st, &v.caller())
        .await?
        .into_iter()
        .map(|d| d.name)
        .collect())
}

fn require_official(v: &Viewer) -> Result<(), PageError> {
    v.require_account()?;
    if v.is_staff() {
        Ok(())
    } else {
        Err(PageError::forbidden())
    }
}

#[derive(Deserialize)]
pub(crate) struct QueryStart {
    sql: Option<String>,
}

/// `GET /data/query`.
pub(crate) async fn query_form(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<QueryStart>,
) -> Result<Response, PageError> {
    require_official(&v)?;
    let tables = table_names(&st, &v).await?;
    let sql = q.sql.unwrap_or_else(|| match tables.first() {
        Some(t) => format!("SELECT * FROM {t} LIMIT 20"),
        None => String::new(),
    });
    query_page(&v, StatusCode::OK, &sql, "thong_ke", None, None, &tables)
}

/// `POST /data/query`: run it and show the result, or download it (`download=csv|xlsx`).
pub(crate) async fn query_run(State(st): State<AppState>, v: Viewer, form: FormData) -> Result<Response, PageError> {
    require_official(&v)?;
    v.check_csrf(&form)?;
    let a = v.require_account()?.clone();
    let sql = form.get("sql").unwrap_or_default().to_string();
    let purpose = form.text("purpose").unwrap_or_default();
    let tables = table_names(&st, &v).await?;
    let out = match api::run_query(&st, &a, &sql, &purpose, &HashMap::new()).await {
        Ok(out) => out,
        Err(e) if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN => {
            let msg = e
                .problems()
                .iter()
                .map(|p| v.lang.pick(&p.message_vi, &p.message_en).to_string())
                .collect::<Vec<_>>()
                .join(" ");
            // A dataset not granted to the caller keeps its answer (404, deny by default), so the
            // page refuses as the API does; the form shows why either way.
            let status = if e.status == StatusCode::NOT_FOUND {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return query_page(&v, status, &sql, &purpose, None, Some(msg), &tables);
        }
        Err(e) => return Err(PageError::from_api(e)),
    };
    match form.get("download") {
        Some("csv") => {
            return Ok(api::file_response(
                out.to_csv().map_err(|e| PageError::from_api(e.into()))?,
                "text/csv; charset=utf-8",
                "ket-qua.csv",
            ));
        }
        Some("xlsx") => {
            return Ok(api::file_response(
                out.to_xlsx().map_err(|e| PageError::from_api(e.into()))?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "ket-qua.xlsx",
            ));
        }
        _ => {}
    }
    let result = QueryResult {
        columns: out.columns.iter().map(|c| c.name.clone()).collect(),
        rows: out.rows_text(SHOWN_ROWS),
        row_count: out.rows,
        elapsed_ms: (out.elapsed_ms * 10.0).round() / 10.0,
        engine: out.engine,
        masked: out
            .reads
            .iter()
            .filter(|r| r.masked)
            .map(|r| format!("{}.{}", r.dataset, r.column))
            .collect(),
    };
    query_page(&v, StatusCode::OK, &sql, &purpose, Some(result), None, &tables)
}

/// `GET /open-data`: the open datasets, their public fields and downloads.
pub(crate) async fn open_data(State(st): State<AppState>, v: Viewer) -> Result<Response, PageError> {
    let all = st.store.datasets().await?;
    #[derive(Serialize)]
    struct OpenRow {
        name: String,
        title: String,
        description: String,
        theme: String,
        licence: String,
        rows: Option<i64>,
        updated_at: String,
        columns: Vec<String>,
    }
    let rows: Vec<OpenRow> = all
        .iter()
        .filter(|d| d.open_data)
        .map(|d| OpenRow {
            name: d.name.clone(),
            title: title(v.lang, d),
            description: v.lang.pick(&d.description_vi, &d.description_en).to_string(),
            theme: d.theme.clone(),
            licence: d.licence.clone(),
            rows: d.quality.as_ref().map(|q| q.rows),
            updated_at: d.updated_at.clone(),
            columns: citygov_domain::lake::open_columns(d)
                .map(|c| c.iter().map(|f| f.name.clone()).collect())
                .unwrap_or_default(),
        })
        .collect();
    render(&v, "open_data.html", minijinja::context! { rows => ser(&rows) })
}
