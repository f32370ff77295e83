//! Tremor: band power of each tremor channel over time with its alarm spans, the
//! whole-recording spectrum of the mechanical channels (see `spectrum`), and the summary.

use crate::features::tremor::TOTAL_BAND_HZ;
use crate::montage::Kind;
use crate::results::EventKind;

use super::charts::{Chart, Line, Markers, Spans, YScale};
use super::html::{num, number, paragraph, setting, text, Table};
use super::page::{
    column, columns, figure, grid, param_band, param_f64, Context, Section, HALF_WIDTH,
};
use super::spectrum::welch_spectrum;
use super::style::{colour, ALARM, REFERENCE};

/// Alarm spans of `channel`: each start with the next end, an alarm still on at the end
/// of the recording lasting until then.
pub fn alarm_spans(c: &Context, channel: &str) -> Vec<(f64, f64)> {
    let mut changes: Vec<(f64, bool)> = c
        .results
        .events
        .iter()
        .filter(|e| e.channel == channel && e.time_s.is_finite())
        .filter_map(|e| match e.kind {
            EventKind::TremorAlarmStart => Some((e.time_s, true)),
            EventKind::TremorAlarmEnd => Some((e.time_s, false)),
            _ => None,
        })
        .collect();
    changes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut spans = Vec::new();
    let mut open = None;
    for (t, start) in changes {
        match (start, open) {
            (true, None) => open = Some(t),
            (false, Some(s)) => {
                spans.push((s, t));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        spans.push((s, c.duration_s().max(s)));
    }
    spans
}

fn band_text(band: Option<[f64; 2]>) -> String {
    band.map_or("the tremor band".into(), |[lo, hi]| {
        format!("{}–{} Hz", setting(Some(lo)), setting(Some(hi)))
    })
}

/// The "Tremor" section.
pub fn section(c: &Context) -> Section {
    let mut body = String::new();
    let Some(g) = c.results.group("tremor") else {
        body.push_str(&paragraph(
            "note",
            "No tremor features: the montage has no EMG, force or accelerometer channel.",
        ));
        return Section {
            id: "tremor",
            title: "Tremor",
            body,
        };
    };
    let band = param_band(g, "band_hz");
    let band_name = band_text(band);
    let window = setting(param_f64(g, "window_s"));
    body.push_str(&paragraph(
        "note",
        &format!(
            "Power in {band_name} over {window} s windows (Welch). Shaded: tremor alarm \
             (the alarm rule of the recording). For EMG channels the input is the rectified \
             band-passed EMG, for force and accelerometer channels the recorded signal."
        ),
    ));
    let mut figures = Vec::new();
    for (k, name) in columns(g, "band_power").iter().enumerate() {
        let values = column(g, "band_power", name).unwrap_or_default();
        let unit = c.unit(name);
        let alarms = alarm_spans(c, name);
        let chart = Chart {
            width: HALF_WIDTH,
            plot_height: 250,
            x_label: "time (s)".into(),
            y_label: format!("band power ({unit}²)"),
            x_range: c.time_range(),
            y_scale: YScale::Linear { from_zero: true },
            lines: vec![Line::thinned(name.as_str(), colour(k), &g.time_s, &values)],
            spans: vec![Spans {
                label: if alarms.is_empty() {
                    "tremor alarm (none)".into()
                } else {
                    "tremor alarm".into()
                },
                colour: ALARM,
                ranges: alarms,
            }],
            markers: vec![],
        };
        figures.push(figure(
            &format!("Tremor band power of {name} ({band_name})"),
            chart.to_svg(),
        ));
    }
    body.push_str(&grid(&figures));

    body.push_str(&spectra(c, g, band));

    if let Some(s) = c.results.summary("tremor") {
        let mut t = Table::new(
            "tremor",
            &[
                "channel",
                "peak (Hz)",
                "band power",
                "unit",
                "relative power (of 1–30 Hz)",
                "alarm (s)",
            ],
        );
        let get = |col: &str, i: usize| {
            s.numbers(col)
                .and_then(|v| v.get(i).copied())
                .unwrap_or(f64::NAN)
        };
        for (i, name) in s.names.iter().enumerate() {
            t.row(vec![
                text(name),
                num(get("peak_hz", i)),
                num(get("band_power", i)),
                text(format!("{}²", c.unit(name))),
                num(get("relative_power", i)),
                num(get("alarm_seconds", i)),
            ]);
        }
        body.push_str("<h3>Whole recording</h3>\n");
        body.push_str(&t.to_html());
    }
    Section {
        id: "tremor",
        title: "Tremor",
        body,
    }
}

/// Spectrum charts of the mechanical tremor channels.
fn spectra(c: &Context, g: &crate::results::FeatureGroup, band: Option<[f64; 2]>) -> String {
    let Some(segment_s) = param_f64(g, "segment_s") else {
        return String::new();
    };
    let peaks = c.results.summary("tremor");
    let mut figures = Vec::new();
    for (k, name) in columns(g, "band_power").iter().enumerate() {
        let Some(index) = c.montage().channels.iter().position(|ch| &ch.name == name) else {
            continue;
        };
        let kind = c.montage().channels[index].kind;
        if !matches!(kind, Kind::Force | Kind::Accel) || index >= c.stored.recording.samples.ncols()
        {
            continue;
        }
        let samples = c.stored.recording.samples.column(index);
        let Some(s) = welch_spectrum(samples, c.sample_rate_hz(), segment_s, TOTAL_BAND_HZ[1])
        else {
            continue;
        };
        let peak = peaks
            .and_then(|p| {
                let i = p.names.iter().position(|n| n == name)?;
                p.numbers("peak_hz")?.get(i).copied()
            })
            .filter(|v| v.is_finite());
        let unit = c.unit(name);
        let chart = Chart {
            width: HALF_WIDTH,
            plot_height: 250,
            x_label: "frequency (Hz)".into(),
            y_label: format!("PSD ({unit}²/Hz)"),
            x_range: Some((0.0, TOTAL_BAND_HZ[1])),
            y_scale: YScale::Log,
            lines: vec![Line::thinned(name.as_str(), colour(k), &s.freq_hz, &s.psd)],
            spans: band
                .map(|[lo, hi]| Spans {
                    label: format!("tremor band {}", band_text(band)),
                    colour: REFERENCE,
                    ranges: vec![(lo, hi)],
                })
                .into_iter()
                .collect(),
            markers: peak
                .map(|p| Markers {
                    label: format!("peak {} Hz", number(p)),
                    colour: ALARM,
                    xs: vec![p],
                })
                .into_iter()
                .collect(),
        };
        figures.push(figure(
            &format!("Spectrum of {name}, whole recording"),
            chart.to_svg(),
        ));
    }
    if figures.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h3>Whole-recording spectrum</h3>\n");
    out.push_str(&paragraph(
        "note",
        &format!(
            "Welch power spectral density of each force and accelerometer channel over the \
             whole recording, with the tremor features' settings ({} s Hann segments, half \
             overlapping, linear detrend), computed for this page. EMG channels have no \
             spectrum here: their tremor input exists only inside the analysis; their band \
             power is shown above.",
            setting(Some(segment_s))
        ),
    ));
    out.push_str(&grid(&figures));
    out
}
