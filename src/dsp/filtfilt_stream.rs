//! Zero-phase filtering of a signal that arrives in blocks, in memory bounded by the block
//! size: the result of [`ZeroPhase`] over the whole signal, to within 1e-12 of its scale.
//!
//! The forward pass runs as the frames come, its state carried from block to block, so it
//! equals the whole signal's forward pass exactly (the front padding needs the first
//! `padlen + 1` frames, which are held until they have come). The backward pass cannot
//! wait for the end: it is run over each stretch of `block` frames from `overlap` frames
//! further on, started there from the steady state of the forward output. That start
//! differs from the state the whole signal's backward pass would have; the difference is a
//! free response of the filter, which has decayed below 1e-13 of its size after `overlap`
//! frames ([`decay_frames`]), so the stretch's outputs are final. At the end the back
//! padding is built from the last frames and the last stretch is filtered exactly as the
//! whole signal's is.

use super::error::DspError;
use super::filtfilt::ZeroPhase;
use super::sos::{self, Section};
use super::sosfilt::SosFilter;

/// How far a free response must have decayed, relative to its peak, before the
/// backward pass's outputs count as final.
const DECAY: f64 = 1e-13;

/// Frames after which the impulse response of `sections` stays below 1e-13 of its
/// peak (from the poles' radius, then checked by running the response), plus a margin.
pub fn decay_frames(sections: &[Section]) -> usize {
    // The slowest pole sets the decay: r^n < DECAY for n > ln DECAY / ln r.
    let radius = sections
        .iter()
        .map(|s| {
            let [_, a1, a2] = s.a;
            let disc = a1 * a1 - 4.0 * a2;
            if disc < 0.0 {
                a2.sqrt()
            } else {
                let root = disc.sqrt();
                ((-a1 + root) / 2.0).abs().max(((-a1 - root) / 2.0).abs())
            }
        })
        .fold(0.0_f64, f64::max);
    if !(radius > 0.0 && radius < 1.0) {
        return 0;
    }
    let estimate = (DECAY.ln() / radius.ln()).ceil() as usize;
    // Repeated poles decay as n^k·r^n, more slowly than r^n alone: run the response and
    // take the last frame above DECAY of the peak, over three times the estimate.
    let mut filter = match SosFilter::new(sections, 1) {
        Ok(f) => f,
        Err(_) => return estimate,
    };
    let mut h = vec![0.0; 3 * estimate + 64];
    h[0] = 1.0;
    filter.process_in_place(&mut h);
    let peak = h.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let last = h.iter().rposition(|v| v.abs() > DECAY * peak).unwrap_or(0);
    last.max(estimate) + 64
}

/// Frames a call hands out, in order: the second part follows the first (it is empty
/// unless the frames wrap around the end of the stream's ring).
pub type Parts<'a> = [&'a [f64]; 2];

/// Block-wise zero-phase filtering of interleaved channels.
#[derive(Debug, Clone)]
pub struct ZeroPhaseStream {
    sections: Vec<Section>,
    channels: usize,
    padlen: usize,
    overlap: usize,
    block: usize,
    forward: SosFilter,
    backward: SosFilter,
    /// Frames held until the front padding can be built (more than `padlen` of them).
    head: Vec<f64>,
    started: bool,
    /// The forward output, in a ring of whole stretches: frame `f` of the signal (counted
    /// from its first) is at `f mod` the ring's frames, so every stretch lies in one piece
    /// and nothing held ever moves. The frames not yet handed out are `done..end`. The
    /// backward pass writes the frames it hands out over their forward output, where they
    /// stay until the next call.
    pending: Vec<f64>,
    done: usize,
    end: usize,
    /// The last `padlen + 1` input frames, for the back padding.
    tail: Vec<f64>,
    scratch: Vec<f64>,
}

impl ZeroPhaseStream {
    /// Filtering of `channels` interleaved channels through `sections`, handing out
    /// `block` frames at a time (at least one).
    pub fn new(
        sections: &[Section],
        channels: usize,
        block: usize,
    ) -> Result<ZeroPhaseStream, DspError> {
        let forward = SosFilter::new(sections, channels)?;
        Ok(ZeroPhaseStream {
            sections: sections.to_vec(),
            channels,
            padlen: sos::default_padlen(sections),
            overlap: decay_frames(sections),
            block: block.max(1),
            backward: forward.clone(),
            forward,
            head: Vec::new(),
            started: false,
            pending: Vec::new(),
            done: 0,
            end: 0,
            tail: Vec::new(),
            scratch: Vec::new(),
        })
    }

