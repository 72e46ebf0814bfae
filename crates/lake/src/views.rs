//! Text compared with a constant, on string views. The warehouse reads text as string views:
//! sixteen bytes per value, holding its length and, for a value of up to twelve bytes, the
//! value itself, zero-padded (any longer value keeps its length and first four bytes there and
//! the rest in a buffer). So a value equals a constant of up to twelve bytes exactly when
//! their views are equal, and a value can equal a longer constant only when its length and
//! first four bytes, the view's first eight bytes, are the constant's.
//!
//! The rule rewrites `text = 'constant'` and `text <> 'constant'` in filters (`WHERE`, and the
//! `FILTER` of an aggregate, which conditional counts become) into [`ViewEq`], which compares
//! the views as integers, without a branch per row. Arrow's own comparison goes value by
//! value through a chain of tests whose outcome differs from row to row when the values are
//! mixed, like a channel column of `truc_tuyen` and `truc_tiep`, and the processor mispredicts
//! a good share of them. Only the executing filters are rewritten: the predicates the scans
//! keep for pruning row groups by their statistics are left as they are. A plan sent to a
//! cluster carries each comparison as the plain `=` or `<>` it replaced.

use deltalake::arrow::array::builder::make_view;
use deltalake::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use deltalake::arrow::buffer::{BooleanBuffer, Buffer};
use deltalake::arrow::datatypes::{DataType, Schema};
use deltalake::arrow::record_batch::RecordBatch;
use deltalake::datafusion::common::tree_node::{Transformed, TransformedResult, TreeNode};
use deltalake::datafusion::common::{Result, ScalarValue, internal_datafusion_err, internal_err};
use deltalake::datafusion::config::ConfigOptions;
use deltalake::datafusion::logical_expr::{ColumnarValue, Operator};
use deltalake::datafusion::physical_expr::PhysicalExpr;
use deltalake::datafusion::physical_expr::expressions::{BinaryExpr, Literal};
use deltalake::datafusion::physical_expr_common::physical_expr::proto_encode::PhysicalExprEncodeCtx;
use deltalake::datafusion::physical_optimizer::PhysicalOptimizerRule;
use deltalake::datafusion::physical_plan::ExecutionPlan;
use deltalake::datafusion::physical_plan::aggregates::AggregateExec;
use deltalake::datafusion::physical_plan::filter::{FilterExec, FilterExecBuilder};
use std::fmt;
use std::hash::Hash;
use std::sync::Arc;

/// `arg = literal` (or `arg <> literal` when `negated`) where `arg` is string-view text.
#[derive(Debug, Clone, Eq)]
pub(crate) struct ViewEq {
    arg: Arc<dyn PhysicalExpr>,
    literal: String,
    negated: bool,
}

impl PartialEq for ViewEq {
    fn eq(&self, other: &Self) -> bool {
        self.arg.eq(&other.arg) && self.literal == other.literal && self.negated == other.negated
    }
}

impl Hash for ViewEq {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.arg.hash(state);
        self.literal.hash(state);
        self.negated.hash(state);
    }
}

impl ViewEq {
    pub(crate) fn new(arg: Arc<dyn PhysicalExpr>, literal: String, negated: bool) -> ViewEq {
        ViewEq { arg, literal, negated }
    }

    fn op(&self) -> Operator {
        if self.negated { Operator::NotEq } else { Operator::Eq }
    }

    /// The comparison as DataFusion's own expression.
    fn plain(&self) -> Arc<dyn PhysicalExpr> {
        Arc::new(BinaryExpr::new(
            self.arg.clone(),
            self.op(),
            Arc::new(Literal::new(ScalarValue::Utf8View(Some(self.literal.clone())))),
        ))
    }

    fn compare(&self, array: &ArrayRef) -> Result<BooleanArray> {
        let Some(text) = array.as_string_view_opt() else {
            return internal_err!("a string-view comparison got {}", array.data_type());
        };
        let views: &[u128] = text.views();
        let negated = self.negated;
        // The literal's view: the whole of it up to twelve bytes, else its length and prefix.
        let view = make_view(self.literal.as_bytes(), 0, 0);
        let bits = if self.literal.len() <= 12 {
            pack(views, |v| (v == view) != negated)
        } else {
            // Length and prefix first; the rest only where both match.
            let head = view as u64;
            let literal = self.literal.as_str();
            BooleanBuffer::collect_bool(views.len(), |i| {
                (views[i] as u64 == head && text.value(i) == literal) != negated
            })
        };
        Ok(BooleanArray::new(bits, text.logical_nulls()))
    }
}

