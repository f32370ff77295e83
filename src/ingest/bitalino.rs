//! BITalino (r)evolution frames and commands (DESIGN.md, "Part 2", the `bitalino`
//! protocol), as the manufacturer's Python API (PyPI `bitalino` 1.2.6, `BITalino.read`)
//! unpacks them and the board's firmware (`BITalinoWorld/firmware-bitalino-revolution`,
//! `live.c`, `uart.c`) packs them. This module is pure: [`BitalinoDecoder`], an encoder, the
//! command bytes, the CRC-4 and the EMG transfer function. Talking to a port (the
//! handshake) is the recorder's job; [`super::bitalino_device`] plays the board.
//!
//! # Frame
//!
//! One frame per sample instant. The host picks 1–6 analog inputs with the start command
//! and the frame carries only those, in ascending input order; the frame does not say how
//! many, so the decoder is told ([`BitalinoDecoder::new`]). Its length follows from the
//! count:
//!
//! | channels | 1 | 2 | 3 | 4 | 5 | 6 |
//! |---|---|---|---|---|---|---|
//! | bytes    | 3 | 4 | 6 | 7 | 8 | 8 |
//!
//! Put zero bytes in front of a frame to make 8 and read them as one little-endian `u64`
//! (the first byte sent is the least significant, the last one — sequence and CRC — the
//! most significant); every field is then a contiguous run of bits:
//!
//! ```text
//! bit   63‥60  59‥56  55  54  53  52  51‥42   41‥32   31‥22   21‥12   11‥6    5‥0
//!       seq    CRC-4  I1  I2  O1  O2  ch1/10  ch2/10  ch3/10  ch4/10  ch5/6   ch6/6
//! ```
//!
//! `chK/b` is the K-th channel switched on, with `b` bits. The first four channels carry
//! the full 10-bit conversion (0–1023); the fifth and sixth only its upper 6 bits (0–63)
//! — so "A1–A4 10-bit, A5–A6 6-bit" holds when all six are on, and in general resolution
//! follows the position in the frame ([`resolution_bits`]). Bits below the last channel's
//! field are zero and not sent. `seq` counts frames modulo 16 from 0 at each start;
//! `I1 I2` are the digital inputs, `O1 O2` the digital outputs.
//!
//! # CRC-4
//!
//! Polynomial x⁴ + x + 1, initial value 0, most significant bit first, no reflection, no
//! final xor, over every bit of the frame in the order sent with the CRC nibble itself
//! taken as 0000 (so it is the plain CRC of every bit before the CRC nibble) — [`crc4`].
//!
//! # Faults and resynchronisation
//!
//! The frame has no sync word: any byte may start one. [`BitalinoDecoder`] is either
//! *locked* (it knows where the next frame starts) or *hunting*:
//! - locked, the next frame is accepted when its CRC holds and its sequence number is the
//!   last one plus 1;
//! - a bad CRC where a frame was due drops it, counts it corrupt
//!   ([`DecoderStats::frames_corrupt`]) and starts a hunt one byte further on, so a frame
//!   that starts inside the bad bytes is still found;
//! - hunting (also at the start of the stream), a position is taken as a frame start only
//!   when the frame there *and the two after it* have good CRCs and consecutive sequence
//!   numbers, and, after a lost lock, its sequence number is not the last good frame's;
//!   otherwise one byte is skipped ([`DecoderStats::bytes_skipped`]) and the next position
//!   is tried;
//! - a good frame whose sequence number jumps is believed when the frame after it has a good
//!   CRC and continues from it (else it is dropped as corrupt); a jump of k (modulo 16) is
//!   then a gap of k − 1 frames (a repeated number is a gap of 15: the counter cannot tell
//!   it from a full turn, and a loss of 16 frames is invisible).
//!
//! Why the confirmations: a 4-bit CRC lets one random window in 16 through, so a resync on
//! the CRC alone goes wrong often — when a 6-channel frame loses a byte, one of the six
//! wrong positions tried before the next true boundary passes about one time in three
//! (1 − (15/16)⁶ ≈ 32 %). Three CRCs and two sequence steps make that 2⁻²⁰ per position for
//! random bytes (a false start about once per MiB of noise, measured in
//! tests/it/bitalino.rs), and less for
//! misaligned real frames, where the nibble read as the sequence number is signal data
//! that seldom steps by exactly one. The price: a hunt waits for three whole frames, so
//! after a lost lock the last two good frames of a stream are not decoded. The confirming
//! frames only look forward, so a stray window exactly one frame before the true boundary
//! is confirmed by the real frames after it whenever it passes its own CRC and carries the
//! number before theirs (1 in 256). When nothing was lost that number is the last good
//! frame's, which is why a hunt never takes a repeat: a true loss of exactly 15 frames
//! there is far less likely (and is then counted as none, like a loss of 16).
//!
//! Inside a locked stream the CRC and the sequence step are all there is (the official API
//! checks the CRC only): damage to the samples alone passes one time in 16 (a single
//! flipped bit never does), and garbage that happens to stand where a frame is due is
//! taken for one about one time in 256 (tests/it/bitalino.rs measures it). Other garbage inserted between frames of a locked
//! stream looks exactly like a damaged frame (one corrupt frame, its bytes skipped); the
//! sequence numbers then show that no sample instant is missing, so there is no gap. At
//! [`Decoder::finish`], bytes not yet decoded (a truncated frame, or frames still waiting
//! for their confirmation) are counted as skipped.
//!
//! ```
//! use myobalance::ingest::bitalino::{encode_bitalino_frame, BitalinoDecoder};
//! use myobalance::ingest::{Decoded, Decoder};
//!
//! let mut bytes = Vec::new();
//! for seq in [13u8, 14, 15, 2, 3] {
//!     // 0 and 1 were lost
//!     bytes.extend(encode_bitalino_frame(seq, [false; 4], &[512, u16::from(seq), 63]));
//! }
//! let mut decoder = BitalinoDecoder::new(3).unwrap();
//! let mut out = Decoded::default();
//! decoder.feed(&bytes, &mut out);
//! assert_eq!(out.frames, 5);
//! assert_eq!(&out.samples[..3], &[512.0, 13.0, 63.0]);
//! assert_eq!((out.gaps[0].row, out.gaps[0].count), (3, 2));
//! ```

