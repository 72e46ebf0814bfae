//! Loading into Delta tables, all or nothing: the file is read and checked on a blocking
//! thread while the table writer encodes the good batches on another, so both cores work;
//! the first problem aborts the writer (its files are never committed, so no version
//! appears) and reading goes on only to list the remaining problems. Upserts are merges on
//! the key. After a load the quality ("đúng, đủ, sạch, sống") of the new version is measured.

use crate::read::{self, RawBatch};
use crate::validate::Validator;
use crate::{CommitMeta, Error, Import, ImportReport, Inner, Mode, Result, RowProblem, VersionInfo, schema};
use citygov_domain::Problem;
use citygov_domain::lake::{ColumnCipher, Dataset, Quality, QualityCheck};
use deltalake::DeltaTable;
use deltalake::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, UInt32Array};
use deltalake::arrow::compute::{SortColumn, SortOptions, concat, interleave_record_batch, lexsort_to_indices};
use deltalake::arrow::datatypes::{Int64Type, SchemaRef};
use deltalake::arrow::error::ArrowError;
use deltalake::arrow::row::{RowConverter, SortField};
use deltalake::datafusion::catalog::streaming::StreamingTable;
use deltalake::datafusion::common::Column;
use deltalake::datafusion::common::hash_utils::{RandomState, create_hashes};
use deltalake::datafusion::error::DataFusionError;
use deltalake::datafusion::execution::TaskContext;
use deltalake::datafusion::logical_expr::{Expr, LogicalPlanBuilder};
use deltalake::datafusion::physical_plan::SendableRecordBatchStream;
use deltalake::datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use deltalake::datafusion::physical_plan::streaming::PartitionStream;
use deltalake::datafusion::prelude::SessionContext;
use deltalake::kernel::transaction::CommitProperties;
use deltalake::parquet::basic::{Compression, ZstdLevel};
use deltalake::parquet::file::properties::WriterProperties;
use deltalake::parquet::schema::types::ColumnPath;
use deltalake::protocol::SaveMode;
use futures::{StreamExt, TryStreamExt};
use std::sync::{Arc, Mutex};
use std::time::Instant;

type Sent = Result<RecordBatch, DataFusionError>;

/// The writer's input: batches arriving through a channel from the checking thread, after
/// the first one, already taken to choose the encodings.
#[derive(Debug)]
struct ChannelPartition {
    schema: SchemaRef,
    rx: Mutex<Option<(Option<Sent>, tokio::sync::mpsc::Receiver<Sent>)>>,
}

impl PartitionStream for ChannelPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }
    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let rx = self.rx.lock().expect("lock").take();
        let stream = match rx {
            Some((first, rx)) => futures::stream::iter(first).chain(tokio_stream(rx)).boxed(),
            None => {
                futures::stream::once(async { Err(DataFusionError::Execution("the input was already read".into())) })
                    .boxed()
            }
        };
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), stream))
    }
}

fn tokio_stream<T: Send + 'static>(mut rx: tokio::sync::mpsc::Receiver<T>) -> impl futures::Stream<Item = T> + Send {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// A column is dictionary-encoded when the sample holds at most one distinct value in this
/// many rows.
const DICTIONARY_MAX_SHARE: usize = 8;

/// Rows a sample needs for its columns' repetition to decide their encoding.
const DICTIONARY_MIN_ROWS: usize = 4096;

/// The writer's properties for data whose first batch is `sample` (every write of a load,
/// an overwrite or an upsert): columns whose values hardly repeat there (identifiers,
/// instants, names, sealed values) are written without a dictionary. The writer would
/// otherwise intern each of their values, to give the dictionary up once it outgrows its page
/// in every row group; the rest keep theirs. Without a sample of [`DICTIONARY_MIN_ROWS`],
/// every column keeps its dictionary.
fn writer_properties(inner: &Inner, sample: Option<&RecordBatch>) -> WriterProperties {
    let mut b = WriterProperties::builder()
        .set_max_row_group_row_count(Some(inner.row_group_rows))
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).expect("level 1")));
    if let Some(sample) = sample.filter(|s| s.num_rows() >= DICTIONARY_MIN_ROWS) {
        let limit = sample.num_rows() / DICTIONARY_MAX_SHARE;
        for (field, column) in sample.schema().fields().iter().zip(sample.columns()) {
            if !field.data_type().is_nested() && more_distinct(column, limit) {
                b = b.set_column_dictionary_enabled(ColumnPath::from(field.name().as_str()), false);
            }
        }
    }
    b.build()
}

