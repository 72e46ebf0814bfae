//! SQL over the warehouse: one session per query, holding only the tables the caller may see
//! (each behind its policy), read-only (no DDL, DML or SET), with a memory pool that spills
//! to disk, a time limit and a result-size limit.

use crate::policy::PolicyTable;
use crate::{Error, Inner, Result, TableAccess};
use citygov_domain::Problem;
use citygov_domain::lake::Classification;
use deltalake::DeltaTable;
use deltalake::arrow::array::RecordBatch;
use deltalake::datafusion::catalog::MemTable;
use deltalake::datafusion::catalog::TableProvider;
use deltalake::datafusion::error::DataFusionError;
use deltalake::datafusion::execution::memory_pool::FairSpillPool;
use deltalake::datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use deltalake::datafusion::execution::{SessionState, SessionStateBuilder, TaskContext};
use deltalake::datafusion::physical_plan::execution_plan::reset_plan_states;
use deltalake::datafusion::physical_plan::{ExecutionPlan, execute_stream};
use deltalake::datafusion::prelude::{SQLOptions, SessionConfig, SessionContext};
use deltalake::datafusion::sql::parser::{DFParser, Statement};
use futures::StreamExt;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Instant;

/// A session with the standard functions and no tables, made once, to find the tables a
/// statement names.
static NAMES: LazyLock<SessionState> = LazyLock::new(|| {
    SessionStateBuilder::new()
        .with_config(config())
        .with_default_features()
        .build()
});

fn config() -> SessionConfig {
    crate::planner::settings(SessionConfig::new())
}

/// A column of a result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResultColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub data_type: String,
}

/// A column a query read, for the personal-data audit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ColumnRead {
    pub dataset: String,
    pub column: String,
    pub classification: Classification,
    pub masked: bool,
}

/// The result of a query.
#[derive(Debug, Clone)]
pub struct QueryOutput {
    pub columns: Vec<ResultColumn>,
    pub(crate) batches: Vec<RecordBatch>,
    pub rows: usize,
    /// Every column read, once.
    pub reads: Vec<ColumnRead>,
    pub elapsed_ms: f64,
    /// Where it ran: `datafusion` (in process) or `ballista` (on the cluster).
    pub engine: &'static str,
    /// Whether it ran a plan kept from an earlier run of the same SQL, for the same access
    /// and versions of its tables, instead of planning again.
    pub plan_reused: bool,
}

impl QueryOutput {
    /// Columns of personal or sensitive data the query read (masked or not).
    pub fn personal_reads(&self) -> Vec<&ColumnRead> {
        self.reads.iter().filter(|r| r.classification.is_personal()).collect()
    }
}

fn invalid_sql(msg: String) -> Error {
    Error::Invalid(
        Problem::new(
            "invalid_sql",
            format!("Câu lệnh SQL không hợp lệ: {msg}"),
            format!("The SQL statement is invalid: {msg}"),
        )
        .at("sql"),
    )
}

/// Turn an engine error into a clear one for the caller.
pub(crate) fn classify_error(e: DataFusionError) -> Error {
    let root = e.find_root();
    match root {
        DataFusionError::ResourcesExhausted(m) => Error::Limit(Problem::new(
            "query_memory",
            format!(
                "Truy vấn vượt quá giới hạn bộ nhớ ({m}). Hãy thu hẹp dữ liệu (WHERE, LIMIT) hoặc gộp nhóm ít hơn."
            ),
            format!("The query went over its memory limit ({m}). Narrow the data (WHERE, LIMIT) or group less."),
        )),
        DataFusionError::SQL(..)
        | DataFusionError::Plan(_)
        | DataFusionError::SchemaError(..)
        | DataFusionError::NotImplemented(_) => invalid_sql(root.message().to_string()),
        DataFusionError::Execution(m) => Error::Invalid(
            Problem::new(
                "query_failed",
                format!("Truy vấn không chạy được: {m}"),
                format!("The query failed: {m}"),
            )
            .at("sql"),
        ),
        DataFusionError::ArrowError(a, _) => Error::Invalid(
            Problem::new(
                "query_failed",
                format!("Truy vấn không chạy được: {a}"),
                format!("The query failed: {a}"),
            )
            .at("sql"),
        ),
        other => Error::Internal(anyhow::anyhow!("engine: {other}")),
    }
}

