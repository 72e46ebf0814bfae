//! Tests of the demo city: units, catalog, accounts and dossiers.

use super::*;
use crate::dossiers::window_start;
use chrono::Datelike;
use citygov_domain::calendar::{Calendar, TimeUnit};
use citygov_domain::catalog::{Level, OnlineLevel};
use citygov_domain::codes::{AgencyCode, DossierCodeFormat};
use citygov_domain::dossier::{Channel, DeadlineState, Dossier, HistoryEntry, Status};
use citygov_domain::eform::EForm;
use citygov_domain::unit::{LineageKind, UnitKind};
use citygov_domain::workflow::{self, Action, Next};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

fn city() -> &'static DemoCity {
    static CITY: OnceLock<DemoCity> = OnceLock::new();
    CITY.get_or_init(|| build_city(&DemoConfig::default()))
}

fn calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(Calendar::shipped)
}

fn sample_config() -> DemoConfig {
    DemoConfig {
        dossiers: 5_000,
        ..DemoConfig::default()
    }
}

/// 5,000 dossiers of the default city, built once for all tests.
fn sample() -> &'static DemoDossiers {
    static DOSSIERS: OnceLock<DemoDossiers> = OnceLock::new();
    DOSSIERS.get_or_init(|| build_dossiers(&sample_config(), city(), calendar(), &DossierCodeFormat::default()))
}

fn share(items: &[(Dossier, Vec<HistoryEntry>)], f: impl Fn(&Dossier) -> bool) -> f64 {
    items.iter().filter(|(d, _)| f(d)).count() as f64 * 100.0 / items.len() as f64
}

fn unit_by_id(id: &str) -> &'static citygov_domain::unit::Unit {
    city()
        .units
        .iter()
        .find(|u| u.id == id)
        .unwrap_or_else(|| panic!("no unit {id}"))
}

// --- Units ---------------------------------------------------------------------------------

#[test]
fn hai_phong_has_114_communes_split_45_67_2_with_unique_codes() {
    let communes: Vec<_> = city().units.iter().filter(|u| u.kind.is_commune_level()).collect();
    assert_eq!(communes.len(), 114);
    let count = |k: UnitKind| communes.iter().filter(|u| u.kind == k).count();
    assert_eq!(
        (
            count(UnitKind::Ward),
            count(UnitKind::Commune),
            count(UnitKind::SpecialZone)
        ),
        (45, 67, 2)
    );
    let codes: HashSet<_> = communes.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(codes.len(), 114);
    assert!(
        communes
            .iter()
            .any(|u| u.name == "Phường Thủy Nguyên" && u.code.as_str() == "H31.01.01")
    );
    assert!(communes.iter().any(|u| u.name == "Đặc khu Cát Hải"));
    assert!(communes.iter().any(|u| u.name == "Xã Kim Thành"));
    assert!(
        communes
            .iter()
            .all(|u| u.parent_id.as_deref() == Some(CITY_ID) && u.valid_from == reorganisation_day())
    );
}

#[test]
fn units_have_unique_valid_codes_and_parents_come_first() {
    let units = &city().units;
    let codes: HashSet<_> = units.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(
        codes.len(),
        units.len(),
        "agency codes are unique across current and former units"
    );
    let mut seen = HashSet::new();
    for u in units {
        assert!(AgencyCode::parse(u.code.as_str()).is_ok());
        if let Some(parent) = &u.parent_id {
            assert!(
                seen.contains(parent.as_str()),
                "{} comes before its parent {parent}",
                u.id
            );
        }
        seen.insert(u.id.as_str());
    }
    let current: Vec<_> = units.iter().filter(|u| u.valid_to.is_none()).collect();
    // City, service centre, 14 agencies, police, 114 communes.
    assert_eq!(current.len(), 1 + 1 + 14 + 1 + 114);
    assert_eq!(unit_by_id(CITY_ID).code.as_str(), "000.00.00.H31");
    assert_eq!(unit_by_id(CENTRE_ID).kind, UnitKind::ServiceCentre);
    assert_eq!(unit_by_id("u-dept-stp").name, "Sở Tư pháp");
    assert_eq!(unit_by_id("u-dept-stp").short_name.as_deref(), Some("STP"));
    assert_eq!(unit_by_id(POLICE_ID).name, "Công an thành phố");
}