/// Whether `column` holds more than `limit` distinct values (nulls aside); stops counting there.
fn more_distinct(column: &ArrayRef, limit: usize) -> bool {
    let Ok(converter) = RowConverter::new(vec![SortField::new(column.data_type().clone())]) else {
        return false;
    };
    let Ok(rows) = converter.convert_columns(std::slice::from_ref(column)) else {
        return false;
    };
    let mut seen = std::collections::HashSet::with_capacity(limit + 1);
    (0..rows.num_rows())
        .filter(|&i| column.is_valid(i))
        .any(|i| seen.insert(rows.row(i)) && seen.len() > limit)
}

/// A commit's properties: who, which unit, why and from what, the application transaction
/// of a continuous feed, and the operation's figures where the write does not add its own.
fn commit_properties(
    meta: &CommitMeta,
    app_txn: &Option<(String, i64)>,
    metrics: Option<serde_json::Value>,
) -> CommitProperties {
    let mut cp = CommitProperties::default().with_metadata(
        [
            ("citygov.user".to_string(), serde_json::json!(meta.user)),
            ("citygov.unit".to_string(), serde_json::json!(meta.unit)),
            ("citygov.reason".to_string(), serde_json::json!(meta.reason)),
            ("citygov.source".to_string(), serde_json::json!(meta.source)),
        ]
        .into_iter()
        .chain(metrics.map(|m| ("operationMetrics".to_string(), m))),
    );
    if let Some((app, v)) = app_txn {
        cp = cp.with_application_transaction(deltalake::kernel::Transaction::new(app, *v));
    }
    cp
}

fn refused(problems: Vec<RowProblem>, total: usize) -> Error {
    Error::BadFile { problems, total }
}

struct Checked {
    rows: u64,
    problems: Vec<RowProblem>,
    total: usize,
    /// The converted batches, kept only for upserts.
    kept: Vec<RecordBatch>,
    /// What was counted of the rows, when they make up the whole new version.
    counted: Option<Counted>,
}

/// Rows whose key hashes a load keeps to find repeated keys itself (8 bytes each); a larger
/// load leaves the check to a query over the new version.
const KEY_HASHES_MAX: usize = 128 * 1024 * 1024;

/// What a load counts of its rows while it checks them, when they make up the whole new
/// version (a first load or an overwrite): the quality measures of that version then need
/// no query over it.
pub(crate) struct Counted {
    rows: i64,
    /// Values present in each column of the table, by name.
    filled: Vec<(String, i64)>,
    /// Rows repeating an earlier row's key, when counted exactly: `None` when two keys share
    /// a hash or the load was too large to keep them, and a query counts.
    repeated_keys: Option<i64>,
}

/// Counts the values present per column and hashes the key of every row, as the batches are
/// checked (before any value is sealed, so a sealed key counts by its value).
struct Counter {
    names: Vec<String>,
    filled: Vec<i64>,
    key: Vec<usize>,
    /// The key's hash of every row so far; dropped past [`KEY_HASHES_MAX`].
    hashes: Option<Vec<u64>>,
}

impl Counter {
    fn new(dataset: &Dataset, schema: &SchemaRef) -> Counter {
        let key: Vec<usize> = dataset.key.iter().filter_map(|k| schema.index_of(k).ok()).collect();
        Counter {
            names: schema.fields().iter().map(|f| f.name().clone()).collect(),
            filled: vec![0; schema.fields().len()],
            hashes: (!key.is_empty() && key.len() == dataset.key.len()).then(Vec::new),
            key,
        }
    }

    fn add(&mut self, batch: &RecordBatch) {
        for (n, c) in self.filled.iter_mut().zip(batch.columns()) {
            *n += (c.len() - c.null_count()) as i64;
        }
        if let Some(h) = &mut self.hashes {
            let from = h.len();
            if from + batch.num_rows() > KEY_HASHES_MAX {
                self.hashes = None;
                return;
            }
            h.resize(from + batch.num_rows(), 0);
            let columns: Vec<&ArrayRef> = self.key.iter().map(|&i| batch.column(i)).collect();
            if create_hashes(columns, &RandomState::with_seed(0), &mut h[from..]).is_err() {
                self.hashes = None;
            }
        }
    }

    /// The counts of `rows` rows. Distinct hashes mean distinct keys, so no key repeats;
    /// a shared hash may be a repeated key or two keys alike in hash only.
    fn finish(self, rows: u64) -> Counted {
        let repeated_keys = self.hashes.and_then(|mut h| {
            h.sort_unstable();
            (!h.windows(2).any(|w| w[0] == w[1])).then_some(0)
        });
        Counted {
            rows: rows as i64,
            filled: self.names.into_iter().zip(self.filled).collect(),
            repeated_keys,
        }
    }
}

