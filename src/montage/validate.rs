//! Every rule a montage must follow (DESIGN.md, "Montage file"): names, references
//! between channels, pairs and bilateral pairs, numbers that must be positive and finite,
//! and the `[analysis]` settings — windows long enough to hold two samples and bands
//! that fit below the Nyquist frequency once the sample rate is known. It finds all the
//! problems at once, so a user fixes a file in one go; locating them in the text is
//! `locate`'s job. The `[analysis]` rules live in `analysis`.

mod analysis;

use super::error::Problem;
use super::{Kind, Montage, Pair, Side};

/// Everything wrong with `m`, in the order of the file.
pub(crate) fn problems(m: &Montage) -> Vec<Problem> {
    let mut c = Checker::default();
    let fs = m.sample_rate_hz.filter(|fs| fs.is_finite() && *fs > 0.0);
    if let Some(rate) = m.sample_rate_hz {
        if fs.is_none() {
            c.push(
                "sample_rate_hz",
                format!("must be a positive number of samples per second, not {rate}"),
            );
        }
    }
    if m.mains_hz != 50 && m.mains_hz != 60 {
        c.push(
            "mains_hz",
            format!(
                "must be 50 or 60 (the mains frequency where the data was recorded), not {}",
                m.mains_hz
            ),
        );
    }
    channels(&mut c, m);
    pairs(&mut c, m);
    bilateral(&mut c, m);
    analysis::check(&mut c, m, fs);
    c.problems
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(key, message));
    }

    /// `v` must be finite and > 0; true when it is.
    fn positive(&mut self, key: &str, v: f64, what: &str) -> bool {
        let ok = v.is_finite() && v > 0.0;
        if !ok {
            self.push(key, format!("must be a positive {what}, not {v}"));
        }
        ok
    }

    /// A name must be `[A-Za-z0-9_]+` and unique among `earlier` (the names before it).
    fn name(&mut self, key: &str, name: &str, earlier: &[&str], list: &str) {
        if name.is_empty() {
            self.push(key, "is empty; use letters, digits and _");
        } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.push(
                key,
                format!("invalid name \"{name}\": use only letters A-Z a-z, digits 0-9 and _"),
            );
        } else if let Some(j) = earlier.iter().position(|e| *e == name) {
            self.push(
                key,
                format!("duplicate name \"{name}\" (first used by {list}[{j}])"),
            );
        }
    }

    /// `[low, high]` with 0 < low < high, both finite; true when it is.
    fn band(&mut self, key: &str, band: [f64; 2]) -> bool {
        let [lo, hi] = band;
        let ok = lo.is_finite() && hi.is_finite() && lo > 0.0 && lo < hi;
        if !ok {
            self.push(
                key,
                format!("must be [low, high] in Hz with 0 < low < high, not [{lo}, {hi}]"),
            );
        }
        ok
    }
}

fn channels(c: &mut Checker, m: &Montage) {
    if m.channels.is_empty() {
        c.push(
            "channels",
            "no channels: add at least one [[channels]] table",
        );
    }
    let names: Vec<&str> = m.channels.iter().map(|ch| ch.name.as_str()).collect();
    for (i, ch) in m.channels.iter().enumerate() {
        let key = |k: &str| format!("channels[{i}].{k}");
        c.name(&key("name"), &ch.name, &names[..i], "channels");
        if let Some(label) = &ch.label {
            if label.trim().is_empty() {
                c.push(
                    key("label"),
                    "is empty; leave it out or give the source's label",
                );
            } else if let Some(j) = m.channels[..i]
                .iter()
                .position(|e| e.label.as_deref() == Some(label.as_str()))
            {
                c.push(
                    key("label"),
                    format!("duplicate label \"{label}\" (first used by channels[{j}])"),
                );
            }
        }
        if !ch.scale.is_finite() || ch.scale == 0.0 {
            c.push(
                key("scale"),
                format!("must be a finite, non-zero number, not {}", ch.scale),
            );
        }
        if !ch.offset.is_finite() {
            c.push(
                key("offset"),
                format!("must be a finite number, not {}", ch.offset),
            );
        }
        if let Some(mvc) = ch.mvc {
            let unit = if ch.unit.is_empty() { "" } else { " in " };
            c.positive(
                &key("mvc"),
                mvc,
                &format!("number (this channel's MVC RMS{unit}{})", ch.unit),
            );
        }
    }
}

/// The channel called `name`, or a problem at `key` when there is none or its kind is
/// not in `kinds`.
fn resolve<'m>(
    c: &mut Checker,
    m: &'m Montage,
    key: String,
    name: &str,
    kinds: &[Kind],
    needs: &str,
) -> Option<&'m super::Channel> {
    let Some(ch) = m.channels.iter().find(|ch| ch.name == name) else {
        let usable: Vec<&str> = m
            .channels
            .iter()
            .filter(|ch| kinds.contains(&ch.kind))
            .map(|ch| ch.name.as_str())
            .collect();
        let listed = if usable.is_empty() {
            format!("the montage has no channel of kind {}", kind_list(kinds))
        } else {
            format!("{} channels: {}", kind_list(kinds), usable.join(", "))
        };
        c.push(key, format!("no channel named \"{name}\" ({listed})"));
        return None;
    };
    if !kinds.contains(&ch.kind) {
        c.push(
            key,
            format!(
                "channel \"{name}\" is of kind {}; {needs} need {} channels",
                Kind::as_str(ch.kind),
                kind_list(kinds)
            ),
        );
        return None;
    }
    Some(ch)
}

