//! A guessed montage written as TOML with a comment on every guessed value, so the user can
//! see what each was guessed from, correct it, and pass the file back with `--montage`.

use std::fmt::Write as _;

use super::{ChannelGuess, Guess};
use crate::montage::Side;

/// Column where comments start, so values and reasons read as two columns.
const COMMENT_COLUMN: usize = 34;

/// A TOML string literal (quoted and escaped).
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `line` padded to the comment column, then `# comment`.
fn with_comment(out: &mut String, line: &str, comment: &str) {
    let width = line.chars().count();
    let pad = COMMENT_COLUMN.saturating_sub(width).max(1);
    let _ = writeln!(out, "{line}{}# {comment}", " ".repeat(pad));
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Left => "left",
        Side::Right => "right",
        Side::None => "none",
    }
}

fn channel(out: &mut String, c: &ChannelGuess) {
    let ch = &c.channel;
    let _ = writeln!(out, "\n[[channels]]");
    let _ = writeln!(out, "name = {}", quoted(&ch.name));
    if let Some(label) = &ch.label {
        with_comment(
            out,
            &format!("label = {}", quoted(label)),
            "as the source names it",
        );
    }
    with_comment(
        out,
        &format!("kind = {}", quoted(ch.kind.as_str())),
        &format!("guessed {}", c.kind_from),
    );
    if !ch.unit.is_empty() {
        let _ = writeln!(out, "unit = {}", quoted(&ch.unit));
    }
    match &c.side_from {
        Some(why) => with_comment(
            out,
            &format!("side = {}", quoted(side_name(ch.side))),
            &format!("guessed from {why}"),
        ),
        None => with_comment(
            out,
            "side = \"none\"",
            "no side in the label: set \"left\" or \"right\" if it has one",
        ),
    }
    if let Some(m) = c.muscle {
        let _ = writeln!(out, "# muscle: {}", m.name);
    }
    if let Some(note) = &c.note {
        let _ = writeln!(out, "# {note}");
    }
}

/// The whole file.
pub(super) fn commented(g: &Guess, source: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Montage guessed by {} from {source}.",
        crate::store::layout::SOFTWARE
    );
    let _ = writeln!(
        out,
        "# Each guessed value says what it was guessed from. Check them, correct what is wrong,"
    );
    let _ = writeln!(
        out,
        "# add `mvc = …` per EMG channel if you have MVC references, and pass this file with\n# --montage. Channels are matched to the source by label, else by name."
    );
    let _ = writeln!(out);
    with_comment(
        &mut out,
        &format!("sample_rate_hz = {}", toml::Value::Float(g.sample_rate_hz)),
        "the rate the samples are analysed at",
    );
    with_comment(
        &mut out,
        &format!("mains_hz = {}", g.mains_hz),
        &format!("guessed: {}", g.mains_from),
    );
    for c in &g.channels {
        channel(&mut out, c);
    }
    if g.pairs.is_empty() {
        let _ = writeln!(
            out,
            "\n# No agonist/antagonist pair was found in the labels. To measure co-contraction, add\n# [[pairs]] tables: name = \"…\", agonist = \"<emg channel>\", antagonist = \"<emg channel>\"."
        );
    }
    for (p, joint) in &g.pairs {
        let (agonist_role, antagonist_role) = joint.roles();
        let muscle_of = |name: &str| {
            g.channels
                .iter()
                .find(|c| c.channel.name == name)
                .and_then(|c| c.muscle)
                .map_or("", |m| m.name)
        };
        let _ = writeln!(out, "\n[[pairs]]");
        with_comment(
            &mut out,
            &format!("name = {}", quoted(&p.name)),
            &format!("guessed: the first {agonist_role} and {antagonist_role} of that side"),
        );
        with_comment(
            &mut out,
            &format!("agonist = {}", quoted(&p.agonist)),
            &format!("{} ({agonist_role})", muscle_of(&p.agonist)),
        );
        with_comment(
            &mut out,
            &format!("antagonist = {}", quoted(&p.antagonist)),
            &format!("{} ({antagonist_role})", muscle_of(&p.antagonist)),
        );
    }
    for (b, what) in &g.bilateral {
        let _ = writeln!(out, "\n[[bilateral]]");
        with_comment(
            &mut out,
            &format!("name = {}", quoted(&b.name)),
            &format!("guessed: {what} on both sides"),
        );
        let _ = writeln!(out, "left = {}", quoted(&b.left));
        let _ = writeln!(out, "right = {}", quoted(&b.right));
    }
    let _ = writeln!(
        out,
        "\n[analysis]\n# Every key is optional; see the README for them (bandpass_hz, notch, rms_window_s, …)."
    );
    let a = &g.analysis;
    for (key, note) in &g.analysis_notes {
        let value = match *key {
            "bandpass_hz" => band(a.bandpass_hz),
            "tremor_band_hz" => band(a.tremor_band_hz),
            "alarm_band_hz" => band(a.alarm_band_hz),
            _ => toml::Value::Float(a.envelope_lowpass_hz).to_string(),
        };
        with_comment(&mut out, &format!("{key} = {value}"), note);
    }
    out
}

fn band(b: [f64; 2]) -> String {
    format!(
        "[{}, {}]",
        toml::Value::Float(b[0]),
        toml::Value::Float(b[1])
    )
}
