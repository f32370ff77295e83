//! The top of the screen: the source line, the status line (elapsed time, frame rate, lost
//! and corrupt frames, ring fill, markers), the key help, and the tremor alarm banner.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use super::format::{clock, fit, fixed, width};
use super::snapshot::Snapshot;

/// Key help shown at the right of the header.
pub(super) const KEYS: &str = "q stop · m marker";

/// Ring fill from which the ring piece turns yellow, then red: the engine is falling behind.
const RING_WARN: f64 = 0.5;
const RING_FULL: f64 = 0.8;

fn warn_if(condition: bool) -> Style {
    if condition {
        Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    }
}

/// The status pieces in display order, each dropped whole when the line is too narrow.
pub(super) fn status(snap: &Snapshot, max_width: usize) -> Line<'static> {
    let ring_style = if snap.ring_fill >= RING_FULL {
        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
    } else {
        warn_if(snap.ring_fill >= RING_WARN)
    };
    let pieces = vec![
        Span::styled(
            clock(snap.elapsed_s),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(format!("{} frames/s", fixed(snap.frames_per_s, 0))),
        Span::styled(
            format!("lost {}", snap.frames_missing),
            warn_if(snap.frames_missing > 0),
        ),
        Span::styled(
            format!("corrupt {}", snap.frames_corrupt),
            warn_if(snap.frames_corrupt > 0),
        ),
        Span::styled(
            format!("ring {} %", fixed(100.0 * snap.ring_fill, 0)),
            ring_style,
        ),
        Span::raw(format!("markers {}", snap.markers)),
    ];
    fit(pieces, max_width)
}

/// The line naming the recording's source.
pub(super) fn source(snap: &Snapshot, max_width: usize) -> Line<'static> {
    let mut pieces = vec![Span::styled(
        "myobalance record",
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if !snap.source.is_empty() {
        pieces.push(Span::raw(snap.source.clone()));
    }
    fit(pieces, max_width)
}

/// Style of the alarm banner: meant to be seen from across the room.
pub(super) fn banner_style() -> Style {
    Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD)
}

/// "pause the set: tremor in biceps_r (9.2 Hz), force_r (8.7 Hz)" when any alarm is on.
///
/// Too narrow for every name with its frequency, the frequencies go; still too narrow,
/// the names that fit stay and "+N more" counts the rest; then the wording shortens. The
/// last resort is clipped by the screen, never left out.
pub(super) fn banner(snap: &Snapshot, max_width: usize) -> Option<String> {
    let alarms: Vec<_> = snap.tremor.iter().filter(|t| t.alarm).collect();
    let first = alarms.first()?;
    let prefix = "pause the set: tremor in ";
    let with_hz: Vec<String> = alarms
        .iter()
        .map(|t| {
            if t.peak_hz.is_finite() {
                format!("{} ({} Hz)", t.name, fixed(t.peak_hz, 1))
            } else {
                t.name.clone()
            }
        })
        .collect();
    let names: Vec<&str> = alarms.iter().map(|t| t.name.as_str()).collect();
    let more = |shown: usize| match names.len() - shown {
        0 => String::new(),
        n => format!(" +{n} more"),
    };
    let mut candidates = vec![format!("{prefix}{}", with_hz.join(", "))];
    for shown in (1..=names.len()).rev() {
        candidates.push(format!(
            "{prefix}{}{}",
            names[..shown].join(", "),
            more(shown)
        ));
    }
    candidates.push(format!("pause: tremor in {}{}", first.name, more(1)));
    candidates.push(format!("pause: tremor in {}", first.name));
    candidates.push(format!("tremor {}", first.name));
    let fitting = candidates.iter().position(|c| width(c) <= max_width);
    let chosen = fitting.unwrap_or(candidates.len() - 1);
    Some(candidates.swap_remove(chosen))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live_view::Tremor;

    fn tremor(name: &str, peak_hz: f64, alarm: bool) -> Tremor {
        Tremor {
            name: name.into(),
            band_power: 1.0,
            relative_power: 0.5,
            peak_hz,
            alarm,
        }
    }

    #[test]
    fn banner_lists_alarming_channels_only() {
        let snap = Snapshot {
            tremor: vec![
                tremor("biceps_l", 6.0, false),
                tremor("biceps_r", 9.24, true),
                tremor("force_r", f64::NAN, true),
            ],
            ..Snapshot::default()
        };
        assert_eq!(
            banner(&snap, 200).as_deref(),
            Some("pause the set: tremor in biceps_r (9.2 Hz), force_r")
        );
        assert_eq!(
            banner(&snap, 45).as_deref(),
            Some("pause the set: tremor in biceps_r, force_r")
        );
        assert_eq!(
            banner(&snap, 41).as_deref(),
            Some("pause the set: tremor in biceps_r +1 more")
        );
        assert_eq!(
            banner(&snap, 40).as_deref(),
            Some("pause: tremor in biceps_r +1 more")
        );
        assert_eq!(
            banner(&snap, 30).as_deref(),
            Some("pause: tremor in biceps_r")
        );
        assert_eq!(banner(&snap, 5).as_deref(), Some("tremor biceps_r"));
        assert_eq!(banner(&Snapshot::default(), 200), None);
    }

    #[test]
    fn status_drops_whole_pieces() {
        let snap = Snapshot {
            elapsed_s: 75.0,
            frames_per_s: 1999.6,
            frames_missing: 12,
            ..Snapshot::default()
        };
        assert_eq!(
            status(&snap, 200).to_string(),
            "01:15 · 2000 frames/s · lost 12 · corrupt 0 · ring 0 % · markers 0"
        );
        assert_eq!(
            status(&snap, 32).to_string(),
            "01:15 · 2000 frames/s · lost 12"
        );
    }
}
