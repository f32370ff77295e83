//! Counter-based Gaussian noise: sample n of a stream is a pure function of (stream key, n),
//! so noise never depends on block sizes or on what was generated before, and any sample
//! can be recomputed on its own.
//!
//! A key comes from the seed and a stream number; each sample hashes the key and the
//! counter with Vigna's splitmix64 finaliser (two 53-bit uniforms) and turns them into two
//! independent standard normal values by the Box–Muller transform.

use std::f64::consts::PI;

/// The splitmix64 increment (2⁶⁴ divided by the golden ratio).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
/// 2⁻⁵³: turns the top 53 bits of a hash into a uniform number in [0, 1).
const UNIT: f64 = 1.0 / 9_007_199_254_740_992.0;

/// Vigna's splitmix64 output function.
pub(crate) fn splitmix64(state: u64) -> u64 {
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The key of noise stream `stream` under `seed`; different streams are independent.
pub(crate) fn stream_key(seed: u64, stream: u64) -> u64 {
    splitmix64(seed ^ splitmix64(stream.wrapping_mul(GAMMA).wrapping_add(GAMMA)))
}

/// A uniform number in [0, 1) drawn from `key` alone (fixed phases and the like).
pub(crate) fn uniform(key: u64) -> f64 {
    (splitmix64(key) >> 11) as f64 * UNIT
}

/// Two independent standard normal values for sample `n` of the stream `key`.
pub(crate) fn normal_pair(key: u64, n: u64) -> (f64, f64) {
    let counter = n.wrapping_mul(2);
    let a = splitmix64(key.wrapping_add(counter.wrapping_add(1).wrapping_mul(GAMMA)));
    let b = splitmix64(key.wrapping_add(counter.wrapping_add(2).wrapping_mul(GAMMA)));
    // u1 in (0, 1] keeps the logarithm finite.
    let u1 = ((a >> 11) + 1) as f64 * UNIT;
    let u2 = (b >> 11) as f64 * UNIT;
    let r = (-2.0 * u1.ln()).sqrt();
    let (s, c) = (2.0 * PI * u2).sin_cos();
    (r * c, r * s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_values_have_unit_variance_and_streams_differ() {
        let key = stream_key(7, 3);
        let n = 200_000u64;
        let (mut sum, mut sq, mut cross) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let (x, y) = normal_pair(key, i);
            sum += x + y;
            sq += x * x + y * y;
            cross += x * y;
        }
        let count = 2.0 * n as f64;
        assert!((sum / count).abs() < 0.01);
        assert!((sq / count - 1.0).abs() < 0.01);
        assert!((cross / n as f64).abs() < 0.01);
        assert_ne!(stream_key(7, 3), stream_key(7, 4));
        assert_ne!(stream_key(7, 3), stream_key(8, 3));
        assert_eq!(normal_pair(key, 12345), normal_pair(key, 12345));
    }
}
