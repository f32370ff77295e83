#!/usr/bin/env python3
"""Writes the EDF/BDF import fixtures under fixtures/import/edf/ with pyedflib 0.1.42 and
edfio 0.4.18.

Each `<name>.edf` / `<name>.bdf` is written by one of the two libraries; each
`<name>.<ext>.json` holds what the libraries read back from that file: physical values from
pyedflib's `EdfReader.readSignal(i)` (checked here against edfio's `signal.data` to 1e-9),
labels, units, rates, transducer and prefiltering, annotations (pyedflib's `readAnnotations()`
checked against edfio's `annotations`), the start (`getStartdatetime()` with the sub-second
part from pyedflib's raw field, checked against edfio's `startdatetime`: pyedflib 0.1.42 scales
the sub-second part wrongly), the subject and, for EDF+D, the data-record onsets as edfio
parses them from the time-keeping annotations. Sample values are written with 9 significant
digits: far below half a digital step of any signal here (the Rust test's tolerance). Files
are never edited by hand; `truncated.edf` is a copy of `fractional.edf` cut by this script.

    mixed_rates.edf     pyedflib, plain EDF: EMG at 2000 Hz (uV) beside force at 100 Hz (N),
                        two 0.5 s records, started 1998 (two-digit year "98")
    annotated.edf       pyedflib, EDF+C: EMG (uV) and force (N), annotations with and without
                        durations and one with non-ASCII UTF-8 text, in three
                        "EDF Annotations" signals; patient code "P012"
    plain.bdf           pyedflib, plain BDF (24-bit): EMG (uV), EMG (mV), force (N)
    annotated.bdf       edfio, BDF+C: start at .25 s (edfio stores it in the first record's
                        time-keeping annotation), UTF-8 annotations, patient code X with name
    inverted.edf        pyedflib, EDF+C: physical minimum > physical maximum on both signals,
                        12-bit digital range on the force, 0.1 s records
    fractional.edf      edfio, plain EDF: 0.25 s records, EMG at 2000 Hz and force at 100 Hz
    discontinuous.edf   edfio, EDF+D with one gap (see below)
    truncated.edf       fractional.edf cut in the middle of its 6th of 8 records

EDF+D: neither library writes discontinuous files through its public API (EDFlib, under
pyedflib, writes EDF+C/BDF+C only and refuses to read EDF+D: "The file is discontinuous and
cannot be read"; edfio writes EDF+C and reads EDF+D). The least invasive honest way used here:
edfio builds the whole file (header, signals, annotations); then only the annotation signal is
rebuilt with edfio's own TAL encoder (`_EdfTAL`, `_EdfAnnotationsDataRecord`,
`_data_records_to_annotations_signal`) so that the time-keeping onset jumps by 0.75 s after
the third record, and the reserved field is set to "EDF+D". The file is read back by edfio
alone, which must report it as not continuous and find exactly the onsets written.

Run from the repository root:  .venv/bin/python scripts/import_fixtures/edf.py
Deterministic: a fixed seed and fixed dates.
"""
import datetime
import json
import pathlib
import warnings
from importlib import metadata

import edfio
import numpy as np
import pyedflib
from edfio.edf_annotations import (
    _data_records_to_annotations_signal,
    _EdfAnnotationsDataRecord,
    _EdfTAL,
    _get_data_record_onset,
)

OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "import" / "edf"
RNG = np.random.default_rng(20240305)
VERSIONS = f"pyedflib {metadata.version('pyedflib')}, edfio {metadata.version('edfio')}"

# pyedflib warns when a record duration is forced and edfio when headers disagree on
# purpose (the truncated copy); the checks below are what matters.
warnings.simplefilter("ignore")


def emg(seconds, rate, amp):
    """Surface-EMG-like noise: Gaussian, amplitude-modulated by two contraction bursts."""
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    envelope = 0.15 + np.exp(-(((t - 0.3 * seconds) / (0.1 * seconds)) ** 2))
    envelope += 0.7 * np.exp(-(((t - 0.75 * seconds) / (0.08 * seconds)) ** 2))
    return np.clip(RNG.normal(0.0, amp / 3, n) * envelope, -amp, amp)


