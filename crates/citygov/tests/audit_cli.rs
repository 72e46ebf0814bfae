//! The tamper-evident audit trail from the command line: verification names the entry changed
//! directly in the SQLite file, exports verify on their own, keys rotate without losing trust
//! in what the old key signed, and `citygov serve` signs checkpoints while it runs and when it
//! stops.

mod common;

use common::{KillOnDrop, citizen, citygov, free_port, run, serve, wait_up};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn audit(data: &Path, args: &[&str]) -> (bool, String, String) {
    run(citygov(data).arg("audit").args(args).arg("--data-dir").arg(data))
}

/// `citygov audit verify --json`: the report.
fn report(data: &Path) -> (bool, Value) {
    let (ok, out, err) = audit(data, &["verify", "--json"]);
    (
        ok,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}")),
    )
}

async fn open(data: &Path) -> citygov_store::Store {
    citygov_store::Store::open(&citygov_store::StoreOptions::new(format!(
        "sqlite://{}",
        data.join("citygov.db").display()
    )))
    .await
    .unwrap()
}

fn public_key(data: &Path) -> String {
    let (ok, out, err) = audit(data, &["key"]);
    assert!(ok, "{err}");
    out.lines()
        .find_map(|l| l.strip_prefix("Khóa công khai / public key: "))
        .unwrap_or_else(|| panic!("{out}"))
        .trim()
        .to_string()
}

