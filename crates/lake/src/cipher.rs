//! Personal columns sealed at rest. When the warehouse has the platform's keys, the values of
//! every text column classified personal or sensitive (`Dataset::sealed_fields`) are sealed
//! (AES-256-GCM, bound to `dataset.column`) before they are written, so a table's Parquet
//! files hold no identity number, name or phone in clear. A query opens them in its plan,
//! under the policy: a masked column is opened and masked, an unmasked one opened; the raw
//! scan below the policy only ever carries sealed values.
//!
//! Opening is the scalar function [`OPEN_FUNCTION`] over the column and its name, known to
//! every engine of the warehouse (in process and on each node of a Ballista cluster); a value
//! that is not sealed (written before encryption, or without keys) passes as it is.

use citygov_domain::lake::{CipherError, ColumnCipher, ColumnKeys, Dataset};
use deltalake::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use deltalake::arrow::datatypes::DataType;
use deltalake::datafusion::common::{DataFusionError, Result as DfResult, ScalarValue};
use deltalake::datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility, cast, lit,
};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

/// The name of the function that opens a sealed column's values.
pub const OPEN_FUNCTION: &str = "citygov_open_sealed";

/// Prefix of a sealed value.
const SEALED: &str = "enc1:";

/// The cipher of a warehouse, set once (by the platform, after its store has loaded the keys).
pub(crate) type CipherSlot = Arc<OnceLock<Arc<dyn ColumnCipher>>>;

/// The name a column's values are bound to.
pub(crate) fn column_id(dataset: &str, column: &str) -> String {
    format!("{dataset}.{column}")
}

/// `citygov_open_sealed(value, 'dataset.column')`.
pub(crate) struct OpenSealed {
    cipher: CipherSlot,
    signature: Signature,
}

impl std::fmt::Debug for OpenSealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenSealed")
            .field("keys", &self.cipher.get().is_some())
            .finish()
    }
}

// Every instance does the same thing with the warehouse's keys.
impl PartialEq for OpenSealed {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for OpenSealed {}
impl Hash for OpenSealed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        OPEN_FUNCTION.hash(state);
    }
}

pub(crate) fn open_udf(cipher: &CipherSlot) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::from(OpenSealed {
        cipher: cipher.clone(),
        signature: Signature::exact(vec![DataType::Utf8, DataType::Utf8], Volatility::Immutable),
    }))
}

/// The expression that opens the values of a sealed column `e` of `dataset`.
pub(crate) fn open_expr(udf: &Arc<ScalarUDF>, e: Expr, dataset: &str, column: &str) -> Expr {
    udf.call(vec![cast(e, DataType::Utf8), lit(column_id(dataset, column))])
}

fn failed(e: CipherError) -> DataFusionError {
    DataFusionError::Execution(format!(
        "Không mở được dữ liệu cá nhân đã mã hoá ({e}); hãy thử lại hoặc báo quản trị viên. / {e}"
    ))
}

impl OpenSealed {
    /// The keys to open a run of values with (taken once for a batch).
    fn keys(&self) -> Option<Arc<dyn ColumnKeys>> {
        self.cipher.get().map(|c| c.keys())
    }

    /// The error of a value that did not open. One sealed with a data key these keys lack
    /// has them reloaded in the background: on a cluster's executor, a process of its own,
    /// nothing else reloads them; in process, the query's retry ([`retrying`]) waits for this
    /// same load instead of making another.
    fn failed(&self, e: CipherError) -> DataFusionError {
        if let (CipherError::UnknownKey(id), Some(c), Ok(rt)) =
            (&e, self.cipher.get(), tokio::runtime::Handle::try_current())
        {
            let (c, id) = (c.clone(), id.clone());
            rt.spawn(async move { c.refresh(Some(id)).await });
        }
        failed(e)
    }
}

fn open_one(keys: &Option<Arc<dyn ColumnKeys>>, column: &str, v: &str) -> Result<String, CipherError> {
    if !v.starts_with(SEALED) {
        return Ok(v.to_string());
    }
    match keys {
        Some(k) => k.open(column, v),
        None => Err(CipherError::UnknownKey("(no keys)".into())),
    }
}

