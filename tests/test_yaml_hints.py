"""Slips of a Chinese input method get a message naming the character and the line where it is; a Table 3 row
of 6 numbers that does not add up says a column may be missing; 发布日期 rules; build lists its warnings."""
import json

import pytest
from click.testing import CliRunner

from gip_author.cli import main
from gip_author.yaml_writer import init_yaml

TEMPLATE = init_yaml("测试区卫生健康局", 2024)
NEW_ROW = "  一、本年新收政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0]"
PROBLEMS = "五、存在的主要问题及改进情况: |\n  "


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def check(tmp_path, text: str):
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.output)


SLIPS = {  # name: (text, the line the message must name, words it must contain)
    "full-width colon": (TEMPLATE.replace("  行政处罚: 0", "  行政处罚：62"), "行政处罚", "“行政处罚”后面用了中文冒号“：”"),
    "full-width colon at the top": (TEMPLATE.replace("年度: 2024", "年度：2024"), "年度：", "中文冒号"),
    "full-width space indent": (TEMPLATE.replace("  行政处罚: 0", "\u3000\u3000行政处罚: 0"), "行政处罚", "全角空格"),
    "full-width space after colon": (TEMPLATE.replace("  行政处罚: 0", "  行政处罚:\u300062"), "行政处罚", "全角空格"),
    "unindented paragraph": (TEMPLATE.replace(PROBLEMS, PROBLEMS + "今年问题一是……\n针对存在问题，我局将加强培训。\n"),
                             "针对存在问题", "没有缩进"),
    "full-width commas": (TEMPLATE.replace(NEW_ROW, NEW_ROW.replace(", ", "，")), "本年新收", "中文逗号“，”"),
    "full-width brackets": (TEMPLATE.replace(NEW_ROW, NEW_ROW.replace("[", "［").replace("]", "］")), "本年新收",
                            "中文方括号"),
}


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_input_method_slip_is_named_at_its_line(tmp_path, name):
    text, needle, words = SLIPS[name]
    code, doc = check(tmp_path, text)
    assert code == 1
    (p,) = [p for p in doc["problems"] if p["rule"] in ("input.syntax", "input.bad-shape")]
    assert p["line"] == line_of(text, needle)
    assert words in p["message"] and f"第 {p['line']} 行" in p["message"]
    assert not any(w in p["message"] for w in ("did not", "expected", "found", "mapping"))


def test_no_libyaml_english_reaches_the_user(tmp_path):
    # an error no hint foresees: the explanation is still Chinese
    text = TEMPLATE.replace("  行政许可: 0", '  行政许可: "0" 1')
    code, doc = check(tmp_path, text)
    assert code == 1 and doc["problems"][0]["rule"] == "input.syntax"
    assert not any(w in doc["problems"][0]["message"] for w in ("did not", "expected", "found", "comment"))


def test_a_six_number_row_that_breaks_the_arithmetic_says_a_column_may_be_missing(tmp_path):
    text = TEMPLATE.replace(NEW_ROW, "  一、本年新收政府信息公开申请数量: [1, 0, 0, 0, 0, 1]") \
        .replace("    （一）予以公开: [0, 0, 0, 0, 0, 0, 0]", "    （一）予以公开: [1, 0, 0, 0, 0, 1, 2]")
    _, doc = check(tmp_path, text)
    short = [p for p in doc["problems"] if p["rule"] == "t3.short-row"]
    assert [p["line"] for p in short] == [line_of(text, "本年新收")] and "只有 6 个数" in short[0]["message"]
    # 6 numbers that add up (the total really omitted) are fine
    sound = TEMPLATE.replace(NEW_ROW, "  一、本年新收政府信息公开申请数量: [1, 0, 0, 0, 0, 1]") \
        .replace("    （一）予以公开: [0, 0, 0, 0, 0, 0, 0]", "    （一）予以公开: [1, 0, 0, 0, 0, 1, 2]") \
        .replace("    （七）总计: [0, 0, 0, 0, 0, 0, 0]", "    （七）总计: [1, 0, 0, 0, 0, 1, 2]")
    code, doc = check(tmp_path, sound)
    assert code == 0 and not [p for p in doc["problems"] if p["rule"] == "t3.short-row"]


def test_publication_date_rules(tmp_path):
    date_line = next(line for line in TEMPLATE.splitlines() if line.startswith("发布日期"))
    code, doc = check(tmp_path, TEMPLATE.replace(date_line, "发布日期: 2024-12-20"))
    early = [p for p in doc["problems"] if p["rule"] == "meta.published-early"]
    assert code == 1 and early and early[0]["severity"] == "error" and early[0]["line"] == line_of(TEMPLATE, "发布日期")
    code, doc = check(tmp_path, TEMPLATE.replace(date_line, "发布日期:"))
    missing = [p for p in doc["problems"] if p["rule"] == "meta.published-missing"]
    assert missing and missing[0]["severity"] == "warning" and "2025-01-20" in missing[0]["message"]
    _, doc = check(tmp_path, TEMPLATE)
    assert not [p for p in doc["problems"] if p["rule"].startswith("meta.published")]


def test_build_prints_its_warnings(tmp_path):
    path = tmp_path / "report.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")  # the blank template: empty sections are warnings
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 0
    count = int(result.output.split("报告有 ")[1].split(" 个警告")[0])
    shown = [line for line in result.output.splitlines() if "警告 [" in line]
    assert count > 5 and len(shown) == 5 and f"其余 {count - 5} 个警告" in result.output
    assert "text.empty-section" in shown[0]
