//! Working-day calendar of Vietnamese state agencies (lịch làm việc của cơ quan nhà nước).
//!
//! # Design
//!
//! A day is a working day unless it is a Saturday or Sunday, or a weekday day off; a weekend
//! day can be a make-up working day (làm bù). Where the days off come from depends on the year:
//!
//! * **Official schedule** ([`OfficialSchedule`], the format of `data/holidays.toml`): for a
//!   year listed there, the weekdays off and make-up days are exactly the listed ones. The
//!   Government's yearly announcement decides which days of Tết, swaps and make-up Saturdays
//!   apply, and these do not follow any simple rule.
//! * **Statutory rules** ([`StatutoryRules`], Labour Code 2019 Art. 112, as data): for the other
//!   years of 1900–2100. Lunar dates come from [`lunar`], an astronomical computation for UTC+7
//!   (Hồ Ngọc Đức's algorithm), not from tables. A holiday on a weekend gives a compensatory day
//!   off (nghỉ bù) on the next weekday that is not a holiday or another compensatory day. Two
//!   holidays on the same date (Giỗ Tổ on 30/4 in 1947) give one day off.
//! * Outside 1900–2100 only weekends are days off (official schedules are limited to that range).
//!
//! [`Calendar::new`] computes every year 1900–2100 up front (a bitmap of working days plus the
//! list of days off with reasons per year; measured ~5 ms optimised, ~60 ms unoptimised) and
//! shares it behind an `Arc`: a `Calendar` is immutable, cheap to clone, `Send + Sync`, and
//! queries are bit tests. [`Calendar::shipped`] is built once per process. Reasons of official days off are derived by matching each day against that year's
//! statutory holidays: a holiday itself, a compensatory day (nghỉ bù), a day of a holiday span
//! the Government placed differently (e.g. Tết 2025 from 28 tháng Chạp), or a swapped day
//! (nghỉ hoán đổi) bridging a holiday.
//!
//! # Time
//!
//! Times are `NaiveDateTime` in Vietnam local time (UTC+7, no DST). Working time is the same on
//! every working day ([`WorkingHours`], default 08:00–17:00, optional lunch break), each period
//! half-open `[start, end)`.
//!
//! * [`Calendar::add_working_days`] keeps the time of day, after moving a `from` outside working
//!   time to the start of the next working period.
//! * [`Calendar::add_working_minutes`] returns the *earliest* instant at which that much working
//!   time has elapsed, so a deadline that uses up a day exactly is 17:00 that day (or the start
//!   of the lunch break), not 08:00 the next day. Negative amounts go backwards (the *latest*
//!   instant). Zero returns `from` unchanged.
//! * [`Calendar::deadline`] with [`TimeUnit::Days`] / [`TimeUnit::Months`] counts calendar
//!   time from the day after `from` (Civil Code 2015, Art. 147–148) and ends at the **end of
//!   working hours** (17:00) of the last day; if that day is not a working day, at the end of
//!   the next working day.
//!
//! Results that would fall beyond chrono's range saturate at `NaiveDateTime::MAX`/`MIN`.

pub mod error;
pub mod hours;
pub mod lunar;
pub mod overrides;
pub mod rules;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

pub use error::{CalendarError, ScheduleField};
pub use hours::{LunchBreak, WorkingHours};
pub use lunar::{LunarDate, leap_month, lunar_month_length, lunar_new_year, lunar_to_solar, solar_to_lunar};
pub use overrides::{OfficialSchedule, OfficialYear};
pub use rules::{AdjacentDay, DateKind, HolidayRule, LabourCodeOptions, StatutoryRules};

use lunar::{MAX_YEAR, MIN_YEAR};
use rules::{StatutoryPlan, is_weekend};

/// The official schedule shipped with citygov (2025, 2026), with its sources in comments.
pub const SHIPPED_HOLIDAYS_TOML: &str = include_str!("../../data/holidays.toml");

