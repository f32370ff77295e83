//! Teager–Kaiser energy operator, `ψ[n] = x[n]² − x[n−1]·x[n+1]` (METHODS.md G.2), used to
//! condition EMG before onset detection: over a whole signal ([`tkeo`], or [`TkeoBlocks`]
//! when it comes in blocks) or as samples arrive ([`TkeoStream`], one sample late because
//! `ψ[n]` needs `x[n+1]`).

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

/// Streaming TKEO: for each input sample `x[n]` it writes `ψ[n − 1]`, the operator centred
/// one sample back (the only one `x[n]` completes), with `x[−1] = x[−2] = 0` before the first
/// sample. Any block size gives the same output.
///
/// ```
/// use myobalance::dsp::tkeo::TkeoStream;
/// let mut t = TkeoStream::default();
/// let mut out = vec![0.0; 5];
/// t.process(&[1.0, 2.0, 3.0, 4.0, 5.0], &mut out);
/// assert_eq!(out, vec![0.0, 1.0, 1.0, 1.0, 1.0]); // ψ[−1] = 0, ψ[0] = 1² − 0·2, …
/// ```
#[derive(Debug, Clone, Default)]
pub struct TkeoStream {
    /// x[n − 2], x[n − 1].
    previous: [f64; 2],
}

impl TkeoStream {
    /// Writes ψ one sample back of each sample of `x` into `out`.
    ///
    /// # Panics
    /// If the lengths differ.
    pub fn process(&mut self, x: &[f64], out: &mut [f64]) {
        assert_eq!(x.len(), out.len(), "input and output lengths differ");
        for (v, o) in x.iter().zip(out.iter_mut()) {
            let [a, b] = self.previous;
            *o = b * b - a * v;
            self.previous = [b, *v];
        }
    }

    /// Forgets the past samples.
    pub fn reset(&mut self) {
        self.previous = [0.0; 2];
    }
}
/// [`tkeo`] of a signal that arrives in blocks: the same values, ends included, each
/// handed out once the sample after it has come (the last at the end).
#[derive(Debug, Clone, Default)]
pub struct TkeoBlocks {
    /// x[n − 2], x[n − 1], and the samples received.
    previous: [f64; 2],
    received: usize,
    last: f64,
}

impl TkeoBlocks {
    /// Feeds samples; appends to `out` the values they complete.
    pub fn push(&mut self, x: &[f64], out: &mut Vec<f64>) {
        for &v in x {
            let [a, b] = self.previous;
            if self.received >= 2 {
                self.last = b * b - a * v;
                if self.received == 2 {
                    // ψ[0] takes the value of ψ[1].
                    out.push(self.last);
                }
                out.push(self.last);
            }
            self.previous = [b, v];
            self.received += 1;
        }
    }

    /// Appends the last value (that of the one before it); zeros for a signal shorter
    /// than 3 samples.
    pub fn finish(&mut self, out: &mut Vec<f64>) {
        match self.received {
            0 => {}
            n if n < 3 => out.extend(std::iter::repeat_n(0.0, n)),
            _ => out.push(self.last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_give_the_whole_signal_values() {
        for n in [0, 1, 2, 3, 4, 17, 300] {
            let x: Vec<f64> = (0..n).map(|i| ((i * 7919) % 97) as f64 - 40.0).collect();
            let mut want = vec![0.0; n];
            tkeo(&x, &mut want);
            for block in [1, 2, 5, 64] {
                let mut t = TkeoBlocks::default();
                let mut out = Vec::new();
                for part in x.chunks(block) {
                    t.push(part, &mut out);
                }
                t.finish(&mut out);
                assert_eq!(out, want, "n {n}, block {block}");
            }
        }
    }
}
