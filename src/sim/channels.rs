//! The scenario's channels and the montage it brings: two EMG channels per arm (biceps,
//! the agonist of elbow flexion, and triceps, its antagonist), one force channel per arm,
//! agonist/antagonist pairs per elbow and left/right pairs per muscle and for force.
//! Device scaling is set so the samples can travel as i32 counts (see `counts`).

use crate::montage::{Analysis, Bilateral, Channel, Kind, Montage, Pair, Side};

use super::error::SimError;
use super::settings::SimSettings;

/// EMG device resolution: µV per count.
pub const EMG_UV_PER_COUNT: f64 = 0.01;
/// Force device resolution: N per count.
pub const FORCE_N_PER_COUNT: f64 = 0.001;

/// What a channel is in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Agonist,
    Antagonist,
    Force,
}

/// One channel of the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    pub name: &'static str,
    pub side: Side,
    pub role: Role,
}

/// The channels in column order.
pub(crate) const SPECS: [Spec; 6] = [
    Spec {
        name: "biceps_l",
        side: Side::Left,
        role: Role::Agonist,
    },
    Spec {
        name: "triceps_l",
        side: Side::Left,
        role: Role::Antagonist,
    },
    Spec {
        name: "biceps_r",
        side: Side::Right,
        role: Role::Agonist,
    },
    Spec {
        name: "triceps_r",
        side: Side::Right,
        role: Role::Antagonist,
    },
    Spec {
        name: "force_l",
        side: Side::Left,
        role: Role::Force,
    },
    Spec {
        name: "force_r",
        side: Side::Right,
        role: Role::Force,
    },
];

/// (pair name, agonist, antagonist).
pub(crate) const PAIRS: [(&str, &str, &str); 2] = [
    ("elbow_l", "biceps_l", "triceps_l"),
    ("elbow_r", "biceps_r", "triceps_r"),
];

/// (bilateral name, left, right).
pub(crate) const BILATERAL: [(&str, &str, &str); 3] = [
    ("biceps", "biceps_l", "biceps_r"),
    ("triceps", "triceps_l", "triceps_r"),
    ("force", "force_l", "force_r"),
];

impl Spec {
    pub fn is_emg(&self) -> bool {
        self.role != Role::Force
    }

    /// Activation scale of this side: `side_ratio` on the left, 1 on the right.
    pub fn side_scale(&self, s: &SimSettings) -> f64 {
        if self.side == Side::Left {
            s.side_ratio
        } else {
            1.0
        }
    }

    /// Tremor frequency of this channel's side.
    pub fn tremor_hz(&self, s: &SimSettings) -> f64 {
        if self.side == Side::Left {
            s.tremor_left_hz
        } else {
            s.tremor_right_hz
        }
    }

    /// Plateau RMS of an EMG channel's burst (µV), or the plateau force (N).
    pub fn plateau(&self, s: &SimSettings) -> f64 {
        let side = self.side_scale(s);
        match self.role {
            Role::Agonist => s.agonist_rms_uv * side,
            Role::Antagonist => s.agonist_rms_uv * side * s.cocontraction_ratio,
            Role::Force => s.force_peak_n * side,
        }
    }

    /// The rested shaping band edges of an EMG channel.
    pub fn emg_band_hz(&self, s: &SimSettings) -> [f64; 2] {
        let scale = if self.role == Role::Antagonist {
            s.antagonist_spectrum_scale
        } else {
            1.0
        };
        [s.emg_band_hz[0] * scale, s.emg_band_hz[1] * scale]
    }
}

/// The scenario's montage at the settings' rate and mains frequency, validated.
pub(crate) fn montage(s: &SimSettings) -> Result<Montage, SimError> {
    let channels = SPECS
        .iter()
        .map(|spec| {
            let (kind, unit, scale, mvc) = if spec.is_emg() {
                (Kind::Emg, "uV", EMG_UV_PER_COUNT, Some(s.emg_mvc_uv))
            } else {
                (Kind::Force, "N", FORCE_N_PER_COUNT, None)
            };
            Channel {
                name: spec.name.to_string(),
                label: None,
                kind,
                unit: unit.to_string(),
                side: spec.side,
                scale,
                offset: 0.0,
                mvc,
            }
        })
        .collect();
    let pairs = PAIRS
        .iter()
        .map(|(name, agonist, antagonist)| Pair::new(name, agonist, antagonist))
        .collect();
    let bilateral = BILATERAL
        .iter()
        .map(|(name, left, right)| Bilateral {
            name: name.to_string(),
            left: left.to_string(),
            right: right.to_string(),
        })
        .collect();
    let montage = Montage {
        sample_rate_hz: Some(s.sample_rate_hz),
        mains_hz: s.mains_hz,
        channels,
        pairs,
        bilateral,
        analysis: Analysis::default(),
    };
    montage.validate("simulator")?;
    Ok(montage)
}
