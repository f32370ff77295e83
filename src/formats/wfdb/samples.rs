//! WFDB sample storage formats (PhysioNet signal(5)): bytes of a signal file to ADC values.
//! A file holds frames one after another; a frame holds, for each of the file's signals in
//! header order, that signal's samples per frame. This module only decodes the value
//! stream; which value belongs to which signal is [`super`]'s business.
//!
//! - Format 16: 16-bit two's complement, least significant byte first.
//! - Format 24: 24-bit two's complement, least significant byte first.
//! - Format 212: two 12-bit two's complement values in three bytes, across the whole
//!   stream (a pair may straddle frames): the first value is byte 0 plus the low nibble of
//!   byte 1 as its high bits; the second is the high nibble of byte 1 as its high bits plus
//!   byte 2. An odd last value takes two bytes.

/// The formats this reader decodes.
pub const SUPPORTED_FORMATS: [u32; 3] = [16, 212, 24];

/// The value WFDB writes for an invalid (missing) sample in `format`: the most negative
/// value of its width (WFDB_INVALID_SAMPLE for format 16; −2¹¹ and −2²³ for 212 and 24).
pub fn invalid_value(format: u32) -> i32 {
    match format {
        212 => -(1 << 11),
        24 => -(1 << 23),
        _ => i32::from(i16::MIN),
    }
}

/// How many whole values `bytes` bytes hold in `format`.
pub fn values_in(format: u32, bytes: usize) -> usize {
    match format {
        212 => bytes / 3 * 2 + usize::from(bytes % 3 == 2),
        24 => bytes / 3,
        _ => bytes / 2,
    }
}

/// Decodes the first `count` values of `bytes` (at most [`values_in`]) in `format`,
/// appending them to `out`.
pub fn decode(format: u32, bytes: &[u8], count: usize, out: &mut Vec<i32>) {
    let count = count.min(values_in(format, bytes.len()));
    out.reserve(count);
    match format {
        212 => {
            for i in 0..count {
                let at = i / 2 * 3;
                let (b0, b1) = (byte(bytes, at), byte(bytes, at + 1));
                let v = if i % 2 == 0 {
                    (i32::from(b1 & 0x0F) << 8) | i32::from(b0)
                } else {
                    (i32::from(b1 & 0xF0) << 4) | i32::from(byte(bytes, at + 2))
                };
                // Sign-extend 12 bits.
                out.push((v << 20) >> 20);
            }
        }
        24 => out.extend(
            bytes
                .chunks_exact(3)
                .take(count)
                .map(|b| i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8),
        ),
        _ => out.extend(
            bytes
                .chunks_exact(2)
                .take(count)
                .map(|b| i32::from(i16::from_le_bytes([b[0], b[1]]))),
        ),
    }
}

fn byte(bytes: &[u8], at: usize) -> u8 {
    bytes.get(at).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_16_and_24() {
        let mut out = Vec::new();
        decode(
            16,
            &[0x01, 0x00, 0xFF, 0xFF, 0x00, 0x80, 0x7F],
            10,
            &mut out,
        );
        assert_eq!(out, vec![1, -1, -32768]);
        out.clear();
        decode(
            24,
            &[0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x80, 0xFF],
            10,
            &mut out,
        );
        assert_eq!(out, vec![1, -1, -(1 << 23)]);
    }

    #[test]
    fn format_212_pairs() {
        // Values 0x123 and 0x456 (positive), then −1 and −2048, then a lone 5.
        let bytes = [0x23, 0x41, 0x56, 0xFF, 0x8F, 0x00, 0x05, 0x00];
        let mut out = Vec::new();
        decode(212, &bytes, usize::MAX, &mut out);
        assert_eq!(out, vec![0x123, 0x456, -1, -2048, 5]);
        assert_eq!(values_in(212, 8), 5);
        assert_eq!(values_in(212, 7), 4);
        assert_eq!(invalid_value(212), -2048);
    }
}
