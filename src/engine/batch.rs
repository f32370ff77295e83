//! The zero-phase engine: whole channels filtered forward and backward, then the same
//! windowed features as the streaming engine.
//!
//! Work is split into groups of channels linked by agonist/antagonist pairs (a pair's two
//! channels, or a lone channel). Groups run in parallel; a channel's envelope lives only
//! until its group's co-contraction is computed, so memory stays near a few channels'
//! worth whatever the montage's size.

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::dsp::error::DspError;
use crate::features::force::ForceMetrics;
use crate::montage::Kind;
use crate::recording::Gap;
use crate::results::{Event, Results};

use super::assemble::{assemble, Collected, RowCounts};
use super::emg::{emg_zero_phase, EmgOutput, TremorPart};
use super::mechanical::mechanical_zero_phase;
use super::pairs::PairCci;
use super::plan::{Plan, Threads};

enum Output {
    Emg(Box<EmgOutput>),
    Mechanical(Box<TremorPart>, Option<ForceMetrics>),
    Ignored,
}

/// Channels linked by pairs, each channel in one group, groups in the order of their first
/// channel.
fn groups(plan: &Plan) -> Vec<Vec<usize>> {
    let n = plan.montage.channels.len();
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while root[r] != r {
            r = root[r];
        }
        root[i] = r;
        r
    }
    for p in &plan.pairs {
        let (a, b) = (find(&mut root, p.first), find(&mut root, p.second));
        root[a.max(b)] = a.min(b);
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of = vec![usize::MAX; n];
    for i in 0..n {
        let r = find(&mut root, i);
        if group_of[r] == usize::MAX {
            group_of[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[group_of[r]].push(i);
    }
    groups
}

type GroupResult = (Vec<(usize, Output)>, Vec<(usize, PairCci)>);

fn run_group(
    plan: &Plan,
    samples: ArrayView2<f32>,
    group: &[usize],
) -> Result<GroupResult, DspError> {
    let mut outputs = Vec::with_capacity(group.len());
    let mut envelopes: Vec<(usize, Vec<f64>)> = Vec::new();
    for &i in group {
        let x: Vec<f64> = samples.column(i).iter().map(|v| f64::from(*v)).collect();
        let output = match plan.montage.channels[i].kind {
            Kind::Emg => {
                let (out, envelope) = emg_zero_phase(plan, i, x)?;
                if plan.pairs.iter().any(|p| p.first == i || p.second == i) {
                    envelopes.push((i, envelope));
                }
                Output::Emg(Box::new(out))
            }
            Kind::Force => {
                let (t, m) = mechanical_zero_phase(plan, &x, true)?;
                Output::Mechanical(Box::new(t), m)
            }
            Kind::Accel => {
                let (t, m) = mechanical_zero_phase(plan, &x, false)?;
                Output::Mechanical(Box::new(t), m)
            }
            Kind::Other => Output::Ignored,
        };
        outputs.push((i, output));
    }
    let envelope = |i: usize| {
        envelopes
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, e)| e.as_slice())
    };
    let mut pairs = Vec::new();
    for (k, p) in plan
        .pairs
        .iter()
        .enumerate()
        .filter(|(_, p)| group.contains(&p.first))
    {
        let both = plan.mvc(p.first).is_some() && plan.mvc(p.second).is_some();
        let mut cci = PairCci::new(
            plan.cci,
            both.then_some(plan.montage.analysis.inactive_pct_mvc),
        );
        if let (Some(a), Some(b)) = (envelope(p.first), envelope(p.second)) {
            cci.push(a, b);
        }
        pairs.push((k, cci));
    }
    Ok((outputs, pairs))
}

/// Zero-phase analysis of `samples` (rows × montage channels).
pub fn analyze_zero_phase(
    plan: &Plan,
    samples: ArrayView2<f32>,
    gaps: &[Gap],
    threads: Threads,
) -> Result<Results, DspError> {
    let groups = groups(plan);
    let done: Vec<GroupResult> = if threads == Threads::Pool {
        groups
            .par_iter()
            .map(|g| run_group(plan, samples, g))
            .collect::<Result<_, _>>()?
    } else {
        groups
            .iter()
            .map(|g| run_group(plan, samples, g))
            .collect::<Result<_, _>>()?
    };
    let mut outputs: Vec<(usize, Output)> = Vec::new();
    let mut pairs: Vec<(usize, PairCci)> = Vec::new();
    for (o, p) in done {
        outputs.extend(o);
        pairs.extend(p);
    }
    outputs.sort_by_key(|(i, _)| *i);
    pairs.sort_by_key(|(k, _)| *k);
    let pairs: Vec<PairCci> = pairs.into_iter().map(|(_, p)| p).collect();

    let mut emg = Vec::new();
    let mut force = Vec::new();
    let mut tremor = Vec::new();
    for (i, o) in &outputs {
        match o {
            Output::Emg(e) => emg.push((*i, e.as_ref())),
            Output::Mechanical(_, Some(m)) => force.push((*i, m.clone())),
            _ => {}
        }
    }
    for &i in &plan.tremor_channels {
        match &outputs[i].1 {
            Output::Emg(e) => tremor.push((i, &e.tremor)),
            Output::Mechanical(t, _) => tremor.push((i, t.as_ref())),
            Output::Ignored => {}
        }
    }
    let markers: Vec<Event> = Vec::new();
    Ok(assemble(
        Collected {
            plan,
            emg,
            tremor,
            force,
            pairs: &pairs,
            gaps,
            markers: &markers,
        },
        RowCounts::default(),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn pairs_link_channels_into_groups() {
        let rec = crate::sim::simulate(&crate::sim::SimSettings::new(1.0, 1000.0, 1)).unwrap();
        let plan = super::Plan::new(&rec.montage, super::super::Filtering::ZeroPhase).unwrap();
        // biceps_l/triceps_l, biceps_r/triceps_r, then the two force channels alone.
        assert_eq!(
            super::groups(&plan),
            vec![vec![0, 1], vec![2, 3], vec![4], vec![5]]
        );
    }
}
