//! Power spectral density by Welch's method and by the periodogram, equal to scipy's
//! `welch`/`periodogram` with a periodic Hann window, one-sided density scaling and
//! constant or linear detrending per segment.
//!
//! A [`Welch`] owns its FFT plan and buffers: build one per channel (or per thread) and call
//! it on every window; the calls never allocate.

use std::f64::consts::PI;
use std::sync::Arc;

use num_complex::Complex64;
use realfft::{RealFftPlanner, RealToComplex};

use super::error::{check_rate, DspError};

/// What is removed from each segment before the window is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detrend {
    None,
    /// The segment mean.
    Constant,
    /// The least-squares line through the segment.
    Linear,
}

/// Welch PSD estimator for segments of a fixed length.
pub struct Welch {
    segment: usize,
    step: usize,
    detrend: Detrend,
    sample_rate_hz: f64,
    window: Vec<f64>,
    scale: f64,
    fft: Arc<dyn RealToComplex<f64>>,
    buffer: Vec<f64>,
    spectrum: Vec<Complex64>,
    scratch: Vec<Complex64>,
    segment_psd: Vec<f64>,
}

impl std::fmt::Debug for Welch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Welch")
            .field("segment", &self.segment)
            .field("step", &self.step)
            .field("detrend", &self.detrend)
            .field("sample_rate_hz", &self.sample_rate_hz)
            .finish()
    }
}

impl Clone for Welch {
    fn clone(&self) -> Welch {
        Welch::new(
            self.segment,
            self.segment - self.step,
            self.detrend,
            self.sample_rate_hz,
        )
        .expect("settings were valid when first built")
    }
}

/// The periodic ("DFT-even") Hann window of `n` points, as scipy's `get_window("hann", n)`.
pub fn hann_periodic(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 0.5 - 0.5 * (2.0 * PI * i as f64 / n as f64).cos())
        .collect()
}

impl Welch {
    /// Segments of `segment` samples overlapping by `overlap` samples.
    pub fn new(
        segment: usize,
        overlap: usize,
        detrend: Detrend,
        sample_rate_hz: f64,
    ) -> Result<Welch, DspError> {
        check_rate(sample_rate_hz)?;
        if segment < 2 {
            return Err(DspError::WindowTooShort {
                what: "Welch segment",
                seconds: segment as f64 / sample_rate_hz,
                samples: segment,
                sample_rate_hz,
                min_samples: 2,
            });
        }
        let overlap = overlap.min(segment - 1);
        let window = hann_periodic(segment);
        let scale = 1.0 / (sample_rate_hz * window.iter().map(|w| w * w).sum::<f64>());
        let fft = RealFftPlanner::<f64>::new().plan_fft_forward(segment);
        let buffer = fft.make_input_vec();
        let spectrum = fft.make_output_vec();
        let scratch = fft.make_scratch_vec();
        Ok(Welch {
            segment,
            step: segment - overlap,
            detrend,
            sample_rate_hz,
            window,
            scale,
            segment_psd: vec![0.0; spectrum.len()],
            fft,
            buffer,
            spectrum,
            scratch,
        })
    }

    /// DESIGN.md's tremor estimator: segments of round(`segment_s`·fs) samples, half
    /// overlapping, linear detrend.
    pub fn from_seconds(segment_s: f64, sample_rate_hz: f64) -> Result<Welch, DspError> {
        check_rate(sample_rate_hz)?;
        if !(segment_s.is_finite() && segment_s > 0.0) {
            return Err(DspError::BadDuration {
                what: "Welch segment",
                seconds: segment_s,
            });
        }
        let segment = (segment_s * sample_rate_hz).round() as usize;
        Welch::new(segment, segment / 2, Detrend::Linear, sample_rate_hz)
    }

    /// A periodogram of exactly `len` samples (scipy's `periodogram` with a Hann window).
    pub fn periodogram(
        len: usize,
        detrend: Detrend,
        sample_rate_hz: f64,
    ) -> Result<Welch, DspError> {
        Welch::new(len, 0, detrend, sample_rate_hz)
    }

