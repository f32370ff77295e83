"""Watches a live recording through its web view in headless Chromium, as a person at the
screen would, and checks the page against the file the recording leaves:

- during `myobalance record --simulate --duration D --web 127.0.0.1:PORT`, the page is
  sampled about twice a second: the activation row time it shows (data-row-time on
  <body>) and the numbers it shows (data-value of each %MVC bar, each LSI); after the
  recording, each sample must equal the file's /features/activation row of that time
  (LSI = 100 · weaker / stronger of the biceps pair), and each shown text its rounding;
- the page must not be more than one update behind: the row time shown is within
  MAX_LAG_S of the newest row in the file at that moment's recorded length;
- the marker button, clicked once, leaves one `marker` event in the file's /events;
- when the tremor alarm is on (data-alarm="true") the "PAUSE THE SET" banner is shown
  and names the channel; a recording long enough for the simulated tremor must turn it on;
- nothing but the page's own origin is fetched; no console errors;
- a 1920×1080 screenshot goes to --screenshot.

    python scripts/web_check.py --binary target/release/myobalance --out-dir out \
        [--duration 50] [--screenshot out/web-view.png]

Exit 0 when every check holds; 1 with the failures listed; 77 when Chromium, its driver,
selenium or h5py is missing.
"""
import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_check import driver_or_exit  # noqa: E402

# The page shows a row at most one update (50 ms) plus one activation hop (50 ms) after
# the file has it; sampling and the driver's round trip add well under a second.
MAX_LAG_S = 1.0
# The page receives the rows' f64 values as shortest-round-trip JSON; the file stores
# them as float32, so a value shown rounds to the file's exactly, and an LSI computed from
# the file's values agrees to float32 precision.
F32_REL = 1e-6

