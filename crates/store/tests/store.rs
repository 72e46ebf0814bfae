//! Store tests: every test runs on SQLite and on a real PostgreSQL server
//! (`CITYGOV_TEST_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/postgres).

use chrono::NaiveDate;
use citygov_domain::LocalTime;
use citygov_domain::calendar::{Calendar, TimeUnit};
use citygov_domain::catalog::{Level, TimeLimit};
use citygov_domain::codes::{AgencyCode, ApplicantType, DossierCodeFormat};
use citygov_domain::dossier::{Applicant, Channel, Dossier, HistoryEntry, ResultDocument, Routing, Status};
use citygov_domain::rating::{Rating, Verdict};
use citygov_domain::unit::{LineageKind, LineageLink, Unit, UnitKind, UnitVersion};
use citygov_domain::workflow::{self, Action, Actor, Command, Role};
use citygov_store::dossiers::{Change, DeadlineFilter, Filed, Filing, IdempotencyKey, QueueQuery};
use citygov_store::sealing::{KeySource, MasterKey, MasterKeys};
use citygov_store::{AuditRecord, Error, Store, StoreOptions};
use std::future::Future;

mod common;
use common::{pg_admin, procedure};

/// The master key of the tests' stores: every store test runs with personal data sealed.
fn test_keys() -> MasterKeys {
    MasterKeys::parse("test-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap()
}

fn opts(url: impl Into<String>) -> StoreOptions {
    let mut o = StoreOptions::new(url);
    o.keys = KeySource::Given(test_keys());
    o
}

/// Run a test body on a fresh SQLite store and on a fresh PostgreSQL database.
async fn on_both<F, Fut>(f: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Store::open(&opts(format!("sqlite://{}", dir.path().join("t.db").display())))
        .await
        .unwrap();
    f(sqlite.clone()).await;
    sqlite.close().await;
    let admin = pg_admin();
    let url = citygov_store::create_scratch_database(&admin, "citygov_test")
        .await
        .expect("PostgreSQL must be running for store tests");
    let pg = Store::open(&opts(url.clone())).await.unwrap();
    f(pg.clone()).await;
    pg.close().await;
    citygov_store::drop_scratch_database(&admin, &url).await.unwrap();
}

/// The account of a finished login; `None` for a refused one. A login that stops for a
/// second factor here is a bug of the test.
fn logged_in(step: citygov_store::accounts::LoginStep) -> Option<citygov_store::accounts::Account> {
    match step {
        citygov_store::accounts::LoginStep::Done(a) => Some(a),
        citygov_store::accounts::LoginStep::Refused => None,
        citygov_store::accounts::LoginStep::SecondFactor(a) => panic!("{} needs a second factor", a.username),
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(s: &str) -> LocalTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn unit(id: &str, code: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> Unit {
    Unit {
        id: id.into(),
        code: AgencyCode::parse(code).unwrap(),
        name: name.into(),
        short_name: None,
        kind,
        parent_id: parent.map(Into::into),
        valid_from: d(2025, 7, 1),
        valid_to: None,
    }
}

async fn seed(store: &Store) {
    let units = vec![
        unit(
            "city",
            "000.00.00.H31",
            "UBND thành phố Hải Phòng",
            UnitKind::City,
            None,
        ),
        unit("stp", "000.00.05.H31", "Sở Tư pháp", UnitKind::Department, Some("city")),
        unit("w1", "H31.01.01", "Phường Thủy Nguyên", UnitKind::Ward, Some("city")),
        unit("w2", "H31.01.02", "Phường Thiên Hương", UnitKind::Ward, Some("city")),
    ];
    let versions = units
        .iter()
        .map(|u| UnitVersion {
            unit_id: u.id.clone(),
            code: u.code.clone(),
            name: u.name.clone(),
            valid_from: u.valid_from,
            valid_to: None,
        })
        .collect::<Vec<_>>();
    store.save_units(&units, &versions, &[]).await.unwrap();
    store
        .import_procedures(&[procedure("1.000001", Level::Commune, None)], t("2026-01-05T08:00"))
        .await
        .unwrap();
}

fn new_dossier(id: &str, at: LocalTime) -> Dossier {
    let w1 = Routing {
        receiving_unit_id: "w1".into(),
        receiving_unit_code: "H31.01.01".into(),
        receiving_unit_name: "Phường Thủy Nguyên".into(),
        competent_unit_id: "w1".into(),
        competent_unit_code: "H31.01.01".into(),
    };
    let applicant = Applicant {
        kind: ApplicantType::Citizen,
        full_name: "Nguyễn Văn An".into(),
        id_number: "031090001234".into(),
        phone: None,
        email: None,
        address: None,
    };
    Dossier {
        applicant_account_id: Some("acc-1".into()),
        vneid_verified: true,
        form_data: serde_json::json!({"full_name": "Nguyễn Văn An"}),
        ..Dossier::submitted(
            id.into(),
            "1.000001",
            "Thủ tục đăng ký khai sinh",
            w1,
            Channel::Online,
            applicant,
            at,
        )
    }
}

fn filing(id: &str, at: LocalTime, idem: Option<&str>) -> Filing {
    Filing {
        dossier: new_dossier(id, at),
        receiving_agency: AgencyCode::parse("H31.01.01").unwrap(),
        history: vec![HistoryEntry {
            at,
            action: "file".into(),
            event: "dossier.filed".into(),
            from_status: None,
            to_status: Status::Submitted,
            actor_id: Some("acc-1".into()),
            actor_name: "Nguyễn Văn An".into(),
            actor_title: "Công dân".into(),
            unit_code: None,
            content: "Nộp trực tuyến".into(),
            step_deadline: None,
        }],
        audit: AuditRecord {
            actor_id: Some("acc-1".into()),
            actor_name: "Nguyễn Văn An".into(),
            action: "dossier.filed".into(),
            entity_type: "dossier".into(),
            entity_id: String::new(),
            detail: serde_json::json!({}),
        },
        file_ids: vec![],
        file_owner: "acc-1".into(),
        idempotency: idem.map(|k| IdempotencyKey {
            principal: "acc-1".into(),
            key: k.into(),
            request_hash: "h1".into(),
        }),
    }
}

fn filed(f: Filed) -> Dossier {
    match f {
        Filed::New(d) => d,
        Filed::Replayed(_) => panic!("expected a new dossier"),
    }
}

#[tokio::test]
async fn codes_follow_the_format_and_count_per_unit_and_day() {
    on_both(|s| async move {
        seed(&s).await;
        let f = DossierCodeFormat::default();
        let a = filed(
            s.file_dossier(filing("a", t("2026-10-08T09:00"), None), &f)
                .await
                .unwrap(),
        );
        let b = filed(
            s.file_dossier(filing("b", t("2026-10-08T10:00"), None), &f)
                .await
                .unwrap(),
        );
        let c = filed(
            s.file_dossier(filing("c", t("2026-10-09T10:00"), None), &f)
                .await
                .unwrap(),
        );
        assert_eq!(a.code, "H31.01.01-261008-0001");
        assert_eq!(b.code, "H31.01.01-261008-0002");
        assert_eq!(c.code, "H31.01.01-261009-0001");
        assert_eq!(s.dossier_by_code(&b.code).await.unwrap().unwrap().id, "b");
    })
    .await;
}

#[tokio::test]
async fn filing_writes_history_audit_and_outbox_in_one_transaction() {
    on_both(|s| async move {
        seed(&s).await;
        let dsr = filed(
            s.file_dossier(filing("a", t("2026-10-08T09:00"), None), &DossierCodeFormat::default())
                .await
                .unwrap(),
        );
        assert_eq!(s.history(&dsr.id).await.unwrap().len(), 1);
        let audit = s.audit_for(&dsr.id).await.unwrap();
        assert_eq!(audit.len(), 1);
        assert!(audit[0].detail.contains(&dsr.code));
        assert_eq!(s.count("outbox").await.unwrap(), 1);
        // A failing filing (an unknown file to attach) leaves nothing behind, not even a code.
        let mut bad = filing("b", t("2026-10-08T09:30"), None);
        bad.file_ids = vec!["no-such-file".into()];
        assert!(matches!(
            s.file_dossier(bad, &DossierCodeFormat::default()).await,
            Err(Error::Invalid(_))
        ));
        assert_eq!(s.count("dossiers").await.unwrap(), 1);
        assert_eq!(s.count("outbox").await.unwrap(), 1);
        let next = filed(
            s.file_dossier(filing("c", t("2026-10-08T10:00"), None), &DossierCodeFormat::default())
                .await
                .unwrap(),
        );
        assert_eq!(next.code, "H31.01.01-261008-0002");
    })
    .await;
}

#[tokio::test]
async fn an_idempotency_key_never_files_twice() {
    on_both(|s| async move {
        seed(&s).await;
        let f = DossierCodeFormat::default();
        let first = filed(
            s.file_dossier(filing("a", t("2026-10-08T09:00"), Some("k1")), &f)
                .await
                .unwrap(),
        );
        match s
            .file_dossier(filing("b", t("2026-10-08T09:01"), Some("k1")), &f)
            .await
            .unwrap()
        {
            Filed::Replayed(d) => assert_eq!(d.id, first.id),
            Filed::New(_) => panic!("filed twice"),
        }
        assert_eq!(s.count("dossiers").await.unwrap(), 1);
        let mut other = filing("c", t("2026-10-08T09:02"), Some("k1"));
        other.idempotency.as_mut().unwrap().request_hash = "different".into();
        assert!(matches!(s.file_dossier(other, &f).await, Err(Error::Conflict(_))));
    })
    .await;
}

#[tokio::test]
async fn concurrent_intake_from_two_store_instances_never_repeats_a_code() {
    // Two stores on one database behave like two `citygov serve` processes.
    let dir = tempfile::tempdir().unwrap();
    let admin = pg_admin();
    let pg_url = citygov_store::create_scratch_database(&admin, "citygov_test")
        .await
        .unwrap();
    for url in [
        format!("sqlite://{}", dir.path().join("c.db").display()),
        pg_url.clone(),
    ] {
        let s1 = Store::open(&opts(url.clone())).await.unwrap();
        let s2 = Store::open(&opts(url.clone())).await.unwrap();
        seed(&s1).await;
        let mut tasks = Vec::new();
        for i in 0..200 {
            let s = if i % 2 == 0 { s1.clone() } else { s2.clone() };
            tasks.push(tokio::spawn(async move {
                filed(
                    s.file_dossier(
                        filing(&format!("d{i}"), t("2026-10-08T09:00"), None),
                        &DossierCodeFormat::default(),
                    )
                    .await
                    .unwrap(),
                )
                .code
            }));
        }
        let mut codes = Vec::new();
        for task in tasks {
            codes.push(task.await.unwrap());
        }
        codes.sort();
        let mut expected: Vec<String> = (1..=200).map(|n| format!("H31.01.01-261008-{n:04}")).collect();
        expected.sort();
        assert_eq!(codes, expected, "codes are unique and contiguous on {url}");
        s1.close().await;
        s2.close().await;
    }
    citygov_store::drop_scratch_database(&admin, &pg_url).await.unwrap();
}

#[tokio::test]
async fn one_bad_filing_in_a_group_commit_fails_alone() {
    on_both(|s| async move {
        seed(&s).await;
        let mut tasks = Vec::new();
        for i in 0..60 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                let mut f = filing(&format!("g{i}"), t("2026-10-08T09:00"), Some(&format!("key-{i}")));
                if i == 17 {
                    f.file_ids = vec!["missing".into()];
                }
                s.file_dossier(f, &DossierCodeFormat::default()).await
            }));
        }
        let mut codes = Vec::new();
        let mut failed = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(f) => codes.push(filed(f).code),
                Err(Error::Invalid(ps)) => {
                    assert_eq!(ps[0].code, "file_not_available");
                    failed += 1;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(failed, 1);
        codes.sort();
        let expected: Vec<String> = (1..=59).map(|n| format!("H31.01.01-261008-{n:04}")).collect();
        assert_eq!(codes, expected, "no gap and no repeat after the failed batch");
        assert_eq!(s.count("dossiers").await.unwrap(), 59);
        assert_eq!(s.count("idempotency_keys").await.unwrap(), 59);
        assert_eq!(s.count("outbox").await.unwrap(), 59);
    })
    .await;
}

fn officer(role: Role) -> Actor {
    Actor {
        id: Some("o1".into()),
        name: "Trần Thị Bình".into(),
        title: "Chuyên viên".into(),
        unit_code: Some("H31.01.01".into()),
        roles: vec![role],
    }
}

fn change(
    action: Action,
    cmd: Command,
    role: Role,
    at: LocalTime,
) -> impl Fn(&mut Dossier) -> citygov_store::Result<Change> {
    let cal = Calendar::shipped();
    move |d: &mut Dossier| {
        let applied = workflow::apply(
            d,
            action,
            &cmd,
            &officer(role),
            at,
            &cal,
            TimeLimit {
                value: 3,
                unit: TimeUnit::WorkingDays,
            },
        )
        .map_err(Error::Conflict)?;
        Ok(Change {
            audit: AuditRecord {
                actor_id: Some("o1".into()),
                actor_name: "Trần Thị Bình".into(),
                action: applied.transition.event.into(),
                entity_type: "dossier".into(),
                entity_id: d.id.clone(),
                detail: serde_json::json!({}),
            },
            history: applied.history,
            attach_files: vec![],
            file_owner: "o1".into(),
        })
    }
}

#[tokio::test]
async fn transitions_persist_with_history_and_a_refused_one_changes_nothing() {
    on_both(|s| async move {
        seed(&s).await;
        let dsr = filed(
            s.file_dossier(filing("a", t("2026-02-12T09:00"), None), &DossierCodeFormat::default())
                .await
                .unwrap(),
        );
        let acc = s
            .change_dossier(
                &dsr.id,
                change(
                    Action::Accept,
                    Command::default(),
                    Role::IntakeOfficer,
                    t("2026-02-12T09:00"),
                ),
            )
            .await
            .unwrap();
        assert_eq!(acc.status, Status::Accepted);
        // Tết 2026 closes 16–20 February: 3 working days from Thu 12 Feb is Tue 24 Feb.
        assert_eq!(acc.appointment_at, Some(t("2026-02-24T09:00")));
        let before = s.count("audit_log").await.unwrap();
        let r = s
            .change_dossier(
                &dsr.id,
                change(
                    Action::Finish,
                    Command::default(),
                    Role::ProcessingOfficer,
                    t("2026-02-13T09:00"),
                ),
            )
            .await;
        assert!(
            matches!(r, Err(Error::Conflict(_))),
            "finish is not allowed from status 2"
        );
        assert_eq!(s.count("audit_log").await.unwrap(), before);
        assert_eq!(s.dossier(&dsr.id).await.unwrap().unwrap().status, Status::Accepted);
        s.change_dossier(
            &dsr.id,
            change(
                Action::Forward,
                Command::default(),
                Role::IntakeOfficer,
                t("2026-02-12T10:00"),
            ),
        )
        .await
        .unwrap();
        let fin = Command {
            results: vec![ResultDocument {
                name: "Giấy khai sinh".into(),
                result_code: "KS-1".into(),
                file: None,
            }],
            ..Command::default()
        };
        let done = s
            .change_dossier(
                &dsr.id,
                change(Action::Finish, fin, Role::ProcessingOfficer, t("2026-02-23T15:00")),
            )
            .await
            .unwrap();
        assert_eq!(done.status, Status::Processed);
        let hist = s.history(&dsr.id).await.unwrap();
        let statuses: Vec<u8> = hist.iter().map(|h| h.entry.to_status.code()).collect();
        assert_eq!(statuses, vec![1, 2, 4, 9]);
        assert_eq!(s.audit_for(&dsr.id).await.unwrap().len(), 4);
    })
    .await;
}

#[tokio::test]
async fn queues_find_overdue_and_due_soon_dossiers_of_a_unit() {
    on_both(|s| async move {
        seed(&s).await;
        let f = DossierCodeFormat::default();
        for (id, at) in [
            ("late", "2026-03-02T09:00"),
            ("soon", "2026-03-06T09:00"),
            ("fine", "2026-03-09T09:00"),
        ] {
            let dsr = filed(s.file_dossier(filing(id, t(at), None), &f).await.unwrap());
            s.change_dossier(
                &dsr.id,
                change(Action::Accept, Command::default(), Role::IntakeOfficer, t(at)),
            )
            .await
            .unwrap();
        }
        let now = t("2026-03-10T10:00");
        let q = |deadline| QueueQuery {
            unit_ids: vec!["w1".into()],
            deadline,
            now: Some(now),
            due_soon_before: Some(t("2026-03-11T10:00")),
            limit: 50,
            ..Default::default()
        };
        let (late, n) = s.queue(&q(Some(DeadlineFilter::Overdue))).await.unwrap();
        assert_eq!(n, 1);
        assert_eq!(late[0].id, "late");
        let (soon, _) = s.queue(&q(Some(DeadlineFilter::DueSoon))).await.unwrap();
        assert_eq!(soon.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), vec!["soon"]);
        let (_, all) = s.queue(&q(None)).await.unwrap();
        assert_eq!(all, 3);
        let other_unit = QueueQuery {
            unit_ids: vec!["w2".into()],
            limit: 50,
            ..Default::default()
        };
        assert_eq!(s.queue(&other_unit).await.unwrap().1, 0);
    })
    .await;
}

