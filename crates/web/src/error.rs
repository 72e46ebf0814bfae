//! API errors: JSON with a stable code, a message in Vietnamese and English, and the field
//! at fault. Internal details are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use citygov_domain::Problem;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every problem found, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub details: Vec<Problem>,
    /// For a refused file: `{ "total": n, "problems": [{ row, column, value, code, message_vi, message_en }] }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub rows: Option<serde_json::Value>,
}

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub problem: Problem,
    pub details: Vec<Problem>,
    /// Problems of a refused file, by row and column.
    pub rows: Option<serde_json::Value>,
    /// Seconds to wait before trying again (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, problem: Problem) -> Self {
        ApiError {
            status,
            problem,
            details: vec![],
            rows: None,
            retry_after: None,
        }
    }
    pub fn bad_request(p: Problem) -> Self {
        Self::new(StatusCode::BAD_REQUEST, p)
    }
    pub fn unprocessable(problems: Vec<Problem>) -> Self {
        if problems.len() == 1 {
            return Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                problems.into_iter().next().expect("one"),
            );
        }
        let n = problems.len();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            problem: Problem::new(
                "invalid_input",
                format!("Dữ liệu có {n} lỗi; xem chi tiết từng trường."),
                format!("The input has {n} problems; see each field."),
            ),
            details: problems,
            rows: None,
            retry_after: None,
        }
    }
    pub fn not_found(p: Problem) -> Self {
        Self::new(StatusCode::NOT_FOUND, p)
    }
    pub fn forbidden(p: Problem) -> Self {
        Self::new(StatusCode::FORBIDDEN, p)
    }
    pub fn conflict(p: Problem) -> Self {
        Self::new(StatusCode::CONFLICT, p)
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            Problem::new(
                "unauthenticated",
                "Bạn cần đăng nhập để làm việc này.",
                "You need to log in to do this.",
            ),
        )
    }
    /// Every problem: the details when there are several, else the one.
    pub fn problems(&self) -> Vec<Problem> {
        if self.details.is_empty() {
            vec![self.problem.clone()]
        } else {
            self.details.clone()
        }
    }
    pub fn dossier_not_found() -> Self {
        Self::not_found(Problem::new(
            "dossier_not_found",
            "Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập. Hãy kiểm tra lại.",
            "No dossier matches this code and identity number. Please check them.",
        ))
    }
}

impl From<citygov_store::Error> for ApiError {
    fn from(e: citygov_store::Error) -> Self {
        use citygov_store::Error as E;
        match e {
            E::Invalid(ps) => ApiError::unprocessable(ps),
            E::NotFound(p) => ApiError::not_found(p),
            E::Conflict(p) => ApiError::conflict(p),
            E::Forbidden(p) => ApiError::forbidden(p),
            E::Unauthorized(p) => ApiError::new(StatusCode::UNAUTHORIZED, p),
            E::TooManyAttempts(p) => ApiError::new(StatusCode::TOO_MANY_REQUESTS, p),
            E::UnknownDataKey(id) => ApiError::from(E::Internal(anyhow::anyhow!("unknown data key {id}"))),
            E::Internal(err) => {
                tracing::error!(error = %err, "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Problem::new(
                        "internal_error",
                        "Hệ thống gặp sự cố. Vui lòng thử lại sau.",
                        "Something went wrong on our side. Please try again later.",
                    ),
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.problem.code,
                message_vi: self.problem.message_vi,
                message_en: self.problem.message_en,
                field: self.problem.field,
                details: self.details,
                rows: self.rows,
            },
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        resp
    }
}

/// Parse a JSON body with a clear error (line and column) instead of a framework message.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(
            Problem::new(
                "invalid_json",
                format!(
                    "Nội dung JSON không hợp lệ ở dòng {}, cột {}: {}",
                    e.line(),
                    e.column(),
                    e
                ),
                format!("Invalid JSON at line {}, column {}: {}", e.line(), e.column(), e),
            )
            .at("body"),
        )
    })
}

pub type ApiResult<T> = Result<T, ApiError>;
