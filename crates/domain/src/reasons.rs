//! Structured reasons: "no silent dossiers". Every refusal, supplement request and stop of
//! processing names one reason from a fixed list, so the applicant is told why in words the
//! one-stop desk uses (Mẫu 02, Mẫu 03 of Circular 01/2018/TT-VPCP) and reports can count
//! dossiers by reason. Withdrawals and apologies may name one too.
//!
//! Each list ends with [`OTHER`] ("Lý do khác"), which needs the reason written out. Codes are
//! part of the API contract: add new ones, never rename or reuse one.

use crate::Problem;
use crate::workflow::Action;
use serde::Serialize;

/// One reason of a list: a stable code and its label in Vietnamese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
}

/// The code of "other reason": the free text `reason` is then required.
pub const OTHER: &str = "khac";

const fn r(code: &'static str, label_vi: &'static str, label_en: &'static str) -> Reason {
    Reason {
        code,
        label_vi,
        label_en,
    }
}

const OTHER_REASON: Reason = r(OTHER, "Lý do khác", "Other reason");

/// Intake refusal (từ chối tiếp nhận, Mẫu 03).
const REFUSE: &[Reason] = &[
    r(
        "khong_thuoc_tham_quyen",
        "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
        "The dossier is not within this agency's competence",
    ),
    r(
        "ho_so_khong_day_du",
        "Hồ sơ không đầy đủ, không hợp lệ theo quy định",
        "The dossier is incomplete or invalid under the law",
    ),
    r(
        "thu_tuc_khong_ap_dung",
        "Yêu cầu không thuộc phạm vi của thủ tục hành chính đã chọn",
        "The chosen procedure does not apply to this request",
    ),
    r(
        "khong_thuoc_doi_tuong",
        "Người nộp không thuộc đối tượng thực hiện thủ tục",
        "The applicant is not eligible for this procedure",
    ),
    r(
        "thong_tin_sai_su_that",
        "Thông tin kê khai không trung thực, sai sự thật",
        "The information declared is false",
    ),
    r(
        "ho_so_trung",
        "Hồ sơ trùng với hồ sơ đã được tiếp nhận",
        "The dossier duplicates one already received",
    ),
    r(
        "giay_to_khong_doc_duoc",
        "Tệp, giấy tờ đính kèm không đọc được",
        "The attached files or papers cannot be read",
    ),
    OTHER_REASON,
];

/// Supplement request (yêu cầu bổ sung, hoàn thiện hồ sơ, Mẫu 02).
const REQUEST_SUPPLEMENT: &[Reason] = &[
    r(
        "thieu_giay_to",
        "Thiếu thành phần hồ sơ theo quy định",
        "Required papers are missing",
    ),
    r(
        "giay_to_het_han",
        "Giấy tờ đã hết thời hạn sử dụng",
        "Papers have expired",
    ),
    r(
        "sai_mau",
        "Tờ khai, đơn không đúng mẫu quy định",
        "The application form is not the prescribed one",
    ),
    r(
        "ban_chup_khong_ro",
        "Bản chụp, bản quét không rõ nét",
        "Copies or scans are unclear",
    ),
    r(
        "thong_tin_khong_khop",
        "Thông tin kê khai không thống nhất với giấy tờ kèm theo",
        "The information declared does not match the attached papers",
    ),
    r(
        "thieu_chung_thuc",
        "Bản sao chưa được chứng thực, không có bản chính để đối chiếu",
        "Copies are not certified and no original was shown",
    ),
    r(
        "thieu_chu_ky",
        "Tờ khai, đơn thiếu chữ ký hoặc dấu xác nhận",
        "A signature or seal is missing",
    ),
    OTHER_REASON,
];

