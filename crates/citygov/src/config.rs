//! Configuration: typed defaults → TOML file → `CITYGOV_*` environment → command-line flags.

use anyhow::Context;
use citygov_domain::calendar::{Calendar, CalendarConfig, OfficialSchedule, WorkingHours};
use citygov_domain::codes::DossierCodeFormat;
use citygov_domain::privacy::RetentionPolicy;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Every option of citygov. See `docs/configuration.md`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folder for the SQLite database, files and lake (created if missing).
    pub data_dir: PathBuf,
    /// Address to serve HTTP on.
    pub listen: String,
    /// `postgres://…` to use PostgreSQL; empty for SQLite in the data folder.
    pub database_url: String,
    /// Maximum database connections.
    pub max_connections: u32,
    /// SQLite `synchronous`: `normal` or `full`.
    pub sqlite_synchronous: String,
    /// Dossier code format: `{agency}`, `{yymmdd}` or `{yyyymmdd}`, `{seq:N}`.
    pub dossier_code_format: String,
    /// Official holiday schedule (TOML, the format of the shipped `holidays.toml`); empty for
    /// the shipped file.
    pub holidays_file: String,
    /// Working hours, "HH:MM".
    pub working_hours_start: String,
    pub working_hours_end: String,
    /// Appointments within this many working hours are "due soon".
    pub due_soon_working_hours: i64,
    /// Dossiers held by the administration and unchanged for this many working days are
    /// "untouched" and flagged to the unit leader.
    pub untouched_working_days: u32,
    /// Largest upload, in MiB.
    pub max_upload_mb: usize,
    /// Session lifetime, in hours.
    pub session_ttl_hours: i64,
    /// A session ends after this many minutes without a request.
    pub session_idle_minutes: i64,
    /// Code of the city (the first group of demo unit codes).
    pub city_code: String,
    /// Log filter (e.g. `info`, `citygov=debug`).
    pub log: String,
    /// SMTP relay for notifications, `smtp://host:port`; empty: notifications stay in the portal.
    pub smtp_url: String,
    /// Sender of notification e-mails.
    pub mail_from: String,
    /// Where the warehouse's Delta tables live: a folder, or `s3://bucket/prefix`; empty for
    /// `lake/` in the data folder.
    pub lake_url: String,
    /// Object-storage options for an `s3://` lake, `key=value` separated by commas
    /// (`aws_endpoint_url=http://127.0.0.1:9000,aws_allow_http=true,aws_region=us-east-1`);
    /// the usual `AWS_*` variables are read too.
    pub lake_storage_options: String,
    /// Memory for one warehouse query (joins, sorts, aggregations spill to disk beyond it), MiB.
    pub lake_query_memory_mb: usize,
    /// Longest a warehouse query may run, in seconds.
    pub lake_query_timeout_seconds: u64,
    /// Most rows a warehouse query may return.
    pub lake_query_max_rows: usize,
    /// How many warehouse query plans are kept for running the same SQL again (0: plan
    /// every query).
    pub lake_kept_plans: usize,
    /// How often the platform's own data flows into the warehouse, in seconds (0: never).
    pub lake_feed_seconds: u64,
    /// An Apache Ballista scheduler (`df://host:port`, see `citygov lake scheduler`):
    /// warehouse queries run on its cluster; empty: in process.
    pub ballista_url: String,
    /// The Ed25519 key that signs the audit trail's checkpoints: its 32-byte seed as hex or
    /// base64. Empty: the key file (`audit_signing_key_file`). Never printed.
    pub audit_signing_key: Secret,
    /// File holding the signing key's seed; empty: `keys/audit-signing.key` in the data
    /// folder, created (mode 0600) when a checkpoint is first signed.
    pub audit_signing_key_file: String,
    /// Public keys (hex, separated by commas) trusted when verifying, besides the signing key
    /// and those listed in `keys/audit-trusted.pub`: earlier keys after a rotation, the keys of
    /// other replicas.
    pub audit_trusted_keys: String,
    /// How often `citygov serve` signs a checkpoint of the audit trail, in seconds, when the
    /// trail has grown; one is also signed at shutdown (0: neither).
    pub audit_checkpoint_seconds: u64,
    /// Master keys of the encryption at rest of personal data (ID numbers, phones, e-mails,
    /// uploaded files): `ID:BASE64` entries of 32 random bytes separated by commas, the active
    /// one first. Empty: the key file (`personal_data_key_file`). Never printed.
    pub personal_data_keys: Secret,
    /// File holding those master keys, one `ID BASE64` per line, the active one first; empty:
    /// `keys/personal-data.keys` in the data folder, created (mode 0600) on first use.
    pub personal_data_key_file: String,
    /// The site's external base URL (`https://dichvucong.example.vn`), from which the redirect
    /// URIs given to OpenID Connect providers are made; needed when `oidc_providers` are set.
    pub public_url: String,
    /// OpenID Connect providers offered on the login page (`[[oidc_providers]]` tables; see
    /// `docs/security.md`).
    pub oidc_providers: Vec<OidcProvider>,
    /// PEM certificate chain for serving HTTPS directly (with `tls_key_file`); empty: plain
    /// HTTP, for a reverse proxy that ends TLS.
    pub tls_cert_file: String,
    /// PEM private key of `tls_cert_file`.
    pub tls_key_file: String,
    /// Days sessions and API tokens are kept after they expired, were last used or were
    /// revoked (0: kept for ever). See `docs/privacy.md`.
    pub retention_session_days: u32,
    /// Days idempotency keys of filings are kept (0: for ever).
    pub retention_idempotency_days: u32,
    /// Days an uploaded file never attached to a dossier is kept (0: for ever).
    pub retention_unattached_file_days: u32,
    /// Years after a dossier's processing ended before its personal data is anonymised
    /// (0: never).
    pub retention_dossier_years: u32,
    /// Days the warehouse keeps the files of replaced table versions (time travel reaches
    /// back this far) before the retention job deletes them, and with them the personal data
    /// anonymised or replaced since (0: kept for ever).
    pub retention_lake_history_days: u32,
    /// How often `citygov serve` runs the retention job, in hours (0: never; run
    /// `citygov privacy retention` instead).
    pub retention_interval_hours: u64,
    /// Failed logins (wrong passwords or second-factor codes) one client address may make
    /// within `login_limit_minutes`; past it, its login attempts get 429 until the oldest
    /// failure leaves the window (0: no limit per address).
    pub login_limit_failures: u32,
    /// The sliding window of `login_limit_failures`, in minutes.
    pub login_limit_minutes: i64,
    /// Reverse proxies (addresses or CIDR ranges, separated by commas) whose
    /// `X-Forwarded-For` header names the client; empty: the connection's peer is the client.
    pub trusted_proxies: String,
}

