//! The session header: where the data came from, when, how long, the montage, how it was
//! processed, and data quality (gaps, corrupt frames, ring overruns).

use std::fmt::Write as _;

use crate::montage::Side;
use crate::recording::Gap;

use super::html::{escape, num, number, paragraph, text, Table};
use super::page::{Context, Section};

fn side(s: Side) -> &'static str {
    match s {
        Side::Left => "left",
        Side::Right => "right",
        Side::None => "–",
    }
}

/// A two-column table of facts (plain text values).
fn facts(rows: &[(&str, String)]) -> String {
    let mut out = String::from("<table class=\"facts\"><tbody>\n");
    for (k, v) in rows {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
    }
    out.push_str("</tbody></table>\n");
    out
}

fn duration(seconds: f64) -> String {
    if seconds >= 60.0 {
        let whole = seconds.floor() as u64;
        format!(
            "{} min {:.1} s ({} s)",
            whole / 60,
            seconds - (whole / 60 * 60) as f64,
            number(seconds)
        )
    } else {
        format!("{} s", number(seconds))
    }
}

/// The "Session" section.
pub fn session(file_name: &str, c: &Context) -> Section {
    let stored = c.stored;
    let rec = &stored.recording;
    let m = c.montage();
    let processing = match c.causal() {
        Some(true) => "causal filters (as a live recording computes them)",
        Some(false) => "zero-phase filters (offline)",
        None => "not stated in the file",
    };
    let meta = &rec.metadata;
    let mut rows = vec![("File", file_name.to_string())];
    if let Some(subject) = &meta.subject {
        rows.push(("Subject", subject.clone()));
    }
    if let Some(session) = &meta.session {
        rows.push(("Session", session.clone()));
    }
    if let Some(t) = &meta.recorded_utc {
        let zone = if t.ends_with('Z') {
            " (UTC)"
        } else {
            " (local time)"
        };
        rows.push(("Recorded", format!("{t}{zone}")));
    }
    rows.extend([
        ("Source", rec.source.clone()),
        (
            "File written",
            stored
                .created_utc
                .clone()
                .unwrap_or_else(|| "unknown".into()),
        ),
        (
            "Software",
            stored.software.clone().unwrap_or_else(|| "unknown".into()),
        ),
        ("Duration", duration(c.duration_s())),
        (
            "Samples",
            format!(
                "{} × {} channels at {} Hz",
                rec.samples.nrows(),
                rec.samples.ncols(),
                number(c.sample_rate_hz())
            ),
        ),
        ("Mains", format!("{} Hz", m.mains_hz)),
        ("Features computed with", processing.to_string()),
        (
            "Feature groups",
            c.results
                .features
                .iter()
                .map(|g| format!("{} ({} rows)", g.name, g.time_s.len()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]);
    if let Some(format) = &meta.source_format {
        let rates = meta.source_rates_hz.as_deref().unwrap_or(&[]);
        let mut distinct: Vec<f64> = Vec::new();
        for r in rates {
            if !distinct.contains(r) {
                distinct.push(*r);
            }
        }
        let resampled = if distinct.len() > 1 {
            let listed: Vec<String> = distinct
                .iter()
                .map(|r| format!("{} Hz", number(*r)))
                .collect();
            format!(
                "; signals at {} brought to {} Hz",
                listed.join(", "),
                c.sample_rate_hz()
            )
        } else {
            String::new()
        };
        rows.push(("Imported from", format!("{format}{resampled}")));
    }
    if c.results.features.is_empty() {
        rows.push((
            "Note",
            "no EMG, force or accelerometer channel: nothing to analyse (set the channels' kinds with --montage)".to_string(),
        ));
    }
    if let Some(t) = &rec.truth {
        rows.push((
            "Simulated",
            format!(
                "yes: the file holds the scenario's ground truth ({} values)",
                t.entries.len()
            ),
        ));
    }
    let mut body = facts(&rows);
    if stored.opened_swmr {
        body.push_str(&paragraph(
            "warn",
            "The file was not closed: a recording in progress or one that was interrupted.",
        ));
    }

    body.push_str("<h3>Montage</h3>\n");
    let mut channels = Table::new("montage", &["channel", "kind", "unit", "side", "MVC"]);
    for ch in &m.channels {
        channels.row(vec![
            text(&ch.name),
            text(ch.kind.as_str()),
            text(&ch.unit),
            text(side(ch.side)),
            ch.mvc.map_or(text("–"), num),
        ]);
    }
    body.push_str(&channels.to_html());
    if !m.pairs.is_empty() {
        let mut pairs = Table::new(
            "pairs",
            &["agonist/antagonist pair", "agonist", "antagonist"],
        );
        for p in &m.pairs {
            pairs.row(vec![text(&p.name), text(&p.agonist), text(&p.antagonist)]);
        }
        body.push_str(&pairs.to_html());
    }
    if !m.bilateral.is_empty() {
        let mut bilateral = Table::new("bilateral", &["bilateral pair", "left", "right"]);
        for b in &m.bilateral {
            bilateral.row(vec![text(&b.name), text(&b.left), text(&b.right)]);
        }
        body.push_str(&bilateral.to_html());
    }

    body.push_str("<h3>Data quality</h3>\n");
    match &rec.acquisition {
        // Imported from a file: its gaps and its sequence counter's counts.
        Some(a) if a.port.is_empty() => {
            let interpolated = Gap::total_rows(&a.gaps);
            body.push_str(&facts(&[
                ("Gaps from", a.protocol.clone()),
                ("Sample instants received", a.frames_received.to_string()),
                (
                    "Sample instants missing",
                    format!(
                        "{} in {} gaps ({} rows filled by linear interpolation)",
                        a.frames_missing,
                        a.gaps.len(),
                        interpolated
                    ),
                ),
            ]));
            body.push_str(&if a.gaps.is_empty() && a.frames_missing == 0 {
                paragraph("note", "The file has no gap.")
            } else {
                paragraph(
                    "warn",
                    "The file has gaps: features near them are less reliable.",
                )
            });
        }
        Some(a) => {
            let interpolated = Gap::total_rows(&a.gaps);
            body.push_str(&facts(&[
                ("Device", format!("{} on {}", a.protocol, a.port)),
                ("Frames received", a.frames_received.to_string()),
                (
                    "Frames missing",
                    format!(
                        "{} in {} gaps ({} rows filled by linear interpolation)",
                        a.frames_missing,
                        a.gaps.len(),
                        interpolated
                    ),
                ),
                ("Corrupt frames", a.frames_corrupt.to_string()),
                ("Bytes skipped", a.bytes_skipped.to_string()),
                ("Ring overruns", a.ring_overruns.to_string()),
            ]));
            let clean = a.frames_missing == 0
                && a.gaps.is_empty()
                && a.frames_corrupt == 0
                && a.ring_overruns == 0;
            body.push_str(&if clean {
                paragraph("note", "No frame was lost, corrupt or dropped.")
            } else {
                paragraph(
                    "warn",
                    "Some data was lost or damaged: features near the gaps are less reliable.",
                )
            });
        }
        None => body.push_str(&paragraph(
            "note",
            "Not recorded from a device and no gaps in the file (simulated or imported data): \
             there are no acquisition counters, gaps or corrupt frames to report.",
        )),
    }
    Section {
        id: "session",
        title: "Session",
        body,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_in_minutes() {
        assert_eq!(super::duration(30.0), "30.00 s");
        assert_eq!(super::duration(125.5), "2 min 5.5 s (125.5 s)");
    }
}
