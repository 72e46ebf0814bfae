//! Two `citygov serve` processes on one PostgreSQL database file dossiers concurrently:
//! every code is issued once, and the daily sequence has no gap.

mod common;

use common::{citizen, commune_filing, demo_catalog, free_port, serve, wait_up};
use serde_json::Value;

#[tokio::test]
async fn two_server_processes_on_one_postgresql_never_issue_a_code_twice() {
    let admin = std::env::var("CITYGOV_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let url = citygov_store::create_scratch_database(&admin, "citygov_test")
        .await
        .expect("PostgreSQL must be running");
    let dir = tempfile::tempdir().unwrap();
    demo_catalog(dir.path(), &["--database-url", &url]);
    let http = reqwest::Client::new();
    let (p1, p2) = (free_port(), free_port());
    let db = ["--database-url", url.as_str()];
    // Replicas share the master keys of the personal-data encryption (here the key file the
    // demo made); each keeps its own data folder.
    let keys = [(
        "CITYGOV_PERSONAL_DATA_KEY_FILE",
        dir.path().join("keys").join("personal-data.keys").display().to_string(),
    )];
    let mut servers = [
        serve(&dir.path().join("a"), p1, &db, &keys),
        serve(&dir.path().join("b"), p2, &db, &keys),
    ];
    let bases = [
        format!("http://127.0.0.1:{p1}/api/v1"),
        format!("http://127.0.0.1:{p2}/api/v1"),
    ];
    for b in &bases {
        wait_up(&http, b).await;
    }
    let b0 = &bases[0];
    let token = citizen(&http, b0, "hai.tien.trinh", "Hoàng Văn Nam", "031088004455", None).await;
    let body = commune_filing(&http, b0, "H31.01.01").await;
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
