"""`gip-author edit` driven in real Chromium (Playwright with the system's Debian chromium, no download):
messages appear and go as the clerk types, a block pasted from Excel fills the table, a whole report typed in
through the page saves to the same YAML, a file changed meanwhile is not overwritten, Ctrl-C ends it."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gip_author import cells as C
from gip_author.loader import load
from gip_author.model import export_cells
from gip_author.yaml_writer import init_yaml

from reports import SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs the system's chromium (scripts/setup.sh installs it)")
SHOWN = "(rule) => [...document.querySelectorAll(`[data-rule='${rule}']`)].some(e => e.offsetWidth > 0)"


class Editor:
    def __init__(self, path: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "gip_author", "edit", str(path), "--no-browser"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        line = self.proc.stdout.readline()
        m = re.fullmatch(r"(http://127\.0\.0\.1:(\d+)/([\w-]+)/)\n", line)
        assert m, line + self.proc.stderr.read()
        self.url, self.port, self.token = m.group(1), int(m.group(2)), m.group(3)

    def stop(self) -> float:
        t = time.monotonic()
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return time.monotonic() - t


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def editor(tmp_path):
    started = []

    def start(text: str) -> tuple[Editor, Path]:
        path = tmp_path / "report.yaml"
        path.write_text(text, encoding="utf-8")
        started.append(Editor(path))
        return started[-1], path
    yield start
    for e in started:
        e.stop()


def open_page(browser, ed):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(ed.url)
    page.wait_for_selector('input[name="t3.new.natural"]')
    page.errors = errors
    return page


def status(url, headers=None, data=None):
    req = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_messages_come_and_go_and_a_pasted_block_fills_the_table(browser, editor):
    ed, path = editor(SAMPLES[0].read_text(encoding="utf-8"))
    page = open_page(browser, ed)
    box = page.locator('input[name="t3.new.natural"]')
    v0 = box.input_value()
    assert not page.evaluate(SHOWN, "t3.balance")
    box.fill(str(int(v0) + 1))
    box.press("Tab")
    page.wait_for_function(SHOWN, arg="t3.balance", timeout=3000)
    msg = page.locator("[data-rule='t3.balance']").first
    assert msg.get_attribute("data-field") == "t3.carried_out.natural" and "不平衡" in msg.inner_text()
    assert "has-error" in page.locator('input[name="t3.carried_out.natural"]').get_attribute("class")
    # the row total followed the part, so the row itself adds up
    assert page.locator('input[name="t3.new.total"]').input_value() == str(int(v0) + 1 +
                                                                           sum(int(page.locator(f'input[name="t3.new.{c}"]').input_value()) for c in C.T3_PART_COLUMNS[1:]))
    box.fill(v0)
    box.press("Tab")
    page.wait_for_function(f"() => !({SHOWN})('t3.balance')", timeout=3000)
    # a block of rows copied from Excel (tab-separated), pasted into the first cell of （一）予以公开
    block = "5\t1\t0\t0\t0\t0\n2\t0\t0\t0\t1\t0\n"
    page.locator('input[name="t3.granted.natural"]').focus()
    page.evaluate("""(text) => { const dt = new DataTransfer(); dt.setData('text/plain', text);
        document.activeElement.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); }""",
                  block)
    got = {c: page.locator(f'input[name="{c}"]').input_value()
           for c in ("t3.granted.natural", "t3.granted.business", "t3.partly_granted.natural", "t3.partly_granted.legal",
                     "t3.granted.total", "t3.partly_granted.total")}
    assert got == {"t3.granted.natural": "5", "t3.granted.business": "1", "t3.partly_granted.natural": "2",
                   "t3.partly_granted.legal": "1", "t3.granted.total": "6", "t3.partly_granted.total": "3"}
    page.wait_for_function(SHOWN, arg="t3.balance", timeout=3000)
    # keyboard: Enter goes down the column, Shift+Enter up, Tab right
    page.locator('input[name="t3.new.business"]').focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "t3.carried_in.business"
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "t3.new.research"
    assert page.errors == []


def test_a_whole_report_typed_in_saves_to_the_same_yaml(browser, editor, tmp_path):
    want = load(SAMPLES[1])
    ed, path = editor(HAND := "# 手写的注释留着\n" + init_yaml(want.agency, want.year))
    page = open_page(browser, ed)
    cells = export_cells(want)
    for cid in C.CELL_IDS:   # as a clerk: click the cell, type the number, Tab on
        value = cells[cid]
        text = format(value, "g") if isinstance(value, float) else str(value)
        box = page.locator(f'input[name="{cid}"]')
        if box.input_value() != text:
            box.click()
            box.press_sequentially(text)
            box.press("Tab")
    texts = {f"general.{k}": getattr(want.general, k) or "" for k, _, _ in C.GENERAL_PARTS}
    texts.update(intro=want.intro, improvements=want.improvements or "", other=want.other or "")
    for key, text in texts.items():
        page.locator(f'textarea[name="{key}"]').fill(text)
    page.locator('input[name="published"]').fill(str(want.published or ""))
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('已保存')", timeout=5000)
    got = load(path)
    assert export_cells(got) == cells
    assert (got.general, got.intro, got.improvements, got.other, got.published) == \
        (want.general, want.intro, want.improvements, want.other, want.published)
    assert path.read_text(encoding="utf-8").startswith("# 手写的注释留着\n")
    assert path.with_name("report.yaml.bak").read_text(encoding="utf-8") == HAND
    # reload: the page shows what the file now holds
    page.reload()
    page.wait_for_selector('input[name="t3.new.natural"]')
    assert page.locator('input[name="t3.new.total"]').input_value() == str(cells["t3.new.total"])
    assert page.errors == []


def test_a_file_changed_meanwhile_is_not_overwritten(browser, editor):
    ed, path = editor(init_yaml("测试局", 2024))
    page = open_page(browser, ed)
    path.write_text(path.read_text(encoding="utf-8").replace("行政许可: 0", "行政许可: 3"), encoding="utf-8")
    changed = path.read_bytes()
    page.locator('input[name="t2.penalties"]').fill("4")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_function("() => document.getElementById('status').textContent.includes('修改过')", timeout=5000)
    assert path.read_bytes() == changed


def test_only_this_machine_with_the_token(editor):
    ed, _ = editor(init_yaml("测试局", 2024))
    assert status(ed.url) == 200
    assert status(f"http://127.0.0.1:{ed.port}/") == 403
    assert status(ed.url.replace(ed.token, "x" * len(ed.token))) == 403
    assert status(ed.url, {"Host": f"evil.example:{ed.port}"}) == 403
    body = b'{"values": {"t2.licensing": "9"}}'
    json_type = {"Content-Type": "application/json"}
    assert status(ed.url + "api/save", {**json_type, "Origin": "http://evil.example"}, body) == 403
    assert status(ed.url + "api/check", json_type, body) == 200
    assert ed.stop() < 5 and ed.proc.returncode == 0
