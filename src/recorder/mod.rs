//! The live recorder as a library (DESIGN.md, "Part 2 — Sources and the recorder"):
//!
//! ```text
//!  Source (reader thread)                      recorder (consumer thread)
//!  port ─► decoder ─► assembler ─► ring ─────► Session: file writer (raw, gaps, timing)
//!  (bytes)  (frames)  (units, rows,  (blocks)            causal engine ─► new feature rows,
//!                      lost filled)                                        alarms, markers
//!                                                   │
//!                                                   └──► sinks: status, rows, alarms, events
//!                                                        (inline, or queued on their own
//!                                                         thread: a slow one drops, counted)
//! ```
//!
//! A [`Source`] (a serial device, the simulated device, later an LSL inlet) runs on the
//! reader thread and hands blocks of frames to the ring; the consumer stores each block,
//! runs the causal engine, appends every feature row as it completes and tells the sinks;
//! ten times a second it tells them the status. [`Control`] carries stop and marker
//! requests from any thread. The file is format v1 in SWMR mode while it grows and is
//! completed at the end with counters, events and summary; [`record`] returns a
//! [`Report`]. No terminal code lives here: the command line's status line and live view
//! are sinks.
//!
//! Following one sample: the port's bytes → `ingest` decoder (frames of counts) →
//! `ingest::acquire::Assembler` (physical units, row numbers, lost frames filled) → ring
//! `Block` → [`session::Session::handle`] (file, engine) → sinks.
//!
//! Memory stays flat however long the recording: the consumer gives each block back to the
//! reader through a second ring to be filled again, the engine forgets feature rows once
//! they are handed out (the summary keeps running totals), and each force channel's
//! low-passed signal, which the force onsets read once more at the end, waits on disk in
//! an unnamed file ([`spill`]). In its steady state the hot path allocates nothing per
//! block (`tests/alloc/`).

pub mod latency;
pub mod lsl_outlet;
pub mod lsl_source;
pub mod rate;
pub mod report;
pub mod session;
pub mod sink;
pub mod source;
pub mod stop;
pub mod update;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use report::Report;
pub use sink::{Sink, Sinks};
pub use source::{Source, SourceInfo};
pub use stop::{Control, Stop};
pub use update::{AlarmNotice, RawRows, Started, Status, Update};

use crate::dsp::DspError;
use crate::engine::{Filtering, Plan, StreamEngine};
use crate::ingest::acquire::{ReaderEnd, SharedStats};
use crate::ingest::pace::Pace;
use crate::recording::{Acquisition, Metadata};
use crate::ring::{ring, Block, Receiver};
use crate::sim::Simulator;
use crate::store::spill;
use crate::store::timestamp::utc_now;
use crate::store::StoreError;
use rate::{Rate, RateCheck};
use session::Session;
use source::Feed;

/// Blocks the ring holds: at one block per port read (a few ms each), seconds of data.
const RING_BLOCKS: usize = 4096;
/// Largest merged block handed to the session at once.
const MAX_MERGED_SAMPLES: usize = 1 << 20;
/// How often the sinks are told the status.
const STATUS_EVERY: Duration = Duration::from_millis(100);

/// What a recording is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The file to write (created; never an existing one).
    pub out: PathBuf,
    /// Stop after this many seconds of samples.
    pub duration_s: Option<f64>,
    /// Root attributes `subject` and `session` of the file, when given.
    pub subject: Option<String>,
    pub session: Option<String>,
}

/// Why a recording could not run, or kept nothing.
#[derive(Debug, thiserror::Error)]
pub enum RecorderError {
    #[error("{0}")]
    Engine(#[from] DspError),
    #[error("creating {path}: {error}")]
    Create { path: String, error: StoreError },
    #[error("starting the recorder's threads: {0}")]
    Threads(std::io::Error),
    #[error("{stop}; nothing was recorded, so {path} was not kept")]
    NothingRecorded { stop: Stop, path: String },
    #[error("completing the recording {path}: {error}")]
    Complete { path: String, error: StoreError },
}

/// Records from `source` into `settings.out`, telling `sinks`, until the duration, a stop
/// request, or the source's end. The consumer runs on a worker of its own thread pool:
/// when a push completes spectra and the engine spreads channels over the pool, the
/// consumer starts on them at once instead of waiting for sleeping workers to wake.
pub fn record(
    source: Box<dyn Source>,
    sinks: Sinks,
    settings: &Settings,
    control: Arc<Control>,
) -> Result<Report, RecorderError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("engine-{i}"))
        .build()
        .map_err(|e| RecorderError::Threads(std::io::Error::other(e)))?;
    pool.install(|| Recording::start(source, sinks, settings, control)?.run())
}

