//! The procedure catalog of the demo city: the 292 real rows of `data/procedures.csv`,
//! completed to about 1,900 city-level and exactly 328 commune-level procedures with names
//! from [`crate::names`].
//!
//! Every attribute the reference data gives is kept (name, field, level, time limit, fee,
//! online level). Where a cell is blank the demo fills in a plausible value for the field:
//! time limits from the field's usual range, fees where such procedures usually charge one,
//! online levels with shares that make about 80% of procedures available online (the city
//! reported 81.51%). Document components, applicant types, results, legal bases and the
//! e-form follow the field and the wording of the name.

use crate::fields::{self, Profile};
use crate::names::{self, Cand};
use crate::popular;
use crate::rng::{chance, pick};
use crate::text::{capitalise, decapitalise};
use citygov_domain::calendar::TimeUnit;
use citygov_domain::catalog::{DocumentComponent, FeeLine, Level, OnlineLevel, Procedure, ResultKind, TimeLimit};
use citygov_domain::codes::{AgencyCode, ApplicantType};
use citygov_domain::eform::{StandardField as SF, standard_form};
use rand::Rng;
use rand::rngs::StdRng;
use std::collections::{BTreeMap, HashSet};

pub const PROCEDURES_CSV: &str = include_str!("../data/procedures.csv");

/// City-level procedures in the demo catalog (the city reported about 1,900).
pub const CITY_TARGET: usize = 1900;
/// Commune-level procedures every commune handles.
pub const COMMUNE_TARGET: usize = 328;

/// Desired number of city-level procedures per agency, roughly as provincial catalogs are
/// split; the allocation scales these to [`CITY_TARGET`] within what each list holds.
const CITY_SHARES: &[(&str, usize)] = &[
    ("SNNMT", 290),
    ("SXD", 210),
    ("SYT", 200),
    ("SNV", 190),
    ("STC", 150),
    ("SVHTTDL", 150),
    ("SCT", 140),
    ("STP", 120),
    ("CATP", 120),
    ("SKHCN", 100),
    ("SGDĐT", 100),
    ("BQLKKT", 45),
    ("TTTP", 12),
    ("SNgV", 8),
    ("VP UBND", 5),
];

/// A row of `procedures.csv`.
#[derive(Debug, Clone)]
pub struct RealRow {
    pub name: String,
    pub field: String,
    pub level: Level,
    pub limit: Option<TimeLimit>,
    pub fee: Option<i64>,
    pub online: Option<OnlineLevel>,
}

pub fn real_rows() -> Vec<RealRow> {
    let mut reader = csv::Reader::from_reader(PROCEDURES_CSV.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("procedures.csv is well-formed");
            let unit = match &r[4] {
                "ngay_lam_viec" => Some(TimeUnit::WorkingDays),
                "ngay" => Some(TimeUnit::Days),
                "gio_lam_viec" => Some(TimeUnit::WorkingHours),
                "thang" => Some(TimeUnit::Months),
                _ => None,
            };
            let limit = match (r[3].parse::<u32>().ok(), unit) {
                (Some(value), Some(unit)) => Some(TimeLimit { value, unit }),
                _ => None,
            };
            RealRow {
                name: r[0].to_string(),
                field: r[1].to_string(),
                level: Level::parse(&r[2]).expect("level is xa or tinh"),
                limit,
                fee: r[5].parse().ok(),
                online: if r[6].is_empty() {
                    None
                } else {
                    OnlineLevel::parse(&r[6])
                },
            }
        })
        .collect()
}

/// A procedure chosen for the catalog, before its attributes are filled in.
struct Entry {
    name: String,
    field: &'static str,
    level: Level,
    dept: Option<&'static str>,
    real: Option<RealRow>,
    result: Option<String>,
}

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn from_real(r: &RealRow) -> Entry {
    let field = fields::field(&r.field).name;
    let dept = match r.level {
        Level::City => Some(fields::competent_dept(&r.field, &r.name)),
        Level::Commune => None,
    };
    Entry {
        name: r.name.clone(),
        field,
        level: r.level,
        dept,
        real: Some(r.clone()),
        result: None,
    }
}

fn from_cand(c: &Cand, level: Level, dept: Option<&'static str>) -> Entry {
    Entry {
        name: c.name.clone(),
        field: c.field,
        level,
        dept,
        real: None,
        result: c.result.clone(),
    }
}

/// Candidates by tier, insertion order kept within a tier.
fn by_tier(mut items: Vec<Cand>) -> Vec<Cand> {
    items.sort_by_key(|c| c.tier);
    items
}

