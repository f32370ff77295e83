//! Independent partial sums. A sequential sum waits for each addition before the next,
//! while [`LANES`] sums can proceed side by side (and fill SIMD lanes); they are added
//! pairwise at the end. The result differs from the sequential sum by rounding only.

/// Partial sums kept side by side.
pub const LANES: usize = 8;

/// Adds the partial sums pairwise.
#[inline(always)]
pub fn combine(mut lanes: [f64; LANES]) -> f64 {
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for j in 0..width {
            lanes[j] += lanes[j + width];
        }
    }
    lanes[0]
}