/// Unit of a legal time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Working days (ngày làm việc): keeps the time of day.
    WorkingDays,
    /// Working hours (giờ làm việc): only working time counts.
    WorkingHours,
    /// Calendar days (ngày): ends at the end of working hours of the last day (rolled forward to
    /// a working day).
    Days,
    /// Calendar months (tháng): same day of the month (or the month's last day), end of working
    /// hours, rolled forward to a working day.
    Months,
    /// Within the day (trong ngày): the end of the same working day, or of the next working
    /// day when received after the same-day cut-off (15:00 by default) or on a day off.
    SameDay,
}

impl TimeUnit {
    /// The unit as written in Vietnamese procedure texts.
    pub fn label_vi(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "ngày làm việc",
            TimeUnit::WorkingHours => "giờ làm việc",
            TimeUnit::Days => "ngày",
            TimeUnit::Months => "tháng",
            TimeUnit::SameDay => "trong ngày",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "working days",
            TimeUnit::WorkingHours => "working hours",
            TimeUnit::Days => "days",
            TimeUnit::Months => "months",
            TimeUnit::SameDay => "within the day",
        }
    }
}

/// Where a day off comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOffSource {
    /// The year's official schedule.
    Official,
    /// Computed from the statutory rules.
    Statutory,
}

/// A weekday (Mon–Fri) on which the offices are closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOff {
    pub date: NaiveDate,
    pub reason_vi: String,
    pub reason_en: String,
    pub source: DayOffSource,
}

/// Everything a [`Calendar`] is built from. Every field has a serde default (no official
/// schedule, Labour Code rules, 08:00–17:00).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarConfig {
    #[serde(default)]
    pub overrides: Option<OfficialSchedule>,
    #[serde(default)]
    pub rules: StatutoryRules,
    #[serde(default)]
    pub hours: WorkingHours,
}

impl CalendarConfig {
    /// The shipped official schedule, default rules and hours.
    pub fn shipped() -> Self {
        CalendarConfig {
            overrides: Some(OfficialSchedule::shipped()),
            rules: StatutoryRules::default(),
            hours: WorkingHours::default(),
        }
    }

    /// No official schedule: every year from the statutory rules.
    pub fn statutory_only() -> Self {
        CalendarConfig {
            overrides: None,
            rules: StatutoryRules::default(),
            hours: WorkingHours::default(),
        }
    }
}

/// The working-day calendar. Immutable; clones share the precomputed data.
#[derive(Clone)]
pub struct Calendar {
    inner: Arc<Inner>,
}

struct Inner {
    config: CalendarConfig,
    /// Working periods of a working day, in order.
    periods: Vec<(NaiveTime, NaiveTime)>,
    day_length: TimeDelta,
    /// Years MIN_YEAR..=MAX_YEAR.
    years: Vec<YearInfo>,
}

struct YearInfo {
    /// Bit `ordinal0` set = working day.
    working: [u64; 6],
    days_off: Vec<DayOff>,
    makeup: Vec<NaiveDate>,
    official: bool,
}

impl std::fmt::Debug for Calendar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let official: Vec<i32> = self
            .inner
            .config
            .overrides
            .iter()
            .flat_map(|o| o.years().map(|(y, _)| y))
            .collect();
        f.debug_struct("Calendar")
            .field("official_years", &official)
            .field("rules", &self.inner.config.rules.holidays.len())
            .field("hours", &self.inner.config.hours)
            .finish()
    }
}

/// Why a weekday is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Holiday(usize),
    Compensatory(usize),
    Swapped(usize),
    Other,
}

