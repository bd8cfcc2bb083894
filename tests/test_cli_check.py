"""`gip-author check` and `gip-author rules`: the JSON document, languages, --strict, --previous, exit codes."""
import json
from pathlib import Path

from click.testing import CliRunner

from gip_author.cli import main
from gip_author.rules import RULES
from gip_author.yaml_writer import init_yaml

PROBLEM_KEYS = ["rule", "severity", "message", "message_en", "file", "line", "column", "where", "expected", "actual"]
FILLED = {
    "  （一）主动公开: |    # 主动公开政府信息的数量、渠道和重点领域公开情况\n    \n":
        "  （一）主动公开: |\n    全年主动公开政府信息120条。\n",
    "  （二）依申请公开: |    # 收到、办理依申请公开的情况，数字须与表三一致\n    \n":
        "  （二）依申请公开: |\n    全年收到政府信息公开申请2件。\n",
    "  （三）政府信息管理: |    # 公开属性源头管理、保密审查、文件清理等\n    \n":
        "  （三）政府信息管理: |\n    一是落实保密审查。二是清理文件。\n",
    "  （四）平台建设: |    # 政府网站、政务新媒体等公开平台的建设情况\n    \n":
        "  （四）平台建设: |\n    加强政府网站建设。\n",
    "  （五）监督保障: |    # 组织领导、考核评议、社会评议、责任追究等\n    \n":
        "  （五）监督保障: |\n    加强组织领导和考核。\n",
    "五、存在的主要问题及改进情况: |\n  \n":
        "五、存在的主要问题及改进情况: |\n  公开内容不够丰富。2025年，我局将丰富公开内容。\n",
    "一、本年新收政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0]": "一、本年新收政府信息公开申请数量: [2, 0, 0, 0, 0, 0, 2]",
    "（一）予以公开: [0, 0, 0, 0, 0, 0, 0]": "（一）予以公开: [1, 0, 0, 0, 0, 0, 1]",
    "（七）总计: [0, 0, 0, 0, 0, 0, 0]": "（七）总计: [1, 0, 0, 0, 0, 0, 1]",
    "四、结转下年度继续办理: [0, 0, 0, 0, 0, 0, 0]": "四、结转下年度继续办理: [1, 0, 0, 0, 0, 0, 1]",
}


def report_text(year: int = 2024, **edits: str) -> str:
    """A sound report (no problem) from the init template, with `edits` {old line: new line} applied."""
    text = init_yaml("某区卫生健康局", year)
    for old, new in {**FILLED, **edits}.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def write(tmp_path: Path, text: str, name: str = "report.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def test_a_sound_report_passes(tmp_path):
    path = write(tmp_path, report_text())
    result = run("check", path)
    assert result.exit_code == 0 and result.output == f"{path}：检查通过，未发现问题。\n"


def test_json_document_shape(tmp_path):
    text = report_text(**{"（一）予以公开: [1, 0, 0, 0, 0, 0, 1]": "（一）予以公开: [1, 0, 0, 0, 0, 0, 2]",
                          "发布日期: 2025-01-20": "发布日期: 2025-03-01"})
    path = write(tmp_path, text)
    result = run("check", path, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert list(doc) == ["file", "agency", "year", "errors", "warnings", "problems"]
    assert (doc["file"], doc["agency"], doc["year"]) == (path, "某区卫生健康局", 2024)
    assert (doc["errors"], doc["warnings"]) == (sum(p["severity"] == "error" for p in doc["problems"]),
                                                sum(p["severity"] == "warning" for p in doc["problems"]))
    for p in doc["problems"]:
        assert list(p) == PROBLEM_KEYS and p["rule"] in RULES and p["file"] == path
    row = next(p for p in doc["problems"] if p["rule"] == "t3.row-total")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("    （一）予以公开"))
    assert (row["severity"], row["line"], row["expected"], row["actual"]) == ("error", line, 1, 2)
    assert row["column"] > 1 and "（一）予以公开" in row["message"] and "Table 3" in row["message_en"]
    late = next(p for p in doc["problems"] if p["rule"] == "meta.late")
    assert (late["severity"], late["expected"], late["actual"]) == ("warning", "≤ 2025-01-31", "2025-03-01")


def test_text_output_zh_and_en(tmp_path):
    path = write(tmp_path, report_text(**{"（七）总计: [1, 0, 0, 0, 0, 0, 1]": "（七）总计: [1, 0, 0, 0, 0, 0, 5]"}))
    zh = run("check", path)
    assert zh.exit_code == 1
    assert "错误 [t3.results-total] 表三“（七）总计”的“总计”列是 5" in zh.output
    assert zh.output.endswith("个错误，0 个警告。\n")
    en = run("check", path, "--lang", "en")
    assert en.exit_code == 1
    assert "error [t3.results-total] Table 3 results total, column total: 5" in en.output
    assert en.output.endswith("error(s), 0 warning(s).\n") and "表三" not in en.output


def test_strict_fails_on_warnings_only(tmp_path):
    path = write(tmp_path, report_text(**{"发布日期: 2025-01-20": "发布日期: 2025-02-10"}))
    assert run("check", path).exit_code == 0
    strict = run("check", path, "--strict")
    assert strict.exit_code == 1 and "[meta.late]" in strict.output
    assert run("check", write(tmp_path, report_text(), "sound.yaml"), "--strict").exit_code == 0


def test_previous_year(tmp_path):
    path = write(tmp_path, report_text(**{
        "二、上年结转政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0]": "二、上年结转政府信息公开申请数量: [1, 0, 0, 0, 0, 0, 1]",
        "（一）予以公开: [1, 0, 0, 0, 0, 0, 1]": "（一）予以公开: [2, 0, 0, 0, 0, 0, 2]",
        "（七）总计: [1, 0, 0, 0, 0, 0, 1]": "（七）总计: [2, 0, 0, 0, 0, 0, 2]"}))
    assert run("check", path).exit_code == 0
    last = init_yaml("某区卫生健康局", 2023)  # carried nothing out, so this year carried nothing in
    result = run("check", path, "--previous", write(tmp_path, last, "last.yaml"), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    carried = [p for p in doc["problems"] if p["rule"] == "prev.carried-in"]
    assert [(p["expected"], p["actual"]) for p in carried] == [(0, 1), (0, 1)]
    # last year's own blank parts are not this year's problems
    assert {p["file"] for p in doc["problems"]} == {path}


def test_previous_that_cannot_be_read(tmp_path):
    path = write(tmp_path, report_text())
    result = run("check", path, "--previous", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2 and "missing.yaml：找不到这个文件" in result.output


def test_rules_markdown_lists_every_rule():
    result = run("rules", "--format", "markdown")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("| 规则 rule |")
    listed = [line.split("`")[1] for line in lines[2:]]
    assert sorted(listed) == sorted(RULES) and len(listed) == len(RULES)
    errors_first = [RULES[r].severity for r in listed]
    assert errors_first == sorted(errors_first)  # "error" < "warning": errors first


def test_rules_json_and_english_text():
    doc = json.loads(run("rules", "--format", "json").output)
    assert {r["id"] for r in doc} == set(RULES) and all(r["zh"] and r["en"] for r in doc)
    en = run("rules", "--lang", "en").output
    assert "text.contradicts-table" in en and "warning" in en and "警告" not in en
