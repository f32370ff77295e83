#!/usr/bin/env python3
"""Writes the golden vectors under fixtures/ with numpy/scipy.

Every file is generated here and never edited by hand. Rust tests read them; they never need
Python. Regenerate with:  $(scripts/pyenv) scripts/gen_fixtures.py

Signals are seeded, lengths are deliberately odd or awkward, rates cover 1000, 2000 and
2048 Hz. Where scipy refuses a signal shorter than its zero-phase padding, the vector is
made with padlen = len - 1, the rule myobalance follows for such signals.

features.json holds small synthetic recordings with every v1 feature, event and summary
value computed by reference_features.py, for the whole engine (tests/it/engine_golden.rs).
`gen_fixtures.py features` writes only that file.
"""
import base64
import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy import signal

import reference_features

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures"
RNG = np.random.default_rng(20261123)


def write(name, payload):
    OUT.mkdir(exist_ok=True)
    payload = {"generated_by": "scripts/gen_fixtures.py", "numpy": np.__version__,
               "scipy": scipy.__version__, **payload}
    text = json.dumps(payload, separators=(",", ":"), allow_nan=False)
    (OUT / f"{name}.json").write_text(text + "\n")
    print(f"fixtures/{name}.json  {len(text) / 1024:.0f} KiB")


def arr(x):
    return np.asarray(x, dtype=float).tolist()


def emg_like(n, fs, channels=1):
    """Seeded noise with a DC offset, a slow drift and a mains component."""
    t = np.arange(n) / fs
    x = RNG.standard_normal((channels, n)) * 50.0
    x += 30.0 + 20.0 * np.sin(2 * np.pi * 0.7 * t) + 10.0 * np.sin(2 * np.pi * 50.0 * t)
    return x


def band_edges(lo, hi, fs):
    return [lo, min(hi, 0.45 * fs)]


def butter_cases():
    cases = []
    for fs in (1000.0, 2000.0, 2048.0):
        for order in (1, 2, 3, 4, 5, 8):
            for btype, freqs in (("lowpass", [6.0]), ("lowpass", [0.3 * fs]),
                                 ("highpass", [20.0]), ("highpass", [10.0]),
                                 ("bandpass", band_edges(20.0, 450.0, fs)),
                                 ("bandpass", [4.0, 12.0]), ("bandstop", [48.0, 52.0])):
                wn = freqs[0] if len(freqs) == 1 else freqs
                sos = signal.butter(order, wn, btype, fs=fs, output="sos")
                cases.append({"order": order, "btype": btype, "freqs": freqs, "fs": fs,
                              "sos": arr(sos)})
    notches = []
    for fs in (1000.0, 2000.0, 2048.0):
        for f0 in (50.0, 60.0):
            for q in (30.0, 20.0):
                b, a = signal.iirnotch(f0, q, fs=fs)
                notches.append({"f0": f0, "q": q, "fs": fs, "b": arr(b), "a": arr(a)})
    write("butter", {"butter": cases, "notch": notches})


