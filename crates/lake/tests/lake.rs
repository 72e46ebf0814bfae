//! The warehouse end to end on a local folder: every input format and encoding, refusal of a
//! bad file as a whole, versions and time travel, upserts, quality, and the policies under
//! adversarial SQL.

use citygov_domain::lake::{Classification, Dataset, Field, FieldType, Frequency};
use citygov_lake::{
    AsOf, CommitMeta, Error, Format, Import, Lake, LakeOptions, Mode, QueryLimits, Source, TableAccess,
};
use citygov_store::sealing::{KeySource, MasterKeys};
use citygov_store::{Store, StoreOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn field(name: &str, t: FieldType, c: Classification, required: bool) -> Field {
    Field::new(name, t, c, required)
}

fn households() -> Dataset {
    let mut d = Dataset::new(
        "ho_ngheo",
        "SLDTBXH",
        "steward",
        "Hộ nghèo",
        "an-sinh",
        Frequency::Yearly,
        vec![
            field("cccd", FieldType::Text, Classification::Personal, true),
            field("ho_ten", FieldType::Text, Classification::Personal, true),
            field("ma_xa", FieldType::Text, Classification::Public, true),
            field("so_nhan_khau", FieldType::Integer, Classification::Public, false),
            field("thu_nhap", FieldType::Number, Classification::Internal, false),
            field("ngay_xac_nhan", FieldType::Date, Classification::Public, false),
            field("khuyet_tat", FieldType::Boolean, Classification::Sensitive, false),
        ],
    );
    d.title_en = "Poor households".into();
    d.key = vec!["cccd".into()];
    d.unit_column = Some("ma_xa".into());
    d
}

const GOOD_CSV: &str = "cccd,ho_ten,ma_xa,so_nhan_khau,thu_nhap,ngay_xac_nhan,khuyet_tat
001099012345,Nguyễn Văn An,XA_1,4,1500000,2026-01-15,không
001099012346,Trần Thị Bình,XA_1,3,\"1200000,5\",15/01/2026,có
031088000111,Lê Văn Cường,XA_2,5,,2026-02-01,
031088000112,Phạm Thị Dung,XA_2,2,900000,01/02/2026,false
";

/// A warehouse that seals its personal columns with a store's keys, as the platform's does.
async fn lake(dir: &Path) -> Lake {
    sealed(Lake::open(&LakeOptions::local(dir.join("lake"))).unwrap(), dir).await
}

/// Give a warehouse handle the keys of the store in `dir` (made on first use).
async fn sealed(l: Lake, dir: &Path) -> Lake {
    l.set_cipher(std::sync::Arc::new(keys_store(dir).await));
    l
}

/// A handle on the store in `dir` that holds the keys, as another process opens it.
async fn keys_store(dir: &Path) -> Store {
    let mut o = StoreOptions::new(format!("sqlite://{}", dir.join("keys.db").display()));
    o.keys = KeySource::Given(MasterKeys::parse("test-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap());
    Store::open(&o).await.unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn meta(reason: &str) -> CommitMeta {
    CommitMeta {
        user: "steward".into(),
        unit: "SLDTBXH".into(),
        reason: reason.into(),
        source: "test".into(),
    }
}

fn file(path: PathBuf, format: Format) -> Source {
    Source::File {
        path,
        format,
        encoding: None,
    }
}

/// Everything visible, nothing masked (the owner's own check of the data).
async fn rows(l: &Lake, sql: &str, access: Vec<TableAccess>) -> Vec<Vec<serde_json::Value>> {
    l.query(sql, access)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
        .rows_json()
}

async fn load_good(l: &Lake, dir: &Path) -> Dataset {
    let d = households();
    let p = write(dir, "good.csv", GOOD_CSV.as_bytes());
    let r = l
        .import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("first load")))
        .await
        .unwrap();
    assert_eq!((r.version, r.rows), (0, 4));
    d
}

#[tokio::test]
async fn csv_loads_with_vietnamese_formats_and_quality() {
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = load_good(&l, dir.path()).await;
    let got = rows(
        &l,
        "SELECT cccd, thu_nhap, ngay_xac_nhan, khuyet_tat FROM ho_ngheo ORDER BY cccd",
        vec![TableAccess::whole(&d)],
    )
    .await;
    assert_eq!(
        got[0],
        vec![
            serde_json::json!("001099012345"),
            serde_json::json!(1500000.0),
            serde_json::json!("2026-01-15"),
            serde_json::json!(false)
        ]
    );
    // A decimal comma and a Vietnamese date.
    assert_eq!(got[1][1], serde_json::json!(1200000.5));
    assert_eq!(got[1][2], serde_json::json!("2026-01-15"));
    assert_eq!(got[1][3], serde_json::json!(true));
    assert_eq!(got[2][1], serde_json::Value::Null);
    // Quality of the version: 28 cells, 2 empty.
    let q = l.measure_quality(&d).await.unwrap().unwrap();
    assert_eq!(q.rows, 4);
    assert!(
        (q.complete.measure - 26.0 / 28.0).abs() < 1e-9,
        "{}",
        q.complete.measure
    );
    assert!(q.correct.passed && q.clean.passed && q.live.passed);
    // Who, which unit and why are in the version's commit.
    let h = l.history("ho_ngheo", 10).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].user.as_str(), h[0].unit.as_str(), h[0].reason.as_str()),
        ("steward", "SLDTBXH", "first load")
    );
}

