//! Results and tables as JSON, CSV, Excel and Parquet.

use crate::query::{ColumnRead, QueryOutput, register, session};
use crate::{Error, Inner, Result, TableAccess};
use deltalake::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use deltalake::arrow::datatypes::{
    DataType, Date32Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit,
    TimestampMicrosecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use deltalake::arrow::util::display::{ArrayFormatter, FormatOptions};
use std::sync::{Arc, Mutex};

/// A file to send.
#[derive(Debug, Clone)]
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
    pub rows: usize,
    pub reads: Vec<ColumnRead>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadFormat {
    Csv,
    Xlsx,
    Parquet,
}

impl DownloadFormat {
    pub fn parse(s: &str) -> Option<DownloadFormat> {
        match s {
            "csv" => Some(DownloadFormat::Csv),
            "xlsx" => Some(DownloadFormat::Xlsx),
            "parquet" => Some(DownloadFormat::Parquet),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            DownloadFormat::Csv => "csv",
            DownloadFormat::Xlsx => "xlsx",
            DownloadFormat::Parquet => "parquet",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            DownloadFormat::Csv => "text/csv; charset=utf-8",
            DownloadFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            DownloadFormat::Parquet => "application/vnd.apache.parquet",
        }
    }
}

const DAYS_TO_CE: i32 = 719_163;

fn json_value(a: &ArrayRef, i: usize) -> serde_json::Value {
    use serde_json::Value;
    if a.is_null(i) {
        return Value::Null;
    }
    match a.data_type() {
        DataType::Boolean => Value::Bool(a.as_boolean().value(i)),
        DataType::Int8 => a.as_primitive::<Int8Type>().value(i).into(),
        DataType::Int16 => a.as_primitive::<Int16Type>().value(i).into(),
        DataType::Int32 => a.as_primitive::<Int32Type>().value(i).into(),
        DataType::Int64 => a.as_primitive::<Int64Type>().value(i).into(),
        DataType::UInt8 => a.as_primitive::<UInt8Type>().value(i).into(),
        DataType::UInt16 => a.as_primitive::<UInt16Type>().value(i).into(),
        DataType::UInt32 => a.as_primitive::<UInt32Type>().value(i).into(),
        DataType::UInt64 => a.as_primitive::<UInt64Type>().value(i).into(),
        DataType::Float32 => serde_json::Number::from_f64(a.as_primitive::<Float32Type>().value(i) as f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        DataType::Float64 => serde_json::Number::from_f64(a.as_primitive::<Float64Type>().value(i))
            .map(Value::Number)
            .unwrap_or(Value::Null),
        DataType::Utf8 => Value::String(a.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => Value::String(a.as_string::<i64>().value(i).to_string()),
        DataType::Utf8View => Value::String(a.as_string_view().value(i).to_string()),
        _ => {
            let f = ArrayFormatter::try_new(a.as_ref(), &FormatOptions::default());
            match f {
                Ok(f) => Value::String(f.value(i).to_string()),
                Err(_) => Value::Null,
            }
        }
    }
}

impl QueryOutput {
    /// Rows as JSON arrays, in column order (numbers stay numbers).
    pub fn rows_json(&self) -> Vec<Vec<serde_json::Value>> {
        let mut out = Vec::with_capacity(self.rows);
        for b in &self.batches {
            for i in 0..b.num_rows() {
                out.push(b.columns().iter().map(|c| json_value(c, i)).collect());
            }
        }
        out
    }

    /// Rows as display text (for pages).
    pub fn rows_text(&self, limit: usize) -> Vec<Vec<String>> {
        let opts = FormatOptions::default().with_null("");
        let mut out = Vec::new();
        for b in &self.batches {
            let fmts: Vec<_> = b
                .columns()
                .iter()
                .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts).ok())
                .collect();
            for i in 0..b.num_rows() {
                if out.len() >= limit {
                    return out;
                }
                out.push(
                    fmts.iter()
                        .map(|f| f.as_ref().map(|f| f.value(i).to_string()).unwrap_or_default())
                        .collect(),
                );
            }
        }
        out
    }

    pub fn to_csv(&self) -> Result<Vec<u8>> {
        to_csv(
            &self.batches,
            &self.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        )
    }

    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        to_xlsx(
            &self.batches,
            &self.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        )
    }

    pub fn to_parquet(&self) -> Result<Vec<u8>> {
        to_parquet(&self.batches)
    }
}

/// CSV in UTF-8 with a byte-order mark (so that Excel shows Vietnamese correctly).
fn to_csv(batches: &[RecordBatch], names: &[String]) -> Result<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(names).map_err(|e| anyhow::anyhow!("csv: {e}"))?;
        let opts = FormatOptions::default().with_null("");
        for b in batches {
            let fmts = b
                .columns()
                .iter()
                .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            for i in 0..b.num_rows() {
                w.write_record(fmts.iter().map(|f| f.value(i).to_string()))
                    .map_err(|e| anyhow::anyhow!("csv: {e}"))?;
            }
        }
        w.flush().map_err(|e| anyhow::anyhow!("csv: {e}"))?;
    }
    Ok(out)
}

/// The most rows one Excel sheet holds, under its header.
const XLSX_MAX_ROWS: usize = 1_048_575;

