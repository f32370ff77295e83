#!/usr/bin/env python3
"""Checks files against the format v1 layout of the design, with h5py as the reader.

Usage: check_layout.py FILE.h5 [FILE.h5 ...]

Every file is opened in SWMR read mode (as a lab script would open a recording that is
still growing). Prints one line per file and a closing "N passed, N failed" line; exits 1
when any file breaks the layout.
"""
import sys

import h5py
import numpy as np

EVENT_KINDS = {"onset", "offset", "tremor_alarm_start", "tremor_alarm_end", "gap", "marker",
               "annotation"}
# EMG onsets and offsets name their detector in /events/text (force onsets leave it empty);
# every other kind but annotations leaves it empty.
ONSET_METHODS = {"hodges_bui", "tkeo", "bonato"}
COUNTERS = ("frames_received", "frames_missing", "frames_corrupt", "bytes_skipped",
            "ring_overruns")


class Layout(Exception):
    pass


def need(cond, message):
    if not cond:
        raise Layout(message)


def is_utf8_vlen(dtype):
    info = h5py.check_string_dtype(dtype)
    return info is not None and info.encoding == "utf-8" and info.length is None


def text_attr(obj, name, where):
    need(name in obj.attrs, f"{where}: attribute {name} missing")
    attr_id = obj.attrs.get_id(name)
    need(is_utf8_vlen(attr_id.dtype), f"{where}: attribute {name} is not a UTF-8 variable-length string")
    return obj.attrs[name]


def text_dataset(ds, where):
    need(ds.ndim == 1, f"{where}: expected 1-D")
    need(is_utf8_vlen(ds.dtype), f"{where}: not UTF-8 variable-length strings")
    return [s.decode() if isinstance(s, bytes) else s for s in ds[()]]


def check_root(f):
    need(text_attr(f, "format", "/") == "myobalance", "/: format is not 'myobalance'")
    need(int(f.attrs["format_version"]) == 1, "/: format_version is not 1")
    for name in ("software", "created_utc", "source", "montage"):
        text_attr(f, name, "/")
    need(int(f.attrs["mains_hz"]) in (50, 60), "/: mains_hz is not 50 or 60")
    created = f.attrs["created_utc"]
    need(len(created) == 20 and created.endswith("Z") and created[10] == "T",
         f"/: created_utc {created!r} is not ISO 8601 UTC")
    # Part 2: what an imported file says about itself, each when known.
    for name in ("recorded_utc", "subject", "session", "source_format"):
        if name in f.attrs:
            text_attr(f, name, "/")
    if "recorded_utc" in f.attrs:
        recorded = f.attrs["recorded_utc"]
        need(len(recorded) >= 19 and recorded[4] == "-" and recorded[10] == "T",
             f"/: recorded_utc {recorded!r} is not ISO 8601")


def check_raw(f):
    need("raw/samples" in f, "/raw/samples missing")
    ds = f["raw/samples"]
    need(ds.dtype == np.float32, "/raw/samples is not float32")
    need(ds.ndim == 2, "/raw/samples is not 2-D")
    need(ds.chunks is not None, "/raw/samples is not chunked")
    need(ds.shuffle and ds.compression == "gzip", "/raw/samples lacks shuffle + deflate")
    need(float(ds.attrs["sample_rate_hz"]) > 0, "/raw/samples: sample_rate_hz not positive")
    n_ch = ds.shape[1]
    for name in ("channel_names", "units", "kinds"):
        attr_id = ds.attrs.get_id(name)
        need(is_utf8_vlen(attr_id.dtype), f"/raw/samples: {name} is not UTF-8 strings")
        need(len(ds.attrs[name]) == n_ch, f"/raw/samples: {name} does not name {n_ch} columns")
    need(set(ds.attrs["kinds"]) <= {"emg", "force", "accel", "other"}, "/raw/samples: bad kinds")
    if "source_rates_hz" in ds.attrs:
        rates = np.asarray(ds.attrs["source_rates_hz"])
        need(rates.shape == (n_ch,) and (rates > 0).all(),
             "/raw/samples: source_rates_hz is not one positive rate per column")
    raw = f["raw"]
    if "protocol" in raw.attrs or "gaps" in raw:
        for name in COUNTERS:
            if name in raw.attrs:
                need(int(raw.attrs[name]) >= 0, f"/raw: {name} negative")
        need(raw["gaps"].dtype == np.int64 and raw["gaps"].shape[1:] == (2,), "/raw/gaps not i64 (n, 2)")
        need(raw["timing"].dtype == np.float64 and raw["timing"].shape[1:] == (2,),
             "/raw/timing not f64 (n, 2)")
    return ds.shape