def filter_cases():
    designs = [
        ("bandpass 2 [20,450] @2000", signal.butter(2, [20, 450], "bandpass", fs=2000, output="sos"), 2000.0),
        ("lowpass 2 6 @1000", signal.butter(2, 6, "lowpass", fs=1000, output="sos"), 1000.0),
        ("bandpass 2 [20,450] @2048", signal.butter(2, [20, 450], "bandpass", fs=2048, output="sos"), 2048.0),
        ("bandpass 4 [20,450] @2048", signal.butter(4, [20, 450], "bandpass", fs=2048, output="sos"), 2048.0),
        ("lowpass 3 150 @2000", signal.butter(3, 150, "lowpass", fs=2000, output="sos"), 2000.0),
        ("highpass 5 10 @1000", signal.butter(5, 10, "highpass", fs=1000, output="sos"), 1000.0),
        ("notch 50 Q30 @2000", np.hstack(signal.iirnotch(50, 30, fs=2000))[None, :], 2000.0),
    ]
    causal, zero_phase = [], []
    for name, sos, fs in designs:
        for n, channels in ((1001, 2), (777, 1)):
            x = emg_like(n, fs, channels)
            y = signal.sosfilt(sos, x, axis=-1)
            zi = signal.sosfilt_zi(sos)
            y_settled = np.stack([signal.sosfilt(sos, c, zi=zi * c[0])[0] for c in x])
            causal.append({"name": name, "fs": fs, "sos": arr(sos), "x": arr(x), "y": arr(y),
                           "y_settled": arr(y_settled)})
            zero_phase.append({"name": name, "fs": fs, "sos": arr(sos), "x": arr(x),
                               "y": arr(signal.sosfiltfilt(sos, x, axis=-1)),
                               "padlen": 3 * (2 * len(sos) + 1 - min(int((sos[:, 2] == 0).sum()),
                                                                   int((sos[:, 5] == 0).sum())))})
    # Shorter than (or as long as) the default padding: padlen = len - 1.
    sos = designs[0][1]
    for n in (1, 2, 5, 10, 15, 16):
        x = emg_like(n, 2000.0, 2)
        default = 3 * (2 * len(sos) + 1)
        padlen = default if n > default else n - 1
        zero_phase.append({"name": f"short n={n}", "fs": 2000.0, "sos": arr(sos), "x": arr(x),
                           "y": arr(signal.sosfiltfilt(sos, x, axis=-1, padlen=padlen)),
                           "padlen": padlen})
    write("sosfilt", {"cases": causal})
    write("sosfiltfilt", {"cases": zero_phase})


def clip(v):
    return np.maximum(v, 0.0)


def envelope_cases():
    cases = []
    for fs, n in ((2000.0, 2001), (1000.0, 1499), (2048.0, 1535)):
        t = np.arange(n) / fs
        bp = signal.butter(2, band_edges(20, 450, fs), "bandpass", fs=fs, output="sos")
        y = signal.sosfiltfilt(bp, emg_like(n, fs)[0] * (1.2 + np.sin(2 * np.pi * 1.1 * t)))
        lp = signal.butter(2, 6.0, "lowpass", fs=fs, output="sos")
        cases.append({"fs": fs, "lowpass_hz": 6.0, "x": arr(y),
                      "zero_phase": arr(clip(signal.sosfiltfilt(lp, np.abs(y)))),
                      "causal": arr(clip(signal.sosfilt(lp, np.abs(y))))})
    write("envelope", {"cases": cases})


def window_rms(x, fs, window_s, hop_s):
    w, h = round(window_s * fs), round(hop_s * fs)
    starts = range(0, len(x) - w + 1, h)
    return [float(np.sqrt(np.mean(x[s:s + w] ** 2))) for s in starts], \
           [(s + w / 2) / fs for s in starts]


def rms_cases():
    cases = []
    for fs, n, window_s, hop_s in ((1000.0, 1234, 0.25, 0.05), (2000.0, 2001, 0.25, 0.05),
                                   (2048.0, 3000, 0.1, 0.033)):
        x = emg_like(n, fs)[0]
        rms, time_s = window_rms(x, fs, window_s, hop_s)
        cases.append({"fs": fs, "window_s": window_s, "hop_s": hop_s, "x": arr(x),
                      "rms": rms, "time_s": time_s})
    write("rms", {"cases": cases})


def band_mask(f, lo, hi):
    return (f >= lo) & (f <= hi)


def band_power(f, p, lo, hi):
    return float(np.sum(p[band_mask(f, lo, hi)]) * (f[1] - f[0]))


def peak_hz(f, p, lo, hi):
    idx = np.flatnonzero(band_mask(f, lo, hi))
    k = idx[np.argmax(p[idx])]
    if k == 0 or k + 1 >= len(p):
        return float(f[k])
    a, b, c = p[k - 1], p[k], p[k + 1]
    return float(f[k] + (f[1] - f[0]) * 0.5 * (a - c) / (a - 2 * b + c))


def mnf(f, p, lo, hi):
    m = band_mask(f, lo, hi)
    return float(np.sum(f[m] * p[m]) / np.sum(p[m]))


def mdf(f, p, lo, hi):
    m = band_mask(f, lo, hi)
    ff, pp = f[m], p[m]
    c = np.cumsum(pp)
    half = c[-1] / 2
    k = int(np.argmax(c >= half))
    if k == 0:
        return float(ff[0])
    return float(ff[k - 1] + (half - c[k - 1]) / (c[k] - c[k - 1]) * (ff[k] - ff[k - 1]))


