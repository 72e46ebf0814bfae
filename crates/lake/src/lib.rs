//! The shared data warehouse (kho dữ liệu dùng chung): Delta Lake tables on a local folder or
//! S3-compatible storage, ingestion of CSV, Excel, JSON lines and Parquet validated against
//! the catalog (all or nothing), time travel, and SQL through DataFusion with the catalog's
//! policies (masking, row filters) enforced in the physical plan.
//!
//! The heavy engines stay inside this crate: its API is plain data and boxed futures, so the
//! rest of the platform compiles without them.

mod cipher;
mod count_if;
mod count_rows;
mod distributed;
mod eager;
mod export;
mod ingest;
mod planner;
mod plans;
mod policy;
mod query;
mod read;
mod schema;
mod validate;
mod views;
mod write;

use citygov_domain::Problem;
use citygov_domain::lake::{Dataset, Quality};
use deltalake::DeltaTable;
use deltalake::datafusion::execution::cache::cache_manager::{CacheManager, CacheManagerConfig};
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

pub use distributed::ExecutorOptions;
pub use export::Download;
pub use query::{ColumnRead, QueryOutput, ResultColumn};

/// A boxed future, so callers do not compile the engines' generics.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Errors of the warehouse.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 422: the file (or rows) cannot be loaded; every problem up to the limit is listed,
    /// `total` counts them all. Nothing was written.
    #[error("the file was refused: {total} problem(s)")]
    BadFile { problems: Vec<RowProblem>, total: usize },
    /// 422: the request is wrong (bad SQL, unknown version, bad option).
    #[error("invalid: {0}")]
    Invalid(Problem),
    /// 404: no such table or version (or not visible to the caller).
    #[error("not found: {0}")]
    NotFound(Problem),
    /// 422: a query went over its memory, time or result-size limit.
    #[error("limit exceeded: {0}")]
    Limit(Problem),
    /// 503: the query cluster (Ballista) could not run the query; details are logged.
    #[error("unavailable: {0}")]
    Unavailable(Problem),
    /// 500: storage or engine failure; details are logged, never shown.
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<deltalake::DeltaTableError> for Error {
    fn from(e: deltalake::DeltaTableError) -> Self {
        Error::Internal(anyhow::anyhow!("delta: {e}"))
    }
}

impl From<deltalake::datafusion::error::DataFusionError> for Error {
    fn from(e: deltalake::datafusion::error::DataFusionError) -> Self {
        query::classify_error(e)
    }
}

impl From<deltalake::arrow::error::ArrowError> for Error {
    fn from(e: deltalake::arrow::error::ArrowError) -> Self {
        Error::Internal(anyhow::anyhow!("arrow: {e}"))
    }
}

/// One problem of a refused file: where (row, column), what value, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowProblem {
    /// Line (CSV, JSON lines), sheet row (Excel) or record number (Parquet), from 1; the
    /// header is line 1 of a CSV file. `None` for problems of the whole file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

/// Format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
    Jsonl,
    Parquet,
}

impl Format {
    /// From a file name's extension.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "jsonl" => Some(Format::Jsonl),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }
}

/// What to load.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file. `encoding` forces a CSV encoding (`utf-8`, `windows-1258`, `utf-16le`, …);
    /// by default it is detected (byte-order mark, valid UTF-8, else Windows-1258).
    File {
        path: PathBuf,
        format: Format,
        encoding: Option<String>,
    },
    /// Rows given as text cells (the platform's own feed), validated like a file.
    Rows {
        columns: Vec<String>,
        rows: Vec<Vec<Option<String>>>,
    },
}

/// How a load changes the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Append,
    Overwrite,
    /// Insert new keys, replace the rows of existing keys (the dataset's key).
    Upsert,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "append" => Some(Mode::Append),
            "overwrite" => Some(Mode::Overwrite),
            "upsert" => Some(Mode::Upsert),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Append => "append",
            Mode::Overwrite => "overwrite",
            Mode::Upsert => "upsert",
        }
    }
}

