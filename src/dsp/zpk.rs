//! Zeros, poles and gain: the analog frequency transforms, the bilinear transform, and the
//! grouping of a digital design into second-order sections.
//!
//! Each step follows the published algorithm of `scipy.signal` (`lp2lp_zpk`, `lp2hp_zpk`,
//! `lp2bp_zpk`, `lp2bs_zpk`, `bilinear_zpk`, and `zpk2sos` with `pairing="nearest"`) so that
//! designs agree with scipy's coefficient by coefficient, sections in the same order.

use num_complex::Complex64;

use super::sos::Section;

/// A transfer function as zeros, poles and a real gain.
#[derive(Debug, Clone)]
pub struct Zpk {
    pub zeros: Vec<Complex64>,
    pub poles: Vec<Complex64>,
    pub gain: f64,
}

fn product(values: &[Complex64], f: impl Fn(Complex64) -> Complex64) -> Complex64 {
    values
        .iter()
        .fold(Complex64::new(1.0, 0.0), |acc, &v| acc * f(v))
}

impl Zpk {
    fn relative_degree(&self) -> usize {
        self.poles.len().saturating_sub(self.zeros.len())
    }

    /// Analog low-pass prototype (cut-off 1 rad/s) → low-pass at `wo` rad/s.
    pub fn lowpass(self, wo: f64) -> Zpk {
        let degree = self.relative_degree();
        Zpk {
            zeros: self.zeros.iter().map(|z| z * wo).collect(),
            poles: self.poles.iter().map(|p| p * wo).collect(),
            gain: self.gain * wo.powi(degree as i32),
        }
    }

    /// Analog low-pass prototype → high-pass at `wo` rad/s.
    pub fn highpass(self, wo: f64) -> Zpk {
        let degree = self.relative_degree();
        let mut zeros: Vec<Complex64> = self.zeros.iter().map(|z| wo / z).collect();
        let poles = self.poles.iter().map(|p| wo / p).collect();
        let ratio = product(&self.zeros, |z| -z) / product(&self.poles, |p| -p);
        zeros.extend(std::iter::repeat_n(Complex64::new(0.0, 0.0), degree));
        Zpk {
            zeros,
            poles,
            gain: self.gain * ratio.re,
        }
    }

    /// Analog low-pass prototype → band-pass centred on `wo` rad/s with width `bw` rad/s.
    pub fn bandpass(self, wo: f64, bw: f64) -> Zpk {
        let degree = self.relative_degree();
        let shift = |values: &[Complex64]| -> Vec<Complex64> {
            let scaled: Vec<Complex64> = values.iter().map(|v| v * (bw / 2.0)).collect();
            let root = |v: &Complex64| (v * v - wo * wo).sqrt();
            let plus = scaled.iter().map(|v| v + root(v));
            let minus = scaled.iter().map(|v| v - root(v));
            plus.chain(minus).collect()
        };
        let mut zeros = shift(&self.zeros);
        zeros.extend(std::iter::repeat_n(Complex64::new(0.0, 0.0), degree));
        Zpk {
            zeros,
            poles: shift(&self.poles),
            gain: self.gain * bw.powi(degree as i32),
        }
    }

    /// Analog low-pass prototype → band-stop centred on `wo` rad/s with width `bw` rad/s.
    pub fn bandstop(self, wo: f64, bw: f64) -> Zpk {
        let degree = self.relative_degree();
        let shift = |values: &[Complex64]| -> Vec<Complex64> {
            let inverted: Vec<Complex64> = values.iter().map(|v| (bw / 2.0) / v).collect();
            let root = |v: &Complex64| (v * v - wo * wo).sqrt();
            let plus = inverted.iter().map(|v| v + root(v));
            let minus = inverted.iter().map(|v| v - root(v));
            plus.chain(minus).collect()
        };
        let mut zeros = shift(&self.zeros);
        zeros.extend(std::iter::repeat_n(Complex64::new(0.0, wo), degree));
        zeros.extend(std::iter::repeat_n(Complex64::new(0.0, -wo), degree));
        let ratio = product(&self.zeros, |z| -z) / product(&self.poles, |p| -p);
        Zpk {
            zeros,
            poles: shift(&self.poles),
            gain: self.gain * ratio.re,
        }
    }

    /// Analog → digital by the bilinear transform with sample rate `fs` (scipy's
    /// `bilinear_zpk`).
    pub fn bilinear(self, fs: f64) -> Zpk {
        let degree = self.relative_degree();
        let fs2 = 2.0 * fs;
        let map = |v: &Complex64| (fs2 + v) / (fs2 - v);
        let mut zeros: Vec<Complex64> = self.zeros.iter().map(map).collect();
        zeros.extend(std::iter::repeat_n(Complex64::new(-1.0, 0.0), degree));
        let ratio = product(&self.zeros, |z| fs2 - z) / product(&self.poles, |p| fs2 - p);
        Zpk {
            zeros,
            poles: self.poles.iter().map(map).collect(),
            gain: self.gain * ratio.re,
        }
    }