/// Rows of a load buffered and written sorted by the dataset's cluster columns: whole row
/// groups, so that most row groups hold one value of the first cluster column, while every
/// file still spans all its values (both halves of a scan find rows to read).
struct Cluster {
    columns: Vec<usize>,
    /// Rows per row group; a chunk of [`CLUSTER_ROW_GROUPS`] of them is sorted at a time.
    row_group_rows: usize,
    buffer: Vec<RecordBatch>,
    buffered: usize,
}

impl Cluster {
    fn new(dataset: &Dataset, schema: &SchemaRef, row_group_rows: usize) -> Option<Cluster> {
        let columns: Vec<usize> = dataset
            .cluster_by
            .iter()
            .filter_map(|c| schema.index_of(c).ok())
            .collect();
        (!columns.is_empty()).then(|| Cluster {
            columns,
            row_group_rows: row_group_rows.max(1),
            buffer: Vec::new(),
            buffered: 0,
        })
    }

    /// Take a batch; once enough rows are buffered, hand the chunk's sorted row groups to
    /// `emit`. False once `emit` has refused one (the writer stopped).
    fn push(&mut self, batch: RecordBatch, emit: &mut impl FnMut(Sent) -> bool) -> bool {
        self.buffered += batch.num_rows();
        self.buffer.push(batch);
        if self.buffered >= self.row_group_rows.saturating_mul(CLUSTER_ROW_GROUPS) {
            self.flush(emit)
        } else {
            true
        }
    }

    /// Hand the buffered rows to `emit` sorted by the cluster columns (nulls last), one batch
    /// per row group, each sent before the next is gathered. Only the cluster columns are
    /// joined to be sorted; each row group's rows are gathered from the buffered batches, so
    /// the chunk is never copied whole into fresh memory. False once `emit` has refused one
    /// or an error was sent.
    fn flush(&mut self, emit: &mut impl FnMut(Sent) -> bool) -> bool {
        let batches = std::mem::take(&mut self.buffer);
        self.buffered = 0;
        if batches.is_empty() {
            return true;
        }
        let order = match self.order(&batches) {
            Ok(o) => o,
            Err(e) => {
                emit(Err(e.into()));
                return false;
            }
        };
        let at: Vec<(usize, usize)> = batches
            .iter()
            .enumerate()
            .flat_map(|(b, batch)| (0..batch.num_rows()).map(move |r| (b, r)))
            .collect();
        let refs: Vec<&RecordBatch> = batches.iter().collect();
        order.values().chunks(self.row_group_rows).all(|group| {
            let rows: Vec<(usize, usize)> = group.iter().map(|&i| at[i as usize]).collect();
            match interleave_record_batch(&refs, &rows) {
                Ok(b) => emit(Ok(b)),
                Err(e) => {
                    emit(Err(e.into()));
                    false
                }
            }
        })
    }

    /// The order of the buffered rows by the cluster columns (nulls last).
    fn order(&self, batches: &[RecordBatch]) -> Result<UInt32Array, ArrowError> {
        let keys = self
            .columns
            .iter()
            .map(|&i| {
                let parts: Vec<&dyn Array> = batches.iter().map(|b| b.column(i).as_ref()).collect();
                Ok(SortColumn {
                    values: concat(&parts)?,
                    options: Some(SortOptions::new(false, false)),
                })
            })
            .collect::<Result<Vec<_>, ArrowError>>()?;
        lexsort_to_indices(&keys, None)
    }
}

/// Row groups per sorted chunk of a clustered load.
const CLUSTER_ROW_GROUPS: usize = 8;

/// What a load checks its file against, and how it hands the file on.
struct CheckPlan {
    dataset: Dataset,
    target: SchemaRef,
    source: crate::Source,
    /// Problems listed at most.
    max: usize,
    /// The key of an upsert (empty otherwise).
    key: Vec<String>,
    progress: Option<crate::Progress>,
    allow_empty: bool,
    /// Rows per row group of a clustered load (0: in file order).
    row_group_rows: usize,
    cipher: Option<Arc<dyn ColumnCipher>>,
    /// Whether the rows make up the whole new version, to be counted for its quality.
    count: bool,
}

