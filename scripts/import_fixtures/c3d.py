#!/usr/bin/env python3
"""Writes the C3D import fixtures under fixtures/import/c3d/ with py-c3d (PyPI `c3d`, 0.6.0).

Each `<name>.c3d` is written by py-c3d's `c3d.Writer`; each `<name>.json` holds what py-c3d's
own `c3d.Reader` reads back from that file (`read_frames(copy=True, analog_transform=True)`:
physical values (raw - OFFSET) * SCALE * GEN_SCALE), plus the parameters the Rust reader
turns into labels, units, descriptions, events and the subject, as py-c3d parses them.
Files are never edited by hand; `truncated.c3d` is a copy of `integer.c3d` cut by this script.

    integer.c3d    Intel, integer data, 2 points, 3 analog channels at 10 per frame, per-channel
                   SCALE and OFFSET, GEN_SCALE 0.5, units and descriptions
    float.c3d      Intel, float data (POINT:SCALE < 0) with SCALE/OFFSET/GEN_SCALE still applied,
                   two header events (no EVENT group)
    unsigned.c3d   ANALOG:FORMAT "UNSIGNED", BITS 16, OFFSET 32768 (u16), raw values above 32767;
                   the third channel's label, unit and description in LABELS2/UNITS2/DESCRIPTIONS2
    defaults.c3d   no ANALOG:UNITS, OFFSET, SCALE, GEN_SCALE or DESCRIPTIONS (the C3D defaults)
    long.c3d       70 001 frames, 1 analog channel, no points: header last frame 65535,
                   POINT:FRAMES 65535, POINT:LONG_FRAMES and TRIAL:ACTUAL_*_FIELD give the count
    events.c3d     first frame 51, an EVENT group (contexts, labels, descriptions, minutes/seconds
                   times, out of time order) and SUBJECTS:NAMES
    truncated.c3d  integer.c3d cut in the middle of its 38th frame

py-c3d 0.6 only writes Intel files (`Writer` hard-codes processor 84); DEC and MIPS decoding is
checked on the c3d.org sample files in shared/data instead.

Run from the repository root:  .venv/bin/python scripts/import_fixtures/c3d.py
Deterministic: a fixed seed, no dates.
"""
import io
import json
from importlib import metadata
import pathlib
import sys
import warnings

# This file is itself named c3d.py: keep its folder off the path so `import c3d` finds py-c3d.
sys.path = [p for p in sys.path if pathlib.Path(p or ".").resolve() != pathlib.Path(__file__).resolve().parent]

import c3d  # noqa: E402
import numpy as np  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "import" / "c3d"
RNG = np.random.default_rng(20240305)

# py-c3d warns about things these small files lack on purpose (no points, no labels for points).
warnings.simplefilter("ignore")


def pack(strings):
    """C3D character array: every entry padded to the longest."""
    width = max(len(s) for s in strings)
    return "".join(s.ljust(width) for s in strings), width


def add_strings(group, name, desc, strings):
    text, width = pack(strings)
    group.add_str(name, desc, text, width, len(strings))


def emg(n, rate, amp):
    """Band-limited noise bursts: a plausible surface-EMG shape."""
    t = np.arange(n) / rate
    envelope = 0.2 + 0.8 * (np.sin(2 * np.pi * 0.7 * t) > 0.3)
    return amp * envelope * RNG.standard_normal(n)


def frames_of(points, analog, apf):
    """Writer frames: (points (n, 5), analog (channels, apf)) per point frame."""
    n_frames = analog.shape[1] // apf
    out = []
    for f in range(n_frames):
        out.append((points[f].copy(), analog[:, f * apf:(f + 1) * apf].copy()))
    return out


def point_track(n_frames, n_points):
    """Markers moving on circles, valid residual 1, camera byte 3."""
    p = np.zeros((n_frames, n_points, 5), np.float32)
    t = np.arange(n_frames) / 50.0
    for k in range(n_points):
        p[:, k, 0] = 100 * np.cos(t + k)
        p[:, k, 1] = 100 * np.sin(t + k)
        p[:, k, 2] = 900 + 10 * k
        p[:, k, 3] = 1.0
        p[:, k, 4] = 3
    return p


