//! Logins through a real OpenID Connect provider (the `oidc-provider` package, started by the
//! test on loopback from tests/oidc/provider.mjs): the authorization code flow with PKCE for
//! a citizen through an e-ID-style provider and for an official through a staff provider,
//! driven over HTTP as a browser would, and refusals that write nothing.
//!
//! Needs Node.js and the installed provider: `CITYGOV_NODE` (the `node` binary) and
//! `CITYGOV_OIDC_PROVIDER` (tests/oidc/provider.mjs after `npm ci` in tests/oidc), both
//! set by .ci/run.

mod common;

use common::{KillOnDrop, commune_filing, demo_catalog, free_port, wait_up};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const CITIZEN_CCCD: &str = "001190012345";

fn required_env(name: &str, what: &str) -> PathBuf {
    match std::env::var_os(name) {
        Some(v) if Path::new(&v).exists() => PathBuf::from(v),
        _ => panic!(
            "{name} must name {what} (set by .ci/run; for a local run: `cd tests/oidc && npm ci`, then \
             CITYGOV_NODE=$(command -v node) CITYGOV_OIDC_PROVIDER=$PWD/tests/oidc/provider.mjs)"
        ),
    }
}

/// The provider and a citygov server configured with it.
struct Setup {
    _provider: KillOnDrop,
    _server: KillOnDrop,
    _dir: tempfile::TempDir,
    /// The site (`http://127.0.0.1:port`).
    site: String,
    issuer: String,
    http: reqwest::Client,
}

async fn setup() -> Setup {
    let node = required_env("CITYGOV_NODE", "the node binary");
    let script = required_env(
        "CITYGOV_OIDC_PROVIDER",
        "tests/oidc/provider.mjs with its node_modules installed",
    );
    let (op, cp) = (free_port(), free_port());
    let site = format!("http://127.0.0.1:{cp}");
    let issuer = format!("http://127.0.0.1:{op}");
    let provider = KillOnDrop(
        Command::new(node)
            .arg(&script)
            .env("PORT", op.to_string())
            .env(
                "REDIRECT_URIS",
                format!("{site}/login/oidc/vneid/callback,{site}/login/oidc/staff/callback"),
            )
            .env("CITIZEN_CCCD", CITIZEN_CCCD)
            .env(
                "OFFICIAL_GROUPS",
                "unit:H31.01.01:intake_officer,unit:H99.99:unit_leader,phan-tich",
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node starts"),
    );
    let dir = tempfile::tempdir().unwrap();
    demo_catalog(dir.path(), &[]);
    let config = dir.path().join("citygov.toml");
    std::fs::write(
        &config,
        format!(
            r#"
public_url = "{site}"

[[oidc_providers]]
id = "vneid"
label_vi = "Tài khoản định danh điện tử VNeID"
label_en = "VNeID electronic identity"
issuer = "{issuer}"
client_id = "citygov"
client_secret = "citygov-secret"
scopes = ["openid", "profile", "cccd"]
kind = "citizen"
vneid = true
id_number_claim = "cccd"

[[oidc_providers]]
id = "staff"
label_vi = "Tài khoản cán bộ"
label_en = "Staff account"
issuer = "{issuer}"
client_id = "citygov"
client_secret = "citygov-secret"
scopes = ["openid", "profile", "groups"]
kind = "official"
roles_claim = "groups"
role_map = [{{ value = "phan-tich", role = "analyst" }}]
"#
        ),
    )
    .unwrap();
    let server = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_citygov"))
            .arg("--config")
            .arg(&config)
            .args(["serve", "--listen", &format!("127.0.0.1:{cp}"), "--data-dir"])
            .arg(dir.path())
            .env("CITYGOV_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for _ in 0..300 {
        let up = http
            .get(format!("{issuer}/.well-known/openid-configuration"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if up {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_up(&http, &format!("{site}/api/v1")).await;
    Setup {
        _provider: provider,
        _server: server,
        _dir: dir,
        site,
        issuer,
        http,
    }
}

/// The provider's cookies, as a browser keeps them (one host, so paths are ignored).
#[derive(Default)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn take(&mut self, r: &reqwest::Response) {
        for v in r.headers().get_all(SET_COOKIE) {
            let Some((k, v)) = v.to_str().unwrap().split(';').next().unwrap().split_once('=') else {
                continue;
            };
            if v.is_empty() {
                self.0.remove(k);
            } else {
                self.0.insert(k.to_string(), v.to_string());
            }
        }
    }
    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn cookie_of(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers().get_all(SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let (k, rest) = v.split_once('=')?;
        (k == name).then(|| rest.split(';').next().unwrap_or("").to_string())
    })
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("a redirect, got {}", r.status()))
        .to_str()
        .unwrap()
        .to_string()
}

/// The value of `attr="…"` after `from` in an HTML page.
fn attr_after(html: &str, from: &str, attr: &str) -> Option<String> {
    let i = html.find(from)?;
    let rest = &html[i..];
    let j = rest.find(&format!("{attr}=\""))? + attr.len() + 2;
    Some(rest[j..j + rest[j..].find('"')?].replace("&amp;", "&"))
}

/// A login started on the site: the provider's authorization URL and the site's cookie.
async fn start(s: &Setup, provider: &str, next: &str) -> (String, String) {
    let r = s
        .http
        .get(format!("{}/login/oidc/{provider}?next={next}", s.site))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let set = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("citygov_oidc="))
        .expect("the login cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/login/oidc"),
        "{set}"
    );
    let auth = location(&r);
    assert!(auth.starts_with(&format!("{}/auth?", s.issuer)), "{auth}");
    for p in [
        "code_challenge_method=S256",
        "code_challenge=",
        "nonce=",
        "state=",
        "response_type=code",
    ] {
        assert!(auth.contains(p), "{p} missing in {auth}");
    }
    (auth, cookie_of(&r, "citygov_oidc").unwrap())
}

