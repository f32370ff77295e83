"""The v1 features of `myobalance process` (zero-phase), vectorised in numpy/scipy.

This is the peer that `compare_scipy.py process` times against the Rust engine: the same
quantities as reference_features.py (which mirrors the engine's choices; its docstring lists
them), with the same filters, window sizes and rules, written the way a numpy user would
write them for speed: whole channels (or all channels at once) per call and no Python loop
over windows of samples.

- filters: `sosfiltfilt` along the sample axis of a (channels, samples) array;
- windowed sums and means (activation RMS, co-contraction, epoch RMS, baselines, the best
  500 ms force mean, the onset moving means): differences of cumulative sums;
- tremor, welch="shared" (default): the 2 s Welch segments of every 4 s window start on a
  1000-sample grid (gcd of the 0.5 s hop and the 1 s segment step) and are shared between
  windows, as the engine shares them; each distinct segment is linearly detrended,
  Hann-windowed and transformed once (one `rfft` over a 2-D array per channel), and a
  window's PSD is the mean of its three segments' spectra; the whole-channel summary
  averages the segments every 1 s from the same array;
- tremor, welch="stacked": `scipy.signal.welch` on the stacked (windows, samples) view of a
  channel's tremor windows, and once more on the whole channel for the summary: the
  textbook call, which transforms each segment once per window that holds it;
- fatigue: one `periodogram` call over every 0.5 s epoch of every EMG channel, MDF by
  cumulative sum and argmax;
- tremor alarm: the streak rule over updates by run lengths (no loop);
- onsets (Hodges-Bui, TKEO, Bonato): baselines over reshaped 250 ms windows, Bonato's
  pair test by cumulative sums, run lengths of the above-threshold array via `np.diff`;
- force onsets: one short loop per detected contraction, each step a binary search in
  precomputed crossing indices.

Only the zero-phase path with the montage's `[analysis]` settings is implemented (no notch,
no causal mode): that is what `process` runs by default. `analyze(x, montage)` takes x as a
(channels, samples) float64 array and returns plain arrays (see its docstring).
"""
import math

import numpy as np
from scipy import signal

from reference_features import (DEFAULT_ANALYSIS, FORCE, MAX_UPPER_EDGE, MIN_FATIGUE_EPOCHS,
                                ONSET, PEAK_HALF_WIDTH_HZ, TOTAL_BAND_HZ, samples)

NAN = float("nan")


# ----------------------------------------------------------------------------- helpers

def window_count(n, w, h):
    """DESIGN.md's window rule: windows k = 0, 1, ... while kH + W <= N."""
    return (n - w) // h + 1 if n >= w else 0


def prefix_sums(v):
    """Cumulative sums along the last axis with a leading 0, so that the sum of
    v[..., s:s+w] is c[..., s+w] - c[..., s]."""
    c = np.zeros(v.shape[:-1] + (v.shape[-1] + 1,))
    np.cumsum(v, axis=-1, out=c[..., 1:])
    return c


def window_sums(v, w, h):
    """(…, windows) sums of the window rule's windows of v along its last axis."""
    c = prefix_sums(v)
    starts = np.arange(window_count(v.shape[-1], w, h)) * h
    return c[..., starts + w] - c[..., starts]


def lowest_mean_window(x, w):
    """Per row of x: start of the w-sample window of lowest mean among windows starting
    every w//10 samples (the first one on ties), its mean and SD (ddof = 1)."""
    h = max(w // 10, 1)
    if x.shape[-1] < w or w < 2:
        return None
    means = window_sums(x, w, h) / w
    best = np.argmin(means, axis=-1)
    starts = best * h
    rows = np.arange(x.shape[0])
    block = x[rows[:, None], starts[:, None] + np.arange(w)]
    return starts, means[rows, best], np.std(block, axis=-1, ddof=1)


def mean_finite(v, axis=-1):
    v = np.asarray(v, dtype=float)
    finite = np.isfinite(v)
    count = finite.sum(axis=axis)
    total = np.where(finite, v, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), NAN)


def safe_ratio(a, b):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), NAN)


