"""`build_report` and `gip-author build`: refuses reports with errors (writes nothing), drafts are built with a
watermark, files are named after the report, written only once every format rendered, never over the input."""
import io
import re
import os
import zipfile
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from gip_author.build import BuildRefused, CannotWrite, UnknownFormat, build_report
from gip_author.cli import main
from gip_author.render import RENDERERS
from gip_author.render.fonts import MissingGlyphs
from gip_author.render.html import render_html
from reports import SAMPLES, distinct_report

TITLE = "某某区卫生健康局2024年政府信息公开工作年度报告"


def sound_report():
    """The known text with numbers that add up: 2 applications by natural persons, both granted."""
    report = distinct_report()
    report.cells = dict.fromkeys(report.cells, 0)
    for cell_id in ("t3.new.natural", "t3.new.total", "t3.granted.natural", "t3.granted.total",
                    "t3.total.natural", "t3.total.total"):
        report.cells[cell_id] = 2
    return report


def broken_report():
    report = sound_report()
    report.cells["t3.new.natural"] += 1          # row total and balance no longer hold
    return report


def test_builds_html_and_pdf_named_after_the_report(tmp_path):
    written = build_report(sound_report(), tmp_path, ["html", "pdf"])
    assert [p.name for p in written] == [f"{TITLE}.html", f"{TITLE}.pdf"]
    assert written[0].read_text(encoding="utf-8") == render_html(sound_report())
    assert PdfReader(written[1]).metadata["/Title"] == TITLE
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{TITLE}.html", f"{TITLE}.pdf"]   # no temp files left


def test_refuses_a_report_with_errors_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(BuildRefused) as e:
        build_report(broken_report(), out, ["html", "pdf"])
    assert {p.rule for p in e.value.problems} >= {"t3.row-total", "t3.balance"}
    assert all(p.severity == "error" for p in e.value.problems)
    assert "--draft" in str(e.value)
    assert not out.exists()


def test_draft_is_built_with_a_watermark(tmp_path):
    html, pdf = build_report(broken_report(), tmp_path, ["html", "pdf"], draft=True)
    assert lxml.html.parse(str(html)).xpath("//div[@class='watermark']/text()") == ["草稿"]
    assert all("草稿" in "".join(page.extract_text().split()) for page in PdfReader(pdf).pages)


def test_unknown_format(tmp_path):
    with pytest.raises(UnknownFormat) as e:
        build_report(distinct_report(), tmp_path, ["html", "odt"])
    assert "odt" in str(e.value) and "docx,pdf,html" in str(e.value)
    assert not any(tmp_path.iterdir())


def test_never_writes_over_a_protected_input(tmp_path):
    target = tmp_path / f"{TITLE}.html"
    target.write_text("the clerk's own file", encoding="utf-8")
    with pytest.raises(CannotWrite):
        build_report(sound_report(), tmp_path, ["html"], protect=(target,))
    assert target.read_text(encoding="utf-8") == "the clerk's own file"


def test_a_failed_format_leaves_existing_outputs_alone(tmp_path):
    old = {fmt: tmp_path / f"{TITLE}.{fmt}" for fmt in ("html", "pdf")}
    for path in old.values():
        path.write_text("last good build", encoding="utf-8")
    report = sound_report()
    report.other = "未收取信息处理费😀。"
    with pytest.raises(MissingGlyphs):
        build_report(report, tmp_path, ["html", "pdf"])
    assert all(p.read_text(encoding="utf-8") == "last good build" for p in old.values())


def test_existing_output_is_replaced_on_success(tmp_path):
    path = tmp_path / f"{TITLE}.html"
    path.write_text("old", encoding="utf-8")
    build_report(sound_report(), tmp_path, ["html"])
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_renderers_table():
    assert {fmt: spec.suffix for fmt, spec in RENDERERS.items()} == {"docx": ".docx", "pdf": ".pdf", "html": ".html"}


def break_sample(path: Path) -> int:
    """Give the first Table 3 row a wrong total (no longer the sum of its parts); return its index."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if "本年新收" in line)
    head, _, values = lines[i].partition("[")
    numbers = [int(v) for v in values.split("]")[0].split(",")]
    numbers[0] += 1
    lines[i] = f"{head}[{', '.join(map(str, numbers))}]"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return i


@pytest.fixture
def sample_copy(tmp_path):
    if not SAMPLES:
        pytest.skip("no sample inputs")
    path = tmp_path / SAMPLES[0].name
    path.write_bytes(SAMPLES[0].read_bytes())
    return path


def test_cli_builds_all_three(sample_copy, tmp_path):
    out = tmp_path / "out"
    before = sample_copy.read_bytes()
    result = CliRunner().invoke(main, ["build", str(sample_copy), "-o", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    assert [p.suffix for p in files] == [".docx", ".html", ".pdf"]
    assert result.output.count("已生成") == 3
    assert zipfile.ZipFile(files[0]).testzip() is None
    assert sample_copy.read_bytes() == before


def test_cli_refuses_errors_then_builds_a_draft(sample_copy, tmp_path):
    i = break_sample(sample_copy)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(sample_copy), "-o", str(out), "--format", "html"])
    assert result.exit_code == 1
    assert "错误 [t3." in result.output and "未生成文件" in result.output
    assert f"{sample_copy}:{i + 1}:" in result.output
    assert not out.exists()
    result = CliRunner().invoke(main, ["build", str(sample_copy), "-o", str(out), "--format", "html,pdf", "--draft"])
    assert result.exit_code == 0, result.output
    assert re.search(r"草稿.*还有 [1-9]\d* 个错误", result.output)
    pdf = next(out.glob("*.pdf"))
    assert all("草稿" in "".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)


def test_cli_unknown_format_is_a_usage_error(sample_copy, tmp_path):
    result = CliRunner().invoke(main, ["build", str(sample_copy), "-o", str(tmp_path), "--format", "rtf"])
    assert result.exit_code == 2
    assert "不支持的输出格式：rtf" in result.output


def test_cli_agency_templates(sample_copy, tmp_path):
    own = tmp_path / "mine"
    own.mkdir()
    (own / "report.css").write_text("h1 { color: #c00; }", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(sample_copy), "-o", str(out), "--format", "html",
                                       "--templates", str(own)])
    assert result.exit_code == 0, result.output
    assert "h1 { color: #c00; }" in next(out.glob("*.html")).read_text(encoding="utf-8")


def _no_children() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("case", ["ok", "refused", "unreadable", "bad-format"])
def test_pdf_worker_is_always_reaped(sample_copy, tmp_path, case):
    """`build` forks a WeasyPrint worker before reading the YAML; whatever happens, it is used or reaped."""
    if case == "refused":
        break_sample(sample_copy)
    if case == "unreadable":
        sample_copy.write_bytes(b"\x00\x01 not yaml")
    formats = "pdf,html,rtf" if case == "bad-format" else "pdf,html"
    result = CliRunner().invoke(main, ["build", str(sample_copy), "-o", str(tmp_path / "o"), "--format", formats])
    assert (result.exit_code == 0) == (case == "ok"), result.output
    assert _no_children()
    if case == "ok":
        pdf = next((tmp_path / "o").glob("*.pdf")).read_bytes()
        from gip_author.loader import load
        from gip_author.render.pdf import render_pdf
        assert pdf == render_pdf(load(sample_copy))      # the worker's PDF is the in-process one
