"""Bad input gets a clear answer and loses nothing (issue 3): through the CLI, as a clerk meets it.

Each case asserts the exit code (1 invalid report, 2 cannot read), the message (the file, the line where
there is one, what to do), that no traceback reaches the user, and that the input file is unchanged.
"""
import hashlib
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from gip_author import loads
from gip_author.cli import main
from gip_author.files import MAX_YAML_BYTES
from gip_author.loader import read_text
from gip_author.yaml_writer import init_yaml

TEMPLATE = init_yaml("某区卫生健康局", 2024)
LINES = TEMPLATE.splitlines()


def line_no(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def run_check(tmp_path: Path, body: str | bytes, name: str = "report.yaml", *args: str):
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = CliRunner().invoke(main, ["check", str(path), *args])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the input file was modified"
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception) \
        or isinstance(result.exception, SystemExit), result.output
    return result, str(path)


def test_yaml_syntax_error_names_the_line_of_the_unclosed_bracket(tmp_path):
    text = TEMPLATE.replace("行政许可: 0", "行政许可: [1, 2")
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1
    assert f"{path}:{line_no(text, '行政许可')}:" in result.output and "方括号没有闭合" in result.output


def test_tab_indented_file(tmp_path):
    text = TEMPLATE.replace("  行政处罚: 0", "\t行政处罚: 0")
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1
    assert f"{path}:{line_no(text, '行政处罚')}:" in result.output and "Tab" in result.output and "空格" in result.output


@pytest.mark.parametrize("cut", ["（三）不予公开:", "行政复议: [0, 0"])
def test_half_edited_file(tmp_path, cut):
    text = TEMPLATE[: TEMPLATE.index(cut) + len(cut)] + "\n"
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1
    assert f"{path}:" in result.output
    if cut.endswith(":"):  # the tables stop short: the missing sections are named
        assert "缺少“四、政府信息公开行政复议、行政诉讼情况”" in result.output
        assert "缺少“六、其他需要报告的事项”" in result.output
    else:  # the file stops inside a bracket
        assert f"{path}:{line_no(text, '行政复议: [')}:" in result.output and "没有闭合" in result.output


@pytest.mark.parametrize("written, said", [("一", "“一”"), ("1件", "“1件”"), ("1.5", " 1.5"), ("-1", " -1"), ("", "空白")])
def test_a_count_not_written_as_a_number(tmp_path, written, said):
    text = TEMPLATE.replace("行政许可: 0", f"行政许可: {written}")
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1
    line = line_no(text, "行政许可:")
    assert f"{path}:{line}:" in result.output and "[input.bad-number]" in result.output
    assert f"表二 行政许可 填的是{said}，" in result.output


@pytest.mark.parametrize("written", ["一", "1件", "1.5", "-1", ""])
def test_a_count_in_a_table3_row(tmp_path, written):
    text = TEMPLATE.replace("（一）予以公开: [0, 0, 0, 0, 0, 0, 0]", f"（一）予以公开: [0, \"{written}\", 0, 0, 0, 0, 0]")
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1
    assert f"{path}:{line_no(text, '（一）予以公开')}:" in result.output and "商业企业" in result.output


def test_a_blank_inside_a_row(tmp_path):
    text = TEMPLATE.replace("（一）予以公开: [0, 0, 0, 0, 0, 0, 0]", "（一）予以公开: [0, , 0, 0, 0, 0, 0]")
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1
    assert f"{path}:{line_no(text, '（一）予以公开')}:" in result.output and "填 0" in result.output


def test_duplicated_key(tmp_path):
    text = TEMPLATE.replace("  行政处罚: 0", "  行政处罚: 0\n  行政处罚: 3")
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1
    first = line_no(text, "行政处罚")
    assert f"{path}:{first + 1}:" in result.output and f"第 {first} 行已经有了" in result.output