    /// As [`ZeroPhaseStream::new`], with stretches of at least `min_block` frames and at
    /// least 16 overlaps, so that re-running the overlap adds at most 1/16 to the backward
    /// pass.
    pub fn economical(
        sections: &[Section],
        channels: usize,
        min_block: usize,
    ) -> Result<ZeroPhaseStream, DspError> {
        let mut stream = ZeroPhaseStream::new(sections, channels, 1)?;
        stream.block = min_block.max(16 * stream.overlap).max(1);
        Ok(stream)
    }

    /// Frames past a stretch that its backward pass starts from.
    pub fn overlap(&self) -> usize {
        self.overlap
    }

    /// Frames held at most: what bounds the memory (times the channel count).
    pub fn held_frames(&self) -> usize {
        self.block + self.overlap + self.padlen + 1
    }

    /// Feeds interleaved frames; appends to `out` the filtered frames that are final.
    ///
    /// # Panics
    /// If `input` is not a whole number of frames.
    pub fn push(&mut self, input: &[f64], out: &mut Vec<f64>) {
        for part in self.feed_final(input, false) {
            out.extend_from_slice(part);
        }
    }

    /// [`push`](Self::push), then, when `last`, [`finish`](Self::finish).
    pub fn feed(&mut self, input: &[f64], last: bool, out: &mut Vec<f64>) {
        for part in self.feed_final(input, last) {
            out.extend_from_slice(part);
        }
        if last {
            // The signal is over: give the room back.
            self.release();
        }
    }

    /// Filters what is left as the end of the signal; appends it to `out`.
    pub fn finish(&mut self, out: &mut Vec<f64>) {
        self.feed(&[], true, out);
    }

