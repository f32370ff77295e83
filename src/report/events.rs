//! The event list: every row of `/events` in time order, each with what its value means.

use crate::montage::Kind;
use crate::results::{Event, EventKind};

use super::html::{fixed, num, paragraph, text, Table};
use super::page::{Context, Section};

/// What an event is, in words, with the meaning and unit of its value.
fn describe(c: &Context, e: &Event) -> String {
    let kind = c.channel(&e.channel).map(|ch| ch.kind);
    let unit = c.unit(&e.channel);
    match (e.kind, kind) {
        (EventKind::Onset, Some(Kind::Force)) => {
            format!("contraction onset; value: RFD 0–100 ms ({unit}/s)")
        }
        (EventKind::Onset, _) => "muscle activity starts".into(),
        (EventKind::Offset, _) => "muscle activity ends".into(),
        (EventKind::TremorAlarmStart, _) => "tremor alarm starts; value: peak (Hz)".into(),
        (EventKind::TremorAlarmEnd, _) => "tremor alarm ends".into(),
        (EventKind::Gap, _) => "frames lost; value: missing frames".into(),
        (EventKind::Marker, _) => "marker".into(),
        (EventKind::Annotation, _) if e.value.is_finite() => {
            format!("note from the file: {}; value: duration (s)", e.text)
        }
        (EventKind::Annotation, _) => format!("note from the file: {}", e.text),
    }
}

/// The "Events" section: every event but the onsets and offsets of the detectors kept
/// only for comparison (counted in a note).
pub fn section(c: &Context) -> Section {
    let all = &c.results.events;
    let events: Vec<&Event> = all.iter().filter(|e| c.drives(e)).collect();
    let mut body = String::new();
    if events.is_empty() {
        body.push_str(&paragraph("note", "The file lists no events."));
    } else {
        let counts: Vec<String> = EventKind::ALL
            .iter()
            .filter_map(|k| {
                let n = events.iter().filter(|e| e.kind == *k).count();
                (n > 0).then(|| format!("{} {n}", k.as_str()))
            })
            .collect();
        body.push_str(&paragraph(
            "note",
            &format!("{} events: {}.", events.len(), counts.join(", ")),
        ));
        let mut order = events;
        order.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
        let mut t = Table::new(
            "event-list",
            &["time (s)", "event", "channel", "value", "meaning"],
        );
        for e in order {
            t.row(vec![
                fixed(e.time_s, 3),
                text(e.kind.as_str()),
                text(if e.channel.is_empty() {
                    "(all)"
                } else {
                    e.channel.as_str()
                }),
                num(e.value),
                text(describe(c, e)),
            ]);
        }
        body.push_str("<div class=\"events\">\n");
        body.push_str(&t.to_html());
        body.push_str("</div>\n");
    }
    let others = all.len() - all.iter().filter(|e| c.drives(e)).count();
    if others > 0 {
        body.push_str(&paragraph(
            "note",
            &format!(
                "Onsets are those of the {} detector (the montage's onset_method); the {others} \
                 onsets and offsets of the other detectors are stored in the file (events \
                 text) for comparison.",
                c.montage().analysis.onset_method.label()
            ),
        ));
    }
    Section {
        id: "events",
        title: "Events",
        body,
    }
}
