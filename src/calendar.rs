//! Dates of the proleptic Gregorian calendar as day counts from 1970-01-01, and back
//! (H. Hinnant's `days_from_civil` and `civil_from_days`, eras of 400 years): the one
//! place every reader and writer of a date (EDF, XDF, `--start`, session dates, the
//! files' own timestamps) does its calendar arithmetic.
//!
//! ```
//! use myobalance::calendar::{civil_from_days, days_from_civil};
//! assert_eq!(days_from_civil(1970, 1, 1), 0);
//! assert_eq!(days_from_civil(2000, 3, 1), 11_017);
//! assert_eq!(civil_from_days(11_016), (2000, 2, 29));
//! assert_eq!(civil_from_days(-1), (1969, 12, 31));
//! ```

/// Days from 1970-01-01 to `year`-`month`-`day` (month 1–12; the day is not checked
/// against the month).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `(year, month, day)` `days` after 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_of_eight_centuries_round_trips() {
        let mut previous = civil_from_days(-150_000);
        for days in -149_999..150_000 {
            let date = civil_from_days(days);
            assert_eq!(days_from_civil(date.0, date.1, date.2), days);
            assert!(date > previous, "{date:?} after {previous:?}");
            previous = date;
        }
    }
}
