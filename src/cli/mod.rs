//! Command-line interface: one file per subcommand, each turning its flags into validated
//! settings and calling the library. No DSP happens here.

use clap::{Parser, Subcommand};

pub mod bench;
pub mod input;
pub mod inspect;
pub mod montage;
pub mod mvc;
pub mod outputs;
pub mod ports;
pub mod process;
pub mod progress;
pub mod progress_page;
pub mod read_sessions;
pub mod record;
pub mod report;
pub mod simulate;
pub mod slurm;
pub mod summarize;
pub mod view;

/// Exit status of a subcommand that returned normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything succeeded (exit code 0).
    Success,
    /// Some inputs failed; the others were processed (exit code 1).
    PartialFailure,
}

impl From<Outcome> for std::process::ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Success => std::process::ExitCode::SUCCESS,
            Outcome::PartialFailure => std::process::ExitCode::from(1),
        }
    }
}

/// An error caused by how the program was called or configured (exit code 2) rather than
/// by the data.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Exit code for an error that ended a subcommand: 2 for bad usage or configuration,
/// 1 otherwise.
///
/// A [`MontageError`](crate::montage::MontageError) here is the montage given on the
/// command line (`--montage`): the montage inside an input file is reported through the
/// store's and the CSV reader's own errors, and `process` keeps per-input errors to itself.
pub fn exit_code_for(err: &anyhow::Error) -> std::process::ExitCode {
    let usage = err.chain().any(|e| {
        e.is::<UsageError>()
            || e.is::<crate::dsp::DspError>()
            || e.is::<crate::montage::MontageError>()
    });
    std::process::ExitCode::from(if usage { 2 } else { 1 })
}

/// Surface EMG and force pipeline for muscle-imbalance work.
#[derive(Debug, Parser)]
#[command(name = "myobalance", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Benchmark the DSP core on synthetic data and print throughput per kernel.
    Bench(bench::BenchArgs),
    /// Write a simulated recording (elbow flexion sets, or knee extension and flexion holds
    /// with --scenario knee) with its ground truth.
    Simulate(simulate::SimulateArgs),
    /// Describe a recording in any format read: channels, rate, duration, gaps, annotations,
    /// groups, summary, and the montage guessed for files that bring none.
    Inspect(inspect::InspectArgs),
    /// Write the montage of a recording (guessed from its labels and units) to edit.
    Montage(montage::MontageArgs),
    /// Analyse stored recordings (HDF5, CSV, EDF/BDF, C3D, OpenBCI, OpenSignals, WFDB)
    /// into HDF5 files with features and summary.
    Process(process::ProcessArgs),
    /// Find each EMG channel's MVC reference from maximal-contraction trials.
    Mvc(mvc::MvcArgs),
    /// List the serial ports a recording can use (with a hint for slow FTDI timers).
    Ports(ports::PortsArgs),
    /// Record a session from a device on a serial port (or the simulated device).
    Record(record::RecordArgs),
    /// Write a self-contained HTML report of a recording's features, events and summary.
    Report(report::ReportArgs),
    /// Write (and with --submit, submit) a Slurm job array that processes many recordings
    /// on a cluster, and a job that gathers their summary table.
    Slurm(slurm::SlurmArgs),
    /// Write the cohort table: one CSV row per summary value of each processed file
    /// (file, subject, session, recorded_utc, group, name, measure, value, unit).
    Summarize(summarize::SummarizeArgs),
    /// Write a subject's progress over sessions as a self-contained HTML page: LSI,
    /// strength ratio, MVC left and right, co-contraction, tremor and fatigue trends.
    Progress(progress_page::ProgressArgs),
    /// Play a file's raw samples and feature rows back through the live view, in a browser
    /// (--web) or the terminal, at --speed times real time.
    View(view::ViewArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Bench(args) => bench::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Montage(args) => montage::run(args),
        Command::Mvc(args) => mvc::run(args),
        Command::Ports(args) => ports::run(args),
        Command::Process(args) => process::run(args),
        Command::Record(args) => record::run(args),
        Command::Report(args) => report::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Slurm(args) => slurm::run(args),
        Command::Summarize(args) => summarize::run(args),
        Command::Progress(args) => progress_page::run(args),
        Command::View(args) => view::run(args),
    }
}
