"""A Lab Streaming Layer outlet for the tests of `record --lsl`, through pylsl (whose wheel
bundles the reference liblsl): a regular float32 stream with labelled channels whose
values are known in advance, so a recording can be checked sample for sample.

    lsl_peer.py --name NAME --type EMG --rate 1000 --seconds 5 --out values.json
                [--drop-at S --drop N] [--channels 4]
    lsl_peer.py --bench --name NAME --channels 32 --rate 10000 --seconds 70

Sample k of channel c is ((k * 7 + c * 13) % 2001) - 1000 (µV for EMG channels, N for the
"Force" channels). Samples are pushed in chunks of 10 ms with their own timestamps
(local_clock() at the first push plus k / rate); with --drop-at the N samples from that
second on are never sent (a gap the recorder must find from the timestamps). The stream
ends after --seconds; --out gets the values sent, their timestamps and the channel labels
and units, as JSON. With --bench (for scripts/bench-lsl) the values are noise, pushed as
numpy chunks every 10 ms, and nothing is written.
"""

import argparse
import json
import os
import socket
import sys
import time

import pylsl


def refuse_outside_a_private_network():
    """LSL discovery multicasts: this helper runs only where the loopback interface is the
    only one (scripts/netns), never beside the machine's real interfaces."""
    # scripts/netns leaves the loopback interface alone in the namespace.
    if [name for _, name in socket.if_nameindex()] != ["lo"]:
        sys.exit("%s: run me inside a private network namespace: scripts/netns %s ..."
                 % (os.path.basename(sys.argv[0]), sys.argv[0]))


def value(k, c):
    return float(((k * 7 + c * 13) % 2001) - 1000)


def main():
    refuse_outside_a_private_network()
    p = argparse.ArgumentParser()
    p.add_argument("--name", default="peer")
    p.add_argument("--type", default="EMG")
    p.add_argument("--rate", type=float, default=1000.0)
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--channels", type=int, default=4)
    p.add_argument("--drop-at", type=float, default=None)
    p.add_argument("--drop", type=int, default=0)
    p.add_argument("--out", default=None)
    p.add_argument("--bench", action="store_true")
    a = p.parse_args()

    labels, units, kinds = [], [], []
    for c in range(a.channels):
        if c < a.channels - 2 or a.channels < 3:
            side = "L" if c % 2 == 0 else "R"
            repeat = "" if c < 4 else " %d" % (c // 4 + 1)
            labels.append("EMG %s %s%s" % (["biceps", "triceps"][(c // 2) % 2], side, repeat))
            units.append("microvolts")
            kinds.append("EMG")
        else:
            labels.append("Force %s" % ("L" if c % 2 == 0 else "R"))
            units.append("newtons")
            kinds.append("Force")
    info = pylsl.StreamInfo(a.name, a.type, a.channels, a.rate, "float32", a.name + "-src")
    chans = info.desc().append_child("channels")
    for label, unit, kind in zip(labels, units, kinds):
        ch = chans.append_child("channel")
        ch.append_child_value("label", label)
        ch.append_child_value("unit", unit)
        ch.append_child_value("type", kind)
    outlet = pylsl.StreamOutlet(info, chunk_size=0, max_buffered=60)
    outlet.wait_for_consumers(30.0)
    if a.bench:
        bench(outlet, a)
        return
    total = int(round(a.seconds * a.rate))
    drop_from = int(round(a.drop_at * a.rate)) if a.drop_at is not None else total
    per_push = max(1, int(round(a.rate / 100)))
    start = pylsl.local_clock()
    wall = time.monotonic()
    sent = {"labels": labels, "units": units, "rate": a.rate, "k": [], "timestamps": []}
    k = 0
    while k < total:
        rows, stamps = [], []
        for j in range(k, min(k + per_push, total)):
            if drop_from <= j < drop_from + a.drop:
                continue
            rows.append([value(j, c) for c in range(a.channels)])
            stamps.append(start + j / a.rate)
            sent["k"].append(j)
            sent["timestamps"].append(start + j / a.rate)
        for row, t in zip(rows, stamps):
            outlet.push_sample(row, t)
        k += per_push
        ahead = wall + k / a.rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    time.sleep(0.5)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(sent, f)


def bench(outlet, a):
    import numpy as np

    per_push = max(1, int(round(a.rate / 100)))
    rng = np.random.default_rng(1)
    blocks = [rng.normal(0.0, 50.0, (per_push, a.channels)).astype(np.float32) for _ in range(16)]
    start = pylsl.local_clock()
    wall = time.monotonic()
    total = int(round(a.seconds * a.rate))
    k = 0
    while k < total:
        outlet.push_chunk(blocks[(k // per_push) % 16], start + (k + per_push - 1) / a.rate)
        k += per_push
        ahead = wall + k / a.rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)


if __name__ == "__main__":
    main()
