"""Weights shipped small (float16) and used wide (float32), widened once per computer and shared by every process.

The wheel carries the encoder's layers and the example vectors as float16, half the size. Used as float32,
each process used to hold its own widened copy: 33 MB a process, a gigabyte for a class of 30 browser tabs
(`badnews serve`, one app process each). `widened` writes the float32 array once to this computer's cache
folder and memory-maps it read-only: the processes share its pages. The values are exactly those of
`array.astype(np.float32)` (widening float16 is exact), so a reply scores the same either way.

The cached file is named by a hash of the shipped file's bytes and of how it is widened, so new weights
never read an old copy. Written to a temporary name and renamed, so two processes starting at once never
see half a file. Where the cache cannot be written (a read-only home), the array is widened in memory as
before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from simulator.paths import APP_NAME

if TYPE_CHECKING:
    import numpy.typing as npt

# Tests and portable set-ups point the cache elsewhere with this variable; "off" widens in memory.
CACHE_DIR_ENV = "BADNEWS_CACHE_DIR"

Widen = Callable[["npt.NDArray[np.generic]"], "npt.NDArray[np.float32]"]


def as_float32(array: npt.NDArray[np.generic]) -> npt.NDArray[np.float32]:
    """The array widened to float32, exactly."""
    return array.astype(np.float32)


def widened(path: Path, how: Widen = as_float32, *, name: str = "float32") -> npt.NDArray[np.float32]:
    """The .npy file at `path` made float32 by `how` (called `name`), memory-mapped from the cache when it can be."""
    folder = cache_dir()
    if folder is None:
        return how(np.load(path))
    digest = hashlib.sha256(path.read_bytes() + name.encode()).hexdigest()[:24]
    cached = folder / f"{path.stem}-{digest}.npy"
    if not cached.is_file():
        wide = how(np.load(path))
        if not _write(cached, wide):
            return wide
    try:
        return np.load(cached, mmap_mode="r")
    except (OSError, ValueError):  # removed or damaged meanwhile: widen in memory
        return how(np.load(path))


def cache_dir() -> Path | None:
    """Where widened weights are kept: $BADNEWS_CACHE_DIR, else the user's cache folder; None when it is 'off'."""
    root = os.environ.get(CACHE_DIR_ENV)
    if root == "off":
        return None
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir(APP_NAME)
    return Path(root) / "weights"


def _write(path: Path, array: npt.NDArray[np.float32]) -> bool:
    """Write `array` to `path` whole or not at all; False when the folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            np.save(out, np.ascontiguousarray(array))
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True
