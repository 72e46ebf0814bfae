//! Personal data over HTTP: the citizen's data tracker (who read or changed their data, as a
//! unit and a role, never a person), their consents per purpose, and the administrators'
//! breach record with its 72-hour notification clock. The pages in `pages::privacy` call the
//! same functions.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, parse_json};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use citygov_domain::privacy::{self, Purpose};
use citygov_domain::{LocalTime, Problem};
use citygov_store::accounts::Account;
use citygov_store::privacy::{Breach, ConsentRecord, DataAccessEvent, NewBreach};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Entries on one page of the tracker, unless asked otherwise.
pub const PAGE_SIZE: i64 = 50;

fn stamp(t: &LocalTime) -> String {
    citygov_store::ts(t)
}

/// A unit, by code and name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitRef {
    pub code: String,
    pub name: Option<String>,
}

/// One entry of the data tracker. It names the unit and the role that acted, never the person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataAccessEntry {
    /// Local time, `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    /// `read`, `change` (a processing step) or `account` (a change of the account or consents).
    pub kind: String,
    pub action: String,
    pub action_vi: String,
    pub action_en: String,
    pub dossier_code: Option<String>,
    pub unit: Option<UnitRef>,
    /// `intake_officer`, `processing_officer`, `unit_leader`, `administrator`…, or
    /// `holder_of_code`, `self`, `system`, `official`.
    pub role: String,
    pub role_title_vi: String,
    pub role_title_en: String,
    /// Why a dossier was read: `processing`, `lookup`, `inspection`, `administration`.
    pub purpose: Option<String>,
    pub purpose_vi: Option<String>,
    pub purpose_en: Option<String>,
}

impl From<&DataAccessEvent> for DataAccessEntry {
    fn from(e: &DataAccessEvent) -> Self {
        let (action_vi, action_en) = privacy::action_title(&e.action);
        let (role_vi, role_en) = privacy::role_title(&e.role);
        let purpose = e.purpose.as_deref().map(privacy::read_purpose_title);
        DataAccessEntry {
            at: stamp(&e.at),
            kind: e.kind.clone(),
            action: e.action.clone(),
            action_vi,
            action_en,
            dossier_code: e.dossier_code.clone(),
            unit: e.unit_code.as_ref().map(|c| UnitRef {
                code: c.clone(),
                name: e.unit_name.clone(),
            }),
            role: e.role.clone(),
            role_title_vi: role_vi.into(),
            role_title_en: role_en.into(),
            purpose: e.purpose.clone(),
            purpose_vi: purpose.map(|p| p.0.to_string()),
            purpose_en: purpose.map(|p| p.1.to_string()),
        }
    }
}

/// A page of the data tracker, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DataAccessPage {
    pub items: Vec<DataAccessEntry>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Debug, Deserialize)]
pub struct PageParams {
    pub page: Option<String>,
    pub page_size: Option<String>,
}

fn positive(field: &str, raw: Option<&str>, default: i64, max: i64) -> ApiResult<i64> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(
                Problem::new(
                    "invalid_number",
                    format!("«{s}» không hợp lệ: cần một số từ 1 đến {max}."),
                    format!("“{s}” is invalid: a number from 1 to {max} is needed."),
                )
                .at(field),
            )),
        },
    }
}

/// A page of the tracker of `account`.
pub(crate) async fn data_access_page(
    st: &AppState,
    account: &Account,
    page: i64,
    page_size: i64,
) -> ApiResult<DataAccessPage> {
    let (events, total) = st
        .store
        .data_access(
            &account.id,
            account.id_number.as_deref(),
            page_size,
            (page - 1) * page_size,
        )
        .await?;
    Ok(DataAccessPage {
        items: events.iter().map(DataAccessEntry::from).collect(),
        total,
        page,
        page_size,
    })
}

/// Who read or changed my data: reads of my dossiers, their processing steps and changes of
/// my account, newest first, each with the unit and the role (never the official's name).
#[utoipa::path(get, path = "/api/v1/me/data-access", tag = "privacy",
    params(("page" = Option<i64>, Query, description = "Page number, from 1"), ("page_size" = Option<i64>, Query, description = "Entries per page, 1–200 (default 50)")),
    responses((status = 200, body = DataAccessPage), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody)))]
pub async fn data_access(
    State(st): State<AppState>,
    caller: Caller,
    Query(p): Query<PageParams>,
) -> ApiResult<Json<DataAccessPage>> {
    let a = caller.require()?;
    let page = positive("page", p.page.as_deref(), 1, 100_000)?;
    let size = positive("page_size", p.page_size.as_deref(), PAGE_SIZE, 200)?;
    Ok(Json(data_access_page(&st, a, page, size).await?))
}

// ---------------------------------------------------------------------------------------------
// Consents
// ---------------------------------------------------------------------------------------------

/// A data class, with its title.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataClassRef {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
}

fn class_ref(code: &str) -> DataClassRef {
    let c = privacy::data_class(code);
    DataClassRef {
        code: code.to_string(),
        title_vi: c.map(|c| c.title_vi).unwrap_or(code).to_string(),
        title_en: c.map(|c| c.title_en).unwrap_or(code).to_string(),
    }
}