def spectral_cases():
    welch = []
    specs = (  # fs, n, nperseg, noverlap, detrend
        (1000.0, 4000, 2000, 1000, "linear"),   # a 4 s tremor window of 2 s segments
        (2048.0, 2149, 512, 256, "linear"),
        (2000.0, 1001, 256, 128, "constant"),
        (1000.0, 1500, 255, 127, "linear"),     # odd segment: no Nyquist bin
        (2000.0, 3001, 400, 0, "constant"),
    )
    for fs, n, nperseg, noverlap, detrend in specs:
        t = np.arange(n) / fs
        x = 100 + 1.0 * np.sin(2 * np.pi * 9.3 * t) + 0.3 * t + 0.05 * RNG.standard_normal(n)
        f, p = signal.welch(x, fs=fs, window="hann", nperseg=nperseg, noverlap=noverlap,
                            detrend=detrend, scaling="density")
        welch.append({"fs": fs, "nperseg": nperseg, "noverlap": noverlap, "detrend": detrend,
                      "x": arr(x), "f": arr(f), "psd": arr(p),
                      "band_power_4_12": band_power(f, p, 4, 12),
                      "relative_power": band_power(f, p, 4, 12) / band_power(f, p, 1, 30),
                      "peak_hz": peak_hz(f, p, 4, 12)})
    periodograms = []
    for fs, n in ((2000.0, 1000), (2048.0, 1024), (1000.0, 500), (2000.0, 999)):
        bp = signal.butter(2, band_edges(20, 450, fs), "bandpass", fs=fs, output="sos")
        x = signal.sosfiltfilt(bp, emg_like(n + 400, fs)[0])[200:200 + n]
        f, p = signal.periodogram(x, fs=fs, window="hann", detrend="constant",
                                  scaling="density")
        lo, hi = band_edges(20, 450, fs)
        periodograms.append({"fs": fs, "x": arr(x), "f": arr(f), "psd": arr(p),
                             "band_hz": [lo, hi], "mdf_hz": mdf(f, p, lo, hi),
                             "mnf_hz": mnf(f, p, lo, hi)})
    write("spectral", {"welch": welch, "periodogram": periodograms})


# ------------------------------------------------------------------------------------------
# Whole-engine golden vectors: synthetic recordings and every v1 feature of them.

FEATURE_RNG = np.random.default_rng(20261124)
# Smallest distance a yes/no decision of the reference may have from its threshold (in the
# units reference_features.Margins states), so rounding cannot flip it in the engine.
MIN_MARGIN = {"(Hz)": 1e-6, "": 1e-7}


def smooth_spans(t, spans, rise, fall=None):
    """1 inside each (start, end), 0 outside, raised-cosine ramps of rise/fall seconds."""
    fall = rise if fall is None else fall
    out = np.zeros_like(t)
    for start, end in spans:
        up = np.clip((t - start) / rise, 0.0, 1.0)
        down = np.clip((end - t) / fall, 0.0, 1.0)
        out = np.maximum(out, np.minimum(0.5 - 0.5 * np.cos(np.pi * up),
                                         0.5 - 0.5 * np.cos(np.pi * down)))
    return out


def compressing_noise(t, fs, spans, rng):
    """Unit-variance band-limited noise whose spectrum slides from 80-300 Hz down to 30-110 Hz
    through each span (fatigue: MDF falls through a set)."""
    n = len(t)
    bands = ([80.0, min(300.0, 0.45 * fs)], [30.0, 110.0])
    high, low = (signal.sosfilt(signal.butter(2, b, "bandpass", fs=fs, output="sos"),
                                rng.standard_normal(n)) for b in bands)
    high, low = high / high.std(), low / low.std()
    progress = np.zeros(n)
    for start, end in spans:
        inside = (t >= start) & (t < end)
        progress[inside] = (t[inside] - start) / (end - start)
    return np.sqrt(1 - progress) * high + np.sqrt(progress) * low


