//! The summary of a run (`/summary`), one function per group: mean activation, the fatigue
//! line over active epochs, activations of the driving onset detector, mean co-contraction, symmetry of each bilateral pair against
//! the LSI reference, tremor over the whole recording, the force metrics, and the
//! agonist/antagonist strength ratio of each pair with force channels.

use super::{numbers, Collected, MIN_FATIGUE_EPOCHS};
use crate::features::force::ForceMetrics;
use crate::features::line_fit::fit_line;
use crate::features::onsets::activations;
use crate::features::strength::{flag, Strength};
use crate::features::symmetry::symmetry;
use crate::features::tremor::TremorRow;
use crate::montage::{Kind, StrengthSource};
use crate::results::{GroupId, SummaryGroup, SummaryValues};

/// Every summary group the run has.
pub fn summary(c: &Collected, emg_names: &[String], mvc: &[Option<f64>]) -> Vec<SummaryGroup> {
    let means = EmgMeans::of(c, mvc);
    let strengths: Vec<StrengthRow> = strengths(c).collect();
    let mut groups = Vec::new();
    if !c.emg.is_empty() {
        groups.push(activation(emg_names, &means));
        groups.push(fatigue(c, emg_names));
        groups.push(onsets(c, emg_names));
    }
    if !c.pairs.is_empty() {
        groups.push(cocontraction(c));
    }
    if !c.plan.bilateral.is_empty() {
        groups.push(symmetry_group(c, &means, &strengths));
    }
    if !c.tremor.is_empty() {
        groups.push(tremor(c));
    }
    if !c.force.is_empty() {
        groups.push(force(c));
    }
    if !strengths.is_empty() {
        groups.push(strength(&strengths));
    }
    groups
}

/// The force metrics of the channel called `name`.
fn force_of<'c>(c: &'c Collected, name: &str) -> Option<&'c ForceMetrics> {
    let i = c.plan.montage.channel_index(name)?;
    c.force.iter().find(|(j, _)| *j == i).map(|(_, m)| m)
}

/// One row of `/summary/strength`.
struct StrengthRow<'c> {
    pair: &'c str,
    /// The pair's signed torque channel, if its strength comes from one.
    torque: Option<&'c str>,
    reference: f64,
    strength: Strength,
}

/// The strength of each pair that names force channels (every value NaN when a channel
/// has no metrics).
fn strengths<'c>(c: &'c Collected) -> impl Iterator<Item = StrengthRow<'c>> {
    c.plan.montage.pairs.iter().filter_map(|p| {
        let source = p.strength_source()?;
        let strength = match source {
            StrengthSource::Torque { torque, direction } => {
                force_of(c, torque).map(|m| Strength::from_torque(m, direction))
            }
            StrengthSource::OneWay {
                agonist,
                antagonist,
            } => force_of(c, agonist)
                .zip(force_of(c, antagonist))
                .map(|(a, b)| Strength::from_one_way(a, b)),
        };
        let nan = f64::NAN;
        let strength = strength.unwrap_or(Strength {
            agonist: nan,
            antagonist: nan,
            ratio: nan,
        });
        Some(StrengthRow {
            pair: p.name.as_str(),
            torque: match source {
                StrengthSource::Torque { torque, .. } => Some(torque),
                StrengthSource::OneWay { .. } => None,
            },
            reference: p.strength_ratio_reference.unwrap_or(f64::NAN),
            strength,
        })
    })
}

/// Per pair with force channels (METHODS.md E): the best 500 ms mean in each direction,
/// their ratio antagonist/agonist, its reference and whether it is below it.
fn strength(rows: &[StrengthRow]) -> SummaryGroup {
    let col = |f: fn(&StrengthRow) -> f64| -> Vec<f64> { rows.iter().map(f).collect() };
    SummaryGroup {
        name: "strength".into(),
        names: rows.iter().map(|r| r.pair.to_string()).collect(),
        columns: vec![
            numbers("agonist_mvc_500ms", col(|r| r.strength.agonist)),
            numbers("antagonist_mvc_500ms", col(|r| r.strength.antagonist)),
            numbers("ratio", col(|r| r.strength.ratio)),
            numbers("reference", col(|r| r.reference)),
            numbers("flagged", col(|r| flag(r.strength.ratio, r.reference))),
        ],
    }
}

/// Mean activation per EMG channel over the recording: RMS, and %MVC where there is one.
struct EmgMeans {
    rms: Vec<f64>,
    pct_mvc: Vec<f64>,
}

impl EmgMeans {
    fn of(c: &Collected, mvc: &[Option<f64>]) -> EmgMeans {
        let rms: Vec<f64> = c
            .emg
            .iter()
            .map(|(_, o)| o.windows.rms_mean.mean())
            .collect();
        let pct_mvc = rms
            .iter()
            .zip(mvc)
            .map(|(r, m)| m.map_or(f64::NAN, |m| 100.0 * r / m))
            .collect();
        EmgMeans { rms, pct_mvc }
    }
}

fn activation(emg_names: &[String], means: &EmgMeans) -> SummaryGroup {
    SummaryGroup {
        name: GroupId::Activation.as_str().into(),
        names: emg_names.to_vec(),
        columns: vec![
            numbers("rms_mean", means.rms.clone()),
            numbers("pct_mvc_mean", means.pct_mvc.clone()),
        ],
    }
}

