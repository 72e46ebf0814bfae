//! End to end in headless Chromium: the citizen portal and the back office of a demo city
//! served by the real `citygov serve`, as people use them. Every page type is also checked
//! with axe-core (no serious or critical violations). With `CITYGOV_UPDATE_SCREENSHOTS=1`
//! the screenshots of the main pages are written to `docs/screenshots/` (phone and desktop
//! widths); otherwise they go to the test artifacts folder.

mod common;

use common::browser::{Browser, artifacts_dir, repo_root};
use common::{KillOnDrop, free_port, serve, wait_up};
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const RESULT_PDF: &[u8] = b"%PDF-1.4\n% Giay khai sinh ban dien tu\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1280, 900);
const PASSWORD: &str = "demo12345";

struct Site {
    base: String,
    _server: KillOnDrop,
    _data: tempfile::TempDir,
    files: tempfile::TempDir,
}

impl Site {
    async fn start() -> Site {
        let data = tempfile::tempdir().unwrap();
        let ok = Command::new(env!("CARGO_BIN_EXE_citygov"))
            .args(["demo", "--dossiers", "300", "--data-dir"])
            .arg(data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(ok.success(), "citygov demo failed");
        let port = free_port();
        let server = KillOnDrop(serve(data.path(), port, &[], &[]));
        let base = format!("http://127.0.0.1:{port}");
        wait_up(&reqwest::Client::new(), &format!("{base}/api/v1")).await;
        let files = tempfile::tempdir().unwrap();
        std::fs::write(files.path().join("to-khai.pdf"), PDF).unwrap();
        std::fs::write(files.path().join("ket-qua.pdf"), RESULT_PDF).unwrap();
        std::fs::write(files.path().join("ghi-chu.txt"), b"not a document").unwrap();
        Site {
            base,
            _server: server,
            _data: data,
            files,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.files.path().join(name)
    }
}

/// axe-core on the current page: no serious or critical violation.
async fn accessible(b: &Browser, label: &str) {
    b.assert_accessible(label).await.unwrap();
}

/// A screenshot of the current page at phone and desktop widths.
async fn shots(b: &Browser, name: &str) {
    let dir = if std::env::var("CITYGOV_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1") {
        repo_root().join("docs/screenshots")
    } else {
        artifacts_dir().join("screenshots")
    };
    b.set_size(PHONE.0, PHONE.1).await.unwrap();
    b.screenshot(&dir.join(format!("{name}-phone.png"))).await.unwrap();
    b.set_size(DESKTOP.0, DESKTOP.1).await.unwrap();
    b.screenshot(&dir.join(format!("{name}-desktop.png"))).await.unwrap();
}

async fn set_value(b: &Browser, css: &str, value: &str) {
    b.client()
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; return e.value;",
            vec![Value::from(css), Value::from(value)],
        )
        .await
        .unwrap_or_else(|e| panic!("setting {css}: {e}"));
}

/// Press Tab from where the focus is until the element with `id` has it (at most 30 times).
async fn tab_to(b: &Browser, id: &str) {
    for _ in 0..30 {
        b.press(Key::Tab).await.unwrap();
        let focused = b.client().active_element().await.unwrap().attr("id").await.unwrap();
        if focused.as_deref() == Some(id) {
            return;
        }
    }
    panic!("#{id} is not reachable with the Tab key");
}

/// Choose the first reason of the action form's list.
async fn first_reason(b: &Browser) {
    b.client()
        .find(Locator::Css("#reason_code"))
        .await
        .unwrap()
        .select_by_index(1)
        .await
        .unwrap();
}

async fn text(b: &Browser, css: &str) -> String {
    b.wait_for(css).await.unwrap();
    b.text_of(css).await.unwrap()
}

async fn login(b: &Browser, site: &Site, user: &str) {
    b.goto(&site.url("/login")).await.unwrap();
    b.wait_for("#username").await.unwrap();
    b.fill("#username", user).await.unwrap();
    b.fill("#password", PASSWORD).await.unwrap();
    b.click("main form button[type=submit]").await.unwrap();
    // The next page, not the login form being left: a logged-in header has the logout, the
    // second-factor step (officials) the code field.
    b.wait_for("form[action='/logout'], #code").await.unwrap();
    if b.current_url().await.unwrap().contains("/login/second-factor") {
        let page = b.page_source().await.unwrap();
        if let Some((secret, _)) = page
            .split_once("<code id=\"totp-secret\">")
            .and_then(|(_, rest)| rest.split_once("</code>"))
        {
            // Enrolling: the page shows the QR code and the secret to type.
            accessible(b, "second factor: enrolment").await;
            common::remember_authenticator(&site.base, user, secret);
        }
        let code = common::next_code(&site.base, user).await;
        b.fill("#code", &code).await.unwrap();
        b.click("main form button[type=submit]").await.unwrap();
        b.wait_for("form[action='/logout']").await.unwrap();
    }
}

async fn logout(b: &Browser) {
    b.click("form[action='/logout'] button").await.unwrap();
    // The next page, not the one being left: only a logged-out header links to the login.
    b.wait_for("header a[href^='/login']").await.unwrap();
}

/// Take an action on the back-office dossier page and confirm it; returns the status shown.
async fn act(b: &Browser, site: &Site, code: &str, action: &str) -> String {
    b.goto(&site.url(&format!("/office/dossiers/{code}"))).await.unwrap();
    b.click(&format!("#action-{action}")).await.unwrap();
    b.wait_for("#confirm").await.unwrap();
    b.click("#confirm").await.unwrap();
    b.wait_for("#done-message").await.unwrap();
    text(b, "#status").await
}

/// Fill the e-form inputs shown on this step from a valid sample of the schema.
async fn fill_form_step(b: &Browser, sample: &Value) {
    let inputs = b
        .client()
        .find_all(Locator::Css("main form [name^='f.']"))
        .await
        .unwrap();
    for e in inputs {
        let name = e.attr("name").await.unwrap().unwrap_or_default();
        let tag = e.tag_name().await.unwrap();
        let kind = e.attr("type").await.unwrap().unwrap_or_default();
        if tag == "input" && kind == "hidden" {
            continue;
        }
        let key = name.trim_start_matches("f.");
        let Some(v) = sample.pointer(&format!("/{}", key.replace('.', "/"))) else {
            continue;
        };
        if kind == "checkbox" {
            if v == &Value::Bool(true) {
                e.click().await.unwrap();
            }
            continue;
        }
        let value = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        set_value(b, &format!("[name='{name}']"), &value).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_applies_and_an_official_carries_the_dossier_to_its_result() {
    let site = Site::start().await;
    let http = reqwest::Client::new();
    let b = Browser::start(DESKTOP.0, DESKTOP.1).await.unwrap();

    // Register a citizen account.
    b.goto(&site.url("/register")).await.unwrap();
    accessible(&b, "register").await;
    b.fill("#full_name", "Nguyễn Thị Hoa").await.unwrap();
    b.fill("#id_number", "031195004321").await.unwrap();
    b.fill("#email", "hoa.nguyen@example.vn").await.unwrap();
    b.fill("#username", "hoa.nguyen").await.unwrap();
    b.fill("#password", "mat-khau-hoa-1").await.unwrap();
    b.fill("#password2", "mat-khau-hoa-1").await.unwrap();
    b.click_to_next_page("main form button[type=submit]").await.unwrap();
    assert!(b.current_url().await.unwrap().ends_with("/my"));
    accessible(&b, "my dossiers (empty)").await;

    // Search without diacritics, by keyboard only: Tab to the search box, type, Enter.
    b.goto(&site.url("/")).await.unwrap();
    accessible(&b, "home").await;
    shots(&b, "home").await;
    tab_to(&b, "q").await;
    b.client()
        .active_element()
        .await
        .unwrap()
        .send_keys("khai sinh dang ky")
        .await
        .unwrap();
    b.press(Key::Enter).await.unwrap();
    b.wait_for("ol.results").await.unwrap();
    assert!(b.current_url().await.unwrap().contains("q=khai+sinh+dang+ky"));
    accessible(&b, "search results").await;
    let link = b
        .client()
        .find(Locator::LinkText("Thủ tục đăng ký khai sinh"))
        .await
        .expect("“giay khai sinh” without diacritics finds the procedure");
    link.click().await.unwrap();

    // The procedure page, then apply.
    b.wait_for("a.button-start").await.unwrap();
    accessible(&b, "procedure").await;
    shots(&b, "procedure").await;
    let proc_url = b.current_url().await.unwrap();
    let proc_code = proc_url.rsplit('/').next().unwrap().to_string();
    let procedure: Value = http
        .get(site.url(&format!("/api/v1/procedures/{proc_code}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sample = citygov_demo::sample_form(&procedure["eform"], 3);
    b.click("a.button-start").await.unwrap();
    b.wait_for("#unit").await.unwrap();
    accessible(&b, "apply: first step").await;

    // A missing field: the error summary at the top and the message next to the field.
    b.click("button[value=next]").await.unwrap();
    b.wait_for(".error-summary").await.unwrap();
    assert!(text(&b, "#unit-error").await.contains("Xã, phường"));
    accessible(&b, "apply: errors").await;
    shots(&b, "apply-errors").await;

    // Fill every step of the e-form.
    b.client()
        .find(Locator::Css("#unit"))
        .await
        .unwrap()
        .select_by_value("H31.01.01")
        .await
        .unwrap();
    for _ in 0..10 {
        if b.client()
            .find(Locator::Css("main form input[type=file]"))
            .await
            .is_ok()
        {
            break;
        }
        fill_form_step(&b, &sample).await;
        if b.client().find(Locator::Css("button[value=next]")).await.is_err() {
            panic!("a step without Continue: {}", b.page_source().await.unwrap());
        }
        b.click_to_next_page("button[value=next]").await.unwrap();
        b.wait_for("h1").await.unwrap();
        assert!(
            b.client().find(Locator::Css(".error-summary")).await.is_err(),
            "a valid sample passes each step: {}",
            b.page_source().await.unwrap()
        );
    }
    accessible(&b, "apply: documents").await;

    // A wrong file type is refused with a message at the document; then a real PDF.
    let first_file = "main form input[type=file]";
    b.upload(first_file, &site.file("ghi-chu.txt")).await.unwrap();
    b.click("button[value=next]").await.unwrap();
    b.wait_for(".error-summary").await.unwrap();
    assert!(b.page_source().await.unwrap().contains("error-message"));
    let inputs = b
        .client()
        .find_all(Locator::Css("main form input[type=file]"))
        .await
        .unwrap();
    for e in inputs {
        let path = std::fs::canonicalize(site.file("to-khai.pdf")).unwrap();
        e.send_keys(&path.to_string_lossy()).await.unwrap();
    }
    b.click("button[value=next]").await.unwrap();
    b.wait_for("button[value=submit]").await.unwrap();
    accessible(&b, "apply: check your answers").await;
    shots(&b, "apply-review").await;
    b.click("button[value=submit]").await.unwrap();
    let code = text(&b, "#dossier-code").await;
    assert!(code.starts_with("H31.01.01-"), "a code of the receiving ward: {code}");
    accessible(&b, "applied").await;
    shots(&b, "applied").await;

    // The receipt prints.
    b.goto(&site.url(&format!("/dossiers/{code}/print/mau-01")))
        .await
        .unwrap();
    let receipt = b.page_source().await.unwrap();
    assert!(receipt.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") && receipt.contains(&code));
    accessible(&b, "print: receipt").await;

    // The official at the ward's desk accepts the dossier, then asks for a supplement.
    let o = Browser::start(DESKTOP.0, DESKTOP.1).await.unwrap();
    login(&o, &site, "tn.thuynguyen").await;
    assert!(o.current_url().await.unwrap().ends_with("/office"));
    o.goto(&site.url("/office?tab=new&sort=submitted&order=desc"))
        .await
        .unwrap();
    accessible(&o, "work queue").await;
    shots(&o, "queue").await;
    assert!(
        o.page_source().await.unwrap().contains(&code),
        "the new online dossier is in the queue"
    );
    o.goto(&site.url(&format!("/office/dossiers/{code}"))).await.unwrap();
    accessible(&o, "office dossier").await;
    shots(&o, "office-dossier").await;
    assert_eq!(act(&o, &site, &code, "accept").await, "Được tiếp nhận");

    o.goto(&site.url(&format!("/office/dossiers/{code}"))).await.unwrap();
    o.click("#action-request_supplement").await.unwrap();
    o.wait_for("#confirm").await.unwrap();
    accessible(&o, "action form").await;
    // No reason: refused with the reason list's error.
    o.click("#confirm").await.unwrap();
    o.wait_for(".error-summary").await.unwrap();
    first_reason(&o).await;
    o.fill("#reason", "Bản chụp giấy tờ bị mờ, không đọc được.")
        .await
        .unwrap();
    o.click("input[name=missing]").await.unwrap();
    o.click("#confirm").await.unwrap();
    o.wait_for("#done-message").await.unwrap();
    assert_eq!(text(&o, "#status").await, "Yêu cầu bổ sung giấy tờ");

    // The citizen sees what is missing and hands it in.
    b.goto(&site.url(&format!("/track/{code}"))).await.unwrap();
    b.wait_for("#missing").await.unwrap();
    accessible(&b, "track: supplement requested").await;
    shots(&b, "track-supplement").await;
    b.upload("#supplement-title ~ form input[type=file]", &site.file("to-khai.pdf"))
        .await
        .unwrap();
    // The tracking page shows #status before and after: wait for the page to change first.
    b.click_to_next_page("#supplement-title ~ form button[type=submit]")
        .await
        .unwrap();
    b.wait_for("#status").await.unwrap();
    assert_eq!(text(&b, "#status").await, "Được tiếp nhận");

    // Forward to processing; the processing officer finishes with a result file.
    assert_eq!(act(&o, &site, &code, "forward").await, "Đang xử lý");
    logout(&o).await;
    login(&o, &site, "xl.thuynguyen").await;
    o.goto(&site.url(&format!("/office/dossiers/{code}/finish")))
        .await
        .unwrap();
    o.wait_for("#result_code").await.unwrap();
    o.fill("#result_code", "125/2026/TP-KS").await.unwrap();
    o.upload("#result_file", &site.file("ket-qua.pdf")).await.unwrap();
    o.click("#confirm").await.unwrap();
    o.wait_for("#done-message").await.unwrap();
    assert_eq!(text(&o, "#status").await, "Đã xử lý xong");
    logout(&o).await;
    login(&o, &site, "tn.thuynguyen").await;
    assert_eq!(act(&o, &site, &code, "return_result").await, "Đã trả kết quả");

    // The citizen downloads the result and rates the handling.
    b.goto(&site.url(&format!("/track/{code}"))).await.unwrap();
    let href = b
        .client()
        .find(Locator::Css("#results-title ~ ul.files a"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let session = b.client().get_named_cookie("citygov_session").await.unwrap();
    let bytes = http
        .get(site.url(&href))
        .header("cookie", format!("citygov_session={}", session.value()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        &bytes[..],
        RESULT_PDF,
        "the downloaded result is the file the official attached"
    );
    accessible(&b, "track: result").await;
    b.click("#verdict-like").await.unwrap();
    b.fill("#comment", "Cán bộ hướng dẫn tận tình.").await.unwrap();
    b.click("#rate-title ~ form button[type=submit]").await.unwrap();
    assert!(text(&b, "#rating-done").await.contains("Hài lòng"));
    shots(&b, "track-result").await;

    // The citizen's list and notifications.
    b.goto(&site.url("/my")).await.unwrap();
    assert!(b.page_source().await.unwrap().contains(&code));
    accessible(&b, "my dossiers").await;
    b.goto(&site.url("/notifications")).await.unwrap();
    accessible(&b, "notifications").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracking_errors_intake_at_the_desk_and_english_pages() {
    let site = Site::start().await;
    let b = Browser::start(DESKTOP.0, DESKTOP.1).await.unwrap();

    // A wrong code on the tracking page, by keyboard only: an error summary that takes the
    // focus, nothing revealed.
    b.goto(&site.url("/track")).await.unwrap();
    accessible(&b, "track form").await;
    tab_to(&b, "code").await;
    let typing = b.client().active_element().await.unwrap();
    typing.send_keys("H31.01.01-260101-9999").await.unwrap();
    b.press(Key::Tab).await.unwrap();
    let id_field = b.client().active_element().await.unwrap();
    assert_eq!(id_field.attr("id").await.unwrap().as_deref(), Some("id_number"));
    id_field.send_keys("031195004321").await.unwrap();
    b.press(Key::Enter).await.unwrap();
    b.wait_for(".error-summary").await.unwrap();
    assert!(text(&b, ".error-summary").await.contains("Không tìm thấy hồ sơ"));
    let focused = b.client().active_element().await.unwrap().attr("class").await.unwrap();
    assert_eq!(
        focused.as_deref(),
        Some("error-summary"),
        "the error summary takes the focus"
    );
    accessible(&b, "track form: not found").await;
    b.fill("#code", "khong-phai-ma").await.unwrap();
    // The answer's page, not the one before it (which may show a code error too).
    b.click_to_next_page("main form button[type=submit]").await.unwrap();
    b.wait_for("#code-error").await.unwrap();

    // English by the switch; the choice sticks.
    b.goto(&site.url("/")).await.unwrap();
    b.click_to_next_page("nav.lang a").await.unwrap();
    assert_eq!(text(&b, "h1").await, "Find a public service");
    accessible(&b, "home (English)").await;
    b.goto(&site.url("/no/such/page")).await.unwrap();
    assert_eq!(text(&b, "h1").await, "Not found");
    accessible(&b, "error page").await;
    b.goto(&site.url("/lang/vi?back=/")).await.unwrap();
    assert_eq!(text(&b, "h1").await, "Tìm thủ tục hành chính");

    // Login errors.
    b.goto(&site.url("/login")).await.unwrap();
    accessible(&b, "login").await;
    b.fill("#username", "tn.thuynguyen").await.unwrap();
    b.fill("#password", "sai-mat-khau").await.unwrap();
    b.click("main form button[type=submit]").await.unwrap();
    b.wait_for(".error-summary").await.unwrap();

    // Intake at the desk: a person who came in; the receipt prints at once.
    login(&b, &site, "tn.thuynguyen").await;
    b.goto(&site.url("/office/intake?q=khai+sinh")).await.unwrap();
    accessible(&b, "intake: choose").await;
    b.client()
        .find(Locator::LinkText("Thủ tục đăng ký khai sinh"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("#full_name").await.unwrap();
    accessible(&b, "intake: form").await;
    shots(&b, "intake").await;
    let proc_code = b
        .client()
        .find(Locator::Css("input[name=procedure]"))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    let procedure: Value = reqwest::get(site.url(&format!("/api/v1/procedures/{proc_code}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    b.fill("#full_name", "Trần Văn Nam").await.unwrap();
    b.fill("#id_number", "031090007777").await.unwrap();
    fill_form_step(&b, &citygov_demo::sample_form(&procedure["eform"], 5)).await;
    b.click("main form button[type=submit]").await.unwrap();
    b.wait_for("#done-message").await.unwrap();
    assert_eq!(text(&b, "#status").await, "Được tiếp nhận");
    let code = text(&b, "h1 .code").await;
    b.goto(&site.url(&format!("/dossiers/{code}/print/mau-01")))
        .await
        .unwrap();
    assert!(b.page_source().await.unwrap().contains("Trần Văn Nam"));

    // The untouched list of the ward: the demo's old open dossiers are flagged.
    b.goto(&site.url("/office?tab=untouched")).await.unwrap();
    accessible(&b, "queue: untouched").await;
    b.goto(&site.url("/office?tab=overdue&sort=appointment&order=asc"))
        .await
        .unwrap();
    accessible(&b, "queue: overdue").await;

    // An online dossier refused at intake with a listed reason: the refusal (Mẫu 03) prints.
    let api = format!("{}/api/v1", site.base);
    let http = reqwest::Client::new();
    let token = common::citizen(&http, &api, "pham.an", "Phạm Văn An", "031099008888", None).await;
    let filing = common::commune_filing(&http, &api, "H31.01.01").await;
    let filed: Value = http
        .post(format!("{api}/dossiers"))
        .bearer_auth(&token)
        .json(&filing)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refused = filed["code"].as_str().unwrap().to_string();
    b.goto(&site.url(&format!("/office/dossiers/{refused}/refuse")))
        .await
        .unwrap();
    b.wait_for("#reason_code").await.unwrap();
    first_reason(&b).await;
    b.click("#confirm").await.unwrap();
    b.wait_for("#done-message").await.unwrap();
    assert_eq!(text(&b, "#status").await, "Không được tiếp nhận");
    b.goto(&site.url(&format!("/dossiers/{refused}/print/mau-03")))
        .await
        .unwrap();
    let sheet = b.page_source().await.unwrap();
    assert!(sheet.contains("PHIẾU TỪ CHỐI TIẾP NHẬN") && sheet.contains("Phạm Văn An"));
    accessible(&b, "print: refusal").await;

    // The unit leader apologises for the desk dossier with a new date: Mẫu 04 prints.
    b.goto(&site.url("/office")).await.unwrap();
    logout(&b).await;
    login(&b, &site, "ld.thuynguyen").await;
    b.goto(&site.url(&format!("/office/dossiers/{code}/apologize")))
        .await
        .unwrap();
    b.wait_for("#appointment_date").await.unwrap();
    accessible(&b, "action: apology").await;
    set_value(&b, "#appointment_date", "2027-01-15").await;
    set_value(&b, "#appointment_time", "16:00").await;
    first_reason(&b).await;
    b.fill("#reason", "Chờ ý kiến của cơ quan công an về thông tin cư trú.")
        .await
        .unwrap();
    b.click("#confirm").await.unwrap();
    b.wait_for("#done-message").await.unwrap();
    b.goto(&site.url(&format!("/dossiers/{code}/print/mau-04")))
        .await
        .unwrap();
    let sheet = b.page_source().await.unwrap();
    assert!(sheet.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ") && sheet.contains("15/01/2027 16:00"));
    accessible(&b, "print: apology").await;
}

/// The shared data warehouse's pages: open data for everyone, a steward's refused and accepted
/// loads, and an analyst's query with personal columns masked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_warehouse_pages_for_the_public_a_steward_and_an_analyst() {
    let site = Site::start().await;
    let b = Browser::start(DESKTOP.0, DESKTOP.1).await.unwrap();

    // Anyone: the open datasets with their downloads; nothing personal.
    b.goto(&site.url("/open-data")).await.unwrap();
    assert_eq!(text(&b, "h1").await, "Dữ liệu mở");
    let page = b.page_source().await.unwrap();
    assert!(page.contains("Cơ sở giáo dục mầm non và phổ thông"), "{page}");
    assert!(!page.contains("Hộ nghèo"), "a closed dataset is listed as open data");
    accessible(&b, "open data").await;
    let csv = reqwest::get(site.url("/api/v1/open-data/co_so_giao_duc.csv"))
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let body = csv.text().await.unwrap();
    assert!(
        body.trim_start_matches('\u{feff}')
            .starts_with("ma_truong,ten_truong,cap_hoc,ma_xa"),
        "{}",
        &body[..body.len().min(200)]
    );
    // A closed dataset is not even there for the public.
    b.goto(&site.url("/data/ho_ngheo_can_ngheo")).await.unwrap();
    assert!(b.page_source().await.unwrap().contains("404"));

    // The steward of Sở Nội vụ loads a file with mistakes: refused whole, every problem listed.
    login(&b, &site, "dl.snv").await;
    b.goto(&site.url("/data")).await.unwrap();
    assert_eq!(text(&b, "h1").await, "Kho dữ liệu dùng chung");
    accessible(&b, "data catalog").await;
    b.goto(&site.url("/data/ho_ngheo_can_ngheo")).await.unwrap();
    accessible(&b, "dataset").await;
    let bad = site.files.path().join("ho-ngheo-loi.csv");
    std::fs::write(
        &bad,
        "cccd_chu_ho,ho_ten_chu_ho,ma_xa,loai_ho,so_nhan_khau,ngay_cong_nhan\n\
         031999000001,Nguyễn Văn Mới,X1,ngheo,bốn,01/03/2026\n\
         031999000002,,X1,ngheo,3,31/02/2026\n",
    )
    .unwrap();
    b.upload("#file", &bad).await.unwrap();
    b.fill("#reason", "Rà soát bổ sung quý I").await.unwrap();
    b.click("form.load-form button[type=submit]").await.unwrap();
    b.wait_for("table.problems").await.unwrap();
    let problems = text(&b, "table.problems").await;
    for needle in ["so_nhan_khau", "bốn", "ho_ten_chu_ho", "ngay_cong_nhan", "31/02/2026"] {
        assert!(problems.contains(needle), "{needle} missing from {problems}");
    }
    accessible(&b, "refused load").await;
    // Fixed, loaded by key: a new version.
    let good = site.files.path().join("ho-ngheo.csv");
    std::fs::write(
        &good,
        "cccd_chu_ho,ho_ten_chu_ho,ma_xa,loai_ho,so_nhan_khau,ngay_cong_nhan\n\
         031999000001,Nguyễn Văn Mới,X1,ngheo,4,01/03/2026\n\
         031999000002,Trần Thị Mai,X1,can_ngheo,3,28/02/2026\n",
    )
    .unwrap();
    b.upload("#file", &good).await.unwrap();
    b.fill("#reason", "Rà soát bổ sung quý I").await.unwrap();
    b.click("#mode").await.unwrap();
    b.client()
        .find(Locator::Css("#mode"))
        .await
        .unwrap()
        .select_by_value("upsert")
        .await
        .unwrap();
    b.click("form.load-form button[type=submit]").await.unwrap();
    b.wait_for(".panel-success").await.unwrap();
    assert!(text(&b, ".panel-success").await.contains("phiên bản mới là 1"));
    assert!(text(&b, "table.versions").await.contains("Rà soát bổ sung quý I"));
    logout(&b).await;

    // An analyst counts households city-wide; names and ID numbers stay masked.
    login(&b, &site, "pt.snv").await;
    b.goto(&site.url("/data/query")).await.unwrap();
    accessible(&b, "query").await;
    set_value(
        &b,
        "#sql",
        "SELECT cccd_chu_ho, ho_ten_chu_ho, so_nhan_khau FROM ho_ngheo_can_ngheo WHERE cccd_chu_ho LIKE '031999%' ORDER BY so_nhan_khau",
    )
    .await;
    b.click_to_next_page("form.query-form button[type=submit]")
        .await
        .unwrap();
    b.wait_for("#row-count").await.unwrap();
    assert_eq!(
        text(&b, "#row-count").await,
        "0",
        "a masked column cannot be searched by its hidden value"
    );
    set_value(&b, "#sql", "SELECT cccd_chu_ho, ho_ten_chu_ho, so_nhan_khau FROM ho_ngheo_can_ngheo ORDER BY so_nhan_khau DESC, cccd_chu_ho LIMIT 3").await;
    b.click_to_next_page("form.query-form button[type=submit]")
        .await
        .unwrap();
    b.wait_for("table.result").await.unwrap();
    assert_eq!(text(&b, "#row-count").await, "3");
    let result = text(&b, "table.result tbody").await;
    assert!(result.contains("0319********") || result.contains("****"), "{result}");
    assert!(!result.contains("031999000001"), "{result}");
    assert!(text(&b, ".notice").await.contains("ho_ngheo_can_ngheo.cccd_chu_ho"));
    accessible(&b, "query result").await;
    // A statement that writes is refused with a clear message, and nothing runs.
    set_value(&b, "#sql", "DROP TABLE ho_ngheo_can_ngheo").await;
    b.click_to_next_page("form.query-form button[type=submit]")
        .await
        .unwrap();
    b.wait_for(".error-summary").await.unwrap();
    assert!(text(&b, ".error-summary").await.contains("SELECT"));
}
