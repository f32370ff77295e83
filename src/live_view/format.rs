//! Text for numbers on the live screen: unknown values (NaN, infinite) become "–", and a
//! line that is too narrow loses whole pieces rather than the end of a number ("lost 12"
//! clipped to "lost 1" would be a lie).

use ratatui::text::{Line, Span};

/// Shown in place of a number that is not known yet.
pub(super) const UNKNOWN: &str = "–";

/// Separator between pieces of a line.
pub(super) const SEP: &str = " · ";

/// Display width of `s` in terminal cells.
pub(super) fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// `v` with `decimals` digits after the point, or "–".
pub(super) fn fixed(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        UNKNOWN.to_string()
    }
}

/// `v` with three significant digits, switching to exponent notation outside 0.01–99999.
pub(super) fn compact(v: f64) -> String {
    if !v.is_finite() {
        return UNKNOWN.to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let magnitude = v.abs().log10().floor();
    if (-2.0..5.0).contains(&magnitude) {
        let decimals = (2.0 - magnitude).max(0.0) as usize;
        format!("{v:.decimals$}")
    } else {
        format!("{v:.2e}")
    }
}

/// A percentage without decimals, `"38 %"`, or `"– %"`.
pub(super) fn percent(v: f64) -> String {
    format!("{} %", fixed(v, 0))
}

/// Elapsed time as `mm:ss`, or `h:mm:ss` from one hour on.
pub fn clock(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return format!("{UNKNOWN}:{UNKNOWN}");
    }
    let total = seconds.floor() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// `value / full` limited to 0–1, or `None` when either is unknown or `full` is not positive.
pub(super) fn ratio(value: f64, full: f64) -> Option<f64> {
    (value.is_finite() && full.is_finite() && full > 0.0).then(|| (value / full).clamp(0.0, 1.0))
}

/// The leading pieces that fit in `max_width` cells, joined by [`SEP`].
pub(super) fn fit(pieces: Vec<Span<'static>>, max_width: usize) -> Line<'static> {
    let mut used = 0;
    let mut spans = Vec::with_capacity(2 * pieces.len());
    for piece in pieces {
        let extra = if spans.is_empty() { 0 } else { width(SEP) };
        if used + extra + piece.width() > max_width {
            break;
        }
        if extra > 0 {
            spans.push(Span::raw(SEP));
        }
        used += extra + piece.width();
        spans.push(piece);
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_numbers_are_a_dash() {
        assert_eq!(fixed(f64::NAN, 1), "–");
        assert_eq!(compact(f64::INFINITY), "–");
        assert_eq!(percent(f64::NAN), "– %");
        assert_eq!(clock(f64::NAN), "–:–");
        assert_eq!(ratio(f64::NAN, 1.0), None);
        assert_eq!(ratio(1.0, 0.0), None);
    }

    #[test]
    fn compact_keeps_three_significant_digits() {
        assert_eq!(compact(9.234), "9.23");
        assert_eq!(compact(123.44), "123");
        assert_eq!(compact(1234.5), "1234");
        assert_eq!(compact(0.01234), "0.0123");
        assert_eq!(compact(123456.0), "1.23e5");
        assert_eq!(compact(0.000123), "1.23e-4");
        assert_eq!(compact(0.0), "0");
    }

    #[test]
    fn clock_is_minutes_and_seconds() {
        assert_eq!(clock(0.0), "00:00");
        assert_eq!(clock(83.9), "01:23");
        assert_eq!(clock(3723.0), "1:02:03");
    }

    #[test]
    fn ratio_is_clamped() {
        assert_eq!(ratio(150.0, 100.0), Some(1.0));
        assert_eq!(ratio(-1.0, 100.0), Some(0.0));
        assert_eq!(ratio(25.0, 100.0), Some(0.25));
    }

    #[test]
    fn fit_drops_whole_pieces() {
        let pieces = || vec![Span::raw("lost 12"), Span::raw("corrupt 3")];
        assert_eq!(fit(pieces(), 100).to_string(), "lost 12 · corrupt 3");
        assert_eq!(fit(pieces(), 18).to_string(), "lost 12");
        assert_eq!(fit(pieces(), 6).to_string(), "");
    }
}
