"""Import+check throughput per format (issue 5 goal: >= 50 reports/s for text and HTML, >= 10/s for PDF on 2 cores).

Renders every sample to HTML, DOCX and PDF once, then imports and checks each format in-process for ~2 s
on one core and prints reports/s; then the wall time of a scanned (image-only) PDF read by OCR (--no-scan
skips it).  Run: .venv/bin/python benchmarks/bench_import.py
"""
from __future__ import annotations

import shutil
import subprocess
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
    for pdf in found["pdf (rendered)"]:             # the same PDFs as plain `pdftotext` (no -layout) gives them
        raw = pdf.with_suffix(".raw.txt")
        if shutil.which("pdftotext"):
            subprocess.run(["pdftotext", str(pdf), str(raw)], check=True)
            found.setdefault("text (pdftotext raw)", []).append(raw)
    return {k: [p for p in v if p.exists()] for k, v in found.items()}


def scanned(pdf: Path) -> Path | None:
    """`pdf` as an image-only scan at 150 dpi (pdftoppm), as the import-variants check makes it."""
    from PIL import Image
    if not shutil.which("pdftoppm"):
        return None
    where = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(where / "page")], check=True)
    pages = [Image.open(p).convert("RGB") for p in sorted(where.glob("page*.png"))]
    out = where / "scanned.pdf"
    pages[0].save(out, save_all=True, append_images=pages[1:], resolution=150.0)
    return out


def bench_scanned(pdfs: list[Path]) -> None:
    """Wall time of importing a scanned (image-only) PDF: OCR two pages at a time (issue 12: < 20 s for 6 pages)."""
    import pypdfium2 as pdfium
    for pdf in pdfs:
        scan = scanned(pdf)
        if scan is None:
            print("pdf (scanned)          pdftoppm missing: apt-get install poppler-utils")
            return
        pages = len(pdfium.PdfDocument(str(scan)))
        times = []
        for _ in range(2):
            start = time.perf_counter()
            import_report(scan)
            times.append(time.perf_counter() - start)
        print(f"pdf (scanned, {pages} pages) {min(times):6.1f} s wall on 2 cores (best of 2; {pdf.stem})")


def main() -> None:
    print(load_note())
    found = files()
    for kind, paths in found.items():
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
    if "--no-scan" not in sys.argv:
        bench_scanned(sorted(found.get("pdf (rendered)", []), key=lambda p: -p.stat().st_size)[:1])


if __name__ == "__main__":
    main()
