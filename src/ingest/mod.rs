//! Decoders for the serial protocols of DESIGN.md ("Serial protocols"): [`frame`] (the
//! native binary format), [`cyton`] (OpenBCI Cyton packets), [`text`] (ASCII lines) and
//! [`bitalino`] (BITalino (r)evolution frames; [`bitalino_device`] simulates the board).
//!
//! Every decoder is pure and incremental: bytes go in exactly as a port delivers them,
//! split anywhere, and decoded sample instants come out, appended to a caller-owned
//! [`Decoded`]. Decoders do no I/O, no scaling beyond what the protocol defines, and no DSP;
//! opening ports and pacing reads belong to the recorder.
//!
//! Faults never panic and never stop a decoder: corrupt frames are dropped and counted,
//! bytes between frames are skipped and counted, and missing sample instants become
//! [`Missing`] entries. Counters live in [`DecoderStats`].
//!
//! ```
//! use myobalance::ingest::frame::{encode_frame, FrameDecoder};
//! use myobalance::ingest::{Decoded, Decoder};
//!
//! let mut bytes = encode_frame(7, &[1, -2]);
//! bytes.extend(encode_frame(9, &[3, -4])); // sequence 8 never arrived
//! let mut decoder = FrameDecoder::new();
//! let mut out = Decoded::default();
//! for chunk in bytes.chunks(5) {
//!     decoder.feed(chunk, &mut out);
//! }
//! assert_eq!(out.frames, 2);
//! assert_eq!(out.samples, vec![1.0, -2.0, 3.0, -4.0]);
//! assert_eq!(out.gaps[0].row, 1);
//! assert_eq!(out.gaps[0].count, 1);
//! ```

pub mod acquire;
pub mod bitalino;
pub mod bitalino_device;
pub mod bitalino_link;
pub mod cyton;
pub mod device;
pub mod frame;
pub mod pace;
pub mod ports;
pub mod protocol;
pub mod serial;
pub mod text;

pub use crate::recording::Missing;

/// Caller-owned output of a decoder: `feed` appends, the caller clears when it has taken
/// what it needs (so a reused `Decoded` allocates nothing once its vectors have grown).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decoded {
    /// Samples, interleaved: frame after frame, each with one value per channel.
    pub samples: Vec<f64>,
    /// Frames appended since the last [`Decoded::clear`].
    pub frames: usize,
    /// Sample instants lost in transmission since the last [`Decoded::clear`], in stream
    /// order, each before a row of the decoded output (counted over every `feed` call).
    pub gaps: Vec<Missing>,
}

impl Decoded {
    /// Empties the output, keeping its capacity.
    pub fn clear(&mut self) {
        self.samples.clear();
        self.frames = 0;
        self.gaps.clear();
    }

    /// Records `missing` lost instants before output row `row`, merging with the previous
    /// gap when it sits at the same row.
    pub(crate) fn push_gap(&mut self, row: u64, missing: u64) {
        match self.gaps.last_mut() {
            Some(last) if last.row == row => last.count += missing,
            _ => self.gaps.push(Missing {
                row,
                count: missing,
            }),
        }
    }
}

/// Counters a decoder keeps over its whole stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecoderStats {
    /// Good frames (or lines) decoded and appended to the output.
    pub frames_received: u64,
    /// Frames (or lines) dropped as corrupt.
    pub frames_corrupt: u64,
    /// Bytes that did not end up in a good frame: garbage between frames, corrupt frames,
    /// dropped lines, and a truncated tail at [`Decoder::finish`].
    pub bytes_skipped: u64,
    /// Sample instants known to be missing: the sum of every gap's `missing`.
    pub frames_missing: u64,
    /// [`frame`] protocol only: good frames whose sequence number went backwards, taken as
    /// a device restart (the frame is kept; no gap can be known there).
    pub sequence_restarts: u64,
}

/// An incremental protocol decoder. Implementations are plain state machines: `feed`
/// never allocates beyond growing `out` and its own buffer (bounded by one frame or line
/// plus the chunk fed), never fails and never panics.
pub trait Decoder {
    /// Decodes `bytes`, the next bytes of the stream, appending what they complete to `out`.
    fn feed(&mut self, bytes: &[u8], out: &mut Decoded);
    /// Ends the stream: a final unterminated text line is decoded; the bytes of a truncated
    /// binary frame are counted as skipped. Counters and sequence state are kept.
    fn finish(&mut self, out: &mut Decoded);
    /// Counters so far.
    fn stats(&self) -> DecoderStats;
    /// Channels per frame, once known (fixed by the first good frame, a text header, or
    /// the protocol).
    fn channels(&self) -> Option<usize>;
}
