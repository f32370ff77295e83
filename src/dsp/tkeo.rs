//! Teager–Kaiser energy operator, `ψ[n] = x[n]² − x[n−1]·x[n+1]` (METHODS.md G.2), used to
//! condition EMG before onset detection.

/// Writes ψ of `x` into `out` (same length). The two end samples, which lack a neighbour,
/// take the value of the sample next to them; a signal shorter than 3 samples gives zeros.
///
/// ```
/// let mut out = vec![0.0; 5];
/// myobalance::dsp::tkeo::tkeo(&[1.0, 2.0, 3.0, 4.0, 5.0], &mut out);
/// assert_eq!(out, vec![1.0, 1.0, 1.0, 1.0, 1.0]); // n² − (n−1)(n+1) = 1
/// ```
///
/// # Panics
/// If the lengths differ.
pub fn tkeo(x: &[f64], out: &mut [f64]) {
    assert_eq!(x.len(), out.len(), "input and output lengths differ");
    let n = x.len();
    if n < 3 {
        out.fill(0.0);
        return;
    }
    for i in 1..n - 1 {
        out[i] = x[i] * x[i] - x[i - 1] * x[i + 1];
    }
    out[0] = out[1];
    out[n - 1] = out[n - 2];
}
