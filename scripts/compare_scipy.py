#!/usr/bin/env python3
"""Times myobalance's DSP kernels against numpy/scipy on the same arrays, on this machine.

    scripts/compare_scipy.py [bench] [--channels 16] [--rate 2000] [--seconds 60]

`bench` (the default mode) regenerates the synthetic recording of `myobalance bench`
(src/bench/signal.rs) bit for bit, checks that its sum equals the `input_checksum` the
Rust binary reports, times scipy's `sosfilt`, `sosfiltfilt`, `welch` (+ band power) and
vectorised numpy/scipy equivalents of the RMS, envelope, MDF and whole-pipeline kernels
the same way (one warm-up run, then at least 3 runs and at least 0.5 s, median), runs
`target/release/myobalance bench --json` with the same flags, and prints both side by side
with the ratio Rust/scipy and whether DESIGN.md's targets are met.

Both sides run on one thread and get their natural layout: scipy a C-ordered
(channels, samples) array filtered along its last axis, myobalance interleaved frames for
the multi-channel filters and one contiguous slice per channel for the rest. Build the
binary first (`cargo build --release`). Exit status: 0 when the comparison ran (targets met
or not), 1 when the inputs or outputs of the two sides disagree, 2 on bad usage.

Further modes (for example `process`, end to end on files) are added as subcommands.
"""
import argparse
import json
import math
import os
import pathlib
import platform
import subprocess
import sys
import time

# One thread on the scipy side too (its linear detrend calls BLAS, which may spread over
# every core); set before numpy loads its BLAS. An explicit setting in the environment wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402
from scipy import signal  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent

# --- The synthetic signal (src/bench/signal.rs documents the formula) --------------------

SEED = np.uint64(0x6D796F62616C616E)
GAMMA = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
TREMOR_AMPLITUDE = 0.5


def splitmix64(z):
    z = (z ^ (z >> np.uint64(30))) * MIX1
    z = (z ^ (z >> np.uint64(27))) * MIX2
    return z ^ (z >> np.uint64(31))


