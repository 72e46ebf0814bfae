//! Eager aggregation (Yan and Larson, "Eager Aggregation and Lazy Aggregation", VLDB 1995):
//! a grouped aggregation over an inner join with a small table (a fact table joined with its
//! catalog, say) aggregates the large side by the join key before the join, so the join and
//! the aggregation above it see one row per key instead of one per event.
//!
//! The rule rewrites the physical plan
//!
//! ```text
//! AggregateExec: mode=Partial, gby=[dim.a, fact.b], aggr=[count(*), sum(f(fact.x))]
//!   [ProjectionExec]
//!     HashJoinExec: mode=CollectLeft, type=Inner, on=[(dim.k, fact.k)]
//!       dim
//!       fact
//! ```
//!
//! into
//!
//! ```text
//! AggregateExec: mode=PartialReduce, gby=[a, b], aggr=[count(*), sum(f(x))]
//!   HashJoinExec: mode=CollectLeft, type=Inner, on=[(dim.k, k)], projection=[a, b, states…]
//!     dim
//!     AggregateExec: mode=Partial, gby=[fact.k, fact.b], aggr=[count(*), sum(f(fact.x))]
//!       fact
//! ```
//!
//! The join copies each pre-aggregated state once per matching row of the small side, exactly
//! as it would have copied each of the rows behind it, and merging `m` copies of a state equals
//! aggregating its rows `m` times; so the result is unchanged for the aggregates whose states
//! merge that way (count, sum, min, max, avg, bool_and, bool_or), without DISTINCT or ORDER BY;
//! an aggregate's FILTER, like its arguments, must read the large side only, and is applied
//! below the join. Where pre-aggregation does not reduce the rows (a nearly unique key), the partial
//! aggregation stops grouping on its own after its first rows and passes them through as
//! states.

use deltalake::datafusion::common::tree_node::{Transformed, TransformedResult, TreeNode};
use deltalake::datafusion::common::{JoinType, Result};
use deltalake::datafusion::config::ConfigOptions;
use deltalake::datafusion::physical_expr::PhysicalExpr;
use deltalake::datafusion::physical_expr::expressions::Column;
use deltalake::datafusion::physical_expr::utils::collect_columns;
use deltalake::datafusion::physical_optimizer::PhysicalOptimizerRule;
use deltalake::datafusion::physical_optimizer::optimizer::PhysicalOptimizer;
use deltalake::datafusion::physical_plan::ExecutionPlan;
use deltalake::datafusion::physical_plan::aggregates::{AggregateExec, AggregateMode, PhysicalGroupBy};
use deltalake::datafusion::physical_plan::joins::{HashJoinExec, PartitionMode};
use deltalake::datafusion::physical_plan::projection::ProjectionExec;
use std::sync::Arc;

/// Aggregates whose partial states may be duplicated by a join and merged: merging `m` copies
/// of a state gives the same result as aggregating its rows `m` times.
const DUPLICATE_SAFE: &[&str] = &["count", "sum", "min", "max", "avg", "bool_and", "bool_or"];

/// The physical optimizer rule; see the module's documentation.
#[derive(Debug, Default)]
pub(crate) struct EagerAggregation;

