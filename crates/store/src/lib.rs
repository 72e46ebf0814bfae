//! Transactional persistence of citygov, one code base on SQLite (the embedded default, WAL)
//! and PostgreSQL (production, several `citygov serve` processes on one database).
//!
//! Every state change is written with its history entry, its append-only audit record and
//! its outbox event in one transaction, by this crate, so no caller can forget them.
//! Dialect differences live in the per-backend migration folders; queries use `$N`
//! placeholders, which both backends accept.

pub mod accounts;
pub mod audit;
pub mod catalog;
pub mod dossiers;
pub mod files;
pub mod keys;
pub mod lake;
pub mod notifications;
pub mod oidc;
pub mod privacy;
pub mod ratings;
pub mod sealing;
pub mod second_factor;
pub mod tokens;
pub mod units;

use citygov_domain::{LocalTime, Problem};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;

pub use files::{FileStore, LocalFileStore};

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Errors of the store. Each variant says which HTTP status it maps to.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 422: the input is wrong; every problem is listed.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<Problem>),
    /// 404: the thing asked for does not exist (or is not visible to the caller).
    #[error("not found: {0}")]
    NotFound(Problem),
    /// 409: the request conflicts with the current state (a transition from the wrong
    /// status, a duplicate, a concurrent change).
    #[error("conflict: {0}")]
    Conflict(Problem),
    /// 401: the caller is not (or no longer) authenticated for this step.
    #[error("unauthorized: {0}")]
    Unauthorized(Problem),
    /// 403: the caller may not do this.
    #[error("forbidden: {0}")]
    Forbidden(Problem),
    /// 429: too many attempts (failed logins); the problem says when to try again.
    #[error("too many attempts: {0}")]
    TooManyAttempts(Problem),
    /// 500: a database or I/O failure; details are logged, never sent to clients.
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
    /// 500: a sealed value names a data key this store has not loaded (another process made
    /// it since): the store reloads its keys and tries once more before giving this out.
    #[error("unknown data key {0}")]
    UnknownDataKey(String),
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Internal(e.into())
    }
}

impl Error {
    pub fn invalid(p: Problem) -> Self {
        Error::Invalid(vec![p])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whether a database error is a unique-constraint violation (a duplicate).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation() || d.code().is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}

/// Format a local time for storage ('YYYY-MM-DDTHH:MM:SS', sortable as text).
pub fn ts(t: &LocalTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Parse a stored local time.
pub fn parse_ts(s: &str) -> Result<LocalTime> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .map_err(|e| Error::Internal(anyhow::anyhow!("bad stored time {s:?}: {e}")))
}

/// Options of the store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://PATH` or `postgres://…`.
    pub url: String,
    pub max_connections: u32,
    /// SQLite `synchronous` pragma: `full` (every commit reaches the disk) or `normal`
    /// (a process crash loses nothing; a power loss may lose the last commits).
    pub sqlite_synchronous: String,
    /// Master keys of the encryption at rest of personal data ([`sealing`]).
    pub keys: sealing::KeySource,
}

impl StoreOptions {
    pub fn new(url: impl Into<String>) -> Self {
        StoreOptions {
            url: url.into(),
            max_connections: 16,
            sqlite_synchronous: "normal".into(),
            keys: sealing::KeySource::None,
        }
    }
}

/// The transactional store.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// In-process writer lock for SQLite: one writer at a time without busy waiting.
    write_lock: Arc<tokio::sync::Mutex<()>>,
    /// Filings go to the intake writer, which group-commits them.
    intake: tokio::sync::mpsc::Sender<dossiers::IntakeJob>,
    /// The unwrapped data keys of personal data, replaced when they are reloaded.
    sealer: Arc<std::sync::RwLock<Arc<sealing::Sealer>>>,
    /// One load of the data keys at a time; holds how many were made.
    key_load_turn: Arc<tokio::sync::Mutex<u64>>,
    keys: sealing::KeySource,
    url: String,
}

