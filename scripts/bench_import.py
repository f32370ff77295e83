#!/usr/bin/env python3
"""Times myobalance's EDF and BDF readers against pyedflib on the same files, in one run.

    scripts/bench_import.py [--minutes 60] [--channels 32] [--rate 2000] [--repeats 3]
                            [--dir out/bench-import]

1. Files: pyedflib writes an EDF+ and a BDF+ file of CHANNELS signals at RATE Hz for
   MINUTES minutes (1 s records; band-limited noise of a few hundred µV, different per
   channel, written as digital values over each signal's full range). They are kept in
   DIR and written only when missing or of another size.
2. pyedflib (the peer): `EdfReader(path)`, then `readSignal(i)` for every signal (physical
   values, float64), then `close()`. One warm-up run, then REPEATS runs; the median.
3. myobalance: `target/release/examples/read_recording FILE REPEATS` (built here), which
   times reading the file and parsing it into every signal's physical values (f32), the
   same work as the peer, and separately the whole import into a recording (unit
   normalisation, montage guess, interleaving); median of REPEATS runs after the warm-up
   that the file cache gets from the peer's runs. Once with all cores (signals are
   decoded in parallel) and once with RAYON_NUM_THREADS=1.
4. Check: per signal, the mean absolute value of both readers' values must agree to 1e-6
   (relative), so both read the same numbers.

Prints a table: seconds, samples per second, and the ratio to pyedflib. DESIGN.md's
target: at least 2x pyedflib reading every signal of the same file.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np
import pyedflib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def write(path, kind, channels, rate, minutes):
    """An EDF+ or BDF+ file of `channels` signals, written by pyedflib, one minute at a time."""
    bdf = kind == "bdf"
    digital_max = 8388607 if bdf else 32767
    file_type = pyedflib.FILETYPE_BDFPLUS if bdf else pyedflib.FILETYPE_EDFPLUS
    writer = pyedflib.EdfWriter(str(path), channels, file_type=file_type)
    headers = []
    for c in range(channels):
        headers.append(
            {
                "label": f"EMG {c + 1}",
                "dimension": "uV",
                "sample_frequency": rate,
                "physical_max": 3200.0,
                "physical_min": -3200.0,
                "digital_max": digital_max,
                "digital_min": -digital_max - 1,
                "transducer": "AgAgCl",
                "prefilter": "",
            }
        )
    writer.setSignalHeaders(headers)
    rng = np.random.default_rng(7)
    per_minute = rate * 60
    for _ in range(minutes):
        block = []
        for c in range(channels):
            noise = rng.standard_normal(per_minute)
            # A little smoothing makes it band-limited like EMG; amplitude per channel.
            smooth = np.convolve(noise, np.ones(3) / 3.0, mode="same") * (100.0 + 10.0 * c)
            digital = np.clip(smooth / 3200.0 * digital_max, -digital_max - 1, digital_max)
            block.append(np.round(digital).astype(np.int32))
        writer.writeSamples(block, digital=True)
    writer.close()


def expected_size(kind, channels, rate, minutes):
    width = 3 if kind == "bdf" else 2
    # header (+1 annotation signal of EDF+/BDF+) + records; the annotation signal's size
    # per record is pyedflib's choice, so only the data part is checked exactly.
    return channels * rate * 60 * minutes * width


def pyedflib_read(path):
    reader = pyedflib.EdfReader(str(path))
    try:
        values = [reader.readSignal(i) for i in range(reader.signals_in_file)]
    finally:
        reader.close()
    return values


def time_pyedflib(path, repeats):
    pyedflib_read(path)  # warm-up: the file in the page cache for both readers
    seconds = []
    values = None
    for _ in range(repeats):
        start = time.perf_counter()
        values = pyedflib_read(path)
        seconds.append(time.perf_counter() - start)
    means = [float(np.mean(np.abs(v))) for v in values]
    samples = sum(len(v) for v in values)
    return statistics.median(seconds), samples, means


def time_myobalance(path, repeats, threads):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    binary = ROOT / "target/release/examples/read_recording"
    out = subprocess.run(
        [str(binary), str(path), str(repeats)], env=env, check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout)
    return (
        statistics.median(result["parse_s"]),
        statistics.median(result["import_s"]),
        result["samples"],
        result["mean_abs"],
        result["threads"],
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--channels", type=int, default=32)
    parser.add_argument("--rate", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dir", default=str(ROOT / "out/bench-import"))
    args = parser.parse_args()

    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--example", "read_recording"],
        cwd=ROOT,
        check=True,
    )
    folder = pathlib.Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for kind in ["edf", "bdf"]:
        path = folder / f"bench_{args.channels}ch_{args.rate}hz_{args.minutes}min.{kind}"
        data = expected_size(kind, args.channels, args.rate, args.minutes)
        if not path.exists() or path.stat().st_size < data:
            print(f"writing {path} with pyedflib …", file=sys.stderr)
            write(path, kind, args.channels, args.rate, args.minutes)
        size_mb = path.stat().st_size / 1e6
        peer_s, peer_samples, peer_means = time_pyedflib(path, args.repeats)
        for threads in [None, 1]:
            parse_s, import_s, samples, means, used = time_myobalance(path, args.repeats, threads)
            if samples != peer_samples:
                sys.exit(f"{path}: myobalance read {samples} samples, pyedflib {peer_samples}")
            for c, (a, b) in enumerate(zip(means, peer_means)):
                if abs(a - b) > 1e-6 * max(abs(b), 1e-12):
                    sys.exit(f"{path}: signal {c + 1}: mean |value| {a} (myobalance) vs {b} (pyedflib)")
            rows.append((kind.upper(), size_mb, used, samples, peer_s, parse_s, import_s))

    print(
        f"\n{args.channels} channels × {args.rate} Hz × {args.minutes} min, median of {args.repeats} runs "
        f"(pyedflib {pyedflib.__version__}, numpy {np.__version__}); both readers' values agree"
    )
    print("| file | size | myobalance threads | pyedflib, every signal | myobalance, parse | ratio | myobalance, whole import |")
    print("|---|---|---|---|---|---|---|")
    for kind, size_mb, used, samples, peer_s, parse_s, import_s in rows:
        print(
            f"| {kind} | {size_mb:.0f} MB | {used} | {peer_s:.2f} s ({samples / peer_s:.2e} samples/s) "
            f"| {parse_s:.2f} s ({samples / parse_s:.2e} samples/s) | {peer_s / parse_s:.1f}× "
            f"| {import_s:.2f} s |"
        )
    worst = min(peer_s / parse_s for _, _, _, _, peer_s, parse_s, _ in rows)
    print(f"\ntarget ≥ 2× pyedflib: {'met' if worst >= 2.0 else 'NOT met'} (lowest ratio {worst:.1f}×)")


if __name__ == "__main__":
    main()
