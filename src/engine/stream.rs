//! The engine: frames in as they arrive, features out as their windows complete. Causal,
//! the live recorder feeds it block by block and `process --causal` feeds it a stored
//! recording the same way, so both produce the same rows. Zero-phase (`process`), each
//! filter's output comes a stretch after its input (see
//! [`EmgZeroPhase`]), so memory stays bounded by the blocks however long the recording.

use rayon::prelude::*;

use crate::dsp::error::DspError;
use crate::features::alarm::AlarmChange;
use crate::features::onsets::Transition;
use crate::montage::Kind;
use crate::recording::Gap;
use crate::results::{Event, FeatureGroup, Results};

pub use super::assemble::RowCounts;
use super::assemble::{assemble, feature_groups, Collected};
use super::emg::{EmgCausal, EmgOutput};
use super::emg_zero_phase::EmgZeroPhase;
use super::mechanical::MechanicalStream;
use super::pairs::PairCci;
use super::plan::{ChannelPair, Filtering, Plan, Threads};
use super::trace::{in_memory, Precision, TraceMaker};
use super::BLOCK_FRAMES;

/// Smallest push (in samples, all channels) worth spreading over threads: waking the pool
/// for a few frames costs more than it saves, and a live recording pushes every
/// millisecond or so. Live pushes stay on the calling thread even when they complete
/// windows: the spectra are built up as samples arrive and co-contraction windows add up
/// block sums, so no push carries enough work to pay for waking the pool.
pub const PARALLEL_MIN_SAMPLES: usize = 16 * 1024;

enum Channel {
    Emg(Box<EmgChannel>),
    Mechanical(Box<MechanicalStream>),
    Ignored,
}

/// An EMG channel, filtered as the plan says.
// Both are large; `Channel` boxes the whole.
#[allow(clippy::large_enum_variant)]
enum EmgChannel {
    Causal(EmgCausal),
    ZeroPhase(EmgZeroPhase),
}

impl EmgChannel {
    fn output(&self) -> &EmgOutput {
        match self {
            EmgChannel::Causal(e) => &e.output,
            EmgChannel::ZeroPhase(e) => &e.output,
        }
    }

    fn output_mut(&mut self) -> &mut EmgOutput {
        match self {
            EmgChannel::Causal(e) => &mut e.output,
            EmgChannel::ZeroPhase(e) => &mut e.output,
        }
    }

    fn push(&mut self, plan: &Plan, x: &[f64], envelope: &mut Vec<f64>) {
        match self {
            EmgChannel::Causal(e) => e.push(plan, x, envelope),
            EmgChannel::ZeroPhase(e) => e.push(plan, x, envelope),
        }
    }

    fn finish(&mut self, plan: &Plan, envelope: &mut Vec<f64>) {
        match self {
            EmgChannel::Causal(e) => e.finish(plan, envelope),
            EmgChannel::ZeroPhase(e) => e.finish(plan, envelope),
        }
    }
}

/// One channel's share of a push: its index, state, column and envelope.
type Work<'a> = (
    usize,
    ((&'a mut Channel, &'a mut Vec<f64>), &'a mut Vec<f64>),
);

/// A pair's envelopes not yet taken: the two channels' filters may hand out their final
/// samples at different times (zero-phase stretches, a notch on one channel only).
#[derive(Default)]
struct Aligned {
    first: Vec<f64>,
    second: Vec<f64>,
}

impl Aligned {
    /// Feeds `pair` the samples both channels have reached.
    fn feed(&mut self, pair: &mut PairCci, first: &[f64], second: &[f64]) {
        if self.first.is_empty() && self.second.is_empty() && first.len() == second.len() {
            pair.push(first, second);
            return;
        }
        self.first.extend_from_slice(first);
        self.second.extend_from_slice(second);
        let n = self.first.len().min(self.second.len());
        pair.push(&self.first[..n], &self.second[..n]);
        self.first.drain(..n);
        self.second.drain(..n);
    }
}

/// Streaming analysis of one recording.
pub struct StreamEngine {
    plan: Plan,
    channels: Vec<Channel>,
    pairs: Vec<PairCci>,
    aligned: Vec<Aligned>,
    columns: Vec<Vec<f64>>,
    envelopes: Vec<Vec<f64>>,
    frames: usize,
    gaps: Vec<Gap>,
    markers: Vec<Event>,
    /// Rows per group already handed out by [`StreamEngine::new_rows`]: the one count of
    /// what a live consumer has.
    emitted: RowCounts,
    /// Where channels run (results are the same either way).
    threads: Threads,
    kept: KeptRows,
}

