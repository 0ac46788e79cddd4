"""Reading a file a user named, safely: only a regular file, and never more than a limit.

A path can name anything: `/dev/zero` never ends, a FIFO blocks until someone writes to it, a
link can lead to either, and a folder is not a file. Every command that reads a user's file reads
it through here, so each of these is a one-line problem naming the file instead of a hang or an
out-of-memory traceback.
"""

from __future__ import annotations

import stat
from pathlib import Path


class UnreadableFile(Exception):
    """The file cannot be read as asked; the message says why, in words, without the path."""


def check_regular(path: Path, limit: int | None = None) -> int:
    """The file's size; UnreadableFile if it is a folder, a device or pipe, missing, or over `limit` bytes."""
    try:
        info = path.stat()  # follows links: a link to /dev/zero is /dev/zero
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("it is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("it is not a regular file")
    if limit is not None and info.st_size > limit:
        raise UnreadableFile(f"it is {size_words(info.st_size)}; the limit is {size_words(limit)}")
    return info.st_size


def read_bytes(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them (UnreadableFile if it is bigger, or not a regular file)."""
    check_regular(path, limit)
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # the file may have grown since stat()
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    if len(data) > limit:
        raise UnreadableFile(f"it is over the limit of {size_words(limit)}")
    return data


def read_text(path: Path, limit: int) -> str:
    """A regular file's text as UTF-8, at most `limit` bytes (UnreadableFile if not UTF-8)."""
    try:
        return read_bytes(path, limit).decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"it is not UTF-8 text (byte {error.start + 1})") from None


def size_words(size: int) -> str:
    """A size in bytes as people read it: 3 KiB, 2.5 MiB."""
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.0f} KiB"