/// A running recording's consumer state.
struct Recording {
    source_info: SourceInfo,
    session: Session,
    sinks: Sinks,
    control: Arc<Control>,
    stop: Arc<AtomicBool>,
    stats: Arc<SharedStats>,
    rx: Receiver,
    reader: std::thread::JoinHandle<(ReaderEnd, Box<dyn Source>)>,
    clock: Instant,
    out: PathBuf,
    fs: f64,
    stop_reason: Option<Stop>,
    rate: Rate,
    rate_check: RateCheck,
    /// Force traces that could not be kept on disk.
    trace_problems: spill::Problems,
    /// Told when the next feature row is due, so the reader reads promptly then.
    pace: Arc<Pace>,
    /// The reads merged into the block being handled (first row, host time), reused.
    reads: Vec<(u64, f64)>,
}

impl Recording {
    /// Creates the file and starts the reader.
    fn start(
        source: Box<dyn Source>,
        mut sinks: Sinks,
        settings: &Settings,
        control: Arc<Control>,
    ) -> Result<Recording, RecorderError> {
        let info = source.info().clone();
        let plan = Plan::new(&info.montage, Filtering::Causal)?;
        let fs = plan.sample_rate_hz;
        let tremor_channels = plan.tremor_channels.clone();
        let problems = spill::Problems::default();
        let dir = match settings.out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let engine = StreamEngine::with_traces(
            plan,
            // Live runs are causal: their only traces are force signals, kept as f64.
            &mut spill::disk_traces(&dir, &info.montage, spill::TestCoding::Plain, &problems),
        )?;
        let limit = settings
            .duration_s
            .map(|d| (d * fs).round().max(1.0) as u64);
        let clock = Instant::now();
        let metadata = Metadata {
            recorded_utc: Some(utc_now()),
            subject: settings.subject.clone(),
            session: settings.session.clone(),
            ..Metadata::default()
        };
        let session = Session::create(
            &settings.out,
            engine,
            &info.description,
            &metadata,
            limit,
            clock,
        )
        .map_err(|error| RecorderError::Create {
            path: settings.out.display().to_string(),
            error,
        })?;
        sinks.send(&Update::Started(Arc::new(Started {
            montage: info.montage.clone(),
            tremor_channels,
            description: info.description.clone(),
        })));
        for note in &info.notes {
            sinks.send(&Update::Notice(note.clone()));
        }
        for problem in problems.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
            sinks.send(&Update::Notice(problem));
        }
        let (tx, rx) = ring(RING_BLOCKS);
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(SharedStats::default());
        let pace = Arc::new(Pace::new(fs));
        let reader = spawn_reader(
            source,
            tx,
            Arc::clone(&stop),
            Arc::clone(&stats),
            clock,
            Arc::clone(&pace),
        )
        .map_err(RecorderError::Threads)?;
        let mut rate = Rate::default();
        rate.update(0.0, 0, 0.0);
        Ok(Recording {
            source_info: info,
            session,
            sinks,
            control,
            stop,
            stats,
            rx,
            reader,
            clock,
            out: settings.out.clone(),
            fs,
            stop_reason: None,
            rate,
            rate_check: RateCheck::new(fs),
            trace_problems: problems,
            pace,
            reads: Vec::new(),
        })
    }

    /// Sets the reason the recording ends (the first one counts) and stops the reader.
    fn end(&mut self, why: Stop) {
        if self.stop_reason.is_none() {
            self.stop_reason = Some(why);
        }
        self.stop.store(true, Ordering::Relaxed);
    }

    /// The consumer loop, then the end of the recording.
    fn run(mut self) -> Result<Report, RecorderError> {
        let mut last_status = Instant::now() - STATUS_EVERY;
        loop {
            let worked = self.take_blocks();
            self.pace.row_due_at(self.session.next_row_due());
            if self.rx.finished() {
                break;
            }
            if self.control.stop_requested() {
                self.end(Stop::User);
            }
            for _ in 0..self.control.take_markers() {
                self.session.mark(&mut self.sinks);
            }
            if let Err(e) = self.session.flush_if_due() {
                self.end(Stop::WriteFailed(e.to_string()));
            }
            if last_status.elapsed() >= STATUS_EVERY {
                self.tell_status();
                last_status = Instant::now();
            }
            if !worked {
                std::thread::park_timeout(Duration::from_millis(20));
            }
        }
        self.finish()
    }

    /// Stores and analyses every block waiting; whether there was any.
    fn take_blocks(&mut self) -> bool {
        let mut worked = false;
        let mut reads = std::mem::take(&mut self.reads);
        while let Some(mut block) = take_waiting(&mut self.rx, &mut reads) {
            worked = true;
            // After a fault the rest is drained unread; after a requested stop it is kept.
            if self.stop_reason.as_ref().is_some_and(|s| !s.requested()) {
                self.rx.recycle(block);
                continue;
            }
            let handled = self.session.handle(&mut block, &reads, &mut self.sinks);
            self.rx.recycle(block);
            if let Err(e) = handled {
                self.end(Stop::WriteFailed(e.to_string()));
            }
            if self.session.done() {
                self.end(Stop::Duration);
            }
        }
        self.reads = reads;
        worked
    }

    /// Tells the sinks the status, and the rate check's warning when it has one.
    fn tell_status(&mut self) {
        let elapsed_s = self.clock.elapsed().as_secs_f64();
        let stats = self.stats.get();
        let arrived = stats.frames_received + stats.frames_missing;
        if let Some(warning) = self.rate_check.update(elapsed_s, arrived) {
            self.sinks.send(&Update::Notice(warning));
        }
        let status = Status {
            elapsed_s,
            frames_per_s: self.rate.update(elapsed_s, stats.frames_received, 0.5),
            stats,
            ring_fill: self.rx.fill(),
            rows: self.session.rows(),
            sample_rate_hz: self.fs,
            markers: self.session.markers(),
        };
        self.sinks.send(&Update::Status(status));
    }

    /// Joins the reader, completes the file and ends the sinks.
    fn finish(mut self) -> Result<Report, RecorderError> {
        let (end, mut source) = self.reader.join().unwrap_or_else(|_| {
            panic!("the reader thread panicked (a bug: the message above says where)")
        });
        source.close();
        let stop = match self.stop_reason.take() {
            Some(Stop::WriteFailed(m)) => Stop::WriteFailed(m),
            Some(r) if r.requested() && end == ReaderEnd::Stopped => r,
            _ => Stop::Source(end),
        };
        let stats = self.stats.get();
        // Counters of the rows kept: frames decoded after the duration was reached are not.
        let rows = self.session.rows();
        let received = rows - self.session.filled();
        let measured_rate_hz = self.rate_check.measured_hz();
        let acquisition = Acquisition {
            protocol: self.source_info.protocol.clone(),
            port: self.source_info.port.clone(),
            frames_received: received,
            frames_missing: self.session.filled(),
            frames_corrupt: stats.frames_corrupt,
            bytes_skipped: stats.bytes_skipped,
            ring_overruns: self.rx.overruns(),
            measured_rate_hz,
            gaps: Vec::new(),
            timing: Vec::new(),
        };
        let path = self.out.display().to_string();
        if rows == 0 && !stop.requested() {
            drop(self.session);
            self.sinks.finish();
            let _ = std::fs::remove_file(&self.out);
            return Err(RecorderError::NothingRecorded { stop, path });
        }
        // Rows follow the device's sequence numbers from 0, which are the simulator's
        // samples.
        let truth = self
            .source_info
            .scenario
            .as_ref()
            .and_then(|s| Simulator::new(s).ok())
            .map(|sim| sim.truth(rows));
        let latencies = self.session.latencies().clone();
        let markers = self.session.markers();
        let results = self
            .session
            .finish(&acquisition, truth.as_ref(), &mut self.sinks)
            .map_err(|error| RecorderError::Complete {
                path: path.clone(),
                error,
            })?;
        let problems = std::mem::take(
            &mut *self
                .trace_problems
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        );
        for problem in problems {
            self.sinks.send(&Update::Notice(problem));
        }
        let dropped = self.sinks.finish();
        Ok(Report {
            stop,
            rows,
            sample_rate_hz: self.fs,
            received,
            missing: acquisition.frames_missing,
            gaps: results
                .events
                .iter()
                .filter(|e| e.kind == crate::results::EventKind::Gap)
                .count(),
            corrupt: stats.frames_corrupt,
            bytes_skipped: stats.bytes_skipped,
            ring_overruns: acquisition.ring_overruns,
            discarded: stats.frames_received.saturating_sub(received),
            markers,
            measured_rate_hz,
            latencies,
            dropped,
        })
    }
}