#[tokio::test]
async fn untouched_filter_returns_dossiers_held_without_change_since_the_threshold() {
    on_both(|s| async move {
        seed(&s).await;
        let f = DossierCodeFormat::default();
        // Filed Mon 2/3; "old" is never touched again, "recent" is accepted on Thu 5/3, and
        // "waiting" waits for the applicant's supplement (status 5) since Mon 2/3.
        for id in ["old", "recent", "waiting"] {
            filed(
                s.file_dossier(filing(id, t("2026-03-02T09:00"), None), &f)
                    .await
                    .unwrap(),
            );
        }
        s.change_dossier(
            "recent",
            change(
                Action::Accept,
                Command::default(),
                Role::IntakeOfficer,
                t("2026-03-05T09:00"),
            ),
        )
        .await
        .unwrap();
        let supplement = Command {
            reason_code: Some("thieu_giay_to".into()),
            missing_papers: vec!["Tờ khai".into()],
            ..Command::default()
        };
        s.change_dossier(
            "waiting",
            change(
                Action::RequestSupplement,
                supplement,
                Role::IntakeOfficer,
                t("2026-03-02T10:00"),
            ),
        )
        .await
        .unwrap();
        // Now Fri 6/3 10:00; two working days back is Wed 4/3 10:00.
        let threshold = Calendar::shipped().sub_working_days(t("2026-03-06T10:00"), 2);
        assert_eq!(threshold, t("2026-03-04T10:00"));
        let q = QueueQuery {
            unit_ids: vec!["w1".into()],
            untouched_before: Some(threshold),
            limit: 50,
            ..Default::default()
        };
        let (items, total) = s.queue(&q).await.unwrap();
        assert_eq!(items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), vec!["old"]);
        assert_eq!(total, 1);
        // With the unit filter off and other filters combined.
        let q = QueueQuery {
            unit_ids: vec![],
            statuses: vec![Status::Submitted, Status::SupplementRequested],
            ..q
        };
        assert_eq!(s.queue(&q).await.unwrap().1, 1);
        // A day earlier nothing had waited two working days yet.
        let q = QueueQuery {
            untouched_before: Some(Calendar::shipped().sub_working_days(t("2026-03-04T08:30"), 2)),
            ..q
        };
        assert_eq!(s.queue(&q).await.unwrap().1, 0);
    })
    .await;
}

