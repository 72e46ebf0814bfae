//! Checking raw batches against the catalog and converting them to the table's types,
//! vectorised where the data is good: each column is cast at once, and only the rows the
//! cast refused are looked at again (Vietnamese dates `03/12/2026`, decimal commas) before
//! they become problems with their row, column, value and reason.

use crate::RowProblem;
use crate::read::RawBatch;
use crate::schema::arrow_type;
use citygov_domain::lake::{Dataset, FieldType};
use deltalake::arrow::array::{
    Array, ArrayRef, AsArray, BooleanBuilder, Date32Builder, Float64Builder, RecordBatch, StringArray,
    TimestampMicrosecondArray, TimestampMicrosecondBuilder, new_null_array,
};
use deltalake::arrow::compute::{CastOptions, cast, cast_with_options};
use deltalake::arrow::datatypes::{DataType, SchemaRef};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// Why a value was refused: code, Vietnamese, English.
fn reason(t: FieldType) -> (&'static str, &'static str, &'static str) {
    match t {
        FieldType::Text => ("not_text", "không phải văn bản", "not text"),
        FieldType::Integer => ("not_integer", "không phải số nguyên", "not an integer"),
        FieldType::Number => (
            "not_number",
            "không phải số (dùng dấu chấm hoặc dấu phẩy thập phân)",
            "not a number",
        ),
        FieldType::Boolean => (
            "not_boolean",
            "không phải giá trị đúng/sai (true/false, có/không, 1/0)",
            "not a true/false value (true/false, có/không, 1/0)",
        ),
        FieldType::Date => (
            "not_date",
            "không phải ngày (YYYY-MM-DD hoặc DD/MM/YYYY)",
            "not a date (YYYY-MM-DD or DD/MM/YYYY)",
        ),
        FieldType::Timestamp => (
            "not_timestamp",
            "không phải thời điểm (YYYY-MM-DD HH:MM:SS hoặc DD/MM/YYYY HH:MM)",
            "not a date and time (YYYY-MM-DD HH:MM:SS or DD/MM/YYYY HH:MM)",
        ),
    }
}

fn short(v: &str) -> String {
    if v.chars().count() > 100 {
        let mut s: String = v.chars().take(100).collect();
        s.push('…');
        s
    } else {
        v.to_string()
    }
}

/// Validates batch after batch, collecting problems.
pub struct Validator<'a> {
    dataset: &'a Dataset,
    target: SchemaRef,
    pub problems: Vec<RowProblem>,
    pub total: usize,
    max: usize,
    reported_columns: HashSet<String>,
    key: Vec<usize>,
    seen_keys: Option<HashMap<String, u64>>,
}

impl<'a> Validator<'a> {
    /// `key`: field names whose combination must be unique in the input (upsert).
    pub fn new(dataset: &'a Dataset, target: SchemaRef, max: usize, key: &[String]) -> Self {
        let key: Vec<usize> = key
            .iter()
            .filter_map(|k| dataset.fields.iter().position(|f| &f.name == k))
            .collect();
        let seen_keys = if key.is_empty() { None } else { Some(HashMap::new()) };
        Validator {
            dataset,
            target,
            problems: Vec::new(),
            total: 0,
            max,
            reported_columns: HashSet::new(),
            key,
            seen_keys,
        }
    }

    pub fn push(&mut self, p: RowProblem) {
        self.total += 1;
        if self.problems.len() < self.max {
            self.problems.push(p);
        }
    }

    pub fn extend(&mut self, ps: Vec<RowProblem>) {
        for p in ps {
            self.push(p);
        }
    }

