"""Published files built to exhaust the reader: zip bombs, flate bombs, span bombs, huge text, tag floods.

Each is made here, small on disk; the limits are lowered where a full-size bomb would only cost test time
(the benchmark `benchmarks/bench_hostile.py` runs the full-size ones and reports time and memory).
"""
from __future__ import annotations

import re
import zipfile
import zlib

import pytest
from click.testing import CliRunner

from gip_author import limits as L
from gip_author.cli import main
from gip_author.readers import import_report
from gip_author.limits import TooBig
from gip_author.render.docx import render_docx
from reports import distinct_report


def docx_with_padding(tmp_path, padding: int, declared_ok: bool = True):
    """Our own DOCX with `padding` spaces inside <w:body> (a few KB on disk whatever the padding)."""
    src = tmp_path / "real.docx"
    src.write_bytes(render_docx(distinct_report()))
    dst = tmp_path / "bomb.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                m = re.search(rb"<w:body[^>]*>", data)
                data = data[:m.end()] + b" " * padding + data[m.end():]
            zout.writestr(item.filename, data)
    return dst


def test_a_docx_whose_xml_inflates_past_the_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_XML_PART_BYTES", 2 * L.MB)
    bomb = docx_with_padding(tmp_path, 3 * L.MB)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(TooBig) as e:
        import_report(bomb)
    assert "word/document.xml 解压后超过 2 MB" in str(e.value)
    result = CliRunner().invoke(main, ["check", str(bomb)])
    assert result.exit_code == 2 and "解压后超过" in result.output and "Traceback" not in result.output


def test_a_docx_within_the_limits_still_imports(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_XML_PART_BYTES", 2 * L.MB)
    report, _ = import_report(docx_with_padding(tmp_path, L.MB))
    assert report.cells["t3.new.natural"] == distinct_report().cells["t3.new.natural"]


def test_a_docx_with_too_many_tags_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_MARKUP_NODES", 5_000)
    with pytest.raises(TooBig) as e:
        import_report(docx_with_padding(tmp_path, 0))
    assert "文档标记超过 5,000 个" in str(e.value)


def flate_bomb_pdf(path, inflated: int) -> None:
    """A one-page PDF whose content stream is FlateDecode of `inflated` zero bytes (xref by hand)."""
    data = zlib.compress(bytes(inflated), 9)
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<<>>/Contents 4 0 R>>",
            b"<</Length %d/Filter/FlateDecode>>stream\n" % len(data) + data + b"\nendstream"]
    pdf, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(pdf))


def test_a_pdf_flate_bomb_is_refused_before_pdfium_inflates_it(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_PDF_CONTENT_BYTES", 4 * L.MB)
    bomb = tmp_path / "bomb.pdf"
    flate_bomb_pdf(bomb, 8 * L.MB)
    assert bomb.stat().st_size < 50_000
    with pytest.raises(TooBig) as e:
        import_report(bomb)
    assert "一页的内容解压后超过 4 MB" in str(e.value)


def test_many_flate_streams_together_past_the_limit_are_refused(tmp_path, monkeypatch):
    from gip_author.importer.bounds import check_pdf_streams
    monkeypatch.setattr(L, "MAX_INFLATED_BYTES", 3 * L.MB)
    one = b"1 0 obj\n<</Filter/FlateDecode>>stream\n" + zlib.compress(bytes(L.MB)) + b"\nendstream\nendobj\n"
    check_pdf_streams(b"%PDF-1.4\n" + one * 3, "x.pdf")           # 3 MB: at the limit, fine
    with pytest.raises(TooBig):
        check_pdf_streams(b"%PDF-1.4\n" + one * 4, "x.pdf")


def test_page_contents_have_their_own_tighter_bounds_fonts_and_images_do_not(monkeypatch):
    """PDFium makes an object of every ~13 bytes of page content: those streams are held tighter than a font."""
    from gip_author.importer.bounds import check_pdf_streams
    monkeypatch.setattr(L, "MAX_PDF_CONTENT_BYTES", L.MB)
    monkeypatch.setattr(L, "MAX_PDF_CONTENTS_BYTES", 3 * L.MB)

    def stream(head: bytes, size: int) -> bytes:
        return b"1 0 obj\n<<" + head + b"/Filter/FlateDecode>>stream\n" + zlib.compress(bytes(size)) + b"\nendstream\n"

    check_pdf_streams(b"%PDF-1.4\n" + stream(b"/Length1 9", 5 * L.MB) + stream(b"/Subtype/Image", 9 * L.MB), "x.pdf")
    with pytest.raises(TooBig) as e:
        check_pdf_streams(b"%PDF-1.4\n" + stream(b"", 2 * L.MB), "x.pdf")
    assert "一页的内容解压后超过 1 MB" in str(e.value)
    with pytest.raises(TooBig) as e:
        check_pdf_streams(b"%PDF-1.4\n" + stream(b"", L.MB) * 4, "x.pdf")
    assert "各页的内容解压后共超过 3 MB" in str(e.value)


def test_pages_sharing_one_big_content_stream_are_bounded_by_their_objects(tmp_path, monkeypatch):
    """One content stream (counted once by its bytes) drawn on many pages: PDFium parses it on each."""
    monkeypatch.setattr(L, "MAX_PDF_OBJECTS", 2500)
    rects = b"".join(b"%d 10 1 1 re f\n" % i for i in range(1000))
    data = zlib.compress(rects)
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[%s]/Count 50>>" % b" ".join([b"3 0 R"] * 50),
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<<>>/Contents 4 0 R>>",
            b"<</Length %d/Filter/FlateDecode>>stream\n" % len(data) + data + b"\nendstream"]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    path = tmp_path / "shared.pdf"
    path.write_bytes(bytes(pdf))
    with pytest.raises(TooBig) as e:
        import_report(path)
    assert "PDF 的前 3 页已有 3,000 个图文对象" in str(e.value)