/// A load whose rows make up the whole new version (a first load, an overwrite) measures its
/// quality from what it counted while checking the file; the figures are those of the queries
/// over that version, with a repeated key or without. An append is measured by the queries.
#[tokio::test]
async fn a_loads_own_counts_give_the_quality_the_queries_measure() {
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = households();
    let same = |loaded: &citygov_domain::lake::Quality, queried: &citygov_domain::lake::Quality| {
        assert_eq!(loaded.rows, queried.rows);
        for (a, b) in [
            (&loaded.correct, &queried.correct),
            (&loaded.complete, &queried.complete),
            (&loaded.clean, &queried.clean),
        ] {
            assert_eq!((a.passed, a.measure, &a.detail_en), (b.passed, b.measure, &b.detail_en));
        }
    };
    let load = |name: &str, csv: &str, mode: Mode| {
        let p = write(dir.path(), name, csv.as_bytes());
        l.import(&d, Import::new(file(p, Format::Csv), mode, meta(name)))
    };
    // A first load: four households, two empty cells of 28, no key repeated.
    let r = load("good.csv", GOOD_CSV, Mode::Append).await.unwrap();
    same(&r.quality, &l.measure_quality(&d).await.unwrap().unwrap());
    assert_eq!(r.quality.rows, 4);
    assert!((r.quality.complete.measure - 26.0 / 28.0).abs() < 1e-9);
    assert!(r.quality.clean.passed && r.quality.clean.measure == 1.0);
    // An overwrite with one household twice: one row repeats a key.
    let repeated = "cccd,ho_ten,ma_xa,so_nhan_khau,thu_nhap,ngay_xac_nhan,khuyet_tat
001099012345,Nguyễn Văn An,XA_1,4,1500000,2026-01-15,không
001099012345,Nguyễn Văn An,XA_1,,,,
031088000111,Lê Văn Cường,XA_2,5,,2026-02-01,
";
    let r = load("repeated.csv", repeated, Mode::Overwrite).await.unwrap();
    same(&r.quality, &l.measure_quality(&d).await.unwrap().unwrap());
    assert_eq!(r.quality.rows, 3);
    assert!((r.quality.complete.measure - 15.0 / 21.0).abs() < 1e-9);
    assert!(!r.quality.clean.passed);
    assert_eq!(r.quality.clean.detail_en, "1 rows repeat a key (cccd).");
    // An append measures the whole new version: seven rows, three of them repeating a key.
    let r = load("again.csv", GOOD_CSV, Mode::Append).await.unwrap();
    same(&r.quality, &l.measure_quality(&d).await.unwrap().unwrap());
    assert_eq!(r.quality.rows, 7);
    assert_eq!(r.quality.clean.detail_en, "3 rows repeat a key (cccd).");
}

/// The text values of some columns of a table's Parquet files, read without citygov.
fn raw_values(table_dir: &Path, columns: &[&str]) -> Vec<Vec<String>> {
    use deltalake::arrow::array::AsArray;
    use deltalake::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let mut out = Vec::new();
    for e in std::fs::read_dir(table_dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "parquet") {
            continue;
        }
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&p).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for b in reader {
            let b = b.unwrap();
            for i in 0..b.num_rows() {
                out.push(
                    columns
                        .iter()
                        .map(|c| {
                            let a = deltalake::arrow::compute::cast(
                                b.column_by_name(c).unwrap(),
                                &deltalake::arrow::datatypes::DataType::Utf8,
                            )
                            .unwrap();
                            a.as_string::<i32>().value(i).to_string()
                        })
                        .collect(),
                );
            }
        }
    }
    out
}

#[tokio::test]
async fn personal_columns_are_sealed_in_the_files_and_opened_under_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = load_good(&l, dir.path()).await;

    // The files hold the personal text sealed, bound to its column; the rest as loaded.
    let raw = raw_values(&dir.path().join("lake").join("ho_ngheo"), &["cccd", "ho_ten", "ma_xa"]);
    assert_eq!(raw.len(), 4);
    for r in &raw {
        assert!(r[0].starts_with("enc1:") && r[1].starts_with("enc1:"), "{r:?}");
        assert!(r[2] == "XA_1" || r[2] == "XA_2", "{r:?}");
    }

    // Opened for a caller allowed to see them, and filtered and joined on their values.
    let whole = || vec![TableAccess::whole(&d)];
    assert_eq!(
        rows(&l, "SELECT cccd, ho_ten FROM ho_ngheo ORDER BY cccd LIMIT 1", whole()).await,
        vec![vec![
            serde_json::json!("001099012345"),
            serde_json::json!("Nguyễn Văn An")
        ]]
    );
    assert_eq!(
        rows(&l, "SELECT ho_ten FROM ho_ngheo WHERE cccd = '031088000111'", whole()).await,
        vec![vec![serde_json::json!("Lê Văn Cường")]]
    );
    assert_eq!(
        rows(
            &l,
            "SELECT COUNT(*) FROM ho_ngheo a JOIN ho_ngheo b ON a.cccd = b.cccd",
            whole()
        )
        .await,
        vec![vec![serde_json::json!(4)]]
    );
    // Opened, then masked, for the commune: its own rows only.
    assert_eq!(
        rows(
            &l,
            "SELECT cccd, ho_ten FROM ho_ngheo ORDER BY cccd",
            vec![commune_view(&d)]
        )
        .await,
        vec![
            vec![serde_json::json!("0010********"), serde_json::json!("Nguy*********")],
            vec![serde_json::json!("0010********"), serde_json::json!("Trần*********")],
        ]
    );
    // The quality measures see the opened key: no duplicate among four households.
    let q = l.measure_quality(&d).await.unwrap().unwrap();
    assert!(q.clean.passed && q.clean.measure == 1.0, "{:?}", q.clean);
}

/// Values sealed with a data key that another process made after this one loaded its keys:
/// every path that opens sealed values (a query, a download, an upsert's key match, the
/// quality measures) reloads the keys once and succeeds.
#[tokio::test]
async fn values_sealed_under_a_key_made_by_another_process_open_on_every_path() {
    let dir = tempfile::tempdir().unwrap();
    let first = lake(dir.path()).await;
    let d = load_good(&first, dir.path()).await;
    // Four processes load the keys now, one per path below.
    let querying_keys = keys_store(dir.path()).await;
    let querying = Lake::open(&LakeOptions::local(dir.path().join("lake"))).unwrap();
    querying.set_cipher(std::sync::Arc::new(querying_keys.clone()));
    let (downloading, upserting, measuring) = (lake(dir.path()).await, lake(dir.path()).await, lake(dir.path()).await);
    // Another one rotates the data key and loads a household sealed with the new key.
    keys_store(dir.path())
        .await
        .rotate_data_key(citygov_domain::now_local(), "test")
        .await
        .unwrap();
    let later = lake(dir.path()).await;
    let p = write(
        dir.path(),
        "later.csv",
        "cccd,ho_ten,ma_xa\n001099055555,Hoàng Văn Khải,XA_1\n".as_bytes(),
    );
    later
        .import(
            &d,
            Import::new(file(p, Format::Csv), Mode::Append, meta("after rotation")),
        )
        .await
        .unwrap();
    let raw = raw_values(&dir.path().join("lake").join("ho_ngheo"), &["cccd"]);
    let ids: std::collections::BTreeSet<String> = raw
        .iter()
        .map(|r| r[0].split(':').nth(1).unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), 2, "two data keys in the files: {raw:?}");

    let whole = || vec![TableAccess::whole(&d)];
    let loads = querying_keys.data_key_loads().await;
    assert_eq!(
        rows(
            &querying,
            "SELECT ho_ten FROM ho_ngheo WHERE cccd = '001099055555'",
            whole()
        )
        .await,
        vec![vec![serde_json::json!("Hoàng Văn Khải")]]
    );
    // The values that failed began a reload and the query's retry waited for it: one load.
    assert_eq!(querying_keys.data_key_loads().await, loads + 1);
    let csv = downloading
        .download(TableAccess::whole(&d), citygov_lake::DownloadFormat::Csv)
        .await
        .unwrap();
    assert_eq!(csv.rows, 5);
    assert!(String::from_utf8_lossy(&csv.bytes).contains("001099055555,Hoàng Văn Khải"));
    let q = measuring.measure_quality(&d).await.unwrap().unwrap();
    assert!(q.clean.passed && q.clean.measure == 1.0, "{:?}", q.clean);
    let p = write(
        dir.path(),
        "rename.csv",
        "cccd,ho_ten,ma_xa\n001099055555,Hoàng Văn Khai,XA_1\n".as_bytes(),
    );
    upserting
        .import(&d, Import::new(file(p, Format::Csv), Mode::Upsert, meta("upsert")))
        .await
        .unwrap();
    assert_eq!(
        rows(
            &first,
            "SELECT count(*), max(ho_ten) FILTER (WHERE cccd = '001099055555') FROM ho_ngheo",
            whole()
        )
        .await,
        vec![vec![serde_json::json!(5), serde_json::json!("Hoàng Văn Khai")]]
    );
}

