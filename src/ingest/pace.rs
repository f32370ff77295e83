//! When a port's reader reads next.
//!
//! Every read wakes the reader thread, and the consumer after it; on a virtual machine
//! each wake costs tens of microseconds of kernel time, which at one read a millisecond
//! was over a quarter of a live recorder's CPU. Yet only the bytes that complete a feature row's
//! window are waited for: the rest can gather in the port. So the reader reads once a
//! millisecond ([`COALESCE`]) from shortly before the frame that completes the next row
//! is due, and seldom otherwise: every [`LAZY`] at most, and before a terminal's 4 KB
//! line buffer is three-quarters full at the rate bytes were arriving ([`LAZY_BYTES`]).
//! The consumer says which frame completes the next row ([`Pace::row_due_at`]); until it
//! has, and whenever the reader has reached that frame, reads come every millisecond.
//!
//! The consumer, too, costs most per wake: its work on a few milliseconds of frames
//! takes three times as long after a sleep as in a run (caches and clocks gone cold). So
//! the reader wakes it ([`Pace::wake_now`]) with the read that completes a row, with the
//! reads in the [`PREPARE`] before it (the consumer is then through the frames before
//! the row when the row's read comes), and otherwise every [`WAKE_EVERY`].
//!
//! ```
//! use std::time::Duration;
//! use myobalance::ingest::pace::Pace;
//!
//! let pace = Pace::new(10_000.0);
//! // Nothing known yet: a read every millisecond.
//! assert_eq!(pace.pause(0, 700_000.0), Duration::from_millis(1));
//! // The next row completes at frame 2500, 250 ms away: read when 3 KB have gathered.
//! pace.row_due_at(2500);
//! let lazy = pace.pause(0, 700_000.0);
//! assert!(lazy > Duration::from_millis(4) && lazy < Duration::from_millis(5));
//! // 2.5 ms before the row: read 1 ms before it is due, then every millisecond.
//! assert_eq!(pace.pause(2475, 700_000.0), Duration::from_micros(1500));
//! assert_eq!(pace.pause(2495, 700_000.0), Duration::from_millis(1));
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Pause before a read while a feature row is due: what arrived meanwhile is taken in one
/// go, once a millisecond at most, as a USB bus delivers it anyway.
pub const COALESCE: Duration = Duration::from_millis(1);

/// Longest pause before a read.
pub const LAZY: Duration = Duration::from_millis(5);

/// Bytes a lazy pause lets gather at most: three-quarters of a terminal's 4 KB line
/// buffer, which is all one read returns.
pub const LAZY_BYTES: f64 = 3072.0;

/// How long before a feature row's frame is due every read wakes the consumer: it takes
/// the frames that came so far, and is idle again when the row's frame comes.
pub const PREPARE: Duration = Duration::from_millis(6);

/// Longest time the consumer is left asleep while frames come: the live view's raw
/// traces and the file's samples follow at least this often.
pub const WAKE_EVERY: Duration = Duration::from_millis(20);

/// The consumer's word on when the next feature row is due, and the reader's pauses.
#[derive(Debug)]
pub struct Pace {
    /// Frames after which the next feature row completes; 0 while unknown.
    due: AtomicU64,
    rate_hz: f64,
}

impl Pace {
    /// Pacing for a device sending `rate_hz` frames a second.
    pub fn new(rate_hz: f64) -> Pace {
        Pace {
            due: AtomicU64::new(0),
            rate_hz,
        }
    }

    /// The consumer: the next feature row completes once `frames` frames are in.
    pub fn row_due_at(&self, frames: u64) {
        self.due.store(frames, Ordering::Relaxed);
    }

    /// Whether a read that brought the frames in to `received` wakes the consumer, the
    /// last wake `since_wake` ago.
    pub fn wake_now(&self, received: u64, since_wake: Duration) -> bool {
        let due = self.due.load(Ordering::Relaxed);
        if due <= received || since_wake >= WAKE_EVERY || self.rate_hz.is_nan() {
            return true;
        }
        (due - received) as f64 / self.rate_hz <= PREPARE.as_secs_f64()
    }

    /// The pause before the next read, with `received` frames in so far and bytes arriving
    /// at `bytes_per_s` (0 when not known).
    pub fn pause(&self, received: u64, bytes_per_s: f64) -> Duration {
        let due = self.due.load(Ordering::Relaxed);
        if due <= received || self.rate_hz.is_nan() || self.rate_hz <= 0.0 {
            return COALESCE;
        }
        let until_row = (due - received) as f64 / self.rate_hz;
        let full = if bytes_per_s > 0.0 {
            LAZY_BYTES / bytes_per_s
        } else {
            LAZY.as_secs_f64()
        };
        let lazy = full.clamp(COALESCE.as_secs_f64(), LAZY.as_secs_f64());
        let pause = (until_row - COALESCE.as_secs_f64()).clamp(COALESCE.as_secs_f64(), lazy);
        Duration::from_secs_f64(pause)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_millisecond_near_a_row_and_seldom_between() {
        let pace = Pace::new(2000.0);
        pace.row_due_at(1000);
        // Half a second away, a slow device: the longest pause.
        assert_eq!(pace.pause(0, 10_000.0), LAZY);
        // A fast device: the pause ends before 3 KB have gathered.
        assert_eq!(pace.pause(0, 3_072_000.0), COALESCE);
        assert_eq!(pace.pause(0, 1_024_000.0), Duration::from_millis(3));
        // The row's frame 3 ms away: read 1 ms before it, then every millisecond.
        assert_eq!(pace.pause(994, 10_000.0), Duration::from_millis(2));
        assert_eq!(pace.pause(998, 10_000.0), COALESCE);
        // Reached or passed (the consumer has not moved on yet): every millisecond.
        assert_eq!(pace.pause(1000, 10_000.0), COALESCE);
        assert_eq!(pace.pause(1400, 10_000.0), COALESCE);
        // A rate that is not a rate: every millisecond.
        let odd = Pace::new(0.0);
        odd.row_due_at(10);
        assert_eq!(odd.pause(0, 10_000.0), COALESCE);
    }

    #[test]
    fn wakes_the_consumer_near_a_row_and_now_and_then() {
        let pace = Pace::new(2000.0);
        let soon = Duration::from_millis(1);
        // Nothing known yet: every read.
        assert!(pace.wake_now(0, soon));
        pace.row_due_at(1000);
        // 100 ms before the row: only once WAKE_EVERY has passed.
        assert!(!pace.wake_now(800, soon));
        assert!(pace.wake_now(800, WAKE_EVERY));
        // Within PREPARE of the row (12 frames at 2 kHz), at the row and after it.
        assert!(!pace.wake_now(987, soon));
        assert!(pace.wake_now(988, soon));
        assert!(pace.wake_now(1000, soon));
        assert!(pace.wake_now(1003, soon));
    }
}
