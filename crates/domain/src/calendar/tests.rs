//! Tests of the calendar. Expected values come from published calendars and announcements,
//! or are derived independently inside the test (weekday arithmetic by chrono), never from the
//! code under test.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::lunar::testing::{leap_month_in_zone, lunar_to_solar_in_zone};
use super::*;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn t(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn shipped() -> Calendar {
    Calendar::shipped()
}

fn statutory() -> Calendar {
    Calendar::new(CalendarConfig::statutory_only()).unwrap()
}

fn dates_off(calendar: &Calendar, year: i32) -> Vec<NaiveDate> {
    calendar.holidays(year).into_iter().map(|h| h.date).collect()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A small deterministic pseudo-random generator for property tests.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }

    fn instant(&mut self, first_year: i32, last_year: i32) -> NaiveDateTime {
        let start = d(&format!("{first_year}-01-01"));
        let span = (d(&format!("{last_year}-12-31")) - start).num_days() as u64 + 1;
        let date = start + chrono::TimeDelta::days(self.next(span) as i64);
        date.and_time(NaiveTime::MIN) + chrono::TimeDelta::minutes(self.next(24 * 60) as i64)
    }
}

// ----------------------------------------------------------------------------------------------
// Lunar calendar

#[test]
fn tet_falls_on_the_dates_of_the_vietnamese_calendar() {
    let cases = [
        (1900, "1900-01-31"),
        (1968, "1968-01-29"),
        (1985, "1985-01-21"),
        (2000, "2000-02-05"),
        (2007, "2007-02-17"),
        (2019, "2019-02-05"),
        (2020, "2020-01-25"),
        (2021, "2021-02-12"),
        (2022, "2022-02-01"),
        (2023, "2023-01-22"),
        (2024, "2024-02-10"),
        (2025, "2025-01-29"),
        (2026, "2026-02-17"),
        (2027, "2027-02-06"),
        // The brief said 2030-02-03, which is the Chinese date: the new moon is at 23:08 on
        // 2 February in Vietnam (00:08 on 3 February in China), so Tết Canh Tuất is 2/2/2030.
        (2030, "2030-02-02"),
        (2100, "2100-02-09"),
    ];
    for (year, expected) in cases {
        assert_eq!(lunar_new_year(year).unwrap(), d(expected), "Tết {year}");
        assert_eq!(
            solar_to_lunar(d(expected)).unwrap(),
            LunarDate {
                year,
                month: 1,
                day: 1,
                leap: false
            },
            "{expected} is mùng 1 Tết {year}"
        );
    }
}

#[test]
fn vietnam_and_china_disagree_on_tet_1968_1985_2007_and_2030_because_of_the_time_zone() {
    // Same algorithm at UTC+8 gives the Chinese New Year.
    assert_eq!(lunar_to_solar_in_zone(1985, 1, 1, false, 8.0), Some(d("1985-02-20")));
    assert_eq!(lunar_to_solar_in_zone(2007, 1, 1, false, 8.0), Some(d("2007-02-18")));
    assert_eq!(lunar_to_solar_in_zone(1968, 1, 1, false, 8.0), Some(d("1968-01-30")));
    assert_eq!(lunar_to_solar_in_zone(2030, 1, 1, false, 8.0), Some(d("2030-02-03")));
    assert_eq!(lunar_to_solar_in_zone(2025, 1, 1, false, 8.0), Some(d("2025-01-29")));
    assert_eq!(lunar_new_year(1985).unwrap(), d("1985-01-21"));
}

#[test]
fn hung_kings_day_is_the_tenth_day_of_the_third_lunar_month() {
    for (year, expected) in [
        (2022, "2022-04-10"),
        (2023, "2023-04-29"),
        (2024, "2024-04-18"),
        (2025, "2025-04-07"),
        (2026, "2026-04-26"),
    ] {
        assert_eq!(
            lunar_to_solar(year, 3, 10, false).unwrap(),
            d(expected),
            "Giỗ Tổ {year}"
        );
    }
}

#[test]
fn mid_autumn_and_other_lunar_dates_convert_both_ways() {
    assert_eq!(lunar_to_solar(2024, 8, 15, false).unwrap(), d("2024-09-17"));
    assert_eq!(lunar_to_solar(2025, 8, 15, false).unwrap(), d("2025-10-06"));
    // Dates before Tết belong to the previous lunar year.
    assert_eq!(
        solar_to_lunar(d("2026-02-16")).unwrap(),
        LunarDate {
            year: 2025,
            month: 12,
            day: 29,
            leap: false
        }
    );
    assert_eq!(
        solar_to_lunar(d("2025-01-28")).unwrap(),
        LunarDate {
            year: 2024,
            month: 12,
            day: 29,
            leap: false
        }
    );
    assert_eq!(solar_to_lunar(d("2025-01-27")).unwrap().day, 28);
}

#[test]
fn leap_months_match_the_published_calendars() {
    for (year, month) in [
        (2001, 4),
        (2004, 2),
        (2006, 7),
        (2009, 5),
        (2012, 4),
        (2014, 9),
        (2017, 6),
        (2020, 4),
        (2023, 2),
        (2025, 6),
        (2028, 5),
    ] {
        assert_eq!(leap_month(year).unwrap(), Some(month), "leap month of {year}");
    }
    for year in [2021, 2022, 2024, 2026, 2027] {
        assert_eq!(leap_month(year).unwrap(), None, "{year} has 12 months");
    }
}

#[test]
fn leap_month_2023_is_the_second_and_leap_month_2025_the_sixth() {
    assert_eq!(lunar_to_solar(2023, 2, 1, false).unwrap(), d("2023-02-20"));
    assert_eq!(lunar_to_solar(2023, 2, 1, true).unwrap(), d("2023-03-22"));
    assert_eq!(lunar_to_solar(2025, 6, 1, false).unwrap(), d("2025-06-25"));
    assert_eq!(lunar_to_solar(2025, 6, 1, true).unwrap(), d("2025-07-25"));
    assert_eq!(
        solar_to_lunar(d("2025-07-25")).unwrap(),
        LunarDate {
            year: 2025,
            month: 6,
            day: 1,
            leap: true
        }
    );
}

