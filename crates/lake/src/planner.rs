//! What every session that plans a warehouse query shares (in process, and a cluster's
//! client and scheduler alike): its settings and the warehouse's own planner rules.

use deltalake::datafusion::execution::SessionStateBuilder;
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
