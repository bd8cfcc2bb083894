"""Writing files safely: atomically (temp file + rename), never over the input, never half-written."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class Refused(Exception):
    """Writing there would overwrite something the user wrote."""


def write_atomic(path: str | os.PathLike, data: bytes | str, protect: tuple[Path, ...] = ()) -> Path:
    """Write `data` to `path` through a temp file in the same folder, then rename over it.

    An existing file is replaced only once the new one is complete; a path in `protect` (the input)
    is never written.
    """
    path = Path(path)
    if any(path.resolve() == Path(p).resolve() for p in protect):
        raise Refused(f"{path}：这是输入文件，不会被覆盖。请用 -o 指定另一个输出文件名。")
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