    /// Feeds interleaved frames (the last ones when `last`) and gives the filtered frames
    /// that are now final, where the backward pass wrote them: no copy in or out. They
    /// stay there until the next call.
    ///
    /// # Panics
    /// If `input` is not a whole number of frames.
    pub fn feed_final(&mut self, input: &[f64], last: bool) -> Parts<'_> {
        let n = self.channels;
        assert_eq!(input.len() % n, 0, "not a whole number of frames");
        self.keep_tail(input);
        if self.started {
            self.make_room(input.len() / n);
            let [a, b] = self.ring_range(self.end, self.end + input.len() / n);
            let (first, second) = input.split_at(a.len());
            self.forward.process(first, &mut self.pending[a]);
            self.forward.process(second, &mut self.pending[b]);
            self.end += input.len() / n;
        } else {
            self.head.extend_from_slice(input);
            if self.head.len() / n > self.padlen {
                self.start();
            }
        }
        let first = self.done;
        while self.end - self.done >= self.block + self.overlap {
            self.hand_out();
        }
        if last {
            return self.finish_here(first);
        }
        self.parts(first, self.done)
    }

    /// Gives the buffers' room back, once the last frames have been taken.
    pub fn release(&mut self) {
        self.pending = Vec::new();
        self.scratch = Vec::new();
        self.tail = Vec::new();
        self.head = Vec::new();
        (self.done, self.end) = (0, 0);
    }

    /// Frames in the ring.
    fn ring_frames(&self) -> usize {
        self.pending.len() / self.channels
    }

    /// Where frames `from..to` of the signal lie in the ring: one range, or two when they
    /// wrap around its end (at most one ring's worth).
    fn ring_range(&self, from: usize, to: usize) -> [std::ops::Range<usize>; 2] {
        let (n, ring) = (self.channels, self.ring_frames());
        if from == to || ring == 0 {
            return [0..0, 0..0];
        }
        let at = from % ring;
        let len = to - from;
        if at + len <= ring {
            [at * n..(at + len) * n, 0..0]
        } else {
            [at * n..ring * n, 0..(at + len - ring) * n]
        }
    }

    /// Where frame `f` of the signal lies in the ring.
    fn frame_at(&self, f: usize) -> std::ops::Range<usize> {
        let [at, _] = self.ring_range(f, f + 1);
        at
    }

    /// Frames `from..to` of the signal, as they lie in the ring.
    fn parts(&self, from: usize, to: usize) -> Parts<'_> {
        let [a, b] = self.ring_range(from, to);
        [&self.pending[a], &self.pending[b]]
    }

    /// Makes the ring hold `len` more frames after those not handed out: a bigger ring
    /// (a whole number of stretches, so that none is ever cut by its end) when they would
    /// reach frames still held. Only the first inputs, and inputs longer than any before,
    /// grow it.
    fn make_room(&mut self, len: usize) {
        let held = self.end - self.done;
        if held + len <= self.ring_frames() {
            return;
        }
        let n = self.channels;
        let frames = (held + len)
            .max(2 * self.block)
            .next_multiple_of(self.block);
        let mut kept = Vec::with_capacity(held * n);
        for part in self.parts(self.done, self.end) {
            kept.extend_from_slice(part);
        }
        self.pending = vec![0.0; frames * n];
        let [a, b] = self.ring_range(self.done, self.end);
        let (first, second) = kept.split_at(a.len());
        self.pending[a].copy_from_slice(first);
        self.pending[b].copy_from_slice(second);
    }

    /// Filters what is left as the end of the signal; gives the final frames from
    /// `first` on (those this call handed out already, then the rest).
    fn finish_here(&mut self, first: usize) -> Parts<'_> {
        let n = self.channels;
        if !self.started {
            // Too short to be sure of the padding until now: filter it whole.
            let head = std::mem::take(&mut self.head);
            self.pending.clear();
            self.pending.resize(head.len(), 0.0);
            (self.done, self.end) = (head.len() / n, head.len() / n);
            // The sections were validated when the stream was made.
            if let (false, Ok(mut whole)) = (head.is_empty(), ZeroPhase::new(&self.sections, n)) {
                whole.apply(&head, &mut self.pending);
            }
            return [&self.pending, &[]];
        }
        // Back padding: 2·x[N−1] − x[N−2−i], i < padlen, run through the forward pass.
        let frames = self.tail.len() / n;
        let last = &self.tail[(frames - 1) * n..];
        let mut back = Vec::with_capacity(self.padlen * n);
        for i in 0..self.padlen {
            let mirror = &self.tail[(frames - 2 - i) * n..(frames - 1 - i) * n];
            back.extend(last.iter().zip(mirror).map(|(l, m)| 2.0 * l - m));
        }
        self.forward.process_in_place(&mut back);
        let end = match back.len() {
            // No padding and every frame handed out: nothing is left to filter.
            0 if self.done == self.end => return self.parts(first, self.end),
            0 => &self.pending[self.frame_at(self.end - 1)],
            len => &back[len - n..],
        };
        self.backward.settle_on(end);
        let [a, b] = self.ring_range(self.done, self.end);
        self.backward.process_in_place_reversed(&mut back);
        // The rest of the signal, last frame first: the part past the ring's end first.
        self.backward
            .process_in_place_reversed(&mut self.pending[b]);
        self.backward
            .process_in_place_reversed(&mut self.pending[a]);
        self.done = self.end;
        self.parts(first, self.end)
    }

    /// Keeps the last `padlen + 1` frames of the input.
    fn keep_tail(&mut self, input: &[f64]) {
        let keep = (self.padlen + 1) * self.channels;
        if input.len() >= keep {
            self.tail.clear();
            self.tail.extend_from_slice(&input[input.len() - keep..]);
        } else {
            self.tail.extend_from_slice(input);
            let excess = self.tail.len().saturating_sub(keep);
            self.tail.drain(..excess);
        }
    }

    /// Front padding and the forward pass over the held frames, which start the ring.
    fn start(&mut self) {
        let n = self.channels;
        let head = std::mem::take(&mut self.head);
        let first = &head[..n];
        let mut front = Vec::with_capacity(self.padlen * n);
        for i in 0..self.padlen {
            let mirror = &head[(self.padlen - i) * n..(self.padlen - i + 1) * n];
            front.extend(first.iter().zip(mirror).map(|(f, m)| 2.0 * f - m));
        }
        let edge = if front.is_empty() { first } else { &front[..n] };
        let edge = edge.to_vec();
        self.forward.settle_on(&edge);
        self.forward.process_in_place(&mut front);
        let held = head.len() / n;
        let frames = held.max(2 * self.block).next_multiple_of(self.block);
        self.pending = head;
        self.pending.resize(frames * n, 0.0);
        self.forward.process_in_place(&mut self.pending[..held * n]);
        (self.done, self.end) = (0, held);
        self.started = true;
    }

    /// Runs the backward pass over the first `block + overlap` pending frames and hands
    /// out the first `block`, written over their forward output.
    fn hand_out(&mut self) {
        let (done, block, overlap) = (self.done, self.block, self.overlap);
        // Backward from the overlap's end through the overlap (its outputs are thrown
        // away), then on through the stretch, in place: the stretch starts a whole number
        // of stretches into the signal, so it lies in one piece of the ring.
        let [a, b] = self.ring_range(done + block, done + block + overlap);
        let [stretch, past_end] = self.ring_range(done, done + block);
        debug_assert!(
            past_end.is_empty(),
            "a stretch lies in one piece of the ring"
        );
        let settle = self.frame_at(done + block + overlap - 1);
        self.backward.settle_on(&self.pending[settle]);
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.pending[a]);
        self.scratch.extend_from_slice(&self.pending[b]);
        self.backward.process_in_place_reversed(&mut self.scratch);
        self.backward
            .process_in_place_reversed(&mut self.pending[stretch]);
        self.done += block;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsp::butterworth::{butter, Band};
    use crate::dsp::notch::notch;

    fn signal(frames: usize, channels: usize) -> Vec<f64> {
        (0..frames * channels)
            .map(|i| {
                let noise = crate::sim::noise::uniform(i as u64) - 0.5;
                let (t, c) = ((i / channels) as f64, (i % channels) as f64);
                100.0 * c + (t * 0.05).sin() * 3.0 + noise
            })
            .collect()
    }

    #[test]
    fn blocks_give_the_whole_signal_result() {
        let fs = 2000.0;
        let filters = [
            butter(
                4,
                Band::BandPass {
                    low_hz: 20.0,
                    high_hz: 450.0,
                },
                fs,
            )
            .unwrap(),
            vec![notch(50.0, 30.0, fs).unwrap()],
            butter(2, Band::LowPass { cutoff_hz: 6.0 }, fs).unwrap(),
        ];
        for sections in &filters {
            for (frames, channels, block, piece) in [
                (5, 1, 100, 3),
                (40_000, 3, 4096, 977),
                (60_000, 2, 20_000, 60_000),
                (30, 2, 8, 1),
            ] {
                let x = signal(frames, channels);
                let mut want = vec![0.0; x.len()];
                ZeroPhase::new(sections, channels)
                    .unwrap()
                    .apply(&x, &mut want);
                // Pushed, then finished; and with the last part fed as the last, its
                // final frames taken where the stream keeps them.
                let mut stream = ZeroPhaseStream::new(sections, channels, block).unwrap();
                let mut pushed = Vec::new();
                for part in x.chunks(piece * channels) {
                    stream.push(part, &mut pushed);
                    let held = stream.end - stream.done;
                    assert!(held <= stream.held_frames());
                    let room = stream.pending.len() / channels;
                    assert!(room <= 2 * stream.held_frames() + piece, "{room} frames");
                }
                stream.finish(&mut pushed);
                let mut stream = ZeroPhaseStream::new(sections, channels, block).unwrap();
                let mut fed = Vec::new();
                let parts = x.len().div_ceil(piece * channels);
                for (i, part) in x.chunks(piece * channels).enumerate() {
                    for final_part in stream.feed_final(part, i + 1 == parts) {
                        fed.extend_from_slice(final_part);
                    }
                }
                assert_eq!(fed, pushed, "{frames} frames, block {block}");
                assert_eq!(pushed.len(), want.len());
                let scale = want.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
                let worst = pushed
                    .iter()
                    .zip(&want)
                    .fold(0.0_f64, |m, (g, w)| m.max((g - w).abs()));
                assert!(
                    worst <= 1e-12 * scale,
                    "{frames} frames, block {block}: {worst:e} of {scale:e}"
                );
            }
        }
    }

    #[test]
    fn decay_is_longer_for_narrower_filters() {
        let fs = 2000.0;
        let notch = decay_frames(&[notch(50.0, 30.0, fs).unwrap()]);
        let band = decay_frames(
            &butter(
                4,
                Band::BandPass {
                    low_hz: 20.0,
                    high_hz: 450.0,
                },
                fs,
            )
            .unwrap(),
        );
        assert!(notch > band, "{notch} vs {band}");
        // A 1.7 Hz wide notch at 2 kHz rings for seconds.
        assert!(notch > 4000 && notch < 40_000, "{notch}");
    }
}
