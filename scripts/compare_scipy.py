#!/usr/bin/env python3
"""Times myobalance against numpy/scipy on the same data, on this machine.

    scripts/compare_scipy.py [bench] [--channels 16] [--rate 2000] [--seconds 60]
    scripts/compare_scipy.py process [--channels 24] [--rate 2000] [--seconds 300] [--seed 1]
                                     [--repeats 3] [--jobs N] [--welch both] [--keep DIR]

`bench` (the default mode) regenerates the synthetic recording of `myobalance bench`
(src/bench/signal.rs) bit for bit, checks that its sum equals the `input_checksum` the
Rust binary reports, times scipy's `sosfilt`, `sosfiltfilt`, `welch` (+ band power) and
vectorised numpy/scipy equivalents of the RMS, envelope, MDF and whole-pipeline kernels
the same way (one warm-up run, then at least 3 runs and at least 0.5 s, median), runs
`target/release/myobalance bench --json` with the same flags, and prints both side by side
with the ratio Rust/scipy and whether DESIGN.md's targets are met.

Both sides run on one thread and get their natural layout: scipy a C-ordered
(channels, samples) array filtered along its last axis, myobalance interleaved frames for
the multi-channel filters and one contiguous slice per channel for the rest.

`process` checks DESIGN.md's end-to-end targets: `process` on 24 ch × 2 kHz × 300 s at
least 25× faster than the same features in vectorised numpy/scipy on data in memory (8×
against the variant that shares Welch segments; Part 2 targets), and
a peak RSS of at most 1.5 × the recording's f32 size + 100 MB (MB = 10^6 bytes).
  1. Input: `myobalance simulate` makes 6 channels (4 EMG, 2 force); the recordings of
     seeds SEED, SEED+1, ... are stacked side by side (channels renamed `NAME_1`, `NAME_2`,
     ..., pairs and bilateral entries repeated per copy, `mvc` kept on copies 1, 3, ... and
     left out on copies 2, 4, ... so both code paths run) into one format v1 file written
     with h5py; `myobalance inspect` must accept it.
  2. myobalance: `myobalance process IN --out OUT` (zero-phase, default jobs unless
     --jobs), wall clock from start to exit of the subprocess, median of REPEATS runs; its
     peak RSS from `/usr/bin/time -v` (the largest of the runs), or when /usr/bin/time is
     missing from wait4 in a small helper interpreter (see RUSAGE_HELPER). The time
     includes reading and decompressing the input and writing the output file.
  3. numpy/scipy: scripts/vector_features.py (its docstring says how each feature is
     vectorised) on the samples already loaded as a (channels, samples) float64 array
     (reading the file and converting are not timed), one thread, median of REPEATS runs.
     Each side runs once untimed, then the sides take turns: REPEATS rounds of one run of
     each, so the minutes-long drifts in speed of a virtual machine fall on both sides
     alike; the ratios of each round's runs are printed too, and the share of the cores'
     time the hypervisor gave to other guests while each side ran (/proc/stat's steal).
     Two variants differ only in the tremor spectra (--welch, default both): "shared"
     transforms each distinct 2 s segment once, as the engine does; "stacked" calls
     scipy.signal.welch on the stacked tremor windows (and on the whole channel for the
     summary), transforming each segment once per window that holds it.
  4. Sanity check: every summary column and feature table of the output file (read with
     h5py) and the event counts against the numpy/scipy results, within 1 %.
Reproduce with `cargo build --release && scripts/compare_scipy.py process` (the Python
comes from `scripts/pyenv`: numpy, scipy, h5py). Files go to a temporary directory, or to
--keep DIR, which keeps them.

Build the binary first (`cargo build --release`). Exit status: 0 when the comparison ran
(targets met or not), 1 when the inputs or outputs of the two sides disagree (or the
binary fails), 2 on bad usage.
"""
import argparse
import functools
import json
import math
import os
import pathlib
import platform
import subprocess
import sys
import tempfile
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


# --- process: the whole pipeline on a file against vectorised numpy/scipy ----------------

