//! The montage: which channels a recording has (name, kind, unit, side, device scaling,
//! MVC reference), which form agonist/antagonist pairs and left/right pairs, and the
//! `[analysis]` settings. Loaded from TOML (DESIGN.md, "Montage file") and validated in
//! full; every mistake is reported with the file, the key and the problem.

use serde::{Deserialize, Serialize};

/// What a channel measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Emg,
    Force,
    Accel,
    Other,
}

/// Body side of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
    #[default]
    None,
}

/// One recorded channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// Unique, `[A-Za-z0-9_]+`.
    pub name: String,
    pub kind: Kind,
    /// Physical unit after scaling, e.g. "uV", "N", "m/s2".
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub side: Side,
    /// Device counts → unit: `value = count · scale + offset` (devices only).
    #[serde(default = "one")]
    pub scale: f64,
    #[serde(default)]
    pub offset: f64,
    /// This channel's MVC reference, same estimator as the activation RMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mvc: Option<f64>,
}

fn one() -> f64 {
    1.0
}

/// An agonist/antagonist pair (co-contraction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub name: String,
    pub agonist: String,
    pub antagonist: String,
}

/// A left/right pair of homologous channels (symmetry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bilateral {
    pub name: String,
    pub left: String,
    pub right: String,
}

/// Mains notch policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotchMode {
    #[default]
    Off,
    On,
    Auto,
}

/// `[analysis]`: every key optional, defaults from DESIGN.md and METHODS.md C.4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Analysis {
    /// EMG band-pass; the upper edge is capped at 0.45·fs when applied.
    pub bandpass_hz: [f64; 2],
    pub notch: NotchMode,
    pub rms_window_s: f64,
    pub rms_hop_s: f64,
    pub envelope_lowpass_hz: f64,
    pub cci_window_s: f64,
    pub cci_hop_s: f64,
    pub inactive_pct_mvc: f64,
    pub tremor_band_hz: [f64; 2],
    pub tremor_segment_s: f64,
    pub tremor_window_s: f64,
    pub tremor_hop_s: f64,
    pub fatigue_epoch_s: f64,
    pub fatigue_min_pct_mvc: f64,
    /// Tremor alarm (METHODS.md C.4): the band it watches ("training tremor").
    pub alarm_band_hz: [f64; 2],
    /// Seconds at the start of the recording that set the baseline band power.
    pub alarm_baseline_s: f64,
    /// Band power must reach this multiple of the baseline (4 = +6 dB).
    pub alarm_power_ratio: f64,
    /// Minimum relative band power (band / 1–30 Hz).
    pub alarm_min_relative_power: f64,
    /// Minimum peak concentration, BP(f_peak ± 1 Hz) / BP(band).
    pub alarm_min_peak_concentration: f64,
    /// Consecutive tremor updates that must all meet the rule.
    pub alarm_consecutive: u32,
}

impl Default for Analysis {
    fn default() -> Analysis {
        Analysis {
            bandpass_hz: [20.0, 450.0],
            notch: NotchMode::Off,
            rms_window_s: 0.25,
            rms_hop_s: 0.05,
            envelope_lowpass_hz: 6.0,
            cci_window_s: 1.0,
            cci_hop_s: 0.5,
            inactive_pct_mvc: 2.0,
            tremor_band_hz: [4.0, 12.0],
            tremor_segment_s: 2.0,
            tremor_window_s: 4.0,
            tremor_hop_s: 0.5,
            fatigue_epoch_s: 0.5,
            fatigue_min_pct_mvc: 10.0,
            alarm_band_hz: [4.0, 14.0],
            alarm_baseline_s: 10.0,
            alarm_power_ratio: 4.0,
            alarm_min_relative_power: 0.3,
            alarm_min_peak_concentration: 0.5,
            alarm_consecutive: 3,
        }
    }
}

/// A validated montage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Montage {
    /// Required unless the device or input file fixes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_rate_hz: Option<f64>,
    /// 50 or 60.
    pub mains_hz: u32,
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub pairs: Vec<Pair>,
    #[serde(default)]
    pub bilateral: Vec<Bilateral>,
    #[serde(default)]
    pub analysis: Analysis,
}

impl Montage {
    /// Index of the channel called `name`.
    pub fn channel_index(&self, name: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.name == name)
    }
}