impl Calendar {
    /// Builds a calendar; fails if the rules or working hours are invalid.
    pub fn new(config: CalendarConfig) -> Result<Self, CalendarError> {
        config.rules.validate()?;
        config.hours.validate()?;
        let plan = config.rules.plan(MIN_YEAR, MAX_YEAR);

        // Pass 1: which days are working days (needed before reasons, which look at runs of
        // consecutive days off that may cross a year end).
        let mut years: Vec<YearInfo> = (MIN_YEAR..=MAX_YEAR)
            .map(|year| {
                let official = config.overrides.as_ref().and_then(|o| o.year(year));
                let (off, makeup): (BTreeSet<NaiveDate>, Vec<NaiveDate>) = match official {
                    Some(o) => (o.days_off.clone(), o.working_days.iter().copied().collect()),
                    None => {
                        let in_year = |d: &&NaiveDate| d.year() == year;
                        let holidays = plan.holiday_of.keys().filter(in_year).filter(|d| !is_weekend(**d));
                        let compensation = plan.compensation_of.keys().filter(in_year);
                        (holidays.chain(compensation).copied().collect(), Vec::new())
                    }
                };
                let mut working = [0u64; 6];
                for date in year_days(year) {
                    let is_working = (!is_weekend(date) && !off.contains(&date)) || makeup.contains(&date);
                    if is_working {
                        let bit = date.ordinal0() as usize;
                        working[bit / 64] |= 1 << (bit % 64);
                    }
                }
                YearInfo {
                    working,
                    days_off: Vec::new(),
                    makeup,
                    official: official.is_some(),
                }
            })
            .collect();

        // Pass 2: reasons.
        let is_working = |date: NaiveDate| working_in(&years, date);
        let labelled: Vec<Vec<DayOff>> = (MIN_YEAR..=MAX_YEAR)
            .map(|year| {
                let official = config.overrides.as_ref().and_then(|o| o.year(year));
                let (labels, source) = match official {
                    Some(o) => (
                        official_labels(year, &o.days_off, &plan, &is_working),
                        DayOffSource::Official,
                    ),
                    None => (statutory_labels(year, &plan), DayOffSource::Statutory),
                };
                labels
                    .into_iter()
                    .map(|(date, label)| {
                        let (reason_vi, reason_en) = reason_text(label, &config.rules);
                        DayOff {
                            date,
                            reason_vi,
                            reason_en,
                            source,
                        }
                    })
                    .collect()
            })
            .collect();
        for (info, days_off) in years.iter_mut().zip(labelled) {
            info.days_off = days_off;
        }

        let periods = config.hours.periods();
        let day_length = config.hours.daily_duration();
        Ok(Calendar {
            inner: Arc::new(Inner {
                config,
                periods,
                day_length,
                years,
            }),
        })
    }

