"""gunicorn settings starve-lab adds to every real-stack run: nothing outlives starve-lab.

The master, and each worker it forks, asks the kernel for SIGTERM when its parent dies
(PR_SET_PDEATHSIG), so a starve-lab killed by SIGKILL leaves no gunicorn master or uvicorn worker.
"""

from __future__ import annotations

import os
from typing import Any

from starve_lab_real.lifetime import die_with_parent
from starve_lab_real.settings import SETTINGS


def on_starting(server: Any) -> None:
    die_with_parent(SETTINGS.parent_pid if SETTINGS.parent_pid is not None else os.getppid())


def post_fork(server: Any, worker: Any) -> None:
    die_with_parent(server.pid)
