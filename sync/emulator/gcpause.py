"""
Pausing Python's cyclic garbage collector while one API request is served.

Parsing a large request body (a first sync sends tens of MB of ``updateCells``) and rendering a
whole tab create millions of small dicts, lists and strings.  Each allocation burst makes the
collector rescan every young object and, every few bursts, the whole heap, which includes the
store itself: that scanning cost more than the parsing.  JSON values are acyclic, so nothing a
request builds needs the cyclic collector; reference counting frees it as soon as the request
ends.  The collector is switched back on when the last concurrent request leaves, and it then
catches up with whatever cycles other threads created meanwhile.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["gc_paused"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """
    Keep the cyclic collector off for the duration of the block; nests and works across threads.

    Whoever switched the collector off before the first block entered keeps it off afterwards.
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
