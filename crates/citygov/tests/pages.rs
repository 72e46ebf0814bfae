//! The pages over plain HTTP, against the real `citygov serve` on SQLite and on PostgreSQL:
//! form tokens, permissions, tracking proof, languages and headers. (The browser scenarios
//! are in `portal.rs`.)

mod common;

use common::{KillOnDrop, free_port, serve, wait_up};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::Value;
use std::process::{Command, Stdio};

struct Site {
    base: String,
    http: reqwest::Client,
    _server: KillOnDrop,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Site {
    async fn start(postgres: bool) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let pg = if postgres {
            let admin = std::env::var("CITYGOV_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let url = citygov_store::create_scratch_database(&admin, "citygov_test")
                .await
                .expect("PostgreSQL must be running");
            Some((admin, url))
        } else {
            None
        };
        let db: Vec<&str> = match &pg {
            Some((_, url)) => vec!["--database-url", url.as_str()],
            None => vec![],
        };
        let ok = Command::new(env!("CARGO_BIN_EXE_citygov"))
            .args(["demo", "--dossiers", "40", "--data-dir"])
            .arg(dir.path())
            .args(&db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(ok.success());
        let port = free_port();
        let server = KillOnDrop(serve(dir.path(), port, &db, &[]));
        let base = format!("http://127.0.0.1:{port}");
        // Redirects are checked by the tests, not followed.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        wait_up(&http, &format!("{base}/api/v1")).await;
        Site {
            base,
            http,
            _server: server,
            _dir: dir,
            pg,
        }
    }

    async fn finish(self) {
        let pg = self.pg.clone();
        drop(self);
        if let Some((admin, url)) = pg {
            citygov_store::drop_scratch_database(&admin, &url).await.unwrap();
        }
    }

    async fn get(&self, path: &str, cookies: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, cookies)
            .send()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, cookies: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, cookies)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A fresh browser's form token: the cookie pair and the value for `_csrf`.
    async fn token(&self) -> (String, String) {
        let r = self.get("/login", "").await;
        let value = cookie_value(&r, "citygov_csrf").expect("the first page sets a form token");
        (format!("citygov_csrf={value}"), value)
    }

    /// Log in through the page (officials through the second-factor page, enrolling their
    /// authenticator the first time); the cookies of the signed-in browser.
    async fn login(&self, user: &str) -> String {
        let (cookies, token) = self.token().await;
        let r = self
            .post(
                "/login",
                &cookies,
                &[("_csrf", &token), ("username", user), ("password", "demo12345")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        if let Some(session) = cookie_value(&r, "citygov_session") {
            return format!("{cookies}; citygov_session={session}");
        }
        let to = r.headers()[LOCATION].to_str().unwrap().to_string();
        assert!(to.starts_with("/login/second-factor"), "{to}");
        let pending = format!(
            "{cookies}; citygov_pending={}",
            cookie_value(&r, "citygov_pending").unwrap()
        );
        let page = self.get(&to, &pending).await.text().await.unwrap();
        if let Some(secret) = page
            .split_once("<code id=\"totp-secret\">")
            .and_then(|(_, rest)| rest.split_once("</code>"))
            .map(|(s, _)| s.to_string())
        {
            common::remember_authenticator(&self.base, user, &secret);
        }
        let code = common::next_code(&self.base, user).await;
        let r = self
            .post(
                "/login/second-factor",
                &pending,
                &[("_csrf", &token), ("code", &code), ("next", "/")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "second factor of {user}");
        let session = cookie_value(&r, "citygov_session").unwrap();
        format!("{cookies}; citygov_session={session}")
    }

    async fn api_token(&self, user: &str) -> String {
        common::login_token(&self.http, &format!("{}/api/v1", self.base), user, "demo12345").await
    }
}

fn cookie_value(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers().get_all(SET_COOKIE).iter().find_map(|v| {
        let s = v.to_str().ok()?;
        let (k, rest) = s.split_once('=')?;
        (k == name).then(|| rest.split(';').next().unwrap_or("").to_string())
    })
}

async fn forms_need_their_token_and_a_refused_form_changes_nothing(site: &Site) {
    // A login without the token is refused, even with the right password.
    let (cookies, token) = site.token().await;
    let r = site
        .post("/login", &cookies, &[("username", "admin"), ("password", "demo12345")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(cookie_value(&r, "citygov_session").is_none());
    // A token from another browser does not count either.
    let r = site
        .post(
            "/register",
            &cookies,
            &[
                ("_csrf", "0123456789abcdef0123456789abcdef"),
                ("full_name", "Lê Văn Tâm"),
                ("id_number", "031090001111"),
                ("username", "le.tam"),
                ("password", "mat-khau-123"),
                ("password2", "mat-khau-123"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = site
        .post(
            "/login",
            &cookies,
            &[("_csrf", &token), ("username", "le.tam"), ("password", "mat-khau-123")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the refused registration made no account"
    );
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Tên đăng nhập hoặc mật khẩu không đúng")
    );

    // Five wrong passwords lock the username, and the page says until when.
    let (c, tk) = (&cookies, &token);
    let attempt = move |password: &'static str| async move {
        site.post(
            "/login",
            c,
            &[
                ("_csrf", tk.as_str()),
                ("username", "xl.thuynguyen"),
                ("password", password),
            ],
        )
        .await
    };
    for _ in 0..5 {
        assert_eq!(attempt("doan-mo").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = attempt("demo12345").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(cookie_value(&r, "citygov_session").is_none());
    assert!(r.text().await.unwrap().contains("Tài khoản tạm khóa"));
}

async fn officials_only_in_the_back_office_and_tracking_needs_the_id_number(site: &Site) {
    let admin = site.api_token("admin").await;
    let list: Value = site
        .http
        .get(format!("{}/api/v1/dossiers?limit=2", site.base))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = list["items"][0]["code"].as_str().unwrap().to_string();
    let d: Value = site
        .http
        .get(format!("{}/api/v1/dossiers/{code}", site.base))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_number = d["applicant"]["id_number"].as_str().unwrap().to_string();
    let name = d["applicant"]["full_name"].as_str().unwrap().to_string();

    // Anonymous: the tracking page sends to the login; a wrong number reveals nothing.
    let r = site.get(&format!("/track/{code}"), "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (cookies, token) = site.token().await;
    let r = site
        .post(
            "/track",
            &cookies,
            &[("_csrf", &token), ("code", &code), ("id_number", "000000000000")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Không tìm thấy hồ sơ") && !body.contains(&name));
    // The right number: a proof cookie, then the dossier.
    let r = site
        .post(
            "/track",
            &cookies,
            &[("_csrf", &token), ("code", &code), ("id_number", &id_number)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let proof = cookie_value(&r, "citygov_track").unwrap();
    let r = site
        .get(&format!("/track/{code}"), &format!("{cookies}; citygov_track={proof}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains(&code));
    // The proof is for that dossier only.
    let other = list["items"][1]["code"].as_str().unwrap();
    let r = site
        .get(&format!("/track/{other}"), &format!("{cookies}; citygov_track={proof}"))
        .await;
    assert_ne!(r.status(), StatusCode::OK);

    // A citizen is refused the back office; an official of the unit sees the dossier.
    let citizen = site.login("congdan001").await;
    assert_eq!(site.get("/office", &citizen).await.status(), StatusCode::FORBIDDEN);
    // The citizen's notifications page and its «mark all read» form (token required).
    assert_eq!(site.get("/notifications", &citizen).await.status(), StatusCode::OK);
    let csrf = citizen
        .split("; ")
        .find_map(|c| c.strip_prefix("citygov_csrf="))
        .unwrap()
        .to_string();
    let r = site.post("/notifications/read", &citizen, &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = site.post("/notifications/read", &citizen, &[("_csrf", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/notifications");
    let admin_page = site.login("admin").await;
    let r = site.get(&format!("/office/dossiers/{code}"), &admin_page).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains(&id_number));
}

async fn the_auditor_reads_dossiers_and_the_audit_trail_and_acts_on_none(site: &Site) {
    let admin = site.api_token("admin").await;
    let list: Value = site
        .http
        .get(format!("{}/api/v1/dossiers?limit=1", site.base))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = list["items"][0]["code"].as_str().unwrap().to_string();
    let auditor = site.login("thanhtra").await;
    // The navigation leads to the audit trail; the dossier page shows no action.
    let r = site.get(&format!("/office/dossiers/{code}"), &auditor).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("href=\"/office/audit\""), "the audit trail is linked");
    assert!(!page.contains("id=\"action-"), "no action for an auditor");
    // That view is in the trail, with the shape the data tracker reads.
    let r = site
        .get("/office/audit?action=dossier.read&actor=thanhtra", &auditor)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("Nhật ký kiểm toán") && page.contains(&code));
    assert!(page.contains("&quot;purpose&quot;:&quot;inspection&quot;") || page.contains("\"purpose\":\"inspection\""));
    // A bad filter is named; citizens and officials may not read the trail.
    let r = site.get("/office/audit?from=yesterday", &auditor).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("href=\"#from\""));
    let citizen = site.login("congdan001").await;
    assert_eq!(
        site.get("/office/audit", &citizen).await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn pages_speak_both_languages_and_send_safety_headers(site: &Site) {
    let r = site.get("/?q=giay+phep+xay+dung", "").await;
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    let body = r.text().await.unwrap();
    assert!(body.starts_with("<!doctype html>\n<html lang=\"vi\">"));
    // Without diacritics, in another order, the procedure comes first.
    let first = body.split("<h3><a").nth(1).unwrap();
    assert!(first.contains("giấy phép xây dựng"), "first hit: {first}");
    let r = site.get("/", "citygov_lang=en").await;
    let body = r.text().await.unwrap();
    assert!(body.contains("<html lang=\"en\">") && body.contains("Find a public service"));
    // Errors are pages too, in the chosen language.
    let r = site.get("/procedures/khong-co", "citygov_lang=en").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("Not found"));
    // The language switch only returns to this site.
    let r = site.get("/lang/en?back=https://example.com/", "").await;
    assert_eq!(r.headers()[LOCATION], "/");
}

async fn consents_start_unticked_and_need_a_tick_and_the_form_token(site: &Site) {
    let citizen = site.login("congdan001").await;
    let page = site.get("/my/consents", &citizen).await.text().await.unwrap();
    assert!(page.contains("Khảo sát mức độ hài lòng"), "{page}");
    assert_eq!(page.matches("type=\"checkbox\"").count(), 3, "one box per purpose");
    assert!(!page.contains(" checked"), "nothing is pre-ticked");
    let token = citizen
        .split("; ")
        .find_map(|c| c.strip_prefix("citygov_csrf="))
        .unwrap()
        .to_string();
    // Without the form token, or without the tick, nothing is given.
    let r = site
        .post("/my/consents/survey/give", &citizen, &[("agree", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = site
        .post("/my/consents/survey/give", &citizen, &[("_csrf", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Tôi đồng ý"));
    let page = site.get("/my/consents", &citizen).await.text().await.unwrap();
    assert!(!page.contains("Rút lại sự đồng ý"), "nothing was given");
    let r = site
        .post(
            "/my/consents/survey/give",
            &citizen,
            &[("_csrf", &token), ("agree", "yes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = site.get("/my/consents", &citizen).await.text().await.unwrap();
    assert!(page.contains("Rút lại sự đồng ý"), "{page}");
    let r = site
        .post("/my/consents/survey/revoke", &citizen, &[("_csrf", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The tracker lists both decisions, and the breach record is for administrators.
    let page = site.get("/my/data", &citizen).await.text().await.unwrap();
    assert!(
        page.contains("Rút lại sự đồng ý") && page.contains("Chính bạn"),
        "{page}"
    );
    assert_eq!(
        site.get("/office/breaches", &citizen).await.status(),
        StatusCode::FORBIDDEN
    );
    let admin = site.login("admin").await;
    let page = site.get("/office/breaches", &admin).await.text().await.unwrap();
    assert!(page.contains("72 giờ"), "{page}");
}

async fn all(postgres: bool) {
    let site = Site::start(postgres).await;
    forms_need_their_token_and_a_refused_form_changes_nothing(&site).await;
    officials_only_in_the_back_office_and_tracking_needs_the_id_number(&site).await;
    the_auditor_reads_dossiers_and_the_audit_trail_and_acts_on_none(&site).await;
    pages_speak_both_languages_and_send_safety_headers(&site).await;
    consents_start_unticked_and_need_a_tick_and_the_form_token(&site).await;
    site.finish().await;
}

#[tokio::test]
async fn pages_on_sqlite() {
    all(false).await;
}

#[tokio::test]
async fn pages_on_postgres() {
    all(true).await;
}