#[test]
fn impossible_lunar_dates_are_rejected_in_both_languages() {
    let err = lunar_to_solar(2025, 5, 1, true).unwrap_err();
    assert_eq!(
        err,
        CalendarError::InvalidLunarDate {
            year: 2025,
            month: 5,
            day: 1,
            leap: true
        }
    );
    assert!(err.message_vi().contains("tháng 5 nhuận"), "{}", err.message_vi());
    assert!(err.message_en().contains("leap month 5"), "{}", err.message_en());
    assert!(lunar_to_solar(2025, 13, 1, false).is_err());
    assert!(lunar_to_solar(2025, 1, 0, false).is_err());
    assert!(lunar_to_solar(2025, 1, 31, false).is_err());
    assert!(matches!(
        lunar_to_solar(1899, 1, 1, false),
        Err(CalendarError::LunarYearOutOfRange { year: 1899 })
    ));
    assert!(matches!(
        lunar_to_solar(2101, 1, 1, false),
        Err(CalendarError::LunarYearOutOfRange { year: 2101 })
    ));
    assert!(solar_to_lunar(d("2101-01-01")).is_err());
    // The 12th month of Giáp Thìn (2024) has 29 days: there is no 30 tháng Chạp.
    assert_eq!(lunar_month_length(2024, 12, false).unwrap(), 29);
    assert!(lunar_to_solar(2024, 12, 30, false).is_err());
    assert!(LunarDate::new(2024, 12, 29, false).is_ok());
}

#[test]
fn every_day_from_1900_to_2100_round_trips_and_lunar_days_follow_each_other() {
    // (This caught a day 0 on 2054-05-07 in the original algorithm.)
    let mut previous: Option<LunarDate> = None;
    let mut tet_count = 0;
    let mut leap_years = 0;
    for date in d("1900-01-01").iter_days().take_while(|x| x.year() <= 2100) {
        let lunar = solar_to_lunar(date).unwrap();
        assert_eq!(
            lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap).unwrap(),
            date,
            "{lunar}"
        );
        if let Some(p) = previous {
            if lunar.day == 1 {
                // A month ends after 29 or 30 days and the next month follows.
                assert!(p.day == 29 || p.day == 30, "{p} → {lunar}");
                let expected_next = if lunar.leap {
                    (p.year, p.month)
                } else if p.month == 12 {
                    (p.year + 1, 1)
                } else {
                    (p.year, p.month + 1)
                };
                assert_eq!((lunar.year, lunar.month), expected_next, "{p} → {lunar}");
                if lunar.month == 1 && !lunar.leap {
                    tet_count += 1;
                    // Tết is always between 21 January and 20 February.
                    assert!(date >= d(&format!("{}-01-21", date.year())), "{date}");
                    assert!(date <= d(&format!("{}-02-20", date.year())), "{date}");
                }
                if lunar.leap {
                    leap_years += 1;
                }
            } else {
                assert_eq!(
                    (lunar.year, lunar.month, lunar.leap, lunar.day),
                    (p.year, p.month, p.leap, p.day + 1)
                );
            }
        }
        previous = Some(lunar);
    }
    assert_eq!(tet_count, 201);
    // 7 leap months every 19 years: 201 years hold about 74.
    assert!((72..=76).contains(&leap_years), "{leap_years}");
}

#[test]
fn lunar_years_have_twelve_or_thirteen_months_of_twenty_nine_or_thirty_days() {
    for year in 1900..=2100 {
        let length = (lunar_new_year(year + 1)
            .ok()
            .unwrap_or_else(|| lunar_to_solar_in_zone(2101, 1, 1, false, 7.0).unwrap())
            - lunar_new_year(year).unwrap())
        .num_days();
        match leap_month(year).unwrap() {
            Some(_) => assert!((383..=385).contains(&length), "{year}: {length}"),
            None => assert!((353..=355).contains(&length), "{year}: {length}"),
        }
        assert_eq!(leap_month(year).unwrap(), leap_month_in_zone(year, 7.0));
    }
}

// ----------------------------------------------------------------------------------------------
// Statutory rules

/// The 11 statutory days of a Gregorian year under the default rules, built here from the
/// Labour Code text and the lunar conversion.
fn labour_code_days(year: i32) -> BTreeSet<NaiveDate> {
    let tet = lunar_new_year(year).unwrap();
    let mut days: BTreeSet<NaiveDate> = (-1..=3).map(|i| tet + chrono::TimeDelta::days(i)).collect();
    days.insert(d(&format!("{year}-01-01")));
    days.insert(lunar_to_solar(year, 3, 10, false).unwrap());
    days.insert(d(&format!("{year}-04-30")));
    days.insert(d(&format!("{year}-05-01")));
    days.insert(d(&format!("{year}-09-01")));
    days.insert(d(&format!("{year}-09-02")));
    days
}

#[test]
fn every_year_from_1900_to_2100_gets_exactly_its_statutory_days_off() {
    let calendar = statutory();
    let mut coinciding = 0;
    for year in 1900..=2100 {
        let statutory_days = labour_code_days(year);
        // 11 days, unless Giỗ Tổ falls on 30/4 or 1/5.
        if statutory_days.len() == 10 {
            coinciding += 1;
        }
        let off = calendar.holidays(year);
        assert_eq!(off.len(), statutory_days.len(), "{year}: {off:?}");
        let weekend_holidays = statutory_days.iter().filter(|x| is_weekend(**x)).count();
        let compensatory: Vec<_> = off.iter().filter(|h| h.reason_vi.starts_with("Nghỉ bù")).collect();
        assert_eq!(compensatory.len(), weekend_holidays, "{year}");
        for h in &off {
            assert_eq!(h.date.year(), year);
            assert!(!is_weekend(h.date), "{year}: {:?}", h);
            assert_eq!(h.source, DayOffSource::Statutory);
            assert!(!calendar.is_working_day(h.date));
            if !h.reason_vi.starts_with("Nghỉ bù") {
                assert!(statutory_days.contains(&h.date), "{year}: {:?}", h);
            }
        }
        for day in &statutory_days {
            assert!(!calendar.is_working_day(*day), "{day}");
        }
        assert!(calendar.makeup_working_days(year).is_empty());
        // All other weekdays are working days.
        let weekdays = year_days_of(year).filter(|x| !is_weekend(*x)).count() as u64;
        assert_eq!(
            calendar.count_working_days(d(&format!("{year}-01-01")), d(&format!("{year}-12-31"))),
            weekdays - off.len() as u64
        );
    }
    assert!(coinciding <= 10, "{coinciding}");
}

fn year_days_of(year: i32) -> impl Iterator<Item = NaiveDate> {
    d(&format!("{year}-01-01"))
        .iter_days()
        .take_while(move |x| x.year() == year)
}

#[test]
fn new_year_on_saturday_2028_is_compensated_on_monday_3_january() {
    assert_eq!(d("2028-01-01").weekday(), Weekday::Sat);
    let calendar = shipped();
    assert!(!calendar.is_working_day(d("2028-01-03")));
    let day = calendar.day_off(d("2028-01-03")).unwrap();
    assert_eq!(day.reason_vi, "Nghỉ bù Tết Dương lịch");
    assert_eq!(day.reason_en, "Compensatory day off (New Year's Day)");
    assert_eq!(day.source, DayOffSource::Statutory);
    assert!(calendar.is_working_day(d("2028-01-04")));
}

