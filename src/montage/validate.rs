//! Every rule a montage must follow (DESIGN.md, "Montage file"): names, references
//! between channels, pairs and bilateral pairs, numbers that must be positive and finite,
//! and the `[analysis]` settings — windows long enough to hold two samples and bands
//! that fit below the Nyquist frequency once the sample rate is known. It finds all the
//! problems at once, so a user fixes a file in one go; locating them in the text is
//! `locate`'s job.

use super::error::Problem;
use super::{Analysis, Kind, Montage, Side};

/// The band-pass upper edge is capped at this fraction of the sample rate when applied.
pub(crate) const BANDPASS_CAP: f64 = 0.45;

/// Everything wrong with `m`, in the order of the file.
pub(crate) fn problems(m: &Montage) -> Vec<Problem> {
    let mut c = Checker::default();
    let fs = m.sample_rate_hz.filter(|fs| fs.is_finite() && *fs > 0.0);
    if let Some(rate) = m.sample_rate_hz {
        if fs.is_none() {
            c.push(
                "sample_rate_hz",
                format!("must be a positive number of samples per second, not {rate}"),
            );
        }
    }
    if m.mains_hz != 50 && m.mains_hz != 60 {
        c.push(
            "mains_hz",
            format!(
                "must be 50 or 60 (the mains frequency where the data was recorded), not {}",
                m.mains_hz
            ),
        );
    }
    channels(&mut c, m);
    pairs(&mut c, m);
    bilateral(&mut c, m);
    analysis(&mut c, m, fs);
    c.problems
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(key, message));
    }

    /// `v` must be finite and > 0; true when it is.
    fn positive(&mut self, key: &str, v: f64, what: &str) -> bool {
        let ok = v.is_finite() && v > 0.0;
        if !ok {
            self.push(key, format!("must be a positive {what}, not {v}"));
        }
        ok
    }

    /// A name must be `[A-Za-z0-9_]+` and unique among `earlier` (the names before it).
    fn name(&mut self, key: &str, name: &str, earlier: &[&str], list: &str) {
        if name.is_empty() {
            self.push(key, "is empty; use letters, digits and _");
        } else if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.push(
                key,
                format!("invalid name \"{name}\": use only letters A-Z a-z, digits 0-9 and _"),
            );
        } else if let Some(j) = earlier.iter().position(|e| *e == name) {
            self.push(
                key,
                format!("duplicate name \"{name}\" (first used by {list}[{j}])"),
            );
        }
    }

    /// `[low, high]` with 0 < low < high, both finite; true when it is.
    fn band(&mut self, key: &str, band: [f64; 2]) -> bool {
        let [lo, hi] = band;
        let ok = lo.is_finite() && hi.is_finite() && lo > 0.0 && lo < hi;
        if !ok {
            self.push(
                key,
                format!("must be [low, high] in Hz with 0 < low < high, not [{lo}, {hi}]"),
            );
        }
        ok
    }
}

fn channels(c: &mut Checker, m: &Montage) {
    if m.channels.is_empty() {
        c.push(
            "channels",
            "no channels: add at least one [[channels]] table",
        );
    }
    let names: Vec<&str> = m.channels.iter().map(|ch| ch.name.as_str()).collect();
    for (i, ch) in m.channels.iter().enumerate() {
        let key = |k: &str| format!("channels[{i}].{k}");
        c.name(&key("name"), &ch.name, &names[..i], "channels");
        if !ch.scale.is_finite() || ch.scale == 0.0 {
            c.push(
                key("scale"),
                format!("must be a finite, non-zero number, not {}", ch.scale),
            );
        }
        if !ch.offset.is_finite() {
            c.push(
                key("offset"),
                format!("must be a finite number, not {}", ch.offset),
            );
        }
        if let Some(mvc) = ch.mvc {
            let unit = if ch.unit.is_empty() { "" } else { " in " };
            c.positive(
                &key("mvc"),
                mvc,
                &format!("number (this channel's MVC RMS{unit}{})", ch.unit),
            );
        }
    }
}

