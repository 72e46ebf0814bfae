//! The citizen portal: find a procedure, apply for it, follow the dossier, hand in a
//! supplement, download the result and rate the handling.

use super::eform::{self, Field};
use super::{
    FormData, Lang, PageError, ShownProblem, Viewer, filing_problems, fmt_date, fmt_time, format_vnd, redirect, render,
    render_status, save_upload, shown, url_encode,
};
use crate::AppState;
use crate::access::{DossierRead, ReadBasis, Uploader};
use crate::dossiers::{ActionRequest, ApplicantInput, DocumentInput, FileRequest, act_on, can_read, eform_of, view};
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use citygov_domain::Problem;
use citygov_domain::catalog::{Level, OnlineLevel, Procedure};
use citygov_domain::codes::DossierCode;
use citygov_domain::dossier::{DeadlineState, Dossier, Status};
use citygov_domain::unit::{Unit, UnitKind};
use citygov_domain::workflow::{Action, Command};
use citygov_store::catalog::CatalogQuery;
use citygov_store::dossiers::{Filed, IdempotencyKey, QueueQuery, QueueSort};
use minijinja::Value;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub(crate) const TRACK_COOKIE: &str = "citygov_track";
const PAGE_SIZE: i64 = 20;

// ---------------------------------------------------------------------------------------------
// Labels shared by the pages
// ---------------------------------------------------------------------------------------------

pub(crate) fn online_label(lang: Lang, o: OnlineLevel) -> &'static str {
    match o {
        OnlineLevel::Full => lang.pick("Trực tuyến toàn trình", "Fully online"),
        OnlineLevel::Partial => lang.pick("Trực tuyến một phần", "Partly online"),
        OnlineLevel::None => lang.pick("Nộp trực tiếp", "In person only"),
    }
}

pub(crate) fn status_label(lang: Lang, s: Status) -> &'static str {
    lang.pick(s.name_vi(), s.name_en())
}

pub(crate) fn deadline_label(lang: Lang, d: DeadlineState) -> (&'static str, &'static str) {
    match d {
        DeadlineState::NoDeadline => (lang.pick("Chưa có hạn", "No deadline yet"), "none"),
        DeadlineState::OnTime => (lang.pick("Trong hạn", "On time"), "ok"),
        DeadlineState::DueSoon => (lang.pick("Sắp đến hạn", "Due soon"), "soon"),
        DeadlineState::Overdue => (lang.pick("Quá hạn", "Overdue"), "late"),
        DeadlineState::Paused => (lang.pick("Tạm dừng tính hạn", "Clock paused"), "paused"),
        DeadlineState::FinishedOnTime => (lang.pick("Đã xong, đúng hạn", "Finished on time"), "ok"),
        DeadlineState::FinishedLate => (lang.pick("Đã xong, trễ hạn", "Finished late"), "late"),
    }
}

/// "3 ngày 2 giờ làm việc" from working minutes.
pub(crate) fn working_left(st: &AppState, lang: Lang, minutes: i64) -> String {
    let per_day = st.calendar.hours().daily_duration().num_minutes().max(1);
    let m = minutes.abs();
    let (days, hours) = (m / per_day, (m % per_day) / 60);
    let text = match lang {
        Lang::Vi => format!("{days} ngày {hours} giờ làm việc"),
        Lang::En => format!("{days} working days {hours} h"),
    };
    if minutes < 0 {
        match lang {
            Lang::Vi => format!("Quá hạn {text}"),
            Lang::En => format!("{text} overdue"),
        }
    } else {
        text
    }
}

fn time_limit_text(lang: Lang, p: &Procedure) -> String {
    format!(
        "{} {}",
        p.time_limit.value,
        lang.pick(p.time_limit.unit.label_vi(), p.time_limit.unit.label_en())
    )
}

pub(crate) fn applicant_kind(lang: Lang, k: citygov_domain::codes::ApplicantType) -> &'static str {
    use citygov_domain::codes::ApplicantType as T;
    let en = match k {
        T::Citizen => "Vietnamese citizens",
        T::Organisation => "Organisations and businesses",
        T::Foreigner => "Foreigners",
    };
    lang.pick(k.label_vi(), en)
}

/// The form value of an applicant kind.
pub(crate) fn applicant_kind_key(k: citygov_domain::codes::ApplicantType) -> &'static str {
    use citygov_domain::codes::ApplicantType as T;
    match k {
        T::Citizen => "citizen",
        T::Organisation => "organisation",
        T::Foreigner => "foreigner",
    }
}

async fn unit_name(st: &AppState, code: &str) -> String {
    st.cache
        .unit(&st.store, code)
        .await
        .ok()
        .flatten()
        .map(|u| u.name.clone())
        .unwrap_or_else(|| code.to_string())
}

// ---------------------------------------------------------------------------------------------
// Home: search the catalog
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
pub(crate) struct HomeQuery {
    q: Option<String>,
    field: Option<String>,
    unit: Option<String>,
    online: Option<String>,
    page: Option<String>,
}