    /// Problems of the column names: columns the catalog does not have, required columns
    /// the input lacks, key columns missing for an upsert.
    pub fn check_columns(&mut self, columns: &[String], whole_file: bool) {
        let mut seen = HashSet::new();
        for c in columns {
            if !seen.insert(c.as_str()) {
                self.push(RowProblem {
                    row: Some(1),
                    column: Some(c.clone()),
                    value: None,
                    code: "duplicate_column".into(),
                    message_vi: format!("Cột «{c}» xuất hiện hai lần."),
                    message_en: format!("Column “{c}” appears twice."),
                });
            }
            if self.dataset.field(c).is_none() && self.reported_columns.insert(c.clone()) {
                let known: Vec<&str> = self.dataset.fields.iter().map(|f| f.name.as_str()).collect();
                self.push(RowProblem {
                    row: Some(1),
                    column: Some(c.clone()),
                    value: None,
                    code: "unknown_column".into(),
                    message_vi: format!(
                        "Cột «{c}» không có trong danh mục của bộ dữ liệu (các cột: {}).",
                        known.join(", ")
                    ),
                    message_en: format!(
                        "Column “{c}” is not in the dataset's catalog (its columns: {}).",
                        known.join(", ")
                    ),
                });
            }
        }
        if !whole_file {
            return;
        }
        let key_names: Vec<&str> = self.key.iter().map(|&i| self.dataset.fields[i].name.as_str()).collect();
        for f in &self.dataset.fields {
            let needed = f.required || key_names.contains(&f.name.as_str());
            if needed && !columns.contains(&f.name) && self.reported_columns.insert(f.name.clone()) {
                self.push(RowProblem {
                    row: Some(1),
                    column: Some(f.name.clone()),
                    value: None,
                    code: "missing_column".into(),
                    message_vi: format!("Thiếu cột bắt buộc «{}».", f.name),
                    message_en: format!("The required column “{}” is missing.", f.name),
                });
            }
        }
    }

    /// Convert one batch to the table's schema. `None` when it has a problem (the problems
    /// are recorded; later batches are still checked).
    pub fn convert(&mut self, raw: &RawBatch) -> Option<RecordBatch> {
        let n = raw.batch.num_rows();
        let before = self.total;
        let columns: Vec<String> = raw.batch.schema().fields().iter().map(|f| f.name().clone()).collect();
        self.check_columns(&columns, false);
        let mut arrays = Vec::with_capacity(self.dataset.fields.len());
        for f in &self.dataset.fields {
            let Some(idx) = columns.iter().position(|c| c == &f.name) else {
                if f.required
                    && self.reported_columns.insert(format!("{}#rows", f.name))
                    && !self.reported_columns.contains(&f.name)
                {
                    self.push(RowProblem {
                        row: Some(raw.row_no(0)),
                        column: Some(f.name.clone()),
                        value: None,
                        code: "required".into(),
                        message_vi: format!("Thiếu giá trị bắt buộc của cột «{}».", f.name),
                        message_en: format!("The required column “{}” has no value.", f.name),
                    });
                }
                arrays.push(new_null_array(&arrow_type(f.field_type), n));
                continue;
            };
            let src = raw.batch.column(idx);
            let (out, bad) = convert_column(src, f.field_type);
            for i in bad {
                let (code, vi, en) = reason(f.field_type);
                let value = display(src, i);
                self.push(RowProblem {
                    row: Some(raw.row_no(i)),
                    column: Some(f.name.clone()),
                    value: Some(short(&value)),
                    code: code.into(),
                    message_vi: format!("Giá trị «{}» {vi}.", short(&value)),
                    message_en: format!("The value “{}” is {en}.", short(&value)),
                });
            }
            if f.required && out.null_count() > 0 {
                for i in 0..n {
                    if out.is_null(i) && src.is_null(i) {
                        self.push(RowProblem {
                            row: Some(raw.row_no(i)),
                            column: Some(f.name.clone()),
                            value: None,
                            code: "required".into(),
                            message_vi: format!("Thiếu giá trị bắt buộc ở cột «{}».", f.name),
                            message_en: format!("The required column “{}” is empty.", f.name),
                        });
                    }
                }
            }
            arrays.push(out);
        }
        if self.seen_keys.is_some() {
            self.check_keys(raw, &arrays);
        }
        if self.total > before {
            return None;
        }
        RecordBatch::try_new(self.target.clone(), arrays).ok()
    }