/// Share `total` among agencies in proportion to their desired counts, never more than an
/// agency's list holds nor less than its real rows.
fn allocate(
    total: usize,
    wanted: &[(&'static str, usize)],
    available: &BTreeMap<&'static str, usize>,
    floor: &BTreeMap<&'static str, usize>,
) -> BTreeMap<&'static str, usize> {
    let sum: usize = wanted.iter().map(|(_, w)| w).sum();
    let mut out = BTreeMap::new();
    for (d, w) in wanted {
        let avail = available.get(d).copied().unwrap_or(0);
        let share = (total * w + sum / 2) / sum;
        out.insert(*d, share.min(avail).max(floor.get(d).copied().unwrap_or(0)));
    }
    loop {
        let used: usize = out.values().sum();
        if used == total {
            break;
        }
        if used > total {
            // Take one from the agency furthest above its share (that has more than its floor).
            let pick = wanted
                .iter()
                .filter(|(d, _)| out[d] > floor.get(d).copied().unwrap_or(0))
                .max_by(|a, b| (out[a.0] as f64 / a.1 as f64).total_cmp(&(out[b.0] as f64 / b.1 as f64)));
            match pick {
                Some((d, _)) => *out.get_mut(d).expect("present") -= 1,
                None => break,
            }
        } else {
            // Give one to the agency furthest below its share that still has candidates.
            let pick = wanted
                .iter()
                .filter(|(d, _)| out[d] < available.get(d).copied().unwrap_or(0))
                .min_by(|a, b| (out[a.0] as f64 / a.1 as f64).total_cmp(&(out[b.0] as f64 / b.1 as f64)));
            match pick {
                Some((d, _)) => *out.get_mut(d).expect("present") += 1,
                None => break,
            }
        }
    }
    out
}

/// The competent agency of each short name: its code and name.
pub type DeptDirectory = BTreeMap<String, (AgencyCode, String)>;

/// Build the catalog: commune-level procedures first, then city-level ones by agency.
pub fn build_catalog(rng: &mut StdRng, depts: &DeptDirectory) -> Vec<Procedure> {
    let rows = real_rows();
    let mut seen: HashSet<String> = rows.iter().map(|r| key(&r.name)).collect();

    let mut commune: Vec<Entry> = rows
        .iter()
        .filter(|r| r.level == Level::Commune)
        .map(from_real)
        .collect();
    for c in by_tier(names::commune_pool().items) {
        if commune.len() >= COMMUNE_TARGET {
            break;
        }
        if seen.insert(key(&c.name)) {
            commune.push(from_cand(&c, Level::Commune, None));
        }
    }

    let mut per_dept: BTreeMap<&'static str, Vec<Entry>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.level == Level::City) {
        let e = from_real(r);
        per_dept
            .entry(e.dept.expect("city rows have an agency"))
            .or_default()
            .push(e);
    }
    let floor: BTreeMap<&'static str, usize> = per_dept.iter().map(|(d, v)| (*d, v.len())).collect();
    let mut pools = names::city_pools();
    for r in rows.iter().filter(|r| r.level == Level::City) {
        let dept = fields::competent_dept(&r.field, &r.name);
        if let Some(pool) = pools.iter_mut().find(|p| p.dept == dept) {
            pool.variants_of(&r.name, fields::field(&r.field).name);
        }
    }
    for pool in pools {
        let list = per_dept.entry(pool.dept).or_default();
        for c in by_tier(pool.items) {
            if seen.insert(key(&c.name)) {
                list.push(from_cand(&c, Level::City, Some(pool.dept)));
            }
        }
    }
    let available: BTreeMap<&'static str, usize> = per_dept.iter().map(|(d, v)| (*d, v.len())).collect();
    let quotas = allocate(CITY_TARGET, CITY_SHARES, &available, &floor);

    let mut entries = commune;
    for (dept, _) in CITY_SHARES {
        let list = per_dept.remove(dept).unwrap_or_default();
        entries.extend(list.into_iter().take(quotas[dept]));
    }
    assert!(
        per_dept.values().all(|v| v.is_empty()),
        "every agency with procedures is in CITY_SHARES"
    );

    let mut codes = HashSet::new();
    entries
        .iter()
        .map(|e| {
            let code = loop {
                let prefix = if chance(rng, 0.65) { 1 } else { 2 };
                let c = format!("{prefix}.0{:05}", rng.gen_range(100..15_000));
                if codes.insert(c.clone()) {
                    break c;
                }
            };
            make_procedure(e, code, rng, depts)
        })
        .collect()
}

fn make_procedure(e: &Entry, code: String, rng: &mut StdRng, depts: &DeptDirectory) -> Procedure {
    let info = fields::field(e.field);
    let profile = profile_for(info.profile, &e.name);
    let competent = e.dept.map(|d| {
        depts
            .get(d)
            .unwrap_or_else(|| panic!("agency {d} is missing from the directory"))
    });
    let time_limit = e
        .real
        .as_ref()
        .and_then(|r| r.limit)
        .unwrap_or_else(|| plausible_limit(&e.name, info.limit, rng));
    let fees = fees(e, rng);
    let online_level = match e.real.as_ref().and_then(|r| r.online) {
        Some(o) => o,
        None => plausible_online(profile, &e.name, e.level, rng),
    };
    let fully_online_eligible = match online_level {
        OnlineLevel::Full => true,
        OnlineLevel::Partial => chance(rng, 0.45),
        OnlineLevel::None => chance(rng, 0.08),
    };
    let result_kind = match online_level {
        OnlineLevel::Full if chance(rng, 0.55) => ResultKind::Electronic,
        OnlineLevel::Partial if chance(rng, 0.15) => ResultKind::Electronic,
        _ => ResultKind::Paper,
    };
    let result_name = e.result.clone().unwrap_or_else(|| result_name(&e.name, e.field));
    // Residence and identity cards are decided by the commune police (data/README.md).
    let commune_body = if matches!(e.field, "Cư trú" | "Căn cước") {
        "Công an cấp xã nơi nộp hồ sơ"
    } else {
        "Ủy ban nhân dân cấp xã nơi nộp hồ sơ"
    };
    let unit_name = competent.map(|(_, n)| n.as_str()).unwrap_or(commune_body);
    let description = format!(
        "{}. Lĩnh vực: {}. Cơ quan giải quyết: {}. Thời hạn giải quyết: {} {}. Kết quả: {}.",
        strip_dot(&e.name),
        e.field,
        unit_name,
        time_limit.value,
        unit_vi(time_limit.unit),
        result_name
    );
    let mut legal_basis: Vec<String> = info.law.iter().map(|s| s.to_string()).collect();
    if !fees.is_empty() && !legal_basis.iter().any(|l| l.contains("TT-BTC")) {
        legal_basis.push("Luật Phí và lệ phí 2015".to_string());
    }
    legal_basis.push(
        "Nghị định 118/2025/NĐ-CP về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông".to_string(),
    );
    let applicant_types = applicant_types(profile, &e.name, e.level);
    let eform = standard_form(&form_fields(profile, &e.name, &applicant_types));
    Procedure {
        code,
        name: e.name.clone(),
        description,
        field_code: info.code.to_string(),
        field_name: e.field.to_string(),
        level: e.level,
        competent_unit: competent.map(|(c, _)| c.clone()),
        time_limit,
        fees,
        components: components(e.field, &e.name, profile, rng),
        applicant_types,
        result_kind,
        result_name,
        online_level,
        fully_online_eligible,
        legal_basis,
        eform,
        active: true,
    }
}

fn strip_dot(s: &str) -> &str {
    s.trim_end_matches('.')
}

pub fn unit_vi(u: TimeUnit) -> &'static str {
    u.label_vi()
}

/// Names that start with a variant verb ("Cấp lại …", "Gia hạn …").
fn is_variant(name: &str) -> bool {
    let n = name
        .strip_prefix("Thủ tục ")
        .map(capitalise)
        .unwrap_or_else(|| name.to_string());
    [
        "Cấp lại",
        "Cấp đổi",
        "Gia hạn",
        "Điều chỉnh",
        "Cấp điều chỉnh",
        "Cấp sửa đổi",
        "Sửa đổi",
        "Trả lại",
    ]
    .iter()
    .any(|v| n.starts_with(v))
}

