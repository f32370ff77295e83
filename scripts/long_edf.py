#!/usr/bin/env python3
"""Writes a long EDF+C or BDF+C recording with pyedflib, for the test that reads such a
file a block at a time (tests/it/cli_process.rs).

    long_edf.py OUT.edf|OUT.bdf SECONDS

Four signals at 2000 Hz in 1 s data records: biceps and triceps EMG (uV, rest noise with
a contraction every 10 s), a force signal (N) and an accelerometer (m/s^2), plus a few
annotations. Beside OUT it writes OUT.f64: the physical values given to pyedflib, signal
after signal, little-endian f64, so the test can check what it reads against what was
written. Deterministic (fixed seed and date).
"""
import datetime
import sys

import numpy as np
import pyedflib

RATE = 2000


def header(label, unit, pmin, pmax, dmin, dmax, transducer=""):
    return dict(label=label, dimension=unit, sample_frequency=RATE, physical_min=pmin,
                physical_max=pmax, digital_min=dmin, digital_max=dmax,
                transducer=transducer, prefilter="")


def main(out, seconds):
    bdf = out.endswith(".bdf")
    rng = np.random.default_rng(20261130)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    active = (t % 10.0) > 6.0
    emg = [rng.normal(0, 8, n) + active * rng.normal(0, 150 * k, n) for k in (1.0, 0.4)]
    force = 5 + active * 180 + rng.normal(0, 0.5, n)
    accel = 0.3 * np.sin(2 * np.pi * 5 * t) + rng.normal(0, 0.02, n)
    digital = (-8388608, 8388607) if bdf else (-32768, 32767)
    headers = [
        header("EMG biceps L", "uV", -4000, 4000, *digital, "AgAgCl electrode"),
        header("EMG triceps L", "uV", -4000, 4000, *digital, "AgAgCl electrode"),
        header("Force L", "N", -100, 1000, *digital, "load cell"),
        header("Accel L", "m/s^2", -20, 20, *digital),
    ]
    data = [np.clip(emg[0], -4000, 4000), np.clip(emg[1], -4000, 4000),
            np.clip(force, -100, 1000), np.clip(accel, -20, 20)]
    kind = pyedflib.FILETYPE_BDFPLUS if bdf else pyedflib.FILETYPE_EDFPLUS
    w = pyedflib.EdfWriter(out, len(headers), file_type=kind)
    w.setSignalHeaders(headers)
    w.setPatientCode("P100")
    w.setStartdatetime(datetime.datetime(2026, 11, 30, 9, 30, 0))
    w.writeSamples(data)
    for onset in range(5, int(seconds), 40):
        w.writeAnnotation(float(onset), 1.5, f"set {onset // 40 + 1}")
    w.close()
    np.concatenate(data).astype("<f8").tofile(out + ".f64")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]))