def emg_channel(t, fs, spans, amplitude, rng, tremor=None, rest_uv=3.0, dc_uv=20.0,
                mains=None):
    """Bursts of band-limited noise over rest noise; `tremor` = (start, end, hz, depth)
    modulates the burst amplitude (the muscle "begins to vibrate")."""
    drive = smooth_spans(t, spans, 0.1)
    if tremor is not None:
        start, end, hz, depth = tremor
        grow = np.clip((t - start) / (end - start), 0, 1) * (t < end)
        drive = drive * (1 + depth * grow * np.sin(2 * np.pi * hz * t))
    x = amplitude * drive * compressing_noise(t, fs, spans, rng)
    x += rest_uv * rng.standard_normal(len(t)) + dc_uv + 5.0 * np.sin(2 * np.pi * 0.3 * t)
    if mains is not None:
        x += 15.0 * np.sin(2 * np.pi * mains * t + 0.4)
    return x


def force_channel(t, rest, contractions, rng, tremor=None, noise=0.15):
    """Ramps (0.15 s) to plateaus with a slow wander, releases (0.3 s), noise; `tremor` =
    (start, end, hz, amplitude) grows over the late plateau."""
    x = np.full(len(t), float(rest))
    for start, end, level in contractions:
        shape = smooth_spans(t, [(start, end)], 0.15, 0.3)
        x += (level - rest) * shape + 0.4 * shape * np.sin(2 * np.pi * 0.7 * t)
    if tremor is not None:
        start, end, hz, amplitude = tremor
        grow = np.clip((t - start) / (end - start), 0, 1) * (t < end)
        x += amplitude * grow * np.sin(2 * np.pi * hz * t)
    return x + noise * rng.standard_normal(len(t))


def quantise(x, scale):
    """Counts of an int16 converter with a power-of-two step: every sample is exact in f32
    (and in f64), as the engine reads it."""
    counts = np.round(x / scale)
    assert np.abs(counts).max() < 32767, "the synthetic signal clips"
    return counts.astype("<i2")


def toml_value(v):
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(e) for e in v) + "]"
    return repr(float(v)) if isinstance(v, float) else str(v)


def montage_toml(m):
    lines = [f"sample_rate_hz = {toml_value(m['sample_rate_hz'])}",
             f"mains_hz = {m['mains_hz']}"]
    for table in ("channels", "pairs", "bilateral"):
        for entry in m.get(table, []):
            lines += ["", f"[[{table}]]"] + [f"{k} = {toml_value(v)}" for k, v in entry.items()]
    if m.get("analysis"):
        lines += ["", "[analysis]"] + [f"{k} = {toml_value(v)}"
                                       for k, v in m["analysis"].items()]
    return "\n".join(lines) + "\n"


def emg_montage_entry(name, side, unit="uV", mvc=None):
    entry = {"name": name, "kind": "emg", "unit": unit, "side": side}
    if mvc is not None:
        entry["mvc"] = mvc
    return entry


def elbow_case():
    """2 kHz, 14 s, both arms: EMG with MVC references (the right side stronger, the right
    elbow co-contracting, the left triceps nearly silent), two force channels with two
    contractions each and tremor late in the second, an accelerometer that shakes at
    9.5 Hz from 7.5 to 9.5 s."""
    fs, seconds, rng = 2000.0, 14.0, FEATURE_RNG
    t = np.arange(int(fs * seconds)) / fs
    sets = [(1.5, 5.0), (7.0, 12.5)]
    late = (9.5, 12.5, 9.0, 0.6)
    montage = {
        "sample_rate_hz": fs, "mains_hz": 50,
        "channels": [emg_montage_entry("biceps_l", "left", mvc=400.0),
                     emg_montage_entry("triceps_l", "left", mvc=300.0),
                     emg_montage_entry("biceps_r", "right", mvc=450.0),
                     emg_montage_entry("triceps_r", "right", mvc=350.0),
                     {"name": "force_l", "kind": "force", "unit": "N", "side": "left"},
                     {"name": "force_r", "kind": "force", "unit": "N", "side": "right"},
                     {"name": "accel_r", "kind": "accel", "unit": "m/s2", "side": "right"}],
        "pairs": [{"name": "elbow_l", "agonist": "biceps_l", "antagonist": "triceps_l"},
                  {"name": "elbow_r", "agonist": "biceps_r", "antagonist": "triceps_r"}],
        "bilateral": [{"name": "biceps", "left": "biceps_l", "right": "biceps_r"},
                      {"name": "triceps", "left": "triceps_l", "right": "triceps_r"},
                      {"name": "force", "left": "force_l", "right": "force_r"}],
        "analysis": {"alarm_baseline_s": 4.0},
    }
    shake = smooth_spans(t, [(7.5, 9.5)], 0.3)
    columns = [
        (emg_channel(t, fs, sets, 150.0, rng, late), 0.125),
        (emg_channel(t, fs, sets, 8.0, rng), 0.125),
        (emg_channel(t, fs, sets, 260.0, rng, late), 0.125),
        (emg_channel(t, fs, [(1.6, 5.0), (7.1, 12.5)], 140.0, rng, late), 0.125),
        (force_channel(t, 8.0, [(2.0, 5.0, 120.0), (7.3, 12.3, 130.0)], rng,
                       (9.5, 12.3, 9.0, 2.0)), 2.0 ** -6),
        (force_channel(t, 10.0, [(2.05, 5.0, 180.0), (7.35, 12.3, 190.0)], rng,
                       (9.5, 12.3, 9.5, 2.5)), 2.0 ** -6),
        (9.81 + 0.03 * rng.standard_normal(len(t))
         + 0.4 * shake * np.sin(2 * np.pi * 9.5 * t), 2.0 ** -10),
    ]
    return "elbow_2k_mvc", montage, columns


