"""范围 (what a report covers): YAML, template, schema, the rendered introduction in three formats, the importer."""
import io
import json

from click.testing import CliRunner

from gip_author.cli import main
from gip_author.readers import import_report
from gip_author.loader import loads
from gip_author.render.html import render_html
from gip_author.rules import check
from gip_author.scope import find_scope
from gip_author.schema import json_schema
from gip_author.yaml_writer import init_yaml, report_yaml

REGION_CLAUSE = "统计范围为某某区人民政府本级及所属单位"


def region_report():
    text = init_yaml("某某区人民政府", 2024, "government").replace("范围: 本机关", "范围: 本级及所属单位")
    return loads(text)


def test_yaml_scope_default_values_and_a_wrong_one():
    template = init_yaml("某某区卫生健康局", 2024)
    assert "\n范围: 本机关 " in template
    assert loads(template).scope == "self"
    assert loads(template.replace("范围: 本机关", "")).scope == "self"  # left out: the agency alone
    assert region_report().scope == "region"
    assert loads(template.replace("范围: 本机关", "范围: 本级及所属单位")).scope == "region"
    wrong = loads(template.replace("范围: 本机关", "范围: 大概全区"), "r.yaml")
    [problem] = [p for p in check(wrong) if p.rule == "input.bad-shape"]
    assert "范围“大概全区”无法识别" in problem.zh and "“本级及所属单位”" in problem.zh
    assert problem.location.line == template.splitlines().index(
        next(line for line in template.splitlines() if line.startswith("范围:"))) + 1


def test_template_round_trips_the_scope_and_schema_knows_it():
    report = region_report()
    assert loads(report_yaml(report)).scope == "region"
    assert json_schema()["properties"]["范围"]["enum"] == ["本机关", "本级及所属单位"]
    out = CliRunner().invoke(main, ["schema"])
    assert json.loads(out.output)["properties"]["范围"]["default"] == "本机关"


def test_html_introduction_states_the_region_and_imports_back(tmp_path):
    html = render_html(region_report())
    assert f"本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止，{REGION_CLAUSE}。" in html
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    report = import_report(path)[0]
    assert report.scope == "region" and "统计范围" not in report.intro
    plain = render_html(loads(init_yaml("某某区卫生健康局", 2024)))
    assert "统计范围" not in plain  # a report of the agency alone says nothing, as usual


def test_docx_introduction_states_the_region_and_imports_back(tmp_path):
    import docx

    from gip_author.render.docx import render_docx
    data = render_docx(region_report())
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert REGION_CLAUSE in text
    path = tmp_path / "r.docx"
    path.write_bytes(data)
    assert import_report(path)[0].scope == "region"


def test_intro_that_states_the_period_gets_a_scope_sentence_of_its_own(tmp_path):
    report = region_report()
    report.intro = "本报告统计期限为2024年1月1日至2024年12月31日。"
    html = render_html(report)
    assert f"本报告中所列数据的{REGION_CLAUSE}。" in html
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    back = import_report(path)[0]
    assert back.scope == "region" and "统计范围" not in back.intro


def test_importer_reads_the_usual_wordings():
    assert find_scope("本报告所列数据统计范围包括区政府本级及所属各部门、各街道。") == "region"
    assert find_scope("本报告数据涵盖全区各级行政机关。") == "region"
    assert find_scope("本报告所列数据的统计范围为某某市人民政府本机关。") == "self"
    assert find_scope("本报告由某某区人民政府办公室编制。报告所列统计期限自2024年1月1日至2024年12月31日。") is None
    assert find_scope("2024年，全市共受理政府信息公开申请3119件。") is None


def test_importer_reads_a_clerks_own_scope_sentence_in_text(tmp_path):
    html = render_html(loads(init_yaml("某某区人民政府", 2024, "government")), data=False)   # a page from elsewhere
    html = html.replace("本报告中所列数据的统计期限", "本报告所列数据的统计范围包括区政府本级及所属各部门、各街道。本报告中所列数据的统计期限")
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    report = import_report(path)[0]
    assert report.scope == "region" and "所属各部门" in report.intro  # the clerk's words stay
    assert render_html(report, data=False).count("统计范围") == 1  # and are not said twice


def test_pdf_introduction_states_the_region_and_imports_back(tmp_path):
    import re

    from pypdf import PdfReader

    from gip_author.render.pdf import render_pdf
    data = render_pdf(region_report())
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    assert REGION_CLAUSE in text
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    assert import_report(path)[0].scope == "region"


def test_init_from_last_years_region_report_keeps_the_scope(tmp_path):
    last = tmp_path / "last.yaml"
    last.write_text(report_yaml(region_report()), encoding="utf-8")
    out = tmp_path / "next.yaml"
    result = CliRunner().invoke(main, ["init", "--from", str(last), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert loads(out.read_text(encoding="utf-8")).scope == "region"