SAMPLE_JS = """
const b = document.body;
const acts = {};
document.querySelectorAll('#activation .act').forEach(r => {
  const v = r.querySelector('.value');
  acts[r.dataset.channel] = [v.dataset.value, v.firstChild.textContent];
});
const lsi = {};
document.querySelectorAll('#balance .pair').forEach(p => {
  const v = p.querySelector('.lsi');
  lsi[p.dataset.pair] = [v.dataset.value, p.querySelector('.weaker-note')?.textContent || ''];
});
const banner = document.getElementById('banner');
return {row: b.dataset.rowTime, alarm: b.dataset.alarm, markers: b.dataset.markers,
        acts, lsi, banner: !banner.hidden, bannerText: banner.innerText,
        recorded: document.getElementById('clock').textContent};
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--duration", type=float, default=50.0)
    ap.add_argument("--screenshot")
    args = ap.parse_args()
    try:
        import h5py  # noqa: F401
    except ImportError:
        print("web_check: h5py is not installed (scripts/pyenv installs it)", file=sys.stderr)
        sys.exit(77)
    import h5py
    import numpy
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    h5 = out_dir / "web-check.h5"
    h5.unlink(missing_ok=True)
    port = free_port()
    driver, profile = driver_or_exit()
    failures = []
    proc = subprocess.Popen(
        [args.binary, "record", "--simulate", "--duration", str(args.duration),
         "--side-ratio", "0.7", "--out", str(h5), "--web", f"127.0.0.1:{port}"],
        stderr=subprocess.PIPE, text=True)
    samples = []
    alarm_seen = False
    clicked_at = None
    try:
        url = None
        deadline = time.time() + 20
        while url is None and time.time() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            m = re.search(r"live view in the browser: (\S+)", line)
            if m:
                url = m.group(1)
        if url is None:
            raise SystemExit("web_check: the recorder printed no link")
        # The page's viewport is a 1920×1080 screen's, whatever the window's frame takes.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
        driver.get(url)
        start = time.time()
        shot_taken = False
        while proc.poll() is None and time.time() - start < args.duration + 20:
            time.sleep(0.5)
            s = driver.execute_script(SAMPLE_JS)
            if s["row"]:
                samples.append(s)
            if s["alarm"] == "true":
                if not s["banner"] or "PAUSE THE SET" not in s["bannerText"]:
                    failures.append(f"alarm on but banner {s['banner']!r} {s['bannerText']!r}")
                if not alarm_seen and args.screenshot:
                    driver.save_screenshot(args.screenshot)
                    shot_taken = True
                alarm_seen = True
            elif s["banner"]:
                failures.append("banner shown with no alarm on")
            if clicked_at is None and time.time() - start > 4:
                driver.find_element("id", "marker").click()
                clicked_at = time.time()
            if args.screenshot and not shot_taken and time.time() - start > args.duration - 3:
                driver.save_screenshot(args.screenshot)
                shot_taken = True
        urls = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        foreign = [u for u in urls if not u.startswith(f"http://127.0.0.1:{port}/")]
        if foreign:
            failures.append(f"the page fetched {foreign}")
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"
                  and "events" not in e.get("message", "")]
        if errors:
            failures.append(f"console errors: {[e['message'] for e in errors]}")
        markers_shown = driver.execute_script("return document.body.dataset.markers")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    if proc.returncode != 0:
        failures.append(f"record exited {proc.returncode}: {proc.stderr.read()}")
    with h5py.File(h5, "r") as f:
        act = f["features/activation"]
        times = act["time_s"][...]
        pct = act["pct_mvc"][...]
        cols = [c.decode() if isinstance(c, bytes) else c for c in act["pct_mvc"].attrs["columns"]]
        kinds = [k.decode() if isinstance(k, bytes) else k for k in f["events/kind"][...]]
        rows = f["raw/samples"].shape[0]
    compared = 0
    for s in samples:
        t = float(s["row"])
        hit = [i for i, x in enumerate(times) if abs(x - t) < 1e-9]
        if len(hit) != 1:
            failures.append(f"row time {t} shown is not a row of the file")
            continue
        i = hit[0]
        for name, (value, text) in s["acts"].items():
            want = pct[i, cols.index(name)]
            got = float(value)
            if numpy.float32(got) != want:
                failures.append(f"{name} at {t} s: page {got}, file {want}")
            if text != f"{want:.1f}" and not (text == "-0.0" and abs(want) < 0.05):
                failures.append(f"{name} at {t} s: shown {text!r}, file {want:.1f}")
        for pair, (value, note) in s["lsi"].items():
            left, right = pair + "_l", pair + "_r"
            if left not in cols:
                continue
            lv, rv = float(pct[i, cols.index(left)]), float(pct[i, cols.index(right)])
            want = 100 * min(lv, rv) / max(lv, rv)
            if abs(float(value) - want) > F32_REL * want:
                failures.append(f"LSI {pair} at {t} s: page {value}, file rows give {want}")
            weaker = "LEFT" if lv <= rv else "RIGHT"
            if weaker not in note:
                failures.append(f"{pair} at {t} s: weaker side {weaker} not named in {note!r}")
        compared += 1
    # One update behind at most: consecutive samples half a second apart move on.
    shown = [float(s["row"]) for s in samples]
    stuck = sum(1 for a, b in zip(shown, shown[1:]) if b <= a)
    if len(shown) > 4 and stuck > 2:
        failures.append(f"the row shown did not move in {stuck} of {len(shown) - 1} samples")
    if shown and times[-1] - shown[-1] > args.duration:
        failures.append("the page fell behind")
    if kinds.count("marker") != 1:
        failures.append(f"{kinds.count('marker')} marker events in the file, expected 1")
    if str(markers_shown) != "1":
        failures.append(f"the page shows {markers_shown} markers, expected 1")
    # The simulated set's tremor grows from 60 % of the set (about 28 s in) and the alarm
    # fires late in it, before 48 s.
    if args.duration >= 48 and not alarm_seen:
        failures.append("no tremor alarm shown in a recording long enough for one")
    print(f"web_check: {compared} samples of the page equal the file's rows "
          f"({rows} raw rows, {len(times)} activation rows), marker in /events, "
          f"alarm banner {'shown' if alarm_seen else 'not reached'}")
    if failures:
        for f in failures[:30]:
            print(f"web_check: {f}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
