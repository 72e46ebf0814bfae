//! Black-box tests of the JSON API over real HTTP, on SQLite and on PostgreSQL.

use chrono::NaiveDate;
use citygov_domain::LocalTime;
use citygov_domain::calendar::{Calendar, TimeUnit};
use citygov_domain::catalog::{DocumentComponent, FeeLine, Level, OnlineLevel, Procedure, ResultKind, TimeLimit};
use citygov_domain::codes::{AgencyCode, ApplicantType};
use citygov_domain::eform::{StandardField, standard_form};
use citygov_domain::unit::{Unit, UnitKind, UnitVersion};
use citygov_domain::workflow::Role;
use citygov_store::accounts::{NewAccount, RoleGrant};
use citygov_store::{LocalFileStore, Store, StoreOptions};
use citygov_web::{AppState, WebConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

struct TestApp {
    base: String,
    http: reqwest::Client,
    store: Store,
    clock: Arc<Mutex<LocalTime>>,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
    /// The authenticator of each official: its secret and the time step of its last code.
    authenticators: Mutex<std::collections::HashMap<String, (String, i64)>>,
}

fn t(s: &str) -> LocalTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn unit(id: &str, code: &str, name: &str, kind: UnitKind) -> Unit {
    Unit {
        id: id.into(),
        code: AgencyCode::parse(code).unwrap(),
        name: name.into(),
        short_name: None,
        kind,
        parent_id: None,
        valid_from: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
        valid_to: None,
    }
}

fn procedure(code: &str, level: Level, competent: Option<&str>) -> Procedure {
    Procedure {
        code: code.into(),
        name: if level == Level::City {
            "Cấp giấy phép xây dựng nhà ở riêng lẻ".into()
        } else {
            "Thủ tục đăng ký khai sinh".into()
        },
        description: "Mô tả".into(),
        field_code: "HT".into(),
        field_name: "Hộ tịch".into(),
        level,
        competent_unit: competent.map(|c| AgencyCode::parse(c).unwrap()),
        time_limit: TimeLimit {
            value: 5,
            unit: TimeUnit::WorkingDays,
        },
        fees: vec![FeeLine {
            code: "LP".into(),
            name: "Lệ phí".into(),
            amount_vnd: 50000,
            online_amount_vnd: Some(25000),
        }],
        components: vec![
            DocumentComponent {
                code: "TK".into(),
                name: "Tờ khai theo mẫu".into(),
                required: true,
                copies: 1,
            },
            DocumentComponent {
                code: "GT".into(),
                name: "Giấy tờ khác".into(),
                required: false,
                copies: 1,
            },
        ],
        applicant_types: vec![ApplicantType::Citizen],
        result_kind: ResultKind::Electronic,
        result_name: "Giấy khai sinh".into(),
        online_level: OnlineLevel::Full,
        fully_online_eligible: true,
        legal_basis: vec!["Luật Hộ tịch 2014".into()],
        eform: standard_form(&[
            (StandardField::FullName, true),
            (StandardField::Cccd, true),
            (StandardField::Phone, false),
        ]),
        active: true,
    }
}

impl TestApp {
    async fn spawn(postgres: bool) -> TestApp {
        TestApp::spawn_with(postgres, |_| {}).await
    }

    /// A server whose settings `tune` changes from those of the other tests.
    async fn spawn_with(postgres: bool, tune: impl FnOnce(&mut WebConfig)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (url, pg) = if postgres {
            let admin = std::env::var("CITYGOV_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let url = citygov_store::create_scratch_database(&admin, "citygov_api")
                .await
                .expect("PostgreSQL must be running");
            (url.clone(), Some((admin, url)))
        } else {
            (format!("sqlite://{}", dir.path().join("api.db").display()), None)
        };
        // Personal data sealed, as in every installation.
        let mut opts = StoreOptions::new(url);
        opts.keys = citygov_store::sealing::KeySource::Given(citygov_store::sealing::MasterKeys(vec![
            citygov_store::sealing::MasterKey::generate("api-test"),
        ]));
        let store = Store::open(&opts).await.unwrap();
        let units = vec![
            unit(
                "centre",
                "000.00.20.H31",
                "Trung tâm Phục vụ hành chính công",
                UnitKind::ServiceCentre,
            ),
            unit("sxd", "000.00.07.H31", "Sở Xây dựng", UnitKind::Department),
            unit("w1", "H31.01.01", "Phường Thủy Nguyên", UnitKind::Ward),
            unit("w2", "H31.01.02", "Phường Thiên Hương", UnitKind::Ward),
        ];
        let versions: Vec<UnitVersion> = units
            .iter()
            .map(|u| UnitVersion {
                unit_id: u.id.clone(),
                code: u.code.clone(),
                name: u.name.clone(),
                valid_from: u.valid_from,
                valid_to: None,
            })
            .collect();
        store.save_units(&units, &versions, &[]).await.unwrap();
        let mut old = unit("w-old", "H26.09.01", "Phường Thủy Đường", UnitKind::Ward);
        old.valid_from = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
        old.valid_to = Some(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap());
        let merge = citygov_domain::unit::LineageLink {
            predecessor_id: "w-old".into(),
            successor_id: "w1".into(),
            kind: citygov_domain::unit::LineageKind::Merge,
            effective: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
            legal_basis: Some("NQ 1669/NQ-UBTVQH15".into()),
        };
        store.save_units(&[old], &[], &[merge]).await.unwrap();
        let now = t("2026-03-02T09:00");
        store
            .import_procedures(
                &[
                    procedure("1.000001", Level::Commune, None),
                    procedure("2.000001", Level::City, Some("000.00.07.H31")),
                ],
                now,
            )
            .await
            .unwrap();
        let accounts = [
            ("congdan", "citizen", Role::Applicant, "", Some("031090001234")),
            ("tn.w1", "official", Role::IntakeOfficer, "w1", None),
            ("ld.w1", "official", Role::UnitLeader, "w1", None),
            ("xl.w1", "official", Role::ProcessingOfficer, "w1", None),
            ("xl.w2", "official", Role::ProcessingOfficer, "w2", None),
            ("tn.centre", "official", Role::IntakeOfficer, "centre", None),
            ("xl.sxd", "official", Role::ProcessingOfficer, "sxd", None),
            ("admin", "official", Role::Administrator, "", None),
            ("dl.sxd", "official", Role::DataSteward, "sxd", None),
            ("congdan2", "citizen", Role::Applicant, "", Some("031090005678")),
            ("thanhtra", "official", Role::Auditor, "", None),
        ];
        for (u, kind, role, unit, id) in accounts {
            store
                .create_account(
                    &NewAccount {
                        username: u.into(),
                        password: "mat-khau-123".into(),
                        full_name: format!("Người dùng {u}"),
                        title: "Chuyên viên".into(),
                        kind: kind.into(),
                        id_number: id.map(Into::into),
                        email: None,
                        phone: None,
                        vneid_verified: false,
                        roles: vec![RoleGrant {
                            role,
                            unit_id: unit.into(),
                        }],
                    },
                    now,
                )
                .await
                .unwrap();
        }
        let clock = Arc::new(Mutex::new(now));
        let c2 = clock.clone();
        let mut config = WebConfig {
            upload: citygov_store::files::UploadPolicy { max_bytes: 64 * 1024 },
            session_ttl_hours: 24 * 60,
            // The tests move the clock on by days between requests.
            session_idle_minutes: 24 * 60 * 60,
            ..WebConfig::default()
        };
        tune(&mut config);
        let mut state = AppState::new(
            store.clone(),
            Arc::new(LocalFileStore::new(dir.path().join("files")).unwrap()),
            Calendar::shipped(),
            config,
        );
        state.clock = Arc::new(move || *c2.lock().unwrap());
        // The warehouse seals its personal columns with the store's keys, as in `serve`.
        let lake = citygov_lake::Lake::open(&citygov_lake::LakeOptions::local(dir.path().join("lake"))).unwrap();
        lake.set_cipher(Arc::new(store.clone()));
        let state = state.with_lake(lake);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // With each connection's peer address, as `citygov serve` (for the login limit).
        let app = citygov_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        TestApp {
            base: format!("http://{addr}/api/v1"),
            http: reqwest::Client::new(),
            store,
            clock,
            _dir: dir,
            pg,
            authenticators: Mutex::new(std::collections::HashMap::new()),
        }
    }

    async fn finish(self) {
        self.store.close().await;
        if let Some((admin, url)) = &self.pg {
            citygov_store::drop_scratch_database(admin, url).await.unwrap();
        }
    }

    fn set_now(&self, s: &str) {
        *self.clock.lock().unwrap() = t(s);
    }

    /// Log in; officials answer the second factor with their authenticator (enrolled at the
    /// first login), each time with a code not used before.
    async fn login(&self, user: &str) -> String {
        let r = self
            .http
            .post(format!("{}/auth/login", self.base))
            .json(&json!({"username": user, "password": "mat-khau-123"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.unwrap();
        if let Some(token) = body["token"].as_str() {
            return token.to_string();
        }
        let challenge = body["second_factor"]["challenge"].as_str().unwrap().to_string();
        let code = self.next_code(user, &body["second_factor"]);
        let r = self
            .http
            .post(format!("{}/auth/second-factor", self.base))
            .json(&json!({"challenge": challenge, "code": code}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "second factor of {user}");
        r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
    }

    /// A code of `user`'s authenticator for a time step after the last one used and within
    /// the server's tolerance of one step around its clock.
    fn next_code(&self, user: &str, second_factor: &Value) -> String {
        use citygov_store::second_factor::{step_of, totp_code_at_step};
        let mut auths = self.authenticators.lock().unwrap();
        if let Some(secret) = second_factor["enrollment"]["secret"].as_str() {
            auths.insert(user.to_string(), (secret.to_string(), i64::MIN));
        }
        let now_step = step_of(*self.clock.lock().unwrap());
        let (secret, last) = auths.get_mut(user).expect("an enrolled authenticator");
        let step = (*last + 1).max(now_step - 1);
        assert!(
            step <= now_step + 1,
            "{user} logged in too often at one clock time: keep its token"
        );
        *last = step;
        totp_code_at_step(secret, step).unwrap()
    }

    async fn upload(&self, token: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
        self.http
            .post(format!("{}/files", self.base))
            .bearer_auth(token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
    }

    async fn file(&self, token: &str, body: &Value, key: Option<&str>) -> reqwest::Response {
        let mut r = self
            .http
            .post(format!("{}/dossiers", self.base))
            .bearer_auth(token)
            .json(body);
        if let Some(k) = key {
            r = r.header("Idempotency-Key", k);
        }
        r.send().await.unwrap()
    }

    async fn act(&self, token: Option<&str>, code: &str, action: &str, body: Value) -> reqwest::Response {
        let mut r = self
            .http
            .post(format!("{}/dossiers/{code}/actions/{action}", self.base))
            .json(&body);
        if let Some(tk) = token {
            r = r.bearer_auth(tk);
        }
        r.send().await.unwrap()
    }

    /// GET a JSON document, as `token`'s holder or anonymously.
    async fn get_json(&self, token: Option<&str>, path: &str) -> Value {
        let mut r = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap().json().await.unwrap()
    }

    async fn dossier_count(&self) -> i64 {
        self.store.count("dossiers").await.unwrap()
    }
}

fn good_form() -> Value {
    json!({"full_name": "Nguyễn Văn An", "cccd": "031090001234"})
}

async fn on_both<F, Fut>(f: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for pg in [false, true] {
        let app = TestApp::spawn(pg).await;
        f(app).await.finish().await;
    }
}

async fn file_online(app: &TestApp, token: &str) -> Value {
    let up = app.upload(token, "to-khai.pdf", PDF).await;
    assert_eq!(up.status(), StatusCode::CREATED);
    let fid = up.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let body = json!({"procedure_code": "1.000001", "receiving_unit_code": "H31.01.01", "form_data": good_form(), "documents": [{"component_code": "TK", "file_id": fid}]});
    let r = app.file(token, &body, Some(&uuid::Uuid::new_v4().to_string())).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

#[tokio::test]
async fn a_citizen_files_online_with_an_attachment_and_anyone_with_code_and_id_can_track_it() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let d = file_online(&app, &citizen).await;
        let code = d["code"].as_str().unwrap();
        assert_eq!(code, "H31.01.01-260302-0001");
        assert_eq!(d["status"], 1);
        assert_eq!(d["channel"], 2);
        assert_eq!(d["payment"]["amount_vnd"], 25000, "online fee");
        assert_eq!(d["documents"][0]["file"]["sha256"].as_str().unwrap().len(), 64);
        let anon = app
            .http
            .get(format!("{}/dossiers/{code}?id_number=031090001234", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(anon.status(), StatusCode::OK);
        let wrong = app
            .http
            .get(format!("{}/dossiers/{code}?id_number=031090009999", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(body["error"]["code"], "dossier_not_found");
        assert!(body["error"]["message_vi"].as_str().unwrap().contains("Không tìm thấy"));
        let bad = app
            .http
            .get(format!("{}/dossiers/x'%20OR%201=1", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            bad.json::<Value>().await.unwrap()["error"]["code"],
            "invalid_dossier_code"
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_retried_filing_with_the_same_idempotency_key_files_once() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let body = json!({"procedure_code": "1.000001", "receiving_unit_code": "H31.01.01", "form_data": good_form(), "documents": [{"component_code": "TK", "digitisation": "reused_result", "reused_from": "H31.01.01-250101-0001"}]});
        let a = app.file(&citizen, &body, Some("key-1")).await;
        assert_eq!(a.status(), StatusCode::CREATED);
        let b = app.file(&citizen, &body, Some("key-1")).await;
        assert_eq!(b.status(), StatusCode::OK);
        assert_eq!(b.headers()["idempotent-replayed"], "true");
        let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
        assert_eq!(a["code"], b["code"]);
        assert_eq!(app.dossier_count().await, 1);
        let mut other = body.clone();
        other["form_data"]["full_name"] = json!("Trần Văn Bình");
        let c = app.file(&citizen, &other, Some("key-1")).await;
        assert_eq!(c.status(), StatusCode::CONFLICT);
        assert_eq!(app.dossier_count().await, 1);
        app
    })
    .await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let base = json!({"procedure_code": "1.000001", "receiving_unit_code": "H31.01.01", "form_data": good_form(), "documents": [{"component_code": "TK", "digitisation": "reused_result", "reused_from": "x"}]});
        // Missing required e-form field.
        let mut b = base.clone();
        b["form_data"] = json!({"cccd": "031090001234"});
        let r = app.file(&citizen, &b, None).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["field"], "form_data.full_name", "{e}");
        assert!(e["error"]["message_vi"].as_str().unwrap().contains("Họ và tên"));
        // Several problems at once are all listed.
        let mut b = base.clone();
        b["form_data"] = json!({"cccd": "12"});
        b["documents"] = json!([]);
        let e: Value = app.file(&citizen, &b, None).await.json().await.unwrap();
        let fields: Vec<&str> = e["error"]["details"].as_array().unwrap().iter().filter_map(|p| p["field"].as_str()).collect();
        assert!(fields.contains(&"form_data.full_name") && fields.contains(&"form_data.cccd") && fields.contains(&"documents.TK"), "{fields:?}");
        // Unknown procedure, malformed JSON.
        let mut b = base.clone();
        b["procedure_code"] = json!("9.999999");
        let r = app.file(&citizen, &b, None).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "unknown_procedure");
        let r = app.http.post(format!("{}/dossiers", app.base)).bearer_auth(&citizen).header("content-type", "application/json").body("{\"procedure_code\": ").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.json::<Value>().await.unwrap()["error"]["message_en"].as_str().unwrap().contains("line 1"));
        // Disallowed and oversized files.
        let r = app.upload(&citizen, "virus.exe", b"MZ\x90\x00").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "file_type_not_allowed");
        let r = app.upload(&citizen, "fake.pdf", b"not a pdf").await;
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "file_content_mismatch");
        let mut big = PDF.to_vec();
        big.resize(70 * 1024, b' ');
        let r = app.upload(&citizen, "big.pdf", &big).await;
        assert!(r.status() == StatusCode::PAYLOAD_TOO_LARGE, "{}", r.status());
        // Not logged in.
        let r = app.http.post(format!("{}/dossiers", app.base)).json(&base).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.dossier_count().await, 0);
        assert_eq!(app.store.count("files").await.unwrap(), 0);
        app
    })
    .await;
}

#[tokio::test]
async fn the_whole_lifecycle_over_http_with_supplement_and_result_download() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let intake = app.login("tn.w1").await;
        let processing = app.login("xl.w1").await;
        let d = file_online(&app, &citizen).await;
        let code = d["code"].as_str().unwrap().to_string();
        assert_eq!(d["actions"], json!(["withdraw"]));
        // The applicant may not accept; a processing officer may not finish a new dossier.
        assert_eq!(app.act(Some(&citizen), &code, "accept", json!({})).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.act(Some(&processing), &code, "finish", json!({})).await.status(), StatusCode::CONFLICT);
        let r = app.act(Some(&intake), &code, "accept", json!({})).await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], 2);
        assert_eq!(v["appointment_at"], "2026-03-09T09:00:00");
        app.act(Some(&intake), &code, "forward", json!({})).await.error_for_status().unwrap();
        app.set_now("2026-03-04T09:00");
        let r = app.act(Some(&processing), &code, "request_supplement", json!({"reason_code": "thieu_giay_to", "reason": "Bản sao mờ", "missing_papers": ["Bản sao CCCD rõ nét"]})).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.json::<Value>().await.unwrap()["deadline_state"], "paused");
        // The citizen answers a week later with a new document.
        app.set_now("2026-03-11T09:00");
        let fid = app.upload(&citizen, "cccd.png", b"\x89PNG\r\n\x1a\n....").await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let r = app.act(Some(&citizen), &code, "submit_supplement", json!({"documents": [{"component_code": "GT", "file_id": fid}]})).await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], 4);
        assert_eq!(v["appointment_at"], "2026-03-16T09:00:00", "the week of waiting is not counted");
        assert_eq!(v["documents"].as_array().unwrap().len(), 2);
        // Finish with a result file, return it, and the applicant downloads it.
        app.set_now("2026-03-13T10:00");
        let result = app.upload(&processing, "giay-khai-sinh.pdf", PDF).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        let r = app.act(Some(&processing), &code, "finish", json!({"results": [{"name": "Giấy khai sinh", "result_code": "KS-2026-1"}], "result_file_ids": [result]})).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.json::<Value>().await.unwrap()["deadline_state"], "finished_on_time");
        app.act(Some(&intake), &code, "return_result", json!({})).await.error_for_status().unwrap();
        let dl = app.http.get(format!("{}/files/{result}", app.base)).bearer_auth(&citizen).send().await.unwrap();
        assert_eq!(dl.status(), StatusCode::OK);
        assert_eq!(dl.bytes().await.unwrap().as_ref(), PDF);
        let hist: Value = app.get_json(Some(&citizen), &format!("/dossiers/{code}/history")).await;
        let statuses: Vec<i64> = hist.as_array().unwrap().iter().map(|h| h["to_status"].as_i64().unwrap()).collect();
        assert_eq!(statuses, vec![1, 2, 4, 5, 4, 9, 10]);
        let id = app.store.dossier_by_code(&code).await.unwrap().unwrap().id;
        assert_eq!(app.store.audit_for(&id).await.unwrap().len(), 7);
        // Every status change reaches the applicant, from the outbox.
        assert_eq!(app.store.notify_from_outbox(100, t("2026-03-13T10:05")).await.unwrap(), 7);
        assert_eq!(app.store.notify_from_outbox(100, t("2026-03-13T10:06")).await.unwrap(), 0, "the cursor moved");
        let notes: Value = app.get_json(Some(&citizen), "/notifications").await;
        let events: Vec<&str> = notes.as_array().unwrap().iter().map(|n| n["event"].as_str().unwrap()).collect();
        assert_eq!(events, vec!["dossier.result_returned", "dossier.processed", "dossier.supplement_received", "dossier.supplement_requested", "dossier.forwarded", "dossier.accepted", "dossier.filed"]);
        let supplement = &notes[3];
        assert!(supplement["body_vi"].as_str().unwrap().contains("Bản sao CCCD rõ nét"), "{supplement}");
        let nid = supplement["id"].as_i64().unwrap();
        let r = app.http.post(format!("{}/notifications/{nid}/read", app.base)).bearer_auth(&citizen).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let r = app.http.post(format!("{}/notifications/{nid}/read", app.base)).bearer_auth(&intake).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "not the official's notification");
        let me: Value = app.get_json(Some(&citizen), "/me").await;
        let account = me["id"].as_str().unwrap();
        let now = t("2026-03-13T10:07");
        assert_eq!(app.store.mark_all_notifications_read(account, now).await.unwrap(), 6, "one was read already");
        assert_eq!(app.store.mark_all_notifications_read(account, now).await.unwrap(), 0);
        let notes: Value = app.get_json(Some(&citizen), "/notifications").await;
        assert!(notes.as_array().unwrap().iter().all(|n| n["read_at"].is_string()));
        app
    })
    .await;
}