def run_lengths(flags):
    """Per element of a boolean 1-D array: how many consecutive True end there (0 where
    False)."""
    idx = np.arange(len(flags))
    last_false = np.maximum.accumulate(np.where(flags, -1, idx))
    return idx - last_false


def runs(flags):
    """Starts, lengths and values of the maximal runs of equal values of a boolean array."""
    edges = np.flatnonzero(np.diff(flags.astype(np.int8))) + 1
    starts = np.concatenate([[0], edges])
    lengths = np.diff(np.concatenate([starts, [len(flags)]]))
    return starts, lengths, flags[starts]


# -------------------------------------------------------------------------- settings

class Settings:
    """Filters and window sizes in samples, from a montage dict (parsed TOML)."""

    def __init__(self, montage):
        fs = self.fs = float(montage["sample_rate_hz"])
        a = self.a = {**DEFAULT_ANALYSIS, **montage.get("analysis", {})}
        if a["notch"] != "off":
            raise ValueError("vector_features implements notch = \"off\" only")
        self.band = (a["bandpass_hz"][0], min(a["bandpass_hz"][1], MAX_UPPER_EDGE * fs))
        self.bandpass = signal.butter(2, self.band, "bandpass", fs=fs, output="sos")
        self.envelope = signal.butter(2, a["envelope_lowpass_hz"], "lowpass", fs=fs,
                                      output="sos")
        self.onset_lowpass = (signal.butter(2, ONSET["lowpass_hz"], "lowpass", fs=fs,
                                            output="sos")
                              if ONSET["lowpass_hz"] < MAX_UPPER_EDGE * fs else None)
        self.force_lowpass = (signal.butter(2, FORCE["lowpass_hz"], "lowpass", fs=fs,
                                            output="sos")
                              if FORCE["lowpass_hz"] < MAX_UPPER_EDGE * fs else None)
        self.rms = (samples(a["rms_window_s"], fs, 2), samples(a["rms_hop_s"], fs))
        self.cci = (samples(a["cci_window_s"], fs, 2), samples(a["cci_hop_s"], fs))
        self.epoch = samples(a["fatigue_epoch_s"], fs, 2)
        self.segment = samples(a["tremor_segment_s"], fs, 2)
        self.tremor = (samples(a["tremor_window_s"], fs), samples(a["tremor_hop_s"], fs))


def centres(rows, w, h, fs):
    return (np.arange(rows) * h + w / 2) / fs


# -------------------------------------------------------------------------- features

def bandpass(x, s):
    """y: the zero-phase band-passed EMG, (channels, samples)."""
    return signal.sosfiltfilt(s.bandpass, x, axis=-1)


def activation(y, mvc, s):
    """RMS per window (channels, rows), pct_mvc (NaN rows for channels without mvc)."""
    w, h = s.rms
    rms = np.sqrt(window_sums(y * y, w, h) / w)
    return rms, 100.0 * rms / mvc[:, None]


def envelope(y, mvc, s):
    """Linear envelope: low-passed |y|, clipped at 0, in %MVC where mvc is set."""
    e = np.maximum(signal.sosfiltfilt(s.envelope, np.abs(y), axis=-1), 0.0)
    scale = np.where(np.isnan(mvc), 1.0, 100.0 / mvc)
    return e * scale[:, None]