/// Stopping processing and returning the dossier (dừng xử lý, trả lại hồ sơ).
const STOP: &[Reason] = &[
    r(
        "khong_bo_sung_dung_han",
        "Người nộp không bổ sung hồ sơ trong thời hạn yêu cầu",
        "The applicant did not supplement the dossier in time",
    ),
    r(
        "khong_du_dieu_kien",
        "Không đủ điều kiện giải quyết theo quy định của pháp luật",
        "The legal conditions are not met",
    ),
    r(
        "yeu_cau_co_quan_tham_quyen",
        "Theo yêu cầu của cơ quan nhà nước có thẩm quyền",
        "At the request of a competent authority",
    ),
    r(
        "gia_mao_giay_to",
        "Phát hiện giấy tờ giả mạo hoặc kê khai gian dối",
        "Forged papers or false statements were found",
    ),
    r(
        "dang_tranh_chap",
        "Đối tượng của hồ sơ đang có tranh chấp, khiếu nại",
        "The subject of the dossier is under dispute or complaint",
    ),
    r(
        "nguoi_nop_de_nghi_dung",
        "Người nộp đề nghị dừng giải quyết",
        "The applicant asked to stop processing",
    ),
    OTHER_REASON,
];

/// Withdrawal at the applicant's request (rút hồ sơ).
const WITHDRAW: &[Reason] = &[
    r(
        "theo_de_nghi_nguoi_nop",
        "Theo đề nghị của người nộp hồ sơ",
        "At the applicant's request",
    ),
    r(
        "nop_nham",
        "Nộp nhầm thủ tục hoặc nhầm cơ quan",
        "Filed under the wrong procedure or at the wrong agency",
    ),
    r("nop_trung", "Hồ sơ nộp trùng", "Filed twice"),
    r("khong_con_nhu_cau", "Không còn nhu cầu giải quyết", "No longer needed"),
    r(
        "hoan_thien_nop_lai",
        "Rút để hoàn thiện và nộp lại hồ sơ",
        "Withdrawn to complete and file again",
    ),
    OTHER_REASON,
];

/// Causes of delay in an apology with a new appointment (Mẫu 04).
const APOLOGIZE: &[Reason] = &[
    r(
        "cho_y_kien_co_quan_khac",
        "Chờ ý kiến của cơ quan, đơn vị phối hợp",
        "Awaiting the opinion of other agencies",
    ),
    r(
        "xac_minh_thuc_dia",
        "Cần xác minh, kiểm tra thực địa",
        "A site verification is needed",
    ),
    r(
        "cho_nghia_vu_tai_chinh",
        "Chờ cơ quan thuế xác định nghĩa vụ tài chính",
        "Awaiting the tax office's assessment of fees and taxes",
    ),
    r(
        "su_co_he_thong",
        "Sự cố hệ thống thông tin, đường truyền",
        "An information system or network fault",
    ),
    r(
        "qua_tai",
        "Số lượng hồ sơ tăng đột biến",
        "An unusual surge of dossiers",
    ),
    OTHER_REASON,
];

/// The reasons to choose from for an action; empty for actions that take no reason.
pub fn reasons_for(action: Action) -> &'static [Reason] {
    match action {
        Action::Refuse => REFUSE,
        Action::RequestSupplement => REQUEST_SUPPLEMENT,
        Action::Stop => STOP,
        Action::Withdraw => WITHDRAW,
        Action::Apologize => APOLOGIZE,
        _ => &[],
    }
}

/// The reason of an action with this code, if the action's list has one.
pub fn find(action: Action, code: &str) -> Option<&'static Reason> {
    reasons_for(action).iter().find(|r| r.code == code)
}

