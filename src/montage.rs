//! The montage: which channels a recording has (name, kind, unit, side, device scaling,
//! MVC reference), which form agonist/antagonist pairs and left/right pairs, and the
//! `[analysis]` settings. Loaded from TOML (DESIGN.md, "Montage file") and validated in
//! full; every mistake is reported with the file, the key and the problem.

use std::path::Path;

use serde::{Deserialize, Serialize};

mod edit;
mod error;
pub mod guess;
mod locate;
mod parse;
mod validate;

pub use error::{MontageError, Problem};

/// Two sample rates this close (relative) are the same rate: a CSV's `time_s` against
/// the montage, a device's rate against the montage.
pub const RATE_TOLERANCE: f64 = 1e-3;

/// What a channel measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Emg,
    Force,
    Accel,
    Other,
}

impl Kind {
    /// Every kind, in the order the montage documents them.
    pub const ALL: [Kind; 4] = [Kind::Emg, Kind::Force, Kind::Accel, Kind::Other];

    /// The name used in montage files and in `/raw/samples` `kinds`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Emg => "emg",
            Kind::Force => "force",
            Kind::Accel => "accel",
            Kind::Other => "other",
        }
    }

    /// The kind called `name`, if it is one.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
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
    /// The channel's label in the source (an imported file, a stream) when it differs from
    /// `name` ("R.RECTUS FEM.", "EMG L Biceps"): sources are matched to montage channels by
    /// this label first, then by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
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

/// An agonist/antagonist pair: co-contraction from its EMG channels and, when force
/// channels measure the joint, the strength ratio (METHODS.md E).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub name: String,
    pub agonist: String,
    pub antagonist: String,
    /// A signed force or torque channel at this joint; `agonist_direction` gives its sign
    /// while the agonist works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub torque: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agonist_direction: Option<Direction>,
    /// Or two one-way force channels, one per direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agonist_force: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub antagonist_force: Option<String>,
    /// The antagonist:agonist strength ratio is flagged below this (0.6 for the
    /// hamstrings:quadriceps ratio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength_ratio_reference: Option<f64>,
}

impl Pair {
    /// A pair of two EMG channels, without force channels.
    pub fn new(name: &str, agonist: &str, antagonist: &str) -> Pair {
        Pair {
            name: name.to_string(),
            agonist: agonist.to_string(),
            antagonist: antagonist.to_string(),
            torque: None,
            agonist_direction: None,
            agonist_force: None,
            antagonist_force: None,
            strength_ratio_reference: None,
        }
    }

    /// Where the pair's strength is measured, if anywhere.
    pub fn strength_source(&self) -> Option<StrengthSource<'_>> {
        match (&self.torque, self.agonist_direction) {
            (Some(torque), Some(direction)) => Some(StrengthSource::Torque { torque, direction }),
            _ => match (&self.agonist_force, &self.antagonist_force) {
                (Some(agonist), Some(antagonist)) => Some(StrengthSource::OneWay {
                    agonist,
                    antagonist,
                }),
                _ => None,
            },
        }
    }
}

/// The sign of a torque channel while the agonist works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Positive,
    Negative,
}

/// The force channels a pair's strength ratio comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrengthSource<'a> {
    /// One signed channel: the agonist pushes it towards `direction`.
    Torque {
        torque: &'a str,
        direction: Direction,
    },
    /// One channel per direction.
    OneWay {
        agonist: &'a str,
        antagonist: &'a str,
    },
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

/// The EMG onset detector whose onsets drive events, the report and the onset summary
/// (METHODS.md G); the other two are stored beside it for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnsetMethod {
    /// Hodges–Bui: the rectified, 50 Hz low-passed EMG averaged over 25 ms against the
    /// rest mean + 3 SD.
    #[default]
    HodgesBui,
    /// The same test on the Teager–Kaiser energy of the EMG (METHODS.md G.2).
    Tkeo,
    /// Bonato's double threshold on the band-passed EMG (METHODS.md G.3).
    Bonato,
}

impl OnsetMethod {
    /// Every method, in the order stored and reported.
    pub const ALL: [OnsetMethod; 3] = [
        OnsetMethod::HodgesBui,
        OnsetMethod::Tkeo,
        OnsetMethod::Bonato,
    ];

