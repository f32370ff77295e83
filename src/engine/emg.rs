//! One EMG channel: the band-passed signal y and everything computed from it — activation
//! RMS, fatigue epochs (MDF, MNF), tremor of |y| with its alarm, the linear envelope (for
//! co-contraction) and the onsets of the three detectors (the chain of each mode is one
//! struct: [`OnsetCausal`], [`OnsetOffline`](super::onset_offline::OnsetOffline)).
//!
//! The windowed features run on blocks of y of any size (the same code for both modes);
//! only the filtering in front of them differs: causal ([`EmgCausal`]) or zero-phase
//! ([`EmgZeroPhase`](super::emg_zero_phase::EmgZeroPhase)), both block by block.

use crate::dsp::error::DspError;
use crate::dsp::rms::rms;
use crate::dsp::running_dft::RunningDft;
use crate::dsp::sosfilt::SosFilter;
use crate::dsp::spectral::{mean_frequency, median_frequency};
use crate::dsp::welch::{Detrend, Welch};
use crate::dsp::windows::WindowSpec;
use crate::features::alarm::{AlarmChange, AlarmTracker};
use crate::features::stats::FiniteMean;
use crate::features::tremor::{TremorRow, TremorTracker};

use super::onset_causal::OnsetCausal;
use super::onset_detectors::Onsets;
use super::plan::{Plan, AUTO_NOTCH_S};
use super::rows::Rows;
use super::windows::WindowStream;

/// One fatigue epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FatigueRow {
    pub mdf_hz: f64,
    pub mnf_hz: f64,
    /// RMS of y over the epoch (decides whether the epoch is active).
    pub rms: f64,
}

/// Tremor rows and alarm changes of one channel.
pub struct TremorPart {
    pub tracker: TremorTracker,
    pub alarm: AlarmTracker,
    pub rows: Rows<(f64, TremorRow)>,
    /// The rows of the current push (reused).
    fresh: Vec<(f64, TremorRow)>,
    pub changes: Vec<(f64, AlarmChange)>,
}

impl TremorPart {
    pub fn new(plan: &Plan) -> Result<TremorPart, DspError> {
        Ok(TremorPart {
            tracker: TremorTracker::new(plan.tremor.clone())?,
            alarm: AlarmTracker::new(plan.alarm),
            rows: Rows::default(),
            fresh: Vec::new(),
            changes: Vec::new(),
        })
    }

    /// Feeds the tremor input (force, acceleration, or |y|).
    pub fn push(&mut self, x: &[f64]) {
        self.fresh.clear();
        self.tracker.push(x, &mut self.fresh);
        for &(time, row) in &self.fresh {
            if let Some(change) = self.alarm.update(&row) {
                self.changes.push((time, change));
            }
            self.rows.push((time, row));
        }
    }
}

/// Features of y computed window by window, and the running totals the summary needs.
pub struct EmgWindows {
    rms: WindowStream,
    fatigue: WindowStream,
    periodogram: Welch,
    psd: Vec<f64>,
    /// Causal runs: epoch spectra built up as samples arrive, and those whose epoch the
    /// window cutter has not handed over yet.
    running: Option<RunningDft>,
    ready: std::collections::VecDeque<Vec<f64>>,
    /// Spectra handed over, kept for reuse (a live recorder allocates nothing per epoch).
    spare: Vec<Vec<f64>>,
    band_hz: [f64; 2],
    pub rms_rows: Rows<f64>,
    pub fatigue_rows: Rows<FatigueRow>,
    /// Mean RMS over every window.
    pub rms_mean: FiniteMean,
    /// `(epoch centre, MDF)` of the active epochs: those with an MDF and, with an MVC
    /// reference, RMS at or above the fatigue threshold (METHODS.md D).
    pub active_epochs: Vec<(f64, f64)>,
    /// The activity rule: the channel's MVC and the threshold in %MVC.
    mvc: Option<f64>,
    min_pct_mvc: f64,
    epochs: WindowSpec,
}

