"""Benchmark `gip-author audit` over 1,000 files (issue 5): wall time for a generated folder of mixed formats.

Run: .venv/bin/python benchmarks/bench_audit.py [--files N] [--serial]
The folder (a temp dir, removed afterwards) holds N files: YAML variants of `sample_inputs/` (agency renamed to
another place, Table 2 numbers changed), the real text seeds with the agency renamed, and copies of the samples
rendered with `gip-author build` to HTML (agency renamed in the page), DOCX and PDF (byte copies).  About 40 %
YAML, 20 % text, 20 % HTML, 10 % DOCX, 10 % PDF; a format whose renderer is missing is replaced by YAML, saying so.
Prints the wall time of `gip-author audit DIR -o summary.csv` on all cores (and with -j 1 when --serial is given),
its CPU time (on a machine shared with other work the wall time says more about the neighbours than about the
tool; CPU / cores is what an idle machine would need), and checks the summary has one row per file.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SEEDS, gip, load_note, render_samples, unreadable  # noqa: E402

PLACES = ("东城区", "西湖区", "南山区", "北仑区", "江宁区", "鼓楼区", "天河区", "武侯区", "雁塔区", "岳麓区",
          "思明区", "历下区", "市南区", "和平区", "道里区", "朝阳区", "海曙区", "姑苏区", "滨湖区", "蜀山区")
MIX = {"yaml": 0.4, "text": 0.2, "html": 0.2, "docx": 0.1, "pdf": 0.1}
_PLACE = re.compile(r"^(.+?[省市区县旗])")


def renamed(agency: str, i: int) -> str:
    """Another agency of the same kind: the place name swapped for one of PLACES."""
    m = _PLACE.match(agency)
    return PLACES[i % len(PLACES)] + (agency[m.end():] if m else agency)


def agency_of(text: str, known: list[str]) -> str | None:
    return next((a for a in known if a in text), None)


def yaml_variant(text: str, i: int) -> str:
    agency = re.search(r"^机关:\s*(\S+)", text, re.M)[1]
    text = text.replace(agency, renamed(agency, i))
    return re.sub(r"^(\s*行政(?:许可|处罚|强制):\s*)(\d+)", lambda m: f"{m[1]}{int(m[2]) + i % 97}", text, flags=re.M)


def generate(folder: Path, scratch: Path, n: int) -> dict[str, int]:
    samples = sorted((ROOT / "sample_inputs").glob("*.yaml"))
    yamls = [s.read_text(encoding="utf-8") for s in samples]
    agencies = [re.search(r"^机关:\s*(\S+)", y, re.M)[1] for y in yamls]
    rendered, why = render_samples(scratch)
    sources: dict[str, list[Path]] = {"text": sorted(SEEDS.glob("*.txt")), **rendered}
    counts = {fmt: round(n * share) for fmt, share in MIX.items()}
    for fmt in ("text", "html", "docx", "pdf"):
        if sources.get(fmt) and fmt not in why:
            failed = unreadable(sources[fmt])
            if failed:
                why[fmt], sources[fmt] = f"cannot import it: {failed}", []
        if not sources.get(fmt):
            print(f"{fmt}: none in the mix — {why.get(fmt, 'no input files')}; replaced by YAML")
            counts["yaml"] += counts.pop(fmt)
    counts["yaml"] += n - sum(counts.values())
    made = 0
    for fmt, count in counts.items():
        sub = folder / fmt
        sub.mkdir()
        for i in range(count):
            if fmt == "yaml":
                (sub / f"r{i:04d}.yaml").write_text(yaml_variant(yamls[i % len(yamls)], i), encoding="utf-8")
            else:
                src = sources[fmt][i % len(sources[fmt])]
                out = sub / f"r{i:04d}{src.suffix}"
                if fmt in ("text", "html"):
                    text = src.read_text(encoding="utf-8")
                    agency = agency_of(text, agencies)
                    out.write_text(text.replace(agency, renamed(agency, i)) if agency else text, encoding="utf-8")
                else:
                    shutil.copyfile(src, out)
            made += 1
    assert made == n
    return counts


def audit(folder: Path, out: Path, jobs: int | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers) of one `gip-author audit` run."""
    cmd = [gip(), "audit", str(folder), "-o", str(out)] + (["-j", str(jobs)] if jobs else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0 or "Traceback" in run.stderr:
        sys.exit(f"gip-author audit failed ({run.returncode}): {run.stderr.strip()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def summary_rows(out: Path) -> tuple[int, int]:
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))[:-1]  # the last row is the total
    return len(rows), sum(1 for r in rows if r["无法读取的原因 error"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--serial", action="store_true", help="also time -j 1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gip-bench-audit-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        counts = generate(folder, Path(tmp) / "rendered", args.files)
        mix = ", ".join(f"{n} {fmt}" for fmt, n in counts.items())
        out = Path(tmp) / "summary.csv"
        cores = os.cpu_count()
        print(load_note())
        wall, cpu = audit(folder, out, None)
        rows, unreadable = summary_rows(out)
        print(f"gip-author audit: {args.files} files ({mix}) in {wall:.1f} s wall on {cores} cores "
              f"= {args.files / wall:.0f} reports/s; {cpu:.1f} s CPU (the wall floor on idle cores: "
              f"{cpu / cores:.1f} s); {rows} rows, {unreadable} unreadable")
        if args.serial:
            wall1, cpu1 = audit(folder, out, 1)
            print(f"gip-author audit -j 1: {args.files} files in {wall1:.1f} s wall "
                  f"= {args.files / wall1:.0f} reports/s; {cpu1:.1f} s CPU (parallel speed-up ×{wall1 / wall:.2f})")


if __name__ == "__main__":
    main()
