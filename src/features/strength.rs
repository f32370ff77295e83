//! The agonist/antagonist strength ratio of a joint (METHODS.md E, the isometric ratio
//! `R_iso = MVIC_antagonist / MVIC_agonist`) and the flag a value gets against its
//! reference.
//!
//! The strength of each direction is its best 500 ms mean ([`ForceMetrics`]): from two
//! one-way force channels, each one's `mvc_500ms` above its resting baseline; from one
//! signed torque channel, the best hold on each side of the sensor's zero, which an
//! isometric dynamometer sets with the limb relaxed at the test angle (METHODS.md E: no
//! gravity correction beyond that). A device offset is the montage's `offset` to fix.
//!
//! ```
//! use myobalance::features::strength::{flag, strength_ratio};
//! // Hamstrings 90 N·m, quadriceps 200 N·m: H:Q 0.45, below the 0.6 norm.
//! let ratio = strength_ratio(200.0, 90.0);
//! assert!((ratio - 0.45).abs() < 1e-15);
//! assert_eq!(flag(ratio, 0.6), 1.0);
//! assert_eq!(flag(0.7, 0.6), 0.0);
//! assert!(flag(ratio, f64::NAN).is_nan());
//! ```

use super::force::ForceMetrics;
use crate::montage::Direction;

/// The best 500 ms mean of a joint in each direction, and their ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength {
    pub agonist: f64,
    pub antagonist: f64,
    /// `antagonist / agonist`.
    pub ratio: f64,
}

impl Strength {
    /// From one signed channel whose sign is `direction` while the agonist works.
    pub fn from_torque(torque: &ForceMetrics, direction: Direction) -> Strength {
        let (up, down) = (torque.highest_500ms, -torque.lowest_500ms);
        match direction {
            Direction::Positive => Strength::of(up, down),
            Direction::Negative => Strength::of(down, up),
        }
    }

    /// From one force channel per direction.
    pub fn from_one_way(agonist: &ForceMetrics, antagonist: &ForceMetrics) -> Strength {
        Strength::of(agonist.mvc_500ms, antagonist.mvc_500ms)
    }

    /// The best of several trials: the strongest hold in each direction, over all of
    /// them (METHODS.md F: the best of 3 trials), and the ratio of those.
    pub fn best_of(trials: &[Strength]) -> Strength {
        let best = |f: fn(&Strength) -> f64| {
            trials
                .iter()
                .map(f)
                .filter(|v| !v.is_nan())
                .fold(f64::NAN, f64::max)
        };
        Strength::of(best(|s| s.agonist), best(|s| s.antagonist))
    }

    fn of(agonist: f64, antagonist: f64) -> Strength {
        Strength {
            agonist,
            antagonist,
            ratio: strength_ratio(agonist, antagonist),
        }
    }
}

/// `antagonist / agonist`; NaN unless both are finite, the agonist is positive and the
/// antagonist is not negative (a direction never pushed has no strength to compare).
pub fn strength_ratio(agonist: f64, antagonist: f64) -> f64 {
    if agonist.is_finite() && antagonist.is_finite() && agonist > 0.0 && antagonist >= 0.0 {
        antagonist / agonist
    } else {
        f64::NAN
    }
}

/// 1 when `value` is below `reference`, 0 when it is not, NaN when either is NaN (no
/// value, or no reference set): stored as a number beside the value.
pub fn flag(value: f64, reference: f64) -> f64 {
    if value.is_nan() || reference.is_nan() {
        f64::NAN
    } else if value < reference {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn torque(highest: f64, lowest: f64) -> ForceMetrics {
        ForceMetrics {
            highest_500ms: highest,
            lowest_500ms: lowest,
            ..ForceMetrics::undefined()
        }
    }

    #[test]
    fn the_agonist_direction_picks_the_side_of_zero() {
        let t = torque(150.0, -90.0);
        let up = Strength::from_torque(&t, Direction::Positive);
        assert_eq!((up.agonist, up.antagonist, up.ratio), (150.0, 90.0, 0.6));
        let down = Strength::from_torque(&t, Direction::Negative);
        assert_eq!((down.agonist, down.antagonist), (90.0, 150.0));
    }

    #[test]
    fn no_effort_one_way_has_no_ratio() {
        // Never flexed: the lowest hold stays above zero.
        assert!(
            Strength::from_torque(&torque(150.0, 2.0), Direction::Positive)
                .ratio
                .is_nan()
        );
        assert!(strength_ratio(0.0, 5.0).is_nan());
        assert!(strength_ratio(f64::NAN, 5.0).is_nan());
        assert_eq!(strength_ratio(100.0, 0.0), 0.0);
    }

    #[test]
    fn the_best_trial_of_each_direction_counts() {
        let extension = Strength::of(200.0, 10.0);
        let flexion = Strength::of(20.0, 110.0);
        let failed = Strength::of(f64::NAN, f64::NAN);
        let best = Strength::best_of(&[extension, failed, flexion]);
        assert_eq!(
            (best.agonist, best.antagonist, best.ratio),
            (200.0, 110.0, 0.55)
        );
        assert!(Strength::best_of(&[]).ratio.is_nan());
    }
}
