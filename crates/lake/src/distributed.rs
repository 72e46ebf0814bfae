//! Distributed queries on an Apache Ballista cluster (`ballista_url`).
//!
//! The client sends the scheduler a logical plan; executors read the tables' Parquet files
//! themselves. So that a plan says nothing about where the warehouse lives, every node
//! reaches it through one object store registered under [`STORE_URL`] (a local folder or
//! S3, from the same `lake_url`), and each table is sent as the exact list of files of the
//! version being read (time travel included), taken from its Delta log on the client.
//!
//! Policies travel inside the plan: each table the caller may see is a view whose plan is
//! the file scan, then the row filter, then the masking projection (the same expressions as
//! in process, built from standard functions every node knows, and the function that opens
//! sealed columns, which every node registers with its own keys). The file scan is never
//! registered under a name, so the caller's SQL can only reach the view.
//!
//! `citygov lake scheduler` and `citygov lake executor` run a cluster's nodes with the
//! warehouse's store; [`start_local_cluster`] runs one scheduler and one executor in this
//! process on loopback ports (tests and a single machine).

use crate::policy::{column_expr, row_filter_expr, visible_columns};
use crate::{Error, Inner, Result, TableAccess};
use ballista::prelude::{SessionConfigExt, SessionContextExt};
use ballista_core::execution_plans::DistributedQueryExec;
use ballista_core::serde::protobuf::CancelJobParams;
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use citygov_domain::Problem;
use deltalake::DeltaTable;
use deltalake::arrow::datatypes::{DataType, Field, Schema};
use deltalake::datafusion::catalog::TableProvider;
use deltalake::datafusion::catalog::view::ViewTable;
use deltalake::datafusion::datasource::file_format::parquet::ParquetFormat;
use deltalake::datafusion::datasource::listing::{ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl};
use deltalake::datafusion::datasource::provider_as_source;
use deltalake::datafusion::execution::SessionStateBuilder;
use deltalake::datafusion::execution::memory_pool::FairSpillPool;
use deltalake::datafusion::execution::registry::FunctionRegistry;
use deltalake::datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use deltalake::datafusion::logical_expr::{LogicalPlanBuilder, ScalarUDF};
use deltalake::datafusion::physical_plan::ExecutionPlan;
use deltalake::datafusion::prelude::{SessionConfig, SessionContext};
use deltalake::logstore::object_store::path::Path as ObjectPath;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Where every node of a cluster finds the warehouse's tables.
pub(crate) const STORE_URL: &str = "citygov-lake://warehouse/";

/// A location's path within its bucket (or file system).
fn store_path(url: &Url) -> ObjectPath {
    ObjectPath::from_url_path(url.path()).unwrap_or_default()
}

fn store_url() -> Url {
    Url::parse(STORE_URL).expect("a valid URL")
}

/// A runtime with the warehouse's object store under [`STORE_URL`]; with a memory pool
/// that spills when `memory_bytes` is given.
fn runtime(inner: &Inner, memory_bytes: Option<usize>, temp_dir: Option<&str>) -> Result<Arc<RuntimeEnv>> {
    let mut b = RuntimeEnvBuilder::new().with_cache_manager(inner.caches.clone());
    if let Some(bytes) = memory_bytes {
        b = b.with_memory_pool(Arc::new(FairSpillPool::new(bytes)));
    }
    if let Some(dir) = temp_dir {
        b = b.with_temp_file_path(dir);
    }
    let rt = b.build()?;
    register_store(inner, &rt)?;
    Ok(Arc::new(rt))
}

/// Register the warehouse's object store under [`STORE_URL`]: the store of the whole bucket
/// (or file system), since a store rooted deeper would list objects under names that do not
/// match the paths asked for.
pub(crate) fn register_store(inner: &Inner, rt: &RuntimeEnv) -> Result<()> {
    let store = match inner.files_store.get() {
        Some(s) => s.clone(),
        None => {
            let mut base = inner.root.clone();
            base.set_path("/");
            let s = deltalake::logstore::store_for(&base, inner.storage_options.clone())?;
            inner.files_store.get_or_init(|| s).clone()
        }
    };
    rt.register_object_store(&store_url(), store);
    Ok(())
}

/// Whether a table's files read as plain Parquet: reader version 1, or only reader features
/// that change nothing in the data files (no column mapping, no deletion vectors).
fn plain_parquet(protocol: &impl serde::Serialize) -> Result<bool> {
    const PLAIN: &[&str] = &[
        "timestampNtz",
        "v2Checkpoint",
        "vacuumProtocolCheck",
        "checkpointProtection",
    ];
    let p = serde_json::to_value(protocol).map_err(|e| anyhow::anyhow!("Delta protocol: {e}"))?;
    Ok(match p["minReaderVersion"].as_i64() {
        Some(1) => true,
        Some(3) => p["readerFeatures"]
            .as_array()
            .is_none_or(|fs| fs.iter().all(|f| f.as_str().is_some_and(|f| PLAIN.contains(&f)))),
        _ => false,
    })
}

