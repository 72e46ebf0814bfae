//! Personal-data pages: the citizen's data tracker (`/my/data`) and consents
//! (`/my/consents`), and the administrators' breach record (`/office/breaches`). They call the
//! functions of [`crate::privacy`], so they can do no more than the API.

use super::{FormData, FormError, Lang, PageError, Viewer, render, render_status, ser, shown, submit};
use crate::AppState;
use crate::error::ApiError;
use crate::privacy::{BreachRequest, BreachView, DataAccessEntry, NotifiedRequest};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use citygov_domain::Problem;
use citygov_domain::privacy::{BreachClockState, DATA_CLASSES};
use citygov_domain::workflow::Role;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default)]
pub(crate) struct PageQuery {
    page: Option<String>,
    /// A message after a form was handled: `given`, `revoked`, `recorded`, `notified`.
    done: Option<String>,
}

/// `2026-03-02T09:00:00` → `09:00 02/03/2026`.
fn shown_time(s: &str) -> String {
    citygov_store::parse_ts(s)
        .map(|t| t.format("%H:%M %d/%m/%Y").to_string())
        .unwrap_or_else(|_| s.to_string())
}

#[derive(Serialize)]
struct AccessRow {
    at: String,
    action: String,
    dossier_code: Option<String>,
    unit: Option<String>,
    role: String,
    purpose: Option<String>,
}

fn access_row(lang: Lang, e: &DataAccessEntry) -> AccessRow {
    AccessRow {
        at: shown_time(&e.at),
        action: lang.pick(&e.action_vi, &e.action_en).to_string(),
        dossier_code: e.dossier_code.clone(),
        unit: e.unit.as_ref().map(|u| match &u.name {
            Some(n) => format!("{n} ({})", u.code),
            None => u.code.clone(),
        }),
        role: lang.pick(&e.role_title_vi, &e.role_title_en).to_string(),
        purpose: match (&e.purpose_vi, &e.purpose_en) {
            (Some(vi), Some(en)) => Some(lang.pick(vi, en).to_string()),
            _ => None,
        },
    }
}

/// Who read or changed my data.
pub(crate) async fn my_data(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let a = v.require_account()?;
    let page = super::page_number(q.page.as_deref());
    let size = crate::privacy::PAGE_SIZE;
    let p = crate::privacy::data_access_page(&st, a, page, size).await?;
    let rows: Vec<AccessRow> = p.items.iter().map(|e| access_row(v.lang, e)).collect();
    render(
        &v,
        "my_data.html",
        minijinja::context! {
            rows => ser(&rows),
            total => p.total,
            page => page,
            pages => (p.total + size - 1) / size,
        },
    )
}

#[derive(Serialize)]
struct ConsentRow {
    purpose: String,
    title: String,
    description: String,
    scope: Vec<String>,
    given: bool,
    given_at: Option<String>,
    history: Vec<(String, Option<String>)>,
}

async fn consents_page(
    st: &AppState,
    v: &Viewer,
    status: StatusCode,
    done: Option<&str>,
    problems: Vec<Problem>,
) -> Result<Response, PageError> {
    let a = v.require_account()?;
    let views = crate::privacy::consent_views(st, a).await?;
    let rows: Vec<ConsentRow> = views
        .iter()
        .map(|c| ConsentRow {
            purpose: c.purpose.clone(),
            title: v.lang.pick(&c.title_vi, &c.title_en).to_string(),
            description: v.lang.pick(&c.description_vi, &c.description_en).to_string(),
            scope: c
                .scope
                .iter()
                .map(|s| v.lang.pick(&s.title_vi, &s.title_en).to_string())
                .collect(),
            given: c.given,
            given_at: c.given_at.as_deref().map(shown_time),
            history: c
                .history
                .iter()
                .map(|h| (shown_time(&h.given_at), h.revoked_at.as_deref().map(shown_time)))
                .collect(),
        })
        .collect();
    let done = match done {
        Some("given") => Some(
            v.lang
                .pick("Đã ghi nhận sự đồng ý của bạn.", "Your consent is recorded."),
        ),
        Some("revoked") => Some(v.lang.pick(
            "Đã rút lại sự đồng ý. Dữ liệu sẽ không còn được dùng cho mục đích này.",
            "Consent withdrawn. The data will no longer be used for this purpose.",
        )),
        _ => None,
    };
    render_status(
        v,
        status,
        "my_consents.html",
        minijinja::context! {
            rows => ser(&rows),
            done => done,
            problems => ser(shown(v.lang, &problems)),
        },
    )
}

