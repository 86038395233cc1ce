"""gunicorn settings starve-lab adds to every real-stack run: nothing outlives starve-lab.

The master, and each worker it forks, asks the kernel for SIGTERM when its parent dies
(PR_SET_PDEATHSIG), so a starve-lab killed by SIGKILL leaves no gunicorn master or uvicorn worker.
"""

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def _die_with_parent(expected_parent):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    # The parent may have died before prctl took effect.
    if os.getppid() != expected_parent:
        os.kill(os.getpid(), signal.SIGTERM)


def on_starting(server):
    _die_with_parent(int(os.environ.get("STARVE_LAB_PARENT_PID", os.getppid())))


def post_fork(server, worker):
    _die_with_parent(server.pid)
