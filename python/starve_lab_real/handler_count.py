"""How many CPU-bound handlers ran since the loop's last tick (read and reset by each tick)."""

_count = 0


def count_handler():
    global _count
    _count += 1


def take_count():
    global _count
    count, _count = _count, 0
    return count