#[test]
fn reunification_and_labour_day_on_a_weekend_in_2022_are_compensated_on_2_and_3_may() {
    let calendar = shipped();
    let off = dates_off(&calendar, 2022);
    for day in ["2022-04-11", "2022-05-02", "2022-05-03"] {
        assert!(off.contains(&d(day)), "{day} in {off:?}");
    }
    assert!(calendar.is_working_day(d("2022-05-04")));
}

#[test]
fn a_compensatory_day_that_lands_on_another_holiday_moves_on_2023() {
    // Giỗ Tổ 2023 is Saturday 29/4 and 30/4 is a Sunday; Monday 1/5 is a holiday itself, so the
    // two compensatory days are Tuesday 2/5 and Wednesday 3/5 (as the Government announced).
    let calendar = statutory();
    let around: Vec<NaiveDate> = dates_off(&calendar, 2023)
        .into_iter()
        .filter(|x| x.month() == 4 || x.month() == 5)
        .collect();
    assert_eq!(around, vec![d("2023-05-01"), d("2023-05-02"), d("2023-05-03")]);
    assert_eq!(
        calendar.day_off(d("2023-05-02")).unwrap().reason_vi,
        "Nghỉ bù Giỗ Tổ Hùng Vương"
    );
    assert_eq!(
        calendar.day_off(d("2023-05-03")).unwrap().reason_vi,
        "Nghỉ bù Ngày Chiến thắng"
    );
}

#[test]
fn national_day_on_a_weekend_in_2029_gives_monday_and_tuesday_off() {
    assert_eq!(d("2029-09-02").weekday(), Weekday::Sun);
    let calendar = statutory();
    let september: Vec<NaiveDate> = dates_off(&calendar, 2029)
        .into_iter()
        .filter(|x| x.month() == 9)
        .collect();
    assert_eq!(september, vec![d("2029-09-03"), d("2029-09-04")]);
}

#[test]
fn tet_2027_starting_on_a_weekend_is_compensated_after_mung_4() {
    // Tết 2027 is Saturday 6/2: the days are Fri 5/2 – Tue 9/2, Sat/Sun compensated Wed/Thu.
    let calendar = statutory();
    let february: Vec<NaiveDate> = dates_off(&calendar, 2027)
        .into_iter()
        .filter(|x| x.month() == 2)
        .collect();
    assert_eq!(
        february,
        ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"]
            .map(d)
            .to_vec()
    );
    assert_eq!(calendar.day_off(d("2027-02-05")).unwrap().reason_en, "Lunar New Year");
    assert_eq!(
        calendar.day_off(d("2027-02-10")).unwrap().reason_en,
        "Compensatory day off (Lunar New Year)"
    );
    assert!(calendar.is_working_day(d("2027-02-12")));
}

#[test]
fn the_default_tet_rule_reproduces_2026_and_an_offset_of_minus_two_reproduces_2025() {
    let tet_days = |calendar: &Calendar, year: i32| -> Vec<NaiveDate> {
        calendar
            .holidays(year)
            .into_iter()
            .filter(|h| h.reason_en == "Lunar New Year")
            .map(|h| h.date)
            .collect()
    };
    let official = shipped();
    assert_eq!(tet_days(&statutory(), 2026), tet_days(&official, 2026));
    assert_eq!(
        tet_days(&official, 2026),
        ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"].map(d)
    );

    let options = LabourCodeOptions {
        tet_start_offset: -2,
        ..LabourCodeOptions::default()
    };
    let config = CalendarConfig {
        rules: StatutoryRules::labour_code_2019(options),
        ..CalendarConfig::statutory_only()
    };
    let shifted = Calendar::new(config).unwrap();
    assert_eq!(tet_days(&shifted, 2025), tet_days(&official, 2025));
    assert_eq!(
        tet_days(&official, 2025),
        ["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"].map(d)
    );
    // With the default rule, 2025 would have had Feb 1 (Saturday) compensated on Monday 3/2.
    assert!(!statutory().is_working_day(d("2025-02-03")));
    assert!(official.is_working_day(d("2025-02-03")));
}

#[test]
fn national_day_can_take_the_day_after_instead() {
    let options = LabourCodeOptions {
        national_day_adjacent: AdjacentDay::After,
        ..LabourCodeOptions::default()
    };
    let config = CalendarConfig {
        rules: StatutoryRules::labour_code_2019(options),
        ..CalendarConfig::statutory_only()
    };
    let calendar = Calendar::new(config).unwrap();
    let september: Vec<NaiveDate> = dates_off(&calendar, 2027)
        .into_iter()
        .filter(|x| x.month() == 9)
        .collect();
    assert_eq!(september, vec![d("2027-09-02"), d("2027-09-03")]);
    let default_september: Vec<NaiveDate> = dates_off(&statutory(), 2027)
        .into_iter()
        .filter(|x| x.month() == 9)
        .collect();
    assert_eq!(default_september, vec![d("2027-09-01"), d("2027-09-02")]);
}

#[test]
fn a_new_holiday_like_culture_day_24_11_is_added_by_configuration() {
    let mut config: CalendarConfig = toml::from_str(
        r#"
        [hours]
        start = "07:30"
        end = "16:30"
        "#,
    )
    .unwrap();
    assert_eq!(config.hours.start, hm(7, 30));
    assert_eq!(config.rules, StatutoryRules::default());
    let extra: HolidayRule = toml::from_str(
        r#"
        name_vi = "Ngày Văn hóa Việt Nam"
        name_en = "Vietnam Culture Day"
        calendar = "solar"
        month = 11
        day = 24
        "#,
    )
    .unwrap();
    config.rules = config.rules.with_holiday(extra);
    config.overrides = Some(OfficialSchedule::shipped());
    let calendar = Calendar::new(config).unwrap();
    // 24/11/2027 is a Wednesday: off. 2026 follows its official schedule, which lacks it.
    assert!(!calendar.is_working_day(d("2027-11-24")));
    assert_eq!(
        calendar.day_off(d("2027-11-24")).unwrap().reason_en,
        "Vietnam Culture Day"
    );
    assert!(calendar.is_working_day(d("2026-11-24")));
    // 24/11/2029 is a Saturday: compensated on Monday 26/11.
    assert!(!calendar.is_working_day(d("2029-11-26")));
    assert_eq!(calendar.holidays(2027).len(), 12);
}

