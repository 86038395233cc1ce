"""How many CPU-bound handlers ran since the loop's last tick (read and reset by each tick)."""

from __future__ import annotations

_count = 0


def count_handler() -> None:
    global _count
    _count += 1


def take_count() -> int:
    global _count
    count, _count = _count, 0
    return count
