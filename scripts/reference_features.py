"""Reference implementation of the v1 features in numpy/scipy, for the golden vectors.

Written from the definitions in DESIGN.md ("Windows: one rule everywhere", "Feature
definitions (v1)", "HDF5 file (format v1)") and METHODS.md (B, C.3-C.5, D, E, F, G), not
from the Rust code. `analyze(samples, montage, causal)` returns what the engine's
`Results` hold, as plain Python values (NaN where the engine gives NaN).

Where those documents leave a choice open, the choice below follows the engine
(src/engine/plan.rs, src/engine/assemble.rs, src/features/*.rs):

 1. Filters: EMG band-pass butter(2, [lo, min(hi, 0.45 fs)], "bandpass"); mains notch
    iirnotch(mains_hz, Q=30) before it when `notch = "on"`; envelope butter(2, 6 Hz)
    low-pass; Hodges-Bui low-pass butter(2, 50 Hz); force butter(2, 150 Hz) low-pass. The
    onset and force low-passes exist only while their cut-off is below 0.45 fs. Zero-phase:
    sosfiltfilt with scipy's default padding; causal: sosfilt, the notch, band-pass and
    force low-pass started settled on the first sample (zi = sosfilt_zi * x[0]), the
    envelope and onset low-passes (on |y|) from rest.
 2. The envelope is scaled by 100/mvc for channels with `mvc`, each channel on its own;
    the inactivity rule of a pair needs `mvc` on both channels.
 3. Tremor: the EMG input is |y| of the whole band-passed channel. Besides the tremor band
    the alarm reads the alarm band (`alarm_band_hz`): its power, its power relative to
    1-30 Hz, its parabola-refined peak, and the peak concentration BP(peak +- 1 Hz) / BP(alarm
    band), all from the window's PSD. The peak search takes the first bin of largest
    power; the parabola may read neighbours outside the band, and refines only a local
    maximum (at least as large as both neighbours); otherwise, at the ends of the spectrum
    or where the parabola is flat the bin frequency is kept.
 4. Alarm baseline: the mean alarm-band power of the tremor windows that end within the
    first `alarm_baseline_s` seconds (at least one window); those windows are not tested.
    The alarm starts at the update that completes `alarm_consecutive` updates meeting the
    rule (event value: that update's alarm-band peak), ends at the first update that fails
    it; the peak must lie in the closed alarm band. alarm_seconds = updates with the alarm
    on (the start update included) x hop.
 5. Fatigue: an epoch is active for the slope when its MDF is finite and, for channels with
    `mvc`, 100 rms(y over the epoch)/mvc >= fatigue_min_pct_mvc; the line needs >= 10
    active epochs. The summary also reports `active_epochs`.
 6. Onsets (METHODS.md G), three detectors on each EMG channel. Test signals: Hodges-Bui,
    |y| low-passed (butter(2, 50 Hz), zero-phase or causal from rest) and averaged over
    W = round(25 ms fs) samples: zero-phase, the centred mean over [i - W//2, i - W//2 + W)
    cut to the signal; causal, the trailing mean over the last W samples (fewer at the
    start). TKEO, the same of |psi|: zero-phase psi[n] = y[n]^2 - y[n-1] y[n+1] with the end
    samples copying their neighbour; causal psi_c[n] = y[n-1]^2 - y[n-2] y[n] with zeros
    before the first sample. Bonato, from |y|: pairs (y[2i], y[2i+1]) from sample 0, the
    test of a pair is above when y1^2 + y2^2 > zeta sigma^2, zeta = -2 ln p with
    1 - (1 - p)^5 = 0.05 (Pfa 0.05, m = 5, r0 = 1); the test signal at a sample is how many
    of the last 5 complete pairs are above. Baseline: non-overlapping windows of
    round(0.25 s fs) samples from round(0.1 s fs) on (zero-phase: to the end; causal:
    within the round(onset_baseline_s fs) samples after the first round(0.1 s fs), and no
    onsets at all when the signal is shorter); rest windows = the ceil(n/4) (>= 1) of
    lowest Hodges-Bui mean (stable order on ties), less those above twice the lowest
    window mean; each detector's mean and SD (ddof = 1)
    and mean square pooled over the samples of those windows of its own signal.
    Thresholds: Hodges-Bui mean + 3 SD, TKEO mean + 3 SD (both need SD > 0), Bonato test
    >= 1 (needs a positive mean square). Samples at or above the threshold, with pauses
    shorter than round(onset_min_gap_s fs) samples merged, form stretches; a stretch whose
    first-to-last sample above spans >= round(onset_min_active_s fs) samples is an
    activation from its first sample above to the first sample of the pause (of at least
    round(onset_min_gap_s fs) samples) that ends it; detection starts at sample
    round(0.1 s fs). Events
    carry the detector in `text`; /summary/onsets counts the activations of
    `onset_method` (one still on at the end lasts to the last sample), their mean and
    total duration in seconds.
 7. Force: the baseline mu, sigma (ddof = 1) is the 500 ms window of lowest mean (starts
    every 50 ms, the first on ties) of the low-passed force; peak = max - mu;
    mvc_500ms = best 500 ms mean (every start) - mu. Onsets: gate where F first exceeds
    mu + 0.1 peak, search back (not before the previous contraction's re-arm point) to
    the last sample <= mu + 3 sigma, onset = the next sample. The contraction is
    released at the first sample after the gate with F <= gate level; the detector
    re-arms once F <= (min(rest, gate) + gate)/2. RFD_x = (F[t0 + k] - F[t0]) / (k/fs),
    k = round(x fs), NaN past the end; peak RFD = the largest 10 ms slope whose end lies
    within the first 200 ms (round(0.2 fs) samples from t0). Channel values are means
    over onsets (finite ones). Steadiness: contractions whose gate-to-release span is at
    least 2 s give a hold, the span without its first and last fifth (span//5);
    CV = 100 SD(linearly detrended, ddof = 1) / mean(undetrended), NaN when that mean is
    not positive (no hold then); the channel value is
    the mean over holds. Force onsets are also events, valued with that onset's RFD_100.
 8. Symmetry: EMG sides by the mean of the activation rows (pct_mvc when both sides have
    `mvc`, else rms); force sides by mvc_500ms. weaker = "left" when L <= R, "" when
    either side is not finite; the `measure` column names the quantity.
 9. Strength (METHODS.md E, isometric ratio antagonist/agonist): for a pair with a signed
    `torque` channel, the largest and the smallest 500 ms mean (every start) of its
    low-passed signal, taken from the sensor's zero; the agonist's strength is the one on
    the side of `agonist_direction`, the antagonist's the other one negated. For a pair
    with `agonist_force` and `antagonist_force`, each channel's mvc_500ms. ratio =
    antagonist / agonist when both are finite, agonist > 0 and antagonist >= 0, else NaN.
    flagged = 1 when the value is below its reference, 0 when not, NaN when either is
    NaN; symmetry is flagged against `lsi_reference_pct`. A bilateral pair of two such
    torque channels compares the agonist's strength ("agonist_mvc_500ms").
10. Events: EMG transitions (channels in montage order), force onsets, tremor alarm
    changes (tremor channels in montage order), then a stable sort by time.
"""
import math