#[test]
fn departments_were_formed_by_merging_the_hai_phong_and_hai_duong_agencies() {
    let c = city();
    let merged_into = |id: &str| -> Vec<&str> {
        c.lineage
            .iter()
            .filter(|l| l.successor_id == id && l.kind == LineageKind::Merge)
            .map(|l| l.predecessor_id.as_str())
            .collect()
    };
    let stp = merged_into("u-dept-stp");
    assert_eq!(stp.len(), 2);
    let names: Vec<&str> = stp.iter().map(|id| unit_by_id(id).name.as_str()).collect();
    assert!(
        names.contains(&"Sở Tư pháp thành phố Hải Phòng") && names.contains(&"Sở Tư pháp tỉnh Hải Dương"),
        "{names:?}"
    );
    let hd = unit_by_id("u-old-hd-stp");
    assert_eq!(hd.code.as_str(), "000.00.03.H26");
    assert_eq!(hd.valid_to, NaiveDate::from_ymd_opt(2025, 6, 30));
    for l in &c.lineage {
        assert_eq!(l.effective, reorganisation_day());
        assert!(unit_by_id(&l.predecessor_id).valid_to.is_some());
        assert!(unit_by_id(&l.successor_id).valid_to.is_none());
    }
    // Every current agency except Sở Ngoại vụ (kept) has two predecessors.
    for u in c
        .units
        .iter()
        .filter(|u| u.valid_to.is_none() && u.kind == UnitKind::Department)
    {
        let expected = if u.id == "u-dept-sngv" { 0 } else { 2 };
        assert_eq!(merged_into(&u.id).len(), expected, "{}", u.name);
    }
    assert_eq!(merged_into(CITY_ID).len(), 2);
}

#[test]
fn every_unit_has_a_version_and_the_foreign_affairs_department_shows_the_rename() {
    let c = city();
    for u in &c.units {
        let versions: Vec<_> = c.unit_versions.iter().filter(|v| v.unit_id == u.id).collect();
        assert!(!versions.is_empty(), "{} has no version", u.id);
        let last = versions.last().expect("a version");
        assert_eq!((&last.code, &last.name, last.valid_to), (&u.code, &u.name, u.valid_to));
    }
    let renamed: Vec<_> = c.unit_versions.iter().filter(|v| v.unit_id == "u-dept-sngv").collect();
    assert_eq!(renamed.len(), 2);
    assert_eq!(renamed[0].name, "Sở Ngoại vụ thành phố Hải Phòng");
    assert_eq!(renamed[1].name, "Sở Ngoại vụ");
    assert_ne!(renamed[0].code, renamed[1].code);
    assert_eq!(
        renamed[0].valid_to.and_then(|d| d.succ_opt()),
        Some(renamed[1].valid_from)
    );
}

// --- Catalog -------------------------------------------------------------------------------

#[test]
fn catalog_has_about_1900_city_and_exactly_328_commune_procedures() {
    let procs = &city().procedures;
    let commune = procs.iter().filter(|p| p.level == Level::Commune).count();
    let city_level = procs.iter().filter(|p| p.level == Level::City).count();
    assert_eq!(commune, 328);
    assert!(
        (1805..=1995).contains(&city_level),
        "{city_level} city-level procedures"
    );
}

#[test]
fn every_procedure_passes_validation() {
    for p in &city().procedures {
        if let Err(problems) = p.validate() {
            panic!("{} «{}» is invalid: {problems:?}", p.code, p.name);
        }
    }
}

#[test]
fn procedure_codes_and_names_are_unique() {
    let procs = &city().procedures;
    let codes: HashSet<_> = procs.iter().map(|p| p.code.as_str()).collect();
    let names: HashSet<_> = procs.iter().map(|p| p.name.to_lowercase()).collect();
    assert_eq!(codes.len(), procs.len());
    assert_eq!(names.len(), procs.len());
    for p in procs {
        let ok = (p.code.starts_with("1.0") || p.code.starts_with("2.0")) && p.code.len() == 8;
        assert!(ok, "code {}", p.code);
    }
}