#[tokio::test]
async fn a_bad_file_is_refused_whole_with_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = load_good(&l, dir.path()).await;
    let bad = "cccd,ho_ten,ma_xa,so_nhan_khau,thu_nhap,ngay_xac_nhan,khuyet_tat,ghi_chu
001099099999,Đỗ Văn E,XA_1,4,100,2026-01-15,không,x
001099099998,,XA_1,bốn,100,2026-13-40,có,y
001099099997,Vũ Thị G,XA_1,3,abc,2026-01-15,chắc,z
";
    let p = write(dir.path(), "bad.csv", bad.as_bytes());
    let err = l
        .import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("bad")))
        .await
        .unwrap_err();
    let Error::BadFile { problems, total } = err else {
        panic!("{err:?}")
    };
    let found: Vec<(Option<u64>, Option<&str>, &str)> = problems
        .iter()
        .map(|p| (p.row, p.column.as_deref(), p.code.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (Some(1), Some("ghi_chu"), "unknown_column"),
            (Some(3), Some("ho_ten"), "required"),
            (Some(3), Some("so_nhan_khau"), "not_integer"),
            (Some(3), Some("ngay_xac_nhan"), "not_date"),
            (Some(4), Some("thu_nhap"), "not_number"),
            (Some(4), Some("khuyet_tat"), "not_boolean"),
        ],
        "{problems:#?}"
    );
    assert_eq!(total, 6);
    assert_eq!(problems[2].value.as_deref(), Some("bốn"));
    assert!(problems[2].message_vi.contains("số nguyên") && problems[2].message_en.contains("integer"));
    // Nothing changed: still version 0 with four rows.
    assert_eq!(l.version("ho_ngheo").await.unwrap(), Some(0));
    assert_eq!(
        rows(&l, "SELECT COUNT(*) FROM ho_ngheo", vec![TableAccess::whole(&d)]).await[0][0],
        serde_json::json!(4)
    );

    // The problem list stops at the limit, the count does not.
    let mut many = String::from("cccd,ho_ten,ma_xa,so_nhan_khau\n");
    for i in 0..500 {
        many.push_str(&format!("0010990{i:05},A,XA_1,x{i}\n"));
    }
    let p = write(dir.path(), "many.csv", many.as_bytes());
    let mut req = Import::new(file(p, Format::Csv), Mode::Append, meta("many"));
    req.max_problems = 20;
    let Err(Error::BadFile { problems, total }) = l.import(&d, req).await else {
        panic!()
    };
    assert_eq!((problems.len(), total), (20, 500));

    // A line with a missing column is named.
    let p = write(
        dir.path(),
        "ragged.csv",
        b"cccd,ho_ten,ma_xa\n001,A,XA_1\n002,B\n003,C,XA_2\n",
    );
    let Err(Error::BadFile { problems, .. }) = l
        .import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("ragged")))
        .await
    else {
        panic!()
    };
    assert_eq!(
        (problems[0].row, problems[0].code.as_str()),
        (Some(3), "wrong_column_count"),
        "{problems:#?}"
    );
    // A file refused before its first row (it has no header line) gives the writer nothing to
    // commit either.
    let p = write(dir.path(), "empty.csv", b"\n");
    let Err(Error::BadFile { problems, .. }) = l
        .import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("empty")))
        .await
    else {
        panic!()
    };
    assert_eq!(problems[0].code, "empty_file", "{problems:#?}");
    assert_eq!(l.version("ho_ngheo").await.unwrap(), Some(0));
}

