//! The dossier (hồ sơ) and every per-dossier fact the national sync and the Decision 766
//! index need (DOMAIN.md §4). Status codes are the national vocabulary (TrangThaiHoSo).

use crate::codes::ApplicantType;
use crate::{LocalTime, Problem};
use serde::{Deserialize, Serialize};

/// Dossier status, numbered as on the national portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Status {
    Submitted = 1,
    Accepted = 2,
    IntakeRefused = 3,
    Processing = 4,
    SupplementRequested = 5,
    AwaitingPayment = 6,
    Withdrawn = 7,
    Stopped = 8,
    Processed = 9,
    Returned = 10,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Submitted,
        Status::Accepted,
        Status::IntakeRefused,
        Status::Processing,
        Status::SupplementRequested,
        Status::AwaitingPayment,
        Status::Withdrawn,
        Status::Stopped,
        Status::Processed,
        Status::Returned,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(c: u8) -> Option<Status> {
        Status::ALL.get((c as usize).checked_sub(1)?).copied()
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Status::Submitted => "Mới đăng ký",
            Status::Accepted => "Được tiếp nhận",
            Status::IntakeRefused => "Không được tiếp nhận",
            Status::Processing => "Đang xử lý",
            Status::SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            Status::AwaitingPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Status::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Status::Stopped => "Dừng xử lý",
            Status::Processed => "Đã xử lý xong",
            Status::Returned => "Đã trả kết quả",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Status::Submitted => "Submitted",
            Status::Accepted => "Accepted",
            Status::IntakeRefused => "Intake refused",
            Status::Processing => "Processing",
            Status::SupplementRequested => "Supplement requested",
            Status::AwaitingPayment => "Awaiting payment",
            Status::Withdrawn => "Withdrawn",
            Status::Stopped => "Processing stopped",
            Status::Processed => "Processed",
            Status::Returned => "Result returned",
        }
    }

    /// Statuses in which the administration holds the dossier: the next step is an official's
    /// (not 5, which waits for the applicant's supplement, nor an ended dossier).
    pub const HELD_BY_ADMINISTRATION: [Status; 4] = [
        Status::Submitted,
        Status::Accepted,
        Status::Processing,
        Status::AwaitingPayment,
    ];

    /// See [`Status::HELD_BY_ADMINISTRATION`].
    pub fn held_by_administration(self) -> bool {
        Status::HELD_BY_ADMINISTRATION.contains(&self)
    }

    /// Processing has ended (the dossier can no longer become overdue).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::IntakeRefused | Status::Withdrawn | Status::Stopped | Status::Processed | Status::Returned
        )
    }
}

impl TryFrom<u8> for Status {
    type Error = String;
    fn try_from(c: u8) -> Result<Self, String> {
        Status::from_code(c).ok_or_else(|| format!("unknown status {c}"))
    }
}
impl From<Status> for u8 {
    fn from(s: Status) -> u8 {
        s as u8
    }
}

/// How the dossier was filed (KenhThucHien).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Channel {
    InPerson = 1,
    Online = 2,
    Postal = 3,
}

impl Channel {
    pub fn from_code(c: u8) -> Option<Channel> {
        match c {
            1 => Some(Channel::InPerson),
            2 => Some(Channel::Online),
            3 => Some(Channel::Postal),
            _ => None,
        }
    }
}
impl TryFrom<u8> for Channel {
    type Error = String;
    fn try_from(c: u8) -> Result<Self, String> {
        Channel::from_code(c).ok_or_else(|| format!("unknown channel {c}"))
    }
}
impl From<Channel> for u8 {
    fn from(c: Channel) -> u8 {
        c as u8
    }
}

/// The applicant (người nộp / chủ hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub kind: ApplicantType,
    /// Full name of the person, or the organisation's name.
    pub full_name: String,
    /// CCCD, tax code or passport number, normalised.
    pub id_number: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

