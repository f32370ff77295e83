"""Opens a page of myobalance (report, progress) in headless Chromium through
chromium-driver, as a user would see it, and checks what a browser does with it:

- it loads from file:// with no request leaving the page and no error in the console;
- every chart (inline <svg> in a <figure>) is laid out with a visible size;
- each --text is shown on the page (rendered text, not only in the source);
- with --min-charts N, at least N charts are drawn.

A screenshot of the full page goes to --screenshot when given.

    python scripts/page_check.py PAGE.html [--text T]... [--min-charts N] [--screenshot P.png]

Exit 0 when every check holds; 1 with the failures listed; 77 when Chromium or its driver
is missing (the caller installs them: scripts/setup --browser).
"""
import argparse
import shutil
import sys
import tempfile
from pathlib import Path


def driver_or_exit():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("page_check: selenium is not installed (scripts/pyenv installs it)", file=sys.stderr)
        sys.exit(77)
    chromedriver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not Path(chromedriver).exists() or browser is None:
        print("page_check: chromium and chromium-driver are needed (scripts/setup --browser)",
              file=sys.stderr)
        sys.exit(77)
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    # Nothing but the page: no background requests to the browser maker's hosts (this
    # machine may reach nothing else), a fresh profile each time.
    profile = tempfile.mkdtemp(prefix="myobalance-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(chromedriver), options=options), profile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("--text", action="append", default=[])
    ap.add_argument("--min-charts", type=int, default=1)
    ap.add_argument("--screenshot")
    args = ap.parse_args()
    page = Path(args.page).resolve()
    driver, profile = driver_or_exit()
    failures = []
    try:
        driver.get(page.as_uri())
        # Every resource the page asked for: only the page itself.
        urls = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        if urls:
            failures.append(f"the page fetched {urls}")
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        if errors:
            failures.append(f"console errors: {[e['message'] for e in errors]}")
        sizes = driver.execute_script(
            "return Array.from(document.querySelectorAll('figure svg'))"
            ".map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })")
        small = [s for s in sizes if s[0] < 100 or s[1] < 60]
        if small:
            failures.append(f"{len(small)} of {len(sizes)} charts are not laid out: {small[:3]}")
        if len(sizes) < args.min_charts:
            failures.append(f"{len(sizes)} charts drawn, expected at least {args.min_charts}")
        shown = driver.execute_script("return document.body.innerText")
        for text in args.text:
            if text not in shown:
                failures.append(f"not shown: {text!r}")
        if args.screenshot:
            height = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(1400, min(max(height + 40, 800), 16000))
            driver.save_screenshot(args.screenshot)
        print(f"page_check: {page.name}: {len(sizes)} charts laid out, "
              f"{len(args.text)} texts shown, nothing fetched")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        for f in failures:
            print(f"page_check: {page.name}: {f}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