/// My consents: each purpose with an unticked choice, and the history of my decisions.
pub(crate) async fn my_consents(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    consents_page(&st, &v, StatusCode::OK, q.done.as_deref(), Vec::new()).await
}

/// Give consent to a purpose: only when the box was ticked by the person (`agree=yes`).
pub(crate) async fn consent_give(
    State(st): State<AppState>,
    v: Viewer,
    Path(purpose): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let act = async || -> Result<(), FormError> {
        let a = v.require_account()?;
        if form.get("agree") != Some("yes") {
            let p = Problem::new(
                "consent_not_ticked",
                "Hãy đánh dấu vào ô «Tôi đồng ý» nếu bạn muốn đồng ý cho mục đích này.",
                "Tick “I agree” if you want to consent to this purpose.",
            )
            .at(format!("agree-{purpose}"));
            return Err(ApiError::unprocessable(vec![p]).into());
        }
        crate::privacy::give(&st, a, &purpose).await?;
        Ok(())
    };
    let again = async |e: ApiError| consents_page(&st, &v, e.status, None, e.problems()).await;
    submit(&v, &form, "/my/consents?done=given", act, again).await
}

/// Withdraw consent to a purpose.
pub(crate) async fn consent_revoke(
    State(st): State<AppState>,
    v: Viewer,
    Path(purpose): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let act = async || -> Result<(), FormError> {
        let a = v.require_account()?;
        crate::privacy::revoke(&st, a, &purpose).await?;
        Ok(())
    };
    let again = async |e: ApiError| consents_page(&st, &v, e.status, None, e.problems()).await;
    submit(&v, &form, "/my/consents?done=revoked", act, again).await
}

// ---------------------------------------------------------------------------------------------
// Breaches
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct BreachRow {
    id: String,
    discovered_at: String,
    deadline: String,
    description: String,
    classes: Vec<String>,
    people_affected: Option<i64>,
    measures: String,
    notified_at: Option<String>,
    notified_to: Option<String>,
    clock: String,
    /// `running`, `overdue`, `notified_in_time`, `notified_late`.
    state: &'static str,
}

fn breach_row(lang: Lang, b: &BreachView) -> BreachRow {
    let t = |x: &citygov_domain::LocalTime| x.format("%H:%M %d/%m/%Y").to_string();
    BreachRow {
        id: b.breach.id.clone(),
        discovered_at: t(&b.breach.discovered_at),
        deadline: t(&b.breach.clock.deadline),
        description: b.breach.description.clone(),
        classes: b
            .data_classes_titles
            .iter()
            .map(|c| lang.pick(&c.title_vi, &c.title_en).to_string())
            .collect(),
        people_affected: b.breach.people_affected,
        measures: b.breach.measures.clone(),
        notified_at: b.breach.notified_at.as_ref().map(t),
        notified_to: b.breach.notified_to.clone(),
        clock: lang.pick(&b.clock_vi, &b.clock_en).to_string(),
        state: match b.breach.clock.state {
            BreachClockState::Running => "running",
            BreachClockState::Overdue => "overdue",
            BreachClockState::NotifiedInTime => "notified_in_time",
            BreachClockState::NotifiedLate => "notified_late",
        },
    }
}

fn require_admin(v: &Viewer) -> Result<&citygov_store::accounts::Account, PageError> {
    let a = v.require_account()?;
    if !a.has_role(Role::Administrator) {
        return Err(PageError::forbidden());
    }
    Ok(a)
}

/// What the record form holds when it is shown again with its problems.
#[derive(Serialize, Default, Clone)]
struct BreachForm {
    discovered_at: String,
    description: String,
    data_classes: Vec<String>,
    people_affected: String,
    measures: String,
}

