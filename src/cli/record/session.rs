//! The consumer side of a recording: each block from the ring goes to the streaming file
//! writer first (raw samples are never held back for features), then to the causal engine,
//! whose new feature rows are appended to the file as they come. Tremor alarm changes are
//! returned as notices for the terminal.

use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;

use crate::engine::{RowCounts, StreamEngine};
use crate::features::alarm::AlarmChange;
use crate::recording::{Acquisition, Truth};
use crate::results::{Event, EventKind, FeatureGroup, Results};
use crate::ring::Block;
use crate::store::live::{FeatureLayout, LiveWriter};

/// `/raw/samples` rows per chunk: about 0.25 s of samples, at least 64 rows.
pub fn chunk_rows(sample_rate_hz: f64) -> usize {
    ((sample_rate_hz * 0.25).round() as usize).max(64)
}

/// The last row of one feature table.
#[derive(Debug, Clone, Default)]
pub struct LatestRow {
    pub group: String,
    pub table: String,
    pub columns: Vec<String>,
    pub values: Vec<f64>,
}

/// The latest row of every live feature, for the status line and the live view.
#[derive(Debug, Clone, Default)]
pub struct Latest {
    pub rows: Vec<LatestRow>,
    /// Tremor alarm state per tremor channel (montage index, on, peak Hz).
    pub alarms: Vec<(usize, bool, f64)>,
}

impl Latest {
    /// The last value of column `column` of table `table` in group `group`; NaN before
    /// the first row.
    pub fn value(&self, group: &str, table: &str, column: &str) -> f64 {
        self.rows
            .iter()
            .find(|r| r.group == group && r.table == table)
            .and_then(|r| {
                r.columns
                    .iter()
                    .position(|c| c == column)
                    .map(|i| r.values[i])
            })
            .unwrap_or(f64::NAN)
    }
}

/// What happened to a tremor alarm, for the terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmNotice {
    pub channel: String,
    pub time_s: f64,
    /// Peak frequency when the alarm started; `None` when it ended.
    pub peak_hz: Option<f64>,
}

impl std::fmt::Display for AlarmNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.peak_hz {
            Some(hz) => write!(
                f,
                "tremor in {} at {hz:.1} Hz: pause the set ({:.1} s)",
                self.channel, self.time_s
            ),
            None => write!(
                f,
                "tremor in {} has settled ({:.1} s)",
                self.channel, self.time_s
            ),
        }
    }
}

/// Consumer state of one recording.
pub struct Session {
    engine: StreamEngine,
    writer: LiveWriter,
    written: RowCounts,
    /// Rows of `/raw/samples` to keep (`--duration`), if limited.
    limit: Option<u64>,
    rows: u64,
    /// Rows filled by interpolation (lost frames) among `rows`.
    filled: u64,
    alarms_seen: Vec<usize>,
    latest: Latest,
    /// Milliseconds from a block's arrival to each feature row it completed being out
    /// (in the latest rows the live view shows, and handed to the file writer).
    latencies_ms: Vec<f64>,
    clock: Instant,
}

impl Session {
    /// Creates the file at `path` (SWMR, every live feature group laid out) for `engine`'s
    /// montage.
    pub fn create(
        path: &Path,
        engine: StreamEngine,
        source: &str,
        limit: Option<u64>,
        clock: Instant,
    ) -> anyhow::Result<Session> {
        let layouts: Vec<FeatureLayout> = engine
            .features_since(RowCounts::default())
            .into_iter()
            .map(|g| FeatureLayout {
                tables: g
                    .tables
                    .iter()
                    .map(|t| (t.name.clone(), t.columns.clone()))
                    .collect(),
                group: g.name,
                params: g.params,
            })
            .collect();
        let plan = engine.plan();
        let writer = LiveWriter::create(
            path,
            &plan.montage,
            source,
            chunk_rows(plan.sample_rate_hz),
            &layouts,
        )?;
        let alarms = plan
            .tremor_channels
            .iter()
            .map(|&i| (i, false, f64::NAN))
            .collect::<Vec<_>>();
        Ok(Session {
            alarms_seen: vec![0; alarms.len()],
            latest: Latest {
                rows: Vec::new(),
                alarms,
            },
            engine,
            writer,
            written: RowCounts::default(),
            limit,
            rows: 0,
            filled: 0,
            latencies_ms: Vec::new(),
            clock,
        })
    }

    /// Rows recorded so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Rows filled in for lost frames so far.
    pub fn filled(&self) -> u64 {
        self.filled
    }

    /// Whether `--duration` has been reached.
    pub fn done(&self) -> bool {
        self.limit.is_some_and(|l| self.rows >= l)
    }

    /// The engine's sample rate.
    pub fn sample_rate_hz(&self) -> f64 {
        self.engine.plan().sample_rate_hz
    }

    /// The engine (for names and the plan).
    pub fn engine(&self) -> &StreamEngine {
        &self.engine
    }

    /// The latest feature rows and alarm states.
    pub fn latest(&self) -> &Latest {
        &self.latest
    }

    /// Feature-row latencies so far, in milliseconds.
    pub fn latencies_ms(&self) -> &[f64] {
        &self.latencies_ms
    }