    /// The shipped official schedule (`data/holidays.toml`) + default rules + default hours.
    /// Built once per process; later calls return a clone sharing the same data.
    pub fn shipped() -> Self {
        static SHIPPED: OnceLock<Calendar> = OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                Calendar::new(CalendarConfig::shipped()).expect("the shipped calendar configuration is valid")
            })
            .clone()
    }

    /// The configuration this calendar was built from.
    pub fn config(&self) -> &CalendarConfig {
        &self.inner.config
    }

    /// The working hours.
    pub fn hours(&self) -> &WorkingHours {
        &self.inner.config.hours
    }

    /// Whether the year's days off come from the official schedule.
    pub fn has_official_schedule(&self, year: i32) -> bool {
        self.year_info(year).is_some_and(|y| y.official)
    }

    /// Whether the offices work on that date.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        working_in(&self.inner.years, date)
    }

    /// Whether `t` is inside working hours of a working day.
    pub fn is_working_time(&self, t: NaiveDateTime) -> bool {
        self.is_working_day(t.date()) && self.inner.periods.iter().any(|(a, b)| *a <= t.time() && t.time() < *b)
    }

    /// Every weekday day off of the year, sorted (empty outside 1900–2100).
    pub fn holidays(&self, year: i32) -> Vec<DayOff> {
        self.year_info(year).map(|y| y.days_off.clone()).unwrap_or_default()
    }

    /// The weekday day off on `date`, if it is one.
    pub fn day_off(&self, date: NaiveDate) -> Option<DayOff> {
        let info = self.year_info(date.year())?;
        info.days_off
            .binary_search_by_key(&date, |d| d.date)
            .ok()
            .map(|i| info.days_off[i].clone())
    }

    /// The weekend days worked in exchange in that year (official schedules only), sorted.
    pub fn makeup_working_days(&self, year: i32) -> Vec<NaiveDate> {
        self.year_info(year).map(|y| y.makeup.clone()).unwrap_or_default()
    }

    /// The first working day strictly after `date` (saturates at `NaiveDate::MAX`).
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        self.nth_working_day_after(date, 1).unwrap_or(NaiveDate::MAX)
    }

    /// The last working day strictly before `date` (saturates at `NaiveDate::MIN`).
    pub fn previous_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        while let Some(p) = d.pred_opt() {
            if self.is_working_day(p) {
                return p;
            }
            d = p;
        }
        NaiveDate::MIN
    }

    /// Number of working days in `first..=last` (0 if `last < first`).
    pub fn count_working_days(&self, first: NaiveDate, last: NaiveDate) -> u64 {
        if last < first {
            return 0;
        }
        let mut total = 0;
        let mut cursor = first;
        loop {
            let year_end = year_end(cursor.year());
            if year_end >= last {
                return total + self.count_in_year(cursor, last);
            }
            total += self.count_in_year(cursor, year_end);
            match year_end.succ_opt() {
                Some(next) => cursor = next,
                None => return total,
            }
        }
    }

    /// `days` working days after `from`, at the same time of day. A `from` outside working
    /// time first moves to the start of the next working period (Saturday 10:00 → Monday
    /// 08:00, Monday 18:00 → Tuesday 08:00, Monday 07:00 → Monday 08:00); with `days = 0` that
    /// is the result.
    pub fn add_working_days(&self, from: NaiveDateTime, days: u32) -> NaiveDateTime {
        let start = self.next_working_instant(from);
        if days == 0 || start == NaiveDateTime::MAX {
            return start;
        }
        match self.nth_working_day_after(start.date(), u64::from(days)) {
            Some(date) => date.and_time(start.time()),
            None => NaiveDateTime::MAX,
        }
    }

    /// `days` working days before `from`, at the same time of day: the mirror of
    /// [`add_working_days`](Self::add_working_days). A `from` outside working time first moves
    /// back to the end of the previous working period (Saturday 10:00 → Friday 17:00, Monday
    /// 18:00 → Monday 17:00, Monday 07:00 → the Friday before at 17:00); with `days = 0` that is
    /// the result. A dossier last changed before `sub_working_days(now, 2)` has waited more
    /// than two working days.
    pub fn sub_working_days(&self, from: NaiveDateTime, days: u32) -> NaiveDateTime {
        let end = self.previous_working_instant(from);
        if days == 0 || end == NaiveDateTime::MIN {
            return end;
        }
        match self.nth_working_day_before(end.date(), u64::from(days)) {
            Some(date) => date.and_time(end.time()),
            None => NaiveDateTime::MIN,
        }
    }

    /// The earliest instant at which `minutes` of working time have elapsed since `from`
    /// (a deadline using up a working day exactly stays at its end, e.g. 17:00). Negative
    /// `minutes` go backwards (the latest instant that far before `from`); 0 returns `from`.
    pub fn add_working_minutes(&self, from: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        match TimeDelta::try_minutes(minutes) {
            Some(delta) => self.add_working_time(from, delta),
            None if minutes > 0 => NaiveDateTime::MAX,
            None => NaiveDateTime::MIN,
        }
    }

    /// [`add_working_minutes`](Self::add_working_minutes) with hours.
    pub fn add_working_hours(&self, from: NaiveDateTime, hours: i64) -> NaiveDateTime {
        match hours.checked_mul(60) {
            Some(minutes) => self.add_working_minutes(from, minutes),
            None if hours > 0 => NaiveDateTime::MAX,
            None => NaiveDateTime::MIN,
        }
    }

    /// Working time from `a` to `b` in whole minutes (rounded down); 0 if `b <= a`.
    ///
    /// To pause a legal clock: `remaining = working_minutes_between(pause, deadline)`, then on
    /// resumption `deadline = add_working_minutes(resume, remaining)`.
    pub fn working_minutes_between(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
        self.working_time_between(a, b).num_minutes()
    }

    /// A legal time limit of `value` `unit`s starting at `from` (see [`TimeUnit`] and the
    /// module documentation). For `Days`/`Months` with `value = 0` received after closing time,
    /// the deadline is the end of the next working day.
    pub fn deadline(&self, from: NaiveDateTime, value: u32, unit: TimeUnit) -> NaiveDateTime {
        match unit {
            TimeUnit::WorkingDays => self.add_working_days(from, value),
            TimeUnit::WorkingHours => self.add_working_hours(from, i64::from(value)),
            TimeUnit::Days => {
                let due = from.date().checked_add_signed(TimeDelta::days(i64::from(value)));
                self.end_of_working_day_from(from, due)
            }
            TimeUnit::Months => {
                let due = from.date().checked_add_months(Months::new(value));
                self.end_of_working_day_from(from, due)
            }
            TimeUnit::SameDay => {
                let hours = self.hours();
                let day = if self.is_working_day(from.date()) && from.time() < hours.same_day_cutoff {
                    from.date()
                } else {
                    self.next_working_day(from.date())
                };
                day.and_time(hours.end)
            }
        }
    }

    // -----------------------------------------------------------------------------------------

    fn year_info(&self, year: i32) -> Option<&YearInfo> {
        year_info_in(&self.inner.years, year)
    }

    /// End of working hours of `due` or the next working day (not before `from`).
    fn end_of_working_day_from(&self, from: NaiveDateTime, due: Option<NaiveDate>) -> NaiveDateTime {
        let Some(due) = due else {
            return NaiveDateTime::MAX;
        };
        let end = self.inner.config.hours.end;
        let day = if self.is_working_day(due) {
            Some(due)
        } else {
            self.nth_working_day_after(due, 1)
        };
        match day {
            Some(day) if day.and_time(end) >= from => day.and_time(end),
            Some(day) => self
                .nth_working_day_after(day, 1)
                .map_or(NaiveDateTime::MAX, |d| d.and_time(end)),
            None => NaiveDateTime::MAX,
        }
    }

    /// Working days in `first..=last`, both in the same year.
    fn count_in_year(&self, first: NaiveDate, last: NaiveDate) -> u64 {
        match self.year_info(first.year()) {
            Some(info) => {
                let (lo, hi) = (first.ordinal0() as usize, last.ordinal0() as usize);
                (0..6)
                    .map(|w| {
                        let word_lo = w * 64;
                        let word_hi = word_lo + 63;
                        if hi < word_lo || lo > word_hi {
                            return 0;
                        }
                        let from_bit = lo.max(word_lo) - word_lo;
                        let to_bit = hi.min(word_hi) - word_lo;
                        let width = to_bit - from_bit + 1;
                        let mask = if width == 64 {
                            u64::MAX
                        } else {
                            ((1u64 << width) - 1) << from_bit
                        };
                        u64::from((info.working[w] & mask).count_ones())
                    })
                    .sum()
            }
            None => weekdays_in(first, last),
        }
    }

    /// The `n`-th (n ≥ 1) working day strictly after `date`.
    fn nth_working_day_after(&self, date: NaiveDate, n: u64) -> Option<NaiveDate> {
        let mut n = n;
        let mut cursor = date.succ_opt()?;
        loop {
            let year_end = year_end(cursor.year());
            let available = self.count_in_year(cursor, year_end);
            if n > available {
                n -= available;
                cursor = year_end.succ_opt()?;
                continue;
            }
            for day in cursor.iter_days() {
                if self.is_working_day(day) {
                    n -= 1;
                    if n == 0 {
                        return Some(day);
                    }
                }
            }
        }
    }

    /// The `n`-th (n ≥ 1) working day strictly before `date`.
    fn nth_working_day_before(&self, date: NaiveDate, n: u64) -> Option<NaiveDate> {
        let mut n = n;
        let mut cursor = date.pred_opt()?;
        loop {
            let year_start = NaiveDate::from_ymd_opt(cursor.year(), 1, 1)?;
            let available = self.count_in_year(year_start, cursor);
            if n > available {
                n -= available;
                cursor = year_start.pred_opt()?;
                continue;
            }
            let mut day = cursor;
            loop {
                if self.is_working_day(day) {
                    n -= 1;
                    if n == 0 {
                        return Some(day);
                    }
                }
                day = day.pred_opt()?;
            }
        }
    }

    /// `t` itself if it is working time (or the end of a working period), else the end of the
    /// previous working period.
    fn previous_working_instant(&self, t: NaiveDateTime) -> NaiveDateTime {
        if self.is_working_day(t.date()) {
            for (a, b) in self.inner.periods.iter().rev() {
                if t.time() >= *a {
                    return if t.time() <= *b { t } else { t.date().and_time(*b) };
                }
            }
        }
        let last_end = self.inner.periods.last().map_or(NaiveTime::MIN, |p| p.1);
        match self.nth_working_day_before(t.date(), 1) {
            Some(day) => day.and_time(last_end),
            None => NaiveDateTime::MIN,
        }
    }

    /// `t` itself if it is working time, else the start of the next working period.
    fn next_working_instant(&self, t: NaiveDateTime) -> NaiveDateTime {
        if self.is_working_day(t.date()) {
            for (a, b) in &self.inner.periods {
                if t.time() < *b {
                    return if t.time() >= *a { t } else { t.date().and_time(*a) };
                }
            }
        }
        match self.nth_working_day_after(t.date(), 1) {
            Some(day) => day.and_time(self.inner.periods[0].0),
            None => NaiveDateTime::MAX,
        }
    }

    /// Working time of `date` within `[from, to)` (times of day; `None` = unbounded).
    fn working_time_in_day(&self, date: NaiveDate, from: Option<NaiveTime>, to: Option<NaiveTime>) -> TimeDelta {
        if !self.is_working_day(date) {
            return TimeDelta::zero();
        }
        self.inner
            .periods
            .iter()
            .map(|(a, b)| {
                let start = from.map_or(*a, |f| f.max(*a));
                let end = to.map_or(*b, |t| t.min(*b));
                if end > start { end - start } else { TimeDelta::zero() }
            })
            .sum()
    }

    fn working_time_between(&self, a: NaiveDateTime, b: NaiveDateTime) -> TimeDelta {
        if b <= a {
            return TimeDelta::zero();
        }
        if a.date() == b.date() {
            return self.working_time_in_day(a.date(), Some(a.time()), Some(b.time()));
        }
        let first = self.working_time_in_day(a.date(), Some(a.time()), None);
        let last = self.working_time_in_day(b.date(), None, Some(b.time()));
        let mut total = first + last;
        if let (Some(d1), Some(d2)) = (a.date().succ_opt(), b.date().pred_opt())
            && d1 <= d2
        {
            // Whole days, a year at a time so that the multiplication stays small.
            let mut cursor = d1;
            loop {
                let end = year_end(cursor.year()).min(d2);
                let count = self.count_in_year(cursor, end) as i32;
                total = total
                    .checked_add(&(self.inner.day_length * count))
                    .unwrap_or(TimeDelta::MAX);
                match end.succ_opt() {
                    Some(next) if end < d2 => cursor = next,
                    _ => break,
                }
            }
        }
        total
    }

    fn add_working_time(&self, from: NaiveDateTime, delta: TimeDelta) -> NaiveDateTime {
        if delta.is_zero() {
            from
        } else if delta > TimeDelta::zero() {
            self.add_forward(from, delta).unwrap_or(NaiveDateTime::MAX)
        } else {
            self.add_backward(from, -delta).unwrap_or(NaiveDateTime::MIN)
        }
    }

    /// Earliest instant with `remaining` (> 0) working time elapsed since `from`.
    fn add_forward(&self, from: NaiveDateTime, mut remaining: TimeDelta) -> Option<NaiveDateTime> {
        let periods = &self.inner.periods;
        let date = from.date();
        if self.is_working_day(date) {
            for (a, b) in periods {
                let start = from.time().max(*a);
                if start >= *b {
                    continue;
                }
                let available = *b - start;
                if remaining <= available {
                    return date.and_time(start).checked_add_signed(remaining);
                }
                remaining -= available;
            }
        }
        let mut cursor = date.succ_opt()?;
        loop {
            let year_end = year_end(cursor.year());
            let year_time = self.inner.day_length * self.count_in_year(cursor, year_end) as i32;
            if remaining > year_time {
                remaining -= year_time;
                cursor = year_end.succ_opt()?;
                continue;
            }
            for day in cursor.iter_days() {
                if !self.is_working_day(day) {
                    continue;
                }
                if remaining > self.inner.day_length {
                    remaining -= self.inner.day_length;
                    continue;
                }
                for (a, b) in periods {
                    let available = *b - *a;
                    if remaining <= available {
                        return day.and_time(*a).checked_add_signed(remaining);
                    }
                    remaining -= available;
                }
            }
        }
    }

    /// Latest instant with `remaining` (> 0) working time between it and `from`.
    fn add_backward(&self, from: NaiveDateTime, mut remaining: TimeDelta) -> Option<NaiveDateTime> {
        let periods = &self.inner.periods;
        let date = from.date();
        if self.is_working_day(date) {
            for (a, b) in periods.iter().rev() {
                let end = from.time().min(*b);
                if end <= *a {
                    continue;
                }
                let available = end - *a;
                if remaining <= available {
                    return date.and_time(end).checked_sub_signed(remaining);
                }
                remaining -= available;
            }
        }
        let mut cursor = date.pred_opt()?;
        loop {
            let year_start = NaiveDate::from_ymd_opt(cursor.year(), 1, 1)?;
            let year_time = self.inner.day_length * self.count_in_year(year_start, cursor) as i32;
            if remaining > year_time {
                remaining -= year_time;
                cursor = year_start.pred_opt()?;
                continue;
            }
            let mut day = cursor;
            loop {
                if self.is_working_day(day) {
                    if remaining > self.inner.day_length {
                        remaining -= self.inner.day_length;
                    } else {
                        for (a, b) in periods.iter().rev() {
                            let available = *b - *a;
                            if remaining <= available {
                                return day.and_time(*b).checked_sub_signed(remaining);
                            }
                            remaining -= available;
                        }
                    }
                }
                day = day.pred_opt()?;
            }
        }
    }
}

