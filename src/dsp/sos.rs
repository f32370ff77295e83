//! Second-order sections: the coefficient type every IIR filter here is built from, and the
//! quantities derived from it (DC gain, steady-state initial conditions, filtfilt padding).

use super::error::DspError;

/// One biquad, `H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²)`, stored as scipy's
/// `sos` rows: `b = [b0, b1, b2]`, `a = [1, a1, a2]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Section {
    pub b: [f64; 3],
    pub a: [f64; 3],
}

impl Section {
    /// The section that passes its input unchanged.
    pub const IDENTITY: Section = Section {
        b: [1.0, 0.0, 0.0],
        a: [1.0, 0.0, 0.0],
    };

    /// Builds a section from up to two zeros and two poles (gain 1), with the polynomial
    /// coefficients right-aligned as scipy's `_single_zpksos` places them.
    pub(crate) fn from_roots(
        zeros: &[num_complex::Complex64],
        poles: &[num_complex::Complex64],
    ) -> Section {
        Section {
            b: right_aligned(&poly(zeros)),
            a: right_aligned(&poly(poles)),
        }
    }

    pub(crate) fn scale_numerator(&mut self, k: f64) {
        for b in &mut self.b {
            *b *= k;
        }
    }

    /// Gain at 0 Hz, `H(1) = Σb / Σa`.
    pub fn dc_gain(&self) -> f64 {
        self.b.iter().sum::<f64>() / self.a.iter().sum::<f64>()
    }

    /// The state of a transposed direct-form II section that has settled on a unit step
    /// (scipy's `lfilter_zi` for this section).
    pub fn step_state(&self) -> [f64; 2] {
        let [b0, b1, b2] = self.b;
        let [_, a1, a2] = self.a;
        let c1 = b1 - a1 * b0;
        let c2 = b2 - a2 * b0;
        let z1 = (c1 + c2) / (1.0 + a1 + a2);
        [z1, c2 - a2 * z1]
    }
}

/// Coefficients of the monic polynomial with the given roots, real parts only (the roots
/// come as conjugate pairs or are real).
fn poly(roots: &[num_complex::Complex64]) -> Vec<f64> {
    let mut c = vec![num_complex::Complex64::new(1.0, 0.0)];
    for &r in roots {
        let mut next = c.clone();
        next.push(num_complex::Complex64::new(0.0, 0.0));
        for (i, &ci) in c.iter().enumerate() {
            next[i + 1] -= ci * r;
        }
        c = next;
    }
    c.iter().map(|v| v.re).collect()
}

fn right_aligned(coefficients: &[f64]) -> [f64; 3] {
    let mut out = [0.0; 3];
    out[3 - coefficients.len()..].copy_from_slice(coefficients);
    out
}

/// Checks that every section is finite and normalised (`a0 = 1`).
pub fn validate(sections: &[Section]) -> Result<(), DspError> {
    for (index, s) in sections.iter().enumerate() {
        if !s.b.iter().chain(&s.a).all(|v| v.is_finite()) {
            return Err(DspError::BadSection {
                index,
                reason: "a coefficient is not finite",
            });
        }
        if s.a[0] != 1.0 {
            return Err(DspError::BadSection {
                index,
                reason: "a0 must be 1",
            });
        }
    }
    Ok(())
}

/// Initial state per section for a cascade that has settled on a unit step (scipy's
/// `sosfilt_zi`): each section's steady state scaled by the DC gain of those before it.
pub fn step_states(sections: &[Section]) -> Vec<[f64; 2]> {
    let mut scale = 1.0;
    sections
        .iter()
        .map(|s| {
            let [z1, z2] = s.step_state();
            let state = [scale * z1, scale * z2];
            scale *= s.dc_gain();
            state
        })
        .collect()
}

/// The default edge padding of zero-phase filtering (scipy's `sosfiltfilt` rule):
/// `3 · (2·n_sections + 1 − min(#sections with b2 = 0, #sections with a2 = 0))`.
pub fn default_padlen(sections: &[Section]) -> usize {
    let zero_b2 = sections.iter().filter(|s| s.b[2] == 0.0).count();
    let zero_a2 = sections.iter().filter(|s| s.a[2] == 0.0).count();
    3 * (2 * sections.len() + 1 - zero_b2.min(zero_a2))
}

/// Complex frequency response of the cascade at `frequency_hz`.
pub fn response(
    sections: &[Section],
    frequency_hz: f64,
    sample_rate_hz: f64,
) -> num_complex::Complex64 {
    let w = 2.0 * std::f64::consts::PI * frequency_hz / sample_rate_hz;
    let z1 = num_complex::Complex64::from_polar(1.0, -w);
    let z2 = z1 * z1;
    sections
        .iter()
        .fold(num_complex::Complex64::new(1.0, 0.0), |acc, s| {
            acc * (s.b[0] + s.b[1] * z1 + s.b[2] * z2) / (s.a[0] + s.a[1] * z1 + s.a[2] * z2)
        })
}
