//! Errors of the calendar module, worded in Vietnamese and English.

use chrono::{Datelike, NaiveDate, Weekday};

/// Which list of a year of the official schedule an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleField {
    DaysOff,
    WorkingDays,
}

impl ScheduleField {
    /// The TOML key.
    pub fn key(self) -> &'static str {
        match self {
            ScheduleField::DaysOff => "days_off",
            ScheduleField::WorkingDays => "working_days",
        }
    }
}

impl std::fmt::Display for ScheduleField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Everything that can go wrong when building a calendar or converting lunar dates.
///
/// `Display` gives the Vietnamese message, " / ", then the English one; [`message_vi`] and
/// [`message_en`] give each language alone.
///
/// [`message_vi`]: CalendarError::message_vi
/// [`message_en`]: CalendarError::message_en
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} / {}", self.message_vi(), self.message_en())]
pub enum CalendarError {
    /// The official schedule is not valid TOML.
    TomlSyntax { detail: String },
    /// A key that the schedule format does not know (`path` is e.g. `years.2026.day_off`).
    UnknownKey { path: String },
    /// A value of the wrong TOML type (`expected` is an English type name, e.g. "array").
    WrongType { path: String, expected: &'static str },
    /// A key under `[years]` that is not a year number.
    InvalidYearKey { key: String },
    /// A year outside 1900–2100 (official schedule, lunar conversion).
    YearOutOfRange { year: i32 },
    /// An entry that is not a `YYYY-MM-DD` date (`position` counts from 1).
    InvalidDate {
        year: i32,
        field: ScheduleField,
        position: usize,
        value: String,
    },
    /// A date listed under another year.
    DateNotInYear {
        year: i32,
        field: ScheduleField,
        position: usize,
        date: NaiveDate,
    },
    /// A Saturday or Sunday in `days_off` (weekends are off anyway; list only weekdays).
    WeekendInDaysOff {
        year: i32,
        position: usize,
        date: NaiveDate,
    },
    /// A weekday in `working_days` (only weekend days can be make-up working days).
    WeekdayInWorkingDays {
        year: i32,
        position: usize,
        date: NaiveDate,
    },
    /// The same date twice in one list.
    DuplicateDate {
        year: i32,
        field: ScheduleField,
        date: NaiveDate,
    },
    /// A date both in `days_off` and `working_days`.
    BothOffAndWorking { year: i32, date: NaiveDate },
    /// A lunar year outside 1900–2100.
    LunarYearOutOfRange { year: i32 },
    /// A lunar date that does not exist.
    InvalidLunarDate {
        year: i32,
        month: u32,
        day: u32,
        leap: bool,
    },
    /// A statutory holiday rule that makes no sense (`position` counts from 1).
    InvalidRule {
        position: usize,
        name: String,
        problem_vi: String,
        problem_en: String,
    },
    /// Working hours that make no sense.
    InvalidWorkingHours { problem_vi: String, problem_en: String },
}

fn weekday_vi(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "thứ Hai",
        Weekday::Tue => "thứ Ba",
        Weekday::Wed => "thứ Tư",
        Weekday::Thu => "thứ Năm",
        Weekday::Fri => "thứ Sáu",
        Weekday::Sat => "thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

fn weekday_en(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn type_vi(expected: &str) -> &str {
    match expected {
        "array" => "một danh sách (array)",
        "table" => "một bảng (table)",
        "string" => "một chuỗi ngày \"YYYY-MM-DD\"",
        other => other,
    }
}

impl CalendarError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        use CalendarError::*;
        match self {
            TomlSyntax { detail } => {
                format!("Lịch nghỉ chính thức không đúng cú pháp TOML: {detail}")
            }
            UnknownKey { path } => format!(
                "Khóa không hợp lệ \"{path}\" trong lịch nghỉ chính thức (chỉ dùng [years.NĂM] với days_off và working_days)"
            ),
            WrongType { path, expected } => format!("\"{path}\" phải là {}", type_vi(expected)),
            InvalidYearKey { key } => {
                format!("\"years.{key}\": \"{key}\" không phải là một năm (ví dụ [years.2026])")
            }
            YearOutOfRange { year } => format!("Năm {year} nằm ngoài phạm vi hỗ trợ 1900–2100"),
            InvalidDate {
                year,
                field,
                position,
                value,
            } => format!(
                "Năm {year}, {field} mục thứ {position}: \"{value}\" không phải là ngày hợp lệ (định dạng YYYY-MM-DD)"
            ),
            DateNotInYear {
                year,
                field,
                position,
                date,
            } => format!("Năm {year}, {field} mục thứ {position}: ngày {date} không thuộc năm {year}"),
            WeekendInDaysOff { year, position, date } => format!(
                "Năm {year}, days_off mục thứ {position}: ngày {date} là {}; days_off chỉ liệt kê các ngày từ thứ Hai đến thứ Sáu (thứ Bảy, Chủ nhật vốn đã được nghỉ)",
                weekday_vi(*date)
            ),
            WeekdayInWorkingDays { year, position, date } => format!(
                "Năm {year}, working_days mục thứ {position}: ngày {date} là {}; working_days chỉ liệt kê thứ Bảy hoặc Chủ nhật đi làm bù",
                weekday_vi(*date)
            ),
            DuplicateDate { year, field, date } => {
                format!("Năm {year}, {field}: ngày {date} được liệt kê hai lần")
            }
            BothOffAndWorking { year, date } => {
                format!("Năm {year}: ngày {date} vừa nằm trong days_off vừa nằm trong working_days")
            }
            LunarYearOutOfRange { year } => {
                format!("Năm âm lịch {year} nằm ngoài phạm vi hỗ trợ 1900–2100")
            }
            InvalidLunarDate { year, month, day, leap } => format!(
                "Ngày âm lịch không tồn tại: ngày {day} tháng {month}{} năm {year}",
                if *leap { " nhuận" } else { "" }
            ),
            InvalidRule {
                position,
                name,
                problem_vi,
                ..
            } => {
                format!("Quy tắc ngày lễ thứ {position} (\"{name}\") không hợp lệ: {problem_vi}")
            }
            InvalidWorkingHours { problem_vi, .. } => {
                format!("Giờ làm việc không hợp lệ: {problem_vi}")
            }
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        use CalendarError::*;
        match self {
            TomlSyntax { detail } => {
                format!("The official holiday schedule is not valid TOML: {detail}")
            }
            UnknownKey { path } => format!(
                "Unknown key \"{path}\" in the official holiday schedule (only [years.YEAR] with days_off and working_days)"
            ),
            WrongType { path, expected } => format!("\"{path}\" must be a {expected}"),
            InvalidYearKey { key } => {
                format!("\"years.{key}\": \"{key}\" is not a year (e.g. [years.2026])")
            }
            YearOutOfRange { year } => {
                format!("Year {year} is outside the supported range 1900–2100")
            }
            InvalidDate {
                year,
                field,
                position,
                value,
            } => {
                format!("Year {year}, {field} entry #{position}: \"{value}\" is not a valid date (expected YYYY-MM-DD)")
            }
            DateNotInYear {
                year,
                field,
                position,
                date,
            } => format!("Year {year}, {field} entry #{position}: {date} is not in {year}"),
            WeekendInDaysOff { year, position, date } => format!(
                "Year {year}, days_off entry #{position}: {date} is a {}; days_off lists Monday–Friday dates only (weekends are off anyway)",
                weekday_en(*date)
            ),
            WeekdayInWorkingDays { year, position, date } => format!(
                "Year {year}, working_days entry #{position}: {date} is a {}; working_days lists only Saturdays or Sundays worked in exchange",
                weekday_en(*date)
            ),
            DuplicateDate { year, field, date } => {
                format!("Year {year}, {field}: {date} is listed twice")
            }
            BothOffAndWorking { year, date } => {
                format!("Year {year}: {date} is both in days_off and in working_days")
            }
            LunarYearOutOfRange { year } => {
                format!("Lunar year {year} is outside the supported range 1900–2100")
            }
            InvalidLunarDate { year, month, day, leap } => format!(
                "No such lunar date: day {day} of {}month {month} of {year}",
                if *leap { "leap " } else { "" }
            ),
            InvalidRule {
                position,
                name,
                problem_en,
                ..
            } => {
                format!("Holiday rule #{position} (\"{name}\") is invalid: {problem_en}")
            }
            InvalidWorkingHours { problem_en, .. } => {
                format!("Invalid working hours: {problem_en}")
            }
        }
    }
}
