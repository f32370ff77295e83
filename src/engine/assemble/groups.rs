//! The feature groups of format v1, one function each: their rows after a given row
//! (all rows for a whole run, the new ones for a live one), columns and parameters.

use super::{emg_names, seconds, span, table, text, Collected, RowCounts};
use crate::engine::Filtering;
use crate::results::{AttrValue, FeatureGroup, GroupId, TableId};

/// The feature groups with their rows after `from` (all rows when `from` is zero). Every
/// group the run computes is returned, with its columns and parameters, even when it has
/// no new rows.
pub fn feature_groups(c: &Collected, from: RowCounts) -> Vec<FeatureGroup> {
    let mut groups = Vec::new();
    if !c.emg.is_empty() {
        groups.push(activation(c, from.activation));
        groups.push(fatigue(c, from.fatigue));
    }
    if !c.pairs.is_empty() {
        groups.push(cocontraction(c, from.cocontraction));
    }
    if !c.tremor.is_empty() {
        groups.push(tremor(c, from.tremor));
    }
    groups
}

/// `/features/activation`: RMS and %MVC per EMG channel and RMS window.
fn activation(c: &Collected, from: usize) -> FeatureGroup {
    let plan = c.plan;
    let causal = AttrValue::Bool(plan.filtering == Filtering::Causal);
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
    let rows = c
        .emg
        .iter()
        .map(|(_, o)| o.windows.rms_rows.len())
        .min()
        .unwrap_or(0);
    let rows = span(from, rows);
    let rms = |r: usize, k: usize| c.emg[k].1.windows.rms_rows[r];
    FeatureGroup {
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
    }
}

/// `/features/fatigue`: median and mean frequency per EMG channel and epoch.
fn fatigue(c: &Collected, from: usize) -> FeatureGroup {
    let plan = c.plan;
    let causal = AttrValue::Bool(plan.filtering == Filtering::Causal);
    let emg_names = emg_names(c);
    let rows = c
        .emg
        .iter()
        .map(|(_, o)| o.windows.fatigue_rows.len())
        .min()
        .unwrap_or(0);
    let rows = span(from, rows);
    let row = |r: usize, k: usize| c.emg[k].1.windows.fatigue_rows[r];
    FeatureGroup {
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
    }
}

/// `/features/cocontraction`: Falconer–Winter and Rudolph indices per pair and window.
fn cocontraction(c: &Collected, from: usize) -> FeatureGroup {
    let plan = c.plan;
    let causal = AttrValue::Bool(plan.filtering == Filtering::Causal);
    let names: Vec<String> = plan.pairs.iter().map(|p| p.name.clone()).collect();
    let rows = c.pairs.iter().map(|p| p.rows.len()).min().unwrap_or(0);
    let rows = span(from, rows);
    FeatureGroup {
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
    }
}

/// `/features/tremor`: band power, relative power and peak per tremor channel and window.
fn tremor(c: &Collected, from: usize) -> FeatureGroup {
    let plan = c.plan;
    let causal = AttrValue::Bool(plan.filtering == Filtering::Causal);
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
    let rows = span(from, rows);
    let row = |r: usize, k: usize| c.tremor[k].1.rows[r].1;
    FeatureGroup {
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
    }
}
