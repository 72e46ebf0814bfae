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