def test_duplicated_key_in_another_spelling(tmp_path):
    text = TEMPLATE.replace("  行政处罚: 0", "  行政处罚: 0\n  penalties: 3")
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1
    assert f"{path}:{line_no(text, 'penalties')}:" in result.output and "[input.duplicate-key]" in result.output
    assert f"第 {line_no(text, '行政处罚')} 行" in result.output


def test_gbk_file_is_read_correctly_with_a_warning(tmp_path):
    result, path = run_check(tmp_path, TEMPLATE.replace("行政许可: 0", "行政许可: 7").encode("gb18030"))
    assert result.exit_code == 0
    assert "GBK/GB18030" in result.output and "UTF-8" in result.output
    assert loads(TEMPLATE).agency == "某区卫生健康局"
    text, notes = read_text(Path(path))
    assert "某区卫生健康局" in text and "行政许可: 7" in text and [n.rule for n in notes] == ["input.encoding"]


def test_utf16_file_from_notepad_is_read_with_a_warning(tmp_path):
    result, _ = run_check(tmp_path, TEMPLATE.encode("utf-16"))
    assert result.exit_code == 0 and "UTF-16" in result.output


def test_utf8_bom(tmp_path):
    result, path = run_check(tmp_path, "\ufeff" + TEMPLATE)
    assert result.exit_code == 0 and "input.encoding" not in result.output
    assert read_text(Path(path))[0].startswith("# yaml-language-server")


def test_empty_file(tmp_path):
    for body in ("", "\n\n   \n"):
        result, path = run_check(tmp_path, body)
        assert result.exit_code == 2 and f"{path}：文件是空的" in result.output and "gip-author init" in result.output


def test_not_yaml_at_all(tmp_path):
    result, path = run_check(tmp_path, bytes(range(256)) * 40)
    assert result.exit_code == 2 and f"{path}：这不是文本文件" in result.output
    result, path = run_check(tmp_path, "这是一段普通的文字，不是报告。\n", "notes.yaml")
    assert result.exit_code == 1 and f"{path}：这不是年度报告的 YAML 文件" in result.output


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    result, path = run_check(tmp_path, bomb)  # expanded, it would be 9**9 nodes: refused before that
    assert result.exit_code == 1 and f"{path}:2:" in result.output and "别名" in result.output


def test_deep_nesting_is_refused(tmp_path):
    result, path = run_check(tmp_path, "x: " + "[" * 100_000 + "\n")
    assert result.exit_code == 1 and f"{path}：" in result.output and "嵌套" in result.output


def test_100_mb_file_is_refused_quickly_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.write(b"x: ")
        for _ in range(100):
            f.write(b"a" * 2**20)
    tracemalloc.start()
    result = CliRunner().invoke(main, ["check", str(path)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.exit_code == 2 and f"{path}：文件超过" in result.output
    assert peak < 3 * MAX_YAML_BYTES  # read no further than the limit


def test_missing_file_and_directory(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "找不到这个文件" in result.output
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "文件夹" in result.output


@pytest.mark.parametrize("edit, said", [
    (("发布日期: 2025-01-20", "发布日期: 2025-02-30"), "发布日期“2025-02-30”无法识别"),
    (("行政许可: 0", "行政许可: .nan"), "“nan”"),
    (("行政许可: 0", "行政许可: !!binary aGVsbG8="), "应填阿拉伯数字"),
    (("行政许可: 0", "行政许可: !foo 3"), "“!foo 3”"),
    (("行政许可: 0", "行政许可: 0\f"), "控制字符"),
    (("机关: 某区卫生健康局", "机关: [a, b]"), "不是列表或下级键"),
])
def test_odd_values_get_a_message_with_the_line(tmp_path, edit, said):
    text = TEMPLATE.replace(*edit)
    result, path = run_check(tmp_path, text)
    assert result.exit_code == 1 and said in result.output
    assert f"{path}:{line_no(text, edit[1].split(':')[0] + ':')}:" in result.output


def test_check_never_writes(tmp_path):
    path = tmp_path / "report.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    mtime = path.stat().st_mtime_ns
    CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert sorted(p.name for p in tmp_path.iterdir()) == before and path.stat().st_mtime_ns == mtime
