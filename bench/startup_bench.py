"""Whole-process start-up time of `cvgen --help` and `cvgen --version` (target < 0.3 s).

Prints the median and best of N runs for each; heavy imports must stay inside commands.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def measure(args: list[str]) -> list[float]:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cvgen", *args], capture_output=True, check=True)
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    for args in (["--version"], ["--help"], ["publish", "--help"], ["infra", "--help"]):
        timings = measure(args)
        print(
            f"cvgen {' '.join(args):<16} median {statistics.median(timings) * 1000:6.1f} ms"
            f"   best {min(timings) * 1000:6.1f} ms   ({RUNS} runs)"
        )


if __name__ == "__main__":
    main()
