//! The scenario's timeline: a lead-in rest, then sets of repetitions separated by rests,
//! repeating for ever. Every time-varying parameter of the model — activation, spectral
//! compression, tremor growth — is a function of time alone (never of how samples were
//! blocked), so a streaming generator gives the same samples for any block sizes.
//!
//! In a scenario that alternates (knee), the repetitions of a set alternate between the
//! agonist's direction (even repetitions, from 0: extension) and the antagonist's (odd
//! ones: flexion); otherwise every repetition is the agonist's.
//!
//! ```text
//! lead-in │ set 1: rep ▁/▔▔\▁ pause rep … (reps_per_set) │ rest │ set 2 …
//! c(t)    1 ───────╲ falls linearly to 1 − compression ───╱ recovers ╲ …
//! tremor  0 ──────────────── 0 ───── onset ╱ grows to 1 at set end ── 0
//! ```

use std::f64::consts::PI;

use super::settings::SimSettings;

/// The model's slow variables at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Moment {
    /// Activation of a repetition, 0 at rest, 1 on a plateau (raised-cosine ramps).
    pub activation: f64,
    /// Spectral compression factor c(t): 1 when rested, lowest at a set's end.
    pub compression: f64,
    /// Tremor growth, 0 before the tremor onset of a set, rising linearly to 1 at its end.
    pub tremor: f64,
    /// Whose repetition this is (the agonist's at rest).
    pub effort: Effort,
}

/// Which muscle of each pair a repetition works, and so the direction of its force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effort {
    /// The agonist works (elbow flexion, knee extension); the antagonist co-contracts.
    Agonist,
    /// The antagonist works (knee flexion); the agonist co-contracts.
    Antagonist,
}

impl Effort {
    /// 0 for the agonist's, 1 for the antagonist's: the index in per-effort arrays.
    pub fn index(self) -> usize {
        match self {
            Effort::Agonist => 0,
            Effort::Antagonist => 1,
        }
    }
}

/// Set and repetition timing, from [`SimSettings`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Schedule {
    pub lead_in_s: f64,
    pub reps: u32,
    pub ramp_s: f64,
    pub hold_s: f64,
    pub rep_pause_s: f64,
    pub set_rest_s: f64,
    pub compression_end: f64,
    pub tremor_onset_fraction: f64,
    /// Whether repetitions alternate between the agonist's and the antagonist's.
    pub alternate: bool,
}

impl Schedule {
    pub fn new(s: &SimSettings) -> Schedule {
        Schedule {
            lead_in_s: s.lead_in_s,
            reps: s.reps_per_set,
            ramp_s: s.ramp_s,
            hold_s: s.hold_s,
            rep_pause_s: s.rep_pause_s,
            set_rest_s: s.set_rest_s,
            compression_end: 1.0 - s.fatigue_compression,
            tremor_onset_fraction: s.tremor_onset_fraction,
            alternate: s.scenario.alternates(),
        }
    }

    /// From a repetition's onset to the end of its fall.
    pub fn rep_active_s(&self) -> f64 {
        2.0 * self.ramp_s + self.hold_s
    }

    /// From one repetition's onset to the next one's.
    pub fn rep_period_s(&self) -> f64 {
        self.rep_active_s() + self.rep_pause_s
    }

    /// From the first repetition's onset to the end of the last one's fall.
    pub fn set_duration_s(&self) -> f64 {
        f64::from(self.reps) * self.rep_active_s() + f64::from(self.reps - 1) * self.rep_pause_s
    }

    /// From one set's start to the next one's.
    pub fn set_period_s(&self) -> f64 {
        self.set_duration_s() + self.set_rest_s
    }

    /// Start of set `k` (from 0).
    pub fn set_start_s(&self, k: usize) -> f64 {
        self.lead_in_s + k as f64 * self.set_period_s()
    }

    /// Onset of repetition `j` (from 0) of set `k`.
    pub fn rep_onset_s(&self, k: usize, j: u32) -> f64 {
        self.set_start_s(k) + f64::from(j) * self.rep_period_s()
    }

    /// Whose repetition `j` (from 0) of a set is.
    pub fn effort(&self, j: u32) -> Effort {
        if self.alternate && j % 2 == 1 {
            Effort::Antagonist
        } else {
            Effort::Agonist
        }
    }

    /// When the tremor of set `k` starts to grow.
    pub fn tremor_onset_s(&self, k: usize) -> f64 {
        self.set_start_s(k) + self.tremor_onset_fraction * self.set_duration_s()
    }

