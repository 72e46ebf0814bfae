//! Identifiers that come from outside and are parsed once at the edge: agency electronic
//! identifier codes (Decision 20/2020/QĐ-TTg), dossier codes and their configurable format,
//! and applicants' identity numbers.

use crate::Problem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Agency electronic identifier code (mã định danh điện tử): up to 35 characters, groups of
/// digits and capital letters separated by dots, e.g. `000.00.01.H22` or `H15.50.05.13`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

impl AgencyCode {
    pub fn parse(s: &str) -> Result<Self, Problem> {
        let bad = || {
            Problem::new(
                "invalid_agency_code",
                format!(
                    "Mã định danh cơ quan «{s}» không hợp lệ: tối đa 35 ký tự, gồm các nhóm chữ số và chữ in hoa ngăn cách bằng dấu chấm (ví dụ 000.00.01.H22)."
                ),
                format!(
                    "Agency code “{s}” is invalid: at most 35 characters, groups of digits and capital letters separated by dots (e.g. 000.00.01.H22)."
                ),
            )
        };
        if s.is_empty() || s.len() > 35 {
            return Err(bad());
        }
        let groups: Vec<&str> = s.split('.').collect();
        if groups.len() < 2
            || groups
                .iter()
                .any(|g| g.is_empty() || !g.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()))
        {
            return Err(bad());
        }
        Ok(AgencyCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Problem> {
        AgencyCode::parse(&s)
    }
}
impl From<AgencyCode> for String {
    fn from(c: AgencyCode) -> String {
        c.0
    }
}
impl std::fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A dossier code (mã hồ sơ). Codes issued by citygov follow [`DossierCodeFormat`]; codes
/// that arrive from the national portal keep the portal's code, so parsing checks only the
/// shape every such code has: 5–60 characters of letters, digits, `.`, `-`, `_` and `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode(String);

impl DossierCode {
    pub fn parse(s: &str) -> Result<Self, Problem> {
        let ok = (5..=60).contains(&s.len()) && s.chars().all(is_code_char) && s.chars().any(|c| c.is_ascii_digit());
        if ok {
            Ok(DossierCode(s.to_string()))
        } else {
            Err(Problem::new(
                "invalid_dossier_code",
                format!(
                    "Mã hồ sơ «{}» không đúng định dạng (ví dụ: H31.01.01-261008-0975).",
                    truncate(s)
                ),
                format!(
                    "Dossier code “{}” is malformed (example: H31.01.01-261008-0975).",
                    truncate(s)
                ),
            )
            .at("code"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A character that a dossier code may contain besides letters and digits.
fn is_code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/')
}

fn truncate(s: &str) -> String {
    s.chars().take(64).collect()
}

impl TryFrom<String> for DossierCode {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Problem> {
        DossierCode::parse(&s)
    }
}
impl From<DossierCode> for String {
    fn from(c: DossierCode) -> String {
        c.0
    }
}
impl std::fmt::Display for DossierCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The configurable format of issued dossier codes. Placeholders: `{agency}` (the receiving
/// unit's code), `{yymmdd}`, `{yyyymmdd}`, and `{seq:N}` (the daily sequence of the receiving
/// unit, zero-padded to N digits). The default is `{agency}-{yymmdd}-{seq:4}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCodeFormat {
    template: String,
    seq_width: usize,
}

impl Default for DossierCodeFormat {
    fn default() -> Self {
        DossierCodeFormat::parse("{agency}-{yymmdd}-{seq:4}").expect("default format is valid")
    }
}

impl DossierCodeFormat {
    /// Check a format. Besides the placeholders, only the characters of a dossier code
    /// (letters, digits, `.`, `-`, `_`, `/`) may appear; `{seq:N}` appears exactly once; and
    /// every code it renders, even for the longest agency code (35 characters), is a valid
    /// [`DossierCode`] (at most 60 characters).
    pub fn parse(template: &str) -> Result<Self, Problem> {
        let bad = |why_vi: &str, why_en: &str| {
            Problem::new(
                "invalid_code_format",
                format!("Định dạng mã hồ sơ «{template}» không hợp lệ: {why_vi}."),
                format!("Dossier code format “{template}” is invalid: {why_en}."),
            )
            .at("dossier_code_format")
        };
        let mut seq_width = None;
        let mut longest = 0;
        let mut rest = template;
        loop {
            let literal_end = rest.find('{').unwrap_or(rest.len());
            let literal = &rest[..literal_end];
            if !literal.chars().all(is_code_char) {
                return Err(bad(
                    "ngoài các chỗ giữ chỗ chỉ được dùng chữ cái, chữ số và các dấu . - _ /",
                    "outside placeholders only letters, digits and . - _ / may appear",
                ));
            }
            longest += literal.len();
            rest = &rest[literal_end..];
            if rest.is_empty() {
                break;
            }
            let end = rest.find('}').ok_or_else(|| bad("thiếu dấu }", "missing }"))?;
            let name = &rest[1..end];
            longest += match name {
                "agency" => 35,
                "yymmdd" => 6,
                "yyyymmdd" => 8,
                n if n.starts_with("seq:") => {
                    let digits = &n[4..];
                    let w: usize = match digits.as_bytes() {
                        [d] if d.is_ascii_digit() => usize::from(d - b'0'),
                        _ if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => 10,
                        _ => return Err(bad("độ dài {seq:N} phải là số", "{seq:N} needs a number")),
                    };
                    if !(3..=9).contains(&w) {
                        return Err(bad("N của {seq:N} phải từ 3 đến 9", "N in {seq:N} must be 3 to 9"));
                    }
                    if seq_width.replace(w).is_some() {
                        return Err(bad("{seq:N} chỉ được có một lần", "{seq:N} may appear only once"));
                    }
                    w
                }
                _ => return Err(bad("chỗ giữ chỗ không được hỗ trợ", "unsupported placeholder")),
            };
            rest = &rest[end + 1..];
        }
        let seq_width = seq_width.ok_or_else(|| bad("phải có {seq:N}", "{seq:N} is required"))?;
        if !template.contains("{yymmdd}") && !template.contains("{yyyymmdd}") {
            return Err(bad(
                "phải có {yymmdd} hoặc {yyyymmdd} vì số thứ tự đếm theo ngày",
                "{yymmdd} or {yyyymmdd} is required: the sequence is daily",
            ));
        }
        if longest > 60 {
            return Err(bad(
                &format!("mã tạo ra có thể dài tới {longest} ký tự, quá 60 ký tự cho phép"),
                &format!("the codes it makes could be {longest} characters long, more than the 60 allowed"),
            ));
        }
        Ok(DossierCodeFormat {
            template: template.to_string(),
            seq_width,
        })
    }

    /// The largest sequence number the format can show; intake beyond it is refused.
    pub fn max_sequence(&self) -> u64 {
        10u64.pow(self.seq_width as u32) - 1
    }

    pub fn render(&self, agency: &AgencyCode, day: NaiveDate, seq: u64) -> DossierCode {
        let seq_text = format!("{:0width$}", seq, width = self.seq_width);
        let out = self
            .template
            .replace("{agency}", agency.as_str())
            .replace("{yymmdd}", &day.format("%y%m%d").to_string())
            .replace("{yyyymmdd}", &day.format("%Y%m%d").to_string())
            .replace(&format!("{{seq:{}}}", self.seq_width), &seq_text);
        DossierCode(out)
    }
}

impl TryFrom<String> for DossierCodeFormat {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Problem> {
        DossierCodeFormat::parse(&s)
    }
}
impl From<DossierCodeFormat> for String {
    fn from(c: DossierCodeFormat) -> String {
        c.template
    }
}

/// Kinds of applicant (đối tượng thực hiện).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantType {
    Citizen,
    Organisation,
    Foreigner,
}

impl ApplicantType {
    pub fn label_vi(self) -> &'static str {
        match self {
            ApplicantType::Citizen => "Công dân Việt Nam",
            ApplicantType::Organisation => "Tổ chức, doanh nghiệp",
            ApplicantType::Foreigner => "Người nước ngoài",
        }
    }
}

/// Normalise and check an applicant's identity number for their kind: a citizen's CCCD is
/// 12 digits; an organisation's tax code is 10 digits or 10-3 digits; a foreigner's passport
/// number is 6–12 letters and digits.
pub fn parse_id_number(kind: ApplicantType, raw: &str) -> Result<String, Problem> {
    let s: String = raw.trim().to_uppercase();
    let ok = match kind {
        ApplicantType::Citizen => s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()),
        ApplicantType::Organisation => {
            let digits: String = s.chars().filter(|c| *c != '-').collect();
            (digits.len() == 10 || digits.len() == 13)
                && digits.chars().all(|c| c.is_ascii_digit())
                && (s.len() == 10 || (s.len() == 14 && s.as_bytes()[10] == b'-') || s.len() == 13)
        }
        ApplicantType::Foreigner => (6..=12).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()),
    };
    if ok {
        Ok(s)
    } else {
        let (vi, en) = match kind {
            ApplicantType::Citizen => (
                "Số CCCD phải gồm đúng 12 chữ số.",
                "A citizen ID (CCCD) number has exactly 12 digits.",
            ),
            ApplicantType::Organisation => (
                "Mã số thuế phải gồm 10 chữ số hoặc 10 chữ số, dấu gạch và 3 chữ số.",
                "A tax code has 10 digits, or 10 digits, a dash and 3 digits.",
            ),
            ApplicantType::Foreigner => (
                "Số hộ chiếu phải gồm 6–12 chữ cái hoặc chữ số.",
                "A passport number has 6–12 letters or digits.",
            ),
        };
        Err(Problem::new("invalid_id_number", vi, en).at("applicant.id_number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes_follow_the_decision_20_shape() {
        assert!(AgencyCode::parse("000.00.01.H22").is_ok());
        assert!(AgencyCode::parse("H15.50.05.13").is_ok());
        assert!(AgencyCode::parse("h15.50").is_err());
        assert!(AgencyCode::parse("H15..50").is_err());
        assert!(AgencyCode::parse("H15").is_err());
        assert!(AgencyCode::parse(&"1.".repeat(20)).is_err());
    }

    #[test]
    fn default_format_renders_agency_date_and_padded_sequence() {
        let f = DossierCodeFormat::default();
        let code = f.render(
            &AgencyCode::parse("H15.50.05.13").unwrap(),
            NaiveDate::from_ymd_opt(2026, 10, 8).unwrap(),
            975,
        );
        assert_eq!(code.as_str(), "H15.50.05.13-261008-0975");
        assert_eq!(f.max_sequence(), 9999);
    }

    #[test]
    fn custom_format_with_long_date_and_seven_digit_sequence() {
        let f = DossierCodeFormat::parse("{agency}-{yyyymmdd}-{seq:7}").unwrap();
        let code = f.render(
            &AgencyCode::parse("000.00.01.H31").unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            12,
        );
        assert_eq!(code.as_str(), "000.00.01.H31-20260102-0000012");
    }

    #[test]
    fn formats_without_a_daily_sequence_are_refused() {
        assert!(DossierCodeFormat::parse("{agency}-{seq:4}").is_err());
        assert!(DossierCodeFormat::parse("{agency}-{yymmdd}").is_err());
        assert!(DossierCodeFormat::parse("{agency}-{yymmdd}-{seq:x}").is_err());
        assert!(DossierCodeFormat::parse("{who}-{yymmdd}-{seq:4}").is_err());
    }

    /// Found by the `codes` fuzz target: formats that rendered codes the code parser refuses
    /// (so the dossier could not be looked up), or left a placeholder unrendered.
    #[test]
    fn formats_render_only_valid_dossier_codes() {
        for (format, why) in [
            ("\u{FFFD}agency}-{yymmdd}-{seq:4}", "outside placeholders"),
            ("{agency} {yymmdd} {seq:4}", "outside placeholders"),
            ("{agency}}-{yymmdd}-{seq:4}", "outside placeholders"),
            ("{agency}-{yymmdd}-{seq:04}", "must be 3 to 9"),
            ("{agency}-{yymmdd}-{seq:+4}", "needs a number"),
            ("{agency}-{yymmdd}-{seq:12}", "must be 3 to 9"),
            ("{agency}-{yymmdd}-{seq:3}-{seq:4}", "only once"),
            ("{agency}-{agency}-{yymmdd}-{seq:4}", "more than the 60 allowed"),
        ] {
            let p = DossierCodeFormat::parse(format).unwrap_err();
            assert_eq!(p.code, "invalid_code_format");
            assert!(p.message_en.contains(why), "{format}: {}", p.message_en);
            assert!(!p.message_vi.is_empty());
        }
        let longest = AgencyCode::parse("H1234567890.12345678901234567890.9").unwrap();
        let f = DossierCodeFormat::parse("HS/{agency}_{yyyymmdd}.{seq:9}").unwrap();
        let code = f.render(
            &longest,
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            f.max_sequence(),
        );
        assert_eq!(DossierCode::parse(code.as_str()).unwrap(), code);
    }

    #[test]
    fn malformed_dossier_codes_are_refused_with_the_field() {
        let p = DossierCode::parse("abc; DROP TABLE").unwrap_err();
        assert_eq!(p.code, "invalid_dossier_code");
        assert_eq!(p.field.as_deref(), Some("code"));
        assert!(DossierCode::parse("H15.50.05.13-261008-0975").is_ok());
    }

    #[test]
    fn identity_numbers_are_checked_by_applicant_kind() {
        assert_eq!(
            parse_id_number(ApplicantType::Citizen, " 031204001234 ").unwrap(),
            "031204001234"
        );
        assert!(parse_id_number(ApplicantType::Citizen, "03120400123").is_err());
        assert!(parse_id_number(ApplicantType::Organisation, "0201234567").is_ok());
        assert!(parse_id_number(ApplicantType::Organisation, "0201234567-001").is_ok());
        assert!(parse_id_number(ApplicantType::Organisation, "02012345").is_err());
        assert!(parse_id_number(ApplicantType::Foreigner, "C1234567").is_ok());
    }
}
