//! The unit of each summary value, for the tidy table and the axes of the progress page.
//!
//! Units come from the measure's name and, for values in the units of a channel (RMS,
//! force levels, RFD, strength), from the montage stored in the same file. Percentages are
//! `%`, counts and ratios have no unit (`""`). The limb symmetry indices also say what the
//! two sides were compared on: `% (pct_mvc)`, `% (rms)` or `% (mvc_500ms)` — the
//! `symmetry/measure` text of the file — so LSIs computed on different quantities are
//! never mistaken for one another; the part before the space is the unit proper.
//! A measure this module does not know gets its unit from its name's ending (`_hz`,
//! `_percent`, `_s`), else none.

use super::session::Session;

/// The unit of value `measure` of row `name` in summary group `group` of `session`.
///
/// ```
/// # let s = myobalance::sessions::Session::example();
/// use myobalance::sessions::units::unit;
/// assert_eq!(unit(&s, "symmetry", "lsi_percent", "biceps"), "% (pct_mvc)");
/// assert_eq!(unit(&s, "fatigue", "mdf_slope_pct_per_s", "biceps_l"), "%/s");
/// assert_eq!(unit(&s, "tremor", "relative_power", "force_l"), "");
/// assert_eq!(unit(&s, "somewhere", "peak_hz", "x"), "Hz");
/// ```
pub fn unit(session: &Session, group: &str, measure: &str, name: &str) -> String {
    let channel = || session.channel_unit(name).to_string();
    match (group, measure) {
        ("activation", "rms_mean") => channel(),
        ("cocontraction", "rudolph_mean") => rudolph_unit(session, name),
        ("symmetry", "si_percent" | "lsi_percent") => {
            match session.text("symmetry", "measure", name) {
                Some(m) if !m.is_empty() && m != "none" => format!("% ({m})"),
                _ => "%".to_string(),
            }
        }
        ("symmetry", "reference") => "%".to_string(),
        ("tremor", "band_power") => squared(&channel()),
        ("force", "peak" | "mvc_500ms") => channel(),
        ("force", m) if m.starts_with("rfd") => per_second(&channel()),
        ("strength", "agonist_mvc_500ms" | "antagonist_mvc_500ms") => strength_unit(session, name),
        _ => by_name(measure).to_string(),
    }
}

/// The unit implied by a measure's name alone.
fn by_name(measure: &str) -> &'static str {
    match measure {
        "pct_mvc_mean" | "fw_mean" | "steadiness_cv" => "%",
        "alarm_seconds" => "s",
        "mdf_slope_hz_per_s" => "Hz/s",
        "mdf_slope_pct_per_s" => "%/s",
        m if m.ends_with("_pct_per_s") => "%/s",
        m if m.ends_with("_hz_per_s") => "Hz/s",
        m if m.ends_with("_hz") => "Hz",
        m if m.ends_with("_percent") || m.starts_with("pct_") => "%",
        m if m.ends_with("_s") || m.ends_with("_seconds") => "s",
        _ => "",
    }
}

fn squared(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!("{unit}²")
    }
}

fn per_second(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!("{unit}/s")
    }
}

/// Rudolph's index is in the units of the pair's envelopes: % MVC when both muscles have
/// an MVC, else their shared unit.
fn rudolph_unit(session: &Session, pair: &str) -> String {
    let m = &session.montage;
    let Some(p) = m.pairs.iter().find(|p| p.name == pair) else {
        return String::new();
    };
    let channel = |n: &str| m.channels.iter().find(|c| c.name == n);
    match (channel(&p.agonist), channel(&p.antagonist)) {
        (Some(a), Some(b)) if a.mvc.is_some() && b.mvc.is_some() => "%".to_string(),
        (Some(a), Some(b)) if a.unit == b.unit => a.unit.clone(),
        _ => String::new(),
    }
}

/// The unit of a pair's strength: its torque channel's, else its agonist force channel's.
fn strength_unit(session: &Session, pair: &str) -> String {
    let Some(p) = session.montage.pairs.iter().find(|p| p.name == pair) else {
        return String::new();
    };
    p.torque
        .as_deref()
        .or(p.agonist_force.as_deref())
        .or(p.antagonist_force.as_deref())
        .map(|c| session.channel_unit(c).to_string())
        .unwrap_or_default()
}