/// A table's Parquet files at the version loaded in `t`, as a file scan under [`STORE_URL`]
/// (what every engine, in process or on a cluster, reads). `None` when the table has no
/// files, or uses Delta features a plain file scan would read wrongly (partition columns,
/// column mapping, deletion vectors): the Delta reader then reads it.
pub(crate) async fn files_table(inner: &Inner, name: &str, t: &DeltaTable) -> Result<Option<Arc<ListingTable>>> {
    let snapshot = t.snapshot()?;
    if !plain_parquet(snapshot.protocol())? {
        return Ok(None);
    }
    // The Delta log names files relative to the table's folder.
    let table_dir = store_path(&inner.table_url(name));
    let mut paths = Vec::new();
    for f in snapshot.log_data() {
        if f.deletion_vector_descriptor().is_some() || !f.partition_values_map().is_empty() {
            return Ok(None);
        }
        let path = ObjectPath::from_iter(table_dir.parts().chain(f.object_store_path().parts()));
        paths.push(ListingTableUrl::parse(format!("{STORE_URL}{path}"))?);
    }
    if paths.is_empty() {
        return Ok(None);
    }
    let schema = snapshot.snapshot().arrow_schema();
    // Text read as string views: no copy of each value out of the Parquet pages, and faster
    // comparisons and grouping.
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 => f.as_ref().clone().with_data_type(DataType::Utf8View),
            _ => f.as_ref().clone(),
        })
        .collect();
    let schema = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    let options = ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
    // Each file's statistics are read once per warehouse, not once per query.
    Ok(Some(Arc::new(
        ListingTable::try_new(
            ListingTableConfig::new_with_multi_paths(paths)
                .with_listing_options(options)
                .with_schema(schema),
        )?
        .with_cache(inner.caches.file_statistics_cache.clone()),
    )))
}

fn config() -> SessionConfig {
    crate::planner::settings(
        SessionConfig::new_with_ballista()
            // The client asks for its job's state: the scheduler names the job as soon as it
            // is accepted, so a query past its time limit can cancel it (a pushed status
            // stream names it only with its first state change).
            .set_bool(ballista_core::config::BALLISTA_CLIENT_PULL, true),
    )
}

/// A session of a cluster's client or scheduler: the standard functions and the one that
/// opens sealed columns, and the planner's rules of an in-process query.
fn state_with(
    config: SessionConfig,
    rt: Arc<RuntimeEnv>,
    open: &Arc<ScalarUDF>,
) -> deltalake::datafusion::execution::SessionState {
    let mut state = crate::planner::with_rules(
        SessionStateBuilder::new()
            .with_config(config)
            .with_runtime_env(rt)
            .with_default_features(),
    )
    .build();
    let _ = state.register_udf(open.clone());
    state
}

fn unavailable(url: &str) -> Error {
    Error::Unavailable(Problem::new(
        "cluster_unavailable",
        format!("Không kết nối được cụm xử lý truy vấn (Ballista, {url}). Hãy thử lại sau hoặc báo quản trị viên."),
        format!("The query cluster (Ballista, {url}) cannot be reached. Try again later or tell an administrator."),
    ))
}

/// The gRPC address of the scheduler of `url` (`df://host:port`).
fn scheduler_addr(url: &str) -> Result<String> {
    let parsed = Url::parse(url).map_err(|_| unavailable(url))?;
    let host = parsed.host_str().ok_or_else(|| unavailable(url))?;
    Ok(format!("http://{host}:{}", parsed.port().unwrap_or(50050)))
}

/// A client session whose queries run on the cluster at `url` (`df://host:port`), once the
/// scheduler has answered.
pub(crate) async fn context(inner: &Inner, url: &str) -> Result<SessionContext> {
    let scheduler = scheduler_addr(url)?;
    match tokio::time::timeout(Duration::from_secs(10), SchedulerGrpcClient::connect(scheduler)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            tracing::warn!("Ballista scheduler {url}: {e}");
            return Err(unavailable(url));
        }
        Err(_) => {
            tracing::warn!("Ballista scheduler {url}: no answer in 10 s");
            return Err(unavailable(url));
        }
    }
    let state = state_with(
        config(),
        runtime(inner, Some(inner.limits.memory_bytes), None)?,
        &inner.open_fn,
    );
    SessionContext::remote_with_state(url, state)
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("Ballista cluster {url}: {e}")))
}