impl Store {
    /// Connect and run the migrations.
    pub async fn open(opts: &StoreOptions) -> Result<Store> {
        install_default_drivers();
        let backend = if opts.url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if opts.url.starts_with("postgres:") || opts.url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(Error::invalid(
                Problem::new(
                    "invalid_database_url",
                    "Địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite: hoặc postgres:.",
                    "The database URL must start with sqlite: or postgres:.",
                )
                .at("database_url"),
            ));
        };
        let mut url = opts.url.clone();
        if backend == Backend::Sqlite && !url.contains("mode=") {
            url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
        }
        let sync = match opts.sqlite_synchronous.as_str() {
            "full" => "FULL",
            _ => "NORMAL",
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite {
                opts.max_connections.min(8)
            } else {
                opts.max_connections
            })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute(sqlx::AssertSqlSafe(format!("PRAGMA synchronous = {sync}")))
                            .await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!("cannot connect to the database: {e}")))?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!("migration failed: {e}")))?;
        if backend == Backend::Sqlite {
            // Planner statistics for the tables that lack fresh ones (cheap when they are fresh):
            // without them SQLite may read a whole status range instead of one unit's rows.
            sqlx::query("PRAGMA optimize = 0x10002")
                .execute(&pool)
                .await
                .map_err(|e| Error::Internal(anyhow::anyhow!("PRAGMA optimize failed: {e}")))?;
        }
        let (intake, rx) = tokio::sync::mpsc::channel(1024);
        let store = Store {
            pool,
            backend,
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
            intake,
            sealer: Arc::new(std::sync::RwLock::new(Arc::new(sealing::Sealer::off()))),
            key_load_turn: Arc::new(tokio::sync::Mutex::new(0)),
            keys: opts.keys.clone(),
            url: opts.url.clone(),
        };
        store.ensure_audit_chain().await?;
        store.load_data_keys().await?;
        // One intake writer on SQLite (one writer at a time anyway); a few on PostgreSQL.
        let writers = if backend == Backend::Sqlite { 1 } else { 3 };
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..writers {
            let (s, rx) = (store.clone(), rx.clone());
            tokio::spawn(async move { s.intake_loop(rx).await });
        }
        Ok(store)
    }

    /// Refresh the query planner's statistics after a bulk load (SQLite `ANALYZE`, PostgreSQL
    /// `ANALYZE`), so that queue queries pick their unit indexes at once.
    pub async fn analyze(&self) -> Result<()> {
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }

    /// The database URL the store was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begin a write transaction. On SQLite, writers of this process take turns.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.write_lock.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx {
            tx,
            audits: Vec::new(),
            _guard: guard,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A write transaction (holding the SQLite writer turn while it lives). Audit records are
/// queued on it and chained into the audit trail just before it commits
/// ([`audit::write_audits`]): the chain head is the last thing the transaction locks, so no
/// transaction holds it while waiting for another lock.
pub(crate) struct WriteTx {
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    audits: Vec<(LocalTime, AuditRecord)>,
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Record the audit entry of this transaction's change (written at commit, or never if
    /// the transaction is dropped).
    pub fn audit(&mut self, at: LocalTime, record: AuditRecord) {
        self.audits.push((at, record));
    }

    /// Several audit entries, in order.
    pub fn audits(&mut self, rows: impl IntoIterator<Item = (LocalTime, AuditRecord)>) {
        self.audits.extend(rows);
    }