#[tokio::test]
async fn a_rating_replaces_the_earlier_one_with_its_audit_and_outbox_event() {
    on_both(|s| async move {
        seed(&s).await;
        let f = DossierCodeFormat::default();
        let d = filed(
            s.file_dossier(filing("r", t("2026-03-02T09:00"), None), &f)
                .await
                .unwrap(),
        );
        let audit = |verdict: &str| AuditRecord {
            actor_id: Some("acc-1".into()),
            actor_name: "Nguyễn Văn An".into(),
            action: "dossier.rated".into(),
            entity_type: "dossier".into(),
            entity_id: d.id.clone(),
            detail: serde_json::json!({ "verdict": verdict }),
        };
        let rating = |verdict: Verdict, comment: Option<&str>, at: &str| Rating {
            dossier_id: d.id.clone(),
            verdict,
            comment: comment.map(Into::into),
            account_id: Some("acc-1".into()),
            rated_at: t(at),
            updated_at: t(at),
        };
        // Not ended yet: refused, nothing written.
        let outbox = s.count("outbox").await.unwrap();
        let r = s
            .rate_dossier(&rating(Verdict::Like, None, "2026-03-02T10:00"), audit("like"))
            .await;
        assert!(
            matches!(r, Err(Error::Conflict(ref p)) if p.code == "dossier_not_ended"),
            "{r:?}"
        );
        assert_eq!(s.count("dossier_ratings").await.unwrap(), 0);
        assert_eq!(s.count("outbox").await.unwrap(), outbox);
        let refuse = Command {
            reason_code: Some("ho_so_trung".into()),
            ..Command::default()
        };
        s.change_dossier(
            &d.id,
            change(Action::Refuse, refuse, Role::IntakeOfficer, t("2026-03-02T11:00")),
        )
        .await
        .unwrap();
        s.rate_dossier(
            &rating(Verdict::Dislike, Some("Chờ lâu"), "2026-03-03T09:00"),
            audit("dislike"),
        )
        .await
        .unwrap();
        s.rate_dossier(&rating(Verdict::Like, None, "2026-03-04T09:00"), audit("like"))
            .await
            .unwrap();
        let now = s.rating(&d.id).await.unwrap().unwrap();
        assert_eq!(now.verdict, Verdict::Like);
        assert_eq!(now.comment, None, "the new rating replaces the comment too");
        assert_eq!(now.rated_at, t("2026-03-03T09:00"), "first rated");
        assert_eq!(now.updated_at, t("2026-03-04T09:00"));
        assert_eq!(s.count("dossier_ratings").await.unwrap(), 1);
        let rated: Vec<_> = s
            .audit_for(&d.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.action == "dossier.rated")
            .collect();
        assert_eq!(rated.len(), 2, "every rating is audited");
        assert!(
            rated[1].detail.contains("\"previous_verdict\":\"dislike\""),
            "{}",
            rated[1].detail
        );
        assert_eq!(s.count("outbox").await.unwrap(), outbox + 3, "refusal and two ratings");
        assert!(s.rating("no-such-dossier").await.unwrap().is_none());
        let mut stray = rating(Verdict::Like, None, "2026-03-04T09:00");
        stray.dossier_id = "no-such-dossier".into();
        assert!(matches!(
            s.rate_dossier(&stray, audit("like")).await,
            Err(Error::NotFound(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    on_both(|s| async move {
        seed(&s).await;
        assert!(s.count("audit_log").await.unwrap() > 0);
        assert!(
            sqlx::query("UPDATE audit_log SET actor_name = 'x'")
                .execute(s.pool())
                .await
                .is_err()
        );
        assert!(sqlx::query("DELETE FROM audit_log").execute(s.pool()).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_bad_catalog_import_is_refused_whole_with_every_problem() {
    on_both(|s| async move {
        seed(&s).await;
        let mut bad = procedure("1.000002", Level::City, None);
        bad.name = " ".into();
        let dup = procedure("1.000003", Level::Commune, None);
        let err = s
            .import_procedures(&[dup.clone(), bad, dup], t("2026-01-05T08:00"))
            .await
            .unwrap_err();
        let Error::Invalid(ps) = err else {
            panic!("expected invalid")
        };
        let fields: Vec<String> = ps.iter().filter_map(|p| p.field.clone()).collect();
        assert!(
            fields
                .iter()
                .any(|f| f.starts_with("procedures[1]") && f.ends_with(".name")),
            "{fields:?}"
        );
        assert!(
            fields
                .iter()
                .any(|f| f.starts_with("procedures[1]") && f.ends_with(".competent_unit")),
            "{fields:?}"
        );
        assert!(
            fields
                .iter()
                .any(|f| f.starts_with("procedures[2]") && f.ends_with(".code")),
            "{fields:?}"
        );
        assert!(s.procedure("1.000003").await.unwrap().is_none(), "nothing imported");
        let exported = s.export_procedures().await.unwrap();
        assert_eq!(exported.len(), 1);
        assert_eq!(exported[0], procedure("1.000001", Level::Commune, None));
    })
    .await;
}

#[tokio::test]
async fn units_keep_their_versions_and_lineage() {
    on_both(|s| async move {
        seed(&s).await;
        let mut old = unit(
            "old-stp-hd",
            "000.00.05.H26",
            "Sở Tư pháp tỉnh Hải Dương",
            UnitKind::Department,
            None,
        );
        old.valid_from = d(2008, 1, 1);
        old.valid_to = Some(d(2025, 6, 30));
        let link = LineageLink {
            predecessor_id: "old-stp-hd".into(),
            successor_id: "stp".into(),
            kind: LineageKind::Merge,
            effective: d(2025, 7, 1),
            legal_basis: Some("NQ 202/2025/QH15".into()),
        };
        s.save_units(&[old], &[], &[link]).await.unwrap();
        let lineage = s.lineage().await.unwrap();
        assert_eq!(
            citygov_domain::unit::lineage_closure("stp", &lineage, false),
            vec!["stp", "old-stp-hd"]
        );
        assert_eq!(
            s.unit_by_code("000.00.05.H26").await.unwrap().unwrap().valid_to,
            Some(d(2025, 6, 30))
        );
        assert_eq!(s.unit_versions("w1").await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn accounts_log_in_with_argon2_and_sessions_resolve() {
    on_both(|s| async move {
        let now = t("2026-01-05T08:00");
        let a = citygov_store::accounts::NewAccount {
            username: "CongDan01".into(),
            password: "mat-khau-123".into(),
            full_name: "Lê Thị Cúc".into(),
            title: "Công dân".into(),
            kind: "citizen".into(),
            id_number: Some("031090001234".into()),
            email: None,
            phone: None,
            vneid_verified: false,
            roles: vec![citygov_store::accounts::RoleGrant {
                role: Role::Applicant,
                unit_id: String::new(),
            }],
        };
        let acc = s.create_account(&a, now).await.unwrap();
        assert!(matches!(s.create_account(&a, now).await, Err(Error::Conflict(_))));
        assert!(logged_in(s.check_password("congdan01", "wrong-password", now).await.unwrap()).is_none());
        let ok = logged_in(s.check_password("congdan01", "mat-khau-123", now).await.unwrap()).unwrap();
        assert_eq!(ok.id, acc.id);
        let idle = chrono::Duration::minutes(30);
        let token = s.create_session(&acc.id, now, 1).await.unwrap();
        assert_eq!(s.session_account(&token, now, idle).await.unwrap().unwrap().id, acc.id);
        // Used every 20 minutes, the session lives until its absolute expiry (one hour).
        for m in [20, 40] {
            let at = now + chrono::Duration::minutes(m);
            assert!(
                s.session_account(&token, at, idle).await.unwrap().is_some(),
                "at +{m} min"
            );
        }
        assert!(
            s.session_account(&token, now + chrono::Duration::minutes(61), idle)
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        // Left alone for longer than the idle limit, a session ends though it has not expired.
        let other = s.create_session(&acc.id, now, 1).await.unwrap();
        assert!(
            s.session_account(&other, now + chrono::Duration::minutes(31), idle)
                .await
                .unwrap()
                .is_none(),
            "idle"
        );
        assert!(
            s.session_account(&other, now + chrono::Duration::minutes(29), idle)
                .await
                .unwrap()
                .is_some(),
            "not yet idle"
        );
        let audit = s.audit_for("congdan01").await.unwrap();
        assert!(audit.iter().any(|r| r.action == "auth.login_failed"));
    })
    .await;
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_username_for_a_while() {
    on_both(|s| async move {
        use citygov_store::accounts::{LOGIN_LOCK_MINUTES, LOGIN_MAX_FAILURES};
        let now = t("2026-01-05T08:00");
        let a = citygov_store::accounts::NewAccount {
            username: "canbo01".into(),
            password: "mat-khau-123".into(),
            full_name: "Đỗ Văn Bình".into(),
            title: "Công dân".into(),
            kind: "citizen".into(),
            id_number: None,
            email: None,
            phone: None,
            vneid_verified: false,
            roles: vec![],
        };
        s.create_account(&a, now).await.unwrap();
        // Failures before a success do not count after it.
        for i in 0..LOGIN_MAX_FAILURES - 1 {
            let at = now + chrono::Duration::seconds(i);
            assert!(logged_in(s.check_password("canbo01", "sai", at).await.unwrap()).is_none());
        }
        let later = now + chrono::Duration::minutes(1);
        assert!(logged_in(s.check_password("canbo01", "mat-khau-123", later).await.unwrap()).is_some());
        for i in 0..LOGIN_MAX_FAILURES {
            let at = later + chrono::Duration::seconds(1 + i);
            assert!(logged_in(s.check_password("canbo01", "sai", at).await.unwrap()).is_none());
        }
        let last_failure = later + chrono::Duration::seconds(LOGIN_MAX_FAILURES);
        // Locked: even the right password is refused, with the time to come back.
        let locked = s
            .check_password("canbo01", "mat-khau-123", last_failure + chrono::Duration::minutes(1))
            .await;
        match locked {
            Err(Error::TooManyAttempts(p)) => {
                assert_eq!(p.code, "login_locked");
                assert!(p.message_vi.contains("08:16"), "{}", p.message_vi);
            }
            other => panic!("expected a lockout, got {other:?}"),
        }
        // Attempts while locked do not extend the lock; after it, the right password works.
        let after = last_failure + chrono::Duration::minutes(LOGIN_LOCK_MINUTES) + chrono::Duration::seconds(1);
        assert!(logged_in(s.check_password("canbo01", "mat-khau-123", after).await.unwrap()).is_some());
        let audit = s.audit_for("canbo01").await.unwrap();
        assert!(audit.iter().any(|r| r.action == "auth.login_locked"));
    })
    .await;
}

fn official(username: &str) -> citygov_store::accounts::NewAccount {
    citygov_store::accounts::NewAccount {
        username: username.into(),
        password: "mat-khau-123".into(),
        full_name: "Đỗ Văn Bình".into(),
        title: "Chuyên viên".into(),
        kind: "official".into(),
        id_number: None,
        email: None,
        phone: None,
        vneid_verified: false,
        roles: vec![],
    }
}

#[tokio::test]
async fn officials_log_in_with_a_second_factor_that_is_enrolled_once_and_never_replayed() {
    on_both(|s| async move {
        use citygov_store::accounts::LoginStep;
        use citygov_store::second_factor::{step_of, totp_code, totp_code_at_step};
        let now = t("2026-01-05T08:00");
        let acc = s.create_account(&official("canbo02"), now).await.unwrap();
        // A right password is not a login: it opens a pending step that no request accepts.
        let LoginStep::SecondFactor(a) = s.check_password("canbo02", "mat-khau-123", now).await.unwrap() else {
            panic!("an official needs a second factor");
        };
        let pending = s.begin_second_factor(&a, now).await.unwrap();
        let idle = chrono::Duration::minutes(30);
        assert!(
            s.session_account(&pending.challenge, now, idle)
                .await
                .unwrap()
                .is_none()
        );
        let secret = pending.enrollment.clone().expect("first login enrols").secret;
        assert!(
            pending
                .enrollment
                .as_ref()
                .unwrap()
                .otpauth_url
                .starts_with("otpauth://totp/citygov:canbo02?")
        );
        assert!(s.second_factor_since(&acc.id).await.unwrap().is_none());
        // A wrong code is refused, audited as a failed login, and the pending step goes on.
        let good = totp_code(&secret, now).unwrap();
        let wrong = if good == "000000" { "111111" } else { "000000" };
        match s.complete_second_factor(&pending.challenge, wrong, now, 12).await {
            Err(Error::Unauthorized(p)) => assert_eq!(p.code, "invalid_code"),
            other => panic!("expected invalid_code, got {other:?}"),
        }
        let (token, who) = s
            .complete_second_factor(&pending.challenge, &good, now, 12)
            .await
            .unwrap();
        assert_eq!(who.id, acc.id);
        assert_eq!(s.session_account(&token, now, idle).await.unwrap().unwrap().id, acc.id);
        assert_eq!(s.second_factor_since(&acc.id).await.unwrap(), Some(now));
        // The pending step is spent.
        assert!(matches!(
            s.complete_second_factor(&pending.challenge, &good, now, 12).await,
            Err(Error::Unauthorized(_))
        ));
        // Next login: no enrolment; the code just used is refused (replay), a later one works.
        let later = now + chrono::Duration::seconds(10);
        let LoginStep::SecondFactor(a) = s.check_password("canbo02", "mat-khau-123", later).await.unwrap() else {
            panic!("second factor");
        };
        let p2 = s.begin_second_factor(&a, later).await.unwrap();
        assert!(p2.enrollment.is_none());
        match s.complete_second_factor(&p2.challenge, &good, later, 12).await {
            Err(Error::Unauthorized(p)) => assert_eq!(p.code, "invalid_code"),
            other => panic!("a replayed code must be refused, got {other:?}"),
        }
        let next = totp_code_at_step(&secret, step_of(later) + 1).unwrap();
        assert!(s.complete_second_factor(&p2.challenge, &next, later, 12).await.is_ok());
        // A code two steps away is outside the clock's tolerance.
        let p3 = s.begin_second_factor(&a, later).await.unwrap();
        let far = totp_code_at_step(&secret, step_of(later) + 3).unwrap();
        assert!(s.complete_second_factor(&p3.challenge, &far, later, 12).await.is_err());
        let audit = s.audit_for(&acc.id).await.unwrap();
        assert!(audit.iter().any(|r| r.action == "auth.password_accepted"));
        assert_eq!(audit.iter().filter(|r| r.action == "auth.login").count(), 2);
        let failed = s.audit_for("canbo02").await.unwrap();
        assert_eq!(failed.iter().filter(|r| r.action == "auth.login_failed").count(), 3);
    })
    .await;
}

#[tokio::test]
async fn wrong_codes_count_toward_the_lockout_and_a_reset_enrols_again() {
    on_both(|s| async move {
        use citygov_store::accounts::{LOGIN_MAX_FAILURES, LoginStep};
        use citygov_store::second_factor::totp_code;
        let now = t("2026-01-05T08:00");
        let acc = s.create_account(&official("canbo03"), now).await.unwrap();
        let LoginStep::SecondFactor(a) = s.check_password("canbo03", "mat-khau-123", now).await.unwrap() else {
            panic!("second factor");
        };
        let pending = s.begin_second_factor(&a, now).await.unwrap();
        let secret = pending.enrollment.clone().unwrap().secret;
        let good = totp_code(&secret, now).unwrap();
        let wrong = if good == "123456" { "654321" } else { "123456" };
        let mut last = None;
        for i in 0..LOGIN_MAX_FAILURES {
            last = Some(
                s.complete_second_factor(&pending.challenge, wrong, now + chrono::Duration::seconds(i), 12)
                    .await,
            );
        }
        match last.unwrap() {
            Err(Error::TooManyAttempts(p)) => assert_eq!(p.code, "login_locked"),
            other => panic!("expected the lockout, got {other:?}"),
        }
        // Locked: the pending step has ended, and the password is refused for a while.
        assert!(s.pending_login(&pending.challenge, now).await.unwrap().is_none());
        assert!(matches!(
            s.check_password("canbo03", "mat-khau-123", now + chrono::Duration::minutes(1))
                .await,
            Err(Error::TooManyAttempts(_))
        ));
        // A reset removes the authenticator and every session: the next login enrols again.
        let later = now + chrono::Duration::hours(1);
        let LoginStep::SecondFactor(a) = s.check_password("canbo03", "mat-khau-123", later).await.unwrap() else {
            panic!("second factor");
        };
        let p = s.begin_second_factor(&a, later).await.unwrap();
        let secret = p.enrollment.unwrap().secret;
        let (token, _) = s
            .complete_second_factor(&p.challenge, &totp_code(&secret, later).unwrap(), later, 12)
            .await
            .unwrap();
        s.reset_second_factor("canbo03", "cli:root", later).await.unwrap();
        let idle = chrono::Duration::minutes(30);
        assert!(s.session_account(&token, later, idle).await.unwrap().is_none());
        assert!(s.second_factor_since(&acc.id).await.unwrap().is_none());
        let again = s.begin_second_factor(&a, later).await.unwrap();
        assert!(again.enrollment.is_some());
        assert!(
            s.audit_for(&acc.id)
                .await
                .unwrap()
                .iter()
                .any(|r| r.action == "account.second_factor_reset")
        );
    })
    .await;
}

#[tokio::test]
async fn api_tokens_are_scoped_expire_and_are_revoked_and_sessions_end_by_id() {
    on_both(|s| async move {
        let now = t("2026-01-05T08:00");
        let acc = s.create_account(&official("canbo04"), now).await.unwrap();
        // Every problem at once, and nothing written.
        match s
            .create_token(&acc, " ", &["dossiers:read".into(), "root".into()], 0, now)
            .await
        {
            Err(Error::Invalid(p)) => {
                let fields: Vec<_> = p.iter().filter_map(|p| p.field.clone()).collect();
                assert_eq!(fields, vec!["name", "scopes[1]", "days"]);
            }
            other => panic!("expected problems, got {other:?}"),
        }
        assert!(s.tokens(&acc.id).await.unwrap().is_empty());
        let made = s
            .create_token(
                &acc,
                "Đồng bộ",
                &["dossiers:read".into(), "dossiers:read".into()],
                30,
                now,
            )
            .await
            .unwrap();
        assert!(made.token.starts_with("cgt_") && made.token.len() == 68);
        let (who, scopes) = s.token_account(&made.token, now).await.unwrap().unwrap();
        assert_eq!(who.id, acc.id);
        assert_eq!(scopes, vec!["dossiers:read"]);
        // A token is not a session, and a session token is not an API token.
        let idle = chrono::Duration::minutes(30);
        assert!(s.session_account(&made.token, now, idle).await.unwrap().is_none());
        assert!(
            s.token_account(&made.token, now + chrono::Duration::days(30))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        let listed = s.tokens(&acc.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].last_used_at, Some(now));
        s.revoke_token(&acc, &made.info.id, now).await.unwrap();
        assert!(s.token_account(&made.token, now).await.unwrap().is_none(), "revoked");
        let other = s.create_account(&official("canbo05"), now).await.unwrap();
        assert!(matches!(
            s.revoke_token(&other, &made.info.id, now).await,
            Err(Error::NotFound(_))
        ));
        // Sessions: listed with the current one marked, ended one by one or all at once.
        let a = s.create_session(&acc.id, now, 12).await.unwrap();
        let b = s.create_session(&acc.id, now, 12).await.unwrap();
        let list = s.sessions_of(&acc.id, Some(&a), now, idle).await.unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list.iter().filter(|x| x.current).count(), 1);
        let b_id = citygov_store::tokens::session_id(&b);
        assert!(matches!(
            s.end_session_by_id(&other, &b_id, now).await,
            Err(Error::NotFound(_))
        ));
        s.end_session_by_id(&acc, &b_id, now).await.unwrap();
        assert!(s.session_account(&b, now, idle).await.unwrap().is_none());
        assert!(s.session_account(&a, now, idle).await.unwrap().is_some());
        let live = s
            .create_token(&acc, "Báo cáo", &["lake:read".into()], 30, now)
            .await
            .unwrap();
        assert_eq!(
            s.end_all_sessions(&acc.id, (Some(&acc.id), "canbo04"), true, now)
                .await
                .unwrap(),
            1
        );
        assert!(s.session_account(&a, now, idle).await.unwrap().is_none());
        assert!(s.token_account(&live.token, now).await.unwrap().is_none());
        let actions: Vec<String> = s
            .audit_for(&acc.id)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        for a in [
            "auth.token_created",
            "auth.token_revoked",
            "auth.session_ended",
            "auth.logout_everywhere",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} audited: {actions:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn external_identities_are_linked_to_one_account_updated_at_each_login_and_refused_without_a_role() {
    use citygov_store::accounts::RoleGrant;
    use citygov_store::oidc::{ExternalIdentity, IdentityKind};
    on_both(|s| async move {
        seed(&s).await;
        let now = t("2026-01-05T08:00");
        let idle = chrono::Duration::minutes(30);
        // A local account already holds the username the provider suggests: it is not taken over.
        let local = s
            .create_account(
                &citygov_store::accounts::NewAccount {
                    username: "hoa.nguyen".into(),
                    password: "mat-khau-123".into(),
                    full_name: "Người khác".into(),
                    title: String::new(),
                    kind: "citizen".into(),
                    id_number: None,
                    email: None,
                    phone: None,
                    vneid_verified: false,
                    roles: vec![],
                },
                now,
            )
            .await
            .unwrap();
        let citizen = ExternalIdentity {
            provider: "vneid".into(),
            subject: "sub-1".into(),
            kind: IdentityKind::Citizen,
            username: "Hoa.Nguyen".into(),
            full_name: "Nguyễn Thị Hoa".into(),
            id_number: Some("001190012345".into()),
            roles: vec![],
            vneid: true,
        };
        let (a, token) = s.external_login(&citizen, now, 12).await.unwrap();
        assert_ne!(a.id, local.id);
        assert_eq!(a.username, "hoa.nguyen.vneid");
        assert_eq!(
            a.roles,
            vec![RoleGrant {
                role: Role::Applicant,
                unit_id: String::new()
            }]
        );
        let in_session = s.session_account(&token, now, idle).await.unwrap().unwrap();
        assert!(in_session.vneid_verified, "an e-ID session is VNeID-authenticated");
        // No password opens an account made by a provider.
        assert!(logged_in(s.check_password("hoa.nguyen.vneid", "", now).await.unwrap()).is_none());
        let renamed = ExternalIdentity {
            full_name: "Nguyễn Thị Hoa Mai".into(),
            ..citizen.clone()
        };
        let (again, _) = s.external_login(&renamed, now, 12).await.unwrap();
        assert_eq!(again.id, a.id);
        assert_eq!(again.full_name, "Nguyễn Thị Hoa Mai");

        let official = ExternalIdentity {
            provider: "staff".into(),
            subject: "sub-1".into(),
            kind: IdentityKind::Official,
            username: "binh.tran".into(),
            full_name: "Trần Văn Bình".into(),
            id_number: None,
            roles: vec![RoleGrant {
                role: Role::IntakeOfficer,
                unit_id: "w1".into(),
            }],
            vneid: false,
        };
        let (o, token) = s.external_login(&official, now, 12).await.unwrap();
        assert_ne!(o.id, a.id, "the same subject at another provider is another person");
        assert_eq!(o.official_units(), vec!["w1".to_string()]);
        assert!(
            !s.session_account(&token, now, idle)
                .await
                .unwrap()
                .unwrap()
                .vneid_verified
        );
        let moved = ExternalIdentity {
            roles: vec![RoleGrant {
                role: Role::ProcessingOfficer,
                unit_id: "w2".into(),
            }],
            ..official.clone()
        };
        let (o2, _) = s.external_login(&moved, now, 12).await.unwrap();
        assert_eq!(
            o2.roles,
            vec![RoleGrant {
                role: Role::ProcessingOfficer,
                unit_id: "w2".into()
            }]
        );
        let audits_before = s.audit_for(&o.id).await.unwrap().len();
        let none = ExternalIdentity {
            roles: vec![],
            ..official.clone()
        };
        assert!(matches!(
            s.external_login(&none, now, 12).await,
            Err(Error::Forbidden(_))
        ));
        assert_eq!(
            s.audit_for(&o.id).await.unwrap().len(),
            audits_before,
            "a refusal writes nothing"
        );
        assert_eq!(s.account(&o.id).await.unwrap().unwrap().roles, o2.roles);
        let logins = s
            .audit_for(&o.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.action == "auth.login")
            .count();
        assert_eq!(logins, 2);
    })
    .await;
}

/// Stores on the same database (like several `citygov serve` processes) with these keys.
async fn reopen(s: &Store, keys: MasterKeys) -> Result<Store, Error> {
    let url = s.url().to_string();
    let mut o = StoreOptions::new(url);
    o.keys = KeySource::Given(keys);
    Store::open(&o).await
}

async fn raw(s: &Store, sql: &str) -> Vec<String> {
    sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(s.pool())
        .await
        .unwrap()
}

fn citizen(username: &str, id_number: &str) -> citygov_store::accounts::NewAccount {
    citygov_store::accounts::NewAccount {
        username: username.into(),
        password: "mat-khau-123".into(),
        full_name: "Lê Thị Cúc".into(),
        title: "Công dân".into(),
        kind: "citizen".into(),
        id_number: Some(id_number.into()),
        email: Some("cuc.le@example.vn".into()),
        phone: Some("0912345678".into()),
        vneid_verified: false,
        roles: vec![],
    }
}

#[tokio::test]
async fn personal_data_is_sealed_at_rest_and_found_by_its_keyed_hash() {
    on_both(|s| async move {
        seed(&s).await;
        let now = t("2026-10-08T09:00");
        let acc = s.create_account(&citizen("cuc", "031090001234"), now).await.unwrap();
        let mut f = filing("d1", now, None);
        f.dossier.applicant.phone = Some("0912345678".into());
        f.dossier.applicant.email = Some("cuc.le@example.vn".into());
        let d = filed(s.file_dossier(f, &DossierCodeFormat::default()).await.unwrap());
        let dir = tempfile::tempdir().unwrap();
        let fs = citygov_store::LocalFileStore::new(dir.path()).unwrap();
        let image = b"\xff\xd8\xff\xe0 CCCD 031090001234 front side".to_vec();
        let fref = s
            .save_file(&fs, &acc.id, "cccd.jpg", "image/jpeg", &image, now)
            .await
            .unwrap();

        // Nothing personal is readable in the database or the file storage…
        let mut stored = raw(
            &s,
            "SELECT COALESCE(id_number, '') || ' ' || COALESCE(email, '') || ' ' || COALESCE(phone, '') FROM accounts",
        )
        .await;
        stored.extend(raw(&s, "SELECT applicant_id_number || ' ' || doc FROM dossiers").await);
        for text in &stored {
            for secret in ["031090001234", "0912345678", "cuc.le@example.vn"] {
                assert!(!text.contains(secret), "{secret} in clear: {text}");
            }
        }
        assert!(raw(&s, "SELECT applicant_id_number FROM dossiers").await[0].starts_with("enc1:"));
        let (_, _, _, key) = s.file(&fref.id).await.unwrap().unwrap();
        assert!(key.starts_with("sealed/"), "{key}");
        assert!(!key.contains(&fref.sha256), "the storage name hides the content hash");
        let on_disk = std::fs::read(dir.path().join(&key)).unwrap();
        assert!(!on_disk.windows(12).any(|w| w == b"031090001234"));
        // …and everything reads back in clear.
        assert_eq!(s.file_bytes(&fs, &key).await.unwrap(), image);
        let back = s.dossier_by_code(&d.code).await.unwrap().unwrap();
        assert_eq!(back.applicant.id_number, "031090001234");
        assert_eq!(back.applicant.phone.as_deref(), Some("0912345678"));
        assert_eq!(back.applicant.email.as_deref(), Some("cuc.le@example.vn"));
        let a = s.account(&acc.id).await.unwrap().unwrap();
        assert_eq!(
            (a.id_number.as_deref(), a.email.as_deref(), a.phone.as_deref()),
            (Some("031090001234"), Some("cuc.le@example.vn"), Some("0912345678"))
        );
        // Found by identity number through the keyed hash, never by decrypting.
        assert_eq!(
            s.account_by_id_number(" 031090001234 ").await.unwrap().unwrap().id,
            acc.id
        );
        assert!(s.account_by_id_number("031090009999").await.unwrap().is_none());
        assert_eq!(
            s.dossier_ids_by_id_number("031090001234").await.unwrap(),
            vec![d.id.clone()]
        );
        let idx = raw(&s, "SELECT applicant_id_index FROM dossiers").await;
        assert_eq!(idx[0].len(), 64);
        assert_ne!(idx[0], s.sealer().index("031090001235"));

        // A sealed value altered in the database does not open: the read fails, it never
        // returns a wrong value.
        sqlx::query("UPDATE accounts SET phone = replace(phone, 'enc1:s', 'enc1:x') WHERE id = $1")
            .bind(acc.id.clone())
            .execute(s.pool())
            .await
            .unwrap();
        assert!(s.account(&acc.id).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn keys_rotate_without_downtime_and_a_wrong_master_key_is_refused() {
    on_both(|s| async move {
        seed(&s).await;
        let now = t("2026-10-08T09:00");
        let acc = s.create_account(&citizen("cuc", "031090001234"), now).await.unwrap();
        let d1 = filed(
            s.file_dossier(filing("d1", now, None), &DossierCodeFormat::default())
                .await
                .unwrap(),
        );
        let first = s.sealer().active_key().unwrap().to_string();
        // Another process (same database, same keys) serves while this one rotates.
        let other = reopen(&s, test_keys()).await.unwrap();
        let second = s.rotate_data_key(now, "test").await.unwrap();
        assert_ne!(first, second);
        let d2 = filed(
            s.file_dossier(filing("d2", now, None), &DossierCodeFormat::default())
                .await
                .unwrap(),
        );
        assert!(
            raw(&s, "SELECT applicant_id_number FROM dossiers")
                .await
                .iter()
                .any(|v| v.starts_with(&format!("enc1:{second}:")))
        );
        // The other process reads values sealed with the key it had not loaded yet; four
        // reads that meet the new key at once load the keys once.
        let loads = other.data_key_loads().await;
        let reads = futures_util::future::join_all((0..4).map(|_| other.dossier(&d2.id))).await;
        for r in reads {
            assert_eq!(r.unwrap().unwrap().applicant.id_number, "031090001234");
        }
        assert_eq!(other.data_key_loads().await, loads + 1);
        let pending = s.key_status().await.unwrap().pending;
        assert_eq!((pending.accounts, pending.dossiers), (1, 1), "{pending:?}");
        assert!(s.reseal_needed().await.unwrap());
        let dir = tempfile::tempdir().unwrap();
        let n = s
            .reseal(&citygov_store::LocalFileStore::new(dir.path()).unwrap())
            .await
            .unwrap();
        assert_eq!((n.accounts, n.dossiers), (1, 1));
        assert!(!s.reseal_needed().await.unwrap());
        assert_eq!(s.key_status().await.unwrap().pending.total(), 0);
        for v in raw(&s, "SELECT applicant_id_number FROM dossiers").await {
            assert!(v.starts_with(&format!("enc1:{second}:")), "{v}");
        }
        assert_eq!(
            other.dossier(&d1.id).await.unwrap().unwrap().applicant.id_number,
            "031090001234"
        );
        assert_eq!(
            s.account_by_id_number("031090001234").await.unwrap().unwrap().id,
            acc.id
        );

        // A new master key first in the list: opening rewraps the data keys under it, after
        // which the old master key is no longer needed.
        let new_master = MasterKey::generate("test-2");
        let both = MasterKeys(vec![new_master.clone(), test_keys().0[0].clone()]);
        let s2 = reopen(&s, both).await.unwrap();
        let status = s2.key_status().await.unwrap();
        assert!(
            status.data_keys.iter().all(|k| k.master_key_id == "test-2"),
            "{status:?}"
        );
        let only_new = reopen(&s, MasterKeys(vec![new_master])).await.unwrap();
        assert_eq!(
            only_new.dossier(&d1.id).await.unwrap().unwrap().applicant.id_number,
            "031090001234"
        );
        assert_eq!(
            only_new.account(&acc.id).await.unwrap().unwrap().email.as_deref(),
            Some("cuc.le@example.vn")
        );
        // The old master key alone no longer opens anything, and says why.
        let err = reopen(&s, test_keys()).await.err().expect("the old key is refused");
        assert!(err.to_string().contains("test-2"), "{err}");
        let err = reopen(&s, MasterKeys(vec![MasterKey::generate("test-2")]))
            .await
            .err()
            .expect("a wrong key is refused");
        assert!(err.to_string().contains("does not open"), "{err}");
        for x in [other, s2, only_new] {
            x.close().await;
        }
    })
    .await;
}

#[tokio::test]
async fn values_stored_before_encryption_are_read_and_then_sealed() {
    on_both(|s| async move {
        seed(&s).await;
        let now = t("2026-10-08T09:00");
        // A database written without keys: values in clear.
        let plain = reopen(&s, MasterKeys::default()).await.unwrap();
        let acc = plain
            .create_account(&citizen("cuc", "031090001234"), now)
            .await
            .unwrap();
        let d = filed(
            plain
                .file_dossier(filing("d1", now, None), &DossierCodeFormat::default())
                .await
                .unwrap(),
        );
        assert_eq!(
            raw(&s, "SELECT applicant_id_number FROM dossiers").await,
            vec!["031090001234".to_string()]
        );
        // With keys, the same rows read as before, and a reseal seals them.
        assert_eq!(
            s.dossier(&d.id).await.unwrap().unwrap().applicant.id_number,
            "031090001234"
        );
        assert_eq!(s.key_status().await.unwrap().pending.total(), 2);
        assert!(s.reseal_needed().await.unwrap());
        let dir = tempfile::tempdir().unwrap();
        s.reseal(&citygov_store::LocalFileStore::new(dir.path()).unwrap())
            .await
            .unwrap();
        assert!(!s.reseal_needed().await.unwrap());
        assert!(raw(&s, "SELECT applicant_id_number FROM dossiers").await[0].starts_with("enc1:"));
        assert!(raw(&s, "SELECT id_number FROM accounts").await[0].starts_with("enc1:"));
        assert_eq!(
            s.account_by_id_number("031090001234").await.unwrap().unwrap().id,
            acc.id
        );
        assert_eq!(
            s.dossier(&d.id).await.unwrap().unwrap().applicant.id_number,
            "031090001234"
        );
        plain.close().await;
    })
    .await;
}

/// The data key a file is sealed with, read from the stored copy's header.
fn sealed_with(stored: &[u8]) -> String {
    use citygov_store::sealing::FILE_MAGIC;
    assert!(stored.starts_with(FILE_MAGIC), "a sealed file");
    let n = stored[FILE_MAGIC.len()] as usize;
    String::from_utf8(stored[FILE_MAGIC.len() + 1..FILE_MAGIC.len() + 1 + n].to_vec()).unwrap()
}

/// After a rotation, the reseal moves each stored file to the new data key: the new copy is
/// written, the rows (identical uploads share one copy) switch to it, the old copy is deleted.
/// Files named before storage keys named their data key, and files stored in clear, move too.
#[tokio::test]
async fn uploaded_files_follow_a_data_key_rotation() {
    use citygov_store::files::storage_data_key;
    on_both(|s| async move {
        seed(&s).await;
        let now = t("2026-10-08T09:00");
        let acc = s.create_account(&citizen("cuc", "031090001234"), now).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let fs = citygov_store::LocalFileStore::new(dir.path()).unwrap();
        let image = b"\xff\xd8\xff\xe0 CCCD 031090001234 front side".to_vec();
        let first = s
            .save_file(&fs, &acc.id, "cccd.jpg", "image/jpeg", &image, now)
            .await
            .unwrap();
        let twin = s
            .save_file(&fs, &acc.id, "cccd-again.jpg", "image/jpeg", &image, now)
            .await
            .unwrap();
        let old_key = s.sealer().active_key().unwrap().to_string();
        let (_, _, _, old) = s.file(&first.id).await.unwrap().unwrap();
        assert_eq!(storage_data_key(&old), Some(old_key.as_str()), "{old}");
        assert!(!s.reseal_needed().await.unwrap());

        let new_key = s.rotate_data_key(now, "test").await.unwrap();
        assert!(s.reseal_needed().await.unwrap());
        assert_eq!(s.key_status().await.unwrap().pending.files, 2);
        let n = s.reseal(&fs).await.unwrap();
        assert_eq!(n.files, 2, "{n:?}");
        assert!(!s.reseal_needed().await.unwrap());
        assert_eq!(s.key_status().await.unwrap().pending.total(), 0);
        for f in [&first, &twin] {
            let (_, _, _, key) = s.file(&f.id).await.unwrap().unwrap();
            assert_eq!(storage_data_key(&key), Some(new_key.as_str()), "{key}");
            assert_eq!(sealed_with(&std::fs::read(dir.path().join(&key)).unwrap()), new_key);
            assert_eq!(s.file_bytes(&fs, &key).await.unwrap(), image);
        }
        assert!(!dir.path().join(&old).exists(), "the old copy is deleted");
        assert!(raw(&s, "SELECT storage_key FROM file_erasures").await.is_empty());
        // A second reseal has nothing to do.
        assert_eq!(s.reseal(&fs).await.unwrap().total(), 0);

        // A file whose storage key names no data key (stored before they did) and one stored
        // in clear (before encryption) are sealed with the active key under named keys.
        let legacy = s
            .save_file(&fs, &acc.id, "to-khai.pdf", "application/pdf", b"%PDF-1.4 legacy", now)
            .await
            .unwrap();
        let (_, _, _, named) = s.file(&legacy.id).await.unwrap().unwrap();
        let unnamed = named.replacen(&format!("sealed/{new_key}/"), "sealed/", 1);
        std::fs::create_dir_all(dir.path().join(&unnamed).parent().unwrap()).unwrap();
        std::fs::rename(dir.path().join(&named), dir.path().join(&unnamed)).unwrap();
        sqlx::query("UPDATE files SET storage_key = $1 WHERE id = $2")
            .bind(unnamed.clone())
            .bind(legacy.id.clone())
            .execute(s.pool())
            .await
            .unwrap();
        let plain_store = reopen(&s, MasterKeys::default()).await.unwrap();
        let clear = plain_store
            .save_file(
                &fs,
                &acc.id,
                "giay-to.pdf",
                "application/pdf",
                b"%PDF-1.4 in clear",
                now,
            )
            .await
            .unwrap();
        let (_, _, _, clear_key) = s.file(&clear.id).await.unwrap().unwrap();
        assert!(clear_key.starts_with("sha256/"), "{clear_key}");
        assert!(s.reseal_needed().await.unwrap());
        assert_eq!(s.reseal(&fs).await.unwrap().files, 2);
        for (f, bytes, gone) in [
            (&legacy, b"%PDF-1.4 legacy".as_slice(), &unnamed),
            (&clear, b"%PDF-1.4 in clear".as_slice(), &clear_key),
        ] {
            let (_, _, _, key) = s.file(&f.id).await.unwrap().unwrap();
            assert_eq!(storage_data_key(&key), Some(new_key.as_str()), "{key}");
            assert_eq!(s.file_bytes(&fs, &key).await.unwrap(), bytes);
            assert!(!dir.path().join(gone).exists(), "{gone} is deleted");
        }
        assert!(!s.reseal_needed().await.unwrap());
        plain_store.close().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Personal data: tracker, consents, breaches, retention
// ---------------------------------------------------------------------------------------------

fn person(
    username: &str,
    full_name: &str,
    kind: &str,
    id_number: Option<&str>,
    role: Role,
    unit: &str,
) -> citygov_store::accounts::NewAccount {
    citygov_store::accounts::NewAccount {
        username: username.into(),
        password: "mat-khau-123".into(),
        full_name: full_name.into(),
        title: "Chuyên viên".into(),
        kind: kind.into(),
        id_number: id_number.map(Into::into),
        email: None,
        phone: None,
        vneid_verified: false,
        roles: vec![citygov_store::accounts::RoleGrant {
            role,
            unit_id: unit.into(),
        }],
    }
}

/// A filing of `id` by the account `account` (none: at the desk) for the person `id_number`.
fn filing_for(id: &str, at: LocalTime, account: Option<&str>, id_number: &str) -> Filing {
    let mut f = filing(id, at, None);
    f.dossier.applicant_account_id = account.map(Into::into);
    f.dossier.applicant.id_number = id_number.into();
    f.history[0].actor_id = account.map(Into::into);
    f.file_owner = account.unwrap_or("desk").into();
    f
}

fn read_entry(actor: &str, dossier: &Dossier, unit: Option<&str>, role: &str, purpose: &str) -> AuditRecord {
    AuditRecord {
        actor_id: Some(actor.into()),
        actor_name: "Tên cán bộ bí mật".into(),
        action: "dossier.read".into(),
        entity_type: "dossier".into(),
        entity_id: dossier.id.clone(),
        detail: serde_json::json!({"code": dossier.code, "unit": unit, "role": role, "purpose": purpose}),
    }
}

#[tokio::test]
async fn the_tracker_shows_reads_and_changes_of_a_persons_dossiers_by_unit_and_role_never_by_name() {
    on_both(|s| async move {
        seed(&s).await;
        let now = t("2026-03-02T08:00");
        let citizen = s
            .create_account(
                &person(
                    "congdan",
                    "Nguyễn Văn An",
                    "citizen",
                    Some("031090001234"),
                    Role::Applicant,
                    "",
                ),
                now,
            )
            .await
            .unwrap();
        let intake = s
            .create_account(
                &person("tn.w1", "Trần Thị Bình", "official", None, Role::IntakeOfficer, "w1"),
                now,
            )
            .await
            .unwrap();
        let f = DossierCodeFormat::default();
        let online = filed(
            s.file_dossier(
                filing_for("on", t("2026-03-02T09:00"), Some(&citizen.id), "031090001234"),
                &f,
            )
            .await
            .unwrap(),
        );
        let desk = filed(
            s.file_dossier(filing_for("desk", t("2026-03-02T10:00"), None, "031090001234"), &f)
                .await
                .unwrap(),
        );
        let other = filed(
            s.file_dossier(filing_for("other", t("2026-03-02T10:30"), None, "031090009999"), &f)
                .await
                .unwrap(),
        );
        // One function finds a person's dossiers: by account, and by identity number.
        let mine = s
            .dossier_ids_of_person(&citizen.id, Some("031090001234"))
            .await
            .unwrap();
        assert_eq!(mine, vec![desk.id.clone(), online.id.clone()], "newest first");
        assert_eq!(
            s.dossier_ids_of_person(&citizen.id, None).await.unwrap(),
            vec![online.id.clone()]
        );
        assert!(!mine.contains(&other.id));

        // The intake officer accepts the online dossier; the officer and a holder of the code read it.
        let cal = Calendar::shipped();
        let intake_id = intake.id.clone();
        s.change_dossier(&online.id, move |d| {
            let actor = Actor {
                id: Some(intake_id.clone()),
                name: "Trần Thị Bình".into(),
                title: "Chuyên viên".into(),
                unit_code: Some("H31.01.01".into()),
                roles: vec![Role::IntakeOfficer],
            };
            let applied = workflow::apply(
                d,
                Action::Accept,
                &Command::default(),
                &actor,
                t("2026-03-02T11:00"),
                &cal,
                TimeLimit {
                    value: 3,
                    unit: TimeUnit::WorkingDays,
                },
            )
            .map_err(Error::Conflict)?;
            Ok(Change {
                audit: AuditRecord {
                    actor_id: Some(intake_id.clone()),
                    actor_name: "Trần Thị Bình".into(),
                    action: applied.transition.event.into(),
                    entity_type: "dossier".into(),
                    entity_id: d.id.clone(),
                    detail: serde_json::json!({}),
                },
                history: applied.history,
                attach_files: vec![],
                file_owner: intake_id.clone(),
            })
        })
        .await
        .unwrap();
        s.audit(
            &read_entry(&intake.id, &online, Some("H31.01.01"), "intake_officer", "processing"),
            t("2026-03-02T11:30"),
        )
        .await
        .unwrap();
        s.audit(
            &read_entry("anonymous", &desk, None, "holder_of_code", "lookup"),
            t("2026-03-02T12:00"),
        )
        .await
        .unwrap();
        s.audit(
            &read_entry(&intake.id, &other, Some("H31.01.01"), "intake_officer", "processing"),
            t("2026-03-02T12:30"),
        )
        .await
        .unwrap();
        s.give_consent(
            &citizen,
            citygov_domain::privacy::purpose("survey").unwrap(),
            t("2026-03-02T13:00"),
        )
        .await
        .unwrap();

        let (events, total) = s.data_access(&citizen.id, Some("031090001234"), 50, 0).await.unwrap();
        // Two filings, one acceptance, two reads of their dossiers, the account's creation and
        // the consent; not the read of somebody else's dossier.
        assert_eq!(total, 7, "{events:#?}");
        assert_eq!(events.len(), 7);
        assert_eq!(events[0].kind, "account");
        assert_eq!(events[0].action, "consent.given");
        assert_eq!(events[0].role, "self");
        let lookup = &events[1];
        assert_eq!((lookup.kind.as_str(), lookup.role.as_str()), ("read", "holder_of_code"));
        assert_eq!(lookup.dossier_code.as_deref(), Some(desk.code.as_str()));
        assert_eq!(lookup.purpose.as_deref(), Some("lookup"));
        assert_eq!(lookup.unit_code, None);
        let read = &events[2];
        assert_eq!((read.kind.as_str(), read.role.as_str()), ("read", "intake_officer"));
        assert_eq!(read.unit_code.as_deref(), Some("H31.01.01"));
        assert_eq!(read.unit_name.as_deref(), Some("Phường Thủy Nguyên"));
        assert_eq!(read.purpose.as_deref(), Some("processing"));
        let accept = &events[3];
        assert_eq!((accept.kind.as_str(), accept.action.as_str()), ("change", "accept"));
        assert_eq!(accept.role, "intake_officer");
        assert_eq!(accept.unit_name.as_deref(), Some("Phường Thủy Nguyên"));
        assert_eq!(accept.dossier_code.as_deref(), Some(online.code.as_str()));
        assert_eq!(
            (events[4].action.as_str(), events[4].role.as_str()),
            ("file", "system"),
            "a desk filing without an actor"
        );
        assert_eq!((events[5].action.as_str(), events[5].role.as_str()), ("file", "self"));
        assert_eq!(events[6].action, "account.created");
        assert!(
            events
                .iter()
                .all(|e| e.dossier_code.as_deref() != Some(other.code.as_str()))
        );
        let shown = serde_json::to_string(&events).unwrap();
        for secret in [
            "Trần Thị Bình",
            "Tên cán bộ bí mật",
            "tn.w1",
            intake.id.as_str(),
            "anonymous",
        ] {
            assert!(!shown.contains(secret), "{secret} shown in {shown}");
        }
        // Pages of two, newest first.
        let (page2, total2) = s.data_access(&citizen.id, Some("031090001234"), 2, 2).await.unwrap();
        assert_eq!(total2, 7);
        assert_eq!(page2, events[2..4].to_vec());
    })
    .await;
}

#[tokio::test]
async fn consents_are_given_revoked_and_given_again_with_their_history_audited() {
    on_both(|s| async move {
        let now = t("2026-03-02T08:00");
        let citizen = s
            .create_account(
                &person(
                    "congdan",
                    "Nguyễn Văn An",
                    "citizen",
                    Some("031090001234"),
                    Role::Applicant,
                    "",
                ),
                now,
            )
            .await
            .unwrap();
        let survey = citygov_domain::privacy::purpose("survey").unwrap();
        let prefill = citygov_domain::privacy::purpose("prefill").unwrap();
        assert!(
            !s.has_consent(&citizen.id, "survey").await.unwrap(),
            "nothing is consented by default"
        );
        let (rec, new) = s.give_consent(&citizen, survey, t("2026-03-02T09:00")).await.unwrap();
        assert!(new);
        assert_eq!(rec.scope, vec!["contact"]);
        assert!(s.has_consent(&citizen.id, "survey").await.unwrap());
        assert!(!s.has_consent(&citizen.id, "prefill").await.unwrap(), "per purpose");
        let (again, new) = s.give_consent(&citizen, survey, t("2026-03-02T09:05")).await.unwrap();
        assert!(!new, "giving twice changes nothing");
        assert_eq!(again.id, rec.id);
        let closed = s.revoke_consent(&citizen, survey, t("2026-03-03T09:00")).await.unwrap();
        assert_eq!(closed.revoked_at, Some(t("2026-03-03T09:00")));
        assert!(!s.has_consent(&citizen.id, "survey").await.unwrap());
        match s.revoke_consent(&citizen, survey, t("2026-03-03T09:01")).await {
            Err(Error::Conflict(p)) => assert_eq!(p.code, "consent_not_given"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            s.revoke_consent(&citizen, prefill, t("2026-03-03T09:01")).await,
            Err(Error::Conflict(_))
        ));
        let (reopened, new) = s.give_consent(&citizen, survey, t("2026-03-04T09:00")).await.unwrap();
        assert!(new && reopened.id != rec.id);
        let history = s.consents_of(&citizen.id).await.unwrap();
        assert_eq!(history.len(), 2, "revoking closes, giving again opens a new record");
        assert_eq!(history[0].revoked_at, None);
        assert_eq!(history[1].revoked_at, Some(t("2026-03-03T09:00")));
        let actions: Vec<String> = s
            .audit_for(&citizen.id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .filter(|a| a.starts_with("consent."))
            .collect();
        assert_eq!(actions, vec!["consent.given", "consent.revoked", "consent.given"]);
    })
    .await;
}

#[tokio::test]
async fn breaches_are_recorded_with_their_72_hour_clock_and_notified_once() {
    use citygov_domain::privacy::BreachClockState;
    use citygov_store::privacy::NewBreach;
    on_both(|s| async move {
        let now = t("2026-03-06T10:00");
        let admin = s
            .create_account(
                &person("admin", "Quản Trị", "official", None, Role::Administrator, ""),
                now,
            )
            .await
            .unwrap();
        let bad = NewBreach {
            discovered_at: Some(t("2026-03-07T10:00")),
            description: "  ".into(),
            data_classes: vec!["blood_type".into()],
            people_affected: Some(-1),
            measures: String::new(),
        };
        match s.record_breach(&bad, &admin, now).await {
            Err(Error::Invalid(ps)) => {
                let mut fields: Vec<String> = ps.iter().filter_map(|p| p.field.clone()).collect();
                fields.sort();
                assert_eq!(
                    fields,
                    vec![
                        "data_classes",
                        "description",
                        "discovered_at",
                        "measures",
                        "people_affected"
                    ]
                );
                assert!(ps.iter().all(|p| !p.message_vi.is_empty() && !p.message_en.is_empty()));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.count("breaches").await.unwrap(), 0, "nothing written");
        let b = s
            .record_breach(
                &NewBreach {
                    discovered_at: Some(t("2026-03-06T08:00")),
                    description: "Danh sách hồ sơ bị gửi nhầm thư điện tử".into(),
                    data_classes: vec!["contact".into(), "identity".into()],
                    people_affected: Some(120),
                    measures: "Thu hồi thư, đổi mật khẩu hộp thư".into(),
                },
                &admin,
                now,
            )
            .await
            .unwrap();
        assert_eq!(b.data_classes, vec!["identity", "contact"]);
        assert_eq!(b.clock.deadline, t("2026-03-09T08:00"));
        assert_eq!(b.clock.state, BreachClockState::Running);
        assert_eq!(b.clock.minutes_to_deadline, 70 * 60);
        let late = t("2026-03-09T09:30");
        let listed = s.breaches(late).await.unwrap();
        assert_eq!(listed[0].clock.state, BreachClockState::Overdue);
        match s.mark_breach_notified(&b.id, "  ", None, &admin, late).await {
            Err(Error::Invalid(ps)) => assert_eq!(ps[0].field.as_deref(), Some("notified_to")),
            other => panic!("{other:?}"),
        }
        match s
            .mark_breach_notified(&b.id, "A05", Some(t("2026-03-05T08:00")), &admin, late)
            .await
        {
            Err(Error::Invalid(ps)) => assert_eq!(ps[0].code, "before_discovery"),
            other => panic!("{other:?}"),
        }
        let n = s
            .mark_breach_notified(&b.id, "Cục A05, Bộ Công an", None, &admin, late)
            .await
            .unwrap();
        assert_eq!(n.notified_at, Some(late));
        assert_eq!(n.clock.state, BreachClockState::NotifiedLate);
        assert_eq!(n.clock.notified_in_time, Some(false));
        assert!(matches!(
            s.mark_breach_notified(&b.id, "A05", None, &admin, late).await,
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            s.mark_breach_notified("khong-co", "A05", None, &admin, late).await,
            Err(Error::NotFound(_))
        ));
        let actions: Vec<String> = s
            .audit_for(&b.id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert_eq!(actions, vec!["breach.recorded", "breach.notified"]);
    })
    .await;
}

#[tokio::test]
async fn retention_anonymises_old_dossiers_and_erases_what_is_kept_too_long() {
    use citygov_domain::dossier::{Digitisation, SubmittedDocument};
    use citygov_domain::privacy::{ANONYMISED_NAME, RetentionPolicy};
    use citygov_store::{FileStore, LocalFileStore};
    on_both(|s| async move {
        seed(&s).await;
        let dir = tempfile::tempdir().unwrap();
        let fs = LocalFileStore::new(dir.path()).unwrap();
        let now = t("2026-03-02T08:00");
        let citizen = s
            .create_account(&person("congdan", "Nguyễn Văn An", "citizen", Some("031090001234"), Role::Applicant, ""), t("2019-01-02T08:00"))
            .await
            .unwrap();
        // Files: one of the old dossier, one shared by an old upload and the recent dossier,
        // and an upload never attached.
        let old_file = s.save_file(&fs, &citizen.id, "cccd.png", "image/png", b"anh cccd cu", t("2020-01-02T08:00")).await.unwrap();
        let shared_old = s.save_file(&fs, &citizen.id, "a.pdf", "application/pdf", b"chung", t("2026-01-02T08:00")).await.unwrap();
        let shared_new = s.save_file(&fs, &citizen.id, "b.pdf", "application/pdf", b"chung", t("2026-03-01T08:00")).await.unwrap();
        // Where the storage keeps them (sealed, under keyed names).
        let old_key = s.file(&old_file.id).await.unwrap().unwrap().3;
        let shared_key = s.file(&shared_new.id).await.unwrap().unwrap().3;
        let stray = s.save_file(&fs, &citizen.id, "c.pdf", "application/pdf", b"bo quen", t("2026-02-01T08:00")).await.unwrap();
        let fresh = s.save_file(&fs, &citizen.id, "d.pdf", "application/pdf", b"moi tai", t("2026-03-01T09:00")).await.unwrap();
        let finished = |id: &str, code: &str, at: LocalTime, file: &citygov_domain::dossier::FileRef| {
            let mut d = new_dossier(id, at);
            d.code = code.into();
            d.applicant_account_id = Some(citizen.id.clone());
            d.applicant.phone = Some("0912345678".into());
            d.applicant.email = Some("an@example.vn".into());
            d.applicant.address = Some("Số 1 Lạch Tray".into());
            d.documents = vec![SubmittedDocument {
                component_code: "TK".into(),
                file: Some(file.clone()),
                digitisation: Digitisation::Digitised,
                from_national_store: false,
            }];
            d.status = Status::Returned;
            d.finished_at = Some(at + chrono::Duration::days(3));
            d.returned_at = Some(at + chrono::Duration::days(4));
            d.updated_at = at + chrono::Duration::days(4);
            let h = HistoryEntry {
                at,
                action: "file".into(),
                event: "dossier.filed".into(),
                from_status: None,
                to_status: Status::Submitted,
                actor_id: Some(citizen.id.clone()),
                actor_name: "Nguyễn Văn An".into(),
                actor_title: "Công dân".into(),
                unit_code: None,
                content: "Nộp trực tuyến".into(),
                step_deadline: None,
            };
            (d, vec![h])
        };
        let old = finished("old", "H31.01.01-200102-0001", t("2020-01-02T08:00"), &old_file);
        let recent = finished("recent", "H31.01.01-260102-0001", t("2026-01-02T08:00"), &shared_new);
        s.load_dossiers(&[old, recent], &[], "test").await.unwrap();
        for (fid, did) in [(&old_file.id, "old"), (&shared_new.id, "recent")] {
            sqlx::query("UPDATE files SET dossier_id = $1 WHERE id = $2")
                .bind(did.to_string())
                .bind(fid.clone())
                .execute(s.pool())
                .await
                .unwrap();
        }
        // A session ended long ago, one alive; an old and a new idempotency key.
        s.create_session(&citizen.id, t("2026-01-01T08:00"), 12).await.unwrap();
        let live = s.create_session(&citizen.id, t("2026-03-02T07:00"), 12).await.unwrap();
        for (key, at) in [("k-old", "2026-01-01T08:00:00"), ("k-new", "2026-03-01T08:00:00")] {
            sqlx::query("INSERT INTO idempotency_keys (principal, key, request_hash, status_code, response, created_at) VALUES ($1, $2, 'h', 201, 'recent', $3)")
                .bind(citizen.id.clone())
                .bind(key.to_string())
                .bind(at.to_string())
                .execute(s.pool())
                .await
                .unwrap();
        }
        let policy = RetentionPolicy::default();

        // A dry run counts and changes nothing.
        let dry = s.run_retention(&policy, &fs, now, true, "test").await.unwrap();
        assert!(dry.dry_run);
        assert_eq!((dry.sessions, dry.idempotency_keys, dry.unattached_files), (1, 1, 2));
        assert_eq!(dry.dossier_codes, vec!["H31.01.01-200102-0001"]);
        assert_eq!(dry.dossier_files, 1);
        assert_eq!(s.count("sessions").await.unwrap(), 2);
        assert_eq!(s.count("files").await.unwrap(), 5);
        assert_eq!(s.dossier("old").await.unwrap().unwrap().applicant.full_name, "Nguyễn Văn An");
        assert!(s.audit_for("retention").await.unwrap().is_empty(), "a dry run is not audited");

        let r = s.run_retention(&policy, &fs, now, false, "test").await.unwrap();
        assert_eq!((r.sessions, r.idempotency_keys, r.unattached_files), (1, 1, 2));
        assert_eq!(r.dossier_codes, vec!["H31.01.01-200102-0001"]);
        assert_eq!((r.dossiers_anonymised, r.dossier_files), (1, 1));
        assert_eq!(r.stored_files_deleted, 2, "the old dossier's scan and the stray upload; not the shared content");
        // The old dossier keeps code, procedure, units, dates and status; its personal data is gone.
        let d = s.dossier("old").await.unwrap().unwrap();
        assert_eq!(d.code, "H31.01.01-200102-0001");
        assert_eq!(d.status, Status::Returned);
        assert_eq!(d.procedure_code, "1.000001");
        assert_eq!(d.submitted_at, t("2020-01-02T08:00"));
        assert_eq!(d.applicant.full_name, ANONYMISED_NAME);
        assert_eq!(
            (d.applicant.id_number.as_str(), &d.applicant.phone, &d.applicant.email, &d.applicant.address),
            ("", &None, &None, &None)
        );
        assert_eq!(d.applicant_account_id, None);
        assert_eq!(d.form_data, serde_json::json!({}));
        assert_eq!(d.documents[0].file, None);
        let row = sqlx::query("SELECT applicant_name, applicant_id_number FROM dossiers WHERE id = 'old'")
            .fetch_one(s.pool())
            .await
            .unwrap();
        use sqlx::Row;
        assert_eq!(row.try_get::<String, _>("applicant_name").unwrap(), ANONYMISED_NAME);
        assert_eq!(row.try_get::<String, _>("applicant_id_number").unwrap(), "");
        let raw: String = sqlx::query("SELECT doc FROM dossiers WHERE id = 'old'")
            .fetch_one(s.pool())
            .await
            .unwrap()
            .try_get("doc")
            .unwrap();
        for personal in ["Nguyễn Văn An", "031090001234", "0912345678", "an@example.vn", "Lạch Tray"] {
            assert!(!raw.contains(personal), "{personal} left in {raw}");
        }
        // The applicant's name is gone from the history, which ends with the anonymisation
        // (the change log the warehouse's copy follows).
        let history = s.history("old").await.unwrap();
        let (last, earlier) = history.split_last().unwrap();
        assert!(earlier.iter().all(|h| h.entry.actor_name == ANONYMISED_NAME));
        assert_eq!(last.entry.action, citygov_domain::privacy::ANONYMISE_ACTION);
        assert!(!last.entry.content.contains("Nguyễn"));
        assert!(s.file(&old_file.id).await.unwrap().is_none());
        assert!(fs.get(&old_key).await.is_err());
        // The recent dossier, its file (also the old upload's content), the live session stay.
        let recent = s.dossier("recent").await.unwrap().unwrap();
        assert_eq!(recent.applicant.full_name, "Nguyễn Văn An");
        assert!(s.file(&shared_new.id).await.unwrap().is_some());
        assert!(fs.get(&shared_key).await.is_ok());
        assert!(s.file(&stray.id).await.unwrap().is_none());
        assert!(s.file(&shared_old.id).await.unwrap().is_none(), "an old upload never attached");
        assert!(s.file(&fresh.id).await.unwrap().is_some());
        assert!(s.session_account(&live, now, chrono::Duration::minutes(120)).await.unwrap().is_some());
        assert_eq!(s.count("idempotency_keys").await.unwrap(), 1);
        // Audited once, with the counts and the codes.
        let audit = s.audit_for("retention").await.unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "privacy.retention");
        let detail: serde_json::Value = serde_json::from_str(&audit[0].detail).unwrap();
        assert_eq!(detail["dossier_codes"], serde_json::json!(["H31.01.01-200102-0001"]));
        assert_eq!(detail["unattached_files"], 2);
        // Run again: nothing more to do.
        let again = s.run_retention(&policy, &fs, now, false, "test").await.unwrap();
        assert_eq!(
            (again.sessions, again.unattached_files, again.dossiers_anonymised, again.stored_files_deleted),
            (0, 0, 0, 0)
        );
        assert!(again.dossier_codes.is_empty());
        assert_eq!(s.dossier("old").await.unwrap().unwrap(), d, "anonymising is done once");
    })
    .await;
}
