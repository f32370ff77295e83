"""XDF fixtures for the importer tests (tests/it/formats_xdf.rs): files written here
byte by byte as the XDF 1.0 specification lays them out (the chunk framing and sample
encoding LabRecorder uses), then read back with `pyxdf` (1.17.5), the reference reader,
which checks the files and says what they hold.

Writes into fixtures/import/xdf/:

- streams.xdf    a LabRecorder-like session: "EMG" (float32, 4 channels at 1000 Hz, 3 s,
                 with 20 samples lost at 1.5 s), "Force" (double64, 2 channels at 100 Hz,
                 starting 0.25 s after the EMG), "Accel" (int16, 3 channels at 250 Hz),
                 "Triggers" (string markers, irregular) and "Clock" (float32, irregular);
                 clock offsets every second on a different line per stream; samples in
                 chunks of up to 100, only the first of a chunk (and the first after the
                 gap) with its own timestamp; a boundary chunk; a footer per stream.
- unknown_tag.xdf  streams.xdf with a chunk of tag 77 after the file header (pyxdf reads
                 the same streams from it as from streams.xdf; the script checks).
- truncated.xdf  streams.xdf cut inside a samples chunk.
- not_xml.xdf    a file whose only stream header is not XML.

and beside streams.xdf and truncated.xdf <name>.json: what pyxdf reads (clocks synchronised, no
dejittering): per stream its name, type, rate, channel labels and units, timestamps and
values; for streams.xdf also the Force and Accel values on the EMG recording's sample
grid (numpy.interp over pyxdf's timestamps, held at the ends), with the gap left out as
the recording leaves it out before filling it.

Deterministic (seeded). Run from the repository root:

    .venv/bin/python scripts/import_fixtures/xdf.py
"""

import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

import numpy as np  # noqa: E402
import pyxdf  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "fixtures", "import", "xdf")
BOUNDARY = bytes.fromhex("43A546DCCBF5410FB30ED5467383CBE4")
FORMATS = {"int16": "<h", "float32": "<f", "double64": "<d"}


def varlen(n):
    if n < 256:
        return struct.pack("<BB", 1, n)
    if n <= 0xFFFFFFFF:
        return struct.pack("<BI", 4, n)
    return struct.pack("<BQ", 8, n)


def chunk(tag, content, stream_id=None):
    body = struct.pack("<H", tag)
    if stream_id is not None:
        body += struct.pack("<I", stream_id)
    body += content
    return varlen(len(body)) + body


def header_xml(name, kind, fmt, rate, channels):
    chans = "".join(
        "<channel><label>%s</label><unit>%s</unit><type>%s</type></channel>" % c
        for c in channels
    )
    return (
        '<?xml version="1.0"?><info><name>%s</name><type>%s</type>'
        "<channel_count>%d</channel_count><nominal_srate>%s</nominal_srate>"
        "<channel_format>%s</channel_format><source_id>%s-1</source_id>"
        "<hostname>lab-pc</hostname><desc><channels>%s</channels></desc></info>"
        % (name, kind, len(channels), repr(float(rate)), fmt, name, chans)
    ).encode()


def samples_chunk(stream_id, fmt, stamps, values):
    """Samples with timestamps where `stamps` has a number, deduced where it has None."""
    body = struct.pack("<BI", 4, len(values))
    for t, row in zip(stamps, values):
        body += b"\x00" if t is None else b"\x08" + struct.pack("<d", t)
        if fmt == "string":
            for v in row:
                raw = v.encode()
                body += varlen(len(raw)) + raw
        else:
            body += b"".join(struct.pack(FORMATS[fmt], v) for v in row)
    return chunk(3, body, stream_id)


