//! Each chosen signal as one column of the recording: in its stored unit (`units`, or the
//! device's EMG transfer function for raw counts said to be EMG), at the recording's rate
//! (`resample`), cut to the recording's length.

use rayon::prelude::*;

use super::{resample, ImportError};
use crate::formats::Signal;
use crate::montage::Kind;
use crate::units;

/// Two rates this close (relative) are the same: no resampling.
const SAME_RATE: f64 = 1e-9;

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
    let out_of_range = || ImportError::Range {
        path: path.to_string(),
        label: label.clone(),
        unit: stored.clone(),
    };
    if scale != 1.0 || offset != 0.0 {
        for v in &mut samples {
            *v = (f64::from(*v) * scale + offset) as f32;
        }
        if samples.iter().any(|v| !v.is_finite()) {
            return Err(out_of_range());
        }
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