#[test]
fn rules_are_data_that_round_trip_through_toml() {
    let rules = StatutoryRules::default();
    let text = toml::to_string(&rules).unwrap();
    assert!(text.contains("calendar = \"lunar\""), "{text}");
    let back: StatutoryRules = toml::from_str(&text).unwrap();
    assert_eq!(back, rules);
    let tet = &rules.holidays[1];
    assert_eq!(
        (tet.calendar, tet.month, tet.day, tet.start_offset, tet.days),
        (DateKind::Lunar, 1, 1, -1, 5)
    );
}

#[test]
fn invalid_rules_are_rejected_with_their_position() {
    let rules = StatutoryRules::default().with_holiday(HolidayRule::solar("Ngày sai", "Wrong day", 2, 30));
    let err = Calendar::new(CalendarConfig {
        rules,
        ..CalendarConfig::statutory_only()
    })
    .unwrap_err();
    assert!(matches!(err, CalendarError::InvalidRule { position: 7, .. }), "{err:?}");
    assert!(err.to_string().contains("Quy tắc ngày lễ thứ 7"), "{err}");
    assert!(err.to_string().contains("Holiday rule #7"), "{err}");
    let rules = StatutoryRules::default().with_holiday(HolidayRule::lunar("Rằm", "Full moon", 13, 15));
    assert!(
        Calendar::new(CalendarConfig {
            rules,
            ..CalendarConfig::statutory_only()
        })
        .is_err()
    );
}

// ----------------------------------------------------------------------------------------------
// Official schedule

#[test]
fn the_shipped_2025_and_2026_schedules_are_reproduced_exactly() {
    let calendar = shipped();
    let expected_2025 = [
        "2025-01-01",
        "2025-01-27",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-04-07",
        "2025-04-30",
        "2025-05-01",
        "2025-05-02",
        "2025-09-01",
        "2025-09-02",
    ]
    .map(d);
    let expected_2026 = [
        "2026-01-01",
        "2026-01-02",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
    ]
    .map(d);
    assert_eq!(dates_off(&calendar, 2025), expected_2025);
    assert_eq!(dates_off(&calendar, 2026), expected_2026);
    assert_eq!(calendar.makeup_working_days(2025), vec![d("2025-04-26")]);
    assert_eq!(
        calendar.makeup_working_days(2026),
        vec![d("2026-01-10"), d("2026-08-22")]
    );
    assert!(
        calendar
            .holidays(2026)
            .iter()
            .all(|h| h.source == DayOffSource::Official)
    );
    assert!(calendar.has_official_schedule(2026) && !calendar.has_official_schedule(2027));

    // Working days of the whole years: weekdays − days off + make-up Saturdays.
    for (year, off, makeup) in [(2025, 12u64, 1u64), (2026, 13, 2)] {
        let weekdays = year_days_of(year).filter(|x| !is_weekend(*x)).count() as u64;
        let total = calendar.count_working_days(d(&format!("{year}-01-01")), d(&format!("{year}-12-31")));
        assert_eq!(total, weekdays - off + makeup, "{year}");
    }
    // The make-up Saturdays are working days; other weekends are not.
    assert!(calendar.is_working_day(d("2026-01-10")));
    assert!(calendar.is_working_day(d("2026-08-22")));
    assert!(calendar.is_working_day(d("2025-04-26")));
    assert!(!calendar.is_working_day(d("2026-02-14")));
    assert!(!calendar.is_working_day(d("2026-01-03")));
    // 13/5 (Hải Phòng liberation day) is not a day off.
    assert!(calendar.is_working_day(d("2026-05-13")));
}

#[test]
fn official_days_off_get_reasons_from_the_statutory_holidays_of_the_year() {
    let calendar = shipped();
    let reason = |day: &str| {
        let off = calendar
            .day_off(d(day))
            .unwrap_or_else(|| panic!("{day} is not a day off"));
        (off.reason_vi, off.reason_en)
    };
    let pair = |vi: &str, en: &str| (vi.to_owned(), en.to_owned());
    assert_eq!(reason("2025-01-01"), pair("Tết Dương lịch", "New Year's Day"));
    // 28 tháng Chạp was one of the 5 Tết days in 2025.
    assert_eq!(reason("2025-01-27"), pair("Tết Nguyên Đán", "Lunar New Year"));
    assert_eq!(
        reason("2025-04-07"),
        pair("Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration Day")
    );
    assert_eq!(
        reason("2025-05-02"),
        pair(
            "Nghỉ hoán đổi dịp Ngày Quốc tế Lao động",
            "Swapped day off (International Labour Day)"
        )
    );
    assert_eq!(
        reason("2026-01-02"),
        pair("Nghỉ hoán đổi dịp Tết Dương lịch", "Swapped day off (New Year's Day)")
    );
    assert_eq!(
        reason("2026-04-27"),
        pair(
            "Nghỉ bù Giỗ Tổ Hùng Vương",
            "Compensatory day off (Hùng Kings' Commemoration Day)"
        )
    );
    assert_eq!(
        reason("2026-08-31"),
        pair("Nghỉ hoán đổi dịp Quốc khánh", "Swapped day off (National Day)")
    );
    assert_eq!(reason("2026-09-01"), pair("Quốc khánh", "National Day"));
    assert_eq!(reason("2026-04-30"), pair("Ngày Chiến thắng", "Reunification Day"));
    assert!(calendar.day_off(d("2026-02-14")).is_none(), "weekends are not listed");
}

#[test]
fn a_year_missing_from_the_file_follows_the_statutory_rules() {
    let calendar = shipped();
    assert_eq!(calendar.holidays(2027), statutory().holidays(2027));
    assert_eq!(calendar.holidays(2024), statutory().holidays(2024));
    assert!(
        calendar
            .holidays(2024)
            .iter()
            .all(|h| h.source == DayOffSource::Statutory)
    );
}

#[test]
fn the_schedule_accepts_toml_dates_and_serde_gives_the_same_checks() {
    let schedule = OfficialSchedule::parse_toml("[years.2027]\ndays_off = [2027-01-01, \"2027-02-08\"]\n").unwrap();
    let year = schedule.year(2027).unwrap();
    assert_eq!(
        year.days_off.iter().copied().collect::<Vec<_>>(),
        vec![d("2027-01-01"), d("2027-02-08")]
    );
    assert!(year.working_days.is_empty());

    let parsed: OfficialSchedule = toml::from_str(SHIPPED_HOLIDAYS_TOML).unwrap();
    assert_eq!(parsed, OfficialSchedule::shipped());
    let bad: Result<OfficialSchedule, _> = toml::from_str("[years.2026]\ndays_off = [\"2026-01-03\"]\n");
    let message = bad.unwrap_err().to_string();
    assert!(message.contains("2026-01-03 is a Saturday"), "{message}");
    // And back to TOML.
    let text = toml::to_string(&OfficialSchedule::shipped()).unwrap();
    assert_eq!(
        OfficialSchedule::parse_toml(&text).unwrap(),
        OfficialSchedule::shipped()
    );
}

