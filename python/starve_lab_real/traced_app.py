"""The user's ASGI app with each request's start and end recorded (starve-lab's routes app records its
own), for the gunicorn workers and the plain-uvicorn container alike."""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable

from . import trace
from .handler_count import count_handler
from .request_id import request_id_of

Asgi = Callable[[Any, Any, Any], Awaitable[None]]


def traced_app(app: Asgi) -> Asgi:
    """Wraps the user's ASGI app to record each request's start and end. Every request that ran on the
    loop counts as a handler between two ticks."""

    async def wrapper(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        request_id = request_id_of(scope)
        trace.write("request-start", pid=os.getpid(), id=request_id, route=scope["path"], ms=0)

        async def traced_send(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.start":
                trace.write("request-end", pid=os.getpid(), id=request_id, status=message["status"])

        try:
            return await app(scope, receive, traced_send)
        finally:
            count_handler()

    return wrapper