/// Check the file of `plan`, sending its good batches to `tx` as they come (the writer of an
/// append or overwrite) or keeping them in [`Checked::kept`] (an upsert).
fn check_source(plan: &CheckPlan, mut tx: Option<tokio::sync::mpsc::Sender<Sent>>) -> Checked {
    let CheckPlan {
        dataset,
        target,
        source,
        max,
        key,
        progress,
        allow_empty,
        row_group_rows,
        cipher,
        count,
    } = plan;
    let mut cluster = Cluster::new(dataset, target, *row_group_rows);
    let mut counter = count.then(|| Counter::new(dataset, target));
    let mut v = Validator::new(dataset, target.clone(), *max, key);
    // A refused file stops the writer, which then commits nothing.
    let abort = |tx: &mut Option<tokio::sync::mpsc::Sender<Sent>>| {
        if let Some(t) = tx.take() {
            let _ = t.blocking_send(Err(DataFusionError::Execution("the file was refused".into())));
        }
    };
    let input = match read::open(source) {
        Ok(i) => i,
        Err(ps) => {
            abort(&mut tx);
            let total = ps.len();
            return Checked {
                rows: 0,
                problems: ps,
                total,
                kept: Vec::new(),
                counted: None,
            };
        }
    };
    v.check_columns(&input.columns, true);
    let mut rows = 0u64;
    let mut kept = Vec::new();
    if v.total > 0 {
        abort(&mut tx);
    }
    for b in input.batches {
        match b {
            Err(ps) => {
                v.extend(ps);
                abort(&mut tx);
            }
            Ok(raw) => {
                let raw: RawBatch = raw;
                rows += raw.batch.num_rows() as u64;
                if let Some(p) = &progress {
                    p(rows);
                }
                let converted = v.convert(&raw);
                if v.total > 0 {
                    abort(&mut tx);
                    kept.clear();
                    continue;
                }
                if let Some(batch) = converted {
                    if let Some(c) = &mut counter {
                        c.add(&batch);
                    }
                    let batch = match &cipher {
                        Some(c) => crate::cipher::seal_batch(batch, dataset, c.as_ref()),
                        None => batch,
                    };
                    match &tx {
                        Some(t) => {
                            let mut send = |b: Sent| t.blocking_send(b).is_ok();
                            let sent = match &mut cluster {
                                Some(c) => c.push(batch, &mut send),
                                None => send(Ok(batch)),
                            };
                            if !sent {
                                // The writer stopped (its error is reported by the caller).
                                tx = None;
                            }
                        }
                        None => kept.push(batch),
                    }
                }
            }
        }
    }
    if let (Some(t), Some(c)) = (&tx, &mut cluster)
        && v.total == 0
        && c.buffered > 0
    {
        c.flush(&mut |b| t.blocking_send(b).is_ok());
    }
    if rows == 0 && v.total == 0 && !*allow_empty {
        v.push(read::file_problem(
            "no_rows",
            "Tệp không có dòng dữ liệu nào.",
            "The file has no data rows.",
        ));
        abort(&mut tx);
    }
    // In file order: by row, then by the catalog's column order.
    let order = |c: &Option<String>| {
        c.as_ref()
            .and_then(|c| dataset.fields.iter().position(|f| &f.name == c))
            .unwrap_or(0)
    };
    let mut problems = v.problems;
    problems.sort_by_key(|p| (p.row.unwrap_or(0), order(&p.column)));
    Checked {
        rows,
        problems,
        total: v.total,
        kept,
        counted: counter.filter(|_| v.total == 0).map(|c| c.finish(rows)),
    }
}

