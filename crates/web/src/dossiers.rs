//! Dossier endpoints: filing (idempotent), lookup, history, the actions of the transition
//! table, and the queues of officials and applicants.

use crate::AppState;
use crate::access::{DossierRead, ReadBasis};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, parse_json};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use citygov_domain::Problem;
use citygov_domain::catalog::{Level, Procedure};
use citygov_domain::codes::{AgencyCode, ApplicantType, DossierCode};
use citygov_domain::dossier::{
    Applicant, Channel, DeadlineState, Digitisation, Dossier, HistoryEntry, Payment, Routing, Status, SubmittedDocument,
};
use citygov_domain::eform::EForm;
use citygov_domain::unit::Unit;
use citygov_domain::workflow::{self, Action, Actor, Command, Role};
use citygov_store::AuditRecord;
use citygov_store::accounts::Account;
use citygov_store::dossiers::{Change, DeadlineFilter, Filed, Filing, IdempotencyKey, QueueQuery, QueueSort};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use utoipa::{IntoParams, ToSchema};

/// Compiled e-forms by procedure code (schemas are compiled once per version).
#[derive(Default)]
pub struct EFormCache(RwLock<HashMap<String, (serde_json::Value, Arc<EForm>)>>);

impl EFormCache {
    fn get(&self, p: &Procedure) -> Result<Arc<EForm>, ApiError> {
        if let Some((schema, f)) = self.0.read().expect("lock").get(&p.code)
            && *schema == p.eform
        {
            return Ok(f.clone());
        }
        let f = Arc::new(EForm::compile(&p.eform).map_err(|e| {
            ApiError::unprocessable(vec![
                Problem::new("invalid_eform", e.message_vi.clone(), e.message_en.clone()).at("procedure_code"),
            ])
        })?);
        self.0
            .write()
            .expect("lock")
            .insert(p.code.clone(), (p.eform.clone(), f.clone()));
        Ok(f)
    }
}

static EFORMS: std::sync::LazyLock<EFormCache> = std::sync::LazyLock::new(EFormCache::default);

