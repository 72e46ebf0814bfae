//! Personal data (Law 91/2025, Decree 356/2025): the classes of personal data the platform
//! holds, the purposes a citizen may consent to (explicit, specific, per purpose, revocable),
//! how long each class is kept, the 72-hour clock of a breach notification, and the words the
//! data tracker shows for who processed a citizen's data and why (roles, never names).
//!
//! Pure rules: the store keeps the records, the HTTP layer shows them.

use crate::workflow::{Action, Role};
use crate::{LocalTime, Problem};
use chrono::Datelike;
use serde::Serialize;

/// A class of personal data, as named in consents, retention and breach records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DataClass {
    pub code: &'static str,
    pub title_vi: &'static str,
    pub title_en: &'static str,
}

/// Every class of personal data the platform holds.
pub const DATA_CLASSES: &[DataClass] = &[
    DataClass {
        code: "identity",
        title_vi: "Họ tên, số định danh cá nhân (CCCD), ngày sinh",
        title_en: "Name, personal identification number (CCCD), date of birth",
    },
    DataClass {
        code: "contact",
        title_vi: "Số điện thoại, địa chỉ thư điện tử",
        title_en: "Phone number, e-mail address",
    },
    DataClass {
        code: "address",
        title_vi: "Địa chỉ cư trú",
        title_en: "Address of residence",
    },
    DataClass {
        code: "form_data",
        title_vi: "Nội dung tờ khai điện tử",
        title_en: "Contents of e-forms",
    },
    DataClass {
        code: "documents",
        title_vi: "Giấy tờ, tệp đính kèm và kết quả của hồ sơ",
        title_en: "Documents, attachments and results of dossiers",
    },
    DataClass {
        code: "id_card_images",
        title_vi: "Ảnh chụp giấy tờ tùy thân (dữ liệu nhạy cảm)",
        title_en: "Images of identity cards (sensitive data)",
    },
    DataClass {
        code: "account",
        title_vi: "Tài khoản: tên đăng nhập, phiên đăng nhập, mã truy cập",
        title_en: "Account: username, sessions, API tokens",
    },
    DataClass {
        code: "processing_history",
        title_vi: "Lịch sử xử lý hồ sơ",
        title_en: "Processing history of dossiers",
    },
];

/// The class of a code.
pub fn data_class(code: &str) -> Option<&'static DataClass> {
    DATA_CLASSES.iter().find(|c| c.code == code)
}

/// Parse a list of data class codes given in `field`: every code known, none twice, at least
/// one. Returns the codes in the order of [`DATA_CLASSES`].
pub fn parse_data_classes(field: &str, codes: &[String]) -> Result<Vec<&'static str>, Problem> {
    if codes.iter().all(|c| c.trim().is_empty()) {
        return Err(Problem::new(
            "required",
            "Hãy chọn ít nhất một loại dữ liệu bị ảnh hưởng.",
            "Choose at least one class of data affected.",
        )
        .at(field));
    }
    for c in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if data_class(c).is_none() {
            let known: Vec<&str> = DATA_CLASSES.iter().map(|c| c.code).collect();
            return Err(Problem::new(
                "unknown_data_class",
                format!("Loại dữ liệu «{c}» không có trong danh mục ({}).", known.join(", ")),
                format!("“{c}” is not a known data class ({}).", known.join(", ")),
            )
            .at(field));
        }
    }
    Ok(DATA_CLASSES
        .iter()
        .filter(|k| codes.iter().any(|c| c.trim() == k.code))
        .map(|k| k.code)
        .collect())
}

/// A purpose a citizen may consent to, beyond what the law already requires for handling
/// their dossiers. Nothing is ever consented by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Purpose {
    pub code: &'static str,
    pub title_vi: &'static str,
    pub title_en: &'static str,
    pub description_vi: &'static str,
    pub description_en: &'static str,
    /// The data classes this purpose uses ([`DATA_CLASSES`] codes).
    pub scope: &'static [&'static str],
}

