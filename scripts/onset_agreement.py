"""How myobalance's EMG onsets agree with other tools' on the real recordings in
../shared/data (skipped when absent): per recording and per detector (hodges_bui, tkeo,
bonato: the `text` of onset events), our activations (onset events with their offsets),
how many the reference marks, how many of the reference's activations longer than 100 ms
one of our onsets matches within 150 ms, how many more lie inside one of our activations
(covered: we find the activity but mark it as part of a longer one), and how many of ours
are short (< 100 ms) blips. The figures behind the README's onset section.

    python scripts/onset_agreement.py [--bin target/release/myobalance] [--causal]
    python scripts/onset_agreement.py --sweep     # biosppy_emg_1 over min active x min gap

References: NeuroKit2 0.2.13 `emg_process` onsets for biosppy_emg_1 (its reference/
folder); for the UCI recordings, which have no marked onsets, the activations per channel
are listed so active and resting limbs can be told apart.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
MATCH_S = 0.150
LONG_S = 0.100


METHODS = ("hodges_bui", "tkeo", "bonato")


def activations(path, channel, method):
    """(onset, offset) pairs of `channel` by detector `method` from a processed file's
    /events (an activation still on at the end has offset NaN)."""
    with h5py.File(path, "r") as f:
        kind = f["events/kind"][()].astype(str)
        time = f["events/time_s"][()]
        ch = f["events/channel"][()].astype(str)
        text = f["events/text"][()].astype(str)
    mine = (ch == channel) & (text == method)
    on = np.sort(time[(kind == "onset") & mine])
    off = np.sort(time[(kind == "offset") & mine])
    pairs = []
    for t in on:
        later = off[off > t]
        pairs.append((t, later[0] if later.size else np.nan))
    return pairs


def process(binary, source, out, causal, montage=None):
    cmd = [binary, "process", str(source), "--out", str(out)]
    if causal:
        cmd.append("--causal")
    if montage:
        cmd += ["--montage", str(montage)]
    subprocess.run(cmd, check=True, capture_output=True)


def biosppy(binary, work, causal, analysis=""):
    folder = DATA / "biosppy_emg_1"
    if not folder.exists():
        return None
    out = work / "biosppy.h5"
    montage = None
    if analysis:
        montage = work / "biosppy.toml"
        montage.write_text("sample_rate_hz = 1000.0\nmains_hz = 50\n[[channels]]\n"
                           f"name = \"EMG\"\nkind = \"emg\"\n[analysis]\n{analysis}\n")
    process(binary, folder / "signals.csv", out, causal, montage)
    ref = json.loads((folder / "reference" / "neurokit_onsets_EMG.json").read_text())
    ref_pairs = list(zip(np.array(ref["onsets_samples"]) / 1000.0,
                         np.array(ref["offsets_samples"]) / 1000.0))
    long_ref = [(a, b) for a, b in ref_pairs if b - a > LONG_S]
    rows = []
    for method in METHODS:
        ours = activations(out, "EMG", method)
        starts = np.array([a for a, _ in ours])
        near = [bool(starts.size and np.min(np.abs(starts - a)) <= MATCH_S) for a, _ in long_ref]
        inside = [any(s <= a < (e if np.isfinite(e) else np.inf) for s, e in ours)
                  for a, _ in long_ref]
        blips = sum(1 for a, b in ours if np.isfinite(b) and b - a < LONG_S)
        rows.append({"recording": "biosppy_emg_1 (EMG)", "detector": method,
                     "ours": len(ours), "reference": len(ref_pairs),
                     "reference > 100 ms": len(long_ref),
                     "matched within 150 ms": sum(near),
                     "matched or covered": sum(n or i for n, i in zip(near, inside)),
                     "our blips < 100 ms": blips})
    return rows


def uci(binary, work, causal):
    rows = []
    for folder in sorted(DATA.glob("uci_physical_action_*")):
        out = work / f"{folder.name}.h5"
        process(binary, folder / "signals.csv", out, causal)
        meta = json.loads((folder / "meta.json").read_text())
        for method in METHODS:
            counts = {c: len(activations(out, c, method)) for c in meta["emg_channels"]}
            rows.append((folder.name, method, counts))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(Path(__file__).resolve().parent.parent
                                         / "target" / "release" / "myobalance"))
    ap.add_argument("--causal", action="store_true")
    ap.add_argument("--sweep", action="store_true",
                    help="biosppy_emg_1 for each minimum active duration and gap")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"onset_agreement: skipped: {DATA} is not here")
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.sweep:
            print("min active ms | min gap ms | detector | ours | matched | matched or "
                  "covered | blips < 100 ms")
            for active in (0.03, 0.05, 0.075, 0.1, 0.125, 0.15):
                for gap in (0.02, 0.03, 0.05, 0.1):
                    rows = biosppy(args.bin, work, args.causal,
                                   f"onset_min_active_s = {active}\nonset_min_gap_s = {gap}")
                    for r in rows or []:
                        print(f"{1000 * active:.0f} | {1000 * gap:.0f} | {r['detector']} | "
                              f"{r['ours']} | {r['matched within 150 ms']} | "
                              f"{r['matched or covered']} | {r['our blips < 100 ms']}")
            return
        for b in biosppy(args.bin, work, args.causal) or []:
            print(" | ".join(f"{k}: {v}" for k, v in b.items()))
        for name, method, counts in uci(args.bin, work, args.causal):
            print(f"{name} {method}: activations per channel " +
                  ", ".join(f"{c} {n}" for c, n in counts.items()))


if __name__ == "__main__":
    sys.exit(main())
