//! Statutory public holidays (Labour Code 2019, Art. 112) as data, and the weekend
//! compensation rule (nghỉ bù).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;
use super::lunar;

/// Which calendar a holiday's anchor date is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    /// Gregorian (dương lịch).
    Solar,
    /// Vietnamese lunar (âm lịch), regular (non-leap) month.
    Lunar,
}

/// One statutory holiday: `days` consecutive days starting `start_offset` days from an anchor
/// date (`month`/`day` in the solar or lunar calendar).
///
/// * fixed solar date: `{ calendar = "solar", month = 4, day = 30 }`
/// * lunar date: `{ calendar = "lunar", month = 3, day = 10 }` (regular month, never the leap
///   one; a day 30 in a 29-day month means its last day)
/// * lunar span: Tết is `{ calendar = "lunar", month = 1, day = 1, start_offset = -1, days = 5 }`:
///   the last day of the lunar year (29 or 30 tháng Chạp) then mùng 1–4.
/// * solar span: National Day is `{ calendar = "solar", month = 9, day = 2, start_offset = -1,
///   days = 2 }` (1 and 2 September).
///
/// A solar 29 February only applies in leap years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRule {
    pub name_vi: String,
    pub name_en: String,
    pub calendar: DateKind,
    pub month: u32,
    pub day: u32,
    /// Days from the anchor date to the first day off (may be negative). Default 0.
    #[serde(default)]
    pub start_offset: i32,
    /// Number of consecutive days off. Default 1.
    #[serde(default = "one")]
    pub days: u32,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

impl HolidayRule {
    /// A one-day holiday on a fixed Gregorian date.
    pub fn solar(name_vi: &str, name_en: &str, month: u32, day: u32) -> Self {
        Self::span(name_vi, name_en, DateKind::Solar, month, day, 0, 1)
    }

    /// A one-day holiday on a lunar date.
    pub fn lunar(name_vi: &str, name_en: &str, month: u32, day: u32) -> Self {
        Self::span(name_vi, name_en, DateKind::Lunar, month, day, 0, 1)
    }

    /// `days` days starting `start_offset` days from the anchor date.
    pub fn span(
        name_vi: &str,
        name_en: &str,
        calendar: DateKind,
        month: u32,
        day: u32,
        start_offset: i32,
        days: u32,
    ) -> Self {
        HolidayRule {
            name_vi: name_vi.to_owned(),
            name_en: name_en.to_owned(),
            calendar,
            month,
            day,
            start_offset,
            days,
        }
    }

    fn validate(&self, position: usize) -> Result<(), CalendarError> {
        let name = if self.name_vi.is_empty() {
            self.name_en.clone()
        } else {
            self.name_vi.clone()
        };
        let bad = |vi: String, en: String| {
            Err(CalendarError::InvalidRule {
                position,
                name: name.clone(),
                problem_vi: vi,
                problem_en: en,
            })
        };
        if self.name_vi.trim().is_empty() || self.name_en.trim().is_empty() {
            return bad(
                "thiếu tên tiếng Việt (name_vi) hoặc tiếng Anh (name_en)".into(),
                "name_vi and name_en must both be given".into(),
            );
        }
        if !(1..=12).contains(&self.month) {
            return bad(
                format!("tháng {} phải từ 1 đến 12", self.month),
                format!("month {} must be 1 to 12", self.month),
            );
        }
        let max_day = match self.calendar {
            DateKind::Lunar => 30,
            DateKind::Solar => match self.month {
                2 => 29,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            },
        };
        if !(1..=max_day).contains(&self.day) {
            return bad(
                format!(
                    "ngày {} không có trong tháng {} (tối đa {max_day})",
                    self.day, self.month
                ),
                format!(
                    "day {} does not exist in month {} (at most {max_day})",
                    self.day, self.month
                ),
            );
        }
        if !(1..=31).contains(&self.days) {
            return bad(
                format!("số ngày nghỉ {} phải từ 1 đến 31", self.days),
                format!("days {} must be 1 to 31", self.days),
            );
        }
        if !(-31..=31).contains(&self.start_offset) {
            return bad(
                format!("độ lệch start_offset {} phải từ -31 đến 31", self.start_offset),
                format!("start_offset {} must be -31 to 31", self.start_offset),
            );
        }
        Ok(())
    }

    /// The days off of this rule anchored in (solar or lunar) year `anchor_year`.
    fn dates_for_anchor_year(&self, anchor_year: i32) -> Vec<NaiveDate> {
        let anchor = match self.calendar {
            DateKind::Solar => NaiveDate::from_ymd_opt(anchor_year, self.month, self.day),
            DateKind::Lunar => lunar::lunar_to_solar_clamped(anchor_year, self.month, self.day),
        };
        let Some(first) = anchor.and_then(|a| a.checked_add_signed(TimeDelta::days(i64::from(self.start_offset))))
        else {
            return Vec::new();
        };
        first.iter_days().take(self.days as usize).collect()
    }
}

/// Which day goes with 2 September for National Day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjacentDay {
    /// 1 September (what the 2025 and 2026 schedules did).
    #[default]
    Before,
    /// 3 September.
    After,
}