    /// Samples per segment.
    pub fn segment_len(&self) -> usize {
        self.segment
    }

    /// Samples between the starts of consecutive segments.
    pub fn step(&self) -> usize {
        self.step
    }

    /// Number of one-sided frequency bins, `segment/2 + 1`.
    pub fn bins(&self) -> usize {
        self.spectrum.len()
    }

    /// Bin spacing in Hz; bin k lies at `k · resolution_hz()`.
    pub fn resolution_hz(&self) -> f64 {
        1.0 / (self.segment as f64 * (1.0 / self.sample_rate_hz))
    }

    /// Number of whole segments in `n` samples.
    pub fn segments(&self, n: usize) -> usize {
        if n < self.segment {
            0
        } else {
            (n - self.segment) / self.step + 1
        }
    }

    /// The one-sided density of a single segment (no averaging) into `out`.
    ///
    /// # Panics
    /// If `segment.len()` is not the segment length or `out.len()` is not [`Self::bins`].
    pub fn segment_density(&mut self, segment: &[f64], out: &mut [f64]) {
        assert_eq!(segment.len(), self.segment, "segment length");
        assert_eq!(out.len(), self.bins(), "one output per bin");
        self.buffer.copy_from_slice(segment);
        detrend_in_place(&mut self.buffer, self.detrend);
        for (x, w) in self.buffer.iter_mut().zip(&self.window) {
            *x *= w;
        }
        self.fft
            .process_with_scratch(&mut self.buffer, &mut self.spectrum, &mut self.scratch)
            .expect("buffers come from the plan");
        let last = self.bins() - 1;
        let nyquist_bin = self.segment % 2 == 0;
        for (k, (o, c)) in out.iter_mut().zip(&self.spectrum).enumerate() {
            let doubled = k > 0 && !(k == last && nyquist_bin);
            *o = c.norm_sqr() * self.scale * if doubled { 2.0 } else { 1.0 };
        }
    }

    /// Welch PSD of `x`: the mean of the densities of its whole segments, into `out`.
    ///
    /// # Panics
    /// If `x` is shorter than one segment or `out.len()` is not [`Self::bins`].
    pub fn psd(&mut self, x: &[f64], out: &mut [f64]) {
        let count = self.segments(x.len());
        assert!(count > 0, "signal shorter than one Welch segment");
        out.fill(0.0);
        let mut density = std::mem::take(&mut self.segment_psd);
        for s in 0..count {
            let start = s * self.step;
            self.segment_density(&x[start..start + self.segment], &mut density);
            for (o, d) in out.iter_mut().zip(&density) {
                *o += d;
            }
        }
        self.segment_psd = density;
        let n = count as f64;
        for o in out.iter_mut() {
            *o /= n;
        }
    }
}

/// Removes the mean or the least-squares line from `x`.
pub fn detrend_in_place(x: &mut [f64], detrend: Detrend) {
    let n = x.len();
    if n == 0 {
        return;
    }
    match detrend {
        Detrend::None => {}
        Detrend::Constant => {
            let mean = x.iter().sum::<f64>() / n as f64;
            for v in x.iter_mut() {
                *v -= mean;
            }
        }
        Detrend::Linear => {
            let t_mean = (n as f64 - 1.0) / 2.0;
            let mean = x.iter().sum::<f64>() / n as f64;
            let (mut sxt, mut stt) = (0.0, 0.0);
            for (i, v) in x.iter().enumerate() {
                let t = i as f64 - t_mean;
                sxt += t * v;
                stt += t * t;
            }
            let slope = if stt > 0.0 { sxt / stt } else { 0.0 };
            for (i, v) in x.iter_mut().enumerate() {
                *v -= mean + slope * (i as f64 - t_mean);
            }
        }
    }
}