class Stream:
    def __init__(self, sid, name, kind, fmt, rate, channels, times, values, offset):
        self.sid, self.name, self.kind, self.fmt, self.rate = sid, name, kind, fmt, rate
        self.channels, self.times, self.values, self.offset = channels, times, values, offset

    def header(self):
        xml = header_xml(self.name, self.kind, self.fmt, self.rate, self.channels)
        return chunk(2, xml, self.sid)

    def chunks(self, start, end):
        """Samples chunks for samples start..end; a sample is stamped when it opens a
        chunk or does not follow its predecessor by one period."""
        out = []
        for a in range(start, end, 100):
            b = min(a + 100, end)
            stamps = []
            for k in range(a, b):
                t = self.times[k]
                regular = (
                    k > a
                    and self.rate > 0
                    and abs(t - self.times[k - 1] - 1.0 / self.rate) < 1e-12
                )
                # Deduced stamps accumulate in floating point as pyxdf adds them up: keep
                # the true time only when it is what the reader will deduce.
                stamps.append(None if regular else t)
            out.append(samples_chunk(self.sid, self.fmt, stamps, self.values[a:b]))
        return out

    def offsets(self, until):
        """Clock offsets every second: what to add to this stream's clock."""
        out = []
        for k in range(int(until) + 1):
            collected = self.times[0] + k
            value = self.offset[0] + self.offset[1] * collected
            out.append(chunk(4, struct.pack("<dd", collected, value), self.sid))
        return out

    def footer(self):
        xml = (
            '<?xml version="1.0"?><info><first_timestamp>%r</first_timestamp>'
            "<last_timestamp>%r</last_timestamp><sample_count>%d</sample_count></info>"
            % (self.times[0], self.times[-1], len(self.times))
        ).encode()
        return chunk(6, xml, self.sid)


def regular_times(t0, rate, n):
    """Timestamps as pyxdf deduces them: the first given, each next one period later,
    summed in floating point."""
    times = [t0]
    for _ in range(n - 1):
        times.append(times[-1] + 1.0 / rate)
    return times


def make_streams(rng):
    t0 = 5000.0
    # EMG: 3 s at 1 kHz with samples 1500..1519 lost.
    emg_times = regular_times(t0, 1000.0, 1500) + regular_times(t0 + 1.52, 1000.0, 1480)
    emg = Stream(
        1, "EMG", "EMG", "float32", 1000,
        [("EMG biceps L", "microvolts", "EMG"), ("EMG triceps L", "microvolts", "EMG"),
         ("EMG biceps R", "microvolts", "EMG"), ("EMG triceps R", "microvolts", "EMG")],
        emg_times,
        [[float(np.float32(v)) for v in rng.normal(0.0, 80.0, 4)] for _ in emg_times],
        (0.125, 2e-5),
    )
    force_times = regular_times(t0 + 0.25, 100.0, 300)
    force = Stream(
        2, "Force", "Force", "double64", 100,
        [("Force L", "newtons", "Force"), ("Force R", "newtons", "Force")],
        force_times,
        [[100.0 + 50.0 * np.sin(0.5 * k), 80.0 + 0.3 * k] for k in range(300)],
        (0.125, 2e-5),
    )
    accel_times = regular_times(t0 - 0.1, 250.0, 800)
    accel = Stream(
        3, "Accel", "Accelerometer", "int16", 250,
        [("Acc X", "g", "Accel"), ("Acc Y", "g", "Accel"), ("Acc Z", "g", "Accel")],
        accel_times,
        [[int(v) for v in rng.integers(-2000, 2000, 3)] for _ in accel_times],
        (0.5, -1e-5),
    )
    marker_times = [t0 - 1.0, t0 + 0.5, t0 + 1.25, t0 + 2.75, t0 + 9.0]
    triggers = Stream(
        4, "Triggers", "Markers", "string", 0,
        [("marker", "", "")],
        marker_times,
        [["before"], ["MVC start"], ["MVC end"], ["rest"], ["after"]],
        (0.125, 2e-5),
    )
    clock = Stream(
        5, "Clock", "Misc", "float32", 0,
        [("tick", "", "")],
        [t0 + 0.3, t0 + 0.9],
        [[1.0], [2.0]],
        (0.125, 2e-5),
    )
    return [emg, force, accel, triggers, clock]