/// The bits of `f` over `views`, 64 at a time. Not Arrow's `BooleanBuffer::collect_bool`: its
/// closure takes an index, and the bounds check on `views[i]` keeps the loop from being
/// vectorised (the online share's comparisons took 10 % of its time that way, against 6 %).
fn pack(views: &[u128], f: impl Fn(u128) -> bool) -> BooleanBuffer {
    let mut words = Vec::with_capacity(views.len().div_ceil(64));
    for chunk in views.chunks(64) {
        let mut word = 0u64;
        for (j, &v) in chunk.iter().enumerate() {
            word |= u64::from(f(v)) << j;
        }
        words.push(word);
    }
    BooleanBuffer::new(Buffer::from_vec(words), 0, views.len())
}

impl fmt::Display for ViewEq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {} (views)", self.arg, self.op(), self.literal)
    }
}

impl PhysicalExpr for ViewEq {
    fn data_type(&self, _input_schema: &Schema) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn nullable(&self, input_schema: &Schema) -> Result<bool> {
        self.arg.nullable(input_schema)
    }

    fn evaluate(&self, batch: &RecordBatch) -> Result<ColumnarValue> {
        match self.arg.evaluate(batch)? {
            ColumnarValue::Array(a) => Ok(ColumnarValue::Array(Arc::new(self.compare(&a)?))),
            ColumnarValue::Scalar(ScalarValue::Utf8View(v)) => Ok(ColumnarValue::Scalar(ScalarValue::Boolean(
                v.map(|v| (v == self.literal) != self.negated),
            ))),
            ColumnarValue::Scalar(other) => internal_err!("a string-view comparison got {}", other.data_type()),
        }
    }

    fn children(&self) -> Vec<&Arc<dyn PhysicalExpr>> {
        vec![&self.arg]
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn PhysicalExpr>>) -> Result<Arc<dyn PhysicalExpr>> {
        let [arg] = <[_; 1]>::try_from(children).map_err(|_| internal_datafusion_err!("a comparison has one input"))?;
        Ok(Arc::new(ViewEq::new(arg, self.literal.clone(), self.negated)))
    }

    fn fmt_sql(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.plain().fmt_sql(f)
    }

    /// Sent to a cluster as the plain comparison, which every node knows.
    fn try_to_proto(
        &self,
        ctx: &PhysicalExprEncodeCtx<'_>,
    ) -> Result<Option<datafusion_proto::protobuf::PhysicalExprNode>> {
        ctx.encode_child(&self.plain()).map(Some)
    }
}

/// `expr` with its string-view comparisons with a constant made [`ViewEq`]s (transformed
/// when it had any).
fn rewrite_expr(expr: &Arc<dyn PhysicalExpr>, schema: &Schema) -> Result<Transformed<Arc<dyn PhysicalExpr>>> {
    expr.clone().transform_up(|e| {
        let Some(b) = e.downcast_ref::<BinaryExpr>() else {
            return Ok(Transformed::no(e));
        };
        let negated = match b.op() {
            Operator::Eq => false,
            Operator::NotEq => true,
            _ => return Ok(Transformed::no(e)),
        };
        let constant = |x: &Arc<dyn PhysicalExpr>| match x.downcast_ref::<Literal>().map(Literal::value) {
            Some(ScalarValue::Utf8View(Some(s))) => Some(s.clone()),
            _ => None,
        };
        let (arg, literal) = match (constant(b.left()), constant(b.right())) {
            (None, Some(s)) => (b.left().clone(), s),
            (Some(s), None) => (b.right().clone(), s),
            _ => return Ok(Transformed::no(e)),
        };
        if arg.data_type(schema)? != DataType::Utf8View {
            return Ok(Transformed::no(e));
        }
        Ok(Transformed::yes(
            Arc::new(ViewEq::new(arg, literal, negated)) as Arc<dyn PhysicalExpr>
        ))
    })
}