fn year_info_in(years: &[YearInfo], year: i32) -> Option<&YearInfo> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        years.get((year - MIN_YEAR) as usize)
    } else {
        None
    }
}

fn working_in(years: &[YearInfo], date: NaiveDate) -> bool {
    match year_info_in(years, date.year()) {
        Some(info) => {
            let bit = date.ordinal0() as usize;
            info.working[bit / 64] & (1 << (bit % 64)) != 0
        }
        None => !is_weekend(date),
    }
}

fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

fn year_days(year: i32) -> impl Iterator<Item = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    first
        .into_iter()
        .flat_map(move |f| f.iter_days().take_while(move |d| d.year() == year))
}

/// Number of Mondays–Fridays in `first..=last`.
fn weekdays_in(first: NaiveDate, last: NaiveDate) -> u64 {
    if last < first {
        return 0;
    }
    let days = (last - first).num_days() + 1;
    let full_weeks = days / 7;
    let rest = days % 7;
    let start = first.weekday().num_days_from_monday() as i64;
    let rest_weekdays = (0..rest).filter(|i| (start + full_weeks * 7 + i) % 7 < 5).count() as i64;
    (full_weeks * 5 + rest_weekdays) as u64
}

/// Labels of the weekday days off of a statutory year.
fn statutory_labels(year: i32, plan: &StatutoryPlan) -> Vec<(NaiveDate, Label)> {
    let mut labels = BTreeMap::new();
    for (date, rule) in &plan.holiday_of {
        if date.year() == year && !is_weekend(*date) {
            labels.insert(*date, Label::Holiday(*rule));
        }
    }
    for (date, rule) in &plan.compensation_of {
        if date.year() == year {
            labels.entry(*date).or_insert(Label::Compensatory(*rule));
        }
    }
    labels.into_iter().collect()
}

