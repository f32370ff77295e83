//! The zero-phase engine: whole channels filtered forward and backward, then the same
//! windowed features as the streaming engine. Channels run in parallel.

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::dsp::error::DspError;
use crate::features::force::ForceMetrics;
use crate::montage::Kind;
use crate::results::{Event, Results};

use super::assemble::{assemble, Collected};
use super::emg::{emg_zero_phase, EmgOutput, TremorPart};
use super::mechanical::mechanical_zero_phase;
use super::pairs::PairCci;
use super::plan::Plan;

enum Output {
    Emg(Box<EmgOutput>, Vec<f64>),
    Mechanical(Box<TremorPart>, Option<ForceMetrics>),
    Ignored,
}

fn channel(plan: &Plan, samples: ArrayView2<f32>, i: usize) -> Result<Output, DspError> {
    let x: Vec<f64> = samples.column(i).iter().map(|v| f64::from(*v)).collect();
    Ok(match plan.montage.channels[i].kind {
        Kind::Emg => {
            let (out, envelope) = emg_zero_phase(plan, i, &x)?;
            Output::Emg(Box::new(out), envelope)
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
    })
}

/// Zero-phase analysis of `samples` (rows × montage channels).
pub fn analyze_zero_phase(
    plan: &Plan,
    samples: ArrayView2<f32>,
    gaps: &[[i64; 2]],
    parallel: bool,
) -> Result<Results, DspError> {
    let n = plan.montage.channels.len();
    let outputs: Vec<Output> = if parallel {
        (0..n)
            .into_par_iter()
            .map(|i| channel(plan, samples, i))
            .collect::<Result<_, _>>()?
    } else {
        (0..n)
            .map(|i| channel(plan, samples, i))
            .collect::<Result<_, _>>()?
    };
    let mut pairs: Vec<PairCci> = Vec::new();
    for p in &plan.pairs {
        let both = plan.mvc(p.first).is_some() && plan.mvc(p.second).is_some();
        let mut cci = PairCci::new(
            plan.cci,
            both.then_some(plan.montage.analysis.inactive_pct_mvc),
        );
        if let (Output::Emg(_, a), Output::Emg(_, b)) = (&outputs[p.first], &outputs[p.second]) {
            cci.push(a, b);
        }
        pairs.push(cci);
    }
    let mut emg = Vec::new();
    let mut force = Vec::new();
    let mut tremor = Vec::new();
    for (i, o) in outputs.iter().enumerate() {
        match o {
            Output::Emg(e, _) => emg.push((i, e.as_ref())),
            Output::Mechanical(_, Some(m)) => force.push((i, m.clone())),
            _ => {}
        }
    }
    for &i in &plan.tremor_channels {
        match &outputs[i] {
            Output::Emg(e, _) => tremor.push((i, &e.tremor)),
            Output::Mechanical(t, _) => tremor.push((i, t.as_ref())),
            Output::Ignored => {}
        }
    }
    let markers: Vec<Event> = Vec::new();
    Ok(assemble(Collected {
        plan,
        emg,
        tremor,
        force,
        pairs: &pairs,
        gaps,
        markers: &markers,
    }))
}