#[test]
fn the_292_real_procedures_keep_their_data() {
    let procs = &city().procedures;
    let rows = catalog::real_rows();
    assert_eq!(rows.len(), 292);
    for r in &rows {
        let p = procs
            .iter()
            .find(|p| p.name == r.name)
            .unwrap_or_else(|| panic!("«{}» is missing", r.name));
        assert_eq!(p.level, r.level);
        assert_eq!(p.field_name, r.field);
        if let Some(limit) = r.limit {
            assert_eq!(p.time_limit, limit, "{}", r.name);
        }
        match r.fee {
            Some(0) => assert!(p.fees.is_empty(), "{} is free", r.name),
            Some(v) => assert_eq!(p.fees.iter().map(|f| f.amount_vnd).sum::<i64>(), v, "{}", r.name),
            None => {}
        }
        if let Some(o) = r.online {
            assert_eq!(p.online_level, o, "{}", r.name);
        }
    }
    let find = |name: &str| procs.iter().find(|p| p.name == name).expect("present");
    let birth = find("Thủ tục đăng ký khai sinh");
    assert_eq!(
        (birth.time_limit.value, birth.time_limit.unit),
        (1, TimeUnit::WorkingDays)
    );
    assert_eq!(birth.result_name, "Giấy khai sinh");
    assert!(birth.legal_basis.iter().any(|l| l == "Luật Hộ tịch 2014"));
    let residence = find("Đăng ký thường trú");
    assert_eq!(residence.fee_total(false), 20_000);
    assert_eq!(residence.fee_total(true), 10_000);
    let company = find("Đăng ký thành lập công ty cổ phần");
    assert_eq!(company.fee_total(true), 0, "enterprise registration is free online");
    assert_eq!(company.online_level, OnlineLevel::Full);
    assert!(company.fully_online_eligible);
}

#[test]
fn city_procedures_go_to_the_agency_of_their_field() {
    let c = city();
    let code_of = |id: &str| unit_by_id(id).code.clone();
    let find = |name: &str| {
        c.procedures
            .iter()
            .find(|p| p.name.starts_with(name))
            .unwrap_or_else(|| panic!("«{name}»"))
    };
    let cases = [
        ("Cấp Phiếu lý lịch tư pháp cho công dân", POLICE_ID),
        ("Thủ tục nhập quốc tịch Việt Nam", "u-dept-stp"),
        (
            "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
            "u-dept-stc",
        ),
        ("Tách thửa hoặc hợp thửa đất", "u-dept-snnmt"),
        (
            "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt",
            "u-dept-sxd",
        ),
        ("Cấp chứng chỉ hành nghề dược", "u-dept-syt"),
        (
            "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
            "u-dept-snv",
        ),
        ("Thủ tục giải quyết khiếu nại lần hai tại cấp tỉnh", "u-dept-tttp"),
        ("Cấp giấy phép bưu chính", "u-dept-skhcn"),
        (
            "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp",
            "u-dept-svhttdl",
        ),
        (
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (thuộc thẩm quyền ngành y tế)",
            "u-dept-syt",
        ),
    ];
    for (name, unit) in cases {
        assert_eq!(find(name).competent_unit.as_ref(), Some(&code_of(unit)), "{name}");
    }
    let unit_codes: HashSet<_> = c
        .units
        .iter()
        .filter(|u| u.valid_to.is_none())
        .map(|u| u.code.clone())
        .collect();
    for p in &c.procedures {
        match p.level {
            Level::City => assert!(
                p.competent_unit.as_ref().is_some_and(|u| unit_codes.contains(u)),
                "{}",
                p.name
            ),
            Level::Commune => assert!(p.competent_unit.is_none(), "{}", p.name),
        }
    }
}

#[test]
fn about_80_percent_of_procedures_are_online_and_components_are_complete() {
    let procs = &city().procedures;
    let online = procs.iter().filter(|p| p.online_level.accepts_online()).count() as f64 * 100.0 / procs.len() as f64;
    assert!((74.0..=88.0).contains(&online), "{online:.1}% online");
    for p in procs {
        assert!(
            (2..=6).contains(&p.components.len()),
            "{} has {} components",
            p.name,
            p.components.len()
        );
        assert!(p.components.iter().any(|c| c.required));
        assert!(!p.result_name.is_empty() && !p.description.is_empty() && !p.legal_basis.is_empty());
        if p.online_level == OnlineLevel::Full {
            assert!(p.fully_online_eligible);
        }
    }
}