    fn check_keys(&mut self, raw: &RawBatch, arrays: &[ArrayRef]) {
        let key_cols: Vec<Arc<StringArray>> = self
            .key
            .iter()
            .map(|&i| {
                let a = cast(&arrays[i], &DataType::Utf8).expect("any type casts to text");
                Arc::new(a.as_string::<i32>().clone())
            })
            .collect();
        let names: Vec<String> = self.key.iter().map(|&i| self.dataset.fields[i].name.clone()).collect();
        let mut dups = Vec::new();
        {
            let seen = self.seen_keys.as_mut().expect("keys");
            for r in 0..raw.batch.num_rows() {
                if key_cols.iter().any(|c| c.is_null(r)) {
                    dups.push((r, None));
                    continue;
                }
                let k: Vec<&str> = key_cols.iter().map(|c| c.value(r)).collect();
                let k = k.join("\u{1f}");
                let row = raw.row_no(r);
                if let Some(first) = seen.get(&k) {
                    dups.push((r, Some((*first, k.replace('\u{1f}', ", ")))));
                } else {
                    seen.insert(k, row);
                }
            }
        }
        for (r, d) in dups {
            match d {
                None => self.push(RowProblem {
                    row: Some(raw.row_no(r)),
                    column: Some(names.join(", ")),
                    value: None,
                    code: "missing_key".into(),
                    message_vi: "Thiếu giá trị khoá.".into(),
                    message_en: "The key is empty.".into(),
                }),
                Some((first, k)) => self.push(RowProblem {
                    row: Some(raw.row_no(r)),
                    column: Some(names.join(", ")),
                    value: Some(short(&k)),
                    code: "duplicate_key".into(),
                    message_vi: format!("Khoá «{}» trùng với dòng {first}.", short(&k)),
                    message_en: format!("Key “{}” repeats row {first}.", short(&k)),
                }),
            }
        }
    }
}

fn display(a: &ArrayRef, i: usize) -> String {
    if a.is_null(i) {
        return String::new();
    }
    match cast(&a.slice(i, 1), &DataType::Utf8) {
        Ok(s) => s.as_string::<i32>().value(0).to_string(),
        Err(_) => "?".into(),
    }
}

