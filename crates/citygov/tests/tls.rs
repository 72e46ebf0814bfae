//! `citygov serve` over HTTPS by itself (rustls): a client that trusts the server's
//! certificate gets answers with HSTS and Secure cookies; plain HTTP on that port gets none;
//! a client that never finishes its handshake holds up nobody; a half-set configuration is
//! refused with a message naming what is missing.

mod common;

use common::{KillOnDrop, citygov, demo_catalog, free_port, run, serve};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// A self-signed server certificate for localhost and 127.0.0.1 (openssl, from the system).
fn make_certificate(dir: &Path) {
    let ok = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            // A server's own certificate, not a CA's (webpki refuses a CA as the end entity).
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "keyUsage=digitalSignature",
            "-addext",
            "extendedKeyUsage=serverAuth",
            "-keyout",
        ])
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl must be installed (.ci/run installs it)");
    assert!(ok.success());
}

fn connector(cert: &Path) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(cert).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

/// One HTTP/1.1 GET over TLS: the whole answer (head and body) as text.
async fn get(tls: &TlsConnector, port: u16, path: &str) -> std::io::Result<String> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).await?;
    let mut s = tls.connect(ServerName::try_from("localhost").unwrap(), tcp).await?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
        .await?;
    let mut out = Vec::new();
    match s.read_to_end(&mut out).await {
        Ok(_) => {}
        // A server that closes without TLS's close_notify after a whole answer.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => {}
        Err(e) => return Err(e),
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test]
async fn serve_answers_over_https_with_hsts_and_secure_cookies() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("none.toml"), "").unwrap();
    demo_catalog(data.path(), &[]);
    make_certificate(data.path());
    let cert = data.path().join("cert.pem");
    let key = data.path().join("key.pem");

    // Half a configuration is refused at start, naming both options.
    let (ok, _, err) = run(citygov(data.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("CITYGOV_TLS_CERT_FILE", &cert));
    assert!(!ok);
    assert!(err.contains("tls_key_file"), "{err}");
    // A key that is not a key is refused with the file's name.
    let (ok, _, err) = run(citygov(data.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("CITYGOV_TLS_CERT_FILE", &cert)
        .env("CITYGOV_TLS_KEY_FILE", &cert));
    assert!(!ok);
    assert!(err.contains("cert.pem"), "{err}");

    let port = free_port();
    let _server = KillOnDrop(serve(
        data.path(),
        port,
        &[],
        &[
            ("CITYGOV_TLS_CERT_FILE", cert.display().to_string()),
            ("CITYGOV_TLS_KEY_FILE", key.display().to_string()),
        ],
    ));
    let tls = connector(&cert);
    let mut health = String::new();
    for _ in 0..300 {
        match get(&tls, port, "/api/v1/health").await {
            Ok(h) => {
                health = h;
                break;
            }
            Err(e) => health = format!("no answer: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.ends_with("ok"), "{health}");
    let lower = health.to_ascii_lowercase();
    assert!(
        lower.contains("strict-transport-security: max-age=31536000; includesubdomains"),
        "{health}"
    );

    // A client that opens a connection and never speaks holds up nobody.
    let _silent = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let home = get(&tls, port, "/").await.unwrap();
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    let cookies: Vec<&str> = home
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .collect();
    assert!(!cookies.is_empty(), "{home}");
    assert!(cookies.iter().all(|c| c.ends_with("; Secure")), "{cookies:?}");

    // Plain HTTP on the TLS port gets no page.
    let mut plain = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    plain
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(15), plain.read_to_end(&mut out)).await;
    assert!(!String::from_utf8_lossy(&out).contains("200 OK"));

    // A client that does not trust the certificate is refused by its own check.
    let stranger = {
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(RootCertStore::empty())
            .with_no_client_auth();
        TlsConnector::from(Arc::new(config))
    };
    assert!(get(&stranger, port, "/api/v1/health").await.is_err());
}
