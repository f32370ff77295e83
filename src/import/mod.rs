//! Recordings in other formats made into myobalance recordings (DESIGN.md, "Part 2 —
//! Reading the recordings labs already have"): an [`Imported`] file's signals, at their
//! own rates and in their own units, become one [`Recording`] at the recording's rate —
//! units normalised (EMG in µV, force in N, torque in N·m), other rates resampled with a
//! band-limited resampler, gaps filled and listed, annotations kept as events, the start
//! time and subject kept — with the montage the user gave (matched by label) or one
//! guessed from the labels and units, each guess explained.
//!
//! [`open`] finds a file's format from its content and reads it; the rest is pure.

pub mod csv;
mod error;
pub mod mains;
pub mod matching;
pub mod open;
pub mod resample;
pub mod timeline;

use rayon::prelude::*;

pub use error::ImportError;

use crate::formats::{Imported, Signal};
use crate::montage::guess::{guess, Described, Guess};
use crate::montage::{Kind, Montage};
use crate::recording::{Acquisition, Metadata, Recording};
use crate::results::{Event, EventKind};
use crate::units;
use timeline::RowGap;

/// Gaps adding up to more than this are not filled: the file should be split there.
/// Filling them takes memory for data that does not exist (an hour of 32 channels at 2 kHz
/// is 0.9 GB).
pub const MAX_GAP_S: f64 = 3600.0;

/// Nor are gaps adding up to more rows than this, whatever the rate (2²⁷ rows of one
/// channel are 0.5 GB).
const MAX_FILLED_ROWS: usize = 1 << 27;

/// Signals whose rates differ by more than this factor are not resampled to each other:
/// one sample would stand for a hundred thousand.
const MAX_RATE_RATIO: f64 = 1e5;

/// Two rates this close (relative) are the same: no resampling.
const SAME_RATE: f64 = 1e-9;

/// A signal shorter than the longest by more than this fraction is worth a warning when
/// the recording is cut to the shortest.
const LENGTH_WARNING: f64 = 0.01;

/// How an import is to be done.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings<'a> {
    /// The rate to analyse at (`--rate`); by default the montage's `sample_rate_hz`, else
    /// the highest EMG signal rate, else the highest rate.
    pub rate_hz: Option<f64>,
    /// The montage the user gave, and the name its errors use; `None` to guess one.
    pub montage: Option<(&'a Montage, &'a str)>,
}

/// An imported recording and what the user should be told about it.
#[derive(Debug, Clone)]
pub struct Import {
    pub recording: Recording,
    /// The guessed montage, when none was given.
    pub guess: Option<Guess>,
    /// Things left out, worked around or guessed, one sentence each, naming the file.
    pub warnings: Vec<String>,
}

