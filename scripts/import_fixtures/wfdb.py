"""WFDB fixtures for the importer tests (tests/it/formats_wfdb.rs), written by PhysioNet's
own Python package, `wfdb` (4.3.1), and read back with it.

Writes into fixtures/import/wfdb/:

- emg16.hea/.dat   format 16, three signals with different gains, baselines and units; the
                   second at 2x the frame rate (samps_per_frame); a base date and time.
- ecg212.hea/.dat  format 212, three signals (so 12-bit pairs straddle frames) over an odd
                   number of frames; signal 1 has missing samples (NaN, which wfdb writes
                   as the invalid value -2048).
- emg24.hea/.dat   format 24, two signals with large gains.
- emg16_truncated.hea/.dat  emg16's header with its signal file cut 7 bytes short
                   (mid-frame), for the "file shorter than its header" warning.

and beside each record <record>.json: what wfdb.rdrecord reads back (frame rate, frames,
base date and time, per signal its name, units, rate, storage format, gain, baseline and
physical values; null where wfdb reads NaN).

Deterministic (seeded, fixed dates). Run from the repository root:

    .venv/bin/python scripts/import_fixtures/wfdb.py
"""

import datetime
import json
import os
import sys

# This script is itself named wfdb.py: keep its folder off the import path so that
# `import wfdb` finds PhysioNet's package.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

import numpy as np  # noqa: E402
import wfdb  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "fixtures", "import", "wfdb")


def burst(rng, n, fs, amp):
    """A noise burst in the middle third, like an EMG contraction."""
    t = np.arange(n) / fs
    envelope = np.where((t > t[-1] / 3) & (t < 2 * t[-1] / 3), 1.0, 0.1)
    return amp * envelope * rng.normal(0.0, 1.0, n)


def describe(record_name, extra=None):
    """What wfdb reads back, as a JSON-ready dict."""
    rec = wfdb.rdrecord(os.path.join(OUT, record_name), smooth_frames=False)
    signals = []
    for k, name in enumerate(rec.sig_name):
        values = rec.e_p_signal[k]
        signals.append(
            {
                "name": name,
                "units": rec.units[k],
                "rate_hz": float(rec.fs * rec.samps_per_frame[k]),
                "fmt": rec.fmt[k],
                "adc_gain": float(rec.adc_gain[k]),
                "baseline": int(rec.baseline[k]),
                "samples": [None if np.isnan(v) else float(v) for v in values],
            }
        )
    start = None
    if rec.base_date is not None and rec.base_time is not None:
        start = datetime.datetime.combine(rec.base_date, rec.base_time).isoformat()
    out = {
        "record": record_name,
        "fs": float(rec.fs),
        "frames": int(rec.sig_len),
        "start": start,
        "signals": signals,
    }
    if extra:
        out.update(extra)
    return out


def write_json(name, value):
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240510)

    # Format 16, samples per frame, base date and time.
    fs, n = 1000.0, 1000
    wfdb.wrsamp(
        "emg16",
        fs=fs,
        units=["mV", "uV", "N"],
        sig_name=["EMG biceps L", "EMG triceps L", "Force"],
        e_p_signal=[
            np.clip(burst(rng, n, fs, 0.4), -3.0, 3.0),
            np.clip(burst(rng, 2 * n, 2 * fs, 300.0), -1500.0, 1500.0),
            50.0 + 20.0 * np.sin(2 * np.pi * 0.5 * np.arange(n) / fs),
        ],
        samps_per_frame=[1, 2, 1],
        fmt=["16", "16", "16"],
        adc_gain=[10000.0, 20.0, 200.0],
        baseline=[0, -100, 1000],
        base_datetime=datetime.datetime(2023, 4, 5, 6, 7, 8, 900000),
        write_dir=OUT,
    )
    write_json("emg16", describe("emg16"))

    # Format 212: three signals, odd frame count, missing samples.
    fs, n = 360.0, 1001
    ecg = np.stack(
        [
            burst(rng, n, fs, 1.0),
            burst(rng, n, fs, 0.8),
            burst(rng, n, fs, 2.0),
        ],
        axis=1,
    )
    ecg = np.clip(ecg, -4.5, 4.5)
    ecg[100, 1] = np.nan
    ecg[500:503, 1] = np.nan
    wfdb.wrsamp(
        "ecg212",
        fs=fs,
        units=["mV", "mV", "mV"],
        sig_name=["MLII", "V5", "EMG"],
        p_signal=ecg,
        fmt=["212", "212", "212"],
        adc_gain=[200.0, 400.0, 100.0],
        baseline=[1024, 0, -50],
        base_datetime=datetime.datetime(1999, 12, 31, 23, 59, 58),
        write_dir=OUT,
    )
    write_json("ecg212", describe("ecg212"))

    # Format 24.
    fs, n = 2048.0, 600
    hd = np.clip(np.stack([burst(rng, n, fs, 150.0), burst(rng, n, fs, 90.0)], axis=1), -600.0, 600.0)
    wfdb.wrsamp(
        "emg24",
        fs=fs,
        units=["uV", "uV"],
        sig_name=["VL 1", "VL 2"],
        p_signal=hd,
        fmt=["24", "24"],
        adc_gain=[10000.0, 12345.5],
        baseline=[0, 250],
        write_dir=OUT,
    )
    write_json("emg24", describe("emg24"))

    # A truncated copy of emg16: same header, signal file cut mid-frame.
    with open(os.path.join(OUT, "emg16.hea")) as f:
        header = f.read()
    with open(os.path.join(OUT, "emg16_truncated.hea"), "w") as f:
        f.write(header.replace("emg16", "emg16_truncated"))
    with open(os.path.join(OUT, "emg16.dat"), "rb") as f:
        data = f.read()
    cut = 7
    with open(os.path.join(OUT, "emg16_truncated.dat"), "wb") as f:
        f.write(data[:-cut])
    # Frames of emg16 are 4 values of 2 bytes; the complete ones survive.
    frame_bytes = 4 * 2
    full = describe("emg16")
    complete = (len(data) - cut) // frame_bytes
    spf = [1, 2, 1]
    for k, s in enumerate(full["signals"]):
        s["samples"] = s["samples"][: complete * spf[k]]
    full["record"] = "emg16_truncated"
    full["expected_frames"] = full["frames"]
    full["frames"] = complete
    write_json("emg16_truncated", full)


if __name__ == "__main__":
    main()