pub(crate) async fn import(inner: &Inner, d: &Dataset, req: Import) -> Result<ImportReport> {
    let started = Instant::now();
    let key: Vec<String> = match req.mode {
        Mode::Upsert if req.key.is_empty() => d.key.clone(),
        Mode::Upsert => req.key.clone(),
        _ => Vec::new(),
    };
    if req.mode == Mode::Upsert {
        if key.is_empty() {
            return Err(Error::Invalid(
                Problem::new(
                    "upsert_needs_key",
                    "Cập nhật theo khoá cần một cột khoá (--key hoặc khoá của bộ dữ liệu).",
                    "An upsert needs a key column (--key or the dataset's key).",
                )
                .at("key"),
            ));
        }
        if let Some(k) = key.iter().find(|k| d.field(k).is_none()) {
            return Err(Error::Invalid(
                Problem::new(
                    "unknown_key_field",
                    format!("Khoá «{k}» không phải là một trường của bộ dữ liệu."),
                    format!("Key “{k}” is not a field of the dataset."),
                )
                .at("key"),
            ));
        }
    }
    let lock = inner.write_lock(&d.name);
    let _turn = lock.lock().await;
    let target = schema::table_schema(d);
    let table = match inner.table(&d.name, None).await? {
        Some(t) => t,
        None => {
            DeltaTable::try_from_url_with_storage_options(inner.table_url(&d.name), inner.storage_options.clone())
                .await?
        }
    };
    // The version the load builds on: the rows it counts make up the whole new version when
    // there is none yet or it overwrites.
    let base = table.version();
    let check = CheckPlan {
        dataset: d.clone(),
        target: target.clone(),
        source: req.source.clone(),
        max: req.max_problems.max(1),
        key: key.clone(),
        progress: req.progress.clone(),
        allow_empty: req.allow_empty,
        // An upsert merges its rows by key: not clustered.
        row_group_rows: if req.mode == Mode::Upsert {
            0
        } else {
            inner.row_group_rows
        },
        cipher: inner.cipher.get().cloned(),
        count: req.mode == Mode::Overwrite || base.is_none(),
    };

    let table = if req.mode == Mode::Upsert {
        let checked = tokio::task::spawn_blocking(move || check_source(&check, None))
            .await
            .map_err(|e| anyhow::anyhow!("checking thread: {e}"))?;
        if checked.total > 0 {
            return Err(refused(checked.problems, checked.total));
        }
        let cp = commit_properties(&req.commit, &req.app_txn, None);
        let t = crate::cipher::retrying(&inner.cipher, || {
            upsert(inner, table.clone(), d, &key, checked.kept.clone(), cp.clone())
        })
        .await?;
        (t, checked.rows, checked.counted)
    } else {
        let (tx, mut rx) = tokio::sync::mpsc::channel(4);
        let checker = tokio::task::spawn_blocking(move || check_source(&check, Some(tx)));
        let first = rx.recv().await;
        let props = writer_properties(inner, first.as_ref().and_then(|b| b.as_ref().ok()));
        let written = if crate::write::fits(&table, &target) {
            let batches = futures::stream::iter(first).chain(tokio_stream(rx)).boxed();
            crate::write::write(
                table,
                &d.name,
                target.clone(),
                props,
                req.mode == Mode::Overwrite,
                |metrics| commit_properties(&req.commit, &req.app_txn, Some(metrics)),
                batches,
            )
            .await
        } else {
            let partition = Arc::new(ChannelPartition {
                schema: target.clone(),
                rx: Mutex::new(Some((first, rx))),
            });
            let provider = StreamingTable::try_new(target.clone(), vec![partition])?;
            let plan = LogicalPlanBuilder::scan(
                "input",
                deltalake::datafusion::datasource::provider_as_source(Arc::new(provider)),
                None,
            )?
            .build()?;
            let (save, schema_mode) = match req.mode {
                Mode::Overwrite => (SaveMode::Overwrite, deltalake::operations::write::SchemaMode::Overwrite),
                _ => (SaveMode::Append, deltalake::operations::write::SchemaMode::Merge),
            };
            let ctx = SessionContext::new();
            table.update_datafusion_session(&ctx.state())?;
            let write = table
                .write(Vec::new())
                .with_input_plan(plan)
                .with_save_mode(save)
                .with_schema_mode(schema_mode)
                .with_writer_properties(props)
                .with_commit_properties(commit_properties(&req.commit, &req.app_txn, None))
                .with_table_name(d.name.clone());
            write.await.map_err(Error::from)
        };
        // A refused file is reported as such, whatever the writer made of its abort.
        let checked = checker.await.map_err(|e| anyhow::anyhow!("checking thread: {e}"))?;
        if checked.total > 0 {
            return Err(refused(checked.problems, checked.total));
        }
        (written?, checked.rows, checked.counted)
    };
    let (table, rows, counted) = table;
    let version = table.version().map(|v| v as i64).unwrap_or(0);
    // The counts stand for the version only when no other commit came between.
    let counted = counted.filter(|_| version == base.map_or(0, |b| b as i64 + 1));
    inner.put_table(&d.name, table).await;
    let written = started.elapsed();
    let quality = measure_quality(inner, d, version, counted)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the table has no version after a load"))?;
    tracing::debug!(
        dataset = %d.name,
        rows,
        write_ms = written.as_millis() as u64,
        quality_ms = (started.elapsed() - written).as_millis() as u64,
        "load committed and measured"
    );
    Ok(ImportReport {
        dataset: d.name.clone(),
        version,
        mode: req.mode,
        rows,
        seconds: started.elapsed().as_secs_f64(),
        quality,
    })
}

pub(crate) async fn vacuum(inner: &Inner, name: &str, keep: chrono::Duration, dry_run: bool) -> Result<usize> {
    let lock = inner.write_lock(name);
    let _turn = lock.lock().await;
    let Some(table) = inner.table(name, None).await? else {
        return Ok(0);
    };
    let (table, metrics) = table
        .vacuum()
        .with_retention_period(keep)
        .with_enforce_retention_duration(false)
        .with_dry_run(dry_run)
        .with_commit_properties(commit_properties(
            &CommitMeta {
                user: "citygov".into(),
                unit: String::new(),
                reason: "retention".into(),
                source: "vacuum".into(),
            },
            &None,
            None,
        ))
        .await?;
    inner.put_table(name, table).await;
    Ok(metrics.files_deleted.len())
}

