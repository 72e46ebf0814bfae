//! The back office: an official's work queue, the dossier page with the actions the
//! transition table allows them, and intake at the desk.

use super::citizen::{
    applicant_kind, applicant_kind_key, deadline_label, dossier_summary, expected_appointment, printable_forms,
    status_label, working_left,
};
use super::eform;
use super::{
    FormData, Lang, PageError, Viewer, filing_problems, fmt_time, format_vnd, redirect, render, render_status,
    save_upload, shown, url_encode,
};
use crate::AppState;
use crate::access::{AuditReader, DossierRead, Uploader};
use crate::dossiers::{ActionRequest, ApplicantInput, DocumentInput, FileRequest, act_on, can_read, roles_for, view};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, NaiveTime};
use citygov_domain::Problem;
use citygov_domain::catalog::Procedure;
use citygov_domain::codes::ApplicantType;
use citygov_domain::dossier::{Dossier, ResultDocument, Status};
use citygov_domain::reasons;
use citygov_domain::workflow::{self, Action, Command, Requirement, Role};
use citygov_store::accounts::Account;
use citygov_store::catalog::CatalogQuery;
use citygov_store::dossiers::{DeadlineFilter, Filed, QueueQuery, QueueSort};
use minijinja::Value;
use serde::{Deserialize, Serialize};

const PAGE_SIZE: i64 = 25;

fn require_official(v: &Viewer) -> Result<&Account, PageError> {
    let a = v.require_account()?;
    if a.official_units().is_empty() && !a.has_role(Role::Administrator) {
        return Err(PageError::forbidden());
    }
    Ok(a)
}

/// Who may see the back office's queue and dossiers: officials who process dossiers,
/// administrators and auditors (who act on none).
fn require_reader(v: &Viewer) -> Result<&Account, PageError> {
    let a = v.require_account()?;
    if a.official_units().is_empty() && !a.has_role(Role::Administrator) && !a.has_role(Role::Auditor) {
        return Err(PageError::forbidden());
    }
    Ok(a)
}

/// Whether the account sees every unit's dossiers (administrators and auditors).
fn sees_all_units(a: &Account) -> bool {
    a.has_role(Role::Administrator) || a.has_role(Role::Auditor)
}

pub(crate) fn action_label(lang: Lang, a: Action) -> &'static str {
    let en = match a {
        Action::Accept => "Accept",
        Action::Refuse => "Refuse intake",
        Action::Forward => "Forward for processing",
        Action::RequestSupplement => "Request a supplement",
        Action::SubmitSupplement => "Hand in a supplement",
        Action::RequestPayment => "Request fees",
        Action::ConfirmPayment => "Confirm payment",
        Action::Withdraw => "Withdraw",
        Action::Stop => "Stop processing",
        Action::Finish => "Finish with a result",
        Action::ReturnResult => "Hand over the result",
        Action::Apologize => "Apologise with a new date",
    };
    lang.pick(a.name_vi(), en)
}

