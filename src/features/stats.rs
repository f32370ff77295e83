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
    let mut mean = FiniteMean::default();
    values.for_each(|v| mean.add(v));
    mean.mean()
}

/// [`mean_finite`] of values added one at a time (the same sum in the same order).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FiniteMean {
    sum: f64,
    n: usize,
}

impl FiniteMean {
    pub fn add(&mut self, v: f64) {
        if v.is_finite() {
            self.sum += v;
            self.n += 1;
        }
    }

    /// The mean of the finite values added; NaN when there are none.
    pub fn mean(&self) -> f64 {
        if self.n > 0 {
            self.sum / self.n as f64
        } else {
            f64::NAN
        }
    }
}