use super::{Decoded, Decoder, DecoderStats};

/// Most analog channels a frame carries.
pub const MAX_CHANNELS: usize = 6;

/// The speed of the board's serial port (its USB cable and its Bluetooth serial port), as
/// the official API opens it.
pub const BAUD: u32 = 115_200;

/// The sampling rates the board offers, in Hz.
pub const RATES_HZ: [u32; 4] = [1, 10, 100, 1000];

/// Frames after a candidate that must have good CRCs and the following sequence numbers
/// before a hunting decoder takes the candidate as a frame start (module docs).
const HUNT_CONFIRMATIONS: usize = 2;

/// Where each channel's field starts in the frame read as a little-endian `u64` (module
/// docs), by position in the frame.
const SHIFTS: [u32; MAX_CHANNELS] = [42, 32, 22, 12, 6, 0];

/// What is wrong with a BITalino setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BitalinoError {
    #[error("a BITalino streams 1 to 6 analog channels, not {0}")]
    Channels(usize),
    #[error("BITalino analog channel {0} does not exist: channels are 0 (A1) to 5 (A6)")]
    ChannelIndex(usize),
    #[error("BITalino analog channel {0} (A{a}) is listed twice", a = .0 + 1)]
    DuplicateChannel(usize),
    #[error("a BITalino samples at 1, 10, 100 or 1000 Hz, not {0} Hz")]
    Rate(u32),
}

/// Bytes in a frame of `channels` analog channels (1–6).
///
/// ```
/// use myobalance::ingest::bitalino::frame_len;
/// let lens: Vec<usize> = (1..=6).map(frame_len).collect();
/// assert_eq!(lens, [3, 4, 6, 7, 8, 8]);
/// ```
///
/// # Panics
/// If `channels` is not 1–6.
pub const fn frame_len(channels: usize) -> usize {
    assert!(
        channels >= 1 && channels <= MAX_CHANNELS,
        "a BITalino frame carries 1 to 6 channels"
    );
    // 4 digital bits, a byte of sequence and CRC, 10 bits per channel up to four, then 6.
    let bits = if channels <= 4 {
        12 + 10 * channels
    } else {
        52 + 6 * (channels - 4)
    };
    bits.div_ceil(8)
}

/// Bits of the value at `position` (0-based) in the frame: 10 for the first four
/// channels switched on, 6 for the fifth and sixth (the board sends only the upper 6 bits
/// of their 10-bit conversion).
///
/// # Panics
/// If `position` is 6 or more.
pub const fn resolution_bits(position: usize) -> u32 {
    assert!(position < MAX_CHANNELS, "a BITalino frame has 6 positions");
    if position < 4 {
        10
    } else {
        6
    }
}

