//! The whole-recording spectrum the report draws for mechanical channels (force,
//! accelerometer).
//!
//! The file stores tremor features and their whole-recording summary, not the spectrum
//! itself, so the report computes one for display with the library's Welch kernel
//! (`dsp::welch`) and the segment settings the tremor group records: segments of
//! round(`segment_s`·fs) samples, half overlapping, periodic Hann window, linear detrend,
//! density scaling. For force and accelerometer channels the tremor input is the recorded
//! signal itself, so this is the spectrum the tremor summary was read from. EMG channels
//! are left out: their tremor input (the rectified band-passed EMG) exists only inside
//! the engine, and the report computes no features.

use ndarray::ArrayView1;

use crate::dsp::welch::Welch;

/// A one-sided power spectral density up to some frequency.
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrum {
    /// Bin frequencies, Hz.
    pub freq_hz: Vec<f64>,
    /// Density at each bin, unit²/Hz.
    pub psd: Vec<f64>,
}

/// Welch PSD of `samples` with `segment_s` segments, bins up to `max_hz`; `None` when the
/// settings are unusable or the signal is shorter than one segment.
///
/// ```
/// use myobalance::report::spectrum::welch_spectrum;
/// let fs = 200.0;
/// let x: Vec<f32> = (0..4000)
///     .map(|i| (2.0 * std::f64::consts::PI * 8.0 * i as f64 / fs).sin() as f32)
///     .collect();
/// let s = welch_spectrum(ndarray::ArrayView1::from(&x), fs, 2.0, 30.0).unwrap();
/// let peak = s.psd.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
/// assert_eq!(s.freq_hz[peak], 8.0);
/// assert_eq!(*s.freq_hz.last().unwrap(), 30.0);
/// ```
pub fn welch_spectrum(
    samples: ArrayView1<f32>,
    sample_rate_hz: f64,
    segment_s: f64,
    max_hz: f64,
) -> Option<Spectrum> {
    let mut welch = Welch::from_seconds(segment_s, sample_rate_hz).ok()?;
    if welch.segments(samples.len()) == 0 {
        return None;
    }
    let x: Vec<f64> = samples.iter().map(|&v| f64::from(v)).collect();
    let mut psd = vec![0.0; welch.bins()];
    welch.psd(&x, &mut psd);
    let df = welch.resolution_hz();
    let keep = psd.len().min((max_hz / df).floor().max(0.0) as usize + 1);
    psd.truncate(keep);
    Some(Spectrum {
        freq_hz: (0..keep).map(|k| k as f64 * df).collect(),
        psd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_unusable_inputs_give_nothing() {
        let x = vec![0.0f32; 100];
        assert!(welch_spectrum(ArrayView1::from(&x), 100.0, 2.0, 30.0).is_none());
        assert!(welch_spectrum(ArrayView1::from(&x), 100.0, f64::NAN, 30.0).is_none());
        assert!(welch_spectrum(ArrayView1::from(&x), 0.0, 0.5, 30.0).is_none());
    }
}