SIM_CHANNELS = 6  # what `myobalance simulate` writes: 4 EMG + 2 force
SANITY_RTOL = 0.01  # both sides compute the same quantities in f64; 1 % is a loose check
MB = 1e6
MEMORY_FACTOR, MEMORY_EXTRA = 1.5, 100 * MB  # DESIGN.md: ≤ 1.5 × f32 size + 100 MB
# DESIGN.md "Part 2 targets": ≥ 25× the vectorised peer, ≥ 8× the one sharing Welch segments.
PROCESS_TARGETS = {"stacked": 25.0, "shared": 8.0}
TIME = pathlib.Path("/usr/bin/time")


def run_checked(cmd):
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def toml_value(v):
    return f'"{v}"' if isinstance(v, str) else repr(v)


def montage_toml(fs, mains_hz, channels, pairs, bilateral):
    """Montage TOML text: top-level keys, then [[channels]], [[pairs]], [[bilateral]]."""
    lines = [f"sample_rate_hz = {float(fs)!r}", f"mains_hz = {int(mains_hz)}"]
    for table, entries in (("channels", channels), ("pairs", pairs), ("bilateral", bilateral)):
        for entry in entries:
            lines += ["", f"[[{table}]]"] + [f"{k} = {toml_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def build_input(binary, path, channels, rate, seconds, seed, workdir):
    """Stacks ceil(channels / 6) simulated recordings (seeds seed, seed + 1, ...) into one
    format v1 file of `channels` channels; returns its montage text."""
    import h5py
    import tomllib

    copies = -(-channels // SIM_CHANNELS)
    blocks, chans, pairs, bilateral = [], [], [], []
    for c in range(copies):
        sim = workdir / f"sim_{seed + c}.h5"
        run_checked([binary, "simulate", "--seconds", str(seconds), "--rate", str(rate),
                     "--seed", str(seed + c), "--out", sim])
        with h5py.File(sim, "r") as f:
            raw = f["raw/samples"]
            blocks.append(raw[()])
            chunk_rows = raw.chunks[0]
            fs = float(raw.attrs["sample_rate_hz"])
            mains_hz = int(f.attrs["mains_hz"])
            software = f.attrs["software"]
            montage = tomllib.loads(f.attrs["montage"])
        sim.unlink()
        suffix = f"_{c + 1}"
        taken = set()
        for ch in montage["channels"][:channels - len(chans)]:
            entry = {k: ch[k] for k in ("kind", "unit", "side") if k in ch}
            if "mvc" in ch and c % 2 == 0:
                entry["mvc"] = ch["mvc"]
            chans.append({"name": ch["name"] + suffix, **entry})
            taken.add(ch["name"])
        for p in montage.get("pairs", []):
            if p["agonist"] in taken and p["antagonist"] in taken:
                pairs.append({"name": p["name"] + suffix, "agonist": p["agonist"] + suffix,
                              "antagonist": p["antagonist"] + suffix})
        for b in montage.get("bilateral", []):
            if b["left"] in taken and b["right"] in taken:
                bilateral.append({"name": b["name"] + suffix, "left": b["left"] + suffix,
                                  "right": b["right"] + suffix})
    x = np.hstack(blocks)[:, :channels].astype(np.float32)
    text = montage_toml(fs, mains_hz, chans, pairs, bilateral)
    strings = h5py.string_dtype()
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "myobalance"
        f.attrs["format_version"] = np.int64(1)
        f.attrs["software"] = f"{software} (simulate), stacked by scripts/compare_scipy.py"
        f.attrs["created_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        f.attrs["source"] = (f"simulator (seeds {seed}-{seed + copies - 1}), "
                             f"{copies} recordings side by side")
        f.attrs["montage"] = text
        f.attrs["mains_hz"] = np.int64(mains_hz)
        raw = f.create_group("raw")
        ds = raw.create_dataset("samples", data=x, chunks=(min(chunk_rows, len(x)), channels),
                                shuffle=True, compression="gzip", compression_opts=1)
        ds.attrs["sample_rate_hz"] = fs
        ds.attrs["channel_names"] = np.array([c["name"] for c in chans], dtype=strings)
        ds.attrs["units"] = np.array([c["unit"] for c in chans], dtype=strings)
        ds.attrs["kinds"] = np.array([c["kind"] for c in chans], dtype=strings)
    done = run_checked([binary, "inspect", path])
    if f"× {channels} channels" not in done.stdout:
        sys.exit(f"myobalance inspect {path} does not report {channels} channels:\n{done.stdout}")
    return text


# Stand-in for /usr/bin/time: wait4 reports a child's peak RSS, but a child forked from a
# large process starts with (and is charged for) that process's pages until it execs, so the
# child is started from this small fresh interpreter rather than from the caller. Prints
# "exit-code peak-RSS-kB wall-seconds".
RUSAGE_HELPER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, wall)
"""


def measured_run(cmd):
    """Runs cmd: (wall seconds, peak RSS in bytes). The RSS comes from /usr/bin/time -v when
    it is installed (Debian package `time`), else from wait4 in a small helper process."""
    cmd = [str(c) for c in cmd]
    if TIME.is_file():
        start = time.perf_counter()
        done = subprocess.run([str(TIME), "-v", *cmd], capture_output=True, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            message = done.stderr.split("\tCommand being timed")[0].splitlines()
            message = "\n".join(m for m in message if not m.startswith("Command exited"))
            sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {message.strip()}")
        for line in done.stderr.splitlines():
            if "Maximum resident set size (kbytes)" in line:
                return wall, int(line.rsplit(":", 1)[1]) * 1024
        sys.exit(f"no peak RSS in the output of {TIME} -v")
    done = subprocess.run([sys.executable, "-I", "-c", RUSAGE_HELPER, *cmd],
                          capture_output=True, text=True)
    code, rss_kb, wall = done.stdout.split() if done.returncode == 0 else (-1, 0, 0)
    if int(code) != 0:
        sys.exit(f"{' '.join(cmd)} failed ({code}): {done.stderr.strip()}")
    return float(wall), int(rss_kb) * 1024  # Linux reports kilobytes


def process_run(binary, source, out, jobs):
    """One run of `myobalance process` into a fresh `out`: (wall seconds, peak RSS)."""
    cmd = [binary, "process", source, "--out", out]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    out.unlink(missing_ok=True)
    return measured_run(cmd)


def load_samples(path):
    """The recording as a (channels, samples) float64 array, and its parsed montage."""
    import h5py
    import tomllib

    with h5py.File(path, "r") as f:
        x = f["raw/samples"][()]
        montage = tomllib.loads(f.attrs["montage"])
    return np.ascontiguousarray(x.T, dtype=np.float64), montage


def peer_run(analyze, x, montage):
    """One run of a numpy/scipy peer: (wall seconds, its results)."""
    start = time.perf_counter()
    results = analyze(x, montage)
    return time.perf_counter() - start, results


def stolen_seconds():
    """CPU time the hypervisor has given to other guests since boot (the `steal` column of
    /proc/stat, all cores), or None where there is no such count."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def interleaved_rounds(sides, repeats):
    """Times every side once untimed, then `repeats` rounds of each side once in turn, so
    that the speed this machine drifts through within minutes (a virtual machine: a fifth
    between one minute and the next) falls on every side alike, not on whichever ran
    first. `sides` maps a name to a function giving (seconds, extra); returns each name's
    seconds, in order, its last extra, and the share of the cores' time the hypervisor
    took while it ran (None where that is not counted)."""
    for run in sides.values():
        run()
    times = {name: [] for name in sides}
    stolen = {name: 0.0 for name in sides}
    last = {}
    for _ in range(repeats):
        for name, run in sides.items():
            before = stolen_seconds()
            seconds, last[name] = run()
            after = stolen_seconds()
            times[name].append(seconds)
            if before is None or after is None:
                stolen[name] = None
            elif stolen[name] is not None:
                stolen[name] += after - before
    cores = os.cpu_count() or 1
    share = {name: None if stolen[name] is None else stolen[name] / (cores * sum(times[name]))
             for name in sides}
    return times, last, share


def text_list(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def sanity_check(out, peer):
    """Compares the output file with the numpy/scipy results: every summary column, every
    feature table (f32 in the file) and the event counts. Returns (rows to print, all
    agree)."""
    import h5py

    rows, ok = [], True

    def compare(theirs, ours):
        """(worst relative difference where both are finite, all within tolerance)."""
        theirs = np.asarray(theirs, dtype=float)
        agree = bool(np.all(np.isclose(theirs, ours, rtol=SANITY_RTOL, atol=0.0,
                                       equal_nan=True)))
        both = np.isfinite(theirs) & np.isfinite(ours)
        worst = np.max(np.abs(theirs[both] - ours[both])
                       / np.maximum(np.abs(theirs[both]), 1e-300), initial=0.0)
        return f"{worst:.1e}", agree

    with h5py.File(out, "r") as f:
        for group, columns in peer["summary"].items():
            g = f[f"summary/{group}"]
            if text_list(g["names"][()]) != list(columns["names"]):
                rows.append((f"{group}/names", "differ", False))
                ok = False
                continue
            for name, ours in columns.items():
                if name == "names" or name not in g:
                    continue
                theirs = g[name][()]
                if theirs.dtype.kind in "OSU":
                    agree = text_list(theirs) == list(ours)
                    rows.append((f"{group}/{name}", "equal" if agree else "differ", agree))
                else:
                    value, agree = compare(theirs, ours)
                    rows.append((f"{group}/{name}", value, agree))
                ok &= agree
        for group, tables in peer["features"].items():
            for name, ours in tables.items():
                if name == "columns":
                    continue
                theirs = f[f"features/{group}/{name}"][()]
                if theirs.shape == ours.shape:
                    value, agree = compare(theirs, ours)
                else:
                    value, agree = f"shape {theirs.shape}", False
                rows.append((f"features/{group}/{name} {theirs.shape}", value, agree))
                ok &= agree
        kinds = text_list(f["events/kind"][()])
    for kind in sorted(set(kinds) | set(peer["events"])):
        theirs, ours = kinds.count(kind), peer["events"].get(kind, 0)
        agree = abs(theirs - ours) <= SANITY_RTOL * max(theirs, ours)
        rows.append((f"events {kind}", f"{theirs} vs {ours}", agree))
        ok &= agree
    return rows, ok


def machine_line():
    load = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    return f"{cpu_model()}, {os.cpu_count()} cores, load average {load} (1/5/15 min)"


PEERS = {"shared": "numpy/scipy, shared Welch segments",
         "stacked": "numpy/scipy, scipy welch per window"}


def process(args):
    binary = pathlib.Path(args.binary)
    if not binary.is_file():
        sys.exit(f"{binary} not found: build it first with `cargo build --release`")
    if args.channels < 1 or not args.rate >= 500 or not args.seconds > 0 or args.repeats < 1:
        print("error: --channels and --repeats must be ≥ 1, --rate ≥ 500 and --seconds > 0",
              file=sys.stderr)
        return 2
    import vector_features

    variants = list(PEERS) if args.welch == "both" else [args.welch]
    load_before = machine_line()
    peers = {}
    with tempfile.TemporaryDirectory(prefix="compare_scipy_") as tmp:
        workdir = pathlib.Path(args.keep) if args.keep else pathlib.Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        source, out = workdir / "input.h5", workdir / "output.h5"
        print(f"building {source} ({args.channels} channels, {args.seconds:g} s at "
              f"{args.rate:g} Hz) ...", file=sys.stderr)
        build_input(binary, source, args.channels, args.rate, args.seconds, args.seed, workdir)
        x, montage = load_samples(source)
        names = " and ".join(["myobalance process"] + [PEERS[v] for v in variants])
        print(f"timing {names}: one untimed run each, then {args.repeats} rounds of one run "
              f"each in turn ...", file=sys.stderr)
        peak = [0]

        def rust():
            wall, rss = process_run(binary, source, out, args.jobs)
            peak[0] = max(peak[0], rss)
            return wall, None

        sides = {"rust": rust}
        for variant in variants:
            analyze = functools.partial(vector_features.analyze, welch=variant)
            sides[variant] = functools.partial(peer_run, analyze, x, montage)
        times, results, stolen = interleaved_rounds(sides, args.repeats)
        rust_s, rss = float(np.median(times["rust"])), peak[0]
        for variant in variants:
            seconds = float(np.median(times[variant]))
            peers[variant] = (seconds, *sanity_check(out, results[variant]))
        rounds = [[times[v][r] / times["rust"][r] for v in variants] for r in range(args.repeats)]

    total = x.size
    f32_bytes = 4 * total
    limit = MEMORY_FACTOR * f32_bytes + MEMORY_EXTRA
    jobs = "default jobs" if args.jobs is None else f"--jobs {args.jobs}"
    print(f"\n{x.shape[0]} channels × {x.shape[1]} samples ({x.shape[1] / args.rate:g} s at "
          f"{args.rate:g} Hz) = {total:.3e} samples, zero-phase; median of {args.repeats} runs, "
          f"the sides taking turns after one untimed run each")
    print(f"myobalance: {binary} process ({jobs}); wall clock of the subprocess, including "
          f"reading the input and writing the output file")
    print(f"numpy/scipy: scripts/vector_features.py on data in memory, one thread; "
          f"numpy {np.__version__}, scipy {scipy.__version__}, Python {platform.python_version()}")
    print(f"machine: {load_before}")
    print(f"         after the runs: load average "
          f"{' / '.join(f'{v:.2f}' for v in os.getloadavg())}\n")
    header = (f"{'':<36} {'seconds':>8} {'samples/s':>10} {'ratio':>7} {'target':>7} "
              f"{'met':>4}")
    print(header)
    print("-" * len(header))
    print(f"{'myobalance process':<36} {rust_s:>8.3f} {total / rust_s:>10.3e}")
    for variant, (seconds, _, _) in peers.items():
        ratio = seconds / rust_s
        target = PROCESS_TARGETS[variant]
        print(f"{PEERS[variant]:<36} {seconds:>8.3f} {total / seconds:>10.3e} {ratio:>6.1f}× "
              f"{f'≥{target:g}×':>7} {'yes' if ratio >= target else 'NO':>4}")
    print("ratio in each round (peer / myobalance, the runs of one round back to back): "
          + "; ".join(" ".join(f"{r:.1f}×" for r in row) for row in rounds))
    if all(v is not None for v in stolen.values()):
        names = {"rust": "myobalance", **{v: PEERS[v] for v in variants}}
        print("host steal while each side ran (CPU time the hypervisor gave to other guests, "
              "share of all cores' time): "
              + "; ".join(f"{names[k]} {100 * v:.1f} %" for k, v in stolen.items()))
    print(f"\npeak RSS of myobalance process: {rss / MB:.1f} MB, limit 1.5 × {f32_bytes / MB:.1f} "
          f"MB + 100 MB = {limit / MB:.1f} MB: {'met' if rss <= limit else 'NOT met'} "
          f"({'/usr/bin/time -v' if TIME.is_file() else 'wait4 helper'}, largest of the runs)")

    print(f"\nsanity check, output file vs numpy/scipy: worst relative difference per summary "
          f"column and feature table (tolerance {SANITY_RTOL:.0%}), event counts")
    print(f"  {'':<40}" + "".join(f" {v:>18}" for v in peers))
    agree = all(ok for _, _, ok in peers.values())
    columns = [rows for _, rows, _ in peers.values()]
    for cells in zip(*columns):
        marks = "".join(f" {value + ('' if good else ' !'):>18}" for _, value, good in cells)
        print(f"  {cells[0][0]:<40}{marks}")
    if not agree:
        print("error: the output file and the numpy/scipy results disagree (marked !)",
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
    r = sub.add_parser("process", help="`myobalance process` end to end against numpy/scipy")
    r.add_argument("--channels", type=int, default=24)
    r.add_argument("--rate", type=float, default=2000.0, help="sample rate, Hz")
    r.add_argument("--seconds", type=float, default=300.0, help="recording length, s")
    r.add_argument("--seed", type=int, default=1, help="seed of the first simulated copy")
    r.add_argument("--repeats", type=int, default=3, help="timed runs per side (median)")
    r.add_argument("--jobs", type=int, help="passed to `myobalance process` (default: its own)")
    r.add_argument("--welch", choices=["shared", "stacked", "both"], default="both",
                   help="numpy/scipy tremor spectra: each segment once (shared, as the engine), "
                   "scipy.signal.welch per window (stacked), or time both (default)")
    r.add_argument("--keep", metavar="DIR", help="write the input and output files to DIR "
                   "and keep them (default: a temporary directory)")
    r.add_argument("--binary", default=str(ROOT / "target" / "release" / "myobalance"),
                   help="the myobalance executable (default: target/release/myobalance)")
    r.set_defaults(func=process)
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
