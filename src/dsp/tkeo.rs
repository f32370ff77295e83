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
///
/// The signal may be several channels side by side, interleaved as frames
/// ([`TkeoBlocks::lanes`]): each lane's values are then those of its channel alone, bit
/// for bit, and every frame past the first two is one pass over contiguous values.
#[derive(Debug, Clone)]
pub struct TkeoBlocks {
    lanes: usize,
    /// The last two frames received: x[n − 2], then x[n − 1].
    previous: Vec<f64>,
    /// Frames received.
    received: usize,
    /// ψ of the last frame completed.
    last: Vec<f64>,
}

impl Default for TkeoBlocks {
    /// One channel.
    fn default() -> TkeoBlocks {
        TkeoBlocks::lanes(1)
    }
}

impl TkeoBlocks {
    /// ψ of each of `lanes` channels (at least one) interleaved.
    pub fn lanes(lanes: usize) -> TkeoBlocks {
        let lanes = lanes.max(1);
        TkeoBlocks {
            lanes,
            previous: vec![0.0; 2 * lanes],
            received: 0,
            last: vec![0.0; lanes],
        }
    }

    /// Feeds frames (whole ones); appends to `out` the frames of values they complete.
    pub fn push(&mut self, x: &[f64], out: &mut Vec<f64>) {
        let lanes = self.lanes;
        debug_assert_eq!(x.len() % lanes, 0, "whole frames of {lanes} lanes");
        let frames = x.len() / lanes;
        // Frames whose ψ needs a held frame, or that complete the first ψ (given twice:
        // ψ[0] takes the value of ψ[1]), one at a time.
        let mut i = 0;
        while i < frames && (i < 2 || self.received <= 2) {
            let v = &x[i * lanes..(i + 1) * lanes];
            if self.received >= 2 {
                let (a, b) = self.previous.split_at(lanes);
                for (((last, a), b), v) in self.last.iter_mut().zip(a).zip(b).zip(v) {
                    *last = b * b - a * v;
                }
                if self.received == 2 {
                    out.extend_from_slice(&self.last);
                }
                out.extend_from_slice(&self.last);
            }
            self.previous.copy_within(lanes.., 0);
            self.previous[lanes..].copy_from_slice(v);
            self.received += 1;
            i += 1;
        }
        if i == frames {
            return;
        }
        // The rest: every ψ from frames of `x` itself.
        let (a, b, v) = (
            &x[(i - 2) * lanes..(frames - 2) * lanes],
            &x[(i - 1) * lanes..(frames - 1) * lanes],
            &x[i * lanes..frames * lanes],
        );
        let start = out.len();
        out.extend(a.iter().zip(b).zip(v).map(|((a, b), v)| b * b - a * v));
        self.last.copy_from_slice(&out[out.len() - lanes..]);
        debug_assert_eq!(out.len() - start, (frames - i) * lanes);
        self.previous
            .copy_from_slice(&x[(frames - 2) * lanes..frames * lanes]);
        self.received += frames - i;
    }

    /// Appends the last frame of values (that of the one before it); zeros for a signal
    /// shorter than 3 frames.
    pub fn finish(&mut self, out: &mut Vec<f64>) {
        match self.received {
            0 => {}
            n if n < 3 => out.extend(std::iter::repeat_n(0.0, n * self.lanes)),
            _ => out.extend_from_slice(&self.last),
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

    #[test]
    fn lanes_give_each_channel_its_own_values() {
        for (lanes, n) in [(8, 300), (3, 2), (2, 3), (5, 4), (4, 1), (3, 0)] {
            let channels: Vec<Vec<f64>> = (0..lanes)
                .map(|c| {
                    (0..n)
                        .map(|i| ((i * 7919 + c * 13) % 97) as f64 - 40.0)
                        .collect()
                })
                .collect();
            let frames: Vec<f64> = (0..n)
                .flat_map(|i| channels.iter().map(move |c| c[i]))
                .collect();
            for block in [1, 2, 3, 64] {
                let mut t = TkeoBlocks::lanes(lanes);
                let mut out = Vec::new();
                for part in frames.chunks(block * lanes) {
                    t.push(part, &mut out);
                }
                t.finish(&mut out);
                assert_eq!(
                    out.len(),
                    frames.len(),
                    "{lanes} lanes, n {n}, block {block}"
                );
                for (c, x) in channels.iter().enumerate() {
                    let mut want = vec![0.0; n];
                    tkeo(x, &mut want);
                    let lane: Vec<f64> = out.iter().skip(c).step_by(lanes).copied().collect();
                    assert_eq!(lane, want, "{lanes} lanes, n {n}, block {block}, lane {c}");
                }
            }
        }
    }
}
