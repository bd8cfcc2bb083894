"""Benchmark import + check throughput (issue 5): reports per second for text, HTML, DOCX and PDF, and YAML for scale.

Run: .venv/bin/python benchmarks/bench_import.py [--seconds S]
Inputs: text = the real seeds (`../shared/seeds/*.txt`); HTML, DOCX, PDF = `sample_inputs/*.yaml` rendered once with
`gip-author build` into a temp folder.  A format whose renderer or importer is missing (or fails) is skipped, saying so.
Each figure is `open_report(path)` + `check(report)` in one process, repeated over the inputs for about S seconds
(one core; `gip-author audit` uses all of them).  Goals: ≥ 50 reports/s for text and HTML, ≥ 10/s for PDF.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
GOALS = {"text": 50, "html": 50, "pdf": 10}
RENDERED = ("html", "docx", "pdf")


def load_note() -> str:
    """The machine's load, printed beside the figures: other processes on a shared machine halve them."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return "machine load: unknown"
    return f"machine load: {load:.2f} (1-min average) on {os.cpu_count()} cores"


def gip() -> str:
    return shutil.which("gip-author", path=str(Path(sys.executable).parent)) or "gip-author"


def render_samples(outdir: Path) -> tuple[dict[str, list[Path]], dict[str, str]]:
    """Every sample rendered to each format that `gip-author build` can produce; why the others could not."""
    files: dict[str, list[Path]] = {fmt: [] for fmt in RENDERED}
    why: dict[str, str] = {}
    for sample in sorted((ROOT / "sample_inputs").glob("*.yaml")):
        for fmt in RENDERED:
            if fmt in why:
                continue
            run = subprocess.run([gip(), "build", str(sample), "-o", str(outdir / sample.stem), "--format", fmt],
                                 capture_output=True, text=True)
            written = [Path(line.split(" ", 1)[1].strip()) for line in run.stdout.splitlines()
                       if line.startswith("已生成 ")]
            if run.returncode != 0 or not written:
                msg = (run.stderr or run.stdout).strip().splitlines()
                why[fmt] = f"`gip-author build --format {fmt}` failed: {msg[-1] if msg else 'no output'}"
                continue
            files[fmt].extend(written)
    return files, why


def unreadable(files: list[Path]) -> str | None:
    """Why open_report + check fails on one of `files` (importer missing, a bug), or None; warms up lazy imports."""
    from gip_author.load import open_report
    from gip_author.rules import check
    for f in files:
        try:
            check(open_report(f))
        except Exception as e:  # noqa: BLE001 - a benchmark reports, it does not crash
            return f"{f.name}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    return None


def throughput(files: list[Path], seconds: float) -> tuple[float, int, str | None]:
    """(reports/s, reports done, why it could not run) for open_report + check over `files`, repeated."""
    from gip_author.load import open_report
    from gip_author.rules import check
    failed = unreadable(files)
    if failed:
        return 0.0, 0, failed
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or done < len(files):
        for f in files:
            check(open_report(f))
            done += 1
    return done / (time.perf_counter() - t0), done, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent per format")
    args = parser.parse_args()
    print(load_note())
    inputs: dict[str, list[Path]] = {
        "yaml": sorted((ROOT / "sample_inputs").glob("*.yaml")),
        "text": sorted(SEEDS.glob("*.txt")),
    }
    with tempfile.TemporaryDirectory(prefix="gip-bench-import-") as tmp:
        rendered, why = render_samples(Path(tmp))
        inputs.update(rendered)
        for fmt in ("yaml", "text", *RENDERED):
            files = inputs.get(fmt) or []
            goal = f" (goal ≥ {GOALS[fmt]}/s)" if fmt in GOALS else ""
            if not files:
                print(f"{fmt}: skipped — {why.get(fmt, 'no input files')}")
                continue
            rate, done, failed = throughput(files, args.seconds)
            if failed:
                print(f"{fmt}: skipped — import/check of {fmt} failed: {failed}")
                continue
            verdict = "" if fmt not in GOALS else ("  ok" if rate >= GOALS[fmt] else "  BELOW GOAL")
            print(f"{fmt}: {rate:.1f} reports/s import+check, 1 process, {len(files)} files × "
                  f"{done // len(files)} rounds{goal}{verdict}")


if __name__ == "__main__":
    main()
