//! The warehouse on a real S3-compatible server on loopback (moto's server, from PyPI), and
//! its tables read without citygov: by the Delta Lake reader for Python (`deltalake`, from
//! PyPI) and by DuckDB over the Parquet files the Delta log lists.

use citygov_domain::lake::{Classification, Dataset, Field, FieldType, Frequency};
use citygov_lake::{AsOf, CommitMeta, Format, Import, Lake, LakeOptions, Mode, Source, TableAccess};
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn permits() -> Dataset {
    let f = |name: &str, t: FieldType| Field::new(name, t, Classification::Public, true);
    let mut d = Dataset::new(
        "giay_phep_xay_dung",
        "SXD",
        "steward",
        "Giấy phép xây dựng",
        "xay-dung",
        Frequency::Daily,
        vec![
            f("so_giay_phep", FieldType::Text),
            f("ma_xa", FieldType::Text),
            f("dien_tich", FieldType::Number),
            f("ngay_cap", FieldType::Date),
        ],
    );
    d.title_en = "Building permits".into();
    d.key = vec!["so_giay_phep".into()];
    d.unit_column = Some("ma_xa".into());
    d
}

fn meta(reason: &str) -> CommitMeta {
    CommitMeta {
        user: "steward".into(),
        unit: "SXD".into(),
        reason: reason.into(),
        source: "test".into(),
    }
}

fn csv(dir: &Path, name: &str, text: &str) -> Source {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    Source::File {
        path,
        format: Format::Csv,
        encoding: None,
    }
}

const FIRST: &str = "so_giay_phep,ma_xa,dien_tich,ngay_cap\nGP-001,XA_1,120.5,2026-03-01\nGP-002,XA_2,80,02/03/2026\n";
const SECOND: &str = "so_giay_phep,ma_xa,dien_tich,ngay_cap\nGP-003,XA_1,300,2026-03-05\n";

