//! A montage guessed from what a file says about its channels (DESIGN.md, "Montage
//! guess"): each channel's kind from its unit, else its label; its side from tokens such as
//! `L`, `right`, `l_`, `R.` or a letter glued to a muscle abbreviation (`LVAS`); its muscle
//! from a table of surface-EMG names; agonist/antagonist pairs per side and joint, and
//! left/right pairs of the same muscle. Every guess keeps the reason it was made, so the
//! montage written for the user says what each value was guessed from.
//!
//! Pure: labels and units in, a [`Guess`] out. The sample rate and mains frequency come
//! from the caller (they are facts about the data, not the labels).

mod analysis;
pub mod labels;
pub mod muscles;
mod text;

use self::muscles::{Joint, Muscle, Role};
use super::{Analysis, Bilateral, Channel, Kind, Montage, Pair, Side};
use crate::units;

/// What a source says about one channel.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Described {
    /// The label as the source writes it.
    pub label: String,
    /// The unit as the source writes it; empty when unknown.
    pub unit: String,
    /// The values are raw ADC counts of a device whose EMG sensor has a datasheet
    /// transfer function (OpenSignals `RAW` channels): EMG if the user says so.
    pub emg_counts: bool,
}

/// One guessed channel, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelGuess {
    pub channel: Channel,
    /// The muscle its label names, for EMG channels.
    pub muscle: Option<&'static Muscle>,
    /// Why this kind, in words that follow "kind": "from the unit uV", "from the word
    /// \"acc\" in the label", "other: neither the unit nor the label says".
    pub kind_from: String,
    /// Why this side, in words that follow "from", when it has one.
    pub side_from: Option<String>,
    /// What the user may want to change, when the guess cannot know.
    pub note: Option<String>,
}

/// A guessed montage and the reasons behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    pub channels: Vec<ChannelGuess>,
    /// Pairs with the joint each belongs to.
    pub pairs: Vec<(Pair, Joint)>,
    /// Left/right pairs with the muscle (or kind) they share, in words.
    pub bilateral: Vec<(Bilateral, String)>,
    pub sample_rate_hz: f64,
    pub mains_hz: u32,
    /// Why this mains frequency.
    pub mains_from: String,
    /// The default analysis settings, with bands narrowed for a slow recording.
    pub analysis: Analysis,
    /// Why each `[analysis]` key differs from its default.
    pub analysis_notes: Vec<(&'static str, String)>,
}

impl Guess {
    /// The guessed montage.
    pub fn montage(&self) -> Montage {
        Montage {
            sample_rate_hz: Some(self.sample_rate_hz),
            mains_hz: self.mains_hz,
            channels: self.channels.iter().map(|c| c.channel.clone()).collect(),
            pairs: self.pairs.iter().map(|(p, _)| p.clone()).collect(),
            bilateral: self.bilateral.iter().map(|(b, _)| b.clone()).collect(),
            analysis: self.analysis.clone(),
        }
    }

    /// The montage as a TOML file with a comment on every guessed value, for the user to
    /// check and edit; it loads back to [`montage`](Self::montage).
    pub fn to_toml(&self, source: &str) -> String {
        text::commented(self, source)
    }
}

/// Guesses a montage for channels described by `described`, at `sample_rate_hz`, with the
/// mains frequency and the reason for it given by the caller.
///
/// ```
/// use myobalance::montage::guess::{guess, Described};
/// use myobalance::montage::{Kind, Side};
///
/// let d = |label: &str, unit: &str| Described {
///     label: label.into(),
///     unit: unit.into(),
///     emg_counts: false,
/// };
/// let g = guess(&[d("L.Biceps", "uV"), d("L.Triceps", "uV"), d("Fz1", "N")], 2000.0, 50, "default");
/// let m = g.montage();
/// assert_eq!(m.channels[0].name, "L_Biceps");
/// assert_eq!(m.channels[0].side, Side::Left);
/// assert_eq!(m.channels[2].kind, Kind::Force);
/// assert_eq!((m.pairs[0].agonist.as_str(), m.pairs[0].antagonist.as_str()), ("L_Biceps", "L_Triceps"));
/// ```
pub fn guess(
    described: &[Described],
    sample_rate_hz: f64,
    mains_hz: u32,
    mains_from: &str,
) -> Guess {
    let names = unique_names(described);
    let channels: Vec<ChannelGuess> = described
        .iter()
        .zip(names)
        .map(|(d, name)| channel(d, name))
        .collect();
    let pairs = pairs(&channels);
    let bilateral = bilateral(&channels);
    let (analysis, analysis_notes) = analysis::fitted(sample_rate_hz);
    Guess {
        channels,
        pairs,
        bilateral,
        sample_rate_hz,
        mains_hz,
        mains_from: mains_from.to_string(),
        analysis,
        analysis_notes,
    }
}

/// A montage name from a label: letters and digits kept, anything else one `_`
/// (`R.RECTUS FEM.` → `R_RECTUS_FEM`); `ch<k>` when nothing is left.
pub fn name_of(label: &str, index: usize) -> String {
    let mut name = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('_') {
            name.push('_');
        }
    }
    while name.ends_with('_') {
        name.pop();
    }
    if name.is_empty() {
        format!("ch{}", index + 1)
    } else {
        name
    }
}

