//! Events: the EVENT group when it has any, else the header's events.
//!
//! **EVENT group** (C3D user guide, "The EVENT group", first written by Vicon): `USED`
//! events, each with a time in `TIMES` (a 2 × USED float array: whole minutes, then
//! seconds), a `CONTEXTS` entry ("Left", "Right", "General"), a `LABELS` entry ("Foot
//! Strike") and a `DESCRIPTIONS` entry. The text is context and label joined by a space
//! ("Right Foot Strike"); the description when both are empty. `TIMES` count from frame 1
//! of the trial (the guide: "the first 3D sample (frame 1) is time 0.0"), so for a file
//! whose first stored frame is `F` (`TRIAL:ACTUAL_START_FIELD`, else header word 4) the time
//! from the first sample is `minutes · 60 + seconds − (F − 1) / POINT:RATE`.
//!
//! **Header events** (header words 150–234, at most 18): a time in seconds from the first
//! stored frame (the guide, "Event times": "It does not matter what frame number is recorded
//! as the first frame") and a label of up to four characters ("RHS"). Their on/off flag says
//! whether editors display them; the guide says events are valid either way, so all are read.
//!
//! Events have no duration (NaN) and are returned in time order.

use super::header::HeaderEvent;
use super::layout::Layout;
use super::parameters::Parameters;
use super::{fault, Fault};
use crate::formats::Annotation;

/// Seconds per "whole minute" of EVENT:TIMES.
const SECONDS_PER_MINUTE: f64 = 60.0;

/// The file's events, in time order.
pub(crate) fn read(
    params: &Parameters,
    header_events: &[HeaderEvent],
    layout: &Layout,
) -> Result<Vec<Annotation>, Fault> {
    let used = match params.get("EVENT", "USED") {
        Some(p) => p.count()?,
        None => 0,
    };
    let mut events = if used > 0 {
        group_events(params, used, layout)?
    } else {
        header_events
            .iter()
            .enumerate()
            .map(|(i, e)| Annotation {
                time_s: e.time_s,
                duration_s: f64::NAN,
                text: if e.label.is_empty() {
                    format!("event {}", i + 1)
                } else {
                    e.label.clone()
                },
            })
            .collect()
    };
    events.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    Ok(events)
}

fn group_events(params: &Parameters, used: u64, layout: &Layout) -> Result<Vec<Annotation>, Fault> {
    let Some(times_param) = params.get("EVENT", "TIMES") else {
        let at = params
            .get("EVENT", "USED")
            .map(|p| p.location())
            .unwrap_or_default();
        return Err(fault(
            at,
            format!("gives {used} events, but the file has no EVENT:TIMES"),
        ));
    };
    let times = times_param.numbers()?;
    // `used` is at most 65535 (a 16-bit count) or bounded by TIMES here.
    if (times.len() as u64) < 2 * used {
        return Err(fault(
            times_param.location(),
            format!(
                "holds {} numbers; the {used} events of EVENT:USED need {} (minutes and \
                 seconds for each)",
                times.len(),
                2 * used
            ),
        ));
    }
    let shift = if layout.first_frame > 1 {
        let rate = layout.point_rate_hz;
        if !(rate.is_finite() && rate > 0.0) {
            return Err(fault(
                "parameter POINT:RATE",
                format!(
                    "the frame rate is {rate}, so event times cannot be shifted to the first \
                     stored frame ({})",
                    layout.first_frame
                ),
            ));
        }
        (layout.first_frame - 1) as f64 / rate
    } else {
        0.0
    };
    let text = |name: &str| -> Result<Vec<String>, Fault> {
        params
            .get("EVENT", name)
            .map_or(Ok(Vec::new()), |p| p.strings())
    };
    let contexts = text("CONTEXTS")?;
    let labels = text("LABELS")?;
    let descriptions = text("DESCRIPTIONS")?;
    let mut events = Vec::with_capacity(used as usize);
    for i in 0..used as usize {
        let time = times[2 * i] * SECONDS_PER_MINUTE + times[2 * i + 1] - shift;
        if !time.is_finite() {
            return Err(fault(
                times_param.location(),
                format!("the time of event {} is not a finite number", i + 1),
            ));
        }
        let words: Vec<&str> = [contexts.get(i), labels.get(i)]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        let text = if !words.is_empty() {
            words.join(" ")
        } else {
            match descriptions.get(i) {
                Some(d) if !d.is_empty() => d.clone(),
                _ => format!("event {}", i + 1),
            }
        };
        events.push(Annotation {
            time_s: time,
            duration_s: f64::NAN,
            text,
        });
    }
    Ok(events)
}
