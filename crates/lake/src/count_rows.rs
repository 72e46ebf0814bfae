//! `count(*)` counts rows, and DataFusion plans it as `count(1)`: every batch then evaluates
//! the literal into a new column of ones (an allocation and a fill per batch and per count),
//! only for the count to ask that column for its nulls. The rule gives such a count a column
//! of its aggregation's input that cannot hold nulls instead (evaluating a column allocates
//! nothing). A count of a column without nulls counts every row, so the number is the same:
//! Arrow refuses a batch holding a null in a column its schema declares non-nullable.
//! Counts of a column, `DISTINCT` counts and counts with an ordering are left as they are,
//! and so is a count over an input whose every column may hold nulls.

use deltalake::datafusion::common::Result;
use deltalake::datafusion::common::tree_node::{Transformed, TransformedResult, TreeNode};
use deltalake::datafusion::config::ConfigOptions;
use deltalake::datafusion::physical_expr::PhysicalExpr;
use deltalake::datafusion::physical_expr::expressions::{Column, Literal};
use deltalake::datafusion::physical_optimizer::PhysicalOptimizerRule;
use deltalake::datafusion::physical_plan::ExecutionPlan;
use deltalake::datafusion::physical_plan::aggregates::AggregateExec;
use std::sync::Arc;

/// The physical optimizer rule; see the module's documentation.
#[derive(Debug, Default)]
pub(crate) struct CountRows;

