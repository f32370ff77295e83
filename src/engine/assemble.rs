//! Turns what the channels and pairs produced into [`Results`]: the feature groups of
//! format v1 with their parameters, the events, and the summary of the recording.

use std::ops::Range;

use ndarray::Array2;

use crate::features::alarm::AlarmChange;
use crate::features::force::ForceMetrics;
use crate::features::line_fit::fit_line;
use crate::features::onsets::Transition;
use crate::features::stats::mean_finite;
use crate::features::symmetry::symmetry;
use crate::montage::Kind;
use crate::results::{
    AttrValue, Event, EventKind, FeatureGroup, FeatureTable, GroupId, Results, SummaryGroup,
    SummaryValues, TableId,
};

use super::emg::{EmgOutput, TremorPart};
use super::pairs::PairCci;
use super::plan::Plan;

/// Active epochs the fatigue line needs (METHODS.md D: at least 10).
pub const MIN_FATIGUE_EPOCHS: usize = 10;

/// What the channels of one run produced, by role.
pub struct Collected<'a> {
    pub plan: &'a Plan,
    /// EMG channels in montage order.
    pub emg: Vec<(usize, &'a EmgOutput)>,
    /// Tremor channels, in the order of `plan.tremor_channels`.
    pub tremor: Vec<(usize, &'a TremorPart)>,
    pub force: Vec<(usize, ForceMetrics)>,
    pub pairs: &'a [PairCci],
    pub gaps: &'a [[i64; 2]],
    pub markers: &'a [Event],
}

/// Rows each feature group holds; the live recorder keeps the counts it has written and
/// asks only for the rows after them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub activation: usize,
    pub fatigue: usize,
    pub cocontraction: usize,
    pub tremor: usize,
}

impl RowCounts {
    /// The count of feature group `group`.
    pub fn of_mut(&mut self, group: GroupId) -> &mut usize {
        match group {
            GroupId::Activation => &mut self.activation,
            GroupId::Fatigue => &mut self.fatigue,
            GroupId::Cocontraction => &mut self.cocontraction,
            GroupId::Tremor => &mut self.tremor,
        }
    }

    /// The count of feature group `group`.
    pub fn of(&self, group: GroupId) -> usize {
        match group {
            GroupId::Activation => self.activation,
            GroupId::Fatigue => self.fatigue,
            GroupId::Cocontraction => self.cocontraction,
            GroupId::Tremor => self.tremor,
        }
    }
}

/// A table of rows `rows` (absolute row numbers passed to `value`).
fn table(
    id: TableId,
    columns: Vec<String>,
    rows: Range<usize>,
    value: impl Fn(usize, usize) -> f64,
) -> FeatureTable {
    let cols = columns.len();
    let first = rows.start;
    FeatureTable {
        name: id.as_str().to_string(),
        values: Array2::from_shape_fn((rows.len(), cols), |(r, c)| value(first + r, c)),
        columns,
    }
}

/// The row numbers `from..to`, empty when `from` is past `to`.
fn span(from: usize, to: usize) -> Range<usize> {
    from.min(to)..to
}

fn text(s: &str) -> AttrValue {
    AttrValue::Text(s.to_string())
}

fn seconds(samples: usize, plan: &Plan) -> AttrValue {
    AttrValue::Float(samples as f64 / plan.sample_rate_hz)
}

fn numbers(name: &str, values: Vec<f64>) -> (String, SummaryValues) {
    (name.to_string(), SummaryValues::Numbers(values))
}

/// Builds the results of a run.
pub fn assemble(c: Collected) -> Results {
    let emg_names = emg_names(&c);
    let mvc: Vec<Option<f64>> = c.emg.iter().map(|(i, _)| c.plan.mvc(*i)).collect();
    Results {
        features: feature_groups(&c, RowCounts::default()),
        events: events(&c),
        summary: summary(&c, &emg_names, &mvc),
    }
}

fn emg_names(c: &Collected) -> Vec<String> {
    c.emg
        .iter()
        .map(|(i, _)| c.plan.montage.channels[*i].name.clone())
        .collect()
}

