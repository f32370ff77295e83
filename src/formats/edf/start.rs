//! When the recording started, as local time without a zone (EDF says nothing about
//! zones): the header's `dd.mm.yy` and `hh.mm.ss`, the 4-digit year of EDF+'s
//! `Startdate dd-MMM-yyyy` when the recording field gives one, plus the first record's
//! time-keeping onset (EDF+ stores the sub-second part of the start there).
//!
//! Two-digit years follow the EDF rule: 85–99 are 1985–1999, 00–84 are 2000–2084. A date
//! or time that cannot be read leaves the start unknown, with a warning: the samples are
//! still good.

/// Largest first-record onset added to the start time (about 31 years): beyond that the
/// stamp is corrupt, not a late start.
const MAX_ONSET_S: f64 = 1.0e9;

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Date {
    year: i64,
    month: i64,
    day: i64,
}

/// The start as ISO 8601 without a zone (`2024-03-05T14:03:11`, with `.ffffff` when
/// there is a fraction of a second), or a warning saying why it is unknown.
///
/// `plus` says the file is EDF+/BDF+, whose recording field may hold the full date;
/// `first_onset_s` is the first record's time-keeping onset (0 without one).
pub(super) fn recorded(
    start_date: &str,
    start_time: &str,
    recording: &str,
    plus: bool,
    first_onset_s: f64,
) -> Result<(String, Option<String>), String> {
    let header_date = legacy_date(start_date);
    let plus_date = if plus { plus_date(recording) } else { None };
    let mut warning = None;
    let date = match (header_date, plus_date) {
        (Some(h), Some(p)) => {
            if (h.day, h.month) != (p.day, p.month) {
                warning = Some(format!(
                    "the header's start date \"{start_date}\" and the recording field's \
                     \"Startdate\" disagree; the recording field's date was used"
                ));
            }
            p
        }
        (None, Some(p)) => p,
        (Some(h), None) => h,
        (None, None) => {
            return Err(format!(
                "the start date \"{start_date}\" is not a date written dd.mm.yy; the \
                 recording's start is unknown"
            ))
        }
    };
    let Some((hour, minute, second)) = clock(start_time) else {
        return Err(format!(
            "the start time \"{start_time}\" is not a time written hh.mm.ss; the \
             recording's start is unknown"
        ));
    };
    if !first_onset_s.is_finite() || first_onset_s.abs() > MAX_ONSET_S {
        return Err(format!(
            "the first data record's time-keeping onset ({first_onset_s} s) is not a \
             plausible offset from the header's start time; the recording's start is unknown"
        ));
    }
    let day_number = days_from_civil(date);
    let seconds = day_number * 86_400 + hour * 3600 + minute * 60 + second;
    // |onset| ≤ 1e9 s, so microseconds stay far inside i64.
    let micros = seconds * 1_000_000 + (first_onset_s * 1e6).round() as i64;
    let (days, in_day) = (
        micros.div_euclid(86_400_000_000),
        micros.rem_euclid(86_400_000_000),
    );
    let d = civil_from_days(days);
    let s = in_day / 1_000_000;
    let fraction = in_day % 1_000_000;
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        d.year,
        d.month,
        d.day,
        s / 3600,
        s / 60 % 60,
        s % 60
    );
    if fraction != 0 {
        text.push_str(&format!(".{fraction:06}"));
    }
    Ok((text, warning))
}

/// `dd.mm.yy` (any single non-digit between the parts).
fn legacy_date(text: &str) -> Option<Date> {
    let [day, month, year] = three_numbers(text)?;
    // EDF's y2k rule.
    let year = if year >= 85 { 1900 + year } else { 2000 + year };
    valid(Date { year, month, day })
}

/// `hh.mm.ss` (any single non-digit between the parts).
fn clock(text: &str) -> Option<(i64, i64, i64)> {
    let [h, m, s] = three_numbers(text)?;
    (h < 24 && m < 60 && s < 60).then_some((h, m, s))
}