/// `c·x⁴ mod (x⁴ + x + 1)` for every nibble `c`: one CRC step over four bits.
const CRC_TABLE: [u8; 16] = {
    let mut table = [0u8; 16];
    let mut c = 0;
    while c < 16 {
        let mut r = c as u8;
        let mut bit = 0;
        while bit < 4 {
            r = if r & 0x8 != 0 {
                ((r << 1) & 0xF) ^ 0x3
            } else {
                r << 1
            };
            bit += 1;
        }
        table[c] = r;
        c += 1;
    }
    table
};

/// The CRC-4 of a frame (module docs): over all of `frame`, the low nibble of its last byte
/// (where the CRC travels) taken as zero. A frame is intact when this equals that nibble.
///
/// ```
/// use myobalance::ingest::bitalino::{crc4, encode_bitalino_frame};
/// let frame = encode_bitalino_frame(5, [true, false, false, true], &[1023, 0]);
/// assert_eq!(crc4(&frame), frame[3] & 0x0F);
/// assert_eq!(crc4(&[0x00, 0x10]), 0x3); // x⁸ mod (x⁴ + x + 1) = x + 1
/// ```
pub fn crc4(frame: &[u8]) -> u8 {
    let Some((&last, body)) = frame.split_last() else {
        return 0;
    };
    let mut crc = 0u8;
    for &b in body.iter().chain(std::iter::once(&(last & 0xF0))) {
        crc = CRC_TABLE[usize::from(crc)] ^ (b >> 4);
        crc = CRC_TABLE[usize::from(crc)] ^ (b & 0x0F);
    }
    crc
}

/// Whether a frame's CRC nibble matches its contents.
fn crc_ok(frame: &[u8]) -> bool {
    frame.last().is_some_and(|&last| crc4(frame) == last & 0x0F)
}

/// The frame read as a little-endian `u64` with zero bytes in front (module docs).
fn frame_word(frame: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w[8 - frame.len()..].copy_from_slice(frame);
    u64::from_le_bytes(w)
}

/// The value at `position` of a frame word.
fn field(word: u64, position: usize) -> u16 {
    let mask = (1u64 << resolution_bits(position)) - 1;
    ((word >> SHIFTS[position]) & mask) as u16
}

/// One frame, unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BitalinoFrame {
    /// Sequence number, 0–15.
    pub sequence: u8,
    /// Digital ports in the API's order: I1, I2, O1, O2.
    pub digital: [bool; 4],
    analog: [u16; MAX_CHANNELS],
    channels: usize,
}

impl BitalinoFrame {
    /// The analog values in frame order, as ADC counts (0–1023, or 0–63 for the fifth and
    /// sixth).
    pub fn analog(&self) -> &[u16] {
        &self.analog[..self.channels]
    }
}

/// Unpacks one frame of `channels` channels; `None` when `frame` is not
/// [`frame_len`]`(channels)` bytes long, `channels` is not 1–6, or the CRC fails.
///
/// ```
/// use myobalance::ingest::bitalino::{decode_frame, encode_bitalino_frame};
/// let bytes = encode_bitalino_frame(9, [false, true, false, false], &[700, 3, 1000, 5, 40]);
/// let frame = decode_frame(&bytes, 5).unwrap();
/// assert_eq!(frame.sequence, 9);
/// assert_eq!(frame.digital, [false, true, false, false]);
/// assert_eq!(frame.analog(), &[700, 3, 1000, 5, 40]);
/// ```
pub fn decode_frame(frame: &[u8], channels: usize) -> Option<BitalinoFrame> {
    if !(1..=MAX_CHANNELS).contains(&channels) || frame.len() != frame_len(channels) {
        return None;
    }
    if !crc_ok(frame) {
        return None;
    }
    let w = frame_word(frame);
    let mut analog = [0u16; MAX_CHANNELS];
    for (p, a) in analog.iter_mut().enumerate().take(channels) {
        *a = field(w, p);
    }
    Some(BitalinoFrame {
        sequence: (w >> 60) as u8,
        digital: [55, 54, 53, 52].map(|bit| w >> bit & 1 == 1),
        analog,
        channels,
    })
}

