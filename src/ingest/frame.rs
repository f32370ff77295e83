//! The native **frame** protocol (DESIGN.md, "Serial protocols"): decoder, encoder and
//! its CRC. One frame per sample instant, little-endian:
//!
//! ```text
//! A5 5A | version=1 | n (1–64) | sequence u32 | n × i32 counts | CRC-16 (bytes 2 … 8+4n−1)
//! ```
//!
//! Fault behaviour of [`FrameDecoder`]:
//! - bytes before a sync word are skipped and counted;
//! - a sync word followed by a version other than 1 or a channel count outside 1–64 is not
//!   a frame: its first byte is skipped and the search goes on (not counted corrupt);
//! - a bad CRC, or a channel count other than the first good frame's, drops the frame and
//!   counts it corrupt; the search for the next sync word starts one byte after the bad
//!   frame's sync, so a good frame hidden inside the bad one's bytes is still found;
//! - a sequence jump of k > 1 is a gap of k − 1 frames; jumps are read modulo 2³² and the
//!   sequence is unwrapped into a `u64` that only increases;
//! - a repeated sequence number (a duplicate) is dropped and counted corrupt;
//! - a sequence that goes backwards (a jump of 2³¹ or more modulo 2³²) is taken as a device
//!   restart: the frame is kept, continues the unwrapped sequence at +1, and is counted in
//!   [`DecoderStats::sequence_restarts`].

use super::{Decoded, Decoder, DecoderStats};

/// The two bytes that start every frame.
pub const SYNC: [u8; 2] = [0xA5, 0x5A];
/// The only protocol version this decoder reads.
pub const VERSION: u8 = 1;
/// Most channels a frame can carry.
pub const MAX_CHANNELS: usize = 64;
const HEADER_LEN: usize = 8;
const CRC_LEN: usize = 2;

/// Bytes in a frame of `channels` channels.
pub const fn frame_len(channels: usize) -> usize {
    HEADER_LEN + 4 * channels + CRC_LEN
}

/// Tables of the CRC eight bytes at a time: `CRC_TABLES[k][b]` is what byte `b` adds to the
/// register when `k` more bytes follow it in the same step (`CRC_TABLES[0]` is the classic
/// byte-at-a-time table). A frame's CRC covers 134 bytes at 32 channels; one table lookup
/// chain per byte was the decoder's largest cost.
const CRC_TABLES: [[u16; 256]; 8] = {
    let mut tables = [[0u16; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
            bit += 1;
        }
        tables[0][i] = crc;
        i += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = tables[k - 1][i];
            tables[k][i] = (prev << 8) ^ tables[0][(prev >> 8) as usize];
            i += 1;
        }
        k += 1;
    }
    tables
};

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final xor.
///
/// ```
/// use myobalance::ingest::frame::crc16_ccitt_false;
/// assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
/// ```
pub fn crc16_ccitt_false(bytes: &[u8]) -> u16 {
    let t = &CRC_TABLES;
    let mut chunks = bytes.chunks_exact(8);
    let mut crc: u16 = 0xFFFF;
    for c in &mut chunks {
        // The register meets the first two bytes; the other six only pass through.
        let [hi, lo] = crc.to_be_bytes();
        crc = t[7][usize::from(c[0] ^ hi)]
            ^ t[6][usize::from(c[1] ^ lo)]
            ^ t[5][usize::from(c[2])]
            ^ t[4][usize::from(c[3])]
            ^ t[3][usize::from(c[4])]
            ^ t[2][usize::from(c[5])]
            ^ t[1][usize::from(c[6])]
            ^ t[0][usize::from(c[7])];
    }
    chunks.remainder().iter().fold(crc, |crc, &b| {
        (crc << 8) ^ t[0][usize::from((crc >> 8) as u8 ^ b)]
    })
}

