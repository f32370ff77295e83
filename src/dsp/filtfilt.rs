//! Zero-phase (forward–backward) filtering, equal to scipy's `sosfiltfilt` with its default
//! padding: odd extension of `padlen` samples at each end, and each pass started from the
//! steady state of its first sample (`sosfilt_zi`).
//!
//! One difference from scipy: a signal no longer than scipy's padding (scipy raises an
//! error) is padded by `len − 1` samples instead, which is what scipy computes when given
//! `padlen=len−1` explicitly. Short blocks are therefore filtered, not refused.

use super::error::DspError;
use super::sos::{self, Section};
use super::sosfilt::SosFilter;

/// Forward–backward filtering of interleaved multi-channel signals; keeps its scratch
/// buffer between calls.
///
/// ```
/// use myobalance::dsp::butterworth::{butter, Band};
/// use myobalance::dsp::filtfilt::ZeroPhase;
/// let sos = butter(2, Band::LowPass { cutoff_hz: 50.0 }, 1000.0).unwrap();
/// let mut zp = ZeroPhase::new(&sos, 1).unwrap();
/// let x: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.01).sin()).collect();
/// let mut y = vec![0.0; x.len()];
/// zp.apply(&x, &mut y);
/// // A slow sine passes with no lag.
/// assert!((y[500] - x[500]).abs() < 1e-3);
/// ```
#[derive(Debug, Clone)]
pub struct ZeroPhase {
    filter: SosFilter,
    padlen: usize,
    /// The odd extensions before and after the signal, `pad` frames each.
    front: Vec<f64>,
    back: Vec<f64>,
    /// Interleaved copy of a planar input.
    scratch: Vec<f64>,
    edge: Vec<f64>,
}

impl ZeroPhase {
    /// Zero-phase filtering of `channels` interleaved channels through `sections`.
    pub fn new(sections: &[Section], channels: usize) -> Result<ZeroPhase, DspError> {
        Ok(ZeroPhase {
            filter: SosFilter::new(sections, channels)?,
            padlen: sos::default_padlen(sections),
            front: Vec::new(),
            back: Vec::new(),
            scratch: Vec::new(),
            edge: vec![0.0; channels],
        })
    }

    /// Samples of odd extension added at each end of a signal of `frames` samples.
    pub fn padlen_for(&self, frames: usize) -> usize {
        self.padlen.min(frames.saturating_sub(1))
    }

    /// Filters interleaved frames `input` into `output`.
    ///
    /// # Panics
    /// If the lengths differ or are not a whole number of frames.
    pub fn apply(&mut self, input: &[f64], output: &mut [f64]) {
        let n_ch = self.filter.channels();
        assert_eq!(input.len(), output.len(), "input and output lengths differ");
        assert_eq!(
            input.len() % n_ch,
            0,
            "input is not a whole number of frames"
        );
        if input.is_empty() {
            return;
        }
        self.extend_odd(input);
        self.run_both_passes(Some(input), output);
    }

    /// Filters channels held as separate slices (planar layout, all the same length).
    ///
    /// # Panics
    /// If the number of slices differs from the channel count or their lengths differ.
    pub fn apply_planar(&mut self, input: &[&[f64]], output: &mut [&mut [f64]]) {
        let n_ch = self.filter.channels();
        assert_eq!(input.len(), n_ch, "one input slice per channel");
        assert_eq!(output.len(), n_ch, "one output slice per channel");
        let frames = input[0].len();
        assert!(
            input.iter().all(|c| c.len() == frames) && output.iter().all(|c| c.len() == frames),
            "channels differ in length"
        );
        if frames == 0 {
            return;
        }
        let mut frames_buf = std::mem::take(&mut self.scratch);
        frames_buf.clear();
        frames_buf.resize(frames * n_ch, 0.0);
        for (c, x) in input.iter().enumerate() {
            for (i, &v) in x.iter().enumerate() {
                frames_buf[i * n_ch + c] = v;
            }
        }
        self.extend_odd(&frames_buf);
        self.run_both_passes(None, &mut frames_buf);
        for (c, y) in output.iter_mut().enumerate() {
            for (i, v) in y.iter_mut().enumerate() {
                *v = frames_buf[i * n_ch + c];
            }
        }
        self.scratch = frames_buf;
    }

    /// Writes the `pad` frames of odd extension on each side of the interleaved `input`:
    /// `2·x[0] − x[pad−i]` before it (i = 0 … pad−1) and `2·x[N−1] − x[N−2−i]` after it.
    fn extend_odd(&mut self, input: &[f64]) {
        let n_ch = self.filter.channels();
        let frames = input.len() / n_ch;
        let pad = self.padlen_for(frames);
        let frame = |i: usize| &input[i * n_ch..(i + 1) * n_ch];
        let (first, last) = (frame(0), frame(frames - 1));
        self.front.clear();
        self.back.clear();
        for i in 0..pad {
            let mirror = frame(pad - i);
            self.front
                .extend(first.iter().zip(mirror).map(|(f, m)| 2.0 * f - m));
            let mirror = frame(frames - 2 - i);
            self.back
                .extend(last.iter().zip(mirror).map(|(l, m)| 2.0 * l - m));
        }
    }

    /// Runs the forward pass over front pad, signal and back pad, each started from the
    /// state the previous one left, then the backward pass over back pad and signal (the
    /// front pad's backward output is never used). The signal is `input` copied into `data`
    /// on the way, or `data` itself.
    fn run_both_passes(&mut self, input: Option<&[f64]>, data: &mut [f64]) {
        let n_ch = self.filter.channels();
        let start = match (self.front.is_empty(), input) {
            (false, _) => &self.front[..n_ch],
            (true, Some(x)) => &x[..n_ch],
            (true, None) => &data[..n_ch],
        };
        self.edge.copy_from_slice(start);
        self.filter.settle_on(&self.edge);
        self.filter.process_in_place(&mut self.front);
        match input {
            Some(x) => self.filter.process(x, data),
            None => self.filter.process_in_place(data),
        }
        self.filter.process_in_place(&mut self.back);

        let end = if self.back.is_empty() {
            &data[data.len() - n_ch..]
        } else {
            &self.back[self.back.len() - n_ch..]
        };
        self.edge.copy_from_slice(end);
        self.filter.settle_on(&self.edge);
        self.filter.process_in_place_reversed(&mut self.back);
        self.filter.process_in_place_reversed(data);
    }
}
