//! Onsets of a stored recording (zero-phase): one streaming pass over the three test
//! signals collects the per-window sums the baseline needs (taken where the signals are
//! made, across the lanes of the channel's group) and keeps the signals in traces
//! ([`ForceTrace`]: in memory, or on disk); the window sums go to a trace of their own a
//! batch at a time (three sums and three sums of squares per 250 ms window). At the end
//! the baseline comes from the rest windows of the whole recording and each trace is
//! replayed once through its detector. Nothing needs the whole signal at once, and
//! nothing kept in memory grows with the recording.

use crate::features::bonato::PairPowers;
use crate::features::onset_baseline::{WindowSums, WindowedSums};
use crate::montage::OnsetMethod;

use super::onset_detectors::{baselines, MethodDetector, Onsets};
use super::plan::OnsetPlan;
use super::trace::{ForceTrace, Kept};

/// Windows complete in every signal that are moved to the window trace at a time (256 s
/// of 250 ms windows).
const MOVED_WINDOWS: usize = 1024;

/// Values per window in the window trace: sum and sum of squares of each signal, in
/// [`OnsetMethod::ALL`] order.
const WINDOW_VALUES: usize = 6;

/// The offline onset pass of one EMG channel.
pub struct OnsetOffline {
    /// Samples per baseline window.
    window: usize,
    /// The sums of each signal's windows not yet moved to `windows`.
    sums: [Vec<WindowSums>; 3],
    /// Samples of each signal pushed so far.
    seen: [usize; 3],
    /// One per method, Bonato's holding the powers of pairs of samples (half the values
    /// of the signal); replayed, then freed, by [`OnsetOffline::finish`].
    traces: Vec<Box<dyn ForceTrace>>,
    /// Bonato's pairs across pushes.
    pairs: PairPowers,
    /// The powers of the pairs of the current push.
    powers: Vec<f64>,
    /// The windows complete in all three signals, moved out of `sums` in batches.
    windows: Option<Box<dyn ForceTrace>>,
}

impl OnsetOffline {
    /// A pass keeping its test signals and window sums in the traces `make_trace` gives.
    pub fn new(
        plan: &OnsetPlan,
        make_trace: &mut dyn FnMut(Kept) -> Box<dyn ForceTrace>,
    ) -> OnsetOffline {
        OnsetOffline {
            window: plan.rest_window,
            sums: Default::default(),
            seen: [0; 3],
            traces: OnsetMethod::ALL
                .into_iter()
                .map(|method| match method {
                    OnsetMethod::Bonato => make_trace(Kept::OnsetPowers),
                    OnsetMethod::HodgesBui | OnsetMethod::Tkeo => make_trace(Kept::OnsetTests),
                })
                .collect(),
            pairs: PairPowers::default(),
            powers: Vec::new(),
            windows: Some(make_trace(Kept::OnsetWindows)),
        }
    }

    /// Keeps the next samples `x` of the test signal of `method`, in pieces of any size
    /// (Hodges–Bui's and TKEO's come this way, a group's lanes handed out a tile at a time;
    /// Bonato's through [`OnsetOffline::push_rectified`]); moves windows complete in every
    /// signal to the window trace. The windows' sums may come before or after their
    /// samples: the window trace takes the same rows in the same order either way.
    pub fn keep(&mut self, method: OnsetMethod, x: &[f64]) {
        let k = method.index();
        self.seen[k] += x.len();
        // A trace that fails says so when replayed: that method then finds nothing.
        if method == OnsetMethod::Bonato {
            self.powers.clear();
            self.pairs.push(x, &mut self.powers);
            let _ = self.traces[k].append(&self.powers);
        } else {
            let _ = self.traces[k].append(x);
        }
        let common = self.sums.iter().map(Vec::len).min();
        if let Some(n) = common.filter(|&n| n >= MOVED_WINDOWS) {
            self.move_windows(n);
        }
    }