/// One OpenID Connect provider (Keycloak, the national e-ID…).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProvider {
    /// Short id in URLs (`/login/oidc/{id}`) and in the links of external identities: letters,
    /// digits and `-`. Never change it once people have logged in through the provider.
    pub id: String,
    /// The button's label, in Vietnamese and English.
    pub label_vi: String,
    pub label_en: String,
    /// The issuer; its discovery document is `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// Empty for a public client (PKCE only). Never printed.
    #[serde(default)]
    pub client_secret: Secret,
    /// Scopes asked for (`openid` is always added).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// `citizen` (accounts that file dossiers) or `official`.
    pub kind: OidcKind,
    /// Logins through this provider count as authenticated with VNeID.
    #[serde(default)]
    pub vneid: bool,
    #[serde(default = "default_username_claim")]
    pub username_claim: String,
    #[serde(default = "default_name_claim")]
    pub name_claim: String,
    /// The claim with the citizen identity number (CCCD); empty: none.
    #[serde(default)]
    pub id_number_claim: String,
    /// The claim with an official's groups or roles (a dotted name reaches into objects, e.g.
    /// `realm_access.roles`). A value `unit:{unit code}:{role}` grants that role in that unit;
    /// other values are looked up in `role_map`.
    #[serde(default)]
    pub roles_claim: String,
    #[serde(default)]
    pub role_map: Vec<OidcRoleRule>,
}

