//! Notification e-mails through a real SMTP server on loopback (aiosmtpd from PyPI, which
//! `.ci/run` installs): a status change reaches the applicant's mailbox, and an e-mail whose
//! server was down is sent once the server is back, because it waits in the outbox.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn smtp_sink(port: u16, maildir: &Path) -> Child {
    Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            "-l",
            &format!("127.0.0.1:{port}"),
        ])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 with aiosmtpd (pip install aiosmtpd)")
}

fn mails(maildir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        if let Ok(entries) = std::fs::read_dir(maildir.join(sub)) {
            for e in entries.flatten() {
                out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    out
}

async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..300 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn status_changes_are_mailed_to_the_applicant_and_wait_while_smtp_is_down() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let maildir = dir.path().join("mail");
    let ok = Command::new(env!("CARGO_BIN_EXE_citygov"))
        .args(["demo", "--dossiers", "0", "--data-dir"])
        .arg(&data)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let (smtp_port, http_port) = (free_port(), free_port());
    // The server starts while the SMTP relay is down.
    let mut server = Command::new(env!("CARGO_BIN_EXE_citygov"))
        .args(["serve", "--listen", &format!("127.0.0.1:{http_port}"), "--data-dir"])
        .arg(&data)
        .env("CITYGOV_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("CITYGOV_MAIL_FROM", "Cổng dịch vụ công <no-reply@example.vn>")
        .env("CITYGOV_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{http_port}/api/v1");
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if http.get(format!("{base}/health")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let r = http
        .post(format!("{base}/auth/register"))
        .json(&json!({"username": "thu.email", "password": "mat-khau-123", "full_name": "Đinh Thị Thu", "id_number": "031190007788", "email": "thu@example.vn"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = http
        .post(format!("{base}/auth/login"))
        .json(&json!({"username": "thu.email", "password": "mat-khau-123"}))
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
        .get(format!("{base}/procedures?level=commune&online=full&limit=50"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut filed = None;
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
        let form = citygov_demo::sample_form(&p["eform"], 3);
        let docs: Vec<Value> = p["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["required"] == true)
            .map(|c| json!({"component_code": c["code"], "digitisation": "reused_document", "reused_from": "x"}))
            .collect();
        let r = http.post(format!("{base}/dossiers")).bearer_auth(&token).json(&json!({"procedure_code": p["code"], "receiving_unit_code": "H31.01.01", "form_data": form, "documents": docs})).send().await.unwrap();
        assert_eq!(r.status(), 201);
        filed = Some(r.json::<Value>().await.unwrap());
        break;
    }
    let code = filed.expect("a commune procedure for citizens")["code"]
        .as_str()
        .unwrap()
        .to_string();
    // The notification is in the portal at once, its e-mail not sent yet.
    let inbox = || {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        async move {
            http.get(format!("{base}/notifications"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let mut notes = Value::Null;
    for _ in 0..300 {
        notes = inbox().await;
        if notes
            .as_array()
            .is_some_and(|a| !a.is_empty() && a[0]["email_status"] == "failed")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(notes[0]["event"], "dossier.filed");
    assert_eq!(notes[0]["email_status"], "failed", "the relay is down: {notes}");
    // The relay comes up: the waiting e-mail goes out.
    let mut sink = smtp_sink(smtp_port, &maildir);
    eventually("the filing e-mail", || {
        mails(&maildir).iter().any(|m| m.contains(&code))
    })
    .await;
    let mail = mails(&maildir).into_iter().find(|m| m.contains(&code)).unwrap();
    assert!(mail.contains("thu@example.vn"));
    assert!(mail.contains("no-reply@example.vn"));
    sink.kill().unwrap();
    sink.wait().unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
}
