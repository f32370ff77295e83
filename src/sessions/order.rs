//! The order of a subject's sessions: by `recorded_utc` when every session has a date,
//! else by the session label in natural order ("week 2" before "week 10"), the files'
//! names breaking ties.
//!
//! Mixing the two orders (dated sessions by time, the others somewhere) would place the
//! undated ones arbitrarily, so one missing date makes the whole series go by label, and
//! the page says which sessions had no date. A date without a zone (a source that gave
//! local time only) is compared as if it were UTC.

use std::cmp::Ordering;

use super::session::Session;
use crate::calendar::days_from_civil;

/// How the sessions were put in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Order {
    /// By `recorded_utc`.
    ByDate,
    /// By label: these sessions (their labels) have no readable `recorded_utc`.
    ByLabel { undated: Vec<String> },
}

/// Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date and time
/// (`YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]`); `None` when it is not one.
///
/// ```
/// use myobalance::sessions::order::seconds_of;
/// assert_eq!(seconds_of("1970-01-02T00:00:01Z"), Some(86_401.0));
/// assert_eq!(seconds_of("2026-03-02T10:00:00+01:00"), seconds_of("2026-03-02T09:00:00Z"));
/// assert_eq!(seconds_of("2026-03-02"), seconds_of("2026-03-02T00:00:00"));
/// assert_eq!(seconds_of("last Tuesday"), None);
/// ```
pub fn seconds_of(text: &str) -> Option<f64> {
    let t = text.trim();
    let cut = t.len().min(10);
    if !t.is_char_boundary(cut) {
        return None;
    }
    let (date, rest) = t.split_at(cut);
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, i64::from(month), i64::from(day)) as f64 * 86_400.0;
    let rest = rest.strip_prefix(['T', 't', ' ']).unwrap_or(rest);
    if rest.is_empty() {
        return Some(seconds);
    }
    // The zone: Z, or ±HH:MM / ±HHMM after the time.
    let (time, offset_s) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        (time, 0.0)
    } else if let Some(at) = rest.rfind(['+', '-']) {
        let zone = rest[at + 1..].replace(':', "");
        if zone.len() != 4 || !zone.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let minutes: f64 = zone[..2].parse::<f64>().ok()? * 60.0 + zone[2..].parse::<f64>().ok()?;
        let sign = if rest.as_bytes()[at] == b'-' {
            -1.0
        } else {
            1.0
        };
        (&rest[..at], sign * minutes * 60.0)
    } else {
        (rest, 0.0)
    };
    let mut parts = time.split(':');
    let hours: f64 = parts.next()?.parse().ok()?;
    let minutes: f64 = parts.next().unwrap_or("0").parse().ok()?;
    let secs: f64 = parts.next().unwrap_or("0").parse().ok()?;
    if parts.next().is_some() || !(0.0..24.0).contains(&hours) || !(0.0..60.0).contains(&minutes) {
        return None;
    }
    seconds += hours * 3600.0 + minutes * 60.0 + secs - offset_s;
    seconds.is_finite().then_some(seconds)
}

/// Compares labels as people read them: runs of digits by their value, the rest without
/// regard to case.
///
/// ```
/// use myobalance::sessions::order::natural_cmp;
/// use std::cmp::Ordering::*;
/// assert_eq!(natural_cmp("week 2", "week 10"), Less);
/// assert_eq!(natural_cmp("Week 3", "week 3"), Equal);
/// assert_eq!(natural_cmp("post-op", "pre-op"), Less);
/// ```
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (da, ra) = split_digits(a);
                let (db, rb) = split_digits(b);
                let (ta, tb) = (da.trim_start_matches('0'), db.trim_start_matches('0'));
                let by_value = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                (a, b) = (ra, rb);
            }
            (Some(x), Some(y)) => {
                let by_char = x.to_lowercase().cmp(y.to_lowercase());
                if by_char != Ordering::Equal {
                    return by_char;
                }
                (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
            }
        }
    }
}

fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

/// Puts `sessions` in order (see the module's rules) and says how.
pub fn order(sessions: &mut [Session]) -> Order {
    let dates: Vec<Option<f64>> = sessions
        .iter()
        .map(|s| s.recorded_utc.as_deref().and_then(seconds_of))
        .collect();
    let undated: Vec<String> = sessions
        .iter()
        .zip(&dates)
        .filter(|(_, d)| d.is_none())
        .map(|(s, _)| s.label())
        .collect();
    let by_label = |a: &Session, b: &Session| {
        natural_cmp(&a.label(), &b.label()).then_with(|| natural_cmp(&a.file, &b.file))
    };
    if undated.is_empty() {
        let mut keyed: Vec<(f64, Session)> = dates
            .into_iter()
            .map(|d| d.unwrap_or(f64::NAN))
            .zip(sessions.iter().cloned())
            .collect();
        keyed.sort_by(|(x, a), (y, b)| x.total_cmp(y).then_with(|| by_label(a, b)));
        for (slot, (_, s)) in sessions.iter_mut().zip(keyed) {
            *slot = s;
        }
        Order::ByDate
    } else {
        sessions.sort_by(by_label);
        Order::ByLabel { undated }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(label: &str, date: Option<&str>) -> Session {
        let mut s = Session::example();
        s.session = Some(label.into());
        s.file = format!("{label}.h5");
        s.recorded_utc = date.map(str::to_string);
        s
    }

    fn labels(s: &[Session]) -> Vec<String> {
        s.iter().map(Session::label).collect()
    }

    #[test]
    fn dated_sessions_go_by_time_whatever_their_labels() {
        let mut s = vec![
            session("b", Some("2026-03-09T09:00:00Z")),
            session("a", Some("2026-03-16T09:00:00+02:00")),
            session("c", Some("2026-03-02T09:00:00Z")),
        ];
        assert_eq!(order(&mut s), Order::ByDate);
        assert_eq!(labels(&s), ["c", "b", "a"]);
    }

    #[test]
    fn one_missing_date_puts_every_session_in_label_order() {
        let mut s = vec![
            session("week 10", Some("2026-01-01T00:00:00Z")),
            session("week 2", None),
            session("week 1", Some("2026-05-01T00:00:00Z")),
        ];
        assert_eq!(
            order(&mut s),
            Order::ByLabel {
                undated: vec!["week 2".into()]
            }
        );
        assert_eq!(labels(&s), ["week 1", "week 2", "week 10"]);
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(seconds_of("2026-13-01"), None);
        assert_eq!(seconds_of("2026-03-02T25:00:00Z"), None);
        assert_eq!(
            seconds_of("2026-03-02T09:00:00.5Z"),
            Some(seconds_of("2026-03-02T09:00:00Z").unwrap() + 0.5)
        );
        assert_eq!(seconds_of("2000-03-01"), Some(951_868_800.0));
        assert_eq!(seconds_of("2026-03-0µ"), None);
    }
}
