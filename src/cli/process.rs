//! `myobalance process INPUT... [--montage M.toml] (--out FILE.h5 | --out-dir DIR)
//! [--causal] [--jobs N] [--rate HZ]`: batch analysis of stored recordings (myobalance
//! HDF5, CSV, EDF/BDF, C3D, OpenBCI, OpenSignals, WFDB) into format v1 files holding the
//! raw samples (with the input's acquisition counters, annotations and truth), features,
//! events and summary, so an output can be reprocessed and reported on by itself. Without
//! `--montage`, an input that carries no montage gets one guessed from its labels and
//! units, said in one line.
//!
//! A myobalance HDF5 input read with its own montage is read a block at a time when its
//! stored chunks are decoded here, or when its samples are large (`--read auto`: see
//! [`reads_whole`]), and so is an EDF or BDF input whose signals share one rate and that
//! has no gaps (`import::streamed`), so memory stays bounded however long the recording;
//! the line that reports each input says how it was read. The
//! analysis is the same either way (the engine always runs block by block; the signals it
//! needs again at the end wait in unnamed files in `$TMPDIR`).
//!
//! Inputs run in parallel on a pool of `--jobs` threads (the engine's channels share it).
//! An input that fails is reported and listed at the end while the others go on; the exit
//! code is then 1. Bad usage or a bad `--montage` stops everything before it starts
//! (exit code 2).
//!
//! For batches split over many machines (a Slurm job array, Kubernetes Indexed Jobs, GNU
//! parallel): `--inputs-from FILE|-` reads the inputs from a list, `--shard K/N` takes only
//! task K's share of them (`crate::cluster::shard`), and `--skip-existing` leaves out
//! inputs whose complete output is already there, so running the same command again
//! finishes what a failed run left undone.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use clap::{ArgGroup, Args};
use rayon::prelude::*;

use super::input::open_stored;
use super::input::{guess_line, load, open_imported, Input, MontageArg};
use super::outputs::{output_paths, Destination};
use super::progress::Progress;
use super::{Outcome, UsageError};
use crate::cluster::inputs::read_list;
use crate::cluster::shard::{sorted, Shard};
use crate::cluster::skip::is_complete;
use crate::engine::{
    Filtering, KeptRows, Plan, RowCounts, StreamEngine, BLOCK_FRAMES, STRETCH_FRAMES,
};
use crate::montage::Montage;
use crate::recording::Recording;
use crate::results::{GroupId, Results};
use crate::store::spill::{disk_traces, writeback_threshold, Problems, TestCoding};
use crate::store::{write_file, RowBlocks, StreamedFile, WriteOptions};

/// How an input's samples are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Reading {
    /// A myobalance HDF5 file in blocks when its stored chunks are decoded here or its
    /// samples are large, else whole; an EDF or BDF file in blocks
    /// when it can be (one rate, no gaps); any other input whole.
    Auto,
    /// All at once, into memory.
    Whole,
    /// A block at a time: memory bounded whatever the recording's length.
    Blocks,
}

/// `--read auto` reads an input whole when its samples (as f32) take at most this much
/// and its chunks are not decoded here.
pub const WHOLE_LIMIT_BYTES: u64 = 256 << 20;

/// Whether `--read auto` reads samples of `bytes` whole; `decoded_here` when the
/// stored chunks are decoded here, in parallel (the layout this software writes). Such
/// an input is read in blocks at any length: block by block, its samples are decoded
/// beside the analysis and its chunks copied to the output on a thread of their own, so
/// it is as fast as read whole or faster, with less memory (the README's performance
/// section has the figures); the rest is read whole when it fits.
pub fn reads_whole(bytes: u64, decoded_here: bool) -> bool {
    !decoded_here && bytes <= WHOLE_LIMIT_BYTES
}

