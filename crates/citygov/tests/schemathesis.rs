//! Schema-driven testing of the API: Schemathesis (from PyPI, installed by `.ci/run`) reads
//! the committed `openapi.json`, generates requests for every operation (valid and invalid
//! ones) and fails on any answer of 500 or more. Bounded: a fixed seed, a few examples per
//! operation and a time budget. Routes that end the caller's session are left out so that
//! the rest runs signed in.

mod common;

use common::{KillOnDrop, demo_catalog, free_port, serve, wait_up};
use std::process::Command;

#[tokio::test]
async fn generated_requests_from_the_openapi_document_never_get_a_server_error() {
    let python = std::env::var("CITYGOV_PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = Command::new(&python)
        .args(["-c", "import schemathesis; print(schemathesis.__version__)"])
        .output()
        .expect("python3 runs");
    assert!(
        probe.status.success(),
        "schemathesis is not installed for {python}: run .ci/run, or `python3 -m pip install schemathesis==4.32.5`"
    );
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("none.toml"), "").unwrap();
    demo_catalog(data.path(), &[]);
    let port = free_port();
    let _server = KillOnDrop(serve(data.path(), port, &[], &[]));
    let http = reqwest::Client::new();
    let origin = format!("http://127.0.0.1:{port}");
    let api = format!("{origin}/api/v1");
    wait_up(&http, &api).await;
    let token = common::citizen(&http, &api, "kiem.thu", "Nguyễn Văn Kiểm", "031090004321", None).await;
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .args(["-m", "schemathesis.cli", "run"])
            .arg(&schema)
            .args(["--url", &origin])
            .args(["--checks", "not_a_server_error"])
            .args(["--exclude-path-regex", "logout"])
            .args(["--max-examples", "8", "--seed", "2026", "--workers", "1"])
            .args(["--max-time", "300", "--request-timeout", "30"])
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--generation-database", "none"])
            .args(["--no-color"])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .env("SCHEMATHESIS_HOOKS", "")
            .current_dir(data.path())
            .output()
            .expect("schemathesis runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "schemathesis found server errors:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("passed") || stdout.contains("Passed"), "{stdout}");
}
