//! The recording's montage: the one the user gave, at the recording's rate and in the
//! stored units; or the guess, with the mains frequency heard in the EMG.

use ndarray::Array2;

use super::{mains, ImportError};
use crate::montage::guess::{guess, Described, Guess};
use crate::montage::{Kind, Montage};

/// The given montage `m` (named `origin`) at `fs` with the `stored` units.
pub(super) fn given(
    m: &Montage,
    origin: &str,
    stored: &[String],
    fs: f64,
    path: &str,
    warnings: &mut Vec<String>,
) -> Result<Montage, ImportError> {
    let mut m = m.clone();
    for (ch, unit) in m.channels.iter_mut().zip(stored) {
        if unit.is_empty() {
            continue;
        }
        if !ch.unit.is_empty() && !ch.unit.eq_ignore_ascii_case(unit) {
            warnings.push(format!(
                "{path}: channel \"{}\" is stored in {unit} (the file's unit, normalised), not {} as montage {origin} says",
                ch.name, ch.unit
            ));
        }
        ch.unit = unit.clone();
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
    m.with_sample_rate(fs, &format!("{origin} (used with {path})"))
        .map_err(|error| ImportError::Montage {
            path: path.to_string(),
            error,
        })
}

/// The montage guessed for `described` channels of `kinds`, with the mains frequency
/// heard in the EMG columns of `samples`, at `fs` with the `stored` units.
pub(super) fn guessed(
    described: &[Described],
    kinds: &[Kind],
    samples: &Array2<f32>,
    stored: &[String],
    fs: f64,
    path: &str,
) -> Result<(Montage, Guess), ImportError> {
    let n = ((mains::GUESS_S * fs).round() as usize).min(samples.nrows());
    let emg: Vec<Vec<f64>> = kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| **k == Kind::Emg)
        .map(|(c, _)| {
            samples
                .column(c)
                .iter()
                .take(n)
                .map(|&v| f64::from(v))
                .collect()
        })
        .collect();
    let (mains_hz, mains_from) = mains::guess_mains(&emg, fs);
    let g = guess(described, fs, mains_hz, &mains_from);
    let mut m = g.montage();
    for (ch, unit) in m.channels.iter_mut().zip(stored) {
        ch.unit = unit.clone();
    }
    let m = m
        .with_sample_rate(fs, &format!("the montage guessed for {path}"))
        .map_err(|error| ImportError::Montage {
            path: path.to_string(),
            error,
        })?;
    Ok((m, g))
}
