"""The editor writes the page's values into the clerk's YAML by changing only what changed, and its checks
are the rules of `check`, each placed on its field."""
import random

import pytest

from gip_author import cells as C
from gip_author.editor.fields import values
from gip_author.editor.patch import number_token
from gip_author.editor.session import Conflict, Session
from gip_author.loader import loads
from gip_author.model import export_cells
from gip_author.yaml_writer import init_yaml

from reports import SAMPLES

HAND = "# 我加的注释：数字来自办公室台账\n"


def session_for(tmp_path, text: str) -> Session:
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    return Session(path)


@pytest.mark.parametrize("sample", SAMPLES[:2], ids=lambda p: p.stem)
def test_every_value_written_back_and_nothing_else_changes(tmp_path, sample):
    original = HAND + sample.read_text(encoding="utf-8").replace("\n  行政处罚:", "\n  # 行政处罚含简易程序\n  行政处罚:")
    s = session_for(tmp_path, original)
    rng = random.Random(7)
    new = {cid: str(rng.randint(0, 50)) for cid in C.CELL_IDS if not cid.startswith("t2.fees")}
    new.update({"t2.fees": "1.25", "general.proactive": "第一段：写了冒号。\n\n第二段 # 不是注释",
                "improvements": "一是……\n二是……", "published": "2026-01-15", "agency": "某某局: 测试"})
    text, rewritten = s.text_for(new)
    assert not rewritten
    report = loads(text)
    got = export_cells(report)
    assert {k: str(v) for k, v in got.items() if k in new} == {k: v for k, v in new.items() if k in got}
    assert report.general.proactive == new["general.proactive"] and report.improvements == new["improvements"]
    assert report.agency == "某某局: 测试" and str(report.published) == "2026-01-15"
    # every comment line the clerk had is still there, in order
    comments = [line.strip() for line in original.splitlines() if line.lstrip().startswith("#")]
    assert [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")] == comments
    # unchanged values leave the text as it was
    assert s.text_for({})[0] == original
    assert s.text_for(dict(s.values))[0] == original


def test_missing_rows_and_notes_are_added_where_they_belong(tmp_path):
    text = init_yaml("测试局", 2024)
    text = "\n".join(line for line in text.splitlines() if "3.其他:" not in line and "复议后起诉" not in line)
    s = session_for(tmp_path, text)
    assert "t3.other_3.natural" not in s.report.locations
    new = {"t3.other_3.natural": "2", "t3.other_3.total": "2", "t4.litigation_after_review.upheld": "1",
           "t4.litigation_after_review.total": "1", "requests.note": "说明文字"}
    report = loads(s.text_for(new)[0])
    assert report.cells["t3.other_3.natural"] == 2 and report.cells["t4.litigation_after_review.total"] == 1
    assert report.requests == "说明文字"


def test_a_row_without_its_total_keeps_it_left_out_while_it_adds_up(tmp_path):
    text = init_yaml("测试局", 2024).replace("（一）予以公开: [0, 0, 0, 0, 0, 0, 0]", "（一）予以公开: [0, 0, 0, 0, 0, 0]")
    s = session_for(tmp_path, text)
    out = s.text_for({"t3.granted.natural": "3", "t3.granted.total": "3"})[0]
    assert "（一）予以公开: [3, 0, 0, 0, 0, 0]" in out
    out = s.text_for({"t3.granted.natural": "3", "t3.granted.total": "4"})[0]
    assert "（一）予以公开: [3, 0, 0, 0, 0, 0, 4]" in out


@pytest.mark.parametrize("typed", ["三", "1]", "# x", "1, 2", "", "{a: 1}"])
def test_anything_typed_in_a_cell_is_a_message_at_that_cell_never_a_broken_file(tmp_path, typed):
    s = session_for(tmp_path, init_yaml("测试局", 2024))
    res = s.check({"t3.new.business": typed})
    bad = [p for p in res["problems"] if p["rule"] == "input.bad-number"]
    assert bad and bad[0]["field"] == "t3.new.business" and res["errors"] >= 1
    assert number_token("１２") == "12"


def test_problems_are_placed_on_their_fields(tmp_path):
    s = session_for(tmp_path, SAMPLES[0].read_text(encoding="utf-8"))
    res = s.check({"t3.new.natural": str(int(s.values["t3.new.natural"]) + 1), "improvements": "",
                   "general.on_request": "第一句。\n收到政府信息公开申请99件。"})
    where = {(p["rule"], p["field"]) for p in res["problems"]}
    assert ("t3.row-total", "t3.new.total") in where
    assert ("t3.balance", "t3.carried_out.natural") in where
    assert ("text.empty-section", "improvements") in where
    assert ("text.contradicts-table", "general.on_request") in where


def test_save_keeps_a_backup_and_refuses_a_file_changed_meanwhile(tmp_path):
    s = session_for(tmp_path, HAND + init_yaml("测试局", 2024))
    before = s.path.read_bytes()
    s.save({"t2.licensing": "7"})
    assert s.path.with_name("report.yaml.bak").read_bytes() == before
    assert loads(s.path.read_text(encoding="utf-8")).cells["t2.licensing"] == 7
    assert s.path.read_text(encoding="utf-8").startswith(HAND)
    s.save({"t2.licensing": "8"})   # the session's own save is not a change by someone else
    s.path.write_text(s.path.read_text(encoding="utf-8") + "\n# 别人改的\n", encoding="utf-8")
    changed = s.path.read_bytes()
    with pytest.raises(Conflict):
        s.save({"t2.licensing": "9"})
    assert s.path.read_bytes() == changed
    s.reload()
    assert s.values["t2.licensing"] == "8" and values(s.report)["t2.licensing"] == "8"


def test_a_windows_file_stays_crlf(tmp_path):
    path = tmp_path / "report.yaml"
    path.write_bytes(init_yaml("测试局", 2024).replace("\n", "\r\n").encode("utf-8"))
    s = Session(path)
    s.save({"t2.licensing": "5", "other": "第一行\n第二行"})
    data = s.path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") and loads(data.decode("utf-8")).cells["t2.licensing"] == 5


def test_a_file_with_no_place_for_a_value_is_written_anew_in_the_template_layout(tmp_path):
    lines = init_yaml("测试局", 2024).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("一、总体情况"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "#")))
    text = "\n".join(lines[:start] + ["一、总体情况: 全年工作概述。"] + lines[end:]) + "\n"
    s = session_for(tmp_path, text)
    assert s.values["general.overview"] == "全年工作概述。"
    out, rewritten = s.text_for({"general.proactive": "主动公开了207条。", "t2.licensing": "4"})
    report = loads(out)
    assert rewritten and report.general.proactive == "主动公开了207条。" and report.cells["t2.licensing"] == 4
    assert report.general.overview == "全年工作概述。" and export_cells(report)["t3.new.total"] == 0