def cocontraction(env_a, env_b, both_mvc, s):
    """Falconer-Winter and Rudolph indices per pair (rows of env_a, env_b) and CCI window;
    NaN where both channels have mvc and both window means are below inactive_pct_mvc."""
    w, h = s.cci
    lo, hi = np.minimum(env_a, env_b), np.maximum(env_a, env_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        rudolph_terms = np.where(hi > 0, lo / np.where(hi > 0, hi, 1.0) * (lo + hi), 0.0)
    sum_lo = window_sums(lo, w, h)
    sum_total = window_sums(env_a + env_b, w, h)
    fw = 100.0 * 2.0 * safe_ratio(sum_lo, sum_total)
    rudolph = window_sums(rudolph_terms, w, h) / w
    threshold = s.a["inactive_pct_mvc"]
    inactive = (both_mvc[:, None] & (window_sums(env_a, w, h) / w < threshold)
                & (window_sums(env_b, w, h) / w < threshold))
    return np.where(inactive, NAN, fw), np.where(inactive, NAN, rudolph)


def segment_spectra(x, s, grid, keep_bins):
    """One-sided Welch density of every segment starting on the grid (segments, bins), only
    the first keep_bins bins: linear detrend, periodic Hann, as scipy's welch scales it."""
    seg = s.segment
    v = np.lib.stride_tricks.sliding_window_view(x, seg)[::grid]
    t = np.arange(seg) - (seg - 1) / 2.0
    detrended = v - v.mean(axis=-1, keepdims=True)
    detrended -= np.outer(v @ t / (t @ t), t)
    window = signal.get_window("hann", seg)
    p = np.abs(np.fft.rfft(detrended * window, axis=-1)[:, :keep_bins]) ** 2
    p /= s.fs * (window * window).sum()
    last = seg // 2  # Nyquist bin (even seg) is not doubled; the DC bin never is
    p[:, 1:min(keep_bins, last + (seg % 2))] *= 2.0
    return p


def band_power(f, p, lo, hi):
    return p[..., (f >= lo) & (f <= hi)].sum(axis=-1) * (f[1] - f[0])


def peak_frequency(f, p, lo, hi, n_bins):
    """First bin of largest power in [lo, hi] per row, parabola-refined at a local
    maximum (not at the ends of the n_bins-long spectrum, nor where it is flat)."""
    band = np.flatnonzero((f >= lo) & (f <= hi))
    if band.size == 0:
        return np.full(p.shape[0], NAN)
    k = band[0] + np.argmax(p[:, band], axis=-1)
    rows = np.arange(p.shape[0])
    inner = (k > 0) & (k + 1 < n_bins)
    kk = np.clip(k, 1, p.shape[1] - 2)
    a, b, c = p[rows, kk - 1], p[rows, kk], p[rows, kk + 1]
    curvature = a - 2.0 * b + c
    refine = inner & (a <= b) & (c <= b) & (curvature != 0) & np.isfinite(curvature)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = (f[1] - f[0]) * 0.5 * (a - c) / curvature
    return f[k] + np.where(refine, shift, 0.0)


def tremor_measures(f, p, s, n_bins):
    """Columns of the tremor table and the alarm's inputs, per row of p."""
    lo, hi = s.a["tremor_band_hz"]
    alo, ahi = s.a["alarm_band_hz"]
    total = band_power(f, p, *TOTAL_BAND_HZ)
    bp = band_power(f, p, lo, hi)
    abp = band_power(f, p, alo, ahi)
    apeak = peak_frequency(f, p, alo, ahi, n_bins)
    near = ((f >= (apeak - PEAK_HALF_WIDTH_HZ)[:, None])
            & (f <= (apeak + PEAK_HALF_WIDTH_HZ)[:, None]))
    around = np.where(np.isfinite(apeak), (p * near).sum(axis=-1) * (f[1] - f[0]), NAN)
    return {"band_power": bp, "relative_power": safe_ratio(bp, total),
            "peak_hz": peak_frequency(f, p, lo, hi, n_bins),
            "alarm_band_power": abp, "alarm_relative_power": safe_ratio(abp, total),
            "alarm_peak_hz": apeak, "peak_concentration": safe_ratio(around, abp)}


def tremor_alarm(m, s):
    """METHODS.md C.4 over one channel's tremor rows: (on per update, start rows, end rows,
    first tested row). The streak state machine becomes run lengths of the rule."""
    a = s.a
    w, h = s.tremor
    rows = len(m["alarm_band_power"])
    baseline_n = max(window_count(samples(a["alarm_baseline_s"], s.fs, 0), w, h), 1)
    if rows <= baseline_n:
        return np.zeros(0, bool), np.zeros(0, int), np.zeros(0, int), baseline_n
    seen = m["alarm_band_power"][:baseline_n]
    baseline = np.where(np.isfinite(seen), seen, 0.0).sum() / baseline_n
    tested = slice(baseline_n, rows)
    with np.errstate(invalid="ignore"):
        meets = ((m["alarm_band_power"][tested] >= a["alarm_power_ratio"] * baseline)
                 & (m["alarm_relative_power"][tested] >= a["alarm_min_relative_power"])
                 & (m["peak_concentration"][tested] >= a["alarm_min_peak_concentration"])
                 & (m["alarm_peak_hz"][tested] >= a["alarm_band_hz"][0])
                 & (m["alarm_peak_hz"][tested] <= a["alarm_band_hz"][1]))
    on = run_lengths(meets) >= max(a["alarm_consecutive"], 1)
    before = np.concatenate([[False], on[:-1]])
    return (on, np.flatnonzero(on & ~before) + baseline_n,
            np.flatnonzero(~on & before) + baseline_n, baseline_n)


def welch_stacked(xc, s, keep):
    """The textbook alternative to segment_spectra: scipy's welch on the stacked (windows,
    samples) view of every tremor window, then on the whole channel for the summary; each
    segment is transformed once per window that holds it. Returns (per window, summary)."""
    w, h = s.tremor
    seg = s.segment

    def welch(v):
        return signal.welch(v, s.fs, window="hann", nperseg=seg, noverlap=seg // 2,
                            detrend="linear", scaling="density", axis=-1)[1][..., :keep]

    return welch(np.lib.stride_tricks.sliding_window_view(xc, w)[::h]), welch(xc)


def tremor(x, s, welch="shared"):
    """Per tremor channel (rows of x): the window rows, the whole-channel summary and the
    alarm. Returns a dict of (channels, rows) tables, summary columns and alarm changes.
    welch = "shared" transforms each distinct segment once (as the engine does);
    "stacked" calls scipy.signal.welch on the stacked windows (see welch_stacked)."""
    w, h = s.tremor
    seg, step = s.segment, s.segment - s.segment // 2
    n = x.shape[-1]
    grid = math.gcd(h, step)
    f_all = np.fft.rfftfreq(seg, 1.0 / s.fs)
    top = max(TOTAL_BAND_HZ[1], s.a["tremor_band_hz"][1],
              s.a["alarm_band_hz"][1] + PEAK_HALF_WIDTH_HZ)
    keep = min(int(np.searchsorted(f_all, top, side="right")) + 2, len(f_all))
    f = f_all[:keep]
    rows = window_count(n, w, h)
    per_window = 1 + (w - seg) // step
    # Grid index of segment j of window k: (k h + j step) / grid.
    members = (np.arange(rows)[:, None] * h + np.arange(per_window) * step) // grid
    summary_members = np.arange(window_count(n, seg, step)) * step // grid
    tables = {key: np.full((x.shape[0], rows), NAN) for key in
              ("band_power", "relative_power", "peak_hz")}
    summary = {key: np.full(x.shape[0], NAN) for key in
               ("peak_hz", "band_power", "relative_power", "alarm_seconds")}
    changes = []
    for c, xc in enumerate(x):
        if n < seg:
            continue
        if welch == "stacked":
            per_window, summary_psd = welch_stacked(xc, s, keep)
        else:
            spectra = segment_spectra(xc, s, grid, keep)
            per_window = spectra[members].mean(axis=1)
            summary_psd = spectra[summary_members].mean(axis=0)
        m = tremor_measures(f, per_window, s, len(f_all))
        for key in tables:
            tables[key][c] = m[key]
        whole = tremor_measures(f, summary_psd[None, :], s, len(f_all))
        for key in ("peak_hz", "band_power", "relative_power"):
            summary[key][c] = whole[key][0]
        on, starts, ends, _ = tremor_alarm(m, s)
        summary["alarm_seconds"][c] = on.sum() * h / s.fs
        times = centres(rows, w, h, s.fs)
        changes += [(times[r], "tremor_alarm_start", c, m["alarm_peak_hz"][r]) for r in starts]
        changes += [(times[r], "tremor_alarm_end", c, NAN) for r in ends]
    return tables, summary, changes


def fatigue(y, mvc, s):
    """MDF and MNF per epoch (channels, epochs) from one periodogram call, the epochs' RMS,
    and the summary line fit over active epochs."""
    ep = s.epoch
    epochs = y.shape[-1] // ep
    v = y[:, :epochs * ep].reshape(y.shape[0], epochs, ep)
    f, p = signal.periodogram(v, s.fs, window="hann", detrend="constant", scaling="density",
                              axis=-1)
    keep = (f >= s.band[0]) & (f <= s.band[1])
    fb, pb = f[keep], p[..., keep]
    total = pb.sum(axis=-1)
    ok = total > 0
    c = np.cumsum(pb, axis=-1)
    half = c[..., -1:] / 2.0
    k = np.argmax(c >= half, axis=-1)[..., None]
    ck = np.take_along_axis(c, k, -1)
    cprev = np.where(k == 0, 0.0, np.take_along_axis(c, np.maximum(k - 1, 0), -1))
    fk, fprev = fb[k], fb[np.maximum(k - 1, 0)]
    with np.errstate(invalid="ignore", divide="ignore"):
        mdf = np.where(k == 0, fk, fprev + (half - cprev) / (ck - cprev) * (fk - fprev))[..., 0]
        mnf = (pb * fb).sum(axis=-1) / total
    mdf, mnf = np.where(ok, mdf, NAN), np.where(ok, mnf, NAN)
    rms = np.sqrt(window_sums(y * y, ep, ep) / ep)
    times = centres(epochs, ep, ep, s.fs)
    with np.errstate(invalid="ignore"):
        active = np.isfinite(mdf) & (np.isnan(mvc)[:, None] | (
            100.0 * rms / mvc[:, None] >= s.a["fatigue_min_pct_mvc"]))
    fit = {key: np.full(y.shape[0], NAN) for key in
           ("mdf_initial_hz", "mdf_slope_hz_per_s", "mdf_slope_pct_per_s", "r2")}
    fit["active_epochs"] = active.sum(axis=-1).astype(float)
    for ch in range(y.shape[0]):  # one least-squares line per channel
        t, m = times[active[ch]], mdf[ch, active[ch]]
        if len(t) < MIN_FATIGUE_EPOCHS:
            continue
        dt, dm = t - t.mean(), m - m.mean()
        slope = (dt @ dm) / (dt @ dt)
        intercept = m.mean() - slope * t.mean()
        ss_tot = dm @ dm
        residual = m - intercept - slope * t
        initial = intercept + slope * t[0]
        fit["mdf_initial_hz"][ch] = initial
        fit["mdf_slope_hz_per_s"][ch] = slope
        fit["mdf_slope_pct_per_s"][ch] = 100.0 * slope / initial
        fit["r2"][ch] = 1.0 - (residual @ residual) / ss_tot if ss_tot > 0 else NAN
    return mdf, mnf, fit


def centred_mean(x, w):
    """Mean over [i - w//2, i - w//2 + w) cut to the signal, for every i, per row."""
    n = x.shape[-1]
    c = prefix_sums(x)
    i = np.arange(n)
    lo = np.maximum(i - w // 2, 0)
    hi = np.minimum(i - w // 2 + w, n)
    return (c[..., hi] - c[..., lo]) / (hi - lo)


def onsets(y, s):
    """The three onset detectors (reference_features.py, item 6) on every EMG channel: a
    list per channel of (kind, sample) over all three detectors."""
    n = y.shape[-1]
    rect = np.abs(y)
    psi = np.zeros_like(y)
    if n >= 3:
        psi[:, 1:-1] = y[:, 1:-1] ** 2 - y[:, :-2] * y[:, 2:]
        psi[:, 0], psi[:, -1] = psi[:, 1], psi[:, -2]
    tests = []
    for x in (rect, np.abs(psi)):
        if s.onset_lowpass is not None:
            x = signal.sosfiltfilt(s.onset_lowpass, x, axis=-1)
        tests.append(centred_mean(x, samples(ONSET["window_s"], s.fs)))
    skip = samples(ONSET["skip_s"], s.fs)
    w = max(samples(ONSET["rest_window_s"], s.fs), 2)
    count = max(n - skip, 0) // w
    out = [[] for _ in range(y.shape[0])]
    if count == 0:
        return out

    def windows(x):
        return x[:, skip:skip + count * w].reshape(x.shape[0], count, w)

    hb_means = windows(tests[0]).mean(axis=-1)
    keep = max(1, math.ceil(ONSET["rest_fraction"] * count))
    order = np.argsort(hb_means, axis=-1, kind="stable")[:, :keep]
    lowest = np.take_along_axis(hb_means, order[:, :1], axis=-1)
    chosen = np.take_along_axis(hb_means, order, axis=-1) <= ONSET["rest_spread"] * lowest
    rest = np.zeros_like(hb_means, dtype=bool)
    np.put_along_axis(rest, order, chosen, axis=-1)
    weight = rest[:, :, None].astype(float)
    pooled_n = rest.sum(axis=-1) * w

    def pooled(x):
        win = windows(x)
        mean = (win * weight).sum(axis=(1, 2)) / pooled_n
        var = (((win - mean[:, None, None]) ** 2) * weight).sum(axis=(1, 2)) / (pooled_n - 1)
        square = ((win ** 2) * weight).sum(axis=(1, 2)) / pooled_n
        return mean, np.sqrt(var), square

    p = 1.0 - (1.0 - ONSET["pfa"]) ** (1.0 / ONSET["m"])
    zeta = -2.0 * math.log(p)
    a = s.a
    min_on, min_off = samples(a["onset_min_active_s"], s.fs), samples(a["onset_min_gap_s"], s.fs)
    hb, tk = (pooled(x) for x in tests)
    _, _, noise = pooled(rect)
    pairs = n // 2
    energy = rect[:, 0:2 * pairs:2] ** 2 + rect[:, 1:2 * pairs:2] ** 2
    over = (energy > zeta * noise[:, None]).astype(int)
    c = np.concatenate([np.zeros((y.shape[0], 1), dtype=int), np.cumsum(over, axis=-1)], axis=-1)
    j = np.arange(pairs)
    recent = c[:, j + 1] - c[:, np.maximum(j + 1 - ONSET["m"], 0)]
    done = np.concatenate([np.zeros((y.shape[0], 1)), recent], axis=-1)
    bonato = done[:, (np.arange(n) + 1) // 2]
    for ch in range(y.shape[0]):  # run lengths differ per channel
        for test, threshold, ok in (
                (tests[0][ch], hb[0][ch] + ONSET["k"] * hb[1][ch], hb[1][ch] > 0),
                (tests[1][ch], tk[0][ch] + ONSET["tkeo_k"] * tk[1][ch], tk[1][ch] > 0),
                (bonato[ch], 1.0, noise[ch] > 0)):
            if not ok:
                continue
            starts, lengths, above = runs(test[skip:] >= threshold)
            active, first = False, None
            for st, length, up in zip(starts + skip, lengths, above):
                if up:
                    first = st if first is None else first
                    if not active and st + length - first >= min_on:
                        active = True
                        out[ch].append(("onset", int(first)))
                elif first is not None and length >= min_off:
                    if active:
                        out[ch].append(("offset", int(st)))
                    active, first = False, None
    return out


def force_channel(x, mu, sigma, s):
    """Onsets, RFD, peak RFD and steadiness of one low-passed force channel."""
    n, fs = len(x), s.fs
    peak = x.max() - mu
    gate_level = mu + FORCE["gate"] * peak
    rest_level = mu + FORCE["k_sigma"] * sigma
    rearm_level = 0.5 * (min(rest_level, gate_level) + gate_level)
    above_gate = np.flatnonzero(x > gate_level)
    not_above = np.flatnonzero(x <= gate_level)
    quiet = np.flatnonzero(x <= rest_level)
    rearm = np.flatnonzero(x <= rearm_level)
    rfd_k = [samples(t, fs) for t in FORCE["rfd_s"]]
    slope_w, span = samples(FORCE["slope_s"], fs), samples(FORCE["span_s"], fs)
    contractions, i, earliest = [], 0, 0
    while peak > 0 and math.isfinite(sigma):  # one pass per contraction
        j = np.searchsorted(above_gate, i)
        if j == len(above_gate):
            break
        gate = int(above_gate[j])
        q = np.searchsorted(quiet, gate, side="right") - 1
        onset = int(quiet[q]) + 1 if q >= 0 and quiet[q] >= earliest else earliest
        r = np.searchsorted(not_above, gate)
        release = int(not_above[r]) if r < len(not_above) else n
        rfd = [(x[onset + k] - x[onset]) / (k / fs) if onset + k < n else NAN for k in rfd_k]
        end = min(onset + span, n)
        slopes = (x[onset + slope_w:end] - x[onset:end - slope_w]) / (slope_w / fs)
        cv = NAN
        if release - gate >= FORCE["min_hold_s"] * fs:
            trim = (release - gate) // 5
            hold = x[gate + trim:release - trim]
            cv = 100.0 * np.std(signal.detrend(hold, type="linear"), ddof=1) / hold.mean()
        contractions.append({"onset": onset, "rfd": rfd,
                             "rfd_peak": slopes.max() if slopes.size else NAN, "cv": cv})
        a = np.searchsorted(rearm, release)
        i = earliest = int(rearm[a]) if a < len(rearm) else n
    return contractions


def force(x, s):
    """Summary columns per force channel (rows of x) and the onsets per channel."""
    if s.force_lowpass is not None:
        x = signal.sosfiltfilt(s.force_lowpass, x, axis=-1)
    w = samples(FORCE["window_s"], s.fs)
    cols = {key: np.full(x.shape[0], NAN) for key in
            ("peak", "mvc_500ms", "rfd_50", "rfd_100", "rfd_200", "rfd_peak",
             "steadiness_cv", "onsets")}
    found = lowest_mean_window(x, w)
    if found is None:
        return cols, [[] for _ in x]
    _, mu, sigma = found
    cols["peak"] = x.max(axis=-1) - mu
    cols["mvc_500ms"] = (window_sums(x, w, 1) / w).max(axis=-1) - mu
    all_onsets = []
    for ch in range(x.shape[0]):
        contractions = force_channel(x[ch], mu[ch], sigma[ch], s)
        for j, key in enumerate(("rfd_50", "rfd_100", "rfd_200")):
            cols[key][ch] = mean_finite([o["rfd"][j] for o in contractions])
        cols["rfd_peak"][ch] = mean_finite([o["rfd_peak"] for o in contractions])
        cols["steadiness_cv"][ch] = mean_finite([o["cv"] for o in contractions])
        cols["onsets"][ch] = len(contractions)
        all_onsets.append(contractions)
    return cols, all_onsets


def symmetry(left, right):
    """Robinson SI, LSI and the weaker side, elementwise."""
    with np.errstate(invalid="ignore", divide="ignore"):
        total, hi = left + right, np.maximum(left, right)
        si = np.where(total != 0, 100.0 * (right - left) / (0.5 * total), NAN)
        lsi = np.where(hi > 0, 100.0 * np.minimum(left, right) / hi, NAN)
    finite = np.isfinite(left) & np.isfinite(right)
    weaker = np.where(finite, np.where(left <= right, "left", "right"), "")
    return si, lsi, weaker


# --------------------------------------------------------------------------- analyze

def analyze(x, montage, welch="shared"):
    """x: (channels, samples) float64, channels in montage order; montage: the parsed TOML;
    welch: how tremor spectra are computed, "shared" or "stacked" (see tremor).

    Returns {"features": {group: {"time_s", "columns", table: (rows, columns)}},
    "summary": {group: {"names", column: array}}, "events": {kind: count}} with the
    groups, tables and columns of the HDF5 file (format v1)."""
    s = Settings(montage)
    chans = montage["channels"]
    names = [c["name"] for c in chans]
    index = {name: i for i, name in enumerate(names)}
    mvc_all = np.array([float(c.get("mvc", NAN)) for c in chans])
    emg = [i for i, c in enumerate(chans) if c["kind"] == "emg"]
    forces = [i for i, c in enumerate(chans) if c["kind"] == "force"]
    tremor_ch = [i for i, c in enumerate(chans) if c["kind"] in ("force", "accel", "emg")]
    n = x.shape[-1]
    features, summary, events = {}, {}, {}

    def count(kind, k=1):
        events[kind] = events.get(kind, 0) + k

    ys = {}
    if emg:
        mvc = mvc_all[emg]
        y = bandpass(x[emg], s)
        ys = {ch: row for ch, row in zip(emg, y)}
        rms, pct = activation(y, mvc, s)
        w, h = s.rms
        emg_names = [names[i] for i in emg]
        features["activation"] = {"time_s": centres(rms.shape[1], w, h, s.fs),
                                  "columns": emg_names, "rms": rms.T, "pct_mvc": pct.T}
        summary["activation"] = {"names": emg_names, "rms_mean": mean_finite(rms),
                                 "pct_mvc_mean": mean_finite(pct)}
        mdf, mnf, fit = fatigue(y, mvc, s)
        features["fatigue"] = {"time_s": centres(mdf.shape[1], s.epoch, s.epoch, s.fs),
                               "columns": emg_names, "mdf_hz": mdf.T, "mnf_hz": mnf.T}
        summary["fatigue"] = {"names": emg_names, **fit}
        for transitions in onsets(y, s):
            for kind, _ in transitions:
                count(kind)

        pairs = montage.get("pairs", [])
        if pairs:
            env = envelope(y, mvc, s)
            row = {ch: r for r, ch in enumerate(emg)}
            ia = [row[index[p["agonist"]]] for p in pairs]
            ib = [row[index[p["antagonist"]]] for p in pairs]
            both = ~np.isnan(mvc[ia]) & ~np.isnan(mvc[ib])
            fw, rudolph = cocontraction(env[ia], env[ib], both, s)
            w, h = s.cci
            features["cocontraction"] = {"time_s": centres(fw.shape[1], w, h, s.fs),
                                         "columns": [p["name"] for p in pairs],
                                         "fw": fw.T, "rudolph": rudolph.T}
            summary["cocontraction"] = {"names": [p["name"] for p in pairs],
                                        "fw_mean": mean_finite(fw),
                                        "rudolph_mean": mean_finite(rudolph)}

    force_cols = None
    if forces:
        force_cols, force_onsets = force(x[forces], s)
        summary["force"] = {"names": [names[i] for i in forces], **force_cols}
        count("onset", sum(len(o) for o in force_onsets))

    if tremor_ch:
        inputs = np.stack([np.abs(ys[i]) if i in ys else x[i] for i in tremor_ch])
        tables, whole, changes = tremor(inputs, s, welch)
        w, h = s.tremor
        columns = [names[i] for i in tremor_ch]
        features["tremor"] = {"time_s": centres(window_count(n, w, h), w, h, s.fs),
                              "columns": columns, **{k: v.T for k, v in tables.items()}}
        summary["tremor"] = {"names": columns, **whole}
        for _, kind, _, _ in changes:
            count(kind)

    bilateral = montage.get("bilateral", [])
    if bilateral:
        act = summary.get("activation")

        def value(i, both):
            if chans[i]["kind"] == "emg":
                k = emg.index(i)
                return act["pct_mvc_mean" if both else "rms_mean"][k]
            if chans[i]["kind"] == "force":
                return force_cols["mvc_500ms"][forces.index(i)]
            return NAN

        left, right = [], []
        for b in bilateral:
            li, ri = index[b["left"]], index[b["right"]]
            both = not (np.isnan(mvc_all[li]) or np.isnan(mvc_all[ri]))
            left.append(value(li, both))
            right.append(value(ri, both))
        si, lsi, weaker = symmetry(np.array(left), np.array(right))
        summary["symmetry"] = {"names": [b["name"] for b in bilateral], "si_percent": si,
                               "lsi_percent": lsi, "weaker": weaker}
    return {"features": features, "summary": summary, "events": events}