/// The two choices the Labour Code leaves to the Government's yearly decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourCodeOptions {
    /// First day of the 5 Tết days relative to mùng 1 Tết: -1 (default) = the last day of the
    /// lunar year to mùng 4; -2 = 28 or 29 tháng Chạp to mùng 3 (like 2025).
    pub tet_start_offset: i32,
    /// National Day's second day.
    pub national_day_adjacent: AdjacentDay,
}

impl Default for LabourCodeOptions {
    fn default() -> Self {
        LabourCodeOptions {
            tet_start_offset: -1,
            national_day_adjacent: AdjacentDay::Before,
        }
    }
}

/// The statutory public holidays, as data.
///
/// `Default` is the Labour Code 2019, Art. 112 with [`LabourCodeOptions::default`]: 11 days a
/// year. In a TOML config, `holidays` replaces the whole list, e.g. to add 24/11 (Ngày Văn hóa
/// Việt Nam) once it becomes law, list the six default rules plus:
///
/// ```toml
/// [[holidays]]
/// name_vi = "Ngày Văn hóa Việt Nam"
/// name_en = "Vietnam Culture Day"
/// calendar = "solar"
/// month = 11
/// day = 24
/// ```
///
/// Rules only decide the years that have no official schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatutoryRules {
    #[serde(default = "default_holidays")]
    pub holidays: Vec<HolidayRule>,
    /// A holiday falling on Saturday or Sunday gives a day off on the next working day that is
    /// not itself a holiday or another compensatory day (nghỉ bù). Default true.
    #[serde(default = "yes")]
    pub compensate_weekends: bool,
}

fn default_holidays() -> Vec<HolidayRule> {
    StatutoryRules::labour_code_2019(LabourCodeOptions::default()).holidays
}

impl Default for StatutoryRules {
    fn default() -> Self {
        StatutoryRules::labour_code_2019(LabourCodeOptions::default())
    }
}

impl StatutoryRules {
    /// Labour Code 2019, Art. 112(1), with the given choices.
    pub fn labour_code_2019(options: LabourCodeOptions) -> Self {
        let national_day_offset = match options.national_day_adjacent {
            AdjacentDay::Before => -1,
            AdjacentDay::After => 0,
        };
        StatutoryRules {
            holidays: vec![
                HolidayRule::solar("Tết Dương lịch", "New Year's Day", 1, 1),
                HolidayRule::span(
                    "Tết Nguyên Đán",
                    "Lunar New Year",
                    DateKind::Lunar,
                    1,
                    1,
                    options.tet_start_offset,
                    5,
                ),
                HolidayRule::lunar("Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration Day", 3, 10),
                HolidayRule::solar("Ngày Chiến thắng", "Reunification Day", 4, 30),
                HolidayRule::solar("Ngày Quốc tế Lao động", "International Labour Day", 5, 1),
                HolidayRule::span(
                    "Quốc khánh",
                    "National Day",
                    DateKind::Solar,
                    9,
                    2,
                    national_day_offset,
                    2,
                ),
            ],
            compensate_weekends: true,
        }
    }

    /// These rules plus one more holiday.
    pub fn with_holiday(mut self, rule: HolidayRule) -> Self {
        self.holidays.push(rule);
        self
    }

    /// Checks every rule.
    pub fn validate(&self) -> Result<(), CalendarError> {
        self.holidays
            .iter()
            .enumerate()
            .try_for_each(|(i, rule)| rule.validate(i + 1))
    }

    /// Computes the holidays anchored in years `first - 1 ..= last + 1` and their compensation.
    pub(crate) fn plan(&self, first: i32, last: i32) -> StatutoryPlan {
        let mut occurrences = Vec::new();
        let mut holiday_of = BTreeMap::new();
        for (rule_index, rule) in self.holidays.iter().enumerate() {
            for anchor_year in first - 1..=last + 1 {
                let dates = rule.dates_for_anchor_year(anchor_year);
                for date in &dates {
                    holiday_of.entry(*date).or_insert(rule_index);
                }
                if !dates.is_empty() {
                    occurrences.push(Occurrence {
                        rule: rule_index,
                        dates,
                    });
                }
            }
        }
        let mut compensation_of = BTreeMap::new();
        if self.compensate_weekends {
            for (&date, &rule_index) in &holiday_of {
                if !is_weekend(date) {
                    continue;
                }
                let replacement = date
                    .iter_days()
                    .skip(1)
                    .find(|d| !is_weekend(*d) && !holiday_of.contains_key(d) && !compensation_of.contains_key(d));
                if let Some(day) = replacement {
                    compensation_of.insert(day, rule_index);
                }
            }
        }
        StatutoryPlan {
            occurrences,
            holiday_of,
            compensation_of,
        }
    }
}

/// The consecutive days off of one rule in one anchor year.
#[derive(Debug, Clone)]
pub(crate) struct Occurrence {
    pub rule: usize,
    pub dates: Vec<NaiveDate>,
}

/// Statutory holidays over a range of years.
#[derive(Debug, Clone)]
pub(crate) struct StatutoryPlan {
    pub occurrences: Vec<Occurrence>,
    /// Every statutory holiday date (weekends included) → index of the (first) rule.
    pub holiday_of: BTreeMap<NaiveDate, usize>,
    /// Compensatory weekday → index of the rule of the weekend holiday it replaces.
    pub compensation_of: BTreeMap<NaiveDate, usize>,
}

pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}
