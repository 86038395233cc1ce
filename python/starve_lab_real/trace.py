"""Trace events in starve-lab's format: one JSON line per event, one write(2) each (O_APPEND), so a
worker killed by SIGABRT loses nothing it recorded. `t` is ms since the run's origin on
CLOCK_MONOTONIC, the clock Node's process.hrtime reads, so every process of a run shares a time base.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, Optional

from .settings import SETTINGS

_fd: Optional[int] = None


def now_ms() -> float:
    return (time.monotonic_ns() - SETTINGS.origin_ns) / 1e6


def open_trace(path: Optional[str] = SETTINGS.trace_path) -> None:
    """Opens the trace in this process (after fork: each worker its own descriptor)."""
    global _fd
    if path is not None:
        _fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


def write(event_type: str, **fields: Any) -> None:
    if _fd is None:
        return
    event = {"type": event_type, "t": now_ms()}
    event.update(fields)
    os.write(_fd, (json.dumps(event, separators=(",", ":")) + "\n").encode())