/// Which feature rows an engine keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptRows {
    /// Every row: [`StreamEngine::finish`] returns them all.
    All,
    /// Only rows not yet handed out by [`StreamEngine::new_rows`]: a live recorder's
    /// memory stays flat, and `finish` returns the rows still to hand out.
    NotHandedOut,
}

impl StreamEngine {
    /// An engine for `plan` at sample 0, the signals needed again at the end (force, and
    /// the zero-phase onset test signals) kept in memory.
    pub fn new(plan: Plan) -> Result<StreamEngine, DspError> {
        StreamEngine::with_traces(plan, &mut in_memory)
    }

    /// An engine that keeps each force channel's low-passed signal (and, zero-phase, each
    /// EMG channel's onset test signals) in the traces `make_trace` gives for it (see
    /// [`ForceTrace`](super::trace::ForceTrace)).
    pub fn with_traces(
        plan: Plan,
        make_trace: &mut TraceMaker<'_>,
    ) -> Result<StreamEngine, DspError> {
        let channels = plan
            .montage
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Ok(match c.kind {
                    Kind::Emg => Channel::Emg(Box::new(match plan.filtering {
                        Filtering::Causal => EmgChannel::Causal(EmgCausal::new(&plan, i)?),
                        Filtering::ZeroPhase => {
                            EmgChannel::ZeroPhase(EmgZeroPhase::new(&plan, i, make_trace)?)
                        }
                    })),
                    Kind::Force => Channel::Mechanical(Box::new(MechanicalStream::new(
                        &plan,
                        Some(make_trace(i, Precision::Double)),
                    )?)),
                    Kind::Accel => {
                        Channel::Mechanical(Box::new(MechanicalStream::new(&plan, None)?))
                    }
                    Kind::Other => Channel::Ignored,
                })
            })
            .collect::<Result<Vec<_>, DspError>>()?;
        let pairs = plan
            .pairs
            .iter()
            .map(|p| {
                let both = plan.mvc(p.first).is_some() && plan.mvc(p.second).is_some();
                PairCci::new(
                    plan.cci,
                    both.then_some(plan.montage.analysis.inactive_pct_mvc),
                )
            })
            .collect();
        let n = plan.montage.channels.len();
        Ok(StreamEngine {
            aligned: plan.pairs.iter().map(|_| Aligned::default()).collect(),
            plan,
            channels,
            pairs,
            columns: vec![Vec::new(); n],
            envelopes: vec![Vec::new(); n],
            frames: 0,
            gaps: Vec::new(),
            markers: Vec::new(),
            emitted: RowCounts::default(),
            threads: Threads::Pool,
            kept: KeptRows::All,
        })
    }

    /// Keeps the rows `kept` says.
    pub fn keeping(mut self, kept: KeptRows) -> StreamEngine {
        self.kept = kept;
        self
    }

    /// Runs the channels where `threads` says (checks compare both).
    pub fn on(mut self, threads: Threads) -> StreamEngine {
        self.threads = threads;
        self
    }

    /// The plan in use.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Frames pushed so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Feeds interleaved frames (channels in montage order, physical units).
    ///
    /// # Panics
    /// If `frames` is not a whole number of frames.
    pub fn push(&mut self, frames: &[f32]) {
        let n = self.columns.len();
        assert_eq!(frames.len() % n.max(1), 0, "not a whole number of frames");
        // A long push goes in blocks: the channels' columns stay a block long.
        for block in frames.chunks(BLOCK_FRAMES * n.max(1)) {
            self.frames += block.len() / n.max(1);
            let wide = self.threads == Threads::Pool && block.len() >= PARALLEL_MIN_SAMPLES;
            self.run_channels(wide, Some(block));
        }
    }

    /// Feeds every channel its column of `frames`, or ends every channel (`None`), then
    /// the pairs their envelopes; on the pool when `wide`.
    fn run_channels(&mut self, wide: bool, frames: Option<&[f32]>) {
        let n = self.columns.len();
        let plan = &self.plan;
        let work = |(c, ((channel, column), envelope)): Work<'_>| {
            envelope.clear();
            let Some(frames) = frames else {
                match channel {
                    Channel::Emg(e) => e.finish(plan, envelope),
                    Channel::Mechanical(m) => m.finish(),
                    Channel::Ignored => {}
                }
                return;
            };
            if matches!(channel, Channel::Ignored) {
                return;
            }
            column.clear();
            column.extend(frames.iter().skip(c).step_by(n).map(|v| f64::from(*v)));
            match channel {
                Channel::Emg(e) => e.push(plan, column, envelope),
                Channel::Mechanical(m) => m.push(column),
                Channel::Ignored => {}
            }
        };
        if wide {
            self.channels
                .par_iter_mut()
                .zip(self.columns.par_iter_mut())
                .zip(self.envelopes.par_iter_mut())
                .enumerate()
                .with_max_len(1)
                .for_each(work);
        } else {
            self.channels
                .iter_mut()
                .zip(self.columns.iter_mut())
                .zip(self.envelopes.iter_mut())
                .enumerate()
                .for_each(work);
        }
        self.feed_pairs(wide);
    }

    /// Feeds the pairs their envelopes; on the pool when `wide` (a large push).
    fn feed_pairs(&mut self, wide: bool) {
        let envelopes = &self.envelopes;
        let work = |((pair, aligned), p): ((&mut PairCci, &mut Aligned), &ChannelPair)| {
            aligned.feed(pair, &envelopes[p.first], &envelopes[p.second]);
        };
        if wide {
            self.pairs
                .par_iter_mut()
                .zip(self.aligned.par_iter_mut())
                .zip(self.plan.pairs.par_iter())
                .with_max_len(1)
                .for_each(work);
        } else {
            self.pairs
                .iter_mut()
                .zip(self.aligned.iter_mut())
                .zip(&self.plan.pairs)
                .for_each(work);
        }
    }

    /// Records rows that were lost (and interpolated).
    pub fn add_gap(&mut self, gap: Gap) {
        self.gaps.push(gap);
    }

    /// Adds an event the user marked.
    pub fn add_event(&mut self, event: Event) {
        self.markers.push(event);
    }

    /// EMG onsets and offsets found so far, over every channel and every detector (the
    /// ones kept for comparison too).
    pub fn transitions(&self) -> usize {
        self.channels
            .iter()
            .map(|c| match c {
                Channel::Emg(e) => e.output().onsets.by_method.iter().map(Vec::len).sum(),
                _ => 0,
            })
            .sum()
    }

    /// EMG onsets and offsets of the driving detector (`[analysis] onset_method`) found so
    /// far, per EMG channel (montage index, in order).
    pub fn transitions_by_channel(&self) -> impl Iterator<Item = (usize, &[Transition])> {
        let method = self.plan.onset.method;
        self.channels
            .iter()
            .enumerate()
            .filter_map(move |(i, c)| match c {
                Channel::Emg(e) => Some((i, e.output().onsets.of(method))),
                _ => None,
            })
    }

    /// Rows per feature group of a recording of `frames` frames, once it is finished.
    pub fn rows_at_end(&self, frames: usize) -> RowCounts {
        let p = &self.plan;
        RowCounts {
            activation: p.rms.count(frames),
            fatigue: p.fatigue.count(frames),
            cocontraction: p.cci.count(frames),
            tremor: p.tremor.windows.count(frames),
        }
    }

    /// Rows per feature group so far: those every channel (every pair) has. Causal, the
    /// channels keep in step; zero-phase, a notched channel's rows come a stretch later.
    pub fn row_counts(&self) -> RowCounts {
        let emg = || {
            self.channels.iter().filter_map(|c| match c {
                Channel::Emg(e) => Some(e.output()),
                _ => None,
            })
        };
        let tremor = self.channels.iter().filter_map(|c| match c {
            Channel::Emg(e) => Some(e.output().tremor.rows.len()),
            Channel::Mechanical(m) => Some(m.tremor.rows.len()),
            Channel::Ignored => None,
        });
        RowCounts {
            activation: emg().map(|o| o.windows.rms_rows.len()).min().unwrap_or(0),
            fatigue: emg()
                .map(|o| o.windows.fatigue_rows.len())
                .min()
                .unwrap_or(0),
            cocontraction: self.pairs.iter().map(|p| p.rows.len()).min().unwrap_or(0),
            tremor: tremor.min().unwrap_or(0),
        }
    }

    /// Results so far, summary included (a clean finish uses it); the feature rows are
    /// those the engine keeps.
    pub fn results(&self) -> Results {
        let from = match self.kept {
            KeptRows::All => RowCounts::default(),
            KeptRows::NotHandedOut => self.emitted,
        };
        assemble(self.collect(true), from)
    }

    /// The feature groups with only their rows after `from` (see [`StreamEngine::row_counts`]):
    /// what a live writer appends after each push. Cheap: no summary is computed.
    pub fn features_since(&self, from: RowCounts) -> Vec<FeatureGroup> {
        feature_groups(&self.collect(false), from)
    }

    /// The feature rows completed since the last call (every group, with its columns and
    /// parameters, even with no new rows): what a live recorder hands on after each push.
    /// Cheap when nothing completed.
    pub fn new_rows(&mut self) -> Vec<FeatureGroup> {
        let now = self.row_counts();
        if now == self.emitted {
            return Vec::new();
        }
        let groups = feature_groups(&self.collect(false), self.emitted);
        self.emitted = now;
        if self.kept == KeptRows::NotHandedOut {
            self.forget_before(now);
        }
        groups
    }

    /// Forgets the feature rows before `rows`.
    fn forget_before(&mut self, rows: RowCounts) {
        for channel in &mut self.channels {
            match channel {
                Channel::Emg(e) => {
                    let output = e.output_mut();
                    output.windows.forget_before(rows.activation, rows.fatigue);
                    output.tremor.rows.forget_before(rows.tremor);
                }
                Channel::Mechanical(m) => m.tremor.rows.forget_before(rows.tremor),
                Channel::Ignored => {}
            }
        }
        for pair in &mut self.pairs {
            pair.rows.forget_before(rows.cocontraction);
        }
    }

    /// Rows per group handed out by [`StreamEngine::new_rows`] so far.
    pub fn emitted(&self) -> RowCounts {
        self.emitted
    }

    /// Tremor alarm changes so far, per tremor channel (montage index, `(time_s, change)`
    /// in order).
    pub fn alarm_changes(&self) -> impl Iterator<Item = (usize, &[(f64, AlarmChange)])> {
        self.plan
            .tremor_channels
            .iter()
            .filter_map(|&i| match &self.channels[i] {
                Channel::Emg(e) => Some((i, e.output().tremor.changes.as_slice())),
                Channel::Mechanical(m) => Some((i, m.tremor.changes.as_slice())),
                Channel::Ignored => None,
            })
    }

    /// What the channels and pairs hold; force metrics (which scan every sample of a
    /// force channel) only when `with_force`.
    fn collect(&self, with_force: bool) -> Collected<'_> {
        let mut emg = Vec::new();
        let mut tremor = Vec::new();
        for (i, c) in self.channels.iter().enumerate() {
            if let Channel::Emg(e) = c {
                emg.push((i, e.output()));
            }
        }
        // Each force channel's metrics replay its whole trace: on the pool, in order.
        let metrics = |(i, c): (usize, &Channel)| match c {
            Channel::Mechanical(m) if with_force => m.metrics(&self.plan).map(|x| (i, x)),
            _ => None,
        };
        let force = if self.threads == Threads::Pool {
            self.channels
                .par_iter()
                .enumerate()
                .filter_map(metrics)
                .collect()
        } else {
            self.channels
                .iter()
                .enumerate()
                .filter_map(metrics)
                .collect()
        };
        for &i in &self.plan.tremor_channels {
            match &self.channels[i] {
                Channel::Emg(e) => tremor.push((i, &e.output().tremor)),
                Channel::Mechanical(m) => tremor.push((i, &m.tremor)),
                Channel::Ignored => {}
            }
        }
        Collected {
            plan: &self.plan,
            emg,
            tremor,
            force,
            pairs: &self.pairs,
            gaps: &self.gaps,
            markers: &self.markers,
        }
    }

    /// Processes what is still held back and returns the results of the whole recording.
    pub fn finish(mut self) -> Results {
        self.run_channels(self.threads == Threads::Pool, None);
        self.results()
    }
}