/// One consent decision, as kept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentEntry {
    pub id: i64,
    pub scope: Vec<String>,
    pub given_at: String,
    pub revoked_at: Option<String>,
}

impl From<&ConsentRecord> for ConsentEntry {
    fn from(r: &ConsentRecord) -> Self {
        ConsentEntry {
            id: r.id,
            scope: r.scope.clone(),
            given_at: stamp(&r.given_at),
            revoked_at: r.revoked_at.as_ref().map(stamp),
        }
    }
}

/// A purpose, whether the citizen consents to it now, and every decision taken on it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentView {
    pub purpose: String,
    pub title_vi: String,
    pub title_en: String,
    pub description_vi: String,
    pub description_en: String,
    /// The data classes the purpose uses.
    pub scope: Vec<DataClassRef>,
    /// An open consent exists.
    pub given: bool,
    pub given_at: Option<String>,
    /// Every decision, newest first.
    pub history: Vec<ConsentEntry>,
}

fn consent_view(p: &Purpose, records: &[ConsentRecord]) -> ConsentView {
    let mine: Vec<&ConsentRecord> = records.iter().filter(|r| r.purpose == p.code).collect();
    let open = mine.iter().find(|r| r.revoked_at.is_none());
    ConsentView {
        purpose: p.code.into(),
        title_vi: p.title_vi.into(),
        title_en: p.title_en.into(),
        description_vi: p.description_vi.into(),
        description_en: p.description_en.into(),
        scope: p.scope.iter().map(|c| class_ref(c)).collect(),
        given: open.is_some(),
        given_at: open.map(|r| stamp(&r.given_at)),
        history: mine.into_iter().map(ConsentEntry::from).collect(),
    }
}

/// Every purpose with the account's decisions.
pub(crate) async fn consent_views(st: &AppState, account: &Account) -> ApiResult<Vec<ConsentView>> {
    let records = st.store.consents_of(&account.id).await?;
    Ok(privacy::PURPOSES.iter().map(|p| consent_view(p, &records)).collect())
}

fn purpose_of(code: &str) -> ApiResult<&'static Purpose> {
    privacy::parse_purpose(code).map_err(ApiError::not_found)
}

/// Give consent to a purpose (`true` when it was not given before).
pub(crate) async fn give(st: &AppState, account: &Account, code: &str) -> ApiResult<(ConsentView, bool)> {
    let p = purpose_of(code)?;
    let (_, created) = st.store.give_consent(account, p, st.now()).await?;
    let records = st.store.consents_of(&account.id).await?;
    Ok((consent_view(p, &records), created))
}

/// Withdraw consent to a purpose.
pub(crate) async fn revoke(st: &AppState, account: &Account, code: &str) -> ApiResult<ConsentView> {
    let p = purpose_of(code)?;
    st.store.revoke_consent(account, p, st.now()).await?;
    let records = st.store.consents_of(&account.id).await?;
    Ok(consent_view(p, &records))
}

/// My consents: every purpose the platform may ask consent for, whether I consent now, and
/// the history of my decisions. Nothing is consented by default.
#[utoipa::path(get, path = "/api/v1/me/consents", tag = "privacy",
    responses((status = 200, body = Vec<ConsentView>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn consents(State(st): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<ConsentView>>> {
    let a = caller.require()?;
    Ok(Json(consent_views(&st, a).await?))
}

/// Give my consent to a purpose (201; 200 when it is already given, changing nothing).
/// A person's session only: an API token cannot consent for anyone.
#[utoipa::path(post, path = "/api/v1/me/consents/{purpose}", tag = "privacy", params(("purpose" = String, Path)),
    responses((status = 201, body = ConsentView), (status = 200, body = ConsentView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn give_consent(
    State(st): State<AppState>,
    caller: Caller,
    Path(purpose): Path<String>,
) -> ApiResult<(StatusCode, Json<ConsentView>)> {
    let a = caller.require()?;
    let (view, created) = give(&st, a, &purpose).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(view)))
}

/// Withdraw my consent to a purpose: the record is closed and kept.
#[utoipa::path(delete, path = "/api/v1/me/consents/{purpose}", tag = "privacy", params(("purpose" = String, Path)),
    responses((status = 200, body = ConsentView), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody, description = "No consent to withdraw")))]
pub async fn revoke_consent(
    State(st): State<AppState>,
    caller: Caller,
    Path(purpose): Path<String>,
) -> ApiResult<Json<ConsentView>> {
    let a = caller.require()?;
    Ok(Json(revoke(&st, a, &purpose).await?))
}

// ---------------------------------------------------------------------------------------------
// Breaches
// ---------------------------------------------------------------------------------------------

/// A breach with its 72-hour clock in words.
#[derive(Debug, Clone, Serialize)]
pub struct BreachView {
    #[serde(flatten)]
    pub breach: Breach,
    pub data_classes_titles: Vec<DataClassRef>,
    pub clock_vi: String,
    pub clock_en: String,
}

