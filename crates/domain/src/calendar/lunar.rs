//! Vietnamese lunar calendar (âm lịch), computed astronomically.
//!
//! This is Hồ Ngọc Đức's algorithm ("Thuật toán tính âm lịch"), the one behind the Vietnamese
//! calendars in common use:
//!
//! * new moons from Jean Meeus, *Astronomical Algorithms* (truncated series, with a ΔT term);
//! * the sun's apparent longitude from Meeus' low-precision formula;
//! * a lunar month starts on the civil day (in **UTC+7**) that contains the new moon;
//! * month 11 is the month containing the winter solstice; when there are 13 new moons between
//!   two months 11, the first month after month 11 that contains no major solar term (trung khí)
//!   is the leap month, and takes the number of the month before it.
//!
//! Days are handled as Julian Day Numbers (JDN: whole days, noon-based). The time zone is a
//! parameter of the private functions so that the tests can show why Vietnam and China (UTC+8)
//! sometimes disagree (Tết 1985, 2007).
//!
//! The public functions accept years [`MIN_YEAR`]..=[`MAX_YEAR`] (1900–2100). The formulas are
//! smooth and work a little outside that range too (the calendar module uses lunar years 1899
//! and 2101 to handle the edges of the range), but nothing outside is promised.

use std::f64::consts::PI;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;

/// First year supported by the public lunar functions (and by the statutory rules).
pub const MIN_YEAR: i32 = 1900;
/// Last year supported by the public lunar functions (and by the statutory rules).
pub const MAX_YEAR: i32 = 2100;

/// Vietnam's time zone (Indochina Time), in hours east of UTC.
pub(crate) const VIETNAM_TZ: f64 = 7.0;

/// JDN of 1900-01-01 minus a fraction: the epoch of Meeus' lunation number k = 0 (new moon of
/// 1900-01-01 13:52 UT) as used by Hồ Ngọc Đức.
const EPOCH_NEW_MOON: f64 = 2_415_021.076_998_695;
/// Mean length of a synodic month in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;

/// A date of the Vietnamese lunar calendar.
///
/// `year` is the lunar year that starts at Tết (mùng 1 tháng Giêng); `month` is 1..=12 and
/// `leap` marks a leap month (tháng nhuận), which repeats the number of the month before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LunarDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    #[serde(default)]
    pub leap: bool,
}

impl LunarDate {
    /// A checked lunar date: the month must exist (a leap month only in the year that has it)
    /// and the day must be within the month's length (29 or 30 days).
    pub fn new(year: i32, month: u32, day: u32, leap: bool) -> Result<Self, CalendarError> {
        let date = LunarDate { year, month, day, leap };
        date.to_solar()?;
        Ok(date)
    }

    /// The Gregorian date of this lunar date.
    pub fn to_solar(&self) -> Result<NaiveDate, CalendarError> {
        lunar_to_solar(self.year, self.month, self.day, self.leap)
    }

    /// The lunar date of a Gregorian date.
    pub fn from_solar(date: NaiveDate) -> Result<Self, CalendarError> {
        solar_to_lunar(date)
    }
}

impl std::fmt::Display for LunarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}{}/{}",
            self.day,
            self.month,
            if self.leap { "n" } else { "" },
            self.year
        )
    }
}

/// Converts a Vietnamese lunar date to the Gregorian date (lunar years 1900–2100, plus the end of
/// lunar year 1899 that falls in January 1900).
///
/// Errors: year out of range, month not in 1..=12, `leap` on a month that is not the leap month
/// of that year, day 0 or beyond the month's length.
pub fn lunar_to_solar(year: i32, month: u32, day: u32, leap: bool) -> Result<NaiveDate, CalendarError> {
    // Lunar year 1899 is accepted for its last weeks, which are Gregorian January 1900, so that
    // every date `solar_to_lunar` returns converts back.
    if !(MIN_YEAR - 1..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::LunarYearOutOfRange { year });
    }
    let invalid = || CalendarError::InvalidLunarDate { year, month, day, leap };
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return Err(invalid());
    }
    let start = month_start_jdn(year, month, leap, VIETNAM_TZ).ok_or_else(invalid)?;
    let length = month_length_at(start, VIETNAM_TZ);
    if i64::from(day) > length {
        return Err(invalid());
    }
    let date = jdn_to_date(start + i64::from(day) - 1).ok_or_else(invalid)?;
    if year < MIN_YEAR && date.year() < MIN_YEAR {
        return Err(CalendarError::LunarYearOutOfRange { year });
    }
    Ok(date)
}