/// Every purpose, in the order shown to citizens.
pub const PURPOSES: &[Purpose] = &[
    Purpose {
        code: "prefill",
        title_vi: "Điền sẵn biểu mẫu",
        title_en: "Prefilled forms",
        description_vi: "Dùng lại dữ liệu cơ quan nhà nước đang lưu giữ (hồ sơ trước, cơ sở dữ liệu quốc gia về dân cư) để điền sẵn tờ khai; mỗi giá trị điền sẵn ghi rõ nguồn.",
        description_en: "Reuse of data the administration already holds (earlier dossiers, the national population database) to prefill forms; each prefilled value shows where it came from.",
        scope: &["identity", "contact", "address"],
    },
    Purpose {
        code: "survey",
        title_vi: "Khảo sát mức độ hài lòng",
        title_en: "Satisfaction surveys",
        description_vi: "Liên hệ qua điện thoại hoặc thư điện tử để hỏi ý kiến về chất lượng phục vụ.",
        description_en: "Contact by phone or e-mail to ask about the quality of service.",
        scope: &["contact"],
    },
    Purpose {
        code: "share_agencies",
        title_vi: "Chia sẻ với cơ quan khác",
        title_en: "Sharing with other agencies",
        description_vi: "Chia sẻ dữ liệu ngoài phạm vi hồ sơ với cơ quan nhà nước khác để cung cấp dịch vụ chủ động.",
        description_en: "Sharing data beyond the dossier with other state agencies to offer services proactively.",
        scope: &["identity", "contact", "address", "documents"],
    },
];

/// The purpose of a code.
pub fn purpose(code: &str) -> Option<&'static Purpose> {
    PURPOSES.iter().find(|p| p.code == code)
}

/// A purpose from a path or form: known, or a clear problem at `purpose`.
pub fn parse_purpose(code: &str) -> Result<&'static Purpose, Problem> {
    purpose(code.trim()).ok_or_else(|| {
        let known: Vec<&str> = PURPOSES.iter().map(|p| p.code).collect();
        Problem::new(
            "unknown_purpose",
            format!("Mục đích «{code}» không có trong danh mục ({}).", known.join(", ")),
            format!("“{code}” is not a known purpose ({}).", known.join(", ")),
        )
        .at("purpose")
    })
}

// ---------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------

/// How long each class of data is kept. A zero keeps the class for ever (the job skips it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetentionPolicy {
    /// Sessions and API tokens, counted from their expiry, last use or revocation.
    pub session_days: u32,
    /// Idempotency keys of filings (answers to retried requests).
    pub idempotency_days: u32,
    /// Uploaded files never attached to a dossier.
    pub unattached_file_days: u32,
    /// Personal data of dossiers whose processing ended this many years ago: anonymised.
    pub dossier_years: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            session_days: 30,
            idempotency_days: 30,
            unattached_file_days: 7,
            dossier_years: 5,
        }
    }
}

/// What replaces the applicant's name in an anonymised dossier.
pub const ANONYMISED_NAME: &str = "[đã ẩn danh]";

/// The history action of an anonymisation (no status change; it is in the change log that
/// the warehouse copies dossiers from).
pub const ANONYMISE_ACTION: &str = "privacy.anonymise";

/// `years` calendar years before `now` (29 February becomes 28 February).
pub fn years_before(now: LocalTime, years: u32) -> LocalTime {
    let date = now.date();
    let y = date.year() - years as i32;
    let d = chrono::NaiveDate::from_ymd_opt(y, date.month(), date.day())
        .or_else(|| chrono::NaiveDate::from_ymd_opt(y, date.month(), 28))
        .unwrap_or(date);
    d.and_time(now.time())
}

// ---------------------------------------------------------------------------------------------
// Breach notification clock
// ---------------------------------------------------------------------------------------------

/// A breach must be notified to the authority within this many hours of its discovery.
pub const BREACH_NOTIFY_HOURS: i64 = 72;

/// Where a breach stands against its 72-hour notification deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachClockState {
    /// Not notified yet; the deadline is still ahead.
    Running,
    /// Not notified and the deadline has passed.
    Overdue,
    NotifiedInTime,
    NotifiedLate,
}

/// The 72-hour clock of a breach at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BreachClock {
    pub deadline: LocalTime,
    pub state: BreachClockState,
    /// Minutes until the deadline (negative: minutes past it), counted to the notification
    /// when there is one, else to `now`.
    pub minutes_to_deadline: i64,
    /// Notified within 72 hours; `None` while not notified.
    pub notified_in_time: Option<bool>,
}

impl BreachClock {
    pub fn at(discovered_at: LocalTime, notified_at: Option<LocalTime>, now: LocalTime) -> BreachClock {
        let deadline = discovered_at + chrono::Duration::hours(BREACH_NOTIFY_HOURS);
        let until = notified_at.unwrap_or(now);
        let minutes_to_deadline = (deadline - until).num_minutes();
        let state = match notified_at {
            Some(n) if n <= deadline => BreachClockState::NotifiedInTime,
            Some(_) => BreachClockState::NotifiedLate,
            None if now <= deadline => BreachClockState::Running,
            None => BreachClockState::Overdue,
        };
        BreachClock {
            deadline,
            state,
            minutes_to_deadline,
            notified_in_time: notified_at.map(|n| n <= deadline),
        }
    }

