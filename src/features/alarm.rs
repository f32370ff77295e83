//! The tremor alarm, "pause the set" (METHODS.md C.4): after a baseline taken over the
//! first seconds, the alarm starts when, for a number of consecutive tremor updates, the
//! alarm-band power is at least a multiple of the baseline, the relative power and the
//! peak concentration reach their minima and the peak lies inside the band; it ends at the
//! first update that fails the rule.

use super::tremor::TremorRow;

/// The rule's constants (every one a montage setting).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlarmRule {
    /// Updates that form the baseline (the tremor windows inside the baseline seconds).
    pub baseline_updates: usize,
    pub power_ratio: f64,
    pub min_relative_power: f64,
    pub min_peak_concentration: f64,
    pub consecutive: u32,
    pub band_hz: [f64; 2],
}

/// A change of alarm state at an update.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AlarmChange {
    /// The alarm fires; the alarm-band peak frequency at that update.
    Start {
        peak_hz: f64,
    },
    End,
}

/// Alarm state of one channel, fed one tremor update at a time.
#[derive(Debug, Clone)]
pub struct AlarmTracker {
    rule: AlarmRule,
    baseline_sum: f64,
    baseline_seen: usize,
    streak: u32,
    on: bool,
    updates_on: usize,
}

impl AlarmTracker {
    pub fn new(rule: AlarmRule) -> AlarmTracker {
        AlarmTracker {
            rule,
            baseline_sum: 0.0,
            baseline_seen: 0,
            streak: 0,
            on: false,
            updates_on: 0,
        }
    }

    /// Baseline alarm-band power, once the baseline updates have been seen.
    pub fn baseline(&self) -> Option<f64> {
        (self.baseline_seen >= self.rule.baseline_updates.max(1))
            .then(|| self.baseline_sum / self.baseline_seen as f64)
    }

    /// Whether the rule holds for `row` given the baseline.
    pub fn meets_rule(&self, row: &TremorRow, baseline: f64) -> bool {
        let [lo, hi] = self.rule.band_hz;
        row.alarm_band_power >= self.rule.power_ratio * baseline
            && row.alarm_relative_power >= self.rule.min_relative_power
            && row.peak_concentration >= self.rule.min_peak_concentration
            && row.alarm_peak_hz >= lo
            && row.alarm_peak_hz <= hi
    }

    /// Feeds the next update.
    pub fn update(&mut self, row: &TremorRow) -> Option<AlarmChange> {
        let Some(baseline) = self.baseline() else {
            if row.alarm_band_power.is_finite() {
                self.baseline_sum += row.alarm_band_power;
            }
            self.baseline_seen += 1;
            return None;
        };
        let meets = self.meets_rule(row, baseline);
        let change = if meets {
            self.streak = self.streak.saturating_add(1);
            (!self.on && self.streak >= self.rule.consecutive.max(1)).then(|| {
                self.on = true;
                AlarmChange::Start {
                    peak_hz: row.alarm_peak_hz,
                }
            })
        } else {
            self.streak = 0;
            self.on.then(|| {
                self.on = false;
                AlarmChange::End
            })
        };
        if self.on {
            self.updates_on += 1;
        }
        change
    }

    /// Whether the alarm is on.
    pub fn on(&self) -> bool {
        self.on
    }

    /// Updates spent with the alarm on (× hop = alarm seconds).
    pub fn updates_on(&self) -> usize {
        self.updates_on
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(power: f64) -> TremorRow {
        TremorRow {
            band_power: power,
            relative_power: 0.5,
            peak_hz: 9.0,
            alarm_band_power: power,
            alarm_relative_power: 0.6,
            alarm_peak_hz: 9.0,
            peak_concentration: 0.7,
        }
    }

    #[test]
    fn fires_after_the_streak_and_ends_on_the_first_failure() {
        let mut a = AlarmTracker::new(AlarmRule {
            baseline_updates: 2,
            power_ratio: 4.0,
            min_relative_power: 0.3,
            min_peak_concentration: 0.5,
            consecutive: 3,
            band_hz: [4.0, 14.0],
        });
        let powers = [1.0, 1.0, 5.0, 5.0, 5.0, 5.0, 1.0, 5.0];
        let changes: Vec<_> = powers.iter().map(|p| a.update(&row(*p))).collect();
        assert_eq!(a.baseline(), Some(1.0));
        assert_eq!(changes[4], Some(AlarmChange::Start { peak_hz: 9.0 }));
        assert_eq!(changes[6], Some(AlarmChange::End));
        assert!(changes.iter().filter(|c| c.is_some()).count() == 2);
        assert_eq!(a.updates_on(), 2);
    }
}