    /// Stores and analyses one block; returns the alarm changes it caused.
    pub fn handle(&mut self, mut block: Block) -> anyhow::Result<Vec<AlarmNotice>> {
        let n = self.engine.plan().montage.channels.len().max(1);
        if let Some(limit) = self.limit {
            let keep = limit.saturating_sub(self.rows) as usize;
            block.frames.truncate(keep * n);
            block.gaps.retain(|g| g[0] < limit);
            for g in &mut block.gaps {
                g[1] = g[1].min(limit - g[0]);
            }
        }
        let rows = block.frames.len() / n;
        if rows == 0 {
            return Ok(Vec::new());
        }
        for g in &block.gaps {
            let (row, count) = (g[0] as i64, g[1] as i64);
            self.writer.append_gap(row, count);
            self.filled += g[1];
            self.engine.add_gap(row, count);
        }
        self.rows += rows as u64;
        self.writer
            .append_timing((self.rows - 1) as f64, block.host_s);
        // Feature rows go out before the raw samples are handed to the writer: completing a
        // raw chunk means compressing it, which takes milliseconds, and chunk ends often
        // fall on window ends.
        self.engine.push(&block.frames);
        let groups = if self.engine.row_counts() == self.written {
            Vec::new()
        } else {
            self.engine.features_since(self.written)
        };
        self.append_groups(&groups);
        let now_ms = self.clock.elapsed().as_secs_f64() * 1e3;
        self.writer.append(&block.frames)?;
        let new_rows: usize = groups.iter().map(|g| g.time_s.len()).sum();
        self.latencies_ms
            .extend(std::iter::repeat_n(now_ms - block.host_s * 1e3, new_rows));
        Ok(self.alarm_notices())
    }

    /// Appends feature rows (only those after the rows already written) and remembers the
    /// latest row of each group.
    fn append_groups(&mut self, groups: &[FeatureGroup]) {
        for (index, g) in groups.iter().enumerate() {
            let Some(count) = self.written.of_mut(&g.name) else {
                continue;
            };
            if g.time_s.is_empty() {
                continue;
            }
            *count += g.time_s.len();
            let views: Vec<_> = g.tables.iter().map(|t| t.values.view()).collect();
            self.writer.append_features(index, &g.time_s, &views);
            let last = g.time_s.len() - 1;
            for t in &g.tables {
                let values = t.values.row(last).to_vec();
                match self
                    .latest
                    .rows
                    .iter_mut()
                    .find(|r| r.group == g.name && r.table == t.name)
                {
                    Some(row) => row.values = values,
                    None => self.latest.rows.push(LatestRow {
                        group: g.name.clone(),
                        table: t.name.clone(),
                        columns: t.columns.clone(),
                        values,
                    }),
                }
            }
        }
    }

    fn alarm_notices(&mut self) -> Vec<AlarmNotice> {
        let mut notices = Vec::new();
        let names = &self.engine.plan().montage.channels;
        for (k, (channel, changes)) in self.engine.alarm_changes().enumerate() {
            for (time_s, change) in &changes[self.alarms_seen[k]..] {
                let peak_hz = match change {
                    AlarmChange::Start { peak_hz } => Some(*peak_hz),
                    AlarmChange::End => None,
                };
                self.latest.alarms[k] = (channel, peak_hz.is_some(), peak_hz.unwrap_or(f64::NAN));
                notices.push(AlarmNotice {
                    channel: names[channel].name.clone(),
                    time_s: *time_s,
                    peak_hz,
                });
            }
            self.alarms_seen[k] = changes.len();
        }
        notices
    }

    /// Adds a `marker` event at the current end of the recording.
    pub fn mark(&mut self) {
        let time_s = self.rows as f64 / self.sample_rate_hz();
        self.engine.add_event(Event {
            time_s,
            kind: EventKind::Marker,
            channel: String::new(),
            value: f64::NAN,
            text: String::new(),
        });
    }

    /// Flushes when the writer's flush interval has passed.
    pub fn flush_if_due(&mut self) -> anyhow::Result<()> {
        Ok(self.writer.flush_if_due()?)
    }

    /// Ends the recording: the engine's held-back rows are appended, and the file is
    /// completed with the acquisition counters, events and summary.
    pub fn finish(
        self,
        acquisition: &Acquisition,
        truth: Option<&Truth>,
    ) -> anyhow::Result<Results> {
        let Session {
            engine,
            mut writer,
            mut written,
            ..
        } = self;
        let results = engine.finish();
        for (index, g) in results.features.iter().enumerate() {
            let Some(&mut from) = written.of_mut(&g.name) else {
                continue;
            };
            let from = from.min(g.time_s.len());
            if from < g.time_s.len() {
                let views: Vec<_> = g
                    .tables
                    .iter()
                    .map(|t| t.values.slice(ndarray::s![from.., ..]))
                    .collect();
                writer.append_features(index, &g.time_s[from..], &views);
            }
        }
        writer
            .finish(acquisition, &results, truth)
            .context("completing the recording")?;
        Ok(results)
    }
}