fn plausible_limit(name: &str, (lo, hi, unit): (u32, u32, TimeUnit), rng: &mut StdRng) -> TimeLimit {
    if name.starts_with("Thông báo lưu trú") || name.starts_with("Khai báo tạm trú") {
        return TimeLimit {
            value: 4,
            unit: TimeUnit::WorkingHours,
        };
    }
    if name.starts_with("Khai báo tạm vắng") {
        return TimeLimit {
            value: 1,
            unit: TimeUnit::WorkingDays,
        };
    }
    if name.starts_with("Thông báo") || name.starts_with("Thủ tục thông báo") || name.starts_with("Khai báo") {
        return TimeLimit {
            value: *pick(rng, &[3, 5]),
            unit: TimeUnit::WorkingDays,
        };
    }
    if is_variant(name) {
        let v = (lo / 2).clamp(2, 7);
        return TimeLimit {
            value: v,
            unit: TimeUnit::WorkingDays,
        };
    }
    let mut value = rng.gen_range(lo..=hi);
    if value >= 10 {
        value = (value + 2) / 5 * 5;
    }
    TimeLimit {
        value: value.max(1),
        unit,
    }
}

fn plausible_online(profile: Profile, name: &str, level: Level, rng: &mut StdRng) -> OnlineLevel {
    let (full, partial) = match profile {
        Profile::Person => (0.45, 0.40),
        Profile::Practitioner => (0.35, 0.50),
        Profile::Business => (0.40, 0.45),
        Profile::Organisation => (0.20, 0.57),
        Profile::Land | Profile::Construction => (0.10, 0.72),
        Profile::Complaint => (0.0, 0.55),
    };
    let x: f64 = rng.r#gen();
    let level_drawn = if x < full {
        OnlineLevel::Full
    } else if x < full + partial {
        OnlineLevel::Partial
    } else {
        OnlineLevel::None
    };
    if level_drawn == OnlineLevel::None && popular::is_busy(name, level) {
        OnlineLevel::Partial
    } else {
        level_drawn
    }
}

/// Some names override their field's profile (a person's own certificate in a business
/// field, an organisation's licence in a person field).
fn profile_for(base: Profile, name: &str) -> Profile {
    let n = name.to_lowercase();
    let has_any = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if n.contains("hộ kinh doanh") {
        return Profile::Business;
    }
    if n.contains("giấy phép xây dựng") {
        return Profile::Construction;
    }
    let personal_licence = has_any(&[
        "chứng chỉ hành nghề",
        "thẻ hướng dẫn viên",
        "giấy phép hành nghề",
        "chứng chỉ nhân viên",
        "chứng chỉ thuyền trưởng",
        "chứng chỉ máy trưởng",
    ]);
    if personal_licence && base != Profile::Person {
        return Profile::Practitioner;
    }
    if n.contains("chứng chỉ năng lực") {
        return Profile::Organisation;
    }
    // Pupils, diplomas and family support in education are a person's own matter.
    let pupil = has_any(&[
        "học sinh",
        "tuyển sinh",
        "trẻ em",
        "học bổng",
        "học phí",
        "học tập",
        "văn bằng",
        "tốt nghiệp",
        "phúc khảo",
        "dự thi",
        "người khuyết tật",
    ]);
    if (base == Profile::Organisation && pupil) || n.contains("gia đình văn hóa") {
        return Profile::Person;
    }
    // Running an establishment (a care centre, a counselling service) is an organisation's.
    let bare = n.strip_prefix("thủ tục ").unwrap_or(&n);
    let establishment = [
        "đăng ký hoạt động",
        "thông báo hoạt động",
        "thông báo thay đổi thông tin hoạt động",
        "cấp giấy phép hoạt động",
        "thành lập",
    ]
    .iter()
    .any(|w| bare.starts_with(w));
    if base == Profile::Person && establishment {
        return Profile::Organisation;
    }
    base
}

fn applicant_types(profile: Profile, name: &str, level: Level) -> Vec<ApplicantType> {
    let n = name.to_lowercase();
    let foreign = n.contains("nước ngoài");
    let mut out = match profile {
        Profile::Person | Profile::Practitioner => vec![ApplicantType::Citizen],
        Profile::Land | Profile::Construction => {
            if n.contains("tổ chức") {
                vec![ApplicantType::Organisation]
            } else if level == Level::Commune || n.contains("hộ gia đình") {
                vec![ApplicantType::Citizen]
            } else {
                vec![ApplicantType::Citizen, ApplicantType::Organisation]
            }
        }
        Profile::Business => {
            if n.contains("hộ kinh doanh") || n.contains("tổ hợp tác") {
                vec![ApplicantType::Citizen]
            } else {
                vec![ApplicantType::Organisation]
            }
        }
        Profile::Organisation => vec![ApplicantType::Organisation],
        Profile::Complaint => vec![ApplicantType::Citizen, ApplicantType::Organisation],
    };
    if foreign
        && !out.contains(&ApplicantType::Foreigner)
        && !n.contains("thương nhân nước ngoài")
        && !n.contains("nhà đầu tư nước ngoài")
    {
        out.push(ApplicantType::Foreigner);
    }
    out
}

