"""Edit-to-visible latency of `cvgen serve` in headless Chromium (target: median <= 300 ms,
p95 <= 600 ms over 20 edits).

Serves a copy of the example site with the real `cvgen serve` (subprocess), opens it in
Debian's Chromium, then 20 times rewrites `content/cv.yaml` with a new `basics.label`
(the browser reloads by itself; nothing is clicked). "Visible" is the reloaded page's
first contentful paint, read from the browser's Performance API and compared with the
wall-clock time of the write (same machine, same clock); the targets apply to it. The
time until the test's own `wait_for_function` sees the text is printed too: it adds
playwright's polling and round trips. Also prints the server's build times from its log.

    .venv/bin/python bench/serve_bench.py [--edits N] [--check]

`--check` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
LABEL = "label: Senior Platform Engineer"
TARGET_MEDIAN, TARGET_P95 = 0.300, 0.600


def copy_site(dest: Path) -> Path:
    site = dest / "site"
    site.mkdir()
    shutil.copy2(REPO / "cvgen.yaml", site / "cvgen.yaml")
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "theme", site / "theme")
    return site


def start_server(site: Path, tmp: Path) -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cvgen", "serve", "--root", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    assert process.stdout is not None and process.stderr is not None
    log: list[str] = []
    stderr = process.stderr
    threading.Thread(target=lambda: log.extend(stderr), daemon=True).start()
    match = re.search(r"http://\S+/", process.stdout.readline())
    if match is None:
        process.kill()
        raise SystemExit(f"cvgen serve did not start: {''.join(log)}")
    url = match.group(0)
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return process, url, log


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = pct / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# When the reloaded page first painted, on the browser's clock (epoch ms); falls back to
# DOMContentLoaded if this Chromium reports no paint entries.
PAINTED_AT = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
}"""


def run(edits: int) -> tuple[list[float], list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cvgen-serve-bench-") as tmp_name:
        tmp = Path(tmp_name)
        site = copy_site(tmp)
        cv = site / "content" / "cv.yaml"
        original = cv.read_text(encoding="utf-8")
        assert LABEL in original, f"{LABEL!r} not in the example cv.yaml"
        (tmp / "tmp").mkdir()
        process, url, log = start_server(site, tmp / "tmp")
        latencies: list[float] = []  # write -> playwright sees the text (adds its polling)
        painted: list[float] = []  # write -> the browser painted the new page (its own clock)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                page.wait_for_function("() => window.cvgenLive && window.cvgenLive.seq >= 0")
                for i in range(edits):
                    text = f"Bench Engineer {i:02d}"
                    changed = original.replace(LABEL, f"label: {text}")
                    time.sleep(0.4)  # let the previous reload settle
                    started, wall = time.perf_counter(), time.time()
                    cv.write_text(changed, encoding="utf-8")
                    page.wait_for_function(
                        "(text) => document.querySelector('.masthead .label')"
                        "?.textContent === text",
                        arg=text,
                        timeout=10_000,
                    )
                    latencies.append(time.perf_counter() - started)
                    page.wait_for_function(PAINTED_AT)
                    painted.append(page.evaluate(PAINTED_AT) / 1000 - wall)
                browser.close()
        finally:
            process.terminate()
            process.wait(10)
        builds = [
            float(m.group(1)) / 1000
            for line in log
            if (m := re.search(r"^Built \(.*\) in (\d+) ms", line))
        ]
        return latencies, painted, builds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    latencies, painted, builds = run(args.edits)
    median, p95 = statistics.median(painted), percentile(painted, 95)
    ms = lambda s: f"{s * 1000:6.1f} ms"  # noqa: E731
    print(f"cvgen serve edit-to-visible latency over {len(painted)} edits (headless Chromium)")
    print("  write -> first paint of the updated page (browser's own clock):")
    print(f"    median {ms(median)}   (target <= {TARGET_MEDIAN * 1000:.0f} ms)")
    print(f"    p95    {ms(p95)}   (target <= {TARGET_P95 * 1000:.0f} ms)")
    print(f"    min    {ms(min(painted))}   max {ms(max(painted))}")
    print("  write -> text seen by the test (adds playwright's polling and round trips):")
    print(f"    median {ms(statistics.median(latencies))}   p95 {ms(percentile(latencies, 95))}")
    if builds:
        print(f"  server build (render + swap) median {ms(statistics.median(builds))}")
    met = median <= TARGET_MEDIAN and p95 <= TARGET_P95
    print("  targets met" if met else "  TARGET MISSED")
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