/// The channel called `name`, or a problem at `key` when there is none or its kind is
/// not in `kinds`.
fn resolve<'m>(
    c: &mut Checker,
    m: &'m Montage,
    key: String,
    name: &str,
    kinds: &[Kind],
    needs: &str,
) -> Option<&'m super::Channel> {
    let Some(ch) = m.channels.iter().find(|ch| ch.name == name) else {
        let usable: Vec<&str> = m
            .channels
            .iter()
            .filter(|ch| kinds.contains(&ch.kind))
            .map(|ch| ch.name.as_str())
            .collect();
        let listed = if usable.is_empty() {
            format!("the montage has no channel of kind {}", kind_list(kinds))
        } else {
            format!("{} channels: {}", kind_list(kinds), usable.join(", "))
        };
        c.push(key, format!("no channel named \"{name}\" ({listed})"));
        return None;
    };
    if !kinds.contains(&ch.kind) {
        c.push(
            key,
            format!(
                "channel \"{name}\" is of kind {}; {needs} need {} channels",
                kind_name(ch.kind),
                kind_list(kinds)
            ),
        );
        return None;
    }
    Some(ch)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Emg => "emg",
        Kind::Force => "force",
        Kind::Accel => "accel",
        Kind::Other => "other",
    }
}

fn kind_list(kinds: &[Kind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|&k| kind_name(k)).collect();
    names.join(" or ")
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Left => "left",
        Side::Right => "right",
        Side::None => "none",
    }
}

fn pairs(c: &mut Checker, m: &Montage) {
    let names: Vec<&str> = m.pairs.iter().map(|p| p.name.as_str()).collect();
    for (i, p) in m.pairs.iter().enumerate() {
        let key = |k: &str| format!("pairs[{i}].{k}");
        c.name(&key("name"), &p.name, &names[..i], "pairs");
        let needs = "co-contraction pairs";
        let agonist = resolve(c, m, key("agonist"), &p.agonist, &[Kind::Emg], needs);
        resolve(c, m, key("antagonist"), &p.antagonist, &[Kind::Emg], needs);
        if agonist.is_some() && p.agonist == p.antagonist {
            c.push(
                key("antagonist"),
                format!(
                    "\"{}\" is also the agonist; a pair needs two different channels",
                    p.antagonist
                ),
            );
        }
    }
}

fn bilateral(c: &mut Checker, m: &Montage) {
    let names: Vec<&str> = m.bilateral.iter().map(|b| b.name.as_str()).collect();
    let kinds = [Kind::Emg, Kind::Force];
    for (i, b) in m.bilateral.iter().enumerate() {
        let key = |k: &str| format!("bilateral[{i}].{k}");
        c.name(&key("name"), &b.name, &names[..i], "bilateral");
        let needs = "bilateral pairs";
        let left = resolve(c, m, key("left"), &b.left, &kinds, needs);
        let right = resolve(c, m, key("right"), &b.right, &kinds, needs);
        if left.is_some() && b.left == b.right {
            c.push(
                key("right"),
                format!(
                    "\"{}\" is also the left channel; a bilateral pair needs two different channels",
                    b.right
                ),
            );
            continue;
        }
        for (ch, side, wrong) in [(left, "left", Side::Right), (right, "right", Side::Left)] {
            if let Some(ch) = ch.filter(|ch| ch.side == wrong) {
                c.push(
                    key(side),
                    format!(
                        "channel \"{}\" has side = \"{}\"; the {side} entry needs a channel on the {side} (or with no side)",
                        ch.name,
                        side_name(ch.side)
                    ),
                );
            }
        }
        let (Some(l), Some(r)) = (left, right) else {
            continue;
        };
        if l.kind != r.kind {
            c.push(
                key("right"),
                format!(
                    "channel \"{}\" is of kind {} but the left channel \"{}\" is {}; both sides must be the same kind",
                    r.name,
                    kind_name(r.kind),
                    l.name,
                    kind_name(l.kind)
                ),
            );
        }
    }
}

