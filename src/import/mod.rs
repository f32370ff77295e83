//! Recordings in other formats made into myobalance recordings (DESIGN.md, "Part 2 —
//! Reading the recordings labs already have"): an [`Imported`] file's signals, at their
//! own rates and in their own units, become one [`Recording`] at the recording's rate —
//! units normalised (EMG in µV, force in N, torque in N·m), other rates resampled with a
//! band-limited resampler, gaps filled and listed, annotations kept as events, the start
//! time and subject kept — with the montage the user gave (matched by label) or one
//! guessed from the labels and units, each guess explained.
//!
//! [`open`] finds a file's format from its content and reads it, [`streamed`] reads an EDF
//! or BDF file a block of rows at a time; the rest is pure.

pub mod columns;
pub mod csv;
mod error;
mod gaps;
pub mod mains;
pub mod matching;
mod montage;
pub mod open;
pub mod resample;
mod select;
pub mod streamed;
pub mod timeline;

pub use error::ImportError;
pub use gaps::MAX_GAP_S;

use crate::formats::{Imported, Signal};
use crate::montage::guess::{Described, Guess};
use crate::montage::{Kind, Montage};
use crate::recording::{Metadata, Recording};
use crate::results::{Event, EventKind};

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
    /// The stream to record from a file with several (XDF `--stream`).
    pub stream: Option<&'a str>,
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
    let Choice {
        chosen,
        described,
        rates,
        fs,
        mut warnings,
    } = choose(&signals, parser_warnings, path, settings)?;
    let lengths: Vec<usize> = chosen
        .indices
        .iter()
        .map(|&i| columns::rows_at(&signals[i], fs))
        .collect();
    let data_rows = shortest(&lengths, fs, path, &mut warnings);

    let mut signals: Vec<Option<Signal>> = signals.into_iter().map(Some).collect();
    let taken: Vec<(Signal, Kind)> = chosen
        .indices
        .iter()
        .zip(&chosen.kinds)
        .map(|(&i, &k)| (signals[i].take().unwrap_or_default(), k))
        .collect();
    let (values, stored_units) = columns::columns(taken, fs, data_rows, path)?;
    let row_gaps = gaps::row_gaps(&gaps, fs, data_rows, path)?;
    let (samples, placed) = timeline::assemble(values, &row_gaps);
    let acquisition = gaps::acquisition(&format, sequence, &row_gaps, placed, data_rows);

    let heard = Heard {
        described: &described,
        kinds: &chosen.kinds,
        samples: &samples,
        stored: &stored_units,
        fs,
    };
    let (montage, guessed) = montage_for(settings, &heard, path, &mut warnings)?;
    Ok(Import {
        recording: Recording {
            montage,
            samples,
            source: path.to_string(),
            acquisition,
            truth: None,
            metadata: metadata(format, recorded_utc, subject, rates, annotations),
        },
        guess: guessed,
        warnings,
    })
}

/// A recording whose samples stay in its file, read a block of rows at a time (see
/// [`streamed`]): everything [`to_recording`] gives but the samples, and where each column
/// comes from.
#[derive(Debug, Clone)]
pub struct Streamed {
    /// The recording, with no rows; its montage, metadata and events as read whole.
    pub import: Import,
    /// Rows of samples.
    pub rows: usize,
    /// Per channel: the file's signal (its index in [`Imported::signals`]) and how its
    /// values become the stored unit.
    pub columns: Vec<(usize, columns::Conversion)>,
}

/// As [`to_recording`], for a file read in blocks: `head` holds the first samples of
/// each signal (at least the minute the mains guess listens to, or all of them) and
/// `lengths` every signal's full length. `None` when the file cannot be read in blocks
/// this way: signals to resample to the recording's rate, or gaps to fill (read it
/// whole). Given the same file, the recording, montage, warnings and columns are those
/// of [`to_recording`].
pub fn to_streamed(
    head: Imported,
    lengths: &[usize],
    path: &str,
    settings: &Settings,
) -> Result<Option<Streamed>, ImportError> {
    let Imported {
        format,
        signals,
        recorded_utc,
        subject,
        annotations,
        gaps,
        sequence,
        warnings: parser_warnings,
    } = head;
    if !gaps.is_empty() || sequence.is_some() {
        return Ok(None);
    }
    let Choice {
        chosen,
        described,
        rates,
        fs,
        mut warnings,
    } = choose(&signals, parser_warnings, path, settings)?;
    if rates
        .iter()
        .any(|r| (r - fs).abs() > columns::SAME_RATE * fs)
    {
        return Ok(None);
    }
    let full: Vec<usize> = chosen.indices.iter().map(|&i| lengths[i]).collect();
    let data_rows = shortest(&full, fs, path, &mut warnings);
    let head_rows = chosen
        .indices
        .iter()
        .map(|&i| signals[i].samples.len())
        .min()
        .unwrap_or(0)
        .min(data_rows);
    let conversions: Vec<columns::Conversion> = chosen
        .indices
        .iter()
        .zip(&chosen.kinds)
        .map(|(&i, &k)| columns::Conversion::of(&signals[i], k))
        .collect();
    let stored_units: Vec<String> = conversions.iter().map(|c| c.stored.clone()).collect();
    // The first rows, as read whole: what the montage guess listens to for mains hum.
    let samples = match settings.montage {
        Some(_) => ndarray::Array2::zeros((0, chosen.indices.len())),
        None => {
            let taken: Vec<(Signal, Kind)> = chosen
                .indices
                .iter()
                .zip(&chosen.kinds)
                .map(|(&i, &k)| (signals[i].clone(), k))
                .collect();
            let (values, _) = columns::columns(taken, fs, head_rows, path)?;
            timeline::assemble(values, &[]).0
        }
    };
    let heard = Heard {
        described: &described,
        kinds: &chosen.kinds,
        samples: &samples,
        stored: &stored_units,
        fs,
    };
    let (montage, guessed) = montage_for(settings, &heard, path, &mut warnings)?;
    let channels = montage.channels.len();
    let recording = Recording {
        montage,
        samples: ndarray::Array2::zeros((0, channels)),
        source: path.to_string(),
        acquisition: gaps::acquisition(&format, None, &[], Vec::new(), data_rows),
        truth: None,
        metadata: metadata(format, recorded_utc, subject, rates, annotations),
    };
    Ok(Some(Streamed {
        import: Import {
            recording,
            guess: guessed,
            warnings,
        },
        rows: data_rows,
        columns: chosen.indices.into_iter().zip(conversions).collect(),
    }))
}