/// Longest free-text reason, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The reason to record for `action`, from a code and free text: "<label>: <text>", the label
/// alone, or (without a code, where a code is optional) the text alone.
///
/// - `code_required`: the code must be given (refusal, supplement request, stop);
/// - a code, when given, must be in the action's list (field `reason_code`);
/// - [`OTHER`] needs the free text (field `reason`); so does having no code at all.
pub fn reason_text(
    action: Action,
    code_required: bool,
    code: Option<&str>,
    text: Option<&str>,
) -> Result<String, Problem> {
    let list = reasons_for(action);
    let codes = || list.iter().map(|r| r.code).collect::<Vec<_>>().join(", ");
    let text = text.map(str::trim).unwrap_or("");
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Problem::new(
            "max_length",
            format!("Lý do quá dài (tối đa {MAX_TEXT_CHARS} ký tự)."),
            format!("The reason is too long (at most {MAX_TEXT_CHARS} characters)."),
        )
        .at("reason"));
    }
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    let Some(code) = code else {
        if code_required {
            return Err(Problem::new(
                "required",
                format!(
                    "Thiếu «Mã lý do»: thao tác «{}» phải chọn một lý do trong danh sách: {}.",
                    action.name_vi(),
                    codes()
                ),
                format!(
                    "“Reason code” is missing: to {} choose a reason from the list: {}.",
                    action.as_str().replace('_', " "),
                    codes()
                ),
            )
            .at("reason_code"));
        }
        if text.is_empty() {
            return Err(Problem::required("reason", "Lý do", "Reason"));
        }
        return Ok(text.to_string());
    };
    let Some(reason) = find(action, code) else {
        return Err(Problem::new(
            "unknown_reason_code",
            format!(
                "Mã lý do không có trong danh sách của thao tác «{}». Các mã hợp lệ: {}.",
                action.name_vi(),
                codes()
            ),
            format!(
                "The reason code is not in the list for {}. Valid codes: {}.",
                action.as_str().replace('_', " "),
                codes()
            ),
        )
        .at("reason_code"));
    };
    if text.is_empty() {
        if reason.code == OTHER {
            return Err(Problem::new(
                "required",
                "Đã chọn «Lý do khác»: hãy ghi rõ lý do.",
                "“Other reason” was chosen: please write the reason out.",
            )
            .at("reason"));
        }
        return Ok(reason.label_vi.to_string());
    }
    Ok(format!("{}: {text}", reason.label_vi))
}

/// The reason lists as Markdown rows (for `docs/workflow.md`).
pub fn render_reasons() -> String {
    let mut s = String::from("| action | reason_code | Vietnamese | English |\n|---|---|---|---|\n");
    for action in Action::ALL {
        for r in reasons_for(action) {
            s.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                action.as_str(),
                r.code,
                r.label_vi,
                r.label_en
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_list_is_unique_ends_with_other_and_codes_are_ascii_snake_case() {
        for action in Action::ALL {
            let list = reasons_for(action);
            if list.is_empty() {
                continue;
            }
            assert_eq!(list.last().map(|r| r.code), Some(OTHER), "{action:?}");
            let codes: HashSet<&str> = list.iter().map(|r| r.code).collect();
            assert_eq!(codes.len(), list.len(), "{action:?} repeats a code");
            for r in list {
                assert!(r.code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", r.code);
                assert!(!r.label_vi.is_empty() && !r.label_en.is_empty());
            }
        }
        let with_lists: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| !reasons_for(*a).is_empty())
            .collect();
        assert_eq!(
            with_lists,
            vec![
                Action::Refuse,
                Action::RequestSupplement,
                Action::Withdraw,
                Action::Stop,
                Action::Apologize
            ]
        );
    }

    #[test]
    fn the_recorded_text_is_the_label_with_the_free_text() {
        assert_eq!(
            reason_text(Action::Refuse, true, Some("khong_thuoc_tham_quyen"), None).unwrap(),
            "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan"
        );
        assert_eq!(
            reason_text(Action::Stop, true, Some(OTHER), Some("  Đã chuyển cơ quan khác  ")).unwrap(),
            "Lý do khác: Đã chuyển cơ quan khác"
        );
        assert_eq!(
            reason_text(Action::Withdraw, false, None, Some("Tự nguyện rút")).unwrap(),
            "Tự nguyện rút"
        );
        assert_eq!(find(Action::Accept, OTHER), None);
        assert_eq!(
            find(Action::Refuse, "thieu_giay_to"),
            None,
            "codes belong to one action"
        );
        assert!(render_reasons().contains("| refuse | `khac` | Lý do khác | Other reason |"));
    }

    #[test]
    fn over_long_free_text_is_refused() {
        let long = "a".repeat(MAX_TEXT_CHARS + 1);
        let p = reason_text(Action::Refuse, true, Some(OTHER), Some(&long)).unwrap_err();
        assert_eq!((p.code.as_str(), p.field.as_deref()), ("max_length", Some("reason")));
    }
}