/// The least-squares line through the median frequency of the active epochs (METHODS.md
/// D), per EMG channel.
fn fatigue(c: &Collected, emg_names: &[String]) -> SummaryGroup {
    let mut columns: [Vec<f64>; 5] = Default::default();
    for (_, o) in &c.emg {
        let (times, mdf): (Vec<f64>, Vec<f64>) = o.windows.active_epochs.iter().copied().unzip();
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
    SummaryGroup {
        name: GroupId::Fatigue.as_str().into(),
        names: emg_names.to_vec(),
        columns: vec![
            numbers("mdf_initial_hz", initial),
            numbers("mdf_slope_hz_per_s", slope),
            numbers("mdf_slope_pct_per_s", pct),
            numbers("r2", r2),
            numbers("active_epochs", epochs),
        ],
    }
}

/// Per EMG channel, from the detector `[analysis] onset_method` names: the number of
/// activations, their mean duration and their total ("time under tension"), in seconds.
fn onsets(c: &Collected, emg_names: &[String]) -> SummaryGroup {
    let method = c.plan.onset.method;
    let fs = c.plan.sample_rate_hz;
    let mut columns: [Vec<f64>; 3] = Default::default();
    for (_, o) in &c.emg {
        let spans = activations(o.onsets.of(method), o.onsets.samples);
        let total = spans.iter().map(|(a, b)| (b - a) as f64).sum::<f64>() / fs;
        let n = spans.len() as f64;
        for (col, v) in
            columns
                .iter_mut()
                .zip([n, if n > 0.0 { total / n } else { f64::NAN }, total])
        {
            col.push(v);
        }
    }
    let [count, mean, total] = columns;
    SummaryGroup {
        name: "onsets".into(),
        names: emg_names.to_vec(),
        columns: vec![
            (
                "method".into(),
                SummaryValues::Texts(vec![method.as_str().to_string(); emg_names.len()]),
            ),
            numbers("activations", count),
            numbers("mean_active_s", mean),
            numbers("time_under_tension_s", total),
        ],
    }
}

fn cocontraction(c: &Collected) -> SummaryGroup {
    SummaryGroup {
        name: GroupId::Cocontraction.as_str().into(),
        names: c.plan.pairs.iter().map(|p| p.name.clone()).collect(),
        columns: vec![
            numbers(
                "fw_mean",
                c.pairs.iter().map(|p| p.fw_mean.mean()).collect(),
            ),
            numbers(
                "rudolph_mean",
                c.pairs.iter().map(|p| p.rudolph_mean.mean()).collect(),
            ),
        ],
    }
}

/// Per bilateral pair: EMG in %MVC when both sides have an MVC reference, else in RMS;
/// force by its best 500 ms mean — for the torque channels of pairs, the best hold in the
/// agonist's direction (a signed channel's other direction is the antagonist's). The LSI
/// is flagged below `[analysis] lsi_reference_pct`.
fn symmetry_group(c: &Collected, means: &EmgMeans, strengths: &[StrengthRow]) -> SummaryGroup {
    let plan = c.plan;
    let torque_agonist = |name: &str| -> Option<f64> {
        strengths
            .iter()
            .find(|r| r.torque == Some(name))
            .map(|r| r.strength.agonist)
    };
    let is_torque = |i: usize| torque_agonist(&plan.montage.channels[i].name).is_some();
    let emg_position = |i: usize| c.emg.iter().position(|(j, _)| *j == i);
    let (mut si, mut lsi, mut weaker, mut measure) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for b in &plan.bilateral {
        let both_mvc = plan.mvc(b.first).is_some() && plan.mvc(b.second).is_some();
        // Both sides in the same measure: the agonist's hold only when both are torques.
        let torques = is_torque(b.first) && is_torque(b.second);
        let value = |i: usize| -> f64 {
            match plan.montage.channels[i].kind {
                Kind::Emg => emg_position(i).map_or(f64::NAN, |k| {
                    if both_mvc {
                        means.pct_mvc[k]
                    } else {
                        means.rms[k]
                    }
                }),
                Kind::Force if torques => {
                    torque_agonist(&plan.montage.channels[i].name).unwrap_or(f64::NAN)
                }
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
            Kind::Force if torques => "agonist_mvc_500ms",
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
    let reference = plan.montage.analysis.lsi_reference_pct;
    let flagged = lsi.iter().map(|&v| flag(v, reference)).collect();
    SummaryGroup {
        name: "symmetry".into(),
        names: plan.bilateral.iter().map(|b| b.name.clone()).collect(),
        columns: vec![
            numbers("si_percent", si),
            numbers("lsi_percent", lsi),
            numbers("reference", vec![reference; plan.bilateral.len()]),
            numbers("flagged", flagged),
            ("weaker".into(), SummaryValues::Texts(weaker)),
            ("measure".into(), SummaryValues::Texts(measure)),
        ],
    }
}

/// Welch over the whole of each tremor channel, and the seconds its alarm was on.
fn tremor(c: &Collected) -> SummaryGroup {
    let plan = c.plan;
    let hop_s = plan.tremor.windows.hop as f64 / plan.sample_rate_hz;
    let whole: Vec<_> = c.tremor.iter().map(|(_, t)| t.tracker.summary()).collect();
    let get = |f: fn(&TremorRow) -> f64| -> Vec<f64> {
        whole
            .iter()
            .map(|w| w.as_ref().map_or(f64::NAN, f))
            .collect()
    };
    SummaryGroup {
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
    }
}

fn force(c: &Collected) -> SummaryGroup {
    let col = |f: fn(&ForceMetrics) -> f64| c.force.iter().map(|(_, m)| f(m)).collect::<Vec<f64>>();
    SummaryGroup {
        name: "force".into(),
        names: c
            .force
            .iter()
            .map(|(i, _)| c.plan.montage.channels[*i].name.clone())
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
    }
}
