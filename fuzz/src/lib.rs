//! Properties that must hold for any outside input, checked by the fuzz targets
//! (`fuzz_targets/`, one per function below) and replayed on the committed seeds and
//! regressions by a stable test (`crates/domain/tests/fuzz_corpus.rs`, which includes this
//! file). Every function takes raw bytes, as a parser at the edge would receive them, and
//! panics when a property is broken.
//!
//! Only `citygov_domain`, `serde_json`, `toml` and `chrono` are used here: the domain crate's
//! own dependencies, so that its test can include the file unchanged.

use chrono::{NaiveDate, NaiveDateTime};
use citygov_domain::Problem;
use citygov_domain::calendar::{Calendar, CalendarConfig, OfficialSchedule, TimeUnit};
use citygov_domain::catalog::Procedure;
use citygov_domain::codes::{AgencyCode, ApplicantType, DossierCode, DossierCodeFormat, parse_id_number};
use citygov_domain::dossier::Applicant;
use citygov_domain::eform::{EForm, StandardField, check_schema, field_titles, standard_form};
use citygov_domain::text::{fold, terms};
use citygov_domain::upload::{UploadPolicy, allowed_extensions, check_upload, content_disposition};
use serde_json::Value;

/// A property check on one raw input: panics when a property is broken.
pub type Check = fn(&[u8]);

/// Every target: its name (the folder of its seeds and regressions) and its check.
pub const TARGETS: &[(&str, Check)] = &[
    ("codes", codes),
    ("eform_schema", eform_schema),
    ("eform_data", eform_data),
    ("upload", upload),
    ("calendar_overrides", calendar_overrides),
    ("catalog_import", catalog_import),
    ("applicant", applicant),
    ("search_text", search_text),
];

/// A problem shown to people has a code and both messages.
fn assert_problem(p: &Problem) {
    assert!(!p.code.is_empty(), "problem without a code: {p:?}");
    assert!(
        !p.message_vi.trim().is_empty(),
        "problem without a Vietnamese message: {p:?}"
    );
    assert!(
        !p.message_en.trim().is_empty(),
        "problem without an English message: {p:?}"
    );
}

/// A parsed code shows, formats and serializes back to exactly its input.
fn round_trips<T>(code: &T, shown: &str, input: &str)
where
    T: std::fmt::Display + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
{
    assert_eq!(shown, input);
    assert_eq!(code.to_string(), input);
    let json = serde_json::to_string(code).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), code);
}

/// Agency codes, dossier codes, dossier code formats and identity numbers.
///
/// A parsed code shows, formats and serializes back to exactly its input; a code format that
/// parses renders, for any agency, day and sequence it allows, a dossier code that parses.
pub fn codes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;

    match AgencyCode::parse(s) {
        Ok(c) => round_trips(&c, c.as_str(), s),
        Err(p) => assert_problem(&p),
    }

    match DossierCode::parse(s) {
        Ok(c) => round_trips(&c, c.as_str(), s),
        Err(p) => {
            assert_problem(&p);
            assert_eq!(p.field.as_deref(), Some("code"));
        }
    }

    for kind in [
        ApplicantType::Citizen,
        ApplicantType::Organisation,
        ApplicantType::Foreigner,
    ] {
        match parse_id_number(kind, s) {
            // Normalising is idempotent: a stored number parses to itself.
            Ok(n) => assert_eq!(parse_id_number(kind, &n).as_deref(), Ok(n.as_str())),
            Err(p) => assert_problem(&p),
        }
    }

    match DossierCodeFormat::parse(s) {
        Ok(f) => {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(serde_json::from_str::<DossierCodeFormat>(&json).unwrap(), f);
            let agencies = [
                AgencyCode::parse("H22.1").unwrap(),
                AgencyCode::parse("000.00.01.H22").unwrap(),
                AgencyCode::parse("H1234567890.12345678901234567890.9").unwrap(),
            ];
            let days = [
                NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
                NaiveDate::from_ymd_opt(2099, 12, 31).unwrap(),
            ];
            for agency in &agencies {
                for day in days {
                    for seq in [1, f.max_sequence()] {
                        let code = f.render(agency, day, seq);
                        assert!(
                            DossierCode::parse(code.as_str()).is_ok(),
                            "format {s:?} renders {:?}, which is not a valid dossier code",
                            code.as_str()
                        );
                        let padded = format!("{seq:0width$}", width = f.max_sequence().to_string().len());
                        assert!(
                            code.as_str().contains(&padded),
                            "format {s:?} renders {:?} without the sequence {padded}",
                            code.as_str()
                        );
                    }
                }
            }
        }
        Err(p) => assert_problem(&p),
    }
}