async fn upsert(
    inner: &Inner,
    table: DeltaTable,
    d: &Dataset,
    key: &[String],
    batches: Vec<RecordBatch>,
    cp: CommitProperties,
) -> Result<DeltaTable> {
    let props = writer_properties(inner, batches.first());
    if table.version().is_none() {
        // A first load: nothing to merge with.
        let t = table
            .write(batches)
            .with_save_mode(SaveMode::Append)
            .with_writer_properties(props)
            .with_commit_properties(cp)
            .with_table_name(d.name.clone())
            .await?;
        return Ok(t);
    }
    let ctx = SessionContext::new();
    table.update_datafusion_session(&ctx.state())?;
    let source = ctx.read_batches(batches)?;
    let qualified = |rel: &str, c: &str| Expr::Column(Column::new(Some(rel), c));
    // A sealed key is compared opened (each sealing of a value differs).
    let side = |rel: &str, k: &str| match inner.cipher.get() {
        Some(_) if d.is_sealed(k) => crate::cipher::open_expr(&inner.open_fn, qualified(rel, k), &d.name, k),
        _ => qualified(rel, k),
    };
    let predicate = key
        .iter()
        .map(|k| side("target", k).eq(side("source", k)))
        .reduce(|a, b| a.and(b))
        .expect("a key");
    let names: Vec<String> = d.fields.iter().map(|f| f.name.clone()).collect();
    let names2 = names.clone();
    let (t, _metrics) = table
        .merge(source, predicate)
        .with_source_alias("source")
        .with_target_alias("target")
        .with_merge_schema(true)
        .with_writer_properties(props)
        .with_commit_properties(cp)
        .when_matched_update(move |mut u| {
            for n in &names {
                u = u.update(n.as_str(), qualified("source", n));
            }
            u
        })?
        .when_not_matched_insert(move |mut i| {
            for n in &names2 {
                i = i.set(n.as_str(), qualified("source", n));
            }
            i
        })?
        .await?;
    Ok(t)
}

/// One SQL query over one table, for the quality measures (no policy: the platform's own).
async fn scalar_query(inner: &Inner, table: &DeltaTable, sql: &str) -> Result<Vec<RecordBatch>> {
    crate::cipher::retrying(&inner.cipher, || scalar_query_once(inner, table, sql)).await
}

async fn scalar_query_once(inner: &Inner, table: &DeltaTable, sql: &str) -> Result<Vec<RecordBatch>> {
    let ctx = SessionContext::new();
    ctx.register_udf(inner.open_fn.as_ref().clone());
    table.update_datafusion_session(&ctx.state())?;
    let provider = table
        .table_provider()
        .await
        .map_err(|e| anyhow::anyhow!("provider: {e}"))?;
    ctx.register_table("t", provider)?;
    Ok(ctx.sql(sql).await?.collect().await?)
}

fn quote(c: &str) -> String {
    format!("\"{}\"", c.replace('"', "\"\""))
}

