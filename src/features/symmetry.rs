//! Left/right symmetry of one quantity (METHODS.md E): Robinson's symmetry index, the limb
//! symmetry index and the weaker side.
//!
//! ```
//! use myobalance::features::symmetry::{symmetry, Weaker};
//! // METHODS.md Appendix T: R = 200, L = 180.
//! let s = symmetry(180.0, 200.0);
//! assert!((s.si_percent - 10.526315789473685).abs() < 1e-12);
//! assert!((s.lsi_percent - 90.0).abs() < 1e-12);
//! assert_eq!(s.weaker, Weaker::Left);
//! ```

/// The side with the smaller value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weaker {
    Left,
    Right,
}

impl Weaker {
    /// `"left"` or `"right"`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Weaker::Left => "left",
            Weaker::Right => "right",
        }
    }
}

/// Symmetry of a left and a right value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Symmetry {
    /// Robinson, `100·(R − L)/(0.5·(R + L))`: 0 is perfect, positive when the right side
    /// is larger. NaN when R + L = 0.
    pub si_percent: f64,
    /// `100·min(L, R)/max(L, R)`: 100 is perfect (the weaker side over the stronger).
    pub lsi_percent: f64,
    /// The smaller side (left on an exact tie).
    pub weaker: Weaker,
}

/// Symmetry of `left` and `right` (non-negative amplitudes or forces).
pub fn symmetry(left: f64, right: f64) -> Symmetry {
    let sum = left + right;
    let si_percent = if sum != 0.0 {
        100.0 * (right - left) / (0.5 * sum)
    } else {
        f64::NAN
    };
    let (lo, hi) = (left.min(right), left.max(right));
    let lsi_percent = if hi > 0.0 { 100.0 * lo / hi } else { f64::NAN };
    Symmetry {
        si_percent,
        lsi_percent,
        weaker: if left <= right {
            Weaker::Left
        } else {
            Weaker::Right
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirror_images() {
        let a = symmetry(200.0, 180.0);
        assert!((a.si_percent + 10.526315789473685).abs() < 1e-12);
        assert_eq!(a.weaker, Weaker::Right);
        let z = symmetry(0.0, 0.0);
        assert!(z.si_percent.is_nan() && z.lsi_percent.is_nan());
        assert_eq!(symmetry(5.0, 5.0).lsi_percent, 100.0);
    }
}