    pub async fn commit(mut self) -> Result<()> {
        let audits = std::mem::take(&mut self.audits);
        audit::write_audits(&mut self.tx, &audits).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

/// An audit record, written in the same transaction as the change it records.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub detail: serde_json::Value,
}

/// `rows` VALUES tuples of `width` placeholders each, numbered from 1: `($1, $2), ($3, $4)` on
/// PostgreSQL, `(?, ?), (?, ?)` on SQLite, where binding a named `$N` parameter searches the
/// statement's parameter list (quadratic in a multi-row insert) and anonymous ones bind by
/// position.
pub(crate) fn values_rows(tx: &sqlx::Transaction<'static, sqlx::Any>, rows: usize, width: usize) -> String {
    let sqlite = tx.backend_name() == "SQLite";
    let mut out = String::with_capacity(rows * width * 5);
    for r in 0..rows {
        out.push_str(if r > 0 { ", (" } else { "(" });
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            if sqlite {
                out.push('?');
            } else {
                out.push('$');
                out.push_str(&(r * width + c + 1).to_string());
            }
        }
        out.push(')');
    }
    out
}

/// Write several outbox events (time, topic, entity, payload) with one statement.
pub(crate) async fn write_outboxes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: &[(LocalTime, String, String, serde_json::Value)],
) -> Result<()> {
    for chunk in rows.chunks(1000) {
        let mut sql = String::from("INSERT INTO outbox (at, topic, entity_id, payload) VALUES ");
        sql.push_str(&values_rows(tx, chunk.len(), 4));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (at, topic, id, payload) in chunk {
            q = q
                .bind(ts(at))
                .bind(topic.clone())
                .bind(id.clone())
                .bind(payload.to_string());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

pub(crate) async fn write_outbox(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    at: &LocalTime,
    topic: &str,
    entity_id: &str,
    payload: &serde_json::Value,
) -> Result<()> {
    write_outboxes(tx, &[(*at, topic.to_string(), entity_id.to_string(), payload.clone())]).await
}

/// One row of the audit trail, as read back.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub detail: String,
}

impl Store {
    /// Audit records of one entity, oldest first.
    pub async fn audit_for(&self, entity_id: &str) -> Result<Vec<AuditRow>> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT id, at, actor_id, actor_name, action, entity_type, entity_id, detail FROM audit_log WHERE entity_id = $1 ORDER BY id")
            .bind(entity_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor_id: r.try_get("actor_id")?,
                    actor_name: r.try_get("actor_name")?,
                    action: r.try_get("action")?,
                    entity_type: r.try_get("entity_type")?,
                    entity_id: r.try_get("entity_id")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Count rows of a table (for checks and benchmarks).
    pub async fn count(&self, table: &str) -> Result<i64> {
        use sqlx::Row;
        const TABLES: &[&str] = &[
            "dossiers",
            "dossier_history",
            "audit_log",
            "outbox",
            "procedures",
            "units",
            "accounts",
            "files",
            "idempotency_keys",
            "dossier_ratings",
            "sessions",
            "api_tokens",
            "consents",
            "breaches",
            "file_erasures",
        ];
        if !TABLES.contains(&table) {
            return Err(Error::Internal(anyhow::anyhow!("unknown table {table}")));
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) AS n FROM {table}")))
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}

/// A fresh, empty PostgreSQL database next to `admin_url` (for tests and benchmarks):
/// returns its URL. Drop it with [`drop_scratch_database`].
pub async fn create_scratch_database(admin_url: &str, prefix: &str) -> Result<String> {
    use sqlx::Connection;
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::postgres::PgConnection::connect(admin_url).await?;
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await?;
    conn.close().await?;
    let base = match admin_url.rfind('/') {
        Some(i) if i > "postgres://".len() => &admin_url[..i],
        _ => admin_url,
    };
    Ok(format!("{base}/{name}"))
}

/// Drop a database made by [`create_scratch_database`].
pub async fn drop_scratch_database(admin_url: &str, url: &str) -> Result<()> {
    use sqlx::Connection;
    let name = url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::Internal(anyhow::anyhow!("bad database name {name}")));
    }
    let mut conn = sqlx::postgres::PgConnection::connect(admin_url).await?;
    conn.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await?;
    conn.close().await?;
    Ok(())
}
