//! Physical plans kept for reuse. Dashboards and API clients send the same SQL again and
//! again, and planning it through the policy layer (tables, versions, policies, the logical
//! and physical optimisers) costs a few milliseconds: most of a small query's time. A plan
//! holds everything the policies decided for its caller (masks, hidden columns, row
//! filters, sealed columns opened) and the audit's list of the columns it reads, and it reads
//! the files of one version of each table. So it is reused only for the same SQL text, the
//! same access to every table the SQL names (the whole grant: dataset, masks, hidden columns,
//! row filter) and the same versions of those tables; anything else plans again.
//!
//! A plan is kept only when running it again gives what planning again would:
//! - its SQL calls no function whose value is fixed while planning (`now()`,
//!   `current_date`) or may change between calls (`random()`), and has no parameters;
//! - every table it reads is a warehouse table behind its policy, read from its files at the
//!   latest version (not time travel, which checks that the version's files are still kept);
//! - no step of its physical plan reads a dynamic filter (a bound that a top-k sort, a join
//!   or an aggregate tightens while the query runs): a filter left tightened by one run would
//!   drop rows of the next.
//!
//! The kept plan itself never runs: each run executes a copy whose steps have their state
//! reset (`reset_plan_states`), with a runtime of its own (memory pool, object store).

use crate::TableAccess;
use crate::policy::PolicyTable;
use crate::query::ColumnRead;
use deltalake::arrow::datatypes::SchemaRef;
use deltalake::datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use deltalake::datafusion::datasource::source_as_provider;
use deltalake::datafusion::logical_expr::{Expr, LogicalPlan, Volatility};
use deltalake::datafusion::physical_expr::expressions::DynamicFilterPhysicalExpr;
use deltalake::datafusion::physical_plan::ExecutionPlan;
use deltalake::datafusion::prelude::SessionConfig;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many plans are kept by default; past it, the least recently used goes.
pub(crate) const CAPACITY: usize = 256;

/// A plan ready to run again.
#[derive(Debug)]
pub(crate) struct Planned {
    /// The tables the SQL names, in its order: the caller's access and the version read
    /// (`None`: no version yet, read as an empty table).
    tables: Vec<(TableAccess, Option<u64>)>,
    pub plan: Arc<dyn ExecutionPlan>,
    pub schema: SchemaRef,
    /// Every column the plan reads, once (for the personal-data audit of every run).
    pub reads: Vec<ColumnRead>,
    pub config: SessionConfig,
}

impl Planned {
    pub fn new(
        tables: Vec<(TableAccess, Option<u64>)>,
        plan: Arc<dyn ExecutionPlan>,
        schema: SchemaRef,
        reads: Vec<ColumnRead>,
        config: SessionConfig,
    ) -> Planned {
        Planned {
            tables,
            plan,
            schema,
            reads,
            config,
        }
    }

    fn same_access(&self, tables: &[(&TableAccess, Option<u64>)]) -> bool {
        self.tables.len() == tables.len() && self.tables.iter().zip(tables).all(|((a, _), (b, _))| a == *b)
    }

    fn matches(&self, tables: &[(&TableAccess, Option<u64>)]) -> bool {
        self.same_access(tables) && self.tables.iter().zip(tables).all(|((_, v), (_, w))| v == w)
    }
}

/// The plans of one SQL text.
#[derive(Debug)]
struct Entry {
    /// The tables the SQL names (they depend on its text only).
    names: Vec<String>,
    /// Each plan with the tick of its last use.
    plans: Vec<(Arc<Planned>, u64)>,
}

#[derive(Debug, Default)]
struct State {
    by_sql: HashMap<String, Entry>,
    tick: u64,
    count: usize,
}

/// The kept plans of a warehouse (see the module's documentation).
#[derive(Debug)]
pub(crate) struct Plans {
    capacity: usize,
    state: Mutex<State>,
}

impl Plans {
    /// Keeping at most `capacity` plans (0: none).
    pub fn new(capacity: usize) -> Plans {
        Plans {
            capacity,
            state: Mutex::new(State::default()),
        }
    }

    /// The tables a SQL text names, when a plan of it is kept (no need to parse it again).
    pub fn names(&self, sql: &str) -> Option<Vec<String>> {
        let state = self.state.lock().expect("lock");
        state.by_sql.get(sql).map(|e| e.names.clone())
    }

