//! Cuts streams into the windows of the window rule as samples arrive: window k is handed
//! over as soon as sample kH + W − 1 has been pushed, whatever the block sizes.

use crate::dsp::windows::WindowSpec;

/// Most lanes a stream cuts together (a pair's two envelopes): slices of them live on
/// the stack, so a push allocates nothing.
const MAX_LANES: usize = 2;

/// Window cutter over one or more aligned streams ("lanes", e.g. the two envelopes of a
/// pair).
#[derive(Debug, Clone)]
pub struct WindowStream {
    spec: WindowSpec,
    lanes: Vec<Vec<f64>>,
    /// Absolute index of the first buffered sample.
    start: usize,
    seen: usize,
    next: usize,
}

impl WindowStream {
    /// # Panics
    /// With more than two lanes.
    pub fn new(spec: WindowSpec, lanes: usize) -> WindowStream {
        assert!(lanes <= MAX_LANES, "at most {MAX_LANES} lanes");
        WindowStream {
            spec,
            lanes: vec![Vec::new(); lanes],
            start: 0,
            seen: 0,
            next: 0,
        }
    }

    /// Appends the next samples of every lane (equal lengths) and calls `f(k, windows)`
    /// for each window they complete, `windows` holding one slice per lane.
    ///
    /// A long input is taken in pieces of a few windows, so the buffer never holds more
    /// than that, whatever the block size (a whole recording arrives as one block).
    pub fn push(&mut self, input: &[&[f64]], mut f: impl FnMut(usize, &[&[f64]])) {
        let n = input.first().map_or(0, |x| x.len());
        let piece = (4 * self.spec.window).max(4096);
        let mut start = 0;
        let lanes = input.len().min(MAX_LANES);
        let mut parts: [&[f64]; MAX_LANES] = [&[]; MAX_LANES];
        while start < n {
            let end = (start + piece).min(n);
            for (part, x) in parts.iter_mut().zip(input) {
                *part = &x[start..end];
            }
            self.push_piece(&parts[..lanes], &mut f);
            start = end;
        }
    }

    fn push_piece(&mut self, input: &[&[f64]], f: &mut impl FnMut(usize, &[&[f64]])) {
        let n = input.first().map_or(0, |x| x.len());
        for (lane, x) in self.lanes.iter_mut().zip(input) {
            lane.extend_from_slice(x);
        }
        self.seen += n;
        let (w, h) = (self.spec.window, self.spec.hop);
        let lanes = self.lanes.len();
        let mut views: [&[f64]; MAX_LANES] = [&[]; MAX_LANES];
        while self.next * h + w <= self.seen {
            let from = self.next * h - self.start;
            for (view, lane) in views.iter_mut().zip(&self.lanes) {
                *view = &lane[from..from + w];
            }
            f(self.next, &views[..lanes]);
            self.next += 1;
        }
        // Drop samples no future window covers, in large steps to keep pushes cheap.
        let keep_from = self.next * h;
        let drop = keep_from.saturating_sub(self.start);
        let len = self.lanes.first().map_or(0, Vec::len);
        if drop > 0 && drop >= len / 2 {
            let drop = drop.min(len);
            for lane in &mut self.lanes {
                lane.drain(..drop);
            }
            self.start += drop;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_follow_the_rule_across_blocks() {
        let spec = WindowSpec {
            window: 5,
            hop: 2,
            sample_rate_hz: 10.0,
        };
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        let mut seen = Vec::new();
        let mut s = WindowStream::new(spec, 1);
        for block in x.chunks(3) {
            s.push(&[block], |k, w| seen.push((k, w[0].to_vec())));
        }
        assert_eq!(seen.len(), spec.count(20));
        for (k, w) in &seen {
            let expected: Vec<f64> = spec.range(*k).map(|i| i as f64).collect();
            assert_eq!(w, &expected);
        }
    }
}
