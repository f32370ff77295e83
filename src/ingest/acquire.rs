//! From decoded frames to the blocks the recorder stores: device counts scaled to physical
//! units, lost sample instants filled by linear interpolation between their neighbours, and
//! rows numbered by the device's sequence (row = frames received + frames lost before), so
//! the file's time base stays uniform (DESIGN.md "HDF5 file", `/raw/samples`).
//!
//! [`Assembler`] is pure; [`read_port`] is the reader thread's loop around it: port bytes
//! → decoder → assembler → ring.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::pace::Pace;
use super::serial::transient;
use super::{Decoded, Decoder, DecoderStats, Missing};
use crate::recording::Gap;
use crate::ring::{Block, SendError, Sender};

/// A sequence jump too long to fill: filling it would write rows for a stretch of time in
/// which the device sent nothing we can place (a restarted or different device).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the device's sequence jumped by {missing} frames before row {row}, more than the {limit} a gap may fill")]
pub struct GapTooLong {
    pub row: u64,
    pub missing: u64,
    pub limit: u64,
}

/// Scales and numbers decoded frames, filling gaps.
#[derive(Debug, Clone)]
pub struct Assembler {
    scale: Vec<f64>,
    offset: Vec<f64>,
    max_gap: u64,
    /// Frames the decoder has output so far (its row numbers).
    decoded: u64,
    /// Next row of the file.
    next_row: u64,
    /// The previous frame, physical units (empty before the first).
    last: Vec<f32>,
    /// Gaps reported before the frame that follows them has arrived.
    pending: Vec<Missing>,
    /// The frame being converted (reused).
    frame: Vec<f32>,
}

impl Assembler {
    /// An assembler for frames whose channel k is `count · scale[k] + offset[k]`, refusing
    /// gaps longer than `max_gap` frames.
    pub fn new(scale: Vec<f64>, offset: Vec<f64>, max_gap: u64) -> Assembler {
        assert_eq!(scale.len(), offset.len(), "one offset per scale");
        Assembler {
            scale,
            offset,
            max_gap,
            decoded: 0,
            next_row: 0,
            last: Vec::new(),
            pending: Vec::new(),
            frame: Vec::new(),
        }
    }

    /// Channels per frame.
    pub fn channels(&self) -> usize {
        self.scale.len()
    }

    /// Rows handed out so far (received and filled).
    pub fn rows(&self) -> u64 {
        self.next_row
    }

    /// Turns what the decoder output since the last call into a block read at `host_s`,
    /// filled into `block` (its contents are replaced; a block recycled from the ring
    /// keeps its capacity, so the steady state allocates nothing). `decoded.samples` must
    /// hold whole frames of [`Assembler::channels`] values.
    pub fn assemble(
        &mut self,
        decoded: &Decoded,
        host_s: f64,
        mut block: Block,
    ) -> Result<Block, GapTooLong> {
        let n = self.channels().max(1);
        block.first_row = self.next_row;
        block.host_s = host_s;
        block.frames.clear();
        block.frames.reserve(decoded.samples.len());
        block.gaps.clear();
        block.source_s = None;
        self.pending.extend_from_slice(&decoded.gaps);
        let mut current = std::mem::take(&mut self.frame);
        current.resize(n, 0.0);
        for (f, counts) in decoded.samples.chunks_exact(n).enumerate() {
            let row = self.decoded + f as u64;
            for ((c, v), (s, o)) in current
                .iter_mut()
                .zip(counts)
                .zip(self.scale.iter().zip(&self.offset))
            {
                *c = (v * s + o) as f32;
            }
            let missing: u64 = self
                .pending
                .iter()
                .filter(|g| g.row <= row)
                .map(|g| g.count)
                .sum();
            self.pending.retain(|g| g.row > row);
            if missing > 0 {
                self.fill(&mut block, missing, Some(&current))?;
            }
            block.frames.extend_from_slice(&current);
            self.last.clone_from(&current);
            self.next_row += 1;
        }
        self.frame = current;
        self.decoded += (decoded.samples.len() / n) as u64;
        Ok(block)
    }

