//! Small statistics shared by the features.

/// Mean of the finite values (NaN when there are none): windows a rule left undefined do
/// not count.
///
/// ```
/// use myobalance::features::stats::mean_finite;
/// assert_eq!(mean_finite([1.0, f64::NAN, 3.0].into_iter()), 2.0);
/// assert!(mean_finite(std::iter::empty()).is_nan());
/// ```
pub fn mean_finite(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values
        .filter(|v| v.is_finite())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n > 0 {
        sum / n as f64
    } else {
        f64::NAN
    }
}