def test_a_pdf_with_more_pages_than_any_report_is_refused(tmp_path, monkeypatch):
    import pypdfium2 as pdfium
    monkeypatch.setattr(L, "MAX_PAGES", 3)
    pdf = pdfium.PdfDocument.new()
    for _ in range(4):
        pdf.new_page(595, 842)
    path = tmp_path / "pages.pdf"
    pdf.save(path)
    with pytest.raises(TooBig) as e:
        import_report(path)
    assert "PDF 有 4 页" in str(e.value)


def span_bomb(rows: int) -> str:
    return ("<html><body><p>一、总体情况</p><table>"
            + '<tr><td rowspan="65534" colspan="1000">本年新收</td></tr>' * rows + "</table></body></html>")


def test_an_html_span_bomb_is_refused_at_once(tmp_path):
    page = tmp_path / "bomb.html"
    page.write_text(span_bomb(2000), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(page)])
    assert result.exit_code == 2 and "表1第2行超过 100 列" in result.output


def test_html_spans_are_clamped_to_the_real_table(tmp_path):
    from gip_author.importer.html import html_blocks
    page = ('<html><body><table><tr><td rowspan="65534">甲</td><td>乙</td></tr>'
            '<tr><td>丙</td></tr><tr><td colspan="99999">丁</td></tr></table></body></html>')
    table = next(b for b in html_blocks(page.encode(), "t.html") if hasattr(b, "rows"))
    where = [[c.where.where for c in row] for row in table.rows]
    # 甲 covers column 1 of every row there is: 丙 and 丁 start at column 2
    assert where == [["表1 第1行 第1列", "表1 第1行 第2列"], ["表1 第2行 第2列"], ["表1 第3行 第2列"]]


def test_a_table_with_more_rows_than_any_report_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_TABLE_ROWS", 50)
    page = tmp_path / "rows.html"
    page.write_text("<table>" + "<tr><td>1</td></tr>" * 51 + "</table>", encoding="utf-8")
    with pytest.raises(TooBig) as e:
        import_report(page)
    assert "表1有 51 行" in str(e.value)


def test_a_page_with_a_flood_of_tags_is_refused_before_lxml_builds_it(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_HTML_TAGS", 1000)
    page = tmp_path / "tags.html"
    page.write_text("<html><body>" + "<p>一</p>" * 600 + "</body></html>", encoding="utf-8")
    with pytest.raises(TooBig) as e:
        import_report(page)
    assert "网页有 1,204 个标记" in str(e.value)


def test_a_big_text_file_is_refused_early_by_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_TEXT_FILE_BYTES", 4000)
    text = tmp_path / "big.txt"
    text.write_text("2024年政府信息公开工作年度报告\n" + "本年新收 1 件。\n" * 400, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(text)])
    assert result.exit_code == 2 and "文本超过" in result.output and "未继续读取" in result.output


def test_more_text_than_any_report_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_CHARS", 5000)
    page = tmp_path / "long.html"
    page.write_text("<html><body><p>" + "很长的文字。" * 1000 + "</p></body></html>", encoding="utf-8")
    with pytest.raises(TooBig) as e:
        import_report(page)
    assert "文字超过 5,000 个字" in str(e.value)


def test_several_reports_in_one_file_are_refused(tmp_path):
    """Reports of several units printed into one PDF: not audited as one clean report."""
    import pypdfium2 as pdfium
    from gip_author.render.pdf import render_pdf
    one = pdfium.PdfDocument(render_pdf(distinct_report()))
    joined = pdfium.PdfDocument.new()
    for _ in range(3):
        joined.import_pages(one)
    path = tmp_path / "three.pdf"
    joined.save(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2 and "文件里似乎有 3 份报告" in result.output


def test_more_paragraphs_than_any_report_are_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_PARAGRAPHS", 300)
    text = tmp_path / "many.txt"
    text.write_text("2024年政府信息公开工作年度报告\n一、总体情况\n" + "本年新收 1 件。\n\n" * 400, encoding="utf-8")
    with pytest.raises(TooBig) as e:
        import_report(text)
    assert "有 40" in str(e.value) and "个段落" in str(e.value)


def test_a_problem_on_every_line_of_a_long_text_is_located_in_linear_time():
    """text_where counted the newlines before each problem: quadratic over a long narrative."""
    from gip_author.rules.text import _lines_before
    text = "一\n" * 1000
    assert [_lines_before(text, o) for o in (0, 1, 2, 1999)] == [0, 0, 1, 999]