/// Makes `imported` (read from `path`) a recording.
pub fn to_recording(
    imported: Imported,
    path: &str,
    settings: &Settings,
) -> Result<Import, ImportError> {
    let Imported {
        format,
        signals,
        recorded_utc,
        subject,
        annotations,
        gaps,
        sequence,
        warnings: parser_warnings,
    } = imported;
    let mut warnings: Vec<String> = parser_warnings
        .into_iter()
        .map(|w| format!("{path}: {w}"))
        .collect();
    let labels: Vec<String> = signals.iter().map(|s| s.label.clone()).collect();

    // Which signals, and what each is.
    let (chosen, kinds): (Vec<usize>, Vec<Kind>) = match settings.montage {
        Some((m, origin)) => {
            let found = matching::match_channels(m, &labels).map_err(|missing| {
                ImportError::MissingChannels {
                    path: path.to_string(),
                    montage: origin.to_string(),
                    missing: missing.join(", "),
                    labels: quoted_list(&labels),
                }
            })?;
            let left_out: Vec<&str> = labels
                .iter()
                .enumerate()
                .filter(|(i, _)| !found.contains(i))
                .map(|(_, l)| l.as_str())
                .collect();
            if !left_out.is_empty() {
                warnings.push(format!(
                    "{path}: signal(s) {} not in montage {origin}: left out",
                    quoted_list(&left_out)
                ));
            }
            let kinds = m.channels.iter().map(|c| c.kind).collect();
            (found, kinds)
        }
        None => {
            let usable: Vec<usize> = (0..signals.len())
                .filter(|&i| !signals[i].samples.is_empty())
                .collect();
            let empty: Vec<&str> = (0..signals.len())
                .filter(|i| !usable.contains(i))
                .map(|i| labels[i].as_str())
                .collect();
            if !empty.is_empty() {
                warnings.push(format!(
                    "{path}: signal(s) {} hold no samples: left out",
                    quoted_list(&empty)
                ));
            }
            let kinds = guess(&describe(&signals, &usable), 1.0, 50, "")
                .channels
                .iter()
                .map(|c| c.channel.kind)
                .collect();
            (usable, kinds)
        }
    };
    if chosen.is_empty() || chosen.iter().any(|&i| signals[i].samples.is_empty()) {
        return Err(ImportError::NoSignals {
            path: path.to_string(),
        });
    }

    let described = describe(&signals, &chosen);
    let rates: Vec<f64> = chosen.iter().map(|&i| signals[i].rate_hz).collect();
    let fs = recording_rate(path, settings, &rates, &kinds)?;
    let data_rows = chosen
        .iter()
        .map(|&i| rows_at(&signals[i], fs))
        .min()
        .unwrap_or(0);
    let longest = chosen
        .iter()
        .map(|&i| rows_at(&signals[i], fs))
        .max()
        .unwrap_or(0);
    if longest as f64 > data_rows as f64 * (1.0 + LENGTH_WARNING) {
        warnings.push(format!(
            "{path}: signals differ in length ({:.3} s to {:.3} s): all are cut to the shortest",
            data_rows as f64 / fs,
            longest as f64 / fs
        ));
    }

    // Units, then rates.
    let mut signals: Vec<Option<Signal>> = signals.into_iter().map(Some).collect();
    let taken: Vec<(Signal, Kind)> = chosen
        .iter()
        .zip(&kinds)
        .map(|(&i, &k)| (signals[i].take().unwrap_or_default(), k))
        .collect();
    let converted: Vec<Result<(Vec<f32>, String), ImportError>> = taken
        .into_par_iter()
        .map(|(signal, kind)| column(signal, kind, fs, data_rows, path))
        .collect();
    let mut columns = Vec::with_capacity(converted.len());
    let mut stored_units = Vec::with_capacity(converted.len());
    for c in converted {
        let (values, unit) = c?;
        columns.push(values);
        stored_units.push(unit);
    }

    // Gaps at the recording's rate.
    let mut row_gaps = Vec::with_capacity(gaps.len());
    let (mut total_s, mut total_rows) = (0.0, 0usize);
    for g in &gaps {
        total_s += g.missing_s;
        let missing = (g.missing_s * fs).round();
        total_rows = total_rows.saturating_add(missing.max(0.0) as usize);
        if !(g.missing_s.is_finite() && g.at_s.is_finite())
            || total_s > MAX_GAP_S
            || total_rows > MAX_FILLED_ROWS
        {
            return Err(ImportError::GapTooLong {
                path: path.to_string(),
                at_s: g.at_s,
                missing_s: g.missing_s,
                limit_s: MAX_GAP_S,
            });
        }
        let data_row = ((g.at_s * fs).round().max(0.0) as usize).min(data_rows);
        if missing >= 1.0 {
            row_gaps.push(RowGap {
                data_row,
                missing: missing as usize,
            });
        }
    }
    row_gaps.sort_by_key(|g| g.data_row);
    let (samples, placed) = timeline::assemble(columns, &row_gaps);
    let filled: u64 = row_gaps.iter().map(|g| g.missing as u64).sum();
    let acquisition = (sequence.is_some() || !placed.is_empty()).then(|| {
        let counts = sequence.unwrap_or_default();
        Acquisition {
            protocol: format.clone(),
            port: String::new(),
            frames_received: if sequence.is_some() {
                counts.frames_received
            } else {
                data_rows as u64
            },
            frames_missing: if sequence.is_some() {
                counts.frames_missing
            } else {
                filled
            },
            gaps: placed,
            ..Acquisition::default()
        }
    });

    // The montage: the user's at this rate and in these units, or the guess.
    let (montage, guessed) = match settings.montage {
        Some((m, origin)) => {
            let mut m = m.clone();
            for (ch, unit) in m.channels.iter_mut().zip(&stored_units) {
                if !ch.unit.is_empty() && !ch.unit.eq_ignore_ascii_case(unit) && !unit.is_empty() {
                    warnings.push(format!(
                        "{path}: channel \"{}\" is stored in {unit} (the file's unit, normalised), not {} as montage {origin} says",
                        ch.name, ch.unit
                    ));
                }
                if !unit.is_empty() {
                    ch.unit = unit.clone();
                }
            }
            let scaled: Vec<&str> = m
                .channels
                .iter()
                .filter(|c| c.scale != 1.0 || c.offset != 0.0)
                .map(|c| c.name.as_str())
                .collect();
            if !scaled.is_empty() {
                warnings.push(format!(
                    "{path}: the montage's scale and offset of {} are not applied; the file holds physical units",
                    scaled.join(", ")
                ));
            }
            let m = m
                .with_sample_rate(fs, &format!("{origin} (used with {path})"))
                .map_err(|error| ImportError::Montage {
                    path: path.to_string(),
                    error,
                })?;
            (m, None)
        }
        None => {
            let emg: Vec<Vec<f64>> = kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| **k == Kind::Emg)
                .map(|(c, _)| {
                    let n = ((mains::GUESS_S * fs).round() as usize).min(samples.nrows());
                    samples
                        .column(c)
                        .iter()
                        .take(n)
                        .map(|&v| f64::from(v))
                        .collect()
                })
                .collect();
            let (mains_hz, mains_from) = mains::guess_mains(&emg, fs);
            let g = guess(&described, fs, mains_hz, &mains_from);
            let mut m = g.montage();
            for (ch, unit) in m.channels.iter_mut().zip(&stored_units) {
                ch.unit = unit.clone();
            }
            let m = m
                .with_sample_rate(fs, &format!("the montage guessed for {path}"))
                .map_err(|error| ImportError::Montage {
                    path: path.to_string(),
                    error,
                })?;
            (m, Some(g))
        }
    };

    let annotations = annotations
        .into_iter()
        .map(|a| Event {
            time_s: a.time_s,
            kind: EventKind::Annotation,
            channel: String::new(),
            value: a.duration_s,
            text: a.text,
        })
        .collect();
    Ok(Import {
        recording: Recording {
            montage,
            samples,
            source: path.to_string(),
            acquisition,
            truth: None,
            metadata: Metadata {
                recorded_utc,
                subject,
                source_format: Some(format),
                source_rates_hz: Some(rates),
                annotations,
            },
        },
        guess: guessed,
        warnings,
    })
}

