//! A load's files encoded side by side. The table format's own write runs every batch
//! through one Parquet writer, so a single core encodes while the other reads and checks the
//! file. Here the checked batches are dealt out in turn to one writer per core, each on a
//! blocking thread of its own (the runtime's workers stay free for requests), and all their
//! files are committed as one version, or none when anything failed. This serves the loads
//! that keep the table's schema as it is: a first load, and an append or overwrite of a table
//! holding exactly the dataset's columns, without constraints or partitions. The rest
//! (schema changes, upserts) go through the table format's own operations.

use crate::{Error, Result};
use deltalake::DeltaTable;
use deltalake::arrow::array::RecordBatch;
use deltalake::arrow::datatypes::SchemaRef;
use deltalake::datafusion::error::DataFusionError;
use deltalake::kernel::engine::arrow_conversion::TryIntoKernel;
use deltalake::kernel::transaction::{CommitBuilder, CommitProperties, TableReference};
use deltalake::kernel::{Action, Add, StructType};
use deltalake::operations::write::WriterStatsConfig;
use deltalake::operations::write::writer::{DeltaWriter, WriterConfig};
use deltalake::parquet::file::properties::WriterProperties;
use deltalake::protocol::{DeltaOperation, SaveMode};
use deltalake::table::config::{DEFAULT_TARGET_FILE_SIZE, TablePropertiesExt};
use futures::{Stream, StreamExt, TryStreamExt};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Batches waiting for each writer.
const QUEUED: usize = 2;

/// Writers of one load: one per core, at most four.
fn writers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// Whether a load with `schema` can write its files itself: the table has no version yet, or
/// it holds exactly these columns, unpartitioned and without constraints (nothing for the
/// table format's write to evolve or enforce).
pub(crate) fn fits(table: &DeltaTable, schema: &SchemaRef) -> bool {
    if table.version().is_none() {
        return true;
    }
    let Ok(state) = table.snapshot() else {
        return false;
    };
    let Ok(ours) = TryIntoKernel::<StructType>::try_into_kernel(schema.as_ref()) else {
        return false;
    };
    let metadata = state.metadata();
    *state.schema() == ours
        && metadata.partition_columns().is_empty()
        && !metadata
            .configuration()
            .keys()
            .any(|k| k.starts_with("delta.constraints.") || k.starts_with("delta.columnMapping."))
}