/// The compiled e-form of a procedure.
pub(crate) fn eform_of(p: &Procedure) -> ApiResult<Arc<EForm>> {
    EFORMS.get(p)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicantInput {
    #[schema(value_type = String, example = "citizen")]
    pub kind: Option<ApplicantType>,
    pub full_name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DocumentInput {
    pub component_code: String,
    /// Id of an uploaded file (`POST /api/v1/files`).
    pub file_id: Option<String>,
    /// `digitised` (default with a file), `not_digitised` (paper at the desk),
    /// `reused_document` or `reused_result` (with `reused_from`).
    pub digitisation: Option<String>,
    pub reused_from: Option<String>,
    #[serde(default)]
    pub from_national_store: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FileRequest {
    pub procedure_code: String,
    /// Where the dossier is filed: a commune for commune-level procedures; defaults to the
    /// service centre for city-level ones.
    pub receiving_unit_code: Option<String>,
    /// 1 in person, 3 by post (officials at a desk); online filings are always 2.
    pub channel: Option<u8>,
    pub applicant: Option<ApplicantInput>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub form_data: serde_json::Value,
    #[serde(default)]
    pub documents: Vec<DocumentInput>,
    /// Desk intake: accept the dossier at once (receipt and appointment immediately).
    #[serde(default)]
    pub accept_now: bool,
}

/// A dossier with what is derived from it for the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct DossierView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub dossier: Dossier,
    pub status_name_vi: &'static str,
    pub status_name_en: &'static str,
    #[schema(value_type = String)]
    pub deadline_state: DeadlineState,
    /// Working minutes left until the appointment (negative when late).
    pub working_minutes_left: Option<i64>,
    /// Actions the caller may take now.
    pub actions: Vec<&'static str>,
}

/// Whether `a` may read `d` (see [`crate::access::ReadBasis::of`]): for lists and files; a
/// view of one dossier goes through [`crate::access::DossierRead`], which records it.
pub(crate) fn can_read(a: &Account, d: &Dossier) -> bool {
    crate::access::ReadBasis::of(Some(a), d, false).is_some()
}

pub(crate) fn roles_for(caller: &Caller, d: &Dossier, applicant_proof: bool) -> Vec<Role> {
    let mut roles = Vec::new();
    if let Some(a) = &caller.0 {
        roles = a.roles_in(&[d.receiving_unit_id.as_str(), d.competent_unit_id.as_str()]);
        roles.retain(|r| *r != Role::Applicant);
        if d.applicant_account_id.as_deref() == Some(a.id.as_str()) {
            roles.push(Role::Applicant);
        }
    }
    if applicant_proof && !roles.contains(&Role::Applicant) {
        roles.push(Role::Applicant);
    }
    roles
}

pub(crate) fn view(st: &AppState, d: Dossier, roles: &[Role]) -> DossierView {
    let now = st.now();
    // Due soon: the appointment falls within the configured working hours from now.
    let horizon = st.due_soon_until(now);
    let soon = d.appointment_at.filter(|a| *a <= horizon).map(|_| now);
    let left = match (d.appointment_at, d.status.is_final()) {
        (Some(a), false) => {
            let t = d.paused_at.unwrap_or(now);
            Some(if a >= t {
                st.calendar.working_minutes_between(t, a)
            } else {
                -st.calendar.working_minutes_between(a, t)
            })
        }
        _ => None,
    };
    let actions = workflow::available(d.status, roles)
        .into_iter()
        .map(|t| t.action.as_str())
        .collect();
    DossierView {
        status_name_vi: d.status.name_vi(),
        status_name_en: d.status.name_en(),
        deadline_state: d.deadline_state(now, soon),
        working_minutes_left: left,
        actions,
        dossier: d,
    }
}

pub(crate) async fn unit_by_code(st: &AppState, code: &str, field: &str) -> ApiResult<Unit> {
    st.cache
        .unit(&st.store, code)
        .await?
        .map(|u| (*u).clone())
        .ok_or_else(|| {
            ApiError::unprocessable(vec![
                Problem::new(
                    "unknown_unit",
                    format!("Không có đơn vị mã «{code}»."),
                    format!("There is no unit with code “{code}”."),
                )
                .at(field),
            ])
        })
}

pub(crate) async fn service_centre(st: &AppState) -> ApiResult<Unit> {
    st.cache
        .service_centre(&st.store)
        .await?
        .map(|u| (*u).clone())
        .ok_or_else(|| {
            ApiError::unprocessable(vec![Problem::required(
                "receiving_unit_code",
                "Nơi tiếp nhận",
                "Receiving unit",
            )])
        })
}

fn problems_of_form(errs: Vec<citygov_domain::eform::FieldError>) -> Vec<Problem> {
    errs.into_iter()
        .map(|e| Problem {
            code: e.code,
            field: Some(format!("form_data.{}", e.field)),
            message_vi: e.message_vi,
            message_en: e.message_en,
        })
        .collect()
}

/// File a dossier. Citizens file online (channel 2); intake officers file at their desk
/// (channel 1 or 3). Send an `Idempotency-Key` header: a retried request never files twice.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers", request_body = FileRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Unique key per dossier; a retry with the same key returns the same dossier")),
    responses((status = 201, body = DossierView), (status = 200, body = DossierView, description = "Replayed: filed before under this key"),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn file(State(st): State<AppState>, caller: Caller, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let account = caller.require()?.clone();
    let req: FileRequest = parse_json(&body)?;
    let idem = match headers.get("idempotency-key") {
        Some(v) => {
            let k = v
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 128)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        Problem::new(
                            "invalid_idempotency_key",
                            "Idempotency-Key phải là chuỗi 1–128 ký tự.",
                            "Idempotency-Key must be 1–128 characters.",
                        )
                        .at("Idempotency-Key"),
                    )
                })?;
            Some(IdempotencyKey {
                principal: account.id.clone(),
                key: k.to_string(),
                request_hash: hex::encode(Sha256::digest(&body)),
            })
        }
        None => None,
    };
    match file_dossier(&st, &account, req, idem).await? {
        Filed::New(d) => {
            let roles = roles_for(&caller, &d, false);
            let location = HeaderValue::from_str(&format!("/api/v1/dossiers/{}", d.code))
                .unwrap_or(HeaderValue::from_static("/api/v1/dossiers"));
            let mut resp = (StatusCode::CREATED, Json(view(&st, d, &roles))).into_response();
            resp.headers_mut().insert("location", location);
            Ok(resp)
        }
        Filed::Replayed(d) => Ok(replayed(&st, &caller, d)),
    }
}

