//! The ground truth of spectral fatigue, computed from the model itself: the median
//! frequency of the shaped EMG spectrum as the fatigue feature sees it, and the straight
//! line it follows through a set.
//!
//! The spectrum is the shaping filter's exact power response |H_c(f)|² (the
//! coefficients that ran) times the zero-phase analysis band-pass |H_bp(f)|⁴ (order 2 per
//! edge, forward and backward, as the offline features apply it), kept inside the band.
//! Baseline noise and hum are left out: on an active muscle they hold well under 1 % of
//! the power.

use crate::dsp::butterworth::{butter, Band as Passband};
use crate::dsp::sos::{response, Section};
use crate::dsp::DspError;

use super::schedule::Schedule;
use super::shaping::Band;

/// Frequency step of the numerical median, Hz: far finer than a 0.5 s epoch's 2 Hz bins.
const GRID_HZ: f64 = 0.1;
/// Compression values sampled through a set for the line fit (MDF is smooth, nearly
/// linear in c).
const LINE_POINTS: usize = 21;

/// The analysis band-pass of the features: edges, with the upper one capped at 0.45·fs
/// (DESIGN.md), and its sections.
#[derive(Debug, Clone)]
pub(crate) struct AnalysisBand {
    pub low_hz: f64,
    pub high_hz: f64,
    fs: f64,
    sections: Vec<Section>,
    /// The MDF grid: `low_hz + i·grid_step_hz`, i = 0 … `grid_gain.len() − 1`.
    grid_step_hz: f64,
    /// |H_bp|⁴ on the grid, shared by every channel and compression.
    grid_gain: Vec<f64>,
}

impl AnalysisBand {
    pub fn new(bandpass_hz: [f64; 2], fs: f64) -> Result<AnalysisBand, DspError> {
        let low_hz = bandpass_hz[0];
        let high_hz = bandpass_hz[1].min(0.45 * fs);
        let sections = butter(2, Passband::BandPass { low_hz, high_hz }, fs)?;
        let steps = ((high_hz - low_hz) / GRID_HZ).ceil().max(1.0) as usize;
        let grid_step_hz = (high_hz - low_hz) / steps as f64;
        let grid_gain = (0..=steps)
            .map(|i| {
                response(&sections, low_hz + i as f64 * grid_step_hz, fs)
                    .norm_sqr()
                    .powi(2)
            })
            .collect();
        Ok(AnalysisBand {
            low_hz,
            high_hz,
            fs,
            sections,
            grid_step_hz,
            grid_gain,
        })
    }

    /// |H_bp(f)|⁴: the power response of the forward–backward band-pass.
    fn zero_phase_power(&self, f_hz: f64) -> f64 {
        response(&self.sections, f_hz, self.fs).norm_sqr().powi(2)
    }
}

/// Frequency points of the power integrals over [0, Nyquist].
const INTEGRAL_POINTS: usize = 2048;

impl AnalysisBand {
    /// Power gain of the zero-phase band-pass for a tone at `f_hz`.
    pub fn tone_gain(&self, f_hz: f64) -> f64 {
        self.zero_phase_power(f_hz)
    }

    /// Fraction of a spectrum's power the zero-phase band-pass keeps:
    /// `∫ S·|H_bp|⁴ / ∫ S` over [0, fs/2] (midpoint rule).
    fn kept_fraction(&self, spectrum: impl Fn(f64) -> f64) -> f64 {
        let df = 0.5 * self.fs / INTEGRAL_POINTS as f64;
        let (mut kept, mut total) = (0.0, 0.0);
        for i in 0..INTEGRAL_POINTS {
            let f = (i as f64 + 0.5) * df;
            let s = spectrum(f);
            kept += s * self.zero_phase_power(f);
            total += s;
        }
        kept / total
    }

    /// Fraction of white noise's power the band-pass keeps.
    pub fn white_fraction(&self) -> f64 {
        self.kept_fraction(|_| 1.0)
    }

    /// Fraction of the shaped EMG's power (band `band`, compression `c`) it keeps.
    pub fn shaped_fraction(&self, band: &Band, c: f64) -> f64 {
        self.kept_fraction(band.power(c))
    }
}

/// Median frequency of the model spectrum of `band` at compression `c`, in the analysis
/// band: the frequency that splits the band's power in half (trapezoidal cumulative sum
/// on a fine grid, interpolated linearly).
pub(crate) fn model_mdf(band: &Band, c: f64, analysis: &AnalysisBand) -> f64 {
    let df = analysis.grid_step_hz;
    let freq = |i: usize| analysis.low_hz + i as f64 * df;
    let shaping = band.power(c);
    let power: Vec<f64> = (analysis.grid_gain.iter().enumerate())
        .map(|(i, gain)| shaping(freq(i)) * gain)
        .collect();
    let areas: Vec<f64> = power.windows(2).map(|p| 0.5 * (p[0] + p[1]) * df).collect();
    let half = 0.5 * areas.iter().sum::<f64>();
    let mut below = 0.0;
    for (i, area) in areas.iter().enumerate() {
        if below + area >= half {
            return freq(i) + (half - below) / area * df;
        }
        below += area;
    }
    analysis.high_hz
}

/// The least-squares line of the model MDF against time through one set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FatigueLine {
    /// The line's value at the set's start.
    pub initial_hz: f64,
    pub slope_hz_per_s: f64,
}

/// Fits MDF(c(t)) at evenly spaced times of a set, from its start to its end.
pub(crate) fn fatigue_line(
    band: &Band,
    schedule: &Schedule,
    analysis: &AnalysisBand,
) -> FatigueLine {
    let duration = schedule.set_duration_s();
    let points: Vec<(f64, f64)> = (0..LINE_POINTS)
        .map(|i| {
            let t = duration * i as f64 / (LINE_POINTS - 1) as f64;
            let c = 1.0 - (1.0 - schedule.compression_end) * t / duration;
            (t, model_mdf(band, c, analysis))
        })
        .collect();
    let n = points.len() as f64;
    let t_mean = points.iter().map(|p| p.0).sum::<f64>() / n;
    let f_mean = points.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut stf, mut stt) = (0.0, 0.0);
    for (t, f) in &points {
        stf += (t - t_mean) * (f - f_mean);
        stt += (t - t_mean) * (t - t_mean);
    }
    let slope = if stt > 0.0 { stf / stt } else { 0.0 };
    FatigueLine {
        initial_hz: f_mean - slope * t_mean,
        slope_hz_per_s: slope,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::settings::SimSettings;

    #[test]
    fn mdf_falls_nearly_in_proportion_to_compression() {
        let fs = 2000.0;
        let band = Band {
            low_hz: 50.0,
            high_hz: 150.0,
            fs,
        };
        let analysis = AnalysisBand::new([20.0, 450.0], fs).unwrap();
        let schedule = Schedule::new(&SimSettings::default());
        let end = schedule.compression_end;
        let rested = model_mdf(&band, 1.0, &analysis);
        let tired = model_mdf(&band, end, &analysis);
        assert!(rested > 70.0 && rested < 130.0, "{rested}");
        let ratio = tired / rested;
        assert!((ratio - end).abs() < 0.05, "{ratio}");

        let line = fatigue_line(&band, &schedule, &analysis);
        assert!((line.initial_hz - rested).abs() < 1.0, "{line:?}");
        let expected = (tired - rested) / schedule.set_duration_s();
        assert!(
            (line.slope_hz_per_s / expected - 1.0).abs() < 0.05,
            "{line:?}"
        );
    }
}