    /// The clock in words: time left, how late, or how it was notified.
    pub fn describe(&self) -> (String, String) {
        let m = self.minutes_to_deadline.abs();
        let (h, mm) = (m / 60, m % 60);
        match self.state {
            BreachClockState::Running => (
                format!("Còn {h} giờ {mm} phút để thông báo"),
                format!("{h} h {mm} min left to notify"),
            ),
            BreachClockState::Overdue => (
                format!("Quá hạn thông báo {h} giờ {mm} phút"),
                format!("Notification overdue by {h} h {mm} min"),
            ),
            BreachClockState::NotifiedInTime => (
                format!("Đã thông báo đúng hạn ({h} giờ {mm} phút trước hạn)"),
                format!("Notified in time ({h} h {mm} min before the deadline)"),
            ),
            BreachClockState::NotifiedLate => (
                format!("Đã thông báo trễ {h} giờ {mm} phút"),
                format!("Notified {h} h {mm} min late"),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Data tracker words
// ---------------------------------------------------------------------------------------------

/// Who processed the data, as a role (never a person): a [`Role`] `as_str`, or one of
/// `holder_of_code` (someone who gave the dossier code and identity number), `self` (the
/// citizen), `system`, `official` (an official whose role could not be told).
pub fn role_title(role: &str) -> (&'static str, &'static str) {
    match role {
        "self" => ("Chính bạn", "You"),
        "holder_of_code" => (
            "Người có mã hồ sơ và số giấy tờ",
            "Holder of the dossier code and ID number",
        ),
        "system" => ("Hệ thống", "The system"),
        "applicant" => ("Người nộp hồ sơ", "Applicant"),
        "intake_officer" => ("Cán bộ tiếp nhận", "Intake officer"),
        "processing_officer" => ("Cán bộ xử lý", "Processing officer"),
        "unit_leader" => ("Lãnh đạo đơn vị", "Unit leader"),
        "administrator" => ("Quản trị hệ thống", "Administrator"),
        "data_steward" => ("Cán bộ quản lý dữ liệu", "Data steward"),
        "analyst" => ("Cán bộ phân tích dữ liệu", "Data analyst"),
        "auditor" => ("Thanh tra viên", "Auditor"),
        _ => match Role::parse(role) {
            Some(r) => (r.title_vi(), "Official"),
            None => ("Cán bộ", "Official"),
        },
    }
}

/// Why a dossier was read (the `purpose` of a `dossier.read` audit entry).
pub fn read_purpose_title(purpose: &str) -> (&'static str, &'static str) {
    match purpose {
        "processing" => ("Xử lý hồ sơ", "Processing the dossier"),
        "lookup" => ("Tra cứu hồ sơ", "Looking the dossier up"),
        "inspection" => ("Thanh tra, kiểm tra", "Inspection"),
        "administration" => ("Quản trị hệ thống", "System administration"),
        _ => ("Khác", "Other"),
    }
}

/// What an entry of the tracker did: a dossier action, a read, or a change of the account.
pub fn action_title(action: &str) -> (String, String) {
    let fixed = match action {
        "dossier.read" => Some(("Xem hồ sơ", "Read the dossier")),
        "file" => Some(("Nộp hồ sơ", "Filed the dossier")),
        "load" | "dossier.loaded" => Some(("Chuyển dữ liệu từ hệ thống cũ", "Migrated from an earlier system")),
        "account.created" => Some(("Tạo tài khoản", "Account created")),
        "account.second_factor_reset" => Some(("Đặt lại xác thực hai lớp", "Second factor reset")),
        "consent.given" => Some(("Đồng ý xử lý dữ liệu", "Consent given")),
        "consent.revoked" => Some(("Rút lại sự đồng ý", "Consent withdrawn")),
        "auth.token_created" => Some(("Tạo mã truy cập", "API token created")),
        "auth.token_revoked" => Some(("Thu hồi mã truy cập", "API token revoked")),
        "auth.logout_everywhere" => Some(("Đăng xuất mọi nơi", "Logged out everywhere")),
        ANONYMISE_ACTION => Some((
            "Ẩn danh dữ liệu cá nhân (hết thời hạn lưu trữ)",
            "Personal data anonymised (retention period ended)",
        )),
        _ => None,
    };
    if let Some((vi, en)) = fixed {
        return (vi.into(), en.into());
    }
    match Action::parse(action) {
        Some(a) => (a.name_vi().into(), action_name_en(a).into()),
        None => (action.into(), action.into()),
    }
}

fn action_name_en(a: Action) -> &'static str {
    match a {
        Action::Accept => "Accepted",
        Action::Refuse => "Refused at intake",
        Action::Forward => "Forwarded for processing",
        Action::RequestSupplement => "Asked for a supplement",
        Action::SubmitSupplement => "Supplement submitted",
        Action::RequestPayment => "Asked for payment",
        Action::ConfirmPayment => "Payment confirmed",
        Action::Withdraw => "Withdrawn",
        Action::Stop => "Processing stopped",
        Action::Finish => "Processing finished",
        Action::ReturnResult => "Result returned",
        Action::Apologize => "Apology and new appointment",
    }
}

/// The role an official acted in for a dossier action, among the roles `held` in the unit of
/// the action: one the lifecycle table allows for that action, else the first held.
pub fn acting_role(action: &str, held: &[Role]) -> Option<Role> {
    if let Some(a) = Action::parse(action) {
        for t in crate::workflow::TABLE.iter().filter(|t| t.action == a) {
            if let Some(r) = t.roles.iter().find(|r| held.contains(r)) {
                return Some(*r);
            }
        }
    }
    if action == "file"
        && let Some(r) = held.iter().find(|r| **r == Role::IntakeOfficer)
    {
        return Some(*r);
    }
    held.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> LocalTime {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn the_breach_clock_runs_72_hours_from_discovery() {
        let found = t("2026-03-06T16:00");
        let c = BreachClock::at(found, None, t("2026-03-07T16:30"));
        assert_eq!(c.deadline, t("2026-03-09T16:00"), "clock hours, weekends included");
        assert_eq!(c.state, BreachClockState::Running);
        assert_eq!(c.minutes_to_deadline, 47 * 60 + 30);
        assert_eq!(c.notified_in_time, None);
        let c = BreachClock::at(found, None, t("2026-03-09T18:00"));
        assert_eq!(c.state, BreachClockState::Overdue);
        assert_eq!(c.minutes_to_deadline, -120);
        assert!(c.describe().1.contains("overdue by 2 h 0 min"), "{:?}", c.describe());
        let c = BreachClock::at(found, Some(t("2026-03-09T16:00")), t("2026-03-20T08:00"));
        assert_eq!(c.state, BreachClockState::NotifiedInTime, "on the deadline is in time");
        assert_eq!(c.notified_in_time, Some(true));
        let c = BreachClock::at(found, Some(t("2026-03-09T16:01")), t("2026-03-20T08:00"));
        assert_eq!(c.state, BreachClockState::NotifiedLate);
        assert_eq!(c.minutes_to_deadline, -1);
    }

    #[test]
    fn data_classes_and_purposes_are_parsed_at_the_edge() {
        assert_eq!(
            parse_data_classes("data_classes", &["contact".into(), "identity".into()]).unwrap(),
            vec!["identity", "contact"]
        );
        assert_eq!(parse_data_classes("data_classes", &[]).unwrap_err().code, "required");
        let p = parse_data_classes("data_classes", &["blood_type".into()]).unwrap_err();
        assert_eq!(
            (p.code.as_str(), p.field.as_deref()),
            ("unknown_data_class", Some("data_classes"))
        );
        assert_eq!(parse_purpose("survey").unwrap().scope, &["contact"]);
        assert_eq!(parse_purpose("marketing").unwrap_err().code, "unknown_purpose");
        for p in PURPOSES {
            assert!(p.scope.iter().all(|c| data_class(c).is_some()), "{}", p.code);
        }
    }

    #[test]
    fn roles_are_told_from_the_action_never_from_a_person() {
        assert_eq!(
            acting_role("accept", &[Role::ProcessingOfficer, Role::IntakeOfficer]),
            Some(Role::IntakeOfficer)
        );
        assert_eq!(acting_role("finish", &[Role::UnitLeader]), Some(Role::UnitLeader));
        assert_eq!(acting_role("file", &[Role::IntakeOfficer]), Some(Role::IntakeOfficer));
        assert_eq!(acting_role("accept", &[]), None);
        assert_eq!(
            role_title("holder_of_code").1,
            "Holder of the dossier code and ID number"
        );
        assert_eq!(role_title("processing_officer").0, "Cán bộ xử lý");
        assert_eq!(action_title("finish").1, "Processing finished");
        assert_eq!(read_purpose_title("inspection").0, "Thanh tra, kiểm tra");
    }

    #[test]
    fn years_before_keeps_the_day_or_falls_back_on_leap_days() {
        assert_eq!(years_before(t("2026-03-02T09:00"), 5), t("2021-03-02T09:00"));
        assert_eq!(years_before(t("2028-02-29T09:00"), 1), t("2027-02-28T09:00"));
    }
}