#[test]
fn building_permits_and_enterprise_forms_ask_for_the_right_fields() {
    let procs = &city().procedures;
    let keys = |p: &citygov_domain::catalog::Procedure| -> Vec<String> {
        p.eform["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect()
    };
    let permit = procs
        .iter()
        .find(|p| {
            p.name
                .starts_with("Cấp giấy phép xây dựng mới đối với công trình cấp III")
        })
        .expect("permit");
    for k in ["construction_area", "number_of_floors", "land_parcel_number"] {
        assert!(keys(permit).contains(&k.to_string()), "{k}");
    }
    let change = procs
        .iter()
        .find(|p| p.name.starts_with("Đăng ký thay đổi vốn điều lệ"))
        .expect("change");
    for k in ["business_name", "tax_code"] {
        assert!(keys(change).contains(&k.to_string()), "{k}");
    }
}

// --- Accounts ------------------------------------------------------------------------------

#[test]
fn every_receiving_and_competent_unit_has_three_officials() {
    let c = city();
    let mut roles: HashMap<&str, HashSet<workflow::Role>> = HashMap::new();
    for a in &c.officials {
        assert_eq!(a.kind, "official");
        for (r, unit) in &a.roles {
            roles.entry(unit.as_str()).or_default().insert(*r);
        }
    }
    let staffed = c
        .units
        .iter()
        .filter(|u| u.valid_to.is_none() && u.kind != UnitKind::City);
    for u in staffed {
        let have = roles.get(u.id.as_str()).cloned().unwrap_or_default();
        for r in [
            workflow::Role::IntakeOfficer,
            workflow::Role::ProcessingOfficer,
            workflow::Role::UnitLeader,
        ] {
            assert!(have.contains(&r), "{} lacks {:?}", u.name, r);
        }
    }
    assert!(
        c.officials
            .iter()
            .any(|a| a.username == "admin" && a.roles == vec![(workflow::Role::Administrator, String::new())])
    );
    assert!(c.officials.iter().any(|a| a.username == "tn.stp"));
    assert!(c.officials.iter().any(|a| a.username == "xl.thuynguyen"));
    assert!(c.officials.iter().any(|a| a.username == "ld.ttpvhcc"));
    let last = c.officials.last().unwrap();
    assert_eq!(last.username, "thanhtra", "the auditor comes last");
    assert_eq!(last.roles, vec![(workflow::Role::Auditor, String::new())]);
}

#[test]
fn usernames_are_unique_ascii_and_citizens_look_real() {
    let c = city();
    let all: Vec<_> = c.officials.iter().chain(&c.citizens).collect();
    let names: HashSet<_> = all.iter().map(|a| a.username.as_str()).collect();
    assert_eq!(names.len(), all.len());
    assert!(all.iter().all(|a| {
        a.username
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '.')
    }));
    assert_eq!(c.citizens.len(), 200);
    assert_eq!(c.citizens[0].username, "congdan001");
    let verified = c.citizens.iter().filter(|a| a.vneid_verified).count();
    assert!((60..=140).contains(&verified), "{verified} verified citizens");
    for a in &c.citizens {
        assert_eq!(a.kind, "citizen");
        assert_eq!(a.roles, vec![(workflow::Role::Applicant, String::new())]);
        let id = a.id_number.as_deref().expect("CCCD");
        assert!(id.len() == 12 && id.chars().all(|ch| ch.is_ascii_digit()), "{id}");
        assert!(matches!(&id[3..4], "0" | "1" | "2" | "3"), "{id}");
        let phone = a.phone.as_deref().expect("phone");
        assert!(phone.len() == 10 && phone.starts_with('0'), "{phone}");
        assert!(a.email.as_deref().expect("email").ends_with("@example.vn"));
        assert!(a.full_name.split_whitespace().count() >= 3, "{}", a.full_name);
    }
}

// --- Dossiers ------------------------------------------------------------------------------

#[test]
fn channel_and_outcome_shares_are_realistic() {
    let items = &sample().items;
    assert_eq!(items.len(), 5_000);
    let end = sample_config().end;
    let online = share(items, |d| d.channel == Channel::Online);
    let refused = share(items, |d| d.status == Status::IntakeRefused);
    let withdrawn = share(items, |d| d.status == Status::Withdrawn);
    let overdue = share(items, |d| {
        matches!(
            d.deadline_state(end, None),
            DeadlineState::FinishedLate | DeadlineState::Overdue
        )
    });
    let returned = share(items, |d| d.status == Status::Returned);
    let supplemented = share(items, |d| !d.supplements.is_empty());
    let verified = share(items, |d| d.vneid_verified);
    assert!((85.0..=95.0).contains(&online), "online {online:.1}%");
    assert!((1.0..=5.0).contains(&refused), "refused {refused:.1}%");
    assert!((0.3..=2.5).contains(&withdrawn), "withdrawn {withdrawn:.1}%");
    assert!((2.0..=8.0).contains(&overdue), "overdue {overdue:.1}%");
    assert!(returned > 80.0, "returned {returned:.1}%");
    assert!((6.0..=15.0).contains(&supplemented), "supplement {supplemented:.1}%");
    assert!((30.0..=50.0).contains(&verified), "VNeID {verified:.1}%");
    assert!(
        items.iter().any(|(d, _)| !d.apologies.is_empty()),
        "some late dossiers carry an apology"
    );
    assert!(
        items.iter().any(|(d, _)| d.overdue_for_reporting),
        "some dossiers had a second supplement request"
    );
}

