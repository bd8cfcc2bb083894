"""Helpers shared by the benchmarks: where things are, the CLI, rendering the samples, the machine's load."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"  # the test inputs travel with the project
SEEDS = DATA / "seeds"
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
    from gip_author.readers import open_report
    from gip_author.rules import check
    for f in files:
        try:
            check(open_report(f))
        except Exception as e:  # noqa: BLE001 - a benchmark reports, it does not crash
            return f"{f.name}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    return None