/// The physical optimizer rule; see the module's documentation. It runs last, once the plan
/// is final, so no other rule needs to know [`ViewEq`].
#[derive(Debug, Default)]
pub(crate) struct ViewCompare;

impl PhysicalOptimizerRule for ViewCompare {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| Ok(rewrite(&node)?.map_or(Transformed::no(node), Transformed::yes)))
            .data()
    }

    fn name(&self) -> &str {
        "ViewCompare"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

fn rewrite(node: &Arc<dyn ExecutionPlan>) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    if let Some(filter) = node.downcast_ref::<FilterExec>() {
        let predicate = rewrite_expr(filter.predicate(), &filter.input().schema())?;
        if !predicate.transformed {
            return Ok(None);
        }
        return Ok(Some(Arc::new(
            FilterExecBuilder::from(filter).with_predicate(predicate.data).build()?,
        )));
    }
    let Some(agg) = node.downcast_ref::<AggregateExec>() else {
        return Ok(None);
    };
    if !crate::planner::rewritable(agg) {
        return Ok(None);
    }
    let schema = agg.input().schema();
    let mut changed = false;
    let mut filters = Vec::with_capacity(agg.filter_expr().len());
    for f in agg.filter_expr() {
        let new = f.as_ref().map(|f| rewrite_expr(f, &schema)).transpose()?;
        changed |= new.as_ref().is_some_and(|t| t.transformed);
        filters.push(new.map(|t| t.data));
    }
    if !changed {
        return Ok(None);
    }
    crate::planner::rebuild(agg, agg.aggr_expr().to_vec(), filters).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::arrow::array::{StringArray, StringViewArray, StringViewBuilder};
    use deltalake::arrow::compute::kernels::cmp;
    use deltalake::arrow::datatypes::Field;
    use deltalake::datafusion::catalog::MemTable;
    use deltalake::datafusion::common::tree_node::TreeNodeRecursion;
    use deltalake::datafusion::execution::SessionStateBuilder;
    use deltalake::datafusion::physical_expr::expressions::col;
    use deltalake::datafusion::physical_optimizer::optimizer::PhysicalOptimizer;
    use deltalake::datafusion::prelude::{SessionConfig, SessionContext};

    /// Text of every length from 0 to 20 bytes around a few constants (equal, same length and
    /// prefix, same prefix, longer), with nulls, split over data buffers as a Parquet
    /// dictionary decodes it.
    fn texts() -> StringViewArray {
        let base = [
            "",
            "truc_tuyen",
            "truc_tiep",
            "truc_tuyenX",
            "abcdefghijkl",
            "abcdefghijklm",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "abcdXfghijklmnopq",
        ];
        let mut b = StringViewBuilder::new().with_fixed_block_size(64);
        let mut x: u64 = 12345;
        for i in 0..5000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            match (x >> 33) % 11 {
                0 => b.append_null(),
                k if (k as usize) < base.len() => b.append_value(base[k as usize]),
                _ => b.append_value(&"abcdefghijklmnopqrst"[..(i % 21) as usize]),
            }
        }
        b.finish()
    }

    #[test]
    fn comparisons_give_what_arrow_gives() {
        let text = texts();
        let array: ArrayRef = Arc::new(text.clone());
        let schema = Schema::new(vec![Field::new("t", DataType::Utf8View, true)]);
        let batch = RecordBatch::try_new(Arc::new(schema.clone()), vec![array.clone()]).unwrap();
        let literals = [
            "",
            "truc_tuyen",
            "truc_tiep",
            "abcdefghijkl",
            "abcdefghijklm",
            "abcdefghijklmnopq",
            "zz",
        ];
        for literal in literals {
            let scalar = StringViewArray::new_scalar(literal);
            for negated in [false, true] {
                let expected = if negated {
                    cmp::neq(&text, &scalar)
                } else {
                    cmp::eq(&text, &scalar)
                }
                .unwrap();
                let e = ViewEq::new(col("t", &schema).unwrap(), literal.to_string(), negated);
                let got = e.evaluate(&batch).unwrap().into_array(batch.num_rows()).unwrap();
                assert_eq!(got.as_boolean(), &expected, "{literal:?} negated={negated}");
                // Every constant but the last occurs in the text; the text has nulls.
                let occurs = literal != "zz";
                assert!(
                    expected.null_count() > 0 && (negated || (expected.true_count() > 0) == occurs),
                    "{literal:?}"
                );
                // A slice keeps its place in the views.
                let part = batch.slice(777, 1500);
                let got = e.evaluate(&part).unwrap().into_array(part.num_rows()).unwrap();
                assert_eq!(got.as_boolean(), &expected.slice(777, 1500), "{literal:?} sliced");
            }
        }
    }

    /// A session with (or without) the rule over events in two partitions.
    fn context(rule: bool) -> SessionContext {
        let mut rules = PhysicalOptimizer::new().rules;
        if rule {
            rules.push(Arc::new(ViewCompare));
        }
        let state = SessionStateBuilder::new()
            .with_config(SessionConfig::new().with_target_partitions(2))
            .with_default_features()
            .with_physical_optimizer_rules(rules)
            .build();
        let ctx = SessionContext::new_with_state(state);
        let schema = Arc::new(Schema::new(vec![
            Field::new("code", DataType::Utf8View, false),
            Field::new("channel", DataType::Utf8View, true),
            Field::new("kind", DataType::Utf8, true),
        ]));
        let text = texts();
        let mut partitions = Vec::new();
        for part in 0..2usize {
            let range = part * 2500..(part + 1) * 2500;
            let code: StringViewArray = range.clone().map(|i| Some(format!("P{}", i % 17))).collect();
            let channel = text.slice(range.start, 2500);
            let kind: StringArray = range
                .map(|i| Some(if i % 3 == 0 { "tiep_nhan" } else { "hoan_thanh" }))
                .collect();
            let batch =
                RecordBatch::try_new(schema.clone(), vec![Arc::new(code), Arc::new(channel), Arc::new(kind)]).unwrap();
            partitions.push(vec![batch]);
        }
        ctx.register_table("events", Arc::new(MemTable::try_new(schema, partitions).unwrap()))
            .unwrap();
        ctx
    }

    /// The comparisons on views in the filters of a plan.
    fn views_in(plan: &Arc<dyn ExecutionPlan>) -> usize {
        let count = |e: &Arc<dyn PhysicalExpr>| {
            let mut n = 0;
            e.apply(|x| {
                n += usize::from(x.is::<ViewEq>());
                Ok(TreeNodeRecursion::Continue)
            })
            .unwrap();
            n
        };
        let own = if let Some(f) = plan.downcast_ref::<FilterExec>() {
            count(f.predicate())
        } else if let Some(a) = plan.downcast_ref::<AggregateExec>() {
            a.filter_expr().iter().flatten().map(count).sum()
        } else {
            0
        };
        own + plan.children().into_iter().map(views_in).sum::<usize>()
    }

    /// How many comparisons on views the plan of `sql` holds, with its plan and printed result.
    async fn run(ctx: &SessionContext, sql: &str) -> (usize, String, String) {
        crate::planner::testing::plan_and_rows(ctx, sql, views_in).await
    }

    #[tokio::test]
    async fn filters_compare_views_with_the_same_rows() {
        let plain = context(false);
        let rule = context(true);
        for (sql, rewritten) in [
            (
                "SELECT code, count(*) AS n, count(*) FILTER (WHERE channel = 'truc_tuyen') AS online, \
                 count(*) FILTER (WHERE channel <> 'abcdefghijklmnopq') AS other \
                 FROM events WHERE code <> 'P3' GROUP BY code ORDER BY code",
                3,
            ),
            (
                "SELECT channel, count(*) AS n FROM events WHERE 'abcdefghijklm' = channel OR channel = '' \
                 GROUP BY channel ORDER BY channel",
                2,
            ),
            // Text that is not read as views is left to DataFusion's comparison.
            ("SELECT count(*) AS n FROM events WHERE kind = 'tiep_nhan'", 0),
        ] {
            let (views, plan, rows) = run(&rule, sql).await;
            assert_eq!(views, rewritten, "{sql}\n{plan}");
            let (none, _, plain_rows) = run(&plain, sql).await;
            assert_eq!((none, rows.as_str()), (0, plain_rows.as_str()), "{sql}");
            assert!(rows.lines().count() > 4, "too few rows to compare:\n{rows}");
        }
    }
}