/// [`name_of`] for every label, made unique with `_2`, `_3`, … in file order.
fn unique_names(described: &[Described]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(described.len());
    for (i, d) in described.iter().enumerate() {
        let base = name_of(&d.label, i);
        let mut name = base.clone();
        let mut k = 2;
        while out.contains(&name) {
            name = format!("{base}_{k}");
            k += 1;
        }
        out.push(name);
    }
    out
}

fn channel(d: &Described, name: String) -> ChannelGuess {
    let words = labels::words(&d.label);
    let unit = d.unit.trim();
    let known = units::parse(unit);
    let label_kind = labels::kind_word(&words);
    let mut muscle = muscles::find(&words);
    let mut side = None;
    for w in &words {
        if let Some(s) = labels::side_word(w) {
            side = Some((s, format!("\"{w}\" in the label")));
            break;
        }
    }
    if side.is_none() {
        for w in &words {
            if let Some((s, rest)) = labels::glued_side(w, muscles::is_abbreviation) {
                let found = muscles::find(std::slice::from_ref(&rest));
                muscle = muscle.or(found);
                side = Some((s, format!("\"{}\" before \"{rest}\"", &w[..1])));
                break;
            }
        }
    }
    let (kind, kind_from) = match (known, label_kind, muscle) {
        (Some(u), _, _) => (u.quantity.kind(), format!("from the unit {unit}")),
        (None, _, _) if !unit.is_empty() => (
            Kind::Other,
            format!("other: the unit \"{unit}\" is not one myobalance knows; set the kind if you know it"),
        ),
        (None, Some((k @ (Kind::Force | Kind::Accel), w)), _) => {
            (k, format!("from the word \"{w}\" in the label"))
        }
        (None, _, Some(m)) => (Kind::Emg, format!("from the muscle name ({})", m.name)),
        (None, Some((k, w)), None) => (k, format!("from the word \"{w}\" in the label")),
        (None, None, None) => (
            Kind::Other,
            "other: neither the unit nor the label says; set emg, force or accel if it is one"
                .to_string(),
        ),
    };
    let (stored, _) = units::stored_as(kind, unit);
    let muscle = muscle.filter(|_| kind == Kind::Emg);
    let (side, side_from) = match side {
        Some((s, why)) => (s, Some(why)),
        None => (Side::None, None),
    };
    let note = (d.emg_counts && kind != Kind::Emg).then(|| {
        "raw ADC counts: if this is the device's EMG sensor, set kind = \"emg\" and unit = \"uV\" \
         (its datasheet's transfer function then gives µV)"
            .to_string()
    });
    ChannelGuess {
        channel: Channel {
            label: (name != d.label && !d.label.trim().is_empty()).then(|| d.label.clone()),
            name,
            kind,
            unit: stored,
            side,
            scale: 1.0,
            offset: 0.0,
            mvc: None,
        },
        muscle,
        kind_from,
        side_from,
        note,
    }
}

fn side_suffix(side: Side) -> &'static str {
    match side {
        Side::Left => "_l",
        Side::Right => "_r",
        Side::None => "",
    }
}

/// Per side and joint, the first agonist and the first antagonist of that side.
fn pairs(channels: &[ChannelGuess]) -> Vec<(Pair, Joint)> {
    let mut out = Vec::new();
    for side in [Side::Left, Side::Right, Side::None] {
        for joint in Joint::ALL {
            let first = |role: Role| {
                channels.iter().find(|c| {
                    c.channel.side == side
                        && c.muscle
                            .and_then(|m| m.joint)
                            .is_some_and(|(j, r)| j == joint && r == role)
                })
            };
            if let (Some(a), Some(b)) = (first(Role::Agonist), first(Role::Antagonist)) {
                out.push((
                    Pair::new(
                        &format!("{}{}", joint.as_str(), side_suffix(side)),
                        &a.channel.name,
                        &b.channel.name,
                    ),
                    joint,
                ));
            }
        }
    }
    out
}

/// The same muscle on both sides (the first of each), and force channels on both sides.
fn bilateral(channels: &[ChannelGuess]) -> Vec<(Bilateral, String)> {
    let mut out: Vec<(Bilateral, String)> = Vec::new();
    let on = |side: Side| channels.iter().filter(move |c| c.channel.side == side);
    for left in on(Side::Left) {
        let key = match (left.channel.kind, left.muscle) {
            (Kind::Emg, Some(m)) => (m.key, m.name),
            (Kind::Force, _) => ("force", "force"),
            _ => continue,
        };
        if out.iter().any(|(b, _)| b.name == key.0) {
            continue;
        }
        let right = on(Side::Right).find(|r| match (r.channel.kind, r.muscle) {
            (Kind::Emg, Some(m)) => m.key == key.0,
            (Kind::Force, _) => key.0 == "force",
            _ => false,
        });
        if let Some(right) = right {
            out.push((
                Bilateral {
                    name: key.0.to_string(),
                    left: left.channel.name.clone(),
                    right: right.channel.name.clone(),
                },
                key.1.to_string(),
            ));
        }
    }
    out
}
