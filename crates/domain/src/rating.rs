//! Applicants' ratings of how their dossier was handled (like / dislike, with an optional
//! comment). A dislike counts against the satisfaction group of the Decision 766 index
//! (DOMAIN.md §6), so only the applicant may rate, and only once processing has ended; a new
//! rating replaces the earlier one.

use crate::dossier::Status;
use crate::{LocalTime, Problem};
use serde::{Deserialize, Serialize};

/// The applicant's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Like,
    Dislike,
}

impl Verdict {
    pub const ALL: [Verdict; 2] = [Verdict::Like, Verdict::Dislike];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Like => "like",
            Verdict::Dislike => "dislike",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The current rating of a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub dossier_id: String,
    pub verdict: Verdict,
    pub comment: Option<String>,
    /// The account that rated, when the applicant was logged in.
    pub account_id: Option<String>,
    /// When the dossier was first rated.
    pub rated_at: LocalTime,
    /// When the current verdict was given (equal to `rated_at` until it is changed).
    pub updated_at: LocalTime,
}

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;

/// Whether a dossier in `status` may be rated: its processing has ended (3, 7, 8, 9 or 10).
pub fn can_rate(status: Status) -> bool {
    matches!(
        status,
        Status::IntakeRefused | Status::Withdrawn | Status::Stopped | Status::Processed | Status::Returned
    )
}

/// Why a dossier in `status` cannot be rated yet.
pub fn not_ended(status: Status) -> Problem {
    Problem::new(
        "dossier_not_ended",
        format!(
            "Hồ sơ đang ở trạng thái «{}»: chỉ đánh giá được sau khi hồ sơ đã giải quyết xong, bị từ chối, dừng xử lý hoặc đã rút.",
            status.name_vi()
        ),
        format!(
            "The dossier is “{}”: it can be rated once it is processed, refused, stopped or withdrawn.",
            status.name_en()
        ),
    )
}

/// The verdict from its text, or a problem at `verdict`.
pub fn parse_verdict(s: &str) -> Result<Verdict, Problem> {
    Verdict::parse(s.trim()).ok_or_else(|| {
        Problem::new(
            "invalid",
            "Đánh giá phải là like (hài lòng) hoặc dislike (không hài lòng).",
            "verdict must be like or dislike.",
        )
        .at("verdict")
    })
}

/// The comment trimmed (`None` when empty), or a problem at `comment` when it is too long.
pub fn parse_comment(s: Option<&str>) -> Result<Option<String>, Problem> {
    let Some(c) = s.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    if c.chars().count() > MAX_COMMENT_CHARS {
        return Err(Problem::new(
            "max_length",
            format!("Nhận xét quá dài (tối đa {MAX_COMMENT_CHARS} ký tự)."),
            format!("The comment is too long (at most {MAX_COMMENT_CHARS} characters)."),
        )
        .at("comment"));
    }
    Ok(Some(c.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ended_dossiers_can_be_rated() {
        let ratable: Vec<u8> = Status::ALL
            .into_iter()
            .filter(|s| can_rate(*s))
            .map(Status::code)
            .collect();
        assert_eq!(ratable, vec![3, 7, 8, 9, 10]);
        let p = not_ended(Status::Processing);
        assert!(p.message_vi.contains("Đang xử lý") && p.message_en.contains("Processing"));
    }

    #[test]
    fn verdicts_are_lowercase_words() {
        assert_eq!(serde_json::to_string(&Verdict::Dislike).unwrap(), "\"dislike\"");
        assert_eq!(parse_verdict(" like ").unwrap(), Verdict::Like);
        assert_eq!(parse_verdict("Like").unwrap_err().field.as_deref(), Some("verdict"));
        assert_eq!(parse_verdict("5").unwrap_err().field.as_deref(), Some("verdict"));
    }

    #[test]
    fn comments_are_trimmed_and_limited() {
        assert_eq!(parse_comment(None).unwrap(), None);
        assert_eq!(parse_comment(Some("   ")).unwrap(), None);
        assert_eq!(
            parse_comment(Some("  Cán bộ nhiệt tình ")).unwrap().as_deref(),
            Some("Cán bộ nhiệt tình")
        );
        // The limit is in characters, not bytes: 2,000 Vietnamese letters fit.
        assert!(parse_comment(Some(&"ệ".repeat(MAX_COMMENT_CHARS))).is_ok());
        let p = parse_comment(Some(&"ệ".repeat(MAX_COMMENT_CHARS + 1))).unwrap_err();
        assert_eq!((p.code.as_str(), p.field.as_deref()), ("max_length", Some("comment")));
    }
}
