//! Policies enforced in the physical plan. A table a caller may see is registered as a
//! `PolicyTable`: its scan reads the table's files at the version asked for, then the row filter (`FilterExec`), then the
//! masking projection, below anything the caller's SQL adds. The raw table is never
//! registered under any name, so no join, subquery, CTE or view can reach around it; the
//! caller's filters are applied above the row filter (only those on columns neither masked
//! nor sealed are also offered to the scan, for file and row-group pruning). A sealed column
//! is opened in the same projection, before its mask (see the `cipher` module).

use crate::TableAccess;
use crate::cipher::open_expr;
use crate::query::ColumnRead;
use citygov_domain::lake::{Classification, FieldType};
use deltalake::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use deltalake::datafusion::catalog::{Session, TableProvider};
use deltalake::datafusion::common::{DFSchema, Result as DfResult, ScalarValue};
use deltalake::datafusion::datasource::TableType;
use deltalake::datafusion::functions::expr_fn::{character_length, concat, left, repeat};
use deltalake::datafusion::logical_expr::{Expr, ScalarUDF, TableProviderFilterPushDown, cast, col, lit, when};
use deltalake::datafusion::physical_plan::ExecutionPlan;
use deltalake::datafusion::physical_plan::filter::FilterExec;
use deltalake::datafusion::physical_plan::projection::ProjectionExec;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// The masking expression, as `citygov_domain::lake::mask`: text of eight characters or
/// more keeps its first four (`001099012345` → `0010********`), shorter text becomes all
/// `*`, and any other value `****`. Built from standard functions so that any engine (in
/// process or Ballista) evaluates it the same way.
pub fn mask_expr(e: Expr, t: FieldType) -> Expr {
    let v = cast(e, DataType::Utf8);
    if t != FieldType::Text {
        return when(v.is_null(), lit(ScalarValue::Utf8(None)))
            .otherwise(lit("****"))
            .expect("a valid CASE");
    }
    let len = character_length(v.clone());
    when(v.clone().is_null(), lit(ScalarValue::Utf8(None)))
        .when(len.clone().lt(lit(8i32)), repeat(lit("*"), len.clone()))
        .otherwise(concat(vec![left(v, lit(4i64)), repeat(lit("*"), len - lit(4i32))]))
        .expect("a valid CASE")
}

/// The row filter of an access, over the table's own columns.
pub fn row_filter_expr(access: &TableAccess) -> Option<Expr> {
    let (column, values) = access.row_filter.as_ref()?;
    if column.is_empty() || values.is_empty() || access.dataset.field(column).is_none() {
        return Some(lit(false));
    }
    Some(col(format!("\"{column}\"")).in_list(values.iter().map(|v| lit(v.clone())).collect(), false))
}

#[derive(Debug)]
pub struct PolicyTable {
    access: TableAccess,
    inner: Arc<dyn TableProvider>,
    /// Visible columns: name, index in the inner schema, masked.
    visible: Vec<(String, usize, bool)>,
    schema: SchemaRef,
    row_filter: Option<Expr>,
    row_filter_columns: Vec<usize>,
    reads: Arc<Mutex<Vec<ColumnRead>>>,
    open: Arc<ScalarUDF>,
}

/// The columns of a table a caller sees, in the table's order: name, index in the table's
/// schema, and whether it is shown masked. Hidden columns, and columns the catalog does not
/// (or no longer) describe, are left out.
pub fn visible_columns(access: &TableAccess, table_schema: &Schema) -> Vec<(String, usize, bool)> {
    table_schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| !access.hidden.contains(f.name()) && access.dataset.field(f.name()).is_some())
        .map(|(i, f)| (f.name().clone(), i, access.masked.contains(f.name())))
        .collect()
}

