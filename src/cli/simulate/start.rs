//! `simulate --start`: the simulated recording's start as ISO 8601 text for the root
//! attribute `recorded_utc`. It checks the text is a real date-time and writes it the way
//! the file format states starts (DESIGN.md, "Patients over sessions"): in UTC with `Z` when
//! a zone is given (an offset such as `+01:00` is applied), without a zone when none is.
//! It does not read clocks or time zones of the host.

use crate::calendar::days_from_civil;
use crate::store::timestamp::format_utc;

/// `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM]` as `recorded_utc` text, or why not.
///
/// ```text
/// 2026-03-02T10:00:00Z       → 2026-03-02T10:00:00Z
/// 2026-03-02T10:00:00        → 2026-03-02T10:00:00        (no zone: kept without one)
/// 2026-03-02T10:00:00.5+01:00 → 2026-03-02T09:00:00.5Z
/// ```
pub fn recorded_utc(text: &str) -> Result<String, String> {
    let expected = "give an ISO 8601 date and time, e.g. 2026-03-02T10:00:00Z \
                    (UTC), 2026-03-02T10:00:00+01:00, or 2026-03-02T10:00:00 (no zone)";
    let bad = |why: &str| format!("{why}; {expected}");
    let (date, rest) = text
        .split_once('T')
        .ok_or_else(|| bad("no 'T' between the date and the time"))?;
    let [year, month, day] =
        fields(date, '-', [4, 2, 2]).ok_or_else(|| bad("the date is not YYYY-MM-DD"))?;
    let (time, zone) = split_zone(rest);
    let (clock, fraction) = match time.split_once('.') {
        Some((clock, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            (clock, Some(f))
        }
        Some(_) => return Err(bad("the fraction of a second is not digits")),
        None => (time, None),
    };
    let [hour, minute, second] =
        fields(clock, ':', [2, 2, 2]).ok_or_else(|| bad("the time is not HH:MM:SS"))?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(bad(&format!("{date} is not a date")));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(bad(&format!("{clock} is not a time of day")));
    }
    let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
    let offset_s = match zone {
        None => {
            return Ok(format!(
                "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}"
            ))
        }
        Some("Z") => 0,
        Some(z) => offset_seconds(z).ok_or_else(|| bad(&format!("{z} is not a zone")))?,
    };
    let local = days_from_civil(i64::from(year), i64::from(month), i64::from(day)) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second);
    let utc = format_utc(local - offset_s);
    // format_utc ends in "Z"; the fraction goes before it.
    Ok(format!("{}{fraction}Z", &utc[..utc.len() - 1]))
}

/// The time and its zone (`Z`, `+HH:MM`, `-HH:MM`), if any.
fn split_zone(rest: &str) -> (&str, Option<&str>) {
    if let Some(time) = rest.strip_suffix('Z') {
        return (time, Some("Z"));
    }
    match rest.rfind(['+', '-']) {
        Some(i) => (&rest[..i], Some(&rest[i..])),
        None => (rest, None),
    }
}

/// `±HH:MM` (or `±HHMM`, `±HH`) in seconds east of UTC.
fn offset_seconds(zone: &str) -> Option<i64> {
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..].chars().filter(|&c| c != ':').collect();
    if !matches!(digits.len(), 2 | 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    (hours <= 14 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
}

/// Three digit fields of the given widths separated by `sep`.
fn fields(text: &str, sep: char, widths: [usize; 3]) -> Option<[u32; 3]> {
    let mut out = [0; 3];
    let mut parts = text.split(sep);
    for (slot, width) in out.iter_mut().zip(widths) {
        let part = parts.next()?;
        if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_in_utc_local_and_with_offsets() {
        let ok = |t: &str| recorded_utc(t).unwrap();
        assert_eq!(ok("2026-03-02T10:00:00Z"), "2026-03-02T10:00:00Z");
        assert_eq!(ok("2026-03-02T10:00:00"), "2026-03-02T10:00:00");
        assert_eq!(ok("2026-03-02T10:00:00.25"), "2026-03-02T10:00:00.25");
        assert_eq!(ok("2026-03-02T10:00:00+01:00"), "2026-03-02T09:00:00Z");
        assert_eq!(ok("2026-03-01T00:30:00.5+01:00"), "2026-02-28T23:30:00.5Z");
        assert_eq!(ok("2024-02-29T23:00:00-0230"), "2024-03-01T01:30:00Z");
        assert_eq!(ok("1970-01-01T00:00:00Z"), "1970-01-01T00:00:00Z");
        for bad in [
            "",
            "2026-03-02",
            "2026-03-02 10:00:00",
            "2026-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T10:60:00",
            "2026-3-2T10:00:00",
            "2026-03-02T10:00",
            "2026-03-02T10:00:00.Z",
            "2026-03-02T10:00:00+1",
            "2026-03-02T10:00:00+15:00",
            "yesterday",
        ] {
            let e = recorded_utc(bad).unwrap_err();
            assert!(e.contains("ISO 8601"), "{bad}: {e}");
        }
    }
}
