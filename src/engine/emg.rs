//! One EMG channel: its notch, and everything computed from its band-passed signal y —
//! activation RMS, fatigue epochs (MDF, MNF), tremor of |y| with its alarm and the onsets
//! of the three detectors (the chain of each mode is one struct: [`OnsetCausal`],
//! [`OnsetOffline`]). The band-pass and the envelope low-pass run in the channel's group
//! ([`EmgGroup`](super::emg_group::EmgGroup)), and so, zero-phase, do ψ, the onset
//! low-pass of |y| and |ψ| and its 25 ms means: the channel's offline pass takes the test
//! signals as they come and waits for the baseline of the whole recording.
//!
//! The windowed features run on blocks of y of any size (the same code for both modes);
//! the filters run causal or zero-phase, both block by block.

use crate::dsp::error::DspError;
use crate::dsp::rms::rms;
use crate::dsp::running_dft::RunningDft;
use crate::dsp::spectral::{mean_frequency, median_frequency};
use crate::dsp::welch::{Detrend, Welch};
use crate::dsp::windows::WindowSpec;
use crate::features::alarm::{AlarmChange, AlarmTracker};
use crate::features::onset_baseline::WindowSums;
use crate::features::stats::FiniteMean;
use crate::features::tremor::{TremorRow, TremorTracker};
use crate::montage::OnsetMethod;

use super::frames::{Block, Columns};
use super::onset_causal::OnsetCausal;
use super::onset_detectors::Onsets;
use super::onset_offline::OnsetOffline;
use super::plan::{Filtering, Plan, AUTO_NOTCH_S};
use super::rows::Rows;
use super::run_filter::RunFilter;
use super::trace::TraceMaker;
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

/// The notch in front of one EMG channel: held back until decided (`notch = "auto"`),
/// then causal or zero-phase as the run filters.
#[derive(Debug)]
struct NotchFront {
    undecided: Option<NotchHold>,
    notch: Option<RunFilter>,
}

impl NotchFront {
    fn new(plan: &Plan) -> Result<NotchFront, DspError> {
        let auto = plan.montage.analysis.notch == crate::montage::NotchMode::Auto;
        let notch = match plan.notch {
            Some(section) if !auto && plan.notch_wanted(&[]) => {
                Some(RunFilter::new(plan, &[section], 1)?)
            }
            _ => None,
        };
        Ok(NotchFront {
            undecided: auto.then(NotchHold::default),
            notch,
        })
    }

    /// Whether samples go on unchanged (decided, and not notched).
    fn passes_through(&self) -> bool {
        self.undecided.is_none() && self.notch.is_none()
    }

    /// Feeds raw samples (the last ones when `last`); appends to `out` those now past the
    /// notch.
    fn feed(&mut self, plan: &Plan, x: &[f64], last: bool, out: &mut Vec<f64>) {
        let held;
        let x = match &mut self.undecided {
            None => x,
            Some(hold) => {
                let Some((samples, wanted)) = hold.hold(plan, x, last) else {
                    return;
                };
                self.undecided = None;
                if wanted {
                    // The notch's section was validated when the plan was made.
                    self.notch = plan
                        .notch
                        .and_then(|section| RunFilter::new(plan, &[section], 1).ok());
                }
                held = samples;
                &held
            }
        };
        match &mut self.notch {
            None => out.extend_from_slice(x),
            Some(notch) => {
                notch.settle_on_first_frame(x);
                notch.feed(x, last, out);
            }
        }
    }
}

/// The onset chain of a channel, as the run filters.
enum OnsetChain {
    Causal(Box<OnsetCausal>),
    ZeroPhase(Box<OnsetOffline>),
}

/// One EMG channel: its notch in front, everything computed from its band-passed signal y
/// behind. The band-pass and envelope low-pass in between run in the channel's
/// [`EmgGroup`](super::emg_group::EmgGroup), side by side with its other channels.
pub struct EmgChannel {
    /// Montage index.
    pub channel: usize,
    front: NotchFront,
    /// The channel's first raw sample (the causal band-pass settles on it).
    first: Option<f64>,
    onsets: OnsetChain,
    pub output: EmgOutput,
    /// Samples past the notch that the group has not taken yet.
    pub(super) ready: Vec<f64>,
    /// The envelope of the samples of y made final by the last push.
    pub envelope: Vec<f64>,
    /// Reused blocks: the raw column, y, |y|.
    column: Vec<f64>,
    pub(super) y: Vec<f64>,
    pub(super) rectified: Vec<f64>,
    /// The block's onset test signals of |y| and |ψ|, low-passed, from the group (causal:
    /// the channel's chain takes their trailing means). Zero-phase, the group hands their
    /// centred 25 ms means to [`EmgChannel::keep_test`] instead, and these stay empty.
    pub(super) tests: [Vec<f64>; 2],
    /// Zero-phase: the sums of the windows of the rest baseline that the block's test
    /// signals complete (the two means, and |y| for Bonato's), in `OnsetMethod::ALL` order,
    /// taken by the group across its lanes.
    pub(super) test_windows: [Vec<WindowSums>; 3],
}

