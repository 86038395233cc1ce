"""gunicorn settings starve-lab adds to every real-stack run: nothing outlives starve-lab.

The master, and each worker it forks, asks the kernel for SIGTERM when its parent dies
(PR_SET_PDEATHSIG), so a starve-lab killed by SIGKILL leaves no gunicorn master or uvicorn worker.
"""

from __future__ import annotations

import os
from typing import Any

from starve_lab_real.lifetime import die_with_parent
from starve_lab_real.settings import SETTINGS

# gunicorn >= 26 opens a control socket under the user's home directory by default; the lab does not
# use it, and nothing a run starts may write outside its run directory. Older versions ignore the name.
control_socket_disable = True


def on_starting(server: Any) -> None:
    die_with_parent(SETTINGS.parent_pid if SETTINGS.parent_pid is not None else os.getppid())


def post_fork(server: Any, worker: Any) -> None:
    die_with_parent(server.pid)
