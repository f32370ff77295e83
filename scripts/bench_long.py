"""Bounded-memory `myobalance process`: see scripts/bench-long."""

import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from compare_scipy import ROOT, TIME, build_input, machine_line, measured_run  # noqa: E402

RSS_LIMIT = 400e6  # DESIGN.md "Part 2 targets"
PER_SAMPLE_SLACK = 0.10
SHORT_S = 300
REPEATS = 3


def run_once(cmd):
    """Wall seconds, peak RSS and the standard error of one run."""
    if not TIME.is_file():
        wall, rss = measured_run(cmd)
        return wall, rss, subprocess.run([str(c) for c in cmd], capture_output=True,
                                         text=True).stderr
    start = time.perf_counter()
    done = subprocess.run([str(TIME), "-v", *map(str, cmd)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed: {done.stderr.strip()}")
    rss = next(int(l.rsplit(":", 1)[1]) * 1024 for l in done.stderr.splitlines()
               if "Maximum resident set size (kbytes)" in l)
    return wall, rss, done.stderr


def timed(binary, source, out, read, repeats):
    """Median wall seconds and largest peak RSS of `process SOURCE --read READ`, and how
    `process` said it read the input."""
    walls, peak, said = [], 0, ""
    for _ in range(repeats):
        wall, rss, stderr = run_once([binary, "process", source, "--out", out, "--read", read])
        walls.append(wall)
        peak = max(peak, rss)
        said = next((l for l in stderr.splitlines() if "→" in l), "").strip()
    return statistics.median(walls), peak, said


def main(argv):
    minutes = float(argv[0]) if len(argv) > 0 else 120.0
    channels = int(argv[1]) if len(argv) > 1 else 32
    rate = float(argv[2]) if len(argv) > 2 else 2000.0
    binary = ROOT / "target" / "release" / "myobalance"
    with tempfile.TemporaryDirectory(dir=ROOT / "target") as tmp:
        work = pathlib.Path(tmp)
        long_s = minutes * 60
        print(f"building a {minutes:g}-minute recording of {channels} channels at {rate:g} Hz "
              f"and a {SHORT_S // 60}-minute one ...", file=sys.stderr, flush=True)
        short_in, long_in = work / "short.h5", work / "long.h5"
        build_input(binary, short_in, channels, rate, SHORT_S, 1, work)
        build_input(binary, long_in, channels, rate, long_s, 1, work)
        print("timing ...", file=sys.stderr, flush=True)
        rows = [
            (f"{SHORT_S // 60} min, read whole", short_in, SHORT_S, "whole", REPEATS),
            (f"{SHORT_S // 60} min, read in blocks", short_in, SHORT_S, "blocks", REPEATS),
            (f"{minutes:g} min, --read auto", long_in, long_s, "auto", 1),
        ]
        results = []
        for label, source, seconds, read, repeats in rows:
            wall, rss, said = timed(binary, source, work / "out.h5", read, repeats)
            samples = seconds * rate * channels
            results.append((label, wall, wall / samples * 1e9, rss, said))

    print(f"\nmyobalance process, {channels} channels at {rate:g} Hz (zero-phase, default jobs)")
    print(machine_line())
    print(f"\n{'input':<28} {'seconds':>9} {'ns/sample':>10} {'peak RSS':>10}  reported")
    for label, wall, ns, rss, said in results:
        how = said.split("(")[-1].rstrip(")") if said else ""
        print(f"{label:<28} {wall:9.2f} {ns:10.2f} {rss / 1e6:7.0f} MB  {how}")
    whole_ns, long_ns, long_rss = results[0][2], results[2][2], results[2][3]
    ratio = long_ns / whole_ns
    ok_rss, ok_time = long_rss <= RSS_LIMIT, ratio <= 1 + PER_SAMPLE_SLACK
    print(f"\nlong recording: peak RSS {long_rss / 1e6:.0f} MB, target ≤ {RSS_LIMIT / 1e6:.0f} MB: "
          f"{'met' if ok_rss else 'NOT met'}")
    print(f"long recording: {ratio:.2f} × the time per sample of the {SHORT_S // 60}-minute one "
          f"read whole, target ≤ {1 + PER_SAMPLE_SLACK:.2f}: {'met' if ok_time else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
