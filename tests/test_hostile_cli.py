"""No traceback anywhere: careless files, odd values, unwritable places, odd environments and consoles.

Numbers are what they look like; control characters and overlong fields are refused by `check` and so by
`build`; outputs are all-or-nothing; file names made from an agency stay one name in the current folder.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import gip_author
from gip_author import output
from gip_author.cli import main
from gip_author.safe_names import safe_stem
from gip_author.yaml_writer import init_yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = init_yaml("测试区卫生健康局", 2024)


def run(*args, **kw):
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="gip-author", **kw)
    assert "Traceback" not in result.output and not isinstance(result.exception, AssertionError)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def write(tmp_path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ careless YAML


@pytest.mark.parametrize("command", [["check"], ["build", "-o", "out"], ["export"], ["check", "--previous"]])
def test_a_yaml_of_comments_only_is_a_message(tmp_path, command):
    f = write(tmp_path, "# 草稿\n# 还没填\n")
    args = [command[0], f, *command[1:]] if command[-1] != "--previous" else ["check", write(tmp_path, TEMPLATE, "t.yaml"),
                                                                            "--previous", f]
    result = run(*args)
    assert result.exit_code == 2 and "文件里只有注释" in result.output


def test_load_raises_only_the_package_errors(tmp_path):
    with pytest.raises(gip_author.CannotRead):
        gip_author.load(write(tmp_path, "# 草稿\n"))
    with pytest.raises(gip_author.InvalidReport):
        gip_author.load(write(tmp_path, "- 1\n- 2\n"))


@pytest.mark.parametrize("written, meaning", [
    ("1:30", "六十进制"), ("1_000", "带下划线"), ("0x1A", "十六进制"), ("0o7", "八进制"), ("0b11", "二进制"),
    ("1e3", "科学计数法"), ("1.5e3", "科学计数法"),
])
def test_yaml_1_1_numbers_are_refused_at_their_line(tmp_path, written, meaning):
    text = TEMPLATE.replace("  行政许可: 0", f"  行政许可: {written}")
    result = run("check", write(tmp_path, text), "--format", "json")
    doc = json.loads(result.output)
    bad = [p for p in doc["problems"] if p["rule"] == "input.bad-number"]
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("  行政许可"))
    assert result.exit_code == 1 and len(bad) == 1 and bad[0]["line"] == line
    assert meaning in bad[0]["message"] and written in bad[0]["message"]


@pytest.mark.parametrize("written", ["10000000000", "1000000001", "123456789012345678901234567890123456789012345"])
def test_absurd_counts_are_refused(tmp_path, written):
    result = run("check", write(tmp_path, TEMPLATE.replace("  行政许可: 0", f"  行政许可: {written}")), "--format", "json")
    bad = [p for p in json.loads(result.output)["problems"] if p["rule"] == "input.bad-number"]
    assert result.exit_code == 1 and "超过 10 亿" in bad[0]["message"]


def test_the_largest_sane_count_and_plain_decimals_pass(tmp_path):
    text = TEMPLATE.replace("  行政许可: 0", "  行政许可: 1000000000").replace("行政事业性收费: 0", "行政事业性收费: 12.5")
    report = gip_author.load(write(tmp_path, text))
    assert report.cells["t2.licensing"] == 10**9 and str(report.cells["t2.fees"]) == "12.5"
    assert not [p for p in report.load_problems if p.rule == "input.bad-number"]


@pytest.mark.parametrize("agency, words", [
    ('"临淄区\\v卫生健康局"', "U+000B"), ('"临淄区\\0卫生健康局"', "U+0000"), ('"临淄区\\e卫生健康局"', "U+001B"),
    ("临淄区\u202e卫生健康局", "U+202E"), ("临" + "区" * 299, "超过 100 个字"),
])
def test_control_characters_and_overlong_agencies_are_refused_by_check_and_build(tmp_path, agency, words):
    f = write(tmp_path, TEMPLATE.replace("机关: 测试区卫生健康局", f"机关: {agency}"))
    checked = run("check", f)
    assert checked.exit_code == 1 and "input.bad-text" in checked.output and words in checked.output
    assert "r.yaml:6:" in checked.output
    built = run("build", f, "-o", tmp_path / "out")
    assert built.exit_code == 1 and not (tmp_path / "out").exists()


def test_a_draft_build_of_such_an_agency_renders_clean_text(tmp_path):
    f = write(tmp_path, TEMPLATE.replace("机关: 测试区卫生健康局", '机关: "临淄区\\v卫生健康局' + "局" * 300 + '"'))
    result = run("build", f, "--draft", "--format", "docx,html", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    made = sorted((tmp_path / "out").iterdir())
    assert [p.suffix for p in made] == [".docx", ".html"]
    assert len(made[0].name.encode()) < 255 and "\v" not in made[0].name
    props = docx.Document(made[0]).core_properties
    assert props.author.startswith("临淄区卫生健康局局") and len(props.author) == 255
    assert "\v" not in made[1].read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ outputs


@pytest.mark.parametrize("args", [
    ["export", "{src}", "-o", "/etc/passwd/x.json"],
    ["import", "{html}", "-o", "/etc/passwd/x.yaml"],
    ["init", "--agency", "测试局", "--year", "2025", "-o", "/etc/passwd/x.yaml"],
    ["build", "{src}", "--format", "html", "-o", "/etc/passwd/out"],
])
def test_unwritable_outputs_are_a_message_and_exit_2(tmp_path, args):
    src = write(tmp_path, TEMPLATE)
    html = tmp_path / "r.html"
    from gip_author.render.html import render_html
    html.write_text(render_html(gip_author.load(src)), encoding="utf-8")
    result = run(*[a.format(src=src, html=html) for a in args] + (["--draft"] if args[0] == "build" else []))
    assert result.exit_code == 2 and "路径中有一部分是文件而不是文件夹" in result.output


def test_init_refuses_an_empty_agency(tmp_path):
    result = run("init", "--agency", "", "--year", "2025")
    assert result.exit_code == 2 and "机关名称不能为空" in result.output


@pytest.mark.parametrize("agency, stem", [
    ("../../escape局", "escape局"), ("区委办公室/区政府办公室", "区委办公室_区政府办公室"),
    ("报告\u202eexe.局", "报告exe.局"), ("区" * 90, "区" * 60),
])
def test_init_writes_only_in_its_folder_under_a_safe_name(tmp_path, monkeypatch, agency, stem):
    here = tmp_path / "a" / "b"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    result = run("init", "--agency", agency, "--year", "2025")
    made = sorted(p.name for p in here.iterdir())
    assert result.exit_code == (2 if "\u202e" in agency else 0), result.output
    if "\u202e" in agency:
        assert "U+202E" in result.output and made == []
    else:
        assert made == sorted([f"{stem}2025年政府信息公开工作年度报告.yaml", "gip-author.schema.json"])
    assert [p for p in tmp_path.rglob("*") if p.is_file() and here not in p.parents] == []


def test_safe_stem():
    assert safe_stem("a\tb\nc") == "abc"
    assert safe_stem("../..") == "report" and safe_stem("CON") == "_CON" and safe_stem(".hidden") == "hidden"
    assert len(safe_stem("局" * 300).encode()) <= 180


def test_a_failed_build_replaces_none_of_the_old_outputs(tmp_path, monkeypatch):
    src = write(tmp_path, TEMPLATE)
    out = tmp_path / "out"
    assert run("build", src, "--draft", "--format", "docx,html", "-o", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    src.write_text(TEMPLATE.replace("本年度未发出信息处理费收费通知", "本年度发出信息处理费收费通知 0 件"), encoding="utf-8")
    real_fdopen, calls = os.fdopen, []

    def full_disk(fd, *a, **kw):           # the second file written finds the disk full
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *a, **kw)

    monkeypatch.setattr(output.os, "fdopen", full_disk)
    result = run("build", src, "--draft", "--format", "docx,html", "-o", out)
    assert result.exit_code == 2 and "磁盘已满" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before      # no temp file left either


def test_a_build_over_its_input_is_refused_before_anything_is_rendered(tmp_path, monkeypatch):
    from gip_author import build
    from gip_author.render.html import render_html
    report = gip_author.load(write(tmp_path, TEMPLATE))
    src = write(tmp_path, render_html(report), report.display_title + ".html")     # a published page …
    (tmp_path / "r.yaml").unlink()
    rendered = []
    monkeypatch.setattr(build, "_render_all", lambda *a, **kw: rendered.append(a) or {})
    result = run("build", src, "--draft", "--format", "docx,html", "-o", tmp_path)   # … built over itself
    assert result.exit_code == 2 and "这是输入文件，不会被覆盖" in result.output
    assert rendered == [] and sorted(p.name for p in tmp_path.iterdir()) == [src.name]


# ------------------------------------------------------------------------------------------ environments


def test_source_date_epoch_past_year_9999(monkeypatch):
    from gip_author.render.html import created
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    assert created() == "9999-12-31T23:59:59Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 5000)
    assert created() == "9999-12-31T23:59:59Z"


def test_a_gbk_console_never_raises_on_an_emoji(tmp_path):
    f = write(tmp_path, TEMPLATE + "😀备注: x\n")
    env = dict(os.environ, PYTHONIOENCODING="gbk")
    r = subprocess.run([sys.executable, "-m", "gip_author", "check", str(f)], capture_output=True, env=env, cwd=ROOT)
    out = r.stdout.decode("gbk") + r.stderr.decode("gbk")
    assert r.returncode == 1 and "Traceback" not in out and "input.unknown-key" in out and "?备注" in out


@pytest.mark.parametrize("args, words", [
    (["check"], "错误：缺少参数 FILE。"),
    (["check", "x.yaml", "--format", "xml"], "选项 --format 的值不对：“xml”不是可选的值"),
    (["chek"], "没有命令“chek”。是不是 check"),
    (["init", "--year", "1990", "--agency", "x"], "选项 --year 的值不对：1990 超出范围"),
    (["check", "x.yaml", "--stric"], "没有选项“--stric”。是不是 --strict"),
    (["audit"], "错误：缺少参数 PATHS"),
    (["audit", "/no/such/folder"], "“/no/such/folder”不存在"),
])
def test_usage_errors_are_in_chinese(args, words):
    result = run(*args)
    assert result.exit_code == 2 and words in result.output, result.output
    assert "用法：gip-author" in result.output and "Usage:" not in result.output


# ------------------------------------------------------------------------------------------ smaller slips


def test_a_list_used_as_a_key_is_shown_as_written(tmp_path):
    result = run("check", write(tmp_path, TEMPLATE + "[a, b]: 1\n{c: d}: 2\n"))
    assert "无法识别的键“[a, b]”" in result.output and "无法识别的键“{c: d}”" in result.output
    assert "ScalarNode" not in result.output


def test_a_table3_row_written_twice_under_an_alias_is_said_once(tmp_path):
    row = "  一、本年新收政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0]\n"
    text = TEMPLATE.replace(row, row + "  本年新收: [0, 0, 0, 0, 0, 0, 0]\n")
    doc = json.loads(run("check", write(tmp_path, text), "--format", "json").output)
    dup = [p for p in doc["problems"] if p["rule"] == "input.duplicate-key"]
    assert len(dup) == 1 and dup[0]["line"] == text.splitlines().index("  本年新收: [0, 0, 0, 0, 0, 0, 0]") + 1


def test_control_characters_never_reach_a_page_or_an_imported_yaml(tmp_path):
    from gip_author.readers import import_report
    from gip_author.render.html import render_html
    report = gip_author.load(write(tmp_path, TEMPLATE))
    report.general.overview = "总体\x00情况\x1b[31m\x7f良好"             # a Report made through the API
    page = render_html(report)
    assert "总体情况[31m良好" in page and not any(ch in page for ch in "\x00\x1b\x7f")
    html = write(tmp_path, page.replace("总体情况[31m良好", "总体\x1b情况良好"), "p.html")
    imported, _ = import_report(html)
    assert imported.general.overview == "总体情况良好"


def test_checking_a_named_pipe_is_refused_instead_of_waiting_forever(tmp_path):
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    r = subprocess.run([sys.executable, "-m", "gip_author", "check", str(pipe)], capture_output=True, text=True,
                       timeout=60, cwd=ROOT)
    assert r.returncode == 2 and "命名管道（FIFO），不是普通文件" in r.stderr


def test_an_unwritable_summary_is_said_in_chinese(tmp_path):
    write(tmp_path, TEMPLATE)
    result = run("audit", tmp_path, "-o", "/etc/passwd/s.csv")
    assert result.exit_code == 2 and "无法写入汇总表（路径中有一部分是文件而不是文件夹）" in result.output


def test_a_line_separator_pasted_from_word_does_not_shift_line_numbers(tmp_path):
    text = TEMPLATE.replace("机关类型: 部门", "机关类型: 部门  # 注释\u2028还是注释").replace("  行政许可: 0", "  行政许可: 三")
    doc = json.loads(run("check", write(tmp_path, text), "--format", "json").output)
    bad = [p for p in doc["problems"] if p["rule"] == "input.bad-number"]
    assert [p["line"] for p in bad] == [next(i for i, l in enumerate(text.split("\n"), 1) if "行政许可" in l)]


def test_the_command_alone_shows_its_help_not_an_error():
    result = run()
    assert "错误" not in result.output and "Commands:" in result.output and "check" in result.output
