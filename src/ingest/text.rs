//! ASCII lines, as Arduino `Serial.println` writes them (DESIGN.md, "Serial protocols"):
//! one sample instant per line, ended by `\n` or `\r\n`.
//!
//! Fields: a run of spaces and tabs is one separator, and so is a single `,` or `;` with
//! any spaces or tabs around it; spaces and tabs at either end of a line are ignored, and
//! so is one `,` or `;` ending a line (`1,2,` is two fields). Two commas in a row leave an
//! empty field, which is not a number. A number is anything Rust's `f64` parser reads
//! that is finite (`1`, `-2.5`, `3e-4`; not `nan`, not `inf`).
//!
//! Fault behaviour of [`TextDecoder`]:
//! - the first non-blank line is a header when it is valid UTF-8, has no empty field and
//!   at least one field that is not a number; its fields are the channel names;
//! - the channel count is fixed by [`TextDecoder::with_channels`], else the header, else
//!   the first good data line;
//! - a line with the wrong number of fields, a field that is not a number, or bytes that
//!   are not UTF-8 is dropped, counted corrupt, and is a gap of one instant at the row
//!   where it stood (consecutive bad lines make one longer gap);
//! - a line longer than [`MAX_LINE_BYTES`] (terminator included) is garbage in the same
//!   way (one corrupt line, a gap of one); the bytes up to the next `\n` are skipped;
//! - blank lines are ignored: their bytes count as skipped, but they are neither corrupt
//!   nor gaps.
//!
//! `bytes_skipped` counts every byte of a dropped or blank line; header bytes are not
//! skipped.

use super::{Decoded, Decoder, DecoderStats};

/// Longest line kept, terminator included; longer lines are garbage.
pub const MAX_LINE_BYTES: usize = 4096;

/// Incremental decoder of text lines.
#[derive(Debug, Clone, Default)]
pub struct TextDecoder {
    /// The current, unterminated line (never longer than [`MAX_LINE_BYTES`]).
    line: Vec<u8>,
    /// Inside an overlong line: bytes are skipped up to the next `\n`.
    overlong: bool,
    /// A non-blank line has been seen, so no header can follow.
    first_line_seen: bool,
    channels: Option<usize>,
    names: Option<Vec<String>>,
    /// Scratch for one line's values.
    values: Vec<f64>,
    rows: u64,
    stats: DecoderStats,
}

/// Calls `field` with each field of `line` (already trimmed of spaces and tabs).
fn for_each_field<'a>(line: &'a str, mut field: impl FnMut(&'a str)) {
    let is_ws = |b: u8| b == b' ' || b == b'\t';
    let is_sep = |b: u8| is_ws(b) || b == b',' || b == b';';
    let bytes = line.as_bytes();
    let mut start = 0;
    loop {
        let mut end = start;
        while end < bytes.len() && !is_sep(bytes[end]) {
            end += 1;
        }
        field(&line[start..end]);
        let mut j = end;
        while j < bytes.len() && is_ws(bytes[j]) {
            j += 1;
        }
        if j < bytes.len() && (bytes[j] == b',' || bytes[j] == b';') {
            j += 1;
            while j < bytes.len() && is_ws(bytes[j]) {
                j += 1;
            }
        }
        if j >= bytes.len() {
            return;
        }
        start = j;
    }
}