def read_back(data):
    """What py-c3d's Reader finds in the file."""
    reader = c3d.Reader(io.BytesIO(data))
    chunks = [a for _, _, a in reader.read_frames(copy=True, analog_transform=True)]
    analog = np.concatenate(chunks, axis=1) if chunks else np.zeros((reader.analog_used, 0))

    def strings(key):
        p = reader.get(key)
        if p is None:
            return None
        return [s.strip(" \x00") for s in np.ravel(p.string_array)]

    labels = strings("ANALOG:LABELS") or []
    units = strings("ANALOG:UNITS")
    descriptions = strings("ANALOG:DESCRIPTIONS")
    for suffix in ("2",):
        labels += strings("ANALOG:LABELS" + suffix) or []
        if units is not None:
            units += strings("ANALOG:UNITS" + suffix) or []
        if descriptions is not None:
            descriptions += strings("ANALOG:DESCRIPTIONS" + suffix) or []
    first_frame = int(reader.header.first_frame)
    out = {
        "format": "C3D",
        "processor": reader.proc_type,
        "point_rate_hz": float(reader.point_rate),
        "analog_rate_hz": float(reader.analog_rate),
        "first_frame": first_frame,
        "frames_read": len(chunks),
        "labels": labels,
        # No ANALOG:UNITS / DESCRIPTIONS parameter: the reader gives empty strings.
        "units": units if units is not None else [""] * reader.analog_used,
        "descriptions": descriptions if descriptions is not None else [""] * reader.analog_used,
        "header_events": [[float(t), str(l).strip(" \x00")] for t, l in reader.header.events],
    }
    return reader, analog, out


def event_table(reader, first_frame):
    """The EVENT group as py-c3d parses it, with times from the first stored frame:
    minutes * 60 + seconds - (first_frame - 1) / POINT:RATE."""
    if reader.get("EVENT:USED") is None:
        return []
    used = int(reader.get("EVENT:USED").uint16_value)
    times = reader.get("EVENT:TIMES").float32_array.reshape(-1)  # column-major (2, used)
    contexts = [s.strip() for s in reader.get("EVENT:CONTEXTS").string_array]
    labels = [s.strip() for s in reader.get("EVENT:LABELS").string_array]
    rate = float(reader.point_rate)
    events = []
    for i in range(used):
        t = float(times[2 * i]) * 60.0 + float(times[2 * i + 1]) - (first_frame - 1) / rate
        events.append({"time_s": t, "context": contexts[i], "label": labels[i]})
    return events


def save(name, data, expected, analog, sample_subset=None):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.c3d").write_bytes(data)
    payload = {"generated_by": "scripts/import_fixtures/c3d.py", "c3d": metadata.version("c3d"),
               "file": f"{name}.c3d", **expected}
    payload["samples_per_channel"] = int(analog.shape[1])
    if sample_subset is None:
        payload["samples"] = [[float(v) for v in ch] for ch in analog]
    else:
        payload["sample_index"] = [int(i) for i in sample_subset]
        payload["samples_at_index"] = [[float(ch[i]) for i in sample_subset] for ch in analog]
        payload["sum"] = [float(np.sum(ch)) for ch in analog]
    text = json.dumps(payload, separators=(",", ":"), allow_nan=False)
    (OUT / f"{name}.json").write_text(text + "\n")
    print(f"fixtures/import/c3d/{name}.c3d  {len(data) / 1024:.0f} KiB, {name}.json {len(text) / 1024:.0f} KiB")


def written(writer):
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def integer_file():
    point_rate, apf, n_frames = 100.0, 10, 150
    n = n_frames * apf
    w = c3d.Writer(point_rate=point_rate, analog_rate=point_rate * apf, point_scale=0.1)
    scales = [0.25, 0.5, 2.0]
    offsets = [0, 100, -50]
    gen = 0.5
    w.set_analog_labels(["EMG L BICEPS", "EMG R TRICEPS", "Force Z"])
    add_strings(w.analog_group, "UNITS", "Analog units", ["uV", "uV", "N"])
    add_strings(w.analog_group, "DESCRIPTIONS", "Analog descriptions",
                ["Delsys Trigno sensor 1", "Delsys Trigno sensor 2", "AMTI plate 1 Fz"])
    w.set_analog_general_scale(gen)
    w.set_analog_scales(scales)
    w.set_analog_offsets(offsets)
    w.set_point_labels(["LASI", "RASI"])
    t = np.arange(n) / (point_rate * apf)
    analog = np.vstack([emg(n, point_rate * apf, 300.0),
                        emg(n, point_rate * apf, 800.0),
                        400 + 300 * np.sin(2 * np.pi * 0.5 * t)])
    w.add_frames(frames_of(point_track(n_frames, 2), analog, apf))
    return written(w)


