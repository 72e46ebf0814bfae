//! The procedure catalog (thủ tục hành chính): every attribute of DOMAIN.md §3. A procedure
//! is also the source of its e-form (a JSON Schema) and of the documents to attach.

use crate::Problem;
use crate::calendar::TimeUnit;
use crate::codes::{AgencyCode, ApplicantType};
use serde::{Deserialize, Serialize};

/// Competent level of a procedure in the two-tier local government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// City level (cấp tỉnh): a department or the city People's Committee decides.
    City,
    /// Commune level (cấp xã): the commune, ward or special zone where the dossier is filed.
    Commune,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::City => "city",
            Level::Commune => "commune",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "city" | "tinh" => Some(Level::City),
            "commune" | "xa" => Some(Level::Commune),
            _ => None,
        }
    }
}

/// Online level under Decree 42/2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Toàn trình: information, submission, payment and result all online.
    Full,
    /// Một phần: partly online.
    Partial,
    /// Not offered online (information only).
    None,
}

impl OnlineLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            OnlineLevel::Full => "full",
            OnlineLevel::Partial => "partial",
            OnlineLevel::None => "none",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "full" | "toan_trinh" => Some(OnlineLevel::Full),
            "partial" | "mot_phan" => Some(OnlineLevel::Partial),
            "none" | "" => Some(OnlineLevel::None),
            _ => None,
        }
    }
    pub fn accepts_online(self) -> bool {
        !matches!(self, OnlineLevel::None)
    }
}

/// The legal time limit (thời hạn giải quyết).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimit {
    pub value: u32,
    pub unit: TimeUnit,
}

/// A fee or charge line (phí, lệ phí).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    pub code: String,
    pub name: String,
    /// Amount in Vietnamese đồng.
    pub amount_vnd: i64,
    /// Amount when filed online, when the law sets a lower online rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_amount_vnd: Option<i64>,
}

/// A document component to attach (thành phần hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentComponent {
    pub code: String,
    pub name: String,
    pub required: bool,
    #[serde(default = "one")]
    pub copies: u32,
}

fn one() -> u32 {
    1
}

/// What the applicant receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    /// A paper result (an electronic copy is still issued for digitisation).
    Paper,
    /// An electronic result.
    Electronic,
}

impl ResultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Paper => "paper",
            ResultKind::Electronic => "electronic",
        }
    }
}

/// A procedure of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// Procedure code (MaTTHC), e.g. `1.001193`.
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Field code (MaLinhVuc) and name.
    pub field_code: String,
    pub field_name: String,
    pub level: Level,
    /// The competent unit for city-level procedures; `None` for commune-level procedures,
    /// which the commune where the dossier is filed decides.
    #[serde(default)]
    pub competent_unit: Option<AgencyCode>,
    pub time_limit: TimeLimit,
    #[serde(default)]
    pub fees: Vec<FeeLine>,
    #[serde(default)]
    pub components: Vec<DocumentComponent>,
    pub applicant_types: Vec<ApplicantType>,
    pub result_kind: ResultKind,
    #[serde(default)]
    pub result_name: String,
    pub online_level: OnlineLevel,
    /// Eligible to be provided fully online (measured by the 766 index).
    pub fully_online_eligible: bool,
    #[serde(default)]
    pub legal_basis: Vec<String>,
    /// The e-form: a JSON Schema (draft 2020-12) of the fields to fill in.
    pub eform: serde_json::Value,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// The largest amount of one fee line, in đồng: far above any fee the law sets, low enough
/// that no total of a catalog's lines can overflow.
pub const MAX_FEE_VND: i64 = 1_000_000_000_000;