def force(seconds, rate, peak):
    """A smooth ramp up and hold, with a little noise."""
    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    return peak / (1 + np.exp(-(t - 0.4 * seconds) * 12 / seconds)) + RNG.normal(0, peak / 200, n)


def header(label, unit, rate, pmin, pmax, dmin, dmax, transducer="", prefilter=""):
    return dict(
        label=label,
        dimension=unit,
        sample_frequency=rate,
        physical_min=pmin,
        physical_max=pmax,
        digital_min=dmin,
        digital_max=dmax,
        transducer=transducer,
        prefilter=prefilter,
    )


def write_pyedflib(path, file_type, headers, data, start, patient_code="", patient_name="",
                   record_s=None, annotations=(), annotation_signals=None):
    w = pyedflib.EdfWriter(str(path), len(headers), file_type=file_type)
    if annotation_signals is not None:
        # EDFlib stores one annotation per annotation signal and data record.
        w.set_number_of_annotation_signals(annotation_signals)
    w.setSignalHeaders(headers)
    if record_s is not None:
        w.setDatarecordDuration(record_s)
    w.setPatientCode(patient_code)
    w.setPatientName(patient_name)
    w.setStartdatetime(start)
    w.writeSamples(data)
    for onset, duration, text in annotations:
        w.writeAnnotation(onset, -1 if duration is None else duration, text)
    w.close()


def g9(values):
    """Floats with 9 significant digits (f32 needs at most 9)."""
    return [float(f"{v:.9g}") for v in values]


def by_edfio(path, plus):
    """What edfio reads from `path`."""
    ed = edfio.read_bdf(path) if path.suffix == ".bdf" else edfio.read_edf(path)
    if plus:
        code, name = ed.patient.code, ed.patient.name
        subject = code if code != "X" else (name if name != "X" else None)
    else:
        subject = ed.local_patient_identification.strip() or None
    signals = [
        dict(
            label=s.label,
            unit=s.physical_dimension,
            rate_hz=s.sampling_frequency,
            detail="; ".join(x for x in (s.transducer_type, s.prefiltering) if x),
            physical_min=s.physical_min,
            physical_max=s.physical_max,
            digital_min=s.digital_min,
            digital_max=s.digital_max,
            samples=s.data,
        )
        for s in ed.signals
    ]
    return dict(
        recorded_utc=ed.startdatetime.isoformat(),
        subject=subject,
        record_duration_s=ed.data_record_duration,
        records=ed.num_data_records,
        signals=signals,
        annotations=[
            dict(time_s=a.onset, duration_s=a.duration, text=a.text) for a in ed.annotations
        ],
    )


