//! The mains frequency guessed from the data: the line-to-floor ratio of METHODS.md A.3 at
//! 50 and at 60 Hz in 4 s windows over the first minute of each EMG channel. Hum is in
//! almost every raw surface-EMG recording, so it tells where the data was recorded; it
//! stands out in rest, where the muscle's own broad spectrum does not cover it, hence the
//! largest ratio of any window counts. A clean recording says nothing, and then the guess
//! is 50 Hz with a comment saying so.

use ndarray::Array2;

use crate::engine::plan::{line_ratio, AUTO_NOTCH_RATIO};
use crate::montage::Kind;

/// Seconds from the start of each channel the guess looks at.
pub const GUESS_S: f64 = 60.0;
/// Length of each window whose line ratio is measured (three 2 s Welch segments).
const WINDOW_S: f64 = 4.0;

/// The mains frequency and why, from the EMG columns (by `kinds`) of `samples` at `fs`.
pub fn guess_from(samples: &Array2<f32>, kinds: &[Kind], fs: f64) -> (u32, String) {
    let n = ((GUESS_S * fs).round() as usize).min(samples.nrows());
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
    guess_mains(&emg, fs)
}

/// The mains frequency and why, from EMG channels (columns of physical values) at `fs`.
pub fn guess_mains(emg: &[Vec<f64>], fs: f64) -> (u32, String) {
    let n = (GUESS_S * fs).round() as usize;
    let window = ((WINDOW_S * fs).round() as usize).max(1);
    let mut best: Option<(u32, f64)> = None;
    for x in emg {
        let x = &x[..x.len().min(n)];
        let windows = x
            .chunks(window)
            .filter(|w| w.len() * 2 > window || w.len() == x.len());
        for w in windows {
            for mains in [50u32, 60] {
                if let Some(r) = line_ratio(w, fs, f64::from(mains)) {
                    if best.is_none_or(|(_, b)| r > b) {
                        best = Some((mains, r));
                    }
                }
            }
        }
    }
    match best {
        Some((mains, ratio)) if ratio > AUTO_NOTCH_RATIO => (
            mains,
            format!(
                "the EMG shows a {mains} Hz mains line ({:.0} dB above the spectrum around it)",
                10.0 * ratio.log10()
            ),
        ),
        _ if emg.is_empty() => (
            50,
            "no EMG channel to hear mains hum in: 50 Hz; set 60 where mains is 60 Hz".into(),
        ),
        _ => (
            50,
            "no clear 50 or 60 Hz line in the EMG: 50 Hz; set 60 where mains is 60 Hz".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noisy(n: usize, fs: f64, hum_hz: f64, hum: f64) -> Vec<f64> {
        let mut state = 12345u64;
        (0..n)
            .map(|k| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let noise = ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5;
                noise + hum * (2.0 * std::f64::consts::PI * hum_hz * k as f64 / fs).sin()
            })
            .collect()
    }

    #[test]
    fn hum_names_the_mains() {
        let fs = 1000.0;
        assert_eq!(guess_mains(&[noisy(8000, fs, 60.0, 2.0)], fs).0, 60);
        assert_eq!(guess_mains(&[noisy(8000, fs, 50.0, 2.0)], fs).0, 50);
        let (mains, why) = guess_mains(&[noisy(8000, fs, 60.0, 0.0)], fs);
        assert_eq!(mains, 50);
        assert!(why.contains("no clear"), "{why}");
        assert!(guess_mains(&[], fs).1.contains("no EMG"));
    }
}
