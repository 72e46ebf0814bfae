//! Helpers for tests that run the `citygov` binary as a user would: build a demo catalog,
//! start servers on free ports, register a citizen, and make a valid filing.
#![allow(dead_code)] // each test binary uses a different part

pub mod browser;

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The `citygov` binary with a configuration file in `data` (`none.toml`, which may be empty)
/// and none of the environment's own settings, logging errors only.
pub fn citygov(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_citygov"));
    c.env_remove("CITYGOV_LISTEN")
        .env_remove("CITYGOV_DATA_DIR")
        .env_remove("CITYGOV_DATABASE_URL")
        .env_remove("CITYGOV_AUDIT_SIGNING_KEY")
        .env_remove("CITYGOV_AUDIT_TRUSTED_KEYS")
        .env("CITYGOV_LOG", "error");
    c.arg("--config").arg(data.join("none.toml"));
    c
}

/// Run a command to its end: success, standard output, standard error.
pub fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().expect("citygov runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `citygov demo --dossiers 0` with extra arguments (units, catalog and accounts only).
pub fn demo_catalog(data: &Path, extra: &[&str]) {
    let ok = Command::new(env!("CARGO_BIN_EXE_citygov"))
        .args(["demo", "--dossiers", "0", "--data-dir"])
        .arg(data)
        .args(extra)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
}

/// `citygov serve` on a port, with extra arguments and environment.
pub fn serve(data: &Path, port: u16, extra: &[&str], env: &[(&str, String)]) -> Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_citygov"));
    c.args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data)
        .args(extra)
        .env("CITYGOV_LOG", "error");
    for (k, v) in env {
        c.env(k, v);
    }
    c.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
}

/// A child process that is killed when dropped, also when a test fails half-way.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn wait_up(http: &reqwest::Client, base: &str) {
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

/// Register a citizen and log in: the bearer token.
pub async fn citizen(
    http: &reqwest::Client,
    base: &str,
    username: &str,
    full_name: &str,
    id_number: &str,
    email: Option<&str>,
) -> String {
    let r = http
        .post(format!("{base}/auth/register"))
        .json(&json!({"username": username, "password": "mat-khau-123", "full_name": full_name, "id_number": id_number, "email": email}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    login_token(http, base, username, "mat-khau-123").await
}

/// The authenticator of each official of each server (`base|username`): its secret and
/// the time step of its last code.
static AUTHENTICATORS: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, (String, i64)>>> =
    std::sync::LazyLock::new(Default::default);

fn authenticator_key(base: &str, username: &str) -> String {
    format!("{}|{username}", base.trim_end_matches("/api/v1"))
}

/// Keep the secret an official enrolled on the server at `base` (with or without `/api/v1`).
pub fn remember_authenticator(base: &str, username: &str, secret: &str) {
    let secret: String = secret.chars().filter(|c| !c.is_whitespace()).collect();
    AUTHENTICATORS
        .lock()
        .unwrap()
        .insert(authenticator_key(base, username), (secret, i64::MIN));
}

/// A code of the official's authenticator not used before: of the current time step, or of
/// the next one when the current one is spent, so that it stays within the server's tolerance
/// of one step however long the request takes to arrive within the next 30 seconds; when
/// both are spent, waits for the next step (a code is accepted once: RFC 6238 §5.2).
pub async fn next_code(base: &str, username: &str) -> String {
    use citygov_store::second_factor::{step_of, totp_code_at_step};
    loop {
        let now_step = step_of(citygov_domain::now_local());
        {
            let mut auths = AUTHENTICATORS.lock().unwrap();
            let (secret, last) = auths
                .get_mut(&authenticator_key(base, username))
                .expect("an enrolled authenticator");
            let step = (*last + 1).max(now_step);
            if step <= now_step + 1 {
                *last = step;
                return totp_code_at_step(secret, step).unwrap();
            }
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}

/// Log in over the API: the bearer token. Officials answer the second factor (enrolling an
/// authenticator at their first login).
pub async fn login_token(http: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let login: Value = http
        .post(format!("{base}/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    if let Some(token) = login["token"].as_str() {
        return token.to_string();
    }
    let sf = &login["second_factor"];
    let challenge = sf["challenge"]
        .as_str()
        .unwrap_or_else(|| panic!("login of {username}: {login}"));
    if let Some(secret) = sf["enrollment"]["secret"].as_str() {
        remember_authenticator(base, username, secret);
    }
    let code = next_code(base, username).await;
    let done: Value = http
        .post(format!("{base}/auth/second-factor"))
        .json(&json!({"challenge": challenge, "code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    done["token"]
        .as_str()
        .unwrap_or_else(|| panic!("second factor of {username}: {done}"))
        .to_string()
}

/// A valid filing of a fully-online commune procedure open to citizens, at `unit`.
pub async fn commune_filing(http: &reqwest::Client, base: &str, unit: &str) -> Value {
    let list: Value = http
        .get(format!("{base}/procedures?level=commune&online=full&limit=50"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for item in list["items"].as_array().unwrap() {
        let p: Value = http
            .get(format!("{base}/procedures/{}", item["code"].as_str().unwrap()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if !p["applicant_types"].as_array().unwrap().contains(&json!("citizen")) {
            continue;
        }
        let docs: Vec<Value> = p["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["required"] == true)
            .map(|c| json!({"component_code": c["code"], "digitisation": "reused_document", "reused_from": "x"}))
            .collect();
        return json!({"procedure_code": p["code"], "receiving_unit_code": unit, "form_data": citygov_demo::sample_form(&p["eform"], 7), "documents": docs});
    }
    panic!("no fully-online commune procedure for citizens");
}
