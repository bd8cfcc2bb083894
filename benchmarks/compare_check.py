"""`gip-author check` / `--help` wall time and in-process load+check, this tree against another checkout, alternating.

Run: .venv/bin/python benchmarks/compare_check.py OTHER_TREE [RUNS]
OTHER_TREE is a checkout with its own .venv (e.g. `git worktree add /tmp/base COMMIT && cd /tmp/base &&
bash scripts/setup.sh`).  Runs alternate old/new so that the machine's load falls on both alike; medians are printed.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, load_note

IN_PROCESS = """
import sys, time
from pathlib import Path
import gip_author
samples = sorted(Path(sys.argv[1]).glob('*.yaml'))
gip_author.check(gip_author.load(samples[0]))
n = 200
t0 = time.process_time()
for i in range(n):
    gip_author.check(gip_author.load(samples[i % len(samples)]))
print((time.process_time() - t0) / n * 1000)
"""


def main() -> None:
    other = Path(sys.argv[1]).resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    trees = {"old": other, "new": ROOT}
    sample = sorted((ROOT / "sample_inputs").glob("*.yaml"))[0]
    cases = {"--help": ["--help"], f"check {sample.name}": ["check", str(sample)]}
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(runs):
        for case, args in cases.items():
            for name, tree in trees.items():
                t0 = time.perf_counter()
                subprocess.run([str(tree / ".venv" / "bin" / "gip-author"), *args], capture_output=True)
                times.setdefault((case, name), []).append(time.perf_counter() - t0)
    for _ in range(3):
        for name, tree in trees.items():
            out = subprocess.run([str(tree / ".venv" / "bin" / "python"), "-c", IN_PROCESS, str(ROOT / "sample_inputs")],
                                 capture_output=True, text=True, check=True)
            times.setdefault(("load+check CPU per report", name), []).append(float(out.stdout) / 1000)
    print(f"{runs} alternating runs; {load_note()}")
    for case in [*cases, "load+check CPU per report"]:
        old, new = (statistics.median(times[(case, n)]) * 1000 for n in ("old", "new"))
        print(f"{case:32} old {old:6.1f} ms   new {new:6.1f} ms   ({(new - old) / old:+.0%})")


if __name__ == "__main__":
    main()
