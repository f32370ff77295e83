//! The one window rule every windowed feature follows (DESIGN.md, "Windows").
//!
//! With window W = round(window_s·fs) and hop H = round(hop_s·fs) samples, window k covers
//! samples [kH, kH + W) and exists while kH + W ≤ N; its time is the centre,
//! (kH + W/2)/fs. A live stream can emit window k as soon as sample kH + W − 1 arrives, so
//! live and batch runs produce the same rows.

use std::ops::Range;

use super::error::{check_rate, DspError};

/// Greatest common divisor: the longest stretch that tiles both `a` and `b` samples
/// (windows and hops, segment steps), so overlapping windows can share per-stretch work.
pub fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Window and hop in samples, with the rate they were derived at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowSpec {
    pub window: usize,
    pub hop: usize,
    pub sample_rate_hz: f64,
}

fn to_samples(
    what: &'static str,
    seconds: f64,
    sample_rate_hz: f64,
    min: usize,
) -> Result<usize, DspError> {
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err(DspError::BadDuration { what, seconds });
    }
    let samples = (seconds * sample_rate_hz).round();
    if samples < min as f64 {
        return Err(DspError::WindowTooShort {
            what,
            seconds,
            samples: samples as usize,
            sample_rate_hz,
            min_samples: min,
        });
    }
    Ok(samples as usize)
}

impl WindowSpec {
    /// Windows of `window_s` every `hop_s` seconds; the window must span at least
    /// `min_window` samples and the hop at least one.
    ///
    /// ```
    /// use myobalance::dsp::windows::WindowSpec;
    /// let w = WindowSpec::from_seconds(0.25, 0.05, 2000.0, 2).unwrap();
    /// assert_eq!((w.window, w.hop), (500, 100));
    /// assert_eq!(w.count(1000), 6); // starts 0, 100, …, 500
    /// assert_eq!(w.centre_s(1), (100.0 + 250.0) / 2000.0);
    /// ```
    pub fn from_seconds(
        window_s: f64,
        hop_s: f64,
        sample_rate_hz: f64,
        min_window: usize,
    ) -> Result<WindowSpec, DspError> {
        check_rate(sample_rate_hz)?;
        Ok(WindowSpec {
            window: to_samples("window", window_s, sample_rate_hz, min_window.max(1))?,
            hop: to_samples("hop", hop_s, sample_rate_hz, 1)?,
            sample_rate_hz,
        })
    }

    /// Number of whole windows in a signal of `n` samples.
    pub fn count(&self, n: usize) -> usize {
        if n < self.window {
            0
        } else {
            (n - self.window) / self.hop + 1
        }
    }

    /// Samples covered by window `k`.
    pub fn range(&self, k: usize) -> Range<usize> {
        k * self.hop..k * self.hop + self.window
    }

    /// Time of window `k`: its centre, in seconds from the first sample.
    pub fn centre_s(&self, k: usize) -> f64 {
        (k as f64 * self.hop as f64 + self.window as f64 / 2.0) / self.sample_rate_hz
    }
}
