//! The `[analysis]` rules: positive finite durations and thresholds, bands with
//! 0 < low < high, and — once the sample rate is known — windows of at least two samples,
//! hops of at least one, bands below the Nyquist frequency with a frequency bin inside.

use super::Checker;
use crate::montage::{Analysis, Kind, Montage};

/// The band-pass upper edge is capped at this fraction of the sample rate when applied.
const BANDPASS_CAP: f64 = 0.45;

/// Everything wrong with `m.analysis`; `fs` is the montage's rate when it is valid.
pub(super) fn check(c: &mut Checker, m: &Montage, fs: Option<f64>) {
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
    onsets(c, a);
    let lsi = a.lsi_reference_pct;
    if !(lsi > 0.0 && lsi <= 100.0) {
        c.push(
            key("lsi_reference_pct"),
            format!("must be a percentage in (0, 100] (90 is the common criterion), not {lsi}"),
        );
    }
    if let Some([lo, hi]) = a.target_pct_mvc {
        if !(lo.is_finite() && hi.is_finite() && lo >= 0.0 && lo < hi) {
            c.push(
                key("target_pct_mvc"),
                format!("must be [low, high] in %MVC with 0 ≤ low < high, not [{lo}, {hi}]"),
            );
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

/// The onset durations: positive (a duration under one sample counts as one sample, so
/// slow recordings keep the defaults); the live baseline long enough to hold one rest
/// window (METHODS.md G, `features::onset_baseline`).
fn onsets(c: &mut Checker, a: &Analysis) {
    let key = |k: &str| format!("analysis.{k}");
    for (name, seconds) in [
        ("onset_min_active_s", a.onset_min_active_s),
        ("onset_min_gap_s", a.onset_min_gap_s),
    ] {
        c.positive(&key(name), seconds, "duration in seconds");
    }
    let window = crate::features::onset_baseline::REST_WINDOW_S;
    if c.positive(
        &key("onset_baseline_s"),
        a.onset_baseline_s,
        "duration in seconds",
    ) && a.onset_baseline_s < window
    {
        c.push(
            key("onset_baseline_s"),
            format!(
                "{} s is shorter than one {window} s rest window; give at least {window} s, better a few seconds of rest",
                a.onset_baseline_s
            ),
        );
    }
}
