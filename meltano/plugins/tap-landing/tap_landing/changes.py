"""A local landing file must be one version from the tap's first look at it to the end of its read."""

from __future__ import annotations

import os


class LandingFileChanged(RuntimeError):
    """A landing file was rewritten while the tap read it: what was read is not one version of the file."""

    def __init__(self, relpath: str) -> None:
        super().__init__(
            f"{relpath} changed while it was being read; nothing of this stream was ingested. Run again: the file "
            "is read anew once it has settled"
        )


def stamp(path: str) -> tuple[int, int]:
    """A local file's size and modification time (ns): equal before and after a read, it was not rewritten (nor
    replaced by a link: `lstat` describes the link itself)."""
    info = os.lstat(path)
    return info.st_size, info.st_mtime_ns