fn parse_err(text: &str) -> CalendarError {
    OfficialSchedule::parse_toml(text).unwrap_err()
}

#[test]
fn schedule_errors_say_which_year_which_entry_and_why() {
    let err = parse_err("[years.2026]\ndays_off = [\"2026-01-01\", \"2026-13-01\"]\n");
    assert_eq!(
        err,
        CalendarError::InvalidDate {
            year: 2026,
            field: ScheduleField::DaysOff,
            position: 2,
            value: "2026-13-01".into()
        }
    );
    assert_eq!(
        err.message_en(),
        "Year 2026, days_off entry #2: \"2026-13-01\" is not a valid date (expected YYYY-MM-DD)"
    );
    assert_eq!(
        err.message_vi(),
        "Năm 2026, days_off mục thứ 2: \"2026-13-01\" không phải là ngày hợp lệ (định dạng YYYY-MM-DD)"
    );
    assert_eq!(err.to_string(), format!("{} / {}", err.message_vi(), err.message_en()));

    assert!(matches!(
        parse_err("[years.2026]\ndays_off = [\"2026-1-1\"]\n"),
        CalendarError::InvalidDate { .. }
    ));
    assert!(matches!(
        parse_err("[years.2026]\ndays_off = [20260101]\n"),
        CalendarError::InvalidDate { .. }
    ));
    assert_eq!(
        parse_err("[years.2026]\ndays_off = [\"2025-12-31\"]\n"),
        CalendarError::DateNotInYear {
            year: 2026,
            field: ScheduleField::DaysOff,
            position: 1,
            date: d("2025-12-31")
        }
    );
    let weekend = parse_err("[years.2026]\ndays_off = [\"2026-01-01\", \"2026-01-03\"]\n");
    assert_eq!(
        weekend,
        CalendarError::WeekendInDaysOff {
            year: 2026,
            position: 2,
            date: d("2026-01-03")
        }
    );
    assert!(weekend.message_vi().contains("thứ Bảy"), "{}", weekend.message_vi());
    let weekday = parse_err("[years.2026]\nworking_days = [\"2026-01-09\"]\n");
    assert_eq!(
        weekday,
        CalendarError::WeekdayInWorkingDays {
            year: 2026,
            position: 1,
            date: d("2026-01-09")
        }
    );
    assert!(weekday.message_en().contains("is a Friday"), "{}", weekday.message_en());
    assert_eq!(
        parse_err("[years.2026]\ndays_off = [\"2026-01-10\"]\nworking_days = [\"2026-01-10\"]\n"),
        CalendarError::BothOffAndWorking {
            year: 2026,
            date: d("2026-01-10")
        }
    );
    assert_eq!(
        parse_err("[years.2026]\ndays_off = [\"2026-01-01\", \"2026-01-01\"]\n"),
        CalendarError::DuplicateDate {
            year: 2026,
            field: ScheduleField::DaysOff,
            date: d("2026-01-01")
        }
    );
    assert_eq!(
        parse_err("[years.2026]\nday_off = [\"2026-01-01\"]\n"),
        CalendarError::UnknownKey {
            path: "years.2026.day_off".into()
        }
    );
    assert_eq!(
        parse_err("[year.2026]\n"),
        CalendarError::UnknownKey { path: "year".into() }
    );
    assert_eq!(
        parse_err("[years.abcd]\n"),
        CalendarError::InvalidYearKey { key: "abcd".into() }
    );
    assert_eq!(
        parse_err("[years.2101]\n"),
        CalendarError::YearOutOfRange { year: 2101 }
    );
    assert_eq!(
        parse_err("[years.2026]\ndays_off = \"2026-01-01\"\n"),
        CalendarError::WrongType {
            path: "years.2026.days_off".into(),
            expected: "array"
        }
    );
    let syntax = parse_err("[years.2026\n");
    assert!(matches!(syntax, CalendarError::TomlSyntax { .. }));
    assert!(
        syntax
            .message_vi()
            .starts_with("Lịch nghỉ chính thức không đúng cú pháp TOML")
    );
    // An empty schedule is valid.
    assert_eq!(OfficialSchedule::parse_toml("").unwrap(), OfficialSchedule::default());
}

// ----------------------------------------------------------------------------------------------
// Working time

#[test]
fn five_working_days_from_thursday_before_tet_2026_end_on_26_february() {
    assert_eq!(
        shipped().add_working_days(t("2026-02-12T09:00"), 5),
        t("2026-02-26T09:00")
    );
    assert_eq!(
        shipped().deadline(t("2026-02-12T09:00"), 5, TimeUnit::WorkingDays),
        t("2026-02-26T09:00")
    );
}

#[test]
fn a_start_outside_working_time_moves_to_the_next_working_period() {
    let calendar = shipped();
    // 2026-03-07 is a Saturday, 2026-03-09 a Monday.
    assert_eq!(
        calendar.add_working_days(t("2026-03-07T10:00"), 0),
        t("2026-03-09T08:00")
    );
    assert_eq!(
        calendar.add_working_days(t("2026-03-09T18:00"), 0),
        t("2026-03-10T08:00")
    );
    assert_eq!(
        calendar.add_working_days(t("2026-03-09T07:00"), 0),
        t("2026-03-09T08:00")
    );
    assert_eq!(
        calendar.add_working_days(t("2026-03-09T17:00"), 0),
        t("2026-03-10T08:00")
    );
    assert_eq!(
        calendar.add_working_days(t("2026-03-07T10:00"), 1),
        t("2026-03-10T08:00")
    );
    assert_eq!(
        calendar.add_working_days(t("2026-03-09T16:59"), 1),
        t("2026-03-10T16:59")
    );
    // Friday afternoon + 1 → Monday, same time.
    assert_eq!(
        calendar.add_working_days(t("2026-03-13T14:30"), 1),
        t("2026-03-16T14:30")
    );
}

