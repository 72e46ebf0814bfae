//! HTTP surface of citygov: the JSON API under `/api/v1` (with its OpenAPI document).
//! [`routes::router`] holds the whole route map; each capability has its own module.

pub mod access;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod catalog;
pub mod dcat;
pub mod dossiers;
pub mod error;
pub mod files;
pub mod lake;
pub mod login_limit;
pub mod notifications;
pub mod oidc;
pub mod openapi;
pub mod pages;
pub mod privacy;
pub mod ratings;
pub mod routes;
pub mod scopes;

use citygov_domain::LocalTime;
use citygov_domain::calendar::Calendar;
use citygov_domain::codes::DossierCodeFormat;
use citygov_store::files::UploadPolicy;
use citygov_store::{FileStore, Store};
use std::sync::Arc;

pub use error::ApiError;
pub use routes::router;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    pub code_format: DossierCodeFormat,
    pub upload: UploadPolicy,
    /// Dossiers whose appointment is within this many working hours are "due soon".
    pub due_soon_working_hours: i64,
    pub session_ttl_hours: i64,
    /// A session ends after this many minutes without a request.
    pub session_idle_minutes: i64,
    /// Largest JSON request body, in bytes.
    pub max_json_bytes: usize,
    /// Dossiers held by the administration (status 1, 2, 4, 6) and unchanged for this many
    /// working days are "untouched" and flagged to the unit leader.
    pub untouched_working_days: u32,
    /// The site's external base URL (`https://dichvucong.example.vn`), for the redirect URIs
    /// given to OpenID Connect providers.
    pub public_url: String,
    /// OpenID Connect providers offered on the login page.
    pub oidc_providers: Vec<oidc::ProviderSettings>,
    /// Failed logins one client address may make within `login_limit_minutes` before its
    /// attempts are refused ([`login_limit`]); 0 turns the limit off.
    pub login_limit_failures: u32,
    /// The sliding window of `login_limit_failures`, in minutes.
    pub login_limit_minutes: i64,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR ranges);
    /// from any other peer the header is ignored.
    pub trusted_proxies: Vec<login_limit::IpRange>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            code_format: DossierCodeFormat::default(),
            upload: UploadPolicy::default(),
            due_soon_working_hours: 8,
            session_ttl_hours: 12,
            session_idle_minutes: 30,
            max_json_bytes: 2 * 1024 * 1024,
            untouched_working_days: 2,
            public_url: String::new(),
            oidc_providers: Vec::new(),
            login_limit_failures: 30,
            login_limit_minutes: 15,
            trusted_proxies: Vec::new(),
        }
    }
}

/// The clock: injected so that deadlines can be tested deterministically.
pub type Clock = Arc<dyn Fn() -> LocalTime + Send + Sync>;

/// Shared state of every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub files: Arc<dyn FileStore>,
    pub calendar: Calendar,
    pub config: Arc<WebConfig>,
    pub clock: Clock,
    /// Short-lived copies of catalog entries and units (read on every filing).
    pub cache: Arc<cache::CatalogCache>,
    /// The shared data warehouse (absent in tests that do not need it).
    pub lake: Option<citygov_lake::Lake>,
    /// OpenID Connect providers, with their cached metadata and keys.
    pub oidc: Arc<oidc::Oidc>,
    /// Recent failed logins of each client address.
    pub login_limiter: Arc<login_limit::LoginLimiter>,
}

impl AppState {
    pub fn new(store: Store, files: Arc<dyn FileStore>, calendar: Calendar, config: WebConfig) -> Self {
        let oidc = Arc::new(oidc::Oidc::new(config.oidc_providers.clone()));
        AppState {
            oidc,
            store,
            files,
            calendar,
            config: Arc::new(config),
            clock: Arc::new(citygov_domain::now_local),
            cache: Arc::new(cache::CatalogCache::default()),
            lake: None,
            login_limiter: Arc::new(login_limit::LoginLimiter::default()),
        }
    }

    /// With the shared data warehouse.
    pub fn with_lake(mut self, lake: citygov_lake::Lake) -> Self {
        self.lake = Some(lake);
        self
    }

    pub fn now(&self) -> LocalTime {
        (self.clock)()
    }

    /// Appointments before this moment are due soon (`due_soon_working_hours` from `now`).
    pub fn due_soon_until(&self, now: LocalTime) -> LocalTime {
        self.calendar
            .add_working_minutes(now, self.config.due_soon_working_hours * 60)
    }

    /// A dossier the administration holds and last changed before this moment is untouched
    /// (`untouched_working_days` before `now`).
    pub fn untouched_before(&self, now: LocalTime) -> LocalTime {
        self.calendar.sub_working_days(now, self.config.untouched_working_days)
    }
}
