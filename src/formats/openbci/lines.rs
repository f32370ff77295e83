//! How an OpenBCI GUI text file is cut: numbered lines checked to be UTF-8, comma-separated
//! fields, finite numbers, and fields quoted back in errors.

/// Comma-separated fields, trimmed; a trailing comma adds no field.
pub(super) fn split_fields(line: &str) -> impl Iterator<Item = &str> + '_ {
    let line = line.trim();
    let line = line.strip_suffix(',').unwrap_or(line);
    line.split(',').map(str::trim)
}

/// A finite number that an f32 holds (what myobalance stores), or None.
pub(super) fn parse_number(field: &str) -> Option<f64> {
    field
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() <= f64::from(f32::MAX))
}

pub(super) use crate::formats::text::shorten;

/// Lines of a byte buffer, numbered from 1, each checked to be UTF-8 and stripped of its
/// line ending.
#[derive(Clone)]
pub(super) struct Lines<'a> {
    rest: &'a [u8],
    number: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Lines {
            rest: bytes,
            number: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, Result<&'a str, String>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        self.number += 1;
        let (line, rest) = match self.rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
            None => (self.rest, &self.rest[self.rest.len()..]),
        };
        self.rest = rest;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = std::str::from_utf8(line).map_err(|e| {
            format!(
                "not UTF-8 text (invalid byte at character {} of the line)",
                e.valid_up_to() + 1
            )
        });
        Some((self.number, text))
    }
}
