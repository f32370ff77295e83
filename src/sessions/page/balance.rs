//! The balance sections: left against right (LSI per bilateral pair with its reference,
//! best 500 ms force of each side) and agonist against antagonist (the strength ratio per
//! pair with its reference, from `/summary/strength` when the files have it).

use crate::report::html::paragraph;
use crate::report::page::{grid, Section};

use super::super::patient::Patient;
use super::super::series::{force_sides, series, side_strength};
use super::super::trend::{lsi_progress, ratio_progress};
use super::measures::{plain, Trend};
use super::ChangeRow;

/// The LSI reference when a file stores none (`symmetry/reference` came with Part 2):
/// 90 %, a common return-to-sport criterion (METHODS.md E).
pub const LSI_DEFAULT_REFERENCE: f64 = 90.0;

/// "Symmetry": LSI per bilateral pair.
pub fn symmetry(p: &Patient, labels: &[String], rows: &mut Vec<ChangeRow>) -> Section {
    let lines = series(&p.sessions, "symmetry", "lsi_percent");
    let body = if lines.is_empty() {
        paragraph(
            "note",
            "No LSI values: no session's montage has a bilateral (left/right) pair.",
        )
    } else {
        let t = Trend::of(
            "Limb symmetry index (LSI) per bilateral pair",
            "LSI (%)",
            lines,
            false,
        )
        .with_references(p, labels, "symmetry", Some(LSI_DEFAULT_REFERENCE), " %");
        t.add_rows("LSI (%)", lsi_progress, rows);
        let basis = basis_note(p, &t);
        format!(
            "{}{}{}",
            paragraph(
                "note",
                "LSI = 100 · weaker side / stronger side; 100 % is perfect symmetry. \
                A rising LSI means the weaker side is catching up."
            ),
            basis,
            grid(&[t.figure(p, labels)])
        )
    };
    Section {
        id: "symmetry",
        title: "Left and right",
        body,
    }
}

/// What each pair's LSI was computed on, with a warning where that changed between
/// sessions (an LSI of RMS and one of % MVC are not the same number).
fn basis_note(p: &Patient, t: &Trend) -> String {
    let mut parts = Vec::new();
    let mut out = String::new();
    for (_, s) in &t.lines {
        let mut seen: Vec<&str> = Vec::new();
        for session in &p.sessions {
            if let Some(m) = session.text("symmetry", "measure", &s.name) {
                if !m.is_empty() && !seen.contains(&m) {
                    seen.push(m);
                }
            }
        }
        if seen.len() > 1 {
            out.push_str(&paragraph(
                "warn",
                &format!(
                    "{}: LSI computed on {} in different sessions; compare them with care.",
                    s.name,
                    seen.join(" and ")
                ),
            ));
        }
        if !seen.is_empty() {
            parts.push(format!("{} on {}", s.name, seen.join("/")));
        }
    }
    if !parts.is_empty() {
        out.insert_str(
            0,
            &paragraph("note", &format!("Compared on: {}.", parts.join(", "))),
        );
    }
    out
}

/// "Agonist and antagonist": the strength ratio per pair.
pub fn strength(p: &Patient, labels: &[String], rows: &mut Vec<ChangeRow>) -> Section {
    let lines = series(&p.sessions, "strength", "ratio");
    let body = if lines.is_empty() {
        paragraph(
            "note",
            "No strength ratios: no session has /summary/strength (pairs with \
            force or torque channels for each direction).",
        )
    } else {
        let t = Trend::of(
            "Strength ratio (antagonist : agonist) per pair",
            "strength ratio",
            lines,
            false,
        )
        .with_references(p, labels, "strength", None, "");
        t.add_rows("strength ratio", ratio_progress, rows);
        grid(&[t.figure(p, labels)])
    };
    Section {
        id: "strength",
        title: "Agonist and antagonist",
        body,
    }
}

/// "MVC left and right": the best 500 ms force of each side of every bilateral force pair
/// (of a signed torque, the agonist's direction).
pub fn mvc(p: &Patient, labels: &[String], rows: &mut Vec<ChangeRow>) -> Section {
    let mut figures = Vec::new();
    for b in force_sides(&p.sessions) {
        let left = side_strength(&p.sessions, &b.left);
        let right = side_strength(&p.sessions, &b.right);
        let unit = if left.unit.is_empty() {
            right.unit.clone()
        } else {
            left.unit.clone()
        };
        let y_label = format!(
            "best 500 ms mean ({})",
            if unit.is_empty() { "?" } else { &unit }
        );
        let t = Trend {
            caption: format!("MVC left and right: {}", b.name),
            y_label: y_label.clone(),
            lines: vec![
                (format!("left ({})", b.left), left),
                (format!("right ({})", b.right), right),
            ],
            levels: Vec::new(),
            marks: Vec::new(),
            from_zero: true,
        };
        t.add_rows(&format!("MVC {y_label}"), plain, rows);
        figures.push(t.figure(p, labels));
    }
    let body = if figures.is_empty() {
        paragraph(
            "note",
            "No bilateral force pair: no session's montage pairs a left and a right force channel.",
        )
    } else {
        grid(&figures)
    };
    Section {
        id: "mvc",
        title: "MVC left and right",
        body,
    }
}