/// Convert a column; returns the converted array and the rows whose non-empty value could
/// not be converted.
pub fn convert_column(src: &ArrayRef, t: FieldType) -> (ArrayRef, Vec<usize>) {
    let target = arrow_type(t);
    if src.data_type() == &target {
        return (src.clone(), Vec::new());
    }
    let text = matches!(
        src.data_type(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    );
    if !text {
        // Typed input (Parquet): a lossless cast or a problem.
        let opts = CastOptions {
            safe: true,
            ..Default::default()
        };
        return match cast_with_options(src, &target, &opts) {
            Ok(out) => {
                let bad = (0..src.len()).filter(|&i| src.is_valid(i) && out.is_null(i)).collect();
                (out, bad)
            }
            Err(_) => (
                new_null_array(&target, src.len()),
                (0..src.len()).filter(|&i| src.is_valid(i)).collect(),
            ),
        };
    }
    let s = cast(src, &DataType::Utf8).expect("text to text");
    let s = s.as_string::<i32>();
    match t {
        FieldType::Text => (Arc::new(s.clone()), Vec::new()),
        FieldType::Integer => fast_then_slow(s, &target, |v| {
            v.trim()
                .replace([' ', '\u{a0}'], "")
                .parse::<i64>()
                .ok()
                .map(|x| x as f64)
        })
        .map_int(),
        FieldType::Number => {
            let (a, bad) = fast_then_slow(s, &target, |v| {
                let v = v.trim();
                v.parse::<f64>().ok().or_else(|| {
                    // A decimal comma (12,5), as Vietnamese software writes.
                    if v.matches(',').count() == 1 && !v.contains('.') {
                        v.replace(',', ".").parse::<f64>().ok()
                    } else {
                        None
                    }
                })
            })
            .into_parts();
            (a, bad)
        }
        FieldType::Boolean => {
            let mut b = BooleanBuilder::with_capacity(s.len());
            let mut bad = Vec::new();
            for i in 0..s.len() {
                if s.is_null(i) {
                    b.append_null();
                    continue;
                }
                match s.value(i).trim().to_lowercase().as_str() {
                    "true" | "t" | "1" | "yes" | "y" | "có" | "co" | "x" | "đúng" => b.append_value(true),
                    "false" | "f" | "0" | "no" | "n" | "không" | "khong" | "sai" => b.append_value(false),
                    "" => b.append_null(),
                    _ => {
                        b.append_null();
                        bad.push(i);
                    }
                }
            }
            (Arc::new(b.finish()), bad)
        }
        FieldType::Date => {
            let opts = CastOptions {
                safe: true,
                ..Default::default()
            };
            let fast = cast_with_options(s, &DataType::Date32, &opts).expect("text casts to date");
            let failed: Vec<usize> = (0..s.len()).filter(|&i| s.is_valid(i) && fast.is_null(i)).collect();
            if failed.is_empty() {
                return (fast, Vec::new());
            }
            let fast = fast.as_primitive::<deltalake::arrow::datatypes::Date32Type>();
            let mut b = Date32Builder::with_capacity(s.len());
            let mut bad = Vec::new();
            for i in 0..s.len() {
                if fast.is_valid(i) {
                    b.append_value(fast.value(i));
                } else if s.is_null(i) {
                    b.append_null();
                } else {
                    match parse_date(s.value(i)) {
                        Some(d) => b.append_value(d),
                        None => {
                            b.append_null();
                            bad.push(i);
                        }
                    }
                }
            }
            (Arc::new(b.finish()), bad)
        }
        FieldType::Timestamp => {
            if let Some(fast) = common_timestamps(s) {
                return (Arc::new(fast), Vec::new());
            }
            let has_offset = (0..s.len()).any(|i| s.is_valid(i) && has_zone(s.value(i)));
            if !has_offset {
                let opts = CastOptions {
                    safe: true,
                    ..Default::default()
                };
                if let Ok(fast) = cast_with_options(s, &target, &opts) {
                    let failed = (0..s.len()).any(|i| s.is_valid(i) && fast.is_null(i));
                    if !failed {
                        return (fast, Vec::new());
                    }
                }
            }
            let mut b = TimestampMicrosecondBuilder::with_capacity(s.len());
            let mut bad = Vec::new();
            for i in 0..s.len() {
                if s.is_null(i) {
                    b.append_null();
                    continue;
                }
                match parse_timestamp(s.value(i)) {
                    Some(t) => b.append_value(t.and_utc().timestamp_micros()),
                    None => {
                        b.append_null();
                        bad.push(i);
                    }
                }
            }
            (Arc::new(b.finish()), bad)
        }
    }
}

/// The column's instants when every value has the shape nearly every export writes,
/// `YYYY-MM-DD HH:MM:SS` (or `T` between, with up to six digits of fraction): read straight
/// to microseconds, at a fraction of the general parser's cost. `None` as soon as one value
/// has another shape (an offset, a Vietnamese date, spaces, a bad value): the column then
/// goes through the general parsers.
fn common_timestamps(s: &StringArray) -> Option<TimestampMicrosecondArray> {
    let mut values = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        values.push(if s.is_null(i) {
            0
        } else {
            common_timestamp(s.value(i).as_bytes())?
        });
    }
    Some(TimestampMicrosecondArray::new(values.into(), s.nulls().cloned()))
}