#[derive(Serialize)]
struct ProcedureRow {
    code: String,
    name: String,
    field_name: String,
    unit_name: String,
    online: &'static str,
    online_level: String,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

pub(crate) async fn home(
    State(st): State<AppState>,
    v: Viewer,
    Query(p): Query<HomeQuery>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let mut problems = Vec::new();
    let online = match p.online.as_deref().unwrap_or("") {
        "" => None,
        o => match OnlineLevel::parse(o) {
            Some(l) => Some(l),
            None => {
                problems.push(ShownProblem {
                    field: "online".into(),
                    message: lang
                        .pick("Mức trực tuyến không hợp lệ.", "The online level is not valid.")
                        .into(),
                });
                None
            }
        },
    };
    let page = super::page_number(p.page.as_deref());
    let q_text = p.q.clone().unwrap_or_default();
    let q_text = q_text.trim().chars().take(200).collect::<String>();
    let (items, total) = st.cache.index(&st.store).await?.search(&CatalogQuery {
        q: Some(q_text.clone()).filter(|s| !s.is_empty()),
        field_code: p.field.clone().filter(|s| !s.is_empty()),
        level: None,
        unit_code: p.unit.clone().filter(|s| !s.is_empty()),
        online_level: online,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    });
    let units = st.cache.current_units(&st.store).await?;
    let name_of = |code: &Option<String>| -> String {
        match code {
            Some(c) => units
                .iter()
                .find(|u| u.code.as_str() == c)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| c.clone()),
            None => lang
                .pick("UBND xã, phường, đặc khu", "Commune People's Committee")
                .to_string(),
        }
    };
    let rows: Vec<ProcedureRow> = items
        .iter()
        .map(|i| ProcedureRow {
            code: i.code.clone(),
            name: i.name.clone(),
            field_name: i.field_name.clone(),
            unit_name: name_of(&i.competent_unit_code),
            online: online_label(lang, OnlineLevel::parse(&i.online_level).unwrap_or(OnlineLevel::None)),
            online_level: i.online_level.clone(),
        })
        .collect();
    let fields = st.cache.fields(&st.store).await?;
    let field_choices: Vec<Choice> = fields
        .iter()
        .map(|f| Choice {
            value: f.code.clone(),
            label: format!("{} ({})", f.name, f.procedures),
            selected: p.field.as_deref() == Some(f.code.as_str()),
        })
        .collect();
    let unit_choices: Vec<Choice> = units
        .iter()
        .filter(|u| matches!(u.kind, UnitKind::Department | UnitKind::City))
        .map(|u| Choice {
            value: u.code.to_string(),
            label: u.name.clone(),
            selected: p.unit.as_deref() == Some(u.code.as_str()),
        })
        .collect();
    let online_choices: Vec<Choice> = [OnlineLevel::Full, OnlineLevel::Partial, OnlineLevel::None]
        .into_iter()
        .map(|o| Choice {
            value: o.as_str().into(),
            label: online_label(lang, o).into(),
            selected: online == Some(o),
        })
        .collect();
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let base_query = format!(
        "q={}&field={}&unit={}&online={}",
        url_encode(&q_text),
        url_encode(p.field.as_deref().unwrap_or("")),
        url_encode(p.unit.as_deref().unwrap_or("")),
        url_encode(p.online.as_deref().unwrap_or(""))
    );
    render(
        &v,
        "home.html",
        minijinja::context! {
            q => q_text,
            rows => super::ser(&rows),
            total => total,
            page => page,
            pages => pages,
            base_query => base_query,
            fields => super::ser(&field_choices),
            units => super::ser(&unit_choices),
            onlines => super::ser(&online_choices),
            searched => p.q.is_some() || p.field.is_some() || p.unit.is_some() || p.online.is_some(),
            problems => super::ser(&problems),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Procedure page
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct FeeRow {
    name: String,
    amount: String,
    online_amount: Option<String>,
}

#[derive(Serialize)]
struct ComponentRow {
    code: String,
    name: String,
    required: bool,
    copies: u32,
}

async fn active_procedure(st: &AppState, code: &str) -> Result<std::sync::Arc<Procedure>, PageError> {
    st.cache
        .procedure(&st.store, code)
        .await?
        .filter(|p| p.active)
        .ok_or_else(PageError::not_found)
}

pub(crate) async fn procedure(
    State(st): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let p = active_procedure(&st, &code).await?;
    let competent = match &p.competent_unit {
        Some(c) => unit_name(&st, c.as_str()).await,
        None => lang
            .pick(
                "UBND xã, phường, đặc khu nơi cư trú",
                "The People's Committee of the commune where you live",
            )
            .to_string(),
    };
    let where_to_apply = match p.level {
        Level::City => match crate::dossiers::service_centre(&st).await {
            Ok(u) => u.name.clone(),
            Err(_) => competent.clone(),
        },
        Level::Commune => lang
            .pick(
                "Bộ phận Một cửa của UBND xã, phường, đặc khu",
                "The one-stop desk of the commune People's Committee",
            )
            .to_string(),
    };
    let fees: Vec<FeeRow> = p
        .fees
        .iter()
        .map(|f| FeeRow {
            name: f.name.clone(),
            amount: format_vnd(f.amount_vnd),
            online_amount: f.online_amount_vnd.map(format_vnd),
        })
        .collect();
    let components: Vec<ComponentRow> = p
        .components
        .iter()
        .map(|c| ComponentRow {
            code: c.code.clone(),
            name: c.name.clone(),
            required: c.required,
            copies: c.copies,
        })
        .collect();
    let who: Vec<&str> = p.applicant_types.iter().map(|k| applicant_kind(lang, *k)).collect();
    render(
        &v,
        "procedure.html",
        minijinja::context! {
            p => minijinja::context! {
                code => p.code.clone(),
                name => p.name.clone(),
                description => p.description.clone(),
                field_name => p.field_name.clone(),
                level => p.level.as_str(),
                time_limit => time_limit_text(lang, &p),
                legal_basis => p.legal_basis.clone(),
                result_name => p.result_name.clone(),
                electronic_result => p.result_kind == citygov_domain::catalog::ResultKind::Electronic,
                online => online_label(lang, p.online_level),
                accepts_online => p.online_level.accepts_online(),
            },
            competent => competent,
            where_to_apply => where_to_apply,
            fees => super::ser(&fees),
            components => super::ser(&components),
            who => who,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Apply: the e-form in steps, the attachments, check your answers, file
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct FieldView {
    #[serde(flatten)]
    field: Field,
    value: String,
    error: Option<String>,
}

#[derive(Serialize)]
struct HiddenInput {
    name: String,
    value: String,
}

#[derive(Serialize)]
struct DocView {
    code: String,
    name: String,
    required: bool,
    input: String,
    file_id: Option<String>,
    file_name: Option<String>,
    error: Option<String>,
}

#[derive(Serialize)]
struct ReviewRow {
    label: String,
    value: String,
    step: usize,
}

/// The wizard's state as carried by the form itself (no draft is stored on the server).
struct Wizard {
    procedure: std::sync::Arc<Procedure>,
    fields: Vec<Field>,
    steps: Vec<Vec<usize>>,
    data: serde_json::Value,
    /// The receiving commune (commune-level procedures).
    unit: Option<String>,
    /// Uploaded file per component code.
    docs: Vec<(String, String)>,
    key: String,
}

impl Wizard {
    fn documents_step(&self) -> usize {
        self.steps.len()
    }
    fn review_step(&self) -> usize {
        self.steps.len() + 1
    }
    /// The step that shows a field (by input name), if any.
    fn step_of(&self, input: &str) -> Option<usize> {
        if input == "unit" {
            return Some(0);
        }
        if input.starts_with("doc.") {
            return Some(self.documents_step());
        }
        let idx = self.fields.iter().position(|f| f.name == input).or_else(|| {
            self.fields
                .iter()
                .position(|f| f.name.starts_with(&format!("{input}.")) || f.name.starts_with(&format!("{input}[")))
        })?;
        self.steps.iter().position(|s| s.contains(&idx))
    }
}

async fn applicant_account(v: &Viewer) -> Result<&citygov_store::accounts::Account, PageError> {
    let a = v.require_account()?;
    if !a.has_role(citygov_domain::workflow::Role::Applicant) {
        return Err(PageError::new(
            StatusCode::FORBIDDEN,
            "Tài khoản này không nộp hồ sơ trực tuyến. Cán bộ tiếp nhận dùng trang Tiếp nhận tại quầy.",
            "This account does not file online. Intake officers use the desk intake page.",
        ));
    }
    Ok(a)
}

async fn online_procedure(st: &AppState, code: &str) -> Result<std::sync::Arc<Procedure>, PageError> {
    let p = active_procedure(st, code).await?;
    if !p.online_level.accepts_online() {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Thủ tục này chưa nhận hồ sơ trực tuyến; vui lòng nộp tại Bộ phận Một cửa.",
            "This procedure does not accept online filing; please apply at a one-stop desk.",
        ));
    }
    Ok(p)
}

pub(crate) async fn apply_start(
    State(st): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let p = online_procedure(&st, &code).await?;
    applicant_account(&v).await?;
    let fields = eform::fields(&p.eform, v.lang);
    let steps = eform::steps(&fields);
    let w = Wizard {
        procedure: p,
        fields,
        steps,
        data: serde_json::json!({}),
        unit: None,
        docs: vec![],
        key: uuid::Uuid::now_v7().to_string(),
    };
    show_step(&st, &v, &w, 0, &[], StatusCode::OK).await
}

pub(crate) async fn apply_step(
    State(st): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let p = online_procedure(&st, &code).await?;
    let account = applicant_account(&v).await?.clone();
    let fields = eform::fields(&p.eform, v.lang);
    let steps = eform::steps(&fields);
    let data = eform::data_from(&form, &fields);
    let mut w = Wizard {
        procedure: p.clone(),
        fields,
        steps,
        data,
        unit: form.text("unit"),
        docs: p
            .components
            .iter()
            .filter_map(|c| form.text(&format!("doc.{}", c.code)).map(|id| (c.code.clone(), id)))
            .collect(),
        key: form
            .text("_key")
            .filter(|k| k.len() <= 64)
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
    };
    let step: usize = form
        .get("_step")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
        .min(w.review_step());
    let go = form.get("_go").unwrap_or("next").to_string();

    // Files chosen on the documents step are uploaded now, whatever button was pressed.
    let mut problems: Vec<Problem> = Vec::new();
    for c in &p.components {
        let input = format!("file.{}", c.code);
        if let Some(f) = form.file(&input) {
            match save_upload(&st, &Uploader::check(&account)?, f, &format!("doc.{}", c.code)).await? {
                Ok(id) => {
                    w.docs.retain(|(k, _)| k != &c.code);
                    w.docs.push((c.code.clone(), id));
                }
                Err(p) => problems.push(p),
            }
        }
    }
    if !problems.is_empty() {
        return show_step(
            &st,
            &v,
            &w,
            w.documents_step(),
            &problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    if let Some(n) = go.strip_prefix("edit-").and_then(|n| n.parse::<usize>().ok()) {
        return show_step(&st, &v, &w, n.min(w.review_step()), &[], StatusCode::OK).await;
    }
    if go == "back" {
        return show_step(&st, &v, &w, step.saturating_sub(1), &[], StatusCode::OK).await;
    }
    if go == "submit" {
        return submit(&st, &v, &account, &w).await;
    }
    // "next": check this step before moving on.
    let problems = check_step(&st, &w, step).await?;
    if !problems.is_empty() {
        return show_step(&st, &v, &w, step, &problems, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    show_step(&st, &v, &w, (step + 1).min(w.review_step()), &[], StatusCode::OK).await
}

/// The problems of one step: its fields' schema errors, the commune, the attachments.
async fn check_step(st: &AppState, w: &Wizard, step: usize) -> Result<Vec<Problem>, PageError> {
    let mut out = Vec::new();
    if step == 0 && w.procedure.level == Level::Commune {
        match &w.unit {
            None => out.push(Problem::required("unit", "Xã, phường nơi nộp hồ sơ", "Commune or ward")),
            Some(code) => {
                let ok = st
                    .cache
                    .unit(&st.store, code)
                    .await?
                    .is_some_and(|u| u.kind.is_commune_level() && u.valid_to.is_none());
                if !ok {
                    out.push(
                        Problem::new(
                            "invalid",
                            "Hãy chọn một xã, phường, đặc khu trong danh sách.",
                            "Choose a commune or ward from the list.",
                        )
                        .at("unit"),
                    );
                }
            }
        }
    }
    if step < w.steps.len() {
        let form = eform_of(&w.procedure)?;
        if let Err(errs) = form.validate(&w.data) {
            for e in errs {
                let input = eform::error_field(&e.field);
                if w.step_of(&input) == Some(step) {
                    out.push(Problem {
                        code: e.code,
                        field: Some(input),
                        message_vi: e.message_vi,
                        message_en: e.message_en,
                    });
                }
            }
        }
    } else if step == w.documents_step() {
        for c in w.procedure.components.iter().filter(|c| c.required) {
            if !w.docs.iter().any(|(k, _)| k == &c.code) {
                out.push(
                    Problem::new(
                        "file_required",
                        format!("Hãy đính kèm «{}».", c.name),
                        format!("Attach “{}”.", c.name),
                    )
                    .at(format!("doc.{}", c.code)),
                );
            }
        }
    }
    Ok(out)
}

async fn submit(
    st: &AppState,
    v: &Viewer,
    account: &citygov_store::accounts::Account,
    w: &Wizard,
) -> Result<Response, PageError> {
    let req = FileRequest {
        procedure_code: w.procedure.code.clone(),
        receiving_unit_code: w.unit.clone(),
        channel: None,
        applicant: None::<ApplicantInput>,
        form_data: w.data.clone(),
        documents: w
            .docs
            .iter()
            .map(|(code, id)| DocumentInput {
                component_code: code.clone(),
                file_id: Some(id.clone()),
                digitisation: None,
                reused_from: None,
                from_national_store: false,
            })
            .collect(),
        accept_now: false,
    };
    let body = serde_json::json!({
        "procedure": w.procedure.code, "unit": w.unit, "form": w.data, "docs": w.docs,
    });
    let idem = IdempotencyKey {
        principal: account.id.clone(),
        key: format!("page:{}", w.key),
        request_hash: hex::encode(Sha256::digest(body.to_string().as_bytes())),
    };
    match crate::dossiers::file_dossier(st, account, req, Some(idem)).await {
        Ok(Filed::New(d) | Filed::Replayed(d)) => Ok(redirect(&format!("/applied/{}", d.code))),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            // Show the first step with a problem, with every problem in the summary.
            let problems = filing_problems(&e);
            let step = problems
                .iter()
                .filter_map(|p| w.step_of(p.field.as_deref().unwrap_or("")))
                .min()
                .unwrap_or(w.review_step());
            show_step(st, v, w, step, &problems, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn show_step(
    st: &AppState,
    v: &Viewer,
    w: &Wizard,
    step: usize,
    problems: &[Problem],
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let shown_problems = shown(lang, problems);
    let error_for = |name: &str| {
        shown_problems
            .iter()
            .find(|p| p.field == name)
            .map(|p| p.message.clone())
    };
    let on_step: Vec<usize> = w.steps.get(step).cloned().unwrap_or_default();
    let visible: Vec<FieldView> = on_step
        .iter()
        .map(|i| {
            let f = &w.fields[*i];
            FieldView {
                field: f.clone(),
                value: eform::value_text(&w.data, f),
                error: error_for(&f.name),
            }
        })
        .collect();
    let mut hidden: Vec<HiddenInput> = w
        .fields
        .iter()
        .enumerate()
        .filter(|(i, _)| !on_step.contains(i))
        .map(|(_, f)| HiddenInput {
            name: f.name.clone(),
            value: eform::value_text(&w.data, f),
        })
        .filter(|h| !h.value.is_empty())
        .collect();
    let show_units = step == 0 && w.procedure.level == Level::Commune;
    if !show_units && let Some(u) = &w.unit {
        hidden.push(HiddenInput {
            name: "unit".into(),
            value: u.clone(),
        });
    }
    let mut docs = Vec::new();
    for c in &w.procedure.components {
        let id = w.docs.iter().find(|(k, _)| k == &c.code).map(|(_, id)| id.clone());
        let file_name = match &id {
            Some(id) => st.store.file(id).await?.map(|(f, ..)| f.file_name),
            None => None,
        };
        if step != w.documents_step()
            && let Some(id) = &id
        {
            hidden.push(HiddenInput {
                name: format!("doc.{}", c.code),
                value: id.clone(),
            });
        }
        docs.push(DocView {
            code: c.code.clone(),
            name: c.name.clone(),
            required: c.required,
            input: format!("file.{}", c.code),
            file_id: id,
            file_name,
            error: error_for(&format!("doc.{}", c.code)),
        });
    }
    let communes: Vec<Choice> = if show_units {
        st.cache
            .current_units(&st.store)
            .await?
            .iter()
            .filter(|u: &&Unit| u.kind.is_commune_level())
            .map(|u| Choice {
                value: u.code.to_string(),
                label: u.name.clone(),
                selected: w.unit.as_deref() == Some(u.code.as_str()),
            })
            .collect()
    } else {
        vec![]
    };
    let mut review: Vec<ReviewRow> = Vec::new();
    if step == w.review_step() {
        if let Some(u) = &w.unit {
            review.push(ReviewRow {
                label: lang.pick("Nơi nộp hồ sơ", "Where filed").into(),
                value: unit_name(st, u).await,
                step: 0,
            });
        }
        for (si, s) in w.steps.iter().enumerate() {
            for i in s {
                let f = &w.fields[*i];
                let mut value = eform::value_text(&w.data, f);
                if f.kind == "checkbox" {
                    value = if value.is_empty() {
                        lang.pick("Không", "No")
                    } else {
                        lang.pick("Có", "Yes")
                    }
                    .into();
                }
                review.push(ReviewRow {
                    label: f.label.clone(),
                    value,
                    step: si,
                });
            }
        }
        for d in &docs {
            review.push(ReviewRow {
                label: d.name.clone(),
                value: d
                    .file_name
                    .clone()
                    .unwrap_or_else(|| lang.pick("(không đính kèm)", "(none)").into()),
                step: w.documents_step(),
            });
        }
    }
    let kind = if step < w.steps.len() {
        "form"
    } else if step == w.documents_step() {
        "documents"
    } else {
        "review"
    };
    let group_label = on_step.first().and_then(|i| w.fields[*i].group_label.clone());
    let fee_total = format_vnd(w.procedure.fee_total(true));
    render_status(
        v,
        status,
        "apply.html",
        minijinja::context! {
            p => minijinja::context! { code => w.procedure.code.clone(), name => w.procedure.name.clone() },
            step => step,
            step_no => step + 1,
            total_steps => w.review_step() + 1,
            kind => kind,
            group_label => group_label,
            fields => super::ser(&visible),
            hidden => super::ser(&hidden),
            docs => super::ser(&docs),
            communes => super::ser(&communes),
            show_units => show_units,
            unit_error => error_for("unit"),
            review => super::ser(&review),
            problems => super::ser(&shown_problems),
            key => w.key.clone(),
            fee_total => fee_total,
            time_limit => time_limit_text(lang, &w.procedure),
            accept => citygov_store::files::allowed_extensions().join(", "),
            accept_attr => accept_attr(),
            max_mb => st.config.upload.max_bytes / (1024 * 1024),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Confirmation
// ---------------------------------------------------------------------------------------------

/// A dossier's appointment date, or the expected one if it has not been accepted yet.
pub(crate) fn expected_appointment(st: &AppState, d: &Dossier, p: Option<&Procedure>) -> Option<LocalTimeText> {
    if let Some(a) = d.appointment_at {
        return Some(LocalTimeText {
            text: fmt_time(&a),
            expected: false,
        });
    }
    if d.status.is_final() {
        return None;
    }
    let p = p?;
    let at = st
        .calendar
        .deadline(st.now().max(d.submitted_at), p.time_limit.value, p.time_limit.unit);
    Some(LocalTimeText {
        text: fmt_date(&at),
        expected: true,
    })
}

#[derive(Serialize)]
pub(crate) struct LocalTimeText {
    text: String,
    expected: bool,
}

pub(crate) async fn applied(
    State(st): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let a = v.require_account()?;
    let d = st
        .store
        .dossier_by_code(&code)
        .await?
        .filter(|d| can_read(a, d))
        .ok_or_else(PageError::not_found)?;
    let p = st.cache.procedure(&st.store, &d.procedure_code).await?;
    render(
        &v,
        "applied.html",
        minijinja::context! {
            d => dossier_summary(&st, v.lang, &d),
            appointment => super::ser(expected_appointment(&st, &d, p.as_deref())),
        },
    )
}

pub(crate) fn dossier_summary(st: &AppState, lang: Lang, d: &Dossier) -> Value {
    minijinja::context! {
        code => d.code.clone(),
        procedure_code => d.procedure_code.clone(),
        procedure_name => d.procedure_name.clone(),
        submitted_at => fmt_time(&d.submitted_at),
        accepted_at => d.accepted_at.as_ref().map(fmt_time),
        receiving_unit => d.receiving_unit_name.clone(),
        applicant_name => d.applicant.full_name.clone(),
        status => d.status.code(),
        status_label => status_label(lang, d.status),
        channel_online => d.channel == citygov_domain::dossier::Channel::Online,
        fee_total => format_vnd(d.payment.amount_vnd),
        paid => d.payment.paid_at.is_some(),
        email => d.applicant.email.clone(),
        now => fmt_time(&st.now()),
    }
}

// ---------------------------------------------------------------------------------------------
// Tracking
// ---------------------------------------------------------------------------------------------

/// Proof that this browser gave the dossier's code and the applicant's identity number: a
/// hash of the dossier's internal id and that number, kept in an HttpOnly cookie so the
/// number never travels in a URL.
fn track_token(d: &Dossier) -> String {
    let mut h = Sha256::new();
    h.update(d.id.as_bytes());
    h.update(b"|");
    h.update(d.applicant.id_number.to_ascii_uppercase().as_bytes());
    hex::encode(h.finalize())
}

pub(crate) fn has_track_proof(v: &Viewer, d: &Dossier) -> bool {
    v.cookie(TRACK_COOKIE)
        .and_then(|c| c.rsplit_once('.'))
        .is_some_and(|(code, token)| code == d.code && token == track_token(d))
}

pub(crate) async fn track_form(v: Viewer) -> Result<Response, PageError> {
    render(
        &v,
        "track_form.html",
        minijinja::context! { code => "", problems => Vec::<String>::new() },
    )
}

pub(crate) async fn track_lookup(State(st): State<AppState>, v: Viewer, form: FormData) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let code = form.text("code").unwrap_or_default().to_uppercase();
    let id_number = form.text("id_number").unwrap_or_default();
    let mut problems = Vec::new();
    if code.is_empty() {
        problems.push(Problem::required("code", "Mã hồ sơ", "Dossier code"));
    } else if let Err(p) = DossierCode::parse(&code) {
        problems.push(Problem {
            field: Some("code".into()),
            ..p
        });
    }
    if id_number.is_empty() {
        problems.push(Problem::required(
            "id_number",
            "Số CCCD / mã số thuế",
            "ID or tax number",
        ));
    }
    let found = if problems.is_empty() {
        st.store
            .dossier_by_code(&code)
            .await?
            .filter(|d| d.applicant.id_number.eq_ignore_ascii_case(&id_number))
    } else {
        None
    };
    let Some(d) = found else {
        if problems.is_empty() {
            problems.push(
                Problem::new(
                    "dossier_not_found",
                    "Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập. Hãy kiểm tra lại.",
                    "No dossier matches this code and identity number. Please check them.",
                )
                .at("code"),
            );
        }
        return render_status(
            &v,
            StatusCode::UNPROCESSABLE_ENTITY,
            "track_form.html",
            minijinja::context! { code => code, problems => super::ser(shown(v.lang, &problems)) },
        );
    };
    let mut resp = redirect(&format!("/track/{}", d.code));
    let cookie = format!(
        "{TRACK_COOKIE}={}.{}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600",
        d.code,
        track_token(&d)
    );
    if let Ok(h) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(SET_COOKIE, h);
    }
    Ok(resp)
}

/// The refusal of a browser that may not follow a dossier: log in, or "not found".
fn not_followed(v: &Viewer) -> PageError {
    if v.account.is_none() {
        PageError::login("/track")
    } else {
        PageError::not_found()
    }
}

/// The dossier if this browser may follow it — its applicant, an official of its units, an
/// administrator, an auditor, or a browser that proved the identity number — with the read
/// recorded ([`DossierRead`]).
async fn followed(st: &AppState, v: &Viewer, code: &str) -> Result<DossierRead, PageError> {
    let d = st.store.dossier_by_code(code).await?.ok_or_else(PageError::not_found)?;
    let proof = has_track_proof(v, &d);
    DossierRead::check(st, v.account.as_ref(), d, proof)
        .await?
        .ok_or_else(|| not_followed(v))
}

/// The dossier if this browser may act on it as its applicant (its own account, or the proof
/// of the identity number), for the applicant's actions: not a read, nothing recorded here.
async fn as_applicant(st: &AppState, v: &Viewer, code: &str) -> Result<Dossier, PageError> {
    let d = st.store.dossier_by_code(code).await?.ok_or_else(PageError::not_found)?;
    let proof = has_track_proof(v, &d);
    match ReadBasis::of(v.account.as_ref(), &d, proof) {
        Some(ReadBasis::Applicant | ReadBasis::HolderOfCode) => Ok(d),
        Some(_) => Err(PageError::forbidden()),
        None => Err(not_followed(v)),
    }
}

#[derive(Serialize)]
struct TimelineRow {
    at: String,
    status: String,
    content: String,
    actor: String,
    current: bool,
}

#[derive(Serialize)]
struct FileLink {
    name: String,
    href: String,
    size_kb: i64,
}

pub(crate) async fn track(
    State(st): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let read = followed(&st, &v, &code).await?;
    let as_applicant = read.as_applicant();
    let history = read.history(&st).await?;
    let d = read.into_dossier();
    let n = history.len();
    let timeline: Vec<TimelineRow> = history
        .iter()
        .enumerate()
        .map(|(i, h)| TimelineRow {
            at: fmt_time(&h.entry.at),
            status: status_label(lang, h.entry.to_status).to_string(),
            content: h.entry.content.clone(),
            actor: if h.entry.actor_title.is_empty() {
                h.entry.actor_name.clone()
            } else {
                format!("{} ({})", h.entry.actor_name, h.entry.actor_title)
            },
            current: i + 1 == n,
        })
        .collect();
    let p = st.cache.procedure(&st.store, &d.procedure_code).await?;
    let roles = if as_applicant {
        vec![citygov_domain::workflow::Role::Applicant]
    } else {
        vec![]
    };
    let dv = view(&st, d.clone(), &roles);
    let (deadline_text, deadline_class) = deadline_label(lang, dv.deadline_state);
    let holder = match d.status {
        Status::Submitted | Status::Accepted => d.receiving_unit_name.clone(),
        Status::Processing | Status::AwaitingPayment => unit_name(&st, &d.competent_unit_code).await,
        Status::SupplementRequested => lang
            .pick("Người nộp hồ sơ (chờ bổ sung)", "The applicant (supplement awaited)")
            .into(),
        Status::Processed => d.receiving_unit_name.clone(),
        _ => lang.pick("Đã kết thúc", "Closed").into(),
    };
    let open_supplement = d
        .supplements
        .last()
        .filter(|s| s.received_at.is_none() && d.status == Status::SupplementRequested);
    let can_supplement = as_applicant && open_supplement.is_some();
    let supplement_components: Vec<ComponentRow> = match (&p, can_supplement) {
        (Some(p), true) => p
            .components
            .iter()
            .map(|c| ComponentRow {
                code: c.code.clone(),
                name: c.name.clone(),
                required: c.required,
                copies: c.copies,
            })
            .collect(),
        _ => vec![],
    };
    let results: Vec<FileLink> = d
        .results
        .iter()
        .filter_map(|r| {
            r.file.as_ref().map(|f| FileLink {
                name: format!("{} — {}", r.name, f.file_name),
                href: format!("/dossiers/{}/files/{}", d.code, f.id),
                size_kb: (f.size + 1023) / 1024,
            })
        })
        .collect();
    let ended = citygov_domain::rating::can_rate(d.status);
    let rating = if ended { st.store.rating(&d.id).await? } else { None };
    let needs_login_to_supplement = can_supplement && v.account.is_none() && d.applicant_account_id.is_some();
    render(
        &v,
        "track.html",
        minijinja::context! {
            d => dossier_summary(&st, lang, &d),
            timeline => super::ser(&timeline),
            appointment => super::ser(expected_appointment(&st, &d, p.as_deref())),
            promised_at => d.promised_at.as_ref().map(fmt_time),
            left => dv.working_minutes_left.map(|m| working_left(&st, lang, m)),
            deadline_text => deadline_text,
            deadline_class => deadline_class,
            holder => holder,
            supplement => open_supplement.map(|s| minijinja::context! {
                reason => s.reason.clone(),
                missing => s.missing.clone(),
                requested_at => fmt_time(&s.requested_at),
            }),
            can_supplement => can_supplement && !needs_login_to_supplement,
            needs_login_to_supplement => needs_login_to_supplement,
            components => super::ser(&supplement_components),
            results => super::ser(&results),
            end_reason => d.end_reason.clone(),
            can_rate => ended && as_applicant && !v.is_official(),
            rating => rating.map(|r| minijinja::context! {
                like => r.verdict == citygov_domain::rating::Verdict::Like,
                comment => r.comment.clone(),
                at => fmt_time(&r.rated_at),
            }),
            apologies => d.apologies.iter().map(|a| minijinja::context! {
                at => fmt_time(&a.issued_at), reason => a.reason.clone(), new_appointment => fmt_time(&a.new_appointment)
            }).collect::<Vec<_>>(),
            printable => printable_forms(&d),
            accept => citygov_store::files::allowed_extensions().join(", "),
            accept_attr => accept_attr(),
        },
    )
}

/// The `accept` attribute of file inputs: `.pdf,.jpg,…`.
pub(crate) fn accept_attr() -> String {
    citygov_store::files::allowed_extensions()
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The printable documents that exist for a dossier (Mẫu 01–04).
pub(crate) fn printable_forms(d: &Dossier) -> Vec<&'static str> {
    let mut out = Vec::new();
    if d.accepted_at.is_some() || d.status == Status::Submitted {
        out.push("mau-01");
    }
    if !d.supplements.is_empty() {
        out.push("mau-02");
    }
    if d.status == Status::IntakeRefused {
        out.push("mau-03");
    }
    if !d.apologies.is_empty() {
        out.push("mau-04");
    }
    out
}

/// The applicant hands in the missing papers.
pub(crate) async fn supplement(
    State(st): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let account = v.require_account()?.clone();
    let d = as_applicant(&st, &v, &code).await?;
    let p = st
        .cache
        .procedure(&st.store, &d.procedure_code)
        .await?
        .ok_or_else(PageError::not_found)?;
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    for c in &p.components {
        if let Some(f) = form.file(&format!("file.{}", c.code)) {
            match save_upload(&st, &Uploader::check(&account)?, f, "file").await? {
                Ok(id) => documents.push(DocumentInput {
                    component_code: c.code.clone(),
                    file_id: Some(id),
                    digitisation: None,
                    reused_from: None,
                    from_national_store: false,
                }),
                Err(p) => problems.push(format!("{}: {}", c.name, v.lang.pick(&p.message_vi, &p.message_en))),
            }
        }
    }
    if problems.is_empty() && documents.is_empty() {
        problems.push(
            v.lang
                .pick(
                    "Hãy chọn ít nhất một tệp để nộp bổ sung.",
                    "Choose at least one file to hand in.",
                )
                .to_string(),
        );
    }
    if !problems.is_empty() {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            problems.join(" "),
            problems.join(" "),
        ))
        .or_else(|e| flash_back(&v, &d.code, e));
    }
    let req = ActionRequest {
        command: Command {
            note: form.text("note"),
            ..Command::default()
        },
        id_number: None,
        documents,
        result_file_ids: vec![],
    };
    match act_on(&st, &v.caller(), &d.code, Action::SubmitSupplement, req).await {
        Ok(_) => Ok(redirect(&format!("/track/{}?done=supplement", d.code))),
        Err(e) => flash_back(&v, &d.code, e.into()),
    }
}

/// Show the tracking page's error as a page with a way back.
fn flash_back(v: &Viewer, code: &str, e: PageError) -> Result<Response, PageError> {
    match e {
        PageError::Message { status, vi, en } => render_status(
            v,
            status,
            "error.html",
            minijinja::context! {
                status => status.as_u16(),
                message => v.lang.pick(&vi, &en),
                back => format!("/track/{code}"),
            },
        ),
        other => Err(other),
    }
}

/// The applicant rates the handling of an ended dossier.
pub(crate) async fn rate(
    State(st): State<AppState>,
    v: Viewer,
    Path(code): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let d = as_applicant(&st, &v, &code).await?;
    let req = crate::ratings::RatingRequest {
        verdict: form.text("verdict").unwrap_or_default(),
        comment: form.text("comment"),
        id_number: Some(d.applicant.id_number.clone()),
    };
    match crate::ratings::rate(&st, &v.caller(), &d.code, req).await {
        Ok(_) => Ok(redirect(&format!("/track/{}?done=rating", d.code))),
        Err(e) => flash_back(&v, &d.code, e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// My dossiers, notifications, downloads
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    page: Option<String>,
}

pub(crate) async fn my_dossiers(
    State(st): State<AppState>,
    v: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let a = v.require_account()?;
    let page = super::page_number(q.page.as_deref());
    let (items, total) = st
        .store
        .queue(&QueueQuery {
            applicant_account_id: Some(a.id.clone()),
            sort: QueueSort::Submitted,
            descending: true,
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
            ..Default::default()
        })
        .await?;
    let mut rows = Vec::new();
    for i in &items {
        let name = st
            .cache
            .procedure(&st.store, &i.procedure_code)
            .await?
            .map(|p| p.name.clone())
            .unwrap_or_default();
        rows.push(minijinja::context! {
            code => i.code.clone(),
            procedure => name,
            submitted_at => super::office::short_ts(&i.submitted_at),
            appointment_at => i.appointment_at.as_deref().map(super::office::short_ts),
            status => Status::from_code(i.status).map(|s| status_label(v.lang, s)).unwrap_or(""),
        });
    }
    render(
        &v,
        "my.html",
        minijinja::context! { rows => rows, total => total, page => page, pages => (total + PAGE_SIZE - 1) / PAGE_SIZE },
    )
}

pub(crate) async fn notifications(State(st): State<AppState>, v: Viewer) -> Result<Response, PageError> {
    let a = v.require_account()?;
    let list = st.store.notifications_for(&a.id, 100).await?;
    let rows: Vec<Value> = list
        .iter()
        .map(|n| {
            minijinja::context! {
                at => super::office::short_ts(&n.created_at),
                subject => v.lang.pick(&n.subject_vi, &n.subject_en).to_string(),
                body => v.lang.pick(&n.body_vi, &n.body_en).to_string(),
                read => n.read_at.is_some(),
            }
        })
        .collect();
    let unread = list.iter().any(|n| n.read_at.is_none());
    render(
        &v,
        "notifications.html",
        minijinja::context! { rows => rows, unread => unread },
    )
}

/// Mark every notification of the signed-in account read.
pub(crate) async fn notifications_read(
    State(st): State<AppState>,
    v: Viewer,
    form: FormData,
) -> Result<Response, PageError> {
    v.check_csrf(&form)?;
    let a = v.require_account()?;
    st.store.mark_all_notifications_read(&a.id, st.now()).await?;
    Ok(redirect("/notifications"))
}

/// Download a file of a dossier: its applicant (signed in or with the tracking proof), or an
/// official of its units.
pub(crate) async fn download(
    State(st): State<AppState>,
    v: Viewer,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let read = followed(&st, &v, &code).await?;
    let d = read.dossier();
    let (f, _owner, dossier_id, key) = st.store.file(&id).await?.ok_or_else(PageError::not_found)?;
    if dossier_id.as_deref() != Some(d.id.as_str()) {
        return Err(PageError::not_found());
    }
    let bytes = st.store.file_bytes(st.files.as_ref(), &key).await?;
    Ok(crate::files::attachment(&f, bytes))
}