import numpy as np
from scipy import signal

DEFAULT_ANALYSIS = {
    "bandpass_hz": [20.0, 450.0], "notch": "off",
    "rms_window_s": 0.25, "rms_hop_s": 0.05, "envelope_lowpass_hz": 6.0,
    "cci_window_s": 1.0, "cci_hop_s": 0.5, "inactive_pct_mvc": 2.0,
    "tremor_band_hz": [4.0, 12.0], "tremor_segment_s": 2.0, "tremor_window_s": 4.0,
    "tremor_hop_s": 0.5, "fatigue_epoch_s": 0.5, "fatigue_min_pct_mvc": 10.0,
    "alarm_band_hz": [4.0, 14.0], "alarm_baseline_s": 10.0, "alarm_power_ratio": 4.0,
    "alarm_min_relative_power": 0.3, "alarm_min_peak_concentration": 0.5,
    "alarm_consecutive": 3, "lsi_reference_pct": 90.0,
    "onset_method": "hodges_bui", "onset_min_active_s": 0.100, "onset_min_gap_s": 0.020,
    "onset_baseline_s": 2.0,
}
MAX_UPPER_EDGE = 0.45
NOTCH_Q = 30.0
TOTAL_BAND_HZ = (1.0, 30.0)
PEAK_HALF_WIDTH_HZ = 1.0
ONSET = {"lowpass_hz": 50.0, "window_s": 0.025, "k": 3.0, "tkeo_k": 3.0, "skip_s": 0.1,
         "rest_window_s": 0.25, "rest_fraction": 0.25, "rest_spread": 2.0, "pfa": 0.05,
         "m": 5}
ONSET_METHODS = ("hodges_bui", "tkeo", "bonato")
FORCE = {"lowpass_hz": 150.0, "window_s": 0.5, "gate": 0.1, "k_sigma": 3.0,
         "rfd_s": (0.05, 0.1, 0.2), "slope_s": 0.01, "span_s": 0.2, "min_hold_s": 2.0}
MIN_FATIGUE_EPOCHS = 10
NAN = float("nan")


class Margins:
    """The smallest distance of every yes/no decision from its threshold, by kind.

    The fixture is only a fair test if no decision sits so close to its threshold that
    rounding in the last bits could flip it; gen_fixtures.py checks these."""

    def __init__(self):
        self.smallest = {}

    def add(self, kind, value):
        value = float(abs(value))
        if math.isfinite(value):
            self.smallest[kind] = min(self.smallest.get(kind, math.inf), value)


# ----------------------------------------------------------------------------- basics

def samples(seconds, fs, at_least=1):
    return max(int(round(seconds * fs)), at_least)


def window_starts(n, w, h):
    """DESIGN.md: window k covers [kH, kH + W) while kH + W <= N."""
    return list(range(0, n - w + 1, h)) if n >= w else []


def centre_s(k, w, h, fs):
    return (k * h + w / 2) / fs


def run_filter(sos, x, causal):
    return signal.sosfilt(sos, x) if causal else signal.sosfiltfilt(sos, x)