/// Rows read at a time in blocks (rounded up to whole stored chunks): two engine blocks.
/// The first read is one block, so that later reads end halfway through a stretch the
/// zero-phase filters hand on ([`STRETCH_FRAMES`], two blocks), not on its boundary.
/// Measured on the 2-core machine of the README with alternating runs of `myobalance
/// process`: on the 5-minute 24-channel input of `scripts/compare_scipy.py` (two EMG groups
/// and one force group), reads of four blocks ending on stretch boundaries (the layout
/// before) took 11–18 % longer than these, the same engine blocks pushed in the same
/// order: each push of four blocks took 19 instead of 14 ms and the row appends between
/// them three times as long; reads of two blocks ending on the boundaries, 2 % longer. On
/// an 8-channel 10-minute and a 32-channel 10 kHz input the layouts differ by less than
/// the runs do (±1.2 %).
const READ_ROWS: usize = 2 * BLOCK_FRAMES;

/// Rows of the first read (see [`READ_ROWS`]).
const FIRST_ROWS: usize = BLOCK_FRAMES;
const _: () = assert!(STRETCH_FRAMES == READ_ROWS && FIRST_ROWS * 2 == STRETCH_FRAMES);

/// Options of `myobalance process`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("destination").required(true).args(["out", "out_dir"])))]
pub struct ProcessArgs {
    /// Input files: myobalance HDF5, CSV, EDF/EDF+, BDF/BDF+, C3D, OpenBCI GUI text,
    /// OpenSignals text or HDF5, WFDB (.hea); the format is found from the content.
    #[arg(required_unless_present = "inputs_from", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Read (more) inputs from FILE, one path per line (`#` comments and blank lines
    /// skipped); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub inputs_from: Option<PathBuf>,
    /// Process only task K's share of the inputs (K from 0 to N−1): inputs sorted by path,
    /// input i to task i mod N, whatever order they were given in. Needs --out-dir.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Leave out inputs whose output already exists complete (outputs are renamed into
    /// place only when complete, so one a killed run left half-written does not count).
    #[arg(long)]
    pub skip_existing: bool,
    /// Montage TOML: channels (matched to the input's by label, else name), kinds, sides,
    /// pairs and analysis settings. Without it a myobalance file uses its own and other
    /// inputs get one guessed from their labels and units.
    #[arg(long, value_name = "M.toml")]
    pub montage: Option<PathBuf>,
    /// The rate to analyse at, in Hz: for a CSV file without a time_s column; for a file
    /// with signals at several rates (default: the highest EMG rate).
    #[arg(long, value_name = "HZ")]
    pub rate: Option<f64>,
    /// Of an XDF file with several streams, the one to analyse (default: the first of type
    /// EMG); the other streams join it.
    #[arg(long, value_name = "NAME")]
    pub stream: Option<String>,
    /// Output file, for a single input.
    #[arg(long, value_name = "FILE.h5")]
    pub out: Option<PathBuf>,
    /// Output directory: DIR/<input stem>.h5 for each input (created when missing).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Causal filtering, exactly as a live recording computes it (default: zero-phase).
    #[arg(long)]
    pub causal: bool,
    /// The subject (patient code) written as each output's `subject` (default: the
    /// input's own, when it has one).
    #[arg(long, value_name = "S")]
    pub subject: Option<String>,
    /// The session's label written as each output's `session` (default: the input's own).
    #[arg(long, value_name = "L")]
    pub session: Option<String>,
    /// Worker threads shared by inputs and channels (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// How an input's samples are read: whole (into memory), in blocks (memory bounded
    /// whatever the length, results the same), or auto: a myobalance HDF5 file in blocks
    /// when its chunks are stored as this software writes them (shuffled and deflated,
    /// whole rows: decoded here, beside the analysis) or take more than 256 MB as f32 (2 h
    /// of 8 channels at 2 kHz); an EDF or BDF file in blocks when its signals share one
    /// rate and it has no gaps; any other input whole.
    #[arg(long, value_enum, default_value_t = Reading::Auto)]
    pub read: Reading,
}

