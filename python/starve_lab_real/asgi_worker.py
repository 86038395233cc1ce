"""gunicorn's own ASGI worker (gunicorn >= 24, `-k asgi`, gunicorn/workers/gasgi.py) for the
`gunicorn-asgi` strategy of `starve-lab run --stack real`.

Its serving task, its heartbeat (`while alive: notify(); await asyncio.sleep(1.0)`), its HTTP protocol
and its signal handling (SIGABRT through loop.add_signal_handler) are gunicorn's, untouched. This only
adds the lab's trace events around them: the worker's start with its heartbeat file, `listening` with
its first notify (the task starts beating once its servers are up), and each notify.
"""

from __future__ import annotations

import os

from gunicorn.workers.gasgi import ASGIWorker

from . import trace
from .settings import SETTINGS
from .traced_app import traced_app


class TracedAsgiWorker(ASGIWorker):  # type: ignore[misc]
    _listening = False

    def init_process(self) -> None:
        trace.open_trace()
        trace.write("worker-start", pid=os.getpid(), notifier="gunicorn-asgi", loop=SETTINGS.loop, heartbeatFile=os.readlink("/proc/self/fd/%d" % self.tmp.fileno()))
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        if SETTINGS.user_app:
            self.asgi = traced_app(self.asgi)

    def notify(self) -> None:
        super().notify()
        if not self._listening:
            self._listening = True
            trace.write("listening", pid=os.getpid(), http="gunicorn")
        trace.write("notify", pid=os.getpid(), counter=-1)