impl EmgChannel {
    /// Channel `channel` of `plan`; zero-phase, its onset test signals are kept in traces
    /// `make_trace` gives.
    pub fn new(
        plan: &Plan,
        channel: usize,
        make_trace: &mut TraceMaker<'_>,
    ) -> Result<EmgChannel, DspError> {
        let front = NotchFront::new(plan)?;
        Ok(EmgChannel {
            channel,
            onsets: match plan.filtering {
                Filtering::Causal => OnsetChain::Causal(Box::new(OnsetCausal::new(&plan.onset))),
                Filtering::ZeroPhase => {
                    let make = &mut |kept| make_trace(channel, kept);
                    OnsetChain::ZeroPhase(Box::new(OnsetOffline::new(&plan.onset, make)))
                }
            },
            output: EmgOutput {
                windows: EmgWindows::new(plan, channel)?,
                tremor: TremorPart::new(plan)?,
                onsets: Onsets::default(),
                notched: front.notch.is_some(),
            },
            front,
            first: None,
            ready: Vec::new(),
            envelope: Vec::new(),
            column: Vec::new(),
            y: Vec::new(),
            rectified: Vec::new(),
            tests: Default::default(),
            test_windows: Default::default(),
        })
    }

    /// Takes this channel's samples of a block (`columns`) through the notch into
    /// [`EmgChannel::ready`]; with `None`, what the notch still holds, as the end of the
    /// signal.
    pub(super) fn take(&mut self, plan: &Plan, columns: Option<&Columns>) {
        let channel = self.channel;
        if self.first.is_none() {
            self.first = columns
                .and_then(|c| c.of(channel).first())
                .map(|&v| v.into());
        }
        if self.front.passes_through() {
            if let Some(c) = columns {
                self.ready.extend(c.widened(channel));
            }
            return;
        }
        self.column.clear();
        if let Some(c) = columns {
            self.column.extend(c.widened(channel));
        }
        self.front
            .feed(plan, &self.column, columns.is_none(), &mut self.ready);
        self.output.notched = self.front.notch.is_some();
    }

    /// The channel's first raw sample, once one has come.
    pub(super) fn first(&self) -> Option<f64> {
        self.first
    }

    /// Whether the channel's next samples go straight to the group's band-pass: past no
    /// notch (decided, and off), with nothing waiting before them.
    pub(super) fn goes_straight(&self) -> bool {
        self.front.passes_through() && self.ready.is_empty()
    }

    /// Notes the channel's first raw sample from a block it is gathered from.
    pub(super) fn note_first(&mut self, block: &Block) {
        if self.first.is_none() {
            self.first = block.first(self.channel);
        }
    }

    /// Everything computed from the final samples of y now in [`EmgChannel::y`]; leaves
    /// |y| in [`EmgChannel::rectified`] and, causal, |ψ| in what [`EmgChannel::psi`]
    /// gives.
    pub(super) fn features(&mut self) {
        let y = &self.y;
        self.output.windows.push(y);
        self.rectified.clear();
        self.rectified.extend(y.iter().map(|v| v.abs()));
        self.output.tremor.push(&self.rectified);
        if let OnsetChain::Causal(chain) = &mut self.onsets {
            chain.push_y(y);
        }
    }

    /// |ψ| of the block [`EmgChannel::features`] took last (causal; zero-phase, the group
    /// computes ψ of every lane at once).
    pub(super) fn psi(&self) -> &[f64] {
        match &self.onsets {
            OnsetChain::Causal(chain) => &chain.psi,
            OnsetChain::ZeroPhase(_) => &[],
        }
    }

    /// Zero-phase: keeps the next values `x` of onset test signal `k` (the mean of the
    /// low-passed |y|, then of |ψ|), straight from the group's lanes.
    pub(super) fn keep_test(&mut self, k: usize, x: &[f64]) {
        if let OnsetChain::ZeroPhase(pass) = &mut self.onsets {
            pass.keep(OnsetMethod::ALL[k], x);
        }
    }

    /// Feeds the onset chain the block's |y| and, causal, the test signals now in
    /// [`EmgChannel::tests`] (zero-phase, those went to [`EmgChannel::keep_test`], and the
    /// baseline windows' sums are in [`EmgChannel::test_windows`]).
    pub(super) fn onset_tests(&mut self, plan: &Plan) {
        let rectified = &self.rectified;
        match &mut self.onsets {
            OnsetChain::Causal(chain) => {
                let [abs, psi] = &self.tests;
                let tests = [abs.as_slice(), psi];
                chain.push_tests(&plan.onset, rectified, tests, &mut self.output.onsets)
            }
            OnsetChain::ZeroPhase(pass) => {
                let windows = self.test_windows.each_ref().map(Vec::as_slice);
                pass.push_rectified(rectified, windows);
            }
        }
    }

    /// Ends the channel: zero-phase onsets are found over the whole recording now, and
    /// the room of the blocks is given back.
    pub(super) fn finish(&mut self, plan: &Plan) {
        if let OnsetChain::ZeroPhase(pass) = &mut self.onsets {
            self.output.onsets = pass.finish(&plan.onset);
        }
        let [abs, psi] = &mut self.tests;
        self.test_windows = Default::default();
        for buffer in [
            &mut self.ready,
            &mut self.column,
            &mut self.y,
            &mut self.rectified,
            abs,
            psi,
        ] {
            *buffer = Vec::new();
        }
    }
}
