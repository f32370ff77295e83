//! Small pieces the text formats share (OpenBCI GUI, OpenSignals, WFDB): fields quoted
//! back in errors, short digit fields, and local start times written as ISO 8601.

/// A field quoted back in an error, cut to a readable length.
pub(crate) fn shorten(field: &str) -> String {
    const SHOWN: usize = 40;
    if field.chars().count() <= SHOWN {
        field.to_string()
    } else {
        let cut: String = field.chars().take(SHOWN).collect();
        format!("{cut}…")
    }
}

/// A run of one to four ASCII digits as a number (date and time fields).
pub(crate) fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A calendar date and a time of day, `[year, month, day]` and `[hour, minute, second]`,
/// with the digits after the seconds' point, as `YYYY-MM-DDTHH:MM:SS[.mmm]` without a zone
/// (the formats give local time); the fraction is padded or cut to milliseconds, the
/// resolution of their clocks. None when a field is out of range.
pub(crate) fn iso_local(date: [u32; 3], time: [u32; 3], fraction: Option<&str>) -> Option<String> {
    let [year, month, day] = date;
    let [h, m, s] = time;
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut iso = format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}");
    if let Some(f) = fraction {
        iso.push('.');
        iso.extend(f.chars().chain(std::iter::repeat('0')).take(3));
    }
    Some(iso)
}

/// A small deterministic generator (SplitMix64) for the parsers' mutation tests.
#[cfg(test)]
pub(crate) struct Rng(pub u64);

#[cfg(test)]
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_as_iso_8601() {
        assert_eq!(
            iso_local([2016, 6, 11], [7, 5, 4], Some("409")).as_deref(),
            Some("2016-06-11T07:05:04.409")
        );
        assert_eq!(
            iso_local([2023, 4, 5], [6, 7, 8], Some("9")).as_deref(),
            Some("2023-04-05T06:07:08.900")
        );
        assert_eq!(
            iso_local([2023, 4, 5], [6, 7, 8], None).as_deref(),
            Some("2023-04-05T06:07:08")
        );
        assert_eq!(iso_local([2023, 13, 5], [6, 7, 8], None), None);
        assert_eq!(iso_local([2023, 1, 5], [24, 0, 0], None), None);
        assert_eq!(iso_local([2023, 1, 5], [1, 0, 0], Some("x")), None);
        assert_eq!(digits("12345"), None);
        assert_eq!(shorten(&"x".repeat(50)).chars().count(), 41);
    }
}