/// A Python snippet; its standard output (trimmed).
fn python(code: &str, env: &[(&str, String)]) -> String {
    let out = Command::new(std::env::var("CITYGOV_PYTHON").unwrap_or_else(|_| "python3".into()))
        .arg("-c")
        .arg(code)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .expect("python3 (with `pip install deltalake duckdb moto[server]`)");
    assert!(
        out.status.success(),
        "python failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        code
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// An S3 server on a free loopback port, stopped when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_s3() -> S3Server {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(std::env::var("CITYGOV_PYTHON").unwrap_or_else(|_| "python3".into()))
        .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 -m moto.server (pip install 'moto[server]')");
    let endpoint = format!("http://127.0.0.1:{port}");
    let server = S3Server { child, endpoint };
    // Ready when it answers; the bucket is made with the AWS SDK for Python.
    let make_bucket = "import boto3, os, time\n\
        s3 = boto3.client('s3', endpoint_url=os.environ['EP'], aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1')\n\
        for i in range(300):\n\
        \x20   try:\n\
        \x20       s3.create_bucket(Bucket='citygov-lake'); break\n\
        \x20   except Exception as e:\n\
        \x20       last = e; time.sleep(0.1)\n\
        else:\n\
        \x20   raise last\n\
        print('ok')";
    assert_eq!(python(make_bucket, &[("EP", server.endpoint.clone())]), "ok");
    server
}

fn s3_options(endpoint: &str) -> HashMap<String, String> {
    [
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ALLOW_HTTP", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// What the Python Delta reader sees of a table: version, rows, and the last commit's
/// `citygov.reason`.
fn read_with_python_deltalake(uri: &str, storage: &HashMap<String, String>) -> (i64, i64, String) {
    let code = "import json, os\n\
        from deltalake import DeltaTable\n\
        opts = json.loads(os.environ['OPTS'])\n\
        t = DeltaTable(os.environ['URI'], storage_options=opts or None)\n\
        h = t.history(1)[0]\n\
        print(json.dumps([t.version(), t.to_pyarrow_table().num_rows, h.get('citygov.reason', '')]), flush=True)\n\
        # The reader's S3 threads abort the interpreter's normal exit; the answer is out.\n\
        os._exit(0)";
    let out = python(
        code,
        &[
            ("URI", uri.to_string()),
            ("OPTS", serde_json::to_string(storage).unwrap()),
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    (
        v[0].as_i64().unwrap(),
        v[1].as_i64().unwrap(),
        v[2].as_str().unwrap().to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_on_a_real_s3_server_with_versions_and_other_readers() {
    let server = start_s3();
    let dir = tempfile::tempdir().unwrap();
    let storage = s3_options(&server.endpoint);
    let mut opts = LakeOptions::local(dir.path().join("unused"));
    opts.location = "s3://citygov-lake/warehouse".into();
    opts.storage_options = storage.clone();
    let lake = Lake::open(&opts).unwrap();
    assert_eq!(
        lake.table_url("giay_phep_xay_dung").as_str(),
        "s3://citygov-lake/warehouse/giay_phep_xay_dung/"
    );
    let d = permits();

    let r = lake
        .import(
            &d,
            Import::new(csv(dir.path(), "a.csv", FIRST), Mode::Append, meta("first")),
        )
        .await
        .unwrap();
    assert_eq!((r.version, r.rows), (0, 2));
    let r = lake
        .import(
            &d,
            Import::new(csv(dir.path(), "b.csv", SECOND), Mode::Append, meta("second")),
        )
        .await
        .unwrap();
    assert_eq!((r.version, r.rows), (1, 1));
    let out = lake
        .query(
            "SELECT ma_xa, count(*), sum(dien_tich) FROM giay_phep_xay_dung GROUP BY ma_xa ORDER BY ma_xa",
            vec![TableAccess::whole(&d)],
        )
        .await
        .unwrap();
    assert_eq!(
        out.rows_json(),
        vec![
            vec![
                serde_json::json!("XA_1"),
                serde_json::json!(2),
                serde_json::json!(420.5)
            ],
            vec![serde_json::json!("XA_2"), serde_json::json!(1), serde_json::json!(80.0)],
        ]
    );
    // Time travel on S3.
    let mut old = TableAccess::whole(&d);
    old.as_of = Some(AsOf::Version(0));
    let out = lake
        .query("SELECT count(*) FROM giay_phep_xay_dung", vec![old])
        .await
        .unwrap();
    assert_eq!(out.rows_json()[0][0], serde_json::json!(2));
    // The same queries on a Ballista scheduler and executor (loopback) reading from S3.
    let mut dist_opts = opts.clone();
    dist_opts.ballista_url = Some(lake.start_local_cluster(2).await.unwrap());
    let dist = Lake::open(&dist_opts).unwrap();
    for (sql, as_of) in [
        (
            "SELECT ma_xa, count(*), sum(dien_tich) FROM giay_phep_xay_dung GROUP BY ma_xa ORDER BY ma_xa",
            None,
        ),
        ("SELECT count(*) FROM giay_phep_xay_dung", Some(AsOf::Version(0))),
    ] {
        let mut access = TableAccess::whole(&d);
        access.as_of = as_of;
        let here = lake.query(sql, vec![access.clone()]).await.unwrap();
        let there = dist.query(sql, vec![access]).await.unwrap();
        assert_eq!(there.engine, "ballista");
        assert_eq!(here.rows_json(), there.rows_json(), "{sql}");
    }
    let h = lake.history("giay_phep_xay_dung", 10).await.unwrap();
    assert_eq!(
        h.iter().map(|v| v.reason.as_str()).collect::<Vec<_>>(),
        vec!["second", "first"]
    );

    // A second process (a fresh handle) sees the same table, and an overwrite is a version.
    let lake2 = Lake::open(&opts).unwrap();
    assert_eq!(lake2.version("giay_phep_xay_dung").await.unwrap(), Some(1));
    let r = lake2
        .import(
            &d,
            Import::new(csv(dir.path(), "c.csv", SECOND), Mode::Overwrite, meta("replace")),
        )
        .await
        .unwrap();
    assert_eq!(r.version, 2);
    assert_eq!(lake.version("giay_phep_xay_dung").await.unwrap(), Some(2));

    // The Delta reader for Python reads the same table from the same server, without citygov.
    let (version, rows, reason) =
        read_with_python_deltalake("s3://citygov-lake/warehouse/giay_phep_xay_dung", &storage);
    assert_eq!((version, rows, reason.as_str()), (2, 1, "replace"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_tables_are_read_by_python_deltalake_and_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    let lake = Lake::open(&LakeOptions::local(dir.path().join("lake"))).unwrap();
    let d = permits();
    lake.import(
        &d,
        Import::new(csv(dir.path(), "a.csv", FIRST), Mode::Append, meta("first")),
    )
    .await
    .unwrap();
    lake.import(
        &d,
        Import::new(csv(dir.path(), "b.csv", SECOND), Mode::Append, meta("second")),
    )
    .await
    .unwrap();
    let table = dir.path().join("lake").join("giay_phep_xay_dung");
    let (version, rows, reason) = read_with_python_deltalake(table.to_str().unwrap(), &HashMap::new());
    assert_eq!((version, rows, reason.as_str()), (1, 3, "second"));
    // DuckDB over the files of the current version (as docs/lake.md shows), and the same
    // reader at version 0.
    let code = "import duckdb, os\n\
        from deltalake import DeltaTable\n\
        t = DeltaTable(os.environ['URI'])\n\
        files = t.file_uris()\n\
        total = duckdb.sql(f\"SELECT round(sum(dien_tich), 1) FROM read_parquet({files!r})\").fetchall()[0][0]\n\
        print(total, DeltaTable(os.environ['URI'], version=0).to_pyarrow_table().num_rows, flush=True)\n\
        os._exit(0)";
    let out = python(code, &[("URI", table.to_str().unwrap().to_string())]);
    assert_eq!(out, "500.5 2");
}
