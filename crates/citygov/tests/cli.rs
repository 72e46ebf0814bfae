//! The command line as a user runs it.

use std::process::Command;

fn citygov() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_citygov"));
    c.env_remove("CITYGOV_LISTEN")
        .env_remove("CITYGOV_DATA_DIR")
        .env_remove("CITYGOV_DATABASE_URL");
    c
}

fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().expect("citygov runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn add_working_days_skips_tet_2026() {
    let (ok, out, err) = run(citygov().args([
        "calendar",
        "add-working-days",
        "--from",
        "2026-02-12T09:00",
        "--days",
        "5",
    ]));
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "2026-02-26T09:00:00");
}

#[test]
fn holidays_of_2026_come_from_the_official_schedule_with_reasons() {
    let (ok, out, _) = run(citygov().args(["calendar", "holidays", "--year", "2026"]));
    assert!(ok);
    assert!(out.contains("official schedule"));
    let days: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("2026-") && !l.contains("Làm bù"))
        .collect();
    assert_eq!(days.len(), 13, "{out}");
    assert!(out.contains("2026-02-16") && out.contains("2026-09-01") && out.contains("2026-01-10\tSat\tLàm bù"));
    // A year without an official schedule is computed from the statutory rules.
    let (ok, out, _) = run(citygov().args(["calendar", "holidays", "--year", "2031"]));
    assert!(ok);
    assert!(out.contains("statutory rules"));
    assert!(out.contains("2031-09-02"));
}

#[test]
fn an_overrides_file_replaces_the_shipped_schedule_and_bad_files_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("h.toml");
    std::fs::write(&good, "[years.2026]\ndays_off = [\"2026-02-13\"]\nworking_days = []\n").unwrap();
    let (ok, out, err) = run(citygov()
        .args([
            "calendar",
            "add-working-days",
            "--from",
            "2026-02-12T09:00",
            "--days",
            "1",
            "--overrides",
        ])
        .arg(&good));
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "2026-02-16T09:00:00", "only 13 Feb is off in this file");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[years.2026]\ndays_off = [\"2026-02-30\"]\n").unwrap();
    let (ok, _, err) = run(citygov()
        .args(["calendar", "holidays", "--year", "2026", "--overrides"])
        .arg(&bad));
    assert!(!ok);
    assert!(err.contains("2026-02-30"), "{err}");
}

#[test]
fn workflow_prints_the_table_and_graphs() {
    let (ok, out, _) = run(citygov().args(["workflow"]));
    assert!(ok);
    assert!(out.contains("| 1 Mới đăng ký | accept | 2 Được tiếp nhận |"));
    assert!(out.contains("stateDiagram-v2") && out.contains("digraph dossier"));
    assert!(
        out.contains("| refuse | `khong_thuoc_tham_quyen` |"),
        "the reason lists"
    );
}

#[test]
fn configuration_layers_defaults_file_environment_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("citygov.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9000\"\ndue_soon_working_hours = 4\nmax_upload_mb = 3\n",
    )
    .unwrap();
    let (ok, out, err) = run(citygov()
        .arg("--config")
        .arg(&file)
        .args(["config"])
        .env("CITYGOV_MAX_UPLOAD_MB", "7")
        .env("CITYGOV_UNTOUCHED_WORKING_DAYS", "3"));
    assert!(ok, "{err}");
    assert!(out.contains("untouched_working_days = 3"), "{out}");
    assert!(out.contains("listen = \"127.0.0.1:9000\""), "file over default: {out}");
    assert!(out.contains("due_soon_working_hours = 4"));
    assert!(out.contains("max_upload_mb = 7"), "environment over file: {out}");
    let (_, out, _) = run(citygov()
        .arg("--config")
        .arg(&file)
        .args(["config", "--listen", "0.0.0.0:8181"])
        .env("CITYGOV_LISTEN", "127.0.0.1:7000"));
    assert!(
        out.contains("listen = \"0.0.0.0:8181\""),
        "flag over environment: {out}"
    );
    std::fs::write(&file, "dossier_code_format = \"{agency}-{seq:4}\"\n").unwrap();
    let (ok, _, err) = run(citygov().arg("--config").arg(&file).args(["config"]));
    assert!(!ok);
    assert!(err.contains("yymmdd"), "{err}");
    std::fs::write(&file, "lissen = \"x\"\n").unwrap();
    let (ok, _, err) = run(citygov().arg("--config").arg(&file).args(["config"]));
    assert!(!ok && err.contains("lissen"), "unknown keys are refused: {err}");
}

