//! Activation: the RMS of each EMG channel over time (as % MVC when the channel has an MVC
//! reference) with its detected onsets and offsets, and the whole-recording means.

use super::charts::{Chart, Line, Markers, YScale};
use super::html::{count, num, paragraph, setting, text, Table};
use super::page::{column, columns, figure, grid, param_f64, Context, Section, HALF_WIDTH};
use super::style::{colour, OFFSET, ONSET};
use crate::results::EventKind;

/// The "Activation" section.
pub fn section(c: &Context) -> Section {
    let mut body = String::new();
    match c.results.group("activation") {
        None => body.push_str(&paragraph(
            "note",
            "No activation features: the montage has no EMG channel.",
        )),
        Some(g) => {
            let window = setting(param_f64(g, "window_s"));
            let hop = setting(param_f64(g, "hop_s"));
            body.push_str(&paragraph(
                "note",
                &format!(
                    "RMS of the band-passed EMG over {window} s windows every {hop} s, \
                     shown as % of the channel's MVC when it has one. Detected onsets and \
                     offsets ({}) are vertical lines, or ticks along the top of the \
                     chart when there are many.",
                    c.montage().analysis.onset_method.label()
                ),
            ));
            let mut figures = Vec::new();
            for (k, name) in columns(g, "rms").iter().enumerate() {
                let pct = column(g, "pct_mvc", name).filter(|v| v.iter().any(|x| x.is_finite()));
                let (values, y_label) = match pct {
                    Some(p) => (p, "activation (% MVC)".to_string()),
                    None => (
                        column(g, "rms", name).unwrap_or_default(),
                        format!("RMS ({})", c.unit(name)),
                    ),
                };
                let chart = Chart {
                    width: HALF_WIDTH,
                    plot_height: 250,
                    x_label: "time (s)".into(),
                    y_label,
                    x_range: c.time_range(),
                    y_scale: YScale::Linear { from_zero: true },
                    lines: vec![Line::thinned(name.as_str(), colour(k), &g.time_s, &values)],
                    spans: vec![],
                    markers: vec![
                        Markers {
                            label: "onset".into(),
                            colour: ONSET,
                            xs: c.event_times(EventKind::Onset, name),
                        },
                        Markers {
                            label: "offset".into(),
                            colour: OFFSET,
                            xs: c.event_times(EventKind::Offset, name),
                        },
                    ],
                };
                figures.push(figure(&format!("Activation of {name}"), chart.to_svg()));
            }
            body.push_str(&grid(&figures));
        }
    }
    if let Some(s) = c.results.summary("activation") {
        let mut t = Table::new(
            "activation",
            &[
                "channel",
                "mean RMS",
                "unit",
                "mean % MVC",
                "onsets",
                "offsets",
                "activations",
                "mean active (s)",
                "time under tension (s)",
            ],
        );
        // The driving detector's activations (files from before /summary/onsets lack it).
        let onsets = c.results.summary("onsets");
        let per_channel = |column: &str, name: &str| -> f64 {
            onsets
                .and_then(|g| {
                    let i = g.names.iter().position(|n| n == name)?;
                    g.numbers(column)?.get(i).copied()
                })
                .unwrap_or(f64::NAN)
        };
        let rms = s.numbers("rms_mean").unwrap_or(&[]);
        let pct = s.numbers("pct_mvc_mean").unwrap_or(&[]);
        for (i, name) in s.names.iter().enumerate() {
            t.row(vec![
                text(name),
                num(rms.get(i).copied().unwrap_or(f64::NAN)),
                text(c.unit(name)),
                num(pct.get(i).copied().unwrap_or(f64::NAN)),
                count(c.event_times(EventKind::Onset, name).len()),
                count(c.event_times(EventKind::Offset, name).len()),
                match per_channel("activations", name) {
                    n if n.is_finite() => count(n as usize),
                    n => num(n),
                },
                num(per_channel("mean_active_s", name)),
                num(per_channel("time_under_tension_s", name)),
            ]);
        }
        body.push_str("<h3>Whole recording</h3>\n");
        body.push_str(&t.to_html());
    }
    Section {
        id: "activation",
        title: "Activation",
        body,
    }
}