/// Whom a provider logs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OidcKind {
    Citizen,
    Official,
}

/// A value of the roles claim that grants a role, in a unit (by code) or not tied to one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcRoleRule {
    pub value: String,
    /// `intake_officer`, `processing_officer`, `unit_leader`, `administrator`, `data_steward`,
    /// `analyst`.
    pub role: String,
    #[serde(default)]
    pub unit: String,
}

fn default_scopes() -> Vec<String> {
    vec!["openid".into(), "profile".into()]
}
fn default_username_claim() -> String {
    "preferred_username".into()
}
fn default_name_claim() -> String {
    "name".into()
}

impl OidcProvider {
    /// The provider as the web layer uses it, or what is wrong with it.
    pub fn settings(&self) -> anyhow::Result<citygov_web::oidc::ProviderSettings> {
        let id = &self.id;
        anyhow::ensure!(
            !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "oidc_providers: id «{id}» must be 1–32 letters, digits or - / mã nhà cung cấp không hợp lệ"
        );
        anyhow::ensure!(
            self.issuer.starts_with("https://") || self.issuer.starts_with("http://"),
            "oidc_providers.{id}: issuer must be an http(s) URL / issuer phải là địa chỉ http(s)"
        );
        anyhow::ensure!(
            !self.client_id.is_empty(),
            "oidc_providers.{id}: client_id is missing / thiếu client_id"
        );
        let role_map = self
            .role_map
            .iter()
            .map(|r| {
                let role = citygov_domain::workflow::Role::parse(&r.role)
                    .filter(|r| *r != citygov_domain::workflow::Role::Applicant)
                    .with_context(|| {
                        format!(
                            "oidc_providers.{id}.role_map: unknown role «{}» / vai trò không hợp lệ",
                            r.role
                        )
                    })?;
                Ok(citygov_web::oidc::RoleRule {
                    value: r.value.clone(),
                    role,
                    unit_code: r.unit.trim().to_string(),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(citygov_web::oidc::ProviderSettings {
            id: id.clone(),
            label_vi: self.label_vi.clone(),
            label_en: self.label_en.clone(),
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.expose().to_string(),
            scopes: self.scopes.clone(),
            kind: match self.kind {
                OidcKind::Citizen => citygov_store::oidc::IdentityKind::Citizen,
                OidcKind::Official => citygov_store::oidc::IdentityKind::Official,
            },
            vneid: self.vneid,
            username_claim: self.username_claim.clone(),
            name_claim: self.name_claim.clone(),
            id_number_claim: self.id_number_claim.clone(),
            roles_claim: self.roles_claim.clone(),
            role_map,
        })
    }
}

/// A secret option: read like any text, never printed or logged (`citygov config` shows only
/// whether it is set).
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The value, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_set(&self) -> bool {
        !self.0.trim().is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_set() {
            "Secret(********)"
        } else {
            "Secret(empty)"
        })
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if self.is_set() { "********" } else { "" })
    }
}

/// The option names, as they appear in the file and (upper-cased) in `CITYGOV_*` variables.
const KEYS: &[&str] = &[
    "data_dir",
    "listen",
    "database_url",
    "max_connections",
    "sqlite_synchronous",
    "dossier_code_format",
    "holidays_file",
    "working_hours_start",
    "working_hours_end",
    "due_soon_working_hours",
    "untouched_working_days",
    "max_upload_mb",
    "session_ttl_hours",
    "session_idle_minutes",
    "city_code",
    "log",
    "smtp_url",
    "mail_from",
    "lake_url",
    "lake_storage_options",
    "lake_query_memory_mb",
    "lake_query_timeout_seconds",
    "lake_query_max_rows",
    "lake_kept_plans",
    "lake_feed_seconds",
    "ballista_url",
    "audit_signing_key",
    "audit_signing_key_file",
    "audit_trusted_keys",
    "audit_checkpoint_seconds",
    "personal_data_keys",
    "personal_data_key_file",
    "public_url",
    "oidc_providers",
    "tls_cert_file",
    "tls_key_file",
    "retention_session_days",
    "retention_idempotency_days",
    "retention_unattached_file_days",
    "retention_dossier_years",
    "retention_lake_history_days",
    "retention_interval_hours",
    "login_limit_failures",
    "login_limit_minutes",
    "trusted_proxies",
];

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("data"),
            listen: "127.0.0.1:8080".into(),
            database_url: String::new(),
            max_connections: 16,
            sqlite_synchronous: "normal".into(),
            dossier_code_format: "{agency}-{yymmdd}-{seq:4}".into(),
            holidays_file: String::new(),
            working_hours_start: "08:00".into(),
            working_hours_end: "17:00".into(),
            due_soon_working_hours: 8,
            untouched_working_days: 2,
            max_upload_mb: 10,
            session_ttl_hours: 12,
            session_idle_minutes: 30,
            city_code: "H31".into(),
            log: "info".into(),
            smtp_url: String::new(),
            mail_from: "citygov <no-reply@citygov.invalid>".into(),
            lake_url: String::new(),
            lake_storage_options: String::new(),
            lake_query_memory_mb: 1024,
            lake_query_timeout_seconds: 25,
            lake_query_max_rows: 100_000,
            lake_kept_plans: 256,
            lake_feed_seconds: 10,
            ballista_url: String::new(),
            audit_signing_key: Secret::default(),
            audit_signing_key_file: String::new(),
            audit_trusted_keys: String::new(),
            audit_checkpoint_seconds: 600,
            personal_data_keys: Secret::default(),
            personal_data_key_file: String::new(),
            public_url: String::new(),
            oidc_providers: Vec::new(),
            tls_cert_file: String::new(),
            tls_key_file: String::new(),
            retention_session_days: RetentionPolicy::default().session_days,
            retention_idempotency_days: RetentionPolicy::default().idempotency_days,
            retention_unattached_file_days: RetentionPolicy::default().unattached_file_days,
            retention_dossier_years: RetentionPolicy::default().dossier_years,
            retention_lake_history_days: 30,
            retention_interval_hours: 24,
            login_limit_failures: 30,
            login_limit_minutes: 15,
            trusted_proxies: String::new(),
        }
    }
}

