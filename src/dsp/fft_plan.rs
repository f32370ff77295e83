//! FFT plans shared by every kernel of the process. Planning a transform
//! (choosing its factors, computing its twiddles) costs far more than running it once,
//! and every channel's Welch estimators want the same few lengths: each length is planned
//! once, and the plan (immutable, thread-safe) is shared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use realfft::{RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};

/// The forward real FFT of `n` points, planned on first use.
pub fn forward(n: usize) -> Arc<dyn RealToComplex<f64>> {
    static PLANS: OnceLock<Mutex<Plans>> = OnceLock::new();
    let plans = PLANS.get_or_init(|| Mutex::new(Plans::default()));
    // A poisoned lock only means another thread panicked while planning: the map it
    // guards holds finished plans only.
    let mut plans = plans.lock().unwrap_or_else(|p| p.into_inner());
    let Plans { planner, forward } = &mut *plans;
    Arc::clone(
        forward
            .entry(n)
            .or_insert_with(|| planner.plan_fft_forward(n)),
    )
}

/// The forward complex FFT of `n` points, planned on first use.
pub fn complex_forward(n: usize) -> Arc<dyn Fft<f64>> {
    static PLANS: OnceLock<Mutex<ComplexPlans>> = OnceLock::new();
    let plans = PLANS.get_or_init(|| Mutex::new(ComplexPlans::default()));
    let mut plans = plans.lock().unwrap_or_else(|p| p.into_inner());
    let ComplexPlans { planner, forward } = &mut *plans;
    Arc::clone(
        forward
            .entry(n)
            .or_insert_with(|| planner.plan_fft_forward(n)),
    )
}

#[derive(Default)]
struct Plans {
    planner: RealFftPlanner<f64>,
    forward: HashMap<usize, Arc<dyn RealToComplex<f64>>>,
}

struct ComplexPlans {
    planner: FftPlanner<f64>,
    forward: HashMap<usize, Arc<dyn Fft<f64>>>,
}

impl Default for ComplexPlans {
    fn default() -> ComplexPlans {
        ComplexPlans {
            planner: FftPlanner::new(),
            forward: HashMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_length_is_planned_once_and_transforms_as_planned() {
        let (a, b) = (forward(12), forward(12));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(forward(10).len(), 10);
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
