//! The synthetic recording `myobalance bench` times its kernels on: white noise, a slow
//! triangle wave standing in for tremor, and a DC offset per channel.
//!
//! The formula uses only integer arithmetic and correctly rounded `+ − × /` (no `sin`, no
//! library calls), so numpy reproduces every sample bit for bit and a comparison script can
//! time its peers on exactly the same arrays. For channel `c` and sample `i` (both from 0):
//!
//! ```text
//! k     = c·2³² + i + 1                                  (u64)
//! z     = splitmix64(SEED + k·GAMMA)                     (u64, wrapping)
//! noise = (z >> 11)·2⁻⁵³·2 − 1                           in [−1, 1)
//! step  = floor(f_c·2³² / fs),  f_c = 6 + (c mod 5) Hz   (u64)
//! phase = ((i·step) mod 2³²)·2⁻³²                        in [0, 1)
//! tri   = 1 − 4·|phase − 0.5|                            in [−1, 1]
//! x     = (dc_c + 0.5·tri) + noise,  dc_c = 0.25 + 0.125·(c mod 4)
//! ```
//!
//! where `splitmix64(s)` is Vigna's finaliser: `s ^= s >> 30; s *= 0xBF58476D1CE4E5B9;
//! s ^= s >> 27; s *= 0x94D049BB133111EB; s ^= s >> 31` (the k-th output of a splitmix64
//! stream seeded at `SEED + c·2³²·GAMMA`). Each channel depends only on its own index, not on
//! the channel count or the length.

/// Seed of the noise ("myobalan" in ASCII).
pub const SEED: u64 = 0x6D79_6F62_616C_616E;
/// The splitmix64 increment (2⁶⁴ divided by the golden ratio).
pub const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
/// Amplitude of the triangle wave.
pub const TREMOR_AMPLITUDE: f64 = 0.5;

