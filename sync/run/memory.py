"""
Giving the memory of a finished run back to the system.

A run over a large sheet allocates hundreds of MB of small objects and frees them when it
ends; glibc's allocator keeps the freed pages for later instead of returning them, so a
service that ran one large sheet would sit at its peak all day. `malloc_trim` returns them.
The checks' caches of single cells go too: between runs the service keeps whole rows'
results (`sync.core.evaluate.RowCache`), which is what its next run can use.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import os
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none (musl, macOS)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def give_back_memory(*, collect: bool = True) -> None:
    """
    Return free heap pages to the system; first collect what a run left (cycles included)
    unless it built next to nothing (`collect=False`: a full collection costs tens of ms).
    """
    if collect:
        if "rules.row" in sys.modules:  # a run that checked rows: its cell caches go too
            from rules.row import forget_cells

            forget_cells()
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def resident_mib() -> float | None:
    """This process's resident memory now, in MiB (Linux's /proc); None where unknown."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