/// Appends one frame to `out`: sequence number `seq` (taken modulo 16), digital ports
/// `[I1, I2, O1, O2]`, and the values of the channels switched on, in frame order. Values
/// are taken modulo 2^bits of their position (1024, or 64 for the fifth and sixth).
///
/// # Panics
/// If `analog` holds no value or more than six.
pub fn encode_bitalino_frame_into(seq: u8, digital: [bool; 4], analog: &[u16], out: &mut Vec<u8>) {
    let n = analog.len();
    assert!(
        (1..=MAX_CHANNELS).contains(&n),
        "a BITalino frame carries 1 to 6 channels, not {n}"
    );
    let mut w = u64::from(seq & 0x0F) << 60;
    for (bit, on) in [55, 54, 53, 52].into_iter().zip(digital) {
        w |= u64::from(on) << bit;
    }
    for (p, &a) in analog.iter().enumerate() {
        let mask = (1u64 << resolution_bits(p)) - 1;
        w |= (u64::from(a) & mask) << SHIFTS[p];
    }
    let len = frame_len(n);
    let start = out.len();
    out.extend_from_slice(&w.to_le_bytes()[8 - len..]);
    let crc = crc4(&out[start..]);
    out[start + len - 1] |= crc;
}

/// One frame as bytes (see [`encode_bitalino_frame_into`], which panics in the same
/// cases).
///
/// ```
/// use myobalance::ingest::bitalino::encode_bitalino_frame;
/// // One channel: the value's lower 6 bits (shifted up by 2), then I1 I2 O1 O2 and its
/// // upper 4 bits, then seq | CRC.
/// let f = encode_bitalino_frame(3, [true, false, true, false], &[(0b1011 << 6) | 0b00_1101]);
/// assert_eq!(&f[..2], &[0b0011_0100, 0b1010_1011]);
/// assert_eq!(f[2] >> 4, 3);
/// ```
pub fn encode_bitalino_frame(seq: u8, digital: [bool; 4], analog: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8);
    encode_bitalino_frame_into(seq, digital, analog, &mut out);
    out
}

/// The command that asks for the version string (answered only while idle, with text such
/// as `BITalino_v5.1` and a `\n`).
pub const fn version_command() -> u8 {
    0x07
}

/// The command that sets the sampling rate for the next start (idle only; the board starts
/// at 1000 Hz after power-up).
///
/// ```
/// use myobalance::ingest::bitalino::sampling_rate_command;
/// assert_eq!(sampling_rate_command(1000), Ok(0xC3));
/// assert!(sampling_rate_command(500).is_err());
/// ```
pub fn sampling_rate_command(rate_hz: u32) -> Result<u8, BitalinoError> {
    let code = RATES_HZ
        .iter()
        .position(|&r| r == rate_hz)
        .ok_or(BitalinoError::Rate(rate_hz))?;
    Ok(((code as u8) << 6) | 0x03)
}

/// The command that starts streaming the analog `channels` (0 = A1 … 5 = A6, in any order;
/// frames carry them in ascending order).
///
/// ```
/// use myobalance::ingest::bitalino::start_command;
/// assert_eq!(start_command(&[0, 1, 2, 3, 4, 5]), Ok(0xFD));
/// assert_eq!(start_command(&[3, 0]), Ok(0b0010_0101));
/// assert!(start_command(&[6]).is_err());
/// ```
pub fn start_command(channels: &[usize]) -> Result<u8, BitalinoError> {
    if channels.is_empty() || channels.len() > MAX_CHANNELS {
        return Err(BitalinoError::Channels(channels.len()));
    }
    let mut mask = 0u8;
    for &c in channels {
        if c >= MAX_CHANNELS {
            return Err(BitalinoError::ChannelIndex(c));
        }
        if mask & (1 << c) != 0 {
            return Err(BitalinoError::DuplicateChannel(c));
        }
        mask |= 1 << c;
    }
    Ok((mask << 2) | 0x01)
}

/// The command that stops streaming, as the official API sends it. Sent while idle, the
/// same byte sets the battery-warning threshold to its power-up value (3.4 V), so it is
/// harmless as a "stop whatever is running" before a handshake.
pub const fn stop_command() -> u8 {
    0x00
}

/// The command that returns a BITalino 2 ((r)evolution, firmware 4.2 and later) to idle
/// from any mode; ignored while idle.
pub const fn idle_command() -> u8 {
    0xFF
}