    /// Number of sets that start before `seconds`.
    pub fn sets_started_by(&self, seconds: f64) -> usize {
        let mut k = 0;
        while self.set_start_s(k) < seconds {
            k += 1;
        }
        k
    }

    /// The slow variables at `t_s` seconds from the start.
    pub fn at(&self, t_s: f64) -> Moment {
        let rest = Moment {
            activation: 0.0,
            compression: 1.0,
            tremor: 0.0,
            effort: Effort::Agonist,
        };
        let since = t_s - self.lead_in_s;
        if since < 0.0 {
            return rest;
        }
        let period = self.set_period_s();
        let set = (since / period).floor();
        let tau = since - set * period;
        let duration = self.set_duration_s();
        if tau >= duration {
            // Resting after the set: the spectrum recovers linearly.
            let recovered = if self.set_rest_s > 0.0 {
                ((tau - duration) / self.set_rest_s).min(1.0)
            } else {
                1.0
            };
            return Moment {
                compression: self.compression_end + (1.0 - self.compression_end) * recovered,
                ..rest
            };
        }
        let progress = tau / duration;
        let onset = self.tremor_onset_fraction;
        let tremor = if progress >= onset && onset < 1.0 {
            (progress - onset) / (1.0 - onset)
        } else {
            0.0
        };
        let rep_period = self.rep_period_s();
        let rep = (tau / rep_period).floor().min(f64::from(self.reps - 1));
        Moment {
            activation: self.rep_profile(tau - rep * rep_period),
            compression: 1.0 - (1.0 - self.compression_end) * progress,
            tremor,
            effort: self.effort(rep as u32),
        }
    }

    /// Activation at `tau_s` after a repetition's onset.
    fn rep_profile(&self, tau_s: f64) -> f64 {
        let (ramp, hold) = (self.ramp_s, self.hold_s);
        if tau_s < 0.0 || tau_s >= 2.0 * ramp + hold {
            0.0
        } else if tau_s < ramp {
            0.5 * (1.0 - (PI * tau_s / ramp).cos())
        } else if tau_s < ramp + hold {
            1.0
        } else {
            0.5 * (1.0 + (PI * (tau_s - ramp - hold) / ramp).cos())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_timeline() {
        // The 2 s-hold timeline these figures were worked out for.
        let s = Schedule::new(&SimSettings {
            hold_s: 2.0,
            ..SimSettings::default()
        });
        assert_eq!(s.set_duration_s(), 23.0);
        assert_eq!(s.set_start_s(1), 36.0);
        assert_eq!(s.sets_started_by(60.0), 2);
        assert_eq!(s.sets_started_by(3.0), 0);
        assert_eq!(s.at(1.0).activation, 0.0);
        // Plateau of the first rep, start of its fall, the pause, the second rep's rise.
        assert_eq!(s.at(4.0).activation, 1.0);
        assert!((s.at(5.75).activation - 0.5).abs() < 1e-12);
        assert_eq!(s.at(6.5).activation, 0.0);
        assert!((s.at(7.25).activation - 0.5).abs() < 1e-12);
        // Compression: 1 at the start, 0.75 at the end, back to 1 after the rest.
        assert_eq!(s.at(3.0).compression, 1.0);
        assert!((s.at(26.0).compression - 0.75).abs() < 1e-12);
        assert!((s.at(31.0).compression - 0.875).abs() < 1e-12);
        assert_eq!(s.at(35.9).activation, 0.0);
        assert!((s.at(36.0).compression - 1.0).abs() < 1e-12);
        // Tremor: zero until 60 % of the set (16.8 s), then linear to 1.
        assert_eq!(s.at(16.0).tremor, 0.0);
        assert!((s.at(3.0 + 0.8 * 23.0).tremor - 0.5).abs() < 1e-12);
        assert_eq!(s.at(27.0).tremor, 0.0);
        assert!((0..6).all(|j| s.effort(j) == Effort::Agonist));
    }

    #[test]
    fn knee_repetitions_alternate_within_each_set() {
        let s = Schedule::new(&SimSettings {
            hold_s: 2.0,
            scenario: crate::sim::Scenario::Knee,
            ..SimSettings::default()
        });
        // Repetition onsets 3, 7, 11, … s; the second set starts at 36 s.
        assert_eq!(s.at(4.0).effort, Effort::Agonist);
        assert_eq!(s.at(8.0).effort, Effort::Antagonist);
        assert_eq!(s.at(12.0).effort, Effort::Agonist);
        assert_eq!(s.at(24.0).effort, Effort::Antagonist);
        assert_eq!(s.at(37.0).effort, Effort::Agonist);
        assert_eq!(s.at(1.0).effort, Effort::Agonist);
    }
}
