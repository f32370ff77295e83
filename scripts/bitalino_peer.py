#!/usr/bin/env python3
"""Writes fixtures/bitalino/: BITalino frames as the manufacturer's own Python API decodes them.

The simulated BITalino (examples/bitalino_device.rs) runs on a pseudo-terminal; the official
API (PyPI `bitalino`, over pyserial) connects to it by its path, asks for the version, starts
an acquisition at 1000 Hz, reads frames, stops and closes. The device logs every byte it
sends; for each acquisition this script keeps exactly the bytes the API consumed as frames
(`NAME.bin`) and what the API decoded from them (`NAME.json`: sequence number, digital
ports I1 I2 O1 O2, analog values per frame). tests/it/bitalino.rs decodes the .bin files with
myobalance's decoder and compares with the .json; the tests never need Python.

Acquisitions: 1 channel (A1); 4 channels A1 A3 A4 A6 (a mask with holes: A6 lands at the
fourth place of the frame and keeps 10 bits); 6 channels (the digital output O1 switched on
half-way with the API's `trigger`); 4 channels A1–A4 with every 7th frame lost by the device
(sequence jumps). 2000 frames each.

Deterministic but for one thing: the device's values depend only on the seed and the frame
index, and the API reads from the first frame of each acquisition, so bitalino_1ch, _4ch and
_4ch_lossy come out byte for byte the same on every run (timing decides only how many frames
the device sends after the API stopped reading, and those are not kept). In bitalino_6ch the
frame at which O1 turns on depends on timing (the API waits 0.1 s before every command, and
the device applies it to the frame it is making when the byte arrives: about frame 1100);
each .json always matches its own .bin.

Run (builds nothing; build the device first):
    cargo build --release --example bitalino_device
    .venv/bin/python scripts/bitalino_peer.py [--device PATH]
The device path defaults to ${CARGO_TARGET_DIR:-target}/release/examples/bitalino_device.
`bitalino` and `pyserial` are installed at the pinned versions below with `pip install
--no-deps` when missing (the API's PyBluez dependency needs Bluetooth headers and only
serves Bluetooth sockets; a serial path such as /dev/pts/N goes through pyserial). Nothing
here uses Bluetooth.
"""
import argparse
import importlib.metadata
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "bitalino"
PINNED = {"bitalino": "1.2.6", "pyserial": "3.5"}
FRAMES = 2000
RATE_HZ = 1000
# name, analog channels (0 = A1), device seed, device --lose-every, frames before trigger([1, 0])
ACQUISITIONS = [
    ("bitalino_1ch", [0], 11, None, None),
    ("bitalino_4ch", [0, 2, 3, 5], 12, None, None),
    ("bitalino_6ch", [0, 1, 2, 3, 4, 5], 13, None, 1000),
    ("bitalino_4ch_lossy", [0, 1, 2, 3], 14, 7, None),
]
# Longest one acquisition may take before the script gives up (the API blocks forever on a
# silent port).
WATCHDOG_S = 120


def ensure_packages():
    missing = []
    for name, version in PINNED.items():
        try:
            if importlib.metadata.version(name) != version:
                missing.append(f"{name}=={version}")
        except importlib.metadata.PackageNotFoundError:
            missing.append(f"{name}=={version}")
    if missing:
        print(f"installing {' '.join(missing)} (--no-deps)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        *missing], check=True)


def frame_len(n):
    # The API's own formula (BITalino.read): 4 digital bits, a byte of sequence and CRC,
    # 10 bits for each of the first four channels, 6 for the fifth and sixth.
    bits = 12 + 10 * n if n <= 4 else 52 + 6 * (n - 4)
    return -(-bits // 8)


def acquire(device, name, channels, seed, lose_every, trigger_at):
    from bitalino import BITalino

    with tempfile.TemporaryDirectory() as tmp:
        log = pathlib.Path(tmp) / "device.bin"
        cmd = [device, "--log", str(log), "--seed", str(seed)]
        if lose_every:
            cmd += ["--lose-every", str(lose_every)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        try:
            path = proc.stdout.readline().strip()
            signal.alarm(WATCHDOG_S)
            dev = BITalino(path)  # a /dev/ path: pyserial at 115200 baud; asks the version
            version = dev.version()
            dev.start(RATE_HZ, channels)
            if trigger_at:
                data = dev.read(trigger_at)
                dev.trigger([1, 0])
                data = list(data) + list(dev.read(FRAMES - trigger_at))
            else:
                data = list(dev.read(FRAMES))
            dev.stop()
            dev.close()
            signal.alarm(0)
        finally:
            proc.terminate()
            proc.wait()
        sent = log.read_bytes()

    # BITalino() asked for the version once, the script once more; frames follow.
    prefix = ((version + "\n") * 2).encode()
    if not sent.startswith(prefix):
        sys.exit(f"{name}: the device's first bytes are not two version strings: {sent[:40]!r}")
    length = frame_len(len(channels))
    frames = sent[len(prefix):len(prefix) + FRAMES * length]
    if len(frames) != FRAMES * length:
        sys.exit(f"{name}: the device log holds {len(frames)} frame bytes, not {FRAMES * length}")

    rows = [[int(v) for v in row] for row in data]
    payload = {
        "generated_by": "scripts/bitalino_peer.py",
        "bitalino": importlib.metadata.version("bitalino"),
        "pyserial": importlib.metadata.version("pyserial"),
        "device_version": version,
        "rate_hz": RATE_HZ,
        "channels": channels,
        "frame_len": length,
        "seed": seed,
        "lose_every": lose_every,
        "frames": len(rows),
        "sequence": [r[0] for r in rows],
        "digital": [r[1:5] for r in rows],
        "analog": [r[5:] for r in rows],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.bin").write_bytes(frames)
    (OUT / f"{name}.json").write_text(json.dumps(payload, separators=(",", ":")) + "\n")
    print(f"fixtures/bitalino/{name}.bin  {len(frames)} bytes, {len(rows)} frames "
          f"({version}, channels {channels})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    parser.add_argument("--device", default=str(pathlib.Path(target) / "release" / "examples"
                                                / "bitalino_device"))
    args = parser.parse_args()
    if not pathlib.Path(args.device).is_file():
        sys.exit(f"{args.device}: not built (cargo build --release --example bitalino_device)")
    ensure_packages()
    for acquisition in ACQUISITIONS:
        acquire(args.device, *acquisition)


if __name__ == "__main__":
    main()