/// Flags that override the file and the environment (only those given).
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Load the configuration. `file` defaults to `citygov.toml` when that exists.
    pub fn load(file: Option<&Path>, flags: &Overrides) -> anyhow::Result<Config> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) => {
                anyhow::ensure!(
                    f.exists(),
                    "configuration file {} not found / không tìm thấy tệp cấu hình",
                    f.display()
                );
                fig = fig.merge(Toml::file(f));
            }
            None if Path::new("citygov.toml").exists() => fig = fig.merge(Toml::file("citygov.toml")),
            None => {}
        }
        // Only the options' own variables: other CITYGOV_* variables (test and benchmark
        // settings) are not configuration.
        fig = fig
            .merge(Env::prefixed("CITYGOV_").only(KEYS))
            .merge(Serialized::defaults(flags));
        let c: Config = fig.extract().context("invalid configuration / cấu hình không hợp lệ")?;
        DossierCodeFormat::parse(&c.dossier_code_format).map_err(|p| anyhow::anyhow!("{p}"))?;
        c.oidc_settings()?;
        c.trusted_proxies()?;
        anyhow::ensure!(
            c.login_limit_minutes >= 1,
            "login_limit_minutes phải từ 1 trở lên / login_limit_minutes must be at least 1"
        );
        Ok(c)
    }

    /// The reverse proxies whose `X-Forwarded-For` is believed.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<citygov_web::login_limit::IpRange>> {
        citygov_web::login_limit::IpRange::parse_list(&self.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("trusted_proxies: {e}"))
    }

    /// The OpenID Connect providers, checked.
    pub fn oidc_settings(&self) -> anyhow::Result<Vec<citygov_web::oidc::ProviderSettings>> {
        let providers = self
            .oidc_providers
            .iter()
            .map(OidcProvider::settings)
            .collect::<anyhow::Result<Vec<_>>>()?;
        for (i, p) in providers.iter().enumerate() {
            anyhow::ensure!(
                !providers[..i].iter().any(|q| q.id == p.id),
                "oidc_providers: id «{}» is used twice / mã nhà cung cấp bị trùng",
                p.id
            );
        }
        anyhow::ensure!(
            providers.is_empty() || self.public_url.starts_with("https://") || self.public_url.starts_with("http://"),
            "public_url (the site's external http(s) URL) is needed for oidc_providers / cần public_url khi cấu hình oidc_providers"
        );
        Ok(providers)
    }

    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("citygov.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The warehouse's options.
    /// The TLS settings when serving HTTPS directly: both files or neither.
    pub fn tls(&self) -> anyhow::Result<Option<std::sync::Arc<tokio_rustls::rustls::ServerConfig>>> {
        match (self.tls_cert_file.trim(), self.tls_key_file.trim()) {
            ("", "") => Ok(None),
            ("", _) | (_, "") => anyhow::bail!(
                "tls_cert_file và tls_key_file phải cùng được đặt / tls_cert_file and tls_key_file must be set together"
            ),
            (cert, key) => crate::tls::server_config(Path::new(cert), Path::new(key)).map(Some),
        }
    }

    pub fn lake_options(&self) -> anyhow::Result<citygov_lake::LakeOptions> {
        let location = if self.lake_url.is_empty() {
            self.data_dir.join("lake").to_string_lossy().into_owned()
        } else {
            self.lake_url.clone()
        };
        let mut o = citygov_lake::LakeOptions::local(location);
        for kv in self
            .lake_storage_options
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (k, v) = kv.split_once('=').with_context(|| {
                format!("lake_storage_options: «{kv}» is not key=value / không đúng dạng khoá=giá trị")
            })?;
            o.storage_options.insert(k.trim().to_string(), v.trim().to_string());
        }
        o.limits = citygov_lake::QueryLimits {
            memory_bytes: self.lake_query_memory_mb.max(16) * 1024 * 1024,
            timeout: std::time::Duration::from_secs(self.lake_query_timeout_seconds.max(1)),
            max_rows: self.lake_query_max_rows.max(1),
        };
        o.ballista_url = Some(self.ballista_url.trim().to_string()).filter(|u| !u.is_empty());
        o.kept_plans = self.lake_kept_plans;
        Ok(o)
    }

    /// How long each class of personal data is kept.
    pub fn retention(&self) -> RetentionPolicy {
        RetentionPolicy {
            session_days: self.retention_session_days,
            idempotency_days: self.retention_idempotency_days,
            unattached_file_days: self.retention_unattached_file_days,
            dossier_years: self.retention_dossier_years,
        }
    }

    pub fn code_format(&self) -> DossierCodeFormat {
        DossierCodeFormat::parse(&self.dossier_code_format).expect("checked at load")
    }

    pub fn calendar(&self) -> anyhow::Result<Calendar> {
        calendar_from(
            if self.holidays_file.is_empty() {
                None
            } else {
                Some(Path::new(&self.holidays_file))
            },
            &self.working_hours_start,
            &self.working_hours_end,
        )
    }
}

