//! "At a glance": the findings of a recording in plain sentences for a physiotherapist,
//! each with its number and its reference — the weaker side and its LSI, the strength
//! ratio of each pair, co-contraction, the activations of each muscle, tremor alarms and
//! fatigue. The report opens with
//! them and `myobalance report` prints them.
//!
//! Built from the stored summary and events only, like the rest of the report.

use crate::montage::{Montage, OnsetMethod};
use crate::results::{EventKind, Results, SummaryGroup, SummaryValues};
use crate::store::StoredFile;

use super::html::escape;
use super::page::{Context, Section};

/// One finding: a sentence, and whether it is outside its reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub text: String,
    pub flagged: bool,
}

impl Finding {
    fn new(text: String, flagged: bool) -> Finding {
        Finding { text, flagged }
    }
}

/// The findings of `results`, in the order of the report: symmetry, strength,
/// co-contraction, activations, tremor, fatigue.
pub fn findings(results: &Results, montage: &Montage, duration_s: f64) -> Vec<Finding> {
    let mut out = Vec::new();
    symmetry(results, montage, &mut out);
    strength(results, montage, &mut out);
    cocontraction(results, &mut out);
    activations(results, &mut out);
    tremor(results, duration_s, &mut out);
    fatigue(results, &mut out);
    out
}

/// The findings of a stored file (none when it holds no analysis).
pub fn findings_of(stored: &StoredFile) -> Vec<Finding> {
    stored.results.as_ref().map_or(Vec::new(), |results| {
        let c = Context { stored, results };
        findings(results, c.montage(), c.duration_s())
    })
}

/// The section at the top of the report.
pub fn section(c: &Context) -> Section {
    let found = findings(c.results, c.montage(), c.duration_s());
    let mut body = String::from("<ul class=\"glance\">\n");
    for f in &found {
        let class = if f.flagged { " class=\"flag\"" } else { "" };
        body.push_str(&format!("<li{class}>{}</li>\n", escape(&f.text)));
    }
    if found.is_empty() {
        body.push_str("<li>No summary values to report.</li>\n");
    }
    body.push_str("</ul>\n");
    Section {
        id: "glance",
        title: "At a glance",
        body,
    }
}

fn column<'g>(g: &'g SummaryGroup, name: &str) -> impl Fn(usize) -> f64 + 'g {
    let values = g.numbers(name).unwrap_or(&[]);
    move |i| values.get(i).copied().unwrap_or(f64::NAN)
}

fn texts<'g>(g: &'g SummaryGroup, name: &str) -> impl Fn(usize) -> &'g str + 'g {
    let values: &'g [String] = g
        .columns
        .iter()
        .find_map(|(n, v)| match v {
            SummaryValues::Texts(t) if n == name => Some(t.as_slice()),
            _ => None,
        })
        .unwrap_or(&[]);
    move |i| values.get(i).map_or("", |s| s.as_str())
}

/// A signed number with a true minus sign.
fn signed(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}").replace('-', "−")
}

fn symmetry(r: &Results, montage: &Montage, out: &mut Vec<Finding>) {
    let Some(g) = r.summary("symmetry") else {
        return;
    };
    let (lsi, reference) = (column(g, "lsi_percent"), column(g, "reference"));
    let (weaker, measure) = (texts(g, "weaker"), texts(g, "measure"));
    for (i, name) in g.names.iter().enumerate() {
        let (lsi, weaker) = (lsi(i), weaker(i));
        if !lsi.is_finite() || weaker.is_empty() {
            continue;
        }
        let reference = Some(reference(i))
            .filter(|v| v.is_finite())
            .unwrap_or(montage.analysis.lsi_reference_pct);
        let stronger = if weaker == "left" { "right" } else { "left" };
        let what = match measure(i) {
            "mvc_500ms" | "agonist_mvc_500ms" => "strength",
            _ => "activation",
        };
        let text = if lsi < reference {
            format!(
                "{name}: {weaker} {:.0} % weaker than {stronger} ({what}): LSI {lsi:.0} %, reference ≥ {reference} %",
                100.0 - lsi
            )
        } else {
            format!(
                "{name}: symmetric ({what}): LSI {lsi:.0} %, {weaker} side lower, reference ≥ {reference} %"
            )
        };
        out.push(Finding::new(text, lsi < reference));
    }
}

