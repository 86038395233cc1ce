"""Nothing of the lab outlives starve-lab: a process asks the kernel for SIGTERM when its parent dies."""

from __future__ import annotations

import ctypes
import os
import signal
from typing import Optional

PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: Optional[int] = None) -> None:
    """PR_SET_PDEATHSIG: a starve-lab (or kubelet, or gunicorn master) killed by SIGKILL leaves no child.

    With `expected_parent`, a parent that died before the request took effect is noticed too."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if expected_parent is not None and os.getppid() != expected_parent:
        os.kill(os.getpid(), signal.SIGTERM)
