"""The routes app: the same routes as starve-lab's Node model, as a plain ASGI app, so the same
scenario files run unchanged. `/cpu?ms=N` burns the loop in pure Python, `/gil?ms=N` burns it in one C
call that keeps the GIL (no other Python thread runs meanwhile), `/wait?ms=N` awaits, `/offload?ms=N`
burns in the loop's default executor ("avoid it with executors"), `/` answers at once.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any, Awaitable, Callable, Dict
from urllib.parse import parse_qs

from . import trace
from .handler_count import count_handler
from .hold_gil import hold_gil
from .request_id import request_id_of
from .settings import SETTINGS

Scope = Dict[str, Any]
Message = Dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def burn_cpu(ms: float, max_block_ms: float = SETTINGS.max_block_ms) -> None:
    """Spins on the CPU for `ms` milliseconds against a clock: a synchronous handler in an async endpoint."""
    until = time.perf_counter() + min(max(ms, 0.0), max_block_ms) / 1000
    while time.perf_counter() < until:
        pass


async def _respond(send: Send, request_id: int, status: int, body: str) -> None:
    data = body.encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})
    trace.write("request-end", pid=os.getpid(), id=request_id, status=status)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def requested_ms(scope: Scope) -> float:
    """The `ms` query parameter, bounded by the lab's longest block; ValueError when it is not a number >= 0."""
    ms = float(parse_qs(scope.get("query_string", b"").decode()).get("ms", ["0"])[0])
    if not ms >= 0:
        raise ValueError("ms must be a number >= 0")
    return min(ms, SETTINGS.max_block_ms)


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    request_id = request_id_of(scope)
    route = scope["path"].strip("/").split("/")[0]
    try:
        ms = requested_ms(scope)
    except ValueError:
        return await _respond(send, request_id, 400, "ms must be a number >= 0\n")
    trace.write("request-start", pid=os.getpid(), id=request_id, route=route, ms=ms)
    if route == "cpu":
        # The holds-gil code kind: the same burn in one C call that keeps the GIL.
        if SETTINGS.cpu_holds_gil:
            hold_gil(ms)
        else:
            burn_cpu(ms)
        count_handler()
        return await _respond(send, request_id, 200, "burned %.1f ms\n" % ms)
    if route == "gil":
        hold_gil(ms)
        count_handler()
        return await _respond(send, request_id, 200, "held the GIL %.1f ms\n" % ms)
    if route == "wait":
        await asyncio.sleep(ms / 1000)
        return await _respond(send, request_id, 200, "waited %.1f ms\n" % ms)
    if route == "offload":
        await asyncio.get_running_loop().run_in_executor(None, burn_cpu, ms)
        return await _respond(send, request_id, 200, "offloaded %.1f ms\n" % ms)
    if route == "":
        return await _respond(send, request_id, 200, "ok\n")
    return await _respond(send, request_id, 404, "no route /%s\n" % route)