    /// Feeds the next samples of |y| (`rectified`, Bonato's signal) and the baseline
    /// windows' sums of all three signals, the other two (the 25 ms means of the low-passed
    /// |y| and |ψ|) kept by [`OnsetOffline::keep`]; each signal from sample 0, in any step
    /// with one another. The sums are taken where the signals are made, side by side with
    /// other channels' ([`LaneWindowedSums`](crate::features::onset_baseline::LaneWindowedSums),
    /// after the plan's `skip`): `windows` holds those of the windows complete so far, in
    /// [`OnsetMethod::ALL`] order.
    pub fn push_rectified(&mut self, rectified: &[f64], windows: [&[WindowSums]; 3]) {
        for (sums, done) in self.sums.iter_mut().zip(windows) {
            sums.extend_from_slice(done);
        }
        self.keep(OnsetMethod::Bonato, rectified);
    }

    /// Moves the first `n` windows (complete in every signal) to the window trace.
    fn move_windows(&mut self, n: usize) {
        let Some(trace) = &mut self.windows else {
            return;
        };
        let mut values = vec![0.0; n * WINDOW_VALUES];
        for (k, sums) in self.sums.iter_mut().enumerate() {
            for (row, w) in values.chunks_exact_mut(WINDOW_VALUES).zip(sums.drain(..n)) {
                row[2 * k] = w.sum;
                row[2 * k + 1] = w.sum_sq;
            }
        }
        // A trace that fails says so when replayed: the channel then has no baseline.
        let _ = trace.append(&values);
    }

    /// Every window of the three signals, those moved to the trace first; `None` when
    /// the trace could not keep them.
    fn all_windows(&mut self) -> Option<[WindowedSums; 3]> {
        let trace = self.windows.take()?;
        let mut values = Vec::new();
        trace.replay(&mut |x| values.extend_from_slice(x)).ok()?;
        drop(trace);
        Some(std::array::from_fn(|k| {
            let moved = values.chunks_exact(WINDOW_VALUES).map(|row| WindowSums {
                sum: row[2 * k],
                sum_sq: row[2 * k + 1],
            });
            let kept = self.sums[k].iter().copied();
            WindowedSums::from_windows(self.window, moved.chain(kept).collect())
        }))
    }

