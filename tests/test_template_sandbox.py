"""An agency's own templates (`--templates DIR`): files only from DIR, bounded work, located Chinese errors,
and `{% extends 'report.html.j2' %}` of the package's template (the way to add a 红头)."""
from __future__ import annotations

import os

import lxml.html
import pytest
from click.testing import CliRunner

from gip_author import limits as L
from gip_author.cli import main
from gip_author.render.html import TemplateProblem, render_html
from reports import distinct_report

SECRET = "root:x:0:0:secret-line"


def render_with(tmp_path, source: str, **files) -> str:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "report.html.j2").write_text(source, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return render_html(distinct_report(), templates_dir=folder, data=False)   # the template's output alone


@pytest.fixture
def outside(tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def test_a_symlink_out_of_the_template_folder_is_refused(tmp_path, outside):
    folder = tmp_path / "tpl"
    folder.mkdir()
    os.symlink(outside, folder / "p.txt")
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, "{% include 'p.txt' %}")
    assert "p.txt 指向文件夹以外" in str(e.value) and SECRET not in str(e.value)


def test_a_symlink_inside_the_folder_is_followed(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "head.txt").write_text("本机关红头", encoding="utf-8")
    os.symlink("head.txt", folder / "p.txt")
    assert render_with(tmp_path, "{% include 'p.txt' %}") == "本机关红头"


@pytest.mark.parametrize("name", ["../passwd", "/etc/passwd", "sub/../../passwd"])
def test_paths_leaving_the_folder_are_not_found(tmp_path, outside, name):
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, "{% include '" + name + "' %}")
    assert "找不到模板文件" in str(e.value) and SECRET not in str(e.value)


def test_the_cli_never_publishes_the_file_behind_a_symlink(tmp_path, outside):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "report.html.j2").write_text("{% include 'p.txt' %}", encoding="utf-8")
    os.symlink(outside, folder / "p.txt")
    src = tmp_path / "r.yaml"
    from gip_author.yaml_writer import init_yaml
    src.write_text(init_yaml("某区卫生健康局", 2024), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(src), "--templates", str(folder), "--format", "html",
                                       "--draft", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "指向文件夹以外" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("source, words", [
    ("{{ 'x' * 10**10 }}", "重复 10,000,000,000 次"),
    ("{{ [1] * 10**9 }}", "重复 1,000,000,000 次"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "拼接出的文字超过"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", "拼接出的内容超过"),
    ("{{ 'x'|center(10**9) }}", "参数 1,000,000,000 太大"),
    ("{{ 'x'.ljust(10**9) }}", "参数 1,000,000,000 太大"),
    ("{{ '%999999999s' % 'x' }}", "格式宽度过大"),
    ("{{ '{:>99999999}'.format(1) }}", "格式宽度过大"),
    ("{{ 7 ** 100000 }}", "的结果太大"),
    ("{{ range(10**9)|list }}", "参数 1,000,000,000 太大"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "range() 循环次数合计超过"),
])
def test_output_and_loop_bombs_are_stopped_with_the_template_line(tmp_path, source, words):
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, "第一行\n" + source)
    assert words in str(e.value) and "模板 report.html.j2 第 2 行" in str(e.value)


def test_the_page_size_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "TEMPLATE_OUTPUT_CHARS", 10_000)
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, "{% for i in range(5000) %}一二三{% endfor %}")
    assert "生成的网页超过 10,000 个字符" in str(e.value)


def test_a_template_that_never_ends_is_stopped_by_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "TEMPLATE_SECONDS", 1)
    loops = "".join("{% for x" + str(i) + " in doc.sections %}" for i in range(12)) + "{% endfor %}" * 12
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, loops)
    assert "模板运行超过 1 秒仍未完成" in str(e.value)


def test_a_macro_calling_itself_is_a_message(tmp_path):
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}")
    assert "嵌套过深" in str(e.value)


def test_an_unknown_name_is_said_in_chinese_with_its_line(tmp_path):
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, "一\n二\n{{ doc.letterhead }}")
    assert "模板 report.html.j2 第 3 行：模板无法生成报告：引用了不存在的名称“letterhead”" in str(e.value)


def test_extending_the_package_template_adds_a_letterhead(tmp_path):
    html = render_with(tmp_path, "{% extends 'report.html.j2' %}"
                                 "{% block letterhead %}<p class=\"letterhead\">{{ doc.agency }}文件</p>{% endblock %}")
    page = lxml.html.fromstring(html)
    main_el = page.find(".//main")
    assert main_el[0].get("class") == "letterhead" and main_el[0].text_content() == "某某区卫生健康局文件"
    assert page.find(".//h1").text_content() == distinct_report().display_title   # the rest is the package's page
    assert len(page.xpath("//section//table")) == 3


def test_the_package_templates_are_reachable_by_their_builtin_name(tmp_path):
    html = render_with(tmp_path, "{% extends 'gip-author/report.html.j2' %}{% block letterhead %}红头{% endblock %}")
    assert "红头" in html and "<h2>一、总体情况</h2>" in html


def test_a_template_too_big_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "TEMPLATE_BYTES", 100)
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, "x" * 200)
    assert "不像模板文件" in str(e.value)


def test_the_cli_extends_example_builds(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "report.html.j2").write_text(
        "{% extends 'report.html.j2' %}{% block letterhead %}<p class=\"letterhead\">红头</p>{% endblock %}",
        encoding="utf-8")
    src = tmp_path / "r.yaml"
    from gip_author.yaml_writer import init_yaml
    src.write_text(init_yaml("某区卫生健康局", 2024), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(src), "--templates", str(folder), "--format", "html", "--draft",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    page = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert '<p class="letterhead">红头</p>' in page


@pytest.mark.parametrize("source, words", [
    ("{% for x in doc.sections %}", "还缺少 {% endfor %}"),
    ("一\n{% endfo %}", "第 2 行有语法错误：不认识的标记“endfo”"),
    ("{{ doc.title }", "“}”不成对"),
])
def test_syntax_errors_are_said_in_chinese(tmp_path, source, words):
    with pytest.raises(TemplateProblem) as e:
        render_with(tmp_path, source)
    assert words in str(e.value)