/// What a caller gets for one visible column: the column (opened when sealed), or its mask.
pub fn column_expr(access: &TableAccess, name: &str, masked: bool, open: &Arc<ScalarUDF>) -> Expr {
    let mut c = col(format!("\"{name}\""));
    if access.dataset.is_sealed(name) {
        c = open_expr(open, c, &access.dataset.name, name);
    }
    if masked {
        let t = access
            .dataset
            .field(name)
            .map(|f| f.field_type)
            .unwrap_or(FieldType::Text);
        mask_expr(c, t)
    } else {
        c
    }
}

impl PolicyTable {
    pub fn new(
        access: &TableAccess,
        inner: Arc<dyn TableProvider>,
        reads: Arc<Mutex<Vec<ColumnRead>>>,
        open: Arc<ScalarUDF>,
    ) -> PolicyTable {
        let inner_schema = inner.schema();
        let visible = visible_columns(access, &inner_schema);
        let fields: Vec<Field> = visible
            .iter()
            .map(|(name, i, masked)| {
                if *masked || access.dataset.is_sealed(name) {
                    Field::new(name, DataType::Utf8, true)
                } else {
                    inner_schema.field(*i).clone()
                }
            })
            .collect();
        let row_filter = row_filter_expr(access);
        let row_filter_columns = match &access.row_filter {
            Some((c, _)) => inner_schema.index_of(c).into_iter().collect(),
            None => Vec::new(),
        };
        PolicyTable {
            access: access.clone(),
            inner,
            visible,
            schema: Arc::new(Schema::new(fields)),
            row_filter,
            row_filter_columns,
            reads,
            open,
        }
    }

    /// Whether a filter reads only columns the scan holds as the caller sees them (not
    /// masked, not sealed): only such a filter may also be given to the scan.
    fn plain_only(&self, e: &Expr) -> bool {
        e.column_refs().iter().all(|c| {
            self.visible
                .iter()
                .any(|(n, _, masked)| n == &c.name && !masked && !self.access.dataset.is_sealed(n))
        })
    }
}

#[async_trait::async_trait]
impl TableProvider for PolicyTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(&self, filters: &[&Expr]) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(filters
            .iter()
            .map(|f| {
                if self.plain_only(f) {
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let wanted: Vec<usize> = match projection {
            Some(p) => p.clone(),
            None => (0..self.visible.len()).collect(),
        };
        {
            let mut reads = self.reads.lock().expect("lock");
            for &p in &wanted {
                let (name, _, masked) = &self.visible[p];
                reads.push(ColumnRead {
                    dataset: self.access.dataset.name.clone(),
                    column: name.clone(),
                    classification: self
                        .access
                        .dataset
                        .field(name)
                        .map(|f| f.classification)
                        .unwrap_or(Classification::Internal),
                    masked: *masked,
                });
            }
        }
        let mut inner_cols: BTreeSet<usize> = wanted.iter().map(|&p| self.visible[p].1).collect();
        inner_cols.extend(self.row_filter_columns.iter().copied());
        let inner_proj: Vec<usize> = inner_cols.into_iter().collect();
        let mut pushed: Vec<Expr> = filters.iter().filter(|f| self.plain_only(f)).cloned().collect();
        if let Some(rf) = &self.row_filter {
            pushed.push(rf.clone());
        }
        let inner_limit = if self.row_filter.is_none() && filters.is_empty() {
            limit
        } else {
            None
        };
        let plan = self.inner.scan(state, Some(&inner_proj), &pushed, inner_limit).await?;
        let df_schema = DFSchema::try_from(plan.schema())?;
        let plan: Arc<dyn ExecutionPlan> = match &self.row_filter {
            Some(rf) => {
                let predicate = state.create_physical_expr(rf.clone(), &df_schema)?;
                Arc::new(FilterExec::try_new(predicate, plan)?)
            }
            None => plan,
        };
        let mut exprs = Vec::with_capacity(wanted.len());
        for &p in &wanted {
            let (name, _, masked) = &self.visible[p];
            let e = column_expr(&self.access, name, *masked, &self.open);
            exprs.push((state.create_physical_expr(e, &df_schema)?, name.clone()));
        }
        Ok(Arc::new(ProjectionExec::try_new(exprs, plan)?))
    }
}
