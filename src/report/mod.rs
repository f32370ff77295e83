//! The HTML report of a processed recording: one self-contained page (inline SVG charts,
//! no scripts, no network) that a therapist reads from top to bottom — the findings at a
//! glance, the session and its data quality, activation with onsets, co-contraction, tremor with alarms and
//! spectra, fatigue, symmetry, force and the event list.
//!
//! This module turns a [`StoredFile`] into a `String` and does no I/O; `cli::report`
//! reads the file and writes the page. It draws what the analysis stored and computes no
//! features. The one thing it computes is a display spectrum of the mechanical channels
//! with the library's Welch kernel and the tremor group's segment settings (see
//! [`spectrum`]); the fatigue line is drawn from the summary's slope and initial value.
//!
//! Long series are thinned to at most [`decimate::MAX_POINTS`] points per line (minimum
//! and maximum per bucket), so the page stays small for hour-long recordings.

mod activation;
pub mod bars;
pub mod charts;
mod cocontraction;
pub mod decimate;
mod events;
mod fatigue;
mod force;
pub mod glance;
mod header;
pub mod html;
pub mod legend;
pub mod page;
pub mod spectrum;
mod strength;
pub mod style;
mod symmetry;
mod tremor;

use crate::store::StoredFile;

use page::{Context, Section};

/// Why a file cannot be reported.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The file holds samples but no analysis (it was never processed).
    #[error("{file} has no features: run `myobalance process {file} --out PROCESSED.h5` first")]
    NoFeatures { file: String },
}

/// Whether the montage has a channel the features are computed for.
fn analysable(stored: &StoredFile) -> bool {
    use crate::montage::Kind;
    let kinds = [Kind::Emg, Kind::Force, Kind::Accel];
    stored
        .recording
        .montage
        .channels
        .iter()
        .any(|c| kinds.contains(&c.kind))
}

/// The page for `stored`; `file_name` is how the page names the file (and the error, when
/// the file has no features).
pub fn render(file_name: &str, stored: &StoredFile) -> Result<String, ReportError> {
    let results = match &stored.results {
        // A file whose channels are all of kind `other` has no features to draw, and the
        // page still shows its session, data quality and events.
        Some(r) if !r.features.is_empty() || !analysable(stored) => r,
        _ => {
            return Err(ReportError::NoFeatures {
                file: file_name.to_string(),
            })
        }
    };
    let c = Context { stored, results };
    let sections: Vec<Section> = vec![
        glance::section(&c),
        header::session(file_name, &c),
        activation::section(&c),
        cocontraction::section(&c),
        tremor::section(&c),
        fatigue::section(&c),
        symmetry::section(&c),
        force::section(&c),
        events::section(&c),
    ];
    let intro = html::paragraph(
        "note",
        &format!(
            "{} · {} · {}",
            stored.recording.source,
            stored.created_utc.as_deref().unwrap_or("date unknown"),
            stored.software.as_deref().unwrap_or("software unknown")
        ),
    );
    Ok(page::document(
        &format!("Session report: {file_name}"),
        &intro,
        &sections,
    ))
}