/// The e-form: standard fields chosen by profile.
fn form_fields(profile: Profile, name: &str, types: &[ApplicantType]) -> Vec<(SF, bool)> {
    let n = name.to_lowercase();
    let cccd_required = !types.contains(&ApplicantType::Foreigner);
    let delivery = (SF::DeliveryMethod, true);
    match profile {
        Profile::Person => {
            let mut v = vec![
                (SF::FullName, true),
                (SF::DateOfBirth, true),
                (SF::Gender, false),
                (SF::Cccd, cccd_required),
                (SF::Phone, true),
                (SF::Email, false),
                (SF::PermanentAddress, true),
                (SF::CurrentAddress, false),
                (SF::Ward, false),
                (SF::Purpose, false),
            ];
            if n.contains("bản sao")
                || n.contains("chứng thực")
                || n.contains("trích lục")
                || n.contains("phiếu lý lịch")
            {
                v.push((SF::NumberOfCopies, true));
            }
            v.push(delivery);
            v
        }
        Profile::Land => vec![
            (SF::FullName, true),
            (SF::Cccd, cccd_required),
            (SF::Phone, true),
            (SF::Email, false),
            (SF::PermanentAddress, true),
            (SF::Ward, true),
            (SF::LandParcelNumber, true),
            (SF::MapSheetNumber, true),
            (SF::LandArea, true),
            (SF::Purpose, false),
            delivery,
        ],
        Profile::Construction => vec![
            (SF::FullName, true),
            (SF::Cccd, cccd_required),
            (SF::Phone, true),
            (SF::Email, false),
            (SF::PermanentAddress, true),
            (SF::Ward, true),
            (SF::LandParcelNumber, true),
            (SF::MapSheetNumber, true),
            (SF::LandArea, false),
            (SF::ConstructionArea, true),
            (SF::NumberOfFloors, true),
            delivery,
        ],
        Profile::Business => {
            let new = n.contains("thành lập") || n.starts_with("cấp giấy chứng nhận đăng ký đầu tư");
            vec![
                (SF::BusinessName, true),
                (SF::TaxCode, !new),
                (SF::BusinessLine, true),
                (SF::FullName, true),
                (SF::Cccd, cccd_required),
                (SF::Phone, true),
                (SF::Email, false),
                (SF::PermanentAddress, true),
                (SF::Ward, false),
                delivery,
            ]
        }
        Profile::Practitioner => vec![
            (SF::FullName, true),
            (SF::DateOfBirth, true),
            (SF::Gender, false),
            (SF::Cccd, cccd_required),
            (SF::CccdIssueDate, false),
            (SF::Phone, true),
            (SF::Email, true),
            (SF::PermanentAddress, true),
            (SF::Purpose, false),
            delivery,
        ],
        Profile::Organisation => vec![
            (SF::FullName, true),
            (SF::Cccd, cccd_required),
            (SF::Phone, true),
            (SF::Email, true),
            (SF::PermanentAddress, true),
            (SF::TaxCode, false),
            (SF::Purpose, true),
            delivery,
        ],
        Profile::Complaint => vec![
            (SF::FullName, true),
            (SF::Cccd, cccd_required),
            (SF::Phone, false),
            (SF::PermanentAddress, true),
            (SF::Purpose, true),
            (SF::DeliveryMethod, false),
        ],
    }
}

/// Fee lines: the real fee, or a plausible one where such procedures usually charge.
fn fees(e: &Entry, rng: &mut StdRng) -> Vec<FeeLine> {
    let real = e.real.as_ref().and_then(|r| r.fee);
    let (amount, online) = match real {
        Some(0) => return Vec::new(),
        Some(v) => (v, real_online_amount(e.field, v, e.level)),
        None => match plausible_fee(e, rng) {
            Some(x) => x,
            None => return Vec::new(),
        },
    };
    let name = if e.name.starts_with("Thẩm định") || e.name.contains("Thẩm định") {
        "Phí thẩm định"
    } else {
        "Lệ phí"
    };
    vec![FeeLine {
        code: "LP01".into(),
        name: name.into(),
        amount_vnd: amount,
        online_amount_vnd: online,
    }]
}

/// Lower online rates the law sets: residence (TT 75/2022/TT-BTC) and enterprise
/// registration, free when filed online (TT 47/2019/TT-BTC).
fn real_online_amount(field: &str, amount: i64, level: Level) -> Option<i64> {
    match field {
        "Cư trú" => match amount {
            20_000 => Some(10_000),
            15_000 => Some(7_000),
            10_000 => Some(5_000),
            _ => None,
        },
        "Đăng ký kinh doanh" if level == Level::City => Some(0),
        _ => None,
    }
}

fn plausible_fee(e: &Entry, rng: &mut StdRng) -> Option<(i64, Option<i64>)> {
    let n = e.name.to_lowercase();
    let has = |s: &str| n.contains(s);
    let variant = is_variant(&e.name);
    let fee = |v: i64| Some((v, None));
    match e.field {
        "Hộ tịch" => {
            if has("liên thông") || has("lưu động") {
                None
            } else if has("nước ngoài") {
                fee(50_000)
            } else {
                fee(8_000)
            }
        }
        "Lý lịch tư pháp" => fee(200_000),
        "Quốc tịch" if has("nhập quốc tịch") => fee(3_000_000),
        "Quốc tịch" if has("trở lại") || has("thôi quốc tịch") => fee(2_500_000),
        "Quốc tịch" if has("xác nhận có quốc tịch") => fee(100_000),
        "Đăng ký kinh doanh" if has("hộ kinh doanh") && (has("thành lập") || has("thay đổi") || has("cấp lại")) => {
            fee(100_000)
        }
        "Đăng ký kinh doanh" if e.level == Level::City && (n.starts_with("đăng ký") || n.starts_with("cấp lại")) => {
            Some((50_000, Some(0)))
        }
        "Hợp tác xã" if n.starts_with("đăng ký") || n.starts_with("cấp lại") => fee(100_000),
        "Đất đai" if has("giấy chứng nhận") || has("đăng ký đất đai") => {
            fee(if variant { 50_000 } else { 100_000 })
        }
        "Đất đai" if has("biến động") || has("tách thửa") => fee(30_000),
        "Đất đai" if has("cung cấp thông tin") => fee(50_000),
        "Đăng ký biện pháp bảo đảm" if n.starts_with("đăng ký") => fee(80_000),
        "Đăng ký biện pháp bảo đảm" if n.starts_with("xóa") => fee(20_000),
        "Luật sư" if n.starts_with("đăng ký hoạt động") => fee(100_000),
        "Công chứng" if has("thành lập") || has("đăng ký hoạt động") || has("thẻ công chứng viên") => {
            fee(1_000_000)
        }
        "Văn hóa" if has("karaoke") => fee(if has("điều chỉnh") { 2_000_000 } else { 6_000_000 }),
        "Văn hóa" if has("vũ trường") => fee(if has("điều chỉnh") { 3_000_000 } else { 15_000_000 }),
        "Du lịch" if has("lữ hành") => fee(if variant { 2_000_000 } else { 3_000_000 }),
        "Du lịch" if has("thẻ hướng dẫn viên") => fee(650_000),
        "Xuất nhập cảnh" if has("cấp hộ chiếu") => fee(200_000),
        "Giấy phép lái xe" if n.starts_with("cấp đổi") || n.starts_with("cấp lại") || has("quốc tế") => {
            fee(135_000)
        }
        "Đăng ký, quản lý phương tiện giao thông" if has("lần đầu") => {
            fee(if has("ô tô") { 500_000 } else { 1_000_000 })
        }
        "Đăng ký, quản lý phương tiện giao thông" if has("thu hồi") => None,
        "Đăng ký, quản lý phương tiện giao thông" => fee(if has("mô tô") { 50_000 } else { 150_000 }),
        "Căn cước" if n.starts_with("cấp đổi") => Some((50_000, Some(25_000))),
        "Căn cước" if n.starts_with("cấp lại") => Some((70_000, Some(35_000))),
        "Giao thông vận tải" if has("phù hiệu") => fee(50_000),
        "Giao thông vận tải" if has("giấy phép kinh doanh vận tải") => fee(200_000),
        _ if has("giấy phép xây dựng") => fee(if variant {
            15_000
        } else if has("nhà ở riêng lẻ") {
            75_000
        } else {
            150_000
        }),
        _ if has("giấy phép lao động") && !has("không thuộc diện") => {
            fee(if variant { 450_000 } else { 600_000 })
        }
        _ if has("chứng chỉ hành nghề dược") => fee(500_000),
        _ if has("kinh doanh dược") => fee(1_000_000),
        _ if has("giấy phép hành nghề") && e.field == "Khám bệnh, chữa bệnh" => fee(360_000),
        _ if has("giấy phép hoạt động đối với") && e.field == "Khám bệnh, chữa bệnh" => {
            fee(if variant {
                1_500_000
            } else if has("bệnh viện") {
                10_500_000
            } else {
                4_300_000
            })
        }
        _ if has("an toàn thực phẩm") && (n.starts_with("cấp") || n.starts_with("thủ tục cấp")) => {
            fee(if has("ăn uống") { 700_000 } else { 1_000_000 })
        }
        _ if has("kinh doanh hoạt động thể thao") => fee(800_000),
        _ => {
            let issues = n.starts_with("cấp") || n.starts_with("thủ tục cấp") || n.starts_with("gia hạn");
            let charges = matches!(
                profile_for(fields::field(e.field).profile, &e.name),
                Profile::Business | Profile::Practitioner | Profile::Organisation
            );
            if issues && charges && chance(rng, 0.45) {
                let v = *pick(rng, &[100_000i64, 150_000, 200_000, 300_000, 500_000, 1_000_000]);
                fee(if variant { v / 2 } else { v })
            } else {
                None
            }
        }
    }
}

