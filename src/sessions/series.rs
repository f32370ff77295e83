//! A measure followed over a subject's sessions: one value per session for each channel,
//! pair or bilateral pair, matched by name so sessions recorded with different montages
//! line up. A session without the measure (another montage, a group the analysis did not
//! produce, a value it could not compute) holds NaN there.

use crate::montage::Bilateral;

use super::session::Session;
use super::units::unit;

/// One name's values of one measure, a value per session (NaN where there is none).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The channel, pair or bilateral pair.
    pub name: String,
    pub values: Vec<f64>,
    /// The unit in the latest session that has the value ("" when none says).
    pub unit: String,
}

impl Series {
    /// Indices of the sessions without a value.
    pub fn missing(&self) -> Vec<usize> {
        (0..self.values.len())
            .filter(|&i| !self.values[i].is_finite())
            .collect()
    }
}

/// Measure `measure` of group `group` for every name found in any session, in the order
/// names first appear.
///
/// ```
/// use myobalance::sessions::{series, Session};
/// let (a, mut b) = (Session::example(), Session::example());
/// b.summary.clear();
/// let s = series(&[a, b], "symmetry", "lsi_percent");
/// assert_eq!(s[0].name, "biceps");
/// assert_eq!(s[0].values[0], 80.0);
/// assert!(s[0].values[1].is_nan());
/// assert_eq!(s[0].missing(), [1]);
/// ```
pub fn series(sessions: &[Session], group: &str, measure: &str) -> Vec<Series> {
    let mut names: Vec<&str> = Vec::new();
    for s in sessions {
        let Some(g) = s.group(group) else { continue };
        if g.numbers(measure).is_none() {
            continue;
        }
        for n in &g.names {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
    }
    names
        .into_iter()
        .map(|name| named(sessions, group, measure, name))
        .collect()
}

/// Measure `measure` of group `group` for `name` alone.
pub fn named(sessions: &[Session], group: &str, measure: &str, name: &str) -> Series {
    let values: Vec<f64> = sessions
        .iter()
        .map(|s| s.value(group, measure, name).unwrap_or(f64::NAN))
        .collect();
    let unit = sessions
        .iter()
        .zip(&values)
        .rev()
        .filter(|(_, v)| v.is_finite())
        .map(|(s, _)| unit(s, group, measure, name))
        .find(|u| !u.is_empty())
        .unwrap_or_default();
    Series {
        name: name.to_string(),
        values,
        unit,
    }
}

/// The strength of force channel `channel` per session: the best 500 ms hold in the
/// agonist's direction (`strength/agonist_mvc_500ms`) where the session's montage makes it
/// a pair's signed torque — its `force/mvc_500ms` spans both directions then — else its
/// `force/mvc_500ms`.
pub fn side_strength(sessions: &[Session], channel: &str) -> Series {
    let mut series = named(sessions, "force", "mvc_500ms", channel);
    for (s, v) in sessions.iter().zip(&mut series.values) {
        let torque_of = s
            .montage
            .pairs
            .iter()
            .find(|p| p.torque.as_deref() == Some(channel));
        if let Some(pair) = torque_of {
            *v = s
                .value("strength", "agonist_mvc_500ms", &pair.name)
                .unwrap_or(f64::NAN);
        }
    }
    series
}

/// The reference stored beside `name`'s values in column `reference` of `group`, as the
/// latest session that has one says; `default` when none does.
pub fn reference(
    sessions: &[Session],
    group: &str,
    name: &str,
    default: Option<f64>,
) -> Option<f64> {
    sessions
        .iter()
        .rev()
        .filter_map(|s| s.value(group, "reference", name))
        .find(|v| v.is_finite())
        .or(default)
}

/// The bilateral pairs of the sessions' montages whose two channels have force values
/// (`force/mvc_500ms`), each once, in the order they first appear.
pub fn force_sides(sessions: &[Session]) -> Vec<Bilateral> {
    let mut out: Vec<Bilateral> = Vec::new();
    for s in sessions {
        let Some(g) = s.group("force") else { continue };
        for b in &s.montage.bilateral {
            let has = |c: &String| g.names.contains(c);
            if has(&b.left) && has(&b.right) && !out.iter().any(|o| o.name == b.name) {
                out.push(b.clone());
            }
        }
    }
    out
}