fn analysis(c: &mut Checker, m: &Montage, fs: Option<f64>) {
    let a = &m.analysis;
    let has = |kinds: &[Kind]| m.channels.iter().any(|ch| kinds.contains(&ch.kind));
    let emg = has(&[Kind::Emg]);
    let tremor = has(&[Kind::Emg, Kind::Force, Kind::Accel]);
    let key = |k: &str| format!("analysis.{k}");

    if c.band(&key("bandpass_hz"), a.bandpass_hz) && emg {
        if let Some(fs) = fs {
            let cap = BANDPASS_CAP * fs;
            if a.bandpass_hz[0] >= cap {
                c.push(
                    key("bandpass_hz"),
                    format!(
                        "lower edge {} Hz must be below {cap} Hz: the upper edge is capped at 0.45·sample_rate_hz, just under the Nyquist frequency {} Hz",
                        a.bandpass_hz[0],
                        fs / 2.0
                    ),
                );
            }
        }
    }
    if c.positive(
        &key("envelope_lowpass_hz"),
        a.envelope_lowpass_hz,
        "cut-off in Hz",
    ) {
        if let Some(fs) = fs {
            below_nyquist(c, &key("envelope_lowpass_hz"), a.envelope_lowpass_hz, fs);
        }
    }

    // Durations: positive, and once the rate is known, whole windows of ≥ 2 samples and
    // hops of ≥ 1 sample (the window rule rounds `window_s·fs` and `hop_s·fs`).
    let windows = [
        ("rms_window_s", a.rms_window_s, 2),
        ("rms_hop_s", a.rms_hop_s, 1),
        ("cci_window_s", a.cci_window_s, 2),
        ("cci_hop_s", a.cci_hop_s, 1),
        ("tremor_segment_s", a.tremor_segment_s, 2),
        ("tremor_window_s", a.tremor_window_s, 2),
        ("tremor_hop_s", a.tremor_hop_s, 1),
        ("fatigue_epoch_s", a.fatigue_epoch_s, 2),
    ];
    let mut durations_ok = true;
    for (name, seconds, min_samples) in windows {
        if !c.positive(&key(name), seconds, "duration in seconds") {
            durations_ok = false;
            continue;
        }
        if let Some(fs) = fs {
            durations_ok &= samples(c, &key(name), seconds, fs, min_samples);
        }
    }
    if durations_ok && a.tremor_window_s < a.tremor_segment_s {
        c.push(
            key("tremor_window_s"),
            format!(
                "{} s is shorter than tremor_segment_s = {} s; a tremor window must hold at least one Welch segment",
                a.tremor_window_s, a.tremor_segment_s
            ),
        );
    }

    for name in ["inactive_pct_mvc", "fatigue_min_pct_mvc"] {
        let v = if name == "inactive_pct_mvc" {
            a.inactive_pct_mvc
        } else {
            a.fatigue_min_pct_mvc
        };
        if !(v.is_finite() && v >= 0.0) {
            c.push(
                key(name),
                format!("must be a percentage of MVC ≥ 0, not {v}"),
            );
        }
    }

    let tremor_ok = c.band(&key("tremor_band_hz"), a.tremor_band_hz);
    let alarm_ok = c.band(&key("alarm_band_hz"), a.alarm_band_hz);
    if let (Some(fs), true) = (fs, tremor && durations_ok) {
        for (name, band, ok) in [
            ("tremor_band_hz", a.tremor_band_hz, tremor_ok),
            ("alarm_band_hz", a.alarm_band_hz, alarm_ok),
        ] {
            if ok && below_nyquist(c, &key(name), band[1], fs) {
                welch_bin_inside(c, &key(name), band, fs, a);
            }
        }
    }
    if emg && durations_ok {
        if let Some(fs) = fs {
            fatigue_bins(c, a, fs);
        }
    }

    if c.positive(
        &key("alarm_baseline_s"),
        a.alarm_baseline_s,
        "duration in seconds",
    ) && durations_ok
        && a.alarm_baseline_s < a.tremor_window_s
    {
        c.push(
            key("alarm_baseline_s"),
            format!(
                "{} s is shorter than tremor_window_s = {} s; the baseline must hold at least one tremor window",
                a.alarm_baseline_s, a.tremor_window_s
            ),
        );
    }
    c.positive(&key("alarm_power_ratio"), a.alarm_power_ratio, "ratio");
    for (name, v) in [
        ("alarm_min_relative_power", a.alarm_min_relative_power),
        (
            "alarm_min_peak_concentration",
            a.alarm_min_peak_concentration,
        ),
    ] {
        if !(v > 0.0 && v <= 1.0) {
            c.push(key(name), format!("must be a fraction in (0, 1], not {v}"));
        }
    }
    if a.alarm_consecutive < 1 {
        c.push(
            key("alarm_consecutive"),
            "must be at least 1 (the number of consecutive tremor updates that raise the alarm)",
        );
    }
}