/// The feature groups with their rows after `from` (all rows when `from` is zero). Every
/// group is returned, with its columns and parameters, even when it has no new rows.
pub fn feature_groups(c: &Collected, from: RowCounts) -> Vec<FeatureGroup> {
    let plan = c.plan;
    let causal = AttrValue::Bool(plan.causal);
    let mut groups = Vec::new();
    let emg_names = emg_names(c);
    let mvc: Vec<Option<f64>> = c.emg.iter().map(|(i, _)| plan.mvc(*i)).collect();
    let pct = |k: usize, v: f64| mvc[k].map_or(f64::NAN, |m| 100.0 * v / m);
    let filter = text("Butterworth band-pass, order 2 per edge, second-order sections");
    let notched: Vec<String> = c
        .emg
        .iter()
        .filter(|(_, o)| o.notched)
        .map(|(i, _)| plan.montage.channels[*i].name.clone())
        .collect();

    if !c.emg.is_empty() {
        let rows = c
            .emg
            .iter()
            .map(|(_, o)| o.windows.rms_rows.len())
            .min()
            .unwrap_or(0);
        let rows = span(from.activation, rows);
        let rms = |r: usize, k: usize| c.emg[k].1.windows.rms_rows[r];
        groups.push(FeatureGroup {
            name: GroupId::Activation.as_str().into(),
            time_s: rows.clone().map(|k| plan.rms.centre_s(k)).collect(),
            tables: vec![
                table(TableId::Rms, emg_names.clone(), rows.clone(), rms),
                table(TableId::PctMvc, emg_names.clone(), rows, |r, k| {
                    pct(k, rms(r, k))
                }),
            ],
            params: vec![
                ("window_s".into(), seconds(plan.rms.window, plan)),
                ("hop_s".into(), seconds(plan.rms.hop, plan)),
                ("band_hz".into(), AttrValue::Floats(plan.band_hz.to_vec())),
                ("filter".into(), filter.clone()),
                (
                    "notch".into(),
                    text(&format!("{:?}", plan.montage.analysis.notch).to_lowercase()),
                ),
                ("notch_channels".into(), text(&notched.join(","))),
                ("causal".into(), causal.clone()),
            ],
        });
        let rows = c
            .emg
            .iter()
            .map(|(_, o)| o.windows.fatigue_rows.len())
            .min()
            .unwrap_or(0);
        let rows = span(from.fatigue, rows);
        let row = |r: usize, k: usize| c.emg[k].1.windows.fatigue_rows[r];
        groups.push(FeatureGroup {
            name: GroupId::Fatigue.as_str().into(),
            time_s: rows.clone().map(|k| plan.fatigue.centre_s(k)).collect(),
            tables: vec![
                table(TableId::MdfHz, emg_names.clone(), rows.clone(), |r, k| {
                    row(r, k).mdf_hz
                }),
                table(TableId::MnfHz, emg_names.clone(), rows.clone(), |r, k| {
                    row(r, k).mnf_hz
                }),
            ],
            params: vec![
                ("epoch_s".into(), seconds(plan.fatigue.window, plan)),
                ("band_hz".into(), AttrValue::Floats(plan.band_hz.to_vec())),
                (
                    "estimator".into(),
                    text("periodogram, periodic Hann window, mean removed"),
                ),
                ("causal".into(), causal.clone()),
            ],
        });
    }
    if !c.pairs.is_empty() {
        let names: Vec<String> = plan.pairs.iter().map(|p| p.name.clone()).collect();
        let rows = c.pairs.iter().map(|p| p.rows.len()).min().unwrap_or(0);
        let rows = span(from.cocontraction, rows);
        groups.push(FeatureGroup {
            name: GroupId::Cocontraction.as_str().into(),
            time_s: rows.clone().map(|k| plan.cci.centre_s(k)).collect(),
            tables: vec![
                table(TableId::Fw, names.clone(), rows.clone(), |r, k| {
                    c.pairs[k].rows[r].fw
                }),
                table(TableId::Rudolph, names, rows.clone(), |r, k| {
                    c.pairs[k].rows[r].rudolph
                }),
            ],
            params: vec![
                ("window_s".into(), seconds(plan.cci.window, plan)),
                ("hop_s".into(), seconds(plan.cci.hop, plan)),
                (
                    "envelope_lowpass_hz".into(),
                    AttrValue::Float(plan.envelope_lowpass_hz),
                ),
                (
                    "inactive_pct_mvc".into(),
                    AttrValue::Float(plan.montage.analysis.inactive_pct_mvc),
                ),
                ("causal".into(), causal.clone()),
            ],
        });
    }
    if !c.tremor.is_empty() {
        let names: Vec<String> = c
            .tremor
            .iter()
            .map(|(i, _)| plan.montage.channels[*i].name.clone())
            .collect();
        let rows = c
            .tremor
            .iter()
            .map(|(_, t)| t.rows.len())
            .min()
            .unwrap_or(0);
        let rows = span(from.tremor, rows);
        let row = |r: usize, k: usize| c.tremor[k].1.rows[r].1;
        groups.push(FeatureGroup {
            name: GroupId::Tremor.as_str().into(),
            time_s: rows
                .clone()
                .map(|k| plan.tremor.windows.centre_s(k))
                .collect(),
            tables: vec![
                table(TableId::BandPower, names.clone(), rows.clone(), |r, k| {
                    row(r, k).band_power
                }),
                table(
                    TableId::RelativePower,
                    names.clone(),
                    rows.clone(),
                    |r, k| row(r, k).relative_power,
                ),
                table(TableId::PeakHz, names, rows.clone(), |r, k| {
                    row(r, k).peak_hz
                }),
            ],
            params: vec![
                (
                    "band_hz".into(),
                    AttrValue::Floats(plan.tremor.band_hz.to_vec()),
                ),
                (
                    "alarm_band_hz".into(),
                    AttrValue::Floats(plan.tremor.alarm_band_hz.to_vec()),
                ),
                ("segment_s".into(), seconds(plan.tremor.segment, plan)),
                ("window_s".into(), seconds(plan.tremor.windows.window, plan)),
                ("hop_s".into(), seconds(plan.tremor.windows.hop, plan)),
                ("emg_input".into(), text("rectified band-passed EMG")),
                ("causal".into(), causal.clone()),
            ],
        });
    }

    groups
}

