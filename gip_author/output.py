"""Writing files safely: atomically (temp file + rename), never over the input, never half-written.

`write_all` writes several files as one: every file goes to a temp file beside its target first, and the
targets are replaced only once all of them are complete, so a full disk or an unwritable folder leaves the
old files as they were (never a new DOCX beside an old PDF).  Failures are `CannotWrite` (exit 2) with the
reason in plain Chinese.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .os_messages import reason
from .problems import GipError


class CannotWrite(GipError):
    """An output file cannot be written (the folder is missing or not writable, the disk is full…)."""

    exit_code = 2


class Refused(CannotWrite):
    """Writing there would overwrite something the user wrote (the input)."""


def refuse_input(paths, protect) -> None:
    """Raise Refused if any of `paths` is one of the inputs in `protect`."""
    for path in paths:
        try:
            same = any(Path(path).resolve() == Path(p).resolve() for p in protect)
        except (OSError, RuntimeError):     # a symlink loop: it cannot be the input either
            same = False
        if same:
            raise Refused(f"{path}：这是输入文件，不会被覆盖。请用 -o 指定另一个输出文件名。")


def _cannot(path: Path, e: OSError) -> CannotWrite:
    error = CannotWrite(f"无法写入 {path}：{reason(e)}。请检查输出位置（-o）是否存在、是否可写，磁盘是否有空间。")
    error.reason = reason(e)
    return error


def write_atomic(path: str | os.PathLike, data: bytes | str, protect: tuple[Path, ...] = ()) -> Path:
    """Write `data` to `path` through a temp file in the same folder, then rename over it.

    An existing file is replaced only once the new one is complete; a path in `protect` (the input)
    is never written.
    """
    return write_all([(Path(path), data)], protect)[0]


def write_all(files: list[tuple[Path, bytes | str]], protect: tuple[Path, ...] = ()) -> list[Path]:
    """Write every (path, data) or none: all to temp files first, then all renamed into place."""
    files = [(Path(p), d) for p, d in files]
    refuse_input([path for path, _ in files], protect)
    done: list[tuple[str, Path]] = []
    current = files[0][0] if files else Path(".")
    try:
        for current, data in files:
            current.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{current.name[:60]}.", suffix=".tmp", dir=current.parent)
            done.append((tmp, current))
            with os.fdopen(fd, "wb") as f:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
            os.chmod(tmp, 0o644)
        for tmp, current in done:
            os.replace(tmp, current)
    except OSError as e:
        raise _cannot(current, e) from None
    finally:
        for tmp, _ in done:
            Path(tmp).unlink(missing_ok=True)
    return [path for path, _ in files]
