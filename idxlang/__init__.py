"""idxlang: composite-index methodologies as reviewable, runnable specs."""

from .api import Spec, load, loads
from .diagnostics import IdxError

__all__ = ["Spec", "load", "loads", "IdxError"]
__version__ = "0.1.0"
