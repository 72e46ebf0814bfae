//! Ratings: once a dossier has ended, its applicant may say whether they were satisfied with
//! how it was handled (like / dislike, with an optional comment), and change their mind later.
//! The applicant proves themself by logging in as the dossier's applicant or by giving the
//! identity number on the dossier; officials may not rate. The rating can be read by whoever
//! can look the dossier up.

use crate::AppState;
use crate::auth::Caller;
use crate::dossiers::{LookupParams, load_visible, roles_for};
use crate::error::{ApiError, ApiResult, parse_json};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use citygov_domain::Problem;
use citygov_domain::rating::{self, Rating};
use citygov_domain::workflow::Role;
use citygov_store::AuditRecord;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingRequest {
    /// `like` or `dislike`.
    pub verdict: String,
    /// Optional comment, at most 2,000 characters (trimmed).
    pub comment: Option<String>,
    /// For applicants not logged in as the dossier's applicant: the identity number on the dossier.
    pub id_number: Option<String>,
}

fn officials_cannot_rate() -> ApiError {
    ApiError::forbidden(Problem::new(
        "officials_cannot_rate",
        "Chỉ người nộp hồ sơ mới được đánh giá việc giải quyết hồ sơ; cán bộ không được đánh giá.",
        "Only the applicant may rate how a dossier was handled; officials may not.",
    ))
}

/// Rate a dossier as its applicant: checks who rates, the input and that the dossier has
/// ended, then stores the rating (replacing an earlier one) and returns it as stored.
pub(crate) async fn rate(st: &AppState, caller: &Caller, code: &str, req: RatingRequest) -> ApiResult<Rating> {
    let (d, proof) = load_visible(st, caller, code, req.id_number.as_deref()).await?;
    // An official account never rates, not even with the applicant's identity number.
    if let Some(a) = &caller.0
        && (a.kind == "official" || a.roles.iter().any(|g| g.role != Role::Applicant))
    {
        return Err(officials_cannot_rate());
    }
    if !roles_for(caller, &d, proof).contains(&Role::Applicant) {
        return Err(officials_cannot_rate());
    }
    let mut problems = Vec::new();
    let verdict = rating::parse_verdict(&req.verdict).map_err(|p| problems.push(p)).ok();
    let comment = rating::parse_comment(req.comment.as_deref())
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    let Some(verdict) = verdict.filter(|_| problems.is_empty()) else {
        return Err(ApiError::unprocessable(problems));
    };
    if !rating::can_rate(d.status) {
        return Err(ApiError::conflict(rating::not_ended(d.status)));
    }
    let now = st.now();
    let account_id = caller.0.as_ref().map(|a| a.id.clone());
    let by_account = account_id.is_some() && d.applicant_account_id == account_id;
    let new = Rating {
        dossier_id: d.id.clone(),
        verdict,
        comment,
        account_id: account_id.clone(),
        rated_at: now,
        updated_at: now,
    };
    let audit = AuditRecord {
        actor_id: account_id,
        actor_name: caller
            .0
            .as_ref()
            .map_or_else(|| d.applicant.full_name.clone(), |a| a.full_name.clone()),
        action: citygov_store::ratings::RATED_EVENT.into(),
        entity_type: "dossier".into(),
        entity_id: d.id.clone(),
        detail: serde_json::json!({
            "code": d.code,
            "verdict": verdict.as_str(),
            "has_comment": new.comment.is_some(),
            "proof": if by_account { "account" } else { "id_number" },
        }),
    };
    st.store.rate_dossier(&new, audit).await?;
    Ok(st.store.rating(&d.id).await?.unwrap_or(new))
}

/// Rate how a dossier was handled (the applicant, once the dossier has ended: status 3, 7, 8,
/// 9 or 10). A new rating replaces the earlier one.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/rating", tag = "dossiers", operation_id = "rate_dossier", request_body = RatingRequest,
    params(("code" = String, Path)),
    responses((status = 200, body = Object, description = "The rating as stored"), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody, description = "Officials may not rate"), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "The dossier has not ended"), (status = 422, body = crate::error::ErrorBody)))]
pub async fn submit(
    State(st): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Rating>> {
    let req: RatingRequest = parse_json(&body)?;
    Ok(Json(rate(&st, &caller, &code, req).await?))
}

/// The current rating of a dossier, for whoever can look the dossier up.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/rating", tag = "dossiers", operation_id = "dossier_rating", params(("code" = String, Path), LookupParams),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody, description = "No such dossier, or not rated yet (`not_rated`)")))]
pub async fn show(
    State(st): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(p): Query<LookupParams>,
) -> ApiResult<Json<Rating>> {
    let (d, _) = load_visible(&st, &caller, &code, p.id_number.as_deref()).await?;
    st.store.rating(&d.id).await?.map(Json).ok_or_else(|| {
        ApiError::not_found(Problem::new(
            "not_rated",
            "Hồ sơ chưa được đánh giá.",
            "The dossier has not been rated yet.",
        ))
    })
}