/// E-form definitions: `[schema, data]` (or a schema alone, with `{}` as data).
///
/// Checking and compiling agree; a compiled form's `validate` agrees with `is_valid`, and
/// reports every problem with a code and both messages.
pub fn eform_schema(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let (schema, form_data) = match value {
        Value::Array(mut pair) if pair.len() == 2 => {
            let d = pair.pop().unwrap();
            (pair.pop().unwrap(), d)
        }
        other => (other, Value::Object(Default::default())),
    };
    let _ = field_titles(&schema);
    let checked = check_schema(&schema);
    match EForm::compile(&schema) {
        Ok(form) => {
            assert!(checked.is_ok(), "compiled but the check failed: {checked:?}");
            validate_agrees(&form, &form_data);
            let _ = form.field_titles();
        }
        Err(p) => {
            assert_eq!(checked.as_ref().err(), Some(&p), "the check and the compiler disagree");
            assert!(!p.code.is_empty() && !p.message_vi.is_empty() && !p.message_en.is_empty());
        }
    }
}

/// Submitted e-form data (any JSON) against a form of every standard field, all required.
pub fn eform_data(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let fields: Vec<(StandardField, bool)> = StandardField::ALL.iter().map(|f| (*f, true)).collect();
    let form = EForm::compile(&standard_form(&fields)).expect("the standard form compiles");
    validate_agrees(&form, &value);
}

fn validate_agrees(form: &EForm, data: &Value) {
    let valid = form.is_valid(data);
    match form.validate(data) {
        Ok(()) => assert!(valid, "validate accepts what is_valid refuses: {data}"),
        Err(errors) => {
            assert!(!valid, "validate refuses what is_valid accepts: {data}");
            assert!(!errors.is_empty());
            for e in &errors {
                assert!(!e.code.is_empty(), "{e:?}");
                assert!(
                    !e.message_vi.trim().is_empty() && !e.message_en.trim().is_empty(),
                    "{e:?}"
                );
            }
        }
    }
}

