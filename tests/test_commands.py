"""`init`, `schema` and `export`: what they write, read back and compared with the report they came from."""
import csv
import io
import json
from decimal import Decimal

import pytest
import yaml
from click.testing import CliRunner

from gip_author import cells as C
from gip_author.cli import main
from gip_author.loader import load, loads
from gip_author.model import export_cells
from gip_author.schema import SCHEMA_URL, json_schema, json_schema_text
from gip_author.yaml_writer import init_yaml, report_yaml
from reports import SAMPLES, distinct_report


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# ------------------------------------------------------------------------------------------ init


def test_init_writes_a_template_that_loads_as_a_blank_report(tmp_path):
    out = tmp_path / "模板.yaml"
    result = run("init", "--agency", "某某区民政局", "--year", "2025", "-o", str(out))
    assert result.exit_code == 0 and f"已生成 {out}" in result.output
    text = out.read_text(encoding="utf-8")
    report = load(out)
    assert (report.agency, report.year, report.kind) == ("某某区民政局", 2025, "department")
    assert report.published.isoformat() == "2026-01-20"
    assert (report.start.isoformat(), report.end.isoformat()) == ("2025-01-01", "2025-12-31")
    assert set(export_cells(report).values()) == {0}
    assert report.other == "本年度未发出信息处理费收费通知，未收取信息处理费。"
    for _, heading in C.SECTIONS:
        assert f"\n{heading}:" in text
    for row in C.T3_ROWS:
        assert f"{row.label}: [0, 0, 0, 0, 0, 0, 0]" in text
    assert text.startswith("# yaml-language-server: $schema=gip-author.schema.json\n")
    assert json.loads((tmp_path / "gip-author.schema.json").read_text(encoding="utf-8")) == json_schema()


def test_init_for_a_government_and_its_refusal_to_overwrite(tmp_path):
    out = tmp_path / "r.yaml"
    assert run("init", "--agency", "某某县人民政府", "--year", "2024", "--kind", "人民政府", "-o", str(out)).exit_code == 0
    assert load(out).kind == "government" and "机关类型: 人民政府" in out.read_text(encoding="utf-8")
    out.write_text("已经填写的内容", encoding="utf-8")
    again = run("init", "--agency", "某某县人民政府", "--year", "2024", "-o", str(out))
    assert again.exit_code == 2 and "已存在" in again.output and "--force" in again.output
    assert out.read_text(encoding="utf-8") == "已经填写的内容"
    forced = run("init", "--agency", "某某县人民政府", "--year", "2024", "-o", str(out), "--force")
    assert forced.exit_code == 0 and load(out).agency == "某某县人民政府"


def test_report_yaml_gives_back_the_same_report():
    report = distinct_report()
    again = loads(report_yaml(report))
    assert export_cells(again) == export_cells(report)
    assert (again.intro, again.improvements, again.other, again.requests) == \
        (report.intro, report.improvements, report.other, report.requests)
    assert again.general == report.general


# ------------------------------------------------------------------------------------------ schema


def _conforms(value, schema: dict, where: str = "") -> list[str]:
    """Where `value` breaks `schema` (the subset of JSON Schema ours uses: object, array, integer, number,
    string, enum, minimum, minItems/maxItems, additionalProperties: false)."""
    wrong = []
    if "enum" in schema:
        return [] if value in schema["enum"] else [f"{where}: {value!r} not in {schema['enum']}"]
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "object" in kinds and isinstance(value, dict):
        props = schema.get("properties", {})
        for key, item in value.items():
            if key not in props:
                wrong.append(f"{where}/{key}: not in the schema")
            else:
                wrong += _conforms(item, props[key], f"{where}/{key}")
        return wrong
    if "array" in kinds and isinstance(value, list):
        if not schema["minItems"] <= len(value) <= schema["maxItems"]:
            wrong.append(f"{where}: {len(value)} items")
        return wrong + [w for i, v in enumerate(value) for w in _conforms(v, schema["items"], f"{where}[{i}]")]
    if isinstance(value, bool):
        return [f"{where}: a boolean"]
    if isinstance(value, int) and ("integer" in kinds or "number" in kinds):
        return [] if value >= schema.get("minimum", value) else [f"{where}: below the minimum"]
    if isinstance(value, float) and "number" in kinds:
        return []
    if isinstance(value, str) and "string" in kinds:
        return []
    if value is None and "null" in kinds:
        return []
    return [f"{where}: {value!r} is not {kinds}"]