impl ScalarUDFImpl for OpenSealed {
    fn name(&self) -> &str {
        OPEN_FUNCTION
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let column = match args.args.get(1) {
            Some(ColumnarValue::Scalar(ScalarValue::Utf8(Some(c)))) => c.clone(),
            _ => {
                return Err(DataFusionError::Plan(format!(
                    "{OPEN_FUNCTION} takes a column and its name"
                )));
            }
        };
        match args.args.first() {
            Some(ColumnarValue::Scalar(ScalarValue::Utf8(v))) => Ok(ColumnarValue::Scalar(ScalarValue::Utf8(
                v.as_deref()
                    .map(|v| open_one(&self.keys(), &column, v))
                    .transpose()
                    .map_err(|e| self.failed(e))?,
            ))),
            Some(ColumnarValue::Array(a)) => {
                let s = a.as_string_opt::<i32>().ok_or_else(|| {
                    DataFusionError::Plan(format!("{OPEN_FUNCTION} takes text, not {}", a.data_type()))
                })?;
                if !s.iter().flatten().any(|v| v.starts_with(SEALED)) {
                    return Ok(ColumnarValue::Array(a.clone()));
                }
                let keys = self.keys();
                let opened = s
                    .iter()
                    .map(|v| v.map(|v| open_one(&keys, &column, v)).transpose())
                    .collect::<Result<StringArray, CipherError>>()
                    .map_err(|e| self.failed(e))?;
                Ok(ColumnarValue::Array(Arc::new(opened) as ArrayRef))
            }
            _ => Err(DataFusionError::Plan(format!("{OPEN_FUNCTION} takes text"))),
        }
    }
}

/// Seal the sealed columns of a batch of `d` (already checked against the catalog).
pub(crate) fn seal_batch(batch: RecordBatch, d: &Dataset, cipher: &dyn ColumnCipher) -> RecordBatch {
    let schema = batch.schema();
    let mut columns = batch.columns().to_vec();
    let mut changed = false;
    let keys = cipher.keys();
    for f in d.sealed_fields() {
        let Ok(i) = schema.index_of(&f.name) else { continue };
        let Some(s) = columns[i].as_string_opt::<i32>() else {
            continue;
        };
        let id = column_id(&d.name, &f.name);
        let sealed: StringArray = s.iter().map(|v| v.map(|v| keys.seal(&id, v))).collect();
        columns[i] = Arc::new(sealed);
        changed = true;
    }
    if !changed {
        return batch;
    }
    RecordBatch::try_new(schema, columns).expect("the same columns, each as long")
}

/// Run `attempt`; when it meets a value sealed with a data key this process had not loaded
/// (made since by another process), reload the keys and run it once more. Every path that
/// opens sealed values (queries, downloads, an upsert's key match, quality measures) runs
/// through here, so a new key is loaded once, where it is met: the reload waits for the one
/// the failing value began ([`OpenSealed`]) and makes none when that one loaded the key.
pub(crate) async fn retrying<T, F, Fut>(cipher: &CipherSlot, attempt: F) -> crate::Result<T>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = crate::Result<T>>,
{
    match attempt().await {
        Err(e) if is_unknown_key(&e) => {
            if let Some(c) = cipher.get() {
                c.refresh(unknown_key(&e)).await;
            }
            attempt().await
        }
        r => r,
    }
}

/// The text of an error, where it may name a data key this process had not loaded.
fn error_text(e: &crate::Error) -> Option<String> {
    match e {
        crate::Error::Invalid(p) | crate::Error::Unavailable(p) | crate::Error::Limit(p) => Some(p.message_en.clone()),
        crate::Error::Internal(e) => Some(format!("{e:#}")),
        _ => None,
    }
}

/// Whether an error is a value sealed with a data key this process had not loaded.
fn is_unknown_key(e: &crate::Error) -> bool {
    error_text(e).is_some_and(|t| t.contains(citygov_domain::lake::UNKNOWN_DATA_KEY))
}

/// The id of the data key such an error names (its message carries the [`CipherError`]).
fn unknown_key(e: &crate::Error) -> Option<String> {
    let text = error_text(e)?;
    let (_, rest) = text.split_once(citygov_domain::lake::UNKNOWN_DATA_KEY)?;
    let id = rest.trim_start().split(|c: char| !c.is_ascii_alphanumeric()).next()?;
    (!id.is_empty()).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_keys_plain_values_pass_and_sealed_ones_are_never_shown() {
        let f = OpenSealed {
            cipher: Arc::new(OnceLock::new()),
            signature: Signature::exact(vec![DataType::Utf8, DataType::Utf8], Volatility::Immutable),
        };
        assert_eq!(open_one(&f.keys(), "d.c", "plain").unwrap(), "plain");
        assert!(open_one(&f.keys(), "d.c", "enc1:s1:abc").is_err());
    }

    #[test]
    fn a_query_error_names_the_data_key_it_lacks() {
        let e = crate::Error::from(failed(CipherError::UnknownKey("s12".into())));
        assert!(is_unknown_key(&e), "{e:?}");
        assert_eq!(unknown_key(&e).as_deref(), Some("s12"));
        let broken = crate::Error::from(failed(CipherError::Broken));
        assert!(!is_unknown_key(&broken));
        assert_eq!(unknown_key(&broken), None);
    }
}