fn strength(r: &Results, montage: &Montage, out: &mut Vec<Finding>) {
    let Some(g) = r.summary("strength") else {
        return;
    };
    let (ratio, reference) = (column(g, "ratio"), column(g, "reference"));
    for (i, name) in g.names.iter().enumerate() {
        let ratio = ratio(i);
        if !ratio.is_finite() {
            continue;
        }
        let muscles = montage
            .pairs
            .iter()
            .find(|p| &p.name == name)
            .map_or(String::new(), |p| {
                format!("{}:{} ", p.antagonist, p.agonist)
            });
        let reference = reference(i);
        let (tail, flagged) = if reference.is_finite() {
            (format!("reference ≥ {reference}"), ratio < reference)
        } else {
            ("no reference set".to_string(), false)
        };
        out.push(Finding::new(
            format!("{name}: strength ratio {muscles}{ratio:.2}, {tail}"),
            flagged,
        ));
    }
}

fn cocontraction(r: &Results, out: &mut Vec<Finding>) {
    let Some(g) = r.summary("cocontraction") else {
        return;
    };
    let fw = column(g, "fw_mean");
    for (i, name) in g.names.iter().enumerate() {
        if fw(i).is_finite() {
            out.push(Finding::new(
                format!(
                    "{name}: co-contraction {:.0} % (Falconer–Winter, mean over the recording)",
                    fw(i)
                ),
                false,
            ));
        }
    }
}

/// One line: each EMG channel's activations by the driving onset detector, their mean
/// duration and the time under tension.
fn activations(r: &Results, out: &mut Vec<Finding>) {
    let Some(g) = r.summary("onsets") else {
        return;
    };
    let (count, mean, total) = (
        column(g, "activations"),
        column(g, "mean_active_s"),
        column(g, "time_under_tension_s"),
    );
    let parts: Vec<String> = g
        .names
        .iter()
        .enumerate()
        .filter(|&(i, _)| count(i).is_finite())
        .map(|(i, name)| match count(i) as usize {
            0 => format!("{name} none"),
            n => format!(
                "{name} {n} (mean {:.1} s, {:.0} s under tension)",
                mean(i),
                total(i)
            ),
        })
        .collect();
    if !parts.is_empty() {
        out.push(Finding::new(
            format!(
                "Activations ({} onsets): {}",
                OnsetMethod::parse(texts(g, "method")(0)).map_or("EMG", |m| m.label()),
                parts.join("; ")
            ),
            false,
        ));
    }
}

fn tremor(r: &Results, duration_s: f64, out: &mut Vec<Finding>) {
    let Some(g) = r.summary("tremor") else {
        return;
    };
    let starts: Vec<_> = r
        .events
        .iter()
        .filter(|e| e.kind == EventKind::TremorAlarmStart)
        .collect();
    if starts.is_empty() {
        out.push(Finding::new("No tremor alarm".into(), false));
        return;
    }
    let alarm_s = column(g, "alarm_seconds");
    let seconds: f64 = (0..g.names.len())
        .map(&alarm_s)
        .filter(|v| v.is_finite())
        .sum();
    let peaks: Vec<f64> = starts
        .iter()
        .map(|e| e.value)
        .filter(|v| v.is_finite())
        .collect();
    let peak = if peaks.is_empty() {
        String::new()
    } else {
        format!(", {:.1} Hz", peaks.iter().sum::<f64>() / peaks.len() as f64)
    };
    let first = starts
        .iter()
        .map(|e| e.time_s)
        .fold(f64::INFINITY, f64::min);
    let mut channels: Vec<&str> = starts.iter().map(|e| e.channel.as_str()).collect();
    channels.sort_unstable();
    channels.dedup();
    out.push(Finding::new(
        format!(
            "Tremor alarms {} ({seconds:.0} s){peak}, the first at {first:.0} s of {duration_s:.0} s, on {}",
            starts.len(),
            channels.join(", ")
        ),
        true,
    ));
}

fn fatigue(r: &Results, out: &mut Vec<Finding>) {
    let Some(g) = r.summary("fatigue") else {
        return;
    };
    let (slope, r2, epochs) = (
        column(g, "mdf_slope_pct_per_s"),
        column(g, "r2"),
        column(g, "active_epochs"),
    );
    let steepest = (0..g.names.len())
        .filter(|&i| slope(i).is_finite())
        .min_by(|&a, &b| slope(a).total_cmp(&slope(b)));
    let text = match steepest {
        Some(i) => format!(
            "Fatigue: median frequency {} %/s on {} (r² {:.2}, {:.0} active epochs)",
            signed(slope(i), 2),
            g.names[i],
            r2(i),
            epochs(i)
        ),
        None => "Fatigue: too few active epochs to fit a median-frequency line".into(),
    };
    out.push(Finding::new(text, false));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_read_plainly() {
        assert_eq!(signed(-0.5, 2), "−0.50");
        assert_eq!(signed(0.25, 1), "0.2");
    }
}