impl Procedure {
    /// Check a catalog entry before it is stored: every field named and well-formed.
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut out = Vec::new();
        let code_ok = !self.code.is_empty()
            && self.code.len() <= 40
            && self
                .code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !code_ok {
            out.push(
                Problem::new(
                    "invalid",
                    "Mã thủ tục không hợp lệ (chữ, số, dấu chấm, gạch; tối đa 40 ký tự).",
                    "Procedure code is invalid (letters, digits, dots, dashes; at most 40 characters).",
                )
                .at("code"),
            );
        }
        if self.name.trim().is_empty() {
            out.push(Problem::required("name", "Tên thủ tục", "Procedure name"));
        }
        if self.field_code.trim().is_empty() {
            out.push(Problem::required("field_code", "Mã lĩnh vực", "Field code"));
        }
        if self.time_limit.value == 0 {
            out.push(
                Problem::new(
                    "invalid",
                    "Thời hạn giải quyết phải lớn hơn 0.",
                    "The time limit must be greater than 0.",
                )
                .at("time_limit.value"),
            );
        }
        if self.level == Level::City && self.competent_unit.is_none() {
            out.push(Problem::required(
                "competent_unit",
                "Cơ quan có thẩm quyền",
                "Competent unit",
            ));
        }
        if self.applicant_types.is_empty() {
            out.push(Problem::required(
                "applicant_types",
                "Đối tượng thực hiện",
                "Applicant types",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, c) in self.components.iter().enumerate() {
            if c.code.trim().is_empty() || !seen.insert(c.code.clone()) {
                out.push(
                    Problem::new(
                        "invalid",
                        "Mã thành phần hồ sơ trống hoặc bị trùng.",
                        "Document component code is empty or repeated.",
                    )
                    .at(format!("components[{i}].code")),
                );
            }
        }
        for (i, f) in self.fees.iter().enumerate() {
            if f.amount_vnd < 0 || f.online_amount_vnd.is_some_and(|a| a < 0) {
                out.push(
                    Problem::new("invalid", "Mức phí không được âm.", "A fee cannot be negative.")
                        .at(format!("fees[{i}].amount_vnd")),
                );
            } else if f.amount_vnd > MAX_FEE_VND || f.online_amount_vnd.is_some_and(|a| a > MAX_FEE_VND) {
                out.push(
                    Problem::new(
                        "invalid",
                        "Mức phí quá lớn: tối đa 1.000.000.000.000 đồng một khoản.",
                        "The fee is too large: at most 1,000,000,000,000 đồng a line.",
                    )
                    .at(format!("fees[{i}].amount_vnd")),
                );
            }
        }
        if self.online_level == OnlineLevel::Full && !self.fully_online_eligible {
            out.push(
                Problem::new(
                    "invalid",
                    "Thủ tục toàn trình phải đủ điều kiện cung cấp toàn trình.",
                    "A fully-online procedure must be eligible for fully-online provision.",
                )
                .at("fully_online_eligible"),
            );
        }
        if let Err(p) = crate::eform::check_schema(&self.eform) {
            out.push(Problem::new("invalid_eform", p.message_vi.clone(), p.message_en.clone()).at("eform"));
        }
        if out.is_empty() { Ok(()) } else { Err(out) }
    }

    /// Total fee for a dossier of this procedure filed on the given channel. Saturates rather
    /// than wraps (validation keeps each line at most [`MAX_FEE_VND`]).
    pub fn fee_total(&self, online: bool) -> i64 {
        self.fees
            .iter()
            .map(|f| {
                if online {
                    f.online_amount_vnd.unwrap_or(f.amount_vnd)
                } else {
                    f.amount_vnd
                }
            })
            .fold(0i64, i64::saturating_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn procedure() -> Procedure {
        serde_json::from_value(serde_json::json!({
            "code": "1.001193", "name": "Đăng ký khai sinh", "field_code": "HT", "field_name": "Hộ tịch",
            "level": "commune", "time_limit": {"value": 1, "unit": "working_days"},
            "applicant_types": ["citizen"], "result_kind": "electronic", "online_level": "full",
            "fully_online_eligible": true,
            "eform": {"type": "object", "properties": {"ho_ten": {"type": "string", "title": "Họ và tên"}}}
        }))
        .unwrap()
    }

    fn line(amount_vnd: i64) -> FeeLine {
        FeeLine {
            code: "LP".into(),
            name: "Lệ phí".into(),
            amount_vnd,
            online_amount_vnd: None,
        }
    }

    /// Found by the `catalog_import` fuzz target: two fee lines of 9·10¹⁸ đồng passed
    /// validation and their total wrapped around to a negative amount.
    #[test]
    fn fee_lines_are_capped_and_totals_never_wrap() {
        let mut p = procedure();
        assert_eq!(p.validate(), Ok(()));
        p.fees = vec![line(9_000_000_000_000_000_000), line(9_000_000_000_000_000_000)];
        let problems = p.validate().unwrap_err();
        assert!(
            problems
                .iter()
                .any(|x| x.field.as_deref() == Some("fees[0].amount_vnd") && x.message_en.contains("too large")),
            "{problems:?}"
        );
        assert_eq!(p.fee_total(false), i64::MAX);
        p.fees = vec![line(MAX_FEE_VND), line(MAX_FEE_VND)];
        assert_eq!(p.validate(), Ok(()));
        assert_eq!(p.fee_total(true), 2 * MAX_FEE_VND);
    }
}
