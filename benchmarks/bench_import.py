"""Import+check throughput per format (issue 5 goal: >= 50 reports/s for text and HTML, >= 10/s for PDF on 2 cores).

Renders every sample to HTML, DOCX and PDF once, then imports and checks each format in-process for ~2 s
on one core and prints reports/s.  Run: .venv/bin/python benchmarks/bench_import.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, ROOT, load_note  # noqa: E402

from gip_author.readers import import_report  # noqa: E402
from gip_author.loader import load  # noqa: E402
from gip_author.rules import check  # noqa: E402

def files() -> dict[str, list[Path]]:
    from gip_author.render.docx import render_docx
    from gip_author.render.html import render_html
    from gip_author.render.pdf import render_pdf
    out = Path(tempfile.mkdtemp(prefix="bench-import-"))
    found: dict[str, list[Path]] = {"text (seeds)": sorted((DATA / "seeds").glob("*.txt")),
                                    "html (rendered)": [], "docx (rendered)": [], "pdf (rendered)": [],
                                    "html (real page)": [DATA / "real" / "pingtan-2023.html"],
                                    "pdf (real, 6 pages)": [DATA / "real" / "huaian-city-2024.pdf"]}
    for sample in sorted((ROOT / "sample_inputs").glob("*.yaml")):
        report = load(sample)
        for kind, render, suffix in (("html", render_html, "html"), ("docx", render_docx, "docx"),
                                     ("pdf", render_pdf, "pdf")):
            path = out / f"{sample.stem}.{suffix}"
            data = render(report)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            found[f"{kind} (rendered)"].append(path)
    return {k: [p for p in v if p.exists()] for k, v in found.items()}


def main() -> None:
    print(load_note())
    for kind, paths in files().items():
        if not paths:
            continue
        import_report(paths[0])
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < 2:
            for p in paths:
                report, _ = import_report(p)
                check(report)
                n += 1
        elapsed = time.perf_counter() - start
        print(f"{kind:22} {n / elapsed:7.1f} reports/s on one core  ({1000 * elapsed / n:5.1f} ms each)")


if __name__ == "__main__":
    main()
