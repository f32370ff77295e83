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
    let sum: f64 = a.iter().zip(b).map(|(x, y)| rudolph_term(*x, *y)).sum();
    sum / n as f64
}

/// The sums behind both indices and the inactivity rule, over any stretch of samples.
/// Sums of neighbouring stretches add up to the sums of the two together (up to rounding),
/// so a window can be made of blocks summed once each, and samples shared by overlapping
/// windows are visited once.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CciSums {
    /// Σ a, Σ b.
    pub a: f64,
    pub b: f64,
    /// Σ min(a, b).
    pub common: f64,
    /// Σ (lo/hi)·(lo + hi), the Rudolph terms.
    pub rudolph: f64,
    pub n: usize,
}

impl CciSums {
    /// Adds the samples of both envelopes (equal lengths).
    pub fn add(&mut self, a: &[f64], b: &[f64]) {
        for (x, y) in a.iter().zip(b) {
            self.a += x;
            self.b += y;
            self.common += x.min(*y);
            self.rudolph += rudolph_term(*x, *y);
        }
        self.n += a.len().min(b.len());
    }

    /// Adds the sums of the next stretch.
    pub fn merge(&mut self, next: &CciSums) {
        self.a += next.a;
        self.b += next.b;
        self.common += next.common;
        self.rudolph += next.rudolph;
        self.n += next.n;
    }

    /// Falconer–Winter index of the stretch (see [`falconer_winter`]).
    pub fn falconer_winter(&self) -> f64 {
        let total = self.a + self.b;
        if total > 0.0 {
            100.0 * 2.0 * self.common / total
        } else {
            f64::NAN
        }
    }

    /// Rudolph index of the stretch (see [`rudolph`]).
    pub fn rudolph(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.rudolph / self.n as f64
        }
    }

    /// Means of the two envelopes.
    pub fn means(&self) -> (f64, f64) {
        let n = self.n as f64;
        (self.a / n, self.b / n)
    }
}

#[inline(always)]
fn rudolph_term(x: f64, y: f64) -> f64 {
    let (lo, hi) = if x < y { (x, y) } else { (y, x) };
    if hi > 0.0 {
        lo / hi * (lo + hi)
    } else {
        0.0
    }
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

    #[test]
    fn sums_of_blocks_give_the_indices_of_the_whole() {
        let a: Vec<f64> = (0..1000)
            .map(|i| (i as f64 * 0.01).sin().abs() * 30.0)
            .collect();
        let b: Vec<f64> = (0..1000)
            .map(|i| (i as f64 * 0.013).cos().abs() * 20.0)
            .collect();
        let mut whole = CciSums::default();
        for (x, y) in a.chunks(128).zip(b.chunks(128)) {
            let mut block = CciSums::default();
            block.add(x, y);
            whole.merge(&block);
        }
        assert!((whole.falconer_winter() - falconer_winter(&a, &b)).abs() < 1e-12);
        assert!((whole.rudolph() - rudolph(&a, &b)).abs() < 1e-12);
        assert!(CciSums::default().falconer_winter().is_nan());
        assert!(CciSums::default().rudolph().is_nan());
    }
}