/// EMG in µV from an ADC count with `bits` of resolution, by the BITalino EMG sensor
/// datasheet: mV = (ADC / 2^bits − ½) · VCC / G with VCC = 3.3 V and G = 1009.
///
/// ```
/// use myobalance::ingest::bitalino::emg_uv;
/// assert_eq!(emg_uv(512.0, 10), 0.0);
/// assert!((emg_uv(1023.0, 10) - 1632.1).abs() < 0.1); // the top of the ±1.64 mV range
/// assert_eq!(emg_uv(32.0, 6), 0.0);
/// ```
pub fn emg_uv(count: f64, bits: u32) -> f64 {
    const VCC_V: f64 = 3.3;
    const GAIN: f64 = 1009.0;
    (count / f64::from(1u32 << bits) - 0.5) * VCC_V / GAIN * 1e6
}

/// Incremental decoder of BITalino frames. Samples come out as ADC counts, in frame
/// order (the channels switched on, ascending); the digital ports are not output.
#[derive(Debug, Clone)]
pub struct BitalinoDecoder {
    channels: usize,
    frame_len: usize,
    /// Bytes received but not yet consumed: under three frames after each `feed`.
    pending: Vec<u8>,
    /// Whether the next frame is known to start at the front of `pending`.
    locked: bool,
    last_sequence: Option<u8>,
    rows: u64,
    stats: DecoderStats,
}

impl BitalinoDecoder {
    /// A decoder for frames of `channels` analog channels (1–6; the frame does not carry
    /// the count).
    pub fn new(channels: usize) -> Result<Self, BitalinoError> {
        if !(1..=MAX_CHANNELS).contains(&channels) {
            return Err(BitalinoError::Channels(channels));
        }
        Ok(BitalinoDecoder {
            channels,
            frame_len: frame_len(channels),
            pending: Vec::new(),
            locked: false,
            last_sequence: None,
            rows: 0,
            stats: DecoderStats::default(),
        })
    }

    /// The sequence number (0–15) of the last good frame.
    pub fn last_sequence(&self) -> Option<u8> {
        self.last_sequence
    }

    /// Appends a good frame: its gap, its samples, the counters.
    fn accept(&mut self, frame: &[u8], out: &mut Decoded) {
        let w = frame_word(frame);
        let seq = (w >> 60) as u8;
        if let Some(last) = self.last_sequence {
            let missing = u64::from(seq.wrapping_sub(last).wrapping_sub(1) & 0x0F);
            if missing > 0 {
                out.push_gap(self.rows, missing);
                self.stats.frames_missing += missing;
            }
        }
        self.last_sequence = Some(seq);
        out.samples
            .extend((0..self.channels).map(|p| f64::from(field(w, p))));
        out.frames += 1;
        self.rows += 1;
        self.stats.frames_received += 1;
    }

    /// Gives up the byte at the current position.
    fn skip_one(&mut self) {
        if self.locked {
            self.stats.frames_corrupt += 1;
            self.locked = false;
        }
        self.stats.bytes_skipped += 1;
    }
}

/// The sequence number of a frame.
fn sequence(frame: &[u8]) -> u8 {
    frame[frame.len() - 1] >> 4
}

/// The sequence number after `s`.
fn next(s: u8) -> u8 {
    (s + 1) & 0x0F
}

