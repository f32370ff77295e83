//! FFT plans, and the tables that go with them, shared by every kernel of the process.
//! Planning a transform (choosing its factors, computing its twiddles) costs far more
//! than running it once, and every channel's Welch estimators want the same few lengths:
//! each length is planned once, and the plan (immutable, thread-safe) is shared. So are
//! the windows and unpacking twiddles of a length (`shared`): computing them for every
//! channel of a 24-channel run took 4 ms of its start-up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use realfft::{RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};

/// The forward real FFT of `n` points, planned on first use.
pub fn forward(n: usize) -> Arc<dyn RealToComplex<f64>> {
    static PLANS: Plans<RealFftPlanner<f64>, dyn RealToComplex<f64>> = OnceLock::new();
    planned(&PLANS, RealFftPlanner::new, n, |p, n| p.plan_fft_forward(n))
}

/// The forward complex FFT of `n` points, planned on first use.
pub fn complex_forward(n: usize) -> Arc<dyn Fft<f64>> {
    static PLANS: Plans<FftPlanner<f64>, dyn Fft<f64>> = OnceLock::new();
    planned(&PLANS, FftPlanner::new, n, |p, n| p.plan_fft_forward(n))
}

/// Tables of values by length, each made once: plans that need no planner.
pub(super) type Tables<T> = Plans<(), [T]>;

/// The table of length `n` in `tables`, made by `make` on first use.
pub(super) fn shared<T>(tables: &Tables<T>, n: usize, make: fn(usize) -> Vec<T>) -> Arc<[T]> {
    planned(tables, || (), n, |_, n| make(n).into())
}

/// A planner and the plans it made, by length.
type Plans<P, T> = OnceLock<Mutex<(P, HashMap<usize, Arc<T>>)>>;

/// The plan of length `n` in `plans`, made by `plan` with the planner on first use.
fn planned<P, T: ?Sized>(
    plans: &Plans<P, T>,
    planner: fn() -> P,
    n: usize,
    plan: impl FnOnce(&mut P, usize) -> Arc<T>,
) -> Arc<T> {
    let plans = plans.get_or_init(|| Mutex::new((planner(), HashMap::new())));
    // A poisoned lock only means another thread panicked while planning: the map it
    // guards holds finished plans only.
    let mut plans = plans.lock().unwrap_or_else(|p| p.into_inner());
    let (planner, made) = &mut *plans;
    Arc::clone(made.entry(n).or_insert_with(|| plan(planner, n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_made_once_per_length() {
        static SQUARES: Tables<usize> = OnceLock::new();
        let squares = |n: usize| (0..n).map(|i| i * i).collect();
        let (a, b) = (shared(&SQUARES, 5, squares), shared(&SQUARES, 5, squares));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, &[0, 1, 4, 9, 16]);
        assert_eq!(shared(&SQUARES, 3, squares).len(), 3);
    }

    #[test]
    fn a_length_is_planned_once_and_transforms_as_planned() {
        let (a, b) = (forward(12), forward(12));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(forward(10).len(), 10);
        assert!(Arc::ptr_eq(&complex_forward(6), &complex_forward(6)));
        assert_eq!(complex_forward(6).len(), 6);
        // The DFT of a unit impulse at 1 is e^{−2πik/12}.
        let mut x = vec![0.0; 12];
        x[1] = 1.0;
        let mut out = a.make_output_vec();
        a.process(&mut x, &mut out).unwrap();
        for (k, v) in out.iter().enumerate() {
            let angle = -2.0 * std::f64::consts::PI * k as f64 / 12.0;
            assert!((v.re - angle.cos()).abs() < 1e-15 && (v.im - angle.sin()).abs() < 1e-15);
        }
    }
}
