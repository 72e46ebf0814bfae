//! The applicant's notifications in the portal (also sent by e-mail when configured).

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use citygov_domain::Problem;
use citygov_store::notifications::Notification;

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    responses((status = 200, body = Object), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(State(st): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<Notification>>> {
    let a = caller.require()?;
    Ok(Json(st.store.notifications_for(&a.id, 100).await?))
}

/// Mark one of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn read(State(st): State<AppState>, caller: Caller, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    let a = caller.require()?;
    if st.store.mark_notification_read(&a.id, id, st.now()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(Problem::new(
            "notification_not_found",
            "Không tìm thấy thông báo.",
            "Notification not found.",
        )))
    }
}
