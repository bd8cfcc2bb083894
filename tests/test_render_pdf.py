"""The PDF renderer: text extracted with pypdf carries every heading and number; the shipped fonts are
embedded; drafts are watermarked on every page; bytes are reproducible; rendering takes the fast
HarfBuzz subsetting path; a character no shipped font has is refused with its location."""
import io
import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
from pypdf import PdfReader

from gip_author import cells as C
from gip_author.loader import load
from gip_author.render import fonts
from gip_author.render import pdf as pdf_module
from gip_author.render.pdf import render_pdf
from test_render_html import SAMPLES, distinct_report


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rendered():
    return render_pdf(distinct_report())


def test_harfbuzz_subset_is_available():
    """WeasyPrint subsets fonts fast only through libharfbuzz-subset; it detects it exactly like this."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    assert harfbuzz_subset is not None, "libharfbuzz-subset missing: apt-get install -y libharfbuzz-subset0"
    assert harfbuzz.hb_version_atleast(4, 1, 0)


def test_rendering_takes_the_fast_path(rendered):
    assert pdf_module.last_render_slow is False
    render_pdf(distinct_report())  # its speed is measured in benchmarks/bench_build.py, not here
    assert pdf_module.last_render_slow is False


def test_text_has_title_headings_and_every_number(rendered):
    pages = pdf_text(rendered)
    flat = squeeze("".join(pages))
    report = distinct_report()
    assert flat.startswith(squeeze(report.display_title))
    for _, heading in C.SECTIONS:
        assert heading in flat
    for _, heading, _ in C.GENERAL_PARTS[1:]:
        assert heading in flat
    assert "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。" in flat
    assert flat.endswith("某某区卫生健康局2025年1月20日" + f"—{len(pages)}—")
    assert C.T3_CORNER in flat
    numbers = re.findall(r"\d+(?:\.\d+)?", " ".join(pages))
    for cell_id, value in report.cells.items():
        assert str(value) in numbers, cell_id
    assert "申请<script>alert(1)</script>均已办结。" in flat


def test_page_numbers_and_a4(rendered):
    reader = PdfReader(io.BytesIO(rendered))
    for i, page in enumerate(reader.pages, 1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert f"—{i}—" in squeeze(page.extract_text())


def test_shipped_fonts_are_embedded(rendered):
    reader = PdfReader(io.BytesIO(rendered))
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"]
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"]).split("+")[-1]] = embedded
    assert {name.split("-")[0] for name in found} == {"GipSerif", "GipFang", "GipHei", "GipKai", "GipSong"}
    assert all(found.values())


def test_metadata_and_reproducibility(rendered, monkeypatch):
    info = PdfReader(io.BytesIO(rendered)).metadata
    assert info["/Title"] == "某某区卫生健康局2024年政府信息公开工作年度报告"
    assert info["/Author"] == "某某区卫生健康局"
    assert "/CreationDate" not in info
    assert render_pdf(distinct_report()) == rendered
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737331200")   # 2025-01-20T00:00:00Z
    first = render_pdf(distinct_report())
    assert PdfReader(io.BytesIO(first)).metadata["/CreationDate"].startswith("D:20250120000000")
    assert render_pdf(distinct_report()) == first


def test_draft_has_a_watermark_on_every_page(rendered):
    assert not any("草稿" in t for t in pdf_text(rendered))
    pages = pdf_text(render_pdf(distinct_report(), draft=True))
    assert len(pages) >= 3 and all("草稿" in squeeze(t) for t in pages)


def test_size_is_small(rendered):
    assert len(rendered) < 600 * 1024


def test_gbk_character_outside_gb2312_is_drawn():
    report = distinct_report()
    report.general.platform = "负责人王堃、李喆、张珺。"        # 堃 喆 珺: GBK, not GB2312
    assert not any(ch.encode("gb2312", "ignore") for ch in "堃喆珺")
    assert "负责人王堃、李喆、张珺。" in squeeze("".join(pdf_text(render_pdf(report))))


@pytest.mark.parametrize("char", ["\U00020000", "😀"])
def test_character_no_font_has_is_refused_with_its_place(char):
    report = distinct_report()
    report.general.oversight = f"加强组织领导{char}。"
    with pytest.raises(fonts.MissingGlyphs) as e:
        render_pdf(report)
    message = str(e.value)
    assert f"U+{ord(char):04X}" in message and char in message
    assert "一、总体情况（五）监督保障" in message
    assert "--format docx,html" in message


def test_missing_character_location_points_into_the_yaml(tmp_path):
    text = (Path(SAMPLES[0]).read_text(encoding="utf-8") if SAMPLES else "")
    if not text:
        pytest.skip("no sample inputs")
    path = tmp_path / "r.yaml"
    path.write_text(text.replace("机关: ", "机关: 𠀀", 1), encoding="utf-8")
    with pytest.raises(fonts.MissingGlyphs) as e:
        render_pdf(load(path))
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+", str(e.value))


def test_fonts_json_matches_the_font_files():
    from fontTools.ttLib import TTFont
    table = json.loads((files("gip_author.fonts") / "fonts.json").read_text(encoding="utf-8"))
    folder = fonts.font_dir()
    total = 0
    for entry in table:
        path = folder / entry["file"]
        total += path.stat().st_size
        with TTFont(path, lazy=True) as font:
            cmap = set(font.getBestCmap())
            assert font["name"].getDebugName(1) == entry["family"]
        runs = {cp for a, b in entry["ranges"] for cp in range(a, b + 1)}
        assert runs == cmap, entry["file"]
        assert (folder / entry["licence"]).is_file()
    assert total < 25 * 1024 * 1024
    gb2312 = {ord(bytes([a, b]).decode("gb2312")) for a in range(0xB0, 0xF8) for b in range(0xA1, 0xFF)
              if not (a == 0xD7 and b > 0xF9)}
    assert len(gb2312) == 6763
    for entry in table:
        if entry["family"] != "GipSong":
            runs = {cp for a, b in entry["ranges"] for cp in range(a, b + 1)}
            assert len(gb2312 - runs) <= 10, (entry["file"], sorted(gb2312 - runs)[:10])


def test_font_fetching_is_confined(tmp_path):
    (tmp_path / "report.css").write_text(
        '@import url("https://example.invalid/x.css");\n'
        'body { background: url("file:///etc/passwd"); }\n', encoding="utf-8")
    data = render_pdf(distinct_report(), templates_dir=tmp_path)
    assert "一、总体情况" in squeeze("".join(pdf_text(data)))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_samples_render(sample):
    report = load(sample)
    flat = squeeze("".join(pdf_text(render_pdf(report))))
    assert squeeze(report.display_title) in flat
    for _, heading in C.SECTIONS:
        assert heading in flat
    assert report.agency in flat


def test_table2_article_rows_shaded_and_set_left_as_in_the_official_template(rendered):
    """The 第二十条第（X）项 rows start where the row labels (规章 …) start, over a C6D9F1 band the table's width."""
    import pdfplumber
    with pdfplumber.open(io.BytesIO(rendered)) as pdf:
        page = next(p for p in pdf.pages if "第二十条第（一）项" in (p.extract_text() or ""))
        lines = page.extract_text_lines()
        bands = [r for r in page.rects if r["fill"] and r["non_stroking_color"] == pytest.approx((198 / 255, 217 / 255,
                                                                                                241 / 255), abs=0.01)]
    blocks = [l for l in lines if l["text"].startswith("第二十条第")]
    label = next(l for l in lines if l["text"].startswith("规章"))
    assert [squeeze(l["text"]) for l in blocks] == [block for block, _ in C.T2_BLOCKS]
    table_width = max(b["x1"] for b in bands) - min(b["x0"] for b in bands)
    for line in blocks:
        assert abs(line["x0"] - label["x0"]) < 1, line        # set left like 规章, not centred in the row
        assert line["x1"] - line["x0"] < table_width / 2
        assert any(b["top"] <= line["top"] and line["bottom"] <= b["bottom"] and b["x1"] - b["x0"] > table_width - 2
                   for b in bands), line                      # on its shaded band