#[tokio::test]
async fn refusal_needs_a_listed_reason_code_and_the_lists_are_published() {
    on_both(|app| async move {
        let lists: Value = app.get_json(None, "/workflow/reasons").await;
        for action in ["refuse", "request_supplement", "stop", "withdraw", "apologize"] {
            let list = lists[action].as_array().unwrap();
            assert_eq!(list.last().unwrap()["code"], "khac", "{action}");
            assert!(list[0]["label_vi"].is_string() && list[0]["label_en"].is_string());
        }
        assert!(lists["accept"].is_null(), "no list for actions without reasons");
        let citizen = app.login("congdan").await;
        let intake = app.login("tn.w1").await;
        let d = file_online(&app, &citizen).await;
        let code = d["code"].as_str().unwrap();
        let refuse = |body: Value| app.act(Some(&intake), code, "refuse", body);
        let problem = |r: reqwest::Response| async move {
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let e: Value = r.json().await.unwrap();
            (
                e["error"]["code"].as_str().unwrap().to_string(),
                e["error"]["field"].as_str().unwrap().to_string(),
            )
        };
        assert_eq!(
            problem(refuse(json!({"reason": "Không hợp lệ"})).await).await,
            ("required".into(), "reason_code".into())
        );
        assert_eq!(
            problem(refuse(json!({"reason_code": "khac", "reason": " "})).await).await,
            ("required".into(), "reason".into())
        );
        assert_eq!(
            problem(refuse(json!({"reason_code": "thieu_giay_to"})).await).await,
            ("unknown_reason_code".into(), "reason_code".into())
        );
        let r = refuse(json!({"reason_code": "khac", "reason": "Thủ tục đã được thay thế"})).await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], 3);
        assert_eq!(v["end_reason"], "Lý do khác: Thủ tục đã được thay thế");
        let hist: Value = app.get_json(Some(&intake), &format!("/dossiers/{code}/history")).await;
        assert_eq!(hist[1]["content"], "Lý do khác: Thủ tục đã được thay thế");
        app
    })
    .await;
}

/// File a dossier online and take it through to the returned result (status 10).
async fn finished_dossier(app: &TestApp, citizen: &str) -> String {
    let intake = app.login("tn.w1").await;
    let processing = app.login("xl.w1").await;
    let d = file_online(app, citizen).await;
    let code = d["code"].as_str().unwrap().to_string();
    for (token, action, body) in [
        (&intake, "accept", json!({})),
        (&intake, "forward", json!({})),
        (
            &processing,
            "finish",
            json!({"results": [{"name": "Giấy khai sinh", "result_code": "KS-1"}]}),
        ),
        (&intake, "return_result", json!({})),
    ] {
        app.act(Some(token), &code, action, body)
            .await
            .error_for_status()
            .unwrap();
    }
    code
}

impl TestApp {
    async fn rate(&self, token: Option<&str>, code: &str, body: Value) -> reqwest::Response {
        let mut r = self
            .http
            .post(format!("{}/dossiers/{code}/rating", self.base))
            .json(&body);
        if let Some(tk) = token {
            r = r.bearer_auth(tk);
        }
        r.send().await.unwrap()
    }
}

async fn error_of(r: reqwest::Response) -> (StatusCode, String, Option<String>) {
    let status = r.status();
    let e: Value = r.json().await.unwrap();
    (
        status,
        e["error"]["code"].as_str().unwrap().to_string(),
        e["error"]["field"].as_str().map(Into::into),
    )
}