impl Applicant {
    /// Parse the applicant at the edge: name present, identity number right for the kind.
    pub fn validated(mut self) -> Result<Self, Vec<Problem>> {
        let mut out = Vec::new();
        self.full_name = self.full_name.trim().to_string();
        if self.full_name.is_empty() {
            out.push(Problem::required(
                "applicant.full_name",
                "Họ và tên người nộp",
                "Applicant's full name",
            ));
        } else if self.full_name.chars().count() > 200 {
            out.push(
                Problem::new(
                    "max_length",
                    "Họ và tên quá dài (tối đa 200 ký tự).",
                    "The name is too long (at most 200 characters).",
                )
                .at("applicant.full_name"),
            );
        }
        match crate::codes::parse_id_number(self.kind, &self.id_number) {
            Ok(n) => self.id_number = n,
            Err(p) => out.push(p),
        }
        if let Some(e) = &self.email
            && (!e.contains('@') || e.len() > 254 || e.contains(char::is_whitespace))
        {
            out.push(
                Problem::new(
                    "format",
                    "Địa chỉ thư điện tử không hợp lệ.",
                    "The e-mail address is invalid.",
                )
                .at("applicant.email"),
            );
        }
        if let Some(p) = &self.phone {
            let digits: String = p.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
            let ok = (digits.len() == 10 && digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit()))
                || (digits.len() == 12 && digits.starts_with("+84") && digits[3..].chars().all(|c| c.is_ascii_digit()));
            if !ok {
                out.push(
                    Problem::new(
                        "format",
                        "Số điện thoại phải có 10 chữ số bắt đầu bằng 0 (hoặc +84 và 9 chữ số).",
                        "A phone number has 10 digits starting with 0 (or +84 and 9 digits).",
                    )
                    .at("applicant.phone"),
                );
            }
        }
        if out.is_empty() { Ok(self) } else { Err(out) }
    }
}

/// Where a submitted document's content came from (DuocSoHoa / DuocTaiSuDung).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Digitisation {
    /// Paper only, not digitised.
    NotDigitised,
    /// Scanned or uploaded: a digital copy exists.
    Digitised,
    /// Reused from another dossier's submitted document.
    ReusedDocument { from_dossier: String },
    /// Reused from an earlier dossier's result.
    ReusedResult { from_dossier: String },
}

impl Digitisation {
    pub fn is_digitised(&self) -> bool {
        !matches!(self, Digitisation::NotDigitised)
    }
    pub fn is_reused(&self) -> bool {
        matches!(
            self,
            Digitisation::ReusedDocument { .. } | Digitisation::ReusedResult { .. }
        )
    }
}

/// A stored file: where it is, what it is, and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

/// A submitted document (TaiLieuNop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedDocument {
    pub component_code: String,
    #[serde(default)]
    pub file: Option<FileRef>,
    pub digitisation: Digitisation,
    /// Taken from the citizen's data store on the national portal (DuocLayTuKhoDMQG).
    #[serde(default)]
    pub from_national_store: bool,
}

/// Online payment state (DuocThanhToanTrucTuyen): 0 not paid online, 1 on the national
/// portal, 2 through the local payment gateway. Payment at the desk is `paid` with channel 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Payment {
    pub online_channel: u8,
    #[serde(default)]
    pub paid_at: Option<LocalTime>,
    pub amount_vnd: i64,
    #[serde(default)]
    pub reference: Option<String>,
}

/// A result document (DanhSachGiayToKetQua).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDocument {
    pub name: String,
    /// Number or code of the result (e.g. the certificate number).
    pub result_code: String,
    #[serde(default)]
    pub file: Option<FileRef>,
}

/// A supplement request and its answer (DanhSachHoSoBoSung).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    pub requested_by: String,
    pub requested_at: LocalTime,
    pub reason: String,
    pub missing: Vec<String>,
    #[serde(default)]
    pub received_at: Option<LocalTime>,
    #[serde(default)]
    pub old_appointment: Option<LocalTime>,
    #[serde(default)]
    pub new_appointment: Option<LocalTime>,
}

