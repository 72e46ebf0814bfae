//! What the applicant is told when their dossier changes, in Vietnamese and English.

use crate::dossier::Dossier;
use serde::Serialize;

/// A message to the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub subject_vi: String,
    pub subject_en: String,
    pub body_vi: String,
    pub body_en: String,
}

fn when(t: Option<crate::LocalTime>) -> String {
    t.map(|t| t.format("%H:%M ngày %d/%m/%Y").to_string())
        .unwrap_or_else(|| "—".into())
}

fn when_en(t: Option<crate::LocalTime>) -> String {
    t.map(|t| t.format("%H:%M on %d/%m/%Y").to_string())
        .unwrap_or_else(|| "—".into())
}

/// The message for a dossier event, or `None` for events the applicant is not told about.
pub fn message(event: &str, d: &Dossier) -> Option<Message> {
    let code = &d.code;
    let name = &d.procedure_name;
    let (svi, sen, bvi, ben): (String, String, String, String) = match event {
        "dossier.filed" => (
            "Đã nhận hồ sơ".into(),
            "Dossier received".into(),
            format!(
                "Hồ sơ {code} ({name}) đã được gửi tới {}. Cơ quan sẽ xem xét tiếp nhận.",
                d.receiving_unit_name
            ),
            format!(
                "Dossier {code} ({name}) was sent to {}. It will be checked for acceptance.",
                d.receiving_unit_name
            ),
        ),
        "dossier.accepted" => (
            "Hồ sơ được tiếp nhận".into(),
            "Dossier accepted".into(),
            format!(
                "Hồ sơ {code} đã được tiếp nhận. Ngày hẹn trả kết quả: {}.",
                when(d.appointment_at)
            ),
            format!(
                "Dossier {code} was accepted. Expected result: {}.",
                when_en(d.appointment_at)
            ),
        ),
        "dossier.intake_refused" => (
            "Hồ sơ không được tiếp nhận".into(),
            "Dossier not accepted".into(),
            format!(
                "Hồ sơ {code} không được tiếp nhận. Lý do: {}.",
                d.end_reason.clone().unwrap_or_default()
            ),
            format!(
                "Dossier {code} was not accepted. Reason: {}.",
                d.end_reason.clone().unwrap_or_default()
            ),
        ),
        "dossier.forwarded" => (
            "Hồ sơ đang được xử lý".into(),
            "Dossier being processed".into(),
            format!("Hồ sơ {code} đã được chuyển tới cơ quan có thẩm quyền để xử lý."),
            format!("Dossier {code} was passed to the competent unit for processing."),
        ),
        "dossier.supplement_requested" => {
            let s = d.supplements.last()?;
            (
                "Yêu cầu bổ sung hồ sơ".into(),
                "Supplement requested".into(),
                format!(
                    "Hồ sơ {code} cần bổ sung: {}. Lý do: {}. Thời hạn giải quyết tạm dừng cho đến khi bạn nộp bổ sung.",
                    s.missing.join("; "),
                    s.reason
                ),
                format!(
                    "Dossier {code} needs: {}. Reason: {}. The time limit is paused until you hand them in.",
                    s.missing.join("; "),
                    s.reason
                ),
            )
        }
        "dossier.supplement_received" => (
            "Đã nhận hồ sơ bổ sung".into(),
            "Supplement received".into(),
            format!(
                "Đã nhận hồ sơ bổ sung của hồ sơ {code}. Ngày hẹn trả kết quả mới: {}.",
                when(d.appointment_at)
            ),
            format!(
                "The supplement to dossier {code} was received. New expected date: {}.",
                when_en(d.appointment_at)
            ),
        ),
        "dossier.payment_requested" => (
            "Yêu cầu nộp phí, lệ phí".into(),
            "Fees to pay".into(),
            format!("Hồ sơ {code}: vui lòng nộp {} đồng phí, lệ phí.", d.payment.amount_vnd),
            format!("Dossier {code}: please pay {} VND in fees.", d.payment.amount_vnd),
        ),
        "dossier.payment_confirmed" => (
            "Đã nhận thanh toán".into(),
            "Payment received".into(),
            format!("Đã nhận thanh toán {} đồng cho hồ sơ {code}.", d.payment.amount_vnd),
            format!(
                "The payment of {} VND for dossier {code} was received.",
                d.payment.amount_vnd
            ),
        ),
        "dossier.withdrawn" => (
            "Hồ sơ đã được rút".into(),
            "Dossier withdrawn".into(),
            format!("Hồ sơ {code} đã được rút theo yêu cầu."),
            format!("Dossier {code} was withdrawn as requested."),
        ),
        "dossier.stopped" => (
            "Dừng xử lý hồ sơ".into(),
            "Processing stopped".into(),
            format!(
                "Hồ sơ {code} đã dừng xử lý. Lý do: {}.",
                d.end_reason.clone().unwrap_or_default()
            ),
            format!(
                "Processing of dossier {code} stopped. Reason: {}.",
                d.end_reason.clone().unwrap_or_default()
            ),
        ),
        "dossier.processed" => (
            "Đã có kết quả".into(),
            "Result ready".into(),
            format!(
                "Hồ sơ {code} đã có kết quả: {}.",
                d.results.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join("; ")
            ),
            format!(
                "Dossier {code} has its result: {}.",
                d.results.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join("; ")
            ),
        ),
        "dossier.result_returned" => (
            "Đã trả kết quả".into(),
            "Result handed over".into(),
            format!("Kết quả của hồ sơ {code} đã được trả. Mời bạn đánh giá việc giải quyết hồ sơ."),
            format!("The result of dossier {code} was handed over. Please rate how it was handled."),
        ),
        "dossier.apology_issued" => {
            let a = d.apologies.last()?;
            (
                "Thư xin lỗi và hẹn lại ngày trả kết quả".into(),
                "Apology and new date".into(),
                format!(
                    "Cơ quan xin lỗi vì hồ sơ {code} chưa có kết quả đúng hẹn ({}). Ngày hẹn trả mới: {}.",
                    a.reason,
                    when(Some(a.new_appointment))
                ),
                format!(
                    "We apologise that dossier {code} is late ({}). New date: {}.",
                    a.reason,
                    when_en(Some(a.new_appointment))
                ),
            )
        }
        _ => return None,
    };
    Some(Message {
        subject_vi: format!("[{code}] {svi}"),
        subject_en: format!("[{code}] {sen}"),
        body_vi: bvi,
        body_en: ben,
    })
}
