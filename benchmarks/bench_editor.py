"""Keystroke -> message latency of `gip-author edit`, measured in real Chromium (the system's Debian chromium).

A key typed in Table 3 (一、本年新收, 自然人) unbalances the table; Backspace balances it again.  For each
keystroke the page records when its `input` event fired and when the t3.balance message appeared (or went),
on the next DOM mutation or animation frame after it.  Also the server's share: patch + load + check in-process.
Run: .venv/bin/python benchmarks/bench_editor.py [ROUNDS]
"""
from __future__ import annotations

import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, load_note

ARM = """(expectShown) => ({done: new Promise((resolve) => {
  const box = document.querySelector('input[name="t3.new.natural"]');
  const shown = () => [...document.querySelectorAll('[data-rule="t3.balance"]')].some(e => e.offsetWidth > 0);
  let t0 = null;
  box.addEventListener('input', () => { t0 = performance.now(); }, {once: true, capture: true});
  const look = () => {
    if (t0 !== null && shown() === expectShown) { obs.disconnect(); resolve(performance.now() - t0); return true; }
    return false;
  };
  const obs = new MutationObserver(look);
  obs.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const frame = () => { if (!look()) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  setTimeout(() => resolve(null), 5000);
})})"""


def main(rounds: int = 30) -> None:
    from playwright.sync_api import sync_playwright
    sample = sorted((ROOT / "sample_inputs").glob("*.yaml"))[0]
    work = Path(tempfile.mkdtemp(prefix="bench-editor-"))
    copy = work / sample.name
    shutil.copyfile(sample, copy)

    from gip_author.editor.session import Session
    session = Session(copy)
    v0 = session.values["t3.new.natural"]
    server_ms = []
    for i in range(rounds):
        t = time.perf_counter()
        session.check({"t3.new.natural": v0 + "1"} if i % 2 == 0 else {})
        server_ms.append((time.perf_counter() - t) * 1000)

    proc = subprocess.Popen([sys.executable, "-m", "gip_author", "edit", str(copy), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        url = re.search(r"http://\S+", proc.stdout.readline()).group(0)
        latencies = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(url)
            box = page.locator('input[name="t3.new.natural"]')
            box.click()
            page.keyboard.press("End")
            for i in range(rounds):
                expect_shown = i % 2 == 0
                waiting = page.evaluate_handle(ARM, expect_shown)
                page.keyboard.press("1" if expect_shown else "Backspace")
                ms = page.evaluate("(w) => w.done", waiting)
                if ms is None:
                    raise SystemExit(f"keystroke {i}: no message change within 5 s")
                latencies.append(ms)
            browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        proc.stdout.close()
        shutil.rmtree(work, ignore_errors=True)

    def line(name, xs):
        xs = sorted(xs)
        return (f"{name:<44} median {statistics.median(xs):6.1f} ms   p90 {xs[int(len(xs) * 0.9) - 1]:6.1f} ms   "
                f"max {xs[-1]:6.1f} ms   (n={len(xs)})")
    print(line("keystroke -> t3.balance message (in page)", latencies))
    print(line("server: patch + load + check (in-process)", server_ms))
    print(load_note())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
