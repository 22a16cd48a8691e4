"""Python's cyclic garbage collector, paused while many objects are made that live on.

The collector runs each time some hundreds of containers (dicts, lists) have been made and not
freed, and every so often walks all of them. Building an index, or decoding 93,000 records,
makes millions that stay alive: each walk frees nothing, and together they took a sixth of a
10,000-fact cold build and two thirds of the decoding (1.6 s against 0.5 s). The library pauses
it around such work, as Mercurial does (util.nogc); the command line, a short run that leaves
with os._exit, keeps it off throughout (__main__.py).
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside, and back as it was after (on, unless a caller had paused it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
