//! Daily working hours of the offices.

use chrono::{NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;

/// Working hours, the same on every working day, in Vietnam local time.
///
/// Working time is the half-open interval `[start, end)`, minus the lunch break `[start, end)`
/// if there is one. In TOML the times are `"HH:MM"` strings (`"HH:MM:SS"` is accepted too):
///
/// ```toml
/// start = "07:30"
/// end = "17:00"
/// lunch_break = { start = "11:30", end = "13:00" }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    #[serde(with = "hhmm")]
    pub start: NaiveTime,
    #[serde(with = "hhmm")]
    pub end: NaiveTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lunch_break: Option<LunchBreak>,
    /// "Same day" procedures received after this time are due the next working day.
    #[serde(default = "default_same_day_cutoff", with = "hhmm")]
    pub same_day_cutoff: NaiveTime,
}

fn default_same_day_cutoff() -> NaiveTime {
    hm(15, 0)
}

/// A break inside the working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunchBreak {
    #[serde(with = "hhmm")]
    pub start: NaiveTime,
    #[serde(with = "hhmm")]
    pub end: NaiveTime,
}

impl Default for WorkingHours {
    /// 08:00–17:00 without a lunch break.
    fn default() -> Self {
        WorkingHours {
            start: hm(8, 0),
            end: hm(17, 0),
            lunch_break: None,
            same_day_cutoff: default_same_day_cutoff(),
        }
    }
}

pub(crate) fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

impl WorkingHours {
    /// Checked working hours without a lunch break.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<Self, CalendarError> {
        let hours = WorkingHours {
            start,
            end,
            lunch_break: None,
            same_day_cutoff: default_same_day_cutoff(),
        };
        hours.validate()?;
        Ok(hours)
    }

    /// The same hours with a lunch break (checked).
    pub fn with_lunch_break(self, start: NaiveTime, end: NaiveTime) -> Result<Self, CalendarError> {
        let hours = WorkingHours {
            lunch_break: Some(LunchBreak { start, end }),
            same_day_cutoff: self.same_day_cutoff,
            ..self
        };
        hours.validate()?;
        Ok(hours)
    }

    /// `start < end`, and a lunch break strictly inside the day with `start < end`.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let bad = |vi: &str, en: &str| {
            Err(CalendarError::InvalidWorkingHours {
                problem_vi: vi.to_owned(),
                problem_en: en.to_owned(),
            })
        };
        if self.start >= self.end {
            return bad(
                &format!("giờ bắt đầu {} phải trước giờ kết thúc {}", self.start, self.end),
                &format!("start {} must be before end {}", self.start, self.end),
            );
        }
        if let Some(lunch) = self.lunch_break {
            if lunch.start >= lunch.end {
                return bad(
                    &format!("giờ nghỉ trưa {}–{} không hợp lệ", lunch.start, lunch.end),
                    &format!("lunch break {}–{} is empty or reversed", lunch.start, lunch.end),
                );
            }
            if lunch.start <= self.start || lunch.end >= self.end {
                return bad(
                    &format!(
                        "giờ nghỉ trưa {}–{} phải nằm trong giờ làm việc {}–{}",
                        lunch.start, lunch.end, self.start, self.end
                    ),
                    &format!(
                        "lunch break {}–{} must lie strictly inside working hours {}–{}",
                        lunch.start, lunch.end, self.start, self.end
                    ),
                );
            }
        }
        Ok(())
    }

    /// The working periods of a working day, in order (one or two).
    pub fn periods(&self) -> Vec<(NaiveTime, NaiveTime)> {
        match self.lunch_break {
            None => vec![(self.start, self.end)],
            Some(lunch) => vec![(self.start, lunch.start), (lunch.end, self.end)],
        }
    }

    /// Working time in one working day.
    pub fn daily_duration(&self) -> TimeDelta {
        self.periods().iter().map(|(a, b)| *b - *a).sum()
    }
}

/// Serde for `NaiveTime` as `"HH:MM"` (seconds written only when not zero).
mod hhmm {
    use chrono::{NaiveTime, Timelike};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(time: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
        let text = if time.second() == 0 && time.nanosecond() == 0 {
            time.format("%H:%M").to_string()
        } else {
            time.format("%H:%M:%S").to_string()
        };
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M:%S"))
            .map_err(|_| {
                D::Error::custom(format!(
                    "giờ không hợp lệ \"{text}\" (định dạng HH:MM) / invalid time \"{text}\" (expected HH:MM)"
                ))
            })
    }
}