#[tokio::test]
async fn office_encodings_excel_json_lines_and_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = households();
    // Windows-1258 writes tones as combining marks after the letter ("ễ" is ê, 0xEA, then a
    // combining tilde, 0xDE): the load composes them (NFC).
    let bytes = b"cccd;ho_ten;ma_xa\n001099012345;Nguy\xEA\xDEn Thi\xF2 Ha\xCC;XA_1\n".to_vec();
    assert!(std::str::from_utf8(&bytes).is_err(), "the sample must not be UTF-8");
    let p = write(dir.path(), "cp1258.csv", &bytes);
    l.import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("cp1258")))
        .await
        .unwrap();
    // UTF-16 little-endian with its byte-order mark, tab-separated.
    let text = "cccd\tho_ten\tma_xa\n001099012346\tLê Văn Đức\tXA_2\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let p = write(dir.path(), "utf16.csv", &bytes);
    l.import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("utf16")))
        .await
        .unwrap();
    // Excel, with a real date cell.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (j, h) in ["CCCD", "Ho_Ten", "ma_xa", "so_nhan_khau", "ngay_xac_nhan"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "001099012347").unwrap();
    ws.write_string(1, 1, "Phạm Minh Châu").unwrap();
    ws.write_string(1, 2, "XA_1").unwrap();
    ws.write_number(1, 3, 6.0).unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 8).unwrap();
    ws.write_datetime_with_format(
        1,
        4,
        &date,
        &rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy"),
    )
    .unwrap();
    let p = dir.path().join("sheet.xlsx");
    wb.save(&p).unwrap();
    l.import(&d, Import::new(file(p, Format::Xlsx), Mode::Append, meta("xlsx")))
        .await
        .unwrap();
    // JSON lines.
    let p = write(
        dir.path(),
        "rows.jsonl",
        "{\"cccd\":\"001099012348\",\"ho_ten\":\"Hoàng Văn Em\",\"ma_xa\":\"XA_2\",\"so_nhan_khau\":2,\"khuyet_tat\":true}\n\n".as_bytes(),
    );
    l.import(&d, Import::new(file(p, Format::Jsonl), Mode::Append, meta("jsonl")))
        .await
        .unwrap();
    // Parquet written by another tool, with its own types.
    {
        use deltalake::arrow::array::{Int32Array, RecordBatch, StringArray};
        use deltalake::arrow::datatypes::{DataType, Field, Schema};
        use std::sync::Arc;
        let schema = Arc::new(Schema::new(vec![
            Field::new("cccd", DataType::Utf8, false),
            Field::new("ho_ten", DataType::Utf8, false),
            Field::new("ma_xa", DataType::Utf8, false),
            Field::new("so_nhan_khau", DataType::Int32, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec!["001099012349"])),
                Arc::new(StringArray::from(vec!["Ngô Thị Phương"])),
                Arc::new(StringArray::from(vec!["XA_1"])),
                Arc::new(Int32Array::from(vec![Some(3)])),
            ],
        )
        .unwrap();
        let f = std::fs::File::create(dir.path().join("rows.parquet")).unwrap();
        let mut w = deltalake::parquet::arrow::ArrowWriter::try_new(f, schema, None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }
    l.import(
        &d,
        Import::new(
            file(dir.path().join("rows.parquet"), Format::Parquet),
            Mode::Append,
            meta("parquet"),
        ),
    )
    .await
    .unwrap();
    let got = rows(
        &l,
        "SELECT cccd, ho_ten, so_nhan_khau, ngay_xac_nhan FROM ho_ngheo ORDER BY cccd",
        vec![TableAccess::whole(&d)],
    )
    .await;
    let names: Vec<&str> = got.iter().map(|r| r[1].as_str().unwrap()).collect();
    assert_eq!(
        names,
        vec![
            "Nguyễn Thị Hà",
            "Lê Văn Đức",
            "Phạm Minh Châu",
            "Hoàng Văn Em",
            "Ngô Thị Phương"
        ]
    );
    // NFC: "à" is one code point, as typed on a Vietnamese keyboard.
    assert!(names[0].contains('\u{e0}'));
    assert_eq!(got[2][2], serde_json::json!(6));
    assert_eq!(got[2][3], serde_json::json!("2026-03-08"));
    assert_eq!(got[4][2], serde_json::json!(3));
    assert_eq!(l.version("ho_ngheo").await.unwrap(), Some(4));
}

#[tokio::test]
async fn versions_time_travel_overwrite_and_upsert() {
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = load_good(&l, dir.path()).await;
    let t0 = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    // Upsert: one changed household, one new.
    let p = write(
        dir.path(),
        "upsert.csv",
        "cccd,ho_ten,ma_xa,so_nhan_khau\n001099012345,Nguyễn Văn An,XA_1,6\n001099077777,Bùi Thị Hoa,XA_2,1\n"
            .as_bytes(),
    );
    let r = l
        .import(&d, Import::new(file(p, Format::Csv), Mode::Upsert, meta("upsert")))
        .await
        .unwrap();
    assert_eq!(r.version, 1);
    let got = rows(
        &l,
        "SELECT cccd, so_nhan_khau FROM ho_ngheo ORDER BY cccd",
        vec![TableAccess::whole(&d)],
    )
    .await;
    assert_eq!(got.len(), 5);
    assert_eq!(got[0], vec![serde_json::json!("001099012345"), serde_json::json!(6)]);
    // A key twice in one file is refused.
    let p = write(
        dir.path(),
        "dup.csv",
        "cccd,ho_ten,ma_xa\n1,A,XA_1\n2,B,XA_1\n1,C,XA_1\n".as_bytes(),
    );
    let Err(Error::BadFile { problems, .. }) = l
        .import(&d, Import::new(file(p, Format::Csv), Mode::Upsert, meta("dup")))
        .await
    else {
        panic!()
    };
    assert_eq!((problems[0].row, problems[0].code.as_str()), (Some(4), "duplicate_key"));
    assert!(problems[0].message_en.contains("row 2"), "{}", problems[0].message_en);
    // Overwrite.
    let p = write(dir.path(), "one.csv", "cccd,ho_ten,ma_xa\n9,Z,XA_9\n".as_bytes());
    let r = l
        .import(&d, Import::new(file(p, Format::Csv), Mode::Overwrite, meta("replace")))
        .await
        .unwrap();
    assert_eq!(r.version, 2);
    let count = |v: Option<AsOf>| {
        let mut a = TableAccess::whole(&d);
        a.as_of = v;
        a
    };
    assert_eq!(
        rows(&l, "SELECT COUNT(*) FROM ho_ngheo", vec![count(None)]).await[0][0],
        serde_json::json!(1)
    );
    assert_eq!(
        rows(&l, "SELECT COUNT(*) FROM ho_ngheo", vec![count(Some(AsOf::Version(1)))]).await[0][0],
        serde_json::json!(5)
    );
    assert_eq!(
        rows(&l, "SELECT COUNT(*) FROM ho_ngheo", vec![count(Some(AsOf::Version(0)))]).await[0][0],
        serde_json::json!(4)
    );
    assert_eq!(
        rows(
            &l,
            "SELECT COUNT(*) FROM ho_ngheo",
            vec![count(Some(AsOf::Timestamp(t0)))]
        )
        .await[0][0],
        serde_json::json!(4)
    );
    let err = l
        .query("SELECT COUNT(*) FROM ho_ngheo", vec![count(Some(AsOf::Version(7)))])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound(ref p) if p.code == "version_not_found"),
        "{err:?}"
    );
    let h = l.history("ho_ngheo", 10).await.unwrap();
    let versions: Vec<(i64, &str)> = h.iter().map(|v| (v.version, v.reason.as_str())).collect();
    assert_eq!(versions, vec![(2, "replace"), (1, "upsert"), (0, "first load")]);

    // The retention job's vacuum deletes the files only replaced versions read (a dry run
    // counts them first): the current version reads on, earlier ones no longer do.
    let stale = l.vacuum("ho_ngheo", chrono::Duration::zero(), true).await.unwrap();
    assert!(stale >= 2, "{stale}");
    assert_eq!(
        rows(&l, "SELECT cccd FROM ho_ngheo", vec![count(Some(AsOf::Version(0)))])
            .await
            .len(),
        4
    );
    assert_eq!(
        l.vacuum("ho_ngheo", chrono::Duration::zero(), false).await.unwrap(),
        stale
    );
    assert_eq!(
        rows(&l, "SELECT cccd, ho_ten FROM ho_ngheo", vec![count(None)]).await,
        vec![vec![serde_json::json!("9"), serde_json::json!("Z")]]
    );
    let err = l
        .query("SELECT cccd FROM ho_ngheo", vec![count(Some(AsOf::Version(0)))])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound(ref p) if p.code == "version_removed"),
        "{err:?}"
    );
    let parquet = std::fs::read_dir(dir.path().join("lake").join("ho_ngheo"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "parquet"))
        .count();
    assert_eq!(parquet, 1, "only the current version's file is left");
}