/// `seconds·fs` rounded must be at least `min` samples; true when it is.
fn samples(c: &mut Checker, key: &str, seconds: f64, fs: f64, min: u32) -> bool {
    let n = (seconds * fs).round();
    let ok = n >= f64::from(min);
    if !ok {
        let what = if min == 1 { "a hop" } else { "a window" };
        let plural = |k: f64| if k == 1.0 { "" } else { "s" };
        let min = f64::from(min);
        c.push(
            key,
            format!(
                "{seconds} s rounds to {n} sample{} at {fs} Hz; {what} needs at least {min} sample{} (≥ {} s)",
                plural(n),
                plural(min),
                min / fs
            ),
        );
    }
    ok
}

/// `hz` must be below fs/2; true when it is.
fn below_nyquist(c: &mut Checker, key: &str, hz: f64, fs: f64) -> bool {
    let ok = hz < fs / 2.0;
    if !ok {
        c.push(
            key,
            format!(
                "{hz} Hz is not below the Nyquist frequency {} Hz (sample_rate_hz = {fs})",
                fs / 2.0
            ),
        );
    }
    ok
}

/// The Welch PSD of a tremor window has bins every fs/nperseg Hz; a band without one has
/// no peak and no power.
fn welch_bin_inside(c: &mut Checker, key: &str, band: [f64; 2], fs: f64, a: &Analysis) {
    let nperseg = (a.tremor_segment_s * fs).round();
    let df = fs / nperseg;
    let first = (band[0] / df).ceil() * df;
    if first > band[1] {
        c.push(
            key,
            format!(
                "no Welch frequency bin lies in [{}, {}] Hz: bins are {df} Hz apart with tremor_segment_s = {} s; widen the band or lengthen tremor_segment_s",
                band[0], band[1], a.tremor_segment_s
            ),
        );
    }
}

/// MDF and MNF need at least two periodogram bins inside the (capped) band-pass band.
fn fatigue_bins(c: &mut Checker, a: &Analysis, fs: f64) {
    let n = (a.fatigue_epoch_s * fs).round();
    let df = fs / n;
    let lo = a.bandpass_hz[0];
    let hi = a.bandpass_hz[1].min(BANDPASS_CAP * fs);
    if lo >= hi {
        return; // reported with bandpass_hz
    }
    let bins = ((hi / df).floor() - (lo / df).ceil() + 1.0).max(0.0);
    if bins < 2.0 {
        c.push(
            "analysis.fatigue_epoch_s",
            format!(
                "{} s epochs give periodogram bins {df} Hz apart, {bins} of them inside the band-pass [{lo}, {hi}] Hz; MDF needs at least 2: lengthen fatigue_epoch_s",
                a.fatigue_epoch_s
            ),
        );
    }
}