/// Parse one read-only statement.
fn parse(sql: &str) -> Result<Statement> {
    let mut stmts = DFParser::parse_sql(sql).map_err(|e| invalid_sql(e.to_string()))?;
    if stmts.len() != 1 {
        return Err(invalid_sql(format!(
            "cần đúng một câu lệnh, có {} / exactly one statement is needed, found {}",
            stmts.len(),
            stmts.len()
        )));
    }
    let stmt = stmts.pop_front().expect("one");
    let read_only = match &stmt {
        Statement::Statement(s) => matches!(**s, deltalake::datafusion::sql::sqlparser::ast::Statement::Query(_)),
        Statement::Explain(_) => true,
        _ => false,
    };
    if !read_only {
        return Err(Error::Invalid(
            Problem::new(
                "read_only",
                "Chỉ được chạy câu lệnh SELECT (hoặc WITH … SELECT, EXPLAIN).",
                "Only SELECT statements (or WITH … SELECT, EXPLAIN) may run.",
            )
            .at("sql"),
        ));
    }
    Ok(stmt)
}

/// The table names a statement refers to (CTE names excluded).
pub(crate) fn referenced_tables(sql: &str) -> Result<Vec<String>> {
    Ok(statement_tables(sql)?.0)
}

/// The table names a statement refers to (CTE names excluded), and whether it is a query
/// (not an `EXPLAIN`).
fn statement_tables(sql: &str) -> Result<(Vec<String>, bool)> {
    let stmt = parse(sql)?;
    let query = matches!(stmt, Statement::Statement(_));
    let refs = NAMES.resolve_table_references(&stmt)?;
    // Table functions (generate_series, range) are not tables.
    let functions = NAMES.table_functions();
    let mut out: Vec<String> = refs
        .iter()
        .map(|r| r.table().to_string())
        .filter(|t| !functions.contains_key(t))
        .collect();
    out.sort();
    out.dedup();
    Ok((out, query))
}

/// A query's runtime: its own memory pool (which spills), the warehouse's caches, and the
/// object store of the tables' files.
fn runtime(inner: &Inner) -> Result<Arc<RuntimeEnv>> {
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(FairSpillPool::new(inner.limits.memory_bytes)))
        .with_cache_manager(inner.caches.clone())
        .build_arc()?;
    crate::distributed::register_store(inner, &runtime)?;
    Ok(runtime)
}

pub(crate) fn session(inner: &Inner) -> Result<SessionContext> {
    let runtime = runtime(inner)?;
    let state = crate::planner::with_rules(
        SessionStateBuilder::new()
            .with_config(config())
            .with_runtime_env(runtime)
            .with_default_features(),
    )
    .build();
    Ok(SessionContext::new_with_state(state))
}

/// The access granted to a table the SQL names, or the error for one not granted.
fn access_to<'a>(tables: &'a [TableAccess], name: &str) -> Result<&'a TableAccess> {
    tables.iter().find(|a| a.dataset.name == name).ok_or_else(|| {
        Error::NotFound(
            Problem::new(
                "table_not_found",
                format!("Không có bảng «{name}», hoặc bạn chưa được cấp quyền xem bảng này."),
                format!("There is no table “{name}”, or you have not been granted it."),
            )
            .at("sql"),
        )
    })
}

/// Register the tables a statement names, each at the state loaded (`None`: no version yet)
/// and behind its policy. Returns whether every one is read from its Parquet files (or is
/// empty), as a plan that may be kept reads them.
pub(crate) async fn register(
    inner: &Inner,
    ctx: &SessionContext,
    loaded: &[(&TableAccess, Option<DeltaTable>)],
    reads: &Arc<Mutex<Vec<ColumnRead>>>,
) -> Result<bool> {
    let mut files_only = true;
    for (access, table) in loaded {
        let name = &access.dataset.name;
        let provider: Arc<dyn TableProvider> = match table {
            // The version's Parquet files, read directly (as a cluster reads them); the Delta
            // reader for tables using features a file scan cannot read.
            Some(t) => match crate::distributed::files_table(inner, name, t).await? {
                Some(files) => files,
                None => {
                    files_only = false;
                    t.update_datafusion_session(&ctx.state())?;
                    t.table_provider()
                        .await
                        .map_err(|e| anyhow::anyhow!("provider of {name}: {e}"))?
                }
            },
            // Not loaded yet: an empty table with the catalog's columns.
            None => {
                let schema = crate::schema::table_schema(&access.dataset);
                Arc::new(MemTable::try_new(schema, vec![vec![]])?)
            }
        };
        ctx.register_table(
            name.as_str(),
            Arc::new(PolicyTable::new(access, provider, reads.clone(), inner.open_fn.clone())),
        )?;
    }
    Ok(files_only)
}

