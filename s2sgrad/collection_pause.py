"""Python's cyclic garbage collector paused while s2sgrad transforms a function or numba compiles it.

A transformation makes tens of thousands of short-lived objects (syntax trees, copies, templates); they
set off the collector's generations, and a full collection walks every object the process holds
(NumPy's, SciPy's, the rule table's): 15-25 ms inside a 35 ms transformation, for garbage that is
almost all freed by reference counting anyway. Paused, the collector runs after as usual; nothing it
would have freed is kept past the next collection.
"""
from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def collection_paused():
    """The block with the cyclic collector off; it is turned back on only if this block turned it off
    (a nested pause, or a user who disabled it, stays as it was)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