    /// The plan of `sql` for exactly these accesses and versions.
    pub fn get(&self, sql: &str, tables: &[(&TableAccess, Option<u64>)]) -> Option<Arc<Planned>> {
        let mut state = self.state.lock().expect("lock");
        state.tick += 1;
        let tick = state.tick;
        let entry = state.by_sql.get_mut(sql)?;
        let (plan, used) = entry.plans.iter_mut().find(|(p, _)| p.matches(tables))?;
        *used = tick;
        Some(plan.clone())
    }

    /// Whether plans are kept at all.
    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Keep a plan. A plan of the same SQL and accesses at other versions is dropped (its
    /// tables have moved on); past the capacity, the least recently used plan is dropped.
    pub fn put(&self, sql: &str, names: Vec<String>, planned: Planned) {
        if self.capacity == 0 {
            return;
        }
        let mut state = self.state.lock().expect("lock");
        state.tick += 1;
        let tick = state.tick;
        let entry = state.by_sql.entry(sql.to_string()).or_insert_with(|| Entry {
            names,
            plans: Vec::new(),
        });
        let before = entry.plans.len();
        let key: Vec<(&TableAccess, Option<u64>)> = planned.tables.iter().map(|(a, v)| (a, *v)).collect();
        entry.plans.retain(|(p, _)| !p.same_access(&key));
        let dropped = before - entry.plans.len();
        entry.plans.push((Arc::new(planned), tick));
        state.count = state.count + 1 - dropped;
        while state.count > self.capacity {
            let oldest = state
                .by_sql
                .iter()
                .flat_map(|(sql, e)| e.plans.iter().enumerate().map(move |(i, (_, t))| (*t, sql, i)))
                .min_by_key(|(t, _, _)| *t)
                .map(|(_, sql, i)| (sql.clone(), i));
            let Some((sql, i)) = oldest else { break };
            let entry = state.by_sql.get_mut(&sql).expect("present");
            entry.plans.swap_remove(i);
            if entry.plans.is_empty() {
                state.by_sql.remove(&sql);
            }
            state.count -= 1;
        }
    }

    /// How many plans are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.state.lock().expect("lock").count
    }
}

/// Whether a logical plan gives the same rows whenever it runs on the same tables: it calls
/// no function that is not immutable (`now()` is fixed while planning, `random()` changes),
/// has no parameters or variables, and scans only warehouse tables behind their policies
/// (a table function such as `generate_series` is evaluated while planning).
pub(crate) fn timeless(plan: &LogicalPlan) -> bool {
    let mut fixed = true;
    let walked = plan.apply_with_subqueries(|node| {
        if let LogicalPlan::TableScan(scan) = node
            && !source_as_provider(&scan.source).is_ok_and(|p| p.is::<PolicyTable>())
        {
            fixed = false;
            return Ok(TreeNodeRecursion::Stop);
        }
        node.apply_expressions(|e| {
            let changing = e.exists(|x| {
                Ok(match x {
                    Expr::ScalarFunction(f) => f.func.signature().volatility != Volatility::Immutable,
                    Expr::ScalarVariable(..) | Expr::Placeholder(_) => true,
                    _ => false,
                })
            })?;
            if changing {
                fixed = false;
                return Ok(TreeNodeRecursion::Stop);
            }
            Ok(TreeNodeRecursion::Continue)
        })
    });
    walked.is_ok() && fixed
}

