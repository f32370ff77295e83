//! The engine: frames in as they arrive, features out as their windows complete. Causal,
//! the live recorder feeds it block by block and `process --causal` feeds it a stored
//! recording the same way, so both produce the same rows. Zero-phase (`process`), each
//! filter's output comes a stretch after its input (see
//! [`ZeroPhaseStream`](crate::dsp::filtfilt_stream::ZeroPhaseStream)), so memory stays
//! bounded by the blocks however long the recording. EMG channels, and force channels, run
//! in groups whose filters fill the SIMD lanes ([`EmgGroup`], [`MechanicalGroup`]); groups
//! run in parallel.

use rayon::prelude::*;

use crate::dsp::error::DspError;
use crate::features::alarm::AlarmChange;
use crate::features::onsets::Transition;
use crate::montage::Kind;
use crate::recording::Gap;
use crate::results::{Event, FeatureGroup, Results};

pub use super::assemble::RowCounts;
use super::assemble::{assemble, feature_groups, Collected};
use super::emg::{EmgChannel, TremorPart};
use super::emg_group::EmgGroup;
use super::frames::{Block, Columns};
use super::mechanical::{MechanicalChannel, MechanicalGroup};
use super::pairs::PairCci;
use super::plan::{ChannelPair, Plan, Threads};
use super::trace::{in_memory, Kept, TraceMaker};
use super::BLOCK_FRAMES;

/// Smallest push (in samples, all channels) worth spreading over threads: waking the pool
/// for a few frames costs more than it saves, and a live recording pushes every
/// millisecond or so. Live pushes stay on the calling thread even when they complete
/// windows: the spectra are built up as samples arrive and co-contraction windows add up
/// block sums, so no push carries enough work to pay for waking the pool.
pub const PARALLEL_MIN_SAMPLES: usize = 16 * 1024;

/// What runs as one task: a group of EMG channels filtered side by side, a group of force
/// channels sharing their low-pass, or an accelerometer channel.
enum Unit {
    Emg(Box<EmgGroup>),
    Mechanical(Box<MechanicalGroup>),
}

impl Unit {
    /// Feeds the unit its channels of a block, or ends them (`None`); a group's channels
    /// run on the pool when `wide`.
    fn run(&mut self, plan: &Plan, block: Option<&Block>, wide: bool) {
        match self {
            Unit::Emg(group) => group.run(plan, block, wide),
            Unit::Mechanical(group) => group.run(plan, block, wide),
        }
    }

    /// Whether the unit's channels read their columns of the next block, rather than
    /// being gathered from its frames (only notched EMG channels, and the others of their
    /// group, read columns).
    fn reads_columns(&self) -> bool {
        match self {
            Unit::Emg(group) => !group.gathers(),
            Unit::Mechanical(_) => false,
        }
    }
}

/// Where a montage channel's state lives.
#[derive(Debug, Clone, Copy)]
enum Place {
    Emg { unit: usize, member: usize },
    Mechanical { unit: usize, member: usize },
    Ignored,
}

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

/// The EMG channel at `place`, if it is one.
fn emg_at(units: &[Unit], place: Place) -> Option<&EmgChannel> {
    match place {
        Place::Emg { unit, member } => match &units[unit] {
            Unit::Emg(group) => group.members.get(member),
            Unit::Mechanical(_) => None,
        },
        _ => None,
    }
}

