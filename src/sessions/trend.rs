//! How a series moved from its first session to its last: the values, the change, whether
//! the weaker side is catching up (an LSI rising toward 100 %, a strength ratio moving
//! toward 1), and the session where a value first reached its reference.

/// The first and the last session with a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub first: usize,
    pub last: usize,
    pub from: f64,
    pub to: f64,
}

impl Change {
    /// `to − from`.
    pub fn delta(&self) -> f64 {
        self.to - self.from
    }
}

/// The first and last finite values of `values`; `None` when there is none.
///
/// ```
/// use myobalance::sessions::trend::change;
/// let c = change(&[f64::NAN, 70.0, 80.0, f64::NAN]).unwrap();
/// assert_eq!((c.first, c.last, c.delta()), (1, 2, 10.0));
/// ```
pub fn change(values: &[f64]) -> Option<Change> {
    let first = values.iter().position(|v| v.is_finite())?;
    let last = values.iter().rposition(|v| v.is_finite())?;
    Some(Change {
        first,
        last,
        from: values[first],
        to: values[last],
    })
}

/// Which way the weaker side went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    CatchingUp,
    FallingBehind,
    /// Moved less than the tolerance.
    Unchanged,
}

/// Whether moving from `from` to `to` brings the sides closer to `balance` (100 % for an
/// LSI, 1 for a ratio), with changes smaller than `tolerance` counted as none.
pub fn direction(c: &Change, balance: f64, tolerance: f64) -> Direction {
    if c.delta().abs() < tolerance {
        Direction::Unchanged
    } else if (balance - c.to).abs() < (balance - c.from).abs() {
        Direction::CatchingUp
    } else {
        Direction::FallingBehind
    }
}

/// An LSI moving less than this many points is called unchanged: about the session-to-
/// session scatter of mean activation ratios in repeated measurements.
pub const LSI_TOLERANCE_POINTS: f64 = 2.0;
/// A strength ratio moving less than this is called unchanged (2 points of a percentage).
pub const RATIO_TOLERANCE: f64 = 0.02;

/// A plain sentence on an LSI's change.
///
/// ```
/// use myobalance::sessions::trend::{change, lsi_progress};
/// assert_eq!(lsi_progress(&change(&[70.0, 95.2]).unwrap()), "catching up: 70 % → 95 %");
/// assert_eq!(lsi_progress(&change(&[90.0, 80.0]).unwrap()), "falling behind: 90 % → 80 %");
/// assert_eq!(lsi_progress(&change(&[90.0, 91.0]).unwrap()), "unchanged within 2 points: 90 % → 91 %");
/// ```
pub fn lsi_progress(c: &Change) -> String {
    let values = format!("{:.0} % → {:.0} %", c.from, c.to);
    match direction(c, 100.0, LSI_TOLERANCE_POINTS) {
        Direction::CatchingUp => format!("catching up: {values}"),
        Direction::FallingBehind => format!("falling behind: {values}"),
        Direction::Unchanged => format!("unchanged within 2 points: {values}"),
    }
}

/// A plain sentence on a strength ratio's change (antagonist / agonist, balanced at 1).
///
/// ```
/// use myobalance::sessions::trend::{change, ratio_progress};
/// assert_eq!(ratio_progress(&change(&[0.48, 0.61]).unwrap()), "catching up: 0.48 → 0.61");
/// ```
pub fn ratio_progress(c: &Change) -> String {
    let values = format!("{:.2} → {:.2}", c.from, c.to);
    match direction(c, 1.0, RATIO_TOLERANCE) {
        Direction::CatchingUp => format!("catching up: {values}"),
        Direction::FallingBehind => format!("falling behind: {values}"),
        Direction::Unchanged => format!("unchanged within 0.02: {values}"),
    }
}

/// When a series first reached its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    /// At or above it in the first session with a value.
    FromStart,
    /// Below it before, at or above it in this session.
    At(usize),
    /// Never at or above it.
    Never,
}

/// When `values` first reached `reference` from below (missing values skipped).
///
/// ```
/// use myobalance::sessions::trend::{reached, Reached};
/// assert_eq!(reached(&[70.0, f64::NAN, 88.0, 91.0, 89.0], 90.0), Reached::At(3));
/// assert_eq!(reached(&[92.0, 95.0], 90.0), Reached::FromStart);
/// assert_eq!(reached(&[70.0], 90.0), Reached::Never);
/// ```
pub fn reached(values: &[f64], reference: f64) -> Reached {
    let mut seen_below = false;
    for (i, v) in values.iter().enumerate().filter(|(_, v)| v.is_finite()) {
        if *v >= reference {
            return if seen_below {
                Reached::At(i)
            } else {
                Reached::FromStart
            };
        }
        seen_below = true;
    }
    Reached::Never
}
