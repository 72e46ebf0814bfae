//! Encryption at rest of personal data as an operator sees it: the key file made on first
//! use, nothing personal in clear in the database, and `citygov keys rotate --master`.

use citygov_store::sealing::KeySource;
use citygov_store::{Store, StoreOptions};
use std::path::Path;
use std::process::Command;

fn citygov() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_citygov"));
    c.env_remove("CITYGOV_LISTEN")
        .env_remove("CITYGOV_DATA_DIR")
        .env_remove("CITYGOV_DATABASE_URL")
        .env_remove("CITYGOV_PERSONAL_DATA_KEYS")
        .env_remove("CITYGOV_PERSONAL_DATA_KEY_FILE");
    c
}

fn run(args: &[&str], data: &Path) -> (bool, String, String) {
    let out = citygov()
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("citygov runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn key_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

async fn store(data: &Path, keys: KeySource) -> Store {
    let mut o = StoreOptions::new(format!("sqlite://{}", data.join("citygov.db").display()));
    o.keys = keys;
    Store::open(&o).await.unwrap()
}

#[tokio::test]
async fn the_demo_city_keeps_personal_data_sealed_and_master_keys_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let (ok, _, err) = run(&["demo", "--dossiers", "200"], data);
    assert!(ok, "{err}");

    // The key file was made on first use, for its owner only.
    let file = data.join("keys").join("personal-data.keys");
    let first = key_lines(&file);
    assert_eq!(first.len(), 1, "{first:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Without the keys, the database shows no identity number, phone or e-mail.
    let bare = store(data, KeySource::None).await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT applicant_id_number FROM dossiers")
        .fetch_all(bare.pool())
        .await
        .unwrap();
    assert_eq!(ids.len(), 200);
    assert!(ids.iter().all(|v| v.starts_with("enc1:")), "{:?}", &ids[..3]);
    let phones: Vec<Option<String>> = sqlx::query_scalar("SELECT phone FROM accounts")
        .fetch_all(bare.pool())
        .await
        .unwrap();
    assert!(phones.iter().flatten().all(|p| p.is_empty() || p.starts_with("enc1:")));
    let code: String = sqlx::query_scalar("SELECT code FROM dossiers ORDER BY code LIMIT 1")
        .fetch_one(bare.pool())
        .await
        .unwrap();
    bare.close().await;

    // A new master key replaces the old one; the data is read with the new one alone.
    let (ok, out, err) = run(&["keys", "rotate", "--master"], data);
    assert!(ok, "{out}{err}");
    assert!(out.contains("new master key") && out.contains("new data key"), "{out}");
    let second = key_lines(&file);
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(first, second);
    let (ok, out, err) = run(&["keys", "status", "--json"], data);
    assert!(ok, "{err}");
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    let master = second[0].split_whitespace().next().unwrap();
    assert_eq!(status["enabled"], true);
    assert_eq!(status["active_master_key"], master);
    assert_eq!(status["active_data_key"], "s2", "{status}");
    assert!(
        status["data_keys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["master_key_id"] == master),
        "{status}"
    );
    assert_eq!(status["pending"]["dossiers"], 0, "{status}");
    let keyed = store(data, KeySource::File(file.clone())).await;
    let d = keyed.dossier_by_code(&code).await.unwrap().unwrap();
    assert!(
        d.applicant.id_number.len() >= 9 && !d.applicant.id_number.starts_with("enc1:"),
        "{}",
        d.applicant.id_number
    );
    assert_eq!(
        keyed
            .dossier_ids_by_id_number(&d.applicant.id_number)
            .await
            .unwrap()
            .first(),
        Some(&d.id)
    );
    keyed.close().await;

    // A damaged key file is refused with the file named, and nothing runs.
    std::fs::write(&file, "m1 not-base64\n").unwrap();
    let (ok, _, err) = run(&["keys", "status"], data);
    assert!(!ok);
    assert!(
        err.contains("personal-data.keys") && err.contains("not base64"),
        "{err}"
    );
}