    /// Ends the stream: gaps after the last frame are filled by holding its value (there is
    /// no later neighbour to interpolate towards).
    pub fn finish(&mut self, host_s: f64) -> Result<Block, GapTooLong> {
        let mut block = Block {
            first_row: self.next_row,
            frames: Vec::new(),
            gaps: Vec::new(),
            host_s,
            source_s: None,
        };
        let missing: u64 = self.pending.drain(..).map(|g| g.count).sum();
        if missing > 0 && !self.last.is_empty() {
            self.fill(&mut block, missing, None)?;
        }
        Ok(block)
    }

    /// Appends `missing` rows between the previous frame and `next` (or holding the
    /// previous one), and lists them as a gap.
    fn fill(
        &mut self,
        block: &mut Block,
        missing: u64,
        next: Option<&[f32]>,
    ) -> Result<(), GapTooLong> {
        if missing > self.max_gap {
            return Err(GapTooLong {
                row: self.next_row,
                missing,
                limit: self.max_gap,
            });
        }
        let before: &[f32] = if self.last.is_empty() {
            next.unwrap_or(&[])
        } else {
            &self.last
        };
        let after = next.unwrap_or(before);
        let steps = missing as f64 + 1.0;
        for j in 1..=missing {
            let w = j as f64 / steps;
            block.frames.extend(
                before
                    .iter()
                    .zip(after)
                    .map(|(a, b)| (f64::from(*a) + (f64::from(*b) - f64::from(*a)) * w) as f32),
            );
        }
        block.gaps.push(Gap {
            first_row: self.next_row,
            rows: missing,
        });
        self.next_row += missing;
        Ok(())
    }
}

/// Decoder counters published by the reader thread for the status line (a copy taken
/// after each read; the lock is never held longer than that).
#[derive(Debug, Default)]
pub struct SharedStats(Mutex<DecoderStats>);

impl SharedStats {
    /// Publishes `stats` (the reader thread, after each read).
    pub fn publish(&self, stats: DecoderStats) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = stats;
    }

    /// The decoder's counters as last published.
    pub fn get(&self) -> DecoderStats {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Why the reader stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEnd {
    /// A stop was requested.
    Stopped,
    /// The port reported an error or its end (device unplugged, terminal closed).
    Unplugged(String),
    /// The data cannot be recorded (channel count, sequence jump); the message says why.
    Refused(String),
    /// The consumer went away.
    ConsumerGone,
}

/// Everything the reader loop works with.
pub struct ReaderParts<'a> {
    pub decoder: &'a mut dyn Decoder,
    pub assembler: &'a mut Assembler,
    pub ring: &'a mut Sender,
    pub stop: &'a AtomicBool,
    pub stats: &'a SharedStats,
    /// The recording's clock (host seconds are measured from it).
    pub clock: Instant,
    /// Wakes the consumer (after the blocks [`Pace::wake_now`] picks, and the last).
    pub wake: &'a (dyn Fn() + Sync),
    /// When to read next, and to wake the consumer.
    pub pace: &'a Pace,
}