def float_file():
    point_rate, apf, n_frames = 50.0, 20, 100
    n = n_frames * apf
    w = c3d.Writer(point_rate=point_rate, analog_rate=point_rate * apf, point_scale=-0.01)
    w.set_analog_labels(["EMG L VL", "EMG R VL"])
    add_strings(w.analog_group, "UNITS", "Analog units", ["mV", "mV"])
    w.set_analog_general_scale(2.0)
    w.set_analog_scales([0.001, 0.002])
    w.set_analog_offsets([5, -7])
    w.set_point_labels(["RKNE"])
    analog = np.vstack([emg(n, point_rate * apf, 0.4), emg(n, point_rate * apf, 1.2)])
    w.add_frames(frames_of(point_track(n_frames, 1), analog, apf))
    w.header.encode_events([(0.4, "LHS"), (1.1, "LTO")])
    return written(w)


def unsigned_file():
    point_rate, apf, n_frames = 100.0, 20, 100
    n = n_frames * apf
    w = c3d.Writer(point_rate=point_rate, analog_rate=point_rate * apf, point_scale=0.1)
    w.analog_group.add_str("FORMAT", "Analog data format", "UNSIGNED", 8)
    w.analog_group.add("BITS", "ADC resolution", 2, "<h", 16)
    w.set_analog_labels(["EMG L TA", "EMG L GM"])
    add_strings(w.analog_group, "LABELS2", "More analog labels", ["Torque"])
    add_strings(w.analog_group, "UNITS", "Analog units", ["mV", "mV"])
    add_strings(w.analog_group, "UNITS2", "More analog units", ["Nm"])
    add_strings(w.analog_group, "DESCRIPTIONS", "Analog descriptions", ["tibialis anterior", "gastrocnemius"])
    add_strings(w.analog_group, "DESCRIPTIONS2", "More descriptions", ["dynamometer"])
    # Powers of two: the writer's division by SCALE is exact, so every word lands where aimed.
    scales = np.array([2.0 ** -10, 2.0 ** -10, 2.0 ** -7])
    w.set_analog_general_scale(1.0)
    w.set_analog_scales(scales)
    w.analog_group.set_array("OFFSET", "Analog offsets (unsigned)",
                             np.array([32768, 32768, 32768], dtype=np.uint16))
    t = np.arange(n) / (point_rate * apf)
    # The unsigned 16-bit words to store (offset binary around 32768, reaching past 32767).
    words = np.vstack([np.clip(np.round(emg(n, point_rate * apf, 12000.0)), -32000, 32000),
                       np.clip(np.round(emg(n, point_rate * apf, 9000.0)), -32000, 32000),
                       np.round(25000 * np.sin(2 * np.pi * 0.8 * t))]) + 32768
    # py-c3d's Writer stores integer words as int16 whatever ANALOG:FORMAT says, so hand it the
    # values whose int16 bit patterns are those words; its Reader reads them back as u16, as the
    # FORMAT parameter declares, and gives the physical values in the .json.
    as_int16 = words.astype(np.uint16).view(np.int16).astype(float)
    analog = (as_int16 - 32768) * scales[:, None]
    w.add_frames(frames_of(np.zeros((n_frames, 0, 5), np.float32), analog, apf))
    data = written(w)
    # (py-c3d 0.6 applies SCALE/OFFSET even with analog_transform=False, so check the words
    # through the physical values: words = value / SCALE + OFFSET.)
    back = np.concatenate([a for _, _, a in c3d.Reader(io.BytesIO(data)).read_frames()], axis=1)
    assert np.array_equal(np.round(back / scales[:, None]) + 32768, words), "words stored as aimed"
    assert words.max() > 32767 and words.min() < 32768, "unsigned fixture must cross 32767"
    return data


class WriterWithout(c3d.Writer):
    """The plain Writer, minus the ANALOG parameters it would otherwise always write."""

    def __init__(self, drop, **kwargs):
        super().__init__(**kwargs)
        self._drop = drop

    def _write_metadata(self, handle):
        group = self.analog_group
        for name in self._drop:
            if name in group:
                group.remove_param(name)
        super()._write_metadata(handle)


