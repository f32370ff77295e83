//! `myobalance mvc TRIALS... [--montage M.toml [--write]]`: the MVC reference of each EMG
//! channel (METHODS.md A.5) from maximal-contraction trials, printed as a table and, with
//! `--write`, stored as `mvc` in the montage file with its comments and order kept.
//! Without `--montage` the first trial's montage (its own, or one guessed from its labels
//! and units) serves for all of them.
//!
//! The reference must come from the same estimator as the activation it normalises, so
//! each trial goes through the engine (zero-phase, the montage's notch, band-pass and RMS
//! windows) and the activation RMS rows are read off its results; the reference is the
//! largest 500 ms moving mean of those rows over all trials
//! ([`crate::features::mvc::mvc_reference`]).
//!
//! Pairs with force channels (`torque`, or `agonist_force` and `antagonist_force`) also get
//! their strength ratio from the same trials: the strongest 500 ms hold in each direction
//! over all trials, as `/summary/strength` finds it in one recording.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;

use super::input::{load, MontageArg};
use super::{Outcome, UsageError};
use crate::engine::{analyze, Filtering};
use crate::features::mvc::{mvc_reference, rows_per_mvc_window, MVC_WINDOW_S};
use crate::features::strength::{flag, Strength};
use crate::montage::{Kind, Montage, MontageError};
use crate::results::TableId;

/// Significant digits of the values printed and written: far finer than trial-to-trial
/// variation (several per cent), short enough to read in the montage file.
const SIGNIFICANT_DIGITS: i32 = 6;

/// Options of `myobalance mvc`.
#[derive(Debug, Args)]
pub struct MvcArgs {
    /// Maximal voluntary contraction trials, in any format `process` reads.
    #[arg(required = true, value_name = "TRIAL")]
    pub trials: Vec<PathBuf>,
    /// The montage: channels, filters and RMS windows (the same as for the sessions).
    /// Without it, the first trial's own montage or the one guessed for it.
    #[arg(long, value_name = "M.toml")]
    pub montage: Option<PathBuf>,
    /// Store the values as `mvc` in the montage file, keeping its comments and order.
    #[arg(long, requires = "montage")]
    pub write: bool,
    /// The rate to analyse at, in Hz (for CSV without time_s; signals at several rates).
    #[arg(long, value_name = "HZ")]
    pub rate: Option<f64>,
}

/// The reference of one EMG channel.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelMvc {
    /// Channel name.
    pub channel: String,
    /// Its unit (the montage's).
    pub unit: String,
    /// The MVC reference, rounded to 6 significant digits.
    pub mvc: f64,
    /// The trial it came from.
    pub trial: PathBuf,
}

/// Computes, prints and (with `--write`) stores the MVC references.
pub fn run(args: MvcArgs) -> anyhow::Result<Outcome> {
    let Some(path) = &args.montage else {
        let arg = first_trials_montage(&args.trials, args.rate)?;
        let (references, strengths) = references(&args.trials, &arg, args.rate)?;
        print!("{}", table(&references));
        print!("{}", strength_table(&strengths));
        eprintln!(
            "to keep these values: write a montage (`myobalance montage {} --out M.toml`), then run mvc with --montage M.toml --write",
            args.trials[0].display()
        );
        return Ok(Outcome::Success);
    };
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|error| MontageError::Read {
            path: origin.clone(),
            error,
        })
        .context("--montage")?;
    let arg = MontageArg {
        montage: Montage::from_toml_str(&text, &origin).context("--montage")?,
        origin: origin.clone(),
    };
    if !arg.montage.channels.iter().any(|c| c.kind == Kind::Emg) {
        return Err(UsageError(format!(
            "--montage {origin}: no channel of kind \"emg\" to find an MVC reference for"
        ))
        .into());
    }
    let (references, strengths) = references(&args.trials, &arg, args.rate)?;
    print!("{}", table(&references));
    print!("{}", strength_table(&strengths));
    if args.write {
        let values: Vec<(String, f64)> = references
            .iter()
            .map(|r| (r.channel.clone(), r.mvc))
            .collect();
        let edited = Montage::set_mvc_in_toml(&text, &origin, &values).context("--montage")?;
        replace_file(path, &edited)
            .with_context(|| format!("cannot write the montage {origin}"))?;
        eprintln!("wrote mvc of {} channels to {origin}", values.len());
    }
    Ok(Outcome::Success)
}