    /// The baseline over the whole recording, then each signal replayed once through its
    /// detector; each trace is freed once replayed (a trace on disk gives its room back
    /// here, on the thread that finishes the channel).
    pub fn finish(&mut self, plan: &OnsetPlan) -> Onsets {
        let mut found = Onsets {
            samples: self.seen[0],
            ..Onsets::default()
        };
        let traces = std::mem::take(&mut self.traces);
        let Some(sums) = self.all_windows() else {
            return found;
        };
        let b = baselines(&sums);
        for ((k, method), trace) in OnsetMethod::ALL.into_iter().enumerate().zip(traces) {
            let Some(mut d) = MethodDetector::new(plan, method, b[k]) else {
                continue;
            };
            let mut out = Vec::new();
            let replayed = if method == OnsetMethod::Bonato {
                let whole = trace.replay(&mut |p| d.push_powers(p, &mut out));
                if self.seen[k] % 2 == 1 {
                    d.push_unpaired(&mut out);
                }
                whole
            } else {
                trace.replay(&mut |x| d.push(x, &mut out))
            };
            if replayed.is_ok() {
                found.by_method[k] = out;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::in_memory;
    use crate::features::bonato::BonatoSettings;
    use crate::features::onset_baseline::LaneWindowedSums;
    use crate::features::onsets::Transition;

    fn plan() -> OnsetPlan {
        OnsetPlan {
            lowpass: None,
            mean_window: 5,
            k: 3.0,
            tkeo_k: 3.0,
            bonato: BonatoSettings::default(),
            method: OnsetMethod::HodgesBui,
            min_active: 20,
            min_gap: 5,
            rest_window: 50,
            live_baseline: 200,
            skip: 10,
        }
    }

    /// Rest with a little deterministic noise, two bursts.
    fn signal() -> Vec<f64> {
        (0..2000)
            .map(|i| {
                let noise = 1.0 + 0.2 * ((i * 7919 % 13) as f64 / 13.0);
                let burst = (500..800).contains(&i) || (1200..1500).contains(&i);
                if burst {
                    10.0 * noise
                } else {
                    noise
                }
            })
            .collect()
    }

    /// What the pass should find: every window's sums of the whole signal at once, its
    /// baseline, each detector over the whole signal.
    fn direct(p: &OnsetPlan, x: &[f64]) -> Onsets {
        let sums: [WindowedSums; 3] = std::array::from_fn(|_| {
            let mut s = WindowedSums::new(p.rest_window);
            s.push(&x[p.skip..]);
            s
        });
        let b = baselines(&sums);
        let mut found = Onsets {
            samples: x.len(),
            ..Onsets::default()
        };
        for (k, method) in OnsetMethod::ALL.into_iter().enumerate() {
            if let Some(mut d) = MethodDetector::new(p, method, b[k]) {
                d.push(x, &mut found.by_method[k]);
            }
        }
        found
    }

    /// Feeds `x` to `pass` as all three test signals, in blocks of `block`, their window
    /// sums taken as a group takes them (one lane).
    fn feed(pass: &mut OnsetOffline, p: &OnsetPlan, x: &[f64], block: usize) {
        let mut sums: [LaneWindowedSums; 3] =
            std::array::from_fn(|_| LaneWindowedSums::new(p.rest_window, 1, p.skip));
        for chunk in x.chunks(block) {
            let windows: [Vec<WindowSums>; 3] = std::array::from_fn(|k| {
                let mut done = Vec::new();
                sums[k].push(chunk, &mut done);
                done
            });
            pass.keep(OnsetMethod::HodgesBui, chunk);
            pass.keep(OnsetMethod::Tkeo, chunk);
            pass.push_rectified(chunk, windows.each_ref().map(Vec::as_slice));
        }
    }

    /// Windows of 2 samples over 6000: 3000 windows, moved to the window trace in
    /// batches of 1024.
    fn many_windows() -> (OnsetPlan, Vec<f64>) {
        let p = OnsetPlan {
            rest_window: 2,
            ..plan()
        };
        (p, signal().iter().cycle().take(6000).copied().collect())
    }

    #[test]
    fn windows_moved_out_of_memory_change_nothing() {
        let (p, x) = many_windows();
        let want = direct(&p, &x);
        assert!(want.of(OnsetMethod::HodgesBui).len() >= 4);
        for block in [7, 4096] {
            let mut pass = OnsetOffline::new(&p, &mut |kept| in_memory(0, kept));
            feed(&mut pass, &p, &x, block);
            assert!(pass.sums.iter().all(|s| s.len() < MOVED_WINDOWS));
            assert_eq!(pass.finish(&p), want, "block {block}");
        }
    }

    /// A trace whose writes all fail.
    struct Broken;

    impl ForceTrace for Broken {
        fn append(&mut self, _: &[f64]) -> std::io::Result<()> {
            Err(std::io::Error::other("disk full"))
        }

        fn replay(&self, _: &mut dyn FnMut(&[f64])) -> std::io::Result<()> {
            Err(std::io::Error::other("a write failed"))
        }
    }

    #[test]
    fn lost_window_sums_leave_the_channel_without_onsets() {
        let (p, x) = many_windows();
        let mut pass = OnsetOffline::new(&p, &mut |kept| match kept {
            Kept::OnsetWindows => Box::new(Broken),
            _ => in_memory(0, kept),
        });
        feed(&mut pass, &p, &x, x.len());
        let found = pass.finish(&p);
        assert_eq!(found.samples, x.len());
        assert!(found.by_method.iter().all(Vec::is_empty));
    }

    #[test]
    fn blocks_change_nothing() {
        let p = plan();
        let x = signal();
        let mut whole = OnsetOffline::new(&p, &mut |kept| in_memory(0, kept));
        feed(&mut whole, &p, &x, x.len());
        let want = whole.finish(&p);
        assert_eq!(want, direct(&p, &x));
        assert_eq!(
            want.of(OnsetMethod::HodgesBui),
            &[
                Transition::Onset(500),
                Transition::Offset(800),
                Transition::Onset(1200),
                Transition::Offset(1500)
            ]
        );
        for block in [1, 3, 64, 999] {
            let mut parts = OnsetOffline::new(&p, &mut |kept| in_memory(0, kept));
            feed(&mut parts, &p, &x, block);
            assert_eq!(parts.finish(&p), want, "block {block}");
        }
    }
}