/// Write `batches` (of `schema`) into `table` as one new version: appended, or replacing every
/// file when `overwrite`. The first error among the batches (the file refused) or from a
/// writer stops every writer, aborts their files and commits nothing. `commit` receives the
/// load's figures as its operation metrics.
pub(crate) async fn write(
    table: DeltaTable,
    name: &str,
    schema: SchemaRef,
    props: WriterProperties,
    overwrite: bool,
    commit: impl FnOnce(serde_json::Value) -> CommitProperties,
    mut batches: impl Stream<Item = Result<RecordBatch, DataFusionError>> + Unpin,
) -> Result<DeltaTable> {
    let log_store = table.log_store();
    let (file_size, stats) = match table.snapshot() {
        Ok(s) if table.version().is_some() => (
            s.table_config().target_file_size(),
            WriterStatsConfig::from_config(s.snapshot().table_configuration()),
        ),
        _ => (
            DEFAULT_TARGET_FILE_SIZE,
            // The table format's default: statistics of the first 32 columns.
            WriterStatsConfig::new(Default::default(), None),
        ),
    };
    let columns = schema.clone();
    let config = WriterConfig::new(
        schema,
        Vec::new(),
        Some(props),
        Some(file_size),
        // Whole batches to the Parquet writer (the default slices them by 1,024 rows).
        Some(crate::read::BATCH_ROWS),
        stats.num_indexed_cols,
        stats.stats_columns,
    );
    let stop = Arc::new(AtomicBool::new(false));
    let handle = tokio::runtime::Handle::current();
    let mut queues = Vec::new();
    let mut tasks = Vec::new();
    for _ in 0..writers() {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<RecordBatch>(QUEUED);
        let (store, config, stop, handle) = (
            log_store.object_store(None),
            config.clone(),
            stop.clone(),
            handle.clone(),
        );
        tasks.push(tokio::task::spawn_blocking(move || {
            handle.block_on(async move {
                let mut w = DeltaWriter::new(store, config);
                while let Some(b) = rx.recv().await {
                    if let Err(e) = w.write(&b).await {
                        stop.store(true, Ordering::Release);
                        let _ = w.abort().await;
                        return Err(e);
                    }
                }
                if stop.load(Ordering::Acquire) {
                    let _ = w.abort().await;
                    return Ok(Vec::new());
                }
                w.close().await
            })
        }));
        queues.push(tx);
    }
    let mut failure: Option<Error> = None;
    let mut rows = 0u64;
    let mut turn = 0;
    while let Some(item) = batches.next().await {
        match item {
            Ok(b) => {
                rows += b.num_rows() as u64;
                if queues[turn].send(b).await.is_err() {
                    // That writer failed: its error is reported below.
                    break;
                }
                turn = (turn + 1) % queues.len();
            }
            Err(e) => {
                failure = Some(e.into());
                break;
            }
        }
        if stop.load(Ordering::Acquire) {
            break;
        }
    }
    if failure.is_some() {
        stop.store(true, Ordering::Release);
    }
    drop(queues);
    drop(batches);
    let mut adds: Vec<Add> = Vec::new();
    for t in tasks {
        match t.await {
            Ok(Ok(a)) => adds.extend(a),
            Ok(Err(e)) => {
                failure.get_or_insert(e.into());
            }
            Err(e) => {
                failure.get_or_insert(anyhow::anyhow!("writer thread: {e}").into());
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    let added = adds.len();
    let mut actions: Vec<Action> = adds.into_iter().map(Action::Add).collect();
    let metrics = |removed: usize| {
        serde_json::json!({
            "num_added_rows": rows,
            "num_added_files": added,
            "num_removed_files": removed,
        })
    };
    if table.version().is_none() {
        // A first load creates the table with its files, in its first version.
        let columns: StructType = TryIntoKernel::try_into_kernel(columns.as_ref())?;
        return Ok(table
            .create()
            .with_columns(columns.fields().cloned())
            .with_table_name(name)
            .with_actions(actions)
            .with_commit_properties(commit(metrics(0)))
            .await?);
    }
    let state = table.snapshot()?;
    let mut removed = 0;
    if overwrite {
        let removes: Vec<Action> = state
            .snapshot()
            .file_views(&log_store, None)
            .map_ok(|f| Action::Remove(f.remove_action(true)))
            .try_collect()
            .await?;
        removed = removes.len();
        actions.extend(removes);
    }
    let done = CommitBuilder::from(commit(metrics(removed)))
        .with_actions(actions)
        .build(
            Some(state as &dyn TableReference),
            log_store.clone(),
            DeltaOperation::Write {
                mode: if overwrite {
                    SaveMode::Overwrite
                } else {
                    SaveMode::Append
                },
                partition_by: None,
                predicate: None,
            },
        )
        .await?;
    let mut t = table;
    t.update_incremental(Some(done.version)).await?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::arrow::array::Int64Array;
    use deltalake::arrow::datatypes::{DataType, Field, Schema};

    async fn empty_table(dir: &std::path::Path) -> DeltaTable {
        let url = deltalake::ensure_table_uri(dir.to_str().unwrap()).unwrap();
        DeltaTable::try_from_url_with_storage_options(url, Default::default())
            .await
            .unwrap()
    }

    /// A table made by a load, through these writers or through the table format's own write
    /// (every table made before the writers existed), takes later loads of the same columns
    /// through the writers; new columns go through the format's write, which evolves them.
    #[tokio::test]
    async fn tables_of_the_datasets_columns_take_the_writers() {
        let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, true)]));
        let wider = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, true),
            Field::new("note", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(vec![1, 2, 3]))]).unwrap();
        let ours = tempfile::tempdir().unwrap();
        let table = empty_table(ours.path()).await;
        assert!(fits(&table, &schema));
        let batches = futures::stream::iter([Ok(batch.clone())]);
        let table = write(
            table,
            "t",
            schema.clone(),
            WriterProperties::default(),
            false,
            |_| CommitProperties::default(),
            batches,
        )
        .await
        .unwrap();
        assert_eq!(table.version(), Some(0));
        assert!(fits(&table, &schema));
        assert!(!fits(&table, &wider));
        let theirs = tempfile::tempdir().unwrap();
        let table = empty_table(theirs.path()).await.write(vec![batch]).await.unwrap();
        assert!(fits(&table, &schema));
        assert!(!fits(&table, &wider));
    }
}
