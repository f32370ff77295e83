//! Onsets of a stored recording (zero-phase): one streaming pass over the three test
//! signals collects the per-window sums the baseline needs (taken where the signals are
//! made, across the lanes of the channel's group) and keeps the signals in traces
//! ([`ForceTrace`]: in memory, or on disk); the window sums go to a trace of their own a
//! batch at a time (each signal's sum, sum of squares and range per 250 ms window). At
//! the end the baseline comes from the rest windows of the whole recording and each trace
//! goes once through its detector: Bonato's whole; Hodges–Bui's and TKEO's only where a
//! window's range holds the threshold, the other windows going in as runs on one side of
//! it, unread (on a 5-minute 24-channel recording their replays took a quarter of the
//! time, measured; the onsets are the same to the sample). Nothing needs the whole signal
//! at once, and nothing kept in memory grows with the recording.

use std::io;
use std::ops::Range;

use crate::features::bonato::PairPowers;
use crate::features::onset_baseline::{WindowSums, WindowedSums};
use crate::features::onsets::Transition;
use crate::montage::OnsetMethod;

use super::onset_detectors::{baselines, MethodDetector, Onsets};
use super::plan::OnsetPlan;
use super::trace::{ForceTrace, Kept};

/// Windows complete in every signal that are moved to the window trace at a time (256 s
/// of 250 ms windows).
const MOVED_WINDOWS: usize = 1024;

/// Values per window in the window trace: sum, sum of squares, smallest and largest
/// sample of each signal, in [`OnsetMethod::ALL`] order.
const WINDOW_VALUES: usize = 12;

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
                row[4 * k..4 * k + 4].copy_from_slice(&[w.sum, w.sum_sq, w.lo, w.hi]);
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
                sum: row[4 * k],
                sum_sq: row[4 * k + 1],
                lo: row[4 * k + 2],
                hi: row[4 * k + 3],
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
                let windows = (&*trace, &sums[k], plan.skip, self.seen[k]);
                replay_by_windows(&mut d, windows, &mut out)
                    .unwrap_or_else(|| trace.replay(&mut |x| d.push(x, &mut out)))
            };
            if replayed.is_ok() {
                found.by_method[k] = out;
            }
        }
        found
    }
}