/// Cancel on the cluster the job that `plan` (a cluster query's plan, being executed)
/// submitted: dropping the client's stream only stops the client waiting, while the
/// executors would go on working for nobody. Returns the job's id when a job was cancelled.
pub(crate) async fn cancel(url: &str, plan: &Arc<dyn ExecutionPlan>) -> Option<String> {
    let job = job_of(plan)?;
    let connect = SchedulerGrpcClient::connect(scheduler_addr(url).ok()?);
    let mut client = match tokio::time::timeout(Duration::from_secs(10), connect).await {
        Ok(Ok(client)) => client,
        _ => {
            tracing::warn!("cancelling Ballista job {job}: the scheduler {url} cannot be reached");
            return None;
        }
    };
    match client.cancel_job(CancelJobParams { job_id: job.clone() }).await {
        Ok(_) => {
            tracing::info!("Ballista job {job} cancelled (past the query's time limit)");
            Some(job)
        }
        Err(e) => {
            tracing::warn!("cancelling Ballista job {job}: {e}");
            None
        }
    }
}

/// The cluster job of a plan (its root or, should a wrapper sit above it, a node below).
pub(crate) fn job_of(plan: &Arc<dyn ExecutionPlan>) -> Option<String> {
    if let Some(exec) = plan.downcast_ref::<DistributedQueryExec<datafusion_proto::protobuf::LogicalPlanNode>>() {
        return exec.job_id().map(|id| id.as_str().to_string());
    }
    plan.children().into_iter().find_map(job_of)
}

/// Register each table of `names` as a view holding its policy over the exact files of the
/// version read. `false` when a table has no rows yet (nothing to distribute: the caller
/// runs the query in process).
pub(crate) async fn register(
    inner: &Inner,
    ctx: &SessionContext,
    names: &[String],
    tables: &[TableAccess],
) -> Result<bool> {
    for name in names {
        let Some(access) = tables.iter().find(|a| &a.dataset.name == name) else {
            return Ok(false);
        };
        let Some(t) = inner.table(name, access.as_of).await? else {
            return Ok(false);
        };
        let Some(files) = files_table(inner, name, &t).await? else {
            return Ok(false);
        };
        let schema = files.schema();
        let mut plan = LogicalPlanBuilder::scan(format!("{name}_files"), provider_as_source(files), None)?;
        if let Some(rf) = row_filter_expr(access) {
            plan = plan.filter(rf)?;
        }
        let exprs = visible_columns(access, &schema)
            .into_iter()
            .map(|(c, _, masked)| column_expr(access, &c, masked, &inner.open_fn).alias(c));
        let view = ViewTable::new(plan.project(exprs)?.build()?, None);
        ctx.register_table(name.as_str(), Arc::new(view) as Arc<dyn TableProvider>)?;
    }
    Ok(true)
}

/// Start a scheduler and one executor in this process, on free loopback ports, both reaching
/// the warehouse's store (the same nodes as `citygov lake scheduler` and `citygov lake
/// executor`). Returns the URL for `ballista_url` once both listen.
pub(crate) async fn start_local_cluster(inner: Arc<Inner>, vcores: usize) -> Result<String> {
    let free_port = || -> Result<u16> {
        let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| anyhow::anyhow!("no free port: {e}"))?;
        Ok(l.local_addr().map_err(|e| anyhow::anyhow!("no free port: {e}"))?.port())
    };
    let scheduler = SocketAddr::from(([127, 0, 0, 1], free_port()?));
    let executor = SocketAddr::from(([127, 0, 0, 1], free_port()?));
    let control_port = free_port()?;
    let i = inner.clone();
    tokio::spawn(async move {
        if let Err(e) = serve_scheduler(&i, scheduler).await {
            tracing::error!("local Ballista scheduler: {e}");
        }
    });
    listening(scheduler).await?;
    let opts = ExecutorOptions {
        scheduler: scheduler.to_string(),
        bind: executor,
        control_port,
        external_host: None,
        vcores: vcores.max(1),
        memory_bytes: inner.limits.memory_bytes,
        work_dir: None,
    };
    tokio::spawn(async move {
        if let Err(e) = serve_executor(&inner, opts).await {
            tracing::error!("local Ballista executor: {e}");
        }
    });
    listening(executor).await?;
    listening(SocketAddr::from(([127, 0, 0, 1], control_port))).await?;
    Ok(format!("df://127.0.0.1:{}", scheduler.port()))
}

/// Wait until a node just started accepts connections at `addr` (at most a minute).
async fn listening(addr: SocketAddr) -> Result<()> {
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(Error::Internal(anyhow::anyhow!(
        "the Ballista node at {addr} did not start"
    )))
}