#[test]
fn dossier_codes_are_unique_and_counters_record_the_highest_sequence() {
    let out = sample();
    let codes: HashSet<_> = out.items.iter().map(|(d, _)| d.code.as_str()).collect();
    assert_eq!(codes.len(), out.items.len());
    let ids: HashSet<_> = out.items.iter().map(|(d, _)| d.id.as_str()).collect();
    assert_eq!(ids.len(), out.items.len());
    assert!(
        out.items
            .iter()
            .all(|(d, _)| d.id.len() == 36 && d.id.as_bytes()[14] == b'4')
    );
    let mut highest: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (d, _) in &out.items {
        let seq: i64 = d
            .code
            .rsplit('-')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("numeric sequence");
        assert!(
            d.code.starts_with(&format!(
                "{}-{}",
                d.receiving_unit_code,
                d.submitted_at.format("%y%m%d")
            )),
            "{}",
            d.code
        );
        let e = highest
            .entry((d.receiving_unit_code.clone(), d.submitted_at.date().to_string()))
            .or_insert(0);
        *e = (*e).max(seq);
    }
    let counters: BTreeMap<(String, String), i64> = out
        .counters
        .iter()
        .map(|(a, day, v)| ((a.clone(), day.clone()), *v))
        .collect();
    assert_eq!(counters, highest);
    // Sequences follow filing order within a unit and day.
    let mut last: HashMap<(String, NaiveDate), (chrono::NaiveDateTime, i64)> = HashMap::new();
    for (d, _) in &out.items {
        let seq: i64 = d.code.rsplit('-').next().and_then(|s| s.parse().ok()).expect("numeric");
        if let Some((t, s)) = last.insert(
            (d.receiving_unit_code.clone(), d.submitted_at.date()),
            (d.submitted_at, seq),
        ) {
            assert!(t <= d.submitted_at && s < seq);
        }
    }
}

#[test]
fn every_history_starts_with_filing_and_follows_the_workflow_table() {
    for (d, hist) in &sample().items {
        let first = &hist[0];
        assert_eq!(
            (
                first.action.as_str(),
                first.event.as_str(),
                first.from_status,
                first.to_status
            ),
            ("file", "dossier.filed", None, Status::Submitted)
        );
        assert_eq!(first.at, d.submitted_at);
        let mut status = Status::Submitted;
        let mut before_supplement = Vec::new();
        for h in &hist[1..] {
            assert_eq!(
                h.from_status,
                Some(status),
                "{}: {} from the wrong status",
                d.code,
                h.action
            );
            let action = Action::parse(&h.action).unwrap_or_else(|| panic!("unknown action {}", h.action));
            let row = workflow::find(status, action)
                .unwrap_or_else(|| panic!("{}: {} not allowed in {:?}", d.code, h.action, status));
            assert_eq!(h.event, row.event);
            let expected = match row.next {
                Next::To(s) => s,
                Next::Same => status,
                Next::Resume => before_supplement.pop().expect("a supplement was requested"),
            };
            if action == Action::RequestSupplement {
                before_supplement.push(status);
            }
            assert_eq!(h.to_status, expected, "{}: {}", d.code, h.action);
            status = h.to_status;
        }
        assert_eq!(status, d.status, "{}", d.code);
        assert_eq!(d.version, hist.len() as i64);
        assert_eq!(d.updated_at, hist.last().expect("history").at);
        assert!(
            hist.windows(2).all(|w| w[0].at < w[1].at),
            "{}: events out of order",
            d.code
        );
    }
}

