"""idxlang: composite-index methodologies as reviewable, runnable specs."""

import sys
from importlib import metadata as _metadata

# A spec's expression may nest up to parse.MAX_DEPTH (500) calls or operators; checking,
# lowering and writing SQL recurse over it, a few frames a level.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))

from .api import Spec, load, loads  # noqa: E402
from .diagnostics import IdxError

__all__ = ["Spec", "load", "loads", "IdxError"]
try:  # the installed distribution's, so that pyproject.toml states it once
    __version__ = _metadata.version("idxlang")
except _metadata.PackageNotFoundError:  # run from a checkout that is not installed
    __version__ = "unknown (not installed)"
