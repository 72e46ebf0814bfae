//! What every session that plans a warehouse query shares (in process, and a cluster's
//! client and scheduler alike): its settings and the warehouse's own planner rules.

use deltalake::datafusion::common::Result;
use deltalake::datafusion::execution::SessionStateBuilder;
use deltalake::datafusion::physical_expr::PhysicalExpr;
use deltalake::datafusion::physical_expr::aggregate::AggregateFunctionExpr;
use deltalake::datafusion::physical_plan::ExecutionPlan;
use deltalake::datafusion::physical_plan::aggregates::{AggregateExec, AggregateMode};
use deltalake::datafusion::prelude::SessionConfig;
use std::sync::Arc;

/// `config` with no `information_schema` tables (a caller sees only the tables granted) and
/// one partition per core.
pub(crate) fn settings(config: SessionConfig) -> SessionConfig {
    config
        .with_information_schema(false)
        .with_target_partitions(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
}

/// `builder` with the warehouse's rules: conditional counts (logical), eager aggregation and,
/// once the plan is final, comparisons of text on its string views and counts of rows that
/// build no column of ones (physical).
pub(crate) fn with_rules(builder: SessionStateBuilder) -> SessionStateBuilder {
    let mut physical = crate::eager::physical_rules();
    physical.push(Arc::new(crate::views::ViewCompare));
    physical.push(Arc::new(crate::count_rows::CountRows));
    builder
        .with_optimizer_rule(Arc::new(crate::count_if::CountIf))
        .with_physical_optimizer_rules(physical)
}

/// Whether an aggregation evaluates its arguments and FILTERs over rows (a final step merges
/// states and never does).
pub(crate) fn reads_rows(agg: &AggregateExec) -> bool {
    matches!(
        agg.mode(),
        AggregateMode::Partial | AggregateMode::Single | AggregateMode::SinglePartitioned
    )
}

/// Whether a physical rule may rebuild this aggregation's expressions: it reads rows, and it
/// produces no dynamic filter (a rebuilt one would not reach the scan holding the old one).
pub(crate) fn rewritable(agg: &AggregateExec) -> bool {
    reads_rows(agg) && agg.dynamic_expressions_produced().is_empty()
}

/// `agg` with other aggregate expressions and FILTERs, everything else kept.
pub(crate) fn rebuild(
    agg: &AggregateExec,
    aggr: Vec<Arc<AggregateFunctionExpr>>,
    filters: Vec<Option<Arc<dyn PhysicalExpr>>>,
) -> Result<Arc<dyn ExecutionPlan>> {
    Ok(Arc::new(
        AggregateExec::try_new(
            *agg.mode(),
            agg.group_expr().clone(),
            aggr,
            filters,
            agg.input().clone(),
            agg.input_schema(),
        )?
        .with_limit_options(agg.limit_options()),
    ))
}

/// What the tests of the planner rules share.
#[cfg(test)]
pub(crate) mod testing {
    use deltalake::arrow::util::pretty::pretty_format_batches;
    use deltalake::datafusion::physical_plan::{ExecutionPlan, collect, displayable};
    use deltalake::datafusion::prelude::SessionContext;
    use std::sync::Arc;

    /// What `measure` finds in the physical plan of `sql`, that plan printed, and its result
    /// printed.
    pub(crate) async fn plan_and_rows(
        ctx: &SessionContext,
        sql: &str,
        measure: impl Fn(&Arc<dyn ExecutionPlan>) -> usize,
    ) -> (usize, String, String) {
        let df = ctx.sql(sql).await.unwrap();
        let plan = df.clone().create_physical_plan().await.unwrap();
        let shown = displayable(plan.as_ref()).indent(false).to_string();
        let found = measure(&plan);
        let rows = pretty_format_batches(&collect(plan, ctx.task_ctx()).await.unwrap())
            .unwrap()
            .to_string();
        (found, shown, rows)
    }
}
