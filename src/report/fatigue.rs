//! Fatigue: the median frequency (MDF) of each EMG channel per epoch, with the line the
//! summary fitted through the active epochs, and the summary table.
//!
//! The summary gives the line's slope and its value at the first active epoch
//! (`mdf_initial_hz`). Which epoch that is the file does not store: without an MVC every
//! epoch with an MDF is active; with one, an epoch is active when its activation reaches
//! `fatigue_min_pct_mvc`, judged here from the stored activation rows inside the epoch.
//! That judgement only places the drawn line and greys out resting epochs; the numbers
//! are the summary's.

use crate::results::FeatureGroup;

use super::charts::{Chart, Line, YScale};
use super::html::{count, num, number, paragraph, setting, text, Table};
use super::page::{column, columns, figure, grid, param_f64, Context, Section, HALF_WIDTH};
use super::style::{colour, REFERENCE, REST};

fn summary_value(c: &Context, column: &str, channel: &str) -> f64 {
    c.results
        .summary("fatigue")
        .and_then(|s| {
            let i = s.names.iter().position(|n| n == channel)?;
            s.numbers(column)?.get(i).copied()
        })
        .unwrap_or(f64::NAN)
}

/// Whether each epoch counts for the fitted line: it has an MDF and, when the channel has
/// an MVC, the mean stored activation (% MVC) of the rows centred inside the epoch reaches
/// `fatigue_min_pct_mvc`.
fn active_epochs(c: &Context, g: &FeatureGroup, channel: &str, mdf: &[f64]) -> Vec<bool> {
    let has_mvc = c.channel(channel).is_some_and(|ch| ch.mvc.is_some());
    let activation = c.results.group("activation");
    let pct = activation.and_then(|a| column(a, "pct_mvc", channel));
    let half = param_f64(g, "epoch_s").unwrap_or(0.0) / 2.0;
    let threshold = c.montage().analysis.fatigue_min_pct_mvc;
    g.time_s
        .iter()
        .zip(mdf)
        .map(|(&t, m)| {
            if !(t.is_finite() && m.is_finite()) {
                return false;
            }
            let (true, Some(a), Some(p)) = (has_mvc, activation, &pct) else {
                return true;
            };
            // Activation rows are in time order: find those centred inside the epoch.
            let from = a.time_s.partition_point(|&ta| ta < t - half);
            let to = a.time_s.partition_point(|&ta| ta <= t + half).max(from);
            let inside: Vec<f64> = p
                .get(from..to.min(p.len()))
                .unwrap_or(&[])
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            !inside.is_empty() && inside.iter().sum::<f64>() / inside.len() as f64 >= threshold
        })
        .collect()
}

/// The "Fatigue" section.
pub fn section(c: &Context) -> Section {
    let mut body = String::new();
    match c.results.group("fatigue") {
        None => body.push_str(&paragraph(
            "note",
            "No fatigue features: the montage has no EMG channel.",
        )),
        Some(g) => {
            let epoch = setting(param_f64(g, "epoch_s"));
            body.push_str(&paragraph(
                "note",
                &format!(
                    "Median frequency of the band-passed EMG per {epoch} s epoch (dots) and \
                     the least-squares line of the summary over the active epochs. A falling \
                     line is the spectral compression of a fatiguing muscle."
                ),
            ));
            let mut figures = Vec::new();
            for (k, name) in columns(g, "mdf_hz").iter().enumerate() {
                let mdf = column(g, "mdf_hz", name).unwrap_or_default();
                let active = active_epochs(c, g, name, &mdf);
                let pick = |want: bool| -> Vec<f64> {
                    mdf.iter()
                        .zip(&active)
                        .map(|(&m, &a)| if a == want { m } else { f64::NAN })
                        .collect()
                };
                let mut lines = Vec::new();
                let mut dots =
                    Line::thinned(format!("{name} MDF"), colour(k), &g.time_s, &pick(true));
                dots.dots = true;
                lines.push(dots);
                if mdf.iter().zip(&active).any(|(m, a)| m.is_finite() && !a) {
                    let mut rest = Line::thinned(
                        "resting epochs (left out of the fit)",
                        REST,
                        &g.time_s,
                        &pick(false),
                    );
                    rest.dots = true;
                    lines.push(rest);
                }
                let initial = summary_value(c, "mdf_initial_hz", name);
                let slope = summary_value(c, "mdf_slope_hz_per_s", name);
                let pct = summary_value(c, "mdf_slope_pct_per_s", name);
                let last = g
                    .time_s
                    .iter()
                    .zip(&active)
                    .rev()
                    .find(|(_, a)| **a)
                    .map(|(t, _)| *t);
                if let (true, Some(t0), Some(t1)) = (
                    initial.is_finite() && slope.is_finite(),
                    g.time_s
                        .iter()
                        .zip(&active)
                        .find(|(_, a)| **a)
                        .map(|(t, _)| *t),
                    last,
                ) {
                    lines.push(Line {
                        label: format!("fitted line: {} Hz/s ({} %/s)", number(slope), number(pct)),
                        colour: REFERENCE,
                        segments: vec![vec![
                            (t0, initial),
                            (t1.max(t0), initial + slope * (t1.max(t0) - t0)),
                        ]],
                        dots: false,
                    });
                }
                let chart = Chart {
                    width: HALF_WIDTH,
                    plot_height: 250,
                    x_label: "time (s)".into(),
                    y_label: "median frequency (Hz)".into(),
                    x_range: c.time_range(),
                    y_scale: YScale::Linear { from_zero: false },
                    lines,
                    spans: vec![],
                    markers: vec![],
                };
                figures.push(figure(
                    &format!("Median frequency of {name}"),
                    chart.to_svg(),
                ));
            }
            body.push_str(&grid(&figures));
        }
    }
    if let Some(s) = c.results.summary("fatigue") {
        let mut t = Table::new(
            "fatigue",
            &[
                "channel",
                "initial MDF (Hz)",
                "slope (Hz/s)",
                "slope (%/s)",
                "r²",
                "active epochs",
            ],
        );
        for name in &s.names {
            t.row(vec![
                text(name),
                num(summary_value(c, "mdf_initial_hz", name)),
                num(summary_value(c, "mdf_slope_hz_per_s", name)),
                num(summary_value(c, "mdf_slope_pct_per_s", name)),
                num(summary_value(c, "r2", name)),
                match summary_value(c, "active_epochs", name) {
                    v if v.is_finite() && v >= 0.0 => count(v as usize),
                    v => num(v),
                },
            ]);
        }
        body.push_str("<h3>Whole recording</h3>\n");
        body.push_str(&t.to_html());
        body.push_str(&paragraph(
            "note",
            "An empty line (–) means too few active epochs for a fit.",
        ));
    }
    Section {
        id: "fatigue",
        title: "Fatigue",
        body,
    }
}