    /// The name used in montage files and in the `text` of onset and offset events.
    pub fn as_str(self) -> &'static str {
        match self {
            OnsetMethod::HodgesBui => "hodges_bui",
            OnsetMethod::Tkeo => "tkeo",
            OnsetMethod::Bonato => "bonato",
        }
    }

    /// The name people write: "Hodges–Bui", "TKEO", "Bonato".
    pub fn label(self) -> &'static str {
        match self {
            OnsetMethod::HodgesBui => "Hodges–Bui",
            OnsetMethod::Tkeo => "TKEO",
            OnsetMethod::Bonato => "Bonato",
        }
    }

    /// The method called `name`, if it is one.
    pub fn parse(name: &str) -> Option<OnsetMethod> {
        OnsetMethod::ALL.into_iter().find(|m| m.as_str() == name)
    }

    /// Position in [`OnsetMethod::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
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
    /// A limb symmetry index below this, in %, is flagged (METHODS.md E: 90 % is the
    /// common return-to-sport criterion).
    pub lsi_reference_pct: f64,
    /// The EMG onset detector that drives events, the report and the onset summary.
    pub onset_method: OnsetMethod,
    /// Shortest activation kept: the test must stay above its threshold this long.
    pub onset_min_active_s: f64,
    /// Shortest pause between activations: a shorter dip below the threshold is merged.
    pub onset_min_gap_s: f64,
    /// Live and `--causal`: seconds at the start (after the first 0.1 s) the onset
    /// baseline comes from; they should include some rest.
    pub onset_baseline_s: f64,
    /// The training band in %MVC shown in live views, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_pct_mvc: Option<[f64; 2]>,
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
            lsi_reference_pct: 90.0,
            onset_method: OnsetMethod::HodgesBui,
            onset_min_active_s: 0.100,
            onset_min_gap_s: 0.020,
            onset_baseline_s: 2.0,
            target_pct_mvc: None,
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
    /// Names of the channels with a device scaling (`scale` ≠ 1 or `offset` ≠ 0): it
    /// applies to device counts only, so readers of files in physical units say they
    /// leave it out.
    pub fn scaled_channels(&self) -> Vec<&str> {
        self.channels
            .iter()
            .filter(|c| c.scale != 1.0 || c.offset != 0.0)
            .map(|c| c.name.as_str())
            .collect()
    }

    /// Index of the channel called `name`.
    pub fn channel_index(&self, name: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.name == name)
    }

    /// Parses montage TOML `text` and validates it in full; `origin` names the text in
    /// errors (the file path, usually). Missing optional keys take their defaults.
    ///
    /// ```
    /// use myobalance::montage::Montage;
    ///
    /// let text = r#"
    /// sample_rate_hz = 2000.0
    /// mains_hz = 50
    ///
    /// [[channels]]
    /// name = "biceps_l"
    /// kind = "emg"
    /// "#;
    /// let montage = Montage::from_toml_str(text, "lab.toml")?;
    /// assert_eq!(montage.analysis.rms_window_s, 0.25);
    ///
    /// let wrong = text.replace("biceps_l", "biceps l");
    /// let error = Montage::from_toml_str(&wrong, "lab.toml").unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "montage lab.toml: line 6: channels[0].name: invalid name \"biceps l\": \
    ///      use only letters A-Z a-z, digits 0-9 and _"
    /// );
    /// # Ok::<(), myobalance::montage::MontageError>(())
    /// ```
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Montage, MontageError> {
        parse::parse(text, origin)
    }

    /// Reads and validates the montage file at `path`.
    pub fn load(path: &Path) -> Result<Montage, MontageError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| MontageError::Read {
            path: origin.clone(),
            error,
        })?;
        Montage::from_toml_str(&text, &origin)
    }

    /// Checks every rule of DESIGN.md, "Montage file"; all problems are reported at once.
    /// Window lengths in samples are checked only when `sample_rate_hz` is set.
    pub fn validate(&self, origin: &str) -> Result<(), MontageError> {
        let problems = validate::problems(self);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(MontageError::invalid(origin, problems))
        }
    }

    /// This montage with the rate that the device or input file fixes, validated again
    /// (window lengths in samples now count). A montage that names a different rate (by
    /// more than [`RATE_TOLERANCE`]) is an error: one of the two is wrong.
    pub fn with_sample_rate(
        mut self,
        sample_rate_hz: f64,
        origin: &str,
    ) -> Result<Montage, MontageError> {
        let problem = |message: String| {
            MontageError::invalid(origin, vec![Problem::new("sample_rate_hz", message)])
        };
        if !(sample_rate_hz.is_finite() && sample_rate_hz > 0.0) {
            return Err(problem(format!(
                "the input's sample rate {sample_rate_hz} Hz is not a positive number"
            )));
        }
        if let Some(own) = self.sample_rate_hz {
            if (own - sample_rate_hz).abs() > RATE_TOLERANCE * sample_rate_hz {
                return Err(problem(format!(
                    "the montage says {own} Hz but the input runs at {sample_rate_hz} Hz; \
                     fix sample_rate_hz or leave it out"
                )));
            }
        }
        self.sample_rate_hz = Some(sample_rate_hz);
        self.validate(origin)?;
        Ok(self)
    }

    /// The montage as TOML with every default written out: the text stored in files, and
    /// one that loads back to an equal montage.
    pub fn to_toml_string(&self) -> String {
        // Strings, numbers, enums, arrays and tables with values before sub-tables: the
        // TOML serializer has nothing here it could refuse.
        toml::to_string(self).expect("a montage always serializes to TOML")
    }

    /// `text` (a montage file) with the `mvc` values of the named channels replaced — or
    /// added at the end of their `[[channels]]` table — keeping comments, order and layout.
    /// Every name must be a channel and every value positive; the edited text must still
    /// be a valid montage.
    pub fn set_mvc_in_toml(
        text: &str,
        origin: &str,
        values: &[(String, f64)],
    ) -> Result<String, MontageError> {
        edit::set_mvc(text, origin, values)
    }
}