/// The commune XA_1's view: personal columns masked, its own rows only.
fn commune_view(d: &Dataset) -> TableAccess {
    TableAccess {
        dataset: d.clone(),
        masked: vec!["cccd".into(), "ho_ten".into(), "khuyet_tat".into()],
        hidden: Vec::new(),
        row_filter: Some(("ma_xa".into(), vec!["XA_1".into()])),
        as_of: None,
    }
}

#[tokio::test]
async fn policies_hold_under_adversarial_sql() {
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = load_good(&l, dir.path()).await;
    let v = || vec![commune_view(&d)];
    let out = l
        .query("SELECT cccd, ho_ten, ma_xa FROM ho_ngheo ORDER BY cccd", v())
        .await
        .unwrap();
    assert_eq!(
        out.rows_json(),
        vec![
            vec![
                serde_json::json!("0010********"),
                serde_json::json!("Nguy*********"),
                serde_json::json!("XA_1")
            ],
            vec![
                serde_json::json!("0010********"),
                serde_json::json!("Trần*********"),
                serde_json::json!("XA_1")
            ],
        ]
    );
    let personal: Vec<(&str, bool)> = out
        .personal_reads()
        .iter()
        .map(|r| (r.column.as_str(), r.masked))
        .collect();
    assert_eq!(personal, vec![("cccd", true), ("ho_ten", true)]);

    // Every way around the policy sees the same masked, filtered rows.
    let leaks = [
        "SELECT COUNT(*) FROM ho_ngheo WHERE ma_xa = 'XA_2'",
        "SELECT COUNT(*) FROM ho_ngheo a JOIN ho_ngheo b ON a.cccd = b.cccd WHERE a.ma_xa <> 'XA_1' OR b.ma_xa <> 'XA_1'",
        "SELECT COUNT(*) FROM (SELECT * FROM ho_ngheo) s WHERE s.cccd LIKE '031%'",
        "WITH raw AS (SELECT * FROM ho_ngheo) SELECT COUNT(*) FROM raw WHERE cccd = '001099012345'",
        "SELECT COUNT(*) FROM ho_ngheo WHERE cccd IN (SELECT cccd FROM ho_ngheo WHERE cccd = '001099012345')",
        "SELECT COUNT(*) FROM (SELECT cccd FROM ho_ngheo UNION ALL SELECT ho_ten FROM ho_ngheo) u WHERE u.cccd LIKE '%5'",
        "SELECT COUNT(*) FROM datafusion.public.ho_ngheo WHERE ma_xa = 'XA_2'",
        "SELECT COUNT(*) FROM ho_ngheo WHERE substr(cccd, 5, 1) = '9'",
        "SELECT COUNT(*) FROM ho_ngheo WHERE khuyet_tat = 'true'",
    ];
    for sql in leaks {
        let got = rows(&l, sql, v()).await;
        assert_eq!(got[0][0], serde_json::json!(0), "{sql} leaked: {got:?}");
    }
    // Statements that are not queries, other tables, files and catalogs are refused.
    let refused = [
        "CREATE VIEW v AS SELECT * FROM ho_ngheo",
        "CREATE EXTERNAL TABLE x STORED AS PARQUET LOCATION '/'",
        "INSERT INTO ho_ngheo VALUES ('1')",
        "DROP TABLE ho_ngheo",
        "SET datafusion.catalog.information_schema = true",
        "COPY ho_ngheo TO '/tmp/x.csv'",
        "SELECT * FROM information_schema.tables",
        "SELECT * FROM ho_ngheo; SELECT 1",
        "SELECT * FROM dossiers",
    ];
    for sql in refused {
        let err = l.query(sql, v()).await.err().unwrap_or_else(|| panic!("{sql} ran"));
        assert!(matches!(err, Error::Invalid(_) | Error::NotFound(_)), "{sql}: {err:?}");
    }
    let lake_dir = dir.path().join("lake").join("ho_ngheo");
    let part = std::fs::read_dir(&lake_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "parquet"))
        .unwrap();
    let sql = format!("SELECT * FROM '{}'", part.path().display());
    assert!(l.query(&sql, v()).await.is_err(), "a file read directly");
    // No rows at all for a unit without a unit column or codes.
    let mut none = commune_view(&d);
    none.row_filter = Some((String::new(), vec![]));
    assert_eq!(
        rows(&l, "SELECT COUNT(*) FROM ho_ngheo", vec![none]).await[0][0],
        serde_json::json!(0)
    );
    // Open data: hidden columns are gone, not masked.
    let mut open = TableAccess::whole(&d);
    open.hidden = vec!["cccd".into(), "ho_ten".into(), "khuyet_tat".into(), "thu_nhap".into()];
    let out = l.query("SELECT * FROM ho_ngheo", vec![open.clone()]).await.unwrap();
    let cols: Vec<&str> = out.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, vec!["ma_xa", "so_nhan_khau", "ngay_xac_nhan"]);
    assert!(l.query("SELECT cccd FROM ho_ngheo", vec![open]).await.is_err());
}

/// The personal columns a query read, with whether they were masked.
fn personal(out: &citygov_lake::QueryOutput) -> Vec<(String, bool)> {
    out.personal_reads()
        .iter()
        .map(|r| (r.column.clone(), r.masked))
        .collect()
}

