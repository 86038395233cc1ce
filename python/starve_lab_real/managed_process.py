"""uvicorn's process manager's child handle (uvicorn/supervisors/multiprocess.py, `Process`) with the
lab's trace events around it, for `starve-lab run <uvicorn scenario> --stack real`.

The ping, its timeout, the answering thread (always_pong), the kill and the join are uvicorn's own,
untouched; this records, in the parent, each child's start, each ping with how long it waited and
whether it was answered (an answer is also a heartbeat), the SIGKILL and the exit; and in the child,
its loop's ticks and its requests (TracedServer, the routes app). It is pickled by reference into each
spawned child, so it lives in a module of its own. Its constructor is uvicorn's: (config, target,
sockets) before 0.37's refactor (0.32), (config, sockets) after (0.53).
"""

from __future__ import annotations

import os
import signal
from typing import Any, Optional

from uvicorn.supervisors.multiprocess import Process

from . import trace
from .lifetime import die_with_parent
from .traced_server import TracedServer

_started = [0]


def expected_workers() -> int:
    return int(os.environ.get("STARVE_LAB_WORKERS", "1"))


class TracedProcess(Process):  # type: ignore[misc]
    def start(self) -> None:
        super().start()
        _started[0] += 1
        trace.write("worker-spawn", pid=self.process.pid, worker=_started[0], bootCountsAsBeat=True, respawn=_started[0] > expected_workers())

    def ping(self, timeout: float = 5) -> bool:
        sent = trace.now_ms()
        answered = bool(super().ping(timeout))
        pid = self.process.pid
        trace.write("ping", pid=pid, answered=answered, waitedMs=trace.now_ms() - sent)
        if answered:
            trace.write("heartbeat", pid=pid, beatT=trace.now_ms())
        return answered

    def kill(self) -> None:
        if self.process.exitcode is None:
            trace.write("signal", pid=self.process.pid, signal="SIGKILL")
        super().kill()

    def join(self) -> None:
        super().join()
        code = self.process.exitcode
        name: Optional[str] = None
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
        trace.write("worker-exit", pid=self.process.pid, code=code if code is not None and code >= 0 else None, signal=name)

    # In the child (spawned: a fresh interpreter that unpickled this handle).
    def target(self, sockets: Any = None) -> Any:  # pragma: no cover - runs in the child
        die_with_parent()
        trace.open_trace()
        trace.write("worker-start", pid=os.getpid(), notifier=os.environ.get("STARVE_LAB_NOTIFIER", ""), loop=os.environ.get("STARVE_LAB_LOOP", "uvloop"))
        return super().target(sockets)

    # uvicorn >= 0.37 builds the child's Server here; ours records its ticks and when it listens.
    @property
    def server(self) -> Any:
        if getattr(self, "_server", None) is None:
            self._server = TracedServer(config=self.config)
        return self._server
