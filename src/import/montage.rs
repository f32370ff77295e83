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
    let scaled = m.scaled_channels();
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
    let (mains_hz, mains_from) = mains::guess_from(samples, kinds, fs);
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
