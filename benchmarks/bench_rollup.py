"""Benchmark `gip-author rollup` (issue 14): a city's 1,000 unit reports, YAML and text, summed into one report.

Run: .venv/bin/python benchmarks/bench_rollup.py [--files N] [--runs R]
The folder (a temp dir, removed afterwards) holds N files, 70 % YAML (the samples, each unit under its own name,
all of the same year, Table 2 varied) and 30 % text (the seed reports, agency renamed per file).  A roster lists
every unit plus ten that never reported.  Prints the wall time of each run of
`gip-author rollup DIR --agency … --year … --roster … --summary s.csv -o out.yaml` on all cores, its CPU time
(on a shared machine the wall time says as much about the neighbours as about the tool), and checks that the
output's 行政许可 is the sum over the units that counted.  Issue 14 asks for under 10 s on 2 cores.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SEEDS, gip, load_note  # noqa: E402

YEAR = 2024
AGENCY = "某某市人民政府"


def generate(folder: Path, n: int) -> tuple[list[str], int]:
    """(unit names, how many files of each kind) — YAML first, then text."""
    from gip_author.readers import import_report
    yamls = [s.read_text(encoding="utf-8") for s in sorted((ROOT / "sample_inputs").glob("*.yaml"))]
    seeds = []
    for p in sorted(SEEDS.glob("*.txt")):  # each seed made a report of YEAR, so that every unit counts
        report = import_report(p)[0]
        seeds.append((p.read_text(encoding="utf-8").replace(f"{report.year}年", f"{YEAR}年"), report.agency))
    n_text = round(n * 0.3) if seeds else 0
    names = []
    for i in range(n):
        name = "某某市第" + "".join("〇一二三四五六七八九"[int(d)] for d in f"{i:04d}") + "局"
        names.append(name)
        if i < n - n_text:
            text = yamls[i % len(yamls)]
            text = re.sub(r"^机关:.*$", f"机关: {name}", text, count=1, flags=re.M)
            text = re.sub(r"^年度:\s*(\d+)", lambda m: f"年度: {YEAR}", text, count=1, flags=re.M)
            text = re.sub(r"^统计期限:.*$", f"统计期限: {YEAR}年1月1日至{YEAR}年12月31日", text, count=1, flags=re.M)
            text = re.sub(r"^(\s*行政许可:\s*)(\d+)", lambda m: f"{m[1]}{int(m[2]) + i % 97}", text, flags=re.M)
            (folder / f"u{i:04d}.yaml").write_text(text, encoding="utf-8")
        else:
            text, agency = seeds[i % len(seeds)]
            (folder / f"u{i:04d}.txt").write_text(text.replace(agency, name), encoding="utf-8")
    return names, n_text


def rollup(folder: Path, roster: Path, out: Path) -> tuple[float, float, str]:
    cmd = [gip(), "rollup", str(folder), "--agency", AGENCY, "--year", str(YEAR), "--roster", str(roster),
           "--summary", str(out.with_suffix(".csv")), "-o", str(out), "--force"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode not in (0, 1) or "Traceback" in run.stderr or not out.exists():
        sys.exit(f"gip-author rollup failed ({run.returncode}): {(run.stderr or run.stdout).strip()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), run.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from gip_author.loader import load
    from gip_author.summary import total_row  # noqa: F401 - warms the import the check below needs
    with tempfile.TemporaryDirectory(prefix="gip-bench-rollup-") as tmp:
        folder = Path(tmp) / "units"
        folder.mkdir()
        names, n_text = generate(folder, args.files)
        roster = Path(tmp) / "roster.txt"
        roster.write_text("\n".join(names + [f"某某市未报送第{i}局" for i in range(10)]) + "\n", encoding="utf-8")
        out = Path(tmp) / "city.yaml"
        print(load_note())
        walls = []
        for _ in range(args.runs):
            wall, cpu, log = rollup(folder, roster, out)
            walls.append(wall)
            print(f"gip-author rollup: {args.files} files ({args.files - n_text} YAML, {n_text} text) in {wall:.1f} s "
                  f"wall on {os.cpu_count()} cores; {cpu:.1f} s CPU")
        summed = re.search(r"已汇总 (\d+) 个单位", log)
        missing = re.search(r"未报送（名单中有、但没有找到报告）：(.*?)。", log)
        missing = re.search(r"等 (\d+) 个", missing[1])[1] if missing and "等 " in missing[1] else \
            len(missing[1].split("、")) if missing else 0
        licensing = load(out).cells["t2.licensing"]
        import csv
        with out.with_suffix(".csv").open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        column = next(k for k in rows[0] if k.endswith(" t2.licensing"))
        counted = sum(int(r[column]) for r in rows[:-1] if r.get("合计说明 note", "").startswith("计入合计"))
        print(f"median {sorted(walls)[len(walls) // 2]:.1f} s; {summed[1] if summed else '?'} units summed; "
              f"未报送 named: {missing}; 行政许可 {licensing} "
              f"{'=' if licensing == counted else '!='} the summary's counted rows {counted}")


if __name__ == "__main__":
    main()
