//! One signal brought to the recording's rate with a band-limited resampler (`rubato`):
//! the FFT resampler whenever the ratio of the rates is a fraction p/q with q up to
//! [`MAX_DENOMINATOR`] (every pair of whole-hertz rates of biosignal devices is), the sinc
//! resampler otherwise. The line through the first and last samples is taken out before and
//! put back after, so the resampler's zero padding beyond both ends does not bend the edges
//! of a signal that sits far from zero (a force at 500 N, a DC offset).
//!
//! rubato 5.1's FFT resampler trims its delay half an input sample short when its FFT
//! block holds an odd number of input samples (250 → 2048 Hz: blocks of 125): every output
//! comes out 2 ms early. Asking for blocks of an even number of input samples aligns it
//! exactly (measured: no lag at any of the rate pairs tested). Its sinc resampler trims
//! its delay only to within a fraction of an input sample, hence the FFT one wherever
//! it applies.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, Fft, FixedAsync, FixedSync, Resampler, SincInterpolationParameters,
    SincInterpolationType, WindowFunction,
};

/// Input samples per FFT block at least (rounded up to an even multiple of the ratio's
/// denominator): short FFTs, little delay.
const MIN_BLOCK: usize = 256;

/// Frames per call of the sinc resampler.
const CHUNK_FRAMES: usize = 1024;

/// The largest denominator of a rate ratio the FFT resampler is used for: its blocks hold
/// a multiple of it (148.148 → 1000 Hz is 250000/37037).
pub const MAX_DENOMINATOR: u64 = 1_000_000;

/// The FFT resampler is not used when one block would produce more output samples than
/// this (its buffers grow with the block).
const MAX_OUTPUT_BLOCK: u64 = 1 << 22;

/// A fraction this close (relative) to the ratio of the rates is that ratio.
const RATIO_TOLERANCE: f64 = 1e-10;

/// `x`, sampled at `from_hz`, at `to_hz`: exactly `n_out` samples covering the same time
/// (the last value is held if the resampler yields fewer, which happens by one sample at
/// most from rounding).
///
/// ```
/// use myobalance::import::resample::resample;
///
/// // A 2 Hz sine at 100 Hz, brought to 2000 Hz.
/// let x: Vec<f32> = (0..400).map(|k| (2.0 * std::f32::consts::PI * 2.0 * k as f32 / 100.0).sin()).collect();
/// let y = resample(&x, 100.0, 2000.0, 8000).unwrap();
/// assert_eq!(y.len(), 8000);
/// let k = 4000; // 2 s in
/// let truth = (2.0 * std::f64::consts::PI * 2.0 * k as f64 / 2000.0).sin();
/// assert!((f64::from(y[k]) - truth).abs() < 1e-3);
/// ```
pub fn resample(x: &[f32], from_hz: f64, to_hz: f64, n_out: usize) -> Result<Vec<f32>, String> {
    if !(from_hz > 0.0 && to_hz > 0.0 && from_hz.is_finite() && to_hz.is_finite()) {
        return Err("rates must be positive".to_string());
    }
    if x.is_empty() || n_out == 0 {
        return Ok(vec![0.0; n_out]);
    }
    let first = f64::from(x[0]);
    let last = f64::from(x[x.len() - 1]);
    let span = (x.len() - 1).max(1) as f64;
    let slope = (last - first) / span; // per input sample
    let detrended: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(k, &v)| f64::from(v) - first - slope * k as f64)
        .collect();
    let mut y = run(&detrended, from_hz, to_hz).map_err(|e| e.to_string())?;
    y.resize(n_out, y.last().copied().unwrap_or(0.0));
    let step = from_hz / to_hz; // input samples per output sample
    Ok(y.iter()
        .enumerate()
        .map(|(k, &v)| (v + first + slope * k as f64 * step) as f32)
        .collect())
}

/// `ratio` as p/q in lowest terms, from its continued fraction, when some q ≤
/// [`MAX_DENOMINATOR`] gives it to one part in 10¹⁰.
pub fn fraction(ratio: f64) -> Option<(u64, u64)> {
    if !(ratio.is_finite() && ratio > 0.0) {
        return None;
    }
    let (mut p0, mut q0, mut p1, mut q1) = (0u64, 1u64, 1u64, 0u64);
    let mut x = ratio;
    for _ in 0..64 {
        let a = x.floor();
        if a > 1e12 {
            return None;
        }
        let a = a as u64;
        let p2 = a.checked_mul(p1)?.checked_add(p0)?;
        let q2 = a.checked_mul(q1)?.checked_add(q0)?;
        if q2 > MAX_DENOMINATOR {
            return None;
        }
        if ((p2 as f64 / q2 as f64) - ratio).abs() <= RATIO_TOLERANCE * ratio {
            return Some((p2, q2));
        }
        (p0, q0, p1, q1) = (p1, q1, p2, q2);
        let rest = x - a as f64;
        if rest <= 0.0 {
            return None;
        }
        x = 1.0 / rest;
    }
    None
}

