"""Finding the report files under the paths given to `audit`, whatever the folders hold.

Folders are walked with os.scandir; a folder reached twice (a symlink back up the tree) is walked once, by
its (device, inode), so a symlink loop never hangs or crashes the walk.  Only regular files are read: a FIFO
would block the reader forever, a device never end.  What cannot be taken gets a row with its reason rather
than vanishing silently: a named pipe, device or socket, a symlink that loops or points nowhere, a folder
that cannot be opened.  Files are told apart by (device, inode), never by `Path.resolve()`.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Callable, Iterable

from .os_messages import reason

_KINDS = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISSOCK, "套接字"), (stat.S_ISCHR, "字符设备"),
          (stat.S_ISBLK, "块设备"))


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read (None for a regular file)."""
    for test, kind in _KINDS:
        if test(mode):
            return f"这是{kind}，不是普通文件，未读取。"
    return None if stat.S_ISREG(mode) else "这不是普通文件，未读取。"


def _stat_error(e: OSError, folder: bool = False) -> str:
    if e.errno == errno.ELOOP:
        return "这是循环的符号链接（指向自己或互相指向），无法读取。"
    if e.errno == errno.ENOENT:
        return "这是指向不存在文件的符号链接，无法读取。"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "没有权限打开这个文件夹，其中的报告未审核。" if folder else "没有权限读取这个文件。"
    return f"无法读取（{reason(e)}）。"


def scan_reports(paths: Iterable[Path], named: Callable[[Path], bool],
                 keep: Callable[[Path], bool] = lambda path: True) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(report files sorted by path, [(path, why it is not read)]) under `paths`.

    In folders, `named(path)` picks the files that look like reports by name (those get a row when they
    cannot be read) and `keep(path)` may then look inside a regular one.  A path named explicitly is always
    taken when it is a regular file.
    """
    found: dict[tuple[int, int], Path] = {}
    skipped: list[tuple[Path, str]] = []
    seen_dirs: set[tuple[int, int]] = set()

    def take(path: Path, info: os.stat_result) -> None:
        found.setdefault((info.st_dev, info.st_ino), path)

    for root in paths:
        root = Path(root)
        try:
            info = os.stat(root)
        except OSError as e:
            skipped.append((root, _stat_error(e)))
            continue
        if not stat.S_ISDIR(info.st_mode):
            why = not_regular(info.st_mode)
            if why:
                skipped.append((root, why))
            else:
                take(root, info)
            continue
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                key = os.stat(folder)
                if (key.st_dev, key.st_ino) in seen_dirs:
                    continue
                seen_dirs.add((key.st_dev, key.st_ino))
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as e:
                skipped.append((folder, _stat_error(e, folder=True)))
                continue
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = Path(folder) / entry.name
                try:
                    info = entry.stat()                      # follows a symlink: ELOOP for a loop
                except OSError as e:
                    if named(path):
                        skipped.append((path, _stat_error(e)))
                    continue
                if stat.S_ISDIR(info.st_mode):
                    subfolders.append(path)
                elif named(path):
                    why = not_regular(info.st_mode)
                    if why:
                        skipped.append((path, why))
                    elif keep(path):
                        take(path, info)
            stack.extend(reversed(subfolders))
    return sorted(found.values(), key=str), skipped
