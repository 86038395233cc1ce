"""gunicorn worker classes, one per heartbeat rule, for `starve-lab run --stack real`.

`WallClockWorker` is uvicorn's own UvicornWorker: its rule (Server.on_tick, every 10th tick, wall clock)
is untouched; like every class here it only adds trace events around it (each tick, each notify,
listening) and picks the loop the scenario names. The other rules are written from their semantics
(starve-lab's docs/semantics.md §2), not copied:
- TickCountWorker: uvicorn <= 0.7.1, notify when counter % (10 x timeout_notify) == 0; no clock read.
- EveryTickWorker: uvicorn PR #2625 (proposed), the wall-clock comparison on every tick.
- WallClockFullTimeoutWorker: uvicorn 0.11.4 (#681), notify interval = the full gunicorn timeout.
- ThreadWorker: a heartbeat thread notifies every timeout_notify; the loop never does.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import threading
import time
from email.utils import formatdate
from typing import Any, Optional, Type

from gunicorn.arbiter import Arbiter
from uvicorn.workers import UvicornWorker

from . import trace
from .settings import SETTINGS
from .traced_app import traced_app
from .traced_server import TracedServer


class RuleServer(TracedServer):
    """A TracedServer whose heartbeat rule is written here rather than uvicorn's own."""

    last_notified: float

    def refresh_date_header(self) -> None:
        """What on_tick does once a second besides notifying: the Date header."""
        current_date = formatdate(time.time(), usegmt=True).encode()
        date_header = [(b"date", current_date)] if self.config.date_header else []
        self.server_state.default_headers = date_header + self.config.encoded_headers

    def should_stop(self) -> bool:
        if self.should_exit:
            return True
        if self.config.limit_max_requests is not None:
            return bool(self.server_state.total_requests >= self.config.limit_max_requests)
        return False


class TickCountServer(RuleServer):
    """uvicorn <= 0.7.1: counts ticks; 10 ticks are taken for a second, so 150 at a 30 s timeout."""

    async def on_tick(self, counter: int) -> bool:
        self.record_tick(counter)
        if counter % 10 == 0:
            self.refresh_date_header()
        every = max(1, round(10 * self.config.timeout_notify))
        if self.config.callback_notify is not None and counter % every == 0:
            await self.config.callback_notify()
        return self.should_stop()


class EveryTickServer(RuleServer):
    """uvicorn PR #2625 (proposed): compare the wall clock on every tick, not every 10th."""

    async def on_tick(self, counter: int) -> bool:
        self.record_tick(counter)
        if counter % 10 == 0:
            self.refresh_date_header()
        if self.config.callback_notify is not None:
            current_time = time.time()
            if current_time - self.last_notified > self.config.timeout_notify:
                self.last_notified = current_time
                await self.config.callback_notify()
        return self.should_stop()


class StarveLabWorker(UvicornWorker):  # type: ignore[misc]
    """UvicornWorker on the scenario's loop and HTTP implementation, tracing its ticks and notifies."""

    CONFIG_KWARGS = {"loop": SETTINGS.loop, "http": SETTINGS.http}
    NOTIFIER = "wall-clock"
    SERVER_CLASS: Type[TracedServer] = TracedServer
    _server: Optional[TracedServer] = None

    def init_process(self) -> None:
        trace.open_trace()
        trace.write("worker-start", pid=os.getpid(), notifier=self.NOTIFIER, loop=SETTINGS.loop, heartbeatFile=os.readlink("/proc/self/fd/%d" % self.tmp.fileno()))
        self.configure_notify()
        super().init_process()

    def configure_notify(self) -> None:
        """Which interval the rule notifies at; the default is gunicorn's timeout / 2, as uvicorn has it."""

    def init_signals(self) -> None:
        super().init_signals()
        # uvicorn's worker resets SIGABRT to the default action, which discards any handler installed
        # before; enabled after, faulthandler dumps the blocked handler's traceback when gunicorn aborts it.
        if SETTINGS.stacks_dir is not None:
            self._stack_file = open(os.path.join(SETTINGS.stacks_dir, "stack-%d.txt" % os.getpid()), "w")
            # enable() covers SIGABRT (register() refuses it): dump, then die by the signal as before.
            faulthandler.enable(file=self._stack_file, all_threads=False)

    async def callback_notify(self) -> None:
        self.notify()
        trace.write("notify", pid=os.getpid(), counter=self._server.tick_counter if self._server is not None else -1)

    async def _serve(self) -> None:
        self.config.app = traced_app(self.wsgi) if SETTINGS.user_app else self.wsgi
        server = self.SERVER_CLASS(config=self.config)
        self._server = server
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)


class WallClockWorker(StarveLabWorker):
    NOTIFIER = "wall-clock"


class TickCountWorker(StarveLabWorker):
    NOTIFIER = "tick-count"
    SERVER_CLASS = TickCountServer


class EveryTickWorker(StarveLabWorker):
    NOTIFIER = "every-tick"
    SERVER_CLASS = EveryTickServer


class WallClockFullTimeoutWorker(StarveLabWorker):
    NOTIFIER = "wall-clock-full-timeout"

    def configure_notify(self) -> None:
        # uvicorn 0.11.4 handed the full gunicorn timeout to the server as its notify interval.
        self.config.timeout_notify = self.cfg.timeout


class ThreadWorker(StarveLabWorker):
    NOTIFIER = "thread"

    def configure_notify(self) -> None:
        self.config.callback_notify = None
        interval = self.timeout

        def beat() -> None:
            while self.alive:
                self.notify()
                trace.write("notify", pid=os.getpid(), counter=-1)
                time.sleep(interval)

        threading.Thread(target=beat, name="starve-lab-heartbeat", daemon=True).start()