impl PhysicalOptimizerRule for CountRows {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| {
            Ok(match rewrite(&node)? {
                Some(new) => Transformed::yes(new),
                None => Transformed::no(node),
            })
        })
        .data()
    }

    fn name(&self) -> &str {
        "CountRows"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// Whether an argument is a literal that is not null (what `count(*)` counts).
fn non_null_literal(e: &Arc<dyn PhysicalExpr>) -> bool {
    e.downcast_ref::<Literal>().is_some_and(|l| !l.value().is_null())
}

fn rewrite(node: &Arc<dyn ExecutionPlan>) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    let Some(agg) = node.downcast_ref::<AggregateExec>() else {
        return Ok(None);
    };
    if !crate::planner::rewritable(agg) {
        return Ok(None);
    }
    let schema = agg.input().schema();
    let Some((index, field)) = schema.fields().iter().enumerate().find(|(_, f)| !f.is_nullable()) else {
        return Ok(None);
    };
    let column: Arc<dyn PhysicalExpr> = Arc::new(Column::new(field.name(), index));
    let mut changed = false;
    let mut aggr = Vec::with_capacity(agg.aggr_expr().len());
    for e in agg.aggr_expr() {
        let args = e.expressions();
        let counts_rows = e.fun().name() == "count"
            && !e.is_distinct()
            && e.order_bys().is_empty()
            && args.len() == 1
            && non_null_literal(&args[0]);
        match counts_rows
            .then(|| e.with_new_expressions(vec![column.clone()], Vec::new()))
            .flatten()
        {
            Some(new) => {
                changed = true;
                aggr.push(Arc::new(new));
            }
            None => aggr.push(e.clone()),
        }
    }
    if !changed {
        return Ok(None);
    }
    crate::planner::rebuild(agg, aggr, agg.filter_expr().to_vec()).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::arrow::array::{Int64Array, RecordBatch, StringArray};
    use deltalake::arrow::datatypes::{DataType, Field, Schema};
    use deltalake::datafusion::catalog::MemTable;
    use deltalake::datafusion::execution::SessionStateBuilder;
    use deltalake::datafusion::physical_optimizer::optimizer::PhysicalOptimizer;
    use deltalake::datafusion::prelude::{SessionConfig, SessionContext};

    /// A session with (or without) the rule over rows in two partitions: `events` has a
    /// column without nulls, `loose` only columns with nulls.
    fn context(rule: bool) -> SessionContext {
        let mut rules = PhysicalOptimizer::new().rules;
        if rule {
            rules.push(Arc::new(CountRows));
        }
        let state = SessionStateBuilder::new()
            .with_config(SessionConfig::new().with_target_partitions(2))
            .with_default_features()
            .with_physical_optimizer_rules(rules)
            .build();
        let ctx = SessionContext::new_with_state(state);
        for (name, code_nullable) in [("events", false), ("loose", true)] {
            let schema = Arc::new(Schema::new(vec![
                Field::new("code", DataType::Utf8, code_nullable),
                Field::new("channel", DataType::Utf8, true),
                Field::new("days", DataType::Int64, true),
            ]));
            let mut partitions = Vec::new();
            for part in 0..2usize {
                let range = part * 3000..(part + 1) * 3000;
                let code: StringArray = range.clone().map(|i| Some(format!("P{}", i % 13))).collect();
                let channel: StringArray = range
                    .clone()
                    .map(|i| match i % 5 {
                        0 => None,
                        1 | 2 => Some("truc_tuyen"),
                        _ => Some("truc_tiep"),
                    })
                    .collect();
                let days: Int64Array = range.map(|i| (i % 7 != 0).then_some((i % 11) as i64)).collect();
                let batch =
                    RecordBatch::try_new(schema.clone(), vec![Arc::new(code), Arc::new(channel), Arc::new(days)])
                        .unwrap();
                partitions.push(vec![batch]);
            }
            ctx.register_table(name, Arc::new(MemTable::try_new(schema, partitions).unwrap()))
                .unwrap();
        }
        ctx
    }

    /// The counts of literals in the aggregations of a plan that evaluate their arguments
    /// (a final aggregation merges states and keeps the partial one's expressions unread).
    fn literal_counts(plan: &Arc<dyn ExecutionPlan>) -> usize {
        let own = plan
            .downcast_ref::<AggregateExec>()
            .filter(|a| crate::planner::reads_rows(a))
            .map_or(0, |a| {
                a.aggr_expr()
                    .iter()
                    .filter(|e| e.fun().name() == "count" && e.expressions().iter().any(non_null_literal))
                    .count()
            });
        own + plan.children().into_iter().map(literal_counts).sum::<usize>()
    }

    /// The counts of literals left in the plan of `sql`, with its plan and printed result.
    async fn run(ctx: &SessionContext, sql: &str) -> (usize, String, String) {
        crate::planner::testing::plan_and_rows(ctx, sql, literal_counts).await
    }

    #[tokio::test]
    async fn counts_of_rows_read_a_column_without_nulls_with_the_same_rows() {
        let plain = context(false);
        let rule = context(true);
        for (sql, rewritten) in [
            (
                "SELECT code, count(*) AS n, count(*) FILTER (WHERE channel = 'truc_tuyen') AS online, \
                 count(channel) AS with_channel, count(DISTINCT channel) AS channels, sum(days) AS days \
                 FROM events GROUP BY code ORDER BY code",
                true,
            ),
            (
                "SELECT channel, count(*) AS n, count(1) AS ones, count(days) AS with_days, max(code) AS last_code \
                 FROM events WHERE days > 2 GROUP BY channel ORDER BY channel",
                true,
            ),
            // The aggregation reads only columns that may hold nulls (`code` is not read).
            (
                "SELECT channel, count(*) AS n, count(days) AS with_days \
                 FROM events WHERE days > 2 GROUP BY channel ORDER BY channel",
                false,
            ),
            (
                "SELECT count(*) AS n, max(code) AS last_code FROM events WHERE channel IS NULL OR days < 3",
                true,
            ),
            // Every column may hold nulls: nothing to count instead.
            (
                "SELECT channel, count(*) AS n FROM loose GROUP BY channel ORDER BY channel",
                false,
            ),
        ] {
            let (left, plan, rows) = run(&rule, sql).await;
            let (before, _, plain_rows) = run(&plain, sql).await;
            assert!(before > 0, "{sql}: no count of rows to rewrite");
            assert_eq!(left == 0, rewritten, "{sql}\n{plan}");
            assert_eq!(rows, plain_rows, "{sql}");
            assert!(rows.lines().count() > 4, "too few rows to compare:\n{rows}");
        }
    }
}
