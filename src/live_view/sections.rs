//! The four feature sections — activation, co-contraction, tremor, balance — as rows of a
//! name, a bar and a few text pieces. Here the snapshot's numbers only get a scale for their
//! bar and a format; where rows go on the screen is `draw`'s business.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use super::format::{compact, fixed, percent, ratio};
use super::snapshot::Snapshot;

/// What a row draws between its name and its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Gauge {
    /// One bar filling from the left.
    Single(Option<f64>),
    /// A left half filling towards the middle and a right half filling away from it.
    Split {
        left: Option<f64>,
        right: Option<f64>,
    },
}

/// One line of a section.
pub(super) struct Row {
    pub name: String,
    pub gauge: Gauge,
    /// Text pieces after the bar, most important first (the narrow screen drops the last).
    pub text: Vec<Span<'static>>,
    /// Highlighted as an alarm.
    pub alarm: bool,
}

/// A titled group of rows.
pub(super) struct Section {
    pub title: &'static str,
    /// How to read the bars, shown after the title when there is room.
    pub legend: &'static str,
    pub color: Color,
    pub rows: Vec<Row>,
}

fn alarm_style() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

/// Where a %MVC value lies against the training band, as the patient should read it.
fn against_band(pct: f64, [low, high]: [f64; 2]) -> Span<'static> {
    let band = format!("{}–{}", fixed(low, 0), fixed(high, 0));
    if !pct.is_finite() {
        Span::raw(String::new())
    } else if pct < low {
        Span::styled(format!("below {band}"), Style::new().fg(Color::Yellow))
    } else if pct > high {
        Span::styled(format!("above {band}"), alarm_style())
    } else {
        Span::styled(format!("in {band}"), Style::new().fg(Color::Green))
    }
}

/// Activation bars: %MVC on 0–100 where the channel has an MVC, otherwise RMS relative to
/// the largest current RMS among the channels; with a training band, whether each %MVC
/// value is in it.
fn activation(snap: &Snapshot) -> Section {
    let largest = snap
        .activation
        .iter()
        .map(|a| a.rms)
        .filter(|rms| rms.is_finite())
        .fold(f64::NAN, f64::max);
    let rows = snap
        .activation
        .iter()
        .map(|a| {
            let mut text = vec![Span::raw(format!("{} {}", fixed(a.rms, 1), a.unit))];
            let bar = match a.pct_mvc {
                Some(pct) => {
                    text.push(Span::raw(format!("{} %MVC", fixed(pct, 0))));
                    if let Some(band) = snap.target_pct_mvc {
                        text.push(against_band(pct, band));
                    }
                    ratio(pct, 100.0)
                }
                None => ratio(a.rms, largest),
            };
            Row {
                name: a.name.clone(),
                gauge: Gauge::Single(bar),
                text,
                alarm: false,
            }
        })
        .collect();
    Section {
        title: "Activation",
        legend: "bar: %MVC, or RMS relative to the largest",
        color: Color::Green,
        rows,
    }
}

/// Co-contraction gauges, Falconer–Winter index on 0–100 %.
fn cocontraction(snap: &Snapshot) -> Section {
    let rows = snap
        .cocontraction
        .iter()
        .map(|c| Row {
            name: c.name.clone(),
            gauge: Gauge::Single(ratio(c.fw_percent, 100.0)),
            text: vec![Span::raw(percent(c.fw_percent))],
            alarm: false,
        })
        .collect();
    Section {
        title: "Co-contraction",
        legend: "Falconer–Winter index",
        color: Color::Cyan,
        rows,
    }
}

