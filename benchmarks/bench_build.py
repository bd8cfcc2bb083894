"""Benchmark the publishing path (issue 4): `gip-author build` wall time, per format and for all three,
side by side with LibreOffice converting the same DOCX to PDF, and the size of the PDF.

Run: .venv/bin/python benchmarks/bench_build.py [SAMPLE.yaml]
Goals: all three formats < 1.5 s on this 2-core machine and at most 0.75 of LibreOffice's DOCX -> PDF of the same
report (issue 11); PDF < 600 KB.  On a machine busy with other work both sides slow down, ours more (it uses
both cores): the script prints the load beside the figures.
Times are medians of interleaved runs (the machine may be busy; interleaving treats both sides alike).
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIP = str(Path(sys.executable).with_name("gip-author"))


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - t0


def _load() -> str:
    import os
    try:
        return f"machine load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    except OSError:
        return "machine load unknown"


def main() -> None:
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else sorted((ROOT / "sample_inputs").glob("*.yaml"))[0]
    runs = 7
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timed([GIP, "build", str(sample), "-o", str(out / "first")])
        docx = next((out / "first").glob("*.docx"))
        pdf = next((out / "first").glob("*.pdf"))
        ours, lo = [], []
        per_format = {fmt: [] for fmt in ("html", "docx", "pdf")}
        soffice = shutil.which("soffice")
        for i in range(runs):
            ours.append(timed([GIP, "build", str(sample), "-o", str(out / f"b{i}")]))
            for fmt in per_format:
                per_format[fmt].append(timed([GIP, "build", str(sample), "-o", str(out / f"{fmt}{i}"),
                                              "--format", fmt]))
            if soffice:
                lo.append(timed([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out / f"lo{i}"),
                                 str(docx)]))
        print(f"sample: {sample.name}; {_load()}")
        for fmt, times in per_format.items():
            print(f"gip-author build --format {fmt:4}: {statistics.median(times):.2f} s")
        print(f"gip-author build (all three):  {statistics.median(ours):.2f} s   (goal < 1.5 s)")
        if lo:
            ratio = statistics.median(a / b for a, b in zip(ours, lo))
            print(f"LibreOffice DOCX -> PDF:       {statistics.median(lo):.2f} s   (ours / LibreOffice = {ratio:.2f}, goal <= 0.75)")
        print(f"PDF size: {pdf.stat().st_size / 1024:.0f} KB (goal < 600 KB)")


if __name__ == "__main__":
    main()