fn events(c: &Collected) -> Vec<Event> {
    let plan = c.plan;
    let fs = plan.sample_rate_hz;
    let name = |i: usize| plan.montage.channels[i].name.clone();
    let mut events = Vec::new();
    for (i, o) in &c.emg {
        for t in &o.transitions {
            let (kind, at) = match *t {
                Transition::Onset(at) => (EventKind::Onset, at),
                Transition::Offset(at) => (EventKind::Offset, at),
            };
            events.push(Event {
                time_s: at as f64 / fs,
                kind,
                channel: name(*i),
                value: f64::NAN,
                text: String::new(),
            });
        }
    }
    for (i, m) in &c.force {
        for o in &m.onsets {
            events.push(Event {
                time_s: o.onset as f64 / fs,
                kind: EventKind::Onset,
                channel: name(*i),
                value: o.rfd[1],
                text: String::new(),
            });
        }
    }
    for (i, t) in &c.tremor {
        for (time, change) in &t.changes {
            let (kind, value) = match *change {
                AlarmChange::Start { peak_hz } => (EventKind::TremorAlarmStart, peak_hz),
                AlarmChange::End => (EventKind::TremorAlarmEnd, f64::NAN),
            };
            events.push(Event {
                time_s: *time,
                kind,
                channel: name(*i),
                value,
                text: String::new(),
            });
        }
    }
    for g in c.gaps {
        events.push(Event {
            time_s: g[0] as f64 / fs,
            kind: EventKind::Gap,
            channel: String::new(),
            value: g[1] as f64,
            text: String::new(),
        });
    }
    events.extend(c.markers.iter().cloned());
    events.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    events
}