/// An apology with a new appointment (Mẫu 04).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Apology {
    pub issued_by: String,
    pub issued_at: LocalTime,
    pub reason: String,
    pub old_appointment: Option<LocalTime>,
    pub new_appointment: LocalTime,
}

/// One step of processing history (QuaTrinhXuLy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: LocalTime,
    pub action: String,
    pub event: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub actor_title: String,
    pub unit_code: Option<String>,
    pub content: String,
    /// Legal end of this step, when the step has one (the appointment while processing).
    pub step_deadline: Option<LocalTime>,
}

/// A dossier with its whole state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    pub id: String,
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// Receiving unit (where it was filed), by stable id and as it was named then.
    pub receiving_unit_id: String,
    pub receiving_unit_code: String,
    pub receiving_unit_name: String,
    /// Competent (processing) unit; may differ from the receiving unit.
    pub competent_unit_id: String,
    pub competent_unit_code: String,
    pub channel: Channel,
    pub applicant: Applicant,
    /// Account that filed online, if any.
    pub applicant_account_id: Option<String>,
    /// The account is authenticated with VNeID (TaiKhoanDuocXacThucVoiVNeID).
    pub vneid_verified: bool,
    pub form_data: serde_json::Value,
    pub documents: Vec<SubmittedDocument>,
    pub fees: Vec<crate::catalog::FeeLine>,
    pub payment: Payment,
    pub results: Vec<ResultDocument>,
    pub supplements: Vec<Supplement>,
    pub apologies: Vec<Apology>,
    /// National databases consulted (DSKetNoiCSDL), e.g. "CSDLQGDC".
    pub national_db_consulted: Vec<String>,
    pub status: Status,
    /// The status to return to when the applicant's supplement arrives.
    pub resume_status: Option<Status>,
    pub submitted_at: LocalTime,
    pub accepted_at: Option<LocalTime>,
    /// The legal appointment date (NgayHenTra), shifted by supplement pauses.
    pub appointment_at: Option<LocalTime>,
    /// The appointment promised in the latest apology, if any.
    pub promised_at: Option<LocalTime>,
    /// The legal clock is paused (waiting for a supplement) since this time.
    pub paused_at: Option<LocalTime>,
    /// Working minutes left on the clock when it was paused.
    pub paused_remaining_minutes: Option<i64>,
    pub finished_at: Option<LocalTime>,
    pub returned_at: Option<LocalTime>,
    pub refused_at: Option<LocalTime>,
    pub withdrawn_at: Option<LocalTime>,
    pub stopped_at: Option<LocalTime>,
    /// Reason for refusal, stop or withdrawal.
    pub end_reason: Option<String>,
    /// Counted as overdue for reporting whatever the dates (a second supplement request).
    pub overdue_for_reporting: bool,
    /// The latest change (for "untouched" flags and optimistic concurrency).
    pub updated_at: LocalTime,
    pub version: i64,
}

/// Where a dossier is filed and which unit decides it, as the units were named at filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    pub receiving_unit_id: String,
    pub receiving_unit_code: String,
    pub receiving_unit_name: String,
    pub competent_unit_id: String,
    pub competent_unit_code: String,
}

impl Routing {
    pub fn new(receiving: &crate::unit::Unit, competent: &crate::unit::Unit) -> Routing {
        Routing {
            receiving_unit_id: receiving.id.clone(),
            receiving_unit_code: receiving.code.to_string(),
            receiving_unit_name: receiving.name.clone(),
            competent_unit_id: competent.id.clone(),
            competent_unit_code: competent.code.to_string(),
        }
    }
}

