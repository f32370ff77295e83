//! Force: the recorded force of each force channel over time and the force metrics of the
//! summary (peak, best 500 ms mean, rate of force development, steadiness).

use crate::montage::Kind;
use crate::results::{EventKind, SummaryValues};

use super::charts::{Chart, Line, Markers, YScale};
use super::html::{count, num, paragraph, text, Cell, Table};
use super::page::{figure, Context, Section, FULL_WIDTH};
use super::style::{colour, ONSET};

/// Summary columns in the order a reader compares them.
const COLUMN_ORDER: [&str; 8] = [
    "peak",
    "mvc_500ms",
    "rfd_50",
    "rfd_100",
    "rfd_200",
    "rfd_peak",
    "onsets",
    "steadiness_cv",
];

/// A heading for a summary column, with the unit of a channel whose unit is `unit`.
fn heading(column: &str, unit: &str) -> String {
    match column {
        "peak" => format!("peak ({unit})"),
        "mvc_500ms" => format!("best 500 ms mean ({unit})"),
        "rfd_50" => format!("RFD 0–50 ms ({unit}/s)"),
        "rfd_100" => format!("RFD 0–100 ms ({unit}/s)"),
        "rfd_200" => format!("RFD 0–200 ms ({unit}/s)"),
        "rfd_peak" => format!("peak RFD ({unit}/s)"),
        "onsets" => "contractions".into(),
        "steadiness_cv" => "steadiness CV (%)".into(),
        other => other.replace('_', " "),
    }
}

/// The "Force" section.
pub fn section(c: &Context) -> Section {
    let m = c.montage();
    let force: Vec<usize> = (0..m.channels.len())
        .filter(|&i| m.channels[i].kind == Kind::Force && i < c.stored.recording.samples.ncols())
        .collect();
    let mut body = String::new();
    if force.is_empty() {
        body.push_str(&paragraph(
            "note",
            "No force channel in the montage: no force metrics.",
        ));
        return Section {
            id: "force",
            title: "Force",
            body,
        };
    }
    let fs = c.sample_rate_hz();
    let time: Vec<f64> = (0..c.stored.recording.samples.nrows())
        .map(|i| i as f64 / fs)
        .collect();
    // One chart per unit, so every line is read against its own axis.
    let mut units: Vec<&str> = force.iter().map(|&i| m.channels[i].unit.as_str()).collect();
    units.dedup();
    units.sort_unstable();
    units.dedup();
    for unit in units {
        let lines: Vec<Line> = force
            .iter()
            .enumerate()
            .filter(|(_, &i)| m.channels[i].unit == unit)
            .map(|(k, &i)| {
                let y: Vec<f64> = c
                    .stored
                    .recording
                    .samples
                    .column(i)
                    .iter()
                    .map(|&v| f64::from(v))
                    .collect();
                Line::thinned(m.channels[i].name.as_str(), colour(k), &time, &y)
            })
            .collect();
        let onsets: Vec<f64> = force
            .iter()
            .filter(|&&i| m.channels[i].unit == unit)
            .flat_map(|&i| c.event_times(EventKind::Onset, &m.channels[i].name))
            .collect();
        let chart = Chart {
            width: FULL_WIDTH,
            plot_height: 280,
            x_label: "time (s)".into(),
            y_label: format!("force ({unit})"),
            x_range: c.time_range(),
            y_scale: YScale::Linear { from_zero: false },
            lines,
            spans: vec![],
            markers: vec![Markers {
                label: "contraction onset".into(),
                colour: ONSET,
                xs: onsets,
            }],
        };
        body.push_str(&figure("Recorded force", chart.to_svg()));
    }
    if let Some(s) = c.results.summary("force") {
        // Strength first, then speed, then control; anything else after.
        let rank = |name: &str| {
            COLUMN_ORDER
                .iter()
                .position(|c| *c == name)
                .unwrap_or(COLUMN_ORDER.len())
        };
        let mut order: Vec<usize> = (0..s.columns.len()).collect();
        order.sort_by_key(|&k| rank(&s.columns[k].0));
        let columns: Vec<&(String, SummaryValues)> = order.iter().map(|&k| &s.columns[k]).collect();
        let unit = s.names.first().map_or("", |n| c.unit(n));
        let same_unit = s.names.iter().all(|n| c.unit(n) == unit);
        let mut header = vec!["channel".to_string()];
        header.extend(columns.iter().map(|(n, _)| {
            if same_unit {
                heading(n, unit)
            } else {
                heading(n, "unit")
            }
        }));
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = Table::new("force", &header);
        for (i, name) in s.names.iter().enumerate() {
            let mut row: Vec<Cell> = vec![text(name)];
            row.extend(columns.iter().map(|(_, v)| match v {
                SummaryValues::Numbers(x) => match x.get(i).copied() {
                    Some(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < 1e9 => {
                        count(v as usize)
                    }
                    Some(v) => num(v),
                    None => num(f64::NAN),
                },
                SummaryValues::Texts(x) => text(x.get(i).cloned().unwrap_or_default()),
            }));
            t.row(row);
        }
        body.push_str("<h3>Force metrics</h3>\n");
        body.push_str(&t.to_html());
        body.push_str(&paragraph(
            "note",
            "RFD: rate of force development from each detected contraction onset, averaged \
             over contractions. Steadiness CV: coefficient of variation of force during \
             holds (lower is steadier).",
        ));
        let torques: Vec<&str> = s
            .names
            .iter()
            .filter(|n| m.pairs.iter().any(|p| p.torque.as_ref() == Some(*n)))
            .map(String::as_str)
            .collect();
        if !torques.is_empty() {
            body.push_str(&paragraph(
                "note",
                &format!(
                    "{} {} a signed torque: these metrics read it as one force from its                      lowest hold, so its best 500 ms mean spans both directions. The strength                      of each direction is under Symmetry and strength.",
                    torques.join(", "),
                    if torques.len() == 1 { "is" } else { "are" }
                ),
            ));
        }
    }
    Section {
        id: "force",
        title: "Force",
        body,
    }
}
