//! Conditional counts: `sum(CASE WHEN p THEN 1 ELSE 0 END)`, the usual way KPI queries count
//! the rows of a group that meet a condition (finished on time, filed online), is planned as
//! `count(*) FILTER (WHERE p)`. The aggregation then counts the rows the condition selects
//! instead of building a column of ones and zeros and adding it up.
//!
//! Both give the same number for every group of a `GROUP BY`: a row where `p` is false or null
//! adds 0 to the sum and is not counted, and a group holds at least one row, so the sum is never
//! null. Without grouping (one group over possibly no rows, where the sum is null and the count
//! 0), and with grouping sets, the aggregation is left as it is.

use deltalake::datafusion::common::tree_node::Transformed;
use deltalake::datafusion::common::{Result, ScalarValue};
use deltalake::datafusion::functions_aggregate::count::count_udaf;
use deltalake::datafusion::functions_aggregate::sum::Sum;
use deltalake::datafusion::logical_expr::expr::{AggregateFunction, AggregateFunctionParams, Case};
use deltalake::datafusion::logical_expr::{Aggregate, Expr, LogicalPlan, lit};
use deltalake::datafusion::optimizer::optimizer::ApplyOrder;
use deltalake::datafusion::optimizer::{OptimizerConfig, OptimizerRule};

/// The logical optimizer rule; see the module's documentation.
#[derive(Debug, Default)]
pub(crate) struct CountIf;