/// `process`'s flags, checked.
#[derive(Debug, Clone)]
pub struct ProcessSettings {
    /// Input files to process, in command-line order (sorted by path with `--shard`),
    /// without those `--shard` gives other tasks and those `--skip-existing` skips.
    pub inputs: Vec<PathBuf>,
    /// The output of each input.
    pub outputs: Vec<PathBuf>,
    /// Inputs left out by `--skip-existing`, with their outputs.
    pub skipped: Vec<(PathBuf, PathBuf)>,
    /// Where the outputs go, as given.
    pub destination: Destination,
    /// The `--montage`, loaded and validated.
    pub montage: Option<MontageArg>,
    /// Causal (`--causal`) or zero-phase filtering.
    pub filtering: Filtering,
    /// Size of the thread pool.
    pub jobs: usize,
    /// `--rate`.
    pub rate_hz: Option<f64>,
    /// `--stream`.
    pub stream: Option<String>,
    /// `--subject` and `--session`.
    pub subject: Option<String>,
    pub session: Option<String>,
    /// `--read`.
    pub reading: Reading,
}

impl ProcessArgs {
    /// Validates the flags and loads the montage; every error here is the caller's to fix
    /// (exit code 2): it names the flag or the file.
    pub fn settings(self) -> anyhow::Result<ProcessSettings> {
        let destination = match (self.out, self.out_dir) {
            (Some(file), None) => Destination::File(file),
            (None, Some(dir)) => Destination::Dir(dir),
            // clap's argument group admits exactly one of the two.
            _ => {
                return Err(UsageError("give either --out FILE.h5 or --out-dir DIR".into()).into())
            }
        };
        let jobs = match self.jobs {
            Some(0) => return Err(UsageError("--jobs 0: give at least 1".into()).into()),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, usize::from),
        };
        let mut inputs = self.inputs;
        if let Some(list) = &self.inputs_from {
            inputs.extend(read_inputs_from(list)?);
        }
        if let Some(shard) = self.shard {
            if let Destination::File(out) = &destination {
                return Err(UsageError(format!(
                    "--shard {shard} with --out {}: a shard writes several outputs; use --out-dir DIR",
                    out.display()
                ))
                .into());
            }
            inputs = sorted(inputs);
            if inputs.is_empty() {
                return Err(UsageError(format!(
                    "--shard {shard}: there are no inputs to share out"
                ))
                .into());
            }
        } else if inputs.is_empty() {
            return Err(UsageError("no inputs: the --inputs-from list is empty".into()).into());
        }
        // Every output is named from the whole list, so that a clash between inputs of
        // different tasks is refused by each of them.
        let outputs = output_paths(&inputs, &destination)?;
        let mine = |i: usize| self.shard.is_none_or(|s| s.takes(i));
        let (mut chosen, mut skipped) = (Vec::new(), Vec::new());
        for (i, (input, output)) in inputs.into_iter().zip(outputs).enumerate() {
            if !mine(i) {
                continue;
            }
            if self.skip_existing && is_complete(&output) {
                skipped.push((input, output));
            } else {
                chosen.push((input, output));
            }
        }
        let (inputs, outputs): (Vec<PathBuf>, Vec<PathBuf>) = chosen.into_iter().unzip();
        let montage = match &self.montage {
            Some(path) => Some(MontageArg {
                montage: Montage::load(path).context("--montage")?,
                origin: path.display().to_string(),
            }),
            None => None,
        };
        if let Some(rate) = self.rate {
            if !(rate.is_finite() && rate > 0.0) {
                return Err(
                    UsageError(format!("--rate {rate}: give a positive rate in Hz")).into(),
                );
            }
        }
        Ok(ProcessSettings {
            inputs,
            outputs,
            skipped,
            destination,
            montage,
            filtering: if self.causal {
                Filtering::Causal
            } else {
                Filtering::ZeroPhase
            },
            jobs,
            rate_hz: self.rate,
            stream: self.stream.clone(),
            subject: self.subject.clone(),
            session: self.session.clone(),
            reading: self.read,
        })
    }
}

/// The inputs listed in `list` (`-`: standard input).
fn read_inputs_from(list: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let found = if list.as_os_str() == "-" {
        read_list(std::io::stdin().lock(), "--inputs-from standard input")
    } else {
        let shown = format!("--inputs-from {}", list.display());
        let file = std::fs::File::open(list)
            .map_err(|e| UsageError(format!("{shown}: cannot open it: {e}")))?;
        read_list(std::io::BufReader::new(file), &shown)
    };
    Ok(found.map_err(UsageError)?)
}