/// Follow the provider's pages as a browser would, logging in as `login` (or cancelling
/// when `None`), up to the redirect back to the site: the callback URL.
async fn at_provider(s: &Setup, auth: &str, login: Option<&str>) -> String {
    let mut jar = Jar::default();
    let mut next = auth.to_string();
    for _ in 0..20 {
        if next.starts_with(&s.site) {
            return next;
        }
        let url = if next.starts_with('/') {
            format!("{}{next}", s.issuer)
        } else {
            next.clone()
        };
        let r = s.http.get(&url).header(COOKIE, jar.header()).send().await.unwrap();
        jar.take(&r);
        if r.status().is_redirection() {
            next = location(&r);
            continue;
        }
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        let html = r.text().await.unwrap();
        let mut action = attr_after(&html, "<form", "action").expect("a form");
        if action.starts_with('/') {
            action = format!("{}{action}", s.issuer);
        }
        let prompt = attr_after(&html, "name=\"prompt\"", "value").expect("a prompt");
        let Some(login) = login else {
            // The provider's "cancel" link.
            next = format!("{action}/abort");
            continue;
        };
        let form: Vec<(&str, &str)> = if prompt == "login" {
            vec![("prompt", "login"), ("login", login), ("password", "any")]
        } else {
            vec![("prompt", prompt.as_str())]
        };
        let r = s
            .http
            .post(&action)
            .header(COOKIE, jar.header())
            .form(&form)
            .send()
            .await
            .unwrap();
        jar.take(&r);
        assert!(r.status().is_redirection(), "{action}: {}", r.status());
        next = location(&r);
    }
    panic!("the provider never sent the browser back");
}

/// Back on the site with the login cookie.
async fn callback(s: &Setup, url: &str, cookie: &str) -> reqwest::Response {
    s.http
        .get(url)
        .header(COOKIE, format!("citygov_oidc={cookie}"))
        .send()
        .await
        .unwrap()
}