/// Converts a Gregorian date (years 1900–2100) to the Vietnamese lunar date.
///
/// Note that dates in January/February before Tết belong to the previous lunar year.
pub fn solar_to_lunar(date: NaiveDate) -> Result<LunarDate, CalendarError> {
    check_year(date.year())?;
    Ok(solar_to_lunar_tz(date_to_jdn(date), VIETNAM_TZ))
}

/// The leap month (tháng nhuận) of a lunar year, if it has one (`Ok(None)` for a 12-month year).
pub fn leap_month(year: i32) -> Result<Option<u32>, CalendarError> {
    check_year(year)?;
    Ok(leap_month_tz(year, VIETNAM_TZ))
}

/// The length (29 or 30 days) of a lunar month.
pub fn lunar_month_length(year: i32, month: u32, leap: bool) -> Result<u32, CalendarError> {
    let start = lunar_to_solar(year, month, 1, leap)?;
    let length = month_length_at(date_to_jdn(start), VIETNAM_TZ);
    Ok(u32::try_from(length).unwrap_or(30))
}

/// Tết Nguyên Đán: the Gregorian date of mùng 1 tháng Giêng of a lunar year.
pub fn lunar_new_year(year: i32) -> Result<NaiveDate, CalendarError> {
    lunar_to_solar(year, 1, 1, false)
}

fn check_year(year: i32) -> Result<(), CalendarError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(CalendarError::LunarYearOutOfRange { year })
    }
}

// ---------------------------------------------------------------------------------------------
// Julian Day Numbers

/// `num_days_from_ce` counts 0001-01-01 as day 1; its JDN is 1 721 426.
const CE_TO_JDN: i64 = 1_721_425;

pub(crate) fn date_to_jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + CE_TO_JDN
}

pub(crate) fn jdn_to_date(jdn: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jdn - CE_TO_JDN).ok()?)
}

// ---------------------------------------------------------------------------------------------
// Astronomy (Meeus)

/// Julian Ephemeris Day of the k-th new moon after the new moon of 1900-01-01 (k may be < 0).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries from 1900-01-01 12:00
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    // Sun's mean anomaly, Moon's mean anomaly, Moon's argument of latitude.
    let m = 359.224_2 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.025_3 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.296_4 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// Sun's apparent longitude in radians, in [0, 2π), at the Julian Day `jd` (UT).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0; // Julian centuries from J2000.0
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// JDN of the civil day (in time zone `tz`) containing the k-th new moon.
fn new_moon_day(k: i64, tz: f64) -> i64 {
    (new_moon(k) + 0.5 + tz / 24.0).floor() as i64
}

/// Which of the 12 major solar terms' 30° sectors the sun is in at the start of civil day `jdn`
/// (0 = from the March equinox; 9 = from the winter solstice).
fn sun_sector(jdn: i64, tz: f64) -> i64 {
    (sun_longitude(jdn as f64 - 0.5 - tz / 24.0) / PI * 6.0).floor() as i64
}

/// JDN of the first day of lunar month 11 that contains the winter solstice of Gregorian year
/// `year` (the month 11 "belonging" to that year).
fn lunar_month_11(year: i32, tz: f64) -> i64 {
    let dec31 = date_to_jdn(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX));
    let off = dec31 - 2_415_021;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k, tz);
    // If the sun is already past 270° at that new moon, the solstice month started earlier.
    if sun_sector(nm, tz) >= 9 {
        new_moon_day(k - 1, tz)
    } else {
        nm
    }
}