def test_schema_command_prints_the_schema_and_every_template_conforms():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema == json_schema() and result.output == json_schema_text()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema" and schema["$id"] == SCHEMA_URL
    assert schema["required"] == ["机关", "年度", *(heading for _, heading in C.SECTIONS)]
    props = schema["properties"]
    assert set(props[C.SECTION_HEADINGS["disclosure"]]["properties"]) == {"说明", *(r.label for r in C.T2_ROWS)}
    results = props[C.SECTION_HEADINGS["requests"]]["properties"][C.T3_RESULTS]["properties"]
    assert set(results["（三）不予公开"]["properties"]) == {r.label for r in C.T3_ROWS if r.group == "（三）不予公开"}
    t4 = props[C.SECTION_HEADINGS["appeals"]]["properties"]["行政复议"]
    assert (t4["minItems"], t4["maxItems"]) == (4, 5)
    for kind in ("部门", "人民政府"):
        data = yaml.safe_load(init_yaml("某某局", 2024, {"部门": "department", "人民政府": "government"}[kind]))
        data["发布日期"] = str(data["发布日期"])  # PyYAML reads an ISO date as a date; the schema says string
        assert _conforms(data, schema) == []


def test_schema_refuses_what_the_loader_refuses():
    schema = json_schema()
    data = yaml.safe_load(init_yaml("某某局", 2024))
    data["发布日期"] = str(data["发布日期"])
    data[C.SECTION_HEADINGS["disclosure"]]["行政出罚"] = 0
    data[C.SECTION_HEADINGS["appeals"]]["行政复议"] = [0, 0, 0]
    assert _conforms(data, schema) == [
        f"/{C.SECTION_HEADINGS['disclosure']}/行政出罚: not in the schema",
        f"/{C.SECTION_HEADINGS['appeals']}/行政复议: 3 items"]


# ------------------------------------------------------------------------------------------ export


@pytest.mark.parametrize("sample", SAMPLES[:2], ids=lambda p: p.stem)
def test_export_json_is_every_cell_of_the_report(sample):
    result = run("export", str(sample))
    assert result.exit_code == 0
    doc = json.loads(result.output)
    report = load(sample)
    assert (doc["agency"], doc["year"]) == (report.agency, report.year)
    assert list(doc["cells"]) == list(C.CELL_IDS)
    assert doc["cells"] == export_cells(report)


def test_export_csv_has_a_labelled_row_per_cell(tmp_path):
    report = distinct_report()
    path = tmp_path / "r.yaml"
    path.write_text(report_yaml(report), encoding="utf-8")
    out = tmp_path / "cells.csv"
    result = run("export", str(path), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["cell", "label", "value"] and len(rows) == 201
    assert rows[1] == ["t2.regulations.issued", "表二 规章 本年制发件数", "1000"]
    by_id = {cid: (label, value) for cid, label, value in rows[1:]}
    assert by_id["t2.fees"] == ("表二 行政事业性收费", "12.34")
    assert by_id["t3.new.natural"] == ("表三 一、本年新收政府信息公开申请数量 自然人", str(report.cells["t3.new.natural"]))
    assert all(Decimal(value) == Decimal(str(report.cells[cid])) for cid, (_, value) in by_id.items())


def test_export_works_on_a_report_that_fails_its_checks_and_never_overwrites_its_input(tmp_path):
    text = init_yaml("某某局", 2024).replace("行政复议: [0, 0, 0, 0, 0]", "行政复议: [1, 0, 0, 0, 0]")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    assert run("check", str(path)).exit_code == 1
    result = run("export", str(path))
    assert result.exit_code == 0 and json.loads(result.output)["cells"]["t4.review.upheld"] == 1
    refused = run("export", str(path), "-o", str(path))
    assert refused.exit_code == 2 and path.read_text(encoding="utf-8") == text