fn kind_list(kinds: &[Kind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|&k| Kind::as_str(k)).collect();
    names.join(" or ")
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Left => "left",
        Side::Right => "right",
        Side::None => "none",
    }
}

fn pairs(c: &mut Checker, m: &Montage) {
    let names: Vec<&str> = m.pairs.iter().map(|p| p.name.as_str()).collect();
    for (i, p) in m.pairs.iter().enumerate() {
        let key = |k: &str| format!("pairs[{i}].{k}");
        c.name(&key("name"), &p.name, &names[..i], "pairs");
        let needs = "co-contraction pairs";
        let agonist = resolve(c, m, key("agonist"), &p.agonist, &[Kind::Emg], needs);
        resolve(c, m, key("antagonist"), &p.antagonist, &[Kind::Emg], needs);
        if agonist.is_some() && p.agonist == p.antagonist {
            c.push(
                key("antagonist"),
                format!(
                    "\"{}\" is also the agonist; a pair needs two different channels",
                    p.antagonist
                ),
            );
        }
        strength(c, m, p, &key);
    }
}

/// The force channels of a pair's strength ratio: a signed `torque` with its
/// `agonist_direction`, or `agonist_force` and `antagonist_force`, never both; and a
/// positive `strength_ratio_reference` only where there is a ratio.
fn strength(c: &mut Checker, m: &Montage, p: &Pair, key: &dyn Fn(&str) -> String) {
    let needs = "strength ratios";
    let one_way = p.agonist_force.is_some() || p.antagonist_force.is_some();
    if let Some(torque) = &p.torque {
        resolve(c, m, key("torque"), torque, &[Kind::Force], needs);
        if p.agonist_direction.is_none() {
            c.push(
                key("agonist_direction"),
                format!(
                    "required with torque: the sign of \"{torque}\" while the agonist works, \"positive\" or \"negative\""
                ),
            );
        }
        if one_way {
            c.push(
                key("torque"),
                "give either torque (one signed channel) or agonist_force and antagonist_force (one channel per direction), not both",
            );
        }
    } else if p.agonist_direction.is_some() {
        c.push(
            key("agonist_direction"),
            "applies only with torque: name the signed force/torque channel at this joint",
        );
    }
    let forces = [
        ("agonist_force", &p.agonist_force, "antagonist_force"),
        ("antagonist_force", &p.antagonist_force, "agonist_force"),
    ];
    for (name, channel, other) in forces {
        if let Some(channel) = channel {
            resolve(c, m, key(name), channel, &[Kind::Force], needs);
        } else if one_way {
            c.push(
                key(other),
                format!("needs {name} too: one force channel for each direction"),
            );
        }
    }
    if let (Some(a), Some(b)) = (&p.agonist_force, &p.antagonist_force) {
        if a == b {
            c.push(
                key("antagonist_force"),
                format!("\"{b}\" is also agonist_force; one channel per direction, or use torque with agonist_direction"),
            );
        }
    }
    if let Some(r) = p.strength_ratio_reference {
        if c.positive(
            &key("strength_ratio_reference"),
            r,
            "ratio (0.6 is the traditional hamstrings:quadriceps norm)",
        ) && p.torque.is_none()
            && !one_way
        {
            c.push(
                key("strength_ratio_reference"),
                "the pair has no force channels to take a ratio of: add torque and agonist_direction, or agonist_force and antagonist_force",
            );
        }
    }
}

fn bilateral(c: &mut Checker, m: &Montage) {
    let names: Vec<&str> = m.bilateral.iter().map(|b| b.name.as_str()).collect();
    let kinds = [Kind::Emg, Kind::Force];
    for (i, b) in m.bilateral.iter().enumerate() {
        let key = |k: &str| format!("bilateral[{i}].{k}");
        c.name(&key("name"), &b.name, &names[..i], "bilateral");
        let needs = "bilateral pairs";
        let left = resolve(c, m, key("left"), &b.left, &kinds, needs);
        let right = resolve(c, m, key("right"), &b.right, &kinds, needs);
        if left.is_some() && b.left == b.right {
            c.push(
                key("right"),
                format!(
                    "\"{}\" is also the left channel; a bilateral pair needs two different channels",
                    b.right
                ),
            );
            continue;
        }
        for (ch, side, wrong) in [(left, "left", Side::Right), (right, "right", Side::Left)] {
            if let Some(ch) = ch.filter(|ch| ch.side == wrong) {
                c.push(
                    key(side),
                    format!(
                        "channel \"{}\" has side = \"{}\"; the {side} entry needs a channel on the {side} (or with no side)",
                        ch.name,
                        side_name(ch.side)
                    ),
                );
            }
        }
        let (Some(l), Some(r)) = (left, right) else {
            continue;
        };
        if l.kind != r.kind {
            c.push(
                key("right"),
                format!(
                    "channel \"{}\" is of kind {} but the left channel \"{}\" is {}; both sides must be the same kind",
                    r.name,
                    Kind::as_str(r.kind),
                    l.name,
                    Kind::as_str(l.kind)
                ),
            );
        }
    }
}
