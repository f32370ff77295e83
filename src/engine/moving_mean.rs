//! Moving mean over W samples: trailing (causal, streaming) or centred (whole signal).

/// Trailing mean of the last W samples (fewer at the start), as samples arrive.
#[derive(Debug, Clone)]
pub struct TrailingMean {
    window: Vec<f64>,
    next: usize,
    filled: usize,
    sum: f64,
}

impl TrailingMean {
    pub fn new(w: usize) -> TrailingMean {
        TrailingMean {
            window: vec![0.0; w.max(1)],
            next: 0,
            filled: 0,
            sum: 0.0,
        }
    }

    /// Replaces each value of `x` by the mean of it and the W − 1 values before it.
    pub fn process(&mut self, x: &mut [f64]) {
        let w = self.window.len();
        for v in x {
            self.sum += *v - self.window[self.next];
            self.window[self.next] = *v;
            self.next = (self.next + 1) % w;
            self.filled = (self.filled + 1).min(w);
            *v = self.sum / self.filled as f64;
        }
    }
}

/// Centred mean of W samples around each sample: over [i − W/2, i − W/2 + W) cut to the
/// signal (shorter at both ends).
pub fn centred_mean(x: &[f64], w: usize) -> Vec<f64> {
    let n = x.len();
    let w = w.max(1);
    let half = w / 2;
    // Running sum over the current window [lo, hi), moved one sample at a time.
    let (mut lo, mut hi, mut sum) = (0usize, 0usize, 0.0);
    (0..n)
        .map(|i| {
            let want_lo = i.saturating_sub(half);
            let want_hi = (i + w - half).min(n);
            while hi < want_hi {
                sum += x[hi];
                hi += 1;
            }
            while lo < want_lo {
                sum -= x[lo];
                lo += 1;
            }
            sum / (hi - lo) as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_centred() {
        let mut x = vec![3.0, 3.0, 6.0, 0.0];
        TrailingMean::new(2).process(&mut x);
        assert_eq!(x, vec![3.0, 3.0, 4.5, 3.0]);
        assert_eq!(
            centred_mean(&[0.0, 3.0, 6.0, 9.0], 3),
            vec![1.5, 3.0, 6.0, 7.5]
        );
    }
}
