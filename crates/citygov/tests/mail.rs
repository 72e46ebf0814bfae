//! Notification e-mails through a real SMTP server on loopback (aiosmtpd from PyPI, which
//! `.ci/run` installs): a status change reaches the applicant's mailbox, and an e-mail whose
//! server was down is sent once the server is back, because it waits in the outbox.

mod common;

use common::{citizen, commune_filing, demo_catalog, free_port, serve, wait_up};
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
    demo_catalog(&data, &[]);
    let (smtp_port, http_port) = (free_port(), free_port());
    // The server starts while the SMTP relay is down.
    let mut server = serve(
        &data,
        http_port,
        &[],
        &[
            ("CITYGOV_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
            ("CITYGOV_MAIL_FROM", "Cổng dịch vụ công <no-reply@example.vn>".into()),
        ],
    );
    let base = format!("http://127.0.0.1:{http_port}/api/v1");
    let http = reqwest::Client::new();
    wait_up(&http, &base).await;
    let token = citizen(
        &http,
        &base,
        "thu.email",
        "Đinh Thị Thu",
        "031190007788",
        Some("thu@example.vn"),
    )
    .await;
    let body = commune_filing(&http, &base, "H31.01.01").await;
    let r = http
        .post(format!("{base}/dossiers"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let code = r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_string();
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
