"""`audit` over folders it did not make: symlink loops, FIFOs, locked folders, files that hang, Ctrl-C.

Every such thing gets a row saying why (or is walked once), the run always ends with its summary, and the
per-file time limit holds with `-j 1` and in small folders too.
"""
from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gip_author import audit
from gip_author.audit_scan import scan_reports
from gip_author.cli import main
from gip_author.yaml_writer import init_yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a.yaml").write_text(init_yaml("甲区教育局", 2024), encoding="utf-8")
    return d


def summary_rows(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    return {Path(r[0]).name: dict(zip(head, r)) for r in rows[1:] if r[0] != "合计"}


def run_audit(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", *map(str, args)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_symlink_loop_gets_a_row_and_the_audit_finishes(folder, tmp_path):
    os.symlink("loop.yaml", folder / "loop.yaml")
    os.symlink("b.yaml", folder / "a2.yaml")
    os.symlink("a2.yaml", folder / "b.yaml")
    out = tmp_path / "s.csv"
    code, output = run_audit(folder, "-o", out)
    assert code == 0, output
    rows = summary_rows(out)
    assert rows["a.yaml"]["机关 agency"] == "甲区教育局"
    for name in ("loop.yaml", "a2.yaml", "b.yaml"):
        assert "循环的符号链接" in rows[name]["无法读取的原因 error"]


def test_a_folder_linked_back_up_the_tree_is_walked_once(folder):
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")
    os.symlink(folder, folder / "sub" / "again")
    files, skipped = scan_reports([folder], lambda p: p.suffix == ".yaml")
    assert files == [folder / "a.yaml"] and skipped == []


def test_previous_dir_with_a_symlink_loop(folder, tmp_path):
    previous = tmp_path / "previous"
    previous.mkdir()
    os.symlink("x.yaml", previous / "x.yaml")
    out = tmp_path / "s.csv"
    code, output = run_audit(folder, "--previous-dir", previous, "-o", out)
    assert code == 0, output
    assert list(summary_rows(out)) == ["a.yaml"]


@pytest.mark.parametrize("jobs", [[], ["-j", "1"]])
def test_a_fifo_gets_a_row_and_is_never_opened(folder, tmp_path, jobs):
    os.mkfifo(folder / "pipe.yaml")
    out = tmp_path / "s.csv"
    # in a child process with a deadline: opening the FIFO would block forever
    r = subprocess.run([sys.executable, "-m", "gip_author", "audit", str(folder), "-o", str(out), *jobs],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "命名管道（FIFO），不是普通文件，未读取" in summary_rows(out)["pipe.yaml"]["无法读取的原因 error"]


def test_a_fifo_named_on_the_command_line_gets_a_row(folder, tmp_path):
    os.mkfifo(folder / "pipe.yaml")
    files, skipped = scan_reports([folder / "pipe.yaml", folder / "a.yaml"], lambda p: True)
    assert files == [folder / "a.yaml"] and skipped == [(folder / "pipe.yaml", "这是命名管道（FIFO），不是普通文件，未读取。")]


def test_a_folder_that_cannot_be_opened_gets_a_row(folder, monkeypatch):
    (folder / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    rows = {Path(r["file"]).name: r for r in audit.audit_paths([folder], jobs=1)}
    assert rows["locked"]["error"] == "没有权限打开这个文件夹，其中的报告未审核。"
    assert rows["a.yaml"]["error"] is None


@pytest.mark.parametrize("jobs", [1, None])
def test_the_per_file_time_limit_holds_in_the_calling_process(folder, monkeypatch, jobs):
    """A small folder (or -j 1) is read in this process: the time limit must hold there too."""
    from gip_author import readers
    real = readers.open_report

    def hang(path):
        if Path(path).name == "a.yaml":
            time.sleep(60)
        return real(path)

    (folder / "b.yaml").write_text(init_yaml("乙区教育局", 2024), encoding="utf-8")
    monkeypatch.setattr(readers, "open_report", hang)
    monkeypatch.setattr(audit, "FILE_TIMEOUT", 1)
    rows = {Path(r["file"]).name: r for r in audit.audit_paths([folder], jobs=jobs)}
    assert "超过 1 秒" in rows["a.yaml"]["error"] and rows["b.yaml"]["error"] is None


def test_ctrl_c_stops_a_parallel_audit_within_two_seconds_and_writes_nothing(tmp_path):
    """Workers stuck on their files are killed, not waited for."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        (folder / f"r{i:02}.yaml").write_text(init_yaml(f"第{i}区教育局", 2024), encoding="utf-8")
    out = tmp_path / "s.csv"
    slow = (f"import sys, time; sys.path.insert(0, {str(ROOT)!r})\n"
            "from gip_author import readers\n"
            "real = readers.open_report\n"
            "def slow(path):\n    time.sleep(30)\n    return real(path)\n"
            "readers.open_report = slow\n"
            "from gip_author.cli import main\n"
            f"main(['audit', {str(folder)!r}, '-j', '2', '-o', {str(out)!r}])\n")
    p = subprocess.Popen([sys.executable, "-c", slow], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         cwd=tmp_path)
    time.sleep(3)                                # the workers are inside their first files
    p.send_signal(signal.SIGINT)
    start = time.monotonic()
    _, err = p.communicate(timeout=30)
    took = time.monotonic() - start
    assert p.returncode == 130 and "已中断" in err and "Traceback" not in err
    assert took < 10, f"Ctrl-C took {took:.1f} s"      # the files take 30 s: the workers were not waited for
    assert not out.exists()


def test_a_file_named_in_gbk_bytes_is_audited_and_shown_readably(folder, tmp_path):
    """Names from a zip made on Windows arrive as GBK bytes on a UTF-8 system (lone surrogates in Python)."""
    gbk = os.path.join(os.fsencode(folder), "报告".encode("gbk") + b".yaml")
    with open(gbk, "wb") as f:
        f.write((folder / "a.yaml").read_bytes())
    for suffix in (".csv", ".json", ".html"):
        out = tmp_path / f"s{suffix}"
        code, output = run_audit(folder, "-o", out)
        assert code == 0, output
        assert "reports/报告.yaml" in out.read_text(encoding="utf-8-sig")