fn to_xlsx(batches: &[RecordBatch], names: &[String]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    if rows > XLSX_MAX_ROWS {
        return Err(Error::Limit(citygov_domain::Problem::new(
            "xlsx_too_many_rows",
            format!("Excel chỉ chứa được {XLSX_MAX_ROWS} dòng; kết quả có {rows} dòng. Hãy tải CSV hoặc Parquet."),
            format!("Excel holds at most {XLSX_MAX_ROWS} rows; the result has {rows}. Download CSV or Parquet."),
        )));
    }
    let err = |e: rust_xlsxwriter::XlsxError| Error::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    let ts_fmt = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    let ws = wb.add_worksheet();
    for (j, n) in names.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, n, &bold).map_err(err)?;
    }
    let mut r = 1u32;
    let opts = FormatOptions::default();
    for b in batches {
        for (j, c) in b.columns().iter().enumerate() {
            let j = j as u16;
            let fmt = ArrayFormatter::try_new(c.as_ref(), &opts).ok();
            for i in 0..b.num_rows() {
                let row = r + i as u32;
                if c.is_null(i) {
                    continue;
                }
                match c.data_type() {
                    DataType::Boolean => {
                        ws.write_boolean(row, j, c.as_boolean().value(i)).map_err(err)?;
                    }
                    DataType::Int8
                    | DataType::Int16
                    | DataType::Int32
                    | DataType::Int64
                    | DataType::UInt8
                    | DataType::UInt16
                    | DataType::UInt32
                    | DataType::UInt64
                    | DataType::Float32
                    | DataType::Float64 => {
                        let v = deltalake::arrow::compute::cast(&c.slice(i, 1), &DataType::Float64)?;
                        ws.write_number(row, j, v.as_primitive::<Float64Type>().value(0))
                            .map_err(err)?;
                    }
                    DataType::Date32 => {
                        let days = c.as_primitive::<Date32Type>().value(i);
                        match chrono::NaiveDate::from_num_days_from_ce_opt(days + DAYS_TO_CE) {
                            Some(d) => {
                                use chrono::Datelike;
                                let d = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                                    .map_err(err)?;
                                ws.write_datetime_with_format(row, j, &d, &date_fmt).map_err(err)?;
                            }
                            None => {
                                ws.write_string(row, j, days.to_string()).map_err(err)?;
                            }
                        }
                    }
                    DataType::Timestamp(TimeUnit::Microsecond, None) => {
                        let us = c.as_primitive::<TimestampMicrosecondType>().value(i);
                        match chrono::DateTime::from_timestamp_micros(us) {
                            Some(t) => {
                                let s = t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string();
                                let d = ExcelDateTime::parse_from_str(&s).map_err(err)?;
                                ws.write_datetime_with_format(row, j, &d, &ts_fmt).map_err(err)?;
                            }
                            None => {
                                ws.write_string(row, j, us.to_string()).map_err(err)?;
                            }
                        }
                    }
                    _ => {
                        let s = fmt.as_ref().map(|f| f.value(i).to_string()).unwrap_or_default();
                        ws.write_string(row, j, s).map_err(err)?;
                    }
                }
            }
        }
        r += b.num_rows() as u32;
    }
    ws.autofit();
    wb.save_to_buffer().map_err(err)
}

fn to_parquet(batches: &[RecordBatch]) -> Result<Vec<u8>> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    {
        let props = deltalake::parquet::file::properties::WriterProperties::builder()
            .set_compression(deltalake::parquet::basic::Compression::ZSTD(Default::default()))
            .build();
        let mut w = deltalake::parquet::arrow::ArrowWriter::try_new(&mut out, first.schema(), Some(props))
            .map_err(|e| anyhow::anyhow!("parquet: {e}"))?;
        for b in batches {
            w.write(b).map_err(|e| anyhow::anyhow!("parquet: {e}"))?;
        }
        w.close().map_err(|e| anyhow::anyhow!("parquet: {e}"))?;
    }
    Ok(out)
}

/// The visible part of a whole table, in a file.
pub(crate) async fn download(inner: &Inner, access: TableAccess, format: DownloadFormat) -> Result<Download> {
    let ctx = session(inner)?;
    let reads = Arc::new(Mutex::new(Vec::new()));
    let name = access.dataset.name.clone();
    let table = inner.table(&name, access.as_of).await?;
    register(inner, &ctx, &[(&access, table)], &reads).await?;
    let df = ctx.table(name.as_str()).await?;
    let schema = df.schema().as_arrow().clone();
    let batches = df.collect().await?;
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let rows = batches.iter().map(|b| b.num_rows()).sum();
    let bytes = match format {
        DownloadFormat::Csv => to_csv(&batches, &names)?,
        DownloadFormat::Xlsx => to_xlsx(&batches, &names)?,
        DownloadFormat::Parquet => {
            if batches.is_empty() {
                let empty = RecordBatch::new_empty(Arc::new(schema));
                to_parquet(&[empty])?
            } else {
                to_parquet(&batches)?
            }
        }
    };
    let mut reads = reads.lock().expect("lock").clone();
    reads.dedup();
    Ok(Download {
        bytes,
        content_type: format.content_type(),
        file_name: format!("{name}.{}", format.extension()),
        rows,
        reads,
    })
}