#[test]
fn every_refusal_stop_supplement_and_withdrawal_names_a_listed_reason() {
    use citygov_domain::reasons::reasons_for;
    let labelled = |action: Action, text: &str| reasons_for(action).iter().any(|r| text.starts_with(r.label_vi));
    let mut seen = HashSet::new();
    for (d, hist) in &sample().items {
        for h in hist {
            let Some(action) = Action::parse(&h.action) else {
                continue;
            };
            if !reasons_for(action).is_empty() {
                assert!(labelled(action, &h.content), "{}: {} “{}”", d.code, h.action, h.content);
                seen.insert(action);
            }
        }
        if let Some(r) = &d.end_reason {
            let action = match d.status {
                Status::IntakeRefused => Action::Refuse,
                Status::Stopped => Action::Stop,
                _ => Action::Withdraw,
            };
            assert!(labelled(action, r), "{}: “{r}”", d.code);
        }
        for s in &d.supplements {
            assert!(labelled(Action::RequestSupplement, &s.reason), "{}", d.code);
        }
    }
    assert_eq!(seen.len(), 5, "every reasoned action occurs: {seen:?}");
}

#[test]
fn no_dossier_event_falls_outside_working_time_or_after_the_end() {
    let cal = calendar();
    let cfg = sample_config();
    let start = window_start(&cfg);
    for (d, hist) in &sample().items {
        assert!(d.submitted_at >= start && d.submitted_at < cfg.end);
        for h in hist {
            assert!(
                cal.is_working_day(h.at.date()),
                "{}: {} on day off {}",
                d.code,
                h.action,
                h.at
            );
            assert!(
                cal.is_working_time(h.at),
                "{}: {} outside working hours {}",
                d.code,
                h.action,
                h.at
            );
            assert!(h.at <= cfg.end);
        }
    }
    // Mondays are busier than Fridays.
    let on = |w: chrono::Weekday| {
        sample()
            .items
            .iter()
            .filter(|(d, _)| d.submitted_at.weekday() == w)
            .count()
    };
    assert!(on(chrono::Weekday::Mon) > on(chrono::Weekday::Fri));
}

#[test]
fn dossiers_are_received_and_decided_by_the_right_units() {
    let c = city();
    let procs: HashMap<&str, &citygov_domain::catalog::Procedure> =
        c.procedures.iter().map(|p| (p.code.as_str(), p)).collect();
    let citizens: HashSet<&str> = c.citizens.iter().map(|a| a.username.as_str()).collect();
    for (d, _) in &sample().items {
        let p = procs[d.procedure_code.as_str()];
        assert_eq!(d.procedure_name, p.name);
        let receiving = unit_by_id(&d.receiving_unit_id);
        let competent = unit_by_id(&d.competent_unit_id);
        assert_eq!(
            (d.receiving_unit_code.as_str(), d.receiving_unit_name.as_str()),
            (receiving.code.as_str(), receiving.name.as_str())
        );
        assert_eq!(d.competent_unit_code, competent.code.as_str());
        match p.level {
            Level::Commune => {
                assert!(receiving.kind.is_commune_level());
                assert_eq!(d.receiving_unit_id, d.competent_unit_id);
            }
            Level::City => {
                assert_eq!(d.receiving_unit_id, CENTRE_ID);
                assert_eq!(Some(&competent.code), p.competent_unit.as_ref());
            }
        }
        if d.channel == Channel::Online {
            assert!(p.online_level.accepts_online(), "{} filed online", p.name);
        }
        if let Some(a) = &d.applicant_account_id {
            assert!(citizens.contains(a.as_str()));
            assert_eq!(d.channel, Channel::Online);
        }
        assert!(d.applicant.clone().validated().is_ok(), "{:?}", d.applicant);
        if matches!(d.status, Status::Processed | Status::Returned) {
            assert_eq!(d.results.len(), 1);
            assert_eq!(d.results[0].name, p.result_name);
        }
        if d.payment.paid_at.is_some() {
            assert!(
                d.payment.amount_vnd > 0 && d.payment.amount_vnd == d.fees.iter().map(|f| f.amount_vnd).sum::<i64>()
            );
        }
        let required = p.components.iter().filter(|c| c.required).count();
        assert!(d.documents.len() >= required);
    }
    let mostly_demo_accounts = share(&sample().items, |d| d.applicant_account_id.is_some());
    assert!(
        mostly_demo_accounts > 40.0,
        "{mostly_demo_accounts:.1}% filed by demo citizens"
    );
}

