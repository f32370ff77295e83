//! Thinning a plotted series to a fixed number of points without hiding its extremes, and
//! splitting it where values are missing.
//!
//! A long series (hours of raw force at 2 kHz, thousands of feature rows) is cut into
//! buckets of consecutive points; each bucket keeps its smallest and its largest value, in
//! the order they occur, so spikes and dips survive and the drawn envelope is the one of the
//! full series. Non-finite values (NaN rows of inactive windows, missing data) break the
//! line: a plotted line never bridges a gap.

/// Most points a drawn line keeps (two per bucket).
pub const MAX_POINTS: usize = 2000;

/// Consecutive finite points of a series, thinned; a series is a list of such segments.
pub type Segment = Vec<(f64, f64)>;

/// The points `(x[i], y[i])` in at most `max_points` points (two per bucket, min and max
/// of the bucket in index order), split into segments wherever `x` or `y` is not finite.
/// A bucket holding no finite point is a gap. `max_points` below 2 is taken as 2.
///
/// ```
/// use myobalance::report::decimate::min_max;
/// let x: Vec<f64> = (0..10_000).map(f64::from).collect();
/// let mut y = vec![0.0; 10_000];
/// y[4321] = 7.0;
/// let segments = min_max(&x, &y, 100);
/// assert_eq!(segments.len(), 1);
/// assert!(segments[0].len() <= 100);
/// assert!(segments[0].contains(&(4321.0, 7.0)));
/// ```
pub fn min_max(x: &[f64], y: &[f64], max_points: usize) -> Vec<Segment> {
    let n = x.len().min(y.len());
    let buckets = (max_points / 2).max(1);
    let size = n.div_ceil(buckets).max(1);
    let mut segments: Vec<Segment> = Vec::new();
    let mut current: Segment = Vec::new();
    let finite = |i: usize| x[i].is_finite() && y[i].is_finite();
    let mut start = 0;
    while start < n {
        let end = (start + size).min(n);
        if size <= 2 {
            // Nothing to thin: every point stays, a missing one breaks the line.
            for i in start..end {
                if finite(i) {
                    current.push((x[i], y[i]));
                } else if !current.is_empty() {
                    segments.push(std::mem::take(&mut current));
                }
            }
        } else {
            let mut lo: Option<usize> = None;
            let mut hi: Option<usize> = None;
            let mut missing = false;
            for i in start..end {
                if !finite(i) {
                    missing = true;
                    continue;
                }
                if lo.is_none_or(|l| y[i] < y[l]) {
                    lo = Some(i);
                }
                if hi.is_none_or(|h| y[i] > y[h]) {
                    hi = Some(i);
                }
            }
            match (lo, hi) {
                (Some(l), Some(h)) => {
                    // Missing values at either end of the bucket end the line there.
                    if missing && !finite(start) && !current.is_empty() {
                        segments.push(std::mem::take(&mut current));
                    }
                    let (a, b) = if l <= h { (l, h) } else { (h, l) };
                    current.push((x[a], y[a]));
                    if b != a {
                        current.push((x[b], y[b]));
                    }
                    if missing && !finite(end - 1) {
                        segments.push(std::mem::take(&mut current));
                    }
                }
                _ => {
                    if !current.is_empty() {
                        segments.push(std::mem::take(&mut current));
                    }
                }
            }
        }
        start = end;
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// Smallest and largest finite value over all segments, `None` when there is none.
pub fn y_extent(segments: &[Segment]) -> Option<(f64, f64)> {
    segments
        .iter()
        .flatten()
        .map(|p| p.1)
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_are_kept_whole() {
        let x = [0.0, 1.0, 2.0];
        let y = [5.0, 6.0, 4.0];
        assert_eq!(
            min_max(&x, &y, MAX_POINTS),
            vec![vec![(0.0, 5.0), (1.0, 6.0), (2.0, 4.0)]]
        );
    }

    #[test]
    fn missing_values_split_the_line() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, f64::NAN, 2.0, 3.0, f64::INFINITY];
        assert_eq!(
            min_max(&x, &y, MAX_POINTS),
            vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]
        );
    }

    #[test]
    fn long_series_keep_their_extremes_within_the_budget() {
        let n = 123_457;
        let x: Vec<f64> = (0..n).map(|i| i as f64 / 1000.0).collect();
        let y: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1000) as f64).collect();
        let segments = min_max(&x, &y, 2000);
        assert_eq!(segments.len(), 1);
        let s = &segments[0];
        assert!(s.len() <= 2000, "{} points", s.len());
        assert!(s.windows(2).all(|w| w[0].0 < w[1].0), "x stays increasing");
        assert_eq!(y_extent(&segments), Some((0.0, 999.0)));
    }

    #[test]
    fn a_run_of_missing_buckets_is_a_gap() {
        let n = 10_000;
        let x: Vec<f64> = (0..n).map(f64::from).collect();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                if (4000..6000).contains(&i) {
                    f64::NAN
                } else {
                    1.0
                }
            })
            .collect();
        let segments = min_max(&x, &y, 200);
        assert_eq!(segments.len(), 2);
        assert!(segments[0].last().unwrap().0 < 4000.0);
        assert!(segments[1][0].0 >= 6000.0);
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(min_max(&[], &[], 10).is_empty());
        assert!(min_max(&[1.0], &[f64::NAN], 10).is_empty());
        assert_eq!(y_extent(&[]), None);
    }
}