#[tokio::test]
async fn applicant_rates_a_finished_dossier_and_may_change_it() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let code = finished_dossier(&app, &citizen).await;
        let none = app
            .http
            .get(format!("{}/dossiers/{code}/rating", app.base))
            .bearer_auth(&citizen)
            .send()
            .await
            .unwrap();
        assert_eq!(error_of(none).await, (StatusCode::NOT_FOUND, "not_rated".into(), None));
        // Logged in as the applicant.
        app.set_now("2026-03-03T10:00");
        let r = app
            .rate(
                Some(&citizen),
                &code,
                json!({"verdict": "dislike", "comment": "  Phải chờ lâu ở quầy  "}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            (v["verdict"].as_str(), v["comment"].as_str()),
            (Some("dislike"), Some("Phải chờ lâu ở quầy"))
        );
        assert!(v["account_id"].is_string());
        // Bad input is refused at its field and changes nothing.
        let r = app.rate(Some(&citizen), &code, json!({"verdict": "love"})).await;
        assert_eq!(
            error_of(r).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid".into(),
                Some("verdict".into())
            )
        );
        let r = app
            .rate(
                Some(&citizen),
                &code,
                json!({"verdict": "like", "comment": "ả".repeat(2001)}),
            )
            .await;
        assert_eq!(
            error_of(r).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "max_length".into(),
                Some("comment".into())
            )
        );
        // Later, without logging in, with the identity number on the dossier: a new verdict.
        app.set_now("2026-03-05T15:00");
        let r = app
            .rate(None, &code, json!({"verdict": "like", "id_number": "031090001234"}))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let wrong = app
            .rate(None, &code, json!({"verdict": "dislike", "id_number": "031090009999"}))
            .await;
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
        let v: Value = app
            .get_json(None, &format!("/dossiers/{code}/rating?id_number=031090001234"))
            .await;
        assert_eq!(v["verdict"], "like");
        assert!(v["comment"].is_null(), "the new rating replaces the earlier comment");
        assert_eq!(v["rated_at"], "2026-03-03T10:00:00", "first rated");
        assert_eq!(v["updated_at"], "2026-03-05T15:00:00");
        // Officials of the unit read it too; the audit trail keeps both ratings.
        let leader = app.login("ld.w1").await;
        let v: Value = app.get_json(Some(&leader), &format!("/dossiers/{code}/rating")).await;
        assert_eq!(v["verdict"], "like");
        let id = app.store.dossier_by_code(&code).await.unwrap().unwrap().id;
        let rated = app
            .store
            .audit_for(&id)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.action == "dossier.rated")
            .count();
        assert_eq!(rated, 2);
        app
    })
    .await;
}

#[tokio::test]
async fn rating_before_the_end_is_refused() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let intake = app.login("tn.w1").await;
        let d = file_online(&app, &citizen).await;
        let code = d["code"].as_str().unwrap();
        let r = app.rate(Some(&citizen), code, json!({"verdict": "like"})).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "dossier_not_ended");
        assert!(
            e["error"]["message_vi"].as_str().unwrap().contains("Mới đăng ký"),
            "{e}"
        );
        assert!(e["error"]["message_en"].as_str().unwrap().contains("Submitted"), "{e}");
        app.act(Some(&intake), code, "accept", json!({}))
            .await
            .error_for_status()
            .unwrap();
        let r = app.rate(Some(&citizen), code, json!({"verdict": "dislike"})).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert_eq!(app.store.count("dossier_ratings").await.unwrap(), 0);
        // A refused dossier has ended: its applicant may say what they think of the refusal.
        let other = file_online(&app, &citizen).await;
        let other = other["code"].as_str().unwrap();
        app.act(Some(&intake), other, "refuse", json!({"reason_code": "ho_so_trung"}))
            .await
            .error_for_status()
            .unwrap();
        let r = app.rate(Some(&citizen), other, json!({"verdict": "dislike"})).await;
        assert_eq!(r.status(), StatusCode::OK);
        app
    })
    .await;
}

#[tokio::test]
async fn officials_cannot_rate() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let code = finished_dossier(&app, &citizen).await;
        for user in ["tn.w1", "ld.w1", "admin", "xl.w2"] {
            let token = app.login(user).await;
            let r = app
                .rate(
                    Some(&token),
                    &code,
                    json!({"verdict": "like", "id_number": "031090001234"}),
                )
                .await;
            assert_eq!(
                error_of(r).await,
                (StatusCode::FORBIDDEN, "officials_cannot_rate".into(), None),
                "{user}, even with the applicant's identity number"
            );
        }
        let token = app.login("tn.w1").await;
        let r = app.rate(Some(&token), &code, json!({"verdict": "like"})).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.store.count("dossier_ratings").await.unwrap(), 0);
        app
    })
    .await;
}

#[tokio::test]
async fn leader_sees_untouched_dossiers_flagged() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let intake = app.login("tn.w1").await;
        let leader = app.login("ld.w1").await;
        // Mon 2/3: three dossiers filed. "silent" is never touched again; "waiting" waits for
        // the applicant's supplement; "moving" is accepted on Thu 5/3.
        let mut codes = Vec::new();
        for _ in 0..3 {
            codes.push(file_online(&app, &citizen).await["code"].as_str().unwrap().to_string());
        }
        let (silent, waiting, moving) = (&codes[0], &codes[1], &codes[2]);
        app.set_now("2026-03-02T09:30");
        let body = json!({"reason_code": "thieu_giay_to", "missing_papers": ["Bản sao CCCD"]});
        app.act(Some(&intake), waiting, "request_supplement", body)
            .await
            .error_for_status()
            .unwrap();
        app.set_now("2026-03-05T10:00");
        app.act(Some(&intake), moving, "accept", json!({}))
            .await
            .error_for_status()
            .unwrap();
        // Fri 6/3 11:00: untouched means unchanged since before Wed 4/3 11:00.
        app.set_now("2026-03-06T11:00");
        let q: Value = app.get_json(Some(&leader), "/dossiers?untouched=true").await;
        assert_eq!(q["total"], 1, "{q}");
        assert_eq!(q["items"][0]["code"], silent.as_str());
        assert_eq!(q["items"][0]["untouched"], true);
        let all: Value = app.get_json(Some(&leader), "/dossiers?untouched=false").await;
        assert_eq!(all["total"], 3);
        for item in all["items"].as_array().unwrap() {
            let code = item["code"].as_str().unwrap();
            assert_eq!(item["untouched"], code == silent.as_str(), "{code}");
        }
        // On Tue 3/3 nothing had waited two working days yet.
        app.set_now("2026-03-03T11:00");
        let q: Value = app.get_json(Some(&leader), "/dossiers?untouched=true").await;
        assert_eq!(q["total"], 0);
        let r = app
            .http
            .get(format!("{}/dossiers?untouched=yes", app.base))
            .bearer_auth(&leader)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_of(r).await,
            (
                StatusCode::BAD_REQUEST,
                "invalid_parameter".into(),
                Some("untouched".into())
            )
        );
        app
    })
    .await;
}

#[tokio::test]
async fn officials_see_and_act_only_within_their_units() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let other = app.login("xl.w2").await;
        let intake = app.login("tn.w1").await;
        let d = file_online(&app, &citizen).await;
        let code = d["code"].as_str().unwrap();
        let r = app
            .http
            .get(format!("{}/dossiers/{code}", app.base))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            app.act(Some(&other), code, "accept", json!({})).await.status(),
            StatusCode::NOT_FOUND
        );
        let q: Value = app.get_json(Some(&intake), "/dossiers?status=1").await;
        assert_eq!(q["total"], 1);
        let q: Value = app.get_json(Some(&other), "/dossiers").await;
        assert_eq!(q["total"], 0);
        let mine: Value = app.get_json(Some(&citizen), "/dossiers").await;
        assert_eq!(mine["items"][0]["code"], code);
        let r = app
            .http
            .get(format!("{}/dossiers?unit=H31.01.02", app.base))
            .bearer_auth(&intake)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = app
            .http
            .get(format!("{}/dossiers?deadline=late", app.base))
            .bearer_auth(&intake)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        app
    })
    .await;
}

#[tokio::test]
async fn city_level_dossiers_are_received_at_the_centre_and_processed_by_the_department() {
    on_both(|app| async move {
        let desk = app.login("tn.centre").await;
        let dept = app.login("xl.sxd").await;
        let body = json!({"procedure_code": "2.000001", "channel": 1, "accept_now": true,
            "applicant": {"kind": "citizen", "full_name": "Đỗ Thị Hoa", "id_number": "031185004321"},
            "form_data": {"full_name": "Đỗ Thị Hoa", "cccd": "031185004321"}, "documents": [{"component_code": "TK", "digitisation": "not_digitised"}]});
        let r = app.file(&desk, &body, None).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let d: Value = r.json().await.unwrap();
        assert_eq!(d["status"], 2, "accepted at the desk at once");
        assert_eq!(d["channel"], 1);
        assert_eq!(d["receiving_unit_code"], "000.00.20.H31");
        assert_eq!(d["competent_unit_code"], "000.00.07.H31");
        assert_eq!(d["payment"]["amount_vnd"], 50000, "paper fee at the desk");
        let code = d["code"].as_str().unwrap();
        assert!(code.starts_with("000.00.20.H31-260302-"));
        app.act(Some(&desk), code, "forward", json!({})).await.error_for_status().unwrap();
        let q: Value = app.get_json(Some(&dept), "/dossiers?status=4").await;
        assert_eq!(q["total"], 1);
        app
    })
    .await;
}

