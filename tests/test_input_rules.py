"""The input rules, each made to fire by a bad file and kept quiet by the sound template (via --format json)."""
import json

import pytest
from click.testing import CliRunner

from gip_author.cli import main
from gip_author.yaml_writer import init_yaml

TEMPLATE = init_yaml("测试区卫生健康局", 2024)


def check_json(tmp_path, text: str):
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.output)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = {
    "input.syntax": (TEMPLATE.replace("  行政许可: 0", "  行政许可: [0, 0"), "行政许可"),
    "input.unknown-key": (TEMPLATE.replace("  行政处罚: 0", "  行政出罚: 0"), "行政出罚"),
    "input.bad-shape": (TEMPLATE.replace("  行政复议: [0, 0, 0, 0, 0]", "  行政复议: [0, 0, 0]"), "  行政复议:"),
    "input.missing": ("\n".join(line for line in TEMPLATE.splitlines() if not line.startswith("机关:")), None),
    "input.bad-number": (TEMPLATE.replace("  行政强制: 0", "  行政强制: 三"), "行政强制"),
    "input.duplicate-key": (TEMPLATE + "\n年度: 2025\n", "年度: 2025"),
    "input.bad-text": (TEMPLATE.replace("机关: 测试区卫生健康局", '机关: "测试区\\v卫生健康局"'), "机关:"),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_input_rule_fires_with_its_line(tmp_path, rule):
    text, needle = CASES[rule]
    code, doc = check_json(tmp_path, text)
    assert code == 1
    fired = [p for p in doc["problems"] if p["rule"] == rule]
    assert fired, doc
    assert fired[0]["severity"] == "error" and fired[0]["message"]
    if needle:
        assert fired[0]["line"] == line_of(text, needle)


def test_the_sound_template_fires_no_input_rule(tmp_path):
    code, doc = check_json(tmp_path, TEMPLATE)
    assert code == 0
    assert not [p for p in doc["problems"] if p["rule"].startswith("input.")]


def test_a_file_that_is_not_a_report_gives_import_no_report(tmp_path):
    from gip_author.readers import import_report
    from gip_author.problems import GipError
    page = tmp_path / "menu.html"
    page.write_text("<html><body><p>今日菜单：米饭、青菜。</p></body></html>", encoding="utf-8")
    with pytest.raises(GipError) as e:
        import_report(page)
    assert "年度报告" in str(e.value)
    result = CliRunner().invoke(main, ["check", str(page), "--format", "json"])
    doc = json.loads(result.output)
    assert result.exit_code == 1 and doc["errors"] >= 1 and "Traceback" not in result.output
    assert [p["rule"] for p in doc["problems"]] == ["import.no-report"]