    /// Groups a digital design into second-order sections, pairing each pole with its
    /// nearest zero and putting the poles closest to the unit circle last (scipy's
    /// `zpk2sos(..., pairing="nearest")`). The gain goes into the first section.
    pub fn into_sections(self) -> Vec<Section> {
        let Zpk {
            mut zeros,
            mut poles,
            gain,
        } = self;
        let zero = Complex64::new(0.0, 0.0);
        while poles.len() < zeros.len() {
            poles.push(zero);
        }
        while zeros.len() < poles.len() {
            zeros.push(zero);
        }
        let n_sections = poles.len().div_ceil(2);
        if poles.len() % 2 == 1 {
            poles.push(zero);
            zeros.push(zero);
        }
        let mut z = split_conjugates(&zeros);
        let mut p = split_conjugates(&poles);

        let mut sections = vec![Section::IDENTITY; n_sections];
        for slot in (0..n_sections).rev() {
            let p1 = p.remove(worst(&p, |_| true));
            let real_poles_left = p.iter().filter(|v| v.im == 0.0).count();
            sections[slot] = if p1.im == 0.0 && real_poles_left == 0 {
                // The last real pole: pair it with the nearest real zero.
                let z1 = z.remove(nearest(&z, p1, Which::Real));
                Section::from_roots(&[z1, zero], &[p1, zero])
            } else if p.len() + 1 == z.len()
                && p1.im != 0.0
                && real_poles_left == 1
                && z.iter().filter(|v| v.im == 0.0).count() == 1
            {
                // One real pole and one real zero remain with the complex ones: this
                // pole must take a complex zero.
                let z1 = z.remove(nearest(&z, p1, Which::Complex));
                Section::from_roots(&[z1, z1.conj()], &[p1, p1.conj()])
            } else {
                let p2 = if p1.im == 0.0 {
                    p.remove(worst(&p, |v| v.im == 0.0))
                } else {
                    p1.conj()
                };
                if z.is_empty() {
                    Section::from_roots(&[], &[p1, p2])
                } else {
                    let z1 = z.remove(nearest(&z, p1, Which::Any));
                    if z1.im != 0.0 {
                        Section::from_roots(&[z1, z1.conj()], &[p1, p2])
                    } else if z.is_empty() {
                        Section::from_roots(&[z1], &[p1, p2])
                    } else {
                        let z2 = z.remove(nearest(&z, p1, Which::Real));
                        Section::from_roots(&[z1, z2], &[p1, p2])
                    }
                }
            };
        }
        sections[0].scale_numerator(gain);
        sections
    }
}

#[derive(Clone, Copy)]
enum Which {
    Real,
    Complex,
    Any,
}

/// Index of the root closest to the unit circle among those `keep` accepts (first on ties).
fn worst(roots: &[Complex64], keep: impl Fn(&Complex64) -> bool) -> usize {
    let mut best = usize::MAX;
    let mut best_distance = f64::INFINITY;
    for (i, r) in roots.iter().enumerate() {
        let distance = (1.0 - r.norm()).abs();
        if keep(r) && (best == usize::MAX || distance < best_distance) {
            best = i;
            best_distance = distance;
        }
    }
    best
}

/// Index of the root nearest `to` of the requested kind; a stable sort by distance, as
/// numpy's argsort is on arrays this small.
fn nearest(roots: &[Complex64], to: Complex64, which: Which) -> usize {
    let mut order: Vec<usize> = (0..roots.len()).collect();
    order.sort_by(|&a, &b| (roots[a] - to).norm().total_cmp(&(roots[b] - to).norm()));
    order
        .into_iter()
        .find(|&i| match which {
            Which::Any => true,
            Which::Real => roots[i].im == 0.0,
            Which::Complex => roots[i].im != 0.0,
        })
        .expect("zpk2sos: a root of the requested kind remains (poles and zeros are paired)")
}

/// Keeps one root of each conjugate pair (the one with positive imaginary part, averaged
/// with its partner) followed by the real roots, as scipy's `_cplxreal`.
fn split_conjugates(roots: &[Complex64]) -> Vec<Complex64> {
    let tol = 100.0 * f64::EPSILON;
    let mut sorted = roots.to_vec();
    sorted.sort_by(|a, b| {
        a.re.total_cmp(&b.re)
            .then_with(|| a.im.abs().total_cmp(&b.im.abs()))
    });
    let (reals, complex): (Vec<Complex64>, Vec<Complex64>) = sorted
        .into_iter()
        .partition(|r| r.im.abs() <= tol * r.norm());
    let mut positive: Vec<Complex64> = complex.iter().copied().filter(|r| r.im > 0.0).collect();
    let mut negative: Vec<Complex64> = complex.iter().copied().filter(|r| r.im < 0.0).collect();
    // Runs of (nearly) equal real part are found on the positive half and each run of both
    // halves is then ordered by imaginary part, so that partners line up.
    let mut start = 0;
    while start < positive.len() {
        let mut stop = start + 1;
        while stop < positive.len()
            && positive[stop].re - positive[stop - 1].re <= tol * positive[stop - 1].norm()
        {
            stop += 1;
        }
        for half in [&mut positive, &mut negative] {
            if let Some(run) = half.get_mut(start..stop) {
                run.sort_by(|a, b| a.im.abs().total_cmp(&b.im.abs()));
            }
        }
        start = stop;
    }
    let mut out: Vec<Complex64> = positive
        .iter()
        .zip(&negative)
        .map(|(p, n)| (p + n.conj()) / 2.0)
        .collect();
    out.extend(reals.iter().map(|r| Complex64::new(r.re, 0.0)));
    out
}
