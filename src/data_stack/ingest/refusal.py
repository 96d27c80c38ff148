"""Landing entries that are never read, and why: the tap's rule (tap_landing/refusal.py), applied again here so the
file accounting lists them without asking the tap.

Only regular files really inside the landing root are read. Every symbolic link is refused (a target inside the
root is read under its own name), and so are named pipes, sockets, devices and files reached through a linked
folder. On S3 only keys under the landing prefix followed by `/`, without `.`, `..` or empty segments, are read.
Nothing here opens a file: an entry is judged on its `lstat`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

OUTSIDE = "a symbolic link to a file outside the landing folder: not read"
LINK_INSIDE = "a symbolic link: not read (the landing folder reads only regular files, its target under its own name)"
DANGLING = "a symbolic link to nothing: not read"
THROUGH_LINK = "reached through a linked folder outside the landing folder: not read"
KINDS = {
    stat.S_ISFIFO: "a named pipe (FIFO), not a regular file: not read",
    stat.S_ISSOCK: "a socket, not a regular file: not read",
    stat.S_ISCHR: "a character device, not a regular file: not read",
    stat.S_ISBLK: "a block device, not a regular file: not read",
}
ODD_KEY = "a key with a '.', '..' or empty path segment: not read"


def local_entries(root: str) -> Iterator[tuple[str, str | None]]:
    """Every entry under the local folder `root` but folders: (path relative to root, why it is not read or None).
    Linked folders are listed as links, never entered."""
    real_root = os.path.realpath(root)
    for folder, folders, files in os.walk(root):  # does not follow linked folders
        linked = [name for name in folders if os.path.islink(os.path.join(folder, name))]
        for name in sorted(files + linked):
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except FileNotFoundError:  # removed since it was listed
                continue
            yield os.path.relpath(path, root), local_refusal(real_root, path, info)


def local_refusal(real_root: str, path: str, info: os.stat_result) -> str | None:
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        if not os.path.exists(target):
            return DANGLING
        return LINK_INSIDE if _within(real_root, target) else OUTSIDE
    for test, reason in KINDS.items():
        if test(info.st_mode):
            return reason
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file: not read"
    if not _within(real_root, os.path.realpath(path)):
        return THROUGH_LINK
    return None


def key_refusal(relpath: str) -> str | None:
    """Why a key (relative to the landing prefix) is not read, or None."""
    return ODD_KEY if any(part in ("", ".", "..") for part in relpath.split("/")) else None


def _within(real_root: str, real_path: str) -> bool:
    return os.path.commonpath([real_root, real_path]) == real_root and real_path != real_root
