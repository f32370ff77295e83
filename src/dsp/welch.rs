//! Power spectral density by Welch's method and by the periodogram, equal to scipy's
//! `welch`/`periodogram` with a periodic Hann window, one-sided density scaling and
//! constant or linear detrending per segment.
//!
//! A [`Welch`] owns its FFT plan and buffers: build one per channel (or per thread) and call
//! it on every window; the calls never allocate.

use std::f64::consts::PI;
use std::sync::{Arc, OnceLock};

use num_complex::Complex64;

use super::error::{check_rate, DspError};
use super::fft_plan::{shared, Tables};
use super::isa::Isa;
use super::lanes::{combine, LANES};
use super::real_fft::RealPrefixFft;

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
    /// The Hann window, shared by every estimator of this length.
    window: Arc<[f64]>,
    scale: f64,
    /// The transform, which unpacks only the bins asked for.
    fft: RealPrefixFft,
    spectrum: Vec<Complex64>,
    segment_psd: Vec<f64>,
    isa: Isa,
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
        static WINDOWS: Tables<f64> = OnceLock::new();
        let window = shared(&WINDOWS, segment, hann_periodic);
        let scale = 1.0 / (sample_rate_hz * window.iter().map(|w| w * w).sum::<f64>());
        let fft = RealPrefixFft::new(segment);
        let spectrum = vec![Complex64::default(); fft.bins()];
        Ok(Welch {
            segment,
            step: segment - overlap,
            detrend,
            sample_rate_hz,
            window,
            scale,
            segment_psd: vec![0.0; spectrum.len()],
            fft,
            spectrum,
            isa: Isa::detect(),
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
        assert_eq!(out.len(), self.bins(), "one output per bin");
        self.segment_density_prefix(segment, out);
    }

    /// The one-sided density of a single segment's first `out.len()` bins: the same values
    /// as [`Welch::segment_density`], for callers that read only low frequencies.
    ///
    /// # Panics
    /// If `segment.len()` is not the segment length or `out` is empty or longer than
    /// [`Self::bins`].
    pub fn segment_density_prefix(&mut self, segment: &[f64], out: &mut [f64]) {
        assert_eq!(segment.len(), self.segment, "segment length");
        assert!(
            !out.is_empty() && out.len() <= self.bins(),
            "at most one output per bin"
        );
        detrend_window(
            self.isa,
            segment,
            &self.window,
            self.detrend,
            self.fft.input(),
        );
        // The Nyquist bin (even lengths) counts once, like DC, when it is among the outputs.
        let nyquist = self.segment % 2 == 0 && out.len() == self.spectrum.len();
        let spectrum = &mut self.spectrum[..out.len()];
        self.fft.transform(spectrum);
        one_sided_density(self.isa, spectrum, self.scale, nyquist, out);
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

/// What [`Detrend`] removes from a segment of `n` samples: `offset + slope·(i − t0)` at
/// sample i, with t0 = (n − 1)/2 the centre.
struct Trend {
    offset: f64,
    slope: f64,
    t0: f64,
}

impl Trend {
    #[inline(always)]
    fn of(x: &[f64], detrend: Detrend) -> Trend {
        let n = x.len() as f64;
        let t0 = (n - 1.0) / 2.0;
        match detrend {
            Detrend::None => Trend {
                offset: 0.0,
                slope: 0.0,
                t0,
            },
            Detrend::Constant => Trend {
                offset: lane_sums(x, t0).0 / n,
                slope: 0.0,
                t0,
            },
            Detrend::Linear => {
                let (sum, moment) = lane_sums(x, t0);
                // Σ(i − t0)² over i < n, exact in f64 for any length a segment can have.
                let stt = n * (n * n - 1.0) / 12.0;
                Trend {
                    offset: sum / n,
                    slope: if stt > 0.0 { moment / stt } else { 0.0 },
                    t0,
                }
            }
        }
    }
}

/// `(Σ x_i, Σ (i − t0)·x_i)` in [`LANES`] partial sums. Every `i − t0` is a whole or half
/// number, so stepping it by `LANES` is exact.
#[inline(always)]
fn lane_sums(x: &[f64], t0: f64) -> (f64, f64) {
    let mut sum = [0.0; LANES];
    let mut moment = [0.0; LANES];
    let mut t: [f64; LANES] = std::array::from_fn(|j| j as f64 - t0);
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for j in 0..LANES {
            sum[j] += chunk[j];
            moment[j] += t[j] * chunk[j];
            t[j] += LANES as f64;
        }
    }
    for (j, v) in rest.iter().enumerate() {
        sum[j] += v;
        moment[j] += t[j] * v;
    }
    (combine(sum), combine(moment))
}

/// `out[i] = (x[i] − trend(i))·w[i]` in one pass, with the trend [`Detrend`] removes.
fn detrend_window(isa: Isa, x: &[f64], w: &[f64], detrend: Detrend, out: &mut [f64]) {
    match isa {
        Isa::Portable => detrend_window_loop(x, w, detrend, out),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa::Avx2` or `Isa::Avx512` exists only where AVX2 was detected
        // (see `Isa`).
        Isa::Avx2 | Isa::Avx512 => unsafe { detrend_window_avx2(x, w, detrend, out) },
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn detrend_window_avx2(x: &[f64], w: &[f64], detrend: Detrend, out: &mut [f64]) {
    detrend_window_loop(x, w, detrend, out);
}

#[inline(always)]
fn detrend_window_loop(x: &[f64], w: &[f64], detrend: Detrend, out: &mut [f64]) {
    let Trend { offset, slope, t0 } = Trend::of(x, detrend);
    let mut t: [f64; LANES] = std::array::from_fn(|j| j as f64 - t0);
    let mut out_chunks = out.chunks_exact_mut(LANES);
    let mut x_chunks = x.chunks_exact(LANES);
    let mut w_chunks = w.chunks_exact(LANES);
    for ((o, x), w) in (&mut out_chunks).zip(&mut x_chunks).zip(&mut w_chunks) {
        for j in 0..LANES {
            o[j] = (x[j] - (offset + slope * t[j])) * w[j];
            t[j] += LANES as f64;
        }
    }
    let rest = out_chunks
        .into_remainder()
        .iter_mut()
        .zip(x_chunks.remainder().iter().zip(w_chunks.remainder()));
    for (j, (o, (x, w))) in rest.enumerate() {
        *o = (x - (offset + slope * t[j])) * w;
    }
}

/// `out[k] = |X_k|²·scale`, doubled for every bin but DC and, with `nyquist`, the last.
fn one_sided_density(isa: Isa, spectrum: &[Complex64], scale: f64, nyquist: bool, out: &mut [f64]) {
    match isa {
        Isa::Portable => one_sided_density_loop(spectrum, scale, nyquist, out),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: an `Isa::Avx2` or `Isa::Avx512` exists only where AVX2 was detected
        // (see `Isa`).
        Isa::Avx2 | Isa::Avx512 => unsafe { one_sided_density_avx2(spectrum, scale, nyquist, out) },
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn one_sided_density_avx2(
    spectrum: &[Complex64],
    scale: f64,
    nyquist: bool,
    out: &mut [f64],
) {
    one_sided_density_loop(spectrum, scale, nyquist, out);
}

#[inline(always)]
fn one_sided_density_loop(spectrum: &[Complex64], scale: f64, nyquist: bool, out: &mut [f64]) {
    for (o, c) in out.iter_mut().zip(spectrum) {
        *o = (c.re * c.re + c.im * c.im) * scale * 2.0;
    }
    out[0] = spectrum[0].norm_sqr() * scale * 1.0;
    if nyquist {
        let last = out.len() - 1;
        out[last] = spectrum[last].norm_sqr() * scale * 1.0;
    }
}

/// Removes the mean or the least-squares line from `x`.
///
/// ```
/// use myobalance::dsp::welch::{detrend_in_place, Detrend};
/// let mut x = [1.0, 3.0, 5.0, 7.0];
/// detrend_in_place(&mut x, Detrend::Linear);
/// assert!(x.iter().all(|v| v.abs() < 1e-15));
/// ```
pub fn detrend_in_place(x: &mut [f64], detrend: Detrend) {
    if x.is_empty() || detrend == Detrend::None {
        return;
    }
    let Trend { offset, slope, t0 } = Trend::of(x, detrend);
    for (i, v) in x.iter_mut().enumerate() {
        *v -= offset + slope * (i as f64 - t0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook sequential detrend, as the estimator was first written.
    fn naive_detrend(x: &mut [f64], detrend: Detrend) {
        let n = x.len() as f64;
        let t0 = (n - 1.0) / 2.0;
        let mean = x.iter().sum::<f64>() / n;
        let (mut sxt, mut stt) = (0.0, 0.0);
        for (i, v) in x.iter().enumerate() {
            sxt += (i as f64 - t0) * v;
            stt += (i as f64 - t0) * (i as f64 - t0);
        }
        let slope = match detrend {
            Detrend::Linear if stt > 0.0 => sxt / stt,
            _ => 0.0,
        };
        let offset = if detrend == Detrend::None { 0.0 } else { mean };
        for (i, v) in x.iter_mut().enumerate() {
            *v -= offset + slope * (i as f64 - t0);
        }
    }

    #[test]
    fn lane_sums_agree_with_the_sequential_detrend() {
        // Tolerance: the partial sums only change the rounding of two sums of ≤ 4001 terms.
        const TOL: f64 = 1e-12;
        let mut s = 12345u64;
        for n in [1, 2, 3, 7, 8, 9, 1000, 4001] {
            let x: Vec<f64> = (0..n)
                .map(|i| {
                    s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
                    3.0 + 0.01 * i as f64 + (s >> 11) as f64 / (1u64 << 53) as f64
                })
                .collect();
            for detrend in [Detrend::None, Detrend::Constant, Detrend::Linear] {
                let mut expected = x.clone();
                naive_detrend(&mut expected, detrend);
                let w = hann_periodic(n);
                let mut fused = vec![0.0; n];
                detrend_window(Isa::detect(), &x, &w, detrend, &mut fused);
                let mut plain = x.clone();
                detrend_in_place(&mut plain, detrend);
                for i in 0..n {
                    assert!((plain[i] - expected[i]).abs() <= TOL, "{n} {detrend:?} {i}");
                    assert!(
                        (fused[i] - expected[i] * w[i]).abs() <= TOL,
                        "{n} {detrend:?} {i}"
                    );
                }
            }
        }
    }

    #[test]
    fn instruction_sets_give_identical_densities() {
        let x: Vec<f64> = (0..4001)
            .map(|i| (i as f64 * 0.37).sin() + 0.001 * i as f64)
            .collect();
        for detrend in [Detrend::None, Detrend::Constant, Detrend::Linear] {
            for len in [4000, 4001] {
                let mut fast = Welch::new(len, 0, detrend, 2000.0).unwrap();
                let mut base = fast.clone();
                base.isa = Isa::Portable;
                let (mut a, mut b) = (vec![0.0; fast.bins()], vec![0.0; fast.bins()]);
                fast.segment_density(&x[..len], &mut a);
                base.segment_density(&x[..len], &mut b);
                assert!(a == b, "{detrend:?}, {len}");
            }
        }
    }
}
