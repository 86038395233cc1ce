"""uvicorn's Server with the lab's record of its loop: `listening` once it serves, and each tick with
the handlers that ran since the last. The gunicorn workers and the plain-uvicorn container both run it."""

from __future__ import annotations

import os
from typing import Any, List, Optional

from uvicorn.main import Server

from . import trace
from .handler_count import take_count


def served_http(config: Any) -> str:
    """The HTTP implementation uvicorn resolved (`config.load()` picked the protocol class): h11 or httptools."""
    module = getattr(getattr(config, "http_protocol_class", None), "__module__", "")
    return "h11" if module.endswith("h11_impl") else "httptools" if module.endswith("httptools_impl") else module or "unknown"


class TracedServer(Server):
    tick_counter = 0

    async def startup(self, sockets: Optional[List[Any]] = None) -> None:
        await super().startup(sockets=sockets)
        trace.write("listening", pid=os.getpid(), http=served_http(self.config))

    def record_tick(self, counter: int) -> None:
        self.tick_counter = counter
        trace.write("tick", pid=os.getpid(), counter=counter, handlers=take_count())

    async def on_tick(self, counter: int) -> bool:
        self.record_tick(counter)
        return await super().on_tick(counter)
