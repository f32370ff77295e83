//! The events of a run: onsets and offsets, tremor alarms starting and ending, gaps and
//! markers, in time order. EMG onsets and offsets carry their detector's name in `text`
//! (`hodges_bui`, `tkeo`, `bonato`): all three are stored, and consumers keep the one
//! `[analysis] onset_method` names. Force onsets have an empty `text`.

use super::Collected;
use crate::features::alarm::AlarmChange;
use crate::features::onsets::Transition;
use crate::montage::OnsetMethod;
use crate::results::{Event, EventKind};

/// The event of an EMG onset or offset of channel `channel` at `fs` Hz, found by `method`.
pub fn transition_event(t: &Transition, channel: String, fs: f64, method: OnsetMethod) -> Event {
    let (kind, at) = match *t {
        Transition::Onset(at) => (EventKind::Onset, at),
        Transition::Offset(at) => (EventKind::Offset, at),
    };
    Event {
        time_s: at as f64 / fs,
        kind,
        channel,
        value: f64::NAN,
        text: method.as_str().to_string(),
    }
}

/// Every event of the run, in time order.
pub fn events(c: &Collected) -> Vec<Event> {
    let plan = c.plan;
    let fs = plan.sample_rate_hz;
    let name = |i: usize| plan.montage.channels[i].name.clone();
    let mut events = Vec::new();
    for (i, o) in &c.emg {
        for method in OnsetMethod::ALL {
            events.extend(
                o.onsets
                    .of(method)
                    .iter()
                    .map(|t| transition_event(t, name(*i), fs, method)),
            );
        }
    }
    for (i, m) in &c.force {
        for o in &m.onsets {
            events.push(Event {
                time_s: o.onset as f64 / fs,
                kind: EventKind::Onset,
                channel: name(*i),
                value: o.rfd[1],
                text: String::new(),
            });
        }
    }
    for (i, t) in &c.tremor {
        for (time, change) in &t.changes {
            let (kind, value) = match *change {
                AlarmChange::Start { peak_hz } => (EventKind::TremorAlarmStart, peak_hz),
                AlarmChange::End => (EventKind::TremorAlarmEnd, f64::NAN),
            };
            events.push(Event {
                time_s: *time,
                kind,
                channel: name(*i),
                value,
                text: String::new(),
            });
        }
    }
    for g in c.gaps {
        events.push(Event {
            time_s: g.first_row as f64 / fs,
            kind: EventKind::Gap,
            channel: String::new(),
            value: g.rows as f64,
            text: String::new(),
        });
    }
    events.extend(c.markers.iter().cloned());
    events.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    events
}
