//! The settings a benchmark run is made of: channel count, rate and length, checked once,
//! and the filters and windows of DESIGN.md's default `[analysis]` built from them.

use crate::dsp::butterworth::{butter, Band};
use crate::dsp::sos::Section;
use crate::dsp::windows::WindowSpec;
use crate::dsp::DspError;

/// Lower edge of the EMG band-pass, Hz.
pub const BANDPASS_LOW_HZ: f64 = 20.0;
/// Upper edge of the EMG band-pass, Hz, before the cap at [`BANDPASS_CAP`]·fs.
pub const BANDPASS_HIGH_HZ: f64 = 450.0;
/// The upper band edge never exceeds this fraction of the sample rate.
pub const BANDPASS_CAP: f64 = 0.45;
/// Butterworth order per band edge.
pub const BANDPASS_ORDER: usize = 2;
/// Activation RMS window and hop, s.
pub const RMS_WINDOW_S: f64 = 0.25;
/// See [`RMS_WINDOW_S`].
pub const RMS_HOP_S: f64 = 0.05;
/// Linear-envelope low-pass, Hz.
pub const ENVELOPE_LOWPASS_HZ: f64 = 6.0;
/// Welch segment of the tremor estimate, s.
pub const TREMOR_SEGMENT_S: f64 = 2.0;
/// Tremor analysis window and hop, s.
pub const TREMOR_WINDOW_S: f64 = 4.0;
/// See [`TREMOR_WINDOW_S`].
pub const TREMOR_HOP_S: f64 = 0.5;
/// Tremor band, Hz.
pub const TREMOR_BAND_HZ: (f64, f64) = (4.0, 12.0);
/// Band the tremor power is taken relative to, Hz.
pub const RELATIVE_BAND_HZ: (f64, f64) = (1.0, 30.0);
/// Fatigue (MDF/MNF) epoch, s; epochs do not overlap.
pub const FATIGUE_EPOCH_S: f64 = 0.5;
/// Largest input, in samples over all channels, a run accepts (2 GiB per f64 copy).
pub const MAX_TOTAL_SAMPLES: usize = 1 << 28;

/// Which command-line setting an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Channels,
    Rate,
    Seconds,
}

/// A benchmark setting that cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BenchError {
    #[error("the channel count must be at least 1, got {0}")]
    NoChannels(usize),
    #[error("the sample rate must be a positive, finite number of Hz, got {0:?}")]
    BadRate(f64),
    #[error("no EMG band-pass can be built at {rate_hz:?} Hz (it needs more than {min_hz:.2} Hz): {source}")]
    RateTooLow {
        rate_hz: f64,
        min_hz: f64,
        source: DspError,
    },
    #[error("the length must be a positive, finite number of seconds, got {0:?}")]
    BadSeconds(f64),
    #[error(
        "{seconds:?} s at {rate_hz:?} Hz is {samples} samples per channel; the tremor kernels need \
         at least one {window_s} s window ({window} samples)"
    )]
    TooShort {
        seconds: f64,
        rate_hz: f64,
        samples: usize,
        window_s: f64,
        window: usize,
    },
    #[error(
        "{channels} channels × {seconds:?} s at {rate_hz:?} Hz is {total:.3e} samples, more than \
         the {max} a run holds"
    )]
    TooLarge {
        channels: usize,
        seconds: f64,
        rate_hz: f64,
        total: f64,
        max: usize,
    },
}

impl BenchError {
    /// The setting to blame.
    pub fn setting(&self) -> Setting {
        match self {
            BenchError::NoChannels(_) => Setting::Channels,
            BenchError::BadRate(_) | BenchError::RateTooLow { .. } => Setting::Rate,
            BenchError::BadSeconds(_)
            | BenchError::TooShort { .. }
            | BenchError::TooLarge { .. } => Setting::Seconds,
        }
    }
}

/// Filters and windows of DESIGN.md's default analysis at one sample rate.
#[derive(Debug, Clone)]
pub struct Design {
    pub sample_rate_hz: f64,
    /// The EMG band-pass edges actually used, Hz (upper edge capped).
    pub band_hz: (f64, f64),
    pub bandpass: Vec<Section>,
    pub rms: WindowSpec,
    pub tremor: WindowSpec,
    pub tremor_segment: usize,
    pub epoch: WindowSpec,
}