/// A calendar from an optional official-schedule file and working hours.
pub fn calendar_from(overrides: Option<&Path>, start: &str, end: &str) -> anyhow::Result<Calendar> {
    let mut cfg = CalendarConfig::shipped();
    if let Some(f) = overrides {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {} / không đọc được tệp", f.display()))?;
        cfg.overrides = Some(OfficialSchedule::parse_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?);
    }
    let t = |s: &str| {
        chrono::NaiveTime::parse_from_str(s, "%H:%M")
            .with_context(|| format!("bad time {s:?} (HH:MM) / giờ không hợp lệ"))
    };
    cfg.hours = WorkingHours::new(t(start)?, t(end)?).map_err(|e| anyhow::anyhow!("{e}"))?;
    Calendar::new(cfg).map_err(|e| anyhow::anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_can_be_set_from_the_environment() {
        let value = toml::Value::try_from(Config::default()).unwrap();
        let mut names: Vec<&str> = value.as_table().unwrap().keys().map(|k| k.as_str()).collect();
        names.sort();
        let mut keys = KEYS.to_vec();
        keys.sort();
        assert_eq!(names, keys);
    }

    #[test]
    fn the_signing_key_is_read_but_never_printed() {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        fig = fig.merge(Serialized::defaults(serde_json::json!({ "audit_signing_key": "00ff" })));
        let c: Config = fig.extract().unwrap();
        assert_eq!(c.audit_signing_key.expose(), "00ff");
        let printed = toml::to_string(&c).unwrap();
        assert!(printed.contains("audit_signing_key = \"********\""), "{printed}");
        assert!(!printed.contains("00ff"), "{printed}");
        assert!(!format!("{c:?}").contains("00ff"));
    }

    const PROVIDERS: &str = r#"
public_url = "https://dichvucong.example.vn"

[[oidc_providers]]
id = "vneid"
label_vi = "Tài khoản định danh điện tử VNeID"
label_en = "VNeID electronic identity"
issuer = "https://sso.example.gov.vn"
client_id = "citygov"
client_secret = "bi-mat-khach"
scopes = ["openid", "profile", "cccd"]
kind = "citizen"
vneid = true
id_number_claim = "cccd"

[[oidc_providers]]
id = "keycloak"
label_vi = "Tài khoản cán bộ"
label_en = "Staff account"
issuer = "https://id.example.vn/realms/haiphong"
client_id = "citygov"
kind = "official"
roles_claim = "realm_access.roles"
role_map = [{ value = "phan-tich", role = "analyst" }, { value = "lanh-dao-so", role = "unit_leader", unit = "H31.01" }]
"#;

    fn load_text(text: &str) -> anyhow::Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("citygov.toml");
        std::fs::write(&f, text).unwrap();
        Config::load(Some(&f), &Overrides::default())
    }

    #[test]
    fn providers_are_read_from_the_file_and_their_secrets_never_printed() {
        let c = load_text(PROVIDERS).unwrap();
        let s = c.oidc_settings().unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].client_secret, "bi-mat-khach");
        assert!(s[0].vneid);
        assert_eq!(s[0].kind, citygov_store::oidc::IdentityKind::Citizen);
        assert_eq!(s[1].username_claim, "preferred_username");
        assert_eq!(s[1].scopes, vec!["openid", "profile"]);
        assert_eq!(s[1].role_map[1].role, citygov_domain::workflow::Role::UnitLeader);
        assert_eq!(s[1].role_map[1].unit_code, "H31.01");
        let printed = toml::to_string(&c).unwrap();
        assert!(!printed.contains("bi-mat-khach"), "{printed}");
        assert!(printed.contains("client_secret = \"********\""), "{printed}");
        assert!(!format!("{c:?}").contains("bi-mat-khach"));
    }

    #[test]
    fn a_wrong_provider_is_refused_at_load() {
        let no_public_url = PROVIDERS.replace("public_url = \"https://dichvucong.example.vn\"", "");
        assert!(format!("{:#}", load_text(&no_public_url).unwrap_err()).contains("public_url"));
        let bad_role = PROVIDERS.replace("role = \"analyst\"", "role = \"mayor\"");
        assert!(format!("{:#}", load_text(&bad_role).unwrap_err()).contains("mayor"));
        let twice = PROVIDERS.replace("id = \"keycloak\"", "id = \"vneid\"");
        assert!(format!("{:#}", load_text(&twice).unwrap_err()).contains("twice"));
        let unknown = PROVIDERS.replace("vneid = true", "vneid = true\ncolour = \"red\"");
        assert!(load_text(&unknown).is_err());
        let bad_kind = PROVIDERS.replace("kind = \"citizen\"", "kind = \"robot\"");
        assert!(load_text(&bad_kind).is_err());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let c = load_text("trusted_proxies = \"10.0.0.0/8, 192.0.2.10\"").unwrap();
        let proxies = c.trusted_proxies().unwrap();
        assert_eq!(proxies.len(), 2);
        assert!(proxies[0].contains("10.9.8.7".parse().unwrap()));
        let err = load_text("trusted_proxies = \"proxy.example.vn\"").unwrap_err();
        assert!(format!("{err:#}").contains("proxy.example.vn"), "{err:#}");
        assert!(load_text("login_limit_minutes = 0").is_err());
    }
}