/// The finite number a field holds, if it holds one.
fn number(field: &str) -> Option<f64> {
    field.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl TextDecoder {
    /// A decoder that learns the channel count from a header or the first good line.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder that expects `channels` fields per line from the start (useful when the
    /// port is opened mid-stream and the first line may be a fragment).
    pub fn with_channels(channels: usize) -> Self {
        Self {
            channels: Some(channels),
            ..Self::default()
        }
    }

    /// The channel names of the header line, once one has been read.
    pub fn names(&self) -> Option<&[String]> {
        self.names.as_deref()
    }

    fn drop_line(&mut self, len: usize, out: &mut Decoded) {
        self.stats.frames_corrupt += 1;
        self.stats.bytes_skipped += len as u64;
        self.stats.frames_missing += 1;
        out.push_gap(self.rows, 1);
    }

    /// Decodes the complete line in `self.line` (terminator included) and empties it.
    fn end_line(&mut self, out: &mut Decoded) {
        let line = std::mem::take(&mut self.line);
        self.decode_line(&line, out);
        self.line = line;
        self.line.clear();
    }

    fn decode_line(&mut self, raw: &[u8], out: &mut Decoded) {
        let trim = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let first = raw.iter().position(|b| !trim(b));
        let Some(first) = first else {
            self.stats.bytes_skipped += raw.len() as u64;
            return;
        };
        let last = raw.iter().rposition(|b| !trim(b)).unwrap_or(first);
        let Ok(text) = std::str::from_utf8(&raw[first..=last]) else {
            self.first_line_seen = true;
            self.drop_line(raw.len(), out);
            return;
        };
        self.values.clear();
        let mut fields = 0;
        let mut numeric = true;
        let mut empty_field = false;
        let values = &mut self.values;
        for_each_field(text, |f| {
            fields += 1;
            empty_field |= f.is_empty();
            match number(f) {
                Some(v) => values.push(v),
                None => numeric = false,
            }
        });
        if !self.first_line_seen {
            self.first_line_seen = true;
            if !numeric && !empty_field && self.channels.is_none_or(|c| c == fields) {
                let mut names = Vec::with_capacity(fields);
                for_each_field(text, |f| names.push(f.to_string()));
                self.channels = Some(fields);
                self.names = Some(names);
                return;
            }
        }
        if !numeric || *self.channels.get_or_insert(fields) != fields {
            self.drop_line(raw.len(), out);
            return;
        }
        out.samples.extend_from_slice(&self.values);
        out.frames += 1;
        self.rows += 1;
        self.stats.frames_received += 1;
    }

    /// Takes bytes of the current line (with at most one `\n`, at the end).
    fn take(&mut self, part: &[u8], out: &mut Decoded) {
        if self.overlong {
            self.stats.bytes_skipped += part.len() as u64;
        } else if self.line.len() + part.len() > MAX_LINE_BYTES {
            self.stats.bytes_skipped += self.line.len() as u64;
            self.line.clear();
            self.first_line_seen = true;
            self.drop_line(part.len(), out);
            self.overlong = true;
        } else {
            self.line.extend_from_slice(part);
        }
    }
}

impl Decoder for TextDecoder {
    fn feed(&mut self, bytes: &[u8], out: &mut Decoded) {
        let mut rest = bytes;
        while let Some(k) = rest.iter().position(|&b| b == b'\n') {
            let (part, tail) = rest.split_at(k + 1);
            self.take(part, out);
            if self.overlong {
                self.overlong = false;
            } else {
                self.end_line(out);
            }
            rest = tail;
        }
        self.take(rest, out);
    }

    fn finish(&mut self, out: &mut Decoded) {
        if !self.overlong && !self.line.is_empty() {
            self.end_line(out);
        }
        self.overlong = false;
        self.line.clear();
    }

    fn stats(&self) -> DecoderStats {
        self.stats
    }

    fn channels(&self) -> Option<usize> {
        self.channels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<&str> {
        let mut v = Vec::new();
        for_each_field(line, |f| v.push(f));
        v
    }

    #[test]
    fn separators() {
        assert_eq!(fields("1,2,3"), ["1", "2", "3"]);
        assert_eq!(fields("1, 2 ;3\t4"), ["1", "2", "3", "4"]);
        assert_eq!(fields("1    2\t\t3"), ["1", "2", "3"]);
        assert_eq!(fields("1,2,"), ["1", "2"]);
        assert_eq!(fields("1,,2"), ["1", "", "2"]);
        assert_eq!(fields(",1"), ["", "1"]);
        assert_eq!(fields("7"), ["7"]);
    }

    fn decode(bytes: &[u8]) -> (TextDecoder, Decoded) {
        let mut d = TextDecoder::new();
        let mut out = Decoded::default();
        d.feed(bytes, &mut out);
        d.finish(&mut out);
        (d, out)
    }

    #[test]
    fn header_and_lines() {
        let (d, out) = decode(b"biceps_l,triceps_l\r\n1,2\r\n3.5,-4e1\r\n5,6");
        assert_eq!(d.names().unwrap(), ["biceps_l", "triceps_l"]);
        assert_eq!(out.samples, vec![1.0, 2.0, 3.5, -40.0, 5.0, 6.0]);
        assert_eq!(d.stats().bytes_skipped, 0);
    }

    #[test]
    fn bad_lines_are_gaps_of_one() {
        let text = b"1 2\n3 4 5\nx 6\n\n7 8\nnan 1\n9 10\n";
        let (d, out) = decode(text);
        assert_eq!(d.channels(), Some(2));
        assert_eq!(out.samples, vec![1.0, 2.0, 7.0, 8.0, 9.0, 10.0]);
        let gaps: Vec<(u64, u64)> = out.gaps.iter().map(|g| (g.row, g.count)).collect();
        assert_eq!(gaps, vec![(1, 2), (2, 1)]);
        let s = d.stats();
        assert_eq!((s.frames_corrupt, s.frames_missing), (3, 3));
        assert_eq!(s.bytes_skipped, (6 + 4 + 1 + 6) as u64);
    }

    #[test]
    fn overlong_line_skipped_to_newline() {
        let mut text = b"1,2\n".to_vec();
        text.extend(std::iter::repeat_n(b'9', 5000));
        text.extend(b"\n3,4\n");
        let (d, out) = decode(&text);
        assert_eq!(out.samples, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(d.stats().bytes_skipped, 5001);
        assert_eq!(d.stats().frames_corrupt, 1);
        assert_eq!(out.gaps.len(), 1);
    }

    #[test]
    fn preset_channels_reject_fragment() {
        let mut d = TextDecoder::with_channels(3);
        let mut out = Decoded::default();
        d.feed(b"5,6\n1,2,3\n", &mut out);
        assert_eq!(out.samples, vec![1.0, 2.0, 3.0]);
        assert_eq!(d.stats().frames_corrupt, 1);
    }
}