def by_pyedflib(path, plus):
    """What pyedflib reads from `path`."""
    r = pyedflib.EdfReader(str(path))
    try:
        # pyedflib 0.1.42 turns EDFlib's sub-second start (units of 100 ns) into
        # microseconds by dividing by 100 instead of 10 (2.5e6 → 25 000 µs for 0.25 s):
        # the raw field is used.
        start = r.getStartdatetime().replace(microsecond=r.starttime_subsecond // 10)
        if plus:
            code, name = r.getPatientCode(), r.getPatientName()
            # pyedflib shows "_" in names as spaces; the file (and edfio) have "_".
            name = name.replace(" ", "_")
            subject = code if code not in ("", "X") else (name if name not in ("", "X") else None)
        else:
            subject = r.patient.decode("ascii").strip() or None
        signals = []
        for i in range(r.signals_in_file):
            transducer, prefilter = r.getTransducer(i).strip(), r.getPrefilter(i).strip()
            signals.append(dict(
                label=r.getLabel(i).strip(),
                unit=r.getPhysicalDimension(i).strip(),
                rate_hz=r.getSampleFrequency(i),
                detail="; ".join(x for x in (transducer, prefilter) if x),
                physical_min=r.getPhysicalMinimum(i),
                physical_max=r.getPhysicalMaximum(i),
                digital_min=r.getDigitalMinimum(i),
                digital_max=r.getDigitalMaximum(i),
                samples=r.readSignal(i),
            ))
        onsets, durations, texts = r.readAnnotations()
        return dict(
            recorded_utc=start.isoformat(),
            subject=subject,
            record_duration_s=r.datarecord_duration,
            records=r.datarecords_in_file,
            signals=signals,
            annotations=[
                dict(time_s=float(o), duration_s=None if d < 0 else float(d), text=str(t))
                for o, d, t in zip(onsets, durations, texts)
            ],
        )
    finally:
        r.close()


def agree(a, b, what):
    """pyedflib and edfio read the same file the same way."""
    for key in ("recorded_utc", "subject", "record_duration_s", "records"):
        assert a[key] == b[key], (what, key, a[key], b[key])
    assert len(a["signals"]) == len(b["signals"]), what
    for x, y in zip(a["signals"], b["signals"]):
        for key in ("label", "unit", "rate_hz", "detail", "physical_min", "physical_max",
                    "digital_min", "digital_max"):
            assert x[key] == y[key], (what, key, x[key], y[key])
        assert len(x["samples"]) == len(y["samples"]), (what, x["label"])
        assert np.allclose(x["samples"], y["samples"], rtol=0, atol=1e-9), (what, x["label"])
    assert len(a["annotations"]) == len(b["annotations"]), (what, a["annotations"])
    for x, y in zip(a["annotations"], b["annotations"]):
        assert abs(x["time_s"] - y["time_s"]) < 1e-9 and x["text"] == y["text"], (what, x, y)
        if x["duration_s"] is None or y["duration_s"] is None:
            assert x["duration_s"] is None and y["duration_s"] is None, (what, x, y)
        else:
            assert abs(x["duration_s"] - y["duration_s"]) < 1e-9, (what, x, y)


def read_back(path, expect_format, plus, pyedflib_reads=True):
    """The expected reading of `path`: pyedflib's, checked against edfio's (edfio's alone
    where pyedflib refuses the file)."""
    ours = by_edfio(path, plus)
    reader = f"edfio {metadata.version('edfio')}"
    if pyedflib_reads:
        theirs = by_pyedflib(path, plus)
        agree(theirs, ours, path.name)
        ours = theirs
        reader = f"pyedflib {metadata.version('pyedflib')} (checked against edfio)"
    for s in ours["signals"]:
        s["samples"] = g9(s["samples"])
    return dict(format=expect_format, written_by=VERSIONS, read_back_by=reader, **ours, gaps=[])


def save(path, expected):
    """`<file>.json` beside `<file>` (annotated.edf.json, annotated.bdf.json)."""
    expected = dict(expected, file=path.name)
    text = json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    path.with_name(path.name + ".json").write_text(text, encoding="utf-8")


def mixed_rates():
    path = OUT / "mixed_rates.edf"
    headers = [
        header("EMG L Biceps", "uV", 2000, -3200.0, 3200.0, -32768, 32767, "AgAgCl electrode",
               "HP:10Hz LP:500Hz"),
        header("R_Triceps", "uV", 2000, -3200.0, 3200.0, -32768, 32767, "AgAgCl electrode",
               "HP:10Hz LP:500Hz"),
        header("Force", "N", 100, -1000.0, 1000.0, -32768, 32767, "load cell", ""),
    ]
    data = [emg(1, 2000, 2500), emg(1, 2000, 1800), force(1, 100, 400)]
    start = datetime.datetime(1998, 7, 14, 9, 30, 5)
    write_pyedflib(path, pyedflib.FILETYPE_EDF, headers, data, start, "P012", "Jane_Doe",
                   record_s=0.5)
    save(path, read_back(path, "EDF", plus=False))


def annotated_edf():
    path = OUT / "annotated.edf"
    headers = [
        header("EMG L Biceps", "uV", 1000, -5000.0, 5000.0, -32768, 32767, "AgAgCl", "HP:20Hz"),
        header("Force", "N", 100, -200.0, 800.0, -32768, 32767),
    ]
    data = [emg(2, 1000, 3000), force(2, 100, 600)]
    start = datetime.datetime(2024, 3, 5, 14, 3, 11)
    annotations = [
        (0.5, None, "MVC start"),
        (0.8, 1.0, "hold"),
        (1.25, 0.5, "Kraft max – Übung 3"),
        (1.9, None, "end"),
    ]
    write_pyedflib(path, pyedflib.FILETYPE_EDFPLUS, headers, data, start, "P012", "Jane_Doe",
                   annotations=annotations, annotation_signals=3)
    save(path, read_back(path, "EDF+C", plus=True))


def plain_bdf():
    path = OUT / "plain.bdf"
    full = (-8388608, 8388607)
    headers = [
        header("EMG R Biceps", "uV", 2000, -262144.0, 262143.0, *full, "Active electrode", ""),
        header("EMG R VL", "mV", 2000, -50.0, 50.0, *full),
        header("Force", "N", 100, -2000.0, 2000.0, *full),
    ]
    data = [emg(1, 2000, 4000), emg(1, 2000, 2.0), force(1, 100, 900)]
    start = datetime.datetime(2023, 11, 20, 8, 15, 0)
    write_pyedflib(path, pyedflib.FILETYPE_BDF, headers, data, start, "S-07", "")
    save(path, read_back(path, "BDF", plus=False))


def annotated_bdf():
    path = OUT / "annotated.bdf"
    signals = [
        edfio.BdfSignal(emg(1, 2000, 3000), 2000, label="EMG L Triceps", physical_dimension="uV",
                        physical_range=(-6000, 6000), transducer_type="Ag/AgCl",
                        prefiltering="HP:10Hz"),
        edfio.BdfSignal(force(1, 100, 50), 100, label="Grip", physical_dimension="N",
                        physical_range=(-100, 100)),
    ]
    bdf = edfio.Bdf(
        signals,
        patient=edfio.Patient(code="X", sex="M", name="Max_Mustermann"),
        recording=edfio.Recording(startdate=datetime.date(2025, 1, 31)),
        starttime=datetime.time(23, 59, 59, 250000),
        annotations=[
            edfio.EdfAnnotation(0.1, None, "Ruhe"),
            edfio.EdfAnnotation(0.4, 0.3, "Müdigkeit → Pause"),
            edfio.EdfAnnotation(0.9, 0.05, "stimulus"),
        ],
    )
    bdf.write(path)
    save(path, read_back(path, "BDF+C", plus=True))


def inverted():
    path = OUT / "inverted.edf"
    headers = [
        header("EMG L VL", "uV", 1000, 4000.0, -4000.0, -32768, 32767),
        header("Force", "N", 100, 500.0, -500.0, -2048, 2047, "strain gauge", ""),
    ]
    data = [emg(1, 1000, 3500), force(1, 100, 450) - 200]
    start = datetime.datetime(2024, 6, 1, 10, 0, 0)
    write_pyedflib(path, pyedflib.FILETYPE_EDFPLUS, headers, data, start, "P031", "",
                   record_s=0.1)
    save(path, read_back(path, "EDF+C", plus=True))


def fractional():
    path = OUT / "fractional.edf"
    signals = [
        edfio.EdfSignal(emg(2, 2000, 1500), 2000, label="EMG R Biceps", physical_dimension="uV",
                        physical_range=(-2000, 2000)),
        edfio.EdfSignal(force(2, 100, 300), 100, label="Force", physical_dimension="N",
                        physical_range=(-500, 500)),
    ]
    edf = edfio.Edf(
        signals,
        recording=edfio.Recording(startdate=datetime.date(2024, 9, 2)),
        data_record_duration=0.25,
        starttime=datetime.time(7, 5, 9),
    )
    edf.write(path)
    expected = read_back(path, "EDF", plus=False)
    save(path, expected)
    return expected


def truncated(full):
    source = (OUT / "fractional.edf").read_bytes()
    header_bytes = int(source[184:192])
    record_bytes = (500 + 25) * 2
    keep = header_bytes + 5 * record_bytes + record_bytes // 2
    path = OUT / "truncated.edf"
    path.write_bytes(source[:keep])
    expected = dict(full)
    expected["records"] = 5
    expected["records_expected"] = 8
    expected["signals"] = [
        dict(s, samples=s["samples"][: 5 * int(s["rate_hz"] * 0.25)]) for s in full["signals"]
    ]
    expected["note"] = "fractional.edf cut in its 6th record: the first 5 records of it"
    save(path, expected)


def discontinuous():
    path = OUT / "discontinuous.edf"
    record_s = 0.25
    stored_records = 6
    seconds = record_s * stored_records
    signals = [
        edfio.EdfSignal(emg(seconds, 1000, 2000), 1000, label="EMG L Biceps",
                        physical_dimension="uV", physical_range=(-2500, 2500)),
        edfio.EdfSignal(force(seconds, 100, 200), 100, label="Force", physical_dimension="N",
                        physical_range=(-300, 300)),
    ]
    # Onsets on the file's clock: three records, 0.75 s missing, three records.
    onsets = [0.0, 0.25, 0.5, 1.5, 1.75, 2.0]
    annotations = [(0.1, None, "trial 1"), (0.6, 0.2, "rest"), (1.6, 0.3, "trial 2")]
    edf = edfio.Edf(
        signals,
        patient=edfio.Patient(code="P044", sex="F"),
        recording=edfio.Recording(startdate=datetime.date(2024, 2, 29)),
        starttime=datetime.time(16, 45, 0),
        data_record_duration=record_s,
        annotations=[],
    )
    records = []
    for onset in onsets:
        tals = [_EdfTAL(onset, None, [""])]
        tals += [_EdfTAL(o, d, [t]) for o, d, t in annotations if onset <= o < onset + record_s]
        records.append(_EdfAnnotationsDataRecord(tals).to_bytes())
    timekeeping = _data_records_to_annotations_signal(records, edfio.EdfSignal, record_s)
    edf._set_signals([*edf.signals, timekeeping])
    edf._set_reserved("EDF+D")
    edf.write(path)

    back = edfio.read_edf(path)
    assert not back.is_continuous
    # EDFlib (under pyedflib) refuses EDF+D files: "The file is discontinuous and cannot
    # be read". The expected values are edfio's alone.
    expected = read_back(path, "EDF+D", plus=True, pyedflib_reads=False)
    tk = back._timekeeping_signal
    stamps = [
        float(_get_data_record_onset(rec))
        for rec in tk.digital.reshape(-1, tk._bytes_per_data_record)
    ]
    assert stamps == onsets, stamps
    expected["record_onsets_s"] = stamps
    # The reader's rule (DESIGN.md): a record starting more than half a sample period of the
    # fastest signal after the previous record's end leaves a gap.
    tolerance = 0.5 / max(s["rate_hz"] for s in expected["signals"])
    expected["gaps"] = [
        dict(at_s=i * record_s, missing_s=stamps[i] - (stamps[i - 1] + record_s))
        for i in range(1, len(stamps))
        if stamps[i] - (stamps[i - 1] + record_s) > tolerance
    ]
    save(path, expected)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    mixed_rates()
    annotated_edf()
    plain_bdf()
    annotated_bdf()
    inverted()
    full = fractional()
    truncated(full)
    discontinuous()
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total / 1e6:.2f} MB, into {OUT}")


if __name__ == "__main__":
    main()
