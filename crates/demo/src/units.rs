//! The administrative units of the demo city and their history.
//!
//! Current units (from 01/07/2025): the city People's Committee, the Public Administration
//! Service Centre, the 14 agencies of `data/departments.csv`, the city police and the 114
//! commune-level units of `data/communes.csv`. Their history follows `data/README.md`: the
//! Hải Phòng and Hải Dương agencies (12 standard agencies each, as they stood after the
//! 01/03/2025 restructuring) merged pairwise on 01/07/2025, the two economic/industrial-zone
//! boards merged into one, and Sở Ngoại vụ — which only Hải Phòng had — was kept: it is the
//! rename example, one unit with two versions of its code and name.
//!
//! Agency codes are invented (Hải Phòng's real code was not found): `000.00.NN.{city}` for
//! the city and its agencies, `000.01.NN.{city}` for the pre-merger Hải Phòng agencies,
//! `000.00.NN.H26` for the Hải Dương ones, and `{city}.GG.NN` for communes, where `GG` is the
//! group of `communes.csv` (01 wards of old Hải Phòng, 02 wards of old Hải Dương, 03 and 04
//! communes, 05 special zones).

use crate::text::slug;
use chrono::NaiveDate;
use citygov_domain::codes::AgencyCode;
use citygov_domain::unit::{LineageKind, LineageLink, Unit, UnitKind, UnitVersion};

pub const COMMUNES_CSV: &str = include_str!("../data/communes.csv");
pub const DEPARTMENTS_CSV: &str = include_str!("../data/departments.csv");

/// The day the two-tier city took effect (Resolution 202/2025/QH15, Resolution 1669).
pub fn reorganisation_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

/// The first day of the pre-merger versions recorded in the demo (the 01/03/2025 restructuring
/// of the provincial departments).
fn predecessor_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 1).expect("valid date")
}

/// Legal basis of the merger, recorded on lineage links.
const MERGER_BASIS: &str = "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh; Nghị định 150/2025/NĐ-CP";

/// Code prefix of the invented pre-merger Hải Dương codes.
const HAI_DUONG: &str = "H26";

pub const CITY_ID: &str = "u-city";
pub const CENTRE_ID: &str = "u-centre";
pub const POLICE_ID: &str = "u-police";

/// A row of `departments.csv` with what the demo adds: stable id, code number, and the names
/// of its two predecessors (None where a side had no such agency).
pub struct DepartmentRow {
    pub name: String,
    pub short_name: String,
    pub id: String,
    pub number: u32,
}

/// The departments of `departments.csv`, in file order, numbered 01–14.
pub fn department_rows() -> Vec<DepartmentRow> {
    let mut reader = csv::Reader::from_reader(DEPARTMENTS_CSV.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.expect("departments.csv is well-formed");
            let short = r[1].to_string();
            DepartmentRow {
                name: r[0].to_string(),
                id: format!("u-dept-{}", slug(&short)),
                short_name: short,
                number: i as u32 + 1,
            }
        })
        .collect()
}

/// A row of `communes.csv`.
pub struct CommuneRow {
    pub name: String,
    pub kind: UnitKind,
}

pub fn commune_rows() -> Vec<CommuneRow> {
    let mut reader = csv::Reader::from_reader(COMMUNES_CSV.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("communes.csv is well-formed");
            CommuneRow {
                name: r[0].to_string(),
                kind: UnitKind::parse(&r[1]).expect("known commune type"),
            }
        })
        .collect()
}

fn code(s: String) -> AgencyCode {
    AgencyCode::parse(&s).unwrap_or_else(|p| panic!("demo agency code {s} is invalid: {}", p.message_en))
}

