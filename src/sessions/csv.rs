//! The cohort table as CSV (RFC 4180): fields with a comma, a quote or a line break are
//! quoted with inner quotes doubled; numbers are written in the shortest form that reads
//! back to the same `f64`, a value that could not be computed as `NaN` and infinities as
//! `inf`/`-inf` — forms pandas (`read_csv`) and R (`read.csv`) both read as numbers.

use std::borrow::Cow;
use std::io::{self, Write};

use super::table::{Row, HEADER};

/// `text` as a CSV field.
///
/// ```
/// use myobalance::sessions::csv::field;
/// assert_eq!(field("week 2"), "week 2");
/// assert_eq!(field("Doe, \"JD\""), "\"Doe, \"\"JD\"\"\"");
/// ```
pub fn field(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

/// `v` in the shortest decimal form that parses back to the same `f64`: plain digits for
/// everyday magnitudes, an exponent for very small and very large ones.
///
/// ```
/// use myobalance::sessions::csv::number;
/// assert_eq!(number(0.1), "0.1");
/// assert_eq!(number(-12.0), "-12");
/// assert_eq!(number(1.0 / 3.0), "0.3333333333333333");
/// assert_eq!(number(4.2e-9), "4.2e-9");
/// assert_eq!(number(f64::NAN), "NaN");
/// assert_eq!(number(f64::NEG_INFINITY), "-inf");
/// ```
pub fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if v != 0.0 && !(1e-5..1e16).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        // Rust writes the shortest digits that round-trip; "-0" keeps its sign.
        format!("{v}")
    }
}

/// The header line, with its line break.
pub fn header() -> String {
    format!("{}\n", HEADER.join(","))
}

/// Writes `rows` as CSV lines (no header).
pub fn write_rows(out: &mut impl Write, rows: &[Row]) -> io::Result<()> {
    for r in rows {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            field(r.file),
            field(r.subject),
            field(r.session),
            field(r.recorded_utc),
            field(r.group),
            field(r.name),
            field(r.measure),
            number(r.value),
            field(&r.unit)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_exactly() {
        let mut x = 0.123_456_789_f64;
        for _ in 0..400 {
            for v in [x, -x, 1.0 / x, x * 1e-9, x * 1e12] {
                assert_eq!(number(v).parse::<f64>().unwrap(), v, "{v}");
            }
            x = (x * 7.3 + 0.37) % 3.9;
        }
        assert_eq!(number(0.0), "0");
        assert_eq!(number(1e20), "1e20");
    }

    #[test]
    fn fields_with_line_breaks_and_spaces_are_quoted() {
        assert_eq!(field("a\nb"), "\"a\nb\"");
        assert_eq!(field(" P01"), "\" P01\"");
        assert_eq!(field(""), "");
    }
}
