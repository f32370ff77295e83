//! `myobalance simulate`: a recording of a built-in physiological scenario with its ground
//! truth, as a format v1 file or as CSV with a montage file beside it. `--scenario elbow`
//! (the default) gives elbow flexion sets, `--scenario knee` knee extension and flexion holds
//! with a signed torque per knee; both have a weaker left side (`--side-ratio`),
//! co-contraction, fatigue and late tremor, and the knee a hamstrings:quadriceps strength
//! ratio (`--strength-ratio`). `--subject`, `--session` and `--start` label the file like a
//! patient's session (root attributes `subject`, `session`, `recorded_utc`), so a series of
//! sessions with a known trend can be made.
//!
//! The scenario flags are shared with `record --simulate` ([`ScenarioArg`],
//! [`apply_scenario`]); the simulator itself is `crate::sim`.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, ValueEnum};

use super::{Outcome, UsageError};
use crate::sim::{simulate, Scenario, SimError, SimSettings};
use crate::store::{write_csv, write_file, WriteOptions};

pub mod start;

use start::recorded_utc;

/// The simulator's scenarios, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScenarioArg {
    /// Elbow flexion sets: biceps_l/r, triceps_l/r (EMG), force_l/r (N).
    Elbow,
    /// Knee extension and flexion holds: vl_l/r (quadriceps), bf_l/r (hamstrings),
    /// torque_l/r (N.m, extension positive).
    Knee,
}

impl From<ScenarioArg> for Scenario {
    fn from(s: ScenarioArg) -> Scenario {
        match s {
            ScenarioArg::Elbow => Scenario::Elbow,
            ScenarioArg::Knee => Scenario::Knee,
        }
    }
}

/// Sets the scenario, `--side-ratio` and `--strength-ratio` on `settings` and checks them
/// (for `simulate` and `record --simulate`). `--strength-ratio` applies to the knee only.
pub fn apply_scenario(
    settings: &mut SimSettings,
    scenario: ScenarioArg,
    side_ratio: Option<f64>,
    strength_ratio: Option<f64>,
) -> Result<(), UsageError> {
    settings.scenario = scenario.into();
    if let Some(r) = side_ratio {
        settings.side_ratio = r;
    }
    if let Some(r) = strength_ratio {
        if settings.scenario != Scenario::Knee {
            return Err(UsageError(format!(
                "--strength-ratio {r}: applies to --scenario knee (the {} scenario has no \
                 antagonist repetitions to take a strength ratio of)",
                settings.scenario
            )));
        }
        settings.strength_ratio = r;
    }
    settings.validate().map_err(|e| usage_of(&e))
}

/// A setting the simulator refused, as a usage error naming the flag that set it.
fn usage_of(e: &SimError) -> UsageError {
    let flag = match e {
        SimError::RateTooLow { .. } => "--rate",
        SimError::Setting { key, .. } => match *key {
            "sample_rate_hz" => "--rate",
            "seconds" => "--seconds",
            "side_ratio" => "--side-ratio",
            "strength_ratio" => "--strength-ratio",
            _ => "the flags",
        },
        _ => "the flags",
    };
    UsageError(format!("{e} (check {flag})"))
}