/// Three 2-digit numbers separated by single non-digits, as in `05.03.24`.
fn three_numbers(text: &str) -> Option<[i64; 3]> {
    let b = text.as_bytes();
    if b.len() != 8 || b.get(2)?.is_ascii_digit() || b.get(5)?.is_ascii_digit() {
        return None;
    }
    let two = |i: usize| -> Option<i64> {
        let s = text.get(i..i + 2)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    Some([two(0)?, two(3)?, two(6)?])
}

/// EDF+'s `Startdate dd-MMM-yyyy …` in the recording field; `None` when absent or `X`.
fn plus_date(recording: &str) -> Option<Date> {
    let mut words = recording.split(' ').filter(|w| !w.is_empty());
    if words.next()? != "Startdate" {
        return None;
    }
    let mut parts = words.next()?.split('-');
    let day = parts.next()?;
    let month = parts.next()?.to_ascii_uppercase();
    let year = parts.next()?;
    if parts.next().is_some() || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let number = |s: &str| -> Option<i64> {
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    valid(Date {
        year: number(year)?,
        month,
        day: number(day)?,
    })
}

fn valid(d: Date) -> Option<Date> {
    let leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    let days = match d.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d.day).then_some(d)
}

/// Days since 1970-01-01 of a date.
fn days_from_civil(d: Date) -> i64 {
    crate::calendar::days_from_civil(d.year, d.month, d.day)
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> Date {
    let (year, month, day) = crate::calendar::civil_from_days(days);
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(date: &str, time: &str, recording: &str, plus: bool, onset: f64) -> String {
        recorded(date, time, recording, plus, onset).unwrap().0
    }

    #[test]
    fn two_digit_years_follow_the_edf_rule() {
        assert_eq!(
            start("05.03.24", "14.03.11", "", false, 0.0),
            "2024-03-05T14:03:11"
        );
        assert_eq!(
            start("31.12.85", "00.00.00", "", false, 0.0),
            "1985-12-31T00:00:00"
        );
        assert_eq!(
            start("01.01.84", "23.59.59", "", false, 0.0),
            "2084-01-01T23:59:59"
        );
    }

    #[test]
    fn edf_plus_startdate_gives_the_year() {
        let rec = "Startdate 02-MAR-2102 EMG-lab tech device";
        assert_eq!(
            start("02.03.yy", "10.00.00", rec, true, 0.0),
            "2102-03-02T10:00:00"
        );
        // Plain EDF: the recording field is free text.
        assert!(recorded("02.03.yy", "10.00.00", rec, false, 0.0).is_err());
        assert_eq!(
            start("05.03.24", "10.00.00", "Startdate X X X X", true, 0.0),
            "2024-03-05T10:00:00"
        );
    }

    #[test]
    fn the_first_onset_carries_into_seconds_days_and_years() {
        assert_eq!(
            start("31.12.23", "23.59.59", "", false, 0.25),
            "2023-12-31T23:59:59.250000"
        );
        assert_eq!(
            start("31.12.23", "23.59.59", "", false, 1.5),
            "2024-01-01T00:00:00.500000"
        );
        assert_eq!(
            start("01.03.24", "00.00.00", "", false, -0.5),
            "2024-02-29T23:59:59.500000"
        );
    }

    #[test]
    fn unreadable_dates_are_unknown() {
        assert!(recorded("32.01.24", "10.00.00", "", false, 0.0).is_err());
        assert!(recorded("29.02.23", "10.00.00", "", false, 0.0).is_err());
        assert!(recorded("05.03.24", "24.00.00", "", false, 0.0).is_err());
        assert!(recorded("5.3.24", "10.00.00", "", false, 0.0).is_err());
        assert!(recorded("05.03.24", "10.00.00", "", false, f64::NAN).is_err());
    }

    #[test]
    fn civil_days_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            assert_eq!(days_from_civil(civil_from_days(days)), days);
        }
        assert_eq!(
            days_from_civil(Date {
                year: 1970,
                month: 1,
                day: 1
            }),
            0
        );
        assert_eq!(
            days_from_civil(Date {
                year: 2000,
                month: 3,
                day: 1
            }),
            11_017
        );
    }
}
