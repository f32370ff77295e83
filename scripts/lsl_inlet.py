"""A Lab Streaming Layer consumer for the tests of `record --lsl-out`, through pylsl (the
reference liblsl): finds the features stream NAME and the events stream NAME-events,
then pulls both until NAME goes quiet, and writes what it received as JSON: each stream's
type, rate, channel labels and units, and every sample with its timestamp (NaN as
null).

    lsl_inlet.py --name NAME --out received.json [--timeout 20]
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


def describe(info):
    labels, units = [], []
    ch = info.desc().child("channels").child("channel")
    while not ch.empty():
        labels.append(ch.child_value("label"))
        units.append(ch.child_value("unit"))
        ch = ch.next_sibling("channel")
    return {"type": info.type(), "rate": info.nominal_srate(), "labels": labels, "units": units}


def main():
    refuse_outside_a_private_network()
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=float, default=20.0)
    a = p.parse_args()
    found = {}
    deadline = time.monotonic() + a.timeout
    while len(found) < 2 and time.monotonic() < deadline:
        for s in pylsl.resolve_byprop("name", a.name, timeout=0.5) + pylsl.resolve_byprop(
            "name", a.name + "-events", timeout=0.5
        ):
            found.setdefault(s.name(), s)
    inlets = {n: pylsl.StreamInlet(s) for n, s in found.items()}
    out = {}
    for n, inlet in inlets.items():
        out[n] = describe(inlet.info(timeout=5.0))
        out[n]["samples"], out[n]["timestamps"] = [], []
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 2.0:
        got = False
        for n, inlet in inlets.items():
            samples, stamps = inlet.pull_chunk(timeout=0.05)
            if samples:
                got = True
                out[n]["samples"].extend(samples)
                out[n]["timestamps"].extend(stamps)
        if got:
            quiet_since = time.monotonic()
    # JSON has no NaN: a value a column does not have yet (NaN) is written as null.
    for n in out:
        out[n]["samples"] = [
            [None if isinstance(v, float) and v != v else v for v in s] for s in out[n]["samples"]
        ]
    with open(a.out, "w") as f:
        json.dump(out, f, allow_nan=False)


if __name__ == "__main__":
    main()
