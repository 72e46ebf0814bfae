//! Two `citygov serve` processes on one PostgreSQL database file dossiers concurrently:
//! every code is issued once, and the daily sequence has no gap.

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(url: &str, data: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_citygov"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            url,
            "--data-dir",
        ])
        .arg(data)
        .env("CITYGOV_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_up(http: &reqwest::Client, base: &str) {
    for _ in 0..300 {
        if http
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not start");
}

#[tokio::test]
async fn two_server_processes_on_one_postgresql_never_issue_a_code_twice() {
    let admin = std::env::var("CITYGOV_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let url = citygov_store::create_scratch_database(&admin, "citygov_test")
        .await
        .expect("PostgreSQL must be running");
    let dir = tempfile::tempdir().unwrap();
    let ok = Command::new(env!("CARGO_BIN_EXE_citygov"))
        .args(["demo", "--dossiers", "0", "--database-url", &url, "--data-dir"])
        .arg(dir.path())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let http = reqwest::Client::new();
    let (p1, p2) = (free_port(), free_port());
    let mut servers = [
        serve(&url, &dir.path().join("a"), p1),
        serve(&url, &dir.path().join("b"), p2),
    ];
    let bases = [
        format!("http://127.0.0.1:{p1}/api/v1"),
        format!("http://127.0.0.1:{p2}/api/v1"),
    ];
    for b in &bases {
        wait_up(&http, b).await;
    }
    let b0 = &bases[0];
    let r = http.post(format!("{b0}/auth/register")).json(&json!({"username": "hai.tien.trinh", "password": "mat-khau-123", "full_name": "Hoàng Văn Nam", "id_number": "031088004455"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let token = http
        .post(format!("{b0}/auth/login"))
        .json(&json!({"username": "hai.tien.trinh", "password": "mat-khau-123"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let list: Value = http
        .get(format!("{b0}/procedures?level=commune&online=full&limit=50"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut body = None;
    for item in list["items"].as_array().unwrap() {
        let p: Value = http
            .get(format!("{b0}/procedures/{}", item["code"].as_str().unwrap()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if !p["applicant_types"].as_array().unwrap().contains(&json!("citizen")) {
            continue;
        }
        let mut form = serde_json::Map::new();
        for (k, prop) in p["eform"]["properties"].as_object().unwrap() {
            form.insert(k.clone(), citygov_demo::sample_value(prop, 7));
        }
        let docs: Vec<Value> = p["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["required"] == true)
            .map(|c| json!({"component_code": c["code"], "digitisation": "reused_document", "reused_from": "x"}))
            .collect();
        body = Some(
            json!({"procedure_code": p["code"], "receiving_unit_code": "H31.01.01", "form_data": form, "documents": docs}),
        );
        break;
    }
    let body = body.expect("a commune procedure for citizens");
    let mut tasks = Vec::new();
    for i in 0..120 {
        let (http, base, token, body) = (http.clone(), bases[i % 2].clone(), token.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let r = http
                .post(format!("{base}/dossiers"))
                .bearer_auth(&token)
                .header("Idempotency-Key", format!("k-{i}"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status();
            let v: Value = r.json().await.unwrap();
            assert_eq!(status, 201, "{v}");
            v["code"].as_str().unwrap().to_string()
        }));
    }
    let mut seqs = Vec::new();
    for t in tasks {
        let code = t.await.unwrap();
        seqs.push(code.rsplit('-').next().unwrap().parse::<u32>().unwrap());
    }
    seqs.sort();
    assert_eq!(
        seqs,
        (1..=120).collect::<Vec<u32>>(),
        "unique and contiguous across both processes"
    );
    for s in servers.iter_mut() {
        s.kill().unwrap();
        s.wait().unwrap();
    }
    citygov_store::drop_scratch_database(&admin, &url).await.unwrap();
}