#[test]
fn subtracting_working_days_mirrors_adding_them_across_tet_and_the_new_year() {
    let calendar = shipped();
    // Tue 24/2/2026, two working days back: Mon 23/2, then over Tết (16–20/2) to Fri 13/2.
    assert_eq!(
        calendar.sub_working_days(t("2026-02-24T09:00"), 2),
        t("2026-02-13T09:00")
    );
    // Mon 5/1/2026 − 1 → Wed 31/12/2025 (1/1 and 2/1 off).
    assert_eq!(
        calendar.sub_working_days(t("2026-01-05T10:00"), 1),
        t("2025-12-31T10:00")
    );
    // Mon 12/1/2026 − 1 → the make-up Saturday 10/1.
    assert_eq!(
        calendar.sub_working_days(t("2026-01-12T10:00"), 1),
        t("2026-01-10T10:00")
    );
    // Outside working time: back to the end of the previous working period.
    // 2026-03-07 is a Saturday, 2026-03-09 a Monday.
    assert_eq!(
        calendar.sub_working_days(t("2026-03-07T10:00"), 0),
        t("2026-03-06T17:00")
    );
    assert_eq!(
        calendar.sub_working_days(t("2026-03-07T10:00"), 1),
        t("2026-03-05T17:00")
    );
    assert_eq!(
        calendar.sub_working_days(t("2026-03-09T07:00"), 0),
        t("2026-03-06T17:00")
    );
    assert_eq!(
        calendar.sub_working_days(t("2026-03-09T18:00"), 2),
        t("2026-03-05T17:00")
    );
    assert_eq!(
        calendar.sub_working_days(t("2026-03-09T08:00"), 1),
        t("2026-03-06T08:00")
    );
}

#[test]
fn subtracting_working_days_skips_the_lunch_break_like_the_working_day_end() {
    let hours = WorkingHours::new(hm(7, 30), hm(17, 0))
        .unwrap()
        .with_lunch_break(hm(11, 30), hm(13, 0))
        .unwrap();
    let calendar = Calendar::new(CalendarConfig {
        hours,
        ..CalendarConfig::shipped()
    })
    .unwrap();
    // Thu 5/3/2026 at 12:15 is in the lunch break: it counts from 11:30.
    assert_eq!(
        calendar.sub_working_days(t("2026-03-05T12:15"), 1),
        t("2026-03-04T11:30")
    );
    assert_eq!(
        calendar.sub_working_days(t("2026-03-05T07:00"), 0),
        t("2026-03-04T17:00")
    );
}

#[test]
fn working_days_roll_over_the_new_year_and_national_day_2026() {
    let calendar = shipped();
    // Wed 31/12/2025 → Thu 1/1 and Fri 2/1 off, Sat 3 and Sun 4 → Mon 5/1.
    assert_eq!(
        calendar.add_working_days(t("2025-12-31T10:00"), 1),
        t("2026-01-05T10:00")
    );
    // Fri 9/1 + 1 → the make-up Saturday 10/1.
    assert_eq!(
        calendar.add_working_days(t("2026-01-09T10:00"), 1),
        t("2026-01-10T10:00")
    );
    // Fri 28/8/2026 + 1 → Thu 3/9 (31/8, 1/9, 2/9 off).
    assert_eq!(
        calendar.add_working_days(t("2026-08-28T10:00"), 1),
        t("2026-09-03T10:00")
    );
    // Wed 29/4/2026 + 1 → Mon 4/5 (30/4, 1/5 off, weekend).
    assert_eq!(
        calendar.add_working_days(t("2026-04-29T10:00"), 1),
        t("2026-05-04T10:00")
    );
    // 2025: Tue 29/4 + 1 → Tue 6/5? No: 30/4, 1/5, 2/5 off, weekend → Mon 5/5.
    assert_eq!(
        calendar.add_working_days(t("2025-04-29T10:00"), 1),
        t("2025-05-05T10:00")
    );
    // Over the make-up Saturday 26/4/2025: Fri 25/4 + 1 → Sat 26/4.
    assert_eq!(
        calendar.add_working_days(t("2025-04-25T10:00"), 1),
        t("2025-04-26T10:00")
    );
}

#[test]
fn a_deadline_that_uses_up_the_day_stays_at_five_pm() {
    let calendar = shipped();
    assert_eq!(
        calendar.add_working_hours(t("2026-03-09T13:00"), 4),
        t("2026-03-09T17:00")
    );
    assert_eq!(
        calendar.add_working_minutes(t("2026-03-09T13:00"), 241),
        t("2026-03-10T08:01")
    );
    assert_eq!(
        calendar.add_working_hours(t("2026-03-09T08:00"), 9),
        t("2026-03-09T17:00")
    );
    assert_eq!(
        calendar.add_working_hours(t("2026-03-09T08:00"), 18),
        t("2026-03-10T17:00")
    );
    // Four working hours from Friday 15:00 → Monday 10:00.
    assert_eq!(
        calendar.deadline(t("2026-03-13T15:00"), 4, TimeUnit::WorkingHours),
        t("2026-03-16T10:00")
    );
    // Received on Saturday: counting starts Monday 08:00.
    assert_eq!(
        calendar.add_working_hours(t("2026-03-14T10:00"), 2),
        t("2026-03-16T10:00")
    );
    // Across the year end 2025/2026.
    assert_eq!(
        calendar.add_working_hours(t("2025-12-31T16:00"), 2),
        t("2026-01-05T09:00")
    );
    assert_eq!(
        calendar.add_working_minutes(t("2026-03-09T10:00"), 0),
        t("2026-03-09T10:00")
    );
}

#[test]
fn negative_amounts_go_back_in_working_time() {
    let calendar = shipped();
    assert_eq!(
        calendar.add_working_hours(t("2026-03-10T08:30"), -1),
        t("2026-03-09T16:30")
    );
    assert_eq!(
        calendar.add_working_hours(t("2026-03-10T08:00"), -9),
        t("2026-03-09T08:00")
    );
    // Monday 9:00 minus 2 hours → Friday 16:00.
    assert_eq!(
        calendar.add_working_hours(t("2026-03-16T09:00"), -2),
        t("2026-03-13T16:00")
    );
    // Back over Tết 2026: Mon 23/2 09:00 − 2h → Fri 13/2 16:00.
    assert_eq!(
        calendar.add_working_hours(t("2026-02-23T09:00"), -2),
        t("2026-02-13T16:00")
    );
}