impl EmgWindows {
    pub fn new(plan: &Plan, channel: usize) -> Result<EmgWindows, DspError> {
        let periodogram =
            Welch::periodogram(plan.fatigue.window, Detrend::Constant, plan.sample_rate_hz)?;
        Ok(EmgWindows {
            rms: WindowStream::new(plan.rms),
            fatigue: WindowStream::new(plan.fatigue),
            psd: vec![0.0; periodogram.bins()],
            periodogram,
            running: plan.fatigue_running.clone().map(RunningDft::new),
            ready: std::collections::VecDeque::new(),
            spare: Vec::new(),
            band_hz: plan.band_hz,
            rms_rows: Rows::default(),
            fatigue_rows: Rows::default(),
            rms_mean: FiniteMean::default(),
            active_epochs: Vec::new(),
            mvc: plan.mvc(channel),
            min_pct_mvc: plan.montage.analysis.fatigue_min_pct_mvc,
            epochs: plan.fatigue,
        })
    }

    pub fn push(&mut self, y: &[f64]) {
        let (rows, mean) = (&mut self.rms_rows, &mut self.rms_mean);
        self.rms.push(y, |_, w| {
            let v = rms(w);
            mean.add(v);
            rows.push(v);
        });
        if let Some(running) = &mut self.running {
            let (ready, spare) = (&mut self.ready, &mut self.spare);
            running.push(y, |_, d| {
                let mut kept = spare.pop().unwrap_or_default();
                kept.clear();
                kept.extend_from_slice(d);
                ready.push_back(kept);
            });
        }
        let (p, psd, band, rows, active, ready, spare) = (
            &mut self.periodogram,
            &mut self.psd,
            self.band_hz,
            &mut self.fatigue_rows,
            &mut self.active_epochs,
            &mut self.ready,
            &mut self.spare,
        );
        let (mvc, min_pct, epochs) = (self.mvc, self.min_pct_mvc, self.epochs);
        self.fatigue.push(y, |_, w| {
            // The epoch's spectrum was built up as its samples came (causal), or is
            // computed now.
            match ready.pop_front() {
                Some(mut d) => {
                    std::mem::swap(psd, &mut d);
                    spare.push(d);
                }
                None => {
                    psd.resize(p.bins(), 0.0);
                    p.psd(w, psd);
                }
            }
            let df = p.resolution_hz();
            let row = FatigueRow {
                mdf_hz: median_frequency(psd, df, band[0], band[1]),
                mnf_hz: mean_frequency(psd, df, band[0], band[1]),
                rms: rms(w),
            };
            let is_active =
                row.mdf_hz.is_finite() && mvc.is_none_or(|m| 100.0 * row.rms / m >= min_pct);
            if is_active {
                active.push((epochs.centre_s(rows.len()), row.mdf_hz));
            }
            rows.push(row);
        });
    }

    /// Forgets the rows before `activation` and `fatigue` (handed on already).
    pub fn forget_before(&mut self, activation: usize, fatigue: usize) {
        self.rms_rows.forget_before(activation);
        self.fatigue_rows.forget_before(fatigue);
    }
}

/// Raw samples of an EMG channel held back until the notch decision, which both modes
/// make on the first [`AUTO_NOTCH_S`] (`notch = "auto"`), so live and `--causal` decide
/// alike.
#[derive(Debug, Default)]
pub(super) struct NotchHold(Vec<f64>);

impl NotchHold {
    /// Holds `x`; once the first [`AUTO_NOTCH_S`] have come, or at the end (`last`), hands
    /// back every sample held and whether the channel is to be notched.
    pub(super) fn hold(&mut self, plan: &Plan, x: &[f64], last: bool) -> Option<(Vec<f64>, bool)> {
        self.0.extend_from_slice(x);
        let needed = (AUTO_NOTCH_S * plan.sample_rate_hz).round() as usize;
        if self.0.len() < needed && !last {
            return None;
        }
        let held = std::mem::take(&mut self.0);
        let wanted = plan.notch_wanted(&held[..needed.min(held.len())]);
        Some((held, wanted))
    }
}

/// Everything one EMG channel produced.
pub struct EmgOutput {
    pub windows: EmgWindows,
    pub tremor: TremorPart,
    pub onsets: Onsets,
    pub notched: bool,
}