/// Label and unit as written of the signals at `indices`.
fn describe(signals: &[Signal], indices: &[usize]) -> Vec<Described> {
    indices
        .iter()
        .map(|&i| Described {
            label: signals[i].label.clone(),
            unit: signals[i].unit.clone(),
            emg_counts: signals[i].emg_transfer.is_some(),
        })
        .collect()
}

/// `"a", "b", "c"`.
fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The recording's rate: `--rate`, else the montage's, else the highest EMG rate, else the
/// highest rate. `--rate` and a montage rate must agree.
fn recording_rate(
    path: &str,
    settings: &Settings,
    rates: &[f64],
    kinds: &[Kind],
) -> Result<f64, ImportError> {
    let montage_rate = settings.montage.and_then(|(m, _)| m.sample_rate_hz);
    let highest = |emg_only: bool| {
        rates
            .iter()
            .zip(kinds)
            .filter(|(_, k)| !emg_only || **k == Kind::Emg)
            .map(|(r, _)| *r)
            .fold(None, |best: Option<f64>, r| {
                Some(best.map_or(r, |b| b.max(r)))
            })
    };
    let fs = match (settings.rate_hz, montage_rate) {
        (Some(r), Some(m)) if (r - m).abs() > crate::montage::RATE_TOLERANCE * r => {
            return Err(ImportError::Rate {
                path: path.to_string(),
                problem: format!(
                    "--rate {r} Hz and the montage's sample_rate_hz {m} Hz disagree; give one"
                ),
            })
        }
        (Some(r), _) | (None, Some(r)) => r,
        (None, None) => highest(true).or_else(|| highest(false)).unwrap_or(0.0),
    };
    if !(fs.is_finite() && fs > 0.0) {
        return Err(ImportError::Rate {
            path: path.to_string(),
            problem: format!("the sample rate {fs} Hz is not a positive number"),
        });
    }
    Ok(fs)
}

/// Samples `signal` spans at `fs`.
fn rows_at(signal: &Signal, fs: f64) -> usize {
    if (signal.rate_hz - fs).abs() <= SAME_RATE * fs {
        signal.samples.len()
    } else {
        (signal.samples.len() as f64 * fs / signal.rate_hz).round() as usize
    }
}

/// One signal in its stored unit at `fs`, exactly `rows` long, and that unit.
fn column(
    signal: Signal,
    kind: Kind,
    fs: f64,
    rows: usize,
    path: &str,
) -> Result<(Vec<f32>, String), ImportError> {
    let Signal {
        label,
        unit,
        rate_hz,
        mut samples,
        emg_transfer,
        ..
    } = signal;
    let (stored, scale, offset) = match emg_transfer {
        Some(t) if kind == Kind::Emg && units::parse(&unit).is_none() => {
            ("uV".to_string(), t.scale, t.offset)
        }
        _ => {
            let (stored, factor) = units::stored_as(kind, &unit);
            (stored, factor, 0.0)
        }
    };
    if scale != 1.0 || offset != 0.0 {
        for v in &mut samples {
            *v = (f64::from(*v) * scale + offset) as f32;
        }
    }
    if (rate_hz - fs).abs() <= SAME_RATE * fs {
        samples.truncate(rows);
        return Ok((samples, stored));
    }
    if !(fs / rate_hz <= MAX_RATE_RATIO && rate_hz / fs <= MAX_RATE_RATIO) {
        return Err(ImportError::Resample {
            path: path.to_string(),
            label,
            from_hz: rate_hz,
            to_hz: fs,
            problem: format!(
                "the rates differ by more than {MAX_RATE_RATIO} times; leave this signal out with a --montage"
            ),
        });
    }
    let resampled = resample::resample(&samples, rate_hz, fs, rows).map_err(|problem| {
        ImportError::Resample {
            path: path.to_string(),
            label,
            from_hz: rate_hz,
            to_hz: fs,
            problem,
        }
    })?;
    Ok((resampled, stored))
}