/// What the page says after an action succeeded.
fn done_message(lang: Lang, a: Action) -> &'static str {
    match a {
        Action::Accept => lang.pick(
            "Đã tiếp nhận hồ sơ. Ngày hẹn trả đã được tính.",
            "The dossier is accepted; the appointment date is set.",
        ),
        Action::Refuse => lang.pick(
            "Đã từ chối tiếp nhận; người nộp đã được thông báo lý do.",
            "Intake refused; the applicant has been told why.",
        ),
        Action::Forward => lang.pick(
            "Đã chuyển hồ sơ đến đơn vị xử lý.",
            "The dossier is forwarded to the processing unit.",
        ),
        Action::RequestSupplement => lang.pick(
            "Đã gửi yêu cầu bổ sung; thời hạn tạm dừng.",
            "Supplement requested; the clock is paused.",
        ),
        Action::SubmitSupplement => lang.pick(
            "Đã nhận hồ sơ bổ sung; thời hạn tiếp tục.",
            "Supplement received; the clock runs again.",
        ),
        Action::RequestPayment => lang.pick("Đã yêu cầu nộp phí, lệ phí.", "Fees requested."),
        Action::ConfirmPayment => lang.pick("Đã xác nhận thanh toán.", "Payment confirmed."),
        Action::Withdraw => lang.pick("Đã rút hồ sơ.", "The dossier is withdrawn."),
        Action::Stop => lang.pick(
            "Đã dừng xử lý hồ sơ; người nộp đã được thông báo lý do.",
            "Processing stopped; the applicant has been told why.",
        ),
        Action::Finish => lang.pick(
            "Đã hoàn thành xử lý; kết quả sẵn sàng để trả.",
            "Processing finished; the result is ready.",
        ),
        Action::ReturnResult => lang.pick("Đã trả kết quả cho người nộp.", "The result is handed over."),
        Action::Apologize => lang.pick(
            "Đã gửi phiếu xin lỗi và hẹn lại ngày trả.",
            "The apology with a new date is sent.",
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Work queue
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub(crate) struct QueueParams {
    tab: Option<String>,
    unit: Option<String>,
    procedure: Option<String>,
    sort: Option<String>,
    order: Option<String>,
    page: Option<String>,
}

const TABS: &[(&str, &str, &str)] = &[
    ("new", "Hồ sơ mới cần tiếp nhận", "New, to accept"),
    ("processing", "Đang giải quyết", "Being processed"),
    ("due_soon", "Sắp đến hạn", "Due soon"),
    ("overdue", "Quá hạn", "Overdue"),
    ("supplement", "Chờ bổ sung", "Awaiting supplement"),
    ("untouched", "Chưa được xử lý", "Untouched"),
    ("done", "Chờ trả kết quả", "Result ready"),
    ("all", "Tất cả", "All"),
];

#[derive(Serialize)]
struct QueueRow {
    code: String,
    procedure: String,
    applicant: String,
    submitted_at: String,
    appointment_at: String,
    status: String,
    state: &'static str,
    state_label: &'static str,
    untouched: bool,
    online: bool,
}

pub(crate) fn short_ts(s: &str) -> String {
    // Stored as `YYYY-MM-DDTHH:MM:SS`; shown as `DD/MM/YYYY HH:MM`.
    match citygov_store::parse_ts(s) {
        Ok(t) => fmt_time(&t),
        Err(_) => s.to_string(),
    }
}

pub(crate) async fn queue(
    State(st): State<AppState>,
    v: Viewer,
    Query(p): Query<QueueParams>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let a = require_reader(&v)?.clone();
    let tab = p
        .tab
        .as_deref()
        .filter(|t| TABS.iter().any(|(k, ..)| k == t))
        .unwrap_or("new")
        .to_string();
    let now = st.now();
    let horizon = st.due_soon_until(now);
    let untouched_at = st.untouched_before(now);
    let mut q = QueueQuery {
        limit: PAGE_SIZE,
        now: Some(now),
        due_soon_before: Some(horizon),
        ..Default::default()
    };
    match tab.as_str() {
        "new" => q.statuses = vec![Status::Submitted],
        "processing" => q.statuses = vec![Status::Accepted, Status::Processing, Status::AwaitingPayment],
        "due_soon" => q.deadline = Some(DeadlineFilter::DueSoon),
        "overdue" => q.deadline = Some(DeadlineFilter::Overdue),
        "supplement" => q.statuses = vec![Status::SupplementRequested],
        "untouched" => q.untouched_before = Some(untouched_at),
        "done" => q.statuses = vec![Status::Processed],
        _ => {}
    }
    // Units: the official's own, or one of them.
    let units = st.cache.current_units(&st.store).await?;
    let mine: Vec<&citygov_domain::unit::Unit> = units
        .iter()
        .filter(|u| sees_all_units(&a) || a.official_units().contains(&u.id))
        .collect();
    q.unit_ids = match p.unit.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => match mine.iter().find(|u| u.code.as_str() == code) {
            Some(u) => vec![u.id.clone()],
            None => return Err(PageError::forbidden()),
        },
        None if sees_all_units(&a) => vec![],
        None => a.official_units(),
    };
    q.procedure_code = p.procedure.clone().filter(|s| !s.is_empty());
    q.sort = match p.sort.as_deref() {
        Some("appointment") => QueueSort::Appointment,
        Some("updated") => QueueSort::Updated,
        Some("code") => QueueSort::Code,
        _ => QueueSort::Submitted,
    };
    q.descending = match p.order.as_deref() {
        Some("asc") => false,
        Some("desc") => true,
        _ => matches!(q.sort, QueueSort::Submitted | QueueSort::Updated) && tab != "new",
    };
    let page = super::page_number(p.page.as_deref());
    q.offset = (page - 1) * PAGE_SIZE;
    let (items, total) = st.store.queue(&q).await?;
    let mut rows = Vec::with_capacity(items.len());
    for i in &items {
        let procedure = st
            .cache
            .procedure(&st.store, &i.procedure_code)
            .await?
            .map(|p| p.name.clone())
            .unwrap_or_else(|| i.procedure_code.clone());
        let status = Status::from_code(i.status).unwrap_or(Status::Submitted);
        let appt = i
            .appointment_at
            .as_deref()
            .and_then(|s| citygov_store::parse_ts(s).ok());
        let running = !status.is_final() && status != Status::SupplementRequested && status != Status::Processed;
        let (state, state_label) = match appt {
            _ if i.overdue_flag && running => ("late", lang.pick("Quá hạn", "Overdue")),
            Some(t) if running && t < now => ("late", lang.pick("Quá hạn", "Overdue")),
            Some(t) if running && t <= horizon => ("soon", lang.pick("Sắp đến hạn", "Due soon")),
            Some(_) if running => ("ok", lang.pick("Trong hạn", "On time")),
            _ => ("none", ""),
        };
        let untouched = crate::dossiers::item_untouched(i, untouched_at);
        rows.push(QueueRow {
            code: i.code.clone(),
            procedure,
            applicant: i.applicant_name.clone(),
            submitted_at: short_ts(&i.submitted_at),
            appointment_at: appt.as_ref().map(fmt_time).unwrap_or_default(),
            status: status_label(lang, status).to_string(),
            state,
            state_label,
            untouched,
            online: i.channel == 2,
        });
    }
    let tabs: Vec<Value> = TABS
        .iter()
        .map(|(k, vi, en)| minijinja::context! { key => *k, label => lang.pick(vi, en), current => *k == tab })
        .collect();
    let unit_choices: Vec<Value> = mine
        .iter()
        .map(|u| minijinja::context! { code => u.code.to_string(), name => u.name.clone(), selected => p.unit.as_deref() == Some(u.code.as_str()) })
        .collect();
    let base = format!(
        "tab={}&unit={}&procedure={}",
        url_encode(&tab),
        url_encode(p.unit.as_deref().unwrap_or("")),
        url_encode(p.procedure.as_deref().unwrap_or(""))
    );
    let is_leader = a.has_role(Role::UnitLeader) || a.has_role(Role::Administrator);
    // Leaders are told at once how many of their units' dossiers nobody has touched.
    let untouched_count = if is_leader && tab != "untouched" {
        let (_, n) = st
            .store
            .queue(&QueueQuery {
                unit_ids: q.unit_ids.clone(),
                untouched_before: Some(untouched_at),
                limit: 1,
                ..Default::default()
            })
            .await?;
        n
    } else {
        0
    };
    render(
        &v,
        "queue.html",
        minijinja::context! {
            tab => tab,
            tabs => tabs,
            rows => super::ser(&rows),
            total => total,
            page => page,
            pages => (total + PAGE_SIZE - 1) / PAGE_SIZE,
            base => base,
            sort => p.sort.clone().unwrap_or_else(|| "submitted".into()),
            order => if q.descending { "desc" } else { "asc" },
            units => unit_choices,
            procedure => p.procedure.clone().unwrap_or_default(),
            is_leader => is_leader,
            untouched_count => untouched_count,
            untouched_days => st.config.untouched_working_days,
            can_intake => a.roles.iter().any(|g| g.role == Role::IntakeOfficer),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The dossier page
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct Row {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct DocRow {
    name: String,
    file_name: Option<String>,
    href: Option<String>,
    digitisation: &'static str,
}

/// The dossier page: an official of the dossier's units, an administrator or an auditor;
/// the read is recorded ([`DossierRead`]).
async fn read_for_office(st: &AppState, v: &Viewer, code: &str) -> Result<(Dossier, Vec<Role>), PageError> {
    let a = require_reader(v)?;
    let d = st.store.dossier_by_code(code).await?.ok_or_else(PageError::not_found)?;
    let read = DossierRead::check(st, Some(a), d, false)
        .await?
        .ok_or_else(PageError::not_found)?;
    let d = read.into_dossier();
    let roles = roles_for(&v.caller(), &d, false);
    Ok((d, roles))
}

/// A dossier an official acts on: refused unless the official holds a role on it (so neither
/// auditors nor administrators, who act on none, reach the action forms).
async fn load_for_action(st: &AppState, v: &Viewer, code: &str) -> Result<(Dossier, Vec<Role>), PageError> {
    let a = require_official(v)?;
    let d = st
        .store
        .dossier_by_code(code)
        .await?
        .filter(|d| can_read(a, d))
        .ok_or_else(PageError::not_found)?;
    let roles = roles_for(&v.caller(), &d, false);
    if roles.is_empty() {
        return Err(PageError::forbidden());
    }
    Ok((d, roles))
}

#[derive(Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

pub(crate) async fn dossier(
    State(st): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
    Query(dq): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let (d, roles) = read_for_office(&st, &v, &code).await?;
    let p = st.cache.procedure(&st.store, &d.procedure_code).await?;
    let form_rows: Vec<Row> = match &p {
        Some(p) => eform::fields(&p.eform, lang)
            .iter()
            .map(|f| Row {
                label: f.label.clone(),
                value: eform::value_text(&d.form_data, f),
            })
            .filter(|r| !r.value.is_empty())
            .collect(),
        None => vec![],
    };
    let component_name = |c: &str| {
        p.as_ref()
            .and_then(|p| p.components.iter().find(|x| x.code == c))
            .map(|x| x.name.clone())
            .unwrap_or_else(|| c.to_string())
    };
    let docs: Vec<DocRow> = d
        .documents
        .iter()
        .map(|doc| DocRow {
            name: component_name(&doc.component_code),
            file_name: doc.file.as_ref().map(|f| f.file_name.clone()),
            href: doc
                .file
                .as_ref()
                .map(|f| format!("/dossiers/{}/files/{}", d.code, f.id)),
            digitisation: if doc.file.is_some() {
                lang.pick("Bản điện tử", "Electronic copy")
            } else {
                lang.pick("Bản giấy", "Paper")
            },
        })
        .collect();
    let results: Vec<DocRow> = d
        .results
        .iter()
        .map(|r| DocRow {
            name: format!("{} {}", r.name, r.result_code),
            file_name: r.file.as_ref().map(|f| f.file_name.clone()),
            href: r.file.as_ref().map(|f| format!("/dossiers/{}/files/{}", d.code, f.id)),
            digitisation: "",
        })
        .collect();
    let history = st.store.history(&d.id).await?;
    let timeline: Vec<Value> = history
        .iter()
        .map(|h| {
            minijinja::context! {
                at => fmt_time(&h.entry.at),
                action => h.entry.action.clone(),
                status => status_label(lang, h.entry.to_status),
                actor => format!("{} {}", h.entry.actor_name, if h.entry.actor_title.is_empty() { String::new() } else { format!("({})", h.entry.actor_title) }),
                unit => h.entry.unit_code.clone(),
                content => h.entry.content.clone(),
            }
        })
        .collect();
    let dv = view(&st, d.clone(), &roles);
    let actions: Vec<Value> = dv
        .actions
        .iter()
        .filter_map(|name| Action::parse(name))
        .filter(|a| *a != Action::SubmitSupplement || roles.contains(&Role::IntakeOfficer))
        .map(|a| minijinja::context! { name => a.as_str(), label => action_label(lang, a), danger => matches!(a, Action::Refuse | Action::Stop | Action::Withdraw) })
        .collect();
    let (deadline_text, deadline_class) = deadline_label(lang, dv.deadline_state);
    let done = dq
        .done
        .as_deref()
        .and_then(Action::parse)
        .map(|a| done_message(lang, a));
    let intake_done = dq.done.as_deref() == Some("intake");
    let untouched = citygov_domain::dossier::is_untouched(d.status, d.updated_at, st.untouched_before(st.now()));
    render(
        &v,
        "office_dossier.html",
        minijinja::context! {
            d => dossier_summary(&st, lang, &d),
            applicant => minijinja::context! {
                kind => applicant_kind(lang, d.applicant.kind),
                name => d.applicant.full_name.clone(),
                id_number => d.applicant.id_number.clone(),
                phone => d.applicant.phone.clone(),
                email => d.applicant.email.clone(),
                address => d.applicant.address.clone(),
                vneid => d.vneid_verified,
            },
            form_rows => super::ser(&form_rows),
            docs => super::ser(&docs),
            results => super::ser(&results),
            timeline => timeline,
            actions => actions,
            appointment => super::ser(expected_appointment(&st, &d, p.as_deref())),
            left => dv.working_minutes_left.map(|m| working_left(&st, lang, m)),
            deadline_text => deadline_text,
            deadline_class => deadline_class,
            done => done.or(intake_done.then(|| lang.pick("Đã tiếp nhận hồ sơ tại quầy.", "The dossier is taken in at the desk."))),
            printable => printable_forms(&d),
            end_reason => d.end_reason.clone(),
            untouched => untouched,
            supplements => d.supplements.iter().map(|s| minijinja::context! {
                at => fmt_time(&s.requested_at), reason => s.reason.clone(), missing => s.missing.clone(),
                received => s.received_at.as_ref().map(fmt_time),
            }).collect::<Vec<_>>(),
            fees => d.fees.iter().map(|f| minijinja::context! { name => f.name.clone(), amount => format_vnd(f.amount_vnd) }).collect::<Vec<_>>(),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

fn parse_action(name: &str) -> Result<Action, PageError> {
    Action::parse(name).ok_or_else(PageError::not_found)
}

async fn action_page(
    st: &AppState,
    v: &Viewer,
    d: &Dossier,
    action: Action,
    form: Option<&FormData>,
    problems: &[Problem],
) -> Result<Response, PageError> {
    let lang = v.lang;
    let transition = workflow::TABLE
        .iter()
        .find(|t| t.from == d.status && t.action == action)
        .ok_or_else(|| {
            PageError::new(
                StatusCode::CONFLICT,
                "Thao tác này không áp dụng cho hồ sơ ở trạng thái hiện tại.",
                "This action does not apply to the dossier in its current status.",
            )
        })?;
    let p = st.cache.procedure(&st.store, &d.procedure_code).await?;
    let needs = |r: Requirement| transition.requires.contains(&r);
    let get = |k: &str| form.and_then(|f| f.get(k)).unwrap_or("").to_string();
    let chosen: Vec<String> = form.map(|f| f.all("missing")).unwrap_or_default();
    let reasons: Vec<Value> = reasons::reasons_for(action)
        .iter()
        .map(|r| minijinja::context! { code => r.code, label => lang.pick(r.label_vi, r.label_en), selected => get("reason_code") == r.code })
        .collect();
    let components: Vec<Value> = p
        .as_ref()
        .map(|p| {
            p.components
                .iter()
                .map(|c| minijinja::context! { code => c.code.clone(), name => c.name.clone(), checked => chosen.contains(&c.name) })
                .collect()
        })
        .unwrap_or_default();
    let fees: Vec<Value> = p
        .as_ref()
        .map(|p| {
            p.fees
                .iter()
                .map(|f| minijinja::context! { code => f.code.clone(), name => f.name.clone(), amount => format_vnd(f.amount_vnd) })
                .collect()
        })
        .unwrap_or_default();
    let shown_problems = shown(lang, problems);
    let error_for = |name: &str| {
        shown_problems
            .iter()
            .find(|p| p.field == name)
            .map(|p| p.message.clone())
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let default_appointment = d
        .appointment_at
        .map(|a| st.calendar.add_working_days(a.max(st.now()), 1))
        .unwrap_or_else(|| st.calendar.add_working_days(st.now(), 1));
    render_status(
        v,
        status,
        "action.html",
        minijinja::context! {
            d => dossier_summary(st, lang, d),
            action => action.as_str(),
            action_label => action_label(lang, action),
            danger => matches!(action, Action::Refuse | Action::Stop | Action::Withdraw),
            needs_reason => needs(Requirement::Reason) || needs(Requirement::ReasonCode),
            reason_required => needs(Requirement::ReasonCode),
            reasons => reasons,
            needs_missing => needs(Requirement::MissingPapers),
            components => components,
            needs_results => needs(Requirement::ResultDocuments),
            result_name => p.as_ref().map(|p| p.result_name.clone()).unwrap_or_default(),
            needs_appointment => needs(Requirement::NewAppointment),
            default_date => default_appointment.format("%Y-%m-%d").to_string(),
            default_time => default_appointment.format("%H:%M").to_string(),
            needs_payment => needs(Requirement::PaymentDetails),
            needs_fees => needs(Requirement::FeeLines),
            fees => fees,
            forward_to => if action == Action::Forward { Some(d.competent_unit_code.clone()) } else { None },
            values => minijinja::context! {
                reason => get("reason"), other_missing => get("other_missing"), result_name => get("result_name"),
                result_code => get("result_code"), appointment_date => get("appointment_date"), appointment_time => get("appointment_time"),
                payment_reference => get("payment_reference"), note => get("note"),
            },
            errors => minijinja::context! {
                reason_code => error_for("reason_code"), reason => error_for("reason"), missing => error_for("missing_papers"),
                results => error_for("results").or(error_for("result_file")), appointment => error_for("new_appointment"),
                payment => error_for("payment").or(error_for("payment_reference")), fees => error_for("fee_lines"),
            },
            problems => super::ser(&shown_problems),
            accept => citygov_store::files::allowed_extensions().join(", "),
        },
    )
}

pub(crate) async fn action_form(
    State(st): State<AppState>,
    v: Viewer,
    Path((code, action)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let action = parse_action(&action)?;
    let (d, _) = load_for_action(&st, &v, &code).await?;
    action_page(&st, &v, &d, action, None, &[]).await
}

pub(crate) async fn action(
    State(st): State<AppState>,
    v: Viewer,
    Path((code, action)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let action = parse_action(&action)?;
    let (d, _) = load_for_action(&st, &v, &code).await?;
    let account = require_official(&v)?.clone();
    let mut problems = Vec::new();
    let mut command = Command {
        reason: form.text("reason"),
        reason_code: form.text("reason_code"),
        note: form.text("note"),
        ..Command::default()
    };
    // Missing papers: the components ticked, plus any others written one per line.
    command.missing_papers = form.all("missing");
    if let Some(other) = form.text("other_missing") {
        command.missing_papers.extend(
            other
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
    }
    let mut result_file_ids = Vec::new();
    if action == Action::Finish {
        let name = form.text("result_name").unwrap_or_default();
        command.results.push(ResultDocument {
            name,
            result_code: form.text("result_code").unwrap_or_default(),
            file: None,
        });
        match form.file("result_file") {
            Some(f) => match save_upload(&st, &Uploader::check(&account)?, f, "result_file").await? {
                Ok(id) => result_file_ids.push(Some(id)),
                Err(p) => problems.push(p),
            },
            None => result_file_ids.push(None),
        }
    }
    if let Some(date) = form.text("appointment_date") {
        let time = form.text("appointment_time").unwrap_or_else(|| "16:30".into());
        match (
            NaiveDate::parse_from_str(&date, "%Y-%m-%d"),
            NaiveTime::parse_from_str(&time, "%H:%M"),
        ) {
            (Ok(d), Ok(t)) => command.new_appointment = Some(d.and_time(t)),
            _ => problems.push(
                Problem::new(
                    "invalid",
                    "Ngày hẹn mới không hợp lệ (ngày/tháng/năm và giờ:phút).",
                    "The new appointment is not a valid date and time.",
                )
                .at("new_appointment"),
            ),
        }
    }
    if action == Action::ConfirmPayment {
        command.payment_channel = Some(0);
        command.payment_reference = form.text("payment_reference");
    }
    if action == Action::RequestPayment
        && let Some(p) = st.cache.procedure(&st.store, &d.procedure_code).await?
    {
        let chosen = form.all("fee");
        command.fee_lines = p.fees.iter().filter(|f| chosen.contains(&f.code)).cloned().collect();
    }
    if action == Action::Forward {
        command.to_unit_code = Some(d.competent_unit_code.clone());
    }
    if !problems.is_empty() {
        return action_page(&st, &v, &d, action, Some(&form), &problems).await;
    }
    let req = ActionRequest {
        command,
        id_number: None,
        documents: vec![],
        result_file_ids,
    };
    match act_on(&st, &v.caller(), &d.code, action, req).await {
        Ok(_) => Ok(redirect(&format!(
            "/office/dossiers/{}?done={}",
            d.code,
            action.as_str()
        ))),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            action_page(&st, &v, &d, action, Some(&form), &e.problems()).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Intake at the desk
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub(crate) struct IntakeQuery {
    q: Option<String>,
    procedure: Option<String>,
}

fn intake_units(a: &Account) -> Vec<String> {
    a.roles
        .iter()
        .filter(|g| matches!(g.role, Role::IntakeOfficer | Role::UnitLeader))
        .map(|g| g.unit_id.clone())
        .collect()
}

pub(crate) async fn intake_start(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<IntakeQuery>,
) -> Result<Response, PageError> {
    let a = require_official(&v)?;
    if intake_units(a).is_empty() {
        return Err(PageError::forbidden());
    }
    match q.procedure.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => {
            let p = st
                .cache
                .procedure(&st.store, code)
                .await?
                .filter(|p| p.active)
                .ok_or_else(PageError::not_found)?;
            intake_page(&st, &v, &p, None, &[]).await
        }
        None => {
            let text = q.q.clone().unwrap_or_default();
            let (items, total) = if text.trim().is_empty() {
                (vec![], 0)
            } else {
                st.cache.index(&st.store).await?.search(&CatalogQuery {
                    q: Some(text.clone()),
                    limit: 30,
                    ..Default::default()
                })
            };
            render(
                &v,
                "intake.html",
                minijinja::context! {
                    choose => true, q => text, total => total,
                    items => items.iter().map(|i| minijinja::context! { code => i.code.clone(), name => i.name.clone(), field => i.field_name.clone() }).collect::<Vec<_>>(),
                },
            )
        }
    }
}

async fn intake_page(
    st: &AppState,
    v: &Viewer,
    p: &Procedure,
    form: Option<&FormData>,
    problems: &[Problem],
) -> Result<Response, PageError> {
    let lang = v.lang;
    let a = require_official(v)?;
    let shown_problems = shown(lang, problems);
    let error_for = |name: &str| {
        shown_problems
            .iter()
            .find(|p| p.field == name)
            .map(|p| p.message.clone())
    };
    let fields = eform::fields(&p.eform, lang);
    let data = form.map(|f| eform::data_from(f, &fields)).unwrap_or_default();
    let field_views: Vec<Value> = fields
        .iter()
        .map(|f| {
            minijinja::context! {
                ..super::ser(f),
                ..minijinja::context! { value => eform::value_text(&data, f), error => error_for(&f.name) }
            }
        })
        .collect();
    let get = |k: &str| form.and_then(|f| f.get(k)).unwrap_or("").to_string();
    let units = st.cache.current_units(&st.store).await?;
    let desks: Vec<Value> = units
        .iter()
        .filter(|u| intake_units(a).contains(&u.id))
        .map(|u| minijinja::context! { code => u.code.to_string(), name => u.name.clone(), selected => get("unit") == u.code.as_str() })
        .collect();
    let received: Vec<String> = form.map(|f| f.all("received")).unwrap_or_default();
    let components: Vec<Value> = p
        .components
        .iter()
        .map(|c| {
            minijinja::context! {
                code => c.code.clone(), name => c.name.clone(), required => c.required,
                checked => form.is_none() || received.contains(&c.code),
                error => error_for(&format!("doc.{}", c.code)),
            }
        })
        .collect();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        v,
        status,
        "intake.html",
        minijinja::context! {
            choose => false,
            p => minijinja::context! { code => p.code.clone(), name => p.name.clone(), fee => format_vnd(p.fee_total(false)) },
            fields => field_views,
            desks => desks,
            components => components,
            kinds => p.applicant_types.iter().map(|k| minijinja::context! { value => applicant_kind_key(*k), label => applicant_kind(lang, *k), selected => get("kind") == applicant_kind_key(*k) }).collect::<Vec<_>>(),
            values => minijinja::context! {
                full_name => get("full_name"), id_number => get("id_number"), phone => get("phone"),
                email => get("email"), address => get("address"), channel => get("channel"),
            },
            errors => minijinja::context! {
                full_name => error_for("applicant.full_name"), id_number => error_for("applicant.id_number"),
                phone => error_for("applicant.phone"), email => error_for("applicant.email"), kind => error_for("applicant.kind"),
                unit => error_for("receiving_unit_code"),
            },
            problems => super::ser(&shown_problems),
            accept => citygov_store::files::allowed_extensions().join(", "),
        },
    )
}

pub(crate) async fn intake(State(st): State<AppState>, v: Viewer, form: FormData) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let a = require_official(&v)?.clone();
    if intake_units(&a).is_empty() {
        return Err(PageError::forbidden());
    }
    let code = form.text("procedure").unwrap_or_default();
    let p = st
        .cache
        .procedure(&st.store, &code)
        .await?
        .filter(|p| p.active)
        .ok_or_else(PageError::not_found)?;
    let fields = eform::fields(&p.eform, v.lang);
    let data = eform::data_from(&form, &fields);
    let mut problems = Vec::new();
    let mut documents = Vec::new();
    let received = form.all("received");
    for c in &p.components {
        let scan = form.file(&format!("file.{}", c.code));
        let mut file_id = None;
        if let Some(f) = scan {
            match save_upload(&st, &Uploader::check(&a)?, f, &format!("doc.{}", c.code)).await? {
                Ok(id) => file_id = Some(id),
                Err(p) => problems.push(p),
            }
        }
        if file_id.is_some() || received.contains(&c.code) {
            documents.push(DocumentInput {
                component_code: c.code.clone(),
                file_id,
                digitisation: None,
                reused_from: None,
                from_national_store: false,
            });
        }
    }
    if !problems.is_empty() {
        return intake_page(&st, &v, &p, Some(&form), &problems).await;
    }
    let kind = form.text("kind").and_then(|k| {
        [
            ApplicantType::Citizen,
            ApplicantType::Organisation,
            ApplicantType::Foreigner,
        ]
        .into_iter()
        .find(|t| applicant_kind_key(*t) == k)
    });
    let req = FileRequest {
        procedure_code: p.code.clone(),
        receiving_unit_code: form.text("unit"),
        channel: Some(if form.get("channel") == Some("3") { 3 } else { 1 }),
        applicant: Some(ApplicantInput {
            kind,
            full_name: form.text("full_name"),
            id_number: form.text("id_number"),
            phone: form.text("phone"),
            email: form.text("email"),
            address: form.text("address"),
        }),
        form_data: data,
        documents,
        accept_now: true,
    };
    match crate::dossiers::file_dossier(&st, &a, req, None).await {
        Ok(Filed::New(d) | Filed::Replayed(d)) => Ok(redirect(&format!("/office/dossiers/{}?done=intake", d.code))),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let problems = filing_problems(&e);
            intake_page(&st, &v, &p, Some(&form), &problems).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The audit trail
// ---------------------------------------------------------------------------------------------

/// The audit trail, with the filters of `GET /api/v1/audit`: administrators and auditors.
pub(crate) async fn audit(
    State(st): State<AppState>,
    v: Viewer,
    Query(p): Query<crate::audit::AuditParams>,
) -> Result<Response, PageError> {
    let a = v.require_account()?;
    let reader = AuditReader::check(a).map_err(|_| PageError::forbidden())?;
    let filters = minijinja::context! {
        entity_type => p.entity_type.clone().unwrap_or_default(),
        entity_id => p.entity_id.clone().unwrap_or_default(),
        actor => p.actor.clone().unwrap_or_default(),
        action => p.action.clone().unwrap_or_default(),
        from => p.from.clone().unwrap_or_default(),
        to => p.to.clone().unwrap_or_default(),
        order => p.order.clone().unwrap_or_default(),
    };
    let q = match crate::audit::query_of(&st, &p).await {
        Ok(q) => q,
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            return render_status(
                &v,
                StatusCode::UNPROCESSABLE_ENTITY,
                "office_audit.html",
                minijinja::context! {
                    f => filters,
                    rows => Vec::<Value>::new(),
                    problems => super::ser(shown(v.lang, &e.problems())),
                },
            );
        }
        Err(e) => return Err(e.into()),
    };
    let page = reader.page(&st, &q).await?;
    let rows: Vec<Value> = page
        .entries
        .iter()
        .map(|e| {
            let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            let code = (e.entity_type == "dossier")
                .then(|| detail.get("code").and_then(|c| c.as_str()).map(str::to_string))
                .flatten();
            minijinja::context! {
                seq => e.seq,
                at => short_ts(&e.at),
                actor => match &e.actor_id {
                    Some(_) => e.actor_name.clone(),
                    None => format!("{} ({})", e.actor_name, v.lang.pick("không đăng nhập", "not logged in")),
                },
                action => e.action.clone(),
                entity_type => e.entity_type.clone(),
                entity_id => e.entity_id.clone(),
                code => code,
                detail => e.detail.clone(),
                hash => e.hash.clone(),
                hash_short => e.hash.chars().take(12).collect::<String>(),
            }
        })
        .collect();
    let next = page.next_after.map(|after| {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        for (k, val) in [
            ("entity_type", &p.entity_type),
            ("entity_id", &p.entity_id),
            ("actor", &p.actor),
            ("action", &p.action),
            ("from", &p.from),
            ("to", &p.to),
            ("order", &p.order),
            ("limit", &p.limit),
        ] {
            if let Some(val) = val.as_deref().filter(|s| !s.is_empty()) {
                qs.append_pair(k, val);
            }
        }
        qs.append_pair("after", &after.to_string());
        qs.finish()
    });
    render(
        &v,
        "office_audit.html",
        minijinja::context! {
            f => filters,
            rows => rows,
            next => next,
            problems => Vec::<Value>::new(),
        },
    )
}
