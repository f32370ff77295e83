//! The samples of a stream held between pushes for the windows or segments that span
//! them. A stretch that lies inside a push is read where it lies, without a copy; one that
//! begins among the held samples is read from them, the push's samples it needs appended.
//! After a push, what later stretches need is kept: when they all begin inside the push,
//! only its tail; otherwise the push is appended and the stale front dropped once it is
//! half of what is held (and the caller allows), so small pushes (a live recorder's) move
//! memory seldom.
//!
//! ```
//! use myobalance::dsp::held::Held;
//! let x: Vec<f64> = (0..10).map(f64::from).collect();
//! let mut held = Held::default();
//! held.keep(&x[..4], 0, 2, |_| true); // samples 2 and 3 are still needed
//! assert_eq!(held.read(&x[4..], 4, 3, 4), &[3.0, 4.0, 5.0, 6.0]); // spans the pushes
//! assert_eq!(held.read(&x[4..], 4, 5, 3), &[5.0, 6.0, 7.0]); // inside the push
//! ```

/// Samples from absolute index `start` on, up to those of the last push (see the module).
#[derive(Debug, Clone, Default)]
pub struct Held {
    samples: Vec<f64>,
    start: usize,
}

impl Held {
    /// Samples `from..from + len` of the stream, where `input` holds those from `seen` on
    /// and the stretch ends inside it.
    ///
    /// # Panics
    /// If the stretch begins before the held samples or ends past `input`.
    pub fn read<'a>(
        &'a mut self,
        input: &'a [f64],
        seen: usize,
        from: usize,
        len: usize,
    ) -> &'a [f64] {
        if from >= seen {
            return &input[from - seen..from - seen + len];
        }
        let have = self.start + self.samples.len();
        if from + len > have {
            self.samples
                .extend_from_slice(&input[have - seen..from + len - seen]);
        }
        &self.samples[from - self.start..from - self.start + len]
    }

    /// After a push of `input` (samples from `seen` on), keeps the samples from `keep` on;
    /// `may_drop(stale)` says whether `stale` samples no longer needed may be dropped now.
    pub fn keep(
        &mut self,
        input: &[f64],
        seen: usize,
        keep: usize,
        may_drop: impl FnOnce(usize) -> bool,
    ) {
        let keep = keep.clamp(self.start, seen + input.len());
        if keep >= seen {
            self.samples.clear();
            self.samples.extend_from_slice(&input[keep - seen..]);
            self.start = keep;
            return;
        }
        let have = self.start + self.samples.len();
        self.samples.extend_from_slice(&input[have - seen..]);
        let stale = keep - self.start;
        if stale > 0 && stale >= self.samples.len() / 2 && may_drop(stale) {
            self.samples.drain(..stale);
            self.start = keep;
        }
    }
}