def run_filter_settled(sos, x, causal, level=None):
    """As run_filter; a causal run starts in the steady state of a constant input at
    `level` (default: the first sample)."""
    if not causal:
        return signal.sosfiltfilt(sos, x)
    if len(x) == 0:
        return np.asarray(x, dtype=float)
    level = x[0] if level is None else level
    return signal.sosfilt(sos, x, zi=signal.sosfilt_zi(sos) * level)[0]


def lowpass(cutoff, fs):
    return signal.butter(2, cutoff, "lowpass", fs=fs, output="sos")


def mean_finite(values):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(v.mean()) if v.size else NAN


def band_mask(f, lo, hi):
    return (f >= lo) & (f <= hi)


def band_power(f, p, lo, hi):
    return float(np.sum(p[band_mask(f, lo, hi)]) * (f[1] - f[0]))


def peak_frequency(f, p, lo, hi, margins=None):
    idx = np.flatnonzero(band_mask(f, lo, hi))
    if idx.size == 0:
        return NAN
    k = int(idx[np.argmax(p[idx])])
    if margins is not None and idx.size > 1:
        others = np.delete(p[idx], np.argmax(p[idx]))
        margins.add("peak bin vs runner-up (relative)", (p[k] - others.max()) / p[k])
    if k == 0 or k + 1 >= len(p):
        return float(f[k])
    a, b, c = p[k - 1], p[k], p[k + 1]
    curvature = a - 2 * b + c
    if a > b or c > b or curvature == 0 or not np.isfinite(curvature):
        return float(f[k])
    return float(f[k] + (f[1] - f[0]) * 0.5 * (a - c) / curvature)


def ratio(a, b):
    return a / b if b > 0 else NAN


# ------------------------------------------------------------------------------ tremor

def tremor_measures(f, p, a, margins=None):
    lo, hi = a["tremor_band_hz"]
    alo, ahi = a["alarm_band_hz"]
    total = band_power(f, p, *TOTAL_BAND_HZ)
    bp = band_power(f, p, lo, hi)
    abp = band_power(f, p, alo, ahi)
    apeak = peak_frequency(f, p, alo, ahi, margins)
    if math.isfinite(apeak):
        around = band_power(f, p, apeak - PEAK_HALF_WIDTH_HZ, apeak + PEAK_HALF_WIDTH_HZ)
        # An unrefined peak is a bin frequency, and so are its ±1 Hz edges when 1 Hz is a
        # whole number of bins: those comparisons are exact on both sides.
        if margins is not None and not np.any(f == apeak):
            df = f[1] - f[0]
            for edge in (apeak - PEAK_HALF_WIDTH_HZ, apeak + PEAK_HALF_WIDTH_HZ):
                margins.add("peak-concentration band edge vs bin (Hz)",
                            edge - df * round(edge / df))
    else:
        around = NAN
    return {"band_power": bp, "relative_power": ratio(bp, total),
            "peak_hz": peak_frequency(f, p, lo, hi, margins),
            "alarm_band_power": abp, "alarm_relative_power": ratio(abp, total),
            "alarm_peak_hz": apeak, "peak_concentration": ratio(around, abp)}


def welch(x, fs, nperseg):
    return signal.welch(x, fs=fs, window="hann", nperseg=nperseg, noverlap=nperseg // 2,
                        detrend="linear", scaling="density")


def tremor_channel(x, fs, a, margins):
    seg = samples(a["tremor_segment_s"], fs, 2)
    w, h = samples(a["tremor_window_s"], fs), samples(a["tremor_hop_s"], fs)
    rows = []
    for k, s in enumerate(window_starts(len(x), w, h)):
        f, p = welch(x[s:s + w], fs, seg)
        rows.append((centre_s(k, w, h, fs), tremor_measures(f, p, a, margins)))
    summary = None
    if len(x) >= seg:
        f, p = welch(x, fs, seg)
        summary = tremor_measures(f, p, a, margins)
    # Alarm (METHODS.md C.4).
    baseline_n = max(len(window_starts(int(round(a["alarm_baseline_s"] * fs)), w, h)), 1)
    seen = [r["alarm_band_power"] for _, r in rows[:baseline_n]]
    changes, on, streak, updates_on = [], False, 0, 0
    if len(rows) > baseline_n:
        baseline = sum(v for v in seen if math.isfinite(v)) / baseline_n
        alo, ahi = a["alarm_band_hz"]
        for t, r in rows[baseline_n:]:
            limit = a["alarm_power_ratio"] * baseline
            margins.add("alarm power vs ratio x baseline (relative)",
                        (r["alarm_band_power"] - limit) / limit)
            margins.add("alarm relative power vs minimum",
                        r["alarm_relative_power"] - a["alarm_min_relative_power"])
            margins.add("alarm peak concentration vs minimum",
                        r["peak_concentration"] - a["alarm_min_peak_concentration"])
            # An unrefined peak is a bin frequency k·df, computed exactly on both sides; only
            # a refined one can land near an edge by rounding.
            peak, df = r["alarm_peak_hz"], 1.0 / (seg * (1.0 / fs))
            if not (math.isfinite(peak) and round(peak / df) * df == peak):
                margins.add("alarm peak vs band edge (Hz)", min(abs(peak - alo), abs(peak - ahi)))
            meets = (r["alarm_band_power"] >= limit
                     and r["alarm_relative_power"] >= a["alarm_min_relative_power"]
                     and r["peak_concentration"] >= a["alarm_min_peak_concentration"]
                     and alo <= r["alarm_peak_hz"] <= ahi)
            if meets:
                streak += 1
                if not on and streak >= max(a["alarm_consecutive"], 1):
                    on = True
                    changes.append((t, "tremor_alarm_start", r["alarm_peak_hz"]))
            else:
                streak = 0
                if on:
                    on = False
                    changes.append((t, "tremor_alarm_end", NAN))
            updates_on += on
    return {"rows": rows, "summary": summary, "changes": changes,
            "alarm_seconds": updates_on * h / fs}