/// Appends one frame to `out`.
///
/// # Panics
/// If `counts` has no channels or more than [`MAX_CHANNELS`].
pub fn encode_frame_into(sequence: u32, counts: &[i32], out: &mut Vec<u8>) {
    assert!(
        (1..=MAX_CHANNELS).contains(&counts.len()),
        "a frame carries 1 to {MAX_CHANNELS} channels, not {}",
        counts.len()
    );
    let start = out.len();
    out.extend_from_slice(&SYNC);
    out.push(VERSION);
    out.push(counts.len() as u8);
    out.extend_from_slice(&sequence.to_le_bytes());
    for c in counts {
        out.extend_from_slice(&c.to_le_bytes());
    }
    let crc = crc16_ccitt_false(&out[start + 2..]);
    out.extend_from_slice(&crc.to_le_bytes());
}

/// One frame as bytes (see [`encode_frame_into`], which panics in the same cases).
pub fn encode_frame(sequence: u32, counts: &[i32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(frame_len(counts.len()));
    encode_frame_into(sequence, counts, &mut out);
    out
}

/// Incremental decoder of the frame protocol. Samples come out as device counts (`i32`
/// values, exact in `f64`).
#[derive(Debug, Clone, Default)]
pub struct FrameDecoder {
    /// Bytes received but not yet consumed: at most one frame's worth after each `feed`.
    pending: Vec<u8>,
    channels: Option<usize>,
    last_sequence: Option<u32>,
    unwrapped: u64,
    rows: u64,
    stats: DecoderStats,
}

impl FrameDecoder {
    /// A decoder that learns the channel count from the first good frame.
    pub fn new() -> Self {
        Self::default()
    }

    /// The unwrapped sequence number of the last good frame.
    pub fn last_sequence(&self) -> Option<u64> {
        self.last_sequence.map(|_| self.unwrapped)
    }

    /// Sequence bookkeeping for a good frame; `false` drops it as a duplicate.
    fn accept_sequence(&mut self, sequence: u32, out: &mut Decoded) -> bool {
        match self.last_sequence {
            None => self.unwrapped = u64::from(sequence),
            Some(last) => {
                let delta = sequence.wrapping_sub(last);
                if delta == 0 {
                    return false;
                }
                if delta > i32::MAX as u32 {
                    self.stats.sequence_restarts += 1;
                    self.unwrapped += 1;
                } else {
                    if delta > 1 {
                        let missing = u64::from(delta - 1);
                        out.push_gap(self.rows, missing);
                        self.stats.frames_missing += missing;
                    }
                    self.unwrapped += u64::from(delta);
                }
            }
        }
        self.last_sequence = Some(sequence);
        true
    }
}

/// Where the next sync word starts in `bytes`, if anywhere.
fn find_sync(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).position(|w| w == SYNC)
}