/// Who wrote a version and why, kept in the Delta commit.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CommitMeta {
    pub user: String,
    pub unit: String,
    pub reason: String,
    /// File name or job name.
    pub source: String,
}

/// Progress callback: rows read so far.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// A load request.
pub struct Import {
    pub source: Source,
    pub mode: Mode,
    /// Key columns for upsert (the dataset's key when empty).
    pub key: Vec<String>,
    pub commit: CommitMeta,
    pub progress: Option<Progress>,
    /// How many problems to list before stopping the list (all are counted).
    pub max_problems: usize,
    /// An application transaction (id, version) recorded with the commit, for exactly-once
    /// feeds.
    pub app_txn: Option<(String, i64)>,
    /// Accept a load without rows (a commit that records only its application transaction).
    pub allow_empty: bool,
}

impl Import {
    pub fn new(source: Source, mode: Mode, commit: CommitMeta) -> Import {
        Import {
            source,
            mode,
            key: Vec::new(),
            commit,
            progress: None,
            max_problems: 100,
            app_txn: None,
            allow_empty: false,
        }
    }
}

/// What a load did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportReport {
    pub dataset: String,
    pub version: i64,
    pub mode: Mode,
    pub rows: u64,
    pub seconds: f64,
    pub quality: Quality,
}

/// One version of a table.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionInfo {
    pub version: i64,
    /// Commit time, ISO 8601 UTC.
    pub at: String,
    pub operation: String,
    pub user: String,
    pub unit: String,
    pub reason: String,
    pub source: String,
    pub rows_written: Option<i64>,
}

/// Reading an earlier state of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AsOf {
    Version(i64),
    /// A time (UTC): the last version committed at or before it.
    Timestamp(chrono::DateTime<chrono::Utc>),
}

/// Limits of one query.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Memory for joins, sorts and aggregations; beyond it they spill to disk, and a query
    /// that cannot spill fails with a clear error.
    pub memory_bytes: usize,
    pub timeout: Duration,
    pub max_rows: usize,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            memory_bytes: 1 << 30,
            timeout: Duration::from_secs(60),
            max_rows: 100_000,
        }
    }
}

/// What a caller may see of one dataset in a query (decided by the catalog's policy).
#[derive(Debug, Clone, PartialEq)]
pub struct TableAccess {
    pub dataset: Dataset,
    /// Columns shown masked.
    pub masked: Vec<String>,
    /// Columns not shown at all (open data hides everything not public).
    pub hidden: Vec<String>,
    /// Only rows whose column holds one of these values (an empty column name: no rows).
    pub row_filter: Option<(String, Vec<String>)>,
    pub as_of: Option<AsOf>,
}

impl TableAccess {
    /// Every column and row of the current version, unmasked (the dataset's owner, a
    /// benchmark, a test).
    pub fn whole(d: &Dataset) -> TableAccess {
        TableAccess {
            dataset: d.clone(),
            masked: Vec::new(),
            hidden: Vec::new(),
            row_filter: None,
            as_of: None,
        }
    }
}

/// Options of the warehouse.
#[derive(Debug, Clone)]
pub struct LakeOptions {
    /// Where tables live: a local folder or `s3://bucket/prefix`.
    pub location: String,
    /// Object-store options for S3 (endpoint, keys, region, allow_http…).
    pub storage_options: HashMap<String, String>,
    pub limits: QueryLimits,
    /// Rows per Parquet row group (several row groups per file let every core scan).
    pub row_group_rows: usize,
    /// An Apache Ballista scheduler (`df://host:port`): queries over loaded tables run on
    /// its cluster instead of in process.
    pub ballista_url: Option<String>,
    /// How many query plans are kept for running the same SQL again (0: plan every query;
    /// see the `plans` module).
    pub kept_plans: usize,
}

impl LakeOptions {
    pub fn local(dir: impl Into<PathBuf>) -> LakeOptions {
        LakeOptions {
            location: dir.into().to_string_lossy().into_owned(),
            storage_options: HashMap::new(),
            limits: QueryLimits::default(),
            row_group_rows: 128 * 1024,
            ballista_url: None,
            kept_plans: plans::CAPACITY,
        }
    }
}

