"""CPU work that keeps the GIL for its whole length: code that holds the GIL, as a C extension call that
does not release it or the `re` engine on a catastrophic pattern does.

Pure-Python bytecode hands the GIL to a waiting thread every `sys.getswitchinterval()` (5 ms): the
interpreter checks for it between bytecodes. One call into C code that runs no bytecode is never
interrupted: `sum(range(n))` iterates and adds in C (the range iterator and sum's integer fast path),
so every other Python thread -- uvicorn's healthcheck answerer, a heartbeat thread -- waits until it
returns. The count per millisecond is measured once, at import, on this machine.
"""

from __future__ import annotations

import time

_PROBE_COUNT = 200_000


def _counts_per_ms() -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        sum(range(_PROBE_COUNT))
        best = min(best, time.perf_counter() - start)
    return _PROBE_COUNT / max(best * 1000, 1e-6)


COUNTS_PER_MS = _counts_per_ms()


def hold_gil(ms: float) -> None:
    """Burns about `ms` milliseconds of CPU in one C call, holding the GIL throughout."""
    if ms > 0:
        sum(range(int(ms * COUNTS_PER_MS)))