/// Document components (thành phần hồ sơ): the request form, then papers of the field.
fn components(field: &str, name: &str, profile: Profile, rng: &mut StdRng) -> Vec<DocumentComponent> {
    let n = name.to_lowercase();
    let form = match (field, profile) {
        ("Cư trú", _) => "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
        ("Lý lịch tư pháp", _) => "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        ("Đăng ký kinh doanh", _) if n.contains("hộ kinh doanh") => "Giấy đề nghị đăng ký hộ kinh doanh",
        ("Đăng ký kinh doanh", _) => "Giấy đề nghị đăng ký doanh nghiệp",
        ("Chứng thực", _) => "Phiếu yêu cầu chứng thực",
        (_, Profile::Complaint) => "Đơn khiếu nại, tố cáo, kiến nghị hoặc văn bản ghi lại nội dung trình bày",
        (_, Profile::Person) | (_, Profile::Practitioner) => "Tờ khai theo mẫu",
        _ => "Đơn đề nghị theo mẫu",
    };
    let specific: &[&str] = if n.contains("khai sinh") {
        &[
            "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh",
            "Văn bản ủy quyền có chứng thực (nếu ủy quyền)",
            "Giấy tờ chứng minh nơi cư trú (nếu chưa có trong Cơ sở dữ liệu quốc gia về dân cư)",
        ]
    } else if n.contains("khai tử") {
        &[
            "Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử",
            "Văn bản ủy quyền có chứng thực (nếu ủy quyền)",
        ]
    } else if field == "Giáo dục và Đào tạo" && (n.contains("văn bằng") || n.contains("tốt nghiệp")) {
        &[
            "Bản sao giấy tờ tùy thân",
            "Bản sao văn bằng, chứng chỉ đã cấp (nếu có)",
            "Văn bản ủy quyền (nếu ủy quyền)",
        ]
    } else if field == "Giáo dục và Đào tạo"
        && (n.contains("học sinh")
            || n.contains("tuyển sinh")
            || n.contains("học bổng")
            || n.contains("học phí")
            || n.contains("học tập")
            || n.contains("trẻ em"))
    {
        &[
            "Bản sao Giấy khai sinh",
            "Học bạ hoặc giấy xác nhận của nhà trường",
            "Giấy tờ chứng minh thuộc đối tượng được hưởng chính sách (nếu có)",
        ]
    } else if n.contains("kết hôn") {
        &[
            "Giấy xác nhận tình trạng hôn nhân",
            "Bản sao giấy tờ tùy thân của hai bên nam, nữ",
            "Giấy tờ chứng minh nơi cư trú",
        ]
    } else {
        match field {
            "Hộ tịch" | "Nuôi con nuôi" | "Quốc tịch" => &[
                "Bản sao giấy tờ tùy thân của người yêu cầu",
                "Giấy tờ làm căn cứ đăng ký hộ tịch",
                "Văn bản ủy quyền có chứng thực (nếu ủy quyền)",
                "Giấy tờ chứng minh nơi cư trú",
            ],
            "Chứng thực" => &[
                "Bản chính giấy tờ, văn bản cần chứng thực",
                "Bản sao giấy tờ tùy thân của người yêu cầu chứng thực",
                "Dự thảo hợp đồng, giao dịch (nếu có)",
            ],
            "Cư trú" | "Căn cước" => &[
                "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",
                "Văn bản đồng ý của chủ hộ hoặc chủ sở hữu chỗ ở hợp pháp",
                "Giấy tờ chứng minh quan hệ nhân thân với chủ hộ",
            ],
            "Lý lịch tư pháp" => &[
                "Bản chụp thẻ Căn cước hoặc Hộ chiếu",
                "Giấy tờ chứng minh nơi cư trú",
                "Văn bản ủy quyền (nếu ủy quyền)",
            ],
            "Đăng ký kinh doanh" | "Hợp tác xã" => &[
                "Điều lệ công ty",
                "Danh sách thành viên hoặc cổ đông sáng lập",
                "Bản sao giấy tờ pháp lý của cá nhân đối với người đại diện theo pháp luật",
                "Văn bản ủy quyền cho người đi làm thủ tục",
                "Nghị quyết, quyết định về việc thay đổi nội dung đăng ký",
            ],
            "Đầu tư tại Việt Nam" => &[
                "Đề xuất dự án đầu tư",
                "Bản sao giấy tờ pháp lý của nhà đầu tư",
                "Báo cáo tài chính 02 năm gần nhất của nhà đầu tư",
                "Giấy tờ về quyền sử dụng địa điểm thực hiện dự án",
                "Giải trình về sử dụng công nghệ",
            ],
            "Đất đai" | "Đăng ký biện pháp bảo đảm" => &[
                "Bản gốc Giấy chứng nhận đã cấp",
                "Hợp đồng, văn bản về chuyển quyền sử dụng đất",
                "Trích lục bản đồ địa chính thửa đất",
                "Chứng từ thực hiện nghĩa vụ tài chính",
                "Bản sao giấy tờ tùy thân của người sử dụng đất",
            ],
            "Xây dựng" | "Quy hoạch xây dựng, kiến trúc" | "Hạ tầng kỹ thuật" | "Nhà ở" => &[
                "Bản sao giấy tờ chứng minh quyền sử dụng đất",
                "Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng)",
                "Bản kê khai kinh nghiệm của tổ chức, cá nhân thiết kế",
                "Văn bản thẩm định thiết kế của cơ quan chuyên môn về xây dựng",
                "Bản cam kết bảo đảm an toàn đối với công trình liền kề",
            ],
            "Khám bệnh, chữa bệnh" | "Dược phẩm" | "Y tế" | "Trang thiết bị y tế" | "Y tế dự phòng" | "Mỹ phẩm" => {
                &[
                    "Bản sao văn bằng chuyên môn",
                    "Giấy chứng nhận đủ sức khỏe để hành nghề",
                    "Danh sách nhân sự và trang thiết bị y tế",
                    "Bản kê khai cơ sở vật chất",
                    "Giấy xác nhận quá trình thực hành",
                ]
            }
            "Giáo dục và Đào tạo" | "Giáo dục nghề nghiệp" => &[
                "Đề án thành lập hoặc báo cáo thực trạng",
                "Danh sách cán bộ quản lý, giáo viên kèm bản sao văn bằng",
                "Hồ sơ về cơ sở vật chất, thiết bị dạy học",
                "Quyết định của cơ quan có thẩm quyền có liên quan",
            ],
            "Văn bằng, chứng chỉ" => &[
                "Bản sao giấy tờ tùy thân",
                "Bản sao văn bằng, chứng chỉ đã cấp (nếu có)",
            ],
            "Lao động" | "Việc làm" | "An toàn, vệ sinh lao động" | "Tiền lương" => &[
                "Giấy chứng nhận sức khỏe",
                "Phiếu lý lịch tư pháp",
                "Văn bản chứng minh là nhà quản lý, chuyên gia, lao động kỹ thuật",
                "Bản sao hộ chiếu có chứng thực",
                "Ảnh màu 4x6",
            ],
            "Người có công"
            | "Bảo trợ xã hội"
            | "Trẻ em"
            | "Giảm nghèo"
            | "Phòng, chống mua bán người"
            | "Giám định y khoa" => &[
                "Giấy xác nhận của Ủy ban nhân dân cấp xã",
                "Bản sao Giấy khai sinh hoặc giấy tờ tùy thân",
                "Giấy tờ chứng minh thuộc đối tượng hưởng chính sách",
                "Biên bản họp xét duyệt",
            ],
            "Môi trường" | "Tài nguyên nước" | "Địa chất và khoáng sản" | "Biển và hải đảo" | "Khí tượng thủy văn" => {
                &[
                    "Báo cáo đề xuất cấp giấy phép",
                    "Bản sao quyết định phê duyệt dự án",
                    "Sơ đồ vị trí khu vực thực hiện",
                    "Kết quả phân tích chất lượng nguồn nước, môi trường",
                ]
            }
            "Thủy sản"
            | "Thú y"
            | "Chăn nuôi"
            | "Trồng trọt"
            | "Bảo vệ thực vật"
            | "Quản lý chất lượng nông lâm sản và thủy sản"
            | "An toàn thực phẩm" => &[
                "Bản thuyết minh về cơ sở vật chất, trang thiết bị",
                "Giấy xác nhận kiến thức về an toàn thực phẩm",
                "Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất",
                "Kết quả kiểm nghiệm mẫu",
            ],
            "Giao thông vận tải"
            | "Đường thủy nội địa"
            | "Đăng ký, quản lý phương tiện giao thông"
            | "Giấy phép lái xe" => &[
                "Bản sao giấy chứng nhận đăng ký phương tiện",
                "Giấy chứng nhận kiểm định an toàn kỹ thuật và bảo vệ môi trường",
                "Chứng từ nguồn gốc, chuyển quyền sở hữu phương tiện",
                "Giấy khám sức khỏe của người lái xe",
            ],
            "Xuất nhập cảnh" | "Quản lý người nước ngoài" => &[
                "Ảnh chân dung",
                "Hộ chiếu hoặc giấy tờ có giá trị đi lại quốc tế",
                "Văn bản đề nghị của cơ quan, tổ chức bảo lãnh (nếu có)",
            ],
            "Phòng cháy, chữa cháy"
            | "Quản lý vũ khí, vật liệu nổ và công cụ hỗ trợ"
            | "Vật liệu nổ công nghiệp"
            | "Hóa chất" => &[
                "Hồ sơ thiết kế, bản vẽ hệ thống phòng cháy và chữa cháy",
                "Bản sao Giấy chứng nhận đăng ký doanh nghiệp",
                "Danh sách người được huấn luyện nghiệp vụ an toàn",
                "Phương án bảo đảm an toàn, an ninh",
            ],
            "Văn hóa"
            | "Du lịch"
            | "Thể dục thể thao"
            | "Nghệ thuật biểu diễn"
            | "Mỹ thuật, nhiếp ảnh, triển lãm"
            | "Di sản văn hóa" => &[
                "Bản thuyết minh cơ sở vật chất, trang thiết bị",
                "Danh sách nhân viên chuyên môn kèm văn bằng, chứng chỉ",
                "Giấy chứng nhận đủ điều kiện về phòng cháy, chữa cháy",
                "Nội dung chương trình, kịch bản hoặc danh mục tác phẩm",
            ],
            "Luật sư"
            | "Công chứng"
            | "Giám định tư pháp"
            | "Đấu giá tài sản"
            | "Thừa phát lại"
            | "Quản tài viên"
            | "Trọng tài thương mại"
            | "Hòa giải thương mại"
            | "Tư vấn pháp luật" => &[
                "Bản sao chứng chỉ hành nghề hoặc quyết định bổ nhiệm",
                "Giấy tờ chứng minh về trụ sở",
                "Danh sách thành viên, người lao động",
                "Phiếu lý lịch tư pháp",
            ],
            "Tổ chức phi chính phủ" | "Tín ngưỡng, tôn giáo" => &[
                "Dự thảo điều lệ hoặc nội quy hoạt động",
                "Danh sách ban vận động, ban điều hành",
                "Biên bản họp hoặc nghị quyết",
                "Giấy tờ chứng minh về trụ sở",
            ],
            "Thi đua, khen thưởng" => &[
                "Báo cáo thành tích có xác nhận của cấp trình khen",
                "Biên bản họp Hội đồng thi đua, khen thưởng",
            ],
            _ => &[
                "Bản sao giấy tờ pháp lý của tổ chức, cá nhân",
                "Tài liệu chứng minh đáp ứng điều kiện",
                "Văn bản ủy quyền (nếu có)",
            ],
        }
    };
    let extra = rng.gen_range(1..=specific.len().min(5));
    let mut out = vec![DocumentComponent {
        code: "TP01".into(),
        name: form.into(),
        required: true,
        copies: 1,
    }];
    for (i, paper) in specific.iter().take(extra).enumerate() {
        let optional = paper.contains("(nếu");
        out.push(DocumentComponent {
            code: format!("TP{:02}", i + 2),
            name: (*paper).to_string(),
            required: !optional && (i == 0 || chance(rng, 0.6)),
            copies: if paper.starts_with("Bản vẽ") { 2 } else { 1 },
        });
    }
    out
}