/// The first trial's montage (its own or the guessed one), without its rate, so that it
/// serves trials at any rate.
fn first_trials_montage(trials: &[PathBuf], rate_hz: Option<f64>) -> anyhow::Result<MontageArg> {
    let first = &trials[0];
    let input = load(first, None, rate_hz, None)?;
    let shown = first.display().to_string();
    if let Some(g) = &input.guess {
        eprintln!("{}", super::input::guess_line(&shown, g));
    }
    let mut montage = input.recording.montage;
    montage.sample_rate_hz = None;
    if !montage.channels.iter().any(|c| c.kind == Kind::Emg) {
        return Err(UsageError(format!(
            "{shown}: no EMG channel found to find an MVC reference for; give --montage M.toml"
        ))
        .into());
    }
    Ok(MontageArg {
        montage,
        origin: format!("the montage of {shown}"),
    })
}

/// The strength of one pair over all trials.
#[derive(Debug, Clone, PartialEq)]
pub struct PairStrength {
    pub pair: String,
    pub strength: Strength,
    /// The pair's `strength_ratio_reference`, NaN without one.
    pub reference: f64,
}

/// The MVC reference of every EMG channel of `arg`'s montage, and the strength of every
/// pair with force channels, over all `trials`.
pub fn references(
    trials: &[PathBuf],
    arg: &MontageArg,
    rate_hz: Option<f64>,
) -> anyhow::Result<(Vec<ChannelMvc>, Vec<PairStrength>)> {
    let emg: Vec<(String, String)> = arg
        .montage
        .channels
        .iter()
        .filter(|c| c.kind == Kind::Emg)
        .map(|c| (c.name.clone(), c.unit.clone()))
        .collect();
    let mut best: Vec<Option<(f64, usize)>> = vec![None; emg.len()];
    let mut shortest_needed_s = 0.0_f64;
    let strength_pairs: Vec<&crate::montage::Pair> = arg
        .montage
        .pairs
        .iter()
        .filter(|p| p.strength_source().is_some())
        .collect();
    let mut per_trial: Vec<Vec<Strength>> = vec![Vec::new(); strength_pairs.len()];
    for (t, trial) in trials.iter().enumerate() {
        let input = load(trial, Some(arg), rate_hz, None)?;
        for warning in &input.warnings {
            eprintln!("warning: {warning}");
        }
        let recording = &input.recording;
        let results = analyze(recording, Filtering::ZeroPhase)
            .with_context(|| format!("{}: analysis failed", trial.display()))?;
        if let Some(group) = results.summary("strength") {
            let column = |name: &str| group.numbers(name).unwrap_or(&[]);
            let (agonist, antagonist) =
                (column("agonist_mvc_500ms"), column("antagonist_mvc_500ms"));
            for (p, found) in strength_pairs.iter().zip(&mut per_trial) {
                if let Some(k) = group.names.iter().position(|n| *n == p.name) {
                    // The ratio is taken once, of the best of all trials.
                    found.push(Strength {
                        agonist: agonist.get(k).copied().unwrap_or(f64::NAN),
                        antagonist: antagonist.get(k).copied().unwrap_or(f64::NAN),
                        ratio: f64::NAN,
                    });
                }
            }
        }
        let rms = results
            .table(TableId::Rms)
            .with_context(|| format!("{}: the analysis gave no activation RMS", trial.display()))?;
        let fs = recording.sample_rate_hz();
        let a = &recording.montage.analysis;
        let hop_s = (a.rms_hop_s * fs).round().max(1.0) / fs;
        let rows = rows_per_mvc_window(hop_s);
        shortest_needed_s = shortest_needed_s.max(a.rms_window_s + (rows - 1) as f64 * hop_s);
        for (c, (name, _)) in emg.iter().enumerate() {
            let Some(column) = rms.columns.iter().position(|n| n == name) else {
                continue;
            };
            let values: Vec<f64> = rms.values.column(column).to_vec();
            if let Some(v) = mvc_reference(&values, rows) {
                if best[c].is_none_or(|(b, _)| v > b) {
                    best[c] = Some((v, t));
                }
            }
        }
    }
    let strengths = strength_pairs
        .iter()
        .zip(&per_trial)
        .map(|(p, found)| PairStrength {
            pair: p.name.clone(),
            strength: Strength::best_of(found),
            reference: p.strength_ratio_reference.unwrap_or(f64::NAN),
        })
        .collect();
    let references = emg
        .into_iter()
        .zip(best)
        .map(|((channel, unit), found)| {
            let (mvc, t) = found.with_context(|| {
                format!(
                    "{channel}: no MVC reference: every trial is shorter than the \
                     {shortest_needed_s:.3} s one {MVC_WINDOW_S} s mean of RMS rows needs"
                )
            })?;
            Ok(ChannelMvc {
                channel,
                unit,
                mvc: significant(mvc),
                trial: trials[t].clone(),
            })
        })
        .collect::<anyhow::Result<Vec<ChannelMvc>>>()?;
    Ok((references, strengths))
}

