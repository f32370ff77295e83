//! The MVC reference of one EMG channel (METHODS.md A.5): the largest moving mean, over a
//! fixed number of consecutive activation RMS rows (500 ms of them), of one trial. Taking
//! the maximum over trials and choosing the rows — the activation RMS of the band-passed
//! EMG, so that %MVC compares like with like — is the caller's business.

/// Length in seconds of the moving mean the MVC reference is the maximum of.
pub const MVC_WINDOW_S: f64 = 0.5;

/// How many consecutive RMS rows, `hop_s` apart, span [`MVC_WINDOW_S`]: round(0.5 / hop),
/// at least one.
///
/// ```
/// use myobalance::features::mvc::rows_per_mvc_window;
/// assert_eq!(rows_per_mvc_window(0.05), 10);
/// assert_eq!(rows_per_mvc_window(0.03), 17);
/// assert_eq!(rows_per_mvc_window(2.0), 1);
/// ```
pub fn rows_per_mvc_window(hop_s: f64) -> usize {
    ((MVC_WINDOW_S / hop_s).round() as usize).max(1)
}

/// The largest mean of `rows_per_window` consecutive values of `rms_rows`; `None` when
/// there are fewer rows than that (the trial is too short) or `rows_per_window` is 0.
/// A window holding a NaN has a NaN mean and never wins.
///
/// ```
/// use myobalance::features::mvc::mvc_reference;
/// let rows = [1.0, 4.0, 2.0, 6.0, 1.0];
/// assert_eq!(mvc_reference(&rows, 2), Some(4.0)); // (2 + 6) / 2
/// assert_eq!(mvc_reference(&rows, 5), Some(2.8));
/// assert_eq!(mvc_reference(&rows, 6), None);
/// ```
pub fn mvc_reference(rms_rows: &[f64], rows_per_window: usize) -> Option<f64> {
    if rows_per_window == 0 || rms_rows.len() < rows_per_window {
        return None;
    }
    let n = rows_per_window as f64;
    // A running sum drifts by rounding over long trials; re-summing each window costs
    // rows × window additions, a few thousand for a trial of seconds, so stay exact.
    rms_rows
        .windows(rows_per_window)
        .map(|w| w.iter().sum::<f64>() / n)
        .filter(|m| !m.is_nan())
        .fold(None, |best: Option<f64>, m| {
            Some(best.map_or(m, |b| b.max(m)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every window mean computed one at a time, by index.
    fn naive(rows: &[f64], k: usize) -> Option<f64> {
        let mut best: Option<f64> = None;
        let mut start = 0;
        while k > 0 && start + k <= rows.len() {
            let mut sum = 0.0;
            for row in &rows[start..start + k] {
                sum += row;
            }
            let mean = sum / k as f64;
            if !mean.is_nan() && best.is_none_or(|b| mean > b) {
                best = Some(mean);
            }
            start += 1;
        }
        best
    }

    /// xorshift64*: seeded values in [0, 1).
    fn uniform(state: &mut u64) -> f64 {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn agrees_with_the_naive_reference_on_seeded_tables() {
        let mut state = 0x9e37_79b9_7f4a_7c15;
        for len in [0, 1, 2, 9, 10, 11, 57, 400] {
            let rows: Vec<f64> = (0..len).map(|_| 500.0 * uniform(&mut state)).collect();
            for k in [0, 1, 2, 10, 17, 400, 401] {
                assert_eq!(mvc_reference(&rows, k), naive(&rows, k), "len {len}, k {k}");
            }
        }
    }

    #[test]
    fn a_plateau_gives_its_level_and_nan_windows_lose() {
        let mut rows = vec![5.0; 30];
        rows[3..18].fill(200.0);
        rows[25] = f64::NAN;
        assert_eq!(mvc_reference(&rows, 10), Some(200.0));
        assert_eq!(mvc_reference(&[f64::NAN; 4], 2), None);
    }
}