fn summary(c: &Collected, emg_names: &[String], mvc: &[Option<f64>]) -> Vec<SummaryGroup> {
    let plan = c.plan;
    let mut groups = Vec::new();
    let rms_mean: Vec<f64> = c
        .emg
        .iter()
        .map(|(_, o)| mean_finite(o.windows.rms_rows.iter().copied()))
        .collect();
    let pct_mean: Vec<f64> = rms_mean
        .iter()
        .zip(mvc)
        .map(|(r, m)| m.map_or(f64::NAN, |m| 100.0 * r / m))
        .collect();
    if !c.emg.is_empty() {
        groups.push(SummaryGroup {
            name: GroupId::Activation.as_str().into(),
            names: emg_names.to_vec(),
            columns: vec![
                numbers("rms_mean", rms_mean.clone()),
                numbers("pct_mvc_mean", pct_mean.clone()),
            ],
        });
        let mut columns: [Vec<f64>; 5] = Default::default();
        for (k, (_, o)) in c.emg.iter().enumerate() {
            let (times, mdf): (Vec<f64>, Vec<f64>) = o
                .windows
                .fatigue_rows
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.mdf_hz.is_finite()
                        && mvc[k].is_none_or(|m| {
                            100.0 * r.rms / m >= plan.montage.analysis.fatigue_min_pct_mvc
                        })
                })
                .map(|(e, r)| (plan.fatigue.centre_s(e), r.mdf_hz))
                .unzip();
            let line = (times.len() >= MIN_FATIGUE_EPOCHS)
                .then(|| fit_line(&times, &mdf))
                .flatten();
            let initial = line.map_or(f64::NAN, |l| l.at(times[0]));
            let slope = line.map_or(f64::NAN, |l| l.slope);
            for (col, v) in columns.iter_mut().zip([
                initial,
                slope,
                100.0 * slope / initial,
                line.map_or(f64::NAN, |l| l.r2),
                times.len() as f64,
            ]) {
                col.push(v);
            }
        }
        let [initial, slope, pct, r2, epochs] = columns;
        groups.push(SummaryGroup {
            name: GroupId::Fatigue.as_str().into(),
            names: emg_names.to_vec(),
            columns: vec![
                numbers("mdf_initial_hz", initial),
                numbers("mdf_slope_hz_per_s", slope),
                numbers("mdf_slope_pct_per_s", pct),
                numbers("r2", r2),
                numbers("active_epochs", epochs),
            ],
        });
    }
    if !c.pairs.is_empty() {
        groups.push(SummaryGroup {
            name: GroupId::Cocontraction.as_str().into(),
            names: plan.pairs.iter().map(|p| p.name.clone()).collect(),
            columns: vec![
                numbers(
                    "fw_mean",
                    c.pairs
                        .iter()
                        .map(|p| mean_finite(p.rows.iter().map(|r| r.fw)))
                        .collect(),
                ),
                numbers(
                    "rudolph_mean",
                    c.pairs
                        .iter()
                        .map(|p| mean_finite(p.rows.iter().map(|r| r.rudolph)))
                        .collect(),
                ),
            ],
        });
    }
    if !plan.bilateral.is_empty() {
        let emg_position = |i: usize| c.emg.iter().position(|(j, _)| *j == i);
        let (mut si, mut lsi, mut weaker, mut measure) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for b in &plan.bilateral {
            // EMG in %MVC when both sides have an MVC reference, else in RMS; force by
            // its best 500 ms mean.
            let both_mvc = plan.mvc(b.first).is_some() && plan.mvc(b.second).is_some();
            let value = |i: usize| -> f64 {
                match plan.montage.channels[i].kind {
                    Kind::Emg => emg_position(i).map_or(f64::NAN, |k| {
                        if both_mvc {
                            pct_mean[k]
                        } else {
                            rms_mean[k]
                        }
                    }),
                    Kind::Force => c
                        .force
                        .iter()
                        .find(|(j, _)| *j == i)
                        .map_or(f64::NAN, |(_, m)| m.mvc_500ms),
                    _ => f64::NAN,
                }
            };
            let what = match plan.montage.channels[b.first].kind {
                Kind::Emg if both_mvc => "pct_mvc",
                Kind::Emg => "rms",
                Kind::Force => "mvc_500ms",
                _ => "none",
            };
            let (l, r) = (value(b.first), value(b.second));
            let s = symmetry(l, r);
            si.push(s.si_percent);
            lsi.push(s.lsi_percent);
            weaker.push(if l.is_finite() && r.is_finite() {
                s.weaker.as_str().to_string()
            } else {
                String::new()
            });
            measure.push(what.to_string());
        }
        groups.push(SummaryGroup {
            name: "symmetry".into(),
            names: plan.bilateral.iter().map(|b| b.name.clone()).collect(),
            columns: vec![
                numbers("si_percent", si),
                numbers("lsi_percent", lsi),
                ("weaker".into(), SummaryValues::Texts(weaker)),
                ("measure".into(), SummaryValues::Texts(measure)),
            ],
        });
    }
    if !c.tremor.is_empty() {
        let hop_s = plan.tremor.windows.hop as f64 / plan.sample_rate_hz;
        let whole: Vec<_> = c.tremor.iter().map(|(_, t)| t.tracker.summary()).collect();
        let get = |f: fn(&crate::features::tremor::TremorRow) -> f64| -> Vec<f64> {
            whole
                .iter()
                .map(|w| w.as_ref().map_or(f64::NAN, f))
                .collect()
        };
        groups.push(SummaryGroup {
            name: GroupId::Tremor.as_str().into(),
            names: c
                .tremor
                .iter()
                .map(|(i, _)| plan.montage.channels[*i].name.clone())
                .collect(),
            columns: vec![
                numbers("peak_hz", get(|r| r.peak_hz)),
                numbers("band_power", get(|r| r.band_power)),
                numbers("relative_power", get(|r| r.relative_power)),
                numbers(
                    "alarm_seconds",
                    c.tremor
                        .iter()
                        .map(|(_, t)| t.alarm.updates_on() as f64 * hop_s)
                        .collect(),
                ),
            ],
        });
    }
    if !c.force.is_empty() {
        let col =
            |f: fn(&ForceMetrics) -> f64| c.force.iter().map(|(_, m)| f(m)).collect::<Vec<f64>>();
        groups.push(SummaryGroup {
            name: "force".into(),
            names: c
                .force
                .iter()
                .map(|(i, _)| plan.montage.channels[*i].name.clone())
                .collect(),
            columns: vec![
                numbers("peak", col(|m| m.peak)),
                numbers("mvc_500ms", col(|m| m.mvc_500ms)),
                numbers("rfd_50", col(|m| m.rfd[0])),
                numbers("rfd_100", col(|m| m.rfd[1])),
                numbers("rfd_200", col(|m| m.rfd[2])),
                numbers("rfd_peak", col(|m| m.rfd_peak)),
                numbers("steadiness_cv", col(|m| m.steadiness_cv)),
                numbers("onsets", col(|m| m.onsets.len() as f64)),
            ],
        });
    }
    groups
}