/// The result document's name, from the wording of the procedure name.
pub fn result_name(name: &str, field: &str) -> String {
    let bare = name
        .strip_prefix("Thủ tục ")
        .map(capitalise)
        .unwrap_or_else(|| name.to_string());
    let n = bare.to_lowercase();
    let has = |s: &str| n.contains(s);
    let starts = |s: &str| n.starts_with(s);
    let fixed = |s: &str| s.to_string();
    // Civil status and certification.
    if field == "Hộ tịch" || field == "Nuôi con nuôi" {
        return fixed(if has("ghi vào sổ") || has("ghi chú") {
            "Trích lục ghi vào sổ hộ tịch"
        } else if has("khai sinh") {
            "Giấy khai sinh"
        } else if has("kết hôn") {
            "Giấy chứng nhận kết hôn"
        } else if has("khai tử") {
            "Trích lục khai tử"
        } else if has("nhận cha, mẹ, con") {
            "Trích lục đăng ký nhận cha, mẹ, con"
        } else if has("giám hộ") {
            "Trích lục đăng ký giám hộ"
        } else if has("tình trạng hôn nhân") {
            "Giấy xác nhận tình trạng hôn nhân"
        } else if has("trích lục") {
            "Bản sao trích lục hộ tịch"
        } else if has("thay đổi, cải chính") {
            "Trích lục thay đổi, cải chính hộ tịch"
        } else if has("nuôi con nuôi") {
            "Giấy chứng nhận nuôi con nuôi"
        } else {
            "Văn bản xác nhận thông tin hộ tịch"
        });
    }
    if field == "Chứng thực" {
        return fixed(if has("bản sao") {
            "Bản sao có chứng thực"
        } else if has("chữ ký") {
            "Giấy tờ, văn bản đã được chứng thực chữ ký"
        } else if has("hợp đồng") {
            "Hợp đồng, giao dịch đã được chứng thực"
        } else {
            "Văn bản đã được chứng thực"
        });
    }
    if starts("cấp bản sao") {
        return capitalise(&format!(
            "Bản sao {}",
            bare.chars().skip("cấp bản sao ".chars().count()).collect::<String>()
        ));
    }
    if starts("quyết định") {
        return if bare.chars().count() <= 90 {
            bare.clone()
        } else {
            fixed("Quyết định giải quyết")
        };
    }
    if has("chứng nhận đăng ký, biển số") {
        return fixed("Chứng nhận đăng ký xe, biển số xe");
    }
    if has("giấy phép lái xe") {
        return fixed("Giấy phép lái xe");
    }
    if has("bằng tổ quốc ghi công") {
        return fixed("Bằng Tổ quốc ghi công");
    }
    if has("xác nhận kiến thức") {
        return fixed("Giấy xác nhận kiến thức về an toàn thực phẩm");
    }
    if starts("cấp phép ") {
        return capitalise(&format!(
            "Giấy phép {}",
            bare.chars().skip("cấp phép ".chars().count()).collect::<String>()
        ));
    }
    if starts("huấn luyện và cấp thẻ") {
        return capitalise(
            &bare
                .chars()
                .skip("huấn luyện và cấp ".chars().count())
                .collect::<String>(),
        );
    }
    if has("lý lịch tư pháp") {
        return fixed("Phiếu lý lịch tư pháp");
    }
    if has("hộ chiếu") {
        return fixed("Hộ chiếu phổ thông");
    }
    if has("thẻ căn cước") {
        return fixed("Thẻ căn cước");
    }
    if field == "Cư trú" {
        return fixed("Thông báo kết quả giải quyết thủ tục về cư trú");
    }
    if has("hộ kinh doanh") && !has("tạm ngừng") && !has("chấm dứt") {
        return fixed("Giấy chứng nhận đăng ký hộ kinh doanh");
    }
    if field == "Đăng ký kinh doanh" {
        return fixed(if has("chi nhánh") || has("văn phòng đại diện") {
            "Giấy chứng nhận đăng ký hoạt động chi nhánh, văn phòng đại diện"
        } else if starts("thông báo") || has("giải thể") || has("tạm ngừng") || has("chấm dứt") {
            "Giấy xác nhận về việc thay đổi nội dung đăng ký doanh nghiệp"
        } else if starts("cung cấp thông tin") {
            "Văn bản cung cấp thông tin doanh nghiệp"
        } else {
            "Giấy chứng nhận đăng ký doanh nghiệp"
        });
    }
    if has("hợp tác xã") && (starts("đăng ký") || starts("cấp lại")) {
        return fixed("Giấy chứng nhận đăng ký hợp tác xã");
    }
    if has("chủ trương đầu tư") {
        return fixed("Quyết định chấp thuận chủ trương đầu tư");
    }
    if field == "Đầu tư tại Việt Nam" {
        return fixed("Giấy chứng nhận đăng ký đầu tư");
    }
    if has("giấy phép xây dựng") {
        return fixed("Giấy phép xây dựng");
    }
    if field == "Đất đai" {
        return fixed(if starts("thu hồi đất") {
            "Quyết định thu hồi đất"
        } else if has("tranh chấp") {
            if starts("hòa giải") {
                "Biên bản hòa giải tranh chấp đất đai"
            } else {
                "Quyết định giải quyết tranh chấp đất đai"
            }
        } else if starts("giao đất") || has("chuyển mục đích") || has("cho thuê đất") {
            "Quyết định giao đất, cho thuê đất, cho phép chuyển mục đích sử dụng đất"
        } else if has("cung cấp thông tin") {
            "Văn bản cung cấp thông tin, dữ liệu đất đai"
        } else {
            "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"
        });
    }
    if field == "Đăng ký biện pháp bảo đảm" {
        return fixed(if has("cung cấp thông tin") {
            "Văn bản cung cấp thông tin về biện pháp bảo đảm"
        } else {
            "Văn bản chứng nhận đăng ký biện pháp bảo đảm"
        });
    }
    if field == "Giải quyết khiếu nại" {
        return fixed("Quyết định giải quyết khiếu nại");
    }
    if field == "Giải quyết tố cáo" {
        return fixed("Kết luận nội dung tố cáo");
    }
    if matches!(
        field,
        "Tiếp công dân" | "Xử lý đơn thư" | "Kiểm soát thủ tục hành chính"
    ) {
        return fixed("Văn bản trả lời, hướng dẫn người phản ánh, kiến nghị");
    }
    // Licences, certificates and cards: the paper named after the verb.
    if ["cấp", "gia hạn", "điều chỉnh"].iter().any(|v| starts(v)) {
        for head in [
            "giấy phép",
            "giấy giới thiệu",
            "giấy chứng sinh",
            "giấy chứng nhận",
            "chứng chỉ",
            "thẻ",
            "giấy xác nhận",
            "phù hiệu",
            "mã số",
            "văn bản",
        ] {
            if let Some(pos) = n.find(head) {
                let chars_before = n[..pos].chars().count();
                return capitalise(&bare.chars().skip(chars_before).collect::<String>());
            }
        }
    }
    let decision = |what: &str| {
        if bare.chars().count() <= 90 {
            format!("Quyết định {}", decapitalise(&bare))
        } else {
            format!("Quyết định {what}")
        }
    };
    if starts("công bố") {
        return fixed("Văn bản xác nhận công bố");
    }
    if starts("thành lập")
        || starts("chuyển đổi")
        || starts("cho phép")
        || starts("sáp nhập")
        || starts("giải thể")
        || starts("công nhận")
        || starts("phê duyệt")
        || starts("giao ")
        || starts("bổ nhiệm")
        || starts("miễn nhiệm")
    {
        return decision("giải quyết");
    }
    if starts("tặng") || starts("xét tặng") {
        return fixed("Quyết định khen thưởng");
    }
    if starts("đề nghị") {
        return fixed("Văn bản trả lời đề nghị");
    }
    if starts("thẩm định") {
        return fixed("Thông báo kết quả thẩm định");
    }
    if starts("chấp thuận") {
        return fixed("Văn bản chấp thuận");
    }
    if starts("khám giám định") {
        return fixed("Biên bản giám định y khoa");
    }
    if starts("hỗ trợ")
        || starts("trợ giúp")
        || starts("trợ cấp")
        || starts("giải quyết chế độ")
        || starts("thực hiện, điều chỉnh")
        || has("trợ cấp")
    {
        return fixed("Quyết định hưởng chế độ, chính sách");
    }
    if starts("đăng ký hoạt động") {
        return fixed("Giấy đăng ký hoạt động");
    }
    if starts("đăng ký") {
        return fixed("Giấy xác nhận đăng ký");
    }
    if starts("thông báo") || starts("khai báo") || starts("báo cáo") || starts("gửi") {
        return fixed("Văn bản xác nhận đã tiếp nhận thông báo");
    }
    if starts("xác nhận") {
        return fixed("Giấy xác nhận");
    }
    if starts("cung cấp") {
        return fixed("Văn bản cung cấp thông tin");
    }
    if starts("chấm dứt") {
        return fixed("Văn bản xác nhận chấm dứt hoạt động");
    }
    if starts("thay đổi") || starts("chỉnh sửa") {
        return fixed("Văn bản chấp thuận thay đổi nội dung");
    }
    if starts("hợp nhất") || starts("chuyển nhượng") || starts("di chuyển") || starts("chuyển ") || starts("miễn nhiệm")
    {
        return decision("giải quyết");
    }
    if starts("lấy ý kiến") || starts("tham vấn") {
        return fixed("Văn bản góp ý");
    }
    if starts("lựa chọn nhà đầu tư") {
        return fixed("Quyết định phê duyệt kết quả lựa chọn nhà đầu tư");
    }
    if starts("cho thuê") {
        return fixed("Hợp đồng thuê nhà ở");
    }
    if starts("bán nhà") {
        return fixed("Hợp đồng mua bán nhà ở");
    }
    if starts("duyệt") {
        return fixed("Văn bản phê duyệt");
    }
    if starts("kiểm tra") || starts("kiểm định") || starts("nghiệm thu") || starts("đánh giá") || starts("khám")
    {
        return fixed("Văn bản thông báo kết quả kiểm tra, đánh giá");
    }
    if has("chuyển trường") || starts("tiếp nhận học sinh") || starts("xin học lại") {
        return fixed("Văn bản đồng ý tiếp nhận học sinh");
    }
    fixed("Văn bản giải quyết thủ tục hành chính")
}