impl PhysicalOptimizerRule for EagerAggregation {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        // A plan the rule cannot rebuild is left as it was: the rule only ever speeds a query up.
        plan.transform_down(|node| {
            Ok(match rewrite(&node) {
                Ok(Some(new)) => Transformed::yes(new),
                Ok(None) | Err(_) => Transformed::no(node),
            })
        })
        .data()
    }

    fn name(&self) -> &str {
        "EagerAggregation"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// DataFusion's physical optimizer rules with eager aggregation placed once the aggregations
/// are split into partial and final steps and the joins' sides and modes are chosen, before
/// the projections and filters are pushed into the scans.
pub(crate) fn physical_rules() -> Vec<Arc<dyn PhysicalOptimizerRule + Send + Sync>> {
    let mut rules = PhysicalOptimizer::new().rules;
    let at = rules
        .iter()
        .position(|r| r.name() == "CombinePartialFinalAggregate")
        .map_or(rules.len(), |i| i + 1);
    rules.insert(at, Arc::new(EagerAggregation));
    rules
}

/// Which input of the join a column of its output comes from.
enum Side {
    Build(usize),
    Probe(usize),
}

/// Replace each column of `expr` by the expression `by[index]`.
fn substitute(expr: &Arc<dyn PhysicalExpr>, by: &[Arc<dyn PhysicalExpr>]) -> Result<Arc<dyn PhysicalExpr>> {
    expr.clone()
        .transform_up(|e| {
            Ok(match e.downcast_ref::<Column>() {
                Some(c) => Transformed::yes(by[c.index()].clone()),
                None => Transformed::no(e),
            })
        })
        .data()
}

fn column_index(expr: &Arc<dyn PhysicalExpr>) -> Option<usize> {
    expr.downcast_ref::<Column>().map(Column::index)
}

/// The plan rewritten with the aggregation pushed below the join, or `None` where the rule does
/// not apply.
fn rewrite(node: &Arc<dyn ExecutionPlan>) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    let Some(agg) = node.downcast_ref::<AggregateExec>() else {
        return Ok(None);
    };
    if *agg.mode() != AggregateMode::Partial
        || !agg.group_expr().is_single()
        || agg.group_expr().expr().is_empty()
        || agg.limit_options().is_some()
        || !agg
            .aggr_expr()
            .iter()
            .all(|a| !a.is_distinct() && a.order_bys().is_empty() && DUPLICATE_SAFE.contains(&a.fun().name()))
    {
        return Ok(None);
    }

    // Each column the aggregation reads, as an expression over the join's output (before the
    // join's own projection).
    let width = agg.input().schema().fields().len();
    let mut exprs: Vec<Arc<dyn PhysicalExpr>> = (0..width)
        .map(|i| Arc::new(Column::new(agg.input().schema().field(i).name(), i)) as Arc<dyn PhysicalExpr>)
        .collect();
    let mut below = agg.input().clone();
    let join = loop {
        if let Some(p) = below.downcast_ref::<ProjectionExec>() {
            let by: Vec<_> = p.expr().iter().map(|e| e.expr.clone()).collect();
            exprs = exprs.iter().map(|e| substitute(e, &by)).collect::<Result<_>>()?;
            below = p.input().clone();
        } else if let Some(j) = below.downcast_ref::<HashJoinExec>() {
            break j;
        } else {
            return Ok(None);
        }
    };
    if *join.join_type() != JoinType::Inner
        || join.filter().is_some()
        || *join.partition_mode() != PartitionMode::CollectLeft
    {
        return Ok(None);
    }
    if let Some(projection) = &join.projection {
        let by: Vec<Arc<dyn PhysicalExpr>> = projection
            .iter()
            .map(|&i| Arc::new(Column::new(join.join_schema().field(i).name(), i)) as _)
            .collect();
        exprs = exprs.iter().map(|e| substitute(e, &by)).collect::<Result<_>>()?;
    }
    let build_width = join.left().schema().fields().len();
    let side = |i: usize| {
        if i < build_width {
            Side::Build(i)
        } else {
            Side::Probe(i - build_width)
        }
    };
    let probe_schema = join.right().schema();

    // The probe side's columns to group by before the join: its join keys, then the probe
    // columns the aggregation groups by.
    let mut on_probe: Vec<usize> = Vec::with_capacity(join.on().len());
    for (_, probe_key) in join.on() {
        let Some(i) = column_index(probe_key) else {
            return Ok(None);
        };
        on_probe.push(i);
    }
    let mut keys: Vec<usize> = Vec::new();
    for &i in &on_probe {
        if !keys.contains(&i) {
            keys.push(i);
        }
    }
    let mut group_sides = Vec::new();
    for (g, _) in agg.group_expr().expr() {
        let Some(i) = column_index(&substitute(g, &exprs)?) else {
            return Ok(None);
        };
        let s = side(i);
        if let Side::Probe(p) = s
            && !keys.contains(&p)
        {
            keys.push(p);
        }
        group_sides.push(s);
    }

    // The aggregates' arguments, over the probe side's columns only (`over_probe` refuses an
    // expression reading a build column before these are applied, so the entries standing
    // for the build columns are never used).
    let probe_columns: Vec<Arc<dyn PhysicalExpr>> = (0..build_width + probe_schema.fields().len())
        .map(|i: usize| {
            let p = i.saturating_sub(build_width);
            Arc::new(Column::new(probe_schema.field(p).name(), p)) as _
        })
        .collect();
    let over_probe = |e: &Arc<dyn PhysicalExpr>| -> Result<Option<Arc<dyn PhysicalExpr>>> {
        let over_join = substitute(e, &exprs)?;
        if collect_columns(&over_join).iter().any(|c| c.index() < build_width) {
            return Ok(None);
        }
        substitute(&over_join, &probe_columns).map(Some)
    };
    let mut pushed = Vec::with_capacity(agg.aggr_expr().len());
    for a in agg.aggr_expr() {
        let mut args = Vec::new();
        for arg in a.expressions() {
            let Some(arg) = over_probe(&arg)? else {
                return Ok(None);
            };
            args.push(arg);
        }
        let Some(rebound) = a.with_new_expressions(args, vec![]) else {
            return Ok(None);
        };
        pushed.push(Arc::new(rebound));
    }
    // The aggregates' filters (`count(*) FILTER (WHERE …)`), over the probe side's columns too.
    let mut filters = Vec::with_capacity(agg.filter_expr().len());
    for f in agg.filter_expr() {
        filters.push(match f {
            Some(f) => match over_probe(f)? {
                Some(f) => Some(f),
                None => return Ok(None),
            },
            None => None,
        });
    }

    let group_by = PhysicalGroupBy::new_single(
        keys.iter()
            .map(|&i| {
                let name = probe_schema.field(i).name().clone();
                (Arc::new(Column::new(&name, i)) as Arc<dyn PhysicalExpr>, name)
            })
            .collect(),
    );
    let states = pushed
        .iter()
        .map(|a| a.state_fields().map(|f| f.len()))
        .sum::<Result<usize>>()?;
    let pre = Arc::new(AggregateExec::try_new(
        AggregateMode::Partial,
        group_by,
        pushed,
        filters,
        join.right().clone(),
        probe_schema.clone(),
    )?);

    // The join of the build side with the pre-aggregated probe side, giving the group columns
    // and then the states, as the partial aggregation above it gave them.
    // Where a probe column is in the pre-aggregation's output (every one of `keys` is).
    let key_at = |p: usize| keys.iter().position(|&k| k == p);
    let mut on = Vec::with_capacity(join.on().len());
    for ((build_key, _), &p) in join.on().iter().zip(&on_probe) {
        let Some(at) = key_at(p) else {
            return Ok(None);
        };
        on.push((
            build_key.clone(),
            Arc::new(Column::new(probe_schema.field(p).name(), at)) as _,
        ));
    }
    let mut projection: Vec<usize> = Vec::new();
    for s in &group_sides {
        projection.push(match *s {
            Side::Build(b) => b,
            Side::Probe(p) => match key_at(p) {
                Some(at) => build_width + at,
                None => return Ok(None),
            },
        });
    }
    projection.extend((0..states).map(|t| build_width + keys.len() + t));
    let joined = join
        .builder()
        .with_new_children(vec![join.left().clone(), pre])?
        .with_on(on)
        .with_projection(Some(projection))
        .reset_state()
        .recompute_properties()
        .build_exec()?;

    // The group columns as the join names them, under the names the steps above know them by
    // (a grouping made from DISTINCT calls its column `alias1`, say).
    let group_by = PhysicalGroupBy::new_single(
        agg.group_expr()
            .expr()
            .iter()
            .enumerate()
            .map(|(i, (_, alias))| {
                let name = joined.schema().field(i).name().clone();
                (Arc::new(Column::new(&name, i)) as Arc<dyn PhysicalExpr>, alias.clone())
            })
            .collect(),
    );
    let reduce = AggregateExec::try_new(
        AggregateMode::PartialReduce,
        group_by,
        agg.aggr_expr().to_vec(),
        // Applied below the join; merging the states filters nothing.
        vec![None; agg.aggr_expr().len()],
        joined,
        agg.input_schema(),
    )?;
    // The columns the steps above read, unchanged; otherwise the plan is left as it was.
    let same = reduce.schema().fields().len() == agg.schema().fields().len()
        && reduce
            .schema()
            .fields()
            .iter()
            .zip(agg.schema().fields())
            .all(|(a, b)| a.name() == b.name() && a.data_type() == b.data_type());
    Ok(same.then(|| Arc::new(reduce) as Arc<dyn ExecutionPlan>))
}

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::arrow::array::{Float64Array, Int64Array, RecordBatch, StringArray};
    use deltalake::arrow::datatypes::{DataType, Field, Schema};
    use deltalake::arrow::util::pretty::pretty_format_batches;
    use deltalake::datafusion::catalog::MemTable;
    use deltalake::datafusion::execution::SessionStateBuilder;
    use deltalake::datafusion::physical_plan::displayable;
    use deltalake::datafusion::prelude::{SessionConfig, SessionContext};

    /// Events of 50 procedures (`P0`…`P49`, every 97th without one) in two partitions of
    /// several batches, and a catalog of `P0`…`P39` where `P5` and `P7` appear twice.
    fn context(eager: bool, pass_through: bool) -> SessionContext {
        let mut config = SessionConfig::new().with_target_partitions(2);
        if pass_through {
            // The partial aggregations give up grouping at once and pass their rows on.
            let exec = &mut config.options_mut().execution;
            exec.skip_partial_aggregation_probe_rows_threshold = 1;
            exec.skip_partial_aggregation_probe_ratio_threshold = 0.0;
        }
        let rules = if eager {
            physical_rules()
        } else {
            PhysicalOptimizer::new().rules
        };
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_default_features()
            .with_physical_optimizer_rules(rules)
            .build();
        let ctx = SessionContext::new_with_state(state);

        let events = Arc::new(Schema::new(vec![
            Field::new("code", DataType::Utf8, true),
            Field::new("unit", DataType::Utf8, false),
            Field::new("finished", DataType::Int64, false),
            Field::new("due", DataType::Int64, false),
            Field::new("amount", DataType::Float64, true),
        ]));
        let mut seed: u64 = 42;
        let mut next = move |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        let mut partitions = Vec::new();
        for _ in 0..2 {
            let mut batches = Vec::new();
            for _ in 0..5 {
                let n = 1000;
                let mut code = Vec::with_capacity(n);
                let mut unit = Vec::with_capacity(n);
                let mut finished = Vec::with_capacity(n);
                let mut due = Vec::with_capacity(n);
                let mut amount = Vec::with_capacity(n);
                for _ in 0..n {
                    let c = next(50);
                    code.push((next(97) != 0).then(|| format!("P{c}")));
                    unit.push(format!("U{}", next(7)));
                    finished.push(next(1000) as i64);
                    due.push(next(1000) as i64);
                    // Quarters add up exactly in any order.
                    amount.push((next(10) != 0).then(|| next(400) as f64 / 4.0));
                }
                batches.push(
                    RecordBatch::try_new(
                        events.clone(),
                        vec![
                            Arc::new(StringArray::from(code)),
                            Arc::new(StringArray::from(unit)),
                            Arc::new(Int64Array::from(finished)),
                            Arc::new(Int64Array::from(due)),
                            Arc::new(Float64Array::from(amount)),
                        ],
                    )
                    .unwrap(),
                );
            }
            partitions.push(batches);
        }
        ctx.register_table("events", Arc::new(MemTable::try_new(events, partitions).unwrap()))
            .unwrap();

        let catalog = Arc::new(Schema::new(vec![
            Field::new("code", DataType::Utf8, false),
            Field::new("field", DataType::Utf8, false),
            Field::new("level", DataType::Int64, false),
        ]));
        let mut code = Vec::new();
        let mut field = Vec::new();
        let mut level = Vec::new();
        for c in (0..40).chain([5, 7]) {
            code.push(format!("P{c}"));
            field.push(format!("F{}", (c * 7 + code.len()) % 6));
            level.push((c % 3) as i64 + 1);
        }
        let batch = RecordBatch::try_new(
            catalog.clone(),
            vec![
                Arc::new(StringArray::from(code)),
                Arc::new(StringArray::from(field)),
                Arc::new(Int64Array::from(level)),
            ],
        )
        .unwrap();
        ctx.register_table(
            "catalog",
            Arc::new(MemTable::try_new(catalog, vec![vec![batch]]).unwrap()),
        )
        .unwrap();
        ctx
    }

    /// The physical plan and the printed result of `sql`.
    async fn run(ctx: &SessionContext, sql: &str) -> (String, String) {
        let df = ctx.sql(sql).await.unwrap();
        let plan = df.clone().create_physical_plan().await.unwrap();
        let plan = displayable(plan.as_ref()).indent(true).to_string();
        let rows = pretty_format_batches(&df.collect().await.unwrap()).unwrap().to_string();
        (plan, rows)
    }

    const PUSHED: &[&str] = &[
        // The warehouse's KPI join: grouped by the catalog's columns.
        "SELECT p.field, p.level, count(*) AS n, \
         sum(CASE WHEN e.finished <= e.due THEN 1 ELSE 0 END) AS on_time, \
         min(e.amount) AS least, max(e.finished) AS last, avg(e.amount) AS mean, count(e.amount) AS amounts \
         FROM events e JOIN catalog p ON p.code = e.code \
         GROUP BY p.field, p.level ORDER BY p.field, p.level",
        // Grouped by a column of each side, the small table named first.
        "SELECT e.unit, p.level, count(*) AS n, sum(e.amount) AS total, bool_or(e.finished > e.due) AS late \
         FROM catalog p JOIN events e ON e.code = p.code \
         GROUP BY e.unit, p.level ORDER BY e.unit, p.level",
        // Filtered aggregates over the large side's columns.
        "SELECT p.field, count(*) FILTER (WHERE e.finished <= e.due) AS on_time, \
         sum(e.amount) FILTER (WHERE e.unit = 'U3') AS u3 \
         FROM events e JOIN catalog p ON p.code = e.code GROUP BY p.field ORDER BY p.field",
        // A DISTINCT count, planned as a grouping by the counted column (`alias1`) under it.
        "SELECT p.field, count(DISTINCT e.unit) AS units FROM events e JOIN catalog p ON p.code = e.code \
         GROUP BY p.field ORDER BY p.field",
        // Grouped by the join key itself.
        "SELECT e.code, count(*) AS n, max(e.amount) AS most FROM events e JOIN catalog p ON p.code = e.code \
         GROUP BY e.code ORDER BY e.code",
    ];

    const KEPT: &[&str] = &[
        // An aggregate of the small side's column.
        "SELECT e.unit, sum(p.level) AS levels FROM events e JOIN catalog p ON p.code = e.code \
         GROUP BY e.unit ORDER BY e.unit",
        // A filter on the small side's column.
        "SELECT e.unit, count(*) FILTER (WHERE p.level = 2) AS second FROM events e JOIN catalog p ON p.code = e.code \
         GROUP BY e.unit ORDER BY e.unit",
        // An outer join keeps the events without a procedure.
        "SELECT p.field, count(*) AS n FROM events e LEFT JOIN catalog p ON p.code = e.code \
         GROUP BY p.field ORDER BY p.field",
    ];

    #[tokio::test]
    async fn pushed_aggregations_give_the_same_rows() {
        let plain = context(false, false);
        for pass_through in [false, true] {
            let eager = context(true, pass_through);
            for sql in PUSHED {
                let (plan, rows) = run(&eager, sql).await;
                assert!(
                    plan.contains("mode=PartialReduce"),
                    "not pushed below the join:\n{plan}\n{sql}"
                );
                let (_, expected) = run(&plain, sql).await;
                assert_eq!(rows, expected, "{sql}");
                assert!(rows.lines().count() > 6, "too few rows to compare:\n{rows}");
            }
        }
    }

    #[tokio::test]
    async fn other_aggregations_are_left_as_they_are() {
        let plain = context(false, false);
        let eager = context(true, false);
        for sql in KEPT {
            let (plan, rows) = run(&eager, sql).await;
            assert!(!plan.contains("PartialReduce"), "pushed below the join:\n{plan}\n{sql}");
            assert_eq!(rows, run(&plain, sql).await.1, "{sql}");
        }
    }
}