/// Starts the reader thread: the source reads into the ring until stopped or ended, and
/// is handed back with why it ended.
fn spawn_reader(
    mut source: Box<dyn Source>,
    mut tx: crate::ring::Sender,
    stop: Arc<AtomicBool>,
    stats: Arc<SharedStats>,
    clock: Instant,
    pace: Arc<Pace>,
) -> std::io::Result<std::thread::JoinHandle<(ReaderEnd, Box<dyn Source>)>> {
    let consumer = std::thread::current();
    std::thread::Builder::new()
        .name("reader".into())
        .spawn(move || {
            let wake = move || consumer.unpark();
            let end = source.read(Feed {
                ring: &mut tx,
                stop: &stop,
                stats: &stats,
                clock,
                wake: &wake,
                pace: &pace,
            });
            (end, source)
        })
}

/// Every block waiting in the ring, as one block (fewer, larger pushes cost less than one
/// per port read), its host time the last read's; `reads` is set to each read's first row
/// and host time, so a row's latency is taken from the read that completed it.
fn take_waiting(rx: &mut Receiver, reads: &mut Vec<(u64, f64)>) -> Option<Block> {
    let mut block = rx.try_recv()?;
    reads.clear();
    reads.push((block.first_row, block.host_s));
    while block.frames.len() < MAX_MERGED_SAMPLES {
        let Some(next) = rx.try_recv() else { break };
        reads.push((next.first_row, next.host_s));
        block.frames.extend_from_slice(&next.frames);
        block.gaps.extend_from_slice(&next.gaps);
        block.host_s = next.host_s;
        block.source_s = next.source_s.or(block.source_s);
        rx.recycle(next);
    }
    Some(block)
}