/// One value of [`common_timestamps`], as microseconds since 1970-01-01 00:00.
fn common_timestamp(v: &[u8]) -> Option<i64> {
    if v.len() < 19 || v[4] != b'-' || v[7] != b'-' || !matches!(v[10], b' ' | b'T') || v[13] != b':' || v[16] != b':' {
        return None;
    }
    let digit = |i: usize| {
        let d = v[i].wrapping_sub(b'0');
        (d < 10).then_some(i64::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let (year, month, day) = (two(0)? * 100 + two(2)?, two(5)?, two(8)?);
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut micros = 0;
    if v.len() > 19 {
        let fraction = &v[20..];
        if v[19] != b'.' || fraction.is_empty() || fraction.len() > 6 {
            return None;
        }
        for k in 20..v.len() {
            micros = micros * 10 + digit(k)?;
        }
        micros *= 10_i64.pow(6 - fraction.len() as u32);
    }
    let date = chrono::NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32)?;
    let days = i64::from(chrono::Datelike::num_days_from_ce(&date) - EPOCH_DAYS_FROM_CE);
    Some((((days * 24 + hour) * 60 + minute) * 60 + second) * 1_000_000 + micros)
}

/// A cast of the whole column, then a closer look at the refused rows.
struct Converted {
    fast: ArrayRef,
    fixed: Vec<(usize, Option<f64>)>,
    target: DataType,
}

fn fast_then_slow(s: &StringArray, target: &DataType, slow: impl Fn(&str) -> Option<f64>) -> Converted {
    let opts = CastOptions {
        safe: true,
        ..Default::default()
    };
    let fast = cast_with_options(s, target, &opts).expect("text casts to numbers");
    let fixed = (0..s.len())
        .filter(|&i| s.is_valid(i) && fast.is_null(i))
        .map(|i| (i, slow(s.value(i))))
        .collect();
    Converted {
        fast,
        fixed,
        target: target.clone(),
    }
}

impl Converted {
    fn into_parts(self) -> (ArrayRef, Vec<usize>) {
        if self.fixed.is_empty() {
            return (self.fast, Vec::new());
        }
        let bad: Vec<usize> = self
            .fixed
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(i, _)| *i)
            .collect();
        let fast = cast(&self.fast, &DataType::Float64).expect("numbers cast to float");
        let fast = fast.as_primitive::<deltalake::arrow::datatypes::Float64Type>();
        let fixes: HashMap<usize, Option<f64>> = self.fixed.into_iter().collect();
        let mut b = Float64Builder::with_capacity(fast.len());
        for i in 0..fast.len() {
            match fixes.get(&i) {
                Some(v) => b.append_option(*v),
                None => b.append_option(fast.is_valid(i).then(|| fast.value(i))),
            }
        }
        let out: ArrayRef = Arc::new(b.finish());
        (cast(&out, &self.target).expect("float casts back"), bad)
    }
    fn map_int(self) -> (ArrayRef, Vec<usize>) {
        self.into_parts()
    }
}

fn has_zone(v: &str) -> bool {
    let v = v.trim();
    let b = v.as_bytes();
    v.ends_with('Z')
        || v.ends_with('z')
        || (b.len() > 19 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':')
}

/// `YYYY-MM-DD`, `DD/MM/YYYY` or `DD-MM-YYYY` → days since 1970-01-01.
pub fn parse_date(v: &str) -> Option<i32> {
    use chrono::{Datelike, NaiveDate};
    let v = v.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
        .map(|d| d.num_days_from_ce() - EPOCH_DAYS_FROM_CE)
}