/// Run a scheduler bound to `bind` until the process stops.
pub(crate) async fn serve_scheduler(inner: &Inner, bind: SocketAddr) -> Result<()> {
    use ballista_scheduler::cluster::BallistaCluster;
    use ballista_scheduler::config::SchedulerConfig;
    let rt = runtime(inner, None, None)?;
    let open = inner.open_fn.clone();
    let config = SchedulerConfig {
        bind_host: bind.ip().to_string(),
        bind_port: bind.port(),
        external_host: bind.ip().to_string(),
        // Tasks are pushed to executors, which can then be told to stop a cancelled job's
        // running tasks (executors that pull tasks cannot).
        scheduling_policy: ballista_core::config::TaskSchedulingPolicy::PushStaged,
        override_session_builder: Some(Arc::new(move |c: SessionConfig| Ok(state_with(c, rt.clone(), &open)))),
        ..SchedulerConfig::default()
    };
    let cluster = BallistaCluster::new_from_config(&config)
        .await
        .map_err(|e| anyhow::anyhow!("Ballista scheduler: {e}"))?;
    ballista_scheduler::scheduler_process::start_server(cluster, bind, Arc::new(config))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("Ballista scheduler: {e}")))
}

/// Options of an executor node.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// The scheduler, `host:port`.
    pub scheduler: String,
    /// Where this executor listens for other executors and the client (Arrow Flight).
    pub bind: SocketAddr,
    /// The port (on the bind address) where the scheduler sends this executor its tasks and
    /// cancellations.
    pub control_port: u16,
    /// The host others reach this executor at (the bind address by default).
    pub external_host: Option<String>,
    /// Task slots (cores used); 0: every core.
    pub vcores: usize,
    /// Memory for the tasks; beyond it they spill to `work_dir`.
    pub memory_bytes: usize,
    /// Shuffle files and spills.
    pub work_dir: Option<PathBuf>,
}

/// Run an executor until the process stops.
pub(crate) async fn serve_executor(inner: &Inner, opts: ExecutorOptions) -> Result<()> {
    use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
    let (host, port) = opts.scheduler.rsplit_once(':').ok_or_else(|| {
        Error::Invalid(Problem::new(
            "invalid_scheduler",
            format!("Địa chỉ bộ điều phối «{}» phải có dạng máy:cổng.", opts.scheduler),
            format!("The scheduler address “{}” must be host:port.", opts.scheduler),
        ))
    })?;
    let port: u16 = port.parse().map_err(|_| {
        Error::Invalid(Problem::new(
            "invalid_scheduler",
            format!("Cổng của bộ điều phối «{port}» không hợp lệ."),
            format!("The scheduler port “{port}” is invalid."),
        ))
    })?;
    let work_dir = opts.work_dir.as_ref().map(|d| d.to_string_lossy().into_owned());
    if let Some(d) = &opts.work_dir {
        std::fs::create_dir_all(d).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", d.display()))?;
    }
    let rt = runtime(inner, None, work_dir.as_deref())?;
    // The standard functions, and the one that opens sealed columns with this node's keys.
    let mut functions = ballista_core::registry::BallistaFunctionRegistry::default();
    functions
        .scalar_functions
        .insert(inner.open_fn.name().to_string(), inner.open_fn.clone());
    let config = ExecutorProcessConfig {
        bind_host: opts.bind.ip().to_string(),
        port: opts.bind.port(),
        grpc_port: opts.control_port,
        external_host: opts.external_host.clone(),
        scheduler_host: host.to_string(),
        scheduler_port: port,
        vcores: opts.vcores,
        work_dir,
        memory_pool_size: Some(opts.memory_bytes as u64),
        task_scheduling_policy: ballista_core::config::TaskSchedulingPolicy::PushStaged,
        print_thread_info: false,
        override_runtime_producer: Some(Arc::new(move |_| Ok(rt.clone()))),
        override_function_registry: Some(Arc::new(functions)),
        ..ExecutorProcessConfig::default()
    };
    start_executor_process(Arc::new(config))
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("Ballista executor: {e}")))
}

#[cfg(test)]
mod tests {
    use super::plain_parquet;
    use serde_json::json;

    #[test]
    fn only_tables_whose_files_are_plain_parquet_are_read_as_files() {
        let cases = [
            (json!({"minReaderVersion": 1, "minWriterVersion": 2}), true),
            (
                json!({"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": ["timestampNtz"], "writerFeatures": ["timestampNtz"]}),
                true,
            ),
            (json!({"minReaderVersion": 2, "minWriterVersion": 5}), false),
            (
                json!({"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": ["deletionVectors"]}),
                false,
            ),
            (
                json!({"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": ["timestampNtz", "columnMapping"]}),
                false,
            ),
            (json!({"minReaderVersion": 4}), false),
        ];
        for (protocol, plain) in cases {
            assert_eq!(plain_parquet(&protocol).unwrap(), plain, "{protocol}");
        }
    }
}
