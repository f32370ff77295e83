//! Runs of samples that leave a state machine's state as it is. The per-sample detectors
//! (EMG onsets, force contractions) change state only where a signal crosses a level;
//! between crossings they can take a whole run at once, and finding where a run ends is a
//! scan that tests eight samples at a time.

/// How many samples at the start of `x` satisfy `keep`.
///
/// ```
/// use myobalance::features::runs::leading;
/// let x = [1.0, 2.0, 3.0, 0.5, 4.0];
/// assert_eq!(leading(&x, |v| v >= 1.0), 3);
/// assert_eq!(leading(&x, |v| v < 10.0), 5);
/// ```
pub fn leading(x: &[f64], keep: impl Fn(f64) -> bool) -> usize {
    let mut n = 0;
    // Eight at a time without an early exit, which compiles to vector compares.
    for eight in x.chunks_exact(8) {
        if !eight.iter().fold(true, |all, v| all & keep(*v)) {
            break;
        }
        n += 8;
    }
    n + x[n..].iter().position(|v| !keep(*v)).unwrap_or(x.len() - n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_up_to_the_first_sample_that_fails_wherever_it_is() {
        for len in 0..40 {
            for first_bad in 0..=len {
                let x: Vec<f64> = (0..len)
                    .map(|i| if i == first_bad { f64::NAN } else { 1.0 })
                    .collect();
                assert_eq!(leading(&x, |v| v == 1.0), first_bad, "{len} {first_bad}");
            }
        }
    }
}