/// The strength table `mvc` prints after the references, when pairs have force channels:
/// pair, best hold of each direction, their ratio and its reference.
pub fn strength_table(strengths: &[PairStrength]) -> String {
    if strengths.is_empty() {
        return String::new();
    }
    let width = strengths
        .iter()
        .map(|s| s.pair.len())
        .chain([4])
        .max()
        .unwrap_or(4);
    let mut out = String::from("\n");
    let _ = writeln!(
        out,
        "{:<width$}  {:>12}  {:>12}  {:>6}  reference",
        "pair", "agonist", "antagonist", "ratio"
    );
    for s in strengths {
        let Strength {
            agonist,
            antagonist,
            ratio,
        } = s.strength;
        let verdict = if s.reference.is_nan() {
            "none set".to_string()
        } else if flag(ratio, s.reference) == 1.0 {
            format!("≥ {} (below)", s.reference)
        } else {
            format!("≥ {}", s.reference)
        };
        let _ = writeln!(
            out,
            "{:<width$}  {:>12}  {:>12}  {:>6.2}  {verdict}",
            s.pair,
            significant(agonist),
            significant(antagonist),
            ratio
        );
    }
    out
}

/// `x` rounded to [`SIGNIFICANT_DIGITS`].
fn significant(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(SIGNIFICANT_DIGITS - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// The table `mvc` prints: channel, value, unit, trial.
pub fn table(references: &[ChannelMvc]) -> String {
    let width = references
        .iter()
        .map(|r| r.channel.len())
        .chain([7])
        .max()
        .unwrap_or(7);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>12}  {:<6}  trial",
        "channel", "mvc", "unit"
    );
    for r in references {
        let _ = writeln!(
            out,
            "{:<width$}  {:>12}  {:<6}  {}",
            r.channel,
            r.mvc,
            r.unit,
            r.trial.display()
        );
    }
    out
}

/// Replaces the file at `path` with `text` atomically: a temporary file beside it,
/// flushed to disk, then renamed over it, so a crash leaves the old or the new montage.
fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "montage".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        if let Ok(old) = std::fs::metadata(path) {
            file.set_permissions(old.permissions())?;
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_keep_six_significant_digits() {
        assert_eq!(super::significant(197.23456789), 197.235);
        assert_eq!(super::significant(0.001234567), 0.00123457);
        assert_eq!(super::significant(0.0), 0.0);
    }
}