async fn me(s: &Setup, token: &str) -> Value {
    let r = s
        .http
        .get(format!("{}/api/v1/me", s.site))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// Whether `v` holds `"vneid_verified": true` anywhere.
fn vneid_flag(v: &Value) -> Option<bool> {
    match v {
        Value::Object(m) => m
            .get("vneid_verified")
            .and_then(Value::as_bool)
            .or_else(|| m.values().find_map(vneid_flag)),
        Value::Array(a) => a.iter().find_map(vneid_flag),
        _ => None,
    }
}

#[tokio::test]
async fn a_citizen_logs_in_through_the_e_id_provider_and_files_a_dossier_marked_vneid_authenticated() {
    let s = setup().await;
    let page = s
        .http
        .get(format!("{}/login", s.site))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("/login/oidc/vneid?next=") && page.contains("Tài khoản định danh điện tử VNeID"));

    let (auth, cookie) = start(&s, "vneid", "/my").await;
    let back = at_provider(&s, &auth, Some("cong-dan-1")).await;
    assert!(
        back.starts_with(&format!("{}/login/oidc/vneid/callback?", s.site)),
        "{back}"
    );
    let r = callback(&s, &back, &cookie).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/my");
    let token = cookie_of(&r, "citygov_session").expect("a session");
    assert_eq!(
        cookie_of(&r, "citygov_oidc").as_deref(),
        Some(""),
        "the login cookie is cleared"
    );

    let who = me(&s, &token).await;
    assert_eq!(who["full_name"], "Nguyễn Thị Hoa");
    assert_eq!(who["username"], "hoa.nguyen");
    assert_eq!(who["kind"], "citizen");
    assert_eq!(who["id_number"], CITIZEN_CCCD);
    assert_eq!(who["roles"][0]["role"], "applicant");

    let body = commune_filing(&s.http, &format!("{}/api/v1", s.site), "H31.01.01").await;
    let r = s
        .http
        .post(format!("{}/api/v1/dossiers", s.site))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let filed: Value = r.json().await.unwrap();
    let code = filed["code"].as_str().expect("a dossier code").to_string();
    let dossier: Value = s
        .http
        .get(format!("{}/api/v1/dossiers/{code}", s.site))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(vneid_flag(&dossier), Some(true), "{dossier}");

    // A second login finds the same account.
    let (auth, cookie) = start(&s, "vneid", "/my").await;
    let back = at_provider(&s, &auth, Some("cong-dan-1")).await;
    let r = callback(&s, &back, &cookie).await;
    let again = me(&s, &cookie_of(&r, "citygov_session").unwrap()).await;
    assert_eq!(again["id"], who["id"]);
}

#[tokio::test]
async fn an_official_logs_in_through_the_staff_provider_with_roles_from_claims_and_no_second_factor() {
    let s = setup().await;
    let (auth, cookie) = start(&s, "staff", "").await;
    let back = at_provider(&s, &auth, Some("can-bo-1")).await;
    let r = callback(&s, &back, &cookie).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Straight to the queue: no second-factor step.
    assert_eq!(location(&r), "/office");
    let token = cookie_of(&r, "citygov_session").expect("a session");
    let who = me(&s, &token).await;
    assert_eq!(who["kind"], "official");
    assert_eq!(who["full_name"], "Trần Văn Bình");
    let mut roles: Vec<String> = who["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["role"].as_str().unwrap().to_string())
        .collect();
    roles.sort();
    // The unknown unit H99.99 grants nothing.
    assert_eq!(roles, ["analyst", "intake_officer"]);
    let office = s
        .http
        .get(format!("{}/office", s.site))
        .header(COOKIE, format!("citygov_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(office.status(), StatusCode::OK);

    // Whoever has no role in the claims is refused, with nothing written.
    let (auth, cookie) = start(&s, "staff", "").await;
    let back = at_provider(&s, &auth, Some("khong-vai-tro")).await;
    let r = callback(&s, &back, &cookie).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(cookie_of(&r, "citygov_session").is_none());
    assert!(r.text().await.unwrap().contains("chưa được gán vai trò"));
}

#[tokio::test]
async fn a_tampered_state_a_missing_cookie_and_a_cancelled_login_are_refused() {
    let s = setup().await;
    let (auth, cookie) = start(&s, "vneid", "/my").await;
    let back = at_provider(&s, &auth, Some("cong-dan-1")).await;
    let mut url = reqwest::Url::parse(&back).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" { format!("{v}x") } else { v.into_owned() };
            (k.into_owned(), v)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    let r = callback(&s, url.as_str(), &cookie).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(cookie_of(&r, "citygov_session").is_none());
    assert!(r.text().await.unwrap().contains("Hãy bắt đầu đăng nhập lại"));

    // The right state without the browser's cookie.
    let r = s.http.get(&back).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(cookie_of(&r, "citygov_session").is_none());

    // The code was not spent by the refusals: the genuine callback still logs in once.
    let r = callback(&s, &back, &cookie).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(cookie_of(&r, "citygov_session").is_some());

    // Cancelled at the provider.
    let (auth, cookie) = start(&s, "vneid", "/my").await;
    let back = at_provider(&s, &auth, None).await;
    assert!(back.contains("error=access_denied"), "{back}");
    let r = callback(&s, &back, &cookie).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(cookie_of(&r, "citygov_session").is_none());
}