def generate(channels, n, fs):
    """The (channels, n) recording of `myobalance bench`, equal to it bit for bit."""
    x = np.empty((channels, n))
    i = np.arange(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for c in range(channels):
            k = (np.uint64(c) << np.uint64(32)) + i + np.uint64(1)
            z = splitmix64(SEED + k * GAMMA)
            noise = (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0) * 2.0 - 1.0
            tremor_hz = 6.0 + (c % 5)
            step = np.uint64(math.floor(tremor_hz * 4294967296.0 / fs))
            phase = ((i * step) & np.uint64(0xFFFFFFFF)).astype(np.float64) / 4294967296.0
            tri = 1.0 - 4.0 * np.abs(phase - 0.5)
            dc = 0.25 + 0.125 * (c % 4)
            x[c] = dc + TREMOR_AMPLITUDE * tri + noise
    return x


# --- The analysis settings (src/bench/design.rs, DESIGN.md defaults) ---------------------


def samples(seconds, fs):
    """round(seconds·fs), halves away from zero as Rust's f64::round."""
    return int(math.floor(seconds * fs + 0.5))


class Design:
    def __init__(self, fs):
        self.fs = fs
        self.band = (20.0, min(450.0, 0.45 * fs))
        self.bandpass = signal.butter(2, self.band, "bandpass", fs=fs, output="sos")
        self.lowpass = signal.butter(2, 6.0, "lowpass", fs=fs, output="sos")
        self.rms = (samples(0.25, fs), samples(0.05, fs))
        self.segment = samples(2.0, fs)
        self.tremor = (samples(4.0, fs), samples(0.5, fs))
        self.epoch = samples(0.5, fs)


# --- The peer kernels: vectorised over channels, as a numpy user would write them ---------


def windows(x, window, hop):
    """Read-only (channels, windows, window) view of the window rule's windows."""
    return sliding_window_view(x, window, axis=-1)[:, ::hop]


def rms(x, d):
    v = windows(x, *d.rms)
    return np.sqrt(np.einsum("ckw,ckw->ck", v, v) / v.shape[-1])


def envelope(x, d):
    return np.maximum(signal.sosfiltfilt(d.lowpass, np.abs(x), axis=-1), 0.0)


def tremor(x, d):
    """Welch PSD of every 4 s window (2 s Hann segments, half overlap, linear detrend), band
    power 4–12 Hz, power 1–30 Hz, relative power and the parabola-refined peak. One welch call
    per channel, vectorised over its windows (a single call over every channel needs over a
    gigabyte of temporaries at 16 channels × 60 s). Returns (power, relative, peak_hz)."""
    powers, relatives, peaks = [], [], []
    for xc in x:
        v = windows(xc[None, :], *d.tremor)[0]
        f, p = signal.welch(v, d.fs, window="hann", nperseg=d.segment, noverlap=d.segment // 2,
                            detrend="linear", scaling="density", axis=-1)
        df = f[1] - f[0]
        band = (f >= 4.0) & (f <= 12.0)
        power = p[:, band].sum(axis=-1) * df
        reference = p[:, (f >= 1.0) & (f <= 30.0)].sum(axis=-1) * df
        relative = power / reference
        first = np.argmax(band)
        k = first + np.argmax(p[:, band], axis=-1)
        rows = np.arange(len(k))
        before, at, after = p[rows, k - 1], p[rows, k], p[rows, k + 1]
        curvature = before - 2.0 * at + after
        peak = f[k] + df * 0.5 * (before - after) / np.where(curvature == 0.0, np.inf, curvature)
        powers.append(power)
        relatives.append(relative)
        peaks.append(peak)
    return np.concatenate(powers), np.concatenate(relatives), np.concatenate(peaks)


def fatigue(x, d):
    """Hann periodogram (constant detrend) per 0.5 s epoch, MDF and MNF inside the band."""
    epochs = x.shape[-1] // d.epoch
    v = x[:, : epochs * d.epoch].reshape(x.shape[0], epochs, d.epoch)
    f, p = signal.periodogram(v, d.fs, window="hann", detrend="constant", scaling="density",
                              axis=-1)
    keep = (f >= d.band[0]) & (f <= d.band[1])
    fb, pb = f[keep], p[..., keep]
    mnf = (pb * fb).sum(axis=-1) / pb.sum(axis=-1)
    c = np.cumsum(pb, axis=-1)
    half = c[..., -1:] / 2.0
    k = np.argmax(c >= half, axis=-1)[..., None]
    ck = np.take_along_axis(c, k, -1)
    cprev = np.take_along_axis(c, np.maximum(k - 1, 0), -1)
    cprev = np.where(k == 0, 0.0, cprev)
    fk, fprev = fb[k], fb[np.maximum(k - 1, 0)]
    mdf = np.where(k == 0, fk, fprev + (half - cprev) / (ck - cprev) * (fk - fprev))[..., 0]
    return mdf, mnf


def peer_kernels(d):
    """name → (work, checksum): work(x) does the timed computation and returns its outputs;
    checksum(outputs) reduces them, untimed, to the checksum myobalance reports."""
    def pipeline(x):
        y = signal.sosfiltfilt(d.bandpass, x, axis=-1)
        return envelope(y, d), rms(y, d), tremor(np.abs(y), d)[0], fatigue(y, d)

    def pipeline_sum(outputs):
        e, r, power, (mdf, mnf) = outputs
        return e.sum() + r.sum() + power.sum() + (mdf + mnf).sum()

    def total(y):
        return y.sum()

    def total_abs(y):
        return np.abs(y).sum()

    return {
        "bandpass_causal": (lambda x: signal.sosfilt(d.bandpass, x, axis=-1), total_abs),
        "bandpass_zero_phase": (lambda x: signal.sosfiltfilt(d.bandpass, x, axis=-1), total_abs),
        "rms": (lambda x: rms(x, d), total),
        "envelope": (lambda x: envelope(x, d), total),
        "welch": (lambda x: tremor(x, d), lambda t: t[0].sum()),
        "mdf": (lambda x: fatigue(x, d), lambda m: sum(v.sum() for v in m)),
        "pipeline": (pipeline, pipeline_sum),
    }


def time_runs(work, checksum, x, min_repeats=3, min_total_s=0.5):
    """One warm-up run, then runs until both minimums are met: (median seconds, checksum of
    the outputs, computed outside the timing)."""
    outputs = work(x)
    times = []
    while len(times) < min_repeats or sum(times) < min_total_s:
        start = time.perf_counter()
        outputs = work(x)
        times.append(time.perf_counter() - start)
    return float(np.median(times)), float(checksum(outputs))


# --- Side by side -------------------------------------------------------------------------

TARGETS = {"bandpass_causal": 3.0, "bandpass_zero_phase": 2.0, "welch": 3.0}
# Relative agreement of the two sides' output checksums. Both compute the same quantities in
# double precision with different summation orders and FFTs, so 1e-9 is generous; the MDF
# sum can differ more when an epoch's half-power point falls between two bins' cumulative
# values by less than rounding, hence its own bound.
OUTPUT_RTOL = {"mdf": 1e-6, "pipeline": 1e-6}
DEFAULT_OUTPUT_RTOL = 1e-9
INPUT_RTOL = 1e-9


def cpu_model():
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_rust(binary, args):
    cmd = [str(binary), "bench", "--json", "--channels", str(args.channels), "--rate",
           str(args.rate), "--seconds", str(args.seconds)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def relative(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def bench(args):
    binary = pathlib.Path(args.binary)
    if not binary.is_file():
        sys.exit(f"{binary} not found: build it first with `cargo build --release`")
    if args.channels < 1 or not (args.rate > 0 and math.isfinite(args.rate)) or not args.seconds > 0:
        sys.exit("--channels must be ≥ 1 and --rate, --seconds positive")

    d = Design(args.rate)
    n = samples(args.seconds, args.rate)
    x = generate(args.channels, n, args.rate)
    total = x.size

    print(f"running {binary.relative_to(ROOT) if binary.is_relative_to(ROOT) else binary} "
          f"bench --json ...", file=sys.stderr)
    rust = run_rust(binary, args)
    ok = True
    input_diff = relative(float(x.sum()), rust["input_checksum"])
    if rust["samples_per_channel"] != n or input_diff > INPUT_RTOL:
        print(f"error: inputs differ: numpy sum {x.sum()!r} over {n} samples per channel, Rust "
              f"{rust['input_checksum']!r} over {rust['samples_per_channel']}", file=sys.stderr)
        return 1

    peers = {}
    for name, (work, checksum) in peer_kernels(d).items():
        print(f"timing scipy {name} ...", file=sys.stderr)
        peers[name] = time_runs(work, checksum, x)

    m = rust.get("machine", {})
    print(f"\n{args.channels} channels × {n} samples ({args.seconds:g} s at {args.rate:g} Hz), "
          f"one thread each side")
    print(f"machine: {m.get('cpu_model', cpu_model())}, {m.get('cores', os.cpu_count())} cores; "
          f"numpy {np.__version__}, scipy {scipy.__version__}, Python {platform.python_version()}")
    print(f"inputs agree: sums differ by {input_diff:.1e} relative\n")
    header = (f"{'kernel':<20} {'myobalance/s':>13} {'scipy/s':>12} {'ratio':>7} {'target':>7} "
              f"{'met':>4}  {'outputs':>9}")
    print(header)
    print("-" * len(header))
    met_all = True
    for name, (seconds, peer_sum) in peers.items():
        k = rust["kernels"][name]
        peer_rate = total / seconds
        ratio = k["samples_per_s"] / peer_rate
        target = TARGETS.get(name)
        met = "" if target is None else ("yes" if ratio >= target else "NO")
        met_all &= target is None or ratio >= target
        diff = relative(k["output_checksum"], peer_sum)
        agree = diff <= OUTPUT_RTOL.get(name, DEFAULT_OUTPUT_RTOL)
        ok &= agree
        print(f"{name:<20} {k['samples_per_s']:>13.3e} {peer_rate:>12.3e} {ratio:>6.1f}× "
              f"{'' if target is None else f'≥{target:g}×':>7} {met:>4}  "
              f"{diff:>8.0e}{'' if agree else '!'}")
    rt = rust["kernels"]["pipeline"].get("realtime_factor")
    if rt is not None:
        print(f"\nmyobalance pipeline: {rt:.0f}× real time")
    print(f"targets (DESIGN.md): {'all met' if met_all else 'NOT all met'}")
    if not ok:
        print("error: some outputs differ between the two sides (column 'outputs', marked !)",
              file=sys.stderr)
        return 1
    return 0


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="mode", metavar="MODE")
    b = sub.add_parser("bench", help="kernel throughput against scipy (default)")
    b.add_argument("--channels", type=int, default=16)
    b.add_argument("--rate", type=float, default=2000.0, help="sample rate, Hz")
    b.add_argument("--seconds", type=float, default=60.0, help="recording length, s")
    b.add_argument("--binary", default=str(ROOT / "target" / "release" / "myobalance"),
                   help="the myobalance executable (default: target/release/myobalance)")
    b.set_defaults(func=bench)
    return p, sub


def main(argv=None):
    p, sub = parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # With no mode named, `bench` is meant: `compare_scipy.py --channels 8` works as is.
    if not argv or (argv[0] not in sub.choices and argv[0] not in ("-h", "--help")):
        argv.insert(0, "bench")
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