async fn breaches_page(
    st: &AppState,
    v: &Viewer,
    status: StatusCode,
    done: Option<&str>,
    form: BreachForm,
    problems: Vec<Problem>,
) -> Result<Response, PageError> {
    require_admin(v)?;
    let list = st.store.breaches(st.now()).await?;
    let rows: Vec<BreachRow> = list
        .into_iter()
        .map(|b| breach_row(v.lang, &BreachView::from(b)))
        .collect();
    let classes: Vec<(String, String)> = DATA_CLASSES
        .iter()
        .map(|c| (c.code.to_string(), v.lang.pick(c.title_vi, c.title_en).to_string()))
        .collect();
    let done = match done {
        Some("recorded") => Some(v.lang.pick(
            "Đã ghi nhận sự cố. Hãy thông báo cho cơ quan có thẩm quyền trong 72 giờ kể từ khi phát hiện.",
            "The breach is recorded. Notify the authority within 72 hours of its discovery.",
        )),
        Some("notified") => Some(
            v.lang
                .pick("Đã ghi nhận việc thông báo.", "The notification is recorded."),
        ),
        _ => None,
    };
    render_status(
        v,
        status,
        "breaches.html",
        minijinja::context! {
            rows => ser(&rows),
            classes => ser(&classes),
            form => ser(&form),
            done => done,
            now => st.now().format("%Y-%m-%dT%H:%M").to_string(),
            problems => ser(shown(v.lang, &problems)),
        },
    )
}

/// The breach record: every breach with its 72-hour clock, and the form to record one.
pub(crate) async fn breaches(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    breaches_page(
        &st,
        &v,
        StatusCode::OK,
        q.done.as_deref(),
        BreachForm::default(),
        Vec::new(),
    )
    .await
}

pub(crate) async fn breach_record(
    State(st): State<AppState>,
    v: Viewer,
    form: FormData,
) -> Result<Response, PageError> {
    // What the form is shown again with when refused.
    let kept = BreachForm {
        discovered_at: form.get("discovered_at").unwrap_or_default().to_string(),
        description: form.get("description").unwrap_or_default().to_string(),
        data_classes: form.all("data_classes"),
        people_affected: form.get("people_affected").unwrap_or_default().trim().to_string(),
        measures: form.get("measures").unwrap_or_default().to_string(),
    };
    let act = async || -> Result<(), FormError> {
        let a = require_admin(&v)?;
        let people = match kept.people_affected.as_str() {
            "" => None,
            s => match s.replace(['.', ' '], "").parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    let p = Problem::new(
                        "invalid_number",
                        "Số người bị ảnh hưởng phải là một số nguyên.",
                        "The number of people affected must be a whole number.",
                    )
                    .at("people_affected");
                    return Err(ApiError::unprocessable(vec![p]).into());
                }
            },
        };
        let req = BreachRequest {
            discovered_at: Some(kept.discovered_at.clone()),
            description: Some(kept.description.clone()),
            data_classes: kept.data_classes.clone(),
            people_affected: people,
            measures: Some(kept.measures.clone()),
        };
        crate::privacy::record(&st, a, req).await?;
        Ok(())
    };
    let again = async |e: ApiError| breaches_page(&st, &v, e.status, None, kept.clone(), e.problems()).await;
    submit(&v, &form, "/office/breaches?done=recorded", act, again).await
}

pub(crate) async fn breach_notified(
    State(st): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let act = async || -> Result<(), FormError> {
        let a = require_admin(&v)?;
        let req = NotifiedRequest {
            notified_to: form.text("notified_to"),
            notified_at: form.text("notified_at"),
        };
        crate::privacy::notified(&st, a, &id, req).await?;
        Ok(())
    };
    // The problems name the fields of this breach's row.
    let again = async |e: ApiError| {
        let problems = e
            .problems()
            .into_iter()
            .map(|mut p| {
                p.field = p.field.map(|f| format!("{f}-{id}"));
                p
            })
            .collect();
        breaches_page(&st, &v, e.status, None, BreachForm::default(), problems).await
    };
    submit(&v, &form, "/office/breaches?done=notified", act, again).await
}