#[test]
fn lunch_breaks_do_not_count_and_a_deadline_may_stop_at_the_break() {
    let hours = WorkingHours::new(hm(7, 30), hm(17, 0))
        .unwrap()
        .with_lunch_break(hm(11, 30), hm(13, 0))
        .unwrap();
    let calendar = Calendar::new(CalendarConfig {
        hours,
        ..CalendarConfig::shipped()
    })
    .unwrap();
    assert_eq!(hours.daily_duration(), chrono::TimeDelta::hours(8));
    assert_eq!(
        calendar.add_working_hours(t("2026-03-09T09:30"), 2),
        t("2026-03-09T11:30")
    );
    assert_eq!(
        calendar.add_working_hours(t("2026-03-09T09:30"), 3),
        t("2026-03-09T14:00")
    );
    assert_eq!(
        calendar.add_working_days(t("2026-03-09T12:00"), 0),
        t("2026-03-09T13:00")
    );
    assert!(!calendar.is_working_time(t("2026-03-09T12:00")));
    assert!(calendar.is_working_time(t("2026-03-09T13:00")));
    assert_eq!(
        calendar.working_minutes_between(t("2026-03-09T07:00"), t("2026-03-10T07:00")),
        8 * 60
    );
    assert_eq!(
        calendar.working_minutes_between(t("2026-03-09T11:00"), t("2026-03-09T13:30")),
        60
    );
    // Going back, the latest instant: the end of the break, not its start.
    assert_eq!(
        calendar.add_working_minutes(t("2026-03-09T14:00"), -60),
        t("2026-03-09T13:00")
    );
    assert_eq!(
        calendar.add_working_minutes(t("2026-03-09T14:00"), -61),
        t("2026-03-09T11:29")
    );
    assert_eq!(
        calendar.deadline(t("2026-03-09T09:00"), 3, TimeUnit::Days),
        t("2026-03-12T17:00")
    );
}

#[test]
fn working_minutes_between_counts_only_working_time() {
    let calendar = shipped();
    assert_eq!(
        calendar.working_minutes_between(t("2026-03-09T09:00"), t("2026-03-09T10:30")),
        90
    );
    assert_eq!(
        calendar.working_minutes_between(t("2026-03-09T10:30"), t("2026-03-09T09:00")),
        0
    );
    assert_eq!(
        calendar.working_minutes_between(t("2026-03-13T16:00"), t("2026-03-16T09:00")),
        120
    );
    // Thu 12/2/2026 09:00 → Mon 23/2 09:00: 8 h Thursday + 9 h Friday + 1 h Monday (Tết closed).
    assert_eq!(
        calendar.working_minutes_between(t("2026-02-12T09:00"), t("2026-02-23T09:00")),
        18 * 60
    );
    // A whole statutory-or-official year: working days × 9 h.
    let days = calendar.count_working_days(d("2026-01-01"), d("2026-12-31")) as i64;
    assert_eq!(
        calendar.working_minutes_between(t("2026-01-01T00:00"), t("2027-01-01T00:00")),
        days * 9 * 60
    );
    assert_eq!(days, 261 - 13 + 2);
}

#[test]
fn pausing_the_legal_clock_for_a_supplement_keeps_the_remaining_time() {
    let calendar = shipped();
    let received = t("2026-02-09T10:00"); // Monday
    let deadline = calendar.deadline(received, 5, TimeUnit::WorkingDays);
    assert_eq!(deadline, t("2026-02-23T10:00"));
    // Paused on Wednesday 11/2 at 15:00 for a supplement; resumed on Tuesday 3/3 at 09:30.
    let pause = t("2026-02-11T15:00");
    let remaining = calendar.working_minutes_between(pause, deadline);
    assert_eq!(remaining, 2 * 60 + 9 * 60 + 9 * 60 + 2 * 60); // Wed 2h, Thu, Fri, Mon 23/2 2h
    // Tue 3/3 09:30–17:00 (7.5 h), Wed 4/3 (9 h), Thu 5/3 08:00 + 5.5 h.
    let resumed = calendar.add_working_minutes(t("2026-03-03T09:30"), remaining);
    assert_eq!(resumed, t("2026-03-05T13:30"));
}

#[test]
fn calendar_days_and_months_end_at_closing_time_of_a_working_day() {
    let calendar = shipped();
    // 10 days from Mon 9/3/2026 → Thu 19/3, end of working hours.
    assert_eq!(
        calendar.deadline(t("2026-03-09T09:00"), 10, TimeUnit::Days),
        t("2026-03-19T17:00")
    );
    // 5 days from Tue 10/2/2026 → Sun 15/2, then Tết: Mon 23/2 17:00.
    assert_eq!(
        calendar.deadline(t("2026-02-10T09:00"), 5, TimeUnit::Days),
        t("2026-02-23T17:00")
    );
    // One month from 31/1/2026 → 28/2 (Saturday) → Mon 2/3.
    assert_eq!(
        calendar.deadline(t("2026-01-31T09:00"), 1, TimeUnit::Months),
        t("2026-03-02T17:00")
    );
    // Three months from 15/1/2026 → Wed 15/4.
    assert_eq!(
        calendar.deadline(t("2026-01-15T16:00"), 3, TimeUnit::Months),
        t("2026-04-15T17:00")
    );
    // Zero days after closing: end of the next working day.
    assert_eq!(
        calendar.deadline(t("2026-03-09T18:00"), 0, TimeUnit::Days),
        t("2026-03-10T17:00")
    );
    assert_eq!(
        calendar.deadline(t("2026-03-09T10:00"), 0, TimeUnit::Days),
        t("2026-03-09T17:00")
    );
}

#[test]
fn time_units_and_working_hours_read_from_config_text() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Limit {
        unit: TimeUnit,
    }
    for (text, unit) in [
        ("working_days", TimeUnit::WorkingDays),
        ("working_hours", TimeUnit::WorkingHours),
        ("days", TimeUnit::Days),
        ("months", TimeUnit::Months),
    ] {
        let limit: Limit = toml::from_str(&format!("unit = \"{text}\"")).unwrap();
        assert_eq!(limit.unit, unit);
        assert_eq!(
            toml::to_string(&Limit { unit }).unwrap().trim(),
            format!("unit = \"{text}\"")
        );
    }
    let hours: WorkingHours =
        toml::from_str("start = \"07:30\"\nend = \"17:00\"\nlunch_break = { start = \"11:30\", end = \"13:00\" }")
            .unwrap();
    assert_eq!(
        hours.lunch_break,
        Some(LunchBreak {
            start: hm(11, 30),
            end: hm(13, 0)
        })
    );
    let text = toml::to_string(&WorkingHours::default()).unwrap();
    assert!(
        text.contains("start = \"08:00\"") && text.contains("end = \"17:00\""),
        "{text}"
    );
    assert!(toml::from_str::<WorkingHours>("start = \"8h\"\nend = \"17:00\"").is_err());
    let err = WorkingHours::new(hm(17, 0), hm(8, 0)).unwrap_err();
    assert!(err.message_en().contains("must be before"), "{err}");
    assert!(WorkingHours::default().with_lunch_break(hm(7, 0), hm(9, 0)).is_err());
}

// ----------------------------------------------------------------------------------------------
// Properties over many years