/// Uploads' metadata: the first byte is the length of the file name, then the name (UTF-8,
/// lossy), then the file's bytes, checked under a 64-byte limit.
///
/// An accepted upload has a clean name, an allowed extension and that extension's type; the
/// download header of any name is visible ASCII and its `filename*` decodes back to the name.
pub fn upload(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let n = usize::from(n).min(rest.len());
    let name = String::from_utf8_lossy(&rest[..n]).into_owned();
    let bytes = &rest[n..];
    let policy = UploadPolicy { max_bytes: 64 };
    match check_upload(&name, bytes, &policy) {
        Ok(ctype) => {
            let trimmed = name.trim();
            assert!(!trimmed.is_empty() && trimmed.chars().count() <= 255);
            assert!(!trimmed.contains(['/', '\\']) && !trimmed.contains(char::is_control));
            assert!(!bytes.is_empty() && bytes.len() <= policy.max_bytes);
            let ext = trimmed.rsplit_once('.').unwrap().1.to_ascii_lowercase();
            assert!(allowed_extensions().contains(&ext.as_str()), "{ext}");
            assert!(ctype.contains('/'), "{ctype}");
        }
        Err(p) => {
            assert_problem(&p);
            assert_eq!(p.field.as_deref(), Some("file"));
        }
    }

    let header = content_disposition(&name);
    assert!(header.bytes().all(|b| (0x20..0x7f).contains(&b)), "{header:?}");
    let (fallback, encoded) = header
        .strip_prefix("attachment; filename=\"")
        .and_then(|h| h.split_once("\"; filename*=UTF-8''"))
        .expect("header shape");
    assert!(
        !fallback.contains('"') && !encoded.contains([' ', ';', '"']),
        "{header:?}"
    );
    assert_eq!(percent_decode(encoded), name.as_bytes());
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Official-schedule (calendar override) files.
///
/// An accepted schedule keeps its rules (days off on weekdays, worked days on weekends, never
/// both), writes out and reads back to itself, agrees with the serde reader, and gives a
/// calendar where those days are off or worked.
pub fn calendar_overrides(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = OfficialSchedule::parse_toml(text);
    if let Ok(by_serde) = toml::from_str::<OfficialSchedule>(text) {
        assert_eq!(parsed.as_ref().ok(), Some(&by_serde), "the two readers disagree");
    }
    let schedule = match parsed {
        Ok(s) => s,
        Err(e) => {
            assert!(!e.message_vi().trim().is_empty() && !e.message_en().trim().is_empty());
            return;
        }
    };
    let written = toml::to_string(&schedule).expect("a schedule writes out");
    assert_eq!(
        OfficialSchedule::parse_toml(&written).as_ref().ok(),
        Some(&schedule),
        "{written}"
    );
    let weekend = |d: &NaiveDate| {
        use chrono::Datelike;
        matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
    };
    for (_, y) in schedule.years() {
        assert!(y.days_off.iter().all(|d| !weekend(d)));
        assert!(y.working_days.iter().all(weekend));
        assert!(y.days_off.is_disjoint(&y.working_days));
    }
    let config = CalendarConfig {
        overrides: Some(schedule.clone()),
        ..CalendarConfig::statutory_only()
    };
    match Calendar::new(config) {
        Ok(cal) => {
            for (year, y) in schedule.years() {
                assert!(cal.has_official_schedule(year));
                assert!(y.days_off.iter().all(|d| !cal.is_working_day(*d)));
                assert!(y.working_days.iter().all(|d| cal.is_working_day(*d)));
                let from = NaiveDate::from_ymd_opt(year, 1, 1)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap();
                let due = cal.deadline(from, 10, TimeUnit::WorkingDays);
                assert!(due > from);
            }
        }
        Err(e) => assert!(!e.message_vi().trim().is_empty() && !e.message_en().trim().is_empty()),
    }
}

/// A procedure catalog to import (the JSON of `citygov catalog import` and
/// `POST /api/v1/catalog/import`).
///
/// Every procedure that passes validation has a form that compiles, a fee total that is not
/// negative, and a deadline from any filing time.
pub fn catalog_import(data: &[u8]) {
    let Ok(procedures) = serde_json::from_slice::<Vec<Procedure>>(data) else {
        return;
    };
    let calendar = Calendar::shipped();
    let filed: NaiveDateTime = NaiveDate::from_ymd_opt(2026, 2, 13)
        .unwrap()
        .and_hms_opt(16, 30, 0)
        .unwrap();
    for p in &procedures {
        match p.validate() {
            Ok(()) => {
                assert!(EForm::compile(&p.eform).is_ok());
                // Amounts are never negative, so neither is their total (no wrapping).
                assert!(p.fee_total(true) >= 0 && p.fee_total(false) >= 0, "{:?}", p.fees);
                let due = calendar.deadline(filed, p.time_limit.value, p.time_limit.unit);
                assert!(due >= filed, "deadline {due} before filing for {:?}", p.time_limit);
            }
            Err(problems) => {
                assert!(!problems.is_empty());
                problems.iter().for_each(assert_problem);
            }
        }
    }
}

/// The applicant of a filing (JSON). Validating is idempotent: a validated applicant
/// validates to itself.
pub fn applicant(data: &[u8]) {
    let Ok(a) = serde_json::from_slice::<Applicant>(data) else {
        return;
    };
    match a.validated() {
        Ok(v) => assert_eq!(v.clone().validated().as_ref(), Ok(&v)),
        Err(problems) => {
            assert!(!problems.is_empty());
            problems.iter().for_each(assert_problem);
        }
    }
}

/// Search text (procedure search, lookups). Folding is idempotent, so a folded index matches
/// a folded query; terms are folded words without spaces.
pub fn search_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let folded = fold(&text);
    assert_eq!(fold(&folded), folded, "folding {text:?} is not idempotent");
    for t in terms(&text) {
        assert!(!t.is_empty() && !t.contains(char::is_whitespace));
        assert_eq!(fold(&t), t);
    }
}
