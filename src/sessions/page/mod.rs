//! The progress page of one subject: a self-contained HTML document (inline SVG and CSS,
//! no script, nothing fetched) built from the sessions' summaries, in the report's style
//! and with its document frame ([`crate::report::page`]).
//!
//! From top to bottom: the sessions (how they were ordered, files left out, montages that
//! differ) with the LSI findings at a glance; trend charts with their references — LSI per
//! bilateral pair, strength ratio per pair, MVC left against right, co-contraction,
//! tremor, fatigue; and a table of each series from its first session to its last. Values
//! are drawn as stored: nothing here computes a feature.

mod balance;
mod changes;
pub mod chart;
mod header;
mod measures;

use crate::report::html::escape;
use crate::report::page::{document, Section};

use super::patient::Patient;
use super::series::Series;

/// One row of the first → last table, gathered while the charts are made.
#[derive(Debug, Clone)]
pub struct ChangeRow {
    /// What was measured, with its unit ("LSI (%)").
    pub measure: String,
    pub name: String,
    pub series: Series,
    /// "catching up: 70 % → 95 %" for LSI and strength ratios; empty otherwise.
    pub progress: String,
}

/// The page for `patient`.
pub fn render(patient: &Patient) -> String {
    let labels: Vec<String> = patient.sessions.iter().map(|s| s.label()).collect();
    let mut rows: Vec<ChangeRow> = Vec::new();
    let mut sections: Vec<Section> = vec![header::section(patient)];
    sections.extend(measures::sections(patient, &labels, &mut rows));
    sections.push(changes::section(&labels, &rows));
    let intro = format!(
        "<p class=\"note\">{}</p>\n",
        escape(&format!(
            "{} sessions · {}",
            patient.sessions.len(),
            header::date_range(patient)
        ))
    );
    document(&format!("Progress: {}", patient.subject), &intro, &sections)
}

/// "No value in week 3 (c.h5), week 4 (d.h5)." for the sessions where `series` has none;
/// empty when it has a value everywhere.
pub fn missing_note(patient: &Patient, series: &Series) -> String {
    let missing = series.missing();
    if missing.is_empty() {
        return String::new();
    }
    let sessions: Vec<String> = missing
        .iter()
        .map(|&i| {
            let s = &patient.sessions[i];
            format!("{} ({})", s.label(), s.file)
        })
        .collect();
    format!("{}: no value in {}.", series.name, sessions.join(", "))
}