def knee_case():
    """1 kHz, 12 s, 60 Hz mains with the notch on, band-pass asked up to 480 Hz (capped at
    450), EMG without MVC references (symmetry and fatigue in RMS terms), one force
    channel with tremor late in its second contraction, and a trigger channel of kind
    "other" that no feature reads."""
    fs, seconds, rng = 1000.0, 12.0, FEATURE_RNG
    t = np.arange(int(fs * seconds)) / fs
    sets = [(1.0, 4.5), (6.0, 10.5)]
    montage = {
        "sample_rate_hz": fs, "mains_hz": 60,
        "channels": [emg_montage_entry("quad_l", "left"),
                     emg_montage_entry("ham_l", "left"),
                     {"name": "trigger", "kind": "other", "unit": "V"},
                     emg_montage_entry("quad_r", "right"),
                     {"name": "force_r", "kind": "force", "unit": "N", "side": "right"}],
        "pairs": [{"name": "knee_l", "agonist": "quad_l", "antagonist": "ham_l"}],
        "bilateral": [{"name": "quadriceps", "left": "quad_l", "right": "quad_r"}],
        "analysis": {"bandpass_hz": [20.0, 480.0], "notch": "on", "alarm_baseline_s": 4.0,
                     "onset_method": "tkeo"},
    }
    columns = [
        (emg_channel(t, fs, sets, 120.0, rng, (8.0, 10.5, 8.5, 0.5), mains=60.0), 0.125),
        (emg_channel(t, fs, [(1.2, 4.5), (6.1, 10.5)], 60.0, rng, mains=60.0), 0.125),
        (5.0 * (np.sin(2 * np.pi * 0.25 * t) > 0), 2.0 ** -8),
        (emg_channel(t, fs, sets, 200.0, rng, mains=60.0), 0.125),
        (force_channel(t, 5.0, [(1.2, 4.6, 90.0), (6.2, 10.6, 100.0)], rng,
                       (8.0, 10.6, 8.5, 1.5)), 2.0 ** -6),
    ]
    return "knee_1k_notch", montage, columns


