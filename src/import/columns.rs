//! Each chosen signal as one column of the recording: in its stored unit (`units`, or the
//! device's EMG transfer function for raw counts said to be EMG), at the recording's rate
//! (`resample`), cut to the recording's length.

use rayon::prelude::*;

use super::{resample, ImportError};
use crate::formats::Signal;
use crate::montage::Kind;
use crate::units;

/// Two rates this close (relative) are the same: no resampling.
pub(super) const SAME_RATE: f64 = 1e-9;

/// Signals whose rates differ by more than this factor are not resampled to each other:
/// one sample would stand for a hundred thousand.
const MAX_RATE_RATIO: f64 = 1e5;

/// Samples `signal` spans at `fs`.
pub(super) fn rows_at(signal: &Signal, fs: f64) -> usize {
    if (signal.rate_hz - fs).abs() <= SAME_RATE * fs {
        signal.samples.len()
    } else {
        (signal.samples.len() as f64 * fs / signal.rate_hz).round() as usize
    }
}

/// Every signal of `taken` (with the kind it has in the montage) as a column at `fs`,
/// `rows` long, in parallel, with its stored unit.
pub(super) fn columns(
    taken: Vec<(Signal, Kind)>,
    fs: f64,
    rows: usize,
    path: &str,
) -> Result<(Vec<Vec<f32>>, Vec<String>), ImportError> {
    let converted: Vec<Result<(Vec<f32>, String), ImportError>> = taken
        .into_par_iter()
        .map(|(signal, kind)| column(signal, kind, fs, rows, path))
        .collect();
    let mut values = Vec::with_capacity(converted.len());
    let mut stored = Vec::with_capacity(converted.len());
    for c in converted {
        let (v, unit) = c?;
        values.push(v);
        stored.push(unit);
    }
    Ok((values, stored))
}

/// How a signal's values become its stored unit: `value · scale + offset`.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// The stored unit.
    pub stored: String,
    pub scale: f64,
    pub offset: f64,
}

impl Conversion {
    /// The conversion of `signal`, which the montage says is of `kind`: the device's EMG
    /// transfer function for raw counts said to be EMG, else the unit's factor.
    pub fn of(signal: &Signal, kind: Kind) -> Conversion {
        match &signal.emg_transfer {
            Some(t) if kind == Kind::Emg && units::parse(&signal.unit).is_none() => Conversion {
                stored: "uV".to_string(),
                scale: t.scale,
                offset: t.offset,
            },
            _ => {
                let (stored, scale) = units::stored_as(kind, &signal.unit);
                Conversion {
                    stored,
                    scale,
                    offset: 0.0,
                }
            }
        }
    }

    /// Converts `samples` in place; false when one is then beyond what f32 holds (or was
    /// not finite). Samples already in the stored unit are left as they are.
    pub fn apply(&self, samples: &mut [f32]) -> bool {
        if self.scale == 1.0 && self.offset == 0.0 {
            return true;
        }
        for v in samples.iter_mut() {
            *v = (f64::from(*v) * self.scale + self.offset) as f32;
        }
        samples.iter().all(|v| v.is_finite())
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
    let conversion = Conversion::of(&signal, kind);
    let Signal {
        label,
        rate_hz,
        mut samples,
        ..
    } = signal;
    let stored = conversion.stored.clone();
    let out_of_range = || ImportError::Range {
        path: path.to_string(),
        label: label.clone(),
        unit: stored.clone(),
    };
    if !conversion.apply(&mut samples) {
        return Err(out_of_range());
    }
    if (rate_hz - fs).abs() <= SAME_RATE * fs {
        samples.truncate(rows);
        return Ok((samples, stored));
    }
    let problem = |problem: String| ImportError::Resample {
        path: path.to_string(),
        label: label.clone(),
        from_hz: rate_hz,
        to_hz: fs,
        problem,
    };
    if !(fs / rate_hz <= MAX_RATE_RATIO && rate_hz / fs <= MAX_RATE_RATIO) {
        return Err(problem(format!(
            "the rates differ by more than {MAX_RATE_RATIO} times; leave this signal out with a --montage"
        )));
    }
    let resampled = resample::resample(&samples, rate_hz, fs, rows).map_err(problem)?;
    // A band-limited resampler overshoots near steps: at the edge of what f32 holds, that
    // is beyond it.
    if resampled.iter().any(|v| !v.is_finite()) {
        return Err(out_of_range());
    }
    Ok((resampled, stored))
}
