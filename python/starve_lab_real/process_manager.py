"""uvicorn's own process manager (`uvicorn --workers N`) for `starve-lab run <uvicorn scenario> --stack real`.

What `uvicorn.main.run` does with `workers > 1`, with uvicorn's own code: the Config, its bound socket
on 127.0.0.1, and `Multiprocess(...).run()`, its 0.5 s loop of pings, kills and restarts, untouched.
Only its child handle is the traced one (managed_process.py), and the parent records when it starts.
Configured by the lab's STARVE_LAB_* variables: the app, its loop and HTTP implementation, the port,
the number of workers and the healthcheck timeout (uvicorn >= 0.37 has the option).
"""

from __future__ import annotations

import inspect
import os

from uvicorn.config import Config
from uvicorn.supervisors import multiprocess

from . import trace
from .lifetime import die_with_parent
from .managed_process import TracedProcess
from .settings import SETTINGS
from .traced_server import TracedServer

CHECK_INTERVAL_MS = 500


def has_healthcheck_option() -> bool:
    return "timeout_worker_healthcheck" in inspect.signature(Config.__init__).parameters


def main() -> None:
    parent = os.environ.get("STARVE_LAB_PARENT_PID")
    die_with_parent(int(parent) if parent else None)
    trace.open_trace()
    workers = int(os.environ.get("STARVE_LAB_WORKERS", "1"))
    timeout_s = int(os.environ.get("STARVE_LAB_HEALTHCHECK_TIMEOUT_S", "5"))
    app = "starve_lab_real.user_app:app" if SETTINGS.user_app else SETTINGS.app
    options = dict(app=app, host="127.0.0.1", port=int(os.environ.get("STARVE_LAB_PORT", "0")), workers=workers, loop=SETTINGS.loop, http=SETTINGS.http,
                   lifespan="off", log_level="info", access_log=False, timeout_keep_alive=SETTINGS.keep_alive_s)
    if has_healthcheck_option():
        options["timeout_worker_healthcheck"] = timeout_s
    elif timeout_s != 5:
        raise SystemExit("uvicorn %s has no --timeout-worker-healthcheck (0.37 and later): its timeout is 5 s" % __import__("uvicorn").__version__)
    config = Config(**options)
    sock = config.bind_socket()
    trace.write("master-start", pid=os.getpid(), master="uvicorn-real", timeoutMs=timeout_s * 1000, periodMs=CHECK_INTERVAL_MS, port=int(sock.getsockname()[1]))
    # Multiprocess makes its children with the module's `Process`: the traced handle stands in for it.
    multiprocess.Process = TracedProcess
    if "target" in inspect.signature(multiprocess.Multiprocess.__init__).parameters:
        # uvicorn < 0.37: the child runs `target`, uvicorn's own Server.run (ours records ticks).
        manager = multiprocess.Multiprocess(config, target=TracedServer(config=config).run, sockets=[sock])
    else:
        manager = multiprocess.Multiprocess(config, sockets=[sock])
    manager.run()


if __name__ == "__main__":
    main()
