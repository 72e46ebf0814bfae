//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations and
//! committed as `openapi.json` at the repository root (a test fails when it is stale).

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "citygov API", description = "Dịch vụ công một cửa: danh mục thủ tục, hồ sơ, xử lý theo thời hạn luật định. / One-stop public services: procedure catalog, dossiers, processing within legal time limits."),
    paths(
        crate::auth::login, crate::auth::second_factor, crate::auth::logout, crate::auth::logout_everywhere, crate::auth::register, crate::auth::me,
        crate::auth::tokens, crate::auth::create_token, crate::auth::revoke_token, crate::auth::sessions, crate::auth::end_session,
        crate::catalog::units, crate::catalog::unit_history, crate::catalog::search, crate::catalog::detail, crate::catalog::export, crate::catalog::import, crate::catalog::workflow, crate::catalog::reasons,
        crate::files::upload, crate::files::download,
        crate::dossiers::file, crate::dossiers::lookup, crate::dossiers::history, crate::dossiers::act, crate::dossiers::queue,
        crate::ratings::submit, crate::ratings::show,
        crate::notifications::list, crate::notifications::read,
        crate::audit::list,
        crate::privacy::data_access, crate::privacy::consents, crate::privacy::give_consent, crate::privacy::revoke_consent,
        crate::privacy::breaches, crate::privacy::record_breach, crate::privacy::mark_notified,
        crate::lake::list, crate::lake::detail, crate::lake::put, crate::lake::versions, crate::lake::import, crate::lake::query,
        crate::lake::grants, crate::lake::add_grant, crate::lake::revoke_grant, crate::lake::dcat_catalog, crate::lake::open_list, crate::lake::open_download,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&Security),
    tags((name = "auth"), (name = "catalog"), (name = "dossiers"), (name = "files"), (name = "notifications"), (name = "privacy"), (name = "lake"), (name = "audit"))
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// The document as pretty JSON (what is committed).
pub fn document() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