#[test]
fn form_data_is_valid_against_the_procedures_eform() {
    let c = city();
    let mut forms: HashMap<&str, EForm> = HashMap::new();
    for (d, _) in sample().items.iter().step_by(7) {
        let form = forms.entry(d.procedure_code.as_str()).or_insert_with(|| {
            let p = c
                .procedures
                .iter()
                .find(|p| p.code == d.procedure_code)
                .expect("procedure");
            EForm::compile(&p.eform).expect("the e-form compiles")
        });
        if let Err(errors) = form.validate(&d.form_data) {
            panic!("{} ({}): {errors:?}\n{}", d.code, d.procedure_name, d.form_data);
        }
    }
}

#[test]
fn the_latest_dossiers_are_still_open_and_some_are_overdue_now() {
    let cfg = sample_config();
    let recent: Vec<_> = sample()
        .items
        .iter()
        .filter(|(d, _)| d.submitted_at > cfg.end - chrono::Duration::days(14))
        .collect();
    assert!(!recent.is_empty());
    let open: Vec<Status> = recent.iter().map(|(d, _)| d.status).filter(|s| !s.is_final()).collect();
    assert!(
        open.len() * 4 > recent.len(),
        "{} of {} recent dossiers are open",
        open.len(),
        recent.len()
    );
    for s in [Status::Submitted, Status::Processing] {
        assert!(open.contains(&s), "no recent dossier in {s:?}");
    }
    let overdue_now = sample()
        .items
        .iter()
        .filter(|(d, _)| d.deadline_state(cfg.end, None) == DeadlineState::Overdue)
        .count();
    assert!(overdue_now > 0);
}

#[test]
fn the_same_seed_gives_the_same_city_and_dossiers() {
    let cfg = DemoConfig {
        dossiers: 300,
        ..DemoConfig::default()
    };
    let fmt = DossierCodeFormat::default();
    let a = build_dossiers(&cfg, &build_city(&cfg), calendar(), &fmt);
    let b = build_dossiers(&cfg, &build_city(&cfg), calendar(), &fmt);
    let first = |x: &DemoDossiers| {
        x.items
            .iter()
            .take(10)
            .map(|(d, _)| (d.code.clone(), d.id.clone(), d.procedure_code.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(first(&a), first(&b));
    assert_eq!(a.items, b.items);
    let other_cfg = DemoConfig { seed: 7, ..cfg.clone() };
    let c = build_dossiers(&other_cfg, &build_city(&other_cfg), calendar(), &fmt);
    assert_ne!(first(&a), first(&c));
    assert_eq!(build_city(&cfg).procedures, build_city(&cfg).procedures);
}

#[test]
fn an_early_end_starts_the_window_at_the_reorganisation() {
    let cfg = DemoConfig {
        dossiers: 200,
        end: NaiveDate::from_ymd_opt(2025, 10, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date"),
        ..DemoConfig::default()
    };
    let out = build_dossiers(&cfg, city(), calendar(), &DossierCodeFormat::default());
    assert!(
        out.items
            .iter()
            .all(|(d, _)| d.submitted_at.date() >= reorganisation_day())
    );
    let custom = DossierCodeFormat::parse("{agency}-{yyyymmdd}-{seq:7}").expect("format");
    let out = build_dossiers(&cfg, city(), calendar(), &custom);
    assert!(
        out.items
            .iter()
            .all(|(d, _)| d.code.rsplit('-').next().is_some_and(|s| s.len() == 7))
    );
}

/// `cargo test -p citygov-demo -- --ignored --nocapture` prints how long the default 50,000
/// dossiers take to build.
#[test]
#[ignore]
fn timing_of_fifty_thousand_dossiers() {
    let cfg = DemoConfig::default();
    let t = std::time::Instant::now();
    let city = build_city(&cfg);
    let city_time = t.elapsed();
    let t = std::time::Instant::now();
    let out = build_dossiers(&cfg, &city, calendar(), &DossierCodeFormat::default());
    eprintln!("city: {city_time:?}; {} dossiers: {:?}", out.items.len(), t.elapsed());
}

#[test]
fn zero_dossiers_is_an_empty_result() {
    let cfg = DemoConfig {
        dossiers: 0,
        ..DemoConfig::default()
    };
    let out = build_dossiers(&cfg, city(), calendar(), &DossierCodeFormat::default());
    assert!(out.items.is_empty() && out.counters.is_empty());
}