impl Decoder for BitalinoDecoder {
    fn feed(&mut self, bytes: &[u8], out: &mut Decoded) {
        self.pending.extend_from_slice(bytes);
        let buf = std::mem::take(&mut self.pending);
        let len = self.frame_len;
        let mut i = 0;
        while buf.len() - i >= len {
            let frame = &buf[i..i + len];
            if !crc_ok(frame) {
                self.skip_one();
                i += 1;
                continue;
            }
            let seq = sequence(frame);
            if self.locked && self.last_sequence.map(next) == Some(seq) {
                self.accept(frame, out);
                i += len;
                continue;
            }
            if !self.locked && self.last_sequence == Some(seq) {
                // A stray window just before the true boundary (module docs).
                self.skip_one();
                i += 1;
                continue;
            }
            // A jump in a locked stream needs the next frame to agree; a hunt, two.
            let needed = if self.locked { 1 } else { HUNT_CONFIRMATIONS };
            let Some(ahead) = buf.get(i + len..i + (1 + needed) * len) else {
                break;
            };
            let confirmed = ahead
                .chunks_exact(len)
                .try_fold(seq, |s, f| {
                    (crc_ok(f) && sequence(f) == next(s)).then(|| next(s))
                })
                .is_some();
            if confirmed {
                self.locked = true;
                self.accept(frame, out);
                i += len;
            } else {
                self.skip_one();
                i += 1;
            }
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
        Some(self.channels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The official API's check, bit by bit: shift each bit in, reduce by x⁴ + x + 1.
    fn crc_naive(frame: &[u8]) -> u8 {
        let mut x = 0u8;
        let last = frame.len() - 1;
        for (i, &byte) in frame.iter().enumerate() {
            let b = if i == last { byte & 0xF0 } else { byte };
            for bit in (0..8).rev() {
                x <<= 1;
                if x & 0x10 != 0 {
                    x ^= 0x13;
                }
                x ^= (b >> bit) & 1;
            }
        }
        x
    }

    #[test]
    fn crc_table_is_the_firmware_one_and_matches_bitwise() {
        // The nibble table in the board's firmware (uart.c, `crcTable`).
        assert_eq!(
            CRC_TABLE,
            [0, 3, 6, 5, 12, 15, 10, 9, 11, 8, 13, 14, 7, 4, 1, 2]
        );
        let mut s = 0x1234_5678_9ABC_DEF0u64;
        for len in 1..=8 {
            for _ in 0..2000 {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let frame = &s.to_le_bytes()[..len];
                assert_eq!(crc4(frame), crc_naive(frame), "{frame:02x?}");
            }
        }
    }

    #[test]
    fn fields_round_trip_at_every_channel_count() {
        for n in 1..=6 {
            let analog: Vec<u16> = (0..n)
                .map(|p| (p as u16 * 397 + 101) % (1 << resolution_bits(p)))
                .collect();
            for seq in 0..16u8 {
                let digital = [seq & 1 == 1, seq & 2 == 2, seq & 4 == 4, seq & 8 == 8];
                let bytes = encode_bitalino_frame(seq, digital, &analog);
                assert_eq!(bytes.len(), frame_len(n));
                let f = decode_frame(&bytes, n).unwrap();
                assert_eq!((f.sequence, f.digital), (seq, digital));
                assert_eq!(f.analog(), &analog[..]);
            }
        }
    }

    /// The API's own byte-wise unpacking (`BITalino.read`), rewritten: `d(k)` is the k-th
    /// byte from the end, and a channel's bytes are only read when it is on.
    fn api_unpack(frame: &[u8], n: usize) -> Vec<u16> {
        let d = |k: usize| u16::from(frame[frame.len() - k]);
        let unpack: [&dyn Fn() -> u16; 6] = [
            &|| ((d(2) & 0x0F) << 6) | (d(3) >> 2),
            &|| ((d(3) & 0x03) << 8) | d(4),
            &|| (d(5) << 2) | (d(6) >> 6),
            &|| ((d(6) & 0x3F) << 4) | (d(7) >> 4),
            &|| ((d(7) & 0x0F) << 2) | (d(8) >> 6),
            &|| d(8) & 0x3F,
        ];
        unpack[..n].iter().map(|f| f()).collect()
    }

    #[test]
    fn word_layout_matches_byte_wise_unpacking() {
        let mut s = 99u64;
        for n in 1..=6 {
            for _ in 0..500 {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let analog: Vec<u16> = (0..n).map(|p| (s >> (10 * p)) as u16).collect();
                let bytes = encode_bitalino_frame((s >> 60) as u8, [true; 4], &analog);
                let f = decode_frame(&bytes, n).unwrap();
                assert_eq!(f.analog(), &api_unpack(&bytes, n)[..]);
            }
        }
    }

    #[test]
    fn commands() {
        assert_eq!(version_command(), 7);
        let rates: Vec<u8> = RATES_HZ
            .iter()
            .map(|&r| sampling_rate_command(r).unwrap())
            .collect();
        assert_eq!(rates, [0x03, 0x43, 0x83, 0xC3]);
        assert_eq!(start_command(&[0]), Ok(0x05));
        assert_eq!(start_command(&[5]), Ok(0x81));
        assert_eq!(start_command(&[]), Err(BitalinoError::Channels(0)));
        assert_eq!(
            start_command(&[1, 1]),
            Err(BitalinoError::DuplicateChannel(1))
        );
        assert_eq!(stop_command(), 0);
        assert_eq!(idle_command(), 0xFF);
        assert!(BitalinoDecoder::new(0).is_err());
        assert!(BitalinoDecoder::new(7).is_err());
    }
}