/// The warehouse: an opaque, cheaply cloned handle.
#[derive(Clone)]
pub struct Lake {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    root: Url,
    storage_options: HashMap<String, String>,
    limits: QueryLimits,
    row_group_rows: usize,
    ballista_url: Option<String>,
    /// The object store of the lake's bucket (or file system), for reading tables' files.
    files_store: std::sync::OnceLock<deltalake::logstore::ObjectStoreRef>,
    /// Latest loaded state of each table, refreshed incrementally before use.
    tables: tokio::sync::Mutex<HashMap<String, DeltaTable>>,
    /// One writer per table in this process (Delta's optimistic commits handle the others).
    write_locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Caches shared by every query's runtime: the Parquet footers and page indexes, and each
    /// file's statistics and size. A Delta table's data files are never rewritten in place (a
    /// new version writes new files), so what is cached under a path stays true.
    caches: CacheManagerConfig,
    /// The platform's keys for the personal columns, once given ([`Lake::set_cipher`]).
    cipher: cipher::CipherSlot,
    /// The function that opens sealed values in a plan.
    open_fn: Arc<deltalake::datafusion::logical_expr::ScalarUDF>,
    /// Plans of repeated queries, for running them again without planning.
    plans: plans::Plans,
}

/// The caches of [`Inner::caches`], made once per warehouse.
fn shared_caches() -> Result<CacheManagerConfig> {
    let made = CacheManager::try_new(&CacheManagerConfig::default())?;
    Ok(CacheManagerConfig::default()
        .with_file_statistics_cache(made.get_file_statistic_cache())
        .with_list_files_cache(made.get_list_files_cache())
        .with_file_metadata_cache(Some(made.get_file_metadata_cache())))
}

fn invalid(code: &str, vi: impl Into<String>, en: impl Into<String>) -> Error {
    Error::Invalid(Problem::new(code, vi, en))
}

impl Lake {
    /// Open the warehouse at its location (a local folder is created when missing).
    pub fn open(opts: &LakeOptions) -> Result<Lake> {
        let loc = opts.location.trim();
        let root = if loc.contains("://") {
            let mut u = Url::parse(loc).map_err(|e| {
                invalid(
                    "invalid_lake_url",
                    format!("Địa chỉ kho dữ liệu «{loc}» không hợp lệ: {e}."),
                    format!("The warehouse location “{loc}” is invalid: {e}."),
                )
            })?;
            if !u.path().ends_with('/') {
                let p = format!("{}/", u.path());
                u.set_path(&p);
            }
            u
        } else {
            let dir = PathBuf::from(loc);
            std::fs::create_dir_all(&dir).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            let dir = dir
                .canonicalize()
                .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            Url::from_directory_path(&dir).map_err(|_| anyhow::anyhow!("bad folder {}", dir.display()))?
        };
        if root.scheme() == "s3" || root.scheme() == "s3a" {
            deltalake::aws::register_handlers(None);
        }
        let slot: cipher::CipherSlot = Arc::new(std::sync::OnceLock::new());
        Ok(Lake {
            inner: Arc::new(Inner {
                root,
                storage_options: opts.storage_options.clone(),
                limits: opts.limits,
                row_group_rows: opts.row_group_rows.max(1024),
                ballista_url: opts.ballista_url.clone().filter(|u| !u.trim().is_empty()),
                files_store: std::sync::OnceLock::new(),
                tables: tokio::sync::Mutex::new(HashMap::new()),
                write_locks: std::sync::Mutex::new(HashMap::new()),
                caches: shared_caches()?,
                open_fn: cipher::open_udf(&slot),
                cipher: slot,
                plans: plans::Plans::new(opts.kept_plans),
            }),
        })
    }

    /// Seal the personal columns with these keys from now on, and open them in queries (see
    /// the `cipher` module). Given once; later calls change nothing.
    pub fn set_cipher(&self, cipher: Arc<dyn citygov_domain::lake::ColumnCipher>) {
        let _ = self.inner.cipher.set(cipher);
    }