/// Options of `myobalance simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The scenario: elbow flexion sets, or knee extension and flexion holds (signed knee
    /// torque per side).
    #[arg(long, value_enum, default_value_t = ScenarioArg::Elbow)]
    pub scenario: ScenarioArg,
    /// Left over right activation, force and torque: below 1 the left side is weaker
    /// (default 0.8).
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    pub side_ratio: Option<f64>,
    /// Hamstrings over quadriceps strength (flexion over extension peak torque) on both
    /// knees, in (0, 2] (default 0.6); --scenario knee only.
    #[arg(long, value_name = "R", allow_negative_numbers = true)]
    pub strength_ratio: Option<f64>,
    /// The subject (patient code), stored as the file's `subject` (HDF5 output only).
    #[arg(long, value_name = "S")]
    pub subject: Option<String>,
    /// The session's label ("w1", "week 3"), stored as the file's `session` (HDF5 only).
    #[arg(long, value_name = "L")]
    pub session: Option<String>,
    /// When the simulated session started, ISO 8601: 2026-03-02T10:00:00Z (UTC), with an
    /// offset (+01:00, stored in UTC) or without a zone; stored as `recorded_utc` (HDF5
    /// only).
    #[arg(long, value_name = "ISO8601")]
    pub start: Option<String>,
    /// Length in seconds.
    #[arg(long, default_value_t = 60.0, allow_negative_numbers = true)]
    pub seconds: f64,
    /// Sample rate in Hz (at least 500).
    #[arg(long, default_value_t = 2000.0, allow_negative_numbers = true)]
    pub rate: f64,
    /// Seed of the random generator: the same seed gives the same recording.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output: FILE.h5 (format v1, with /truth) or FILE.csv (also writes FILE.montage.toml).
    #[arg(long)]
    pub out: PathBuf,
}

enum Format {
    Hdf5,
    Csv,
}

fn format_of(path: &Path) -> Result<Format, UsageError> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("h5" | "hdf5") => Ok(Format::Hdf5),
        Some("csv") => Ok(Format::Csv),
        _ => Err(UsageError(format!(
            "--out {}: the name must end in .h5 (HDF5) or .csv",
            path.display()
        ))),
    }
}

/// The montage file written beside `x.csv`: `x.montage.toml`.
pub fn montage_path_for(csv: &Path) -> PathBuf {
    csv.with_extension("montage.toml")
}

/// Runs the simulator and writes its output.
pub fn run(args: SimulateArgs) -> anyhow::Result<Outcome> {
    let format = format_of(&args.out)?;
    let mut settings = SimSettings::new(args.seconds, args.rate, args.seed);
    apply_scenario(
        &mut settings,
        args.scenario,
        args.side_ratio,
        args.strength_ratio,
    )?;
    let recorded = match &args.start {
        Some(text) => {
            Some(recorded_utc(text).map_err(|why| UsageError(format!("--start {text:?}: {why}")))?)
        }
        None => None,
    };
    let mut recording = simulate(&settings).context("the simulator failed")?;
    recording.metadata.subject = args.subject.clone();
    recording.metadata.session = args.session.clone();
    recording.metadata.recorded_utc = recorded;
    match format {
        Format::Hdf5 => write_file(&args.out, &recording, None, &WriteOptions::default())
            .with_context(|| format!("cannot write {}", args.out.display()))?,
        Format::Csv => {
            let labels: Vec<&str> = [
                ("--subject", args.subject.is_some()),
                ("--session", args.session.is_some()),
                ("--start", args.start.is_some()),
            ]
            .iter()
            .filter(|f| f.1)
            .map(|f| f.0)
            .collect();
            if !labels.is_empty() {
                eprintln!(
                    "note: {} not stored: CSV output has no place for the subject, session \
                     or start (write .h5 to keep them)",
                    labels.join(", ")
                );
            }
            let montage = montage_path_for(&args.out);
            write_csv(&args.out, &recording)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            // CSV holds physical units: the device scaling does not apply to it.
            let mut csv_montage = recording.montage.clone();
            for c in &mut csv_montage.channels {
                c.scale = 1.0;
                c.offset = 0.0;
            }
            let text = format!(
                "# Montage of the simulated recording {}.\n# Use: myobalance process {} --montage {}\n{}",
                args.out.display(),
                args.out.display(),
                montage.display(),
                csv_montage.to_toml_string()
            );
            std::fs::write(&montage, text)
                .with_context(|| format!("cannot write {}", montage.display()))?;
            eprintln!("wrote {}", montage.display());
        }
    }
    eprintln!(
        "wrote {}: {} scenario, {} channels × {} samples at {} Hz ({} s), seed {}",
        args.out.display(),
        settings.scenario,
        recording.samples.ncols(),
        recording.samples.nrows(),
        recording.sample_rate_hz(),
        recording.duration_s(),
        args.seed
    );
    Ok(Outcome::Success)
}
