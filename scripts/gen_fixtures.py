#!/usr/bin/env python3
"""Writes the golden vectors under fixtures/ with numpy/scipy.

Every file is generated here and never edited by hand. Rust tests read them; they never need
Python. Regenerate with:  $(scripts/pyenv) scripts/gen_fixtures.py

Signals are seeded, lengths are deliberately odd or awkward, rates cover 1000, 2000 and
2048 Hz. Where scipy refuses a signal shorter than its zero-phase padding, the vector is
made with padlen = len - 1, the rule myobalance follows for such signals.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import signal

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


if __name__ == "__main__":
    butter_cases()
    filter_cases()
    envelope_cases()
    rms_cases()
    spectral_cases()
