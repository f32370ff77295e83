//! The device's real rate on the host clock: frames per second lately (for the status),
//! and the rate check of DESIGN.md ("Sources and the recorder"): after 10 s, the rate
//! measured since the start is compared with the nominal one, and a difference of more
//! than 2 % is said once (BrainFlow's Cyton emulator sends about 188 frames/s for a nominal
//! 250 Hz). The measured rate is stored as `/raw` `measured_rate_hz`.

/// Seconds of recording before the rates are compared: long enough for the host clock and
/// the first reads' bursts to average out.
pub const CHECK_AFTER_S: f64 = 10.0;

/// Relative difference between measured and nominal rate that is worth a warning.
pub const TOLERANCE: f64 = 0.02;

/// Frames per second over a sliding stretch of the recording.
#[derive(Debug, Clone, Default)]
pub struct Rate {
    last: Option<(f64, u64)>,
    value: f64,
}

impl Rate {
    /// Updates with `frames` received by `time_s`, at most once per `min_step_s`.
    pub fn update(&mut self, time_s: f64, frames: u64, min_step_s: f64) -> f64 {
        match self.last {
            Some((t, n)) if time_s - t >= min_step_s => {
                self.value = (frames - n.min(frames)) as f64 / (time_s - t);
                self.last = Some((time_s, frames));
            }
            None => self.last = Some((time_s, frames)),
            Some(_) => {}
        }
        self.value
    }
}

/// The check of the measured rate against the nominal one.
#[derive(Debug, Clone)]
pub struct RateCheck {
    nominal_hz: f64,
    /// Host time and frames when the first frames arrived: the rate is measured from there,
    /// so a device slow to start does not count as slow.
    first: Option<(f64, u64)>,
    latest: Option<(f64, u64)>,
    warned: bool,
}

impl RateCheck {
    /// A check against `nominal_hz`.
    pub fn new(nominal_hz: f64) -> RateCheck {
        RateCheck {
            nominal_hz,
            first: None,
            latest: None,
            warned: false,
        }
    }

    /// Takes `frames` received (lost ones included) by host time `time_s`; returns the
    /// warning, once, when the rate measured over at least [`CHECK_AFTER_S`] differs from
    /// the nominal one by more than [`TOLERANCE`].
    pub fn update(&mut self, time_s: f64, frames: u64) -> Option<String> {
        if frames == 0 {
            return None;
        }
        let (t0, _) = *self.first.get_or_insert((time_s, frames));
        self.latest = Some((time_s, frames));
        if self.warned || time_s - t0 < CHECK_AFTER_S {
            return None;
        }
        let measured = self.measured_hz()?;
        let off = (measured - self.nominal_hz) / self.nominal_hz;
        if off.abs() <= TOLERANCE {
            return None;
        }
        self.warned = true;
        Some(format!(
            "the device sends {measured:.1} frames/s but its rate is {} Hz ({:+.1} %): the \
             recording's time base follows the nominal rate, so its times and frequencies \
             are off by as much; check the device's rate setting (or the montage's \
             sample_rate_hz)",
            self.nominal_hz,
            100.0 * off
        ))
    }

    /// The rate measured so far (frames after the first arrival over the host time since
    /// then); `None` before two arrivals at least a second apart.
    pub fn measured_hz(&self) -> Option<f64> {
        let ((t0, n0), (t1, n1)) = (self.first?, self.latest?);
        (t1 - t0 >= 1.0).then(|| (n1 - n0) as f64 / (t1 - t0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_counts_frames_per_second_between_updates() {
        let mut r = Rate::default();
        assert_eq!(r.update(0.0, 0, 0.5), 0.0);
        assert_eq!(r.update(0.2, 400, 0.5), 0.0, "too soon to update");
        assert_eq!(r.update(1.0, 2000, 0.5), 2000.0);
        assert_eq!(r.update(2.0, 3000, 0.5), 1000.0);
    }

    #[test]
    fn a_slow_device_is_said_once_after_ten_seconds() {
        let mut check = RateCheck::new(250.0);
        let mut warnings = Vec::new();
        // 188 frames/s, arriving every 50 ms after a 0.3 s start-up.
        for k in 0..400 {
            let t = 0.3 + 0.05 * k as f64;
            let frames = (188.0 * (t - 0.3)).floor() as u64 + 1;
            warnings.extend(check.update(t, frames));
            if t < 0.3 + CHECK_AFTER_S {
                assert!(warnings.is_empty());
            }
        }
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("188") && warnings[0].contains("250 Hz"),
            "{}",
            warnings[0]
        );
        assert!((check.measured_hz().unwrap() - 188.0).abs() < 0.5);
    }

    #[test]
    fn a_device_at_its_rate_is_not_said() {
        let mut check = RateCheck::new(2000.0);
        for k in 1..300 {
            let t = 0.05 * k as f64;
            assert!(check.update(t, (1995.0 * t) as u64).is_none());
        }
        assert!((check.measured_hz().unwrap() - 1995.0).abs() < 1.0);
    }
}