impl OptimizerRule for CountIf {
    fn name(&self) -> &str {
        "count_if"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn rewrite(&self, plan: LogicalPlan, _config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        let LogicalPlan::Aggregate(agg) = plan else {
            return Ok(Transformed::no(plan));
        };
        if agg.group_expr.is_empty() || agg.group_expr.iter().any(|g| matches!(g, Expr::GroupingSet(_))) {
            return Ok(Transformed::no(LogicalPlan::Aggregate(agg)));
        }
        let mut changed = false;
        let aggr_expr: Vec<Expr> = agg
            .aggr_expr
            .iter()
            .map(|e| match condition(e) {
                Some(p) => {
                    changed = true;
                    // The same output name, so the expressions above still find the column.
                    Expr::AggregateFunction(AggregateFunction::new_udf(
                        count_udaf(),
                        vec![lit(1i64)],
                        false,
                        Some(Box::new(p.clone())),
                        vec![],
                        None,
                    ))
                    .alias(e.schema_name().to_string())
                }
                None => e.clone(),
            })
            .collect();
        if !changed {
            return Ok(Transformed::no(LogicalPlan::Aggregate(agg)));
        }
        let new = Aggregate::try_new(agg.input.clone(), agg.group_expr.clone(), aggr_expr)?;
        Ok(Transformed::yes(LogicalPlan::Aggregate(new)))
    }
}

/// `p` where `e` is `sum(CASE WHEN p THEN 1 ELSE 0 END)` over 64-bit integers, without
/// DISTINCT, FILTER or ORDER BY, aliased or not.
fn condition(e: &Expr) -> Option<&Expr> {
    // Type coercion keeps the name of an aggregate whose argument it changed (a text constant
    // cast to the column's string-view type) by aliasing it: look through the alias.
    let e = match e {
        Expr::Alias(a) => a.expr.as_ref(),
        e => e,
    };
    let Expr::AggregateFunction(AggregateFunction {
        func,
        params:
            AggregateFunctionParams {
                args,
                distinct: false,
                filter: None,
                order_by,
                null_treatment: _,
            },
    }) = e
    else {
        return None;
    };
    if !func.inner().is::<Sum>() || !order_by.is_empty() || args.len() != 1 {
        return None;
    }
    let Expr::Case(Case {
        expr: None,
        when_then_expr,
        else_expr: Some(otherwise),
    }) = &args[0]
    else {
        return None;
    };
    let [(when, then)] = when_then_expr.as_slice() else {
        return None;
    };
    let is = |e: &Expr, v: i64| matches!(e, Expr::Literal(ScalarValue::Int64(Some(x)), _) if *x == v);
    (is(then, 1) && is(otherwise, 0)).then_some(when.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::arrow::array::{Int64Array, RecordBatch, StringArray};
    use deltalake::arrow::compute::cast;
    use deltalake::arrow::datatypes::{DataType, Field, Schema};
    use deltalake::arrow::util::pretty::pretty_format_batches;
    use deltalake::datafusion::catalog::MemTable;
    use deltalake::datafusion::execution::SessionStateBuilder;
    use deltalake::datafusion::prelude::{SessionConfig, SessionContext};
    use std::sync::Arc;

    /// Events with a nullable channel (so the condition is sometimes null), in two partitions;
    /// text as `text` (`Utf8`, or `Utf8View` as the warehouse reads it).
    fn context(rule: bool, text: &DataType) -> SessionContext {
        let mut builder = SessionStateBuilder::new()
            .with_config(SessionConfig::new().with_target_partitions(2))
            .with_default_features();
        if rule {
            builder = builder.with_optimizer_rule(Arc::new(CountIf));
        }
        let ctx = SessionContext::new_with_state(builder.build());
        let schema = Arc::new(Schema::new(vec![
            Field::new("code", text.clone(), false),
            Field::new("channel", text.clone(), true),
            Field::new("finished", DataType::Int64, false),
            Field::new("due", DataType::Int64, true),
        ]));
        let mut partitions = Vec::new();
        for part in 0..2u64 {
            let n = 3000u64;
            let rows = (0..n).map(|i| i * 7919 + part * 104_729);
            let code: Vec<String> = rows.clone().map(|r| format!("P{}", r % 23)).collect();
            let channel: Vec<Option<&str>> = rows
                .clone()
                .map(|r| match r % 5 {
                    0 => None,
                    1 | 2 => Some("truc_tuyen"),
                    _ => Some("truc_tiep"),
                })
                .collect();
            let finished: Vec<i64> = rows.clone().map(|r| (r % 101) as i64).collect();
            let due: Vec<Option<i64>> = rows.map(|r| (r % 13 != 0).then_some((r % 97) as i64)).collect();
            let batch = RecordBatch::try_new(
                schema.clone(),
                vec![
                    cast(&StringArray::from(code), text).unwrap(),
                    cast(&StringArray::from(channel), text).unwrap(),
                    Arc::new(Int64Array::from(finished)),
                    Arc::new(Int64Array::from(due)),
                ],
            )
            .unwrap();
            partitions.push(vec![batch]);
        }
        ctx.register_table("events", Arc::new(MemTable::try_new(schema, partitions).unwrap()))
            .unwrap();
        ctx
    }

    /// The optimized logical plan and the printed result of `sql`.
    async fn run(ctx: &SessionContext, sql: &str) -> (String, String) {
        let df = ctx.sql(sql).await.unwrap();
        let plan = df.clone().into_optimized_plan().unwrap().display_indent().to_string();
        let rows = pretty_format_batches(&df.collect().await.unwrap()).unwrap().to_string();
        (plan, rows)
    }

    #[tokio::test]
    async fn conditional_counts_become_filtered_counts_with_the_same_rows() {
        for text in [DataType::Utf8, DataType::Utf8View] {
            conditional_counts_on(&text).await;
        }
    }

    async fn conditional_counts_on(text: &DataType) {
        let plain = context(false, text);
        let rule = context(true, text);
        for sql in [
            "SELECT code, count(*) AS n, sum(CASE WHEN channel = 'truc_tuyen' THEN 1 ELSE 0 END) AS online, \
             round(100.0 * sum(CASE WHEN channel = 'truc_tuyen' THEN 1 ELSE 0 END) / count(*), 2) AS pct \
             FROM events GROUP BY code ORDER BY online DESC, code",
            "SELECT code, sum(CASE WHEN finished <= due THEN 1 ELSE 0 END) AS on_time \
             FROM events GROUP BY code HAVING sum(CASE WHEN finished <= due THEN 1 ELSE 0 END) > 0 ORDER BY code",
        ] {
            let (plan, rows) = run(&rule, sql).await;
            assert!(plan.contains("FILTER (WHERE"), "not rewritten ({text}):\n{plan}\n{sql}");
            assert_eq!(rows, run(&plain, sql).await.1, "{text}: {sql}");
            assert!(rows.lines().count() > 20, "too few rows to compare:\n{rows}");
        }
    }

    #[tokio::test]
    async fn other_sums_are_left_as_they_are() {
        for text in [DataType::Utf8, DataType::Utf8View] {
            other_sums_on(&text).await;
        }
    }

    async fn other_sums_on(text: &DataType) {
        let plain = context(false, text);
        let rule = context(true, text);
        for sql in [
            // No grouping: over no rows the sum is null, the count 0.
            "SELECT sum(CASE WHEN channel = 'truc_tuyen' THEN 1 ELSE 0 END) AS online FROM events WHERE finished > 1000",
            // Not ones and zeros.
            "SELECT code, sum(CASE WHEN channel = 'truc_tuyen' THEN 2 ELSE 0 END) AS twice FROM events GROUP BY code ORDER BY code",
            // Grouping sets.
            "SELECT code, channel, sum(CASE WHEN finished <= due THEN 1 ELSE 0 END) AS on_time FROM events \
             GROUP BY GROUPING SETS ((code), (channel)) ORDER BY code, channel",
        ] {
            let (plan, rows) = run(&rule, sql).await;
            assert!(!plan.contains("FILTER (WHERE"), "rewritten ({text}):\n{plan}\n{sql}");
            assert_eq!(rows, run(&plain, sql).await.1, "{text}: {sql}");
        }
    }
}