def torque_case():
    """1 kHz, 9 s, strength ratios (METHODS.md E): a signed knee torque per side (the left
    dynamometer extends positive, the right one is mounted the other way round) with an
    extension and a flexion hold each, quadriceps and hamstrings EMG working with them,
    and an ankle measured by two one-way force channels; the LSI reference is 85 %."""
    fs, seconds, rng = 1000.0, 9.0, FEATURE_RNG
    t = np.arange(int(fs * seconds)) / fs
    ext, flex = (1.0, 3.2), (4.6, 6.8)
    montage = {
        "sample_rate_hz": fs, "mains_hz": 50,
        "channels": [emg_montage_entry("quad_l", "left"),
                     emg_montage_entry("ham_l", "left"),
                     emg_montage_entry("quad_r", "right"),
                     emg_montage_entry("ham_r", "right"),
                     {"name": "torque_l", "kind": "force", "unit": "N.m", "side": "left"},
                     {"name": "torque_r", "kind": "force", "unit": "N.m", "side": "right"},
                     {"name": "dorsi_r", "kind": "force", "unit": "N", "side": "right"},
                     {"name": "plantar_r", "kind": "force", "unit": "N", "side": "right"}],
        "pairs": [{"name": "knee_l", "agonist": "quad_l", "antagonist": "ham_l",
                   "torque": "torque_l", "agonist_direction": "positive",
                   "strength_ratio_reference": 0.6},
                  {"name": "knee_r", "agonist": "quad_r", "antagonist": "ham_r",
                   "torque": "torque_r", "agonist_direction": "negative",
                   "strength_ratio_reference": 0.6},
                  {"name": "ankle_r", "agonist": "ham_r", "antagonist": "quad_r",
                   "agonist_force": "plantar_r", "antagonist_force": "dorsi_r"}],
        "bilateral": [{"name": "quadriceps", "left": "quad_l", "right": "quad_r"},
                      {"name": "knee_torque", "left": "torque_l", "right": "torque_r"}],
        "analysis": {"lsi_reference_pct": 85.0},
    }
    columns = [
        (emg_channel(t, fs, [ext], 150.0, rng), 0.125),
        (emg_channel(t, fs, [flex], 110.0, rng), 0.125),
        (emg_channel(t, fs, [ext], 190.0, rng), 0.125),
        (emg_channel(t, fs, [flex], 120.0, rng), 0.125),
        # Left: 120 N·m extension, 54 N·m flexion (0.45); right: 160 and 104 (0.65), negative
        # while extending.
        (force_channel(t, 0.0, [ext + (120.0,)], rng)
         - force_channel(t, 0.0, [flex + (54.0,)], rng), 2.0 ** -6),
        (force_channel(t, 0.0, [flex + (104.0,)], rng)
         - force_channel(t, 0.0, [ext + (160.0,)], rng), 2.0 ** -6),
        (force_channel(t, 3.0, [(1.5, 3.5, 250.0)], rng), 2.0 ** -5),
        (force_channel(t, 4.0, [(5.0, 7.0, 600.0)], rng), 2.0 ** -4),
    ]
    return "torque_1k_strength", montage, columns


def nulls(value):
    """JSON cannot hold NaN: NaN becomes null (the Rust loader reads null as NaN)."""
    if isinstance(value, dict):
        return {k: nulls(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [nulls(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def check_margins(case, mode, margins):
    for kind, smallest in sorted(margins.items()):
        floor = MIN_MARGIN["(Hz)"] if kind.endswith("(Hz)") else MIN_MARGIN[""]
        print(f"  {case} {mode:10} {kind:55} {smallest:.3g}")
        assert smallest > floor, f"{case} {mode}: {kind} decided within {smallest:g}"


def feature_cases():
    cases = []
    for name, montage, columns in (elbow_case(), knee_case(), torque_case()):
        counts = [quantise(x, scale) for x, scale in columns]
        samples = np.stack([c.astype(np.float64) * scale
                            for c, (_, scale) in zip(counts, columns)], axis=1)
        assert np.array_equal(samples, samples.astype(np.float32).astype(np.float64))
        results = {}
        for mode, causal in (("zero_phase", False), ("causal", True)):
            r = reference_features.analyze(samples, montage, causal)
            check_margins(name, mode, r.pop("margins"))
            results[mode] = r
        cases.append({
            "name": name, "sample_rate_hz": montage["sample_rate_hz"],
            "montage_toml": montage_toml(montage), "n_samples": samples.shape[0],
            "channels": [{"name": c["name"], "scale": scale,
                          "counts_i16le_base64": base64.b64encode(k.tobytes()).decode()}
                         for c, k, (_, scale) in zip(montage["channels"], counts, columns)],
            "results": nulls(results),
        })
    write("features", {"cases": cases})

if __name__ == "__main__":
    SECTIONS = {"butter": butter_cases, "filters": filter_cases, "envelope": envelope_cases,
                "rms": rms_cases, "spectral": spectral_cases, "features": feature_cases}
    for name in sys.argv[1:] or SECTIONS:
        SECTIONS[name]()