#[tokio::test]
async fn verify_names_the_entry_changed_directly_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    std::fs::write(data.join("none.toml"), "").unwrap();
    let (ok, _, err) = run(citygov(data).args(["demo", "--dossiers", "40", "--data-dir"]).arg(data));
    assert!(ok, "{err}");

    // A mistyped data folder is not an empty, valid trail.
    let (ok, _, err) = run(citygov(data)
        .args(["audit", "verify", "--data-dir"])
        .arg(data.join("khong-co")));
    assert!(!ok && err.contains("there is no database"), "{err}");
    assert!(!data.join("khong-co").exists());

    // A fresh trail verifies; nothing signed it yet.
    let (ok, out, err) = audit(data, &["verify"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("HỢP LỆ") && out.contains("VALID"), "{out}");
    assert!(out.contains("chưa được điểm kiểm tra nào ký"), "{out}");

    // The first checkpoint makes the key, readable by its owner only.
    let (ok, out, err) = audit(data, &["checkpoint"]);
    assert!(ok, "{err}");
    assert!(out.contains("signed checkpoint #1"), "{out}");
    assert!(err.contains("created a new signing key"), "{err}");
    let key_file = data.join("keys/audit-signing.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
    let old_key = public_key(data);
    assert_eq!(old_key.len(), 64);
    let (ok, r) = report(data);
    assert!(
        ok && r["uncovered_entries"] == 0 && r["checkpoints_verified"] == 1,
        "{r}"
    );
    let last: i64 = r["last_seq"].as_i64().unwrap();
    assert!(last > 40, "accounts, catalog and dossiers are audited: {r}");

    // An export verifies without the database, with the published key.
    let export = data.join("export.json");
    let (ok, out, err) = audit(
        data,
        &["export", "--from", "5", "--to", "30", "--out", export.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert!(out.contains("exported entries seq 5–30"), "{out}");
    let file = |args: &[&str]| {
        run(citygov(data)
            .args(["audit", "verify", "--file"])
            .arg(&export)
            .args(args))
    };
    let (ok, out, _) = file(&["--key", &old_key]);
    assert!(ok && out.contains("HỢP LỆ"), "{out}");
    let (ok, out, _) = file(&[]);
    assert!(
        ok && out.contains("Cảnh báo / warning"),
        "keys from the file are flagged: {out}"
    );
    let stranger = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let (ok, out, err) = file(&["--key", stranger]);
    assert!(!ok, "a key that never signed: {out}");
    assert!(out.contains("khóa không tin cậy / untrusted key"), "{out}");
    assert!(err.contains("not valid"), "{err}");
    let (ok, _, err) = file(&["--key", "abc"]);
    assert!(!ok && err.contains("64 hex digits"), "{err}");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    doc["entries"][4]["entity_id"] = "khac".into();
    let tampered = data.join("tampered.json");
    std::fs::write(&tampered, doc.to_string()).unwrap();
    let (ok, out, _) = run(citygov(data)
        .args(["audit", "verify", "--file"])
        .arg(&tampered)
        .args(["--key", &old_key]));
    assert!(!ok, "{out}");
    assert!(out.contains("số / seq 9"), "the fifth entry of 5–30: {out}");

    // Rotation: a new key signs from now on, and what the old one signed stays trusted.
    let (ok, out, err) = audit(data, &["key", "--rotate"]);
    assert!(ok, "{err}");
    assert!(out.contains(&old_key) && out.contains("still trusted"), "{out}");
    let new_key = public_key(data);
    assert_ne!(new_key, old_key);
    let (ok, _, err) = audit(data, &["checkpoint"]);
    assert!(ok, "{err}");
    let (ok, r) = report(data);
    assert!(ok && r["checkpoints_verified"] == 2, "{r}");
    let (ok, out, _) = audit(data, &["verify", "--key", &new_key]);
    assert!(!ok && out.contains("untrusted key"), "only the new key given: {out}");

    // Someone with access to the file changes an entry's detail.
    let store = open(data).await;
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(store.pool())
        .await
        .unwrap();
    let (id, detail): (i64, String) = sqlx::query_as("SELECT id, detail FROM audit_log WHERE seq = 17")
        .fetch_one(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET detail = '{\"username\":\"ke-gian\"}' WHERE seq = 17")
        .execute(store.pool())
        .await
        .unwrap();
    let (ok, out, err) = audit(data, &["verify"]);
    assert!(!ok, "{out}");
    assert!(out.contains("KHÔNG HỢP LỆ") && out.contains("NOT VALID"), "{out}");
    assert!(
        out.contains(&format!(
            "Vấn đề đầu tiên / first problem: bị sửa / altered — số / seq 17, id {id}"
        )),
        "{out}"
    );
    assert!(out.contains("Mục số 17") && out.contains("Entry seq 17"), "{out}");
    let vi = out.find("Mục số 17").unwrap();
    let en = out.find("Entry seq 17").unwrap();
    assert!(vi < en, "Vietnamese first: {out}");
    assert!(err.contains("not valid"), "{err}");
    let (ok, r) = report(data);
    assert!(!ok);
    assert_eq!(r["findings"][0]["kind"], "entry_altered", "{r}");
    assert_eq!(r["findings"][0]["seq"], 17);
    assert_eq!(r["findings"][0]["id"], id);

    // Put back, then delete another one.
    sqlx::query("UPDATE audit_log SET detail = $1 WHERE seq = 17")
        .bind(detail)
        .execute(store.pool())
        .await
        .unwrap();
    let (ok, out, _) = audit(data, &["verify"]);
    assert!(ok, "{out}");
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 23")
        .execute(store.pool())
        .await
        .unwrap();
    let (ok, out, _) = audit(data, &["verify"]);
    assert!(!ok, "{out}");
    assert!(out.contains("bị xóa / removed — số / seq 23"), "{out}");
    store.close().await;
}

#[tokio::test]
async fn serve_signs_checkpoints_while_it_runs_and_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    std::fs::write(data.join("none.toml"), "").unwrap();
    let (ok, _, err) = run(citygov(data).args(["demo", "--dossiers", "0", "--data-dir"]).arg(data));
    assert!(ok, "{err}");
    let http = reqwest::Client::new();

    // Every second while it runs.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let server = KillOnDrop(serve(
        data,
        port,
        &[],
        &[
            ("CITYGOV_AUDIT_CHECKPOINT_SECONDS", "1".into()),
            ("CITYGOV_LAKE_FEED_SECONDS", "0".into()),
        ],
    ));
    wait_up(&http, &base).await;
    citizen(&http, &base, "congdan_audit1", "Lê Văn Cường", "001199000777", None).await;
    let mut covered = false;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, r) = report(data);
        if r["ok"] == true && r["uncovered_entries"] == 0 && r["checkpoints"].as_i64().unwrap() > 0 {
            covered = true;
            break;
        }
    }
    assert!(covered, "a checkpoint covers the new entries within seconds");
    drop(server);

    // Once more when it stops (SIGTERM), with the key given by the configuration.
    let seed = "11".repeat(32);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let mut server = serve(
        data,
        port,
        &[],
        &[
            ("CITYGOV_AUDIT_CHECKPOINT_SECONDS", "3600".into()),
            ("CITYGOV_LAKE_FEED_SECONDS", "0".into()),
            ("CITYGOV_AUDIT_SIGNING_KEY", seed.clone()),
        ],
    );
    wait_up(&http, &base).await;
    citizen(&http, &base, "congdan_audit2", "Phạm Thị Dung", "001199000778", None).await;
    let (_, r) = report(data);
    assert!(r["uncovered_entries"].as_i64().unwrap() > 0, "{r}");
    let term = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = server.wait().unwrap();
    assert!(status.success(), "{status:?}");
    // The configured key is trusted where it is configured.
    let (ok, out, _) = run(citygov(data)
        .args(["audit", "verify", "--json", "--data-dir"])
        .arg(data)
        .env("CITYGOV_AUDIT_SIGNING_KEY", &seed));
    let r: Value = serde_json::from_str(&out).unwrap();
    assert!(ok && r["uncovered_entries"] == 0, "signed at shutdown: {r}");
    // Without it, that checkpoint is reported as signed by an untrusted key.
    let (ok, r) = report(data);
    assert!(!ok);
    assert_eq!(r["findings"][0]["kind"], "checkpoint_untrusted_key", "{r}");
}
