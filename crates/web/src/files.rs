//! Attachment upload and download.

use crate::AppState;
use crate::access::Uploader;
use crate::auth::Caller;
use crate::dossiers::can_read;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use citygov_domain::Problem;
use citygov_domain::dossier::FileRef;
use citygov_store::files::check_upload;

/// Upload one file (multipart field `file`). Returns its id for a dossier's documents. Only
/// accounts that file dossiers (applicants) or process them (intake and processing officers,
/// unit leaders) may upload.
#[utoipa::path(post, path = "/api/v1/files", tag = "files", request_body(content = Object, content_type = "multipart/form-data"),
    responses((status = 201, body = Object), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload(
    State(st): State<AppState>,
    caller: Caller,
    req: axum::extract::Request,
) -> ApiResult<(StatusCode, Json<FileRef>)> {
    // Who may upload is decided before the body is read.
    let uploader = Uploader::check(caller.require()?)?;
    let owner = uploader.owner().to_string();
    let mut mp = <Multipart as axum::extract::FromRequest<AppState>>::from_request(req, &st)
        .await
        .map_err(|e| {
            ApiError::new(
                e.status(),
                Problem::new(
                    "invalid_upload",
                    format!("Không đọc được tệp tải lên: {}", e.body_text()),
                    format!("The upload could not be read: {}", e.body_text()),
                )
                .at("file"),
            )
        })?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::new(
            e.status(),
            Problem::new(
                "invalid_upload",
                format!("Không đọc được tệp tải lên: {e}"),
                format!("The upload could not be read: {e}"),
            )
            .at("file"),
        )
    };
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(bad)?;
        let ctype = check_upload(&name, &bytes, &st.config.upload).map_err(|p| {
            if p.code == "file_too_large" {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, p)
            } else {
                ApiError::unprocessable(vec![p])
            }
        })?;
        let f = st
            .store
            .save_file(st.files.as_ref(), &owner, &name, &ctype, &bytes, st.now())
            .await?;
        return Ok((StatusCode::CREATED, Json(f)));
    }
    Err(ApiError::unprocessable(vec![Problem::required(
        "file",
        "Tệp đính kèm",
        "File",
    )]))
}

/// A file as a download: its type, and its name in ASCII and in UTF-8 (RFC 6266).
pub(crate) fn attachment(f: &FileRef, bytes: Vec<u8>) -> axum::response::Response {
    let disposition = citygov_domain::upload::content_disposition(&f.file_name);
    (
        [
            (CONTENT_TYPE, f.content_type.clone()),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// Download a file: its uploader, or whoever may read the dossier it belongs to.
#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "files", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn download(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let account = caller.require()?;
    let not_found = || ApiError::not_found(Problem::new("file_not_found", "Không tìm thấy tệp.", "File not found."));
    let (f, owner, dossier_id, key) = st.store.file(&id).await?.ok_or_else(not_found)?;
    let allowed = owner == account.id
        || match dossier_id {
            Some(did) => match st.store.dossier(&did).await? {
                Some(d) => can_read(account, &d),
                None => false,
            },
            None => false,
        };
    if !allowed {
        return Err(not_found());
    }
    let bytes = st.store.file_bytes(st.files.as_ref(), &key).await?;
    Ok(attachment(&f, bytes))
}