/// Measure "đúng, đủ, sạch, sống" on a version (`0`: the latest), from what its load
/// `counted` where it counted the whole version, else by queries over it.
pub(crate) async fn measure_quality(
    inner: &Inner,
    d: &Dataset,
    version: i64,
    counted: Option<Counted>,
) -> Result<Option<Quality>> {
    let as_of = if version > 0 {
        Some(crate::AsOf::Version(version))
    } else {
        None
    };
    let Some(table) = inner.table(&d.name, as_of).await? else {
        return Ok(None);
    };
    let version = table.version().map(|v| v as i64).unwrap_or(0);
    let schema_names: Vec<String> = table
        .snapshot()?
        .schema()
        .fields()
        .map(|f| f.name().to_string())
        .collect();
    let fields: Vec<&citygov_domain::lake::Field> =
        d.fields.iter().filter(|f| schema_names.contains(&f.name)).collect();
    let (rows, filled) = match &counted {
        Some(c) => {
            let filled = fields
                .iter()
                .map(|f| c.filled.iter().find(|(n, _)| n == &f.name).map_or(0, |(_, n)| *n))
                .collect();
            (c.rows, filled)
        }
        None => {
            let mut sql = String::from("SELECT COUNT(*)");
            for f in &fields {
                sql.push_str(&format!(", COUNT({})", quote(&f.name)));
            }
            sql.push_str(" FROM t");
            let batches = scalar_query(inner, &table, &sql).await?;
            let b = &batches[0];
            let get = |i: usize| b.column(i).as_primitive::<Int64Type>().value(0);
            (get(0), (0..fields.len()).map(|i| get(i + 1)).collect::<Vec<i64>>())
        }
    };
    let cells = rows * d.fields.len() as i64;
    let filled_cells: i64 = filled.iter().sum();
    let missing_required: i64 = fields
        .iter()
        .zip(&filled)
        .filter(|(f, _)| f.required)
        .map(|(_, n)| rows - n)
        .sum::<i64>()
        + d.fields
            .iter()
            .filter(|f| f.required && !schema_names.contains(&f.name))
            .count() as i64
            * rows;
    let share = |a: i64, b: i64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let correct_share = share(
        rows * d.fields.iter().filter(|f| f.required).count() as i64 - missing_required,
        rows * d.fields.iter().filter(|f| f.required).count() as i64,
    );
    let correct = QualityCheck {
        passed: missing_required == 0,
        measure: correct_share,
        detail_vi: format!(
            "{rows} dòng đã kiểm tra kiểu dữ liệu khi nạp; {missing_required} giá trị bắt buộc còn thiếu."
        ),
        detail_en: format!("{rows} rows type-checked on load; {missing_required} required values missing."),
    };
    let complete_share = share(filled_cells, cells);
    let complete = QualityCheck {
        passed: complete_share >= 0.9,
        measure: complete_share,
        detail_vi: format!(
            "{:.1}% ô có dữ liệu ({filled_cells}/{cells}); đạt khi từ 90%.",
            complete_share * 100.0
        ),
        detail_en: format!(
            "{:.1}% of cells filled ({filled_cells}/{cells}); passes from 90%.",
            complete_share * 100.0
        ),
    };
    let key: Vec<String> = d.key.iter().filter(|k| schema_names.contains(k)).cloned().collect();
    let clean = if key.is_empty() {
        QualityCheck {
            passed: true,
            measure: 1.0,
            detail_vi: "Bộ dữ liệu không khai báo khoá: không kiểm tra trùng lặp.".into(),
            detail_en: "The dataset declares no key: duplicates not checked.".into(),
        }
    } else {
        let dups = match counted.as_ref().and_then(|c| c.repeated_keys) {
            Some(n) => n,
            None => repeated_keys(inner, d, &table, &key).await?,
        };
        QualityCheck {
            passed: dups == 0,
            measure: share(rows - dups, rows),
            detail_vi: format!("{dups} dòng trùng khoá ({}).", key.join(", ")),
            detail_en: format!("{dups} rows repeat a key ({}).", key.join(", ")),
        }
    };
    let last = last_commit_millis(&table).await?;
    let now = chrono::Utc::now();
    let age_days = last.map(|ms| (now.timestamp_millis() - ms) as f64 / 86_400_000.0);
    let live = match (d.frequency.live_days(), age_days) {
        (Some(limit), Some(age)) => QualityCheck {
            passed: age <= limit as f64,
            measure: age,
            detail_vi: format!(
                "Cập nhật lần cuối {age:.1} ngày trước; tần suất {} cho phép tối đa {limit} ngày.",
                d.frequency.as_str()
            ),
            detail_en: format!(
                "Last updated {age:.1} days ago; frequency {} allows {limit} days.",
                d.frequency.as_str()
            ),
        },
        (None, age) => QualityCheck {
            passed: true,
            measure: age.unwrap_or(0.0),
            detail_vi: "Cập nhật không định kỳ.".into(),
            detail_en: "Updated irregularly.".into(),
        },
        (Some(_), None) => QualityCheck {
            passed: false,
            measure: 0.0,
            detail_vi: "Không rõ thời điểm cập nhật.".into(),
            detail_en: "Update time unknown.".into(),
        },
    };
    Ok(Some(Quality {
        version,
        checked_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        rows,
        correct,
        complete,
        clean,
        live,
    }))
}

/// Rows of `table` repeating an earlier row's `key`, by a query. A sealed key is grouped
/// opened (each sealing of a value differs).
async fn repeated_keys(inner: &Inner, d: &Dataset, table: &DeltaTable, key: &[String]) -> Result<i64> {
    let cols = key
        .iter()
        .map(|k| match inner.cipher.get() {
            Some(_) if d.is_sealed(k) => format!(
                "{}({}, '{}')",
                crate::cipher::OPEN_FUNCTION,
                quote(k),
                crate::cipher::column_id(&d.name, k)
            ),
            _ => quote(k),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM t GROUP BY {cols} HAVING COUNT(*) > 1)"
    );
    let b = scalar_query(inner, table, &sql).await?;
    Ok(match b.first() {
        Some(b) if b.num_rows() > 0 => {
            deltalake::arrow::compute::cast(b.column(0), &deltalake::arrow::datatypes::DataType::Int64)?
                .as_primitive::<Int64Type>()
                .value(0)
        }
        _ => 0,
    })
}