/// Reads `port` until a stop is requested or the port fails, handing each read's frames on
/// as one block. Raw samples are never dropped: when the ring is full the reader waits
/// (counted as an overrun) while the operating system buffers the port's bytes.
pub fn read_port<P: Read + ?Sized>(port: &mut P, parts: ReaderParts) -> ReaderEnd {
    let ReaderParts {
        decoder,
        assembler,
        ring,
        stop,
        stats,
        clock,
        wake,
        pace,
    } = parts;
    let mut buf = vec![0u8; 64 * 1024];
    let mut decoded = Decoded::default();
    let mut pause = None;
    let mut last_read = Instant::now();
    let mut last_wake = Instant::now();
    let end = loop {
        if stop.load(Ordering::Relaxed) {
            break ReaderEnd::Stopped;
        }
        if let Some(pause) = pause {
            // Let bytes gather in the port instead of one system call per frame (see
            // `pace`). The pause comes before the read, so what a read returns is decoded
            // and stamped at once.
            std::thread::sleep(pause);
        }
        let n = match port.read(&mut buf) {
            Ok(0) => break ReaderEnd::Unplugged("the port reached its end".into()),
            Ok(n) => n,
            Err(e) if transient(&e) => continue,
            Err(e) => break ReaderEnd::Unplugged(e.to_string()),
        };
        let since = std::mem::replace(&mut last_read, Instant::now()).elapsed();
        decoder.feed(&buf[..n], &mut decoded);
        let host_s = clock.elapsed().as_secs_f64();
        if let Some(end) = hand_on(&mut decoded, decoder, assembler, ring, host_s, false) {
            stats.publish(decoder.stats());
            break end;
        }
        stats.publish(decoder.stats());
        if pace.wake_now(assembler.rows(), last_wake.elapsed()) {
            wake();
            last_wake = Instant::now();
        }
        // A read that filled half the buffer has more waiting: read again at once.
        pause = (n < buf.len() / 2).then(|| {
            let bytes_per_s = n as f64 / since.as_secs_f64().max(1e-6);
            pace.pause(assembler.rows(), bytes_per_s)
        });
    };
    if end == ReaderEnd::ConsumerGone {
        return end;
    }
    // At the end of the stream a partial last frame or line is real (counted, or decoded
    // when a text line only lacks its newline); when the recording was stopped, it is only
    // what the stop cut off, and is left out.
    if end != ReaderEnd::Stopped {
        decoder.finish(&mut decoded);
    }
    let host_s = clock.elapsed().as_secs_f64();
    let last = hand_on(&mut decoded, decoder, assembler, ring, host_s, true);
    stats.publish(decoder.stats());
    wake();
    match (last, end) {
        (Some(problem @ (ReaderEnd::Refused(_) | ReaderEnd::ConsumerGone)), ReaderEnd::Stopped) => {
            problem
        }
        (_, end) => end,
    }
}

/// Assembles and sends what `decoded` holds; `Some` when the reader must stop.
fn hand_on(
    decoded: &mut Decoded,
    decoder: &dyn Decoder,
    assembler: &mut Assembler,
    ring: &mut Sender,
    host_s: f64,
    last: bool,
) -> Option<ReaderEnd> {
    if let Some(c) = decoder.channels() {
        if c != assembler.channels() {
            return Some(ReaderEnd::Refused(format!(
                "the device sends {c} channels per frame but the montage has {}",
                assembler.channels()
            )));
        }
    }
    if decoded.frames == 0 && decoded.gaps.is_empty() && !last {
        return None;
    }
    let block = assembler.assemble(decoded, host_s, ring.spare());
    decoded.clear();
    let mut block = match block {
        Ok(b) => b,
        Err(e) => return Some(ReaderEnd::Refused(e.to_string())),
    };
    if last {
        match assembler.finish(host_s) {
            Ok(tail) => {
                block.frames.extend_from_slice(&tail.frames);
                block.gaps.extend_from_slice(&tail.gaps);
            }
            Err(e) => return Some(ReaderEnd::Refused(e.to_string())),
        }
    }
    if block.frames.is_empty() {
        return None;
    }
    send(ring, block)
}

/// Hands `block` on, waiting as long as the ring stays full (raw samples are never
/// dropped); `Some` when the consumer is gone.
pub fn send(ring: &mut Sender, mut block: Block) -> Option<ReaderEnd> {
    loop {
        match ring.send(block, Duration::from_millis(200)) {
            Ok(()) => return None,
            Err(SendError::Full(b)) => block = b,
            Err(SendError::Closed(_)) => return Some(ReaderEnd::ConsumerGone),
        }
    }
}
