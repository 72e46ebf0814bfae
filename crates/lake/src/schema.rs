//! The catalog's field types as Arrow (and so Delta) types.

use citygov_domain::lake::{Dataset, FieldType};
use deltalake::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use std::sync::Arc;

/// The Arrow type of a catalog type. Timestamps are local Vietnam wall time without a zone
/// (Delta `timestamp_ntz`), like every time of the platform.
pub fn arrow_type(t: FieldType) -> DataType {
    match t {
        FieldType::Text => DataType::Utf8,
        FieldType::Integer => DataType::Int64,
        FieldType::Number => DataType::Float64,
        FieldType::Boolean => DataType::Boolean,
        FieldType::Date => DataType::Date32,
        FieldType::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
    }
}

/// The table schema of a dataset: every field, nullable (requiredness is checked on load, so
/// that adding a required field later does not break earlier versions).
pub fn table_schema(d: &Dataset) -> SchemaRef {
    Arc::new(Schema::new(
        d.fields
            .iter()
            .map(|f| Field::new(&f.name, arrow_type(f.field_type), true))
            .collect::<Vec<_>>(),
    ))
}