#[test]
fn adding_working_days_always_lands_on_working_time_the_right_distance_away() {
    let calendar = shipped();
    let mut rng = Lcg(2026);
    for _ in 0..3000 {
        let from = rng.instant(1900, 2099);
        let days = rng.next(40) as u32;
        let to = calendar.add_working_days(from, days);
        assert!(calendar.is_working_day(to.date()), "{from} + {days} = {to}");
        assert!(calendar.is_working_time(to), "{from} + {days} = {to}");
        let start = calendar.add_working_days(from, 0);
        assert!(start >= from);
        assert_eq!(calendar.working_minutes_between(from, start), 0);
        assert_eq!(to.time(), start.time());
        // Exactly `days` working days strictly between the start date and the end date + 1.
        if days > 0 {
            assert_eq!(
                calendar.count_working_days(start.date().succ_opt().unwrap(), to.date()),
                u64::from(days),
                "{from} + {days}"
            );
        }
        assert_eq!(calendar.working_minutes_between(start, to), i64::from(days) * 9 * 60);
    }
}

#[test]
fn subtracting_working_days_lands_the_right_distance_back_and_round_trips() {
    let calendar = shipped();
    let mut rng = Lcg(1945);
    for _ in 0..3000 {
        let from = rng.instant(1901, 2099);
        let days = rng.next(40) as u32;
        let to = calendar.sub_working_days(from, days);
        assert!(calendar.is_working_day(to.date()), "{from} - {days} = {to}");
        let end = calendar.sub_working_days(from, 0);
        assert!(end <= from);
        assert_eq!(calendar.working_minutes_between(end, from), 0, "{from}");
        assert_eq!(to.time(), end.time());
        if days > 0 {
            assert_eq!(
                calendar.count_working_days(to.date().succ_opt().unwrap(), end.date()),
                u64::from(days),
                "{from} - {days}"
            );
        }
        assert_eq!(calendar.working_minutes_between(to, end), i64::from(days) * 9 * 60);
        if calendar.is_working_time(from) {
            assert_eq!(calendar.sub_working_days(from, days), to);
            assert_eq!(calendar.add_working_days(to, days), from, "{from} - {days} + {days}");
        }
    }
}

#[test]
fn adding_working_minutes_round_trips_with_working_minutes_between() {
    let calendar = shipped();
    let mut rng = Lcg(7);
    for _ in 0..3000 {
        let from = rng.instant(1900, 2099);
        let minutes = rng.next(9 * 60 * 30) as i64 + 1;
        let to = calendar.add_working_minutes(from, minutes);
        assert_eq!(
            calendar.working_minutes_between(from, to),
            minutes,
            "{from} + {minutes}"
        );
        // The earliest such instant: one minute earlier is not enough.
        assert_eq!(
            calendar.working_minutes_between(from, to - chrono::TimeDelta::minutes(1)),
            minutes - 1
        );
        // And back.
        let back = calendar.add_working_minutes(to, -minutes);
        assert_eq!(calendar.working_minutes_between(back, to), minutes);
        assert!(back <= from || calendar.working_minutes_between(from, back) == 0);

        let other = rng.instant(1900, 2099);
        let (a, b) = if other < from { (other, from) } else { (from, other) };
        let between = calendar.working_minutes_between(a, b);
        let reached = calendar.add_working_minutes(a, between);
        if between > 0 {
            assert!(reached <= b);
            assert_eq!(calendar.working_minutes_between(reached, b), 0, "{a} {b}");
        }
    }
}

#[test]
fn no_weekday_is_off_without_a_reason_and_every_day_off_is_a_weekday() {
    let calendar = shipped();
    for year in 1900..=2100 {
        let listed: BTreeSet<NaiveDate> = dates_off(&calendar, year).into_iter().collect();
        let makeup: BTreeSet<NaiveDate> = calendar.makeup_working_days(year).into_iter().collect();
        for day in year_days_of(year) {
            let expected_working = if is_weekend(day) {
                makeup.contains(&day)
            } else {
                !listed.contains(&day)
            };
            assert_eq!(calendar.is_working_day(day), expected_working, "{day}");
        }
        for h in calendar.holidays(year) {
            assert!(!h.reason_vi.is_empty() && !h.reason_en.is_empty());
        }
    }
}

#[test]
fn outside_1900_2100_only_weekends_are_off_and_extremes_saturate() {
    let calendar = shipped();
    assert!(calendar.is_working_day(d("2101-01-03")));
    assert_eq!(calendar.is_working_day(d("2101-01-01")), !is_weekend(d("2101-01-01")));
    assert!(calendar.holidays(2101).is_empty());
    assert_eq!(
        calendar.add_working_days(t("2100-12-31T10:00"), 1),
        t("2101-01-03T10:00")
    );
    assert_eq!(
        calendar.add_working_days(t("2026-01-05T10:00"), u32::MAX),
        NaiveDateTime::MAX
    );
    assert_eq!(
        calendar.add_working_minutes(t("2026-01-05T10:00"), i64::MAX),
        NaiveDateTime::MAX
    );
    assert_eq!(
        calendar.add_working_minutes(t("2026-01-05T10:00"), i64::MIN),
        NaiveDateTime::MIN
    );
    assert_eq!(calendar.add_working_hours(NaiveDateTime::MAX, 1), NaiveDateTime::MAX);
    assert_eq!(calendar.add_working_days(NaiveDateTime::MAX, 1), NaiveDateTime::MAX);
}

#[test]
fn calendars_are_cheap_to_share_between_threads() {
    let calendar = shipped();
    let copy = calendar.clone();
    let handle = std::thread::spawn(move || copy.is_working_day(d("2026-02-17")));
    assert!(!handle.join().unwrap());
    assert!(format!("{calendar:?}").contains("2026"));
}

use std::collections::BTreeSet;

#[test]
fn same_day_procedures_are_due_tonight_or_the_next_working_day_after_the_cut_off() {
    let cal = Calendar::shipped();
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
    // Thursday 12 February 2026, before 15:00: due at 17:00 that day.
    assert_eq!(
        cal.deadline(at("2026-02-12T10:00"), 1, TimeUnit::SameDay),
        at("2026-02-12T17:00")
    );
    // After 15:00 on Friday 13 February: Tết closes 16–20 February, so Monday 23 February.
    assert_eq!(
        cal.deadline(at("2026-02-13T15:30"), 1, TimeUnit::SameDay),
        at("2026-02-23T17:00")
    );
    // Received online on a Saturday: the next working day.
    assert_eq!(
        cal.deadline(at("2026-03-07T09:00"), 1, TimeUnit::SameDay),
        at("2026-03-09T17:00")
    );
}
