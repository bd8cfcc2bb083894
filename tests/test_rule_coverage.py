"""Every rule in the catalogue has a test that makes it fire and stays quiet on a sound report.

Adding a rule (`X = rule(...)` in the rules package) without a test that names its id fails here; so does a
rule that fires on a report with nothing wrong — read back from YAML, and imported from its own HTML and DOCX.
"""
import ast
from functools import cache
from pathlib import Path

import pytest

from gip_author.readers import import_report
from gip_author.render.docx import render_docx
from gip_author.render.html import render_html
from gip_author.rules import RULES, check
from test_rules import last_year, make

TESTS = Path(__file__).resolve().parent


@cache
def _strings_in_other_tests() -> str:
    found = []
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name != Path(__file__).name:
            found += [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return "\n".join(found)


@pytest.fixture(scope="module")
def sound_problems(tmp_path_factory) -> dict[str, list[str]]:
    """The rules that fire on a sound report and last year's, as YAML and as its own HTML and DOCX imported."""
    report, previous = make(), last_year()
    folder = tmp_path_factory.mktemp("sound")
    (folder / "report.html").write_text(render_html(report), encoding="utf-8")
    (folder / "report.docx").write_bytes(render_docx(report))
    fired = {"yaml": [p.rule for p in check(report, previous)]}
    for name in ("report.html", "report.docx"):
        imported, notes = import_report(folder / name)
        fired[name] = [p.rule for p in notes + check(imported, previous)]
    return fired


def test_the_sound_report_is_quiet_in_every_form(sound_problems):
    assert sound_problems == {"yaml": [], "report.html": [], "report.docx": []}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_quiet_on_the_sound_report(sound_problems, rule_id):
    assert all(rule_id not in fired for fired in sound_problems.values())


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_a_test_that_makes_it_fire(rule_id):
    assert rule_id in _strings_in_other_tests(), f"no test names {rule_id}: write one that makes it fire"
