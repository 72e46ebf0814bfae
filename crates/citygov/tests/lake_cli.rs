//! The warehouse from the command line: the platform's own data flows in (a full first copy,
//! then only what changed, exactly once), files load all or nothing, and queries mask
//! personal columns.

mod common;

use common::{KillOnDrop, citizen, citygov, commune_filing, free_port, run, serve, wait_up};
use serde_json::Value;
use std::path::Path;

fn query(data: &Path, sql: &str) -> Value {
    let (ok, out, err) = run(citygov(data)
        .args(["lake", "query", "--output", "json", "--data-dir"])
        .arg(data)
        .arg(sql));
    assert!(ok, "{sql}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn feed(data: &Path) -> String {
    let (ok, out, err) = run(citygov(data).args(["lake", "feed", "--data-dir"]).arg(data));
    assert!(ok, "{err}");
    out
}

#[tokio::test]
async fn dossiers_flow_into_the_warehouse_once_and_files_load_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    std::fs::write(data.join("none.toml"), "").unwrap();
    let (ok, _, err) = run(citygov(data)
        .args(["demo", "--dossiers", "120", "--data-dir"])
        .arg(data));
    assert!(ok, "{err}");

    // First run: every dossier, every event so far, the catalog.
    let out = feed(data);
    assert!(out.contains("dossiers / hồ sơ: 120,"), "{out}");
    let n = query(data, "SELECT COUNT(*) AS n FROM dossiers");
    assert_eq!(n["rows"][0][0], 120);
    let events = query(data, "SELECT COUNT(*) FROM dossier_events")["rows"][0][0]
        .as_i64()
        .unwrap();
    assert!(events >= 120, "{events}");
    assert_eq!(query(data, "SELECT COUNT(*) FROM procedures")["rows"][0][0], 2228);
    // Nothing new: nothing written, nothing repeated.
    assert!(feed(data).contains("events / sự kiện: 0, dossiers / hồ sơ: 0, procedures / thủ tục: 0"));

    // A new filing through the platform reaches the warehouse on the next run.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let server = KillOnDrop(serve(data, port, &[], &[("CITYGOV_LAKE_FEED_SECONDS", "0".into())]));
    let http = reqwest::Client::new();
    wait_up(&http, &base).await;
    let token = citizen(&http, &base, "congdan_lake", "Nguyễn Thị Lan", "001199000123", None).await;
    let units: Value = http
        .get(format!("{base}/units"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ward = units.as_array().unwrap().iter().find(|u| u["kind"] == "ward").unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let body = commune_filing(&http, &base, &ward).await;
    let r = http
        .post(format!("{base}/dossiers"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let code = r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_string();
    drop(server);
    let out = feed(data);
    assert!(out.contains("dossiers / hồ sơ: 1,"), "{out}");
    assert_eq!(query(data, "SELECT COUNT(*) FROM dossiers")["rows"][0][0], 121);
    // The catalog records the quality of the feed's new versions, as for any load.
    let (ok, list, err) = run(citygov(data).args(["lake", "datasets", "--data-dir"]).arg(data));
    assert!(ok, "{err}");
    let line = list
        .lines()
        .find(|l| l.starts_with("dossiers\t"))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(line.contains("\t121 rows\t"), "{line}");
    let after = query(data, "SELECT COUNT(*) FROM dossier_events")["rows"][0][0]
        .as_i64()
        .unwrap();
    assert!(after > events, "{after} events after {events}");
    let sql = format!("SELECT COUNT(*) FROM dossier_events WHERE dossier_code = '{code}'");
    assert_eq!(query(data, &sql)["rows"][0][0].as_i64().unwrap(), after - events);
    let sql = format!("SELECT status, applicant_id_number, applicant_name FROM dossiers WHERE code = '{code}'");
    let row = &query(data, &sql)["rows"][0];
    // The files hold the applicants' ID numbers and names sealed: DuckDB, reading them
    // without citygov, finds none in clear.
    let glob = data.join("lake").join("dossiers").join("*.parquet");
    let sql = format!(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE applicant_id_number LIKE 'enc1:%' AND applicant_name LIKE 'enc1:%') FROM read_parquet('{}')",
        glob.display()
    );
    let out = std::process::Command::new(std::env::var("CITYGOV_PYTHON").unwrap_or_else(|_| "python3".into()))
        .args([
            "-c",
            &format!("import duckdb; print(*duckdb.connect().execute({sql:?}).fetchone())"),
        ])
        .output()
        .expect("python3 with duckdb (pip install duckdb)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let counts: Vec<u64> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(counts[0] >= 121 && counts[0] == counts[1], "{counts:?}");
    // The operator's view opens and masks them.
    let id = row[1].as_str().unwrap();
    assert!(
        id.len() == 12 && id.ends_with("********") && !id.starts_with("****"),
        "{id}"
    );
    assert!(row[2].as_str().unwrap().contains("****"), "{row}");

    // A department's file: refused whole, then loaded.
    let def = data.join("ds.json");
    std::fs::write(
        &def,
        r#"{"name": "co_so_luu_tru", "owner_unit": "000.00.11.H31", "steward": "admin", "title_vi": "Cơ sở lưu trú du lịch",
            "theme": "du-lich", "frequency": "quarterly", "open_data": true, "licence": "CC-BY-4.0",
            "fields": [{"name": "ten", "type": "text", "classification": "public", "required": true},
                       {"name": "so_phong", "type": "integer", "classification": "public"}]}"#,
    )
    .unwrap();
    let (ok, out, err) = run(citygov(data)
        .args(["lake", "define", "--data-dir"])
        .arg(data)
        .arg("--file")
        .arg(&def));
    assert!(ok, "{err}");
    assert!(out.contains("created"));
    let csv = data.join("luu_tru.csv");
    std::fs::write(
        &csv,
        "ten,so_phong\nKhách sạn Biển Xanh,120\nNhà nghỉ Hoa Phượng,mười\n",
    )
    .unwrap();
    let (ok, _, err) = run(citygov(data)
        .args(["lake", "import", "--dataset", "co_so_luu_tru", "--data-dir"])
        .arg(data)
        .arg("--file")
        .arg(&csv));
    assert!(!ok);
    assert!(
        err.contains("dòng/row 3, cột/column so_phong, giá trị/value «mười»") && err.contains("1 problem"),
        "{err}"
    );
    std::fs::write(&csv, "ten,so_phong\nKhách sạn Biển Xanh,120\nNhà nghỉ Hoa Phượng,10\n").unwrap();
    let (ok, out, err) = run(citygov(data)
        .args([
            "lake",
            "import",
            "--dataset",
            "co_so_luu_tru",
            "--reason",
            "quý 4",
            "--data-dir",
        ])
        .arg(data)
        .arg("--file")
        .arg(&csv));
    assert!(ok, "{err}");
    assert!(out.contains("version 0 — 2 rows"), "{out}");
    assert_eq!(
        query(data, "SELECT SUM(so_phong) FROM co_so_luu_tru")["rows"][0][0],
        130
    );
    let (ok, out, _) = run(citygov(data)
        .args(["lake", "history", "--dataset", "co_so_luu_tru", "--data-dir"])
        .arg(data));
    assert!(ok && out.contains("quý 4"), "{out}");

    // The same queries on a Ballista cluster: a scheduler and an executor run as citygov
    // processes on loopback, and the query command sends its plans there.
    let sched_port = free_port();
    let _scheduler = KillOnDrop(
        citygov(data)
            .args([
                "lake",
                "scheduler",
                "--bind",
                &format!("127.0.0.1:{sched_port}"),
                "--data-dir",
            ])
            .arg(data)
            .spawn()
            .unwrap(),
    );
    wait_port(sched_port).await;
    let _executor = KillOnDrop(
        citygov(data)
            .args([
                "lake",
                "executor",
                "--scheduler",
                &format!("127.0.0.1:{sched_port}"),
                "--bind",
                &format!("127.0.0.1:{}", free_port()),
                "--control-port",
                &free_port().to_string(),
                "--vcores",
                "2",
                "--data-dir",
            ])
            .arg(data)
            .arg("--work-dir")
            .arg(data.join("ballista-work"))
            .spawn()
            .unwrap(),
    );
    let url = format!("df://127.0.0.1:{sched_port}");
    for sql in [
        "SELECT receiving_unit, COUNT(*) AS n FROM dossiers GROUP BY receiving_unit ORDER BY n DESC, receiving_unit",
        "SELECT d.procedure_code, p.name, COUNT(*) AS n FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code \
         JOIN procedures p ON p.code = d.procedure_code GROUP BY 1, 2 ORDER BY n DESC, 1 LIMIT 10",
        "SELECT code, applicant_id_number, applicant_name FROM dossiers ORDER BY code LIMIT 20",
        "SELECT SUM(so_phong) FROM co_so_luu_tru",
    ] {
        let here = query(data, sql);
        let (ok, out, err) = run(citygov(data)
            .env("CITYGOV_BALLISTA_URL", &url)
            .env("CITYGOV_LAKE_QUERY_TIMEOUT_SECONDS", "600")
            .args(["lake", "query", "--output", "json", "--data-dir"])
            .arg(data)
            .arg(sql));
        assert!(ok, "{sql} on the cluster: {err}");
        let there: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(here["engine"], "datafusion");
        assert_eq!(there["engine"], "ballista", "{sql}");
        assert_eq!(here["columns"], there["columns"], "{sql}");
        assert_eq!(here["rows"], there["rows"], "{sql}");
        assert!(here["row_count"].as_u64().unwrap() > 0, "{sql}");
    }
}

/// Wait until something listens on a loopback port (a process just started).
async fn wait_port(port: u16) {
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("nothing listens on {port}");
}