/// File a dossier for `account` (online for applicants, at the desk for intake officers):
/// every check of the request, then one write.
pub(crate) async fn file_dossier(
    st: &AppState,
    account: &Account,
    req: FileRequest,
    idem: Option<IdempotencyKey>,
) -> ApiResult<Filed> {
    let now = st.now();
    let Some(procedure) = st
        .cache
        .procedure(&st.store, &req.procedure_code)
        .await?
        .filter(|p| p.active)
    else {
        return Err(ApiError::unprocessable(vec![
            Problem::new(
                "unknown_procedure",
                format!("Không có thủ tục mã «{}» trong danh mục.", req.procedure_code),
                format!("There is no procedure “{}” in the catalog.", req.procedure_code),
            )
            .at("procedure_code"),
        ]));
    };
    let mut problems: Vec<Problem> = Vec::new();

    // Who files, and how.
    let official_intake_units: Vec<String> = account
        .roles
        .iter()
        .filter(|g| matches!(g.role, Role::IntakeOfficer | Role::UnitLeader))
        .map(|g| g.unit_id.clone())
        .collect();
    let is_desk = !official_intake_units.is_empty() && account.kind == "official";
    let channel = if is_desk {
        match req.channel.unwrap_or(1) {
            1 => Channel::InPerson,
            3 => Channel::Postal,
            _ => {
                return Err(ApiError::unprocessable(vec![
                    Problem::new(
                        "invalid",
                        "Tại quầy chỉ nhận kênh 1 (trực tiếp) hoặc 3 (bưu chính).",
                        "At a desk the channel is 1 (in person) or 3 (post).",
                    )
                    .at("channel"),
                ]));
            }
        }
    } else {
        if !account.has_role(Role::Applicant) {
            return Err(ApiError::forbidden(Problem::new(
                "forbidden",
                "Tài khoản này không được nộp hồ sơ.",
                "This account may not file dossiers.",
            )));
        }
        if !procedure.online_level.accepts_online() {
            return Err(ApiError::unprocessable(vec![
                Problem::new(
                    "not_online",
                    "Thủ tục này chưa nhận hồ sơ trực tuyến; vui lòng nộp tại Bộ phận Một cửa.",
                    "This procedure does not accept online filing; please apply at a one-stop desk.",
                )
                .at("procedure_code"),
            ]));
        }
        if req.accept_now {
            problems.push(
                Problem::new(
                    "invalid",
                    "Chỉ cán bộ tiếp nhận mới được tiếp nhận ngay.",
                    "Only intake officers can accept at once.",
                )
                .at("accept_now"),
            );
        }
        Channel::Online
    };

    // Routing by competence.
    let receiving = match (&req.receiving_unit_code, procedure.level) {
        (Some(code), _) => unit_by_code(st, code, "receiving_unit_code").await?,
        (None, Level::City) => service_centre(st).await?,
        (None, Level::Commune) => {
            return Err(ApiError::unprocessable(vec![Problem::required(
                "receiving_unit_code",
                "Xã, phường nơi nộp hồ sơ",
                "Commune or ward where the dossier is filed",
            )]));
        }
    };
    if receiving.valid_to.is_some() {
        problems.push(
            Problem::new(
                "unit_closed",
                "Đơn vị này đã ngừng hoạt động.",
                "This unit no longer exists.",
            )
            .at("receiving_unit_code"),
        );
    }
    if is_desk && !official_intake_units.contains(&receiving.id) {
        return Err(ApiError::forbidden(Problem::new(
            "forbidden_unit",
            "Bạn chỉ được tiếp nhận hồ sơ tại đơn vị của mình.",
            "You may only take in dossiers at your own unit.",
        )));
    }
    let competent = match procedure.level {
        Level::Commune => {
            if !receiving.kind.is_commune_level() {
                problems.push(
                    Problem::new(
                        "wrong_unit",
                        "Thủ tục cấp xã phải nộp tại xã, phường hoặc đặc khu.",
                        "A commune-level procedure is filed at a commune, ward or special zone.",
                    )
                    .at("receiving_unit_code"),
                );
            }
            receiving.clone()
        }
        Level::City => {
            let code = procedure
                .competent_unit
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default();
            unit_by_code(st, &code, "procedure_code").await?
        }
    };

    // The applicant: a citizen files for themself unless told otherwise.
    let input = req.applicant.unwrap_or(ApplicantInput {
        kind: None,
        full_name: None,
        id_number: None,
        phone: None,
        email: None,
        address: None,
    });
    let kind = input.kind.unwrap_or(ApplicantType::Citizen);
    let from_account = !is_desk;
    let applicant = Applicant {
        kind,
        full_name: input
            .full_name
            .or_else(|| from_account.then(|| account.full_name.clone()))
            .unwrap_or_default(),
        id_number: input
            .id_number
            .or_else(|| {
                if from_account && kind == ApplicantType::Citizen {
                    account.id_number.clone()
                } else {
                    None
                }
            })
            .unwrap_or_default(),
        phone: input
            .phone
            .or_else(|| if from_account { account.phone.clone() } else { None }),
        email: input
            .email
            .or_else(|| if from_account { account.email.clone() } else { None }),
        address: input.address,
    };
    let applicant = match applicant.validated() {
        Ok(a) => Some(a),
        Err(ps) => {
            problems.extend(ps);
            None
        }
    };
    if !procedure.applicant_types.contains(&kind) {
        problems.push(
            Problem::new(
                "applicant_type_not_allowed",
                format!("Thủ tục này không áp dụng cho đối tượng «{}».", kind.label_vi()),
                "This procedure is not for this kind of applicant.",
            )
            .at("applicant.kind"),
        );
    }

    // The e-form.
    let form = EFORMS.get(&procedure)?;
    if let Err(errs) = form.validate(&req.form_data) {
        problems.extend(problems_of_form(errs));
    }

    // Documents per component.
    let mut documents = Vec::new();
    let mut file_ids = Vec::new();
    for (i, doc) in req.documents.iter().enumerate() {
        let field = format!("documents[{i}]");
        if !procedure.components.iter().any(|c| c.code == doc.component_code) {
            problems.push(
                Problem::new(
                    "unknown_component",
                    format!("Thủ tục không có thành phần hồ sơ mã «{}».", doc.component_code),
                    format!("The procedure has no document component “{}”.", doc.component_code),
                )
                .at(format!("{field}.component_code")),
            );
            continue;
        }
        let mut file = None;
        if let Some(fid) = &doc.file_id {
            match st.store.file(fid).await? {
                Some((f, owner, None, _)) if owner == account.id => {
                    file_ids.push(fid.clone());
                    file = Some(f);
                }
                _ => problems.push(
                    Problem::new(
                        "file_not_available",
                        "Tệp không tồn tại, không phải của bạn hoặc đã gắn vào hồ sơ khác.",
                        "The file does not exist, is not yours, or is already attached to another dossier.",
                    )
                    .at(format!("{field}.file_id")),
                ),
            }
        }
        let digitisation = match (doc.digitisation.as_deref(), &doc.reused_from) {
            (None, _) if file.is_some() => Digitisation::Digitised,
            (Some("digitised"), _) => Digitisation::Digitised,
            (None | Some("not_digitised"), _) => Digitisation::NotDigitised,
            (Some("reused_document"), Some(from)) => Digitisation::ReusedDocument {
                from_dossier: from.clone(),
            },
            (Some("reused_result"), Some(from)) => Digitisation::ReusedResult {
                from_dossier: from.clone(),
            },
            _ => {
                problems.push(Problem::new("invalid", "Cách số hóa phải là digitised, not_digitised, reused_document hoặc reused_result (kèm reused_from).", "digitisation must be digitised, not_digitised, reused_document or reused_result (with reused_from).").at(format!("{field}.digitisation")));
                continue;
            }
        };
        if channel == Channel::Online && file.is_none() && !digitisation.is_reused() {
            problems.push(
                Problem::new(
                    "file_required",
                    "Hồ sơ trực tuyến phải đính kèm tệp cho thành phần này.",
                    "An online dossier needs a file for this component.",
                )
                .at(format!("{field}.file_id")),
            );
        }
        documents.push(SubmittedDocument {
            component_code: doc.component_code.clone(),
            file,
            digitisation,
            from_national_store: doc.from_national_store,
        });
    }
    for c in procedure.components.iter().filter(|c| c.required) {
        if !req.documents.iter().any(|d| d.component_code == c.code) {
            problems.push(
                Problem::new(
                    "document_required",
                    format!("Thiếu thành phần hồ sơ bắt buộc: «{}».", c.name),
                    format!("A required document is missing: “{}”.", c.name),
                )
                .at(format!("documents.{}", c.code)),
            );
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::unprocessable(problems));
    }
    let applicant = applicant.expect("validated");
    let online = channel == Channel::Online;
    let mut d = Dossier {
        applicant_account_id: (!is_desk).then(|| account.id.clone()),
        vneid_verified: !is_desk && account.vneid_verified,
        form_data: req.form_data,
        documents,
        fees: procedure
            .fees
            .iter()
            .map(|f| citygov_domain::catalog::FeeLine {
                amount_vnd: if online {
                    f.online_amount_vnd.unwrap_or(f.amount_vnd)
                } else {
                    f.amount_vnd
                },
                online_amount_vnd: None,
                ..f.clone()
            })
            .collect(),
        payment: Payment {
            amount_vnd: procedure.fee_total(online),
            ..Payment::default()
        },
        national_db_consulted: if !is_desk && account.vneid_verified {
            vec!["CSDLQGDC".into()]
        } else {
            vec![]
        },
        ..Dossier::submitted(
            uuid::Uuid::now_v7().to_string(),
            &procedure.code,
            &procedure.name,
            Routing::new(&receiving, &competent),
            channel,
            applicant,
            now,
        )
    };
    let mut history = vec![HistoryEntry {
        at: now,
        action: "file".into(),
        event: "dossier.filed".into(),
        from_status: None,
        to_status: Status::Submitted,
        actor_id: Some(account.id.clone()),
        actor_name: account.full_name.clone(),
        actor_title: account.title.clone(),
        unit_code: is_desk.then(|| receiving.code.to_string()),
        content: if is_desk {
            "Tiếp nhận tại quầy".into()
        } else {
            "Nộp hồ sơ trực tuyến".into()
        },
        step_deadline: None,
    }];
    if req.accept_now && is_desk {
        let actor = Actor {
            id: Some(account.id.clone()),
            name: account.full_name.clone(),
            title: account.title.clone(),
            unit_code: Some(receiving.code.to_string()),
            roles: vec![Role::IntakeOfficer],
        };
        let applied = workflow::apply(
            &mut d,
            Action::Accept,
            &Command::default(),
            &actor,
            now,
            &st.calendar,
            procedure.time_limit,
        )
        .map_err(ApiError::conflict)?;
        history.push(applied.history);
    }
    let filing = Filing {
        receiving_agency: AgencyCode::parse(receiving.code.as_str()).map_err(|p| ApiError::unprocessable(vec![p]))?,
        audit: AuditRecord {
            actor_id: Some(account.id.clone()),
            actor_name: account.full_name.clone(),
            action: "dossier.filed".into(),
            entity_type: "dossier".into(),
            entity_id: String::new(),
            detail: serde_json::json!({ "procedure": procedure.code, "channel": channel as u8, "receiving_unit": receiving.code.to_string() }),
        },
        dossier: d,
        history,
        file_ids,
        file_owner: account.id.clone(),
        idempotency: idem,
    };
    Ok(st.store.file_dossier(filing, &st.config.code_format).await?)
}