/// Scale of the envelope: %MVC when the channel has an MVC reference.
pub(super) fn envelope_scale(plan: &Plan, channel: usize) -> f64 {
    plan.mvc(channel).map_or(1.0, |m| 100.0 / m)
}

/// Causal, streaming processing of one EMG channel.
pub struct EmgCausal {
    channel: usize,
    /// Raw samples held back until the notch decision (`notch = "auto"`).
    undecided: Option<NotchHold>,
    notch: Option<SosFilter>,
    bandpass: SosFilter,
    envelope: SosFilter,
    onset: OnsetCausal,
    pub output: EmgOutput,
    started: bool,
    y: Vec<f64>,
    work: Vec<f64>,
}

impl EmgCausal {
    pub fn new(plan: &Plan, channel: usize) -> Result<EmgCausal, DspError> {
        let auto = plan.montage.analysis.notch == crate::montage::NotchMode::Auto;
        let notch = match plan.notch {
            Some(section) if !auto && plan.notch_wanted(&[]) => {
                Some(SosFilter::new(&[section], 1)?)
            }
            _ => None,
        };
        Ok(EmgCausal {
            channel,
            undecided: auto.then(NotchHold::default),
            output: EmgOutput {
                windows: EmgWindows::new(plan, channel)?,
                tremor: TremorPart::new(plan)?,
                onsets: Onsets::default(),
                notched: notch.is_some(),
            },
            notch,
            bandpass: SosFilter::new(&plan.bandpass, 1)?,
            envelope: SosFilter::new(&plan.envelope, 1)?,
            onset: OnsetCausal::new(&plan.onset)?,
            started: false,
            y: Vec::new(),
            work: Vec::new(),
        })
    }

    /// Feeds raw samples; appends the envelope of every sample processed to `envelope`.
    /// With `notch = "auto"` the first seconds wait for the notch decision, so the
    /// envelope may come later than the samples (the same delay on every channel).
    pub fn push(&mut self, plan: &Plan, x: &[f64], envelope: &mut Vec<f64>) {
        self.take(plan, x, false, envelope);
    }

    /// Processes whatever is still held back (end of the recording).
    pub fn finish(&mut self, plan: &Plan, envelope: &mut Vec<f64>) {
        if self.undecided.is_some() {
            self.take(plan, &[], true, envelope);
        }
    }

    fn take(&mut self, plan: &Plan, x: &[f64], last: bool, envelope: &mut Vec<f64>) {
        let Some(hold) = &mut self.undecided else {
            self.process(plan, x, envelope);
            return;
        };
        let Some((held, wanted)) = hold.hold(plan, x, last) else {
            return;
        };
        self.undecided = None;
        if wanted {
            // The notch's section was validated when the plan was made.
            self.notch = plan
                .notch
                .and_then(|section| SosFilter::new(&[section], 1).ok());
            self.output.notched = self.notch.is_some();
        }
        self.process(plan, &held, envelope);
    }

    fn process(&mut self, plan: &Plan, x: &[f64], envelope: &mut Vec<f64>) {
        if !self.started {
            // Start as if the first sample had always been there: a DC offset (electrodes,
            // ADC mid-scale) then causes no start-up transient.
            if let Some(&first) = x.first() {
                self.bandpass.settle_on(&[first]);
                if let Some(n) = &mut self.notch {
                    n.settle_on(&[first]);
                }
                self.started = true;
            }
        }
        self.y.clear();
        self.y.extend_from_slice(x);
        if let Some(n) = &mut self.notch {
            n.process_in_place(&mut self.y);
        }
        self.bandpass.process_in_place(&mut self.y);
        self.output.windows.push(&self.y);
        self.onset
            .push(&plan.onset, &self.y, &mut self.output.onsets);

        self.work.clear();
        self.work.extend(self.y.iter().map(|v| v.abs()));
        self.output.tremor.push(&self.work);

        let start = envelope.len();
        envelope.extend_from_slice(&self.work);
        self.envelope.process_in_place(&mut envelope[start..]);
        let scale = envelope_scale(plan, self.channel);
        for v in &mut envelope[start..] {
            *v = v.max(0.0) * scale;
        }
    }
}