impl Design {
    /// Builds every filter and window at `sample_rate_hz`.
    pub fn new(sample_rate_hz: f64) -> Result<Design, DspError> {
        let band_hz = (
            BANDPASS_LOW_HZ,
            BANDPASS_HIGH_HZ.min(BANDPASS_CAP * sample_rate_hz),
        );
        let bandpass = butter(
            BANDPASS_ORDER,
            Band::BandPass {
                low_hz: band_hz.0,
                high_hz: band_hz.1,
            },
            sample_rate_hz,
        )?;
        // The envelope design is checked here so that building its kernel cannot fail later.
        butter(
            2,
            Band::LowPass {
                cutoff_hz: ENVELOPE_LOWPASS_HZ,
            },
            sample_rate_hz,
        )?;
        let tremor_segment = (TREMOR_SEGMENT_S * sample_rate_hz).round() as usize;
        Ok(Design {
            sample_rate_hz,
            band_hz,
            bandpass,
            rms: WindowSpec::from_seconds(RMS_WINDOW_S, RMS_HOP_S, sample_rate_hz, 1)?,
            tremor: WindowSpec::from_seconds(
                TREMOR_WINDOW_S,
                TREMOR_HOP_S,
                sample_rate_hz,
                tremor_segment.max(2),
            )?,
            tremor_segment,
            epoch: WindowSpec::from_seconds(FATIGUE_EPOCH_S, FATIGUE_EPOCH_S, sample_rate_hz, 2)?,
        })
    }
}

/// A validated benchmark: how many channels, at what rate, for how long.
#[derive(Debug, Clone)]
pub struct BenchSettings {
    pub channels: usize,
    pub sample_rate_hz: f64,
    pub seconds: f64,
    /// round(seconds · rate).
    pub samples_per_channel: usize,
    pub design: Design,
}

impl BenchSettings {
    /// Checks the settings and builds the design: at least one channel, a rate at which the
    /// band-pass exists, and at least one tremor window of signal.
    ///
    /// ```
    /// use myobalance::bench::{BenchSettings, Setting};
    /// assert_eq!(BenchSettings::new(16, 2000.0, 60.0).unwrap().samples_per_channel, 120_000);
    /// let err = BenchSettings::new(16, 2000.0, 3.0).unwrap_err();
    /// assert_eq!(err.setting(), Setting::Seconds);
    /// ```
    pub fn new(channels: usize, sample_rate_hz: f64, seconds: f64) -> Result<Self, BenchError> {
        if channels == 0 {
            return Err(BenchError::NoChannels(channels));
        }
        if !(sample_rate_hz.is_finite() && sample_rate_hz > 0.0) {
            return Err(BenchError::BadRate(sample_rate_hz));
        }
        let design = Design::new(sample_rate_hz).map_err(|source| BenchError::RateTooLow {
            rate_hz: sample_rate_hz,
            min_hz: BANDPASS_LOW_HZ / BANDPASS_CAP,
            source,
        })?;
        if !(seconds.is_finite() && seconds > 0.0) {
            return Err(BenchError::BadSeconds(seconds));
        }
        let samples = (seconds * sample_rate_hz).round();
        let window = design.tremor.window;
        if samples < window as f64 {
            return Err(BenchError::TooShort {
                seconds,
                rate_hz: sample_rate_hz,
                samples: samples as usize,
                window_s: TREMOR_WINDOW_S,
                window,
            });
        }
        let total = samples * channels as f64;
        if total > MAX_TOTAL_SAMPLES as f64 {
            return Err(BenchError::TooLarge {
                channels,
                seconds,
                rate_hz: sample_rate_hz,
                total,
                max: MAX_TOTAL_SAMPLES,
            });
        }
        let samples = samples as usize;
        Ok(BenchSettings {
            channels,
            sample_rate_hz,
            seconds,
            samples_per_channel: samples,
            design,
        })
    }
}