/// Index (1..=13, counted from the month 11 starting at `a11`) of the leap month in a 13-month
/// lunar year: the first month whose start has the same major-term sector as the next month's
/// start, i.e. the first month without a major solar term.
fn leap_month_offset(a11: i64, tz: f64) -> i64 {
    let k = ((a11 as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i, tz), tz);
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i, tz), tz);
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// Lunar date of a JDN.
fn solar_to_lunar_tz(day_number: i64, tz: f64) -> LunarDate {
    // The lunation estimate from the mean month can be off by one either way (the true new moon
    // wanders up to ~14 h around the mean one), so search for the new moon day at or before
    // `day_number` rather than trusting it. (Hồ Ngọc Đức's original tries only k+1 and k, and
    // returns day 0 for 2054-05-07 and 2062-04-09.)
    let mut k = ((day_number as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH).floor() as i64;
    while new_moon_day(k + 1, tz) <= day_number {
        k += 1;
    }
    while new_moon_day(k, tz) > day_number {
        k -= 1;
    }
    let month_start = new_moon_day(k, tz);
    let gregorian_year = jdn_to_date(day_number).map_or(MIN_YEAR, |d| d.year());
    let mut a11 = lunar_month_11(gregorian_year, tz);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = gregorian_year;
        a11 = lunar_month_11(gregorian_year - 1, tz);
    } else {
        lunar_year = gregorian_year + 1;
        b11 = lunar_month_11(gregorian_year + 1, tz);
    }
    let day = day_number - month_start + 1;
    let diff = ((month_start - a11) as f64 / 29.0).floor() as i64;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11, tz);
        if diff >= leap_diff {
            month = diff + 10;
            if diff == leap_diff {
                leap = true;
            }
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        year: lunar_year,
        month: month as u32,
        day: day as u32,
        leap,
    }
}

/// JDN of the first day of a lunar month, or `None` if `leap` is set on a month that is not the
/// year's leap month. No range check on `year`.
fn month_start_jdn(year: i32, month: u32, leap: bool, tz: f64) -> Option<i64> {
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1, tz), lunar_month_11(year, tz))
    } else {
        (lunar_month_11(year, tz), lunar_month_11(year + 1, tz))
    };
    let k = (0.5 + (a11 as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH).floor() as i64;
    let mut off = i64::from(month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11, tz);
        if leap && i64::from(month) != leap_number(leap_off) {
            return None;
        }
        if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return None;
    }
    Some(new_moon_day(k + off, tz))
}

/// Length of the lunar month starting on `start` (a new-moon day): the distance to the next one.
fn month_length_at(start: i64, tz: f64) -> i64 {
    let k = ((start as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH + 0.5).floor() as i64;
    // `k` is the lunation starting at `start` (or a neighbour if rounding is off by one); find
    // the first new-moon day strictly after `start`.
    (k..k + 3)
        .map(|i| new_moon_day(i, tz))
        .find(|&d| d > start)
        .unwrap_or(start + 30)
        - start
}

/// Number (1..=12) of the leap month found at offset `leap_off` from month 11: it repeats the
/// number of the month before it (offset 1 → leap 11, offset 2 → leap 12, offset 3 → leap 1…).
fn leap_number(leap_off: i64) -> i64 {
    (leap_off - 2 - 1).rem_euclid(12) + 1
}

/// Leap month number of a lunar year (no range check).
fn leap_month_tz(year: i32, tz: f64) -> Option<u32> {
    // Between month 11 of Gregorian year y-1 and month 11 of y lie months 11 and 12 of lunar
    // year y-1, then months 1..=10 of lunar year y. So a leap month 1..=10 of lunar year `year`
    // comes from the (year-1 → year) cycle and a leap 11 or 12 from the (year → year+1) cycle.
    let leap_in_cycle = |from: i32| {
        let a11 = lunar_month_11(from, tz);
        let b11 = lunar_month_11(from + 1, tz);
        (b11 - a11 > 365).then(|| leap_number(leap_month_offset(a11, tz)))
    };
    if let Some(m) = leap_in_cycle(year - 1).filter(|m| (1..=10).contains(m)) {
        return Some(m as u32);
    }
    leap_in_cycle(year).filter(|m| *m >= 11).map(|m| m as u32)
}

/// Gregorian date of a lunar date without range checks, clamping the day to the month's
/// length (used by the holiday rules; `None` if even that fails).
pub(crate) fn lunar_to_solar_clamped(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let start = month_start_jdn(year, month, false, VIETNAM_TZ)?;
    let length = month_length_at(start, VIETNAM_TZ);
    let day = i64::from(day).clamp(1, length);
    jdn_to_date(start + day - 1)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Access to the time-zone-parametrised functions for the tests.
    use super::*;

    pub fn lunar_to_solar_in_zone(year: i32, month: u32, day: u32, leap: bool, tz: f64) -> Option<NaiveDate> {
        let start = month_start_jdn(year, month, leap, tz)?;
        jdn_to_date(start + i64::from(day) - 1)
    }

    pub fn leap_month_in_zone(year: i32, tz: f64) -> Option<u32> {
        leap_month_tz(year, tz)
    }
}