#[tokio::test]
async fn a_repeated_query_reuses_its_plan_only_for_the_same_grant_and_version() {
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = load_good(&l, dir.path()).await;
    let sql = "SELECT cccd, ma_xa FROM ho_ngheo ORDER BY cccd";
    let owner = || vec![TableAccess::whole(&d)];
    let first = l.query(sql, owner()).await.unwrap();
    assert!(!first.plan_reused, "planned the first time");
    assert_eq!(first.rows_json()[0], vec![json!("001099012345"), json!("XA_1")]);
    let again = l.query(sql, owner()).await.unwrap();
    assert!(again.plan_reused, "the same SQL, grant and version");
    assert_eq!(again.rows_json(), first.rows_json());
    // A reused plan's reads are audited like a planned one's.
    assert_eq!(personal(&again), vec![("cccd".to_string(), false)]);

    // A commune's masked, filtered grant never runs the owner's plan, nor the owner the
    // commune's.
    let masked = vec![vec![json!("0010********"), json!("XA_1")]; 2];
    let commune = l.query(sql, vec![commune_view(&d)]).await.unwrap();
    assert!(!commune.plan_reused);
    assert_eq!(commune.rows_json(), masked);
    assert_eq!(personal(&commune), vec![("cccd".to_string(), true)]);
    let commune_again = l.query(sql, vec![commune_view(&d)]).await.unwrap();
    assert!(commune_again.plan_reused);
    assert_eq!(commune_again.rows_json(), masked);
    assert_eq!(personal(&commune_again), vec![("cccd".to_string(), true)]);
    let mut other_commune = commune_view(&d);
    other_commune.row_filter = Some(("ma_xa".into(), vec!["XA_2".into()]));
    let other = l.query(sql, vec![other_commune]).await.unwrap();
    assert!(!other.plan_reused);
    assert_eq!(other.rows_json(), vec![vec![json!("0310********"), json!("XA_2")]; 2]);
    let mut unmasked = commune_view(&d);
    unmasked.masked.clear();
    let unmasked = l.query(sql, vec![unmasked]).await.unwrap();
    assert!(!unmasked.plan_reused);
    assert_eq!(unmasked.rows_json()[0], vec![json!("001099012345"), json!("XA_1")]);
    let owner_again = l.query(sql, owner()).await.unwrap();
    assert!(owner_again.plan_reused);
    assert_eq!(owner_again.rows_json(), first.rows_json());

    // A new version is read at once, by a new plan.
    let p = write(
        dir.path(),
        "more.csv",
        "cccd,ho_ten,ma_xa,so_nhan_khau,thu_nhap,ngay_xac_nhan,khuyet_tat\n001099099999,Vũ Văn Em,XA_1,1,,2026-03-01,\n".as_bytes(),
    );
    l.import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("one more")))
        .await
        .unwrap();
    let after = l.query(sql, owner()).await.unwrap();
    assert!(!after.plan_reused);
    assert_eq!(after.rows, 5);
    let commune_after = l.query(sql, vec![commune_view(&d)]).await.unwrap();
    assert!(!commune_after.plan_reused);
    assert_eq!(commune_after.rows, 3);
    assert!(l.query(sql, owner()).await.unwrap().plan_reused);

    // Time travel, the clock and EXPLAIN are planned every time.
    let mut old = TableAccess::whole(&d);
    old.as_of = Some(AsOf::Version(0));
    for _ in 0..2 {
        let out = l.query(sql, vec![old.clone()]).await.unwrap();
        assert!(!out.plan_reused);
        assert_eq!(out.rows, 4);
    }
    for clock in [
        "SELECT count(*) FROM ho_ngheo WHERE ngay_xac_nhan <= current_date",
        "SELECT count(*), now() FROM ho_ngheo",
        "EXPLAIN SELECT count(*) FROM ho_ngheo",
    ] {
        for _ in 0..2 {
            assert!(!l.query(clock, owner()).await.unwrap().plan_reused, "{clock}");
        }
    }
    // A top-k over rows tightens a bound while it runs: every run still returns the top two
    // (a bound left from an earlier run would drop the second).
    let top = "SELECT cccd, so_nhan_khau FROM ho_ngheo ORDER BY so_nhan_khau DESC LIMIT 2";
    for _ in 0..3 {
        assert_eq!(
            rows(&l, top, owner()).await,
            vec![
                vec![json!("031088000111"), json!(5)],
                vec![json!("001099012345"), json!(4)]
            ]
        );
    }
}

#[tokio::test]
async fn limits_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = LakeOptions::local(dir.path().join("lake"));
    opts.limits = QueryLimits {
        max_rows: 3,
        ..QueryLimits::default()
    };
    let l = Lake::open(&opts).unwrap();
    let d = load_good(&l, dir.path()).await;
    let err = l
        .query("SELECT * FROM ho_ngheo", vec![TableAccess::whole(&d)])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Limit(ref p) if p.code == "query_too_many_rows"),
        "{err:?}"
    );
    assert!(
        l.query("SELECT * FROM ho_ngheo LIMIT 3", vec![TableAccess::whole(&d)])
            .await
            .is_ok()
    );

    let mut opts = LakeOptions::local(dir.path().join("lake"));
    opts.limits = QueryLimits {
        memory_bytes: 1 << 20,
        ..QueryLimits::default()
    };
    let l = Lake::open(&opts).unwrap();
    // The build side of a hash join of two million rows does not fit in 1 MiB.
    let err = l
        .query(
            "SELECT COUNT(*) FROM generate_series(1, 2000000) a JOIN generate_series(1, 2000000) b ON a.value = b.value",
            vec![TableAccess::whole(&d)],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Limit(ref p) if p.code == "query_memory"),
        "{err:?}"
    );
    assert!(matches!(l.query("SELEC 1", vec![]).await.unwrap_err(), Error::Invalid(ref p) if p.code == "invalid_sql"));
}

/// A second dataset to join with: the communes.
fn communes() -> Dataset {
    let mut d = households();
    d.name = "xa".into();
    d.key = vec!["ma_xa".into()];
    d.unit_column = None;
    d.fields = vec![
        field("ma_xa", FieldType::Text, Classification::Public, true),
        field("ten_xa", FieldType::Text, Classification::Public, true),
    ];
    d
}