#[tokio::test]
async fn catalog_search_ignores_diacritics_case_and_word_order() {
    on_both(|app| async move {
        let r: Value = app.get_json(None, "/procedures?q=XAY%20dung%20giay%20phep").await;
        assert_eq!(r["total"], 1);
        assert_eq!(r["items"][0]["code"], "2.000001");
        let r: Value = app.get_json(None, "/procedures?q=khai%20sinh&level=commune").await;
        assert_eq!(r["items"][0]["name"], "Thủ tục đăng ký khai sinh");
        let r = app
            .http
            .get(format!("{}/procedures?level=district", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let p: Value = app.get_json(None, "/procedures/2.000001").await;
        assert_eq!(p["time_limit"], json!({"value": 5, "unit": "working_days"}));
        assert_eq!(
            app.http
                .get(format!("{}/procedures/0.0", app.base))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_unit_can_be_followed_through_its_history() {
    on_both(|app| async move {
        let h: Value = app.get_json(None, "/units/H31.01.01/history").await;
        assert_eq!(h["predecessors"][0]["code"], "H26.09.01");
        assert_eq!(h["versions"].as_array().unwrap().len(), 1);
        let old: Value = app.get_json(None, "/units/H26.09.01/history").await;
        assert_eq!(old["successors"][0]["code"], "H31.01.01");
        assert_eq!(old["unit"]["valid_to"], "2025-06-30");
        // Filing at a unit that no longer exists is refused.
        let citizen = app.login("congdan").await;
        let body = json!({"procedure_code": "1.000001", "receiving_unit_code": "H26.09.01", "form_data": good_form(), "documents": [{"component_code": "TK", "digitisation": "reused_result", "reused_from": "x"}]});
        let r = app.file(&citizen, &body, None).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "unit_closed");
        app
    })
    .await;
}

#[test]
fn the_committed_openapi_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json");
    let current = citygov_web::openapi::document();
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(&path, &current).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p citygov-web --test api the_committed_openapi_document_is_current` and commit it"
    );
    let doc: Value = serde_json::from_str(&current).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/dossiers/{code}/actions/{action}"]["post"].is_object());
}

/// The warehouse over HTTP: a steward defines and loads a dataset (a bad file changes
/// nothing), grants own rows to a ward, whose officer sees them masked for statistics and
/// whole for processing (audited); the public sees open data only, without personal columns.
#[tokio::test]
async fn the_warehouse_over_http_with_grants_masking_and_open_data() {
    on_both(|app| async move {
        let steward = app.login("dl.sxd").await;
        let ward = app.login("xl.w1").await;
        let other = app.login("xl.w2").await;
        let citizen = app.login("congdan").await;
        let def = json!({
            "owner_unit": "000.00.07.H31", "steward": "dl.sxd", "title_vi": "Giấy phép xây dựng đã cấp",
            "title_en": "Building permits issued", "theme": "xay-dung", "frequency": "monthly",
            "fields": [
                {"name": "so_giay_phep", "type": "text", "classification": "public", "required": true},
                {"name": "cccd_chu_dau_tu", "type": "text", "classification": "personal", "required": true},
                {"name": "ma_xa", "type": "text", "classification": "public", "required": true},
                {"name": "dien_tich", "type": "number", "classification": "public", "unit": "m2"},
                {"name": "ngay_cap", "type": "date", "classification": "public"}
            ],
            "key": ["so_giay_phep"], "unit_column": "ma_xa"
        });
        let put = |token: String, body: Value| {
            let (http, base) = (app.http.clone(), app.base.clone());
            async move { http.put(format!("{base}/lake/datasets/gpxd")).bearer_auth(token).json(&body).send().await.unwrap() }
        };
        assert_eq!(put(other.clone(), def.clone()).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(put(steward.clone(), def.clone()).await.status(), StatusCode::CREATED);
        // Officials see the catalog; the public does not see a closed dataset.
        assert_eq!(app.get_json(Some(&ward), "/lake/datasets").await.as_array().unwrap().len(), 1);
        assert_eq!(app.get_json(None, "/lake/datasets").await.as_array().unwrap().len(), 0);

        let import = |token: String, body: &'static str| {
            let (http, base) = (app.http.clone(), app.base.clone());
            async move {
                http.post(format!("{base}/lake/datasets/gpxd/import?mode=append&format=csv&reason=th%C3%A1ng%203"))
                    .bearer_auth(token)
                    .body(body)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let bad = "so_giay_phep,cccd_chu_dau_tu,ma_xa,dien_tich,ngay_cap\nGP1,001099012345,H31.01.01,abc,2026-03-01\nGP2,,H31.01.02,80,31/02/2026\n";
        let r = import(steward.clone(), bad).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "file_refused");
        let problems: Vec<(i64, String)> = e["error"]["rows"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["row"].as_i64().unwrap(), p["column"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(
            problems,
            vec![(2, "dien_tich".to_string()), (3, "cccd_chu_dau_tu".to_string()), (3, "ngay_cap".to_string())]
        );
        assert_eq!(app.get_json(Some(&steward), "/lake/datasets/gpxd/versions").await.as_array().unwrap().len(), 0);
        assert_eq!(import(ward.clone(), bad).await.status(), StatusCode::FORBIDDEN);
        let good = "so_giay_phep,cccd_chu_dau_tu,ma_xa,dien_tich,ngay_cap\nGP1,001099012345,H31.01.01,120.5,2026-03-01\nGP2,031088000111,H31.01.02,80,02/03/2026\nGP3,001099012399,H31.01.01,95,2026-03-04\n";
        let r = import(steward.clone(), good).await;
        assert_eq!(r.status(), StatusCode::OK);
        let rep: Value = r.json().await.unwrap();
        assert_eq!((rep["version"].as_i64(), rep["rows"].as_i64()), (Some(0), Some(3)));
        let v = app.get_json(Some(&steward), "/lake/datasets/gpxd/versions").await;
        assert_eq!((v[0]["user"].as_str(), v[0]["reason"].as_str()), (Some("dl.sxd"), Some("tháng 3")));

        let query = |token: String, sql: &'static str, purpose: &'static str| {
            let (http, base) = (app.http.clone(), app.base.clone());
            async move {
                http.post(format!("{base}/lake/query"))
                    .bearer_auth(token)
                    .json(&json!({"sql": sql, "purpose": purpose}))
                    .send()
                    .await
                    .unwrap()
            }
        };
        let sql = "SELECT so_giay_phep, cccd_chu_dau_tu FROM gpxd ORDER BY so_giay_phep";
        // Deny by default.
        let r = query(ward.clone(), sql, "thong_ke").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(query(citizen.clone(), sql, "thong_ke").await.status(), StatusCode::FORBIDDEN);
        let r = app
            .http
            .post(format!("{}/lake/datasets/gpxd/grants", app.base))
            .bearer_auth(&steward)
            .json(&json!({"grantee_kind": "unit", "grantee": "H31.01.01", "purpose": "giai_quyet_tthc", "rows": "own_unit"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let rows = |v: Value| v["rows"].clone();
        let masked: Value = query(ward.clone(), sql, "thong_ke").await.json().await.unwrap();
        assert_eq!(rows(masked), json!([["GP1", "0010********"], ["GP3", "0010********"]]));
        let whole: Value = query(ward.clone(), sql, "giai_quyet_tthc").await.json().await.unwrap();
        assert_eq!(rows(whole), json!([["GP1", "001099012345"], ["GP3", "001099012399"]]));
        let audit = app.store.audit_for("gpxd").await.unwrap();
        let reads: Vec<&str> = audit.iter().filter(|a| a.action == "lake.query.personal").map(|a| a.actor_name.as_str()).collect();
        assert_eq!(reads, vec!["xl.w1", "xl.w1"]);
        // Asked again, each purpose runs the plan kept for its own access (masked or not),
        // and each run is audited again.
        let again: Value = query(ward.clone(), sql, "thong_ke").await.json().await.unwrap();
        assert_eq!(again["plan_reused"], json!(true));
        assert_eq!(rows(again), json!([["GP1", "0010********"], ["GP3", "0010********"]]));
        let again: Value = query(ward.clone(), sql, "giai_quyet_tthc").await.json().await.unwrap();
        assert_eq!(again["plan_reused"], json!(true));
        assert_eq!(rows(again), json!([["GP1", "001099012345"], ["GP3", "001099012399"]]));
        let audit = app.store.audit_for("gpxd").await.unwrap();
        let personal: Vec<Value> = audit
            .iter()
            .filter(|a| a.action == "lake.query.personal")
            .map(|a| serde_json::from_str(&a.detail).unwrap())
            .collect();
        assert_eq!(personal.len(), 4);
        assert_eq!(personal[2]["columns"], personal[0]["columns"]);
        assert_eq!(personal[3]["columns"], personal[1]["columns"]);
        assert_ne!(personal[0]["columns"], personal[1]["columns"], "masked and unmasked reads");
        // The result as a file.
        let r = app
            .http
            .post(format!("{}/lake/query?format=csv", app.base))
            .bearer_auth(&ward)
            .json(&json!({"sql": sql, "purpose": "thong_ke"}))
            .send()
            .await
            .unwrap();
        let csv = r.text().await.unwrap();
        assert_eq!(csv.trim_start_matches('\u{feff}'), "so_giay_phep,cccd_chu_dau_tu\nGP1,0010********\nGP3,0010********\n");

        // Open data: public columns only, for anyone.
        let mut open = def.clone();
        open["open_data"] = json!(true);
        open["licence"] = json!("CC-BY-4.0");
        assert_eq!(put(steward.clone(), open).await.status(), StatusCode::OK);
        let r = app.http.get(format!("{}/open-data/gpxd.csv", app.base)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let csv = r.text().await.unwrap();
        let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap().to_string();
        assert_eq!(header, "so_giay_phep,ma_xa,dien_tich,ngay_cap");
        assert_eq!(csv.lines().count(), 4);
        let dcat = app.get_json(None, "/lake/dcat").await;
        assert_eq!(dcat["@type"], "dcat:Catalog");
        let ds = &dcat["dcat:dataset"][0];
        assert_eq!(ds["dct:identifier"], "gpxd");
        assert!(ds["dcat:distribution"][0]["dcat:downloadURL"]["@id"].as_str().unwrap().ends_with("/api/v1/open-data/gpxd.csv"));
        // The quality measured at the load: "đúng, đủ, sạch, sống".
        assert_eq!(ds["dqv:hasQualityMeasurement"].as_array().map(|a| a.len()), Some(4));
        app
    })
    .await;
}

/// Behind TLS (as the reverse proxy reports it), responses carry HSTS and every cookie is
/// `Secure`; over plain HTTP neither.
#[tokio::test]
async fn behind_tls_cookies_are_secure_and_hsts_is_sent() {
    let app = TestApp::spawn(false).await;
    for https in [false, true] {
        let mut req = app
            .http
            .post(format!("{}/auth/login", app.base))
            .json(&json!({"username": "congdan", "password": "mat-khau-123"}));
        if https {
            req = req.header("x-forwarded-proto", "https");
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert_eq!(cookie.ends_with("; Secure"), https, "{cookie}");
        assert_eq!(r.headers().contains_key("strict-transport-security"), https);
        if https {
            assert_eq!(
                r.headers()["strict-transport-security"],
                "max-age=31536000; includeSubDomains"
            );
        }
    }
    app.finish().await;
}

/// Officials get a second-factor step instead of a session: the pending step's token opens
/// nothing, a wrong code is refused, the authenticator's code completes the login.
#[tokio::test]
async fn officials_log_in_with_a_second_factor_over_http() {
    on_both(|app| async move {
        let r = app
            .http
            .post(format!("{}/auth/login", app.base))
            .json(&json!({"username": "tn.w1", "password": "mat-khau-123"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers().get("set-cookie").is_none(), "no session before the code");
        let body: Value = r.json().await.unwrap();
        assert!(body.get("token").is_none(), "{body}");
        let sf = &body["second_factor"];
        let challenge = sf["challenge"].as_str().unwrap();
        let secret = sf["enrollment"]["secret"].as_str().unwrap();
        assert!(
            sf["enrollment"]["otpauth_url"]
                .as_str()
                .unwrap()
                .starts_with("otpauth://totp/")
        );
        let me = app
            .http
            .get(format!("{}/me", app.base))
            .bearer_auth(challenge)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "a pending step is not a session");
        let now = *app.clock.lock().unwrap();
        let good = citygov_store::second_factor::totp_code(secret, now).unwrap();
        let wrong = if good == "000000" { "999999" } else { "000000" };
        let r = app
            .http
            .post(format!("{}/auth/second-factor", app.base))
            .json(&json!({"challenge": challenge, "code": wrong}))
            .send()
            .await
            .unwrap();
        let (status, code, field) = error_of(r).await;
        assert_eq!(
            (status, code.as_str(), field.as_deref()),
            (StatusCode::UNAUTHORIZED, "invalid_code", Some("code"))
        );
        let r = app
            .http
            .post(format!("{}/auth/second-factor", app.base))
            .json(&json!({"challenge": challenge, "code": good}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["set-cookie"].to_str().unwrap().contains("HttpOnly"));
        let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
        assert_eq!(app.get_json(Some(&token), "/me").await["username"], "tn.w1");
        app
    })
    .await;
}

/// A login attempt from `client`, as if forwarded for `forwarded_for` when given.
async fn login_from(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut r = client
        .post(format!("{}/auth/login", app.base))
        .json(&json!({"username": username, "password": password}));
    if let Some(f) = forwarded_for {
        r = r.header("X-Forwarded-For", f);
    }
    r.send().await.unwrap()
}

/// One address failing logins for many usernames is refused with `Retry-After`, while other
/// addresses and the clients of a trusted proxy still log in; a forged `X-Forwarded-For` from
/// an untrusted peer changes nothing; the refusal is audited once; once the oldest failure
/// leaves the window (on the injected clock), the address logs in again.
#[tokio::test]
async fn failed_logins_from_one_address_are_limited_while_other_addresses_log_in() {
    for pg in [false, true] {
        let app = TestApp::spawn_with(pg, |c| {
            c.login_limit_failures = 4;
            c.login_limit_minutes = 10;
            c.trusted_proxies = vec![citygov_web::login_limit::IpRange::parse("127.0.0.3").unwrap()];
        })
        .await;
        // Every address of 127.0.0.0/8 is this machine: each client below is another peer.
        let from = |ip: [u8; 4]| {
            reqwest::Client::builder()
                .local_address(std::net::IpAddr::from(ip))
                .build()
                .unwrap()
        };
        let (attacker, neighbour, proxy) = (from([127, 0, 0, 2]), from([127, 0, 0, 4]), from([127, 0, 0, 3]));

        // Four usernames, one wrong password each, a minute apart: no username is locked.
        for (i, user) in ["congdan", "tn.w1", "khong-co-ai", "admin"].iter().enumerate() {
            app.set_now(&format!("2026-03-02T09:0{i}"));
            let (status, code, _) = error_of(login_from(&app, &attacker, user, "sai-mat-khau", None).await).await;
            assert_eq!(
                (status, code.as_str()),
                (StatusCode::UNAUTHORIZED, "invalid_credentials")
            );
        }
        // The fifth attempt, even with the right password, waits until 09:10.
        app.set_now("2026-03-02T09:04");
        let r = login_from(&app, &attacker, "congdan", "mat-khau-123", None).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()["retry-after"], "360");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "login_rate_limited");
        assert!(
            body["error"]["message_vi"]
                .as_str()
                .unwrap()
                .contains("thử lại sau khoảng 6 phút"),
            "{body}"
        );
        // So does a second-factor code from the same address.
        let r = attacker
            .post(format!("{}/auth/second-factor", app.base))
            .json(&json!({"challenge": "0".repeat(64), "code": "123456"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers().contains_key("retry-after"));
        // A header naming another client is not believed from an untrusted peer…
        let r = login_from(&app, &attacker, "congdan", "mat-khau-123", Some("198.51.100.7")).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        // …another address logs in…
        let r = login_from(&app, &neighbour, "congdan", "mat-khau-123", None).await;
        assert_eq!(r.status(), StatusCode::OK);
        // …and behind the trusted proxy, the forwarded address is the client: another one
        // logs in, the attacker's own is refused.
        let r = login_from(&app, &proxy, "congdan2", "mat-khau-123", Some("203.0.113.9")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = login_from(
            &app,
            &proxy,
            "congdan2",
            "mat-khau-123",
            Some("198.51.100.1, 127.0.0.2"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);

        // One audit entry for the run of refusals, naming the address.
        let audit = app.store.audit_for("127.0.0.2").await.unwrap();
        let limited: Vec<_> = audit.iter().filter(|a| a.action == "login.rate_limited").collect();
        assert_eq!(limited.len(), 1, "{audit:?}");
        assert_eq!(limited[0].entity_type, "client");
        let detail: Value = serde_json::from_str(&limited[0].detail).unwrap();
        assert_eq!(detail["route"], "/api/v1/auth/login");
        assert_eq!(detail["failures"], 4);

        // At 09:10 the failure of 09:00 has left the window: a good login goes through.
        app.set_now("2026-03-02T09:10");
        let r = login_from(&app, &attacker, "congdan", "mat-khau-123", None).await;
        assert_eq!(r.status(), StatusCode::OK);
        app.finish().await;
    }
}

/// A token reaches only the routes of its scopes, never the account's own security, and
/// stops at once when revoked; sessions are listed and ended.
#[tokio::test]
async fn api_tokens_reach_only_their_scopes_until_revoked() {
    on_both(|app| async move {
        let session = app.login("congdan").await;
        let url = |p: &str| format!("{}{p}", app.base);
        let r = app
            .http
            .post(url("/auth/tokens"))
            .bearer_auth(&session)
            .json(&json!({"name": "", "scopes": ["dossiers:read", "everything"], "days": 999}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problems = r.json::<Value>().await.unwrap().to_string();
        for f in ["\"name\"", "\"scopes[1]\"", "\"days\""] {
            assert!(problems.contains(f), "{f} in {problems}");
        }
        let r = app
            .http
            .post(url("/auth/tokens"))
            .bearer_auth(&session)
            .json(&json!({"name": "Phần mềm kế toán", "scopes": ["dossiers:read"], "days": 30}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let made: Value = r.json().await.unwrap();
        let token = made["token"].as_str().unwrap().to_string();
        let id = made["id"].as_str().unwrap().to_string();
        // In scope.
        assert_eq!(app.get_json(Some(&token), "/me").await["username"], "congdan");
        let r = app.http.get(url("/dossiers")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        // Out of scope, and never the account's own security.
        let r = app.file(&token, &json!({}), None).await;
        let (status, code, _) = error_of(r).await;
        assert_eq!((status, code.as_str()), (StatusCode::FORBIDDEN, "token_scope"));
        for (m, p) in [
            ("GET", "/auth/tokens"),
            ("GET", "/auth/sessions"),
            ("POST", "/auth/logout-everywhere"),
        ] {
            let r = app
                .http
                .request(m.parse().unwrap(), url(p))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            let (status, code, _) = error_of(r).await;
            assert_eq!(
                (status, code.as_str()),
                (StatusCode::FORBIDDEN, "token_not_allowed"),
                "{m} {p}"
            );
        }
        let listed = app.get_json(Some(&session), "/auth/tokens").await;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert!(listed[0].get("token").is_none(), "the secret is never listed");
        let r = app
            .http
            .delete(url(&format!("/auth/tokens/{id}")))
            .bearer_auth(&session)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let r = app.http.get(url("/me")).bearer_auth(&token).send().await.unwrap();
        let (status, code, _) = error_of(r).await;
        assert_eq!((status, code.as_str()), (StatusCode::UNAUTHORIZED, "token_invalid"));
        // Sessions: two logins, one ended by id from the other, then all.
        let second = app.login("congdan").await;
        let sessions = app.get_json(Some(&session), "/auth/sessions").await;
        let sessions = sessions.as_array().unwrap();
        assert_eq!(sessions.len(), 2);
        let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = app
            .http
            .delete(url(&format!("/auth/sessions/{other}")))
            .bearer_auth(&session)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let r = app.http.get(url("/me")).bearer_auth(&second).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = app
            .http
            .post(url("/auth/logout-everywhere"))
            .bearer_auth(&session)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let r = app.http.get(url("/me")).bearer_auth(&session).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        app
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The route × role authorization matrix
// ---------------------------------------------------------------------------------------------

/// The callers of the matrix, in the order of each row's expectation string.
const CALLERS: [&str; 8] = [
    "anonymous",
    "applicant",
    "other applicant",
    "intake officer",
    "other unit",
    "unit leader",
    "administrator",
    "auditor",
];

/// Their usernames (`None`: no session). The dossiers are filed by `congdan` at ward w1
/// (H31.01.01), whose intake officer is `tn.w1` and leader `ld.w1`; `xl.w2` processes
/// dossiers of another ward.
const USERS: [Option<&str>; 8] = [
    None,
    Some("congdan"),
    Some("congdan2"),
    Some("tn.w1"),
    Some("xl.w2"),
    Some("ld.w1"),
    Some("admin"),
    Some("thanhtra"),
];

/// What a request of the matrix sends.
#[derive(Debug, Clone, Copy)]
enum Payload {
    Nothing,
    Json(&'static str),
    /// A one-file multipart upload (a small PDF in the field `file`).
    Upload,
    /// A CSV body.
    Csv(&'static str),
    /// An HTML form (URL-encoded; the form token `_csrf` is added).
    Form(&'static str),
}

/// One route and what each caller may do there.
struct Row {
    method: &'static str,
    /// The route as registered (`/api/v1` + the path in `routes.rs`, or the page path).
    route: &'static str,
    /// The request path: the route with `{…}` filled in from the fixtures (see [`Fixtures`]).
    path: &'static str,
    send: Payload,
    /// One letter per caller of [`CALLERS`]: `Y` allowed, `-` denied.
    expect: &'static str,
    /// Ends the caller's sessions: run with sessions of their own.
    ends_session: bool,
}

const fn row(
    method: &'static str,
    route: &'static str,
    path: &'static str,
    send: Payload,
    expect: &'static str,
) -> Row {
    Row {
        method,
        route,
        path,
        send,
        expect,
        ends_session: false,
    }
}

const fn ending(method: &'static str, route: &'static str, send: Payload, expect: &'static str) -> Row {
    Row {
        method,
        route,
        path: route,
        send,
        expect,
        ends_session: true,
    }
}

use Payload::{Csv, Form, Nothing, Upload};

const FILING: &str = r#"{"procedure_code": "1.000001", "receiving_unit_code": "H31.01.01", "form_data": {"full_name": "Nguyễn Văn An", "cccd": "031090001234"}, "documents": [{"component_code": "TK", "digitisation": "reused_result", "reused_from": "H31.01.01-250101-0001"}]}"#;
const DATASET: &str = r#"{"owner_unit": "000.00.07.H31", "steward": "admin", "title_vi": "Giấy phép xây dựng đã cấp", "title_en": "Building permits issued", "theme": "xay-dung", "frequency": "monthly", "fields": [{"name": "so_giay_phep", "type": "text", "classification": "public", "required": true}, {"name": "cccd_chu_dau_tu", "type": "text", "classification": "personal", "required": true}, {"name": "ma_xa", "type": "text", "classification": "public", "required": true}], "key": ["so_giay_phep"], "unit_column": "ma_xa"}"#;
const OPEN_DATASET: &str = r#"{"owner_unit": "000.00.07.H31", "steward": "admin", "title_vi": "Công trình được cấp phép", "title_en": "Permitted works", "theme": "xay-dung", "frequency": "monthly", "licence": "CC-BY-4.0", "open_data": true, "fields": [{"name": "so_giay_phep", "type": "text", "classification": "public", "required": true}, {"name": "ma_xa", "type": "text", "classification": "public", "required": true}], "key": ["so_giay_phep"]}"#;

/// Every route of the API and of the pages, with who may use it. Allowed: a 2xx or 3xx
/// answer, or a 400, 409, 413 or 422 that refuses the request's content (the dummy body), not
/// the caller. Denied: 401, 403 or 404 (a dossier the caller may not see does not exist for
/// them), or, for a page, a redirect to the login page (`/login?next=…`). Any other status
/// fails the test. Rows whose callers all lack a precondition (a pending login, a configured
/// identity provider, an open dataset) are denied for everyone; the second factor and the
/// identity provider's pages are allowed in their own flows (crates/citygov/tests/pages.rs,
/// oidc.rs), an open dataset's file here.
#[rustfmt::skip]
const MATRIX: &[Row] = &[
    //                                                                                           anon, applicant, other applicant, intake, other unit, leader, admin, auditor
    row("GET", "/api/v1/health", "/api/v1/health", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", Nothing, "YYYYYYYY"),
    row("POST", "/api/v1/auth/login", "/api/v1/auth/login", Payload::Json("{}"), "YYYYYYYY"),
    row("POST", "/api/v1/auth/second-factor", "/api/v1/auth/second-factor", Payload::Json("{}"), "YYYYYYYY"),
    row("GET", "/api/v1/auth/tokens", "/api/v1/auth/tokens", Nothing, "-YYYYYYY"),
    row("POST", "/api/v1/auth/tokens", "/api/v1/auth/tokens", Payload::Json("{}"), "-YYYYYYY"),
    row("DELETE", "/api/v1/auth/tokens/{id}", "/api/v1/auth/tokens/{token_api}", Nothing, "-Y------"),
    row("GET", "/api/v1/auth/sessions", "/api/v1/auth/sessions", Nothing, "-YYYYYYY"),
    row("DELETE", "/api/v1/auth/sessions/{id}", "/api/v1/auth/sessions/{session_api}", Nothing, "-Y------"),
    row("POST", "/api/v1/auth/register", "/api/v1/auth/register", Payload::Json("{}"), "YYYYYYYY"),
    row("GET", "/api/v1/me", "/api/v1/me", Nothing, "-YYYYYYY"),
    row("GET", "/api/v1/me/data-access", "/api/v1/me/data-access", Nothing, "-YYYYYYY"),
    row("GET", "/api/v1/me/consents", "/api/v1/me/consents", Nothing, "-YYYYYYY"),
    row("POST", "/api/v1/me/consents/{purpose}", "/api/v1/me/consents/survey", Nothing, "-YYYYYYY"),
    row("DELETE", "/api/v1/me/consents/{purpose}", "/api/v1/me/consents/survey", Nothing, "-YYYYYYY"),
    row("GET", "/api/v1/breaches", "/api/v1/breaches", Nothing, "------Y-"),
    row("POST", "/api/v1/breaches", "/api/v1/breaches", Payload::Json("{}"), "------Y-"),
    row("POST", "/api/v1/breaches/{id}/notified", "/api/v1/breaches/{breach}/notified", Payload::Json("{}"), "------Y-"),
    row("GET", "/api/v1/units", "/api/v1/units", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/units/{code}/history", "/api/v1/units/H31.01.01/history", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/procedures", "/api/v1/procedures", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/procedures/{code}", "/api/v1/procedures/1.000001", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/catalog/export", "/api/v1/catalog/export", Nothing, "YYYYYYYY"),
    row("POST", "/api/v1/catalog/import", "/api/v1/catalog/import", Payload::Json("[]"), "------Y-"),
    row("GET", "/api/v1/workflow", "/api/v1/workflow", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/workflow/reasons", "/api/v1/workflow/reasons", Nothing, "YYYYYYYY"),
    row("POST", "/api/v1/files", "/api/v1/files", Upload, "-YYYYY--"),
    row("GET", "/api/v1/files/{id}", "/api/v1/files/{file}", Nothing, "-Y-Y-YYY"),
    row("GET", "/api/v1/dossiers", "/api/v1/dossiers", Nothing, "-YYYYYYY"),
    row("POST", "/api/v1/dossiers", "/api/v1/dossiers", Payload::Json(FILING), "-YYY-Y--"),
    row("GET", "/api/v1/dossiers/{code}", "/api/v1/dossiers/{code}", Nothing, "-Y-Y-YYY"),
    row("GET", "/api/v1/dossiers/{code}/history", "/api/v1/dossiers/{code}/history", Nothing, "-Y-Y-YYY"),
    row("POST", "/api/v1/dossiers/{code}/actions/{action}", "/api/v1/dossiers/{code}/actions/refuse", Payload::Json("{}"), "---Y-Y--"),
    row("GET", "/api/v1/dossiers/{code}/rating", "/api/v1/dossiers/{rated}/rating", Nothing, "-Y-Y-YYY"),
    row("POST", "/api/v1/dossiers/{code}/rating", "/api/v1/dossiers/{rated}/rating", Payload::Json(r#"{"verdict": "like"}"#), "-Y------"),
    row("GET", "/api/v1/audit", "/api/v1/audit", Nothing, "------YY"),
    row("GET", "/api/v1/notifications", "/api/v1/notifications", Nothing, "-YYYYYYY"),
    row("POST", "/api/v1/notifications/{id}/read", "/api/v1/notifications/{notification}/read", Nothing, "-Y------"),
    row("GET", "/api/v1/lake/datasets", "/api/v1/lake/datasets", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/lake/datasets/{name}", "/api/v1/lake/datasets/gpxd", Nothing, "---YYYYY"),
    row("PUT", "/api/v1/lake/datasets/{name}", "/api/v1/lake/datasets/gpxd", Payload::Json(DATASET), "------Y-"),
    row("GET", "/api/v1/lake/datasets/{name}/versions", "/api/v1/lake/datasets/gpxd/versions", Nothing, "---YYYYY"),
    row("POST", "/api/v1/lake/datasets/{name}/import", "/api/v1/lake/datasets/gpxd/import?mode=append&format=csv&reason=x", Csv("so_giay_phep\nGP1\n"), "------Y-"),
    row("GET", "/api/v1/lake/datasets/{name}/grants", "/api/v1/lake/datasets/gpxd/grants", Nothing, "------Y-"),
    row("POST", "/api/v1/lake/datasets/{name}/grants", "/api/v1/lake/datasets/gpxd/grants", Payload::Json("{}"), "------Y-"),
    row("DELETE", "/api/v1/lake/grants/{id}", "/api/v1/lake/grants/{grant_api}", Nothing, "------Y-"),
    row("POST", "/api/v1/lake/query", "/api/v1/lake/query", Payload::Json(r#"{"sql": "SELECT so_giay_phep FROM gpxd", "purpose": "thong_ke"}"#), "---Y-Y--"),
    row("GET", "/api/v1/lake/dcat", "/api/v1/lake/dcat", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/open-data", "/api/v1/open-data", Nothing, "YYYYYYYY"),
    row("GET", "/api/v1/open-data/{file}", "/api/v1/open-data/gpxd.csv", Nothing, "--------"),
    row("GET", "/api/v1/open-data/{file}", "/api/v1/open-data/gpmo.csv", Nothing, "YYYYYYYY"),
    // Pages.
    row("GET", "/", "/", Nothing, "YYYYYYYY"),
    row("GET", "/procedures/{code}", "/procedures/1.000001", Nothing, "YYYYYYYY"),
    row("GET", "/apply/{code}", "/apply/1.000001", Nothing, "-YY-----"),
    row("POST", "/apply/{code}", "/apply/1.000001", Form("_step=0"), "-YY-----"),
    row("GET", "/applied/{code}", "/applied/{code}", Nothing, "-Y-Y-YYY"),
    row("GET", "/track", "/track", Nothing, "YYYYYYYY"),
    row("POST", "/track", "/track", Form("code=&id_number="), "YYYYYYYY"),
    row("GET", "/track/{code}", "/track/{code}", Nothing, "-Y-Y-YYY"),
    row("POST", "/track/{code}/supplement", "/track/{code}/supplement", Form("note=x"), "-Y------"),
    row("POST", "/track/{code}/rating", "/track/{rated}/rating", Form("verdict=like"), "-Y------"),
    row("GET", "/my", "/my", Nothing, "-YYYYYYY"),
    row("GET", "/my/data", "/my/data", Nothing, "-YYYYYYY"),
    row("GET", "/my/consents", "/my/consents", Nothing, "-YYYYYYY"),
    row("POST", "/my/consents/{purpose}/give", "/my/consents/survey/give", Form("agree=1"), "-YYYYYYY"),
    row("POST", "/my/consents/{purpose}/revoke", "/my/consents/survey/revoke", Form(""), "-YYYYYYY"),
    row("GET", "/notifications", "/notifications", Nothing, "-YYYYYYY"),
    row("POST", "/notifications/read", "/notifications/read", Form(""), "-YYYYYYY"),
    row("GET", "/dossiers/{code}/files/{id}", "/dossiers/{code}/files/{file}", Nothing, "-Y-Y-YYY"),
    row("GET", "/dossiers/{code}/print/{form}", "/dossiers/{code}/print/mau-01", Nothing, "-Y-Y-YYY"),
    row("GET", "/login", "/login", Nothing, "YYYYYYYY"),
    row("POST", "/login", "/login", Form("username=&password="), "YYYYYYYY"),
    row("GET", "/login/second-factor", "/login/second-factor", Nothing, "--------"),
    row("POST", "/login/second-factor", "/login/second-factor", Form("code=123456"), "--------"),
    row("GET", "/login/second-factor/qr.svg", "/login/second-factor/qr.svg", Nothing, "--------"),
    row("GET", "/login/oidc/{provider}", "/login/oidc/vneid", Nothing, "--------"),
    row("GET", "/login/oidc/{provider}/callback", "/login/oidc/vneid/callback", Nothing, "--------"),
    row("GET", "/account/security", "/account/security", Nothing, "-YYYYYYY"),
    row("POST", "/account/tokens", "/account/tokens", Form("name="), "-YYYYYYY"),
    row("POST", "/account/tokens/{id}/revoke", "/account/tokens/{token_page}/revoke", Form(""), "-Y------"),
    row("POST", "/account/sessions/{id}/end", "/account/sessions/{session_page}/end", Form(""), "-Y------"),
    row("GET", "/register", "/register", Nothing, "YYYYYYYY"),
    row("POST", "/register", "/register", Form("username="), "YYYYYYYY"),
    row("GET", "/lang/{code}", "/lang/vi", Nothing, "YYYYYYYY"),
    row("GET", "/office", "/office", Nothing, "---YYYYY"),
    row("GET", "/office/intake", "/office/intake", Nothing, "---Y-Y--"),
    row("POST", "/office/intake", "/office/intake", Form("procedure=1.000001"), "---Y-Y--"),
    row("GET", "/office/audit", "/office/audit", Nothing, "------YY"),
    row("GET", "/office/breaches", "/office/breaches", Nothing, "------Y-"),
    row("POST", "/office/breaches", "/office/breaches", Form("description="), "------Y-"),
    row("POST", "/office/breaches/{id}/notified", "/office/breaches/{breach}/notified", Form(""), "------Y-"),
    row("GET", "/office/dossiers/{code}", "/office/dossiers/{code}", Nothing, "---Y-YYY"),
    row("GET", "/office/dossiers/{code}/{action}", "/office/dossiers/{code}/accept", Nothing, "---Y-Y--"),
    row("POST", "/office/dossiers/{code}/{action}", "/office/dossiers/{code}/refuse", Form(""), "---Y-Y--"),
    row("GET", "/data", "/data", Nothing, "YYYYYYYY"),
    row("GET", "/data/query", "/data/query", Nothing, "---YYYYY"),
    row("POST", "/data/query", "/data/query", Form("sql=SELECT%20so_giay_phep%20FROM%20gpxd&purpose=thong_ke"), "---Y-Y--"),
    row("POST", "/data/grants/{id}/revoke", "/data/grants/{grant_page}/revoke", Form(""), "------Y-"),
    row("GET", "/data/{name}", "/data/gpxd", Nothing, "---YYYYY"),
    row("POST", "/data/{name}/import", "/data/gpxd/import", Form(""), "------Y-"),
    row("POST", "/data/{name}/grants", "/data/gpxd/grants", Form(""), "------Y-"),
    row("GET", "/open-data", "/open-data", Nothing, "YYYYYYYY"),
    row("GET", "/assets/{name}", "/assets/site.css", Nothing, "YYYYYYYY"),
    // Last: these end sessions (each caller uses a session of its own for them).
    ending("POST", "/api/v1/auth/logout-everywhere", Nothing, "-YYYYYYY"),
    ending("POST", "/api/v1/auth/logout", Nothing, "YYYYYYYY"),
    ending("POST", "/account/logout-everywhere", Form(""), "-YYYYYYY"),
    ending("POST", "/logout", Form(""), "YYYYYYYY"),
];

/// The form token sent by every page request, with its cookie (so that what a POST meets is
/// authorization, not the form-token check).
const CSRF: &str = "0123456789abcdef0123456789abcdef";

/// The ids the matrix's paths name.
struct Fixtures {
    values: Vec<(&'static str, String)>,
}

impl Fixtures {
    fn fill(&self, path: &str) -> String {
        let mut out = path.to_string();
        for (k, v) in &self.values {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        assert!(!out.contains('{'), "unfilled placeholder in {path}");
        out
    }
}

/// Allowed (`Some(true)`), denied (`Some(false)`), or neither (`None`: the test fails).
fn verdict(page: bool, status: StatusCode, location: Option<&str>) -> Option<bool> {
    match status.as_u16() {
        200..=299 => Some(true),
        300..=399 if page && location.is_some_and(|l| l.starts_with("/login?next=")) => Some(false),
        300..=399 => Some(true),
        400 | 409 | 413 | 422 => Some(true),
        401 | 403 | 404 => Some(false),
        _ => None,
    }
}

impl TestApp {
    fn root(&self) -> String {
        self.base.trim_end_matches("/api/v1").to_string()
    }

    /// One cell: `row` as the holder of `token`.
    async fn cell(
        &self,
        http: &reqwest::Client,
        row: &Row,
        path: &str,
        token: Option<&str>,
    ) -> (StatusCode, Option<String>) {
        let page = !row.route.starts_with("/api/");
        let url = format!("{}{path}", self.root());
        let mut r = http.request(row.method.parse().unwrap(), url);
        if page {
            let mut cookie = format!("citygov_csrf={CSRF}");
            if let Some(t) = token {
                cookie.push_str(&format!("; citygov_session={t}"));
            }
            r = r.header("cookie", cookie);
        } else if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r = match row.send {
            Nothing => r,
            Payload::Json(body) => r.header("content-type", "application/json").body(body),
            Upload => {
                let part = reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("to-khai.pdf");
                r.multipart(reqwest::multipart::Form::new().part("file", part))
            }
            Csv(body) => r.header("content-type", "text/csv").body(body),
            Form(fields) => {
                let body = if fields.is_empty() {
                    format!("_csrf={CSRF}")
                } else {
                    format!("{fields}&_csrf={CSRF}")
                };
                r.header("content-type", "application/x-www-form-urlencoded").body(body)
            }
        };
        let resp = r.send().await.unwrap();
        let location = resp
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        (resp.status(), location)
    }

    /// A fresh session of every caller of the matrix (the clock moves on a minute first, so
    /// that every official has an unused second-factor code).
    async fn sessions_of_all(&self) -> Vec<Option<String>> {
        let now = *self.clock.lock().unwrap() + chrono::Duration::minutes(2);
        *self.clock.lock().unwrap() = now;
        let mut out = Vec::new();
        for u in USERS {
            out.push(match u {
                Some(u) => Some(self.login(u).await),
                None => None,
            });
        }
        out
    }
}

/// The routes registered in `routes.rs` (under `/api/v1`) and `pages/mod.rs`: each
/// `.route("path", get(…).post(…))` call, as (method, path).
fn registered_routes() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    for (file, prefix) in [("routes.rs", "/api/v1"), ("pages/mod.rs", "")] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(".route(") {
            rest = rest[i + ".route(".len()..].trim_start();
            let Some(after_quote) = rest.strip_prefix('"') else {
                continue;
            };
            rest = after_quote;
            let end = rest.find('"').unwrap();
            let path = rest[..end].to_string();
            // The call's arguments: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let mut close = 0;
            for (k, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = k;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let args = &rest[end..close];
            for m in ["get", "post", "put", "delete", "patch"] {
                let call = format!("{m}(");
                let calls = args.match_indices(&call).filter(|(k, _)| {
                    let before = args[..*k].chars().last();
                    !before.is_some_and(|b| b.is_alphanumeric() || b == '_' || b == ':')
                });
                if calls.count() > 0 {
                    out.push((m.to_ascii_uppercase(), format!("{prefix}{path}")));
                }
            }
            rest = &rest[close..];
        }
    }
    out
}

#[test]
fn every_route_has_a_row_in_the_authorization_matrix() {
    let routes = registered_routes();
    assert!(routes.len() > 80, "the route registrations were not found: {routes:?}");
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, p)| !MATRIX.iter().any(|r| r.method == m && r.route == p))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in MATRIX (crates/web/tests/api.rs): {missing:?}"
    );
    let stale: Vec<String> = MATRIX
        .iter()
        .filter(|r| !routes.iter().any(|(m, p)| r.method == m && r.route == p))
        .map(|r| format!("{} {}", r.method, r.route))
        .collect();
    assert!(stale.is_empty(), "MATRIX rows of no registered route: {stale:?}");
    for r in MATRIX {
        assert!(
            r.expect.len() == CALLERS.len() && r.expect.chars().all(|c| c == 'Y' || c == '-'),
            "{} {}: the expectation needs one Y or - per caller",
            r.method,
            r.route
        );
    }
}

#[tokio::test]
async fn every_route_allows_and_denies_each_kind_of_caller_as_the_matrix_says() {
    on_both(|app| async move {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let sessions = app.sessions_of_all().await;
        let applicant = sessions[1].clone().unwrap();
        let intake = sessions[3].clone().unwrap();
        let admin = sessions[6].clone().unwrap();
        // The dossier every cell is about, filed online with an attachment.
        let d = file_online(&app, &applicant).await;
        let code = d["code"].as_str().unwrap().to_string();
        let file = d["documents"][0]["file"]["id"].as_str().unwrap().to_string();
        // A second one, ended and rated, for the rating routes.
        let processing = app.login("xl.w1").await;
        let r = file_online(&app, &applicant).await;
        let rated = r["code"].as_str().unwrap().to_string();
        for (token, action, body) in [
            (&intake, "accept", json!({})),
            (&intake, "forward", json!({})),
            (
                &processing,
                "finish",
                json!({"results": [{"name": "Giấy khai sinh", "result_code": "KS-1"}]}),
            ),
            (&intake, "return_result", json!({})),
        ] {
            app.act(Some(token), &rated, action, body)
                .await
                .error_for_status()
                .unwrap();
        }
        assert_eq!(
            app.rate(Some(&applicant), &rated, json!({"verdict": "like"}))
                .await
                .status(),
            StatusCode::OK
        );
        let now = *app.clock.lock().unwrap();
        assert!(app.store.notify_from_outbox(100, now).await.unwrap() > 0);
        let notification = app.get_json(Some(&applicant), "/notifications").await[0]["id"]
            .as_i64()
            .expect("the applicant has a notification")
            .to_string();
        // The applicant's tokens and other sessions, one for the API's routes, one for the pages'.
        let mut tokens = Vec::new();
        for name in ["api", "page"] {
            let r = app
                .http
                .post(format!("{}/auth/tokens", app.base))
                .bearer_auth(&applicant)
                .json(&json!({"name": name, "scopes": ["dossiers:read"]}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
            tokens.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
        }
        let mut other_sessions = Vec::new();
        for _ in 0..2 {
            let s = app.login("congdan").await;
            let listed = app.get_json(Some(&s), "/auth/sessions").await;
            let id = listed
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["current"] == true)
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string();
            other_sessions.push(id);
        }
        // A dataset of the warehouse with two grants, one for the API's routes, one for the
        // pages'; and an open one, downloadable by anyone.
        for (name, definition, csv) in [
            (
                "gpxd",
                DATASET,
                "so_giay_phep,cccd_chu_dau_tu,ma_xa\nGP1,001099012345,H31.01.01\nGP2,031088000111,H31.01.02\n",
            ),
            ("gpmo", OPEN_DATASET, "so_giay_phep,ma_xa\nGP1,H31.01.01\n"),
        ] {
            let r = app
                .http
                .put(format!("{}/lake/datasets/{name}", app.base))
                .bearer_auth(&admin)
                .header("content-type", "application/json")
                .body(definition)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
            let r = app
                .http
                .post(format!(
                    "{}/lake/datasets/{name}/import?mode=append&format=csv&reason=x",
                    app.base
                ))
                .bearer_auth(&admin)
                .body(csv)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
        // The ward w1 may query it for statistics; two more grants are there to be revoked.
        let mut grants = Vec::new();
        for (kind, grantee) in [("unit", "H31.01.01"), ("unit", "000.00.20.H31"), ("role", "analyst")] {
            let r = app
                .http
                .post(format!("{}/lake/datasets/gpxd/grants", app.base))
                .bearer_auth(&admin)
                .json(&json!({"grantee_kind": kind, "grantee": grantee, "purpose": "thong_ke", "rows": "all"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
            grants.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
        }
        // A breach to mark notified.
        let admin_account = app.store.account_by_username("admin").await.unwrap().unwrap();
        let breach = app
            .store
            .record_breach(
                &citygov_store::privacy::NewBreach {
                    discovered_at: Some(t("2026-03-02T08:00")),
                    description: "Thiết bị bị mất".into(),
                    data_classes: vec!["identity".into()],
                    people_affected: Some(3),
                    measures: "Đổi mật khẩu".into(),
                },
                &admin_account,
                t("2026-03-02T09:00"),
            )
            .await
            .unwrap()
            .id;
        let fx = Fixtures {
            values: vec![
                ("breach", breach),
                ("code", code.clone()),
                ("rated", rated.clone()),
                ("file", file),
                ("notification", notification),
                ("token_api", tokens[0].clone()),
                ("token_page", tokens[1].clone()),
                ("session_api", other_sessions[0].clone()),
                ("session_page", other_sessions[1].clone()),
                ("grant_api", grants[1].clone()),
                ("grant_page", grants[2].clone()),
            ],
        };

        let mut observed: Vec<(String, String, String, Vec<u16>)> = Vec::new();
        let mut wrong = Vec::new();
        for row in MATRIX {
            let path = fx.fill(row.path);
            let tokens = if row.ends_session {
                app.sessions_of_all().await
            } else {
                sessions.clone()
            };
            let mut got = String::new();
            let mut statuses = Vec::new();
            for (i, token) in tokens.iter().enumerate() {
                let (status, location) = app.cell(&http, row, &path, token.as_deref()).await;
                statuses.push(status.as_u16());
                let v = verdict(!row.route.starts_with("/api/"), status, location.as_deref());
                got.push(match v {
                    Some(true) => 'Y',
                    Some(false) => '-',
                    None => '?',
                });
                if got.chars().last() != row.expect.chars().nth(i) {
                    wrong.push(format!(
                        "{} {} as {}: expected {}, got {status}{}",
                        row.method,
                        path,
                        CALLERS[i],
                        if row.expect.chars().nth(i) == Some('Y') {
                            "allowed"
                        } else {
                            "denied"
                        },
                        location.map(|l| format!(" → {l}")).unwrap_or_default()
                    ));
                }
            }
            observed.push((row.method.to_string(), row.route.to_string(), got, statuses));
        }
        if !wrong.is_empty() {
            let mut table = String::from("observed (Y allowed, - denied, ? neither):\n");
            for (m, r, got, statuses) in &observed {
                table.push_str(&format!("    {m:<6} {r:<50} \"{got}\"  {statuses:?}\n"));
            }
            panic!("{}\n\n{}", wrong.join("\n"), table);
        }
        app
    })
    .await;
}

/// Every view of one dossier by someone other than the applicant's own account leaves one
/// `dossier.read` entry of the documented shape; lists leave none; administrators and
/// auditors read them back through the audit API, which others may not.
#[tokio::test]
async fn reads_of_a_dossier_are_audited_and_readable_by_auditors_only() {
    on_both(|app| async move {
        let applicant = app.login("congdan").await;
        let intake = app.login("tn.w1").await;
        let auditor = app.login("thanhtra").await;
        let admin = app.login("admin").await;
        let d = file_online(&app, &applicant).await;
        let code = d["code"].as_str().unwrap().to_string();
        let id = d["id"].as_str().unwrap().to_string();
        // An auditor may not upload, whatever the body: refused before it is read.
        let r = app
            .http
            .post(format!("{}/files", app.base))
            .bearer_auth(&auditor)
            .body("not a multipart body")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let reads = |token: String| {
            let (http, base, id) = (app.http.clone(), app.base.clone(), id.clone());
            async move {
                let r = http
                    .get(format!("{base}/audit?action=dossier.read&entity_type=dossier&entity_id={id}&order=asc"))
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::OK);
                r.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
            }
        };
        // The applicant's own reads and the queues are not recorded.
        for p in [format!("/dossiers/{code}"), format!("/dossiers/{code}/history"), "/dossiers".into()] {
            let r = app.http.get(format!("{}{p}", app.base)).bearer_auth(&applicant).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
        let r = app.http.get(format!("{}/dossiers", app.base)).bearer_auth(&intake).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(reads(auditor.clone()).await.is_empty());
        // An official of the unit, an anonymous holder of the code, the administrator, the auditor.
        let get = |token: Option<&str>, p: String| {
            let mut r = app.http.get(format!("{}{p}", app.base));
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            async move { r.send().await.unwrap().status() }
        };
        assert_eq!(get(Some(&intake), format!("/dossiers/{code}")).await, StatusCode::OK);
        assert_eq!(get(Some(&intake), format!("/dossiers/{code}/history")).await, StatusCode::OK);
        assert_eq!(get(None, format!("/dossiers/{code}?id_number=031090001234")).await, StatusCode::OK);
        assert_eq!(get(None, format!("/dossiers/{code}")).await, StatusCode::NOT_FOUND, "no read without the number");
        assert_eq!(get(Some(&admin), format!("/dossiers/{code}")).await, StatusCode::OK);
        assert_eq!(get(Some(&auditor), format!("/dossiers/{code}/history")).await, StatusCode::OK);
        // The pages: the office dossier page (leader) and the tracking page (auditor).
        let leader = app.login("ld.w1").await;
        for (token, p) in [(&leader, format!("/office/dossiers/{code}")), (&auditor, format!("/track/{code}"))] {
            let r = app
                .http
                .get(format!("{}{p}", app.root()))
                .header("cookie", format!("citygov_session={token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{p}");
        }
        let items = reads(auditor.clone()).await;
        let shape: Vec<(Value, Value)> = items.iter().map(|e| (e["actor"]["id"].clone(), e["detail"].clone())).collect();
        let me = |t: &str| {
            let (http, base, t) = (app.http.clone(), app.base.clone(), t.to_string());
            async move { http.get(format!("{base}/me")).bearer_auth(t).send().await.unwrap().json::<Value>().await.unwrap()["id"].clone() }
        };
        let (intake_id, admin_id, auditor_id, leader_id) = (me(&intake).await, me(&admin).await, me(&auditor).await, me(&leader).await);
        let detail = |unit: Value, role: &str, purpose: &str| json!({"code": code, "unit": unit, "role": role, "purpose": purpose});
        assert_eq!(
            shape,
            vec![
                (intake_id.clone(), detail(json!("H31.01.01"), "intake_officer", "processing")),
                (intake_id, detail(json!("H31.01.01"), "intake_officer", "processing")),
                (Value::Null, detail(Value::Null, "holder_of_code", "lookup")),
                (admin_id, detail(Value::Null, "administrator", "administration")),
                (auditor_id.clone(), detail(Value::Null, "auditor", "inspection")),
                (leader_id, detail(json!("H31.01.01"), "unit_leader", "processing")),
                (auditor_id, detail(Value::Null, "auditor", "inspection")),
            ]
        );
        for e in &items {
            assert_eq!(e["action"], "dossier.read");
            assert_eq!(e["entity"], json!({"type": "dossier", "id": id}));
            assert_eq!(e["hash"].as_str().unwrap().len(), 64);
        }
        assert_eq!(items[2]["actor"]["name"], "anonymous");
        // Anonymous reads are found by `actor=anonymous`; the administrator reads the trail too.
        let r = app.get_json(Some(&admin), "/audit?actor=anonymous&action=dossier.read").await;
        assert_eq!(r["items"].as_array().unwrap().len(), 1);
        let r = app.get_json(Some(&admin), "/audit?actor=tn.w1&action=dossier.read&limit=1").await;
        assert_eq!(r["items"].as_array().unwrap().len(), 1);
        let next = r["next_after"].as_i64().expect("a second page");
        let r2 = app.get_json(Some(&admin), &format!("/audit?actor=tn.w1&action=dossier.read&limit=1&after={next}")).await;
        assert!(r2["items"][0]["seq"].as_i64().unwrap() < next, "newest first");
        // Others may not; bad parameters are named and change nothing.
        for t in [&applicant, &intake, &leader] {
            let r = app.http.get(format!("{}/audit", app.base)).bearer_auth(t).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
        }
        let r = app
            .http
            .get(format!("{}/audit?limit=501&from=yesterday&order=up", app.base))
            .bearer_auth(&auditor)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = r.json::<Value>().await.unwrap().to_string();
        for f in ["\"limit\"", "\"from\"", "\"order\""] {
            assert!(body.contains(f), "{f} in {body}");
        }
        // The auditor acts on none: no upload, no filing, no action.
        let up = app.upload(&auditor, "a.pdf", PDF).await;
        let (status, code_, _) = error_of(up).await;
        assert_eq!((status, code_.as_str()), (StatusCode::FORBIDDEN, "forbidden"));
        let r = app.act(Some(&auditor), &code, "accept", json!({})).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // An API token reads the trail only with the scope `audit:read`.
        for (scopes, expect) in [(json!(["dossiers:read"]), StatusCode::FORBIDDEN), (json!(["audit:read"]), StatusCode::OK)] {
            let r = app
                .http
                .post(format!("{}/auth/tokens", app.base))
                .bearer_auth(&auditor)
                .json(&json!({"name": "kiểm toán", "scopes": scopes}))
                .send()
                .await
                .unwrap();
            let t = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
            let r = app.http.get(format!("{}/audit", app.base)).bearer_auth(&t).send().await.unwrap();
            assert_eq!(r.status(), expect);
        }
        app
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Personal data: the citizen's tracker and consents, the breach record
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_data_tracker_shows_the_unit_and_role_that_read_a_dossier_never_the_official() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let intake = app.login("tn.w1").await;
        let d = file_online(&app, &citizen).await;
        let code = d["code"].as_str().unwrap().to_string();
        app.act(Some(&intake), &code, "accept", json!({}))
            .await
            .error_for_status()
            .unwrap();
        // A processing officer of the ward reads the dossier: the read path records it.
        let officer = app.store.account_by_username("xl.w1").await.unwrap().unwrap();
        let reader = app.login("xl.w1").await;
        let seen: Value = app.get_json(Some(&reader), &format!("/dossiers/{code}")).await;
        assert_eq!(seen["code"], code.as_str());
        let r = app
            .http
            .get(format!("{}/me/data-access", app.base))
            .bearer_auth(&citizen)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let text = r.text().await.unwrap();
        let body: Value = serde_json::from_str(&text).unwrap();
        let items = body["items"].as_array().unwrap();
        let read = items.iter().find(|i| i["kind"] == "read").expect("the read is listed");
        assert_eq!(read["dossier_code"], code.as_str());
        assert_eq!(read["unit"]["code"], "H31.01.01");
        assert_eq!(read["unit"]["name"], "Phường Thủy Nguyên");
        assert_eq!(read["role"], "processing_officer");
        assert_eq!(read["role_title_vi"], "Cán bộ xử lý");
        assert_eq!(read["role_title_en"], "Processing officer");
        assert_eq!(read["purpose"], "processing");
        assert_eq!(read["purpose_vi"], "Xử lý hồ sơ");
        let accept = items
            .iter()
            .find(|i| i["action"] == "accept")
            .expect("the acceptance is listed");
        assert_eq!(accept["role"], "intake_officer");
        assert_eq!(accept["unit"]["name"], "Phường Thủy Nguyên");
        assert_eq!(accept["action_vi"], "Tiếp nhận");
        let filed = items.iter().find(|i| i["action"] == "file").unwrap();
        assert_eq!(filed["role"], "self");
        let intake_account = app.store.account_by_username("tn.w1").await.unwrap().unwrap();
        for secret in [
            "Người dùng xl.w1",
            "Người dùng tn.w1",
            "xl.w1",
            "tn.w1",
            officer.id.as_str(),
            intake_account.id.as_str(),
        ] {
            assert!(!text.contains(secret), "{secret} shown in {text}");
        }
        let total = body["total"].as_i64().unwrap();
        assert!(total >= 4, "{text}");
        // Paged, and bad paging is explained.
        let one: Value = app.get_json(Some(&citizen), "/me/data-access?page_size=1&page=2").await;
        assert_eq!(one["items"].as_array().unwrap().len(), 1);
        assert_eq!(one["total"], total);
        assert_eq!(one["items"][0], items[1]);
        let bad = app
            .http
            .get(format!("{}/me/data-access?page=abc", app.base))
            .bearer_auth(&citizen)
            .send()
            .await
            .unwrap();
        let (status, code_, field) = error_of(bad).await;
        assert_eq!(
            (status, code_.as_str(), field.as_deref()),
            (StatusCode::BAD_REQUEST, "invalid_number", Some("page"))
        );
        let anon = app
            .http
            .get(format!("{}/me/data-access", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
        // Another citizen's tracker does not show this dossier.
        let officer_view: Value = app.get_json(Some(&intake), "/me/data-access").await;
        assert!(
            officer_view["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["dossier_code"] != code.as_str())
        );
        app
    })
    .await;
}

#[tokio::test]
async fn consents_are_given_revoked_and_given_again_over_http_with_their_history() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let list: Value = app.get_json(Some(&citizen), "/me/consents").await;
        let purposes: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["purpose"].as_str().unwrap())
            .collect();
        assert_eq!(purposes, vec!["prefill", "survey", "share_agencies"]);
        assert!(
            list.as_array().unwrap().iter().all(|c| c["given"] == false),
            "nothing pre-ticked"
        );
        assert_eq!(list[1]["scope"][0]["code"], "contact");
        let url = format!("{}/me/consents/survey", app.base);
        let r = app.http.post(&url).bearer_auth(&citizen).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["given"], true);
        assert_eq!(v["given_at"], "2026-03-02T09:00:00");
        let r = app.http.post(&url).bearer_auth(&citizen).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "given already: nothing changes");
        app.set_now("2026-03-03T09:00");
        let r = app.http.delete(&url).bearer_auth(&citizen).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["given"], false);
        assert_eq!(v["history"][0]["revoked_at"], "2026-03-03T09:00:00");
        let r = app.http.delete(&url).bearer_auth(&citizen).send().await.unwrap();
        let (status, code, _) = error_of(r).await;
        assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "consent_not_given"));
        let r = app
            .http
            .post(format!("{}/me/consents/marketing", app.base))
            .bearer_auth(&citizen)
            .send()
            .await
            .unwrap();
        let (status, code, field) = error_of(r).await;
        assert_eq!(
            (status, code.as_str(), field.as_deref()),
            (StatusCode::NOT_FOUND, "unknown_purpose", Some("purpose"))
        );
        app.set_now("2026-03-04T09:00");
        let r = app.http.post(&url).bearer_auth(&citizen).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let list: Value = app.get_json(Some(&citizen), "/me/consents").await;
        let survey = &list[1];
        assert_eq!(survey["given"], true);
        assert_eq!(
            survey["history"].as_array().unwrap().len(),
            2,
            "revoking closes; giving again opens a new record"
        );
        assert_eq!(survey["history"][1]["revoked_at"], "2026-03-03T09:00:00");
        let me: Value = app.get_json(Some(&citizen), "/me").await;
        assert!(
            app.store
                .has_consent(me["id"].as_str().unwrap(), "survey")
                .await
                .unwrap()
        );
        assert!(
            !app.store
                .has_consent(me["id"].as_str().unwrap(), "prefill")
                .await
                .unwrap()
        );
        let audited: Vec<String> = app
            .store
            .audit_for(me["id"].as_str().unwrap())
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .filter(|a| a.starts_with("consent."))
            .collect();
        assert_eq!(audited, vec!["consent.given", "consent.revoked", "consent.given"]);
        // The tracker lists the decisions as changes of the account.
        let tracker: Value = app.get_json(Some(&citizen), "/me/data-access").await;
        assert_eq!(tracker["items"][0]["action"], "consent.given");
        assert_eq!(tracker["items"][0]["role"], "self");
        app
    })
    .await;
}

#[tokio::test]
async fn breaches_run_a_72_hour_clock_and_only_administrators_record_them() {
    on_both(|app| async move {
        let citizen = app.login("congdan").await;
        let officer = app.login("xl.w1").await;
        let admin = app.login("admin").await;
        let url = format!("{}/breaches", app.base);
        let good = json!({
            "discovered_at": "2026-03-01T09:00",
            "description": "Bảng kê hồ sơ bị gửi nhầm địa chỉ thư điện tử",
            "data_classes": ["identity", "contact"],
            "people_affected": 35,
            "measures": "Đề nghị người nhận xóa thư; rà soát danh sách gửi",
        });
        for token in [&citizen, &officer] {
            let r = app.http.get(&url).bearer_auth(token).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
            let r = app.http.post(&url).bearer_auth(token).json(&good).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
        }
        assert_eq!(app.http.get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
        let r = app
            .http
            .post(&url)
            .bearer_auth(&admin)
            .json(&json!({"discovered_at": "hôm qua", "description": "", "data_classes": ["nhom_mau"], "people_affected": -3}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let e: Value = r.json().await.unwrap();
        let mut fields: Vec<&str> = e["error"]["details"].as_array().unwrap().iter().map(|p| p["field"].as_str().unwrap()).collect();
        fields.sort();
        assert_eq!(fields, vec!["data_classes", "description", "discovered_at", "measures", "people_affected"]);
        assert_eq!(app.store.count("breaches").await.unwrap(), 0, "nothing written");
        let r = app.http.post(&url).bearer_auth(&admin).json(&good).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let b: Value = r.json().await.unwrap();
        let id = b["id"].as_str().unwrap().to_string();
        assert_eq!(b["clock"]["deadline"], "2026-03-04T09:00:00");
        assert_eq!(b["clock"]["state"], "running");
        assert_eq!(b["clock"]["minutes_to_deadline"], 48 * 60);
        assert_eq!(b["people_affected"], 35);
        // A day past the deadline, the clock says how late it is.
        app.set_now("2026-03-05T09:00");
        let list: Value = app.get_json(Some(&admin), "/breaches").await;
        assert_eq!(list[0]["clock"]["state"], "overdue");
        assert!(list[0]["clock_en"].as_str().unwrap().contains("overdue by 24 h 0 min"), "{list}");
        assert!(list[0]["clock_vi"].as_str().unwrap().contains("Quá hạn"), "{list}");
        let notified = format!("{url}/{id}/notified");
        let r = app.http.post(&notified).bearer_auth(&officer).json(&json!({"notified_to": "A05"})).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = app.http.post(&notified).bearer_auth(&admin).json(&json!({"notified_to": ""})).send().await.unwrap();
        let (status, code, field) = error_of(r).await;
        assert_eq!((status, code.as_str(), field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, "required", Some("notified_to")));
        let r = app.http.post(&notified).bearer_auth(&admin).json(&json!({"notified_to": "Cục A05, Bộ Công an"})).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let n: Value = r.json().await.unwrap();
        assert_eq!(n["clock"]["state"], "notified_late");
        assert_eq!(n["clock"]["notified_in_time"], false);
        assert_eq!(n["notified_to"], "Cục A05, Bộ Công an");
        let r = app.http.post(&notified).bearer_auth(&admin).json(&json!({"notified_to": "A05"})).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let audited: Vec<String> = app.store.audit_for(&id).await.unwrap().into_iter().map(|a| a.action).collect();
        assert_eq!(audited, vec!["breach.recorded", "breach.notified"]);
        app
    })
    .await;
}