#[test]
fn demo_builds_a_city_once_and_refuses_to_build_over_existing_dossiers() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(citygov()
        .args(["demo", "--dossiers", "300", "--data-dir"])
        .arg(dir.path()));
    assert!(ok, "{err}");
    assert!(err.contains("2228 procedures") && err.contains("300 dossiers"), "{err}");
    let (ok, _, err) = run(citygov()
        .args(["demo", "--dossiers", "300", "--data-dir"])
        .arg(dir.path()));
    assert!(!ok);
    assert!(err.contains("already holds 300 dossiers"), "{err}");
    // The catalog exports as JSON that imports again.
    let out = dir.path().join("catalog.json");
    let (ok, _, err) = run(citygov()
        .args(["catalog", "export", "--data-dir"])
        .arg(dir.path())
        .arg("--out")
        .arg(&out));
    assert!(ok, "{err}");
    let procs: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(procs.len(), 2228);
    let (ok, stdout, err) = run(citygov()
        .args(["catalog", "import", "--data-dir"])
        .arg(dir.path())
        .arg("--file")
        .arg(&out));
    assert!(ok, "{err}");
    assert!(stdout.contains("2228"));
    // A broken entry is refused with its position, and nothing is imported.
    let mut broken = procs.clone();
    broken[5]["time_limit"]["value"] = serde_json::json!(0);
    std::fs::write(&out, serde_json::to_string(&broken).unwrap()).unwrap();
    let (ok, _, err) = run(citygov()
        .args(["catalog", "import", "--data-dir"])
        .arg(dir.path())
        .arg("--file")
        .arg(&out));
    assert!(!ok);
    assert!(
        err.contains("procedures[5]") && err.contains("time_limit.value"),
        "{err}"
    );
}

/// An ended dossier of the demo catalog, last changed at `ended`, with one uploaded file.
async fn ended_dossier(
    store: &citygov_store::Store,
    files: &citygov_store::LocalFileStore,
    id: &str,
    code: &str,
    ended: chrono::NaiveDateTime,
    bytes: &[u8],
) -> citygov_domain::dossier::FileRef {
    use citygov_domain::codes::ApplicantType;
    use citygov_domain::dossier::{
        Applicant, Channel, Digitisation, Dossier, HistoryEntry, Routing, Status, SubmittedDocument,
    };
    let procedure = store.export_procedures().await.unwrap().remove(0);
    let unit = store.units().await.unwrap().remove(0);
    let file = store
        .save_file(files, "acc-x", "cccd.png", "image/png", bytes, ended)
        .await
        .unwrap();
    let filed_at = ended - chrono::Duration::days(10);
    let mut d = Dossier::submitted(
        id.into(),
        &procedure.code,
        &procedure.name,
        Routing::new(&unit, &unit),
        Channel::Online,
        Applicant {
            kind: ApplicantType::Citizen,
            full_name: "Phạm Thị Hoa".into(),
            id_number: "031190004321".into(),
            phone: Some("0912000111".into()),
            email: Some("hoa@example.vn".into()),
            address: Some("Số 5 Điện Biên Phủ".into()),
        },
        filed_at,
    );
    d.code = code.into();
    d.form_data = serde_json::json!({"ho_ten": "Phạm Thị Hoa"});
    d.documents = vec![SubmittedDocument {
        component_code: "TK".into(),
        file: Some(file.clone()),
        digitisation: Digitisation::Digitised,
        from_national_store: false,
    }];
    d.status = Status::Returned;
    d.finished_at = Some(ended);
    d.returned_at = Some(ended);
    d.updated_at = ended;
    let h = HistoryEntry {
        at: filed_at,
        action: "file".into(),
        event: "dossier.filed".into(),
        from_status: None,
        to_status: Status::Submitted,
        actor_id: None,
        actor_name: "Phạm Thị Hoa".into(),
        actor_title: "Công dân".into(),
        unit_code: None,
        content: "Nộp trực tuyến".into(),
        step_deadline: None,
    };
    store.load_dossiers(&[(d, vec![h])], &[], "test").await.unwrap();
    sqlx::query("UPDATE files SET dossier_id = $1 WHERE id = $2")
        .bind(id.to_string())
        .bind(file.id.clone())
        .execute(store.pool())
        .await
        .unwrap();
    file
}

fn stored(data: &std::path::Path, f: &citygov_domain::dossier::FileRef) -> std::path::PathBuf {
    data.join("files")
        .join("sha256")
        .join(&f.sha256[0..2])
        .join(&f.sha256[2..4])
        .join(&f.sha256)
}

