"""Operating-system errors in plain Chinese (the English of errno only for the rare rest)."""
from __future__ import annotations

import errno

_REASONS = {
    errno.ENOSPC: "磁盘已满", errno.EDQUOT: "磁盘配额已用完", errno.EACCES: "没有权限", errno.EPERM: "没有权限",
    errno.EROFS: "这是只读的位置", errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
    errno.EEXIST: "路径中有一部分是文件而不是文件夹", errno.ENAMETOOLONG: "文件名太长",
    errno.EISDIR: "这是一个文件夹", errno.ENOENT: "文件或文件夹不存在", errno.ELOOP: "符号链接循环",
    errno.EIO: "读写设备出错", errno.EMFILE: "打开的文件太多", errno.EBUSY: "文件正被占用",
}


def reason(e: OSError) -> str:
    """Why an OS call failed, in a few Chinese words."""
    return _REASONS.get(e.errno, e.strerror or type(e).__name__)