/// Streaming analysis of one recording.
pub struct StreamEngine {
    plan: Plan,
    units: Vec<Unit>,
    /// Per montage channel, where its state lives.
    places: Vec<Place>,
    pairs: Vec<PairCci>,
    aligned: Vec<Aligned>,
    frames: usize,
    gaps: Vec<Gap>,
    markers: Vec<Event>,
    /// Rows per group already handed out by [`StreamEngine::new_rows`]: the one count of
    /// what a live consumer has.
    emitted: RowCounts,
    /// Where channels run (results are the same either way).
    threads: Threads,
    kept: KeptRows,
    /// The block being pushed, channel after channel (reused from block to block).
    columns: Columns,
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
        let mut units = Vec::new();
        let mut places = vec![Place::Ignored; plan.montage.channels.len()];
        for group in plan.emg.chunks(plan.lanes.max(1)) {
            for (member, &c) in group.iter().enumerate() {
                places[c] = Place::Emg {
                    unit: units.len(),
                    member,
                };
            }
            units.push(Unit::Emg(Box::new(EmgGroup::new(
                &plan, group, make_trace,
            )?)));
        }
        let mut trace = |c: usize| make_trace(c, Kept::ForceSignal);
        let force = plan.force_channels.chunks(plan.lanes.max(1));
        let force = force.map(|group| MechanicalGroup::force(&plan, group, &mut trace));
        let accel = plan.montage.channels.iter().enumerate();
        let accel = accel.filter(|(_, c)| c.kind == Kind::Accel);
        let accel = accel.map(|(i, _)| MechanicalGroup::accel(&plan, i));
        for group in force.chain(accel) {
            let group = group?;
            for (member, m) in group.members.iter().enumerate() {
                places[m.channel] = Place::Mechanical {
                    unit: units.len(),
                    member,
                };
            }
            units.push(Unit::Mechanical(Box::new(group)));
        }
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
        Ok(StreamEngine {
            aligned: plan.pairs.iter().map(|_| Aligned::default()).collect(),
            plan,
            units,
            places,
            pairs,
            frames: 0,
            gaps: Vec::new(),
            markers: Vec::new(),
            emitted: RowCounts::default(),
            threads: Threads::Pool,
            kept: KeptRows::All,
            columns: Columns::default(),
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
        let n = self.places.len().max(1);
        assert_eq!(frames.len() % n, 0, "not a whole number of frames");
        // A long push goes in blocks: the channels' columns stay a block long.
        let mut columns = std::mem::take(&mut self.columns);
        for block in frames.chunks(BLOCK_FRAMES * n) {
            self.frames += block.len() / n;
            let wide = self.threads == Threads::Pool && block.len() >= PARALLEL_MIN_SAMPLES;
            columns.fill(block, n, |c| self.reads_column(c));
            self.run_units(wide, Some(&Block::new(block, n, &columns)));
        }
        self.columns = columns;
    }

    /// Whether channel `c`'s unit reads its column of the next block.
    fn reads_column(&self, c: usize) -> bool {
        match self.places[c] {
            Place::Emg { unit, .. } | Place::Mechanical { unit, .. } => {
                self.units[unit].reads_columns()
            }
            Place::Ignored => false,
        }
    }

    /// Feeds a recording's samples (a frame per row, channels in montage order).
    pub fn push_samples(&mut self, samples: &ndarray::Array2<f32>) {
        self.push(samples.as_standard_layout().as_slice().unwrap_or(&[]));
    }

    /// Feeds every unit its channels of a block, or ends every channel
    /// (`None`), then the pairs their envelopes; on the pool when `wide`.
    fn run_units(&mut self, wide: bool, block: Option<&Block>) {
        let plan = &self.plan;
        let work = |unit: &mut Unit| unit.run(plan, block, wide);
        if wide {
            self.units.par_iter_mut().with_max_len(1).for_each(work);
        } else {
            self.units.iter_mut().for_each(work);
        }
        self.feed_pairs(wide);
    }

    /// Every force and accelerometer channel, force channels first, each kind in montage
    /// order.
    fn mechanical_channels(&self) -> impl Iterator<Item = &MechanicalChannel> {
        self.units.iter().flat_map(|u| match u {
            Unit::Mechanical(group) => group.members.as_slice(),
            Unit::Emg(_) => &[],
        })
    }

    /// Every EMG channel, in montage order.
    fn emg_channels(&self) -> impl Iterator<Item = &EmgChannel> {
        self.units.iter().flat_map(|u| match u {
            Unit::Emg(group) => group.members.as_slice(),
            Unit::Mechanical(_) => &[],
        })
    }

    /// The tremor part of channel `c`, if it has one.
    fn tremor_of(&self, c: usize) -> Option<&TremorPart> {
        match self.places[c] {
            place @ Place::Emg { .. } => emg_at(&self.units, place).map(|e| &e.output.tremor),
            Place::Mechanical { unit, member } => match &self.units[unit] {
                Unit::Mechanical(group) => group.members.get(member).map(|m| &m.tremor),
                Unit::Emg(_) => None,
            },
            Place::Ignored => None,
        }
    }

    /// Feeds the pairs their envelopes; on the pool when `wide` (a large push).
    fn feed_pairs(&mut self, wide: bool) {
        let (units, places) = (&self.units, &self.places);
        let envelope = |c: usize| emg_at(units, places[c]).map_or(&[][..], |e| &e.envelope);
        let work = |((pair, aligned), p): ((&mut PairCci, &mut Aligned), &ChannelPair)| {
            aligned.feed(pair, envelope(p.first), envelope(p.second));
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
        self.emg_channels()
            .map(|e| {
                e.output
                    .onsets
                    .by_method
                    .iter()
                    .map(Vec::len)
                    .sum::<usize>()
            })
            .sum()
    }

    /// EMG onsets and offsets of the driving detector (`[analysis] onset_method`) found so
    /// far, per EMG channel (montage index, in order).
    pub fn transitions_by_channel(&self) -> impl Iterator<Item = (usize, &[Transition])> {
        let method = self.plan.onset.method;
        self.emg_channels()
            .map(move |e| (e.channel, e.output.onsets.of(method)))
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

    /// Frames after which the next feature row completes, with `frames` pushed: the end
    /// of the next window of any group. Causal, that is when the row comes out (a live
    /// reader reads promptly then); zero-phase, a stretch later.
    pub fn next_row_at(&self, frames: usize) -> usize {
        let p = &self.plan;
        [&p.rms, &p.fatigue, &p.cci, &p.tremor.windows]
            .iter()
            .map(|w| w.range(w.count(frames)).end)
            .min()
            .unwrap_or(usize::MAX)
    }

    /// Rows per feature group so far: those every channel (every pair) has. Causal, the
    /// channels keep in step; zero-phase, a notched channel's rows come a stretch later.
    pub fn row_counts(&self) -> RowCounts {
        let emg = || self.emg_channels().map(|e| &e.output);
        let mechanical = self.mechanical_channels().map(|m| &m.tremor);
        let tremor = emg().map(|o| &o.tremor).chain(mechanical);
        RowCounts {
            activation: emg().map(|o| o.windows.rms_rows.len()).min().unwrap_or(0),
            fatigue: emg()
                .map(|o| o.windows.fatigue_rows.len())
                .min()
                .unwrap_or(0),
            cocontraction: self.pairs.iter().map(|p| p.rows.len()).min().unwrap_or(0),
            tremor: tremor.map(|t| t.rows.len()).min().unwrap_or(0),
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
        for unit in &mut self.units {
            match unit {
                Unit::Emg(group) => {
                    for e in &mut group.members {
                        let output = &mut e.output;
                        output.windows.forget_before(rows.activation, rows.fatigue);
                        output.tremor.rows.forget_before(rows.tremor);
                    }
                }
                Unit::Mechanical(group) => {
                    for m in &mut group.members {
                        m.tremor.rows.forget_before(rows.tremor);
                    }
                }
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
            .filter_map(|&i| Some((i, self.tremor_of(i)?.changes.as_slice())))
    }

    /// What the channels and pairs hold; force metrics (which scan every sample of a
    /// force channel) only when `with_force`.
    fn collect(&self, with_force: bool) -> Collected<'_> {
        let emg = self
            .emg_channels()
            .map(|e| (e.channel, &e.output))
            .collect();
        // Each force channel's metrics replay its whole trace (already done when the
        // channel has ended): on the pool, in order.
        let force = if with_force {
            let metrics = |m: &&MechanicalChannel| m.metrics(&self.plan).map(|x| (m.channel, x));
            let channels: Vec<_> = self.mechanical_channels().collect();
            match self.threads {
                Threads::Pool => channels.par_iter().filter_map(metrics).collect(),
                Threads::One => channels.iter().filter_map(metrics).collect(),
            }
        } else {
            Vec::new()
        };
        let tremor = self
            .plan
            .tremor_channels
            .iter()
            .filter_map(|&i| Some((i, self.tremor_of(i)?)))
            .collect();
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
        let pool = self.threads == Threads::Pool;
        self.run_units(pool, None);
        let results = self.results();
        if pool {
            // The engine's buffers (some hundred blocks) are given back on the pool, beside
            // what the caller does next with the results (writing them), not before it.
            rayon::spawn(move || drop(self));
        }
        results
    }
}