/// A local (Vietnam) date and time; values with an offset are converted to UTC+7.
pub fn parse_timestamp(v: &str) -> Option<chrono::NaiveDateTime> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let v = v.trim();
    if has_zone(v) {
        let vn = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7");
        return DateTime::parse_from_rfc3339(v)
            .ok()
            .or_else(|| DateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S%.f%:z").ok())
            .map(|d| d.with_timezone(&vn).naive_local());
    }
    const FORMATS: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
        .or_else(|| {
            ["%Y-%m-%d", "%d/%m/%Y"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::arrow::array::{Float64Array, Int64Array};

    fn strings(v: &[Option<&str>]) -> ArrayRef {
        Arc::new(StringArray::from(v.to_vec()))
    }

    #[test]
    fn numbers_with_problems_listed() {
        let (a, bad) = convert_column(
            &strings(&[Some("12"), None, Some("1x"), Some(" 7 ")]),
            FieldType::Integer,
        );
        assert_eq!(bad, vec![2]);
        let a = a.as_any().downcast_ref::<Int64Array>().unwrap();
        assert_eq!(a.value(0), 12);
        assert!(a.is_null(1));
        assert_eq!(a.value(3), 7);
        let (a, bad) = convert_column(
            &strings(&[Some("12,5"), Some("3.25"), Some("1,2,3")]),
            FieldType::Number,
        );
        assert_eq!(bad, vec![2]);
        let a = a.as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(a.value(0), 12.5);
        assert_eq!(a.value(1), 3.25);
    }

    #[test]
    fn vietnamese_dates_and_times() {
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(parse_date("02/01/1970"), Some(1));
        assert_eq!(parse_date("31/02/2026"), None);
        let (_, bad) = convert_column(
            &strings(&[Some("2026-12-03"), Some("03/12/2026"), Some("hôm qua")]),
            FieldType::Date,
        );
        assert_eq!(bad, vec![2]);
        let t = parse_timestamp("2026-12-03T01:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-12-03 08:00:00");
        assert_eq!(
            parse_timestamp("03/12/2026 08:30").unwrap().to_string(),
            "2026-12-03 08:30:00"
        );
        let (_, bad) = convert_column(
            &strings(&[Some("2026-12-03 08:00:00"), Some("25:00")]),
            FieldType::Timestamp,
        );
        assert_eq!(bad, vec![1]);
        let (_, bad) = convert_column(
            &strings(&[Some("có"), Some("Không"), Some("maybe")]),
            FieldType::Boolean,
        );
        assert_eq!(bad, vec![2]);
    }

    /// The common shape of instants is read as the general parser reads it, and every other
    /// shape, or an impossible instant, is left to the general parsers.
    #[test]
    fn common_instants_read_as_the_general_parser_reads_them() {
        let common = [
            "2026-12-03 08:30:00",
            "2026-12-03T08:30:00",
            "1970-01-01 00:00:00",
            "1969-12-31 23:59:59",
            "2024-02-29 12:00:00.5",
            "2026-07-01 23:59:59.123456",
            "0999-03-01 00:00:00",
        ];
        let values = strings(&common.iter().map(|v| Some(*v)).collect::<Vec<_>>());
        let general = cast(&values, &arrow_type(FieldType::Timestamp)).unwrap();
        for (i, v) in common.iter().enumerate() {
            assert_eq!(
                common_timestamp(v.as_bytes()),
                Some(
                    general
                        .as_primitive::<deltalake::arrow::datatypes::TimestampMicrosecondType>()
                        .value(i)
                ),
                "{v}"
            );
        }
        for other in [
            "2026-02-29 12:00:00",
            "2026-12-03 24:00:00",
            "2026-12-03 08:30",
            "2026-12-03T01:00:00Z",
            "2026-12-03 08:30:00+07:00",
            "2026-12-03 08:30:00.1234567",
            "2026-12-03 08:30:00.",
            "03/12/2026 08:30:00",
            " 2026-12-03 08:30:00",
            "2026-12-O3 08:30:00",
        ] {
            assert_eq!(common_timestamp(other.as_bytes()), None, "{other}");
        }
        // A column of common instants with a null converts on the fast path; one other value
        // sends the whole column through the general parsers, with the same result.
        let (a, bad) = convert_column(
            &strings(&[Some("2026-12-03 08:30:00"), None, Some("2026-12-04T09:00:00")]),
            FieldType::Timestamp,
        );
        let (b, _) = convert_column(
            &strings(&[Some("2026-12-03 08:30:00"), None, Some("04/12/2026 09:00:00")]),
            FieldType::Timestamp,
        );
        assert!(bad.is_empty() && a.is_null(1));
        assert_eq!(
            a.as_primitive::<deltalake::arrow::datatypes::TimestampMicrosecondType>()
                .value(0),
            b.as_primitive::<deltalake::arrow::datatypes::TimestampMicrosecondType>()
                .value(0)
        );
        assert_eq!(
            a.as_primitive::<deltalake::arrow::datatypes::TimestampMicrosecondType>()
                .value(2),
            b.as_primitive::<deltalake::arrow::datatypes::TimestampMicrosecondType>()
                .value(2)
        );
    }
}