impl From<Breach> for BreachView {
    fn from(b: Breach) -> Self {
        let (clock_vi, clock_en) = b.clock.describe();
        BreachView {
            data_classes_titles: b.data_classes.iter().map(|c| class_ref(c)).collect(),
            breach: b,
            clock_vi,
            clock_en,
        }
    }
}

/// A breach to record.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct BreachRequest {
    /// When the breach was discovered (local time, `YYYY-MM-DDTHH:MM`).
    pub discovered_at: Option<String>,
    pub description: Option<String>,
    /// Data class codes (`identity`, `contact`, `address`, `form_data`, `documents`,
    /// `id_card_images`, `account`, `processing_history`).
    #[serde(default)]
    pub data_classes: Vec<String>,
    /// Estimated number of people affected.
    pub people_affected: Option<i64>,
    /// Measures taken and planned.
    pub measures: Option<String>,
}

/// The notification of a breach to the authority.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NotifiedRequest {
    /// The authority notified (e.g. the Ministry of Public Security's cybersecurity department, A05).
    pub notified_to: Option<String>,
    /// When it was notified (local time, `YYYY-MM-DDTHH:MM`); now when absent.
    pub notified_at: Option<String>,
}

/// Parse a local date-time given in `field`.
pub(crate) fn parse_local_time(field: &str, raw: Option<&str>) -> Result<Option<LocalTime>, Problem> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Ok(Some(t));
        }
    }
    Err(Problem::new(
        "invalid_time",
        format!("«{s}» không phải thời điểm hợp lệ (năm-tháng-ngàyTgiờ:phút, ví dụ 2026-03-02T09:30)."),
        format!("“{s}” is not a valid time (year-month-dayThour:minute, e.g. 2026-03-02T09:30)."),
    )
    .at(field))
}

fn require_admin(caller: &Caller) -> ApiResult<&Account> {
    let a = caller.require()?;
    crate::access::Admin::check(a)?;
    Ok(a)
}

/// Record a breach from a request: every problem of the input at once, nothing written.
pub(crate) async fn record(st: &AppState, a: &Account, req: BreachRequest) -> ApiResult<BreachView> {
    let (discovered_at, bad_time) = match parse_local_time("discovered_at", req.discovered_at.as_deref()) {
        Ok(t) => (t, None),
        Err(p) => (None, Some(p)),
    };
    let b = NewBreach {
        discovered_at,
        description: req.description.unwrap_or_default(),
        data_classes: req.data_classes,
        people_affected: req.people_affected,
        measures: req.measures.unwrap_or_default(),
    };
    match st.store.record_breach(&b, a, st.now()).await {
        Ok(b) => match bad_time {
            // Not reached: a wrong time leaves `discovered_at` empty, which the store refuses.
            Some(p) => Err(ApiError::unprocessable(vec![p])),
            None => Ok(b.into()),
        },
        Err(citygov_store::Error::Invalid(mut ps)) => {
            if let Some(p) = bad_time {
                ps.retain(|q| q.field.as_deref() != Some("discovered_at"));
                ps.insert(0, p);
            }
            Err(ApiError::unprocessable(ps))
        }
        Err(e) => Err(e.into()),
    }
}

/// Mark a breach notified.
pub(crate) async fn notified(st: &AppState, a: &Account, id: &str, req: NotifiedRequest) -> ApiResult<BreachView> {
    let at =
        parse_local_time("notified_at", req.notified_at.as_deref()).map_err(|p| ApiError::unprocessable(vec![p]))?;
    let b = st
        .store
        .mark_breach_notified(id, req.notified_to.as_deref().unwrap_or_default(), at, a, st.now())
        .await?;
    Ok(b.into())
}

/// Every personal-data breach recorded, latest discovered first, each with its notification
/// clock (72 hours from discovery). Administrators only, with a session.
#[utoipa::path(get, path = "/api/v1/breaches", tag = "privacy",
    responses((status = 200, body = Vec<Object>), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn breaches(State(st): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<BreachView>>> {
    require_admin(&caller)?;
    let list = st.store.breaches(st.now()).await?;
    Ok(Json(list.into_iter().map(BreachView::from).collect()))
}

/// Record a personal-data breach (administrators only).
#[utoipa::path(post, path = "/api/v1/breaches", tag = "privacy", request_body = BreachRequest,
    responses((status = 201, body = Object), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_breach(
    State(st): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<BreachView>)> {
    let a = require_admin(&caller)?;
    let req: BreachRequest = parse_json(&body)?;
    Ok((StatusCode::CREATED, Json(record(&st, a, req).await?)))
}

/// Record that a breach was notified to the authority (administrators only).
#[utoipa::path(post, path = "/api/v1/breaches/{id}/notified", tag = "privacy", params(("id" = String, Path)), request_body = NotifiedRequest,
    responses((status = 200, body = Object), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn mark_notified(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<BreachView>> {
    let a = require_admin(&caller)?;
    let req: NotifiedRequest = parse_json(&body)?;
    Ok(Json(notified(&st, a, &id, req).await?))
}