def write_session(path, streams, extra_after_header=b""):
    out = b"XDF:" + chunk(1, b'<?xml version="1.0"?><info><version>1.0</version>'
                          b"<datetime>2026-11-30T09:15:00+0100</datetime></info>")
    out += extra_after_header
    for s in streams:
        out += s.header()
    # Interleave: each stream's samples in halves, offsets and a boundary between.
    halves = []
    for s in streams:
        n = len(s.times)
        halves.append((s.chunks(0, n // 2), s.chunks(n // 2, n)))
    for s, (first, _) in zip(streams, halves):
        out += b"".join(first)
        out += b"".join(s.offsets(3.0)[:2])
    out += chunk(5, BOUNDARY)
    for s, (_, second) in zip(streams, halves):
        out += b"".join(second)
        out += b"".join(s.offsets(3.0)[2:])
    for s in streams:
        out += s.footer()
    with open(path, "wb") as f:
        f.write(out)
    return out


def described(path, grid=None):
    streams, _ = pyxdf.load_xdf(path, synchronize_clocks=True, dejitter_timestamps=False)
    out = []
    for s in sorted(streams, key=lambda s: s["info"]["stream_id"]):
        info = s["info"]
        chans = info["desc"][0]["channels"][0]["channel"]
        series = s["time_series"]
        if isinstance(series, list):
            values = [row[0] for row in series]
        else:
            values = np.asarray(series, dtype=float).tolist()
        out.append({
            "id": int(info["stream_id"]),
            "name": info["name"][0],
            "type": info["type"][0],
            "rate_hz": float(info["nominal_srate"][0]),
            "labels": [c["label"][0] for c in chans],
            "units": [c["unit"][0] if c["unit"][0] is not None else "" for c in chans],
            "timestamps": np.asarray(s["time_stamps"], dtype=float).tolist(),
            "values": values,
        })
    result = {"streams": out}
    if grid is not None:
        result.update(grid(streams))
    return result


def on_emg_grid(streams):
    """Force and Accel on the EMG recording's grid: stored instants k/rate of the
    recording, each moved past the gap before it, as real times from the first EMG
    sample; numpy.interp holds the ends."""
    by_name = {s["info"]["name"][0]: s for s in streams}
    emg = by_name["EMG"]
    t = np.asarray(emg["time_stamps"])
    t0 = t[0]
    steps = np.diff(t)
    gaps = []  # (stored seconds before the gap, seconds missing)
    for k, step in enumerate(steps):
        missing = round(step * 1000.0) - 1
        if step > 1.5 / 1000.0 and missing >= 1:
            gaps.append(((k + 1) / 1000.0, missing / 1000.0))
    stored_s = len(t) / 1000.0
    grids = {}
    for name in ("Force", "Accel"):
        s = by_name[name]
        rate = float(s["info"]["nominal_srate"][0])
        count = int(round(stored_s * rate))
        stored = np.arange(count) / rate
        shift = np.array([sum(m for at, m in gaps if at <= x) for x in stored])
        when = t0 + stored + shift
        series = np.asarray(s["time_series"], dtype=float)
        grids[name] = [
            np.interp(when, np.asarray(s["time_stamps"]), series[:, c]).tolist()
            for c in range(series.shape[1])
        ]
    return {"gaps": [list(g) for g in gaps], "grid": grids}


def write_json(name, value):
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261130)
    streams = make_streams(rng)
    whole = write_session(os.path.join(OUT, "streams.xdf"), streams)
    write_json("streams", described(os.path.join(OUT, "streams.xdf"), on_emg_grid))

    unknown = chunk(77, b"not a chunk XDF 1.0 knows")
    write_session(os.path.join(OUT, "unknown_tag.xdf"), streams, unknown)
    # pyxdf skips the unknown chunk: it reads the same streams as from streams.xdf.
    same = described(os.path.join(OUT, "unknown_tag.xdf"))
    assert same["streams"] == described(os.path.join(OUT, "streams.xdf"))["streams"]

    # Cut inside a samples chunk in the second half of the file.
    cut = int(len(whole) * 0.6)
    with open(os.path.join(OUT, "truncated.xdf"), "wb") as f:
        f.write(whole[:cut])
    write_json("truncated", described(os.path.join(OUT, "truncated.xdf")))

    bad = b"XDF:" + chunk(2, b"this is not xml", 1)
    with open(os.path.join(OUT, "not_xml.xdf"), "wb") as f:
        f.write(bad)


if __name__ == "__main__":
    main()