/// Processes every input and reports; `PartialFailure` when some failed.
pub fn run(args: ProcessArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let settings = args.settings()?;
    if let Destination::Dir(dir) = &settings.destination {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("--out-dir {}: cannot create it", dir.display()))?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs)
        .build()
        .context("cannot start the worker threads")?;
    if !settings.skipped.is_empty() {
        eprintln!(
            "skipping {} input(s) whose output is complete (--skip-existing)",
            settings.skipped.len()
        );
    }
    let progress = Progress::new(settings.inputs.len());
    let outcomes: Vec<anyhow::Result<()>> = pool.install(|| {
        settings
            .inputs
            .par_iter()
            .zip(&settings.outputs)
            .map(|(input, output)| {
                let t = Instant::now();
                let outcome = guarded(input, || process_one(input, output, &settings, &progress));
                progress.done(&match &outcome {
                    Ok(read) => format!(
                        "{} → {} ({:.2} s, {read})",
                        input.display(),
                        output.display(),
                        t.elapsed().as_secs_f64()
                    ),
                    Err(e) => format!("FAILED {}", naming(input, e)),
                });
                outcome.map(|_| ())
            })
            .collect()
    });
    progress.finish();

    let failed: Vec<(&PathBuf, &anyhow::Error)> = settings
        .inputs
        .iter()
        .zip(&outcomes)
        .filter_map(|(input, o)| o.as_ref().err().map(|e| (input, e)))
        .collect();
    if !failed.is_empty() {
        eprintln!("failed inputs:");
        for (input, e) in &failed {
            eprintln!("  {}", naming(input, e));
        }
    }
    let skipped = if settings.skipped.is_empty() {
        String::new()
    } else {
        format!(", {} skipped", settings.skipped.len())
    };
    eprintln!(
        "process: {} processed{skipped}, {} failed, {:.2} s",
        outcomes.len() - failed.len(),
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(if failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}

/// Reads, analyses and writes one input; says how its samples were read.
fn process_one(
    input: &Path,
    output: &Path,
    settings: &ProcessSettings,
    progress: &Progress,
) -> anyhow::Result<String> {
    if settings.reading != Reading::Whole {
        if let Some((recording, samples)) = open_stored(input, settings.montage.as_ref())? {
            let bytes = (samples.rows() * samples.channels()) as u64 * 4;
            let decoded_here = samples.chunk_rows().is_some();
            let read = match settings.reading {
                Reading::Auto if reads_whole(bytes, decoded_here) => None,
                Reading::Auto if decoded_here => {
                    Some("read in blocks: its chunks decoded beside the analysis".to_string())
                }
                Reading::Auto => Some(format!(
                    "read in blocks: {:.0} MB of samples, more than the {} MB read whole",
                    bytes as f64 / 1e6,
                    WHOLE_LIMIT_BYTES >> 20
                )),
                _ => Some("read in blocks".to_string()),
            };
            if let Some(read) = read {
                let chunks = Some(input.to_path_buf());
                process_blocks(
                    input, output, settings, progress, recording, &samples, chunks,
                )?;
                return Ok(read);
            }
        } else {
            let montage = settings.montage.as_ref();
            if let Some((opened, rows)) = open_imported(input, montage, settings.rate_hz)? {
                tell(progress, input, &opened);
                let read = match settings.reading {
                    Reading::Auto => "read in blocks: its data records decoded as the \
                                      analysis goes"
                        .to_string(),
                    _ => "read in blocks".to_string(),
                };
                process_blocks(
                    input,
                    output,
                    settings,
                    progress,
                    opened.recording,
                    &rows,
                    None,
                )?;
                return Ok(read);
            }
        }
    }
    let mut loaded = load(
        input,
        settings.montage.as_ref(),
        settings.rate_hz,
        settings.stream.as_deref(),
    )?;
    with_labels(&mut loaded.recording, settings);
    tell(progress, input, &loaded);
    let recording = &loaded.recording;
    let results = analyze_fed(
        input,
        progress,
        recording,
        recording.samples.nrows(),
        settings.filtering,
        KeptRows::All,
        |engine| {
            engine.push_samples(&recording.samples);
            Ok(())
        },
    )?;
    // An HDF5 input read with its own montage holds exactly the samples written out: its
    // compressed chunks are copied instead of being encoded again.
    let options = WriteOptions {
        raw_chunks_from: loaded.untouched_hdf5.then(|| input.to_path_buf()),
        ..WriteOptions::default()
    };
    write_file(output, recording, Some(&results), &options)
        .with_context(|| format!("{}: cannot write {}", input.display(), output.display()))?;
    Ok(match settings.reading {
        Reading::Blocks => "read whole: only myobalance HDF5 files with their own montage, and \
                            EDF and BDF files with one rate and no gaps, are read in blocks"
            .to_string(),
        _ => "read whole".to_string(),
    })
}

/// Says the montage guessed for `input`, if any, and its warnings.
fn tell(progress: &Progress, input: &Path, read: &Input) {
    if let Some(g) = &read.guess {
        progress.note(&guess_line(&input.display().to_string(), g));
    }
    for warning in &read.warnings {
        progress.note(&format!("warning: {warning}"));
    }
}

/// `--subject` and `--session`, when given, replace the input's own.
fn with_labels(recording: &mut Recording, settings: &ProcessSettings) {
    let metadata = &mut recording.metadata;
    if let Some(s) = &settings.subject {
        metadata.subject = Some(s.clone());
    }
    if let Some(s) = &settings.session {
        metadata.session = Some(s.clone());
    }
}

/// Analyses and writes an input whose samples are read a block at a time (the `recording`
/// holds none; a myobalance HDF5 input's stored chunks are copied from `raw_chunks_from`):
/// the output's raw samples are written first, then the feature rows as they complete,
/// so neither is ever all in memory. Long inputs report their progress every tenth.
fn process_blocks(
    input: &Path,
    output: &Path,
    settings: &ProcessSettings,
    progress: &Progress,
    mut recording: Recording,
    samples: &dyn RowBlocks,
    raw_chunks_from: Option<PathBuf>,
) -> anyhow::Result<()> {
    with_labels(&mut recording, settings);
    let rows = samples.rows();
    let stored = samples.block_rows().unwrap_or(1);
    let step = READ_ROWS.next_multiple_of(stored);
    let first_rows = FIRST_ROWS.next_multiple_of(stored).min(step);
    let fs = recording.sample_rate_hz();
    let options = WriteOptions {
        raw_chunks_from,
        ..WriteOptions::default()
    };
    let cannot_write = || format!("{}: cannot write {}", input.display(), output.display());
    std::thread::scope(|scope| {
        // The first block is read (its chunks decoded on the pool) while the output file is
        // made and the engine built.
        let first = scope.spawn(|| {
            let mut block = Vec::new();
            let read = samples.read_into(0, first_rows, &mut block);
            (read, block)
        });
        let mut file = StreamedFile::create(output, &recording).with_context(cannot_write)?;
        let raw = file.raw_samples().with_context(cannot_write)?;
        let mut at_end = RowCounts::default();
        let total =
            |at_end: RowCounts| move |name: &str| GroupId::parse(name).map_or(0, |g| at_end.of(g));
        let kept = KeptRows::NotHandedOut;
        let feed = |engine: &mut StreamEngine| -> anyhow::Result<()> {
            at_end = engine.rows_at_end(rows);
            let (mut next_read, mut next) = first
                .join()
                .unwrap_or_else(|_| (Err(panicked(input, "samples", "reading them")), Vec::new()));
            let (mut told, mut block) = (0, Vec::new());
            // The feature rows the block before completed, written while the engine takes
            // the next one.
            let mut completed = Vec::new();
            // The block in hand holds rows `start..end`.
            let (mut start, mut end) = (0, first_rows);
            while start < rows {
                std::mem::swap(&mut block, &mut next);
                let read = next_read?;
                let after = end.saturating_add(step);
                // The next block is read, and the rows before written, as a task of the pool
                // the engine runs on, so that decoding and writing fill the moments a core
                // would wait for the engine's other tasks, instead of both cores waiting for
                // them between blocks (past the end, `read_into` reads nothing).
                let written;
                (next_read, written) = rayon::join(
                    || engine.push(&block),
                    || {
                        let read = samples.read_into(end, after, &mut next);
                        (read, file.append(&completed, &total(at_end)))
                    },
                )
                .1;
                written.with_context(cannot_write)?;
                completed = engine.new_rows();
                let tenths = (start + read) * 10 / rows.max(1);
                if tenths > told && tenths < 10 && rows as f64 > LONG_S * fs {
                    told = tenths;
                    progress.note(&format!(
                        "{}: {}0 % analysed ({:.0} of {:.0} min)",
                        input.display(),
                        tenths,
                        (start + read) as f64 / fs / 60.0,
                        rows as f64 / fs / 60.0
                    ));
                }
                (start, end) = (end, after);
            }
            file.append(&completed, &total(at_end))
                .with_context(cannot_write)
        };
        // The raw samples are copied on a thread of their own while the analysis runs.
        let (recording, options) = (&recording, &options);
        let copier = scope.spawn(move || raw.write(recording, samples, options));
        let results = analyze_fed(
            input,
            progress,
            recording,
            rows,
            settings.filtering,
            kept,
            feed,
        );
        let copied = copier
            .join()
            .unwrap_or_else(|_| Err(panicked(output, "/raw/samples", "copying the samples")));
        let results = results?;
        copied.with_context(cannot_write)?;
        let annotations = &recording.metadata.annotations;
        file.finish(&results, annotations, &total(at_end))
            .with_context(cannot_write)
    })
}

/// The error of a thread of `process` that panicked while `doing` something to `object`
/// of `path`.
fn panicked(path: &Path, object: &str, doing: &str) -> crate::store::StoreError {
    crate::store::StoreError::Invalid {
        path: path.to_path_buf(),
        object: object.to_string(),
        problem: format!("{doing} failed (a panic)"),
    }
}

/// Inputs longer than this (in seconds) report their progress as they are analysed.
const LONG_S: f64 = 600.0;

/// Runs the engine over the `frames` frames of `recording` (its montage and gaps), fed by
/// `feed`, keeping the rows `kept` says; the signals the engine needs again at the end
/// wait in unnamed files in the temporary directory, so its memory does not grow with the
/// recording.
fn analyze_fed(
    input: &Path,
    progress: &Progress,
    recording: &Recording,
    frames: usize,
    filtering: Filtering,
    kept: KeptRows,
    feed: impl FnOnce(&mut StreamEngine) -> anyhow::Result<()>,
) -> anyhow::Result<Results> {
    let failed = || format!("{}: analysis failed", input.display());
    let plan = Plan::new(&recording.montage, filtering).with_context(failed)?;
    let dir = std::env::temp_dir();
    let problems = Problems::default();
    let montage = &recording.montage;
    let tests = TestCoding::for_run(frames as u64, montage.channels.len(), writeback_threshold());
    let mut traces = disk_traces(&dir, montage, tests, &problems);
    let mut engine = StreamEngine::with_traces(plan, &mut traces)
        .with_context(failed)?
        .keeping(kept);
    for gap in recording.acquisition.iter().flat_map(|a| &a.gaps) {
        engine.add_gap(*gap);
    }
    feed(&mut engine)?;
    let results = engine.finish();
    for problem in problems.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        progress.note(&format!("warning: {}: {problem}", input.display()));
    }
    Ok(results)
}

/// Runs `work`, turning a panic into an error so one input's bug does not end the batch.
fn guarded<T>(input: &Path, work: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(anyhow::anyhow!(
            "{}: internal error (a panic, reported above); please report it with this input",
            input.display()
        ))
    })
}

/// The error as one line that names the input (most errors already do). A cause that an
/// outer message already quotes is not repeated.
fn naming(input: &Path, e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
    }
    let shown = input.display().to_string();
    if text.contains(&shown) {
        text
    } else {
        format!("{shown}: {text}")
    }
}