    /// The location of the tables (a `file://` or `s3://` URL).
    pub fn root(&self) -> &Url {
        &self.inner.root
    }

    /// The location of one table.
    pub fn table_url(&self, name: &str) -> Url {
        self.inner.table_url(name)
    }

    /// Load a file or rows into a dataset's table, all or nothing.
    pub fn import<'a>(&'a self, dataset: &'a Dataset, req: Import) -> BoxFuture<'a, Result<ImportReport>> {
        Box::pin(ingest::import(&self.inner, dataset, req))
    }

    /// Run one SQL query over the tables the caller may see.
    pub fn query<'a>(&'a self, sql: &'a str, tables: Vec<TableAccess>) -> BoxFuture<'a, Result<QueryOutput>> {
        Box::pin(query::run(&self.inner, sql, tables))
    }

    /// Start an Apache Ballista scheduler and one executor in this process on loopback
    /// ports, both reaching this warehouse; returns the URL to give as `ballista_url`.
    pub fn start_local_cluster(&self, vcores: usize) -> BoxFuture<'_, Result<String>> {
        Box::pin(distributed::start_local_cluster(self.inner.clone(), vcores))
    }

    /// Run a Ballista scheduler for this warehouse, bound to `bind`, until the process stops.
    pub fn serve_scheduler(&self, bind: std::net::SocketAddr) -> BoxFuture<'_, Result<()>> {
        Box::pin(distributed::serve_scheduler(&self.inner, bind))
    }

    /// Run a Ballista executor for this warehouse until the process stops.
    pub fn serve_executor(&self, opts: ExecutorOptions) -> BoxFuture<'_, Result<()>> {
        Box::pin(distributed::serve_executor(&self.inner, opts))
    }

    /// The Ballista scheduler queries run on, when one is configured.
    pub fn ballista_url(&self) -> Option<&str> {
        self.inner.ballista_url.as_deref()
    }

    /// The table names a SQL text refers to (for deciding access before running it).
    pub fn referenced_tables(&self, sql: &str) -> Result<Vec<String>> {
        query::referenced_tables(sql)
    }

    /// A table's versions, newest first.
    pub fn history<'a>(&'a self, name: &'a str, limit: usize) -> BoxFuture<'a, Result<Vec<VersionInfo>>> {
        Box::pin(ingest::history(&self.inner, name, limit))
    }

    /// The latest version of a table (`None` before its first load).
    pub fn version<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Result<Option<i64>>> {
        Box::pin(async move {
            Ok(self
                .inner
                .table(name, None)
                .await?
                .and_then(|t| t.version())
                .map(|v| v as i64))
        })
    }

    /// The version an application transaction reached (exactly-once feeds).
    pub fn app_txn_version<'a>(&'a self, name: &'a str, app_id: &'a str) -> BoxFuture<'a, Result<Option<i64>>> {
        Box::pin(ingest::app_txn_version(&self.inner, name, app_id))
    }

    /// The whole table (the visible columns) as a CSV, Parquet or Excel file.
    pub fn download<'a>(
        &'a self,
        access: TableAccess,
        format: export::DownloadFormat,
    ) -> BoxFuture<'a, Result<Download>> {
        Box::pin(cipher::retrying(&self.inner.cipher, move || {
            export::download(&self.inner, access.clone(), format)
        }))
    }

    /// Delete the files that only versions replaced more than `keep` ago still read: their
    /// data (personal data anonymised or erased since, among it) leaves the storage, and time
    /// travel reaches back `keep` at least. Returns how many files were (with `dry_run`:
    /// would be) deleted.
    pub fn vacuum<'a>(&'a self, name: &'a str, keep: chrono::Duration, dry_run: bool) -> BoxFuture<'a, Result<usize>> {
        Box::pin(ingest::vacuum(&self.inner, name, keep, dry_run))
    }

    /// Measure "đúng, đủ, sạch, sống" on the latest version.
    pub fn measure_quality<'a>(&'a self, dataset: &'a Dataset) -> BoxFuture<'a, Result<Option<Quality>>> {
        Box::pin(ingest::measure_quality(&self.inner, dataset, 0, None))
    }
}

