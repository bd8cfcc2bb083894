"""Published layouts made from our own renders, as real sites publish reports (no file from outside the project).

Each function turns a rendered PDF or DOCX into one layout a clerk meets: pdftotext with and without -layout
or -raw, one table cell per line, Markdown pipe rows, Traditional Chinese (OpenCC), a page break inside Table 3,
an image-only scan (pdftoppm), and a report whose numbers all differ and add up, for OCR to get wrong.
"""
from __future__ import annotations

import random
import re
import subprocess
from decimal import Decimal
from pathlib import Path

from gip_author import cells as C
from gip_author.loader import loads
from gip_author.yaml_writer import init_yaml


def balanced_report(seed: int = 7):
    """A report whose counts are varied (1–4 digits) and whose every sum of Tables 3 and 4 holds."""
    rnd = random.Random(seed)
    report = loads(init_yaml("某某县自然资源局", 2024))
    c = report.cells
    for row in C.T2_ROWS:
        for cid in ([f"t2.{row.key}.{col}" for col, _ in row.columns] if row.columns else [f"t2.{row.key}"]):
            c[cid] = rnd.choice([0, rnd.randint(1, 9), rnd.randint(10, 99), rnd.randint(100, 9999)])
    c["t2.fees"] = Decimal("4068.208")
    for key in C.T3_RESULT_ROWS:
        for col in C.T3_PART_COLUMNS:
            c[C.t3(key, col)] = rnd.choice([0, 0, rnd.randint(1, 9), rnd.randint(10, 399)])
    for col in C.T3_PART_COLUMNS:
        c[C.t3("total", col)] = done = sum(c[C.t3(r, col)] for r in C.T3_RESULT_ROWS)
        c[C.t3("carried_in", col)] = carried_in = rnd.randint(0, 60)
        c[C.t3("carried_out", col)] = out = rnd.randint(0, 80)
        c[C.t3("new", col)] = done + out - carried_in if done + out >= carried_in else 0
        if c[C.t3("new", col)] == 0:
            c[C.t3("carried_in", col)] = done + out
    for row in C.T3_ROWS:
        c[C.t3(row.key, "total")] = sum(c[C.t3(row.key, col)] for col in C.T3_PART_COLUMNS)
    for group, _ in C.T4_GROUPS:
        for col in C.T4_PART_COLUMNS:
            c[C.t4(group, col)] = rnd.randint(0, 40)
        c[C.t4(group, "total")] = sum(c[C.t4(group, col)] for col in C.T4_PART_COLUMNS)
    return report


def pdftotext(pdf: Path, *opts: str) -> str:
    return subprocess.run(["pdftotext", *opts, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def docx_items(path: Path):
    """The DOCX body in order: ("p", text) or ("t", rows of (text, first?)); a merged cell once, at its first place."""
    import docx
    d = docx.Document(str(path))
    for item in d.iter_inner_content():
        if isinstance(item, docx.table.Table):
            seen, rows = set(), []
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    first = cell._tc not in seen
                    seen.add(cell._tc)
                    cells.append(("".join(p.text for p in cell.paragraphs).strip() if first else "", first))
                rows.append(cells)
            yield "t", rows
        else:
            yield "p", item.text


def one_cell_per_line(path: Path) -> str:
    out = []
    for kind, x in docx_items(path):
        out += [x] if kind == "p" else [t for row in x for t, first in row if first]
    return "\n".join(out) + "\n"


def pipe_rows(path: Path) -> str:
    out = []
    for kind, x in docx_items(path):
        if kind == "p":
            out += [x, ""]
            continue
        for i, row in enumerate(x):
            out.append("| " + " | ".join(t.replace("|", "\\|") for t, _ in row) + " |")
            if i == 0:
                out.append("|" + "---|" * len(row))
        out.append("")
    return "\n".join(out)


def traditional(text: str) -> str:
    import opencc
    return opencc.OpenCC("s2t").convert(text)


def page_break_in_table3(text: str) -> str:
    """A page footer and a form feed between two rows of Table 3, half way down."""
    lines = text.split("\n")
    a = next(i for i, line in enumerate(lines) if "本年新收" in line)
    b = next(i for i, line in enumerate(lines) if i > a and "结转下年度" in line)
    ends = lambda line: re.search(r"\d\s*$", line) is not None  # noqa: E731
    cut = min((i for i in range(a + 2, b) if ends(lines[i - 1]) and ends(lines[i])), key=lambda i: abs(i - (a + b) // 2))
    return "\n".join(lines[:cut] + ["", "                                 — 4 —", "\f"] + lines[cut:])


def scanned(pdf: Path, where: Path, dpi: int = 150, pages: str | None = None, angle: float = 0.0,
            noise: float = 0.0, jpeg: int | None = None) -> Path:
    """The PDF's pages as pictures (pdftoppm), wrapped into an image-only PDF with no text layer; optionally as
    a real scanner gives them: turned by `angle` degrees, on grey paper with noise, JPEG-compressed."""
    import io

    import numpy as np
    from PIL import Image
    where.mkdir(parents=True, exist_ok=True)
    first_last = ["-f", pages.split("-")[0], "-l", pages.split("-")[-1]] if pages else []
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", *first_last, str(pdf), str(where / "page")], check=True)
    rnd = np.random.default_rng(0)
    images = []
    for path in sorted(where.glob("page*.png")):
        image = Image.open(path).convert("L")
        if angle:
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        if noise:
            grey = np.asarray(image).astype(np.float64) * 0.85 + 20 + rnd.normal(0, noise, image.size[::-1])
            image = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8))
        if jpeg:
            buf = io.BytesIO()
            image.save(buf, "JPEG", quality=jpeg)
            image = Image.open(io.BytesIO(buf.getvalue()))
        images.append(image.convert("RGB"))
    out = where / "scanned.pdf"
    images[0].save(out, save_all=True, append_images=images[1:], resolution=float(dpi))
    return out


def table3_labels_then(report, text: str, by_columns: bool) -> str:
    """The text with Table 3 replaced by all its row labels, then its numbers row by row or column by column
    (as text copied out of some PDFs gives it)."""
    start = text.index("三、收到和处理政府信息公开申请情况")
    end = text.index("四、政府信息公开行政复议")
    cols = [c for c, _ in C.T3_COLUMNS]
    numbers = ([report.cells[C.t3(r.key, c)] for c in cols for r in C.T3_ROWS] if by_columns else
               [report.cells[C.t3(r.key, c)] for r in C.T3_ROWS for c in cols])
    block = ["三、收到和处理政府信息公开申请情况", "申请人情况", *[label for _, label in C.T3_COLUMNS],
             *[r.label for r in C.T3_ROWS], *map(str, numbers), ""]
    return text[:start] + "\n".join(block) + "\n" + text[end:]