/// Pre-merger names of a current department, on the Hải Phòng and Hải Dương sides.
fn predecessor_names(short: &str, name: &str) -> (Option<String>, Option<String>) {
    match short {
        "VP UBND" => (
            Some("Văn phòng Ủy ban nhân dân thành phố Hải Phòng".into()),
            Some("Văn phòng Ủy ban nhân dân tỉnh Hải Dương".into()),
        ),
        "TTTP" => (
            Some("Thanh tra thành phố Hải Phòng".into()),
            Some("Thanh tra tỉnh Hải Dương".into()),
        ),
        // Kept: the rename example, handled as versions of one unit.
        "SNgV" => (None, None),
        "BQLKKT" => (
            Some("Ban Quản lý Khu kinh tế Hải Phòng".into()),
            Some("Ban Quản lý các khu công nghiệp tỉnh Hải Dương".into()),
        ),
        _ => (
            Some(format!("{name} thành phố Hải Phòng")),
            Some(format!("{name} tỉnh Hải Dương")),
        ),
    }
}

/// Units, versions and lineage of the demo city.
pub struct UnitSet {
    pub units: Vec<Unit>,
    pub versions: Vec<UnitVersion>,
    pub lineage: Vec<LineageLink>,
}

pub fn build_units(city_code: &str) -> UnitSet {
    let day = reorganisation_day();
    let before = day.pred_opt().expect("valid date");
    let mut units = Vec::new();
    let mut versions = Vec::new();
    let mut lineage = Vec::new();

    let current = |units: &mut Vec<Unit>,
                   id: &str,
                   c: AgencyCode,
                   name: &str,
                   short: Option<&str>,
                   kind: UnitKind,
                   parent: Option<&str>| {
        units.push(Unit {
            id: id.to_string(),
            code: c,
            name: name.to_string(),
            short_name: short.map(str::to_string),
            kind,
            parent_id: parent.map(str::to_string),
            valid_from: day,
            valid_to: None,
        });
    };

    current(
        &mut units,
        CITY_ID,
        code(format!("000.00.00.{city_code}")),
        "Ủy ban nhân dân thành phố Hải Phòng",
        Some("UBND TP"),
        UnitKind::City,
        None,
    );
    current(
        &mut units,
        CENTRE_ID,
        code(format!("000.00.16.{city_code}")),
        "Trung tâm Phục vụ hành chính công thành phố",
        Some("TTPVHCC"),
        UnitKind::ServiceCentre,
        Some(CITY_ID),
    );
    let departments = department_rows();
    for d in &departments {
        current(
            &mut units,
            &d.id,
            code(format!("000.00.{:02}.{city_code}", d.number)),
            &d.name,
            Some(&d.short_name),
            UnitKind::Department,
            Some(CITY_ID),
        );
    }
    current(
        &mut units,
        POLICE_ID,
        code(format!("000.00.15.{city_code}")),
        "Công an thành phố",
        Some("CATP"),
        UnitKind::Department,
        Some(CITY_ID),
    );

    // Communes, numbered within the five groups of the file.
    let mut group_counts = [0u32; 6];
    for (i, c) in commune_rows().iter().enumerate() {
        let group = match i {
            0..=23 => 1,
            24..=44 => 2,
            45..=68 => 3,
            69..=111 => 4,
            _ => 5,
        };
        group_counts[group] += 1;
        let full = format!("{}{}", c.kind.name_prefix(), c.name);
        current(
            &mut units,
            &format!("u-commune-{:03}", i + 1),
            code(format!("{city_code}.{group:02}.{:02}", group_counts[group])),
            &full,
            None,
            c.kind,
            Some(CITY_ID),
        );
    }
    for u in &units {
        versions.push(UnitVersion {
            unit_id: u.id.clone(),
            code: u.code.clone(),
            name: u.name.clone(),
            valid_from: u.valid_from,
            valid_to: None,
        });
    }

    // History: the two pre-merger city governments, their service centres, agencies and police.
    let old = |units: &mut Vec<Unit>,
               versions: &mut Vec<UnitVersion>,
               id: &str,
               c: AgencyCode,
               name: &str,
               kind: UnitKind,
               parent: Option<&str>| {
        units.push(Unit {
            id: id.to_string(),
            code: c.clone(),
            name: name.to_string(),
            short_name: None,
            kind,
            parent_id: parent.map(str::to_string),
            valid_from: predecessor_start(),
            valid_to: Some(before),
        });
        versions.push(UnitVersion {
            unit_id: id.to_string(),
            code: c,
            name: name.to_string(),
            valid_from: predecessor_start(),
            valid_to: Some(before),
        });
    };
    let merge = |lineage: &mut Vec<LineageLink>, from: &str, to: &str| {
        lineage.push(LineageLink {
            predecessor_id: from.to_string(),
            successor_id: to.to_string(),
            kind: LineageKind::Merge,
            effective: day,
            legal_basis: Some(MERGER_BASIS.to_string()),
        });
    };
    let hp_city = "u-old-hp-city";
    let hd_city = "u-old-hd-province";
    old(
        &mut units,
        &mut versions,
        hp_city,
        code(format!("000.01.00.{city_code}")),
        "Ủy ban nhân dân thành phố Hải Phòng",
        UnitKind::City,
        None,
    );
    old(
        &mut units,
        &mut versions,
        hd_city,
        code(format!("000.00.00.{HAI_DUONG}")),
        "Ủy ban nhân dân tỉnh Hải Dương",
        UnitKind::City,
        None,
    );
    merge(&mut lineage, hp_city, CITY_ID);
    merge(&mut lineage, hd_city, CITY_ID);

    let pairs: [(&str, String, String, &str, u32); 2] = [
        (
            CENTRE_ID,
            "Trung tâm Phục vụ hành chính công thành phố Hải Phòng".into(),
            "Trung tâm Phục vụ hành chính công tỉnh Hải Dương".into(),
            "centre",
            16,
        ),
        (
            POLICE_ID,
            "Công an thành phố Hải Phòng".into(),
            "Công an tỉnh Hải Dương".into(),
            "police",
            15,
        ),
    ];
    for (succ, hp_name, hd_name, tag, number) in pairs {
        let hp_id = format!("u-old-hp-{tag}");
        let hd_id = format!("u-old-hd-{tag}");
        old(
            &mut units,
            &mut versions,
            &hp_id,
            code(format!("000.01.{number:02}.{city_code}")),
            &hp_name,
            kind_of(succ),
            Some(hp_city),
        );
        old(
            &mut units,
            &mut versions,
            &hd_id,
            code(format!("000.00.{number:02}.{HAI_DUONG}")),
            &hd_name,
            kind_of(succ),
            Some(hd_city),
        );
        merge(&mut lineage, &hp_id, succ);
        merge(&mut lineage, &hd_id, succ);
    }
    for d in &departments {
        let tag = d.id.trim_start_matches("u-dept-");
        let (hp_name, hd_name) = predecessor_names(&d.short_name, &d.name);
        if let Some(n) = hp_name {
            let id = format!("u-old-hp-{tag}");
            old(
                &mut units,
                &mut versions,
                &id,
                code(format!("000.01.{:02}.{city_code}", d.number)),
                &n,
                UnitKind::Department,
                Some(hp_city),
            );
            merge(&mut lineage, &id, &d.id);
        }
        if let Some(n) = hd_name {
            let id = format!("u-old-hd-{tag}");
            old(
                &mut units,
                &mut versions,
                &id,
                code(format!("000.00.{:02}.{HAI_DUONG}", d.number)),
                &n,
                UnitKind::Department,
                Some(hd_city),
            );
            merge(&mut lineage, &id, &d.id);
        }
        if d.short_name == "SNgV" {
            // Kept through the merger, renamed and recoded: two versions of the same unit.
            let unit = units.iter_mut().find(|u| u.id == d.id).expect("department exists");
            unit.valid_from = predecessor_start();
            let old_version = UnitVersion {
                unit_id: d.id.clone(),
                code: code(format!("000.01.{:02}.{city_code}", d.number)),
                name: "Sở Ngoại vụ thành phố Hải Phòng".into(),
                valid_from: predecessor_start(),
                valid_to: Some(before),
            };
            let at = versions.iter().position(|x| x.unit_id == d.id).expect("version exists");
            versions.insert(at, old_version);
        }
    }
    UnitSet {
        units,
        versions,
        lineage,
    }
}

fn kind_of(id: &str) -> UnitKind {
    if id == CENTRE_ID {
        UnitKind::ServiceCentre
    } else {
        UnitKind::Department
    }
}
