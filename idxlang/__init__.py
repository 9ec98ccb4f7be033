"""idxlang: composite-index methodologies as reviewable, runnable specs."""

import sys

# A spec's expression may nest up to parse.MAX_DEPTH (500) calls or operators; checking,
# lowering and writing SQL recurse over it, a few frames a level.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))

from .api import Spec, load, loads  # noqa: E402
from .diagnostics import IdxError

__all__ = ["Spec", "load", "loads", "IdxError"]
__version__ = "0.1.0"
