"""Docs that cannot drift: the README's rule table and commands come from the code."""
import importlib.util
import re
from pathlib import Path

from click.testing import CliRunner

from gip_author.cli import main
from gip_author.rules import RULES

ROOT = Path(__file__).resolve().parent.parent


def _update_readme():
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "scripts/update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_rule_table_is_generated_from_the_code():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _update_readme().with_rules(text) == text, "run: .venv/bin/python scripts/update_readme.py"
    for rule_id in RULES:
        assert f"`{rule_id}`" in text


def test_readme_two_commands_name_real_files():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    build = re.search(r"bash scripts/setup.sh && \.venv/bin/gip-author build (\S+)", text)
    assert build and (ROOT / build.group(1)).is_file()
    test_cmd = re.search(r"bash scripts/setup.sh --test && \.venv/bin/python -m pytest", text)
    assert test_cmd
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert test_cmd.group(0) in ci


def test_every_command_has_help_text():
    runner = CliRunner()
    for name, command in main.commands.items():
        assert command.help, f"{name} has no help"
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output


def test_readme_code_layout_names_real_modules():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = text[text.index("## 代码结构"):text.index("## English")]
    names = set(re.findall(r"`((?:[a-z_]+/)*[a-z_]+\.py)`", layout))
    assert len(names) > 20
    for name in names:
        found = list(ROOT.rglob(name.rpartition("/")[2]))
        assert any(f.as_posix().endswith("/" + name) for f in found), name