pub use export::DownloadFormat;

impl Inner {
    pub(crate) fn table_url(&self, name: &str) -> Url {
        self.root.join(&format!("{name}/")).expect("valid table name")
    }

    pub(crate) fn write_lock(&self, name: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut m = self.write_locks.lock().expect("lock");
        m.entry(name.to_string()).or_default().clone()
    }

    /// Open a table at its latest version (or an earlier one); `None` when it has no
    /// version yet.
    pub(crate) async fn table(&self, name: &str, as_of: Option<AsOf>) -> Result<Option<DeltaTable>> {
        let mut cache = self.tables.lock().await;
        let mut t = match cache.remove(name) {
            Some(t) => t,
            None => {
                let url = self.table_url(name);
                if url.scheme() == "file"
                    && let Ok(p) = url.to_file_path()
                {
                    let _ = std::fs::create_dir_all(p);
                }
                DeltaTable::try_from_url_with_storage_options(url, self.storage_options.clone()).await?
            }
        };
        if t.version().is_some() {
            t.update_incremental(None).await?;
        } else {
            match t.load().await {
                Ok(()) => {}
                Err(deltalake::DeltaTableError::NotATable(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let latest = t.clone();
        cache.insert(name.to_string(), latest);
        drop(cache);
        if t.version().is_none() {
            return Ok(None);
        }
        match as_of {
            None => {}
            Some(AsOf::Version(v)) => {
                if v < 0 || v > t.version().map(|v| v as i64).unwrap_or(-1) {
                    return Err(Error::NotFound(Problem::new(
                        "version_not_found",
                        format!("Bảng «{name}» không có phiên bản {v}."),
                        format!("Table “{name}” has no version {v}."),
                    )));
                }
                t.load_version(v as u64).await?;
            }
            Some(AsOf::Timestamp(ts)) => {
                if let Err(e) = t.load_with_datetime(ts).await {
                    tracing::debug!("time travel {name} to {ts}: {e}");
                    return Err(Error::NotFound(Problem::new(
                        "version_not_found",
                        format!("Bảng «{name}» chưa có phiên bản nào vào thời điểm {ts}."),
                        format!("Table “{name}” had no version at {ts}."),
                    )));
                }
            }
        }
        if as_of.is_some() {
            self.check_files_kept(name, &t).await?;
        }
        Ok(Some(t))
    }

    /// An earlier version whose files the retention job has deleted cannot be read: say so,
    /// rather than answer from the files that remain. One listing of the table's folder
    /// (a request per thousand files on S3) instead of a request per file.
    async fn check_files_kept(&self, name: &str, t: &DeltaTable) -> Result<()> {
        use futures::TryStreamExt;
        let store = t.log_store().object_store(None);
        let present: std::collections::HashSet<_> =
            store
                .list(None)
                .map_ok(|meta| meta.location)
                .try_collect()
                .await
                .map_err(|e| Error::Internal(anyhow::anyhow!("listing the files of {name}: {e}")))?;
        let kept = t
            .snapshot()?
            .log_data()
            .into_iter()
            .all(|f| present.contains(&f.object_store_path()));
        if kept {
            return Ok(());
        }
        let v = t.version().unwrap_or_default();
        Err(Error::NotFound(Problem::new(
            "version_removed",
            format!(
                "Phiên bản {v} của bảng «{name}» không còn đọc được: tệp của nó đã được xoá theo thời hạn lưu giữ (retention_lake_history_days)."
            ),
            format!(
                "Version {v} of table “{name}” can no longer be read: its files were deleted by the retention period (retention_lake_history_days)."
            ),
        )))
    }

    /// Forget the cached state of a table (after a write).
    pub(crate) async fn put_table(&self, name: &str, t: DeltaTable) {
        self.tables.lock().await.insert(name.to_string(), t);
    }
}