#[tokio::test]
async fn queries_on_a_ballista_cluster_match_the_engine_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = load_good(&l, dir.path()).await;
    // A second version (a second file), and a second table.
    let p = write(
        dir.path(),
        "more.csv",
        "cccd,ho_ten,ma_xa,so_nhan_khau\n001099077777,Bùi Thị Hoa,XA_1,1\n031088000999,Đỗ Văn Hùng,XA_2,7\n".as_bytes(),
    );
    l.import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("more")))
        .await
        .unwrap();
    let x = communes();
    let p = write(
        dir.path(),
        "xa.csv",
        "ma_xa,ten_xa\nXA_1,Xã Một\nXA_2,Xã Hai\n".as_bytes(),
    );
    l.import(&x, Import::new(file(p, Format::Csv), Mode::Append, meta("communes")))
        .await
        .unwrap();

    // A scheduler and an executor on loopback ports, and a second handle that sends its
    // queries there.
    let url = l.start_local_cluster(2).await.unwrap();
    let mut opts = LakeOptions::local(dir.path().join("lake"));
    opts.ballista_url = Some(url.clone());
    let dist = sealed(Lake::open(&opts).unwrap(), dir.path()).await;
    assert_eq!(dist.ballista_url(), Some(url.as_str()));

    let whole = || vec![TableAccess::whole(&d), TableAccess::whole(&x)];
    let commune = || vec![commune_view(&d), TableAccess::whole(&x)];
    let mut v0 = TableAccess::whole(&d);
    v0.as_of = Some(AsOf::Version(0));
    let cases: Vec<(&str, Vec<TableAccess>)> = vec![
        (
            "SELECT COUNT(*), SUM(so_nhan_khau), AVG(thu_nhap) FROM ho_ngheo",
            whole(),
        ),
        (
            "SELECT x.ten_xa, COUNT(*) AS n, SUM(h.so_nhan_khau) AS people FROM ho_ngheo h JOIN xa x ON h.ma_xa = x.ma_xa GROUP BY x.ten_xa ORDER BY x.ten_xa",
            whole(),
        ),
        (
            "SELECT x.ten_xa, SUM(CASE WHEN h.so_nhan_khau > 3 THEN 1 ELSE 0 END) AS large, MAX(h.thu_nhap) AS most \
             FROM ho_ngheo h JOIN xa x ON h.ma_xa = x.ma_xa GROUP BY x.ten_xa ORDER BY x.ten_xa",
            whole(),
        ),
        (
            "SELECT cccd, ho_ten, ngay_xac_nhan, khuyet_tat FROM ho_ngheo ORDER BY cccd",
            whole(),
        ),
        (
            "SELECT cccd, ho_ten, ma_xa, khuyet_tat FROM ho_ngheo ORDER BY ma_xa, so_nhan_khau",
            commune(),
        ),
        ("SELECT COUNT(*) FROM ho_ngheo WHERE ma_xa = 'XA_2'", commune()),
        // Text compared with constants in a filter and in a conditional count (string views).
        (
            "SELECT ma_xa, COUNT(*) AS n, SUM(CASE WHEN ma_xa = 'XA_1' THEN 1 ELSE 0 END) AS first \
             FROM ho_ngheo WHERE ma_xa <> 'XA_9' AND ma_xa <> 'a constant of over twelve bytes' \
             GROUP BY ma_xa ORDER BY ma_xa",
            whole(),
        ),
        (
            "SELECT COUNT(*) FROM ho_ngheo a JOIN ho_ngheo b ON a.cccd = b.cccd WHERE a.ma_xa <> 'XA_1' OR b.ma_xa <> 'XA_1'",
            commune(),
        ),
        (
            "WITH raw AS (SELECT * FROM ho_ngheo) SELECT COUNT(*) FROM raw WHERE cccd = '001099012345'",
            commune(),
        ),
        (
            "SELECT COUNT(*) FROM (SELECT cccd FROM ho_ngheo UNION ALL SELECT ho_ten FROM ho_ngheo) u WHERE u.cccd LIKE '%5'",
            commune(),
        ),
        (
            "SELECT x.ten_xa, COUNT(*) FROM ho_ngheo h JOIN xa x USING (ma_xa) GROUP BY 1 ORDER BY 1",
            commune(),
        ),
        ("SELECT COUNT(*) FROM ho_ngheo", vec![v0]),
    ];
    for (sql, access) in cases {
        let here = l
            .query(sql, access.clone())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        let there = dist
            .query(sql, access)
            .await
            .unwrap_or_else(|e| panic!("{sql} on the cluster: {e:?}"));
        assert_eq!(here.engine, "datafusion");
        assert_eq!(there.engine, "ballista", "{sql}");
        let names = |o: &citygov_lake::QueryOutput| o.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&here), names(&there), "{sql}");
        assert_eq!(here.rows_json(), there.rows_json(), "{sql}");
        assert_eq!(here.reads, there.reads, "{sql}");
    }
    // The policies hold there too: masked values, the commune's rows only.
    let out = dist
        .query("SELECT cccd, ma_xa FROM ho_ngheo ORDER BY cccd", vec![commune_view(&d)])
        .await
        .unwrap();
    assert_eq!(out.rows, 3);
    assert!(
        out.rows_json()
            .iter()
            .all(|r| r[0].as_str().unwrap().ends_with("********") && r[1] == "XA_1")
    );
    // Bad SQL is refused the same way, before anything reaches the cluster.
    assert!(
        matches!(dist.query("SELEC 1", vec![]).await.unwrap_err(), Error::Invalid(ref p) if p.code == "invalid_sql")
    );

    // A scheduler that does not answer: a clear error, not a wrong answer in process.
    let mut opts = LakeOptions::local(dir.path().join("lake"));
    opts.ballista_url = Some(format!("df://127.0.0.1:{}", closed_port()));
    let gone = Lake::open(&opts).unwrap();
    let err = gone.query("SELECT COUNT(*) FROM ho_ngheo", whole()).await.unwrap_err();
    assert!(
        matches!(err, Error::Unavailable(ref p) if p.code == "cluster_unavailable"),
        "{err:?}"
    );
}