/// Vigna's splitmix64 output function applied to a state.
pub fn splitmix64(state: u64) -> u64 {
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Frequency of channel `c`'s triangle wave, inside the 4–12 Hz tremor band.
pub fn tremor_hz(channel: usize) -> f64 {
    6.0 + (channel % 5) as f64
}

/// DC offset of channel `c`.
pub fn dc_offset(channel: usize) -> f64 {
    0.25 + 0.125 * (channel % 4) as f64
}

/// Writes samples `0..out.len()` of channel `channel` at `sample_rate_hz` into `out`.
///
/// # Panics
/// If `out` holds 2³² − 1 samples or more (the counter would spill into the next channel).
///
/// ```
/// use myobalance::bench::signal::fill_channel;
/// let mut x = [0.0; 3];
/// fill_channel(0, 2000.0, &mut x);
/// // Sample 0 of channel 0 is 0.25 + 0.5·(−1) + noise, with the noise in [−1, 1).
/// assert!(x[0] >= -1.25 && x[0] < 0.75);
/// ```
pub fn fill_channel(channel: usize, sample_rate_hz: f64, out: &mut [f64]) {
    assert!((out.len() as u64) < u32::MAX as u64, "channel too long");
    let base = (channel as u64) << 32;
    let step = (tremor_hz(channel) * 4_294_967_296.0 / sample_rate_hz).floor() as u64;
    let dc = dc_offset(channel);
    for (i, x) in out.iter_mut().enumerate() {
        let k = base.wrapping_add(i as u64 + 1);
        let z = splitmix64(SEED.wrapping_add(k.wrapping_mul(GAMMA)));
        let noise = (z >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0) * 2.0 - 1.0;
        let phase = ((i as u64).wrapping_mul(step) & 0xFFFF_FFFF) as f64 / 4_294_967_296.0;
        let tri = 1.0 - 4.0 * (phase - 0.5).abs();
        *x = dc + TREMOR_AMPLITUDE * tri + noise;
    }
}

/// A synthetic multi-channel recording held both planar (one contiguous run per channel,
/// for the per-channel kernels) and interleaved (frames, for the multi-channel filters).
#[derive(Debug, Clone)]
pub struct Signal {
    channels: usize,
    samples_per_channel: usize,
    sample_rate_hz: f64,
    planar: Vec<f64>,
    interleaved: Vec<f64>,
}

impl Signal {
    /// Generates `channels` channels of `samples_per_channel` samples by the module's formula.
    ///
    /// # Panics
    /// As [`fill_channel`].
    pub fn generate(channels: usize, samples_per_channel: usize, sample_rate_hz: f64) -> Signal {
        let n = samples_per_channel;
        let mut planar = vec![0.0; channels * n];
        if n > 0 {
            for (c, x) in planar.chunks_exact_mut(n).enumerate() {
                fill_channel(c, sample_rate_hz, x);
            }
        }
        let mut interleaved = vec![0.0; channels * n];
        for (c, x) in planar.chunks_exact(n.max(1)).enumerate().take(channels) {
            for (i, &v) in x.iter().enumerate() {
                interleaved[i * channels + c] = v;
            }
        }
        Signal {
            channels,
            samples_per_channel,
            sample_rate_hz,
            planar,
            interleaved,
        }
    }

    /// Number of channels.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Samples in each channel.
    pub fn samples_per_channel(&self) -> usize {
        self.samples_per_channel
    }

    /// Sample rate in Hz.
    pub fn sample_rate_hz(&self) -> f64 {
        self.sample_rate_hz
    }

    /// The samples of channel `c`.
    ///
    /// # Panics
    /// If `c` is not below the channel count.
    pub fn channel(&self, c: usize) -> &[f64] {
        let n = self.samples_per_channel;
        &self.planar[c * n..(c + 1) * n]
    }

    /// All samples as frames: `[ch0, ch1, …]` per sample instant.
    pub fn interleaved(&self) -> &[f64] {
        &self.interleaved
    }

    /// The sum of every sample, channel by channel in order. A peer that regenerates the
    /// signal finds the same value up to summation order (≈1e-12 relative).
    pub fn checksum(&self) -> f64 {
        self.planar.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_stream() {
        // First outputs of the reference splitmix64 seeded with 0 (Vigna's C code).
        assert_eq!(splitmix64(GAMMA), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(GAMMA.wrapping_mul(2)), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn samples_equal_numpys_bit_for_bit() {
        // Computed by scripts/compare_scipy.py's `generate` (numpy 2.4).
        let cases = [
            (0, 0, 2000.0, 0xBFD2_41E6_9CC9_FC10_u64),
            (3, 12345, 2000.0, 0x3FE6_C8F0_A9DA_33E8),
            (6, 99999, 2000.0, 0x3FDB_DBE9_70D9_4858),
            (1, 9, 44.5, 0x3F73_4B62_7F5D_C400),
        ];
        for (channel, index, rate, bits) in cases {
            let mut x = vec![0.0; index + 1];
            fill_channel(channel, rate, &mut x);
            assert_eq!(
                x[index].to_bits(),
                bits,
                "channel {channel}, sample {index}"
            );
        }
    }

    #[test]
    fn layouts_agree_and_channels_do_not_depend_on_the_count() {
        let a = Signal::generate(3, 100, 2000.0);
        let b = Signal::generate(5, 50, 2000.0);
        for c in 0..3 {
            assert_eq!(&a.channel(c)[..50], b.channel(c));
            for i in 0..100 {
                assert_eq!(a.interleaved()[i * 3 + c], a.channel(c)[i]);
            }
        }
    }

    #[test]
    fn samples_stay_in_their_range() {
        let s = Signal::generate(4, 4000, 2000.0);
        for c in 0..4 {
            let dc = dc_offset(c);
            assert!(s.channel(c).iter().all(|&x| x >= dc - 1.5 && x < dc + 1.5));
        }
    }
}
