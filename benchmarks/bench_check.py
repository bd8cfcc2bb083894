"""Benchmark the validator path (issue 3): `gip-author check` and `--help` wall time, in-process load+check.

Run: .venv/bin/python benchmarks/bench_check.py [SAMPLE.yaml]
Goals: check < 0.3 s, --help < 0.2 s, load+check < 20 ms per report.  Also asserts that the check path
does not import the heavy renderers (weasyprint, docx, pdfplumber).
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(cmd: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    samples = sorted((ROOT / "sample_inputs").glob("*.yaml"))
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else samples[0]
    gip = shutil.which("gip-author", path=str(Path(sys.executable).parent)) or "gip-author"
    print(f"gip-author check {sample.name}: {wall([gip, 'check', str(sample)]):.3f} s wall (goal < 0.3 s)")
    print(f"gip-author --help: {wall([gip, '--help']):.3f} s wall (goal < 0.2 s)")

    import gip_author
    n = 200
    t0 = time.perf_counter()
    for i in range(n):
        gip_author.check(gip_author.load(samples[i % len(samples)]))
    per = (time.perf_counter() - t0) / n
    print(f"in-process load+check: {per * 1000:.1f} ms per report over {n} (goal < 20 ms)")
    heavy = [m for m in ("weasyprint", "docx", "pdfplumber", "pdfminer") if m in sys.modules]
    print(f"heavy modules imported on the check path: {heavy or 'none'}")


if __name__ == "__main__":
    main()