/// Run a physical plan to its end, within the result-size limit.
async fn collect(
    plan: Arc<dyn ExecutionPlan>,
    task: Arc<TaskContext>,
    max_rows: usize,
) -> Result<(Vec<RecordBatch>, usize)> {
    let mut stream = execute_stream(plan, task)?;
    let mut batches = Vec::new();
    let mut rows = 0usize;
    while let Some(b) = stream.next().await {
        let b = b?;
        rows += b.num_rows();
        if rows > max_rows {
            return Err(Error::Limit(Problem::new(
                "query_too_many_rows",
                format!("Kết quả có hơn {max_rows} dòng. Hãy thêm LIMIT hoặc gộp nhóm."),
                format!("The result has more than {max_rows} rows. Add a LIMIT or aggregate."),
            )));
        }
        batches.push(b);
    }
    Ok((batches, rows))
}

fn ms(from: Instant, to: Instant) -> f64 {
    (to - from).as_secs_f64() * 1000.0
}

/// How long a query past its time limit may still wait for the scheduler to name its job.
const JOB_ID_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

pub(crate) async fn run(inner: &Inner, sql: &str, tables: Vec<TableAccess>) -> Result<QueryOutput> {
    crate::cipher::retrying(&inner.cipher, || run_attempt(inner, sql, &tables)).await
}