impl Decoder for FrameDecoder {
    fn feed(&mut self, bytes: &[u8], out: &mut Decoded) {
        self.pending.extend_from_slice(bytes);
        let buf = std::mem::take(&mut self.pending);
        let mut i = 0;
        loop {
            let rest = &buf[i..];
            let skip = match find_sync(rest) {
                Some(j) => j,
                None => {
                    // A trailing 0xA5 may be the first half of a sync word.
                    let keep = usize::from(rest.last() == Some(&SYNC[0]));
                    let skip = rest.len() - keep;
                    self.stats.bytes_skipped += skip as u64;
                    i += skip;
                    break;
                }
            };
            self.stats.bytes_skipped += skip as u64;
            i += skip;
            let rest = &buf[i..];
            if rest.len() < 4 {
                break;
            }
            let n = usize::from(rest[3]);
            if rest[2] != VERSION || !(1..=MAX_CHANNELS).contains(&n) {
                self.stats.bytes_skipped += 1;
                i += 1;
                continue;
            }
            let len = frame_len(n);
            if rest.len() < len {
                break;
            }
            let frame = &rest[..len];
            let crc = u16::from_le_bytes([frame[len - 2], frame[len - 1]]);
            let crc_ok = crc16_ccitt_false(&frame[2..len - 2]) == crc;
            if !crc_ok || self.channels.is_some_and(|c| c != n) {
                self.stats.frames_corrupt += 1;
                self.stats.bytes_skipped += 1;
                i += 1;
                continue;
            }
            let sequence = u32::from_le_bytes([frame[4], frame[5], frame[6], frame[7]]);
            if !self.accept_sequence(sequence, out) {
                self.stats.frames_corrupt += 1;
                self.stats.bytes_skipped += len as u64;
                i += len;
                continue;
            }
            self.channels = Some(n);
            out.samples.extend(
                frame[HEADER_LEN..len - CRC_LEN]
                    .chunks_exact(4)
                    .map(|c| f64::from(i32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
            );
            out.frames += 1;
            self.rows += 1;
            self.stats.frames_received += 1;
            i += len;
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
        self.channels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bit-by-bit CRC, the reference for the table-driven one.
    fn crc_naive(bytes: &[u8]) -> u16 {
        let mut crc: u16 = 0xFFFF;
        for &b in bytes {
            crc ^= u16::from(b) << 8;
            for _ in 0..8 {
                crc = if crc & 0x8000 != 0 {
                    (crc << 1) ^ 0x1021
                } else {
                    crc << 1
                };
            }
        }
        crc
    }

    #[test]
    fn crc_check_value_and_naive_reference() {
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
        assert_eq!(crc16_ccitt_false(b""), 0xFFFF);
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for end in 0..data.len() {
            assert_eq!(crc16_ccitt_false(&data[..end]), crc_naive(&data[..end]));
        }
    }

    #[test]
    fn encoded_layout() {
        let f = encode_frame(0x0403_0201, &[-1, 2]);
        assert_eq!(f.len(), frame_len(2));
        assert_eq!(&f[..8], &[0xA5, 0x5A, 1, 2, 1, 2, 3, 4]);
        assert_eq!(&f[8..12], &(-1i32).to_le_bytes());
        let crc = crc16_ccitt_false(&f[2..16]);
        assert_eq!(&f[16..], &crc.to_le_bytes());
    }

    #[test]
    fn wrap_unwraps_into_u64() {
        let mut bytes = Vec::new();
        for s in [u32::MAX - 1, u32::MAX, 0, 2] {
            encode_frame_into(s, &[s as i32], &mut bytes);
        }
        let mut d = FrameDecoder::new();
        let mut out = Decoded::default();
        d.feed(&bytes, &mut out);
        assert_eq!(out.frames, 4);
        assert_eq!(out.gaps, vec![super::super::Missing { row: 3, count: 1 }]);
        assert_eq!(d.last_sequence(), Some(u64::from(u32::MAX) + 3));
    }

    #[test]
    fn duplicate_dropped_restart_kept() {
        let mut bytes = Vec::new();
        for s in [10, 11, 11, 3, 4] {
            encode_frame_into(s, &[s as i32], &mut bytes);
        }
        let mut d = FrameDecoder::new();
        let mut out = Decoded::default();
        d.feed(&bytes, &mut out);
        assert_eq!(out.samples, vec![10.0, 11.0, 3.0, 4.0]);
        assert!(out.gaps.is_empty());
        let s = d.stats();
        assert_eq!((s.frames_corrupt, s.sequence_restarts), (1, 1));
        assert_eq!(s.bytes_skipped, frame_len(1) as u64);
        assert_eq!(d.last_sequence(), Some(13));
    }

    #[test]
    fn other_channel_count_is_corrupt() {
        let mut bytes = encode_frame(0, &[1, 2]);
        bytes.extend(encode_frame(1, &[1, 2, 3]));
        bytes.extend(encode_frame(2, &[5, 6]));
        let mut d = FrameDecoder::new();
        let mut out = Decoded::default();
        d.feed(&bytes, &mut out);
        assert_eq!(out.samples, vec![1.0, 2.0, 5.0, 6.0]);
        assert_eq!(d.stats().frames_corrupt, 1);
        assert_eq!(d.stats().bytes_skipped, frame_len(3) as u64);
        assert_eq!(out.gaps.len(), 1);
    }

    #[test]
    fn truncated_tail_counted_at_finish() {
        let bytes = encode_frame(0, &[1, 2]);
        let mut d = FrameDecoder::new();
        let mut out = Decoded::default();
        d.feed(&bytes[..7], &mut out);
        assert_eq!(d.stats().bytes_skipped, 0);
        d.finish(&mut out);
        assert_eq!(d.stats().bytes_skipped, 7);
        assert_eq!(out.frames, 0);
    }
}
