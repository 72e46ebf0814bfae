//! Fixtures shared by the store's test files.

use citygov_domain::calendar::TimeUnit;
use citygov_domain::catalog::{DocumentComponent, FeeLine, Level, OnlineLevel, Procedure, ResultKind, TimeLimit};
use citygov_domain::codes::{AgencyCode, ApplicantType};
use citygov_domain::eform::{StandardField, standard_form};

/// The PostgreSQL server the tests create their scratch databases on.
pub fn pg_admin() -> String {
    std::env::var("CITYGOV_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A birth-registration procedure of `level`, decided by `unit` when given.
pub fn procedure(code: &str, level: Level, unit: Option<&str>) -> Procedure {
    Procedure {
        code: code.into(),
        name: "Thủ tục đăng ký khai sinh".into(),
        description: String::new(),
        field_code: "HT".into(),
        field_name: "Hộ tịch".into(),
        level,
        competent_unit: unit.map(|u| AgencyCode::parse(u).unwrap()),
        time_limit: TimeLimit {
            value: 3,
            unit: TimeUnit::WorkingDays,
        },
        fees: vec![FeeLine {
            code: "LP".into(),
            name: "Lệ phí".into(),
            amount_vnd: 8000,
            online_amount_vnd: None,
        }],
        components: vec![DocumentComponent {
            code: "TK".into(),
            name: "Tờ khai".into(),
            required: true,
            copies: 1,
        }],
        applicant_types: vec![ApplicantType::Citizen],
        result_kind: ResultKind::Electronic,
        result_name: "Giấy khai sinh".into(),
        online_level: OnlineLevel::Full,
        fully_online_eligible: true,
        legal_basis: vec!["Luật Hộ tịch 2014".into()],
        eform: standard_form(&[(StandardField::FullName, true)]),
        active: true,
    }
}
