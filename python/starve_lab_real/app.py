"""The routes app: the same routes as starve-lab's Node model, as a plain ASGI app, so the same
scenario files run unchanged. `/cpu?ms=N` burns the loop, `/wait?ms=N` awaits, `/offload?ms=N` burns
in the loop's default executor ("avoid it with executors"), `/` answers at once.
"""

import asyncio
import os
import time
from urllib.parse import parse_qs

from . import trace
from .handler_count import count_handler

_MAX_BLOCK_MS = float(os.environ.get("STARVE_LAB_MAX_BLOCK_MS", "600000"))


def burn_cpu(ms):
    """Spins on the CPU for `ms` milliseconds against a clock: a synchronous handler in an async endpoint."""
    until = time.perf_counter() + min(max(ms, 0.0), _MAX_BLOCK_MS) / 1000
    while time.perf_counter() < until:
        pass


def _request_id(scope):
    for name, value in scope.get("headers", []):
        if name == b"x-starve-request":
            try:
                return int(value)
            except ValueError:
                return -1
    return -1


async def _respond(send, request_id, status, body):
    data = body.encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})
    trace.write("request-end", pid=os.getpid(), id=request_id, status=status)


async def _lifespan(receive, send):
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send)
    request_id = _request_id(scope)
    route = scope["path"].strip("/").split("/")[0]
    try:
        ms = float(parse_qs(scope.get("query_string", b"").decode()).get("ms", ["0"])[0])
    except ValueError:
        return await _respond(send, request_id, 400, "ms must be a number >= 0\n")
    ms = min(ms, _MAX_BLOCK_MS)
    trace.write("request-start", pid=os.getpid(), id=request_id, route=route, ms=ms)
    if route == "cpu":
        burn_cpu(ms)
        count_handler()
        return await _respond(send, request_id, 200, "burned %.1f ms\n" % ms)
    if route == "wait":
        await asyncio.sleep(ms / 1000)
        return await _respond(send, request_id, 200, "waited %.1f ms\n" % ms)
    if route == "offload":
        await asyncio.get_running_loop().run_in_executor(None, burn_cpu, ms)
        return await _respond(send, request_id, 200, "offloaded %.1f ms\n" % ms)
    if route == "":
        return await _respond(send, request_id, 200, "ok\n")
    return await _respond(send, request_id, 404, "no route /%s\n" % route)
