"""Which landing entries are never opened: only regular files really inside the landing root are read.

A landing folder is often a shared drop (SFTP, a synced bucket). A symbolic link named like a data file would make
the tap read whatever it points to into the lake, where every analyst can read it; a named pipe would block the read
forever. So an entry is judged on `lstat` before anything opens it:

- a regular file is read when its real path (links in its folders resolved) is under the real landing root;
- every symbolic link is refused, wherever it points: a target inside the landing root is read under its own name,
  so refusing the link loses nothing and needs no rule on where links may point;
- named pipes, sockets and devices are refused.

On S3 a key is read only when it lies under the configured prefix followed by `/` (`s3://b/landing` never reads
`s3://b/landing-other/...`) and has no `.`, `..` or empty segment, which an HTTP client could resolve elsewhere.
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
OUTSIDE_PREFIX = "a key outside the landing prefix: not read"
ODD_KEY = "a key with a '.', '..' or empty path segment: not read"


def local_refusal(real_root: str, path: str, info: os.stat_result) -> str | None:
    """Why the local entry `path` (its `lstat` is `info`; not a folder) is not read, or None for a regular file
    inside `real_root` (the landing root's real path)."""
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        if not os.path.exists(target):
            return DANGLING
        return LINK_INSIDE if within(real_root, target) else OUTSIDE
    for test, reason in KINDS.items():
        if test(info.st_mode):
            return reason
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file: not read"
    if not within(real_root, os.path.realpath(path)):
        return THROUGH_LINK
    return None


def remote_refusal(root: str, uri: str) -> str | None:
    """Why the listed object `uri` is not read under the landing prefix `root` (no trailing `/`), or None."""
    if not uri.startswith(root + "/"):
        return OUTSIDE_PREFIX
    if any(part in ("", ".", "..") for part in uri[len(root) + 1 :].split("/")):
        return ODD_KEY
    return None


def within(real_root: str, real_path: str) -> bool:
    return os.path.commonpath([real_root, real_path]) == real_root and real_path != real_root


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


def key_refusal(relpath: str) -> str | None:
    """Why a key (relative to the landing prefix) is not read, or None."""
    return ODD_KEY if any(part in ("", ".", "..") for part in relpath.split("/")) else None