def defaults_file():
    point_rate, apf, n_frames = 60.0, 10, 60
    n = n_frames * apf
    w = WriterWithout(["UNITS", "OFFSET", "SCALE", "GEN_SCALE", "DESCRIPTIONS"],
                      point_rate=point_rate, analog_rate=point_rate * apf, point_scale=0.1)
    w.set_analog_labels(["EMG1", "EMG2"])
    # Integer words with SCALE 1 / OFFSET 0: whole numbers survive the writer's truncation.
    analog = np.round(np.vstack([emg(n, point_rate * apf, 900.0), emg(n, point_rate * apf, 300.0)]))
    w.add_frames(frames_of(np.zeros((n_frames, 0, 5), np.float32), analog, apf))
    data = written(w)
    reader = c3d.Reader(io.BytesIO(data))
    for name in ("UNITS", "OFFSET", "SCALE", "GEN_SCALE", "DESCRIPTIONS"):
        assert reader.get("ANALOG:" + name) is None, name
    return data


def long_file():
    point_rate, n_frames = 100.0, 70001
    w = c3d.Writer(point_rate=point_rate, analog_rate=point_rate, point_scale=0.1)
    w.set_analog_labels(["Force"])
    add_strings(w.analog_group, "UNITS", "Analog units", ["N"])
    w.set_analog_scales([0.5])
    w.set_analog_offsets([0])
    i = np.arange(n_frames)
    analog = (((i * 37) % 4001) - 2000).astype(float)[None, :] * 0.5
    empty = np.zeros((0, 5), np.float32)
    w.add_frames([(empty, analog[:, f:f + 1]) for f in range(n_frames)])
    return written(w)


def events_file():
    point_rate, apf, n_frames = 10.0, 2, 700
    n = n_frames * apf
    w = c3d.Writer(point_rate=point_rate, analog_rate=point_rate * apf, point_scale=0.1)
    w.set_start_frame(51)
    w.set_analog_labels(["EMG R RF"])
    add_strings(w.analog_group, "UNITS", "Analog units", ["uV"])
    w.set_analog_scales([0.1])
    w.set_analog_offsets([0])
    w.set_point_labels(["RKNE", "LKNE"])
    event = w.add_group(w.numeric_key_next, "EVENT", "Events")
    event.add("USED", "Number of events", 2, "<h", 3)
    add_strings(event, "CONTEXTS", "Event contexts", ["Right", "Left", "General"])
    add_strings(event, "LABELS", "Event labels", ["Foot Strike", "Foot Off", "MVC start"])
    add_strings(event, "DESCRIPTIONS", "Event descriptions",
                ["heel contact", "toe off", "maximum voluntary contraction"])
    # (2, USED) floats, column-major: minutes, seconds per event; deliberately not in time order.
    times = np.array([[0.0, 12.34], [0.0, 8.5], [1.0, 3.25]], dtype="<f4")
    event.add("TIMES", "Event times", 4, None, times.tobytes(), 2, 3)
    subjects = w.add_group(w.numeric_key_next, "SUBJECTS", "Subjects")
    subjects.add("USED", "Number of subjects", 2, "<h", 1)
    add_strings(subjects, "NAMES", "Subject names", ["P07 knee"])
    analog = emg(n, point_rate * apf, 200.0)[None, :]
    # Two points: py-c3d's add_frames mistakes a (1, 5) points array beside a (1, 2) analog
    # array for one nested array.
    w.add_frames(frames_of(point_track(n_frames, 2), analog, apf))
    return written(w)


def main():
    for name, make in [("integer", integer_file), ("float", float_file),
                       ("unsigned", unsigned_file), ("defaults", defaults_file),
                       ("long", long_file), ("events", events_file)]:
        data = make()
        reader, analog, expected = read_back(data)
        expected["events"] = event_table(reader, expected["first_frame"])
        names = reader.get("SUBJECTS:NAMES")
        expected["subject"] = names.string_array[0].strip() if names is not None else None
        if name == "long":
            expected["frames_header_last"] = int(reader.header.last_frame)
            expected["point_frames_parameter"] = int(reader.get("POINT:FRAMES").uint16_value)
            idx = sorted(set(list(range(100)) + list(range(0, analog.shape[1], 997))
                             + list(range(analog.shape[1] - 100, analog.shape[1]))))
            save(name, data, expected, analog, idx)
        else:
            save(name, data, expected, analog)
        if name == "integer":
            # Cut inside frame 38: 37 complete frames remain.
            reader = c3d.Reader(io.BytesIO(data))
            frame_bytes = (4 * reader.point_used * 2) + reader.analog_used * reader.analog_per_frame * 2
            start = (reader.header.data_block - 1) * 512
            cut = data[:start + 37 * frame_bytes + frame_bytes // 2]
            _, t_analog, t_expected = read_back(cut)
            t_expected["events"] = []
            t_expected["subject"] = None
            t_expected["frames_declared"] = 150
            save("truncated", cut, t_expected, t_analog)


if __name__ == "__main__":
    main()
