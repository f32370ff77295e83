//! EDF+D / BDF+D: each data record starts when its time-keeping annotation says, not
//! necessarily where the previous record ended. A record that starts later than the
//! previous record's end by more than half a sample period of the fastest signal leaves
//! a gap: data is missing there, and [`TimeGap::at_s`] says after how many seconds of stored
//! samples (whole records before it × record duration).

use crate::formats::TimeGap;

/// What the record onsets say about missing data.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Discontinuities {
    pub gaps: Vec<TimeGap>,
    pub warnings: Vec<String>,
}

/// Gaps between records with onsets `onsets` (seconds, `None` where a record has no
/// time-keeping stamp) lasting `record_duration_s` each, for a fastest signal of
/// `fastest_rate_hz`.
pub(super) fn find(
    onsets: &[Option<f64>],
    record_duration_s: f64,
    fastest_rate_hz: f64,
) -> Discontinuities {
    let mut out = Discontinuities::default();
    if onsets.is_empty() || fastest_rate_hz <= 0.0 {
        return out;
    }
    // Half a sample of the fastest signal: record onsets are written with a few
    // decimals, so a smaller step is rounding, and a larger one cannot be one.
    let tolerance_s = 0.5 / fastest_rate_hz;
    let mut unstamped = 0usize;
    let mut overlaps = 0usize;
    let mut expected = None::<f64>;
    for (index, onset) in onsets.iter().enumerate() {
        let start = match (onset, expected) {
            (Some(start), Some(expected_s)) => {
                let missing_s = start - expected_s;
                if missing_s > tolerance_s {
                    out.gaps.push(TimeGap {
                        at_s: index as f64 * record_duration_s,
                        missing_s,
                    });
                } else if missing_s < -tolerance_s {
                    overlaps += 1;
                }
                *start
            }
            (Some(start), None) => *start,
            (None, Some(expected_s)) => {
                unstamped += 1;
                expected_s
            }
            (None, None) => {
                unstamped += 1;
                0.0
            }
        };
        expected = Some(start + record_duration_s);
    }
    if unstamped > 0 {
        out.warnings.push(format!(
            "{unstamped} data records of this discontinuous file have no time-keeping \
             annotation; each was taken to follow the previous record without a gap"
        ));
    }
    if overlaps > 0 {
        out.warnings.push(format!(
            "{overlaps} data records start before the previous record ends; their samples \
             were kept in file order"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_record_is_a_gap_and_rounding_is_not() {
        let onsets = [Some(0.0), Some(0.5), Some(1.0001), Some(3.5), Some(4.0)];
        let d = find(&onsets, 0.5, 1000.0);
        assert_eq!(d.gaps.len(), 1);
        assert_eq!(d.gaps[0].at_s, 1.5);
        // The gap counts from where the late-stamped record ends.
        assert!((d.gaps[0].missing_s - 1.9999).abs() < 1e-9, "{:?}", d.gaps);
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn missing_stamps_and_overlaps_are_warned() {
        let d = find(&[Some(0.0), None, Some(0.9)], 0.5, 100.0);
        assert!(d.gaps.is_empty());
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
    }
}