def check_features(f):
    if "features" not in f:
        return 0
    for name, group in f["features"].items():
        where = f"/features/{name}"
        need("time_s" in group, f"{where}/time_s missing")
        t = group["time_s"]
        need(t.dtype == np.float64 and t.ndim == 1, f"{where}/time_s not f64 (rows,)")
        need(np.all(np.diff(t[()]) > 0), f"{where}/time_s not increasing")
        for table, ds in group.items():
            if table == "time_s":
                continue
            need(ds.ndim == 2 and ds.shape[0] == t.shape[0], f"{where}/{table} not (rows, columns)")
            need(ds.dtype == np.float32, f"{where}/{table} is not float32")
            attr_id = ds.attrs.get_id("columns")
            need(is_utf8_vlen(attr_id.dtype), f"{where}/{table}: columns not UTF-8 strings")
            need(len(ds.attrs["columns"]) == ds.shape[1], f"{where}/{table}: columns do not match")
        need(len(group.attrs) > 0, f"{where}: no parameter attributes")
    return len(f["features"])


def check_events(f):
    if "events" not in f:
        return
    e = f["events"]
    n = e["time_s"].shape[0]
    need(e["time_s"].dtype == np.float64 and e["value"].dtype == np.float64, "/events: numbers not f64")
    kinds = text_dataset(e["kind"], "/events/kind")
    text_dataset(e["channel"], "/events/channel")
    need(len(kinds) == n and e["channel"].shape[0] == n and e["value"].shape[0] == n,
         "/events: columns differ in length")
    need(set(kinds) <= EVENT_KINDS, f"/events/kind: unknown kinds {set(kinds) - EVENT_KINDS}")
    if "text" in e:
        texts = text_dataset(e["text"], "/events/text")
        need(len(texts) == n, "/events/text: not one per event")
        need(all(t in ONSET_METHODS or t == "" for t, k in zip(texts, kinds)
                 if k in ("onset", "offset")),
             "/events/text: an onset or offset whose text is not a detector's name")
        need(all(t == "" for t, k in zip(texts, kinds)
                 if k not in ("annotation", "onset", "offset")),
             "/events/text: text on an event that is neither an annotation nor an onset")
    else:
        need("annotation" not in kinds, "/events: annotations without /events/text")


def check_summary(f):
    if "summary" not in f:
        return
    for name, group in f["summary"].items():
        where = f"/summary/{name}"
        names = text_dataset(group["names"], f"{where}/names")
        for column, ds in group.items():
            need(ds.shape == (len(names),), f"{where}/{column} does not have one value per name")


def check_truth(f):
    if "truth" not in f:
        return
    for name, ds in f["truth"].items():
        for attr in ("unit", "description"):
            text_attr(ds, attr, f"/truth/{name}")
        need(ds.dtype == np.float64, f"/truth/{name} is not f64")


def check(path):
    with h5py.File(path, "r", swmr=True) as f:
        check_root(f)
        shape = check_raw(f)
        groups = check_features(f)
        check_events(f)
        check_summary(f)
        check_truth(f)
        return f"{shape[0]} samples x {shape[1]} channels, {groups} feature groups"


def main(paths):
    passed = failed = 0
    for path in paths:
        try:
            print(f"ok      {path}: {check(path)}")
            passed += 1
        except (Layout, KeyError, OSError) as e:
            print(f"FAILED  {path}: {e}")
            failed += 1
    print(f"layout: {passed} passed, {failed} failed")
    return 1 if failed or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