/// A query past its time limit is cancelled on the cluster too, not only abandoned by the
/// client: the scheduler fails its job (and tells the executor to stop the job's tasks), and
/// the cluster goes on serving the next query.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_past_its_time_limit_is_cancelled_on_the_cluster() {
    use ballista_core::serde::protobuf::GetJobStatusParams;
    use ballista_core::serde::protobuf::job_status::Status;
    use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
    let dir = tempfile::tempdir().unwrap();
    let l = lake(dir.path()).await;
    let d = Dataset::new(
        "so",
        "SNV",
        "steward",
        "Số",
        "thu-nghiem",
        Frequency::Yearly,
        vec![field("n", FieldType::Integer, Classification::Public, true)],
    );
    let csv: String = std::iter::once("n\n".to_string())
        .chain((0..2000).map(|i| format!("{i}\n")))
        .collect();
    let p = write(dir.path(), "so.csv", csv.as_bytes());
    l.import(&d, Import::new(file(p, Format::Csv), Mode::Append, meta("load")))
        .await
        .unwrap();
    let url = l.start_local_cluster(1).await.unwrap();
    let mut opts = LakeOptions::local(dir.path().join("lake"));
    opts.ballista_url = Some(url.clone());
    opts.limits.timeout = Duration::from_secs(3);
    let hasty = sealed(Lake::open(&opts).unwrap(), dir.path()).await;
    // Three copies of a 2,000-row table joined with each other: 8 * 10^9 rows to filter,
    // minutes of work, planned at once.
    let long = "SELECT COUNT(*) FROM so a, so b, so c WHERE a.n + b.n + c.n > 0";
    let err = hasty.query(long, vec![TableAccess::whole(&d)]).await.unwrap_err();
    let Error::Limit(p) = &err else { panic!("{err:?}") };
    assert_eq!(p.code, "query_timeout");
    let job = p
        .message_en
        .split("Ballista job ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no job named: {}", p.message_en))
        .to_string();
    assert!(p.message_vi.contains(&job), "{}", p.message_vi);
    // The scheduler handles the cancellation on its event loop: wait for the job's state.
    let scheduler = url.replace("df://", "http://");
    let mut client = SchedulerGrpcClient::connect(scheduler).await.unwrap();
    let mut status = None;
    for _ in 0..600 {
        status = client
            .get_job_status(GetJobStatusParams { job_id: job.clone() })
            .await
            .unwrap()
            .into_inner()
            .status
            .and_then(|s| s.status);
        if !matches!(status, Some(Status::Queued(_)) | Some(Status::Running(_))) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(matches!(status, Some(Status::Failed(_))), "job {job}: {status:?}");
    opts.limits.timeout = Duration::from_secs(600);
    let patient = sealed(Lake::open(&opts).unwrap(), dir.path()).await;
    let out = patient
        .query("SELECT COUNT(*) FROM so", vec![TableAccess::whole(&d)])
        .await
        .unwrap();
    assert_eq!(out.engine, "ballista");
    assert_eq!(out.rows_json(), vec![vec![serde_json::json!(2000)]]);
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The min and max of a text column in each row group of the table's Parquet files.
fn row_group_ranges(table_dir: &Path, column: &str) -> Vec<(String, String)> {
    use deltalake::parquet::file::statistics::Statistics;
    column_chunks(table_dir, column)
        .iter()
        .map(|col| match col.statistics() {
            Some(Statistics::ByteArray(s)) => (
                String::from_utf8(s.min_opt().unwrap().data().to_vec()).unwrap(),
                String::from_utf8(s.max_opt().unwrap().data().to_vec()).unwrap(),
            ),
            other => panic!("statistics of {column}: {other:?}"),
        })
        .collect()
}

/// The metadata of `column` in every row group of the table's files, in file order.
fn column_chunks(table_dir: &Path, column: &str) -> Vec<deltalake::parquet::file::metadata::ColumnChunkMetaData> {
    use deltalake::parquet::file::reader::{FileReader, SerializedFileReader};
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(table_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    for f in files {
        let reader = SerializedFileReader::new(std::fs::File::open(&f).unwrap()).unwrap();
        for rg in reader.metadata().row_groups() {
            let col = rg
                .columns()
                .iter()
                .find(|c| c.column_path().string() == column)
                .unwrap();
            out.push(col.clone());
        }
    }
    out
}

/// A dataset clustered by a column is written in chunks sorted by it, so that most row groups
/// hold one value (and a filter on it skips the others); the rows are the same.
#[tokio::test]
async fn loads_are_clustered_by_the_catalogs_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = LakeOptions::local(dir.path().join("lake"));
    opts.row_group_rows = 1024;
    let l = Lake::open(&opts).unwrap();
    let kinds = ["tiep_nhan", "dang_xu_ly", "hoan_thanh", "tra_ket_qua"];
    let mut csv = String::from("event_id,event_type\n");
    for i in 0..20_000 {
        csv.push_str(&format!("{i},{}\n", kinds[i % 4]));
    }
    let p = write(dir.path(), "events.csv", csv.as_bytes());
    let dataset = |name: &str, cluster: bool| {
        let mut d = Dataset::new(
            name,
            "SNV",
            "steward",
            "Sự kiện hồ sơ",
            "hanh-chinh-cong",
            Frequency::Daily,
            vec![
                field("event_id", FieldType::Integer, Classification::Public, true),
                field("event_type", FieldType::Text, Classification::Public, true),
            ],
        );
        if cluster {
            d.cluster_by = vec!["event_type".into()];
        }
        d
    };
    let mut single = Vec::new();
    for (name, cluster) in [("su_kien_cum", true), ("su_kien", false)] {
        let d = dataset(name, cluster);
        let r = l
            .import(
                &d,
                Import::new(file(p.clone(), Format::Csv), Mode::Append, meta("load")),
            )
            .await
            .unwrap();
        assert_eq!(r.rows, 20_000);
        let counts = rows(
            &l,
            &format!("SELECT event_type, count(*), sum(event_id) FROM {name} GROUP BY event_type ORDER BY event_type"),
            vec![TableAccess::whole(&d)],
        )
        .await;
        assert_eq!(counts.len(), 4);
        for c in &counts {
            assert_eq!(c[1], serde_json::json!(5000), "{counts:?}");
        }
        let ranges = row_group_ranges(&dir.path().join("lake").join(name), "event_type");
        assert_eq!(ranges.len(), 20, "{ranges:?}");
        single.push(ranges.iter().filter(|(min, max)| min == max).count());
    }
    // Two whole sorted chunks of eight row groups: each of their row groups holds one event
    // type; unclustered, every row group holds all four.
    assert!(single[0] >= 16, "clustered: {single:?}");
    assert_eq!(single[1], 0, "unclustered: {single:?}");
    // The unclustered load's first batch (the whole file) decided the encodings: the event
    // type, four values, has a dictionary in every row group; the identifier, all distinct,
    // none. (The clustered load's first batch, one 1,024-row group, is too small to decide.)
    let table = dir.path().join("lake").join("su_kien");
    let with_dictionary = |column: &str| {
        column_chunks(&table, column)
            .iter()
            .map(|c| c.dictionary_page_offset().is_some())
            .collect::<Vec<_>>()
    };
    assert_eq!(with_dictionary("event_type"), vec![true; 20]);
    assert_eq!(with_dictionary("event_id"), vec![false; 20]);
}