fn replayed(st: &AppState, caller: &Caller, d: Dossier) -> Response {
    let roles = roles_for(caller, &d, false);
    let mut resp = (StatusCode::OK, Json(view(st, d, &roles))).into_response();
    resp.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    resp
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LookupParams {
    /// The applicant's identity number: lets anyone holding the code and the number see it.
    pub id_number: Option<String>,
}

pub(crate) async fn load_visible(
    st: &AppState,
    caller: &Caller,
    code: &str,
    id_number: Option<&str>,
) -> ApiResult<(Dossier, bool)> {
    let code = DossierCode::parse(code).map_err(ApiError::bad_request)?;
    let d = st
        .store
        .dossier_by_code(code.as_str())
        .await?
        .ok_or_else(ApiError::dossier_not_found)?;
    let proof = crate::access::proves_identity(&d, id_number);
    let readable = proof || caller.0.as_ref().is_some_and(|a| can_read(a, &d));
    if !readable {
        return Err(ApiError::dossier_not_found());
    }
    Ok((d, proof))
}

/// Look a dossier up by its code: the applicant, the officials of its units, administrators
/// and auditors, or anyone with the code and the applicant's identity number. Every read by
/// someone other than the applicant's own account is recorded in the audit trail
/// (`dossier.read`).
#[utoipa::path(get, path = "/api/v1/dossiers/{code}", tag = "dossiers", params(("code" = String, Path), LookupParams),
    responses((status = 200, body = DossierView), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn lookup(
    State(st): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(p): Query<LookupParams>,
) -> ApiResult<Json<DossierView>> {
    let read = DossierRead::open(&st, &caller, &code, p.id_number.as_deref()).await?;
    let proof = *read.basis() == ReadBasis::HolderOfCode;
    let d = read.into_dossier();
    let roles = roles_for(&caller, &d, proof);
    Ok(Json(view(&st, d, &roles)))
}

/// Processing history (QuaTrinhXuLy) of a dossier: readable as the dossier is, and recorded
/// the same way.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/history", tag = "dossiers", params(("code" = String, Path), LookupParams),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn history(
    State(st): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(p): Query<LookupParams>,
) -> ApiResult<Json<Vec<citygov_store::dossiers::HistoryRow>>> {
    let read = DossierRead::open(&st, &caller, &code, p.id_number.as_deref()).await?;
    Ok(Json(read.history(&st).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionRequest {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub command: Command,
    /// For applicants acting without logging in: the identity number on the dossier.
    pub id_number: Option<String>,
    /// Documents handed in with a supplement.
    #[serde(default)]
    pub documents: Vec<DocumentInput>,
    /// Uploaded result files (`finish`), in the order of `results`.
    #[serde(default)]
    pub result_file_ids: Vec<Option<String>>,
}

/// Take an action of the transition table on a dossier (accept, refuse, forward,
/// request_supplement, submit_supplement, request_payment, confirm_payment, withdraw, stop,
/// finish, return_result, apologize).
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/actions/{action}", tag = "dossiers", request_body = ActionRequest,
    params(("code" = String, Path), ("action" = String, Path)),
    responses((status = 200, body = DossierView), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn act(
    State(st): State<AppState>,
    caller: Caller,
    Path((code, action)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<DossierView>> {
    let Some(action) = Action::parse(&action) else {
        let names: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        return Err(ApiError::not_found(
            Problem::new(
                "unknown_action",
                format!("Không có thao tác «{action}». Các thao tác: {}.", names.join(", ")),
                format!("There is no action “{action}”. Actions: {}.", names.join(", ")),
            )
            .at("action"),
        ));
    };
    let req: ActionRequest = if body.is_empty() {
        ActionRequest {
            command: Command::default(),
            id_number: None,
            documents: vec![],
            result_file_ids: vec![],
        }
    } else {
        parse_json(&body)?
    };
    let (updated, roles) = act_on(&st, &caller, &code, action, req).await?;
    Ok(Json(view(&st, updated, &roles)))
}

/// Take `action` on the dossier `code` for `caller`: the transition table decides, and the
/// change is written with its history, audit and outbox records. Returns the dossier after
/// the change and the caller's roles on it.
pub(crate) async fn act_on(
    st: &AppState,
    caller: &Caller,
    code: &str,
    action: Action,
    req: ActionRequest,
) -> ApiResult<(Dossier, Vec<Role>)> {
    let (d, proof) = load_visible(st, caller, code, req.id_number.as_deref()).await?;
    let roles = roles_for(caller, &d, proof);
    let procedure = st.cache.procedure(&st.store, &d.procedure_code).await?.ok_or_else(|| {
        ApiError::conflict(Problem::new(
            "procedure_missing",
            "Thủ tục của hồ sơ không còn trong danh mục.",
            "The dossier's procedure is no longer in the catalog.",
        ))
    })?;
    let (actor_id, actor_name, actor_title, owner) = match &caller.0 {
        Some(a) => (Some(a.id.clone()), a.full_name.clone(), a.title.clone(), a.id.clone()),
        None => (
            None,
            d.applicant.full_name.clone(),
            "Người nộp hồ sơ".to_string(),
            "anonymous".to_string(),
        ),
    };
    // The unit an official acts for: the competent unit if theirs, else the receiving one.
    let unit_code = caller.0.as_ref().and_then(|a| {
        let holds = |unit: &str| a.roles.iter().any(|g| g.unit_id == unit);
        if holds(&d.competent_unit_id) {
            Some(d.competent_unit_code.clone())
        } else if holds(&d.receiving_unit_id) {
            Some(d.receiving_unit_code.clone())
        } else {
            None
        }
    });
    // Files handed in: supplement documents and result files.
    let mut attach = Vec::new();
    let mut new_docs = Vec::new();
    let mut command = req.command.clone();
    let mut problems = Vec::new();
    for (i, doc) in req.documents.iter().enumerate() {
        if !procedure.components.iter().any(|c| c.code == doc.component_code) {
            problems.push(
                Problem::new(
                    "unknown_component",
                    format!("Thủ tục không có thành phần hồ sơ mã «{}».", doc.component_code),
                    format!("The procedure has no document component “{}”.", doc.component_code),
                )
                .at(format!("documents[{i}].component_code")),
            );
            continue;
        }
        let file = match &doc.file_id {
            Some(fid) => match st.store.file(fid).await? {
                Some((f, o, None, _)) if o == owner && caller.0.is_some() => {
                    attach.push(fid.clone());
                    Some(f)
                }
                _ => {
                    problems.push(
                        Problem::new(
                            "file_not_available",
                            "Tệp không tồn tại, không phải của bạn hoặc đã gắn vào hồ sơ khác.",
                            "The file does not exist, is not yours, or is already attached.",
                        )
                        .at(format!("documents[{i}].file_id")),
                    );
                    None
                }
            },
            None => None,
        };
        new_docs.push(SubmittedDocument {
            component_code: doc.component_code.clone(),
            digitisation: if file.is_some() {
                Digitisation::Digitised
            } else {
                Digitisation::NotDigitised
            },
            file,
            from_national_store: doc.from_national_store,
        });
    }
    for (i, fid) in req.result_file_ids.iter().enumerate() {
        let Some(fid) = fid else { continue };
        match (st.store.file(fid).await?, command.results.get_mut(i)) {
            (Some((f, o, None, _)), Some(r)) if o == owner => {
                attach.push(fid.clone());
                r.file = Some(f);
            }
            _ => problems.push(
                Problem::new(
                    "file_not_available",
                    "Tệp kết quả không tồn tại, không phải của bạn hoặc không khớp với kết quả nào.",
                    "The result file does not exist, is not yours, or matches no result.",
                )
                .at(format!("result_file_ids[{i}]")),
            ),
        }
    }
    // Only result files uploaded through the API and named in `result_file_ids` are kept.
    for (i, r) in command.results.iter_mut().enumerate() {
        let uploaded = action == Action::Finish && req.result_file_ids.get(i).is_some_and(|f| f.is_some());
        if !uploaded {
            r.file = None;
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::unprocessable(problems));
    }
    if !new_docs.is_empty() && action != Action::SubmitSupplement {
        return Err(ApiError::unprocessable(vec![
            Problem::new(
                "invalid",
                "Chỉ gửi giấy tờ kèm thao tác nộp bổ sung.",
                "Documents go with submit_supplement only.",
            )
            .at("documents"),
        ]));
    }
    let now = st.now();
    let cal = st.calendar.clone();
    let limit = procedure.time_limit;
    let d_id = d.id.clone();
    let updated = st
        .store
        .change_dossier(&d_id, |cur: &mut Dossier| {
            let actor = Actor { id: actor_id.clone(), name: actor_name.clone(), title: actor_title.clone(), unit_code: unit_code.clone(), roles: roles.clone() };
            if let Some(to) = &command.to_unit_code
                && action == Action::Forward
                && to != &cur.competent_unit_code
            {
                return Err(citygov_store::Error::invalid(Problem::new("invalid", "Chỉ chuyển đến đơn vị có thẩm quyền của thủ tục.", "Forward only to the procedure's competent unit.").at("to_unit_code")));
            }
            let applied = workflow::apply(cur, action, &command, &actor, now, &cal, limit).map_err(|p| match p.code.as_str() {
                "forbidden_role" => citygov_store::Error::Forbidden(p),
                "transition_not_allowed" => citygov_store::Error::Conflict(p),
                _ => citygov_store::Error::Invalid(vec![p]),
            })?;
            cur.documents.extend(new_docs.iter().cloned());
            Ok(Change {
                audit: AuditRecord {
                    actor_id: actor_id.clone(),
                    actor_name: actor_name.clone(),
                    action: applied.transition.event.to_string(),
                    entity_type: "dossier".into(),
                    entity_id: cur.id.clone(),
                    detail: serde_json::json!({ "code": cur.code, "from": applied.history.from_status.map(|s| s.code()), "to": cur.status.code(), "roles": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>() }),
                },
                history: applied.history,
                attach_files: attach.clone(),
                file_owner: owner.clone(),
            })
        })
        .await?;
    let roles = roles_for(caller, &updated, proof);
    Ok((updated, roles))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueParams {
    /// Comma-separated status codes (1–10).
    pub status: Option<String>,
    /// `overdue` or `due_soon`.
    pub deadline: Option<String>,
    /// One of the caller's units (code).
    pub unit: Option<String>,
    pub procedure: Option<String>,
    /// `submitted` (default), `appointment`, `updated` or `code`.
    pub sort: Option<String>,
    /// `asc` or `desc`.
    pub order: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// `true`: only untouched dossiers (held by the administration, status 1, 2, 4 or 6, and
    /// unchanged for `untouched_working_days` working days).
    pub untouched: Option<String>,
}

/// Whether a queue row is untouched at `threshold` (see [`AppState::untouched_before`]).
pub(crate) fn item_untouched(item: &citygov_store::dossiers::QueueItem, threshold: citygov_domain::LocalTime) -> bool {
    match (
        Status::from_code(item.status),
        citygov_store::parse_ts(&item.updated_at),
    ) {
        (Some(s), Ok(at)) => citygov_domain::dossier::is_untouched(s, at, threshold),
        _ => false,
    }
}

/// A queue row with whether it is untouched.
#[derive(Debug, Serialize)]
pub struct QueueEntry {
    #[serde(flatten)]
    pub item: citygov_store::dossiers::QueueItem,
    /// Held by the administration and unchanged for `untouched_working_days` working days.
    pub untouched: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueResponse {
    pub total: i64,
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<QueueEntry>,
}

/// Work queues: officials see the dossiers of their units; applicants their own.
#[utoipa::path(get, path = "/api/v1/dossiers", tag = "dossiers", params(QueueParams),
    responses((status = 200, body = QueueResponse), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody)))]
pub async fn queue(
    State(st): State<AppState>,
    caller: Caller,
    Query(p): Query<QueueParams>,
) -> ApiResult<Json<QueueResponse>> {
    let a = caller.require()?;
    let bad =
        |name: &str, vi: &str, en: &str| ApiError::bad_request(Problem::new("invalid_parameter", vi, en).at(name));
    let mut q = QueueQuery {
        limit: p.limit.unwrap_or(50),
        offset: p.offset.unwrap_or(0),
        ..Default::default()
    };
    if let Some(s) = p.status.as_deref().filter(|s| !s.is_empty()) {
        for part in s.split(',') {
            let st = part
                .trim()
                .parse::<u8>()
                .ok()
                .and_then(Status::from_code)
                .ok_or_else(|| {
                    bad(
                        "status",
                        "Trạng thái phải là các số 1–10, cách nhau bởi dấu phẩy.",
                        "status must be numbers 1–10 separated by commas.",
                    )
                })?;
            q.statuses.push(st);
        }
    }
    q.deadline = match p.deadline.as_deref() {
        None | Some("") => None,
        Some("overdue") => Some(DeadlineFilter::Overdue),
        Some("due_soon") => Some(DeadlineFilter::DueSoon),
        Some(_) => {
            return Err(bad(
                "deadline",
                "deadline phải là overdue hoặc due_soon.",
                "deadline must be overdue or due_soon.",
            ));
        }
    };
    q.sort = match p.sort.as_deref() {
        None | Some("") | Some("submitted") => QueueSort::Submitted,
        Some("appointment") => QueueSort::Appointment,
        Some("updated") => QueueSort::Updated,
        Some("code") => QueueSort::Code,
        Some(_) => {
            return Err(bad(
                "sort",
                "sort phải là submitted, appointment, updated hoặc code.",
                "sort must be submitted, appointment, updated or code.",
            ));
        }
    };
    q.descending = match p.order.as_deref() {
        None | Some("") => q.sort == QueueSort::Submitted || q.sort == QueueSort::Updated,
        Some("asc") => false,
        Some("desc") => true,
        Some(_) => {
            return Err(bad(
                "order",
                "order phải là asc hoặc desc.",
                "order must be asc or desc.",
            ));
        }
    };
    q.procedure_code = p.procedure.filter(|s| !s.is_empty());
    let now = st.now();
    q.now = Some(now);
    let untouched_before = st.untouched_before(now);
    q.untouched_before = match p.untouched.as_deref() {
        None | Some("") | Some("false") => None,
        Some("true") => Some(untouched_before),
        Some(_) => {
            return Err(bad(
                "untouched",
                "untouched phải là true hoặc false.",
                "untouched must be true or false.",
            ));
        }
    };
    q.due_soon_before = Some(st.due_soon_until(now));
    let units = a.official_units();
    if a.has_role(Role::Administrator) || a.has_role(Role::Auditor) {
        if let Some(code) = &p.unit {
            q.unit_ids = vec![unit_by_code(&st, code, "unit").await?.id];
        }
    } else if !units.is_empty() {
        q.unit_ids = match &p.unit {
            Some(code) => {
                let u = unit_by_code(&st, code, "unit").await?;
                if !units.contains(&u.id) {
                    return Err(ApiError::forbidden(
                        Problem::new(
                            "forbidden_unit",
                            "Bạn không thuộc đơn vị này.",
                            "You are not a member of this unit.",
                        )
                        .at("unit"),
                    ));
                }
                vec![u.id]
            }
            None => units,
        };
    } else {
        q.applicant_account_id = Some(a.id.clone());
    }
    let (items, total) = st.store.queue(&q).await?;
    let items = items
        .into_iter()
        .map(|item| QueueEntry {
            untouched: item_untouched(&item, untouched_before),
            item,
        })
        .collect();
    Ok(Json(QueueResponse { total, items }))
}