/// Labels of the days off of an official year, matched against the statutory holidays.
fn official_labels(
    year: i32,
    days_off: &BTreeSet<NaiveDate>,
    plan: &StatutoryPlan,
    is_working: &dyn Fn(NaiveDate) -> bool,
) -> Vec<(NaiveDate, Label)> {
    // The maximal run of consecutive non-working days containing `date` (empty if it works).
    let run_of = |date: NaiveDate| -> Vec<NaiveDate> {
        if is_working(date) {
            return Vec::new();
        }
        let mut first = date;
        while let Some(p) = first
            .pred_opt()
            .filter(|p| !is_working(*p) && (date - *p).num_days() < 62)
        {
            first = p;
        }
        first
            .iter_days()
            .take_while(|d| !is_working(*d) && (*d - date).num_days() < 62)
            .collect()
    };

    let mut labels: BTreeMap<NaiveDate, Label> = BTreeMap::new();
    // 1. The holidays themselves and the statutory compensatory days.
    for date in days_off {
        if let Some(rule) = plan.holiday_of.get(date) {
            labels.insert(*date, Label::Holiday(*rule));
        } else if let Some(rule) = plan.compensation_of.get(date) {
            labels.insert(*date, Label::Compensatory(*rule));
        }
    }
    // 2. A holiday placed differently by the Government (e.g. Tết 2025 = 28 Chạp – mùng 3):
    //    each occurrence is owed as many days as it has; the days it did not get (on a weekend,
    //    or a working day) are given to the unlabelled days off of its runs, nearest first.
    let window = |d: NaiveDate| d.year() >= year - 1 && d.year() <= year + 1;
    for occurrence in plan.occurrences.iter().filter(|o| o.dates.iter().any(|d| window(*d))) {
        let mut run_days: BTreeSet<NaiveDate> = BTreeSet::new();
        for date in &occurrence.dates {
            if !run_days.contains(date) {
                run_days.extend(run_of(*date));
            }
        }
        let rule = occurrence.rule;
        let given = run_days
            .iter()
            .filter(|d| matches!(labels.get(*d), Some(Label::Holiday(r) | Label::Compensatory(r)) if *r == rule))
            .count();
        let owed = occurrence.dates.len().saturating_sub(given);
        if owed == 0 {
            continue;
        }
        let distance = |d: NaiveDate| {
            occurrence
                .dates
                .iter()
                .map(|h| (d - *h).num_days().abs())
                .min()
                .unwrap_or(0)
        };
        let mut candidates: Vec<NaiveDate> = run_days
            .iter()
            .filter(|d| days_off.contains(*d) && !labels.contains_key(*d))
            .copied()
            .collect();
        candidates.sort_by_key(|d| (distance(*d), *d));
        for date in candidates.into_iter().take(owed) {
            labels.insert(date, Label::Holiday(rule));
        }
    }
    // 3. The rest: swapped days bridging a holiday (named after the nearest one), or other.
    for date in days_off {
        if labels.contains_key(date) {
            continue;
        }
        let nearest = run_of(*date)
            .into_iter()
            .filter_map(|d| plan.holiday_of.get(&d).map(|r| ((d - *date).num_days().abs(), *r)))
            .min();
        labels.insert(*date, nearest.map_or(Label::Other, |(_, rule)| Label::Swapped(rule)));
    }
    labels.into_iter().collect()
}

fn reason_text(label: Label, rules: &StatutoryRules) -> (String, String) {
    let name = |i: usize| {
        rules
            .holidays
            .get(i)
            .map_or(("?", "?"), |r| (r.name_vi.as_str(), r.name_en.as_str()))
    };
    match label {
        Label::Holiday(i) => {
            let (vi, en) = name(i);
            (vi.to_owned(), en.to_owned())
        }
        Label::Compensatory(i) => {
            let (vi, en) = name(i);
            (format!("Nghỉ bù {vi}"), format!("Compensatory day off ({en})"))
        }
        Label::Swapped(i) => {
            let (vi, en) = name(i);
            (format!("Nghỉ hoán đổi dịp {vi}"), format!("Swapped day off ({en})"))
        }
        Label::Other => ("Nghỉ theo lịch chính thức".to_owned(), "Official day off".to_owned()),
    }
}

// Compile-time guarantees callers rely on.
const _: () = {
    const fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    assert_send_sync_clone::<Calendar>();
};
