//! The scenarios the simulator knows and the channels each one brings: which muscles and
//! force channels, in which column order, how they pair as agonist and antagonist and as
//! left and right. It owns the tables; the montage built from them is in `channels`, the
//! signal model in `generator`.
//!
//! - [`Scenario::Elbow`] (the default): elbow-flexion sets. `biceps_l`, `triceps_l`,
//!   `biceps_r`, `triceps_r` (EMG), `force_l`, `force_r` (N, pulling force). The biceps
//!   works on every repetition, the triceps co-contracts.
//! - [`Scenario::Knee`]: isometric knee extension and flexion holds, alternating within a
//!   set. `vl_l`, `bf_l`, `vl_r`, `bf_r` (vastus lateralis for the quadriceps, biceps
//!   femoris for the hamstrings; EMG), `torque_l`, `torque_r` (signed knee torque in N·m,
//!   extension positive). The quadriceps works on extension holds and the hamstrings
//!   co-contract; on flexion holds it is the other way round.

use std::fmt;

use crate::montage::Side;

use super::channels::{Role, Spec};

/// Which exercise is simulated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scenario {
    /// Elbow-flexion sets: biceps (agonist) and triceps (antagonist), force per arm.
    #[default]
    Elbow,
    /// Knee extension and flexion holds: quadriceps (agonist) and hamstrings
    /// (antagonist), signed torque per knee.
    Knee,
}

impl Scenario {
    /// The name the command line and messages use: `"elbow"` or `"knee"`.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Elbow => "elbow",
            Scenario::Knee => "knee",
        }
    }

    /// The scenario's channels and pairs.
    pub(crate) fn layout(self) -> &'static Layout {
        match self {
            Scenario::Elbow => &ELBOW,
            Scenario::Knee => &KNEE,
        }
    }

    /// Whether repetitions alternate between the agonist's direction (even repetitions of
    /// a set, from 0) and the antagonist's (odd ones).
    pub(crate) fn alternates(self) -> bool {
        self == Scenario::Knee
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An agonist/antagonist pair of a scenario, with its signed torque channel if it has one
/// (the agonist drives it positive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PairSpec {
    pub name: &'static str,
    pub agonist: &'static str,
    pub antagonist: &'static str,
    pub torque: Option<&'static str>,
    /// The montage's `strength_ratio_reference` (with a torque channel).
    pub strength_ratio_reference: Option<f64>,
}

/// Everything a scenario fixes about its channels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Layout {
    /// The channels in column order.
    pub specs: &'static [Spec],
    pub pairs: &'static [PairSpec],
    /// (bilateral name, left, right).
    pub bilateral: &'static [(&'static str, &'static str, &'static str)],
    /// Unit of the force channels, as the montage stores it.
    pub force_unit: &'static str,
    /// Device resolution of the force channels: unit per count.
    pub force_per_count: f64,
}

impl Layout {
    /// The force (or torque) channels, in column order.
    pub fn forces(&self) -> impl Iterator<Item = &'static Spec> {
        self.specs.iter().filter(|spec| !spec.is_emg())
    }

    /// The EMG channels, in column order.
    pub fn emg(&self) -> impl Iterator<Item = &'static Spec> {
        self.specs.iter().filter(|spec| spec.is_emg())
    }
}

/// EMG device resolution: µV per count.
pub const EMG_UV_PER_COUNT: f64 = 0.01;
/// Force device resolution (elbow scenario): N per count.
pub const FORCE_N_PER_COUNT: f64 = 0.001;
/// Torque device resolution (knee scenario): N·m per count, so ±2·10⁶ N·m fit an i32.
pub const TORQUE_NM_PER_COUNT: f64 = 0.001;

/// The hamstrings:quadriceps reference of the knee pairs' montage (METHODS.md E: an
/// isometric H:Q ratio below 0.6 is the usual flag for hamstring weakness).
const HQ_REFERENCE: f64 = 0.6;

const fn spec(name: &'static str, side: Side, role: Role) -> Spec {
    Spec { name, side, role }
}

const ELBOW: Layout = Layout {
    specs: &[
        spec("biceps_l", Side::Left, Role::Agonist),
        spec("triceps_l", Side::Left, Role::Antagonist),
        spec("biceps_r", Side::Right, Role::Agonist),
        spec("triceps_r", Side::Right, Role::Antagonist),
        spec("force_l", Side::Left, Role::Force),
        spec("force_r", Side::Right, Role::Force),
    ],
    pairs: &[
        PairSpec {
            name: "elbow_l",
            agonist: "biceps_l",
            antagonist: "triceps_l",
            torque: None,
            strength_ratio_reference: None,
        },
        PairSpec {
            name: "elbow_r",
            agonist: "biceps_r",
            antagonist: "triceps_r",
            torque: None,
            strength_ratio_reference: None,
        },
    ],
    bilateral: &[
        ("biceps", "biceps_l", "biceps_r"),
        ("triceps", "triceps_l", "triceps_r"),
        ("force", "force_l", "force_r"),
    ],
    force_unit: "N",
    force_per_count: FORCE_N_PER_COUNT,
};

const KNEE: Layout = Layout {
    specs: &[
        spec("vl_l", Side::Left, Role::Agonist),
        spec("bf_l", Side::Left, Role::Antagonist),
        spec("vl_r", Side::Right, Role::Agonist),
        spec("bf_r", Side::Right, Role::Antagonist),
        spec("torque_l", Side::Left, Role::Force),
        spec("torque_r", Side::Right, Role::Force),
    ],
    pairs: &[
        PairSpec {
            name: "knee_l",
            agonist: "vl_l",
            antagonist: "bf_l",
            torque: Some("torque_l"),
            strength_ratio_reference: Some(HQ_REFERENCE),
        },
        PairSpec {
            name: "knee_r",
            agonist: "vl_r",
            antagonist: "bf_r",
            torque: Some("torque_r"),
            strength_ratio_reference: Some(HQ_REFERENCE),
        },
    ],
    bilateral: &[
        ("quadriceps", "vl_l", "vl_r"),
        ("hamstrings", "bf_l", "bf_r"),
        ("torque", "torque_l", "torque_r"),
    ],
    force_unit: "N.m",
    force_per_count: TORQUE_NM_PER_COUNT,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_name_their_channels_once() {
        for scenario in [Scenario::Elbow, Scenario::Knee] {
            let layout = scenario.layout();
            let has = |name: &str| layout.specs.iter().any(|s| s.name == name);
            for p in layout.pairs {
                assert!(
                    has(p.agonist) && has(p.antagonist),
                    "{scenario}: {}",
                    p.name
                );
                assert!(p.torque.is_none_or(has));
            }
            for (_, l, r) in layout.bilateral {
                assert!(has(l) && has(r));
            }
            assert_eq!(layout.emg().count(), 4);
            assert_eq!(layout.forces().count(), 2);
        }
    }
}
