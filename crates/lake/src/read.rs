//! Readers of input files into "raw" Arrow batches: text columns for CSV, Excel and JSON
//! lines (converted and checked by `validate`), the file's own types for Parquet. Every
//! batch knows the row numbers of its records, so a problem names its line.

use crate::{Format, RowProblem, Source};
use deltalake::arrow::array::{ArrayRef, RecordBatch, StringBuilder};
use deltalake::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;
use unicode_normalization::UnicodeNormalization;

/// Records per batch.
pub const BATCH_ROWS: usize = 64 * 1024;

/// A batch as read, with where its records are in the file.
pub struct RawBatch {
    pub batch: RecordBatch,
    /// Row number of the first record (line for CSV and JSON lines, sheet row for Excel,
    /// record for Parquet), from 1.
    pub first_row: u64,
    /// Explicit row numbers when records are not consecutive (Excel skips empty rows).
    pub rows: Option<Vec<u64>>,
}

impl RawBatch {
    pub fn row_no(&self, i: usize) -> u64 {
        match &self.rows {
            Some(r) => r[i],
            None => self.first_row + i as u64,
        }
    }
}

pub type Batches = Box<dyn Iterator<Item = Result<RawBatch, Vec<RowProblem>>> + Send>;

/// An opened input: the column names (lowercased, trimmed) and the batches.
pub struct Input {
    pub columns: Vec<String>,
    pub batches: Batches,
}

pub fn file_problem(code: &str, vi: impl Into<String>, en: impl Into<String>) -> RowProblem {
    RowProblem {
        row: None,
        column: None,
        value: None,
        code: code.into(),
        message_vi: vi.into(),
        message_en: en.into(),
    }
}

fn io_problem(path: &Path, e: impl std::fmt::Display) -> Vec<RowProblem> {
    vec![file_problem(
        "unreadable_file",
        format!("Không đọc được tệp {}: {e}.", path.display()),
        format!("Cannot read the file {}: {e}.", path.display()),
    )]
}

fn normalize_header(s: &str) -> String {
    s.trim()
        .trim_start_matches('\u{feff}')
        .nfc()
        .collect::<String>()
        .to_lowercase()
}

fn utf8_schema(columns: &[String]) -> SchemaRef {
    Arc::new(Schema::new(
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Field::new(
                    if c.is_empty() {
                        format!("_column_{}", i + 1)
                    } else {
                        c.clone()
                    },
                    DataType::Utf8,
                    true,
                )
            })
            .collect::<Vec<_>>(),
    ))
}

/// Open a source.
pub fn open(source: &Source) -> Result<Input, Vec<RowProblem>> {
    match source {
        Source::File { path, format, encoding } => match format {
            Format::Csv => open_csv(path, encoding.as_deref()),
            Format::Xlsx => open_xlsx(path),
            Format::Jsonl => open_jsonl(path),
            Format::Parquet => open_parquet(path),
        },
        Source::Rows { columns, rows } => {
            let columns: Vec<String> = columns.iter().map(|c| normalize_header(c)).collect();
            let schema = utf8_schema(&columns);
            let mut out = Vec::new();
            for (chunk_no, chunk) in rows.chunks(BATCH_ROWS).enumerate() {
                let mut builders: Vec<StringBuilder> = columns.iter().map(|_| StringBuilder::new()).collect();
                for r in chunk {
                    for (i, b) in builders.iter_mut().enumerate() {
                        b.append_option(r.get(i).cloned().flatten());
                    }
                }
                let arrays: Vec<ArrayRef> = builders
                    .into_iter()
                    .map(|mut b| Arc::new(b.finish()) as ArrayRef)
                    .collect();
                let batch = RecordBatch::try_new(schema.clone(), arrays)
                    .map_err(|e| vec![file_problem("bad_rows", e.to_string(), e.to_string())])?;
                out.push(Ok(RawBatch {
                    batch,
                    first_row: (chunk_no * BATCH_ROWS) as u64 + 1,
                    rows: None,
                }));
            }
            Ok(Input {
                columns,
                batches: Box::new(out.into_iter()),
            })
        }
    }
}

