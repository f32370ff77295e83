//! Agonist/antagonist co-contraction indices over a window of two envelopes a and b
//! (METHODS.md B; DESIGN.md "co-contraction").
//!
//! ```
//! use myobalance::features::cocontraction::{falconer_winter, rudolph};
//! // METHODS.md Appendix T: a = [0,1,2,3,4], b = [4,3,2,1,0].
//! let (a, b) = ([0.0, 1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0, 0.0]);
//! assert!((falconer_winter(&a, &b) - 40.0).abs() < 1e-12);
//! assert!((rudolph(&a, &b) - 4.0 / 3.0).abs() < 1e-12);
//! ```

/// Falconer–Winter index, `100 · 2·Σmin(a,b) / Σ(a+b)` in %; NaN when both are all zero.
pub fn falconer_winter(a: &[f64], b: &[f64]) -> f64 {
    let (mut common, mut total) = (0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        common += x.min(*y);
        total += x + y;
    }
    if total > 0.0 {
        100.0 * 2.0 * common / total
    } else {
        f64::NAN
    }
}

/// Rudolph index, `mean((lo/hi)·(lo+hi))` with lo, hi the smaller and larger of the two
/// per sample (0 where hi = 0). In the envelopes' units.
pub fn rudolph(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return f64::NAN;
    }
    let sum: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| {
            let (lo, hi) = if x < y { (*x, *y) } else { (*y, *x) };
            if hi > 0.0 {
                lo / hi * (lo + hi)
            } else {
                0.0
            }
        })
        .sum();
    sum / n as f64
}

/// Whether a window counts as inactive: both muscles' mean envelopes (in %MVC) below
/// `inactive_pct_mvc`, which makes its indices NaN.
pub fn inactive(a_mean_pct_mvc: f64, b_mean_pct_mvc: f64, inactive_pct_mvc: f64) -> bool {
    a_mean_pct_mvc < inactive_pct_mvc && b_mean_pct_mvc < inactive_pct_mvc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_activations_of_appendix_t() {
        // a = 0.2, b = 0.6 of MVC: F&W 50 %, Rudolph (0.2/0.6)·0.8 = 0.2667.
        let a = [0.2; 10];
        let b = [0.6; 10];
        assert!((falconer_winter(&a, &b) - 50.0).abs() < 1e-12);
        assert!((rudolph(&a, &b) - 0.2 / 0.6 * 0.8).abs() < 1e-12);
    }

    #[test]
    fn silence_and_identity() {
        assert!(falconer_winter(&[0.0; 4], &[0.0; 4]).is_nan());
        assert_eq!(rudolph(&[0.0; 4], &[0.0; 4]), 0.0);
        assert!((falconer_winter(&[3.0; 4], &[3.0; 4]) - 100.0).abs() < 1e-12);
        assert!(rudolph(&[], &[]).is_nan());
        assert!(inactive(1.0, 1.9, 2.0));
        assert!(!inactive(1.0, 2.0, 2.0));
    }
}