/// What the file says of itself (its format, start, subject and annotations) and the
/// rates its chosen signals had, as the recording's metadata.
fn metadata(
    format: String,
    recorded_utc: Option<String>,
    subject: Option<String>,
    rates: Vec<f64>,
    annotations: Vec<crate::formats::Annotation>,
) -> Metadata {
    Metadata {
        recorded_utc,
        subject,
        session: None,
        source_format: Some(format),
        source_rates_hz: Some(rates),
        annotations: events(annotations),
    }
}

/// The signals the recording takes, as the file writes them, their rates and the
/// recording's rate, with the parser's warnings (naming the file) and what choosing left
/// out.
struct Choice {
    chosen: select::Selection,
    described: Vec<Described>,
    rates: Vec<f64>,
    fs: f64,
    warnings: Vec<String>,
}

fn choose(
    signals: &[Signal],
    parser_warnings: Vec<String>,
    path: &str,
    settings: &Settings,
) -> Result<Choice, ImportError> {
    let mut warnings: Vec<String> = parser_warnings
        .into_iter()
        .map(|w| format!("{path}: {w}"))
        .collect();
    let chosen = select::select(signals, settings, path, &mut warnings)?;
    let described = describe(signals, &chosen.indices);
    let rates: Vec<f64> = chosen.indices.iter().map(|&i| signals[i].rate_hz).collect();
    let fs = recording_rate(path, settings, &rates, &chosen.kinds)?;
    Ok(Choice {
        chosen,
        described,
        rates,
        fs,
        warnings,
    })
}

/// The shortest of the chosen signals' `lengths` (rows at `fs`), which every signal is
/// cut to; a warning when they differ by more than [`LENGTH_WARNING`].
fn shortest(lengths: &[usize], fs: f64, path: &str, warnings: &mut Vec<String>) -> usize {
    let data_rows = lengths.iter().copied().min().unwrap_or(0);
    let longest = lengths.iter().copied().max().unwrap_or(0);
    if longest as f64 > data_rows as f64 * (1.0 + LENGTH_WARNING) {
        warnings.push(format!(
            "{path}: signals differ in length ({:.3} s to {:.3} s): all are cut to the shortest",
            data_rows as f64 / fs,
            longest as f64 / fs
        ));
    }
    data_rows
}

/// What the montage is made from: the chosen signals as written, their kinds, the
/// recording's rows (at least the first minute, for the mains guess), their stored units
/// and the rate.
struct Heard<'a> {
    described: &'a [Described],
    kinds: &'a [Kind],
    samples: &'a ndarray::Array2<f32>,
    stored: &'a [String],
    fs: f64,
}

/// The montage the user gave, at the recording's rate and in the stored units, or the one
/// guessed, with the guess.
fn montage_for(
    settings: &Settings,
    heard: &Heard,
    path: &str,
    warnings: &mut Vec<String>,
) -> Result<(Montage, Option<Guess>), ImportError> {
    let Heard {
        described,
        kinds,
        samples,
        stored,
        fs,
    } = heard;
    Ok(match settings.montage {
        Some((m, origin)) => (
            montage::given(m, origin, stored, *fs, path, warnings)?,
            None,
        ),
        None => {
            let (m, g) = montage::guessed(described, kinds, samples, stored, *fs, path)?;
            (m, Some(g))
        }
    })
}

/// The file's annotations as events.
fn events(annotations: Vec<crate::formats::Annotation>) -> Vec<Event> {
    annotations
        .into_iter()
        .map(|a| Event {
            time_s: a.time_s,
            kind: EventKind::Annotation,
            channel: String::new(),
            value: a.duration_s,
            text: a.text,
        })
        .collect()
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
