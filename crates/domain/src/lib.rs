//! Pure rules of citygov, with no I/O: identifiers and codes, administrative units, the
//! procedure catalog, the dossier and its lifecycle (an explicit transition table), the
//! Vietnamese working-day calendar and deadlines, and e-form validation.
//!
//! Everything here is deterministic: time is passed in by the caller, so deadlines and
//! overdue rules can be tested across Tết and year ends.

pub mod calendar;
pub mod catalog;
pub mod codes;
pub mod dossier;
pub mod eform;
pub mod lake;
pub mod notification;
pub mod privacy;
pub mod problem;
pub mod rating;
pub mod reasons;
pub mod text;
pub mod unit;
pub mod upload;
pub mod workflow;

pub use problem::Problem;

/// Local time in Vietnam (UTC+7, no daylight saving). All domain times are local.
pub type LocalTime = chrono::NaiveDateTime;

/// The current local time in Vietnam.
pub fn now_local() -> LocalTime {
    (chrono::Utc::now() + chrono::Duration::hours(7)).naive_utc()
}