fn run(x: &[f64], from_hz: f64, to_hz: f64) -> Result<Vec<f64>, Box<dyn std::error::Error>> {
    let input = InterleavedSlice::new(x, 1, x.len())?;
    let fft = fraction(to_hz / from_hz).and_then(|(p, q)| {
        // Only the ratio matters to the resampler: q input samples become p output ones.
        // Blocks of an even number of input samples keep its delay exact.
        let step = if q % 2 == 0 { q } else { 2 * q };
        let block = step * (MIN_BLOCK as u64).div_ceil(step);
        (block / q * p <= MAX_OUTPUT_BLOCK).then_some((p, q, block as usize))
    });
    let mut resampler: Box<dyn Resampler<f64>> = match fft {
        Some((p, q, block)) => Box::new(Fft::<f64>::new_custom(
            q as usize,
            p as usize,
            block,
            1,
            1,
            WindowFunction::BlackmanHarris2,
            FixedSync::Both,
        )?),
        _ => {
            let parameters = SincInterpolationParameters {
                sinc_len: 256,
                f_cutoff: None,
                oversampling_factor: 256,
                interpolation: SincInterpolationType::Cubic,
                window: WindowFunction::BlackmanHarris2,
            };
            Box::new(Async::<f64>::new_sinc(
                to_hz / from_hz,
                1.0,
                &parameters,
                CHUNK_FRAMES,
                1,
                FixedAsync::Input,
            )?)
        }
    };
    let out = resampler.process_all(&input, x.len(), None)?;
    Ok(out.take_data())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A band-limited resampler reproduces a slow sine to this fraction of its amplitude
    /// away from the edges (rubato's filters ripple well below 1e-3 in the pass band).
    const SINE_TOL: f64 = 2e-3;

    fn sine(n: usize, fs: f64, hz: f64, offset: f64) -> Vec<f32> {
        (0..n)
            .map(|k| (offset + (2.0 * std::f64::consts::PI * hz * k as f64 / fs).sin()) as f32)
            .collect()
    }

    #[test]
    fn whole_and_fractional_rates_keep_a_slow_sine() {
        for (from, to) in [
            (100.0, 2000.0),
            (2000.0, 1000.0),
            (250.0, 2048.0),
            (125.0, 2048.0),
            (59.94, 2000.0),
            (148.148, 1000.0),
        ] {
            let n_in = (from * 4.0) as usize;
            let n_out = (n_in as f64 * to / from).round() as usize;
            let x = sine(n_in, from, 3.0, 500.0);
            let y = resample(&x, from, to, n_out).unwrap();
            assert_eq!(y.len(), n_out);
            let truth = sine(n_out, to, 3.0, 500.0);
            // Edges included: the line taken out keeps the 500 offset from ringing.
            let worst = y
                .iter()
                .zip(&truth)
                .map(|(a, b)| (f64::from(*a) - f64::from(*b)).abs())
                .fold(0.0, f64::max);
            assert!(worst < SINE_TOL * 500.0, "{from}→{to}: worst {worst}");
            let inner = y[n_out / 8..n_out * 7 / 8]
                .iter()
                .zip(&truth[n_out / 8..n_out * 7 / 8])
                .map(|(a, b)| (f64::from(*a) - f64::from(*b)).abs())
                .fold(0.0, f64::max);
            assert!(inner < SINE_TOL, "{from}→{to}: inner {inner}");
        }
    }

    #[test]
    fn ratios_as_fractions() {
        assert_eq!(fraction(2048.0 / 250.0), Some((1024, 125)));
        assert_eq!(fraction(2000.0 / 100.0), Some((20, 1)));
        assert_eq!(fraction(1000.0 / 2000.0), Some((1, 2)));
        assert_eq!(fraction(1000.0 / 148.148), Some((250000, 37037)));
        assert_eq!(fraction(2000.0 / 59.94), Some((100000, 2997)));
        let (p, q) = fraction(std::f64::consts::PI).unwrap();
        assert!((p as f64 / q as f64 - std::f64::consts::PI).abs() < 1e-9);
        assert_eq!(fraction(1e15), None);
        assert_eq!(fraction(0.0), None);
        assert_eq!(fraction(f64::NAN), None);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(resample(&[], 100.0, 200.0, 3).unwrap(), vec![0.0; 3]);
        assert_eq!(resample(&[7.0], 100.0, 200.0, 2).unwrap().len(), 2);
        assert!(resample(&[1.0], 0.0, 200.0, 2).is_err());
    }
}