/// Feeds detector `d` the `samples` samples of a test signal kept in `trace`, whose
/// baseline windows (from sample `skip` on) are `windows`: a window whose range lies on one
/// side of the threshold goes in as one run, unread; the others, and the samples after the
/// last window, are read from the trace. The onsets of a recording come from a few
/// crossings of the threshold, so most of the trace is never read. `None` where the trace
/// cannot be read from any sample on (nothing is fed then).
fn replay_by_windows(
    d: &mut MethodDetector,
    (trace, windows, skip, samples): (&dyn ForceTrace, &WindowedSums, usize, usize),
    out: &mut Vec<Transition>,
) -> Option<io::Result<()>> {
    let mut values = Vec::new();
    // Every sample can be read from where it lies (else nothing is fed).
    trace.read_range(samples..samples, &mut values)?.ok()?;
    let (w, threshold) = (windows.window(), d.threshold());
    // A trace keeps a test signal as it is or as f32: a window is judged by its range
    // both ways, and read where they differ.
    let as_f32 = |v: f64| f64::from(v as f32);
    let side = |s: &WindowSums| {
        s.side(threshold, |v| v)
            .filter(|&above| s.side(threshold, as_f32) == Some(above))
    };
    let mut read = |range: Range<usize>, d: &mut MethodDetector, out: &mut Vec<Transition>| {
        values.clear();
        let read = trace
            .read_range(range.clone(), &mut values)
            .unwrap_or_else(|| {
                let problem = format!("samples {range:?} of the trace cannot be read");
                Err(io::Error::other(problem))
            });
        d.push(&values, out);
        read
    };
    let mut at = skip.min(samples);
    d.push_run(at, false, out);
    for sums in windows.windows() {
        match side(sums) {
            Some(above) => d.push_run(w, above, out),
            None => {
                if let Err(e) = read(at..at + w, d, out) {
                    return Some(Err(e));
                }
            }
        }
        at += w;
    }
    Some(read(at..samples.max(at), d, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::in_memory;
    use crate::features::bonato::BonatoSettings;
    use crate::features::onset_baseline::LaneWindowedSums;
    use crate::features::onsets::Transition;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

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

    /// A trace read only from its start, as a coded one is.
    struct FromTheStart(Vec<f32>);

    impl ForceTrace for FromTheStart {
        fn append(&mut self, x: &[f64]) -> std::io::Result<()> {
            ForceTrace::append(&mut self.0, x)
        }

        fn replay(&self, each: &mut dyn FnMut(&[f64])) -> std::io::Result<()> {
            self.0.replay(each)
        }
    }

    /// A trace in memory that counts the samples read out of it.
    struct Counted(Vec<f32>, Arc<AtomicUsize>);

    impl ForceTrace for Counted {
        fn append(&mut self, x: &[f64]) -> std::io::Result<()> {
            ForceTrace::append(&mut self.0, x)
        }

        fn replay(&self, each: &mut dyn FnMut(&[f64])) -> std::io::Result<()> {
            self.1.fetch_add(self.0.len(), Ordering::Relaxed);
            self.0.replay(each)
        }

        fn read_range(&self, range: Range<usize>, out: &mut Vec<f64>) -> Option<io::Result<()>> {
            self.1.fetch_add(range.len(), Ordering::Relaxed);
            self.0.read_range(range, out)
        }
    }

    #[test]
    fn windows_on_one_side_of_the_threshold_go_unread_and_change_nothing() {
        let p = plan();
        // Rest noise that crosses the threshold now and then (blips, and windows with
        // samples on both sides), bursts, a sample that is not a number, and a tail after
        // the last whole window.
        let mut x: Vec<f64> = (0..4037)
            .map(|i| {
                let u = crate::sim::noise::uniform(11 + i as u64);
                let burst = (900..1400).contains(&i) || (2600..2700).contains(&i);
                if burst {
                    8.0 + u
                } else {
                    1.0 + u * u * u * 4.0
                }
            })
            .collect();
        x[3000] = f64::NAN;
        let found = |make: &mut dyn FnMut(Kept) -> Box<dyn ForceTrace>| {
            let mut pass = OnsetOffline::new(&p, make);
            feed(&mut pass, &p, &x, 333);
            pass.finish(&p)
        };
        let read = Arc::new(AtomicUsize::new(0));
        let by_windows = found(&mut |kept| match kept {
            Kept::OnsetTests => Box::new(Counted(Vec::new(), Arc::clone(&read))),
            _ => in_memory(0, kept),
        });
        let read_whole = found(&mut |kept| match kept {
            Kept::OnsetTests => Box::new(FromTheStart(Vec::new())),
            _ => in_memory(0, kept),
        });
        assert_eq!(by_windows, read_whole);
        // Of the two test signals' samples, only some were read.
        let read = read.load(Ordering::Relaxed);
        assert!(read > 0 && read < x.len(), "{read} of {} read", x.len());
        let onsets = by_windows.of(OnsetMethod::HodgesBui);
        assert!(onsets.contains(&Transition::Onset(900)), "{onsets:?}");
        // The windows are judged against a threshold some rest samples pass: part of the
        // signal is read, part is not.
        let sums = {
            let mut s = WindowedSums::new(p.rest_window);
            s.push(&x[p.skip..]);
            s
        };
        let threshold = MethodDetector::new(
            &p,
            OnsetMethod::HodgesBui,
            baselines(&[sums.clone(), sums.clone(), sums.clone()])[0],
        )
        .expect("a baseline")
        .threshold();
        let sides: Vec<Option<bool>> = sums
            .windows()
            .iter()
            .map(|w| w.side(threshold, |v| v))
            .collect();
        assert!(
            sides.contains(&None) && sides.contains(&Some(false)) && sides.contains(&Some(true))
        );
    }
}