/// Whether a physical plan can run again from a copy with its state reset: no step reads a
/// dynamic filter that another step produces (a copy's producer would tighten a new filter
/// while its scan still read the kept plan's).
pub(crate) fn reusable(plan: &Arc<dyn ExecutionPlan>) -> bool {
    let consumer = plan.exists(|node| {
        if !node.dynamic_expressions_produced().is_empty() {
            return Ok(false);
        }
        let mut reads_dynamic = false;
        node.apply_expressions(&mut |e| {
            if e.exists(|x| Ok(x.is::<DynamicFilterPhysicalExpr>()))? {
                reads_dynamic = true;
                return Ok(TreeNodeRecursion::Stop);
            }
            Ok(TreeNodeRecursion::Continue)
        })?;
        Ok(reads_dynamic)
    });
    matches!(consumer, Ok(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use citygov_domain::lake::{Classification, Dataset, Field, FieldType, Frequency};
    use deltalake::arrow::datatypes::Schema;
    use deltalake::datafusion::physical_plan::empty::EmptyExec;

    fn dataset(name: &str) -> Dataset {
        Dataset::new(
            name,
            "UNIT",
            "steward",
            name,
            "theme",
            Frequency::Yearly,
            vec![Field::new("a", FieldType::Text, Classification::Personal, true)],
        )
    }

    fn planned(access: &TableAccess, version: Option<u64>) -> Planned {
        let schema = Arc::new(Schema::empty());
        Planned::new(
            vec![(access.clone(), version)],
            Arc::new(EmptyExec::new(schema.clone())),
            schema,
            Vec::new(),
            SessionConfig::new(),
        )
    }

    #[test]
    fn a_plan_is_found_only_for_its_sql_accesses_and_versions() {
        let plans = Plans::new(CAPACITY);
        let d = dataset("t");
        let whole = TableAccess::whole(&d);
        let mut masked = whole.clone();
        masked.masked = vec!["a".into()];
        plans.put("SELECT a FROM t", vec!["t".into()], planned(&whole, Some(3)));
        assert_eq!(plans.names("SELECT a FROM t"), Some(vec!["t".to_string()]));
        assert!(plans.get("SELECT a FROM t", &[(&whole, Some(3))]).is_some());
        assert!(
            plans.get("SELECT a FROM t", &[(&masked, Some(3))]).is_none(),
            "another grant"
        );
        assert!(
            plans.get("SELECT a FROM t", &[(&whole, Some(4))]).is_none(),
            "another version"
        );
        assert!(
            plans.get("SELECT a  FROM t", &[(&whole, Some(3))]).is_none(),
            "another text"
        );
        let mut filtered = whole.clone();
        filtered.row_filter = Some(("a".into(), vec!["x".into()]));
        assert!(
            plans.get("SELECT a FROM t", &[(&filtered, Some(3))]).is_none(),
            "a row filter"
        );
        // A new version's plan replaces the old one of the same access; another access's stays.
        plans.put("SELECT a FROM t", vec!["t".into()], planned(&masked, Some(3)));
        plans.put("SELECT a FROM t", vec!["t".into()], planned(&whole, Some(4)));
        assert_eq!(plans.len(), 2);
        assert!(plans.get("SELECT a FROM t", &[(&whole, Some(3))]).is_none());
        assert!(plans.get("SELECT a FROM t", &[(&whole, Some(4))]).is_some());
        assert!(plans.get("SELECT a FROM t", &[(&masked, Some(3))]).is_some());
    }

    #[test]
    fn the_least_recently_used_plan_goes_first() {
        let plans = Plans::new(CAPACITY);
        let d = dataset("t");
        let whole = TableAccess::whole(&d);
        for i in 0..CAPACITY {
            plans.put(
                &format!("SELECT {i} FROM t"),
                vec!["t".into()],
                planned(&whole, Some(1)),
            );
        }
        // The first is used again, so the second is the oldest when one more comes.
        assert!(plans.get("SELECT 0 FROM t", &[(&whole, Some(1))]).is_some());
        plans.put("SELECT x FROM t", vec!["t".into()], planned(&whole, Some(1)));
        assert_eq!(plans.len(), CAPACITY);
        assert!(plans.get("SELECT 0 FROM t", &[(&whole, Some(1))]).is_some());
        assert!(plans.get("SELECT 1 FROM t", &[(&whole, Some(1))]).is_none());
        assert!(plans.names("SELECT 1 FROM t").is_none());
        assert!(plans.get("SELECT x FROM t", &[(&whole, Some(1))]).is_some());
    }

    #[test]
    fn no_plan_is_kept_without_capacity() {
        let plans = Plans::new(0);
        let d = dataset("t");
        let whole = TableAccess::whole(&d);
        assert!(!plans.enabled());
        plans.put("SELECT a FROM t", vec!["t".into()], planned(&whole, Some(1)));
        assert_eq!(plans.len(), 0);
        assert!(plans.get("SELECT a FROM t", &[(&whole, Some(1))]).is_none());
    }
}
