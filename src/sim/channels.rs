//! A channel of a scenario in the model — its muscle or force role, its side — and the
//! montage a scenario brings: two EMG channels per limb (the agonist and its antagonist),
//! one force or torque channel per limb, agonist/antagonist pairs per joint (with the
//! signed torque channel where the scenario has one) and left/right pairs per muscle and
//! for force. Device scaling is set so the samples can travel as i32 counts (see `counts`).
//! Which channels a scenario has is in `scenario`.

use crate::montage::{Analysis, Bilateral, Channel, Direction, Kind, Montage, Pair, Side};

use super::error::SimError;
use super::scenario::{Scenario, EMG_UV_PER_COUNT};
use super::schedule::Effort;
use super::settings::SimSettings;

/// What a channel is in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The pair's agonist: biceps (elbow flexion), quadriceps (knee extension).
    Agonist,
    /// The pair's antagonist: triceps, hamstrings (knee flexion).
    Antagonist,
    /// Force (elbow) or signed torque (knee) of the limb.
    Force,
}

/// One channel of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    pub name: &'static str,
    pub side: Side,
    pub role: Role,
}

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

    /// Whether this EMG channel's muscle is the one working on a repetition of `effort`.
    pub fn works(&self, effort: Effort) -> bool {
        matches!(
            (self.role, effort),
            (Role::Agonist, Effort::Agonist) | (Role::Antagonist, Effort::Antagonist)
        )
    }

    /// Plateau RMS of an EMG channel's burst (µV) on a repetition of `effort`: the
    /// working muscle at `agonist_rms_uv` (times the side's scale), the other one at
    /// `cocontraction_ratio` times that.
    pub fn burst_uv(&self, s: &SimSettings, effort: Effort) -> f64 {
        let working = s.agonist_rms_uv * self.side_scale(s);
        if self.works(effort) {
            working
        } else {
            working * s.cocontraction_ratio
        }
    }

    /// Plateau RMS of an EMG channel's burst on the scenario's main repetitions (those
    /// of the agonist, µV), or the plateau of a force channel in the agonist's direction
    /// (N, or N·m of torque).
    pub fn plateau(&self, s: &SimSettings) -> f64 {
        match self.role {
            Role::Agonist | Role::Antagonist => self.burst_uv(s, Effort::Agonist),
            Role::Force => {
                let peak = match s.scenario {
                    Scenario::Elbow => s.force_peak_n,
                    Scenario::Knee => s.torque_peak_nm,
                };
                peak * self.side_scale(s)
            }
        }
    }

    /// The force plateau on a repetition of `effort` over [`Spec::plateau`]: 1 in the
    /// agonist's direction, −`strength_ratio` in the antagonist's (the torque changes
    /// sign and the antagonist is that much weaker).
    pub fn force_gain(s: &SimSettings, effort: Effort) -> f64 {
        match effort {
            Effort::Agonist => 1.0,
            Effort::Antagonist => -s.strength_ratio,
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
    let layout = s.scenario.layout();
    let channels = layout
        .specs
        .iter()
        .map(|spec| {
            let (kind, unit, scale, mvc) = if spec.is_emg() {
                (Kind::Emg, "uV", EMG_UV_PER_COUNT, Some(s.emg_mvc_uv))
            } else {
                (Kind::Force, layout.force_unit, layout.force_per_count, None)
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
    let pairs = layout
        .pairs
        .iter()
        .map(|p| {
            let mut pair = Pair::new(p.name, p.agonist, p.antagonist);
            if let Some(torque) = p.torque {
                // The agonist (quadriceps) extends the knee: extension torque is positive.
                pair.torque = Some(torque.to_string());
                pair.agonist_direction = Some(Direction::Positive);
                pair.strength_ratio_reference = p.strength_ratio_reference;
            }
            pair
        })
        .collect();
    let bilateral = layout
        .bilateral
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
