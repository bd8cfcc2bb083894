"""Time and peak memory of `gip-author` on the worst hostile inputs of issue 9, made here at full size.

    .venv/bin/python benchmarks/bench_hostile.py [--keep DIR]

Cases: a DOCX whose document.xml inflates to 1 GiB, a PDF whose content stream inflates to 1 GiB, a PDF page of
1.5 million tiny rectangles, one of 4 MB of them (just under the content limit), 2000 pages sharing that, the
HTML rowspan/colspan bomb, a 58 MB text file, 1.9 million characters of text (just under the limit), a 64 MB
page of tags, agency templates printing 'x' * 10**10 and looping 10^5 × 10^5, and Ctrl-C during an audit
whose files hang.  Each run is one process; its peak RSS comes from wait4().  The bounds of the issue: < 30 s and
< 500 MB for any single input of at most 64 MB; Ctrl-C < 2 s.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from _common import ROOT, gip, load_note

GiB = 2**30


def measure(args: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak RSS in MB, last line of output) of one run."""
    start = time.monotonic()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd, env=env)
    out = p.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in out.splitlines() if line.strip()]
    return p.returncode, time.monotonic() - start, usage.ru_maxrss / 1024, (lines[-1] if lines else "")[:70]


def docx_bomb(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename != "word/document.xml":
                zout.writestr(item, data)
                continue
            m = re.search(rb"<w:body[^>]*>", data)
            with zout.open("word/document.xml", "w", force_zip64=True) as f:
                f.write(data[:m.end()])
                for _ in range(GiB // 2**24):
                    f.write(b" " * 2**24)
                f.write(data[m.end():])


def pdf_with_stream(dst: Path, stream: bytes, pages: int = 1) -> None:
    """A PDF of `pages` pages sharing one content stream `stream` (FlateDecoded); xref written by hand."""
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, pages),
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<<>>/Contents 4 0 R>>",
            b"<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream + b"\nendstream"]
    pdf, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    dst.write_bytes(bytes(pdf))


def flate(chunks) -> bytes:
    z = zlib.compressobj(3)
    return b"".join(z.compress(c) for c in chunks) + z.flush()


def make_cases(w: Path, sample: Path, make: bool) -> list[tuple[str, list[str]]]:
    g = gip()
    if make:
        make_inputs(w, sample)
    cases = [(f"check {name}", [g, "check", str(w / name)])
             for name in ("bomb.docx", "bomb.pdf", "rects.pdf", "rects-4mb.pdf", "rects-shared.pdf", "span.html",
                          "big.txt", "long-ok.txt", "tags.html")]
    for name, body in (("template 'x' * 10**10", "{{ 'x' * 10**10 }}"),
                       ("template range 10^5 x 10^5", "{% for i in range(100000) %}{% for j in range(100000) %}"
                                                      "{% endfor %}{% endfor %}")):
        d = w / f"tpl{len(cases)}"
        d.mkdir(exist_ok=True)
        (d / "report.html.j2").write_text(body, encoding="utf-8")
        cases.append((name, [g, "build", str(sample), "--templates", str(d), "--format", "html", "-o", str(d / "out")]))
    return cases


def make_inputs(w: Path, sample: Path) -> None:
    g = gip()
    subprocess.run([g, "build", str(sample), "--format", "docx", "-o", str(w / "built")], check=True,
                   capture_output=True)
    docx_bomb(next((w / "built").glob("*.docx")), w / "bomb.docx")
    pdf_with_stream(w / "bomb.pdf", flate(bytes(2**24) for _ in range(GiB // 2**24)))
    rects = b"".join(b"%d %d 1 1 re f\n" % (i % 500, i // 500 % 800) for i in range(1_500_000))
    pdf_with_stream(w / "rects.pdf", flate([rects]))                      # 1.5 million objects on one page
    rects = rects[:rects.rfind(b"\n", 0, 4 * 2**20 - 100) + 1]
    pdf_with_stream(w / "rects-4mb.pdf", flate([rects]))                  # just under the content limit
    pdf_with_stream(w / "rects-shared.pdf", flate([rects]), pages=2000)   # 2000 pages sharing that stream
    (w / "span.html").write_text("<html><body><p>一、总体情况</p><table>"
                                 + '<tr><td rowspan="65534" colspan="1000">本年新收</td></tr>' * 2000
                                 + "</table></body></html>", encoding="utf-8")
    line = "本年新收政府信息公开申请 12 件，办结 11 件，结转下年度继续办理 1 件。\n".encode()
    (w / "big.txt").write_bytes(line * (58 * 2**20 // len(line)))
    para = "本年新收政府信息公开申请 12 件，办结 11 件，结转下年度继续办理 1 件，依法答复，群众满意度较高。" * 2
    (w / "long-ok.txt").write_text("2024年政府信息公开工作年度报告\n一、总体情况\n" + (para + "\n\n") * 18000,
                                   encoding="utf-8")                     # just under the character limit
    (w / "tags.html").write_bytes(b"<html><body>" + b"<b>" * (64 * 2**20 // 3 - 10) + b"</body></html>")


def ctrl_c(w: Path, sample: Path) -> float:
    """Seconds from SIGINT to the end of an audit whose 40 files each take 30 s in 2 workers."""
    folder = w / "many"
    folder.mkdir()
    for i in range(40):
        (folder / f"r{i:02}.yaml").write_bytes(sample.read_bytes())
    code = (f"import sys, time; sys.path.insert(0, {str(ROOT)!r})\nfrom gip_author import readers\n"
            "real = readers.open_report\nreaders.open_report = lambda p: (time.sleep(30), real(p))[1]\n"
            f"from gip_author.cli import main\nmain(['audit', {str(folder)!r}, '-j', '2', '-o', {str(w / 's.csv')!r}])\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    p.send_signal(signal.SIGINT)
    start = time.monotonic()
    p.wait(timeout=60)
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="make the inputs in this folder and keep them")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sample = sorted((ROOT / "sample_inputs").glob("*.yaml"))[0]
    if args.make:
        make_cases(args.make, sample, make=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        w = args.keep or Path(tmp)
        w.mkdir(parents=True, exist_ok=True)
        # made in a child: a child forked from this process would start with the inputs' memory in its RSS
        subprocess.run([sys.executable, __file__, "--make", str(w)], check=True)
        cases = make_cases(w, sample, make=False)
        print(load_note())
        print(f"{'case':34} {'exit':>4} {'s':>6} {'MB':>6}  message")
        for name, argv in cases:
            code, wall, rss, last = measure(argv)
            print(f"{name:34} {code:>4} {wall:6.2f} {rss:6.0f}  {last}")
        print(f"{'Ctrl-C during a hanging audit':34} {'':>4} {ctrl_c(w, sample):6.2f}")


if __name__ == "__main__":
    main()
