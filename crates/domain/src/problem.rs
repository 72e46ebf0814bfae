//! The one shape of a user-facing problem: a stable code, the field at fault, and a message
//! in Vietnamese and in English. Every layer turns its errors into this at its edge.

use serde::{Deserialize, Serialize};

/// A problem with input or with a requested action, explained to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Stable, machine-readable code (snake_case); part of the API contract.
    pub code: String,
    /// The field, row or path at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Message in Vietnamese.
    pub message_vi: String,
    /// Message in English.
    pub message_en: String,
}

impl Problem {
    pub fn new(code: &str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Problem {
            code: code.to_string(),
            field: None,
            message_vi: vi.into(),
            message_en: en.into(),
        }
    }

    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A required value is missing.
    pub fn required(field: &str, label_vi: &str, label_en: &str) -> Self {
        Problem::new(
            "required",
            format!("Thiếu «{label_vi}»: trường này là bắt buộc."),
            format!("“{label_en}” is missing: this field is required."),
        )
        .at(field)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(field) = &self.field {
            write!(
                f,
                "[{}] {}: {} / {}",
                self.code, field, self.message_vi, self.message_en
            )
        } else {
            write!(f, "[{}] {} / {}", self.code, self.message_vi, self.message_en)
        }
    }
}

impl std::error::Error for Problem {}
