//! OpenBCI Cyton packets (DESIGN.md, "Serial protocols"): 8 channels, 33 bytes each:
//!
//! ```text
//! A0 | counter u8 | 8 × 24-bit big-endian signed counts | 6 aux bytes | footer C0–C6
//! ```
//!
//! [`CytonDecoder`] outputs counts; [`cyton_uv_per_count`] turns them into µV. Fault
//! behaviour:
//! - bytes before a `0xA0` header are skipped and counted;
//! - a packet whose footer is not `0xC0`–`0xC6` is dropped and counted corrupt, and the
//!   search for the next header starts one byte after the bad packet's header;
//! - the counter is read modulo 256: a jump of k is a gap of k − 1, so a repeated counter
//!   is a gap of 255 (the counter cannot tell it from a full turn).
//!
//! The start/stop handshake (`v`, `$$$`, `b`, `s`) is the recorder's job, not this module's.

use super::{Decoded, Decoder, DecoderStats};

/// Bytes in a packet.
pub const PACKET_LEN: usize = 33;
/// First byte of every packet.
pub const HEADER: u8 = 0xA0;
/// Channels in a packet.
pub const CHANNELS: usize = 8;
const FOOTERS: std::ops::RangeInclusive<u8> = 0xC0..=0xC6;

/// µV per count for the ADS1299 at gain 24: 4.5 V / (2²³ − 1) / 24 · 10⁶.
pub const CYTON_UV_PER_COUNT: f64 = 4.5 / 8_388_607.0 / 24.0 * 1e6;

/// µV per count (see [`CYTON_UV_PER_COUNT`]).
///
/// ```
/// let uv = myobalance::ingest::cyton::cyton_uv_per_count();
/// assert!((uv - 0.022_351_744).abs() < 1e-9);
/// ```
pub fn cyton_uv_per_count() -> f64 {
    CYTON_UV_PER_COUNT
}

/// One packet with footer `0xC0` and zero aux bytes. Counts are taken modulo 2²⁴ (values
/// outside −2²³ … 2²³ − 1 wrap).
pub fn encode_cyton_packet(counter: u8, counts: [i32; 8]) -> [u8; PACKET_LEN] {
    let mut p = [0u8; PACKET_LEN];
    p[0] = HEADER;
    p[1] = counter;
    for (ch, c) in counts.iter().enumerate() {
        let b = c.to_be_bytes();
        p[2 + 3 * ch..5 + 3 * ch].copy_from_slice(&b[1..]);
    }
    p[PACKET_LEN - 1] = 0xC0;
    p
}

/// Incremental decoder of Cyton packets. Samples come out as counts.
#[derive(Debug, Clone, Default)]
pub struct CytonDecoder {
    pending: Vec<u8>,
    last_counter: Option<u8>,
    rows: u64,
    stats: DecoderStats,
}

impl CytonDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Decoder for CytonDecoder {
    fn feed(&mut self, bytes: &[u8], out: &mut Decoded) {
        self.pending.extend_from_slice(bytes);
        let buf = std::mem::take(&mut self.pending);
        let mut i = 0;
        loop {
            let rest = &buf[i..];
            let skip = rest.iter().position(|&b| b == HEADER).unwrap_or(rest.len());
            self.stats.bytes_skipped += skip as u64;
            i += skip;
            let rest = &buf[i..];
            if rest.len() < PACKET_LEN {
                break;
            }
            let p = &rest[..PACKET_LEN];
            if !FOOTERS.contains(&p[PACKET_LEN - 1]) {
                self.stats.frames_corrupt += 1;
                self.stats.bytes_skipped += 1;
                i += 1;
                continue;
            }
            let counter = p[1];
            if let Some(last) = self.last_counter {
                let missing = u64::from(counter.wrapping_sub(last).wrapping_sub(1));
                if missing > 0 {
                    out.push_gap(self.rows, missing);
                    self.stats.frames_missing += missing;
                }
            }
            self.last_counter = Some(counter);
            out.samples
                .extend(p[2..2 + 3 * CHANNELS].chunks_exact(3).map(|b| {
                    // Sign-extend 24 bits: place them high, then shift back arithmetically.
                    f64::from(i32::from_be_bytes([b[0], b[1], b[2], 0]) >> 8)
                }));
            out.frames += 1;
            self.rows += 1;
            self.stats.frames_received += 1;
            i += PACKET_LEN;
        }
        self.pending = buf;
        self.pending.drain(..i);
    }

    fn finish(&mut self, _out: &mut Decoded) {
        self.stats.bytes_skipped += self.pending.len() as u64;
        self.pending.clear();
    }

    fn stats(&self) -> DecoderStats {
        self.stats
    }

    fn channels(&self) -> Option<usize> {
        Some(CHANNELS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_extension_and_layout() {
        let counts = [0, 1, -1, 8_388_607, -8_388_608, 0x12_3456, -2, 42];
        let p = encode_cyton_packet(5, counts);
        assert_eq!(&p[2..5], &[0, 0, 0]);
        assert_eq!(&p[8..11], &[0xFF, 0xFF, 0xFF]);
        assert_eq!(&p[11..14], &[0x7F, 0xFF, 0xFF]);
        let mut d = CytonDecoder::new();
        let mut out = Decoded::default();
        d.feed(&p, &mut out);
        let expect: Vec<f64> = counts.iter().map(|&c| f64::from(c)).collect();
        assert_eq!(out.samples, expect);
    }

    #[test]
    fn counter_gaps_modulo_256() {
        let mut bytes = Vec::new();
        for c in [254u8, 255, 1, 1] {
            bytes.extend(encode_cyton_packet(c, [0; 8]));
        }
        let mut d = CytonDecoder::new();
        let mut out = Decoded::default();
        d.feed(&bytes, &mut out);
        assert_eq!(out.frames, 4);
        let gaps: Vec<(u64, u64)> = out.gaps.iter().map(|g| (g.row, g.count)).collect();
        assert_eq!(gaps, vec![(2, 1), (3, 255)]);
        assert_eq!(d.stats().frames_missing, 256);
    }

    #[test]
    fn every_footer_accepted() {
        for footer in 0xC0..=0xC6u8 {
            let mut p = encode_cyton_packet(0, [7; 8]);
            p[32] = footer;
            let mut d = CytonDecoder::new();
            let mut out = Decoded::default();
            d.feed(&p, &mut out);
            assert_eq!(out.frames, 1, "footer {footer:#x}");
        }
    }

    #[test]
    fn scale() {
        let expected = 4.5 / (8_388_608.0 - 1.0) / 24.0 * 1e6;
        assert_eq!(cyton_uv_per_count(), expected);
    }
}