impl Dossier {
    /// A dossier just filed (status 1) at `at`, without a code yet, documents, fees or
    /// anything that happens later; callers fill in what they have with struct update syntax.
    pub fn submitted(
        id: String,
        procedure_code: &str,
        procedure_name: &str,
        routing: Routing,
        channel: Channel,
        applicant: Applicant,
        at: LocalTime,
    ) -> Dossier {
        Dossier {
            id,
            code: String::new(),
            procedure_code: procedure_code.to_string(),
            procedure_name: procedure_name.to_string(),
            receiving_unit_id: routing.receiving_unit_id,
            receiving_unit_code: routing.receiving_unit_code,
            receiving_unit_name: routing.receiving_unit_name,
            competent_unit_id: routing.competent_unit_id,
            competent_unit_code: routing.competent_unit_code,
            channel,
            applicant,
            applicant_account_id: None,
            vneid_verified: false,
            form_data: serde_json::Value::Null,
            documents: Vec::new(),
            fees: Vec::new(),
            payment: Payment::default(),
            results: Vec::new(),
            supplements: Vec::new(),
            apologies: Vec::new(),
            national_db_consulted: Vec::new(),
            status: Status::Submitted,
            resume_status: None,
            submitted_at: at,
            accepted_at: None,
            appointment_at: None,
            promised_at: None,
            paused_at: None,
            paused_remaining_minutes: None,
            finished_at: None,
            returned_at: None,
            refused_at: None,
            withdrawn_at: None,
            stopped_at: None,
            end_reason: None,
            overdue_for_reporting: false,
            updated_at: at,
            version: 1,
        }
    }

    /// Has any component been digitised (HoSoCoThanhPhanSoHoa)?
    pub fn has_digitised_component(&self) -> bool {
        self.documents.iter().any(|d| d.digitisation.is_digitised())
    }

    /// The end of processing (NgayKetThucXuLy), in the 766 priority: processed > returned >
    /// stopped/refused.
    pub fn end_of_processing(&self) -> Option<LocalTime> {
        self.finished_at
            .or(self.returned_at)
            .or(self.stopped_at)
            .or(self.refused_at)
    }

    /// Deadline state at `now`, derived from the appointment and the end of processing.
    pub fn deadline_state(&self, now: LocalTime, due_soon_from: Option<LocalTime>) -> DeadlineState {
        let Some(appt) = self.appointment_at else {
            return DeadlineState::NoDeadline;
        };
        if let Some(end) = self.end_of_processing() {
            return if end > appt || self.overdue_for_reporting {
                DeadlineState::FinishedLate
            } else {
                DeadlineState::FinishedOnTime
            };
        }
        if self.status.is_final() {
            return DeadlineState::NoDeadline;
        }
        // While paused, the clock stands still at the pause.
        let t = self.paused_at.unwrap_or(now);
        if t > appt || self.overdue_for_reporting {
            DeadlineState::Overdue
        } else if self.paused_at.is_none() && due_soon_from.is_some_and(|d| now >= d) {
            DeadlineState::DueSoon
        } else if self.paused_at.is_some() {
            DeadlineState::Paused
        } else {
            DeadlineState::OnTime
        }
    }
}

/// Whether a dossier is untouched ("no silent dossiers"): the administration holds it and its
/// last change was before `threshold` (typically `now` minus a few working days, see
/// [`Calendar::sub_working_days`](crate::calendar::Calendar::sub_working_days)). Untouched
/// dossiers are flagged to the unit leader.
pub fn is_untouched(status: Status, updated_at: LocalTime, threshold: LocalTime) -> bool {
    status.held_by_administration() && updated_at < threshold
}

/// Derived deadline state: "overdue" and "due soon" are not statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    NoDeadline,
    OnTime,
    DueSoon,
    Overdue,
    Paused,
    FinishedOnTime,
    FinishedLate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untouched_means_held_by_the_administration_and_unchanged_since_the_threshold() {
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        let threshold = at("2026-03-04T11:00");
        let held: Vec<u8> = Status::ALL
            .into_iter()
            .filter(|s| is_untouched(*s, at("2026-03-02T09:00"), threshold))
            .map(Status::code)
            .collect();
        assert_eq!(held, vec![1, 2, 4, 6], "not 5 (waits for the applicant) nor ended ones");
        assert!(
            !is_untouched(Status::Processing, threshold, threshold),
            "changed at the threshold"
        );
    }
}