#[tokio::test]
async fn the_retention_job_anonymises_old_dossiers_deletes_their_files_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    std::fs::write(data.join("none.toml"), "").unwrap();
    let (ok, _, err) = run(citygov().args(["demo", "--dossiers", "0", "--data-dir"]).arg(data));
    assert!(ok, "{err}");
    let open = || async move {
        citygov_store::Store::open(&citygov_store::StoreOptions::new(format!(
            "sqlite://{}",
            data.join("citygov.db").display()
        )))
        .await
        .unwrap()
    };
    let store = open().await;
    let files = citygov_store::LocalFileStore::new(data.join("files")).unwrap();
    let now = citygov_domain::now_local();
    let old = ended_dossier(
        &store,
        &files,
        "cu",
        "OLD-0001",
        now - chrono::Duration::days(6 * 366),
        b"anh cu",
    )
    .await;
    let recent = ended_dossier(
        &store,
        &files,
        "moi",
        "NEW-0001",
        now - chrono::Duration::days(365),
        b"anh moi",
    )
    .await;
    store.close().await;
    assert!(stored(data, &old).exists() && stored(data, &recent).exists());
    // The warehouse holds a copy of both (its personal columns sealed, shown masked).
    let lake = |args: &[&str]| {
        let (ok, out, err) = run(citygov()
            .arg("--config")
            .arg(data.join("none.toml"))
            .args(["lake", args[0], "--data-dir"])
            .arg(data)
            .args(&args[1..]));
        assert!(ok, "{args:?}: {err}");
        out
    };
    let copy = |code: &str| {
        let sql = format!("SELECT applicant_name, applicant_id_number FROM dossiers WHERE code = '{code}'");
        let out: serde_json::Value = serde_json::from_str(&lake(&["query", "--output", "json", &sql])).unwrap();
        out["rows"][0].clone()
    };
    lake(&["feed"]);
    assert_eq!(copy("OLD-0001")[0], "Phạm********");

    let retention = |dry: bool| {
        let mut c = citygov();
        c.arg("--config")
            .arg(data.join("none.toml"))
            .args(["privacy", "retention", "--data-dir"])
            .arg(data);
        if dry {
            c.arg("--dry-run");
        }
        run(&mut c)
    };
    // A dry run says what it would do and changes nothing.
    let (ok, out, err) = retention(true);
    assert!(ok, "{err}");
    assert!(
        out.contains("dry run") && out.contains("dossiers_anonymised: 1") && out.contains("OLD-0001"),
        "{out}"
    );
    assert!(!out.contains("NEW-0001"), "{out}");
    let store = open().await;
    assert_eq!(
        store.dossier("cu").await.unwrap().unwrap().applicant.full_name,
        "Phạm Thị Hoa"
    );
    assert!(store.audit_for("retention").await.unwrap().is_empty());
    store.close().await;
    assert!(stored(data, &old).exists());

    let (ok, out, err) = retention(false);
    assert!(ok, "{err}");
    assert!(
        out.contains("dossiers_anonymised: 1") && out.contains("dossier_files: 1") && out.contains("OLD-0001"),
        "{out}"
    );
    assert!(out.contains("stored_files_deleted: 1"), "{out}");
    let store = open().await;
    let d = store.dossier("cu").await.unwrap().unwrap();
    assert_eq!(d.applicant.full_name, citygov_domain::privacy::ANONYMISED_NAME);
    assert_eq!(d.applicant.id_number, "");
    assert_eq!(
        (
            d.applicant.phone.clone(),
            d.applicant.email.clone(),
            d.applicant.address.clone()
        ),
        (None, None, None)
    );
    assert_eq!(d.code, "OLD-0001");
    assert_eq!(d.status, citygov_domain::dossier::Status::Returned);
    assert!(store.file(&old.id).await.unwrap().is_none());
    assert!(
        !stored(data, &old).exists(),
        "the old dossier's file is deleted from storage"
    );
    let r = store.dossier("moi").await.unwrap().unwrap();
    assert_eq!(r.applicant.full_name, "Phạm Thị Hoa", "a recent dossier is untouched");
    assert!(store.file(&recent.id).await.unwrap().is_some());
    assert!(stored(data, &recent).exists());
    let audit = store.audit_for("retention").await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "privacy.retention");
    assert!(audit[0].detail.contains("OLD-0001"), "{}", audit[0].detail);
    // The anonymisation is in the dossier's history, where the warehouse's feed finds it.
    let h = store.history("cu").await.unwrap();
    assert_eq!(
        h.last().unwrap().entry.action,
        citygov_domain::privacy::ANONYMISE_ACTION
    );
    store.close().await;
    // The next feed anonymises the warehouse's copy; the recent dossier's stays.
    assert!(out.contains("lake_files_deleted: 0"), "{out}");
    lake(&["feed"]);
    assert_eq!(copy("OLD-0001"), serde_json::json!(["[đã ********", ""]));
    assert_eq!(copy("NEW-0001")[0], "Phạm********");

    // Again: nothing more to erase.
    let (ok, out, err) = retention(false);
    assert!(ok, "{err}");
    assert!(out.contains("dossiers_anonymised: 0"), "{out}");
}
