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
    scratch: Vec<f64>,
    edge: Vec<f64>,
}

impl ZeroPhase {
    /// Zero-phase filtering of `channels` interleaved channels through `sections`.
    pub fn new(sections: &[Section], channels: usize) -> Result<ZeroPhase, DspError> {
        Ok(ZeroPhase {
            filter: SosFilter::new(sections, channels)?,
            padlen: sos::default_padlen(sections),
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
        let frames = input.len() / n_ch;
        if frames == 0 {
            return;
        }
        let pad = self.padlen_for(frames);
        self.extend_odd(input, frames, pad);
        self.run_both_passes();
        output.copy_from_slice(&self.scratch[pad * n_ch..(pad + frames) * n_ch]);
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
        let pad = self.padlen_for(frames);
        self.scratch.clear();
        self.scratch.resize((frames + 2 * pad) * n_ch, 0.0);
        for (c, x) in input.iter().enumerate() {
            let (first, last) = (x[0], x[frames - 1]);
            for i in 0..pad {
                self.scratch[i * n_ch + c] = 2.0 * first - x[pad - i];
                self.scratch[(pad + frames + i) * n_ch + c] = 2.0 * last - x[frames - 2 - i];
            }
            for (i, &v) in x.iter().enumerate() {
                self.scratch[(pad + i) * n_ch + c] = v;
            }
        }
        self.run_both_passes();
        for (c, y) in output.iter_mut().enumerate() {
            for (i, v) in y.iter_mut().enumerate() {
                *v = self.scratch[(pad + i) * n_ch + c];
            }
        }
    }

    /// Writes `pad` frames of odd extension, the input, and `pad` more into the scratch
    /// buffer: `2·x[0] − x[pad−i]` before and `2·x[N−1] − x[N−2−i]` after.
    fn extend_odd(&mut self, input: &[f64], frames: usize, pad: usize) {
        let n_ch = self.filter.channels();
        self.scratch.clear();
        self.scratch.reserve((frames + 2 * pad) * n_ch);
        let frame = |i: usize| &input[i * n_ch..(i + 1) * n_ch];
        let (first, last) = (frame(0), frame(frames - 1));
        for i in 0..pad {
            let mirror = frame(pad - i);
            self.scratch
                .extend(first.iter().zip(mirror).map(|(f, m)| 2.0 * f - m));
        }
        self.scratch.extend_from_slice(input);
        for i in 0..pad {
            let mirror = frame(frames - 2 - i);
            self.scratch
                .extend(last.iter().zip(mirror).map(|(l, m)| 2.0 * l - m));
        }
    }

    fn run_both_passes(&mut self) {
        let n_ch = self.filter.channels();
        let total = self.scratch.len();
        self.edge.copy_from_slice(&self.scratch[..n_ch]);
        self.filter.settle_on(&self.edge);
        self.filter.process_in_place(&mut self.scratch);
        self.edge.copy_from_slice(&self.scratch[total - n_ch..]);
        self.filter.settle_on(&self.edge);
        self.filter.process_in_place_reversed(&mut self.scratch);
    }
}