/// Whether a commit only removed stale files (it changed no data).
fn is_vacuum(operation: Option<&str>) -> bool {
    operation.is_some_and(|o| o.starts_with("VACUUM"))
}

/// When the data last changed (a vacuum is not a change).
async fn last_commit_millis(table: &DeltaTable) -> Result<Option<i64>> {
    let infos: Vec<_> = table.history(Some(10)).try_collect().await?;
    Ok(infos
        .iter()
        .find(|c| !is_vacuum(c.operation.as_deref()))
        .and_then(|c| c.timestamp))
}

pub(crate) async fn history(inner: &Inner, name: &str, limit: usize) -> Result<Vec<VersionInfo>> {
    let Some(table) = inner.table(name, None).await? else {
        return Ok(Vec::new());
    };
    let latest = table.version().map(|v| v as i64).unwrap_or(0);
    let infos: Vec<_> = table.history(Some(limit.max(1))).try_collect().await?;
    let s = |c: &deltalake::kernel::CommitInfo, k: &str| {
        c.info.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string()
    };
    Ok(infos
        .iter()
        .enumerate()
        .map(|(i, c)| VersionInfo {
            version: c
                .info
                .get("version")
                .and_then(|v| v.as_i64())
                .unwrap_or(latest - i as i64),
            at: c
                .timestamp
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            operation: c.operation.clone().unwrap_or_default(),
            user: s(c, "citygov.user"),
            unit: s(c, "citygov.unit"),
            reason: s(c, "citygov.reason"),
            source: s(c, "citygov.source"),
            rows_written: c
                .info
                .get("operationMetrics")
                .and_then(|m| m.get("num_added_rows").or_else(|| m.get("num_target_rows_inserted")))
                .and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))),
        })
        .collect())
}

pub(crate) async fn app_txn_version(inner: &Inner, name: &str, app_id: &str) -> Result<Option<i64>> {
    let Some(table) = inner.table(name, None).await? else {
        return Ok(None);
    };
    Ok(table
        .snapshot()?
        .transaction_version(table.log_store().as_ref(), app_id)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use citygov_domain::lake::{Classification, Field, FieldType, Frequency};
    use deltalake::arrow::array::{Int64Array, StringArray};

    fn batch(schema: &SchemaRef, ids: &[i64], names: &[Option<&str>]) -> RecordBatch {
        RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(ids.to_vec())),
                Arc::new(StringArray::from(names.to_vec())),
            ],
        )
        .unwrap()
    }

    #[test]
    fn a_load_counts_values_and_vouches_for_its_keys_only_when_no_hash_repeats() {
        let mut d = Dataset::new(
            "t",
            "U",
            "s",
            "T",
            "theme",
            Frequency::Irregular,
            vec![
                Field::new("id", FieldType::Integer, Classification::Public, true),
                Field::new("name", FieldType::Text, Classification::Public, false),
            ],
        );
        d.key = vec!["id".into()];
        let schema = schema::table_schema(&d);
        let count = |d: &Dataset, batches: &[RecordBatch]| {
            let mut c = Counter::new(d, &schema);
            batches.iter().for_each(|b| c.add(b));
            c.finish(batches.iter().map(|b| b.num_rows() as u64).sum())
        };
        let unique = count(
            &d,
            &[
                batch(&schema, &[1, 2, 3], &[Some("a"), None, Some("c")]),
                batch(&schema, &[4, 5], &[None, None]),
            ],
        );
        assert_eq!(unique.rows, 5);
        assert_eq!(unique.filled, vec![("id".to_string(), 5), ("name".to_string(), 2)]);
        assert_eq!(unique.repeated_keys, Some(0));
        // A key repeated across batches: the count is left to the query.
        let repeated = count(
            &d,
            &[
                batch(&schema, &[1, 2, 3], &[Some("a"), None, Some("c")]),
                batch(&schema, &[3, 5], &[None, None]),
            ],
        );
        assert_eq!(repeated.repeated_keys, None);
        // Without a key nothing is hashed.
        d.key.clear();
        assert_eq!(count(&d, &[batch(&schema, &[1, 1], &[None, None])]).repeated_keys, None);
    }
}
