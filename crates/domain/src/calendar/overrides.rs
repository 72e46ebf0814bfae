//! The official schedule: per year, the weekdays the offices are closed and the weekend days
//! worked in exchange, as announced by the Government (format of `data/holidays.toml`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::error::{CalendarError, ScheduleField};
use super::lunar::{MAX_YEAR, MIN_YEAR};
use super::rules::is_weekend;

/// One year of the official schedule (already checked).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfficialYear {
    /// Every weekday (Mon–Fri) the offices are closed.
    pub days_off: BTreeSet<NaiveDate>,
    /// Saturdays/Sundays worked in exchange (làm bù).
    pub working_days: BTreeSet<NaiveDate>,
}

/// The official schedules of the years that have one.
///
/// ```toml
/// [years.2026]
/// days_off = ["2026-01-01", "2026-01-02"]   # every weekday (Mon–Fri) the offices are closed
/// working_days = ["2026-01-10"]             # weekend days worked in exchange
/// ```
///
/// Both lists are optional (empty by default). Dates may be strings or TOML local dates.
/// Deserializing with serde runs the same checks as [`OfficialSchedule::parse_toml`] (string
/// dates only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawSchedule", into = "RawSchedule")]
pub struct OfficialSchedule {
    years: BTreeMap<i32, OfficialYear>,
}

impl OfficialSchedule {
    /// Parses and checks a schedule in the format of `data/holidays.toml`.
    pub fn parse_toml(text: &str) -> Result<Self, CalendarError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| CalendarError::TomlSyntax {
            detail: e.to_string().trim().to_owned(),
        })?;
        let mut schedule = OfficialSchedule::default();
        for (key, value) in &table {
            if key != "years" {
                return Err(CalendarError::UnknownKey { path: key.clone() });
            }
            let years = value.as_table().ok_or_else(|| CalendarError::WrongType {
                path: "years".into(),
                expected: "table",
            })?;
            let mut entries = Vec::new();
            for (year_key, year_value) in years {
                let year = parse_year_key(year_key)?;
                entries.push((year, year_key, year_value));
            }
            entries.sort_by_key(|(year, _, _)| *year);
            for (year, year_key, year_value) in entries {
                let path = format!("years.{year_key}");
                let year_table = year_value.as_table().ok_or_else(|| CalendarError::WrongType {
                    path: path.clone(),
                    expected: "table",
                })?;
                let mut days_off = Vec::new();
                let mut working_days = Vec::new();
                for (field_key, list) in year_table {
                    let target = match field_key.as_str() {
                        "days_off" => &mut days_off,
                        "working_days" => &mut working_days,
                        _ => {
                            return Err(CalendarError::UnknownKey {
                                path: format!("{path}.{field_key}"),
                            });
                        }
                    };
                    let list_path = format!("{path}.{field_key}");
                    let items = list.as_array().ok_or_else(|| CalendarError::WrongType {
                        path: list_path.clone(),
                        expected: "array",
                    })?;
                    for item in items {
                        target.push(match item {
                            toml::Value::String(s) => s.clone(),
                            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
                            other => other.to_string(),
                        });
                    }
                }
                schedule.insert_year_text(year, &days_off, &working_days)?;
            }
        }
        Ok(schedule)
    }

    /// The schedule shipped with citygov (`data/holidays.toml`: 2025 and 2026).
    pub fn shipped() -> Self {
        Self::parse_toml(super::SHIPPED_HOLIDAYS_TOML).expect("the shipped data/holidays.toml is valid")
    }

    /// Adds (or replaces) one year, with the same checks as the parser.
    pub fn insert_year(
        &mut self,
        year: i32,
        days_off: &[NaiveDate],
        working_days: &[NaiveDate],
    ) -> Result<(), CalendarError> {
        let as_text = |dates: &[NaiveDate]| {
            dates
                .iter()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect::<Vec<_>>()
        };
        self.insert_year_text(year, &as_text(days_off), &as_text(working_days))
    }

    /// The official schedule of a year, if it has one.
    pub fn year(&self, year: i32) -> Option<&OfficialYear> {
        self.years.get(&year)
    }

    /// The years that have an official schedule, in order.
    pub fn years(&self) -> impl Iterator<Item = (i32, &OfficialYear)> + '_ {
        self.years.iter().map(|(y, o)| (*y, o))
    }

    fn insert_year_text(
        &mut self,
        year: i32,
        days_off: &[String],
        working_days: &[String],
    ) -> Result<(), CalendarError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange { year });
        }
        let off = parse_list(year, ScheduleField::DaysOff, days_off)?;
        let work = parse_list(year, ScheduleField::WorkingDays, working_days)?;
        // A date in both lists is reported as such first (it would otherwise show up as a
        // weekend in days_off or a weekday in working_days, which is less helpful).
        let days_off: BTreeSet<NaiveDate> = off.iter().map(|(_, d)| *d).collect();
        let working_days: BTreeSet<NaiveDate> = work.iter().map(|(_, d)| *d).collect();
        if let Some(date) = days_off.intersection(&working_days).next() {
            return Err(CalendarError::BothOffAndWorking { year, date: *date });
        }
        for &(position, date) in &off {
            if is_weekend(date) {
                return Err(CalendarError::WeekendInDaysOff { year, position, date });
            }
        }
        for &(position, date) in &work {
            if !is_weekend(date) {
                return Err(CalendarError::WeekdayInWorkingDays { year, position, date });
            }
        }
        self.years.insert(year, OfficialYear { days_off, working_days });
        Ok(())
    }
}

