//! Demo accounts: three officials (intake, processing, leader) for every unit that receives or
//! decides dossiers, one administrator, and about 200 citizens. Usernames are ASCII:
//! `tn.<unit>` (tiếp nhận), `xl.<unit>` (xử lý), `ld.<unit>` (lãnh đạo), `admin`,
//! `congdan001`…, and an auditor `thanhtra` ([`auditor`]).

use crate::DemoAccount;
use crate::people::{self, Person};
use crate::rng::chance;
use crate::text::{fold, slug};
use crate::units::{CENTRE_ID, POLICE_ID};
use chrono::NaiveDate;
use citygov_domain::unit::{Unit, UnitKind};
use citygov_domain::workflow::Role;
use rand::rngs::StdRng;
use std::collections::HashSet;

/// Number of citizen accounts.
pub const CITIZENS: usize = 200;

/// The ASCII slug of a unit used in usernames: the short name for agencies, the bare name for
/// communes ("Phường Lê Chân" → "lechan").
pub fn unit_slug(u: &Unit) -> String {
    match (&u.short_name, u.kind) {
        (Some(short), _) if !u.kind.is_commune_level() => slug(short),
        _ => slug(u.name.strip_prefix(u.kind.name_prefix()).unwrap_or(&u.name)),
    }
}

/// A short upper-case tag of a unit for result numbers ("STP", "UBND-LC").
pub fn unit_tag(u: &Unit) -> String {
    match (&u.short_name, u.kind.is_commune_level()) {
        (Some(short), false) => fold(short).replace(' ', "").to_uppercase(),
        _ => {
            let bare = u.name.strip_prefix(u.kind.name_prefix()).unwrap_or(&u.name);
            let initials: String = fold(bare).split_whitespace().filter_map(|w| w.chars().next()).collect();
            format!("UBND-{}", initials.to_uppercase())
        }
    }
}

/// Titles of the three officials of a unit.
fn titles(u: &Unit) -> [&'static str; 3] {
    match (u.kind, u.short_name.as_deref()) {
        (UnitKind::ServiceCentre, _) => ["Chuyên viên", "Chuyên viên", "Phó Giám đốc"],
        (_, Some("VP UBND")) => ["Chuyên viên", "Chuyên viên chính", "Phó Chánh Văn phòng"],
        (_, Some("TTTP")) => ["Thanh tra viên", "Thanh tra viên chính", "Phó Chánh Thanh tra"],
        (_, Some("BQLKKT")) => ["Chuyên viên", "Chuyên viên chính", "Phó Trưởng ban"],
        (_, Some("CATP")) => ["Cán bộ", "Cán bộ", "Phó Giám đốc"],
        (UnitKind::Department, _) => ["Chuyên viên", "Chuyên viên chính", "Phó Giám đốc"],
        _ => [
            "Công chức Bộ phận Một cửa",
            "Công chức chuyên môn",
            "Phó Chủ tịch Ủy ban nhân dân",
        ],
    }
}

fn official(person: Person, username: String, title: &str, roles: Vec<(Role, String)>) -> DemoAccount {
    DemoAccount {
        email: Some(format!("{username}@example.vn")),
        username,
        full_name: person.full_name,
        title: title.to_string(),
        kind: "official".into(),
        id_number: Some(person.cccd),
        phone: Some(person.phone),
        vneid_verified: true,
        roles,
    }
}

/// Officials (with the administrator first) and citizens.
pub fn build_accounts(units: &[Unit], today: NaiveDate, rng: &mut StdRng) -> (Vec<DemoAccount>, Vec<DemoAccount>) {
    let mut officials = Vec::new();
    let admin = people::person(rng, today, 28, 50);
    officials.push(DemoAccount {
        username: "admin".into(),
        full_name: "Quản trị hệ thống".into(),
        title: "Quản trị viên".into(),
        kind: "official".into(),
        id_number: Some(admin.cccd),
        email: Some("admin@example.vn".into()),
        phone: Some(admin.phone),
        vneid_verified: true,
        roles: vec![(Role::Administrator, String::new())],
    });
    let mut used = HashSet::new();
    let staffed = units.iter().filter(|u| {
        u.valid_to.is_none()
            && (u.id == CENTRE_ID || u.id == POLICE_ID || u.kind == UnitKind::Department || u.kind.is_commune_level())
    });
    for u in staffed {
        let base = unit_slug(u);
        let mut s = base.clone();
        let mut n = 2;
        while !used.insert(s.clone()) {
            s = format!("{base}{n}");
            n += 1;
        }
        let t = titles(u);
        for (i, (prefix, role)) in [
            ("tn", Role::IntakeOfficer),
            ("xl", Role::ProcessingOfficer),
            ("ld", Role::UnitLeader),
        ]
        .into_iter()
        .enumerate()
        {
            let person = people::person(rng, today, 25, 58);
            officials.push(official(
                person,
                format!("{prefix}.{s}"),
                t[i],
                vec![(role, u.id.clone())],
            ));
        }
    }

    let mut citizens = Vec::with_capacity(CITIZENS);
    let mut ids = HashSet::new();
    while citizens.len() < CITIZENS {
        let p = people::person(rng, today, 18, 80);
        if !ids.insert(p.cccd.clone()) {
            continue;
        }
        citizens.push(DemoAccount {
            username: format!("congdan{:03}", citizens.len() + 1),
            full_name: p.full_name,
            title: "Công dân".into(),
            kind: "citizen".into(),
            id_number: Some(p.cccd),
            email: Some(p.email),
            phone: Some(p.phone),
            vneid_verified: chance(rng, 0.5),
            roles: vec![(Role::Applicant, String::new())],
        });
    }
    (officials, citizens)
}

/// The auditor (`thanhtra`, thanh tra viên): reads every dossier and the audit trail, acts
/// on none. Made of fixed values, without the random generator, so that adding it changes
/// no other generated value; it is added after every other account.
pub fn auditor() -> DemoAccount {
    DemoAccount {
        username: "thanhtra".into(),
        full_name: "Thanh tra viên".into(),
        title: "Thanh tra viên".into(),
        kind: "official".into(),
        id_number: Some("031088000999".into()),
        email: Some("thanhtra@example.vn".into()),
        phone: Some("0900000999".into()),
        vneid_verified: true,
        roles: vec![(Role::Auditor, String::new())],
    }
}

/// The shared data warehouse's people: a data steward (`dl.<unit>`, quản lý dữ liệu) and an
/// analyst (`pt.<unit>`, phân tích) for every department, from their own random stream so
/// that the other accounts stay the same.
pub fn data_accounts(units: &[Unit], today: NaiveDate, rng: &mut StdRng) -> Vec<DemoAccount> {
    let mut out = Vec::new();
    for u in units
        .iter()
        .filter(|u| u.valid_to.is_none() && u.kind == UnitKind::Department)
    {
        let s = unit_slug(u);
        for (prefix, role, title) in [
            ("dl", Role::DataSteward, "Chuyên viên quản lý dữ liệu"),
            ("pt", Role::Analyst, "Chuyên viên phân tích dữ liệu"),
        ] {
            let person = people::person(rng, today, 25, 58);
            out.push(official(
                person,
                format!("{prefix}.{s}"),
                title,
                vec![(role, u.id.clone())],
            ));
        }
    }
    out
}