# ----------------------------------------------------------------------------- fatigue

def fatigue_epoch(y, fs, band):
    f, p = signal.periodogram(y, fs=fs, window="hann", detrend="constant",
                              scaling="density")
    m = band_mask(f, *band)
    ff, pp = f[m], p[m]
    if pp.size == 0 or not pp.sum() > 0:
        return NAN, NAN
    mnf = float(np.sum(ff * pp) / np.sum(pp))
    c = np.cumsum(pp)
    half = c[-1] / 2
    k = int(np.argmax(c >= half))
    if k == 0:
        mdf = float(ff[0])
    else:
        mdf = float(ff[k - 1] + (half - c[k - 1]) / (c[k] - c[k - 1]) * (ff[k] - ff[k - 1]))
    return mdf, mnf


def ols(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    dx, dy = x - x.mean(), y - y.mean()
    slope = float(np.sum(dx * dy) / np.sum(dx * dx))
    intercept = float(y.mean() - slope * x.mean())
    ss_tot = float(np.sum(dy * dy))
    ss_res = float(np.sum((y - intercept - slope * x) ** 2))
    return slope, intercept, (1 - ss_res / ss_tot) if ss_tot > 0 else NAN


# ---------------------------------------------------------------------------- onsets

def moving_mean(x, w, causal):
    n = len(x)
    out = np.empty(n)
    for i in range(n):
        if causal:
            lo, hi = max(i - w + 1, 0), i + 1
        else:
            lo, hi = max(i - w // 2, 0), min(i - w // 2 + w, n)
        out[i] = x[lo:hi].mean()
    return out


def lowest_mean_window(x, w, margins=None, kind=None):
    """Start, mean and SD (ddof = 1) of the w-sample window of lowest mean, starts every
    w//10 samples."""
    starts = window_starts(len(x), w, max(w // 10, 1))
    if not starts or w < 2:
        return None
    means = np.array([x[s:s + w].mean() for s in starts])
    best = int(np.argmin(means))
    if margins is not None and len(means) > 1:
        rest = np.delete(means, best)
        margins.add(kind, (rest.min() - means[best]) / abs(means[best]))
    s = starts[best]
    return s, float(means[best]), float(np.std(x[s:s + w], ddof=1))


def runs(above):
    """(start, length, value) of the maximal runs of equal values."""
    edges = np.flatnonzero(np.diff(above.astype(np.int8))) + 1
    starts = np.concatenate([[0], edges])
    ends = np.concatenate([edges, [len(above)]])
    return [(int(s), int(e - s), bool(above[s])) for s, e in zip(starts, ends)]


def onset_signals(y, fs, causal):
    """The three test signals of METHODS.md G (before Bonato's pair test)."""
    rect = np.abs(y)
    n = len(y)
    if causal:
        prev1 = np.concatenate([[0.0], y[:-1]])
        prev2 = np.concatenate([[0.0, 0.0], y[:-2]])[:n]
        psi = prev1 ** 2 - prev2 * y
    else:
        psi = np.zeros(n)
        if n >= 3:
            psi[1:-1] = y[1:-1] ** 2 - y[:-2] * y[2:]
            psi[0], psi[-1] = psi[1], psi[-2]
    out = []
    for s in (rect, np.abs(psi)):
        if ONSET["lowpass_hz"] < MAX_UPPER_EDGE * fs:
            s = run_filter(lowpass(ONSET["lowpass_hz"], fs), s, causal)
        out.append(moving_mean(s, samples(ONSET["window_s"], fs), causal))
    return out[0], out[1], rect


def bonato_zeta():
    p = 1.0 - (1.0 - ONSET["pfa"]) ** (1.0 / ONSET["m"])
    return -2.0 * math.log(p)


def bonato_counts(rect, noise_power, margins):
    n = len(rect)
    pairs = n // 2
    power = rect[0:2 * pairs:2] ** 2 + rect[1:2 * pairs:2] ** 2
    level = bonato_zeta() * noise_power
    margins.add("Bonato pair vs zeta (relative)", np.min(np.abs(power - level)) / level)
    above = (power > level).astype(int)
    c = np.concatenate([[0], np.cumsum(above)])
    j = np.arange(pairs)
    count = c[j + 1] - c[np.maximum(j + 1 - ONSET["m"], 0)]
    # The count changes at the second sample of each pair.
    done = np.concatenate([[0.0], count])
    return done[(np.arange(n) + 1) // 2]


def onsets(y, fs, causal, a, margins):
    """Transitions of each detector: {method: [(kind, sample)]}."""
    none = {m: [] for m in ONSET_METHODS}
    hb, tk, rect = onset_signals(y, fs, causal)
    skip = samples(ONSET["skip_s"], fs)
    w = max(samples(ONSET["rest_window_s"], fs), 2)
    end = skip + max(samples(a["onset_baseline_s"], fs), 2) if causal else len(y)
    if causal and len(y) < end:
        return none
    count = (end - skip) // w if end > skip else 0
    if count == 0:
        return none
    means = np.array([hb[skip + k * w:skip + (k + 1) * w].mean() for k in range(count)])
    keep = max(1, math.ceil(ONSET["rest_fraction"] * count))
    order = np.argsort(means, kind="stable")
    if count > keep:
        boundary = means[order[keep]] - means[order[keep - 1]]
        margins.add("onset rest window boundary (relative)", boundary / means[order[keep]])
    ceiling = ONSET["rest_spread"] * means[order[0]]
    margins.add("onset rest spread ceiling (relative)",
                np.min(np.abs(means[order[:keep]] - ceiling)) / ceiling)
    rest = [k for k in order[:keep] if means[k] <= ceiling]
    rest = np.sort(rest)

    def pooled(x):
        s = np.concatenate([x[skip + k * w:skip + (k + 1) * w] for k in rest])
        return float(s.mean()), float(np.std(s, ddof=1)), float(np.mean(s ** 2))

    min_on = samples(a["onset_min_active_s"], fs)
    min_off = samples(a["onset_min_gap_s"], fs)
    out = {}
    for method, x in zip(ONSET_METHODS, (hb, tk, rect)):
        mean, sd, ms = pooled(x)
        if method == "bonato":
            if not ms > 0:
                out[method] = []
                continue
            test, threshold = bonato_counts(rect, ms, margins), 1.0
        else:
            if not sd > 0:
                out[method] = []
                continue
            k = ONSET["k"] if method == "hodges_bui" else ONSET["tkeo_k"]
            test, threshold = x, mean + k * sd
            margins.add(f"{method} sample vs threshold (relative)",
                        np.min(np.abs(x[skip:] - threshold)) / threshold)
        # Merge pauses shorter than min_off, keep stretches spanning >= min_on samples
        # from their first sample above to their last.
        transitions, active, first = [], False, None
        for start, length, above in runs(test[skip:] >= threshold):
            start += skip
            if above:
                if first is None:
                    first = start
                if not active and start + length - first >= min_on:
                    active = True
                    transitions.append(("onset", first))
            elif first is not None and length >= min_off:
                if active:
                    transitions.append(("offset", start))
                active, first = False, None
        out[method] = transitions
    return out


def activation_spans(transitions, n):
    spans, start = [], None
    for kind, at in transitions:
        if kind == "onset":
            start = at
        elif start is not None:
            spans.append((start, max(at, start)))
            start = None
    if start is not None:
        spans.append((start, max(n, start)))
    return spans


# ------------------------------------------------------------------------------- force

def force_metrics(x, fs, causal, margins):
    if FORCE["lowpass_hz"] < MAX_UPPER_EDGE * fs:
        x = run_filter_settled(lowpass(FORCE["lowpass_hz"], fs), x, causal)
    n = len(x)
    w = samples(FORCE["window_s"], fs)
    found = lowest_mean_window(x, w, margins, "force baseline window")
    nan3 = [NAN, NAN, NAN]
    if found is None:
        return {"peak": NAN, "mvc_500ms": NAN, "rfd": nan3, "rfd_peak": NAN,
                "steadiness_cv": NAN, "onsets": [], "highest": NAN, "lowest": NAN}
    _, mu, sigma = found
    peak = float(x.max() - mu)
    window_means = np.convolve(x, np.ones(w) / w, mode="valid")
    best = max(x[s:s + w].mean() for s in range(n - w + 1))
    gate_level = mu + FORCE["gate"] * peak
    rest_level = mu + FORCE["k_sigma"] * sigma
    rearm_level = 0.5 * (min(rest_level, gate_level) + gate_level)
    margins.add("force vs gate (relative to peak)", np.min(np.abs(x - gate_level)) / peak)
    margins.add("force vs re-arm (relative to peak)", np.min(np.abs(x - rearm_level)) / peak)
    slope_w = samples(FORCE["slope_s"], fs)
    span = samples(FORCE["span_s"], fs)
    onsets, i, earliest = [], 0, 0
    while peak > 0 and math.isfinite(sigma):
        above = np.flatnonzero(x[i:] > gate_level)
        if above.size == 0:
            break
        gate = i + int(above[0])
        quiet = np.flatnonzero(x[earliest:gate + 1] <= rest_level)
        onset = earliest + int(quiet[-1]) + 1 if quiet.size else earliest
        margins.add("force vs rest level near onsets (relative to sigma)",
                    np.min(np.abs(x[max(onset - 50, 0):onset + 50] - rest_level)) / sigma)
        below = np.flatnonzero(x[gate:] <= gate_level)
        release = gate + int(below[0]) if below.size else n
        rfd = []
        for seconds in FORCE["rfd_s"]:
            k = samples(seconds, fs)
            rfd.append(float((x[onset + k] - x[onset]) / (k / fs)) if onset + k < n else NAN)
        end = min(onset + span, n)
        slopes = [(x[t + slope_w] - x[t]) / (slope_w / fs) for t in range(onset, end - slope_w)]
        hold_cv = NAN
        if release - gate >= FORCE["min_hold_s"] * fs:
            trim = (release - gate) // 5
            hold = x[gate + trim:release - trim]
            sd = np.std(signal.detrend(hold, type="linear"), ddof=1)
            # A CV needs a positive mean: a hold at or below the sensor's zero (the rest
            # between the two directions of a signed torque) has none.
            hold_cv = float(100 * sd / hold.mean()) if hold.mean() > 0 else NAN
        onsets.append({"onset": onset, "rfd": rfd,
                       "rfd_peak": float(max(slopes)) if slopes else NAN, "cv": hold_cv,
                       "hold": math.isfinite(hold_cv)})
        rearmed = np.flatnonzero(x[release:] <= rearm_level)
        i = release + int(rearmed[0]) if rearmed.size else n
        earliest = i
    holds = [o["cv"] for o in onsets if o["hold"]]
    return {"peak": peak, "mvc_500ms": float(best - mu),
            "highest": float(window_means.max()), "lowest": float(window_means.min()),
            "rfd": [mean_finite([o["rfd"][j] for o in onsets]) for j in range(3)],
            "rfd_peak": mean_finite([o["rfd_peak"] for o in onsets]),
            "steadiness_cv": mean_finite(holds), "onsets": onsets}


# --------------------------------------------------------------------------- symmetry

def flag(value, reference):
    if math.isnan(value) or math.isnan(reference):
        return NAN
    return 1.0 if value < reference else 0.0


def strength_of(pair, force, index):
    """(agonist, antagonist) strength of a pair with force channels, else None."""
    if "torque" in pair:
        m = force.get(index[pair["torque"]])
        if m is None:
            return NAN, NAN
        up, down = m["highest"], -m["lowest"]
        return (up, down) if pair["agonist_direction"] == "positive" else (down, up)
    if "agonist_force" in pair:
        ag, an = force.get(index[pair["agonist_force"]]), force.get(index[pair["antagonist_force"]])
        if ag is None or an is None:
            return NAN, NAN
        return ag["mvc_500ms"], an["mvc_500ms"]
    return None


def strength_ratio(agonist, antagonist):
    ok = math.isfinite(agonist) and math.isfinite(antagonist) and agonist > 0 and antagonist >= 0
    return antagonist / agonist if ok else NAN


def symmetry(left, right):
    total = left + right
    si = 100 * (right - left) / (0.5 * total) if total != 0 else NAN
    hi = max(left, right)
    lsi = 100 * min(left, right) / hi if hi > 0 else NAN
    weaker = ("left" if left <= right else "right") \
        if math.isfinite(left) and math.isfinite(right) else ""
    return si, lsi, weaker


# ---------------------------------------------------------------------------- analyze

def analyze(x, montage, causal):
    """x: (n_samples, n_channels) float64 holding float32 values; montage: dict as
    gen_fixtures.py builds it. Returns features, events and summary."""
    fs = float(montage["sample_rate_hz"])
    a = {**DEFAULT_ANALYSIS, **montage.get("analysis", {})}
    chans = montage["channels"]
    names = [c["name"] for c in chans]
    index = {c["name"]: i for i, c in enumerate(chans)}
    mvc = [c.get("mvc") for c in chans]
    n = x.shape[0]
    margins = Margins()

    band = [a["bandpass_hz"][0], min(a["bandpass_hz"][1], MAX_UPPER_EDGE * fs)]
    bp = signal.butter(2, band, "bandpass", fs=fs, output="sos")
    notch_sos = np.hstack(signal.iirnotch(float(montage["mains_hz"]), NOTCH_Q, fs=fs))[None, :]
    env_sos = lowpass(a["envelope_lowpass_hz"], fs)
    rms_w, rms_h = samples(a["rms_window_s"], fs, 2), samples(a["rms_hop_s"], fs)
    cci_w, cci_h = samples(a["cci_window_s"], fs, 2), samples(a["cci_hop_s"], fs)
    ep = samples(a["fatigue_epoch_s"], fs, 2)

    emg = [i for i, c in enumerate(chans) if c["kind"] == "emg"]
    forces = [i for i, c in enumerate(chans) if c["kind"] == "force"]
    tremor_ch = [i for i, c in enumerate(chans) if c["kind"] in ("force", "accel", "emg")]

    per = {}
    for i in emg:
        y = x[:, i]
        if a["notch"] == "on":
            y = run_filter_settled(notch_sos, y, causal)
        # Both causal filters settle on the raw first sample.
        y = run_filter_settled(bp, y, causal, level=x[0, i] if n else None)
        rms = [float(np.sqrt(np.mean(y[s:s + rms_w] ** 2)))
               for s in window_starts(n, rms_w, rms_h)]
        fat = []
        for s in window_starts(n, ep, ep):
            mdf, mnf = fatigue_epoch(y[s:s + ep], fs, band)
            fat.append((mdf, mnf, float(np.sqrt(np.mean(y[s:s + ep] ** 2)))))
        env = np.maximum(run_filter(env_sos, np.abs(y), causal), 0.0)
        if mvc[i] is not None:
            env = env / (mvc[i] / 100.0)
        per[i] = {"y": y, "rms": rms, "fatigue": fat, "envelope": env,
                  "transitions": onsets(y, fs, causal, a, margins)}
    tremor = {i: tremor_channel(np.abs(per[i]["y"]) if i in per else x[:, i], fs, a, margins)
              for i in tremor_ch}
    force = {i: force_metrics(x[:, i], fs, causal, margins) for i in forces}

    features, summary = {}, {}
    emg_names = [names[i] for i in emg]
    if emg:
        rows = min(len(per[i]["rms"]) for i in emg)
        rms = [[per[i]["rms"][r] for i in emg] for r in range(rows)]
        pct = [[100 * per[i]["rms"][r] / mvc[i] if mvc[i] is not None else NAN for i in emg]
               for r in range(rows)]
        features["activation"] = {
            "time_s": [centre_s(k, rms_w, rms_h, fs) for k in range(rows)],
            "columns": emg_names, "tables": {"rms": rms, "pct_mvc": pct}}
        rows = min(len(per[i]["fatigue"]) for i in emg)
        features["fatigue"] = {
            "time_s": [centre_s(k, ep, ep, fs) for k in range(rows)], "columns": emg_names,
            "tables": {"mdf_hz": [[per[i]["fatigue"][r][0] for i in emg] for r in range(rows)],
                       "mnf_hz": [[per[i]["fatigue"][r][1] for i in emg] for r in range(rows)]}}
        summary["activation"] = {"names": emg_names, "columns": {
            "rms_mean": [mean_finite(per[i]["rms"]) for i in emg],
            "pct_mvc_mean": [mean_finite(100 * np.array(per[i]["rms"]) / mvc[i])
                             if mvc[i] is not None else NAN for i in emg]}}
        cols = {k: [] for k in ("mdf_initial_hz", "mdf_slope_hz_per_s", "mdf_slope_pct_per_s",
                                "r2", "active_epochs")}
        for i in emg:
            times, mdf = [], []
            for e, (m, _, r) in enumerate(per[i]["fatigue"]):
                if mvc[i] is not None:
                    margins.add("fatigue epoch %MVC vs minimum (relative)",
                                (100 * r / mvc[i] - a["fatigue_min_pct_mvc"])
                                / a["fatigue_min_pct_mvc"])
                if math.isfinite(m) and (mvc[i] is None
                                         or 100 * r / mvc[i] >= a["fatigue_min_pct_mvc"]):
                    times.append(centre_s(e, ep, ep, fs))
                    mdf.append(m)
            if len(times) >= MIN_FATIGUE_EPOCHS:
                slope, intercept, r2 = ols(times, mdf)
                initial = intercept + slope * times[0]
            else:
                slope = initial = r2 = NAN
            cols["mdf_initial_hz"].append(initial)
            cols["mdf_slope_hz_per_s"].append(slope)
            cols["mdf_slope_pct_per_s"].append(100 * slope / initial)
            cols["r2"].append(r2)
            cols["active_epochs"].append(float(len(times)))
        summary["fatigue"] = {"names": emg_names, "columns": cols}

        method = a["onset_method"]
        spans = [activation_spans(per[i]["transitions"][method], n) for i in emg]
        count = [float(len(s)) for s in spans]
        total = [sum(b - e for e, b in s) / fs for s in spans]
        summary["onsets"] = {"names": emg_names, "columns": {
            "method": [method] * len(emg), "activations": count,
            "mean_active_s": [t / c if c > 0 else NAN for t, c in zip(total, count)],
            "time_under_tension_s": total}}

    pairs = montage.get("pairs", [])
    if pairs:
        fw_rows, ru_rows = [], []
        for p in pairs:
            i, j = index[p["agonist"]], index[p["antagonist"]]
            ea, eb = per[i]["envelope"], per[j]["envelope"]
            both = mvc[i] is not None and mvc[j] is not None
            fw, ru = [], []
            for s in window_starts(n, cci_w, cci_h):
                wa, wb = ea[s:s + cci_w], eb[s:s + cci_w]
                thr = a["inactive_pct_mvc"]
                if both:
                    margins.add("CCI window mean vs inactive threshold (relative)",
                                min(abs(wa.mean() - thr), abs(wb.mean() - thr)) / thr)
                if both and wa.mean() < thr and wb.mean() < thr:
                    fw.append(NAN)
                    ru.append(NAN)
                    continue
                lo, hi = np.minimum(wa, wb), np.maximum(wa, wb)
                total = np.sum(wa + wb)
                fw.append(float(100 * 2 * np.sum(lo) / total) if total > 0 else NAN)
                safe = np.where(hi > 0, hi, 1.0)
                ru.append(float(np.mean(np.where(hi > 0, lo / safe * (lo + hi), 0.0))))
            fw_rows.append(fw)
            ru_rows.append(ru)
        rows = min(len(v) for v in fw_rows)
        features["cocontraction"] = {
            "time_s": [centre_s(k, cci_w, cci_h, fs) for k in range(rows)],
            "columns": [p["name"] for p in pairs],
            "tables": {"fw": [[v[r] for v in fw_rows] for r in range(rows)],
                       "rudolph": [[v[r] for v in ru_rows] for r in range(rows)]}}
        summary["cocontraction"] = {"names": [p["name"] for p in pairs], "columns": {
            "fw_mean": [mean_finite(v) for v in fw_rows],
            "rudolph_mean": [mean_finite(v) for v in ru_rows]}}

    bilateral = montage.get("bilateral", [])
    if bilateral:
        act = summary.get("activation", {"columns": {}})["columns"]
        cols = {"si_percent": [], "lsi_percent": [], "reference": [], "flagged": [],
                "weaker": [], "measure": []}
        torque_pairs = {p["torque"]: p for p in pairs if "torque" in p}
        for b in bilateral:
            li, ri = index[b["left"]], index[b["right"]]
            both = mvc[li] is not None and mvc[ri] is not None
            torques = b["left"] in torque_pairs and b["right"] in torque_pairs
            kind = chans[li]["kind"]

            def value(i):
                if chans[i]["kind"] == "emg":
                    k = emg.index(i)
                    return act["pct_mvc_mean" if both else "rms_mean"][k]
                if chans[i]["kind"] == "force" and torques:
                    return strength_of(torque_pairs[names[i]], force, index)[0]
                if chans[i]["kind"] == "force":
                    return force[i]["mvc_500ms"]
                return NAN

            si, lsi, weaker = symmetry(value(li), value(ri))
            cols["si_percent"].append(si)
            cols["lsi_percent"].append(lsi)
            cols["reference"].append(float(a["lsi_reference_pct"]))
            cols["flagged"].append(flag(lsi, float(a["lsi_reference_pct"])))
            cols["weaker"].append(weaker)
            force_measure = "agonist_mvc_500ms" if torques else "mvc_500ms"
            cols["measure"].append({"emg": "pct_mvc" if both else "rms",
                                    "force": force_measure}.get(kind, "none"))
        summary["symmetry"] = {"names": [b["name"] for b in bilateral], "columns": cols}

    if tremor_ch:
        rows = min(len(tremor[i]["rows"]) for i in tremor_ch)
        seg_w = samples(a["tremor_window_s"], fs)
        seg_h = samples(a["tremor_hop_s"], fs)
        features["tremor"] = {
            "time_s": [centre_s(k, seg_w, seg_h, fs) for k in range(rows)],
            "columns": [names[i] for i in tremor_ch],
            "tables": {key: [[tremor[i]["rows"][r][1][key] for i in tremor_ch]
                             for r in range(rows)]
                       for key in ("band_power", "relative_power", "peak_hz")}}

        def whole(key):
            return [tremor[i]["summary"][key] if tremor[i]["summary"] else NAN
                    for i in tremor_ch]

        summary["tremor"] = {"names": [names[i] for i in tremor_ch], "columns": {
            "peak_hz": whole("peak_hz"), "band_power": whole("band_power"),
            "relative_power": whole("relative_power"),
            "alarm_seconds": [tremor[i]["alarm_seconds"] for i in tremor_ch]}}

    if forces:
        def col(f):
            return [f(force[i]) for i in forces]
        summary["force"] = {"names": [names[i] for i in forces], "columns": {
            "peak": col(lambda m: m["peak"]), "mvc_500ms": col(lambda m: m["mvc_500ms"]),
            "rfd_50": col(lambda m: m["rfd"][0]), "rfd_100": col(lambda m: m["rfd"][1]),
            "rfd_200": col(lambda m: m["rfd"][2]), "rfd_peak": col(lambda m: m["rfd_peak"]),
            "steadiness_cv": col(lambda m: m["steadiness_cv"]),
            "onsets": col(lambda m: float(len(m["onsets"])))}}

    strong = [(p, strength_of(p, force, index)) for p in pairs]
    strong = [(p, s) for p, s in strong if s is not None]
    if strong:
        ratios = [strength_ratio(ag, an) for _, (ag, an) in strong]
        refs = [float(p.get("strength_ratio_reference", NAN)) for p, _ in strong]
        summary["strength"] = {"names": [p["name"] for p, _ in strong], "columns": {
            "agonist_mvc_500ms": [s[0] for _, s in strong],
            "antagonist_mvc_500ms": [s[1] for _, s in strong],
            "ratio": ratios, "reference": refs,
            "flagged": [flag(r, ref) for r, ref in zip(ratios, refs)]}}

    events = []
    for i in emg:
        for method in ONSET_METHODS:
            for kind, at in per[i]["transitions"][method]:
                events.append({"time_s": at / fs, "kind": kind, "channel": names[i],
                               "value": NAN, "sample": at, "text": method})
    for i in forces:
        for o in force[i]["onsets"]:
            events.append({"time_s": o["onset"] / fs, "kind": "onset", "channel": names[i],
                           "value": o["rfd"][1], "sample": o["onset"], "text": ""})
    for i in tremor_ch:
        for t, kind, value in tremor[i]["changes"]:
            events.append({"time_s": t, "kind": kind, "channel": names[i], "value": value})
    events.sort(key=lambda e: e["time_s"])
    return {"features": features, "summary": summary, "events": events,
            "margins": margins.smallest}