fn parse_year_key(key: &str) -> Result<i32, CalendarError> {
    let year = if key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()) {
        key.parse::<i32>().ok()
    } else {
        None
    };
    let year = year.ok_or_else(|| CalendarError::InvalidYearKey { key: key.to_owned() })?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::YearOutOfRange { year });
    }
    Ok(year)
}

/// Parses `YYYY-MM-DD` entries, checking each is in `year` and none is repeated.
fn parse_list(year: i32, field: ScheduleField, items: &[String]) -> Result<Vec<(usize, NaiveDate)>, CalendarError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, text) in items.iter().enumerate() {
        let position = i + 1;
        let date = parse_iso_date(text).ok_or_else(|| CalendarError::InvalidDate {
            year,
            field,
            position,
            value: text.clone(),
        })?;
        if date.year() != year {
            return Err(CalendarError::DateNotInYear {
                year,
                field,
                position,
                date,
            });
        }
        if !seen.insert(date) {
            return Err(CalendarError::DuplicateDate { year, field, date });
        }
        out.push((position, date));
    }
    Ok(out)
}

/// Strict `YYYY-MM-DD`.
fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The serde shape of [`OfficialSchedule`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    #[serde(default)]
    years: BTreeMap<String, RawYear>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    #[serde(default)]
    days_off: Vec<String>,
    #[serde(default)]
    working_days: Vec<String>,
}

impl TryFrom<RawSchedule> for OfficialSchedule {
    type Error = CalendarError;

    fn try_from(raw: RawSchedule) -> Result<Self, Self::Error> {
        let mut entries = Vec::new();
        for (key, year) in raw.years {
            entries.push((parse_year_key(&key)?, year));
        }
        entries.sort_by_key(|(year, _)| *year);
        let mut schedule = OfficialSchedule::default();
        for (year, lists) in entries {
            schedule.insert_year_text(year, &lists.days_off, &lists.working_days)?;
        }
        Ok(schedule)
    }
}

impl From<OfficialSchedule> for RawSchedule {
    fn from(schedule: OfficialSchedule) -> Self {
        let text = |dates: &BTreeSet<NaiveDate>| dates.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect();
        RawSchedule {
            years: schedule
                .years
                .iter()
                .map(|(year, o)| {
                    (
                        year.to_string(),
                        RawYear {
                            days_off: text(&o.days_off),
                            working_days: text(&o.working_days),
                        },
                    )
                })
                .collect(),
        }
    }
}