/// The encoding of a CSV file: forced, or from its byte-order mark, or UTF-8 when its start
/// is valid UTF-8, else Windows-1258 (what Vietnamese office software writes).
fn detect_encoding(
    start: &[u8],
    forced: Option<&str>,
    whole: bool,
) -> Result<&'static encoding_rs::Encoding, Vec<RowProblem>> {
    if let Some(label) = forced {
        return encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            vec![file_problem(
                "unknown_encoding",
                format!("Không biết bảng mã «{label}» (dùng utf-8, windows-1258, utf-16le, utf-16be)."),
                format!("Unknown encoding “{label}” (use utf-8, windows-1258, utf-16le, utf-16be)."),
            )]
        });
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(start) {
        return Ok(enc);
    }
    match std::str::from_utf8(start) {
        Ok(_) => Ok(encoding_rs::UTF_8),
        // A character cut at the end of a partial sample is still UTF-8.
        Err(e) if e.error_len().is_none() && !whole => Ok(encoding_rs::UTF_8),
        Err(_) => Ok(encoding_rs::WINDOWS_1258),
    }
}

/// The delimiter of a CSV file, from its header line: the most frequent of `,` `;` tab.
fn sniff_delimiter(first_line: &str) -> u8 {
    let count = |c: char| first_line.chars().filter(|&x| x == c).count();
    let (comma, semi, tab) = (count(','), count(';'), count('\t'));
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

fn open_csv(path: &Path, forced: Option<&str>) -> Result<Input, Vec<RowProblem>> {
    let mut f = std::fs::File::open(path).map_err(|e| io_problem(path, e))?;
    let mut start = vec![0u8; 1 << 20];
    let mut n = 0;
    while n < start.len() {
        let k = f.read(&mut start[n..]).map_err(|e| io_problem(path, e))?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let whole = n < start.len();
    start.truncate(n);
    let enc = detect_encoding(&start, forced, whole)?;
    // UTF-8 is read as a stream; other encodings are converted in memory first (office
    // exports are small), with Windows-1258's combining accents composed (NFC).
    let utf8: Box<dyn BufRead + Send> = if enc == encoding_rs::UTF_8 {
        let mut file = std::fs::File::open(path).map_err(|e| io_problem(path, e))?;
        let mut bom = [0u8; 3];
        let k = file.read(&mut bom).map_err(|e| io_problem(path, e))?;
        let head: Vec<u8> = if k == 3 && bom == [0xEF, 0xBB, 0xBF] {
            Vec::new()
        } else {
            bom[..k].to_vec()
        };
        Box::new(BufReader::with_capacity(1 << 20, Cursor::new(head).chain(file)))
    } else {
        let bytes = std::fs::read(path).map_err(|e| io_problem(path, e))?;
        let (text, _, had_errors) = enc.decode(&bytes);
        if had_errors {
            return Err(vec![file_problem(
                "bad_encoding",
                format!("Tệp không đúng bảng mã {}.", enc.name()),
                format!("The file is not valid {}.", enc.name()),
            )]);
        }
        let text: String = text.nfc().collect();
        Box::new(Cursor::new(text.into_bytes()))
    };
    let mut utf8 = utf8;
    // The header line.
    let mut header_line = String::new();
    utf8.read_line(&mut header_line).map_err(|e| io_problem(path, e))?;
    if header_line.trim().is_empty() {
        return Err(vec![file_problem(
            "empty_file",
            "Tệp trống hoặc thiếu dòng tiêu đề (tên cột).",
            "The file is empty or has no header line (column names).",
        )]);
    }
    let delimiter = sniff_delimiter(&header_line);
    let mut hr = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(header_line.as_bytes());
    let header: Vec<String> = match hr.records().next() {
        Some(Ok(r)) => r.iter().map(normalize_header).collect(),
        _ => {
            return Err(vec![file_problem(
                "bad_header",
                "Không đọc được dòng tiêu đề.",
                "Cannot read the header line.",
            )]);
        }
    };
    let schema = utf8_schema(&header);
    let reader = deltalake::arrow::csv::ReaderBuilder::new(schema)
        .with_header(false)
        .with_delimiter(delimiter)
        .with_batch_size(BATCH_ROWS)
        .build_buffered(utf8)
        .map_err(|e| io_problem(path, e))?;
    let path = path.to_path_buf();
    let width = header.len();
    let mut next_row = 2u64;
    let mut failed = false;
    let batches = reader.map_while(move |r| {
        if failed {
            return None;
        }
        match r {
            Ok(batch) => {
                let first_row = next_row;
                next_row += batch.num_rows() as u64;
                Some(Ok(RawBatch {
                    batch,
                    first_row,
                    rows: None,
                }))
            }
            Err(e) => {
                failed = true;
                Some(Err(csv_shape_problems(&path, enc, delimiter, width, &e.to_string())))
            }
        }
    });
    Ok(Input {
        columns: header,
        batches: Box::new(batches),
    })
}

/// After the fast reader stopped on a malformed line: list every line whose number of
/// columns differs from the header's, or the reader's own message.
fn csv_shape_problems(
    path: &Path,
    enc: &'static encoding_rs::Encoding,
    delimiter: u8,
    width: usize,
    reader_error: &str,
) -> Vec<RowProblem> {
    let mut out = Vec::new();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return io_problem(path, e),
    };
    let (text, _, _) = enc.decode(&bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    for rec in r.records() {
        match rec {
            Ok(rec) => {
                if rec.len() != width && !(rec.len() == 1 && rec.get(0) == Some("")) {
                    let line = rec.position().map(|p| p.line()).unwrap_or(0);
                    out.push(RowProblem {
                        row: Some(line),
                        column: None,
                        value: None,
                        code: "wrong_column_count".into(),
                        message_vi: format!("Dòng có {} cột, tiêu đề có {width} cột.", rec.len()),
                        message_en: format!("The line has {} columns; the header has {width}.", rec.len()),
                    });
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line());
                out.push(RowProblem {
                    row: line,
                    column: None,
                    value: None,
                    code: "bad_csv".into(),
                    message_vi: format!("Dòng không đọc được: {e}."),
                    message_en: format!("Unreadable line: {e}."),
                });
            }
        }
    }
    if out.is_empty() {
        let utf8 = reader_error.contains("UTF") || reader_error.contains("utf");
        out.push(if utf8 {
            file_problem(
                "bad_encoding",
                "Tệp có ký tự không đúng bảng mã UTF-8; hãy chọn đúng bảng mã (ví dụ windows-1258).",
                "The file has characters that are not UTF-8; choose its encoding (e.g. windows-1258).",
            )
        } else {
            file_problem(
                "bad_csv",
                format!("Tệp CSV không đọc được: {reader_error}."),
                format!("The CSV file cannot be read: {reader_error}."),
            )
        });
    }
    out
}

/// An Excel date serial (days since 1899-12-30, with the day's fraction) as a date-time.
fn excel_serial(v: f64) -> Option<chrono::NaiveDateTime> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(chrono::NaiveTime::MIN);
    let secs = (v * 86_400.0).round() as i64;
    base.checked_add_signed(chrono::Duration::seconds(secs))
}

fn xlsx_cell(d: &calamine::Data) -> Result<Option<String>, String> {
    use calamine::Data;
    Ok(match d {
        Data::Empty => None,
        Data::String(s) => {
            let t = s.trim();
            if t.is_empty() { None } else { Some(t.nfc().collect()) }
        }
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(if f.fract() == 0.0 && f.abs() < 1e15 {
            format!("{}", *f as i64)
        } else {
            f.to_string()
        }),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(x) => match excel_serial(x.as_f64()) {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => Some(dt.format("%Y-%m-%d").to_string()),
            Some(dt) => Some(dt.format("%Y-%m-%dT%H:%M:%S").to_string()),
            None => return Err("bad date".into()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => return Err(format!("{e:?}")),
    })
}

fn open_xlsx(path: &Path) -> Result<Input, Vec<RowProblem>> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| io_problem(path, e))?;
    let Some(Ok(range)) = wb.worksheet_range_at(0) else {
        return Err(vec![file_problem(
            "empty_file",
            "Tệp Excel không có trang tính nào.",
            "The Excel file has no worksheet.",
        )]);
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let _ = first_col;
    let mut rows = range.rows().enumerate();
    // The header: the first row with any value.
    let mut header = None;
    for (i, r) in rows.by_ref() {
        if r.iter().any(|c| !matches!(c, calamine::Data::Empty)) {
            header = Some((
                i,
                r.iter().map(|c| normalize_header(&c.to_string())).collect::<Vec<_>>(),
            ));
            break;
        }
    }
    let Some((_, header)) = header else {
        return Err(vec![file_problem(
            "empty_file",
            "Trang tính đầu tiên trống.",
            "The first worksheet is empty.",
        )]);
    };
    let schema = utf8_schema(&header);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut builders: Vec<StringBuilder> = header.iter().map(|_| StringBuilder::new()).collect();
    let mut numbers = Vec::new();
    let flush = |builders: &mut Vec<StringBuilder>,
                 numbers: &mut Vec<u64>,
                 out: &mut Vec<Result<RawBatch, Vec<RowProblem>>>| {
        if numbers.is_empty() {
            return;
        }
        let arrays: Vec<ArrayRef> = builders.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays).expect("same width");
        out.push(Ok(RawBatch {
            batch,
            first_row: numbers[0],
            rows: Some(std::mem::take(numbers)),
        }));
    };
    for (i, r) in rows {
        if r.iter().all(|c| matches!(c, calamine::Data::Empty)) {
            continue;
        }
        let row_no = first_row as u64 + i as u64 + 1;
        for (j, b) in builders.iter_mut().enumerate() {
            match r.get(j).map(xlsx_cell).unwrap_or(Ok(None)) {
                Ok(v) => b.append_option(v),
                Err(e) => {
                    b.append_null();
                    problems.push(RowProblem {
                        row: Some(row_no),
                        column: Some(header[j].clone()),
                        value: Some(e.clone()),
                        code: "cell_error".into(),
                        message_vi: "Ô có lỗi công thức hoặc giá trị không đọc được.".into(),
                        message_en: "The cell holds a formula error or an unreadable value.".into(),
                    });
                }
            }
        }
        if r.len() > header.len() && r[header.len()..].iter().any(|c| !matches!(c, calamine::Data::Empty)) {
            problems.push(RowProblem {
                row: Some(row_no),
                column: None,
                value: None,
                code: "wrong_column_count".into(),
                message_vi: "Dòng có giá trị ở cột không có tiêu đề.".into(),
                message_en: "The row has values in a column without a header.".into(),
            });
        }
        numbers.push(row_no);
        if numbers.len() == BATCH_ROWS {
            flush(&mut builders, &mut numbers, &mut out);
        }
    }
    flush(&mut builders, &mut numbers, &mut out);
    if !problems.is_empty() {
        out.push(Err(problems));
    }
    Ok(Input {
        columns: header,
        batches: Box::new(out.into_iter()),
    })
}

fn json_cell(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => {
            if s.is_empty() {
                None
            } else {
                Some(s.nfc().collect())
            }
        }
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

type JsonRecord = (u64, serde_json::Map<String, serde_json::Value>);

/// Read up to one batch of JSON lines; column names are added as they first appear.
fn read_json_batch(
    lines: &mut std::io::Lines<BufReader<std::fs::File>>,
    columns: &mut Vec<String>,
    problems: &mut Vec<RowProblem>,
    line_no: &mut u64,
) -> Vec<JsonRecord> {
    let mut out = Vec::new();
    let bad = |row: u64, vi: String, en: String| RowProblem {
        row: Some(row),
        column: None,
        value: None,
        code: "bad_json".into(),
        message_vi: vi,
        message_en: en,
    };
    for line in lines.by_ref() {
        *line_no += 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                problems.push(bad(
                    *line_no,
                    format!("Dòng không đọc được: {e}."),
                    format!("Unreadable line: {e}."),
                ));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(serde_json::Value::Object(m)) => {
                for k in m.keys() {
                    let k = normalize_header(k);
                    if !columns.contains(&k) {
                        columns.push(k);
                    }
                }
                out.push((*line_no, m));
            }
            Ok(_) => problems.push(bad(
                *line_no,
                "Dòng không phải là một đối tượng JSON {…}.".into(),
                "The line is not a JSON object {…}.".into(),
            )),
            Err(e) => problems.push(bad(
                *line_no,
                format!("JSON không hợp lệ: {e}."),
                format!("Invalid JSON: {e}."),
            )),
        }
        if out.len() == BATCH_ROWS {
            break;
        }
    }
    out
}

fn open_jsonl(path: &Path) -> Result<Input, Vec<RowProblem>> {
    let f = std::fs::File::open(path).map_err(|e| io_problem(path, e))?;
    let mut lines = BufReader::with_capacity(1 << 20, f).lines();
    let mut columns: Vec<String> = Vec::new();
    let mut line_no = 0u64;
    let mut problems = Vec::new();
    let first = read_json_batch(&mut lines, &mut columns, &mut problems, &mut line_no);
    let columns_out = columns.clone();
    let mut first = Some(first);
    let mut done = false;
    let batches = std::iter::from_fn(move || {
        if done {
            return None;
        }
        let recs = match first.take() {
            Some(r) => r,
            None => read_json_batch(&mut lines, &mut columns, &mut problems, &mut line_no),
        };
        if recs.is_empty() {
            done = true;
            if problems.is_empty() {
                return None;
            }
            return Some(Err(std::mem::take(&mut problems)));
        }
        let schema = utf8_schema(&columns);
        let mut builders: Vec<StringBuilder> = columns.iter().map(|_| StringBuilder::new()).collect();
        let mut rows = Vec::with_capacity(recs.len());
        for (no, m) in &recs {
            rows.push(*no);
            let norm: std::collections::HashMap<String, &serde_json::Value> =
                m.iter().map(|(k, v)| (normalize_header(k), v)).collect();
            for (j, c) in columns.iter().enumerate() {
                builders[j].append_option(norm.get(c).and_then(|v| json_cell(v)));
            }
        }
        let arrays: Vec<ArrayRef> = builders
            .into_iter()
            .map(|mut b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        let batch = RecordBatch::try_new(schema, arrays).expect("same width");
        Some(Ok(RawBatch {
            batch,
            first_row: rows[0],
            rows: Some(rows),
        }))
    });
    Ok(Input {
        columns: columns_out,
        batches: Box::new(batches),
    })
}

fn open_parquet(path: &Path) -> Result<Input, Vec<RowProblem>> {
    let f = std::fs::File::open(path).map_err(|e| io_problem(path, e))?;
    let builder =
        deltalake::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| {
            vec![file_problem(
                "bad_parquet",
                format!("Tệp Parquet không đọc được: {e}."),
                format!("The Parquet file cannot be read: {e}."),
            )]
        })?;
    let schema = builder.schema().clone();
    let reader = builder
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| io_problem(path, e))?;
    // Column names as the catalog spells them.
    let names: Vec<String> = schema.fields().iter().map(|f| normalize_header(f.name())).collect();
    let renamed = Arc::new(Schema::new(
        schema
            .fields()
            .iter()
            .zip(&names)
            .map(|(f, n)| Field::new(n, f.data_type().clone(), true))
            .collect::<Vec<_>>(),
    ));
    let mut next = 1u64;
    let batches = reader.map(move |r| match r {
        Ok(b) => {
            let first_row = next;
            next += b.num_rows() as u64;
            let batch = RecordBatch::try_new(renamed.clone(), b.columns().to_vec())
                .map_err(|e| vec![file_problem("bad_parquet", e.to_string(), e.to_string())])?;
            Ok(RawBatch {
                batch,
                first_row,
                rows: None,
            })
        }
        Err(e) => Err(vec![file_problem(
            "bad_parquet",
            format!("Tệp Parquet không đọc được: {e}."),
            format!("The Parquet file cannot be read: {e}."),
        )]),
    });
    Ok(Input {
        columns: names,
        batches: Box::new(batches),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_delimiters() {
        assert_eq!(detect_encoding(b"a,b\n1,2", None, true).unwrap(), encoding_rs::UTF_8);
        assert_eq!(
            detect_encoding(&[0xFF, 0xFE, b'a', 0], None, true).unwrap(),
            encoding_rs::UTF_16LE
        );
        // "Hà" in Windows-1258: H, a, combining grave (0xCC).
        assert_eq!(
            detect_encoding(&[b'H', b'a', 0xCC], None, true).unwrap(),
            encoding_rs::WINDOWS_1258
        );
        assert!(detect_encoding(b"", Some("klingon"), true).is_err());
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("a,b;c,d"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
    }
}
