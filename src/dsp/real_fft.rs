//! The DFT of a real signal, for its first bins only. A real signal of even length n is
//! transformed as n/2 complex points (even samples real, odd samples imaginary), and each
//! wanted bin is unpacked from two bins of that transform:
//!
//! ```text
//! Xₖ = Eₖ + e^{−2πik/n}·Oₖ,   Eₖ = (Zₖ + Z̄_{n/2−k}) / 2,   Oₖ = −i (Zₖ − Z̄_{n/2−k}) / 2
//! ```
//!
//! A full real FFT unpacks every bin; a tremor segment's measures read 68 of 2001, so
//! unpacking only those saves a pass over the spectrum per segment. Odd lengths are
//! transformed as n complex points with zero imaginary parts.

use std::f64::consts::PI;
use std::sync::{Arc, OnceLock};

use num_complex::Complex64;
use rustfft::Fft;

use super::fft_plan;

/// A planned transform of real signals of one length, with its buffers.
pub struct RealPrefixFft {
    n: usize,
    fft: Arc<dyn Fft<f64>>,
    /// e^{−2πik/n} for k = 0..=n/2 (even lengths), shared by every transform of this length.
    twiddles: Arc<[Complex64]>,
    /// The signal: packed two samples per value (even lengths), or one with a zero
    /// imaginary part (odd).
    packed: Vec<Complex64>,
    /// Odd lengths: the signal as written, before it is packed.
    real: Vec<f64>,
    scratch: Vec<Complex64>,
}

/// e^{−2πik/n} for k = 0..=n/2: what unpacks bin k of an even length `n`.
fn unpacking_twiddles(n: usize) -> Vec<Complex64> {
    (0..=n / 2)
        .map(|k| Complex64::from_polar(1.0, -2.0 * PI * k as f64 / n as f64))
        .collect()
}

impl RealPrefixFft {
    /// The transform of `n` ≥ 1 real samples.
    pub fn new(n: usize) -> RealPrefixFft {
        let even = n % 2 == 0;
        let fft = fft_plan::complex_forward(if even { n / 2 } else { n });
        static TWIDDLES: fft_plan::Tables<Complex64> = OnceLock::new();
        let twiddles = if even {
            fft_plan::shared(&TWIDDLES, n, unpacking_twiddles)
        } else {
            Arc::from([])
        };
        RealPrefixFft {
            n,
            scratch: vec![Complex64::default(); fft.get_inplace_scratch_len()],
            packed: vec![Complex64::default(); fft.len()],
            real: if even { Vec::new() } else { vec![0.0; n] },
            fft,
            twiddles,
        }
    }

    /// Number of one-sided bins, n/2 + 1.
    pub fn bins(&self) -> usize {
        self.n / 2 + 1
    }

    /// Where the caller writes the n samples to transform.
    pub fn input(&mut self) -> &mut [f64] {
        if self.n % 2 == 1 {
            return &mut self.real;
        }
        let len = 2 * self.packed.len();
        // SAFETY: `Complex64` is `#[repr(C)]` { re: f64, im: f64 }, so the buffer of n/2
        // values is n f64 in a row, aligned for f64; the borrow of `self` keeps it alive
        // and unaliased.
        unsafe { std::slice::from_raw_parts_mut(self.packed.as_mut_ptr().cast::<f64>(), len) }
    }

    /// Transforms what [`RealPrefixFft::input`] holds into bins `0..out.len()` of its DFT.
    /// The input is consumed.
    ///
    /// # Panics
    /// If `out` is longer than [`RealPrefixFft::bins`].
    pub fn transform(&mut self, out: &mut [Complex64]) {
        assert!(out.len() <= self.bins(), "at most n/2 + 1 bins");
        if self.n % 2 == 1 {
            for (p, v) in self.packed.iter_mut().zip(&self.real) {
                *p = Complex64::new(*v, 0.0);
            }
            self.fft
                .process_with_scratch(&mut self.packed, &mut self.scratch);
            out.copy_from_slice(&self.packed[..out.len()]);
            return;
        }
        self.fft
            .process_with_scratch(&mut self.packed, &mut self.scratch);
        let z = &self.packed;
        let half = z.len();
        for (k, o) in out.iter_mut().enumerate() {
            *o = if k == 0 {
                Complex64::new(z[0].re + z[0].im, 0.0)
            } else if k == half {
                Complex64::new(z[0].re - z[0].im, 0.0)
            } else {
                let (a, b) = (z[k], z[half - k].conj());
                let even = (a + b) * 0.5;
                let d = a - b;
                let odd = Complex64::new(0.5 * d.im, -0.5 * d.re);
                even + self.twiddles[k] * odd
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The DFT by its definition, summed in f64.
    fn dft(x: &[f64], k: usize) -> Complex64 {
        let n = x.len() as f64;
        x.iter()
            .enumerate()
            .map(|(j, v)| Complex64::from_polar(*v, -2.0 * PI * (k * j) as f64 / n))
            .sum()
    }

    #[test]
    fn every_bin_of_even_and_odd_lengths_is_the_dft() {
        for n in [1, 2, 3, 4, 7, 10, 64, 99, 250, 1000] {
            let x: Vec<f64> = (0..n)
                .map(|j| ((j * 7919) % 101) as f64 / 50.0 - 1.0 + 0.3 * (j as f64).sin())
                .collect();
            let mut fft = RealPrefixFft::new(n);
            for bins in [1, fft.bins() / 2 + 1, fft.bins()] {
                fft.input().copy_from_slice(&x);
                let mut out = vec![Complex64::default(); bins];
                fft.transform(&mut out);
                let scale: f64 = x.iter().map(|v| v.abs()).sum();
                for (k, got) in out.iter().enumerate() {
                    let want = dft(&x, k);
                    assert!(
                        (got - want).norm() <= 1e-13 * scale,
                        "n {n} bin {k}: {got} {want}"
                    );
                }
            }
        }
    }
}
