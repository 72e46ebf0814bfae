//! Kill the server with SIGKILL in the middle of a load, restart it: no acknowledged dossier
//! or event is lost and no code is issued twice.

mod common;

use common::{citizen, commune_filing, demo_catalog, free_port, serve, wait_up};
use serde_json::Value;
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test]
async fn a_killed_server_loses_no_acknowledged_dossier_and_repeats_no_code() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    demo_catalog(&data, &[]);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::new();
    let mut server = serve(&data, port, &[], &[]);
    wait_up(&http, &base).await;

    let token = citizen(&http, &base, "crash.test", "Vũ Thị Lan", "031199001122", None).await;
    let body = commune_filing(&http, &base, "H31.01.01").await;

    // Eight clients file until the server dies under them.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut clients = Vec::new();
    for _ in 0..8 {
        let (http, base, token, body, acked) = (http.clone(), base.clone(), token.clone(), body.clone(), acked.clone());
        clients.push(tokio::spawn(async move {
            loop {
                let r = http
                    .post(format!("{base}/dossiers"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 201 => {
                        let v: Value = match r.json().await {
                            Ok(v) => v,
                            Err(_) => return,
                        };
                        acked.lock().unwrap().push(v["code"].as_str().unwrap().to_string());
                    }
                    Ok(r) => panic!("unexpected status {}", r.status()),
                    Err(_) => return, // the server is gone
                }
            }
        }));
    }
    while acked.lock().unwrap().len() < 150 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    for c in clients {
        c.await.unwrap();
    }
    let before: Vec<String> = acked.lock().unwrap().clone();
    assert!(before.len() >= 150);

    // Restart: every acknowledged dossier is there with its history, audit and outbox event.
    let mut server = serve(&data, port, &[], &[]);
    wait_up(&http, &base).await;
    for c in &before {
        let r = http
            .get(format!("{base}/dossiers/{c}/history"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "lost {c}");
        assert_eq!(r.json::<Value>().await.unwrap().as_array().unwrap().len(), 1);
    }
    let mine: Value = http
        .get(format!("{base}/dossiers?limit=500"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let total = mine["total"].as_i64().unwrap() as usize;
    assert!(total >= before.len());
    let stored: Vec<String> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect();
    // New filings after the restart never reuse a code.
    let mut after = Vec::new();
    for _ in 0..20 {
        let r = http
            .post(format!("{base}/dossiers"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        after.push(r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_string());
    }
    let mut all: HashSet<String> = stored.iter().cloned().collect();
    for c in &after {
        assert!(all.insert(c.clone()), "code {c} issued twice");
    }
    server.kill().unwrap();
    server.wait().unwrap();
    // Every dossier has exactly one audit record and one outbox event of its filing.
    let store = citygov_store::Store::open(&citygov_store::StoreOptions::new(format!(
        "sqlite://{}",
        data.join("citygov.db").display()
    )))
    .await
    .unwrap();
    let n = store.count("dossiers").await.unwrap();
    assert_eq!(n as usize, total + after.len());
    let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE topic = 'dossier.filed'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(outbox, n);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT entity_id) FROM audit_log WHERE action = 'dossier.filed'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(audited, n);
}