/// Tremor: the bar is the band's share of the 1–30 Hz power; text gives peak and band power.
fn tremor(snap: &Snapshot) -> Section {
    let rows = snap
        .tremor
        .iter()
        .map(|t| {
            let mut text = Vec::with_capacity(4);
            if t.alarm {
                text.push(Span::styled("ALARM", alarm_style()));
            }
            text.push(Span::raw(percent(100.0 * t.relative_power)));
            text.push(Span::raw(format!("{} Hz", fixed(t.peak_hz, 1))));
            text.push(Span::raw(format!("power {}", compact(t.band_power))));
            Row {
                name: t.name.clone(),
                gauge: Gauge::Single(ratio(t.relative_power, 1.0)),
                text,
                alarm: t.alarm,
            }
        })
        .collect();
    Section {
        title: "Tremor",
        legend: "bar: band share of 1–30 Hz power; peak; band power",
        color: Color::Yellow,
        rows,
    }
}

/// Balance: each side relative to the stronger one, so the weaker half shows the LSI.
fn balance(snap: &Snapshot) -> Section {
    let rows = snap
        .balance
        .iter()
        .map(|b| {
            let stronger = b.left_value.max(b.right_value);
            let mut text = vec![Span::raw(format!("LSI {}", percent(b.lsi_percent)))];
            if let Some(weaker) = &b.weaker {
                text.push(Span::raw(format!("weaker {weaker}")));
            }
            Row {
                name: b.name.clone(),
                gauge: Gauge::Split {
                    left: ratio(b.left_value, stronger),
                    right: ratio(b.right_value, stronger),
                },
                text,
                alarm: false,
            }
        })
        .collect();
    Section {
        title: "Balance",
        legend: "left │ right, LSI = 100·weaker/stronger",
        color: Color::Blue,
        rows,
    }
}

/// The sections that have rows, in screen order.
pub(super) fn sections(snap: &Snapshot) -> Vec<Section> {
    [
        activation(snap),
        cocontraction(snap),
        tremor(snap),
        balance(snap),
    ]
    .into_iter()
    .filter(|s| !s.rows.is_empty())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live_view::{Activation, Balance};

    fn act(name: &str, rms: f64, pct_mvc: Option<f64>) -> Activation {
        Activation {
            name: name.into(),
            rms,
            unit: "uV".into(),
            pct_mvc,
        }
    }

    #[test]
    fn percent_mvc_is_read_against_the_training_band() {
        let snap = Snapshot {
            activation: vec![
                act("low", 50.0, Some(12.0)),
                act("in", 50.0, Some(30.0)),
                act("high", 50.0, Some(55.0)),
                act("rms_only", 50.0, None),
            ],
            target_pct_mvc: Some([20.0, 40.0]),
            ..Snapshot::default()
        };
        let s = sections(&snap);
        let words: Vec<String> = s[0]
            .rows
            .iter()
            .map(|r| {
                r.text
                    .last()
                    .map_or(String::new(), |t| t.content.to_string())
            })
            .collect();
        assert_eq!(words, ["below 20–40", "in 20–40", "above 20–40", "50.0 uV"]);
    }

    #[test]
    fn activation_scales_by_mvc_or_largest_rms() {
        let snap = Snapshot {
            activation: vec![
                act("a", 50.0, None),
                act("b", 200.0, None),
                act("c", 300.0, Some(30.0)),
                act("d", f64::NAN, None),
            ],
            ..Snapshot::default()
        };
        let s = sections(&snap);
        let bars: Vec<_> = s[0].rows.iter().map(|r| r.gauge).collect();
        assert_eq!(
            bars,
            [
                Gauge::Single(Some(50.0 / 300.0)),
                Gauge::Single(Some(200.0 / 300.0)),
                Gauge::Single(Some(0.3)),
                Gauge::Single(None),
            ]
        );
    }

    #[test]
    fn balance_halves_are_relative_to_the_stronger_side() {
        let snap = Snapshot {
            balance: vec![Balance {
                name: "biceps".into(),
                left: "biceps_l".into(),
                right: "biceps_r".into(),
                left_value: 30.0,
                right_value: 40.0,
                lsi_percent: 75.0,
                weaker: Some("left".into()),
            }],
            ..Snapshot::default()
        };
        let s = sections(&snap);
        assert_eq!(s.len(), 1);
        assert_eq!(
            s[0].rows[0].gauge,
            Gauge::Split {
                left: Some(0.75),
                right: Some(1.0)
            }
        );
    }
}