async fn run_attempt(inner: &Inner, sql: &str, tables: &[TableAccess]) -> Result<QueryOutput> {
    let started = Instant::now();
    // A statement whose plan is kept was parsed before: its tables are known.
    let (names, is_query) = match inner.plans.names(sql) {
        Some(names) => (names, true),
        None => statement_tables(sql)?,
    };
    let resolved = Instant::now();
    let reads = Arc::new(Mutex::new(Vec::new()));
    let limits = inner.limits;
    // The plan of a query running on the cluster, to cancel its job there past the time limit.
    let on_cluster: Mutex<Option<Arc<dyn ExecutionPlan>>> = Mutex::new(None);
    let work = async {
        // Each table named, with the caller's access and its state to read.
        let mut loaded = Vec::with_capacity(names.len());
        for name in &names {
            let access = access_to(tables, name)?;
            loaded.push((access, inner.table(name, access.as_of).await?));
        }
        let versions_read = Instant::now();
        let versions: Vec<(&TableAccess, Option<u64>)> = loaded
            .iter()
            .map(|(a, t)| (*a, t.as_ref().and_then(|t| t.version())))
            .collect();
        let mut keep = is_query
            && inner.ballista_url.is_none()
            && inner.plans.enabled()
            && loaded.iter().all(|(a, _)| a.as_of.is_none());
        if keep && let Some(kept) = inner.plans.get(sql, &versions) {
            let task = Arc::new(TaskContext::new(
                None,
                "citygov-kept-plan".into(),
                kept.config.clone(),
                Default::default(),
                Default::default(),
                Default::default(),
                Default::default(),
                runtime(inner)?,
            ));
            let plan = reset_plan_states(kept.plan.clone())?;
            tracing::debug!(prepare_ms = ms(started, Instant::now()), "query plan reused");
            let (batches, rows) = collect(plan, task, limits.max_rows).await?;
            return Ok::<_, Error>((
                kept.schema.clone(),
                batches,
                rows,
                "datafusion",
                Some(kept.reads.clone()),
            ));
        }
        let ctx = session(inner)?;
        let made = Instant::now();
        let mut engine = "datafusion";
        keep &= register(inner, &ctx, &loaded, &reads).await?;
        let registered = Instant::now();
        let opts = SQLOptions::new()
            .with_allow_ddl(false)
            .with_allow_dml(false)
            .with_allow_statements(false);
        let mut df = ctx.sql_with_options(sql, opts).await?;
        keep &= crate::plans::timeless(df.logical_plan());
        if let Some(url) = &inner.ballista_url
            && !names.is_empty()
        {
            // Planned here first: the same checks and errors, and the columns read (for the
            // audit) as in process; then run on the cluster unless a table has no rows yet.
            df.clone().create_physical_plan().await?;
            let remote = crate::distributed::context(inner, url).await?;
            if crate::distributed::register(inner, &remote, &names, tables).await? {
                df = remote.sql_with_options(sql, opts).await?;
                engine = "ballista";
            }
        }
        let schema = df.schema().as_arrow().clone();
        let task = Arc::new(df.task_ctx());
        let planned = Instant::now();
        let mut plan = df.create_physical_plan().await?;
        let built = Instant::now();
        // On a cluster, `logical_plan_ms` also holds planning in process first (above).
        tracing::debug!(
            prepare_ms = ms(started, planned),
            resolve_ms = ms(started, resolved),
            session_ms = ms(versions_read, made),
            register_ms = ms(resolved, versions_read) + ms(made, registered),
            logical_plan_ms = ms(registered, planned),
            physical_plan_ms = ms(planned, built),
            "query planned"
        );
        if engine == "ballista" {
            *on_cluster.lock().expect("lock") = Some(plan.clone());
        }
        if keep && crate::plans::reusable(&plan) {
            // The kept plan never runs itself: this run, like every later one, runs a copy.
            let schema = Arc::new(schema.clone());
            let kept = crate::plans::Planned::new(
                versions.iter().map(|(a, v)| ((*a).clone(), *v)).collect(),
                plan.clone(),
                schema,
                sorted_reads(&reads),
                task.session_config().clone(),
            );
            inner.plans.put(sql, names.clone(), kept);
            plan = reset_plan_states(plan)?;
        }
        let (batches, rows) = collect(plan, task, limits.max_rows).await?;
        Ok::<_, Error>((Arc::new(schema), batches, rows, engine, None))
    };
    let mut work = std::pin::pin!(work);
    let outcome = tokio::time::timeout(limits.timeout, &mut work).await;
    let (schema, batches, rows, engine, kept_reads) = match outcome {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Err(e),
        Err(_) => {
            // A query sent to the cluster whose job the scheduler has not named yet: keep its
            // submission going a little longer, so that the job is known and can be
            // cancelled instead of running for nobody.
            let submitted = on_cluster.lock().expect("lock").clone();
            if let Some(plan) = submitted {
                let grace = Instant::now() + JOB_ID_GRACE;
                while crate::distributed::job_of(&plan).is_none() && Instant::now() < grace {
                    tokio::select! {
                        _ = &mut work => break,
                        _ = tokio::time::sleep(std::time::Duration::from_millis(20)) => {}
                    }
                }
            }
            let plan = on_cluster.lock().expect("lock").take();
            let job = match (&inner.ballista_url, plan) {
                (Some(url), Some(plan)) => crate::distributed::cancel(url, &plan).await,
                _ => None,
            };
            let secs = limits.timeout.as_secs();
            return Err(Error::Limit(match job {
                Some(job) => Problem::new(
                    "query_timeout",
                    format!("Truy vấn chạy quá {secs} giây và đã bị dừng; việc {job} trên cụm Ballista đã được huỷ."),
                    format!(
                        "The query ran longer than {secs} seconds and was stopped; its Ballista job {job} was cancelled."
                    ),
                ),
                None => Problem::new(
                    "query_timeout",
                    format!("Truy vấn chạy quá {secs} giây và đã bị dừng."),
                    format!("The query ran longer than {secs} seconds and was stopped."),
                ),
            }));
        }
    };
    let plan_reused = kept_reads.is_some();
    let reads = kept_reads.unwrap_or_else(|| sorted_reads(&reads));
    Ok(QueryOutput {
        columns: schema
            .fields()
            .iter()
            .map(|f| ResultColumn {
                name: f.name().clone(),
                data_type: f.data_type().to_string(),
            })
            .collect(),
        batches,
        rows,
        reads,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        engine,
        plan_reused,
    })
}

/// The columns a plan read, each once, in order.
fn sorted_reads(reads: &Mutex<Vec<ColumnRead>>) -> Vec<ColumnRead> {
    let mut reads = reads.lock().expect("lock").clone();
    reads.sort_by(|a, b| (&a.dataset, &a.column, a.masked).cmp(&(&b.dataset, &b.column, b.masked)));
    reads.dedup();
    reads
}
