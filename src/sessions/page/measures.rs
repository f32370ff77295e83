//! The trend sections and what they share: a chart of named series with the notes on
//! their missing values, references drawn as dashed lines with the session where each
//! line first reached its own, and the rows each line adds to the first → last table.
//! The sections of left/right and agonist/antagonist balance are in [`super::balance`];
//! co-contraction, tremor and fatigue are plain series drawn here.

use crate::report::html::{paragraph, setting};
use crate::report::page::{figure, grid, Section, HALF_WIDTH};
use crate::report::style::{colour, ALARM, REFERENCE};

use super::super::patient::Patient;
use super::super::series::{reference, series, Series};
use super::super::trend::{change, reached, Change, Reached};
use super::chart::{Level, Mark, TrendChart, TrendLine};
use super::{balance, missing_note, ChangeRow};

/// Height of each trend plot, pixels.
const PLOT_HEIGHT: u32 = 300;

/// One chart: its caption, y axis, lines (each with its legend label), references and
/// marks.
pub struct Trend {
    pub caption: String,
    pub y_label: String,
    pub lines: Vec<(String, Series)>,
    pub levels: Vec<Level>,
    pub marks: Vec<Mark>,
    pub from_zero: bool,
}

impl Trend {
    /// A chart of `lines` labelled by their names, without references.
    pub fn of(caption: &str, y_label: &str, lines: Vec<Series>, from_zero: bool) -> Trend {
        Trend {
            caption: caption.to_string(),
            y_label: y_label.to_string(),
            lines: lines.into_iter().map(|s| (s.name.clone(), s)).collect(),
            levels: Vec::new(),
            marks: Vec::new(),
            from_zero,
        }
    }

    /// The figure, with a note under it for each line missing in some sessions.
    pub fn figure(self, p: &Patient, labels: &[String]) -> String {
        let notes: String = self
            .lines
            .iter()
            .map(|(_, s)| missing_note(p, s))
            .filter(|n| !n.is_empty())
            .map(|n| paragraph("note", &n))
            .collect();
        let chart = TrendChart {
            width: HALF_WIDTH,
            plot_height: PLOT_HEIGHT,
            sessions: labels.to_vec(),
            y_label: self.y_label,
            from_zero: self.from_zero,
            lines: self
                .lines
                .into_iter()
                .enumerate()
                .map(|(i, (label, s))| TrendLine {
                    label,
                    colour: colour(i),
                    values: s.values,
                })
                .collect(),
            levels: self.levels,
            marks: self.marks,
        };
        figure(&self.caption, chart.to_svg()).replacen("</figure>", &format!("{notes}</figure>"), 1)
    }

    /// Adds the chart's lines to the first → last table as `measure`, with `progress`
    /// saying how each moved.
    pub fn add_rows(
        &self,
        measure: &str,
        progress: fn(&Change) -> String,
        rows: &mut Vec<ChangeRow>,
    ) {
        for (label, s) in &self.lines {
            rows.push(ChangeRow {
                measure: measure.to_string(),
                name: label.clone(),
                series: s.clone(),
                progress: change(&s.values).map(|c| progress(&c)).unwrap_or_default(),
            });
        }
    }

    /// Dashed lines at the references of `group` (one per distinct value; `default` for
    /// names without one) and a mark where each line first reached its reference.
    pub fn with_references(
        mut self,
        p: &Patient,
        labels: &[String],
        group: &str,
        default: Option<f64>,
        unit: &str,
    ) -> Trend {
        for (i, (_, s)) in self.lines.iter().enumerate() {
            let Some(r) = reference(&p.sessions, group, &s.name, default) else {
                continue;
            };
            if !self.levels.iter().any(|l| l.value == r) {
                self.levels.push(Level {
                    label: format!("reference {}{unit}", setting(Some(r))),
                    colour: if self.levels.is_empty() {
                        ALARM
                    } else {
                        REFERENCE
                    },
                    value: r,
                });
            }
            if let Reached::At(k) = reached(&s.values, r) {
                self.marks.push(Mark {
                    label: format!(
                        "{} reached {}{unit} in {}",
                        s.name,
                        setting(Some(r)),
                        labels[k]
                    ),
                    colour: colour(i),
                    session: k,
                });
            }
        }
        self
    }
}

/// No sentence on progress (measures without a balanced value).
pub fn plain(_: &Change) -> String {
    String::new()
}

/// A section of one or more plain series of `group`: (measure, caption, y label, y from
/// zero, reference line).
type Plain<'a> = (&'a str, &'a str, &'a str, bool, Option<(f64, &'a str)>);

fn plain_section(
    p: &Patient,
    labels: &[String],
    rows: &mut Vec<ChangeRow>,
    id: &'static str,
    title: &'static str,
    charts: &[Plain],
) -> Section {
    let mut figures = Vec::new();
    for &(measure, caption, y_label, from_zero, level) in charts {
        let lines = series(&p.sessions, id, measure);
        if lines.is_empty() {
            continue;
        }
        let mut t = Trend::of(caption, y_label, lines, from_zero);
        if let Some((value, label)) = level {
            t.levels.push(Level {
                label: label.to_string(),
                colour: REFERENCE,
                value,
            });
        }
        t.add_rows(y_label, plain, rows);
        figures.push(t.figure(p, labels));
    }
    let body = if figures.is_empty() {
        paragraph("note", &format!("No session has {id} values."))
    } else {
        grid(&figures)
    };
    Section { id, title, body }
}

/// Every trend section, adding their lines to `rows`.
pub fn sections(p: &Patient, labels: &[String], rows: &mut Vec<ChangeRow>) -> Vec<Section> {
    vec![
        balance::symmetry(p, labels, rows),
        balance::strength(p, labels, rows),
        balance::mvc(p, labels, rows),
        plain_section(
            p,
            labels,
            rows,
            "cocontraction",
            "Co-contraction",
            &[(
                "fw_mean",
                "Falconer–Winter co-contraction per agonist/antagonist pair",
                "co-contraction FW (%)",
                true,
                None,
            )],
        ),
        plain_section(
            p,
            labels,
            rows,
            "tremor",
            "Tremor",
            &[
                (
                    "alarm_seconds",
                    "Tremor alarm time per channel",
                    "tremor alarm time (s)",
                    true,
                    None,
                ),
                (
                    "peak_hz",
                    "Tremor peak frequency per channel",
                    "tremor peak (Hz)",
                    false,
                    None,
                ),
            ],
        ),
        plain_section(
            p,
            labels,
            rows,
            "fatigue",
            "Fatigue",
            &[(
                "mdf_slope_pct_per_s",
                "Median frequency slope per EMG channel (below 0: fatiguing)",
                "MDF slope (%/s)",
                false,
                Some((0.0, "no change (0 %/s)")),
            )],
        ),
    ]
}
