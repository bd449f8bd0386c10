"""
Pausing Python's cyclic garbage collector while a sync runs or the emulator answers a request.

Reading a large tab, evaluating every row and planning the writes create millions of small
dicts, lists, strings and Decimals (and, in the emulator, parsing a request body of tens of MB
and rendering a whole tab). Each allocation burst makes the collector rescan every young
object and, every few bursts, the whole heap: at 7 tabs × 2,000 rows that scanning took a
fifth of a first run. These values are acyclic, so nothing they hold needs the cyclic
collector; reference counting frees them as soon as they are dropped. The collector is
switched back on when the last paused block (in any thread) leaves; what the block made and
still holds joins the oldest generation, so the next full collection (a service's, once a run
is over) catches up with whatever cycles were created meanwhile.
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
                # What the block made and still holds (a run's kept rows) goes straight to the
                # oldest generation: switched back on, the collector would otherwise scan all of
                # it at once as young objects (~55 ms after a large first run). A full
                # collection still looks at it, and at any cycle made meanwhile.
                gc.freeze()
                gc.unfreeze()
                gc.enable()
