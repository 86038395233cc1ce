"""Trace events in starve-lab's format: one JSON line per event, one write(2) each (O_APPEND), so a
worker killed by SIGABRT loses nothing it recorded. `t` is ms since the run's origin on
CLOCK_MONOTONIC, the clock Node's process.hrtime reads, so every process of a run shares a time base.
"""

import json
import os
import time

_ORIGIN_NS = int(os.environ.get("STARVE_LAB_ORIGIN_NS", "0"))
_PATH = os.environ.get("STARVE_LAB_TRACE")
_fd = None


def now_ms():
    return (time.monotonic_ns() - _ORIGIN_NS) / 1e6


def open_trace():
    """Opens the trace in this process (after fork: each worker its own descriptor)."""
    global _fd
    if _PATH is not None:
        _fd = os.open(_PATH, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


def write(event_type, **fields):
    if _fd is None:
        return
    event = {"type": event_type, "t": now_ms()}
    event.update(fields)
    os.write(_fd, (json.dumps(event, separators=(",", ":")) + "\n").encode())
